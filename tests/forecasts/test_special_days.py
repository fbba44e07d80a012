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
