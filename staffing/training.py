"""Finding the time for a training session (a workshop, a team meeting) in a week's roster.

A training takes its attendees off the floor for a stretch of their working time. Like the
meeting schedulers of workforce-management suites, this places it into the roster as it stands
(published, usually), where it is felt least: every window of the given length in which each
attendee is on duty, outside their break, is tried, with the attendees taken off the count of
their shift's role for its length, and the windows are ranked by

1. the person-hours below a fixed post's minimum beyond the roster's own (a supervisor
   reachable, someone at the door: posts come first in the solver too), then
2. the contacts answered later than their channel's target beyond the roster's own (queues
   carried from interval to interval, so a window also counts the wait it leaves for the next
   ones): the customers who feel it, then
3. the person-hours understaffed beyond the roster's own (against the larger of the required
   people and a post's minimum, as the roster's shortfall is counted), then
4. the earlier start.

The contacts late are measured on the window's day (queues empty when the store closes; the
whole week for a channel open around the clock, and for deferred work, due over days), with
the same queue evaluation as the KPIs; the week's service level with the training is the
roster's less those contacts. Evaluated alone, a day's queues differ from the week's by a
fraction of a contact (the state space is sized to the traffic evaluated: 0.14 contacts on a
day of the tests' mini store), within the service levels' rounding; the tests hold the figures
to the KPIs recomputed over the whole week.

The roster itself is not changed: paid hours and cost stay as they are (a training is paid
working time). When no window fits, the reason is given per day (someone is off, or the
attendees' shifts share no stretch that long outside their breaks), so a manager can lock a
shift on the Adjust page (or ``staffing repair --shift``) to make room.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

import solver
from staffing.columns import ROLE, TIMESTAMP
from staffing.kpis import ChannelService, _allocate, channel_service, evaluate_channel
from staffing.model import ChannelKind, StoreData
from staffing.requirements import open_mask
from staffing.rostering import slot_time

if TYPE_CHECKING:
    from staffing.pipeline import WeekPlan

__all__ = ["TrainingOption", "TrainingSearch", "find_training_time"]


@dataclass(frozen=True, kw_only=True, slots=True)
class TrainingOption:
    """One window for the training, and what taking its attendees off the floor costs.

    ``post_hours`` are person-hours below a fixed post's minimum (a supervisor on duty, say)
    beyond the roster's own; ``extra_short_hours`` are person-hours understaffed beyond the
    roster's own (against the larger of required and a post's minimum);
    ``late_contacts`` are contacts answered (handled) later than their channel's target beyond
    the roster's own, measured on the window's day (over the week for deferred work and for a
    store open around the clock); ``service`` is, per channel of an attendee's role,
    the week's service level (fraction 0-1) without and with the training.
    """

    start: dt.datetime
    end: dt.datetime
    post_hours: float
    extra_short_hours: float
    late_contacts: float
    service: tuple[tuple[str, float, float], ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class TrainingSearch:
    """Where a training of ``minutes`` for ``attendees`` (employee ids) fits in a roster.

    ``options`` are the least felt windows, best first; ``fitting`` counts every window that
    fits; ``blocked`` says, for each day searched with no window, why (one line a day).
    """

    attendees: tuple[str, ...]
    minutes: int
    options: tuple[TrainingOption, ...]
    fitting: int
    blocked: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per window, best first, as the CLI and the app show it.

        Returns
        -------
        DataFrame
            ``when`` (day and local times), ``below a post (person-h)``, ``contacts late``,
            ``understaffed (person-h)`` (each beyond the roster's own), and per channel of an
            attendee's role, ``<channel> service level``: the week's, without -> with the
            training (percent).
        """
        rows = []
        for o in self.options:
            row: dict[str, object] = {
                "when": f"{o.start:%a %d %b %H:%M}-{o.end:%H:%M}",
                "below a post (person-h)": o.post_hours,
                "contacts late": o.late_contacts,
                "understaffed (person-h)": o.extra_short_hours,
            }
            for channel, was, now in o.service:
                row[f"{channel} service level"] = f"{was:.1%} -> {now:.1%}"
            rows.append(row)
        # a window in a role without channels (a post) has no service level: blank, not NaN
        return pd.DataFrame(rows).fillna("")


def find_training_time(
    plan: WeekPlan,
    attendees: Sequence[str],
    minutes: int,
    *,
    days: Collection[dt.date] | None = None,
    best: int = 5,
) -> TrainingSearch:
    """The windows of a planned week where a training is felt least (see the module).

    Parameters
    ----------
    plan : staffing.pipeline.WeekPlan
        The planned (or reopened saved) week: its roster, requirements and coverage.
    attendees : sequence of str
        Employee ids of the people who attend, each once.
    minutes : int
        Length of the training, minutes: a positive multiple of the store's planning interval.
    days : collection of datetime.date, optional
        Days the training may start on; None: every planned day.
    best : int
        How many windows to return at most.

    Returns
    -------
    TrainingSearch
        The windows, best first, and the days with none and why.

    Raises
    ------
    ValueError
        When an attendee is not on the team or named twice, there are none, or ``minutes`` is
        not a positive multiple of the planning interval.
    """
    data, problem, roster, week_start = plan.data, plan.problem, plan.roster, plan.week_start
    step = problem.slot_minutes
    known = {e.id: e.name for e in data.employees}
    unknown = [a for a in attendees if a not in known]
    if not attendees or unknown or len(set(attendees)) != len(attendees):
        raise ValueError(
            f"attendees {list(attendees)!r}: expected employee ids of the team, each once "
            f"({', '.join(sorted(known))})"
        )
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0 or minutes % step:
        raise ValueError(f"minutes {minutes!r}: expected a positive multiple of {step} minutes")
    length = minutes // step
    n = problem.horizon_slots
    planned = [week_start + dt.timedelta(days=d) for d in range(problem.days)]
    allowed = set(planned if days is None else days)
    shifts = {a: [s for s in roster.assignments if s.employee_id == a] for a in attendees}

    def host(who: str, lo: int, hi: int) -> solver.Assignment | None:
        """``who``'s shift with ``[lo, hi)`` on duty, outside its break."""
        for s in shifts[who]:
            off = s.break_start is not None and s.break_end is not None
            clear = not off or s.break_end <= lo or s.break_start >= hi  # type: ignore[operator]
            if s.start_slot <= lo and hi <= s.end_slot and clear:
                return s
        return None

    windows: list[tuple[int, list[str]]] = []  # (first slot, each attendee's role)
    for lo in range(n - length + 1):
        if slot_time(week_start, lo, step).date() not in allowed:
            continue
        hosts = [host(a, lo, lo + length) for a in attendees]
        if all(h is not None for h in hosts):
            windows.append((lo, [h.role for h in hosts if h is not None]))
    fitting = {slot_time(week_start, lo, step).date() for lo, _ in windows}
    on_duty = plan.coverage.pivot_table(
        index=TIMESTAMP, columns=ROLE, values="on_duty", aggfunc="sum"
    )
    is_open = open_mask(data, pd.DatetimeIndex(on_duty.index))
    per_day = n // problem.days
    blocked = tuple(
        _why(
            day,
            attendees,
            known,
            shifts,
            (k * per_day, (k + 1) * per_day),
            bool(is_open[k * per_day : (k + 1) * per_day].any()),
            minutes,
        )  # fmt: skip
        for k, day in enumerate(planned)
        if day in allowed and day not in fitting
    )
    need, minimum = _need(plan.coverage)
    base = channel_service(data, plan.requirements, on_duty)
    closed = np.flatnonzero(~is_open)
    people = {r: on_duty[r].to_numpy(float) for r in on_duty.columns}
    # Posts first, for every window (cheap); the queues only for the windows that can still
    # make the list: the ranking takes the fewest hours below a post's minimum first.
    posts: list[float] = []
    extras: list[float] = []
    for lo, roles in windows:
        below = extra = 0.0
        for role in set(roles):
            if role in need:
                k = roles.count(role)
                now = people[role][lo : lo + length]
                wanted, least = need[role][lo : lo + length], minimum[role][lo : lo + length]
                extra += float(
                    (np.maximum(wanted - now + k, 0) - np.maximum(wanted - now, 0)).sum()
                )
                below += float((np.maximum(least - now + k, 0) - np.maximum(least - now, 0)).sum())
        posts.append(round(below * step / 60, 2))
        extras.append(round(extra * step / 60, 2))
    cut = sorted(posts)[best - 1] if 0 < best <= len(posts) else max(posts, default=0.0)
    # The contacts late: the window's day with and without the attendees (the queue empties
    # when the store closes; deferred work, due over days, is evaluated over the week).
    before: dict[tuple[str, int, int], dict[str, np.ndarray]] = {}
    options: list[TrainingOption] = []
    for (lo, roles), post, extra in zip(windows, posts, extras, strict=True):
        if post > cut or best <= 0:
            continue
        hi = lo + length
        # from the closed interval before the window's day, so its queue starts empty there as
        # in the week's evaluation (a first interval's queue is taken at its steady state)
        a = int(closed[closed < lo].max(initial=0))
        b = int(closed[closed >= hi].min(initial=n))
        late, service = 0.0, []
        for role in sorted(set(roles)):
            mine = [s for s in base if s.channel.role == role]
            if not mine:
                continue  # a post without channels: its shortfall is counted above
            fewer = people[role].copy()
            fewer[lo:hi] -= roles.count(role)
            lost = _lost(data, mine, fewer, is_open, (a, b), before)
            for s, gone in zip(mine, lost, strict=True):
                late += gone
                counted = float(s.measures.get("counted", s.volume).sum())
                in_time = float(s.in_time.sum())
                service.append(
                    (s.channel.id, _share(in_time, counted), _share(in_time - gone, counted))
                )
        options.append(
            TrainingOption(
                start=slot_time(week_start, lo, step),
                end=slot_time(week_start, hi, step),
                post_hours=post,
                extra_short_hours=extra,
                late_contacts=round(max(late, 0.0), 1),
                service=tuple(service),
            )
        )
    options.sort(key=lambda o: (o.post_hours, o.late_contacts, o.extra_short_hours, o.start))
    options = options[: max(best, 0)]
    return TrainingSearch(
        attendees=tuple(attendees),
        minutes=minutes,
        options=tuple(options),
        fitting=len(windows),
        blocked=blocked,
    )


def _share(in_time: float, counted: float) -> float:
    """The service level of a week (fraction 0-1; 1 with no contacts, as the KPIs have it)."""
    return round(in_time / counted, 4) if counted > 0 else 1.0


def _lost(
    data: StoreData,
    channels: list[ChannelService],
    people: np.ndarray,
    is_open: np.ndarray,
    day: tuple[int, int],
    before: dict[tuple[str, int, int], dict[str, np.ndarray]],
) -> list[float]:
    """Per channel of one role, the contacts answered in time that are lost with ``people`` of
    the role on duty in place of the roster's: intervals ``day`` (``[a, b)``, one day's opening
    hours and the closed interval before them) evaluated with and without the change (those
    without kept in ``before``); deferred work over the whole week."""
    step = data.store.interval_minutes
    a, b = day
    needed = np.vstack([s.needed for s in channels])
    part = _allocate(people[a:b], needed[:, a:b])
    lost = []
    for i, s in enumerate(channels):
        c = s.channel
        if c.kind == ChannelKind.DEFERRED:
            given = _allocate(people, needed)[i]
            m = evaluate_channel(c, s.volume, given, step, is_open, planned=s.needed)
            after = ChannelService(c, s.volume, s.needed, given, m).in_time.sum()
            lost.append(float(s.in_time.sum() - after))
            continue
        volume, hours = s.volume[a:b], is_open[a:b]
        if (c.id, a, b) not in before:
            before[(c.id, a, b)] = evaluate_channel(c, volume, s.agents[a:b], step, hours)
        was = np.nan_to_num(before[(c.id, a, b)]["service_level"])
        now = np.nan_to_num(evaluate_channel(c, volume, part[i], step, hours)["service_level"])
        lost.append(float(np.sum(volume * (was - now))))
    return lost


def _need(coverage: pd.DataFrame) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """People needed per role and slot (the larger of required and a post's minimum), and the
    posts' minimums."""
    need, least = {}, {}
    for role, rows in coverage.groupby(ROLE, sort=False):
        rows = rows.sort_values(TIMESTAMP)
        least[str(role)] = rows["post_minimum"].to_numpy(float)
        need[str(role)] = np.maximum(rows["required"].to_numpy(float), least[str(role)])
    return need, least


def _why(
    day: dt.date,
    attendees: Sequence[str],
    names: dict[str, str],
    shifts: dict[str, list[solver.Assignment]],
    span: tuple[int, int],
    is_open: bool,
    minutes: int,
) -> str:
    """Why no window of ``minutes`` fits on ``day`` (slots ``span`` of the grid; ``is_open``:
    whether the store opens that day)."""
    lo, hi = span
    when = f"{day:%a %d %b}"
    # on duty that day: a shift with any part of it in the day (one from the evening before)
    off = [
        names[a]
        for a in attendees
        if not any(s.start_slot < hi and lo < s.end_slot for s in shifts[a])
    ]
    if off and not is_open and len(off) == len(attendees):
        return f"{when}: the store is closed"
    if off:
        verb = "is" if len(off) == 1 else "are"
        return f"{when}: {', '.join(off)} {verb} off"
    length = f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"
    if len(attendees) == 1:
        return f"{when}: the shift holds no {length} on duty outside its break"
    return f"{when}: the attendees' shifts hold no {length} on duty together outside breaks"
