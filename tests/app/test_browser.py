"""One real-browser run: streamlit serves the app, Debian's Chromium (driven by Playwright) opens
it, clicks ``Generate roster``, downloads the roster CSV and checks it."""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STAFFING_DB": str(tmp_path_factory.mktemp("db") / "app.sqlite3"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("streamlit did not become healthy within 60 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_generate_roster_and_download_csv(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.goto(server)
        button = page.get_by_role("button", name="Generate roster")
        button.wait_for(timeout=60_000)
        button.click()
        download_button = page.get_by_role("button", name="Download roster (CSV)")
        download_button.wait_for(timeout=180_000)
        page.screenshot(path=str(tmp_path / "roster.png"), full_page=False)
        with page.expect_download(timeout=60_000) as info:
            download_button.click()
        target = tmp_path / "roster.csv"
        info.value.save_as(target)
        browser.close()
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) > 50
    assert {"employee_id", "name", "date", "start", "end", "role", "paid_hours", "cost"} <= set(
        rows[0]
    )
    assert all(float(r["paid_hours"]) > 0 for r in rows)
