"""Seeded generator of the sample data: ``sample_data/store`` and ``sample_data/contact_center``.

``python sample_data/generate.py`` rewrites both folders byte-identically (``--seed`` changes the
random draws, ``--only store|contact_center`` writes one folder). Uses numpy, pandas and
``holidays`` only. The folders follow ``docs/store_format.md``.

Traffic model
-------------
For every channel, day and interval the expected volume (contacts per interval) is::

    mu = peak[day type] * shape(time of day) * weekday factor * trend * season
         * school vacation bump * promotion * holiday catch-up * day random effect

and the recorded volume is a negative-binomial draw with mean ``mu`` and size ``dispersion``
(variance ``mu + mu**2 / dispersion``). Parameters (all in this module, documented with their
units in ``sample_data/README.md``):

``SEED``
    Default seed (20261123).
``STORE_START`` / ``STORE_END``
    Store history 2024-11-18 .. 2026-11-22, 30-minute intervals.
``CC_START`` / ``CC_END``
    Contact-center history 2025-11-24 .. 2026-11-22, 15-minute intervals.
``STORE_CHANNELS`` / ``CC_CHANNELS``
    Per channel: peak contacts per interval on weekdays, Saturdays, Sundays and public holidays,
    the intraday shape (a base level plus Gaussian bumps ``(centre hour, width hours, height)``),
    the negative-binomial size, how strongly the annual season applies, the promotion and
    school-vacation effects.
``TREND_PER_YEAR``
    Mild upward trend, +4 % a year.
``SEASON``
    Annual seasonality: mid-month factors, December busiest (ramp to Christmas Eve).
``DAY_EFFECT_SHAPE``
    Gamma shape of the day-level random effects (common to all channels of a day and per
    channel), mean 1: overdispersion across days.
``CATCH_UP``
    The first open day after a public holiday gets +15 % .. +25 % (uniform draw), after a
    closure twice that (Boxing Day: a Sunday-like bank holiday, but the day after Christmas).
``SCHOOL_VACATION_BUMP``
    England school vacations: +10 % .. +20 % on weekdays between about 10:00 and 16:00.
Events
    Christmas Day and New Year's Day are ``closure`` events (zero traffic on the phone, tills and
    counter; e-mails keep arriving at 40 %). Other bank holidays keep the configured opening
    hours with a Sunday-like (lower, flatter) day. A spring promotion week each year (+30 % on
    the tills) and Black Friday (Friday .. Monday, +45 % tills) are ``promotion`` events; Black
    Friday 2026-11-27 .. 2026-11-30 lies in the default planning week.
Data faults (not declared as events, for the detectors to find)
    Till outages: ``STORE_OUTAGES`` (tills volume 0 on open days); a missing-data gap
    ``STORE_GAP`` (rows absent on all channels).

Timestamps are local wall-clock ``YYYY-MM-DD HH:MM:SS`` in Europe/London: an interval that does
not exist (spring DST gap) is never written; an interval that occurs twice (autumn) is written
once with the volume of both occurrences.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

SEED = 20261123
HERE = Path(__file__).resolve().parent
TIMEZONE = "Europe/London"

STORE_START = dt.date(2024, 11, 18)
STORE_END = dt.date(2026, 11, 22)
CC_START = dt.date(2025, 11, 24)
CC_END = dt.date(2026, 11, 22)
EVENTS_END = dt.date(2027, 1, 3)  # events.csv is declared up to here (past and future)

TREND_PER_YEAR = 0.04
DAY_EFFECT_SHAPE = (90.0, 200.0)  # common to the day, per channel (mean 1, sd ~10.5 % and ~7 %)
CATCH_UP = (0.15, 0.25)
SCHOOL_VACATION_BUMP = (0.10, 0.20)
# Mid-month season factors, January .. December (interpolated between months).
SEASON = (0.88, 0.92, 0.97, 1.00, 1.00, 1.02, 1.03, 1.02, 0.97, 0.98, 1.05, 1.20)
CHRISTMAS_RAMP = 0.30  # extra factor growing linearly from 12 Dec to Christmas Eve
WEEKDAY_FACTOR = (0.95, 0.93, 0.96, 1.00, 1.08)  # Monday .. Friday

STORE_OUTAGES = (dt.date(2025, 6, 11), dt.date(2026, 3, 3))
STORE_GAP = (pd.Timestamp("2025-09-16 11:00"), pd.Timestamp("2025-09-16 15:00"))  # [start, end)

Bump = tuple[float, float, float]  # centre hour, width (sd) hours, height


@dataclass(frozen=True, kw_only=True, slots=True)
class Profile:
    """Intraday shape of one day type: ``peak`` contacts per interval at the shape's maximum."""

    peak: float
    base: float
    bumps: tuple[Bump, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class ChannelSpec:
    """Traffic parameters of one channel (volumes in contacts per interval)."""

    id: str
    weekday: Profile
    saturday: Profile
    sunday: Profile
    holiday: Profile
    dispersion: float  # negative-binomial size
    always_on: bool = False  # rows for every interval of every day (e-mail)
    season_strength: float = 1.0  # exponent on the season factor
    promotion: float = 1.0  # factor in promotion weeks
    black_friday: float = 1.0
    vacation: float = 1.0  # share of the school-vacation bump that applies
    closure_factor: float = 0.0  # traffic kept on closure days (always-on channels only)


@dataclass(frozen=True, kw_only=True, slots=True)
class Site:
    """Opening hours and calendar of a generated site."""

    interval_minutes: int
    opening: tuple[tuple[float, float] | None, ...]  # Monday .. Sunday, hours
    channels: tuple[ChannelSpec, ...]
    events: pd.DataFrame
    origin: dt.date  # trend origin
    outages: tuple[dt.date, ...] = ()
    outage_channel: str = ""
    gaps: tuple[tuple[pd.Timestamp, pd.Timestamp], ...] = field(default_factory=tuple)


def _p(peak: float, base: float, *bumps: Bump) -> Profile:
    return Profile(peak=peak, base=base, bumps=bumps)


STORE_CHANNELS = (
    ChannelSpec(
        id="tills",
        weekday=_p(60, 0.33, (12.9, 0.75, 0.85), (17.9, 0.85, 1.0), (10.5, 1.5, 0.2)),
        saturday=_p(78, 0.30, (13.5, 2.0, 1.0)),
        sunday=_p(48, 0.70, (13.0, 1.6, 0.35)),
        holiday=_p(42, 0.40, (13.0, 2.6, 0.6)),
        dispersion=60,
        promotion=1.30,
        black_friday=1.45,
    ),
    ChannelSpec(
        id="counter",
        weekday=_p(6, 0.45, (11.5, 1.5, 0.5), (17.5, 1.2, 0.6)),
        saturday=_p(8, 0.40, (13.0, 2.2, 0.6)),
        sunday=_p(5, 0.70, (13.0, 1.6, 0.3)),
        holiday=_p(6, 0.50, (13.0, 2.5, 0.5)),
        dispersion=25,
        promotion=1.10,
        black_friday=1.20,
    ),
    ChannelSpec(
        id="phone",
        weekday=_p(14, 0.30, (10.5, 1.0, 0.7), (14.5, 1.1, 0.6), (12.5, 2.5, 0.2)),
        saturday=_p(10, 0.40, (11.0, 1.5, 0.6), (14.5, 1.5, 0.4)),
        sunday=_p(8, 0.60, (12.0, 1.5, 0.4)),
        holiday=_p(9, 0.45, (11.5, 2.0, 0.5)),
        dispersion=30,
        season_strength=0.5,
        promotion=1.10,
        black_friday=1.25,
        vacation=0.5,
    ),
    ChannelSpec(
        id="email",
        weekday=_p(7, 0.05, (11.0, 2.5, 0.8), (15.5, 2.5, 0.6), (20.5, 1.5, 0.35)),
        saturday=_p(5, 0.07, (12.0, 3.0, 0.8), (20.0, 2.0, 0.4)),
        sunday=_p(4, 0.08, (13.0, 3.0, 0.8), (20.5, 2.0, 0.5)),
        holiday=_p(4, 0.08, (13.0, 3.0, 0.8), (20.5, 2.0, 0.5)),
        dispersion=12,
        always_on=True,
        season_strength=0.5,
        promotion=1.10,
        black_friday=1.40,
        vacation=0.0,
        closure_factor=0.4,
    ),
)

CC_CHANNELS = (
    ChannelSpec(
        id="sales_calls",
        weekday=_p(34, 0.30, (10.5, 1.5, 0.7), (19.0, 1.5, 0.8), (14.0, 2.0, 0.3)),
        saturday=_p(30, 0.35, (11.5, 2.0, 0.7), (15.5, 2.0, 0.4)),
        sunday=_p(20, 0.45, (12.5, 2.0, 0.6)),
        holiday=_p(20, 0.40, (12.5, 2.5, 0.6)),
        dispersion=40,
        season_strength=0.7,
        promotion=1.30,
        black_friday=1.50,
        vacation=0.3,
    ),
    ChannelSpec(
        id="service_calls",
        weekday=_p(78, 0.25, (9.5, 1.2, 0.9), (13.5, 1.5, 0.6), (18.0, 1.5, 0.4)),
        saturday=_p(45, 0.35, (10.5, 1.8, 0.7), (14.5, 1.8, 0.4)),
        sunday=_p(30, 0.45, (11.5, 2.0, 0.6)),
        holiday=_p(32, 0.40, (11.5, 2.5, 0.6)),
        dispersion=50,
        season_strength=0.5,
        promotion=1.05,
        black_friday=1.15,
        vacation=0.3,
    ),
    ChannelSpec(
        id="chat",
        weekday=_p(62, 0.25, (11.0, 2.0, 0.6), (20.0, 1.5, 0.9)),
        saturday=_p(55, 0.35, (12.5, 2.5, 0.7), (18.5, 1.5, 0.4)),
        sunday=_p(42, 0.45, (13.0, 2.5, 0.6)),
        holiday=_p(40, 0.40, (13.0, 2.5, 0.6)),
        dispersion=40,
        season_strength=0.7,
        promotion=1.20,
        black_friday=1.40,
        vacation=0.5,
    ),
    ChannelSpec(
        id="email",
        weekday=_p(22, 0.06, (10.5, 2.5, 0.8), (15.0, 2.5, 0.7), (21.0, 1.5, 0.4)),
        saturday=_p(14, 0.08, (12.0, 3.0, 0.8), (20.5, 2.0, 0.4)),
        sunday=_p(12, 0.08, (13.0, 3.0, 0.8), (20.5, 2.0, 0.5)),
        holiday=_p(12, 0.08, (13.0, 3.0, 0.8), (20.5, 2.0, 0.5)),
        dispersion=15,
        always_on=True,
        season_strength=0.5,
        promotion=1.10,
        black_friday=1.30,
        vacation=0.0,
        closure_factor=0.4,
    ),
)

SCHOOL_VACATIONS = (  # England, roughly (local authorities differ by a few days)
    ("2024-12-21", "2025-01-05", "Christmas school holidays"),
    ("2025-02-15", "2025-02-23", "February half term"),
    ("2025-04-05", "2025-04-21", "Easter school holidays"),
    ("2025-05-24", "2025-06-01", "May half term"),
    ("2025-07-23", "2025-09-02", "Summer school holidays"),
    ("2025-10-25", "2025-11-02", "October half term"),
    ("2025-12-20", "2026-01-04", "Christmas school holidays"),
    ("2026-02-14", "2026-02-22", "February half term"),
    ("2026-03-28", "2026-04-12", "Easter school holidays"),
    ("2026-05-23", "2026-05-31", "May half term"),
    ("2026-07-22", "2026-09-02", "Summer school holidays"),
    ("2026-10-24", "2026-11-01", "October half term"),
    ("2026-12-19", "2027-01-03", "Christmas school holidays"),
)
BLACK_FRIDAYS = (
    ("2024-11-29", "2024-12-02"),
    ("2025-11-28", "2025-12-01"),
    ("2026-11-27", "2026-11-30"),
)
STORE_PROMOTIONS = (
    ("2025-03-10", "2025-03-16", "Spring Sale week"),
    ("2026-03-09", "2026-03-15", "Spring Sale week"),
)
CC_PROMOTIONS = (
    ("2026-01-05", "2026-01-11", "New Year offers week"),
    ("2026-06-08", "2026-06-14", "Summer upgrade campaign"),
)
CLOSURES = (
    ("2024-12-25", "Christmas Day"),
    ("2025-01-01", "New Year's Day"),
    ("2025-12-25", "Christmas Day"),
    ("2026-01-01", "New Year's Day"),
    ("2026-12-25", "Christmas Day"),
    ("2027-01-01", "New Year's Day"),
)


def events_frame(
    promotions: tuple[tuple[str, str, str], ...], first: dt.date, last: dt.date
) -> pd.DataFrame:
    """Events (``start_date, end_date, name, kind``) overlapping ``first`` .. ``last``."""
    rows = [(s, e, n, "school_vacation") for s, e, n in SCHOOL_VACATIONS]
    rows += [(s, e, n, "promotion") for s, e, n in promotions]
    rows += [(s, e, "Black Friday", "promotion") for s, e in BLACK_FRIDAYS]
    rows += [(d, d, n, "closure") for d, n in CLOSURES]
    frame = pd.DataFrame(rows, columns=["start_date", "end_date", "name", "kind"])
    keep = (frame["end_date"] >= first.isoformat()) & (frame["start_date"] <= last.isoformat())
    return frame[keep].sort_values(["start_date", "kind"], ignore_index=True)


def _shape(profile: Profile, hours: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Profile values at ``hours``, scaled so that the maximum over ``grid`` equals ``peak``."""

    def raw(t: np.ndarray) -> np.ndarray:
        out = np.full(t.shape, profile.base)
        for centre, width, height in profile.bumps:
            out = out + height * np.exp(-0.5 * ((t - centre) / width) ** 2)
        return out

    return profile.peak * raw(hours) / raw(grid).max()


def _season(dates: pd.DatetimeIndex) -> np.ndarray:
    """Annual season factor per date (mid-month anchors, plus the run-up to Christmas)."""
    doy = dates.day_of_year.to_numpy().astype(float)
    anchors = np.array([15.5 + 30.4 * m for m in range(12)])
    values = np.array(SEASON)
    xs = np.concatenate([anchors - 365.0, anchors, anchors + 365.0])
    ys = np.tile(values, 3)
    factor = np.interp(doy, xs, ys)
    days_to_eve = (pd.to_datetime(dates.year.astype(str) + "-12-24") - dates).days.to_numpy()
    ramp = np.clip(1 - days_to_eve / 12.0, 0, 1) * (days_to_eve >= 0)
    return factor * (1 + CHRISTMAS_RAMP * ramp)


def _occurrences(stamps: pd.DatetimeIndex) -> np.ndarray:
    """How often each naive local wall-clock time occurs (0 in the spring gap, 2 in autumn)."""
    exists = stamps.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    first = stamps.tz_localize(
        TIMEZONE, ambiguous=np.ones(len(stamps), dtype=bool), nonexistent="NaT"
    )
    occ = np.ones(len(stamps), dtype=int)
    occ[first.isna()] = 0
    occ[exists.isna() & ~first.isna()] = 2
    return occ


def _in_ranges(dates: pd.DatetimeIndex, ranges: pd.DataFrame) -> np.ndarray:
    """Index into ``ranges`` of the range holding each date, -1 if none."""
    out = np.full(len(dates), -1)
    for i, (s, e) in enumerate(zip(ranges["start_date"], ranges["end_date"], strict=True)):
        out[(dates >= pd.Timestamp(s)) & (dates <= pd.Timestamp(e))] = i
    return out


@dataclass(frozen=True, kw_only=True, slots=True)
class _Calendar:
    """Day-level inputs of the traffic model, one entry per day."""

    weekday: np.ndarray  # 0 = Monday
    closed: np.ndarray  # closure event
    holiday: np.ndarray  # public holiday (not a closure)
    catch_up: np.ndarray  # factor
    vacation: np.ndarray  # school-vacation bump (0 outside vacations and at weekends)
    promo_index: np.ndarray  # row of the promotion event, -1 if none
    promo_is_black_friday: np.ndarray  # per promotion event
    trend_season: tuple[np.ndarray, np.ndarray]
    common: np.ndarray  # day random effect shared by the channels


def _calendar(site: Site, days: pd.DatetimeIndex, rng: np.random.Generator) -> _Calendar:
    n_days = len(days)
    first, last = days[0].year, days[-1].year
    gb = holidays.country_holidays("GB", subdiv="ENG", years=range(first, last + 2))
    closed = _in_ranges(days, site.events[site.events["kind"] == "closure"]) >= 0
    holiday = np.array([d.date() in gb for d in days]) & ~closed
    weekday = days.day_of_week.to_numpy()
    open_day = np.array([site.opening[w] is not None for w in weekday]) & ~closed
    # Catch-up: the first open day after a holiday or closure (doubled after a closure, so
    # Boxing Day, Sunday-like but open after Christmas Day, is a big day).
    weight = np.zeros(n_days)
    pending = 0.0
    for i in range(n_days):
        if pending and open_day[i]:
            weight[i], pending = pending, 0.0
        if closed[i]:
            pending = 2.0
        elif holiday[i]:
            pending = 1.0
    catch_up = 1 + weight * rng.uniform(*CATCH_UP, n_days)
    vac = site.events[site.events["kind"] == "school_vacation"]
    vac_bump = rng.uniform(*SCHOOL_VACATION_BUMP, len(vac))
    vac_index = _in_ranges(days, vac)
    vacation = np.where((vac_index >= 0) & (weekday < 5), vac_bump[vac_index], 0.0)
    promos = site.events[site.events["kind"] == "promotion"]
    years = (days - pd.Timestamp(site.origin)).days.to_numpy() / 365.25
    return _Calendar(
        weekday=weekday,
        closed=closed,
        holiday=holiday,
        catch_up=catch_up,
        vacation=vacation,
        promo_index=_in_ranges(days, promos),
        promo_is_black_friday=(promos["name"] == "Black Friday").to_numpy(),
        trend_season=((1 + TREND_PER_YEAR) ** years, _season(days)),
        common=rng.gamma(DAY_EFFECT_SHAPE[0], 1 / DAY_EFFECT_SHAPE[0], n_days),
    )


def _profiles(spec: ChannelSpec, site: Site, cal: _Calendar, hours: np.ndarray) -> np.ndarray:
    """Intraday expected volume (days x intervals) before the day-level factors."""
    out = np.empty((len(cal.weekday), len(hours)))
    masks = (
        (spec.weekday, (cal.weekday < 5) & ~cal.holiday),
        (spec.saturday, (cal.weekday == 5) & ~cal.holiday),
        (spec.sunday, (cal.weekday == 6) & ~cal.holiday),
        (spec.holiday, cal.holiday),
    )
    for profile, mask in masks:
        for w in np.unique(cal.weekday[mask]):
            lo, hi = site.opening[w] or (0.0, 24.0)
            grid = hours if spec.always_on else hours[(hours > lo) & (hours < hi)]
            out[mask & (cal.weekday == w)] = _shape(profile, hours, grid)
    return out


def generate_traffic(site: Site, seed: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Traffic history ``timestamp, channel, volume`` of ``site`` for ``start`` .. ``end``.

    Parameters
    ----------
    site : Site
        Opening hours, channels, events and data faults.
    seed : int
        Seed of ``numpy.random.default_rng``; same seed and dates give the same frame.
    start, end : datetime.date
        First and last day, inclusive.

    Returns
    -------
    pandas.DataFrame
        ``timestamp`` (naive local wall-clock), ``channel``, ``volume`` (int, contacts per
        interval), sorted by timestamp then channel in ``site.channels`` order.
    """
    rng = np.random.default_rng(seed)
    step = site.interval_minutes
    per_day = 24 * 60 // step
    days = pd.date_range(start, end, freq="D")
    n_days = len(days)
    cal = _calendar(site, days, rng)
    trend, season = cal.trend_season

    slot = np.arange(per_day)
    hours = (slot + 0.5) * step / 60  # interval midpoints
    stamps = pd.DatetimeIndex(np.repeat(days.to_numpy(), per_day)) + pd.to_timedelta(
        np.tile(slot * step, n_days), unit="min"
    )
    occurrences = _occurrences(stamps)
    day_of = np.repeat(np.arange(n_days), per_day)
    hour_of = np.tile(slot * step / 60, n_days)
    open_h = np.array([site.opening[w] or (0.0, 0.0) for w in cal.weekday])
    inside = (hour_of >= open_h[day_of, 0]) & (hour_of < open_h[day_of, 1])
    in_gap = np.zeros(len(stamps), dtype=bool)
    for gap_start, gap_end in site.gaps:
        in_gap |= (stamps >= gap_start) & (stamps < gap_end)
    closed = np.repeat(cal.closed, per_day)
    outage = np.repeat(np.isin(days.date, site.outages), per_day)
    vac_shape = np.clip(1 - np.abs(hours - 13.0) / 4.0, 0, 1) ** 0.5  # ~10:00-16:00
    weekday_factor = np.where(
        (cal.weekday < 5) & ~cal.holiday, np.array(WEEKDAY_FACTOR + (1, 1))[cal.weekday], 1.0
    )
    has_promo = cal.promo_index >= 0
    black_friday = np.zeros(n_days, dtype=bool)
    black_friday[has_promo] = cal.promo_is_black_friday[cal.promo_index[has_promo]]

    frames = []
    for spec in site.channels:
        day_factor = (
            trend
            * season**spec.season_strength
            * cal.catch_up
            * cal.common
            * rng.gamma(DAY_EFFECT_SHAPE[1], 1 / DAY_EFFECT_SHAPE[1], n_days)
            * weekday_factor
            * np.where(black_friday, spec.black_friday, np.where(has_promo, spec.promotion, 1))
            * np.where(cal.closed, spec.closure_factor, 1.0)
        )
        mu = _profiles(spec, site, cal, hours) * day_factor[:, None]
        mu = mu * (1 + spec.vacation * cal.vacation[:, None] * vac_shape[None, :])
        mu = mu.ravel() * occurrences  # 0 in the spring gap, both occurrences in autumn
        size = spec.dispersion
        volume = rng.negative_binomial(size, size / (size + np.maximum(mu, 1e-12)))
        keep = (occurrences > 0) & ~in_gap
        if not spec.always_on:
            keep &= inside  # closure days keep their configured hours, with volume 0
            volume = np.where(closed, 0, volume)
        if spec.id == site.outage_channel:
            volume = np.where(outage, 0, volume)
        frames.append(
            pd.DataFrame({"timestamp": stamps[keep], "channel": spec.id, "volume": volume[keep]})
        )
    order = {spec.id: i for i, spec in enumerate(site.channels)}
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(
        ["timestamp", "channel"], key=lambda c: c.map(order) if c.name == "channel" else c
    )
    return out.reset_index(drop=True)


STORE_OPENING = ((8.0, 21.0),) * 6 + ((10.0, 16.0),)
CC_OPENING = ((7.0, 22.0),) * 5 + ((8.0, 20.0), (9.0, 17.0))


def store_site() -> Site:
    """The Riverside Market store: 30-minute intervals, tills, counter, phone and e-mail."""
    return Site(
        interval_minutes=30,
        opening=STORE_OPENING,
        channels=STORE_CHANNELS,
        events=events_frame(STORE_PROMOTIONS, STORE_START, EVENTS_END),
        origin=STORE_START,
        outages=STORE_OUTAGES,
        outage_channel="tills",
        gaps=(STORE_GAP,),
    )


def contact_center_site() -> Site:
    """The Northwind contact centre: 15-minute intervals, calls, chat and e-mail."""
    return Site(
        interval_minutes=15,
        opening=CC_OPENING,
        channels=CC_CHANNELS,
        events=events_frame(CC_PROMOTIONS, CC_START, EVENTS_END),
        origin=CC_START,
    )


def generate_store_traffic(
    seed: int = SEED, start: dt.date = STORE_START, end: dt.date = STORE_END
) -> pd.DataFrame:
    """Store traffic ``timestamp, channel, volume`` (contacts per 30 minutes); see module doc."""
    return generate_traffic(store_site(), seed, start, end)


def generate_contact_center_traffic(
    seed: int = SEED, start: dt.date = CC_START, end: dt.date = CC_END
) -> pd.DataFrame:
    """Contact-center traffic ``timestamp, channel, volume`` (contacts per 15 minutes)."""
    return generate_traffic(contact_center_site(), seed + 1, start, end)


STORE_TOML = """\
# Riverside Market: the default sample store (generated by sample_data/generate.py).
name = "Riverside Market"
timezone = "Europe/London"
country = "GB"
subdivision = "ENG"
interval_minutes = 30
roles = ["cashier", "advisor", "supervisor", "greeter"]

[opening_hours]
monday = "08:00-21:00"
tuesday = "08:00-21:00"
wednesday = "08:00-21:00"
thursday = "08:00-21:00"
friday = "08:00-21:00"
saturday = "08:00-21:00"
sunday = "10:00-16:00"

[[channels]]
id = "tills"
name = "Tills"
kind = "walk_in"
role = "cashier"
aht_seconds = 120
max_average_wait_seconds = 120

[[channels]]
id = "counter"
name = "Service counter"
kind = "walk_in"
role = "advisor"
aht_seconds = 420
max_average_wait_seconds = 300

[[channels]]
id = "phone"
name = "Phone line"
kind = "calls"
role = "advisor"
aht_seconds = 240
service_level = 0.8
answer_within_seconds = 20
max_average_wait_seconds = 60
patience_seconds = 120  # callers are offered a callback instead of a long hold
max_abandon_rate = 0.05
shrinkage = 0.1

[[channels]]
id = "email"
name = "E-mail inbox"
kind = "deferred"
role = "advisor"
aht_seconds = 360
response_hours = 10

[[posts]]
name = "supervisor on duty"
role = "supervisor"
min_staff = 1

[[posts]]
name = "greeter at the entrance"
role = "greeter"
min_staff = 1
days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
start = "10:00"
end = "19:00"

[rules]
min_shift_hours = 4
max_shift_hours = 9
shift_start_step_minutes = 30
min_rest_hours = 11
max_days_per_week = 5
max_consecutive_days = 6
break_after_hours = 6
break_minutes = 30
break_window_start_hours = 3
break_window_end_hours = 5
prep_minutes_before_open = 0
close_minutes_after_close = 0

[costs]
understaffing_cost_per_hour = 60
post_shortfall_cost_per_hour = 200
overstaffing_cost_per_hour = 2
overtime_premium = 0.5
overtime_after_hours = 40
currency = "GBP"
"""

EMPLOYEE_COLUMNS = [
    "employee_id",
    "name",
    "roles",
    "min_hours_week",
    "max_hours_week",
    "hourly_cost",
    "max_days_week",
    "max_weekend_days",
    "contract",
]

# employee_id, name, roles, min h, max h, GBP per hour, max days, max weekend days, contract.
# Full-timers are contracted 37.5-40 h and may work up to 45 h (overtime premium after 40 h).
STORE_EMPLOYEES = (
    ("S01", "Margaret Hughes", "supervisor;advisor", 30, 45, 19.80, 5, 2, "full_time"),
    ("S02", "Daniel Okafor", "supervisor;advisor", 30, 45, 19.20, 5, 2, "full_time"),
    ("S03", "Priya Sharma", "supervisor;cashier", 30, 45, 18.60, 5, 2, "full_time"),
    ("S04", "Tom Fletcher", "supervisor", 30, 45, 18.20, 5, 2, "full_time"),
    ("A01", "Siobhan O'Brien", "advisor;cashier", 30, 45, 15.40, 5, 2, "full_time"),
    ("A02", "James Whitaker", "advisor", 30, 45, 15.10, 5, 2, "full_time"),
    ("A03", "Aisha Rahman", "advisor", 30, 45, 14.80, 5, 2, "full_time"),
    ("A04", "Gareth Price", "advisor;cashier", 30, 45, 14.60, 5, 2, "full_time"),
    ("A05", "Emma Collins", "advisor", 30, 45, 14.40, 5, 2, "full_time"),
    ("A06", "Lucas Silva", "advisor", 30, 45, 14.20, 5, 2, "full_time"),
    ("A07", "Hannah Moore", "advisor;greeter", 30, 45, 14.00, 5, 2, "full_time"),
    ("A08", "Oliver Grant", "advisor", 30, 45, 13.90, 5, 2, "full_time"),
    ("A09", "Chloe Bennett", "advisor", 16, 30, 13.80, 4, 2, "part_time"),
    ("A10", "Kwame Mensah", "advisor;cashier", 16, 30, 13.60, 4, 2, "part_time"),
    ("A11", "Zofia Nowak", "advisor", 12, 24, 13.50, 4, 2, "part_time"),
    ("C01", "Sarah Jenkins", "cashier;greeter", 30, 45, 13.20, 5, 2, "full_time"),
    ("C02", "Mohammed Ali", "cashier;advisor", 30, 45, 13.10, 5, 2, "full_time"),
    ("C03", "Laura Davies", "cashier;greeter", 30, 45, 13.00, 5, 2, "full_time"),
    ("C04", "Ryan Murphy", "cashier;advisor", 30, 45, 12.95, 5, 2, "full_time"),
    ("C05", "Grace Thompson", "cashier;advisor", 30, 45, 12.90, 5, 2, "full_time"),
    ("C06", "Connor Walsh", "cashier;greeter", 30, 45, 12.90, 5, 2, "full_time"),
    ("C07", "Fatima Begum", "cashier;advisor", 30, 45, 12.85, 5, 2, "full_time"),
    ("C08", "Jack Robinson", "cashier;advisor", 30, 45, 12.80, 5, 2, "full_time"),
    ("C09", "Megan Evans", "cashier;greeter", 30, 45, 12.75, 5, 2, "full_time"),
    ("C10", "Adam Kowalski", "cashier;advisor", 16, 28, 12.75, 4, 2, "part_time"),
    ("C11", "Rebecca Hall", "cashier;greeter", 16, 24, 12.75, 4, 2, "part_time"),
    ("C12", "Samuel Adeyemi", "cashier", 16, 24, 12.75, 4, 2, "part_time"),
    ("C13", "Isla Campbell", "cashier", 12, 20, 12.75, 3, 2, "part_time"),
    ("C14", "Ethan Clarke", "cashier", 0, 16, 11.80, 3, 2, "student"),
    ("C15", "Nadia Hussain", "cashier", 16, 24, 12.75, 4, 2, "part_time"),
    ("W01", "Ellie Parker", "cashier;greeter", 0, 16, 11.60, 2, 2, "weekend"),
    ("W02", "Harvey Lewis", "cashier", 0, 16, 11.60, 2, 2, "weekend"),
    ("W03", "Amira Khan", "cashier", 0, 14, 11.50, 2, 2, "weekend"),
    ("W04", "Finley Wood", "cashier", 0, 12, 11.50, 2, 2, "weekend"),
    ("W05", "Maya Patel", "cashier;greeter", 0, 16, 11.60, 2, 2, "weekend"),
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
STORE_AVAILABILITY = (
    # school-run parents: not before 09:30 on school days
    *((e, day, "08:00", "09:30", "unavailable") for e in ("C03", "A05") for day in WEEKDAYS[:5]),
    ("C14", "tuesday", "", "", "unavailable"),  # student: lectures
    ("C14", "thursday", "", "", "unavailable"),
    ("C07", "sunday", "", "", "unavailable"),
    ("C11", "wednesday", "12:00", "21:00", "available"),
    ("A02", "2026-11-25", "", "", "unavailable"),  # holiday leave in the planning week
    ("S02", "monday", "08:00", "16:30", "preferred"),
    ("A04", "friday", "08:00", "14:00", "preferred"),
    ("C05", "saturday", "12:00", "21:00", "preferred"),
    ("W02", "sunday", "10:00", "16:00", "preferred"),
)

CC_TOML = """\
# Northwind Contact Centre: the large sample case (generated by sample_data/generate.py).
name = "Northwind Contact Centre"
timezone = "Europe/London"
country = "GB"
subdivision = "ENG"
interval_minutes = 15
roles = ["sales", "service", "chat", "backoffice", "team_lead"]

[opening_hours]
monday = "07:00-22:00"
tuesday = "07:00-22:00"
wednesday = "07:00-22:00"
thursday = "07:00-22:00"
friday = "07:00-22:00"
saturday = "08:00-20:00"
sunday = "09:00-17:00"

[[channels]]
id = "sales_calls"
name = "Sales calls"
kind = "calls"
role = "sales"
aht_seconds = 300
service_level = 0.8
answer_within_seconds = 20

[[channels]]
id = "service_calls"
name = "Service calls"
kind = "calls"
role = "service"
aht_seconds = 360
service_level = 0.8
answer_within_seconds = 30
patience_seconds = 180
max_abandon_rate = 0.05

[[channels]]
id = "chat"
name = "Web chat"
kind = "chat"
role = "chat"
aht_seconds = 600
concurrency = 3
service_level = 0.8
answer_within_seconds = 60

[[channels]]
id = "email"
name = "E-mail"
kind = "deferred"
role = "backoffice"
aht_seconds = 480
response_hours = 24

[[posts]]
name = "team leads on the floor"
role = "team_lead"
min_staff = 2

[rules]
min_shift_hours = 4
max_shift_hours = 9
shift_start_step_minutes = 60
min_rest_hours = 11
max_days_per_week = 5
max_consecutive_days = 6
break_after_hours = 6
break_minutes = 30
break_window_start_hours = 3
break_window_end_hours = 5

[costs]
understaffing_cost_per_hour = 60
post_shortfall_cost_per_hour = 200
overstaffing_cost_per_hour = 2
overtime_premium = 0.5
overtime_after_hours = 40
currency = "GBP"
"""

_FIRST = (
    "Alex Amelia Ben Bethany Callum Charlotte Dev Daisy Ewan Erin Femi Freya George Georgia "
    "Harry Holly Imran Imogen Jacob Jade Kieran Katie Liam Leah Marcus Mia Nathan Niamh Owen "
    "Olivia Patrick Phoebe Rhys Rosie Sam Sophie Theo Tia Usman Una Victor Violet Will Yasmin "
    "Zain Zara"
)
_LAST = (
    "Adams Ahmed Baker Barnes Bell Brown Carter Chen Cooper Cox Doyle Edwards Ellis Fisher "
    "Foster Green Harris Hill Hughes Jackson Jones Kelly King Lee Lloyd Martin Mason Mitchell "
    "Morgan Morris Murray Owen Palmer Patel Quinn Reid Roberts Scott Shaw Singh Smith Taylor "
    "Turner Walker Ward Watson White Williams Wilson Wright Young"
)
FIRST_NAMES, LAST_NAMES = _FIRST.split(), _LAST.split()

# (roles, head-count, base wage GBP/h) of the contact-center skill groups.
CC_SKILL_GROUPS = (
    ("service", 50, 13.40),
    ("service;chat", 40, 13.80),
    ("sales", 24, 13.60),
    ("sales;service", 32, 14.10),
    ("chat", 25, 13.30),
    ("chat;backoffice", 12, 13.50),
    ("backoffice", 14, 13.20),
    ("service;backoffice", 12, 13.70),
)
CC_TEAM_LEADS = 11


def contact_center_employees(seed: int = SEED) -> pd.DataFrame:
    """Contact-center employees (``EMPLOYEE_COLUMNS``): team leads and multi-skilled agents.

    Contracts: 60 % full time (30-40 h, contracted 37.5 h), 30 % part time (16-30 h), 10 %
    evening and weekend part time (8-20 h, at most 4 days).
    """
    rng = np.random.default_rng(seed + 2)
    total = CC_TEAM_LEADS + sum(n for _, n, _ in CC_SKILL_GROUPS)
    pairs = [(f, la) for f in FIRST_NAMES for la in LAST_NAMES]
    names = [f"{f} {la}" for f, la in (pairs[i] for i in rng.choice(len(pairs), total, False))]
    rows = []
    for i in range(CC_TEAM_LEADS):
        roles = "team_lead;service" if i % 2 == 0 else "team_lead;sales;service"
        wage = round(19.0 + rng.uniform(0, 2.5), 2)
        rows.append((f"TL{i + 1:02d}", names[i], roles, 30, 40, wage, 5, 2, "full_time"))
    k = CC_TEAM_LEADS
    number = 0
    for roles, count, base in CC_SKILL_GROUPS:
        for _ in range(count):
            number += 1
            draw = rng.uniform()
            if draw < 0.6:
                lo, hi, days, contract = 30, 40, 5, "full_time"
            elif draw < 0.9:
                hi = int(rng.choice([16, 20, 24, 30]))
                lo, days, contract = min(16, hi), 4, "part_time"
            else:
                hi = int(rng.choice([8, 12, 16, 20]))
                lo, days, contract = 0, 4 if hi > 16 else 3, "part_time"
            wage = round(base + rng.uniform(0, 1.2), 2)
            rows.append((f"AG{number:03d}", names[k], roles, lo, hi, wage, days, 2, contract))
            k += 1
    return pd.DataFrame(rows, columns=EMPLOYEE_COLUMNS)


CC_AVAILABILITY = (
    ("AG003", "monday", "07:00", "09:30", "unavailable"),
    ("AG003", "tuesday", "07:00", "09:30", "unavailable"),
    ("AG017", "sunday", "", "", "unavailable"),
    ("AG042", "2026-11-26", "", "", "unavailable"),
    ("AG055", "friday", "17:00", "22:00", "preferred"),
    ("AG101", "saturday", "08:00", "14:00", "available"),
    ("TL02", "wednesday", "07:00", "15:00", "preferred"),
)

AVAILABILITY_COLUMNS = ["employee_id", "day", "start", "end", "kind"]


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d %H:%M:%S")


def write_site(
    folder: Path,
    toml: str,
    employees: pd.DataFrame,
    availability: tuple[tuple[str, str, str, str, str], ...],
    site: Site,
    traffic: pd.DataFrame,
) -> None:
    """Write one store folder (``store.toml`` and the four CSV files) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "store.toml").write_text(toml, encoding="utf-8", newline="\n")
    _write_csv(employees, folder / "employees.csv")
    rows = pd.DataFrame(availability, columns=AVAILABILITY_COLUMNS)
    _write_csv(rows, folder / "availability.csv")
    _write_csv(site.events, folder / "events.csv")
    _write_csv(traffic, folder / "traffic.csv")


def write_store(folder: Path = HERE / "store", seed: int = SEED) -> None:
    """Generate and write the Riverside Market store folder."""
    employees = pd.DataFrame(STORE_EMPLOYEES, columns=EMPLOYEE_COLUMNS)
    traffic = generate_store_traffic(seed)
    write_site(folder, STORE_TOML, employees, STORE_AVAILABILITY, store_site(), traffic)


def write_contact_center(folder: Path = HERE / "contact_center", seed: int = SEED) -> None:
    """Generate and write the Northwind contact-centre folder."""
    employees = contact_center_employees(seed)
    traffic = generate_contact_center_traffic(seed)
    write_site(folder, CC_TOML, employees, CC_AVAILABILITY, contact_center_site(), traffic)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python sample_data/generate.py [--seed N] [--only store|contact_center]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--only", choices=["store", "contact_center"], help="write one folder")
    parser.add_argument("--out", type=Path, default=HERE, help="parent folder (default here)")
    args = parser.parse_args(argv)
    if args.only in (None, "store"):
        write_store(args.out / "store", args.seed)
    if args.only in (None, "contact_center"):
        write_contact_center(args.out / "contact_center", args.seed)


if __name__ == "__main__":
    main()
