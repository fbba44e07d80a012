"""App timing in a real browser: first page render after the server is healthy, and
``Generate roster`` on the sample store, against the issue's targets (5 s and 15 s). Saves a
screenshot of every page at 1280x900: the roster page to docs/roster.png (in the README), the
others to docs/pages/ (``--shots DIR`` writes them elsewhere). Uses a throw-away database.

    python bench/app.py [--shots DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


PAGES = [  # navigation link, text that shows the page is drawn, file name
    ("Adjust", "Re-solve with minimal change", "adjust"),
    ("Export", "Export for HR and payroll", "export"),
    ("Scenarios", "Run scenario", "scenarios"),
    ("Forecast", "How far to trust it", "forecast"),
    ("Requirements", "Hover a cell", "requirements"),
    ("Store and data", "Channels and targets", "store"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--shots", type=Path, default=ROOT / "docs", help="folder of roster.png and pages/"
    )
    shots = parser.parse_args().shots
    (shots / "pages").mkdir(parents=True, exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
         "true", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "STAFFING_DB": str(Path(tempfile.mkdtemp()) / "bench.sqlite3")},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cpus")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            start = time.perf_counter()
            page.goto(url)
            page.get_by_role("button", name="Generate roster").wait_for(timeout=60_000)
            first = time.perf_counter() - start
            start = time.perf_counter()
            page.get_by_role("button", name="Generate roster").click()
            page.get_by_role("button", name="Download roster (CSV)").wait_for(timeout=300_000)
            generate = time.perf_counter() - start
            page.screenshot(path=str(shots / "roster.png"))
            (ROOT / "docs" / "pages").mkdir(exist_ok=True)
            for link, marker, name in PAGES:
                page.get_by_role("link", name=link).click()
                try:
                    page.get_by_text(marker).first.wait_for(timeout=120_000)
                except Exception:
                    page.screenshot(path=str(shots / "pages" / f"{name}-timeout.png"))
                    raise
                time.sleep(3)  # charts draw after their data arrives
                page.screenshot(path=str(shots / "pages" / f"{name}.png"))
            browser.close()
        print(f"{'measure':<34}{'seconds':>8}{'target':>8}")
        print(f"{'first page rendered':<34}{first:>8.1f}{5:>8}")
        print(f"{'Generate roster (sample store)':<34}{generate:>8.1f}{15:>8}")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
