"""Baselines for the backtest: seasonal naive, the median of the last four same week days,
and MSTL + exponential smoothing (statsmodels)."""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["MEDIAN_WEEKS", "MSTL_WEEKS", "mstl_ets", "seasonal_naive", "weekday_median"]

#: Weeks of history the MSTL baseline is fitted on.
MSTL_WEEKS = 8
#: Same week days the median baseline takes.
MEDIAN_WEEKS = 4


def seasonal_naive(grid: np.ndarray, usable: np.ndarray, origin: int, horizon: int) -> np.ndarray:
    """Same interval one week earlier (further back by whole weeks when that day is unusable).

    ``grid`` is days x intervals, ``origin`` the first forecast row; returns horizon x intervals.
    """
    out = np.zeros((horizon, grid.shape[1]))
    for j in range(horizon):
        lag = 7 * (j // 7 + 1)
        src = origin + j - lag
        while src >= 0 and not usable[src]:
            src -= 7
        if src >= 0:
            out[j] = np.nan_to_num(grid[src])
    return out


def weekday_median(
    grid: np.ndarray, usable: np.ndarray, origin: int, horizon: int, weeks: int = MEDIAN_WEEKS
) -> np.ndarray:
    """Per interval, the median of the last ``weeks`` usable same week days before ``origin``.

    A planner's rule of thumb that shrugs off one odd week (a holiday, an outage) and knows no
    calendar. ``grid`` is days x intervals; returns horizon x intervals (0 without such days).
    """
    out = np.zeros((horizon, grid.shape[1]))
    for j in range(horizon):
        src = origin + j - 7 * (j // 7 + 1)
        rows: list[int] = []
        while src >= 0 and len(rows) < weeks:
            if usable[src]:
                rows.append(src)
            src -= 7
        if rows:
            out[j] = np.median(np.nan_to_num(grid[rows]), axis=0)
    return out


def mstl_ets(
    grid: np.ndarray, expected: np.ndarray, usable: np.ndarray, origin: int, horizon: int
) -> np.ndarray:
    """MSTL (daily and weekly seasonality) on the last :data:`MSTL_WEEKS` weeks before
    ``origin``, damped-trend exponential smoothing on the seasonally adjusted series, seasonal
    components repeated from their last cycle. Unusable days are replaced by the week before.
    """
    # imported here: these statsmodels modules take about a second to load, and only the
    # backtest needs them (not forecasting, nor the app's first page)
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.holtwinters import ExponentialSmoothing
    from statsmodels.tsa.seasonal import MSTL

    slots = grid.shape[1]
    first = max(0, origin - 7 * MSTL_WEEKS)
    block = np.where(expected[first:origin], np.nan_to_num(grid[first:origin]), 0.0)
    for i in range(len(block)):
        if not usable[first + i] and i >= 7:
            block[i] = block[i - 7]
    series = block.ravel()
    steps = horizon * slots
    if len(block) < 14:
        return np.zeros((horizon, slots))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = MSTL(series, periods=(slots, 7 * slots)).fit()
        adjusted = fit.trend + fit.resid
        level = ExponentialSmoothing(adjusted, trend="add", damped_trend=True).fit()
        path = np.asarray(level.forecast(steps))
    seasonal = np.asarray(fit.seasonal)
    ahead = np.zeros(steps)
    for col, period in enumerate((slots, 7 * slots)):
        last = seasonal[-period:, col]
        ahead += np.resize(last, steps)
    return np.maximum(path + ahead, 0.0).reshape(horizon, slots)
