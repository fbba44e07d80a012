"""Stage two: intraday profiles (share of the day's contacts per interval) per day category."""

from __future__ import annotations

import numpy as np

__all__ = ["fit_profiles", "interval_alpha", "shares"]

#: Most recent days of a category averaged into its profile.
RECENT_DAYS = 12
#: Pseudo-days of the parent profile mixed into a category's own profile.
PRIOR_DAYS = 2.0


def fit_profiles(
    volume: np.ndarray,
    expected: np.ndarray,
    usable: np.ndarray,
    cats: np.ndarray,
    parents: dict[str, str],
) -> dict[str, np.ndarray]:
    """Share of the daily total per interval, per day category (each sums to 1).

    Categories with few days are shrunk toward their parent (a holiday toward the quietest
    week day, an eve toward the busiest short week day) by :data:`PRIOR_DAYS` pseudo-days.
    """
    clean = np.where(expected, np.nan_to_num(volume), 0.0)
    own: dict[str, tuple[np.ndarray, int]] = {}
    for cat in sorted({str(c) for c in cats[usable]} - {"closed"}):
        rows = np.flatnonzero(usable & (cats == cat))
        if cat.startswith("dow"):
            rows = rows[-RECENT_DAYS:]
        total = clean[rows].sum()
        if total <= 0:
            own[cat] = (expected[rows].mean(axis=0) / max(expected[rows].sum() / len(rows), 1), 0)
            continue
        own[cat] = (clean[rows].sum(axis=0) / total, len(rows))
    profiles: dict[str, np.ndarray] = {}
    for cat, (share, n) in own.items():
        parent = parents.get(cat)
        if parent in own and parent != cat:
            share = (n * share + PRIOR_DAYS * own[parent][0]) / (n + PRIOR_DAYS)
        profiles[cat] = share
    return profiles


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
