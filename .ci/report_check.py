"""Open a run's report.html in headless Chromium, as a competitor reads it: every image loaded, every table rendered,
no console error; a screenshot is written beside the report (report.png).

    python .ci/report_check.py [RUN_FOLDER]            # default runs/main
    python .ci/report_check.py runs/main --self-test   # also: a copy missing one figure must fail the check

Exit 0 when it all held, 1 when something did not, 2 when a tool is missing (then nothing was checked)."""
import re, shutil, sys, tempfile
from pathlib import Path

def problems(report:Path, shot:Path|None=None)->list[str]:
    "What is wrong with `report` as Chromium shows it (empty: nothing)."
    from playwright.sync_api import sync_playwright
    found, errors = [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = b.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(report.resolve().as_uri(), wait_until="load")
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth])")
        found += [f"image {src} did not load" for src, width in images if not width]
        tables = page.eval_on_selector_all("table", "els => els.map(e => e.querySelectorAll('tbody tr').length)")
        found += [f"table {i + 1} has no rows" for i, rows in enumerate(tables) if not rows]
        if not images: found.append("no image at all")
        if not tables: found.append("no table at all")
        found += [f"console: {e}" for e in errors]
        if shot: page.screenshot(path=str(shot), full_page=True)
        b.close()
    print(f"{report}: {len(images)} images, {len(tables)} tables, {len(errors)} console errors")
    return found

def chromium()->str|None: return shutil.which("chromium") or shutil.which("chromium-browser")

def self_test(run:Path)->list[str]:
    "A copy of the run's report with one figure removed must fail the check."
    tmp = Path(tempfile.mkdtemp(prefix="report-check-"))
    try:
        copy = shutil.copytree(run, tmp/"run", ignore=shutil.ignore_patterns("runs", "steps", "*.npz", "*.npy"))
        first = re.findall(r'<img[^>]*\ssrc="([^"]+)"', (copy/"report.html").read_text())[0]
        (copy/first).unlink()
        seen = problems(copy/"report.html")
        return [] if any(first in s for s in seen) else [f"with {first} removed, the check still passed: {seen}"]
    finally: shutil.rmtree(tmp, ignore_errors=True)

def main(run:str="runs/main", *flags)->int:
    try: import playwright  # noqa: F401
    except ImportError: print("report check skipped: playwright is not installed"); return 2
    if not chromium(): print("report check skipped: no chromium (Debian package `chromium`)"); return 2
    run = Path(run)
    found = problems(run/"report.html", run/"report.png")
    if "--self-test" in flags: found += self_test(run)
    for f in found: print("  -", f)
    print("report check:", "failed" if found else f"passed (screenshot {run/'report.png'})")
    return 1 if found else 0

if __name__ == "__main__": sys.exit(main(*sys.argv[1:]))
