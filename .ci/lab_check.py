"""Open a notebook in JupyterLab in headless Chromium, as a user would: no "Select Kernel" dialog, Run All with no
error output, every cell executed, then move the 60+ threshold slider and see the F1 label change.

    python .ci/lab_check.py [NOTEBOOK]      # default nbs/14_threshold.ipynb; needs jupyterlab, playwright and chromium

Exit 0 when it all held, 1 when something did not, 2 when a tool is missing (then nothing was checked)."""
import json, os, shutil, socket, subprocess, sys, tempfile, time
from pathlib import Path

def free_port()->int:
    with socket.socket() as s: s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def main(nb:str="nbs/14_threshold.ipynb")->int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try: from playwright.sync_api import sync_playwright; import jupyterlab  # noqa: F401
    except ImportError as e: print(f"lab check skipped: {e.name} is not installed"); return 2
    if not chromium: print("lab check skipped: no chromium (Debian package `chromium`)"); return 2
    nb, port, token = Path(nb).resolve(), free_port(), "maskkit-lab-check"
    env = {k: v for k, v in os.environ.items() if k != "IN_TEST"}
    home = Path(tempfile.mkdtemp(prefix="lab-check-"))           # fresh settings and workspaces: what a new user sees
    repo = nb.parent.parent                                      # a copy of the notebooks (JupyterLab saves what it runs)
    shutil.copytree(nb.parent, home/"repo"/nb.parent.name); nb = home/"repo"/nb.parent.name/nb.name
    for extra in ("tests", "README.md"):
        if (repo/extra).is_dir(): shutil.copytree(repo/extra, home/"repo"/extra)
        elif (repo/extra).is_file(): shutil.copy(repo/extra, home/"repo"/extra)
    tracker = home/"settings"/"@jupyterlab"/"notebook-extension"/"tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)                           # every cell in the page, so every prompt can be counted
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    lab = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", f"--ServerApp.token={token}",
                            f"--ServerApp.root_dir={nb.parent}", f"--LabApp.user_settings_dir={home}/settings", f"--LabApp.workspaces_dir={home}/ws"] + (["--allow-root"] if os.geteuid() == 0 else []),
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0, problems = time.time(), []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            for _ in range(60):
                try: page.goto(f"http://127.0.0.1:{port}/lab/tree/{nb.name}?token={token}", timeout=5000); break
                except Exception: time.sleep(1)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
            idle = lambda: page.locator(".jp-StatusBar-TextItem", has_text="Idle").count() > 0
            page.wait_for_function("() => [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(e => e.textContent.includes('Idle'))", timeout=60000)
            if page.locator(".jp-Dialog:has-text('Select Kernel')").count(): problems.append("a Select Kernel dialog opened")
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
            n = sum(c["cell_type"] == "code" for c in json.loads(nb.read_text())["cells"]); deadline = time.time() + 600
            while time.time() < deadline:
                prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_text_contents()   # off-screen cells too
                done = sum(t.strip().startswith("[") and t.strip()[1:-2].strip().isdigit() for t in prompts)
                if done >= n and idle(): break
                time.sleep(2)
            else: problems.append(f"Run All did not finish in 10 minutes ({done} of {n} cells)")
            errors = sum("Traceback" in t or "Error" in t.split("\n")[0] for t in
                         page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_text_contents())
            if errors: problems.append(f"{errors} cell(s) show a traceback")
            ran = f"Run All: {done} of {n} cells in {time.time() - t0:.0f}s"
            slider = page.locator(".widget-hslider").first
            if not slider.count(): problems.append("no threshold slider (no widget front end?)")
            else:
                label = page.locator(".widget-html-content", has_text="macro F1").first
                before = label.inner_text(); handle = slider.locator(".noUi-handle").first
                handle.focus(); [page.keyboard.press("ArrowLeft") for _ in range(20)]; page.wait_for_timeout(3000)
                after = label.inner_text()
                if after == before: problems.append(f"moving the slider did not change the label ({before!r})")
                ran += f"; slider moved: {before!r} -> {after!r}"
            page.screenshot(path=str(Path(tempfile.gettempdir())/"lab_check.png"))
            b.close()
    finally:
        lab.terminate(); lab.wait(30); shutil.rmtree(home, ignore_errors=True)
    print(ran if "ran" in dir() else "JupyterLab did not open the notebook")
    for q in problems: print("FAIL:", q)
    print(f"lab check: {'passed' if not problems else 'failed'} in {time.time() - t0:.0f}s")
    return 1 if problems else 0

if __name__ == "__main__": sys.exit(main(*sys.argv[1:]))
