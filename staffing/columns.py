"""Column names of every frame the product reads and writes, defined once.

The forecast columns belong to :mod:`forecasts` and are re-exported here so the application
layer has a single place to import names from.
"""

from __future__ import annotations

from forecasts.columns import (
    CHANNEL,
    FORECAST,
    FORECAST_COLUMNS,
    HI80,
    HI95,
    LO80,
    LO95,
    TIMESTAMP,
    VOLUME,
)

__all__ = [
    "AGENTS",
    "BINDING",
    "CHANNEL",
    "FORECAST",
    "FORECAST_COLUMNS",
    "HI80",
    "HI95",
    "LO80",
    "LO95",
    "REQUIRED",
    "REQUIREMENT_COLUMNS",
    "ROLE",
    "TIMESTAMP",
    "VOLUME",
]

ROLE = "role"
AGENTS = "agents"
REQUIRED = "required"
BINDING = "binding_target"

REQUIREMENT_COLUMNS: tuple[str, ...] = (
    TIMESTAMP,
    CHANNEL,
    ROLE,
    "volume",
    AGENTS,
    REQUIRED,
    BINDING,
    "service_level",
    "average_wait_seconds",
    "abandon_rate",
    "occupancy",
    "marginal_gain",
    "p_meet_target",
)
