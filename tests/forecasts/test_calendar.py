"""Calendar: validation, day types (holidays, eves, catch-up days) and opening hours."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from forecasts import Calendar, Event


def test_unknown_country_names_the_code() -> None:
    with pytest.raises(ValueError, match="'XX'"):
        Calendar(country="XX")


def test_unknown_subdivision_is_refused() -> None:
    with pytest.raises(ValueError, match="'NOPE'"):
        Calendar(country="GB", subdivision="NOPE")


def test_event_kind_and_dates_are_checked() -> None:
    with pytest.raises(ValueError, match="kind 'sale'"):
        Event(start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 2), name="x", kind="sale")
    with pytest.raises(ValueError, match="before start"):
        Event(start=dt.date(2024, 1, 2), end=dt.date(2024, 1, 1), name="x", kind="promotion")


def test_close_before_open_is_refused() -> None:
    with pytest.raises(ValueError, match="week day 2"):
        Calendar(country=None, opening_hours={2: (dt.time(18), dt.time(9))})


def test_default_is_open_around_the_clock_and_midnight_close_means_24h() -> None:
    assert Calendar(country=None).slot_open(3, 60).all()
    late = Calendar(country=None, opening_hours={0: (dt.time(7), dt.time(0))})
    assert late.slot_open(0, 60).tolist() == [False] * 7 + [True] * 17
    assert not late.slot_open(1, 60).any()  # missing day = closed


def test_half_hour_slots_overlapping_opening_count_as_open() -> None:
    cal = Calendar(country=None, opening_hours={0: (dt.time(8, 15), dt.time(9, 0))})
    open_ = cal.slot_open(0, 30)
    assert np.flatnonzero(open_).tolist() == [16, 17]  # 08:00 and 08:30


def test_israeli_holidays_eves_and_catch_up_days() -> None:
    cal = Calendar(country="IL")
    table = cal.day_table(dt.date(1999, 9, 1), dt.date(1999, 10, 5), quiet_weekday=5)
    day = table.loc
    assert day["1999-09-20", "holiday_name"] == "Yom Kippur"
    assert day["1999-09-19", "eve"]  # the Sunday before Yom Kippur
    assert day["1999-09-21", "after"]
    # Sukkot fell on Saturday (the quiet day): no catch-up on the Sunday after it
    assert day["1999-09-25", "holiday"]
    assert not day["1999-09-26", "after"]
    assert day["1999-09-27", "minor"]  # intermediate day of Sukkot (optional category)
    # without a quiet week day, the day after any holiday is a catch-up day
    plain = cal.day_table(dt.date(1999, 9, 20), dt.date(1999, 9, 30))
    assert plain.loc["1999-09-26", "after"]


def test_events_and_closures_mark_their_days() -> None:
    cal = Calendar(
        country="GB",
        subdivision="ENG",
        events=(
            Event(
                start=dt.date(2025, 12, 25), end=dt.date(2025, 12, 25), name="Xmas", kind="closure"
            ),
            Event(
                start=dt.date(2025, 11, 28), end=dt.date(2025, 12, 1), name="BF", kind="promotion"
            ),
        ),
    )
    table = cal.day_table(dt.date(2025, 11, 27), dt.date(2025, 12, 31))
    assert table["promotion"].sum() == 4
    assert table.loc["2025-11-29", "events"] == ("BF",)
    assert table.loc["2025-12-25", "closure"]
    assert table.loc["2025-12-26", "after_closure"]  # Boxing Day
    assert table.loc["2025-12-24", "eve"]
