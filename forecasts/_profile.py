"""Stage two: intraday profiles (share of the day's contacts per interval) per day category."""

from __future__ import annotations

import numpy as np

__all__ = ["choose_half_life", "fit_profiles", "interval_alpha", "shares"]

#: Most recent days of a week-day category weighted into its profile.
RECENT_DAYS = 52
#: Half-lives (weeks) of the profile weights tried per channel; the one with the smallest
#: out-of-sample profile error over the last :data:`CHOICE_WEEKS` weeks is kept. A stable
#: shape wants a long half-life (less noise), a drifting one (e.g. opening times that follow
#: sunset) a short one.
HALF_LIVES_WEEKS: tuple[float, ...] = (4.0, 8.0, 16.0, 32.0)
DEFAULT_HALF_LIFE_WEEKS = 8.0
CHOICE_WEEKS = 8
#: Pseudo-days of the parent profile mixed into a category's own profile.
PRIOR_DAYS = 2.0


def fit_profiles(
    volume: np.ndarray,
    expected: np.ndarray,
    usable: np.ndarray,
    cats: np.ndarray,
    parents: dict[str, str],
    half_life_weeks: float = DEFAULT_HALF_LIFE_WEEKS,
) -> dict[str, np.ndarray]:
    """Share of the daily total per interval, per day category (each sums to 1).

    A week-day category averages its last :data:`RECENT_DAYS` days, weighted by
    ``0.5 ** (age / half_life_weeks)``; a special category (holiday, eve) all its days.
    Categories with few days are shrunk toward their parent (a holiday toward the quietest
    week day, an eve toward the busiest short week day) by :data:`PRIOR_DAYS` pseudo-days.
    """
    clean = np.where(expected, np.nan_to_num(volume), 0.0)
    own: dict[str, tuple[np.ndarray, float]] = {}
    for cat in sorted({str(c) for c in cats[usable]} - {"closed"}):
        rows = np.flatnonzero(usable & (cats == cat))
        weights = np.ones(len(rows))
        if cat.startswith("dow"):
            rows = rows[-RECENT_DAYS:]
            weights = 0.5 ** ((rows[-1] - rows) / (7.0 * half_life_weeks))
        total = float(weights @ clean[rows].sum(axis=1))
        if total <= 0:
            own[cat] = (expected[rows].mean(axis=0) / max(expected[rows].sum() / len(rows), 1), 0)
            continue
        own[cat] = (weights @ clean[rows] / total, float(weights.sum()))
    profiles: dict[str, np.ndarray] = {}
    for cat, (share, n) in own.items():
        parent = parents.get(cat)
        if parent in own and parent != cat:
            share = (n * share + PRIOR_DAYS * own[parent][0]) / (n + PRIOR_DAYS)
        profiles[cat] = share
    return profiles


def choose_half_life(
    volume: np.ndarray,
    expected: np.ndarray,
    usable: np.ndarray,
    cats: np.ndarray,
    parents: dict[str, str],
) -> float:
    """The profile half-life (weeks) with the smallest out-of-sample interval error.

    For each of the last :data:`CHOICE_WEEKS` weeks, profiles are fitted on the days before
    it and scored on its week days: sum over intervals of ``|day total x share - actual|``
    (the day total is taken as known, so only the shape is judged).
    """
    clean = np.where(expected, np.nan_to_num(volume), 0.0)
    plain = usable & np.array([str(c).startswith("dow") for c in cats], dtype=bool)
    idx = np.flatnonzero(usable)
    if len(idx) < 7 * (CHOICE_WEEKS + 4):
        return DEFAULT_HALF_LIFE_WEEKS
    errors = np.zeros(len(HALF_LIVES_WEEKS))
    for k in range(1, CHOICE_WEEKS + 1):
        cut = int(idx[-1] - 7 * k + 1)
        week = np.arange(cut, min(cut + 7, len(cats)))
        week = week[plain[week]]
        if not len(week):
            continue
        for j, half_life in enumerate(HALF_LIVES_WEEKS):
            profiles = fit_profiles(
                volume[:cut], expected[:cut], usable[:cut], cats[:cut], parents, half_life
            )
            for i in week:
                profile = profiles.get(str(cats[i]))
                if profile is None:
                    continue
                e = clean[i].sum() * shares(profile, expected[i])
                errors[j] += float(np.abs(e - clean[i]).sum())
    return (
        float(HALF_LIVES_WEEKS[int(np.argmin(errors))])
        if errors.any()
        else (DEFAULT_HALF_LIFE_WEEKS)
    )


def shares(profile: np.ndarray, open_slots: np.ndarray) -> np.ndarray:
    """A profile restricted to a day's open intervals, renormalised to sum to 1."""
    p = np.where(open_slots, profile, 0.0)
    total = p.sum()
    if total > 0:
        return p / total
    count = open_slots.sum()
    return open_slots / count if count else p


def interval_alpha(
    volume: np.ndarray,
    expected: np.ndarray,
    usable: np.ndarray,
    cats: np.ndarray,
    profiles: dict[str, np.ndarray],
    days: int = 84,
) -> float:
    """NB dispersion of intervals around ``day total x profile`` (method of moments)."""
    rows = np.flatnonzero(usable & (cats != "closed"))[-days:]
    num = den = 0.0
    for i in rows:
        y = np.where(expected[i], np.nan_to_num(volume[i]), 0.0)
        e = y.sum() * shares(profiles[str(cats[i])], expected[i])
        keep = expected[i] & (e > 0)
        num += float(((y[keep] - e[keep]) ** 2 - e[keep]).sum())
        den += float((e[keep] ** 2).sum())
    return max(num / den, 0.0) if den > 0 else 0.0
