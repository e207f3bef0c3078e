#!/usr/bin/env bash
# The wheels bench/gpu_check.py needs that a bare GPU image lacks, downloaded here (that machine has no network).
# The image has torch, torchvision, timm, pandas, scikit-learn, seaborn, tqdm, safetensors, tensorboard, tabulate,
# markdown, pyyaml, pillow, matplotlib and numpy; of the kit's requirements the check imports only fastcore besides
# (grad-cam, ipywidgets and nbconvert are imported where they are used, and the check does not use them).
#
#   bench/gpu_wheels.sh DIR [PYTHON_VERSION]      # default 3.12: the GPU image's Python
#   # there:  python bench/gpu_check.py --wheels DIR    (installs them with --no-index --no-deps --target, nothing else)
set -euo pipefail
dir=${1:?usage: bench/gpu_wheels.sh DIR [PYTHON_VERSION]}
py=${2:-3.12}
NEEDED="fastcore"     # pure Python, no requirements of its own
mkdir -p "$dir"
python -m pip download --quiet --no-deps --only-binary :all: --python-version "$py" --dest "$dir" $NEEDED
mib=$(du -sm "$dir" | cut -f1)
if [ "$mib" -gt 60 ]; then echo "$dir holds ${mib} MiB: over the 60 MiB a device run carries" >&2; exit 1; fi
echo "$dir: $(ls "$dir" | tr '\n' ' ')(${mib} MiB)"
