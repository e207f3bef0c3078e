"""One 5-fold cross-validation of the default CPU config (TrainConfig()) on 300 synthetic people.

Prints the per-task and 18-class macro F1 of the out-of-fold predictions, and of the 5 fold models averaged on the
synthetic eval set (scored with its answers), and the wall time.

    python bench/cv_default.py [--people 300] [--eval 100]
"""
import argparse, json, tempfile, time
from pathlib import Path
import pandas as pd, torch
from maskkit.data import load_train
from maskkit.synth import make_competition
from maskkit.config import TrainConfig, task_metrics
from maskkit.runs import fold_outputs, views
from maskkit.train import cross_validate, eval_truth

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--people", type=int, default=300); ap.add_argument("--eval", type=int, default=100)
    a = ap.parse_args(); torch.set_num_threads(2); tmp = Path(tempfile.mkdtemp())
    root = make_competition(tmp/"synth", n_train=a.people, n_eval=a.eval, seed=0, progress=False)
    cfg = TrainConfig(cache_dir=str(tmp/"cache")); df = load_train(root)
    t0 = time.time(); res = cross_validate(df, cfg, tmp/"run", progress=False); t = time.time() - t0
    ev = eval_truth(root); m = task_metrics(cfg.make_task(), ev, views(fold_outputs(tmp/"run", ev.path), False).mean(0))
    keys = ["f1_mask", "f1_gender", "f1_age", "f1_18", "acc_18"]
    print(f"default config ({cfg.model}, {cfg.img_size[0]}x{cfg.img_size[1]}, {cfg.epochs} epochs, {cfg.optimizer} {cfg.lr}, {cfg.scheduler}, loss {cfg.loss}),"
          f" {a.people} people, 5 folds: {t / 60:.1f} min")
    print(pd.DataFrame({"out-of-fold": {k: res["cv"][k] for k in keys}, f"eval ({a.eval} people, 5-fold mean)": {k: m[k] for k in keys}}).T.round(3).to_string())
