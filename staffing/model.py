"""The domain model: a store, its channels, posts, rules, costs, employees and calendar.

All classes are frozen; they are built (and validated, with file/line context) by
:mod:`staffing.loader`, and changed only by making new ones (``dataclasses.replace``), which is
how scenarios are derived. Units are in the field names: seconds, minutes, hours, per week.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

__all__ = [
    "DEFAULT_ANSWER_WITHIN_SECONDS",
    "DEFAULT_SHRINKAGE",
    "WEEKDAYS",
    "WEEKEND_CONTRACT",
    "AvailabilityKind",
    "AvailabilityRule",
    "Channel",
    "ChannelKind",
    "Costs",
    "Employee",
    "Event",
    "Post",
    "Rules",
    "Store",
    "StoreData",
]

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

#: The service-level threshold when none is given, seconds: a contact answered within it counts
#: as answered in time. The one default of a channel's ``answer_within_seconds``, of the
#: queueing and channel-sizing functions' ``within`` / ``within_seconds`` and of the
#: ``staffing erlang --within`` option.
DEFAULT_ANSWER_WITHIN_SECONDS = 20.0

#: The shrinkage when none is given, a fraction of on-duty time (none: every person on duty
#: serves the channel all the time). The one default of a channel's ``shrinkage``, of
#: :func:`staffing.requirements.erlang_calculator` and of ``staffing erlang --shrinkage``.
DEFAULT_SHRINKAGE = 0.0


class ChannelKind(StrEnum):
    """How a channel's contacts queue (see docs/store_format.md)."""

    CALLS = "calls"
    CHAT = "chat"
    WALK_IN = "walk_in"
    DEFERRED = "deferred"


class AvailabilityKind(StrEnum):
    """What an ``availability.csv`` row says about its window."""

    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"
    PREFERRED = "preferred"


@dataclass(frozen=True, kw_only=True, slots=True)
class Channel:
    """A stream of customer contacts served by one role, with its service targets.

    Times in seconds unless named otherwise; rates are fractions in [0, 1].
    ``answer_within_seconds`` defaults to :data:`DEFAULT_ANSWER_WITHIN_SECONDS` and
    ``shrinkage`` to :data:`DEFAULT_SHRINKAGE`.
    """

    id: str
    name: str
    kind: ChannelKind
    role: str
    aht_seconds: float
    service_level: float | None = None
    answer_within_seconds: float = DEFAULT_ANSWER_WITHIN_SECONDS
    max_average_wait_seconds: float | None = None
    patience_seconds: float | None = None
    max_abandon_rate: float | None = None
    max_occupancy: float | None = None
    concurrency: int = 1
    response_hours: float | None = None
    shrinkage: float = DEFAULT_SHRINKAGE

    def __post_init__(self) -> None:
        # The queueing search never ends on an unreachable target (a service level of 1.5):
        # every channel, however made (store.toml, the app's target table), is checked here.
        fractions = ("service_level", "max_abandon_rate", "max_occupancy")
        for name in fractions:
            value = getattr(self, name)
            if value is not None and not 0 < value <= 1:
                raise ValueError(f"channel {self.id!r}: {name} {value!r} is not in (0, 1]")
        for name in ("aht_seconds", "answer_within_seconds", "max_average_wait_seconds",
                     "patience_seconds", "response_hours"):  # fmt: skip
            value = getattr(self, name)
            if value is not None and not 0 < value < math.inf:
                raise ValueError(f"channel {self.id!r}: {name} {value!r} is not above 0")
        if not 0 <= self.shrinkage < 1:
            raise ValueError(f"channel {self.id!r}: shrinkage {self.shrinkage!r} not in [0, 1)")
        if self.concurrency < 1:
            raise ValueError(f"channel {self.id!r}: concurrency {self.concurrency!r} below 1")
        if self.kind == ChannelKind.DEFERRED and self.response_hours is None:
            raise ValueError(f"channel {self.id!r}: deferred work needs response_hours")
        # What a kind does not use is refused, not ignored (store.toml names the line first).
        unused = {
            ChannelKind.DEFERRED: ("service_level", "max_average_wait_seconds",
                                   "patience_seconds", "max_abandon_rate", "max_occupancy"),
            ChannelKind.WALK_IN: ("patience_seconds", "max_abandon_rate", "response_hours"),
            ChannelKind.CHAT: ("patience_seconds", "max_abandon_rate", "response_hours"),
            ChannelKind.CALLS: ("response_hours",),
        }[self.kind]  # fmt: skip
        for name in unused:
            if getattr(self, name) is not None:
                raise ValueError(
                    f"channel {self.id!r}: a {self.kind.value} channel takes no {name} "
                    f"({getattr(self, name)!r})"
                )
        if self.concurrency != 1 and self.kind != ChannelKind.CHAT:
            raise ValueError(f"channel {self.id!r}: concurrency is for chat channels only")

    @property
    def follows_opening_hours(self) -> bool:
        """Deferred work (e-mail) arrives around the clock; other channels only while open."""
        return self.kind != ChannelKind.DEFERRED

    def targets_text(self) -> str:
        """The targets in words, e.g. ``80% within 20 s, wait <= 60 s``."""
        parts: list[str] = []
        if self.service_level is not None:
            parts.append(f"{self.service_level:.0%} within {self.answer_within_seconds:g} s")
        if self.max_average_wait_seconds is not None:
            parts.append(f"average wait <= {self.max_average_wait_seconds:g} s")
        if self.max_abandon_rate is not None:
            parts.append(f"abandonment <= {self.max_abandon_rate:.0%}")
        if self.max_occupancy is not None:
            parts.append(f"occupancy <= {self.max_occupancy:.0%}")
        if self.response_hours is not None:
            parts.append(f"answered within {self.response_hours:g} h")
        return ", ".join(parts) or "no target"


@dataclass(frozen=True, kw_only=True, slots=True)
class Post:
    """A fixed post: ``min_staff`` people of ``role`` on duty regardless of traffic.

    ``days`` are weekday indices (0 = Monday); ``start``/``end`` None mean opening/closing time.
    """

    role: str
    name: str
    min_staff: int = 1
    days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    start: dt.time | None = None
    end: dt.time | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Rules:
    """Shift and contract rules (defaults in the README's store format; ranges in
    docs/store_format.md)."""

    min_shift_hours: float = 4.0
    max_shift_hours: float = 9.0
    shift_start_step_minutes: int | None = None
    min_rest_hours: float = 11.0
    max_days_per_week: int = 5
    max_consecutive_days: int = 6
    break_after_hours: float = 6.0
    break_minutes: int = 30
    break_window_start_hours: float = 3.0
    break_window_end_hours: float = 5.0
    prep_minutes_before_open: int = 0
    close_minutes_after_close: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class Costs:
    """Weights of the roster objective, in currency units."""

    understaffing_cost_per_hour: float = 60.0
    post_shortfall_cost_per_hour: float = 200.0
    overstaffing_cost_per_hour: float = 2.0
    overtime_premium: float = 0.5
    overtime_after_hours: float = 40.0
    currency: str = "GBP"


@dataclass(frozen=True, kw_only=True, slots=True)
class Store:
    """The configuration in ``store.toml``.

    ``opening_hours`` maps weekday index (0 = Monday) to (open, close) local times; a close of
    00:00 means midnight at the end of the day; a missing weekday is closed.
    """

    name: str
    timezone: str
    country: str
    subdivision: str | None = None
    interval_minutes: int = 30
    roles: tuple[str, ...]
    opening_hours: dict[int, tuple[dt.time, dt.time]]
    channels: tuple[Channel, ...]
    posts: tuple[Post, ...] = ()
    rules: Rules = field(default_factory=Rules)
    costs: Costs = field(default_factory=Costs)

    def channel(self, channel_id: str) -> Channel:
        """The channel with this id (KeyError if none)."""
        for c in self.channels:
            if c.id == channel_id:
                return c
        raise KeyError(channel_id)

    def open_minutes(self, weekday: int) -> tuple[int, int] | None:
        """Opening and closing minute of the day (close may be 1440), or None when closed."""
        hours = self.opening_hours.get(weekday)
        if hours is None:
            return None
        open_t, close_t = hours
        start = open_t.hour * 60 + open_t.minute
        end = close_t.hour * 60 + close_t.minute
        return start, end if end > 0 else 1440


#: The contract that makes an employee available only on Saturday and Sunday (unless their
#: availability rows say otherwise), matched regardless of case and surrounding spaces.
WEEKEND_CONTRACT = "weekend"


@dataclass(frozen=True, kw_only=True, slots=True)
class Employee:
    """A row of ``employees.csv``; hours are paid hours per week, cost per paid hour.

    ``contract`` is free text, kept as written for the exports; the one value with a meaning,
    :data:`WEEKEND_CONTRACT`, is read by :attr:`weekend_only`.
    """

    id: str
    name: str
    roles: tuple[str, ...]
    min_hours_week: float
    max_hours_week: float
    hourly_cost: float
    max_days_week: int | None = None
    max_weekend_days: int = 2
    contract: str = ""

    @property
    def weekend_only(self) -> bool:
        """True when the contract is ``weekend`` in any case and with any spaces around it
        (``Weekend``, ``WEEKEND``): available only on Saturday and Sunday unless availability
        rows say otherwise."""
        return self.contract.strip().casefold() == WEEKEND_CONTRACT


@dataclass(frozen=True, kw_only=True, slots=True)
class AvailabilityRule:
    """A row of ``availability.csv``.

    Exactly one of ``weekday`` (0 = Monday, recurring) and ``date`` is set; ``start``/``end``
    None mean the whole day (an ``end`` of 00:00 means midnight at the end of the day).
    """

    employee_id: str
    weekday: int | None = None
    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    kind: AvailabilityKind


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    """A row of ``events.csv``: inclusive date range, name and kind."""

    start_date: dt.date
    end_date: dt.date
    name: str
    kind: str


@dataclass(frozen=True, kw_only=True, slots=True)
class StoreData:
    """A loaded and validated store folder.

    ``traffic`` has columns ``timestamp`` (naive local), ``channel``, ``volume``;
    ``warnings`` lists repairs made while loading (nothing is dropped silently).
    """

    store: Store
    employees: tuple[Employee, ...]
    availability: tuple[AvailabilityRule, ...]
    traffic: pd.DataFrame
    events: tuple[Event, ...]
    source: str = ""
    warnings: tuple[str, ...] = ()

    def employee(self, employee_id: str) -> Employee:
        """The employee with this id (KeyError if none)."""
        for e in self.employees:
            if e.id == employee_id:
                return e
        raise KeyError(employee_id)

    def default_week(self) -> dt.date:
        """The Monday after the last day of traffic history (the week to plan next)."""
        last = pd.Timestamp(self.traffic["timestamp"].max()).date()
        return last + dt.timedelta(days=7 - last.weekday())
