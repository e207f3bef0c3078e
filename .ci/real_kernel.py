"""Execute every notebook as a user runs it: a real ipykernel (the widget front end detected, as in JupyterLab and Colab),
`IN_TEST` unset, cells in order from the notebook's folder, and a PATH without the folder of the Python that runs the
kernel (nor any folder holding a `maskkit` or `torchrun` command), as with a kernelspec registered from a venv: a
notebook must start the kit and torchrun through `sys.executable -m ...`.

`#| slow` and `#| eval: false` cells are skipped, as nbdev-test skips them (CI time), unless `--slow` is given (by hand:
the slow cells take several minutes); torch threads are capped through OMP_NUM_THREADS, since two notebooks run at once.

    python .ci/real_kernel.py [--slow] [NOTEBOOK ...]      # default: nbs/*.ipynb; exit 1 if any cell raised
"""
import multiprocessing, os, re, shutil, sys, time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

SLOW = re.compile(r"^\s*#\|\s*slow\s*$", re.M)
NO_EVAL = re.compile(r"^\s*#\|\s*eval:\s*false\s*$", re.M)


def path_without_commands(path:str)->str:
    "PATH less the running Python's folder and every folder that holds a `maskkit` or `torchrun` command."
    here = Path(sys.executable).parent.resolve()
    def keep(d):
        if not d or Path(d).resolve() == here: return False
        return not any(shutil.which(c, path=d) for c in ("maskkit", "torchrun"))
    return os.pathsep.join(d for d in path.split(os.pathsep) if keep(d))


def run(path:str, slow:bool=False)->tuple[str, float, str|None]:
    "Execute one notebook in a fresh python3 kernel; `(path, seconds, error or None)`."
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        skip = NO_EVAL.search(c.source) or (SLOW.search(c.source) and not slow)
        if c.cell_type == "code" and skip: c.source = "# skipped here: " + c.source.splitlines()[0]
    t = time.time()
    client = NotebookClient(nb, timeout=1800 if slow else 600, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    try:
        client.execute()
        return path, time.time() - t, None
    except CellExecutionError as e:
        return path, time.time() - t, str(e)[-3000:]


def main(argv:list)->int:
    slow = "--slow" in argv
    paths = [a for a in argv if a != "--slow"] or sorted(str(p) for p in Path("nbs").glob("*.ipynb"))
    os.environ.pop("IN_TEST", None)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MPLBACKEND", "agg")
    os.environ["PATH"] = path_without_commands(os.environ.get("PATH", ""))   # the kernels inherit it
    failed, t0 = [], time.time()
    workers = int(os.environ.get("REAL_KERNEL_WORKERS", 2))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as ex:
        for path, secs, err in ex.map(partial(run, slow=slow), paths):
            print(f"{'ok  ' if err is None else 'FAIL'} {secs:6.1f}s {path}", flush=True)
            if err:
                failed.append(path)
                print(err, flush=True)
    print(f"real kernel: {len(paths) - len(failed)} passed, {len(failed)} failed, {time.time() - t0:.0f}s"
          + (" (slow cells included)" if slow else ""))
    return 1 if failed else 0


if __name__ == "__main__": sys.exit(main(sys.argv[1:]))
