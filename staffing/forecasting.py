"""Mapping a store onto the forecasting library: calendar, history and the week's forecast."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import forecasts
from forecasts import HistoryError  # raised when the history cannot fit the week asked for
from staffing.model import StoreData

__all__ = [
    "FAR_AHEAD_DAYS",
    "HistoryError",
    "backtest_store",
    "far_ahead_note",
    "forecast_notes",
    "forecast_week",
    "store_calendar",
    "week_days",
]

#: Days without history between its last day and a forecast's first beyond which the forecast
#: says so: four weeks, a usual planning horizon (the sample store plans the week after).
FAR_AHEAD_DAYS = 28


def far_ahead_note(last_day: dt.date, start: dt.date) -> str | None:
    """A note when more than :data:`FAR_AHEAD_DAYS` days without history lie between
    ``last_day``, the history's last day, and ``start`` (local dates); None otherwise."""
    if (start - last_day).days - 1 <= FAR_AHEAD_DAYS:
        return None
    return (
        f"the forecast starts {(start - last_day).days // 7} weeks after the history's last "
        f"day ({last_day}): it "
        "carries that history's level, yearly trend (when the history is long enough to fit "
        "one) and weekly pattern forward and knows nothing of what changed since; its bands are "
        "sized on forecasts a week ahead, so they understate the uncertainty this far out. Add "
        "recent traffic to the history for a forecast worth staffing to."
    )


def forecast_notes(
    data: StoreData, start: dt.date, model: forecasts.ForecastModel
) -> tuple[str, ...]:
    """The notes to show with a forecast from ``start``: the fitted model's data notes, and
    :func:`far_ahead_note` on the history before ``start``."""
    notes = tuple(model.report.messages())
    before = history_before(data, start)
    if before.empty:
        return notes
    far = far_ahead_note(pd.Timestamp(before["timestamp"].max()).date(), start)
    return notes if far is None else (*notes, far)


def store_calendar(data: StoreData) -> forecasts.Calendar:
    """The store's opening hours, public-holiday country and events as a forecast calendar.

    Parameters
    ----------
    data : StoreData
        The store and its events.

    Returns
    -------
    forecasts.Calendar
        Country and subdivision, opening hours per week day, time zone and events.
    """
    store = data.store
    return forecasts.Calendar(
        country=store.country,
        subdivision=store.subdivision,
        opening_hours=dict(store.opening_hours),
        timezone=store.timezone,
        events=tuple(
            forecasts.Event(start=e.start_date, end=e.end_date, name=e.name, kind=e.kind)
            for e in data.events
        ),
    )


def _always_open(data: StoreData) -> tuple[str, ...]:
    return tuple(c.id for c in data.store.channels if not c.follows_opening_hours)


def history_before(data: StoreData, start: dt.date) -> pd.DataFrame:
    """Traffic strictly before ``start`` (the forecast never sees the week it predicts)."""
    traffic = data.traffic
    return traffic[traffic["timestamp"] < pd.Timestamp(start)].reset_index(drop=True)


def forecast_week(
    data: StoreData, start: dt.date, days: int = 7
) -> tuple[pd.DataFrame, forecasts.ForecastModel]:
    """Fit on the history before ``start`` and forecast ``days`` days, per channel.

    Parameters
    ----------
    data : StoreData
        The store and its traffic history.
    start : datetime.date
        First forecast day (local date); only the history strictly before it is used.
    days : int
        Days to forecast, 1 or more.

    Returns
    -------
    (DataFrame, ForecastModel)
        The forecast frame (:data:`staffing.columns.FORECAST_COLUMNS`, contacts per planning
        interval) and the fitted model (parameters, summary, data report).

    Raises
    ------
    HistoryError
        When the history before ``start`` cannot be fitted (none, or no complete day of a
        channel; see :func:`forecasts.fit_forecast`).
    ValueError
        ``days`` below 1.
    """
    model = forecasts.fit_forecast(
        history_before(data, start),
        store_calendar(data),
        interval_minutes=data.store.interval_minutes,
        always_open_channels=_always_open(data),
    )
    return model.forecast(start, days), model


def backtest_store(data: StoreData, origins: int = 8) -> forecasts.BacktestResult:
    """Rolling-origin backtest of the forecast on the store's own history.

    Parameters
    ----------
    data : StoreData
        The store and its traffic history.
    origins : int
        Number of weekly origins, the last one a week before the end of the history.

    Returns
    -------
    forecasts.BacktestResult
        Accuracy of our forecast and two baselines at the store's planning interval.

    Raises
    ------
    HistoryError
        When the history is too short for the origins, or cannot be fitted (see
        :func:`forecasts.backtest`).
    ValueError
        ``origins`` below 1.
    """
    return forecasts.backtest(
        data.traffic,
        store_calendar(data),
        interval_minutes=data.store.interval_minutes,
        origins=origins,
        always_open_channels=_always_open(data),
    )


def week_days(data: StoreData, start: dt.date, days: int = 7) -> pd.DataFrame:
    """What the calendar says of each day: ``date``, ``note`` (holiday, eve, events) and
    ``special`` (True when the forecast treats the day differently from its weekday).

    Parameters
    ----------
    data : StoreData
        The store and its events.
    start : datetime.date
        First day (local date).
    days : int
        Number of days.

    Returns
    -------
    DataFrame
        One row per day with ``date`` (datetime.date), ``note`` (``;``-separated, empty for an
        ordinary day) and ``special`` (bool).
    """
    table = store_calendar(data).day_table(start, start + dt.timedelta(days=days - 1))
    rows = []
    for day, r in table.iterrows():
        notes = []
        if r["holiday"]:
            notes.append(f"public holiday: {r['holiday_name']}")
        for flag, text in (("eve", "eve of a holiday"), ("after", "day after a holiday"),
                           ("bridge", "bridge day"), ("closure", "closed")):  # fmt: skip
            if r[flag]:
                notes.append(text)
        notes.extend(str(e) for e in r["events"])
        rows.append({"date": pd.Timestamp(day).date(), "note": "; ".join(notes),
                     "special": bool(notes)})  # fmt: skip
    return pd.DataFrame(rows, columns=["date", "note", "special"])
