"""Seeded synthetic traffic with known true rates, for the forecasts tests."""

from __future__ import annotations

import datetime as dt
import functools

import holidays
import numpy as np
import pandas as pd

from forecasts import Calendar

#: Mon-Fri 08:00-20:00, Sat 09:00-17:00, Sunday closed.
HOURS = {d: (dt.time(8), dt.time(20)) for d in range(5)} | {5: (dt.time(9), dt.time(17)), 6: None}
CALENDAR = Calendar(country="GB", subdivision="ENG", opening_hours=HOURS)
HOLIDAY_FACTOR = 0.3


@functools.lru_cache(maxsize=16)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def true_rate(stamp: pd.Timestamp, peak: float) -> float:
    """Expected contacts in the hour starting at ``stamp`` (0 when closed)."""
    hours = HOURS[stamp.weekday()]
    if hours is None or not hours[0].hour <= stamp.hour < hours[1].hour:
        return 0.0
    h = stamp.hour + 0.5
    if stamp.weekday() < 5:
        shape = 0.35 + np.exp(-((h - 12.5) ** 2) / 1.5) + 0.7 * np.exp(-((h - 17.5) ** 2) / 2)
    else:
        shape = 0.4 + 0.8 * np.exp(-((h - 14.5) ** 2) / 3)
    level = peak * shape
    if stamp.date() in _bank_holidays(stamp.year):
        level *= HOLIDAY_FACTOR
    return float(level)


def make_history(
    start: dt.date, weeks: int, seed: int, peaks: dict[str, float] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hourly history (timestamp, channel, volume) and the true mean per row.

    Volume is negative binomial (size 40) around the true rate times a gamma day effect
    (shape 200, mean 1); rows only in opening hours.
    """
    rng = np.random.default_rng(seed)
    peaks = peaks or {"phone": 40.0}
    stamps = pd.date_range(pd.Timestamp(start), periods=weeks * 7 * 24, freq="h")
    rows, truth = [], []
    for channel, peak in peaks.items():
        rate = np.array([true_rate(s, peak) for s in stamps])
        day_effect = rng.gamma(200, 1 / 200, size=weeks * 7).repeat(24)
        mu = rate * day_effect
        size = 40.0
        vol = rng.negative_binomial(size, size / (size + np.maximum(mu, 1e-12)))
        keep = rate > 0
        rows.append(
            pd.DataFrame({"timestamp": stamps[keep], "channel": channel, "volume": vol[keep]})
        )
        truth.append(
            pd.DataFrame({"timestamp": stamps[keep], "channel": channel, "mean": rate[keep]})
        )
    return pd.concat(rows, ignore_index=True), pd.concat(truth, ignore_index=True)
