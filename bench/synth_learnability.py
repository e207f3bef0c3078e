"""Is the synthetic competition learnable, and not trivial?

Trains a small CNN (3 heads: mask, gender, age group) for a fixed CPU time budget on person-level folds
(train on folds 1-4, score fold 0) and prints the per-task and 18-class macro F1 of the held-out people and
of the synthetic eval set. With --leak it trains the same model on a random *image* split and prints its
validation F1 next to its eval F1: the identity leak, measured.

    python bench/synth_learnability.py                     # generates 1,000 people into bench/out/synth
    python bench/synth_learnability.py --data data/synth --minutes 4 --leak
"""
import argparse, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np, pandas as pd, torch, torch.nn as nn, torch.nn.functional as F
from PIL import Image
from sklearn.metrics import f1_score

from maskkit.data import load_eval, load_train, encode_label, age_group
from maskkit.folds import assert_no_leak, person_folds, random_image_split
from maskkit.synth import make_competition

SIZE = (72, 96)  # W x H fed to the CNN (the photos are 384 x 512)

def load_pixels(paths, workers=2):
    "Every image decoded once, resized to SIZE, as a uint8 N x 3 x H x W array."
    def one(p):
        with Image.open(p) as im: im.draft("RGB", (SIZE[0] * 2, SIZE[1] * 2)); return np.asarray(im.convert("RGB").resize(SIZE, Image.BILINEAR))
    with ThreadPoolExecutor(workers) as ex: return np.stack(list(ex.map(one, paths))).transpose(0, 3, 1, 2).copy()

class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        chans, layers = [3, 32, 64, 96, 128], []
        for a, b in zip(chans, chans[1:]): layers += [nn.Conv2d(a, b, 3, padding=1, bias=False), nn.BatchNorm2d(b), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
        self.body = nn.Sequential(*layers, nn.Conv2d(128, 128, 3, padding=1), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2))
        self.heads = nn.ModuleList([nn.Linear(128, k) for k in (3, 2, 3)])
    def forward(self, x): h = self.body(x); return [head(h) for head in self.heads]

def batches(x, idx, bs, train, rng):
    if train: idx = rng.permutation(idx)
    for i in range(0, len(idx), bs):
        b = torch.from_numpy(x[idx[i:i + bs]]).float().div_(255).sub_(0.5).div_(0.25)
        if train:
            if rng.random() < 0.5: b = b.flip(3)
            dy, dx = rng.integers(-6, 7, 2); b = torch.roll(b, (int(dy), int(dx)), (2, 3))
        yield idx[i:i + bs], b

def train(x, y, tr_idx, minutes, seed=0, bs=64):
    torch.manual_seed(seed); rng = np.random.default_rng(seed)
    model = SmallCNN().to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), 2e-3, weight_decay=1e-4)
    w_age = torch.tensor(len(tr_idx) / (3 * np.bincount(y[tr_idx, 2], minlength=3).clip(1)), dtype=torch.float32)
    t0, epoch, seen = time.time(), 0, 0
    while time.time() - t0 < minutes * 60:
        model.train()
        for bi, b in batches(x, tr_idx, bs, True, rng):
            out = model(b.contiguous(memory_format=torch.channels_last)); t = torch.from_numpy(y[bi])
            loss = F.cross_entropy(out[0], t[:, 0]) + F.cross_entropy(out[1], t[:, 1]) + F.cross_entropy(out[2], t[:, 2], weight=w_age)
            opt.zero_grad(); loss.backward(); opt.step(); seen += len(bi)
            if time.time() - t0 > minutes * 60: break
        epoch += 1
    print(f"  trained {epoch} epochs ({seen / (time.time() - t0):.0f} images/s) on {len(tr_idx)} images")
    return model

@torch.no_grad()
def predict(model, x, idx):
    model.eval(); outs = [[], [], []]
    for _, b in batches(x, idx, 256, False, None):
        for o, p in zip(outs, model(b.contiguous(memory_format=torch.channels_last))): o.append(p.argmax(1).numpy())
    return np.stack([np.concatenate(o) for o in outs], 1)

def scores(y, p):
    f = lambda a, b: f1_score(a, b, average="macro")
    return dict(mask=f(y[:, 0], p[:, 0]), gender=f(y[:, 1], p[:, 1]), age=f(y[:, 2], p[:, 2]),
                all18=f(encode_label(*y.T), encode_label(*p.T)), acc18=float((encode_label(*y.T) == encode_label(*p.T)).mean()))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None, help="synthetic competition root (default: generate one into bench/out/synth)")
    ap.add_argument("--people", type=int, default=1000); ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--leak", action="store_true", help="also train on a random image split")
    ap.add_argument("--subset", type=int, default=None, help="train on this many of the train people only (small data overfits sooner)")
    a = ap.parse_args(); torch.set_num_threads(2)
    root = Path(a.data) if a.data else Path("bench/out/synth")
    if not (root/"synth.json").exists(): make_competition(root, n_train=a.people, n_eval=a.people // 3, seed=0, overwrite=True)
    df = load_train(root); ev = load_eval(root)
    if a.subset: df = df[df.person_id.isin(sorted(df.person_id.unique())[: a.subset])].reset_index(drop=True)
    ans = pd.read_csv(root/"eval_answers.csv", dtype={"ImageID": str}).set_index("ImageID").loc[ev.ImageID]
    t0 = time.time(); x = load_pixels(df.path); xe = load_pixels(ev.path)
    print(f"{df.person_id.nunique()} train people ({len(df)} images), {len(ev)} eval images; decoded in {time.time() - t0:.0f}s")
    y = df[["mask", "gender", "age_group"]].to_numpy(); ye = ans[["mask", "gender", "age_group"]].to_numpy()
    rows = {}
    folds = person_folds(df).to_numpy(); tr, va = np.where(folds != 0)[0], np.where(folds == 0)[0]
    assert_no_leak(df.iloc[tr], df.iloc[va])
    print("person folds (train folds 1-4, validate fold 0):"); m = train(x, y, tr, a.minutes)
    rows["person split: valid"] = scores(y[va], predict(m, x, va)); rows["person split: eval"] = scores(ye, predict(m, xe, np.arange(len(xe))))
    if a.leak:
        rtr, rva = random_image_split(df, 0.2, seed=0); tr, va = df.index.get_indexer(rtr.index), df.index.get_indexer(rva.index)
        print("random image split (leaky):"); m = train(x, y, tr, a.minutes)
        rows["image split: valid"] = scores(y[va], predict(m, x, va)); rows["image split: eval"] = scores(ye, predict(m, xe, np.arange(len(xe))))
    print(pd.DataFrame(rows).T.round(3).to_string())

if __name__ == "__main__": main()
