"""The training data path at 384x384, batch 32: serial against prefetched reading, and the cache's bytes per photo.

On a GPU the host thread only reads the next batch from the memory-mapped cache (into pinned memory) and launches the
step; augmentation and the step run on the device. Here a sleep stands in for the device's step and the batch is left
on the host, so the loop measures what the loader's background thread can hide: images/s serial (the old loop) and
prefetched, and the share of the loop spent waiting for data, with the cache in the page cache (warm) and evicted
before every epoch (cold: read from disk, as when the cache does not fit in RAM, e.g. the old 4-byte cache of the
whole competition on Colab). Also bytes per cached photo (RGB against the former RGBX), and what the batched
augmentation costs when it runs on this CPU (bilinear, the default, against nearest).

    python bench/data_path.py [--people 150] [--step-ms 60]
"""
import argparse, os, tempfile, time
from pathlib import Path
import numpy as np, torch
from maskkit.data import load_train
from maskkit.synth import make_competition
from maskkit.pipeline import BatchAugment, BatchLoader, image_cache

SIZE, BS = (384, 384), 32

def evict(path):
    "Drop a file's pages from the page cache (what a cache larger than RAM goes through every epoch)."
    fd = os.open(path, os.O_RDONLY)
    try: os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally: os.close(fd)

def epoch_rate(bl, step_s, prefetch, cold_file=None):
    "Images/s of one epoch of host-side batches, and the share of it spent getting them (the rest: the stand-in step)."
    if cold_file: evict(cold_file)
    t0, waited, n = time.perf_counter(), 0.0, 0
    it = bl.iter_epoch(0, seed_fn=lambda b: b, prefetch=prefetch)
    while True:
        t = time.perf_counter()
        try: rows, x, y, _ = next(it)
        except StopIteration: break
        waited += time.perf_counter() - t
        n += len(rows)
        time.sleep(step_s)
    total = time.perf_counter() - t0
    return n / total, waited / total

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=150)
    ap.add_argument("--step-ms", type=float, default=60.0)   # about tf_efficientnet_b3's step at 384x384, batch 32, T4 fp16
    a = ap.parse_args()
    torch.set_num_threads(2)
    tmp = Path(tempfile.mkdtemp())
    root = make_competition(tmp/"synth", n_train=a.people, n_eval=0, seed=0, progress=False)
    df = load_train(root)
    t0 = time.time()
    cache = image_cache(df.path, SIZE, crop=(0.125, 0.875), cache_dir=tmp/"cache", progress=False)
    print(f"{len(df)} photos cached at {SIZE[0]}x{SIZE[1]} in {time.time() - t0:.0f}s: "
          f"{cache.arr[0].nbytes:,} bytes a photo (RGBX was {SIZE[0] * SIZE[1] * 4:,}: -25%)")
    bl = BatchLoader(cache, df.label.to_numpy(), batch_size=BS, shuffle=True, drop_last=True, channels_last=False)
    bl.prepare = lambda xy, augment=None, g=None: xy                     # the device's part, left out
    file = cache.arr.filename
    for temp, cold in (("warm", None), ("cold", file)):
        epoch_rate(bl, 0, True)
        alone = {p: epoch_rate(bl, 0, p, cold)[0] for p in (False, True)}
        step = {p: epoch_rate(bl, a.step_ms / 1000, p, cold) for p in (False, True)}
        print(f"[{temp}] reading alone: serial {alone[False]:.0f} img/s, prefetched {alone[True]:.0f} img/s")
        for p in (False, True):
            r, w = step[p]
            print(f"[{temp}] with a {a.step_ms:.0f} ms step ({1000 / a.step_ms * BS:.0f} img/s at most): "
                  f"{'prefetched' if p else 'serial    '} {r:.0f} img/s, {w:.0%} of the loop waiting for data")
        print(f"[{temp}] prefetched / serial, with the step: {step[True][0] / step[False][0]:.2f}x")
    x = torch.from_numpy(np.array(cache[np.arange(BS)]))
    for mode in ("bilinear", "nearest"):
        aug, g = BatchAugment(mode=mode), torch.Generator().manual_seed(0)
        aug(x, g)
        t = time.perf_counter()
        for _ in range(5): aug(x, g)
        print(f"augmentation on this CPU ({mode}): {5 * BS / (time.perf_counter() - t):.0f} img/s")
