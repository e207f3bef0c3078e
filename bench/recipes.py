"""Training recipes against the demo on data the demo has never seen, each within the same 10-minute budget.

A synthetic competition made with another seed (600 train people, seed 7, 400 eval people), the demo preset as it was
before the by_mask head (`BEFORE`), and that demo with one option changed: an augmentation policy, `age_ignore` (57-59
and 28-29 out of the age target), the ordinal, the mask-conditioned (by_mask, the demo now) and the years (regression)
age heads. For fine-tuning: the demo recipe pre-trained on the 2,700-person synthetic competition, then fine-tuned on
the 600 people from that run's backbone, plain, with `freeze_epochs` and with `layer_decay` (and the by_mask demo with
`layer_decay`). Every run is `maskkit run` with the demo's budget; a finished run is kept.

Out-of-fold and eval macro F1 with 95% bootstrap intervals over people, the paired difference against the demo
(`maskkit.threshold.compare_f1`), and the mean F1 of the six 60+ classes.

    python bench/recipes.py [--only demo,trivial] [--report-only]
"""
import argparse, subprocess, sys, time
from pathlib import Path
import numpy as np, pandas as pd, yaml
from sklearn.metrics import f1_score
from maskkit.synth import make_competition
from maskkit.threshold import compare_f1

DATA, PRE_DATA, OUT = Path("data/heldout7"), Path("data/synth/p2700-e1800-s0"), Path("runs/recipes")
OLD = [2, 5, 8, 11, 14, 17]                              # the six 60+ classes
PRE = OUT/"pre2700"/"runs"/"multi"                       # the pre-trained run folder (model "multi" of that job)
BEFORE = {"age_head": "softmax"}                        # the demo before the by_mask head: the rows measure against it
VARIANTS = {  # name: (the demo-before's defaults changed, its data)
    "demo": ({}, DATA),
    "trivial": ({"augment": "trivial"}, DATA),
    "age_ignore": ({"age_ignore": [[57, 59], [28, 29]]}, DATA),
    "ordinal": ({"age_head": "ordinal"}, DATA),
    "by_mask": ({"age_head": "by_mask"}, DATA),
    "years": ({"age_head": "years"}, DATA),
    "pre2700": ({}, PRE_DATA),
    "finetune": ({"pretrained": str(PRE)}, DATA),
    "finetune_freeze": ({"pretrained": str(PRE), "freeze_epochs": 2}, DATA),
    "finetune_decay": ({"pretrained": str(PRE), "layer_decay": 0.7}, DATA),
    "by_mask_finetune_decay": ({"age_head": "by_mask", "pretrained": str(PRE), "layer_decay": 0.7}, DATA),
}

def preset(name:str, changes:dict)->Path:
    "The demo preset as it was before the by_mask head, with `changes` in its defaults, written beside the runs."
    from importlib.resources import files
    p = yaml.safe_load((files("maskkit")/"assets"/"presets"/"demo.yaml").read_text())
    p["defaults"].update({**BEFORE, **changes})
    for m in p["models"].values(): m.pop("age_head", None)
    OUT.mkdir(parents=True, exist_ok=True)
    (f := OUT/f"{name}.yaml").write_text(yaml.safe_dump(p, sort_keys=False))
    return f

def run(name:str):
    "`maskkit run` of one variant (skipped when its report exists)."
    changes, data = VARIANTS[name]
    out = OUT/name
    if (out/"report.md").is_file(): return
    t = time.time()
    subprocess.run([sys.executable, "-m", "maskkit.cli", "run", "--data", str(data), "--preset", str(preset(name, changes)),
                    "--out", str(out), "--quiet"], check=True)
    print(f"{name}: {time.time() - t:.0f} s", flush=True)

def old_f1(truth, pred)->float:
    "Mean F1 of the six 60+ classes."
    return float(np.mean(f1_score(truth, pred, labels=OLD, average=None, zero_division=0)))

def table(names:list)->pd.DataFrame:
    "Out-of-fold and eval macro F1 (95% intervals over people, paired differences to the first) and 60+ F1."
    answers = pd.read_csv(DATA/"eval_answers.csv", dtype={"ImageID": str}).set_index("ImageID")
    oof = {n: pd.read_csv(OUT/n/"oof_final.csv") for n in names}
    ev = {n: pd.read_csv(OUT/n/"submission.csv", dtype={"ImageID": str}).set_index("ImageID").ans for n in names}
    first = oof[names[0]]
    a = compare_f1(first.label.to_numpy(), {n: o.set_index("path").loc[first.path].pred.to_numpy() for n, o in oof.items()},
                   first.person_id.to_numpy())
    b = compare_f1(answers.ans.to_numpy(), {n: e.loc[answers.index].to_numpy() for n, e in ev.items()},
                   answers.person.to_numpy())
    rows = []
    for n in names:
        o = oof[n].set_index("path").loc[first.path]
        rows.append(dict(recipe=n, oof=f"{a.f1[n]:.3f} [{a.lo[n]:.3f}-{a.hi[n]:.3f}]",
                         oof_diff=f"{a['diff'][n]:+.3f} [{a.diff_lo[n]:+.3f} to {a.diff_hi[n]:+.3f}]",
                         eval=f"{b.f1[n]:.3f} [{b.lo[n]:.3f}-{b.hi[n]:.3f}]",
                         eval_diff=f"{b['diff'][n]:+.3f} [{b.diff_lo[n]:+.3f} to {b.diff_hi[n]:+.3f}]",
                         oof_60plus=round(old_f1(first.label, o.pred), 3),
                         eval_60plus=round(old_f1(answers.ans, ev[n].loc[answers.index]), 3)))
    return pd.DataFrame(rows).set_index("recipe")

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default=",".join(VARIANTS))
    ap.add_argument("--report-only", action="store_true")
    a = ap.parse_args()
    if not (DATA/"train").is_dir(): make_competition(DATA, 600, seed=7)
    names = a.only.split(",")
    if not a.report_only:
        for n in names: run(n)
    done = [n for n in names if (OUT/n/"report.md").is_file() and VARIANTS[n][1] == DATA]
    t = table(done)
    print(t.to_markdown())
    t.to_csv(OUT/"summary.csv")
