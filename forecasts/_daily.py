"""Stage one: daily totals per channel from a negative-binomial GLM on calendar terms."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

__all__ = ["DailyFit", "DailySpec", "day_categories", "fit_daily", "make_spec"]

#: Week days whose usual total is below this share of the busiest week day are "short" days
#: (an eve falling on one keeps that week day's type).
SHORT_DAY_SHARE = 0.6
#: Half-life of the observation weights, days: recent weeks set the level.
HALF_LIFE_DAYS = 120.0
#: History (days) needed before annual Fourier terms and a trend are fitted.
ANNUAL_MIN_DAYS = 420
FOURIER_ORDER = 3
FLAGS: tuple[str, ...] = (
    "after",
    "after_closure",
    "bridge",
    "minor",
    "school_vacation",
    "promotion",
    "other",
)


@dataclass(frozen=True, kw_only=True, slots=True)
class DailySpec:
    """Specification of the daily design matrix (fixed at fit time).

    Attributes
    ----------
    categories
        Day categories with training days (``dow0`` .. ``dow6``, ``holiday``, ``eve``,
        ``closure``), one indicator column each.
    parents
        Category -> category used when it has no training day.
    flags
        Additive 0/1 effects (log scale) kept because they occur in the training days.
    event_names
        Named events with their own effect on top of their kind.
    short_dows
        Short week days (an eve on them keeps the week day's type).
    anchor
        Last training date; trend is in years from it.
    fourier
        Number of annual Fourier pairs (0 = none); a linear trend is fitted when > 0.
    always_open
        True when the channel ignores opening hours and closures.
    """

    categories: tuple[str, ...]
    parents: dict[str, str]
    flags: tuple[str, ...]
    event_names: tuple[str, ...]
    short_dows: tuple[int, ...]
    anchor: pd.Timestamp
    fourier: int
    always_open: bool

    def columns(self) -> list[str]:
        cols = [f"day[{c}]" for c in self.categories] + [f"flag[{f}]" for f in self.flags]
        cols += [f"event[{n}]" for n in self.event_names]
        if self.fourier:
            cols.append("trend_per_year")
            for k in range(1, self.fourier + 1):
                cols += [f"annual_sin{k}", f"annual_cos{k}"]
        return cols


@dataclass(frozen=True, kw_only=True, slots=True)
class DailyFit:
    """A fitted daily model: coefficients (log scale) and the NB dispersion of daily totals."""

    spec: DailySpec
    params: pd.Series
    bse: pd.Series
    alpha: float
    alpha_special: float


def day_categories(
    table: pd.DataFrame, short_dows: tuple[int, ...], always_open: bool
) -> np.ndarray:
    """Raw day category per row of a day table (before falling back to seen categories)."""
    dow = table["dow"].to_numpy()
    cats = np.array([f"dow{d}" for d in dow], dtype=object)
    eve = table["eve"].to_numpy() & ~np.isin(dow, short_dows)
    cats[eve] = "eve"
    cats[table["holiday"].to_numpy()] = "holiday"
    cats[table["closure"].to_numpy()] = "closure" if always_open else "closed"
    return cats


def resolve(cats: np.ndarray, dows: np.ndarray, spec: DailySpec) -> np.ndarray:
    """Map categories without training days onto their parents (closed days stay closed)."""
    out = cats.copy()
    for i, c in enumerate(out):
        seen: set[str] = set()
        while c not in spec.categories and c != "closed" and c not in seen:
            seen.add(c)
            c = spec.parents.get(c, f"dow{dows[i]}")
        if c not in spec.categories and c != "closed":
            c = spec.categories[0]
        out[i] = c
    return out


def make_spec(
    table: pd.DataFrame, totals: np.ndarray, usable: np.ndarray, always_open: bool
) -> DailySpec:
    """Choose categories, flags and seasonal terms from the training days."""
    dow = table["dow"].to_numpy()
    plain = usable & ~table[["holiday", "eve", "closure", "minor"]].to_numpy().any(axis=1)
    means = {
        d: float(totals[plain & (dow == d)].mean()) for d in range(7) if (plain & (dow == d)).any()
    }
    top = max(means.values(), default=0.0)
    short = tuple(d for d, m in means.items() if m < SHORT_DAY_SHARE * top)
    cats = day_categories(table, short, always_open)
    seen = tuple(sorted({str(c) for c in cats[usable]} - {"closed"}))
    open_means = {d: m for d, m in means.items() if m > 0}
    quiet = f"dow{min(open_means, key=open_means.__getitem__)}" if open_means else seen[0]
    short_open = [d for d in short if d in open_means]
    eve_parent = f"dow{max(short_open, key=open_means.__getitem__)}" if short_open else quiet
    parents = {"closure": "holiday", "holiday": quiet, "eve": eve_parent}
    for d in range(7):
        if f"dow{d}" not in seen:
            parents[f"dow{d}"] = quiet
    flags = tuple(f for f in FLAGS if table[f].to_numpy()[usable].any())
    names: dict[str, int] = {}
    kinds = table[["closure"]].to_numpy()[:, 0]
    for row_events, ok, closed in zip(table["events"], usable, kinds, strict=True):
        if ok and not (closed and not always_open):
            for n in row_events:
                names[n] = names.get(n, 0) + 1
    span = int(np.ptp(np.flatnonzero(usable))) if usable.any() else 0
    return DailySpec(
        categories=seen,
        parents=parents,
        flags=flags,
        event_names=tuple(sorted(names)),
        short_dows=short,
        anchor=pd.Timestamp(table.index[usable][-1]) if usable.any() else table.index[-1],
        fourier=FOURIER_ORDER if span >= ANNUAL_MIN_DAYS else 0,
        always_open=always_open,
    )


def design(table: pd.DataFrame, spec: DailySpec) -> tuple[np.ndarray, np.ndarray]:
    """Design matrix and resolved categories for the days of ``table``."""
    dows = table["dow"].to_numpy()
    cats = resolve(day_categories(table, spec.short_dows, spec.always_open), dows, spec)
    blocks = [(cats[:, None] == np.array(spec.categories, dtype=object)[None, :]).astype(float)]
    if spec.flags:
        blocks.append(table[list(spec.flags)].to_numpy(dtype=float))
    if spec.event_names:
        blocks.append(
            np.array(
                [[float(n in ev) for n in spec.event_names] for ev in table["events"]], dtype=float
            ).reshape(len(table), len(spec.event_names))
        )
    if spec.fourier:
        index = pd.DatetimeIndex(table.index)
        years = ((index - spec.anchor).days.to_numpy() / 365.25)[:, None]
        phase = 2 * np.pi * index.dayofyear.to_numpy()[:, None] / 365.25
        k = np.arange(1, spec.fourier + 1)[None, :]
        waves = np.stack([np.sin(k * phase), np.cos(k * phase)], axis=2).reshape(len(table), -1)
        blocks += [years, waves]
    return np.hstack(blocks), cats


def _glm(
    y: np.ndarray, x: np.ndarray, w: np.ndarray, alpha: float | None
) -> tuple[np.ndarray, np.ndarray]:
    family: sm.families.Family = (
        sm.families.Poisson() if alpha is None else sm.families.NegativeBinomial(alpha=alpha)
    )
    with warnings.catch_warnings():
        # all-zero categories (e.g. a closed holiday) drive a coefficient to -inf: expected.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        result = sm.GLM(y, x, family=family, var_weights=w).fit(maxiter=50)
    return np.asarray(result.params), np.asarray(result.bse)


def _moment_alpha(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> float:
    keep = mu > 1.0
    if not keep.any():
        return 0.0
    terms = ((y - mu) ** 2 - mu) / mu**2
    return float(np.clip(np.average(np.minimum(terms[keep], 1.0), weights=w[keep]), 1e-4, 4.0))


def fit_daily(
    table: pd.DataFrame, totals: np.ndarray, usable: np.ndarray, always_open: bool
) -> DailyFit:
    """Fit the daily NB GLM on the usable days of ``table``; ``totals`` are open-interval sums."""
    spec = make_spec(table, totals, usable, always_open)
    x_all, cats = design(table, spec)
    train = usable & (cats != "closed")
    x, y = x_all[train], totals[train]
    age = (spec.anchor - pd.DatetimeIndex(table.index[train])).days.to_numpy()
    w = 0.5 ** (age / HALF_LIFE_DAYS)
    w = w / w.mean()
    params, bse = _glm(y, x, w, None)
    alpha = _moment_alpha(y, np.exp(np.clip(x @ params, -30, 30)), w)
    params, bse = _glm(y, x, w, alpha)
    mu = np.exp(np.clip(x @ params, -30, 30))
    alpha = _moment_alpha(y, mu, w)
    special = (
        table[["holiday", "eve", "after", "bridge", "minor", "closure"]].to_numpy()[train]
    ).any(axis=1)
    alpha_special = _moment_alpha(y[special], mu[special], w[special]) if special.any() else alpha
    cols = spec.columns()
    return DailyFit(
        spec=spec,
        params=pd.Series(params, index=cols),
        bse=pd.Series(bse, index=cols),
        alpha=alpha,
        alpha_special=max(alpha, alpha_special),
    )


def predict_daily(fit: DailyFit, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Expected daily totals (contacts per day, 0 on closed days) and resolved categories."""
    x, cats = design(table, fit.spec)
    mu = np.exp(np.clip(x @ fit.params.to_numpy(), -30, 30))
    mu[cats == "closed"] = 0.0
    return mu, cats
