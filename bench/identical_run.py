"""A fixed, seeded tiny main job; prints the sha256 of what a refactor must not change.

    python bench/identical_run.py OUT      # OUT: an empty or missing folder (its data and run go there)

Two models (one with SWA, one with early stopping and plateau scheduling), fp32 NCHW fixed so nothing is measured,
3 person folds, 2-3 epochs at 32x24 on 60 synthetic people. Hashes: every fold's and every run's out-of-fold
probabilities, the ensemble table, the submission."""
import hashlib, os, sys
from pathlib import Path
os.environ.setdefault("OMP_NUM_THREADS", "2")
import torch; torch.set_num_threads(2)
from maskkit.run import ensure_synth, run_pipeline

PRESET = """# identical: the refactor check
n_splits: 3
seed: 0
defaults: {model: resnet10t, pretrained: false, img_size: [32, 24], epochs: 3, batch_size: 32, precision: fp32,
           channels_last: false, optimizer: adamw, lr: 0.003, loss: ce, class_weights: effective, age_bound: 58}
models:
  multi: {task: multihead, swa: true, swa_start: 1, mixup: 0.2, augment: true}
  old: {task: age_old, epochs: 3, scheduler: plateau, early_stop: 1, loss: {focal: 0.8, f1: 0.2}, cutmix: 1.0}
ensemble: {members: [[multi]], fold_vote: soft, old: old, threshold: tune, tta: true}
"""

def sha(b:bytes)->str: return hashlib.sha256(b).hexdigest()[:16]

if __name__ == "__main__":
    out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
    root = ensure_synth(60, 3, 30, base=out/"data", progress=False)
    (out/"identical.yaml").write_text(PRESET)
    res = run_pipeline(root, out/"identical.yaml", out/"run", budget="none", progress=False, log=lambda *a: None)
    run = out/"run"
    files = sorted(run.glob("runs/*/fold*/oof.csv")) + sorted(run.glob("runs/*/oof.csv")) + [run/"submission.csv"]
    for f in files: print(f"{sha(f.read_bytes())}  {f.relative_to(run)}")
    print(f"{sha(res['table'].to_csv().encode())}  ensemble table")
    print(res["table"].round(4).to_string())
