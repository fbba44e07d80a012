"""Kinds of day the history says little about: holidays that were always closed, and declared
events of a kind never seen before."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from forecasts import Event, ForecastModel, fit_forecast
from tests.forecasts._synthetic import CALENDAR, _bank_holidays, make_history

#: Monday 2024-05-06 is the Early May bank holiday.
HOLIDAY = dt.date(2024, 5, 6)


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    frame, _ = make_history(dt.date(2023, 3, 6), weeks=61, seed=3)
    return frame


@pytest.fixture(scope="module")
def closed_on_holidays(history: pd.DataFrame) -> ForecastModel:
    """Reviewer's edge_closed_holidays.py: a shop with no traffic on every public holiday
    (volume 0 rows, no closure declared) had 54-60 contacts forecast on the next one, with a
    band excluding 0."""
    stamps = history["timestamp"]
    years = range(stamps.min().year, stamps.max().year + 1)
    days = {d for y in years for d in _bank_holidays(y)}
    zero = stamps.dt.date.isin(days)
    assert stamps[zero].dt.date.nunique() >= 8
    return fit_forecast(history.assign(volume=history["volume"].where(~zero, 0)), CALENDAR)


def test_a_holiday_closed_every_past_time_is_forecast_at_zero(
    closed_on_holidays: ForecastModel,
) -> None:
    fc = closed_on_holidays.forecast(HOLIDAY, 2)
    day = fc[fc["timestamp"].dt.date == HOLIDAY]
    assert day["forecast"].sum() == pytest.approx(0.0, abs=0.5)
    assert (day["forecast"] == 0).all()  # not 7e-12: sizing staffs any contact above 0
    assert (day["hi95"] == 0).all()
    assert (day["lo80"] == 0).all()
    assert (day["lo95"] == 0).all()
    after = fc[fc["timestamp"].dt.date == HOLIDAY + dt.timedelta(days=1)]
    assert after["forecast"].sum() > 200  # the day after is an ordinary busy Tuesday
    notes = closed_on_holidays.report.messages()
    assert any(
        n.startswith("phone: every past public holiday (") and "had (near) zero traffic" in n
        for n in notes
    )


def test_holidays_with_some_traffic_are_still_modelled(history: pd.DataFrame) -> None:
    model = fit_forecast(history, CALENDAR)
    fc = model.forecast(HOLIDAY, 1)
    assert fc["forecast"].sum() > 50  # 30% of a normal Monday (about 280 contacts)
    assert not any("zero traffic" in n for n in model.report.messages())


def test_an_event_of_a_kind_never_seen_says_it_changes_nothing(history: pd.DataFrame) -> None:
    """Reviewer's events_holidays_store.py: an 'other' event in the planning week changed
    nothing (ratio 1.000) and said nothing, where the Scenarios page promises its learned
    effect."""
    new = Event(
        start=dt.date(2024, 5, 14), end=dt.date(2024, 5, 14), name="Street fair", kind="other"
    )
    calendar = dataclasses.replace(CALENDAR, events=(new,))
    model = fit_forecast(history, calendar)
    assert model.report.messages()[0] == (
        "no past 'other' events: the effect of 'Street fair' (2024-05-14) cannot be learned; "
        "the forecast is unchanged on those days"
    )
    plain = fit_forecast(history, CALENDAR).forecast(HOLIDAY, 14)
    assert model.forecast(HOLIDAY, 14)["forecast"].to_numpy() == pytest.approx(
        plain["forecast"].to_numpy()
    )


def test_an_event_of_a_kind_seen_before_says_nothing(history: pd.DataFrame) -> None:
    past = Event(
        start=dt.date(2023, 11, 24), end=dt.date(2023, 11, 25), name="Sale", kind="promotion"
    )
    new = Event(
        start=dt.date(2024, 5, 14), end=dt.date(2024, 5, 15), name="Sale 2", kind="promotion"
    )
    model = fit_forecast(history, dataclasses.replace(CALENDAR, events=(past, new)))
    assert not [n for n in model.report.messages() if "no past" in n]


def _full_day_eves(history: pd.DataFrame) -> set[dt.date]:
    """Eves of a public holiday on the synthetic calendar's full week days (Monday-Friday), not
    holidays themselves."""
    dates = pd.to_datetime(history["timestamp"]).dt.date.unique()
    return {
        d
        for d in dates
        if d.weekday() < 5
        and d not in _bank_holidays(d.year)
        and d + dt.timedelta(days=1) in _bank_holidays((d + dt.timedelta(days=1)).year)
    }


def _day_total(model: ForecastModel, day: dt.date) -> float:
    fc = model.forecast(day, 1)
    return float(fc.loc[fc["timestamp"].dt.date == day, "forecast"].sum())


#: Tuesday 2024-12-24 (Christmas Eve) and the Monday before it, after the history's end.
EVE, BEFORE_EVE = dt.date(2024, 12, 24), dt.date(2024, 12, 23)


@pytest.mark.parametrize("short_saturday", [False, True])
def test_eves_that_were_ordinary_days_are_forecast_like_their_week_day(
    history: pd.DataFrame, short_saturday: bool
) -> None:
    """Sample store review: its eves (Christmas Eve, New Year's Eve, Maundy Thursday) were busy
    full days, yet were pulled toward its short Sunday and came out 20-42% low; without short
    days they had been forecast, and fitted, as the quietest week day."""
    assert len(_full_day_eves(history)) >= 2  # Maundy Thursday 2023 and 2024
    if short_saturday:  # a third of its volume: a short day, the eves' reference
        saturday = pd.to_datetime(history["timestamp"]).dt.day_of_week == 5
        history = history.assign(volume=history["volume"].where(~saturday, history["volume"] // 3))
    model = fit_forecast(history, CALENDAR)
    assert ("short week days [5]" in model.summary()) == short_saturday
    assert "eves as their week day" in model.summary()
    # Tuesdays and Mondays share their true shape and level: the eve is an ordinary Tuesday
    assert _day_total(model, EVE) == pytest.approx(_day_total(model, BEFORE_EVE), rel=0.12)


def test_eves_that_closed_early_stay_short_days(history: pd.DataFrame) -> None:
    """The bank's eves (Israel) close early: they keep the short-day type."""
    eves = pd.to_datetime(history["timestamp"]).dt.date.isin(_full_day_eves(history))
    early = history.assign(volume=history["volume"].where(~eves, history["volume"] * 9 // 20))
    model = fit_forecast(early, CALENDAR)
    # no short week day here: the eve is a day type of its own, from the quietest week day
    assert "eves as a day type of their own" in model.summary()
    assert _day_total(model, EVE) < 0.75 * _day_total(model, BEFORE_EVE)


def test_an_eve_unseen_in_the_history_is_its_week_day_without_short_days() -> None:
    """No full-day eve in sixteen weeks (Christmas and New Year's eves fell on closed Sundays)
    and no short week day: Maundy Thursday is an ordinary Thursday (the fit had failed on the
    eve column it asked for and the history did not have)."""
    history, _ = make_history(dt.date(2023, 11, 6), weeks=16, seed=5)
    assert not _full_day_eves(history)
    model = fit_forecast(history, CALENDAR)
    assert "eves as their week day" in model.summary()
    maundy = dt.date(2024, 3, 28)
    fc = model.forecast(maundy - dt.timedelta(days=1), 2)
    day = fc.groupby(fc["timestamp"].dt.date)["forecast"].sum()
    assert day[maundy] == pytest.approx(day[maundy - dt.timedelta(days=1)], rel=0.12)


def test_a_history_of_one_eve_alone_forecasts_ordinary_days_at_its_level() -> None:
    """Maundy Thursday alone as history had fitted its week day and the eve flag as one column,
    half each: ordinary days were forecast at 17 contacts instead of about 300 (helper-36)."""
    week, _ = make_history(dt.date(2024, 3, 25), weeks=1, seed=7)
    maundy = dt.date(2024, 3, 28)
    history = week[week["timestamp"].dt.date == maundy]
    total = float(history["volume"].sum())
    model = fit_forecast(history, CALENDAR)
    fc = model.forecast(dt.date(2024, 4, 8), 5)  # Monday-Friday, no holiday
    days = fc.groupby(fc["timestamp"].dt.date)["forecast"].sum()
    assert days.to_numpy() == pytest.approx(total, rel=0.3)


def test_a_week_day_silent_every_past_time_is_forecast_at_exactly_zero(
    history: pd.DataFrame,
) -> None:
    """Reviewer's café (helper-44): a phone with volume 0 on every past Saturday (rows kept,
    the store open) was forecast at 7e-12 contacts an interval there, and sizing, which staffs
    any contact above 0, put an agent on it all day."""
    saturday = history["timestamp"].dt.day_of_week == 5
    assert saturday.sum() > 0
    model = fit_forecast(history.assign(volume=history["volume"].where(~saturday, 0)), CALENDAR)
    fc = model.forecast(dt.date(2024, 5, 13), 7)
    sat = fc[fc["timestamp"].dt.day_of_week == 5]
    assert len(sat) > 0
    assert (sat[["forecast", "lo80", "hi80", "lo95", "hi95"]] == 0).all().all()
    assert fc.loc[fc["timestamp"].dt.day_of_week == 4, "forecast"].sum() > 100  # Friday as usual
