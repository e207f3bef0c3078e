"""The relabelling queue, measured: the demo's synthetic competition with `--mislabel 0.03`, the demo run, the queue's
top-k (k = twice the number flipped), a reviewer who accepts the flipped people found there (the synthetic truth stands
in for a person looking at the photos), and the demo run again with those fixes.

    python bench/relabel_queue.py [FOLDER] [RATE]     # default /tmp/maskkit-relabel, 0.03; reruns reuse what is done

Prints the queue's recall at k and out-of-fold / eval macro F1 of both runs, against the labels each trained on and
against the true labels."""
import json, subprocess, sys
from pathlib import Path

import numpy as np, pandas as pd
from maskkit.data import encode_label, age_group
from maskkit.interpret import Explainer, relabel_queue, write_relabels
from maskkit.threshold import compare_f1

base = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/maskkit-relabel"); rate = sys.argv[2] if len(sys.argv) > 2 else "0.03"
base.mkdir(parents=True, exist_ok=True); data = base/"data"
if not (data/"synth.json").is_file():
    subprocess.run(["maskkit", "synth", str(data), "--people", "400", "--eval", "200", "--seed", "0", "--mislabel", rate, "--quiet"], check=True)
if not (base/"run_a/report.md").is_file(): subprocess.run(["maskkit", "run", "--data", str(data), "--out", str(base/"run_a"), "--quiet"], check=True)

flips = pd.DataFrame(json.loads((data/"synth.json").read_text())["mislabelled"]); k = 2 * len(flips)
ex = Explainer(base/"run_a/runs/multi")
for person_model in (False, True):                   # the head's probabilities photo by photo, then the second look per person
    q = relabel_queue(ex, person_model=person_model); rank = {p: i for i, p in enumerate(q.person_id)}
    flips["rank"] = [rank.get(f, -1) for f in flips.folder]; flips["in_top_k"] = flips["rank"].between(0, k - 1)
    print(f"person_model={person_model}: {len(flips)} of 400 people flipped; the queue's top {k} holds {flips.in_top_k.sum()} of them "
          f"({flips.in_top_k.mean():.0%}); by field: " + ", ".join(f"{f} {g.in_top_k.sum()}/{len(g)}" for f, g in flips.groupby("field")))
print(flips[["folder", "field", "true", "label", "rank"]].to_string(index=False))

accepted = q.head(k)[q.head(k).person_id.isin(flips.folder)]
write_relabels(accepted, base/"accepted.csv")
if not (base/"run_b/report.md").is_file():
    subprocess.run(["maskkit", "run", "--data", str(data), "--out", str(base/"run_b"), "--quiet", "--relabels", str(base/"accepted.csv")], check=True)

key = lambda d: d.assign(path=[f"{Path(p).parent.name}/{Path(p).name}" for p in d.path])   # the runs may have seen the data by other paths
oof_a, oof_b = (key(pd.read_csv(base/r/"oof_final.csv")).sort_values("path", ignore_index=True) for r in ("run_a", "run_b"))
rows_a = key(pd.read_csv(base/"run_a/runs/multi/oof.csv"))[["path", "mask", "gender", "age"]]
true = rows_a.set_index("path").copy()
for f in flips.itertuples():
    sel = true.index.str.startswith(f"{f.folder}/"); true.loc[sel, f.field] = f.true
true_lab = pd.Series(encode_label(true["mask"].to_numpy(), true.gender.to_numpy(), age_group(true.age.to_numpy())), index=true.index)
y = true_lab.loc[oof_a.path].to_numpy(); assert (oof_b.path.to_numpy() == oof_a.path.to_numpy()).all()
print("\nout-of-fold macro F1, against the labels each run trained on:")
print(f"  before fixes {compare_f1(oof_a.label.to_numpy(), dict(a=oof_a.pred.to_numpy()), oof_a.person_id, 200).f1.iloc[0]:.4f}, "
      f"after {compare_f1(oof_b.label.to_numpy(), dict(b=oof_b.pred.to_numpy()), oof_b.person_id, 200).f1.iloc[0]:.4f}")
print("against the true labels (paired bootstrap over people):")
print(compare_f1(y, {"before fixes": oof_a.pred.to_numpy(), "after fixes": oof_b.pred.to_numpy()}, oof_a.person_id.to_numpy(), 1000).round(4).to_string())
for r in ("run_a", "run_b"): print(r, [l for l in (base/r/"report.md").read_text().splitlines() if "Eval macro F1" in l][0].split("Eval")[1][:60])
