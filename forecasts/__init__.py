"""Traffic forecasting per channel and interval, with prediction intervals and a backtest.

DataFrame in, DataFrame out; statsmodels is kept inside. This library never imports the
application layer (``staffing``), the roster solver or streamlit.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from forecasts._history import HistoryError
from forecasts._hours import ObservedHours, observed_hours
from forecasts.calendar import EVENT_KINDS, Calendar, Event
from forecasts.columns import (
    CHANNEL,
    FORECAST,
    FORECAST_COLUMNS,
    HI80,
    HI95,
    LO80,
    LO95,
    NB_ALPHA,
    TIMESTAMP,
    VOLUME,
)
from forecasts.report import ChannelReport, DataReport, Gap, Outage

if TYPE_CHECKING:
    from forecasts._backtest import BacktestResult, backtest
    from forecasts.model import ForecastModel, fit_forecast

# The model and the backtest load statsmodels (about a second): they are imported when first
# used, so that importing the column names or the calendar (the app's first page) does not.
_LAZY = {
    "BacktestResult": "forecasts._backtest",
    "backtest": "forecasts._backtest",
    "ForecastModel": "forecasts.model",
    "fit_forecast": "forecasts.model",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'forecasts' has no attribute {name!r}")


__all__ = [
    "CHANNEL",
    "EVENT_KINDS",
    "FORECAST",
    "FORECAST_COLUMNS",
    "HI80",
    "HI95",
    "LO80",
    "LO95",
    "NB_ALPHA",
    "TIMESTAMP",
    "VOLUME",
    "BacktestResult",
    "Calendar",
    "ChannelReport",
    "DataReport",
    "Event",
    "ForecastModel",
    "Gap",
    "HistoryError",
    "ObservedHours",
    "Outage",
    "backtest",
    "fit_forecast",
    "observed_hours",
]
