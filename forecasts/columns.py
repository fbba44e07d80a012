"""Column names of the frames :mod:`forecasts` reads and writes, defined once.

History frames have :data:`TIMESTAMP`, :data:`VOLUME` and optionally :data:`CHANNEL`.
Forecast frames have :data:`FORECAST_COLUMNS` plus :data:`NB_ALPHA` (see
:meth:`forecasts.ForecastModel.forecast`).
"""

from __future__ import annotations

__all__ = [
    "CHANNEL",
    "DEFAULT_CHANNEL",
    "FORECAST",
    "FORECAST_COLUMNS",
    "HI80",
    "HI95",
    "LO80",
    "LO95",
    "NB_ALPHA",
    "TIMESTAMP",
    "VOLUME",
]

TIMESTAMP = "timestamp"
CHANNEL = "channel"
VOLUME = "volume"
FORECAST = "forecast"
LO80 = "lo80"
HI80 = "hi80"
LO95 = "lo95"
HI95 = "hi95"
NB_ALPHA = "nb_alpha"
DEFAULT_CHANNEL = "all"

FORECAST_COLUMNS: tuple[str, ...] = (TIMESTAMP, CHANNEL, FORECAST, LO80, HI80, LO95, HI95)
