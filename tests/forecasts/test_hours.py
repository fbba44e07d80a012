"""Opening hours read from a history: recent weeks, and intervals with rows on most dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from forecasts import Calendar, backtest, fit_forecast, observed_hours

NINE_TO_FIVE = (dt.time(9, 0), dt.time(17, 0))


def _shop(days: int = 56, start: str = "2024-01-01", hours: range = range(9, 17)) -> pd.DataFrame:
    """Tills Monday to Saturday, rows only in ``hours``; 20 contacts an hour, 30 at noon."""
    stamps = pd.date_range(start, periods=days * 24, freq="h")
    keep = stamps.hour.isin(hours) & (stamps.day_of_week < 6)
    frame = pd.DataFrame({"timestamp": stamps[keep], "channel": "tills", "volume": 20.0})
    frame.loc[frame["timestamp"].dt.hour == 12, "volume"] = 30.0
    return frame


def _with_row(frame: pd.DataFrame, stamp: str) -> pd.DataFrame:
    row = pd.DataFrame({"timestamp": [pd.Timestamp(stamp)], "channel": "tills", "volume": 1.0})
    return pd.concat([frame, row], ignore_index=True)


def test_one_stray_after_hours_row_does_not_open_that_hour_every_week() -> None:
    """A till row on one Saturday at 21:00 made every Saturday 'miss' 21:00: all of them were
    dropped as incomplete and the forecast put traffic at 21:00 (reviewer's stray_row.sh)."""
    frame = _with_row(_shop(), "2024-01-06 21:00")  # the first Saturday
    seen = observed_hours(frame, 60)
    assert seen.hours[5] == NINE_TO_FIVE
    assert seen.outside_rows == 1
    assert seen.first_outside == (dt.datetime(2024, 1, 6, 21, 0), "tills")
    assert "1 row(s) outside these hours ignored" in seen.describe()[-1]
    model = fit_forecast(frame, Calendar(country=None, opening_hours=seen.hours))
    assert model.report.channels[0].gaps == ()
    fc = model.forecast(dt.date(2024, 2, 26), 7).set_index("timestamp")["forecast"]
    assert fc.loc["2024-03-02 21:00"] == 0.0
    assert fc.loc["2024-03-02 09:00":"2024-03-02 16:00"].sum() == pytest.approx(170.0, rel=0.05)


def test_a_stray_row_in_the_recent_weeks_is_outvoted_too() -> None:
    frame = _with_row(_shop(), "2024-02-24 20:00")  # the last Saturday
    assert observed_hours(frame, 60).hours[5] == NINE_TO_FIVE


def test_hours_changed_partway_are_read_from_the_recent_weeks() -> None:
    """A shop that opened 08:00-18:00 and, from six weeks before the end, 09:00-17:00: its
    recent days had been 'missing' 08:00 and 17:00 and were dropped from the fit."""
    old = _shop(days=56, hours=range(8, 18))
    new = _shop(days=42, start="2024-02-26")
    seen = observed_hours(pd.concat([old, new], ignore_index=True), 60)
    assert (seen.first, seen.last) == (dt.date(2024, 2, 11), dt.date(2024, 4, 6))  # 8 weeks
    assert seen.hours[0] == NINE_TO_FIVE
    assert seen.outside_rows == 2 * 48  # 08:00 and 17:00 on the 48 old open days


def test_a_week_day_open_on_one_date_of_eight_stays_closed() -> None:
    frame = _shop()
    sunday = pd.DataFrame(
        {"timestamp": pd.date_range("2024-02-18 10:00", periods=4, freq="h"), "channel": "tills"}
    ).assign(volume=5.0)
    seen = observed_hours(pd.concat([frame, sunday], ignore_index=True), 60)
    assert seen.hours[6] is None
    assert seen.outside_rows == 4


def test_backtest_reads_the_hours_at_each_origin_from_the_history_before_it() -> None:
    """The command line took the opening hours from the whole history, the weeks being
    forecast included (a mild leak): here the shop opens on Sunday for the first time in the
    week forecast, and the forecast knew it."""
    frame = _shop(days=49)
    sunday = pd.date_range("2024-02-18 09:00", periods=8, freq="h")
    frame = pd.concat([frame, pd.DataFrame({"timestamp": sunday, "channel": "tills"})])
    frame = frame.fillna({"volume": 20.0})
    hours = dict.fromkeys(range(7), NINE_TO_FIVE)  # as the whole history shows them
    leaky = backtest(frame, Calendar(country=None, opening_hours=hours), origins=1).predictions
    result = backtest(
        frame, Calendar(country=None, opening_hours=hours), origins=1, hours_from_history=True
    )
    pred = result.predictions
    on_sunday = pd.to_datetime(pred["timestamp"]).dt.day_of_week == 6
    assert on_sunday.sum() == 8
    assert (pred.loc[on_sunday, "actual"] == 20.0).all()  # scored with the calendar's hours
    assert (pred.loc[on_sunday, "ours"] == 0.0).all()  # closed on Sundays before the origin
    assert (leaky.loc[on_sunday, "ours"] > 0.0).all()
