"""Notes that come with a week's forecast: a week planned long after the history ends.

A manager who picks a week months past the last traffic row got a forecast that looked like
any other: the model carries the history's level and weekly pattern forward, and its bands are
sized on forecasts a week ahead.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from staffing.forecasting import FAR_AHEAD_DAYS, far_ahead_note, forecast_notes, forecast_week
from staffing.loader import load_store
from tests.staffing.mini_store import write_mini_store

LAST = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("start", "weeks"),
    [
        (LAST + dt.timedelta(days=1), None),  # the week after: the usual plan
        (LAST + dt.timedelta(days=FAR_AHEAD_DAYS + 1), None),  # four weeks without history
        (LAST + dt.timedelta(days=FAR_AHEAD_DAYS + 2), 4),
        (dt.date(2027, 11, 22), 52),
        (LAST + dt.timedelta(days=35), 5),  # five whole weeks on (not 4: helper-39)
    ],
)
def test_a_forecast_far_past_the_history_says_so(start: dt.date, weeks: int | None) -> None:
    note = far_ahead_note(LAST, start)
    if weeks is None:
        assert note is None
    else:
        assert note is not None
        assert note.startswith(f"the forecast starts {weeks} weeks after the history's last day")
        assert f"({LAST})" in note
        assert "Add recent traffic" in note


def test_the_week_s_notes_carry_it_in_the_pipeline(tmp_path: Path) -> None:
    data = load_store(write_mini_store(tmp_path / "store"))
    near, far = dt.date(2026, 11, 23), dt.date(2027, 3, 1)
    _, model = forecast_week(data, near)
    assert not any("after the history's last day" in n for n in forecast_notes(data, near, model))
    _, model = forecast_week(data, far)
    notes = forecast_notes(data, far, model)
    # the last traffic row is Saturday 21 November: the store is closed on Sundays
    assert notes[-1].startswith(
        "the forecast starts 14 weeks after the history's last day (2026-11-21)"
    )
    assert notes[:-1] == tuple(model.report.messages())
