"""Model EMA against none on the demo data: the demo preset (budget none: its 24 epochs) with `ema` set in its defaults.

    python bench/ema_demo.py OUT [DECAY ...]      # default decays: none 0.999 0.99
    EPOCHS=8 python bench/ema_demo.py OUT none 0.999   # a shorter schedule (what a tight budget plans)

Prints, per setting, the out-of-fold macro F1 (18 classes, the run's joined folds; 95% interval over people by bootstrap),
the eval macro F1 of the final recipe (the synthetic answers), how many folds kept EMA weights, and the minutes."""
import json, os, sys, time
from pathlib import Path
import numpy as np, pandas as pd, yaml
from maskkit.run import ensure_synth, preset_files, run_pipeline

def person_bootstrap(oof:pd.DataFrame, n:int=1000, seed:int=0)->tuple:
    from sklearn.metrics import f1_score
    from maskkit.tasks import get_task, probs18
    p = probs18(get_task("multihead").factors(oof.filter(regex=r"^p\d+$").to_numpy())).argmax(1); y = oof.label.to_numpy()
    people = oof.person_id.unique(); rows = oof.groupby("person_id").indices; rng = np.random.default_rng(seed); out = []
    for _ in range(n):
        idx = np.concatenate([rows[q] for q in rng.choice(people, len(people))]); out.append(f1_score(y[idx], p[idx], average="macro"))
    return float(f1_score(y, p, average="macro")), *np.percentile(out, [2.5, 97.5])

if __name__ == "__main__":
    out = Path(sys.argv[1]); decays = sys.argv[2:] or ["none", "0.999", "0.99"]
    base = yaml.safe_load(preset_files()["demo"].read_text()); s = base["synth"]
    root = ensure_synth(s["people"], s["seed"], s["eval"], progress=False)
    rows = []
    for d in decays:
        p = dict(base, budget=None); p["defaults"] = dict(base["defaults"], ema=None if d == "none" else float(d))
        if os.environ.get("EPOCHS"): p["defaults"]["epochs"] = int(os.environ["EPOCHS"]); d = f"{d}_e{os.environ['EPOCHS']}"
        (out/f"ema_{d}").mkdir(parents=True, exist_ok=True); (out/f"ema_{d}.yaml").write_text(yaml.safe_dump(p))
        t = time.time(); res = run_pipeline(root, out/f"ema_{d}.yaml", out/f"ema_{d}", budget="none", progress=False, log=lambda *a: None)
        oof = pd.read_csv(out/f"ema_{d}"/"runs"/"multi"/"oof.csv"); f1, lo, hi = person_bootstrap(oof)
        done = [json.loads(f.read_text()) for f in sorted((out/f"ema_{d}"/"runs"/"multi").glob("fold*/done.json"))]
        rows.append(dict(ema=d, epochs=p["defaults"]["epochs"], oof_f1_18=round(f1, 3), ci95=f"{lo:.3f}-{hi:.3f}", eval_f1=round(res["score"]["f1"], 3),
                         folds_kept_ema=sum(str(r["best_epoch"]).startswith("ema") for r in done), minutes=round((time.time() - t) / 60, 1)))
        print(pd.DataFrame(rows).to_string(index=False), flush=True)
