"""What fitting found that limits or changes a forecast, in words for the report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from forecasts._daily import DailySpec
from forecasts._history import ChannelHistory
from forecasts.calendar import Calendar

__all__ = ["channel_findings", "event_findings"]

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CATEGORY_NAMES = {
    "holiday": "public holiday",
    "eve": "eve of a public holiday",
    "closure": "declared closure",
}
#: Measured by the forecast's own benchmark of short histories on the sample store (tills,
#: three weeks of 2026): the 80% band of a model fitted on one day of history.
ONE_DAY_COVERAGE80 = 0.29


def channel_findings(
    calendar: Calendar,
    h: ChannelHistory,
    spec: DailySpec,
    calibration: str,
    held_out_days: int,
    raw_coverage80: float,
) -> list[str]:
    """Short history (weekly pattern, bands) and day types with no traffic, for one channel.

    ``calibration`` says how the bands were calibrated ("weekly origins" is the normal case),
    ``held_out_days`` on how many held-out days, and ``raw_coverage80`` the share of held-out
    intervals the uncalibrated 80% band held.
    """
    out: list[str] = []
    ch = h.channel
    dows = np.asarray(h.days.day_of_week)
    open_dows = [d for d in range(7) if h.always_open or calendar.open_minutes(d) is not None]
    counts = {d: int((h.usable & (dows == d)).sum()) for d in open_dows}
    n = int(h.usable.sum())
    usable = f"{n} usable day{'s' if n != 1 else ''} of history"
    unseen = [d for d in open_dows if counts[d] == 0]
    if unseen:
        names = ", ".join(_DAY_NAMES[d] for d in unseen)
        out.append(
            f"{ch}: only {usable}, no usable {names}: those days are forecast at the level of "
            f"{_DAY_NAMES[spec.quiet_dow]}, the quietest week day seen; the weekly pattern "
            "needs a complete week, better several"
        )
    elif min(counts.values(), default=0) < 2:
        out.append(
            f"{ch}: only {usable}: the weekly pattern rests on a single day of some week days"
        )
    if held_out_days == 0:
        out.append(
            f"{ch}: only {usable}: no day can be held out to calibrate "
            "the prediction bands, so they are far too narrow (the 80% band of a model fitted "
            f"on one day held {ONE_DAY_COVERAGE80:.0%} of the next week's traffic in a test)"
        )
    elif calibration != "weekly origins":
        out.append(
            f"{ch}: only {usable}, too few to calibrate the prediction "
            f"bands on past weeks: they were calibrated by {calibration} in turn "
            f"({held_out_days} held-out days), where the model's own spread held "
            f"{raw_coverage80:.0%} of the traffic in its 80% band, and rescaled to hold 80% "
            "(quiet and busy intervals apart); "
            "less reliable than with seven weeks or more"
        )
    for category, level in spec.near_zero.items():
        name = _CATEGORY_NAMES.get(category, category)
        days = spec.near_zero_days[category]
        out.append(
            f"{ch}: every past {name} ({days} days) had (near) zero traffic: forecast at "
            f"{level:.1f} contacts a day"
        )
    return out


def event_findings(
    calendar: Calendar, specs: Mapping[str, DailySpec], channels: Sequence[ChannelHistory]
) -> list[str]:
    """Declared events whose effect the history cannot teach: no past day of their kind and
    no past event of their name (closures aside: a closed day needs no history)."""
    if not channels:
        return []
    first = channels[0].days[0].date()
    out = []
    for event in calendar.events:
        if event.kind == "closure" or event.end < first:
            continue
        blind = [
            name
            for name, spec in specs.items()
            if event.kind not in spec.flags and event.name not in spec.event_names
        ]
        if not blind:
            continue
        who = "" if len(blind) == len(specs) else f"{', '.join(blind)}: "
        when = f"{event.start}" + (f" .. {event.end}" if event.end != event.start else "")
        out.append(
            f"{who}no past '{event.kind}' events: the effect of '{event.name}' ({when}) cannot "
            "be learned; the forecast is unchanged on those days"
        )
    return out
