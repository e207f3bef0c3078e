"""Execute every notebook as a user runs it: a real ipykernel (the widget front end detected, as in JupyterLab and Colab),
`IN_TEST` unset, cells in order from the notebook's folder. `#| slow` and `#| eval: false` cells are skipped, as nbdev-test
skips them (CI time); torch threads are capped through OMP_NUM_THREADS, since two notebooks run at once.

    python .ci/real_kernel.py [NOTEBOOK ...]      # default: nbs/*.ipynb; exit 1 if any cell raised
"""
import multiprocessing, os, re, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SKIP = re.compile(r"^\s*#\|\s*(slow|eval:\s*false)\s*$", re.M)

def run(path:str)->tuple[str, float, str|None]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code" and SKIP.search(c.source): c.source = "# skipped here: " + c.source.splitlines()[0]
    t = time.time()
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(Path(path).parent)}}).execute()
        return path, time.time() - t, None
    except CellExecutionError as e: return path, time.time() - t, str(e)[-3000:]

if __name__ == "__main__":
    os.environ.pop("IN_TEST", None); os.environ.setdefault("OMP_NUM_THREADS", "1"); os.environ.setdefault("MPLBACKEND", "agg")
    paths = sys.argv[1:] or sorted(str(p) for p in Path("nbs").glob("*.ipynb"))
    failed, t0 = [], time.time()
    with ProcessPoolExecutor(int(os.environ.get("REAL_KERNEL_WORKERS", 2)), mp_context=multiprocessing.get_context("spawn")) as ex:
        for path, secs, err in ex.map(run, paths):
            print(f"{'ok  ' if err is None else 'FAIL'} {secs:6.1f}s {path}", flush=True)
            if err: failed.append(path); print(err, flush=True)
    print(f"real kernel: {len(paths) - len(failed)} passed, {len(failed)} failed, {time.time() - t0:.0f}s")
    sys.exit(1 if failed else 0)
