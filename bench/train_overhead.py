"""Training loop overhead: a full `fit` epoch against the bare model step.

The bare step is forward, backward and optimizer step on random tensors of the same shape (resnet18 with AdamW, batches of 64
at 128x96, channels-last with bfloat16 autocast: the CPU defaults `fit` picks for resnet18). The fit epoch includes
everything else: gathering from the cache, augmentation, loss, checkpoints, logging. Prints both rates and their
ratio; the loop must reach at least 90% of the bare step. Also prints the cost of validation separately.

    python bench/train_overhead.py [--people 300]
"""
import argparse, tempfile, time
from pathlib import Path
import pandas as pd, torch, torch.nn.functional as F
from maskkit.data import load_train
from maskkit.models import create_model
from maskkit.synth import make_competition
from maskkit.config import TrainConfig
from maskkit.train import fit

def bare_rate(steps=25, bs=64):
    m = create_model("resnet18", 18).to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(m.parameters(), 2e-3, weight_decay=1e-4)   # what fit uses by default
    x = torch.randn(bs, 3, 128, 96).contiguous(memory_format=torch.channels_last); y = torch.randint(0, 18, (bs,))
    for i in range(steps + 3):
        if i == 3: t0 = time.time()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = F.cross_entropy(m(x).float(), y)
        opt.zero_grad(); loss.backward(); opt.step()
    return steps * bs / (time.time() - t0)

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--people", type=int, default=300); a = ap.parse_args()
    torch.set_num_threads(2); tmp = Path(tempfile.mkdtemp())
    df = load_train(make_competition(tmp/"synth", n_train=a.people, n_eval=0, seed=0, progress=False))
    cfg = TrainConfig(model="resnet18", img_size=(128, 96), epochs=2, batch_size=64, folds=[0], cache_dir=str(tmp/"cache"), ckpt_every=100)
    fit(df, 0, cfg, tmp/"run", progress=False)
    h = pd.read_csv(tmp/"run/fold0/metrics.csv").iloc[-1]           # the second epoch: warm
    bare = bare_rate()
    print(f"resnet18, 128x96, batch 64, bf16 autocast + channels-last, 2 threads")
    print(f"  bare step (random tensors):      {bare:6.1f} images/s")
    print(f"  fit epoch (cache, augmentation): {h.train_images_per_s:6.1f} images/s  = {h.train_images_per_s / bare:.0%} of the bare step")
    print(f"  whole epoch incl. validation:    {h.seconds:.1f}s")
