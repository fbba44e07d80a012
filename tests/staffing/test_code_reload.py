"""Data loaded before Streamlit reloads the code (its file watcher, on an edit) is read alike by
the reloaded code: enum members are compared by value, not identity. With ``is``, a cached
store's e-mail channel was no longer deferred work to the reloaded modules, and was sized as
walk-ins until the app was restarted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_CODE = """
import sys
import pandas as pd
from staffing.loader import load_store

def sized(data, compute):
    week = data.default_week()
    step = data.store.interval_minutes
    stamps = pd.date_range(pd.Timestamp(week), periods=7 * 24 * 60 // step, freq=f"{step}min")
    frames = [
        pd.DataFrame({"timestamp": stamps, "channel": c.id, "forecast": 12.0, "lo80": 10.0,
                      "hi80": 14.0, "lo95": 9.0, "hi95": 15.0})
        for c in data.store.channels
    ]
    return compute(data, pd.concat(frames, ignore_index=True), week).channels

cached = load_store("sample_data/store")
for name in [m for m in sys.modules if m == "staffing" or m.startswith("staffing.")]:
    del sys.modules[name]  # what Streamlit's reload does to the modules it watches
from staffing.loader import load_store
from staffing.requirements import compute_requirements
before = sized(cached, compute_requirements)
after = sized(load_store("sample_data/store"), compute_requirements)
pd.testing.assert_frame_equal(before, after)
print("same")
"""


def test_data_cached_before_a_code_reload_is_sized_alike() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CODE], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "same" in done.stdout
