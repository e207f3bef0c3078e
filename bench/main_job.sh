#!/usr/bin/env bash
# The README's main job in a fresh clone with a cold cache, twice: `pip install -e ".[dev]"` then `maskkit run` (the
# demo preset and its budget), then `maskkit run` again. HIDE=bf16 bench/main_job.sh hides bf16 from the probe, as a
# machine without native bfloat16 would score it. Afterwards, reinstall your own checkout (pip install -e .).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd); d=$(mktemp -d)
git clone -q "$src" "$d/maskkit" && cd "$d/maskkit"
export MASKKIT_CACHE="$d/cache" MASKKIT_HIDE_MODES="${HIDE:-}"
t() { local s=$(date +%s); "$@"; echo "  -> $(( $(date +%s) - s )) s: $*"; }
t pip install -q -e ".[dev]" 2>/dev/null
for i in 1 2; do t maskkit run --quiet | tail -3; done
grep -A14 "^## Time" runs/main/report.md
echo "clone: $d/maskkit"
