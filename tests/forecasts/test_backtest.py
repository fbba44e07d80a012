"""The backtest's input errors: too little history is a :class:`forecasts.HistoryError` that
names how much history there is and how much is needed (it was a plain ValueError, which the
CLI did not catch: a traceback instead of exit status 2)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasts import HistoryError, backtest
from forecasts._baselines import weekday_median
from tests.forecasts._synthetic import CALENDAR, make_history

#: A Monday; the synthetic shop is closed on Sundays, so a history ends on its last open day.
START = dt.date(2023, 3, 6)


def _days(frame: pd.DataFrame, days: int) -> pd.DataFrame:
    return frame[frame["timestamp"] < pd.Timestamp(START + dt.timedelta(days=days))]


@pytest.fixture(scope="module")
def six_weeks() -> pd.DataFrame:
    frame, _ = make_history(START, weeks=6, seed=3)
    return frame


def test_short_history_names_what_it_has_and_what_it_needs(six_weeks: pd.DataFrame) -> None:
    """33 days of rows (Mon 2023-03-06 .. Fri 04-07); 8 weekly origins and a 7-day horizon
    need 29 + 7 * 7 + 7 = 85 days."""
    with pytest.raises(HistoryError) as caught:
        backtest(_days(six_weeks, 33), CALENDAR)
    message = str(caught.value)
    assert "the history has 33 days (2023-03-06 .. 2023-04-07)" in message
    assert "8 weekly origin(s) and a 7-day horizon needs at least 85 days" in message


def test_one_origin_needs_29_days_before_it_plus_the_horizon(six_weeks: pd.DataFrame) -> None:
    """The boundary: 34 days (to Sat 04-08; Sunday has no rows) are one short of 29 + 7 = 36,
    36 days (to Mon 04-10) are enough and put the origin on day 30 (Tue 04-04)."""
    with pytest.raises(HistoryError, match="has 34 days .* needs at least 36 days"):
        backtest(_days(six_weeks, 35), CALENDAR, origins=1)
    result = backtest(_days(six_weeks, 36), CALENDAR, origins=1)
    assert result.origins == (dt.date(2023, 4, 4),)


def test_an_explicit_origin_too_early_names_its_days_before(six_weeks: pd.DataFrame) -> None:
    with pytest.raises(HistoryError, match="first origin 2023-03-20 has 14 days of history"):
        backtest(six_weeks, CALENDAR, origin_dates=[dt.date(2023, 3, 20), dt.date(2023, 4, 10)])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"origins": 0}, "origins=0"), ({"origin_dates": []}, "origin_dates is empty")],
)
def test_no_origins_is_a_programming_error_not_a_history_error(
    six_weeks: pd.DataFrame, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        backtest(six_weeks, CALENDAR, **kwargs)  # type: ignore[arg-type]
    assert not isinstance(caught.value, HistoryError)


def test_weekday_median_takes_the_last_four_usable_same_week_days() -> None:
    """The second baseline (a planner's 4-week median): hand-checked on a 6-week grid of one
    interval a day, with day 35 (the last Monday before the origin) unusable."""
    grid = np.arange(42, dtype=float)[:, None] * np.array([[1.0, 2.0]])
    usable = np.ones(42, dtype=bool)
    usable[35] = False
    out = weekday_median(grid, usable, origin=42, horizon=8)
    # Monday 42: days 28, 21, 14, 7 (35 unusable) -> median 17.5; Tuesday 43: 36, 29, 22, 15
    assert out[0].tolist() == [17.5, 35.0]
    assert out[1].tolist() == [25.5, 51.0]
    # day 49 (a week ahead) uses the same weeks as day 42, never the days after the origin
    assert out[7].tolist() == out[0].tolist()
    assert weekday_median(grid, np.zeros(42, dtype=bool), 42, 1).tolist() == [[0.0, 0.0]]


def test_backtest_reports_the_median_baseline(six_weeks: pd.DataFrame) -> None:
    result = backtest(six_weeks, CALENDAR, origins=1)
    assert list(result.table["model"]) == ["ours", "seasonal_naive", "median_4wk", "mstl_ets"]
    text = result.to_text()
    assert "phone: our WAPE is " in text
    assert "than the median of the last 4 same week days'" in text


def test_a_channel_that_starts_after_the_first_origin_is_scored_from_later_ones() -> None:
    """Review helper-45: a chat line opened a few weeks ago killed the backtest (and the app's
    accuracy check) with 'All arrays must be of the same length' at the origins before it."""
    frame, _ = make_history(START, weeks=9, seed=4, peaks={"phone": 40.0, "chat": 15.0})
    opened = pd.Timestamp(START + dt.timedelta(weeks=6))
    late = frame[(frame["channel"] == "phone") | (frame["timestamp"] >= opened)]
    result = backtest(late, CALENDAR, origins=3)
    scored = result.predictions.groupby("channel")["origin"].unique()
    assert len(scored["phone"]) == 3
    assert 1 <= len(scored["chat"]) < 3  # the origins after it has history
    assert min(scored["chat"]) > opened.date()
    assert set(result.table["channel"]) == {"phone", "chat"}
