"""How fast is the synthetic competition written?

Times make_competition for the train set alone (no eval) with 1 worker and with every core, on the same
people, and prints seconds, photos/s and the parallel speed-up; then extrapolates to 2,700 people.
With --full it also writes the full 2,700-person train set and prints its time.

    python bench/synth_speed.py             # 200 people, 1 worker vs all cores
    python bench/synth_speed.py --full      # and the full 2,700-person train set
"""
import argparse, os, shutil, tempfile, time
from pathlib import Path
from maskkit.synth import make_competition

def timed(root, people, workers):
    t0 = time.time(); make_competition(root, n_train=people, n_eval=0, seed=0, workers=workers, progress=False)
    return time.time() - t0

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--people", type=int, default=200); ap.add_argument("--full", action="store_true")
    a = ap.parse_args(); tmp = Path(tempfile.mkdtemp()); cores = os.cpu_count()
    t1 = timed(tmp/"one", a.people, 1); tn = timed(tmp/"all", a.people, cores)
    print(f"{a.people} people ({7 * a.people} photos): 1 worker {t1:.1f}s ({7 * a.people / t1:.0f} photos/s), "
          f"{cores} workers {tn:.1f}s ({7 * a.people / tn:.0f} photos/s), speed-up {t1 / tn:.2f}x")
    print(f"extrapolated to 2,700 people with {cores} workers: {tn * 2700 / a.people:.0f}s")
    if a.full: print(f"2,700 people written with {cores} workers in {timed(tmp/'full', 2700, cores):.0f}s")
    shutil.rmtree(tmp)
