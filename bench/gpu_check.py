"""The GPU path in one script (at most 8 minutes on one GPU): what a Colab T4 or a V100/A100 user runs, measured there.

Runs from the project folder on a bare GPU image (torch, timm and the usual data libraries, no network): the wheels
it lacks come from `bench/gpu_wheels.sh DIR` (run where there is a network) and are installed with
`pip install --no-index --no-deps --target`, nothing else. Every section is a figure in `$OUT/gpu_check.json` (or
`gpu_check.json` here); a failing section is recorded with its error and the next one runs.

    python bench/gpu_check.py --wheels DIR            # on a GPU machine
    python bench/gpu_check.py --quick [--wheels DIR]  # every section on a CPU at tiny sizes (CUDA-only parts say so)

1. machine: the GPU, its memory, native bf16.
2. probe: every candidate mode (fp16 + GradScaler, a T4's path, among them) one at a time: images/s, peak memory,
   and the memory left allocated after each (it must go back to the baseline).
3. kit loop: the winners preset's training in fp16 and in the mode the probe picks: images/s, the GPU-busy share (CUDA
   events around each step against wall time), and 50 steps under `torch.cuda.set_sync_debug_mode("warn")` listing
   every host sync's site (on a CPU: `maskkit.losses.HostSyncs` over the same steps).
4. plain loop: the probe's bare step (the same timm model, batch, precision and optimizer on tensors already on the
   device) and the ratio of the kit's loop to it, which is the plan's fit efficiency (written to the cache folder,
   where the plan reads it, when measured on a GPU).
5. T4 stand-in: 15 GiB of this GPU (`set_per_process_memory_fraction`) and 2 CPU threads: what `batch_size: auto` and
   the probe pick, and whether validation at the predicted batch fits.
6. page cache: the loader's images/s with the image cache evicted (`posix_fadvise`) against warm.
7. resume: a fold killed mid-epoch and resumed: step time before and after, weights and loss against a straight run.
8. the rest: `cudnn.benchmark` on against off, the seconds of a checkpoint save, prediction peaks, a one-process NCCL
   group through the kit's collectives.
"""
import argparse, contextlib, dataclasses, glob, json, os, subprocess, sys, tempfile, time, traceback, warnings
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
T0, RESULTS = time.time(), {}

def install_wheels(folder:Path):
    "Install the carried wheels into `folder/site` (no index, no dependencies) and put it first on the path."
    site = folder/"site"
    wheels = sorted(glob.glob(str(folder/"*.whl")))
    if wheels and not site.is_dir():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--target",
                        str(site), *wheels], check=True)
    sys.path.insert(0, str(site))

def section(name):
    "Run a section, keep its figures, and go on when it fails (a failure is a figure too)."
    def wrap(fn):
        print(f"\n== {name} ({time.time() - T0:.0f}s in)", flush=True)
        try: RESULTS[name] = fn()
        except Exception as e:
            RESULTS[name] = dict(error=f"{type(e).__name__}: {str(e).splitlines()[0][:300] if str(e) else ''}")
            traceback.print_exc()
        print(json.dumps(RESULTS[name], indent=1, default=str)[:3000], flush=True)
        return fn
    return wrap

def allocated(dev)->float:
    "GiB allocated on `dev` now (NaN on a CPU)."
    return round(torch.cuda.memory_allocated(dev) / 2**30, 3) if dev.type == "cuda" else float("nan")

class StepClock:
    "Wall time of every step and, on CUDA, GPU time between events recorded around it."
    def __init__(self, dev): self.dev, self.marks, self.walls = dev, [], []
    def start(self):
        self.t = time.perf_counter()
        if self.dev.type == "cuda":
            self.e0 = torch.cuda.Event(enable_timing=True)
            self.e0.record()
    def stop(self):
        if self.dev.type == "cuda":
            e1 = torch.cuda.Event(enable_timing=True)
            e1.record()
            self.marks.append((self.e0, e1))
        self.walls.append(time.perf_counter() - self.t)
    def gpu_s(self)->float:
        if self.dev.type != "cuda": return float("nan")
        torch.cuda.synchronize()
        return sum(a.elapsed_time(b) for a, b in self.marks) / 1000

def main(a):
    from maskkit.models import (autocast, auto_batch, free_memory, largest_batch, leanest_mode, mode_candidates,
                                mode_name, pick_mode, probe_modes, time_mode, _timed_steps, _train_step_fn)
    from maskkit.synth import make_competition
    from maskkit.data import load_train
    from maskkit.plan import load_preset
    from maskkit.learner import Learner, Interrupted
    from maskkit.callbacks import Checkpoint, StopAfter, default_callbacks
    from maskkit.losses import HostSyncs
    from maskkit.pipeline import BatchLoader
    from maskkit.runs import predict_batch_size
    from maskkit.core import atomic_json, cache_folder, read_json
    dev = torch.device("cpu" if a.quick or not torch.cuda.is_available() else "cuda")
    cuda = dev.type == "cuda"
    tmp = Path(tempfile.mkdtemp())
    size, bs, steps = ((64, 64), 8, 8) if a.quick else ((384, 384), 32, 60)
    people = 30 if a.quick else 120
    cfg0 = load_preset("winners").models["all18"]
    cfg0 = dataclasses.replace(cfg0, pretrained=False, epochs=1000, folds=[0], cache_dir=str(tmp/"cache"),
                               crop=[0.1, 0.9], background="keep", img_size=size, batch_size=bs,
                               **(dict(model="resnet10t") if a.quick else {}))
    root = make_competition(tmp/"synth", n_train=people, n_eval=0, seed=0, progress=False)
    df = load_train(root)

    @section("machine")
    def _():
        if not cuda: return dict(device="cpu", torch=torch.__version__, threads=torch.get_num_threads())
        p = torch.cuda.get_device_properties(dev)
        return dict(gpu=p.name, capability=f"{p.major}.{p.minor}", memory_gb=round(p.total_memory / 2**30, 1),
                    torch=torch.__version__, bf16_native=torch.cuda.is_bf16_supported(including_emulation=False))

    @section("probe")
    def _():
        base, rows = allocated(dev), []
        for mode in mode_candidates(dev):
            r = time_mode(cfg0.model, [18], size, bs, mode, dev, rounds=2, steps=3)
            rows.append(dict(r, left_allocated_gb=round(allocated(dev) - base, 3)))
        picked = pick_mode(probe_modes(cfg0.model, 18, size, bs, dev, rounds=1, steps=2, log=lambda *_: None))
        return dict(rows=rows, picked=mode_name(picked), fp16_candidate=any(r["precision"] == "fp16" for r in rows))

    def kit_loop(mode:dict, n:int, tag:str, syncs:bool=False)->dict:
        "`n` steps of the winners loop in `mode`: images/s, the GPU-busy share, and (asked) the host syncs' sites."
        cfg = dataclasses.replace(cfg0, **mode)
        clock = StepClock(dev)
        learn = Learner.from_config(df, 0, cfg, tmp/f"loop_{tag}", dev, default_callbacks(cfg, False) + [StopAfter(n)],
                                    False)
        plain_step = learn.train_step
        seen = []
        def timed_step():
            clock.start()
            if syncs and not cuda:
                with HostSyncs() as h: plain_step()
                seen.extend(h.seen)
            else: plain_step()
            clock.stop()
        learn.train_step = timed_step
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if syncs and cuda: torch.cuda.set_sync_debug_mode("warn")
            t = time.perf_counter()
            try: learn.fit()
            except Interrupted: pass
            if cuda: torch.cuda.synchronize()
            wall = time.perf_counter() - t
            if cuda: torch.cuda.set_sync_debug_mode(0)
        if syncs and cuda:
            seen = [f"{Path(w.filename).name}:{w.lineno}" for w in caught if "synchroniz" in str(w.message)]
        k = min(5, len(clock.walls) // 2)                                 # the first steps: warm-up, not counted
        steady = sum(clock.walls[k:])
        out = dict(mode=mode_name(dict(precision=learn.precision, channels_last=cfg.channels_last)),
                   batch=learn.data.train_dl.bs, steps=len(clock.walls), wall_s=round(wall, 2),
                   images_per_s=round((len(clock.walls) - k) * learn.data.train_dl.bs / steady, 1),
                   gpu_busy_share=round(clock.gpu_s() / sum(clock.walls), 3) if cuda else None)
        if syncs: out["host_syncs"] = {s: seen.count(s) for s in sorted(set(seen))}
        del learn
        free_memory(dev)
        return out

    loops = {}
    @section("kit loop")
    def _():
        picked = RESULTS.get("probe", {}).get("picked", "fp32/nchw")
        prec, layout = picked.split("/")
        picked = dict(precision=prec, channels_last=layout == "channels_last")
        if cuda: loops["fp16"] = kit_loop(dict(precision="fp16", channels_last=True), steps, "fp16")
        loops["picked"] = kit_loop(picked, steps, "picked")
        loops["syncs"] = kit_loop(picked, 50 if cuda else 4, "syncs", syncs=True)
        return loops

    @section("plain loop")
    def _():
        k = loops["picked"]
        prec, layout = k["mode"].split("/")
        mode = dict(precision=prec, channels_last=layout == "channels_last")
        step = _train_step_fn(cfg0.model, [18], size, k["batch"], mode, dev)
        sec = _timed_steps(step, dev, 2, 5 if not a.quick else 2, 0.0)
        del step
        free_memory(dev)
        plain = round(k["batch"] / sec, 1)
        ratio = round(k["images_per_s"] / plain, 3)
        if cuda:                                                      # the plan's fit efficiency on this GPU
            f = cache_folder()/"fit_efficiency.json"
            atomic_json(f, {**(read_json(f) or {}), torch.cuda.get_device_name(dev): ratio})
        return dict(mode=k["mode"], plain_images_per_s=plain, kit_images_per_s=k["images_per_s"], kit_over_plain=ratio)

    @section("T4 stand-in")
    def _():
        if not cuda: return dict(skipped="needs CUDA: a memory fraction of a GPU")
        threads = torch.get_num_threads()
        torch.cuda.set_per_process_memory_fraction(min(1.0, 15 * 2**30 / torch.cuda.get_device_properties(dev).total_memory))
        torch.set_num_threads(2)
        try:
            auto = auto_batch(cfg0.model, [18], size, dev, cache_dir=tmp/"t4")
            fp16 = dict(precision="fp16", channels_last=True)
            fits = largest_batch(cfg0.model, [18], size, dev, fp16, start=32)
            from maskkit.models import create_model
            m = create_model(cfg0.model, [18], False).to(dev).eval()
            pb = predict_batch_size(m, size, dev, "fp16")
            with torch.no_grad(), autocast(dev, "fp16"): m(torch.zeros(pb, 3, *size, device=dev))
            del m
            return dict(auto_batch=auto, largest_fp16_batch=fits, predict_batch=pb, validation_fits=True)
        finally:
            torch.cuda.set_per_process_memory_fraction(1.0)
            torch.set_num_threads(threads)
            free_memory(dev)

    @section("page cache: cold against warm")
    def _():
        from maskkit.config import photo_cache
        cache = photo_cache(df.path, cfg0, progress=False)
        f = getattr(cache.arr, "filename", None)
        bl = BatchLoader(cache, (df.label.to_numpy()), batch_size=bs, shuffle=True, drop_last=True, device=dev)
        def rate(cold:bool)->float:
            if cold and f:
                fd = os.open(f, os.O_RDONLY)
                try: os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                finally: os.close(fd)
            t, n = time.perf_counter(), 0
            for rows, x, y, _ in bl.iter_epoch(0, seed_fn=lambda b: b): n += len(rows)
            if cuda: torch.cuda.synchronize()
            return round(n / (time.perf_counter() - t), 1)
        rate(False)
        return dict(cache_file=str(f), cache_mb=round(Path(f).stat().st_size / 2**20, 1) if f else None,
                    warm_images_per_s=rate(False), cold_images_per_s=rate(True))

    @section("resume mid-fold")
    def _():
        cfg = dataclasses.replace(cfg0, precision="fp32", channels_last=False, ckpt_every=steps // 2)
        def run(folder, stop, clock):
            learn = Learner.from_config(df, 0, cfg, folder, dev, default_callbacks(cfg, False) + [StopAfter(stop)], False)
            plain = learn.train_step
            def timed():
                clock.start()
                plain()
                clock.stop()
            learn.train_step = timed
            try: learn.fit()
            except Interrupted: pass
            return learn
        c1, c2, c3 = StepClock(dev), StepClock(dev), StepClock(dev)
        straight = run(tmp/"straight", steps, c1)
        run(tmp/"killed", steps // 2 + 1, c2)                    # killed one step past its checkpoint
        resumed = run(tmp/"killed", steps // 2, c3)              # started again: from the checkpoint, to the same step
        diff = max((p - q).abs().max().item() for p, q in zip(straight.model.parameters(), resumed.model.parameters()))
        loss = lambda l: (l.state["loss_sum"] + float(l.loss_acc)) / max(l.state["loss_n"], 1)
        med = lambda c: round(sorted(c.walls[1:])[len(c.walls[1:]) // 2], 4) if len(c.walls) > 1 else None
        return dict(step_s_before=med(c2), step_s_after=med(c3), steps_after=resumed.state["step"],
                    max_weight_diff=diff, loss_straight=round(loss(straight), 6), loss_resumed=round(loss(resumed), 6))

    @section("cudnn.benchmark, checkpoint save, prediction peaks, NCCL")
    def _():
        out = {}
        mode = dict(precision="fp16" if cuda else "fp32", channels_last=cuda)
        if cuda:
            for on in (False, True):
                torch.backends.cudnn.benchmark = on
                out[f"cudnn_benchmark_{'on' if on else 'off'}"] = time_mode(cfg0.model, [18], size, bs, mode, dev)["images_per_s"]
            torch.backends.cudnn.benchmark = True
        else: out["cudnn_benchmark"] = "skipped: needs CUDA"
        learn = Learner.from_config(df, 0, cfg0, tmp/"ckpt", dev, [Checkpoint()], False)
        cb = learn.cbs[0]
        learn("before_fit")
        t = time.perf_counter()
        cb.save()
        copied = time.perf_counter() - t
        cb.wait()
        out.update(checkpoint_copy_s=round(copied, 3), checkpoint_total_s=round(time.perf_counter() - t, 3),
                   checkpoint_mb=round((tmp/"ckpt/fold0/last.pt").stat().st_size / 2**20, 1))
        m = learn.model.eval()
        for prec in ["fp32"] + (["fp16"] if cuda else []):
            pb = predict_batch_size(m, size, dev, prec)
            if cuda:
                free_memory(dev)
                torch.cuda.reset_peak_memory_stats(dev)
            with torch.no_grad(), autocast(dev, prec): m(torch.zeros(pb, 3, *size, device=dev))
            out[f"predict_{prec}"] = dict(batch=pb, peak_gb=round(torch.cuda.max_memory_allocated(dev) / 2**30, 2)
                                          if cuda else None)
        del learn, m
        free_memory(dev)
        out["nccl"] = nccl_group() if cuda else "skipped: needs CUDA"
        return out

    RESULTS["seconds"] = round(time.time() - T0, 1)
    RESULTS["sections_in_error"] = [k for k, v in RESULTS.items() if isinstance(v, dict) and "error" in v]
    out = Path(os.environ.get("OUT", ROOT/"runs"))/"gpu_check.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(RESULTS, indent=1, default=str))
    print(f"\n{len(RESULTS) - 2} sections in {RESULTS['seconds']}s, in error: {RESULTS['sections_in_error']}; {out}")

def nccl_group()->dict:
    "A one-process NCCL group through the kit's collectives."
    import torch.distributed as dist
    from maskkit.runs import all_sum, barrier, gather, group_device
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29533")
    torch.cuda.set_device(0)
    dist.init_process_group("nccl", rank=0, world_size=1)
    try:
        barrier()
        return dict(device=str(group_device()), all_sum=all_sum([1.0, 2.5]), gather=gather({"rank": 0}))
    finally: dist.destroy_process_group()

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="every section on a CPU at tiny sizes (a smoke test)")
    ap.add_argument("--wheels", type=Path, help="the folder bench/gpu_wheels.sh filled (installed with --no-index)")
    args = ap.parse_args()
    if args.wheels: install_wheels(args.wheels.resolve())
    sys.path.insert(0, str(ROOT))                                  # the kit itself, from this checkout
    if args.quick: torch.set_num_threads(min(2, torch.get_num_threads()))
    main(args)
