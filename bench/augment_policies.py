"""What each augmentation policy costs on this machine: images/s of `BatchAugment` with no policy (basic: crop, flip,
colour) and with torchvision's TrivialAugmentWide, RandAugment and AutoAugment drawn per photo before it, on uint8
batches of the cached size, in one run (ratios are what to read; this machine is noisy).

    python bench/augment_policies.py [--size 128 96] [--batch 64] [--repeats 5]
"""
import argparse, time
import torch
from maskkit.pipeline import POLICIES, BatchAugment

def rate(aug, x, repeats):
    "Images/s of `aug` over `repeats` batches (after one warm-up)."
    aug(x, torch.Generator().manual_seed(0))
    t = time.perf_counter()
    for r in range(repeats): aug(x, torch.Generator().manual_seed(r + 1))
    return repeats * len(x) / (time.perf_counter() - t)

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, nargs=2, default=[128, 96])
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    torch.manual_seed(0)
    x = torch.randint(0, 256, (a.batch, *a.size, 3), dtype=torch.uint8)
    base = rate(BatchAugment(), x, a.repeats)
    print(f"{a.size[0]}x{a.size[1]}, batch {a.batch}, {torch.get_num_threads()} threads")
    print(f"basic        {base:7.0f} img/s  1.00x")
    for name in POLICIES:
        r = rate(BatchAugment(policy=name), x, a.repeats)
        print(f"{name:12s} {r:7.0f} img/s  {r / base:.2f}x")
