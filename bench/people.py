"""Grouping photos into people, person-consistent decisions and pseudo-labels, measured on a finished main job.

    maskkit run --out /tmp/demo1                      # the demo preset on its synthetic competition
    python bench/people.py /tmp/demo1 data/synth/p400-e200-s0 [--pseudo]

Prints: grouping purity / adjusted Rand index of each embedding (out-of-fold photos grouped blind, fold by fold, and the
eval photos); out-of-fold and eval macro F1 of the demo recipe with and without `person: true`, with a paired bootstrap
interval over people; with --pseudo, a second round with pseudo-labels (trained in RUN/runs/multi_pseudo) and one with
person-consistent pseudo-labels (RUN/runs/multi_pseudo_person) against the first, the same way."""
import dataclasses, sys, time
from pathlib import Path

import numpy as np, pandas as pd
from maskkit.data import load_eval, load_train
from maskkit.ensemble import ensemble_eval, ensemble_oof
from maskkit.people import blind_groups, eval_groups, group_photos, grouping_quality, photo_embeddings, pseudo_label_round
from maskkit.run import load_preset
from maskkit.threshold import compare_f1, factors_of, load_oof, macro_f1
from maskkit.runs import fold_outputs, views

out, root = Path(sys.argv[1]), Path(sys.argv[2]); runs = out/"runs"; run = runs/"multi"
rec = load_preset("demo").ensemble
oof, probs, task = load_oof(run); ev = load_eval(root); ans = pd.read_csv(root/"eval_answers.csv", dtype={"ImageID": str}).set_index("ImageID").loc[ev.ImageID]

print("grouping quality (out-of-fold photos grouped blind per fold | eval photos):")
pm_oof, pm_ev = factors_of(task, probs)["mask"], factors_of(task, views(fold_outputs(run, ev.path), True).mean(0))["mask"]
for kind in ("features", "appearance", "both"):
    for how, pmo, pme in (("ward", None, None), ("anchors", pm_oof, pm_ev)):
        t = time.time()
        g_oof = blind_groups(photo_embeddings(run, oof.path, oof.fold.to_numpy(), kind), oof.fold.to_numpy(), 7, pmo)
        g_ev = group_photos(photo_embeddings(run, ev.path, None, kind), 7, pme)
        q1, q2 = grouping_quality(g_oof, oof.person_id), grouping_quality(g_ev, ans.person)
        print(f"  {kind:10s} {how:7s} oof purity {q1['purity']:.3f} ARI {q1['ari']:.3f} whole people {q1['whole_people']:.2f} | "
              f"eval purity {q2['purity']:.3f} ARI {q2['ari']:.3f} whole people {q2['whole_people']:.2f} ({time.time() - t:.0f}s)")

def scores(recipe, name):
    o = ensemble_oof(recipe, runs); lab = ensemble_eval(recipe, runs, ev.path, o["threshold"])
    return o, lab
lines = {}
for name, r in (("argmax", dataclasses.replace(rec, threshold=None)), ("argmax + person", dataclasses.replace(rec, threshold=None, person=True)),
                ("demo recipe", rec), ("demo recipe + person", dataclasses.replace(rec, person=True))):
    lines[name] = scores(r, name)
o0 = lines["argmax"][0]
print("\nout-of-fold macro F1 (paired bootstrap over people) and eval macro F1:")
cmp = compare_f1(o0["truth"], {k: v[0]["labels"] for k, v in lines.items()}, o0["person"], 1000)
cmp["eval_f1"] = [macro_f1(ans.ans.to_numpy(), v[1]) for v in lines.values()]
print(cmp.round(4).to_string())
for a, b in (("argmax", "argmax + person"), ("demo recipe", "demo recipe + person")):
    c = compare_f1(o0["truth"], {a: lines[a][0]["labels"], b: lines[b][0]["labels"]}, o0["person"], 1000).loc[b]
    print(f"  {b} - {a}: {c['diff']:+.4f} [95% {c.diff_lo:+.4f} to {c.diff_hi:+.4f}]")

if "--pseudo" in sys.argv:
    df = load_train(root); t = time.time()
    pseudo_label_round(df, run, runs/"multi_pseudo", root, precision=0.9)
    print(f"\npseudo-label round trained in {time.time() - t:.0f}s; rows added per fold: " +
          ", ".join(str(len(pd.read_csv(f))) for f in sorted((runs/"multi_pseudo").glob("fold*/pseudo.csv"))))
    t = time.time(); pseudo_label_round(df, run, runs/"multi_pseudo_person", root, precision=0.9, person=True)
    print(f"pseudo-labels made person-consistent over grouped eval photos first: trained in {time.time() - t:.0f}s; rows added per fold: " +
          ", ".join(str(len(pd.read_csv(f))) for f in sorted((runs/"multi_pseudo_person").glob("fold*/pseudo.csv"))))
    recs = {"one round": rec, "with pseudo-labels": dataclasses.replace(rec, members=[["multi_pseudo"]]),
            "with person-consistent pseudo-labels": dataclasses.replace(rec, members=[["multi_pseudo_person"]])}
    os_ = {k: ensemble_oof(r, runs) for k, r in recs.items()}; o1 = os_["one round"]
    assert all((o["path"] == o1["path"]).all() for o in os_.values())
    c = compare_f1(o1["truth"], {k: o["labels"] for k, o in os_.items()}, o1["person"], 1000)
    c["eval_f1"] = [macro_f1(ans.ans.to_numpy(), ensemble_eval(recs[k], runs, ev.path, o["threshold"])) for k, o in os_.items()]
    print(c.round(4).to_string())
