"""Data pipeline speed: decoding every epoch (the official baseline's way) against maskkit's cache.

Both paths produce the same thing: normalised 128x96 (H x W) float batches of 64 with random resized crop,
horizontal flip and colour jitter. The baseline opens each JPEG with PIL and applies torchvision v2 transforms per
image (in a DataLoader with 0 and with 2 worker processes) into NCHW tensors; maskkit gathers uint8 RGB rows (a constant fourth byte added per batch) from its
memory-mapped cache and augments the whole batch as tensors (BatchAugment), into the same NCHW layout (and, shown
too, the channels-last layout). Prints images/s and the ratio; the cache must be >= 10x.

    python bench/pipeline_speed.py [--people 150] [--data DIR]
"""
import argparse, os, tempfile, time
from pathlib import Path
import numpy as np, torch
from torch.utils.data import DataLoader
from maskkit.data import load_train
from maskkit.synth import make_competition
from maskkit.pipeline import BatchAugment, BatchLoader, ImageDataset, image_cache, image_transforms, reuse_freed_memory

SIZE, BS = (128, 96), 64

def rate(fn, n_images):
    t0 = time.time(); fn(); return n_images / (time.time() - t0)

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--people", type=int, default=150); ap.add_argument("--data", default=None)
    a = ap.parse_args(); torch.set_num_threads(2); tmp = Path(tempfile.mkdtemp())
    tuned = reuse_freed_memory()   # what BatchLoader does; set before both paths run, so both get it
    root = Path(a.data) if a.data else make_competition(tmp/"synth", n_train=a.people, n_eval=0, seed=0, progress=False)
    df = load_train(root); n = len(df); y = df.label.to_numpy()
    def baseline(workers):
        dl = DataLoader(ImageDataset(df.path, y, image_transforms(SIZE, crop=None, train=True)), batch_size=BS, shuffle=True, num_workers=workers)
        return lambda: [None for _ in dl]
    t0 = time.time(); cache = image_cache(df.path, SIZE, crop=None, cache_dir=tmp/"cache", progress=False); build = time.time() - t0
    aug = BatchAugment()
    def cached(cl):
        bl = BatchLoader(cache, y, batch_size=BS, shuffle=True, channels_last=cl)
        return lambda: [None for _ in bl.iter_epoch(0, augment=aug, seed_fn=lambda b: b)]   # consumed, as a training loop does
    r0, r2 = rate(baseline(0), n), rate(baseline(2), n)
    cached(False)(); rc = rate(cached(False), n)   # (first pass warms the page cache, as every epoch after the first would be)
    rcl = rate(cached(True), n)
    print(f"{n} images, batches of {BS} at {SIZE[0]}x{SIZE[1]} with random resized crop, flip and colour jitter (2 cores)")
    print(f"  decode every epoch, PIL + torchvision v2, 0 workers: {r0:7.0f} images/s")
    print(f"  decode every epoch, PIL + torchvision v2, 2 workers: {r2:7.0f} images/s")
    print(f"  maskkit cache (memmap gather + BatchAugment), NCHW:  {rc:7.0f} images/s  ({rc / max(r0, r2):.1f}x the faster baseline, same layout)")
    print(f"  maskkit cache, channels-last (NHWC memory):          {rcl:7.0f} images/s  ({rcl / max(r0, r2):.1f}x)")
    print(f"  (glibc keeps freed memory for reuse: {tuned}; MASKKIT_MALLOC=0 to compare without)")
    print(f"  building the cache once: {build:.1f}s ({n / build:.0f} images/s)")
