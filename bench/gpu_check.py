"""The GPU path in one script (at most 8 minutes on one GPU): what a Colab T4 or a V100/A100 user runs, measured there.

Runs from the project folder without installing the kit (it needs torch, timm and the kit's other requirements):

    PYTHONPATH=. python bench/gpu_check.py            # on a GPU machine; figures printed, and $OUT/gpu_check.json
    PYTHONPATH=. python bench/gpu_check.py --quick    # a smoke test of every section on a CPU (tiny sizes)

1. The precision probe, one candidate at a time: images/s and peak memory of every mode for tf_efficientnet_b3 at
   384x384 and densenet161 at 384x288, batch 32; and bf16 with cuDNN off, a stand-in for a pre-Ampere GPU's emulation.
2. 300 steps of the winners preset's training (from scratch, synthetic photos at 384x384): images/s and the share of
   the loop spent waiting for data, with the loader's prefetch thread and without.
3. Prediction: the batch `predict_batch_size` picks from free memory, and the peak memory of the report's passes.
4. A one-process NCCL group through the kit's collectives (`all_sum`, `gather`, `barrier`).
"""
import argparse, json, os, tempfile, time, traceback
from pathlib import Path
import torch

T0, RESULTS = time.time(), {}

def section(name):
    "Run a section, keep its figures, and go on when it fails (a failure is a figure too)."
    def wrap(fn):
        print(f"\n== {name} ({time.time() - T0:.0f}s in)", flush=True)
        try: RESULTS[name] = fn()
        except Exception as e:
            RESULTS[name] = dict(error=f"{type(e).__name__}: {str(e).splitlines()[0][:300]}")
            traceback.print_exc()
        print(json.dumps(RESULTS[name], indent=1, default=str)[:3000], flush=True)
        return fn
    return wrap

def main(a):
    from maskkit.models import mode_candidates, probe_modes, time_mode
    dev = torch.device("cpu" if a.quick else "cuda")
    big = [("resnet10t", (64, 64), 8)] if a.quick else [("tf_efficientnet_b3", (384, 384), 32), ("densenet161", (384, 288), 32)]

    @section("machine")
    def _():
        if dev.type == "cpu": return dict(device="cpu", torch=torch.__version__)
        p = torch.cuda.get_device_properties(dev)
        return dict(gpu=p.name, capability=f"{p.major}.{p.minor}", memory_gb=round(p.total_memory / 2**30, 1),
                    torch=torch.__version__, bf16_native=torch.cuda.is_bf16_supported(including_emulation=False),
                    bf16_emulated=torch.cuda.is_bf16_supported(including_emulation=True))

    @section("probe")
    def _():
        out = {}
        for name, size, bs in big:
            t = time.time()
            table = probe_modes(name, 18, size, bs, dev, rounds=2, steps=3)
            out[name] = dict(seconds=round(time.time() - t, 1), rows=table.to_dict("records"))
            if dev.type == "cuda":                              # bf16 as a T4 or V100 would run it: no cuDNN kernels
                torch.backends.cudnn.enabled = False
                try: out[name]["bf16_no_cudnn"] = time_mode(name, [18], size, bs, dict(precision="bf16", channels_last=False),
                                                             dev, rounds=1, steps=3)
                finally: torch.backends.cudnn.enabled = True
        return out

    tmp = Path(tempfile.mkdtemp())

    @section("training loop: 300 steps of the winners preset")
    def _():
        from maskkit.synth import make_competition
        from maskkit.data import load_train
        from maskkit.plan import load_preset
        from maskkit.learner import Learner, Interrupted
        from maskkit.callbacks import StopAfter, default_callbacks
        import dataclasses
        people, steps = (30, 6) if a.quick else (400, 300)
        t = time.time()
        root = make_competition(tmp/"synth", n_train=people, n_eval=0, seed=0, progress=False)
        df, made = load_train(root), round(time.time() - t, 1)
        cfg = load_preset("winners").models["all18"]
        cfg = dataclasses.replace(cfg, pretrained=False, epochs=1000, folds=[0], cache_dir=str(tmp/"cache"),
                                  **(dict(model="resnet10t", img_size=(64, 64), batch_size=8) if a.quick else {}))
        out = dict(synth_people=people, synth_s=made)
        for prefetch in (False, True):
            learn = Learner.from_config(df, 0, cfg, tmp/f"run{int(prefetch)}", dev,
                                        default_callbacks(cfg, False) + [StopAfter(steps)], False)
            dl, waited = learn.data.train_dl, [0.0]
            dl.prefetch, plain = prefetch, dl.iter_epoch
            def timed(*args, **kw):
                it = plain(*args, **kw)
                while True:
                    t1 = time.perf_counter()
                    try: b = next(it)
                    except StopIteration: return
                    waited[0] += time.perf_counter() - t1
                    yield b
            dl.iter_epoch = timed
            t = time.perf_counter()
            try: learn.fit()
            except Interrupted: pass
            if dev.type == "cuda": torch.cuda.synchronize()
            sec = time.perf_counter() - t
            n = learn.state["step"] * cfg.batch_size
            out["prefetch" if prefetch else "serial"] = dict(
                steps=learn.state["step"], seconds=round(sec, 1), images_per_s=round(n / sec, 1),
                waiting_for_data=round(waited[0] / sec, 3), mode=f"{learn.precision}")
            del learn
        return out

    @section("prediction: batch from free memory, peaks")
    def _():
        from maskkit.models import create_model, free_memory
        from maskkit.runs import predict_batch_size
        from maskkit.models import autocast
        out = {}
        for name, size, _ in big:
            model = create_model(name, [3, 2, 3]).to(dev).eval()
            for prec in ["fp32"] + ([] if dev.type == "cpu" else ["fp16"]):
                bs = predict_batch_size(model, size, dev, prec)
                if dev.type == "cuda":
                    free_memory(dev)
                    torch.cuda.reset_peak_memory_stats(dev)
                with torch.no_grad(), autocast(dev, prec):
                    model(torch.zeros(bs, 3, *size, device=dev))
                    model.features(torch.zeros(bs, 3, *size, device=dev))
                peak = round(torch.cuda.max_memory_allocated(dev) / 2**30, 2) if dev.type == "cuda" else None
                out[f"{name} {prec}"] = dict(batch=bs, peak_gb=peak)
            del model
            free_memory(dev)
        return out

    @section("one-process NCCL group through the kit's collectives")
    def _():
        import torch.distributed as dist
        from maskkit.runs import all_sum, barrier, gather, group_device
        if dev.type == "cpu": return dict(skipped="no GPU: NCCL needs one")
        os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
        os.environ.setdefault("MASTER_PORT", "29533")
        torch.cuda.set_device(0)
        dist.init_process_group("nccl", rank=0, world_size=1)
        try:
            barrier()
            return dict(device=str(group_device()), all_sum=all_sum([1.0, 2.5]), gather=gather({"rank": 0}))
        finally: dist.destroy_process_group()

    RESULTS["seconds"] = round(time.time() - T0, 1)
    if os.environ.get("OUT"):
        Path(os.environ["OUT"], "gpu_check.json").write_text(json.dumps(RESULTS, indent=1, default=str))
    print(f"\nall sections in {RESULTS['seconds']}s")

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="every section on a CPU at tiny sizes (a smoke test)")
    main(ap.parse_args())
