"""Traffic forecasting per channel and interval, with prediction intervals and a backtest.

DataFrame in, DataFrame out; statsmodels is kept inside. This library never imports the
application layer (``staffing``), the roster solver or streamlit.
"""

from __future__ import annotations

from forecasts._history import HistoryError, observed_hours
from forecasts.backtest import BacktestResult, backtest
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
from forecasts.model import ForecastModel, fit_forecast
from forecasts.report import ChannelReport, DataReport, Gap, Outage

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
    "Outage",
    "backtest",
    "fit_forecast",
    "observed_hours",
]
