"""The precision / memory-layout probe on this machine: every candidate's training images/s and the pick, for three
models, with and without bf16 hidden; then a longer re-measurement of every candidate to check the pick against the best.

    python bench/precision_probe.py            # batch 64, 2 threads
"""
import argparse, os, time
import pandas as pd, torch
from maskkit.models import mode_candidates, mode_name, pick_mode, probe_modes

CASES = [("resnet10t", (64, 48)), ("resnet18", (128, 96)), ("efficientnet_b0", (128, 96))]

def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--batch", type=int, default=64); ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(); torch.set_num_threads(a.threads)
    print(f"torch {torch.__version__}, {a.threads} threads, batch {a.batch}, native bf16: {getattr(torch.cpu, '_is_avx512_bf16_supported', lambda: '?')()}")
    rows = []
    for name, size in CASES:
        for hide in ("", "bf16"):
            os.environ["MASKKIT_HIDE_MODES"] = hide
            t0 = time.time(); t = probe_modes(name, 18, size, a.batch); probe_s = time.time() - t0; pick = pick_mode(t)
            # the check: every candidate timed again, longer (5 rounds x 3 steps), the pick against the best of those
            again = probe_modes(name, 18, size, a.batch, candidates=mode_candidates("cpu"), rounds=5, steps=3).set_index("mode").images_per_s
            rate = t.set_index("mode").images_per_s
            rows.append(dict(model=name, size=f"{size[0]}x{size[1]}", hidden=hide or "-", **{m: rate.get(m, float("nan")) for m in again.index},
                             pick=mode_name(pick), probe_s=round(probe_s, 1), pick_vs_best_again=round(again[mode_name(pick)] / again.max(), 3)))
            print(rows[-1], flush=True)
    os.environ.pop("MASKKIT_HIDE_MODES")
    print(pd.DataFrame(rows).to_markdown(index=False))

if __name__ == "__main__": main()
