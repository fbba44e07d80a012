"""The end-to-end pipeline: history -> forecast -> requirements -> roster -> KPIs and files.

The CLI's ``staffing plan`` and the app's pages call these functions; nothing here knows about
either.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from numbers import Integral, Real
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

import solver
from solver import LockedShift
from staffing.columns import FORECAST_COLUMNS
from staffing.exports import write_csv
from staffing.kpis import Kpis, compute_kpis
from staffing.model import AvailabilityKind, AvailabilityRule, ChannelKind, StoreData
from staffing.requirements import Requirements, compute_requirements
from staffing.rostering import (
    build_problem,
    coverage_frame,
    hours_frame,
    roster_frame,
    roster_from_rows,
    shortfall_text,
    status_text,
)

__all__ = [
    "PlanSettings",
    "WeekPlan",
    "carry_decisions",
    "changed_days",
    "changed_shifts",
    "edit_week",
    "plan_week",
    "reopen_week",
    "resolve_week",
    "roster_week",
    "write_plan",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanSettings:
    """How to plan a week.

    Attributes
    ----------
    time_limit_seconds : float
        Wall-clock limit of the roster solver, seconds.
    workers : int
        Solver worker threads.
    seed : int
        Solver random seed (same seed, same machine load: same roster).
    staff_to : str
        Size staff to the point ``forecast`` or to its upper 80%/95% bound (``hi80``/``hi95``):
        one of :attr:`STAFF_TO`.
    days : int
        Days to plan from the start date.

    Raises
    ------
    ValueError
        Naming every bad setting: a time limit that is not a finite number of seconds above 0,
        fewer than 1 worker or day, a seed, worker or day count that is not a whole number, or
        a ``staff_to`` outside :attr:`STAFF_TO`.
    """

    #: The choices of ``staff_to`` (the CLI's ``--staff-to`` too).
    STAFF_TO: ClassVar[tuple[str, ...]] = ("forecast", "hi80", "hi95")

    time_limit_seconds: float = 10.0
    workers: int = 2
    seed: int = 0
    staff_to: str = "forecast"
    days: int = 7

    def __post_init__(self) -> None:
        problems = []
        t = self.time_limit_seconds
        if isinstance(t, bool) or not isinstance(t, Real) or not 0 < t < math.inf:  # NaN too
            problems.append(
                f"time_limit_seconds {t!r}: expected a finite number of seconds above 0"
            )
        for name, least in (("workers", 1), ("days", 1), ("seed", None)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Integral):
                problems.append(f"{name} {value!r}: expected a whole number")
            elif least is not None and value < least:
                problems.append(f"{name} {value!r}: expected {least} or more")
            else:
                object.__setattr__(self, name, int(value))  # a numpy integer as a Python int
        if self.staff_to not in self.STAFF_TO:
            choices = ", ".join(self.STAFF_TO)
            problems.append(
                f"staff_to {self.staff_to!r}: expected one of {choices} (the point forecast "
                "or its upper 80%/95% bound)"
            )
        if problems:
            raise ValueError("plan settings: " + "; ".join(problems))


@dataclass(frozen=True, kw_only=True, slots=True)
class WeekPlan:
    """Everything computed for one week, with the frames that are written to files."""

    data: StoreData
    week_start: dt.date
    forecast: pd.DataFrame
    requirements: Requirements
    problem: solver.RosterProblem
    roster: solver.Roster
    roster_rows: pd.DataFrame
    hours: pd.DataFrame
    coverage: pd.DataFrame
    kpis: Kpis
    violations: tuple[solver.RuleViolation, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: Person-days a manager cleared by deleting the shift (kept off in later re-solves until a
    #: shift is put back by hand): (employee id, date).
    days_off: tuple[tuple[str, dt.date], ...] = ()

    def decisions(self) -> dict[str, object]:
        """The manager's decisions behind this roster, JSON-shaped, to save with it.

        Returns
        -------
        dict of str to object
            ``locked``: the shifts kept through re-solves (employee id, role, shift type and
            local ISO start and end on the planning grid); ``days_off``: ``[employee id, ISO
            date]`` pairs; ``staff_to`` and ``days``: what the requirements were sized to and
            over. :func:`reopen_week` takes them back.
        """
        origin = dt.datetime.combine(self.week_start, dt.time())
        minutes = self.problem.slot_minutes

        def at(slot: int) -> str:
            return (origin + dt.timedelta(minutes=slot * minutes)).isoformat(timespec="minutes")

        return {
            "locked": [
                {
                    "employee_id": k.employee_id,
                    "role": k.role,
                    "shift_type": k.shift_type,
                    "start": at(k.start_slot),
                    "end": at(k.end_slot),
                }
                for k in self.problem.locked
            ],  # fmt: skip
            "days_off": [[e, d.isoformat()] for e, d in self.days_off],
            "staff_to": self.requirements.staff_to,
            "days": self.requirements.days,
        }

    def locked_mask(self) -> pd.Series:
        """Which rows of ``roster_rows`` are locked shifts (kept through re-solves).

        Returns
        -------
        Series of bool
            Aligned with ``roster_rows``: True where the row's employee, start, end and role
            are those of a lock in ``problem.locked``.
        """
        keys = {(k.employee_id, k.start_slot, k.end_slot, k.role) for k in self.problem.locked}
        rows = self.roster_rows
        minutes, start = self.problem.slot_minutes, self.week_start
        return pd.Series(
            [
                (r.employee_id, _slot(start, r.start, minutes), _slot(start, r.end, minutes),
                 r.role) in keys
                for r in rows.itertuples(index=False)
            ],
            index=rows.index,
            dtype=bool,
        )  # fmt: skip

    def decision_lines(self, dates: Collection[dt.date] | None = None) -> list[str]:
        """The manager's decisions in words, e.g. ``Anna Smith (A01): off Fri 27 Nov`` and
        ``Ben Jones (S03): shift kept Sat 28 Nov 06:00-14:00 as supervisor``.

        Parameters
        ----------
        dates : collection of datetime.date, optional
            Only the decisions of these days (a locked shift by its start); None: all.

        Returns
        -------
        list of str
            One line per locked shift (by start), then one per day off (by date).
        """
        names = {e.id: e.name for e in self.data.employees}
        origin = dt.datetime.combine(self.week_start, dt.time())
        minutes = self.problem.slot_minutes

        def who(emp: str) -> str:
            return f"{names[emp]} ({emp})" if emp in names else emp

        def at(slot: int) -> dt.datetime:
            return origin + dt.timedelta(minutes=slot * minutes)

        def wanted(day: dt.date) -> bool:
            return dates is None or day in dates

        lines = [
            f"{who(k.employee_id)}: shift kept {at(k.start_slot):%a %d %b %H:%M}-"
            f"{at(k.end_slot):%H:%M} as {k.role}"
            for k in sorted(self.problem.locked, key=lambda k: (k.start_slot, k.employee_id))
            if wanted(at(k.start_slot).date())
        ]
        lines += [
            f"{who(e)}: off {d:%a %d %b}"
            for e, d in sorted(self.days_off, key=_by_day)
            if wanted(d)
        ]
        return lines

    def shortfall_lines(self) -> list[str]:
        """The roster's shortfalls in words, e.g. ``short 2 people (cashier) Sat 12:00-14:00``.

        Returns
        -------
        list of str
            One line per shortfall of ``roster.shortfalls``, in their order.
        """
        return [
            shortfall_text(s, self.week_start, self.problem.slot_minutes)
            for s in self.roster.shortfalls
        ]

    def below_minimum_lines(self) -> list[str]:
        """People paid fewer hours than their contract's weekly minimum (a priced, soft rule),
        e.g. ``Ann Archer (E1): 12.0 h paid, contract minimum 30 h``.

        Returns
        -------
        list of str
            One line per such employee. The minimum (hours per week) is scaled to the planned
            days (``problem.days / 7``) before comparing; the line shows the weekly figure.
        """
        h = self.hours
        below = h[h["paid_hours"] < h["min_hours_week"] * self.problem.days / 7 - 1e-6]
        return [
            f"{r.name} ({r.employee_id}): {r.paid_hours:g} h paid, contract minimum "
            f"{r.min_hours_week:g} h"
            for r in below.itertuples()
        ]

    def capacity_text(self) -> str | None:
        """Says so when the team's contracts cannot cover the week's need, else None.

        Compares the person-hours needed on duty (the larger of the queueing need and the
        fixed posts, summed over roles and intervals) with the most the employees may be paid
        (their weekly maximum hours, scaled to the planned days). Breaks come on top of the
        need, so a ratio close to 1 already means shortfalls are structural, not the solver's.

        Returns
        -------
        str or None
            A sentence for the manager when the person-hours needed reach 85% or more of the
            paid hours allowed, else None (also when no paid hours are allowed at all).
        """
        cov = self.coverage
        hours = self.problem.slot_minutes / 60
        needed = float(cov[["required", "post_minimum"]].max(axis=1).sum() * hours)
        allowed = sum(e.max_hours_week for e in self.data.employees) * self.problem.days / 7
        if allowed <= 0 or needed < 0.85 * allowed:
            return None
        tight = (
            "Shortfalls are expected"
            if needed >= allowed
            else "Shortfalls are likely once breaks and availability are counted"
        )
        return (
            f"The week needs {needed:,.0f} person-hours on duty; the team's contracts allow at "
            f"most {allowed:,.0f} paid hours (the need is {needed / allowed:.0%} of them), "
            f"before breaks and availability. {tight}: more people or hours, or looser targets "
            "(what-if scenarios: the Scenarios page, or staffing compare), would close them."
        )

    def caution_lines(self) -> list[str]:
        """What the numbers do not say by themselves, in sentences for the manager.

        * No lower bound proved (a solved roster only): how far the roster is from the
          cheapest is unknown, and a longer time limit usually gives a cheaper one.
        * A deferred channel (e-mail) whose queue grows over the week: its service level
          assumes the weeks around this one keep up; this roster repeated falls behind.

        Returns
        -------
        list of str
            Empty when there is nothing to add.
        """
        out = []
        if self.kpis.proved_gap is None and self.roster.status != "edited":
            out.append(
                "No lower bound was proved before the solve ended (after "
                f"{self.roster.solve_seconds:.0f} s, its time limit and the first roster's "
                "hand-over): how far this roster is from the cheapest one is unknown. A longer "
                "time limit usually gives a cheaper roster with fewer shortfalls and a reported "
                "gap (the sample contact center needs about a minute)."
            )
        kinds = {c.id: c for c in self.data.store.channels}
        for ch in self.kpis.channels:
            channel = kinds.get(ch.channel)
            if channel is None or channel.kind != ChannelKind.DEFERRED:
                continue
            if ch.backlog_growth >= 0.5:
                out.append(
                    f"{channel.name} falls behind: {ch.backlog_growth:,.0f} more wait at the "
                    f"week's end than at its start. Its service level ({ch.service_level:.1%}) "
                    "assumes the next week is staffed to catch up; with this roster week after "
                    "week the queue keeps growing and deadlines are missed."
                )
        return out

    def summary_text(self) -> str:
        """A short human summary for the command line.

        Returns
        -------
        str
            Several lines: the roster's status, shifts, paid hours, wage cost (store currency),
            optimality gap and solve time (seconds); per channel its volume (contacts), service
            level, average wait (seconds; hours for deferred work, with the growth of its queue
            over the week when there is any) and abandonment; the
            understaffed person-hours; then notes, the first ten shortfalls and people below
            their contract minimum, conflicts and rule violations.
        """
        k = self.kpis
        cur = self.data.store.costs.currency
        gap = "no lower bound proved" if k.proved_gap is None else f"optimality gap {k.gap:.2%}"
        lines = [
            f"{self.data.store.name}: week of {self.week_start:%a %d %b %Y}",
            f"  roster: {status_text(self.roster.status)} ({self.roster.status})",
            f"  {len(self.roster.assignments)} shifts, {k.paid_hours:.1f} paid hours, wage cost "
            f"{k.wage_cost:,.2f} {cur}, {gap} (solved in {self.roster.solve_seconds:.1f} s)",
        ]
        kinds = {c.id: c.kind for c in self.data.store.channels}
        for ch in k.channels:
            if kinds.get(ch.channel) == ChannelKind.DEFERRED:  # a response, in hours
                waited = f"avg response {ch.average_wait_seconds / 3600:5.1f} h"
                if abs(ch.backlog_growth) >= 0.5:  # the week falls behind or catches up
                    waited += f" (queue {ch.backlog_growth:+,.0f} over the week)"
            else:
                waited = f"avg wait {ch.average_wait_seconds:6.1f} s"
            lines.append(
                f"  {ch.channel:<14} volume {ch.volume:8.0f}  service level {ch.service_level:6.1%}"
                f"  {waited}  abandon {ch.abandon_rate:5.1%}"
            )
        lines.append(f"  understaffed person-hours: {k.understaffed_person_hours:.1f}")
        capacity = self.capacity_text()
        for note in ([capacity] if capacity else []) + self.caution_lines():
            lines.append(f"  note: {note}")
        for title, items in (
            ("shortfalls", self.shortfall_lines()),
            ("below their contract minimum", self.below_minimum_lines()),
        ):
            if items:  # the first ten, and how many more kpis.json lists
                lines.append(f"  {title} ({len(items)}):")
                lines.extend(f"    {item}" for item in items[:10])
                if len(items) > 10:
                    lines.append(f"    ... and {len(items) - 10} more (see kpis.json)")
        lines.extend(f"  conflict: {c}" for c in self.roster.conflicts)
        lines.extend(f"  RULE VIOLATION: {v.message}" for v in self.violations)
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def plan_week(data: StoreData, week_start: dt.date, settings: PlanSettings) -> WeekPlan:
    """Run forecast -> requirements -> roster for the ``settings.days`` from ``week_start``.

    Parameters
    ----------
    data : StoreData
        The store, its team and its traffic history (contacts per row).
    week_start : datetime.date
        First planned day (local date); the forecast is fitted on the history before it.
    settings : PlanSettings
        Days to plan, what to staff to and the solver's settings (see :class:`PlanSettings`).

    Returns
    -------
    WeekPlan
        The forecast, requirements, roster and KPIs, with the forecast's data notes in
        ``notes``.

    Raises
    ------
    HistoryError
        When the store's history cannot be fitted (from :func:`forecasts.fit_forecast`).
    InputError
        When a channel's forecast would keep more than
        :data:`staffing.requirements.MAX_AGENTS_PER_INTERVAL` agents busy (a volume unit
        mistake), naming ``traffic.csv``, the channel and the interval.
    ValueError
        When no head-count up to the sizing kernel's cap meets a channel's targets (see
        :func:`staffing.queueing.required_agents`).
    """
    from staffing.forecasting import forecast_notes, forecast_week  # statsmodels loads here

    forecast, model = forecast_week(data, week_start, settings.days)
    requirements = compute_requirements(
        data, forecast, week_start, days=settings.days, staff_to=settings.staff_to
    )
    notes = forecast_notes(data, week_start, model)
    return roster_week(data, week_start, forecast, requirements, settings, notes=notes)


def roster_week(
    data: StoreData,
    week_start: dt.date,
    forecast: pd.DataFrame,
    requirements: Requirements,
    settings: PlanSettings,
    *,
    locked: tuple[solver.LockedShift, ...] = (),
    requests: tuple[solver.ShiftRequest, ...] = (),
    published: solver.Roster | None = None,
    on_solution: Callable[[float, float], None] | None = None,
    notes: tuple[str, ...] = (),
    days_off: tuple[tuple[str, dt.date], ...] = (),
) -> WeekPlan:
    """Roster the week for given requirements (used for fresh plans, re-solves and scenarios).

    Parameters
    ----------
    data : StoreData
        The store and its team.
    week_start : datetime.date
        First planned day (local date).
    forecast : DataFrame
        The forecast the requirements came from (contacts per planning interval); kept on the
        plan, not read.
    requirements : Requirements
        People needed per role and interval
        (:func:`~staffing.requirements.compute_requirements`).
    settings : PlanSettings
        Days to plan and the solver's time limit (seconds), workers and seed.
    locked : tuple of solver.LockedShift
        Shifts the roster must keep (slots on the week's grid).
    requests : tuple of solver.ShiftRequest
        Extra wishes to work or not, priced in currency units; the store's ``preferred``
        availability is added to them.
    published : solver.Roster, optional
        A roster to repair with as few changed shifts as possible (:func:`solver.resolve`);
        None solves afresh (:func:`solver.solve`).
    on_solution : callable, optional
        ``on_solution(cost, seconds)`` is called on each better roster: its cost (currency
        units) and the seconds since the solve started (see :class:`solver.SolveSettings`).
    notes : tuple of str
        Notes kept on the plan (e.g. the forecast's data notes).
    days_off : tuple of (str, datetime.date)
        Person-days (employee id, date) a manager cleared (``WeekPlan.days_off``): nobody is
        rostered on them, and the plan keeps them apart from the store's availability.

    Returns
    -------
    WeekPlan
        The roster, checked against every rule (``violations``), with its frames and KPIs.

    Raises
    ------
    ValueError
        When the roster problem is inconsistent (:class:`solver.RosterProblem` names it), e.g.
        a locked shift or request naming someone not in the store or a day outside the week.
    """
    problem = build_problem(
        _with_days_off(data, days_off), week_start, requirements.needs, days=settings.days,
        locked=locked, requests=requests,
    )  # fmt: skip
    solve_settings = solver.SolveSettings(
        time_limit_seconds=settings.time_limit_seconds,
        workers=settings.workers,
        seed=settings.seed,
        on_solution=on_solution,
    )
    if published is None:
        roster = solver.solve(problem, solve_settings)
    else:
        roster = solver.resolve(problem, published, solve_settings)
    roster = replace(roster, conflicts=tuple(_dated(c, week_start) for c in roster.conflicts))
    if roster.assignments:  # a lock the solver left out is no longer a decision in force
        kept = {
            (a.employee_id, a.day, a.start_slot, a.end_slot, a.role) for a in roster.assignments
        }
        locks = tuple(k for k in problem.locked if _lock_key(k) in kept)
        if len(locks) < len(problem.locked) and not roster.conflicts:  # said nowhere else
            notes += tuple(
                f"The locked shift of {k.employee_id} on "
                f"{week_start + dt.timedelta(days=k.day):%a %d %b}{_NOT_KEPT}"
                for k in problem.locked
                if _lock_key(k) not in kept
            )
        problem = replace(problem, locked=locks)
    return _assemble(data, week_start, forecast, requirements, problem, roster, notes, days_off)


# The end of the note a solve leaves for a lock it left out: the next re-solve drops it (the
# lock is no longer a decision, so the note is about that solve alone; they had piled up).
_NOT_KEPT = " could not be kept and was left out."


def _lock_key(lock: LockedShift) -> tuple[str, int, int, int, str]:
    return (lock.employee_id, lock.day, lock.start_slot, lock.end_slot, lock.role)


def _by_day(item: tuple[str, dt.date]) -> tuple[dt.date, str]:
    return item[1], item[0]


def _slot(week_start: dt.date, when: str, minutes: int) -> int:
    """The grid slot of a local ISO date-time of ``roster_rows`` (whole minutes)."""
    offset = dt.datetime.fromisoformat(when) - dt.datetime.combine(week_start, dt.time())
    return int(offset.total_seconds()) // 60 // minutes


_DAY_N = re.compile(r"\bon day (\d+)\b")


def _dated(text: str, week_start: dt.date) -> str:
    """A solver message's ``on day N`` (1-based from the week's start) as ``on Mon 23 Nov``:
    the solver knows no dates."""
    return _DAY_N.sub(
        lambda m: f"on {week_start + dt.timedelta(days=int(m.group(1)) - 1):%a %d %b}", text
    )


def _with_days_off(data: StoreData, days_off: tuple[tuple[str, dt.date], ...]) -> StoreData:
    rules = tuple(
        AvailabilityRule(employee_id=e, date=d, kind=AvailabilityKind.UNAVAILABLE)
        for e, d in days_off
    )
    return replace(data, availability=data.availability + rules) if rules else data


def _assemble(
    data: StoreData,
    week_start: dt.date,
    forecast: pd.DataFrame,
    requirements: Requirements,
    problem: solver.RosterProblem,
    roster: solver.Roster,
    notes: tuple[str, ...],
    days_off: tuple[tuple[str, dt.date], ...] = (),
) -> WeekPlan:
    """Check the roster against every rule and derive its frames and KPIs."""
    violations = solver.check_roster(problem, roster)
    rows = roster_frame(data, week_start, roster)
    coverage = coverage_frame(problem, roster, week_start)
    kpis = compute_kpis(data, requirements, coverage, rows, roster)
    return WeekPlan(
        data=data,
        week_start=week_start,
        forecast=forecast,
        requirements=requirements,
        problem=problem,
        roster=roster,
        roster_rows=rows,
        hours=hours_frame(data, rows),
        coverage=coverage,
        kpis=kpis,
        violations=violations,
        notes=notes,
        days_off=days_off,
    )


def edit_week(
    plan: WeekPlan, rows: pd.DataFrame, *, released: tuple[tuple[str, dt.date], ...] = ()
) -> WeekPlan:
    """The plan with its roster replaced by hand-edited rows, checked against every rule.

    Rule violations are reported in ``violations``, not refused: the manager decides.

    Shifts moved, added or ticked are locked and deleted ones' person-days become ``days_off``
    for later re-solves; a shift put back by hand on such a day ends it (the problem is then
    built again, so explicit ``requests`` once given to :func:`roster_week` are not carried:
    the product gives none). With a ``lock`` column, a locked shift left as it was but not
    ticked is released (``WeekPlan.locked_mask`` gives the ticks that keep every lock).

    Parameters
    ----------
    plan : WeekPlan
        The plan whose roster was edited.
    rows : DataFrame
        Shaped like ``plan.roster_rows`` (shifts moved, deleted or added by a manager; local
        ISO date-times on the planning grid), with an optional boolean ``lock`` column (shifts
        to keep when re-solving; without it every earlier lock stays).
    released : tuple of (employee id, date)
        Days off of ``plan.days_off`` the manager gives back: re-solves may roster them again.

    Returns
    -------
    WeekPlan
        The plan with the edited roster, its locks, days off, frames, KPIs and violations.

    Raises
    ------
    InputError
        Naming the row and field of unreadable input (file ``edited roster``).
    """
    ticked = rows.get("lock", pd.Series(False, index=rows.index)).fillna(False).astype(bool)
    shifts = rows.drop(columns="lock", errors="ignore")
    roster = roster_from_rows(plan.problem, plan.week_start, shifts)
    pinned = roster_from_rows(plan.problem, plan.week_start, shifts[ticked])
    untied: set[tuple[str, int, int, int, str]] = set()  # kept shifts whose tick was removed
    if "lock" in rows.columns:
        untied = {
            _key(a)
            for a in roster_from_rows(plan.problem, plan.week_start, shifts[~ticked]).assignments
        }
    # The manager's decisions stay in force for later re-solves: a shift moved or added by hand
    # is locked, and a person-day whose shift was deleted is a day off (a second re-solve had
    # put both back).
    before = {_key(a) for a in plan.roster.assignments}
    after = {_key(a) for a in roster.assignments}
    made = [a for a in roster.assignments if _key(a) not in before]  # moved or added
    made += [a for a in pinned.assignments if _key(a) in before]  # ticked "lock"
    placed = {(a.employee_id, a.day) for a in made}
    locked = tuple(
        lock
        for lock in plan.problem.locked
        if (lock.employee_id, lock.day) not in placed and _lock_key(lock) not in untied
    ) + tuple(
        LockedShift(
            employee_id=a.employee_id, day=a.day, start_slot=a.start_slot, end_slot=a.end_slot,
            role=a.role, shift_type=a.shift_type,
        )
        for a in made
    )  # fmt: skip
    working = {(a.employee_id, a.day) for a in roster.assignments}
    day = {a.day: plan.week_start + dt.timedelta(days=a.day) for a in plan.roster.assignments}
    cleared = {
        (a.employee_id, day[a.day])
        for a in plan.roster.assignments
        if _key(a) not in after and (a.employee_id, a.day) not in working
    }
    # a shift put back by hand on a cleared day ends that day off
    worked = {(e, plan.week_start + dt.timedelta(days=d)) for e, d in working}
    days_off = tuple(sorted((set(plan.days_off) | cleared) - worked - set(released)))
    locked = tuple(k for k in locked if (k.employee_id, k.day) in working)
    problem = plan.problem
    if set(days_off) != set(plan.days_off):  # the rules checked follow the days off
        problem = build_problem(
            _with_days_off(plan.data, days_off), plan.week_start, plan.requirements.needs,
            days=plan.problem.days,
        )  # fmt: skip
    problem = replace(problem, locked=locked)
    return _assemble(
        plan.data, plan.week_start, plan.forecast, plan.requirements, problem, roster,
        plan.notes, days_off,
    )  # fmt: skip


def resolve_week(
    plan: WeekPlan,
    rows: pd.DataFrame | None = None,
    absent: tuple[tuple[str, dt.date], ...] = (),
    settings: PlanSettings | None = None,
    *,
    released: tuple[tuple[str, dt.date], ...] = (),
    kept_before: dt.date | None = None,
) -> WeekPlan:
    """Re-solve the plan's week around a manager's changes, changing as few shifts as possible.

    Parameters
    ----------
    plan : WeekPlan
        The roster to repair; its shifts are the ones whose changes are priced.
    rows : DataFrame, optional
        The roster as the manager edited it (as for :func:`edit_week`, ``lock`` column
        included): moved, added and ticked shifts are kept, deleted ones keep that person off
        that day, a shift put back by hand ends that day off; earlier decisions stay in force.
        None: the plan's roster as it is.
    absent : tuple of (employee id, date)
        Person-days off from now on (an absence), kept like a deleted shift's; an absence wins
        over a kept shift of that day.
    settings : PlanSettings, optional
        Solver settings; None uses ``PlanSettings()`` (its defaults are documented there).
    released : tuple of (employee id, date)
        Days off of ``plan.days_off`` given back (as for :func:`edit_week`).
    kept_before : datetime.date, optional
        Days before this one are history (a repair on Wednesday): their shifts, as edited, stay
        exactly, and nobody is added to them. None: every day may change.

    Returns
    -------
    WeekPlan
        The re-solved plan (the roster of :func:`solver.resolve`), with the locks and days off
        in force; a lock the solver had to leave out (named in ``roster.conflicts``) is no
        longer one.

    Raises
    ------
    InputError
        Naming the row and field of unreadable ``rows``.
    """
    edited = (
        plan
        if rows is None and not released
        else edit_week(plan, plan.roster_rows if rows is None else rows, released=released)
    )
    off = set(absent)
    start = plan.week_start
    locked = tuple(
        k for k in edited.problem.locked if (k.employee_id, start + dt.timedelta(k.day)) not in off
    )
    past = 0 if kept_before is None else (kept_before - start).days
    history: tuple[LockedShift, ...] = ()
    if past > 0:  # the days gone by: each shift locked, each day without one kept so
        held = {(k.employee_id, k.day) for k in locked}
        history = tuple(
            LockedShift(
                employee_id=a.employee_id, day=a.day, start_slot=a.start_slot,
                end_slot=a.end_slot, role=a.role, shift_type=a.shift_type,
            )
            for a in edited.roster.assignments
            if a.day < past
            and (a.employee_id, a.day) not in held
            and (a.employee_id, start + dt.timedelta(a.day)) not in off
        )  # fmt: skip
    worked = {(a.employee_id, a.day) for a in edited.roster.assignments}
    gone_by = (
        {  # kept off in this solve only: the plan's days off stay the manager's
            (e.id, start + dt.timedelta(d))
            for e in plan.data.employees
            for d in range(min(past, edited.problem.days))
            if (e.id, d) not in worked
        }
        - off
        - set(edited.days_off)
    )
    new = roster_week(
        plan.data, start, plan.forecast, plan.requirements, settings or PlanSettings(),
        locked=locked + history, published=plan.roster,
        days_off=tuple(sorted(set(edited.days_off) | off | gone_by)),
        notes=tuple(n for n in plan.notes if not n.endswith(_NOT_KEPT)),
    )  # fmt: skip
    if not past:
        return new
    # the history was held for this solve only: its shifts and empty days are no decisions a
    # manager made, to be kept (and released by hand) in later re-solves
    kept = set(history)
    return replace(
        new,
        problem=replace(new.problem, locked=tuple(k for k in new.problem.locked if k not in kept)),
        days_off=tuple(d for d in new.days_off if d not in gone_by),
    )


def changed_days(before: WeekPlan, after: WeekPlan) -> int:
    """Employee-days whose shift differs between two plans of the same week: added, removed,
    or moved (start, end or role; a break moved alone is no change).

    Parameters
    ----------
    before, after : WeekPlan
        Two plans of the same week and store.

    Returns
    -------
    int
        The number of such employee-days.
    """
    return len(changed_shifts(before, after))


def changed_shifts(before: WeekPlan, after: WeekPlan) -> list[str]:
    """The employee-days :func:`changed_days` counts, in words for the people to tell, e.g.
    ``Aisha Rahman (A03), Thu 26 Nov: 09:00-18:00 advisor -> off``, by day then id.

    Parameters
    ----------
    before, after : WeekPlan
        Two plans of the same week and store.

    Returns
    -------
    list of str
        One line per changed employee-day (local times; an end past midnight is the next
        day's).
    """

    def shifts(plan: WeekPlan) -> dict[tuple[str, str], str]:
        return {
            (str(r.employee_id), str(r.date)): f"{str(r.start)[11:16]}-{str(r.end)[11:16]} {r.role}"
            for r in plan.roster_rows.itertuples(index=False)
        }

    names = {e.id: e.name for e in after.data.employees} | {
        e.id: e.name for e in before.data.employees
    }
    old, new = shifts(before), shifts(after)
    lines = []
    for who, day in sorted(old.keys() | new.keys(), key=lambda k: (k[1], k[0])):
        if old.get((who, day)) != new.get((who, day)):
            date = dt.date.fromisoformat(day)
            lines.append(
                f"{names.get(who, who)} ({who}), {date:%a %d %b}: "
                f"{old.get((who, day), 'off')} -> {new.get((who, day), 'off')}"
            )
    return lines


def _key(a: solver.Assignment) -> tuple[str, int, int, int, str]:
    return (a.employee_id, a.day, a.start_slot, a.end_slot, a.role)


def reopen_week(
    data: StoreData,
    week_start: dt.date,
    rows: pd.DataFrame,
    forecast: pd.DataFrame | None = None,
    decisions: dict[str, object] | None = None,
    notes: tuple[str, ...] = (),
) -> WeekPlan:
    """A saved roster (rows shaped like ``WeekPlan.roster_rows``) as a plan again, so that it
    can be adjusted, re-solved and published after a restart.

    The week's requirements are computed afresh, so the KPIs are those of the store's current
    targets, sized to the ``staff_to`` and over the ``days`` saved in ``decisions`` (the
    defaults of :func:`~staffing.requirements.compute_requirements` when it has none: a
    roster saved before they were kept, or one that could not be read, which is noted).

    Parameters
    ----------
    data : StoreData
        The store as it is now.
    week_start : datetime.date
        First day of the saved week (local date).
    rows : DataFrame
        The saved roster, shaped like ``WeekPlan.roster_rows``.
    forecast : DataFrame, optional
        The week's forecast (contacts per planning interval); None forecasts it afresh from
        the history before ``week_start``.
    decisions : dict, optional
        Saved from ``WeekPlan.decisions()``: brings back its locked shifts, days off and
        sizing; a decision that no longer fits the store (someone who left, a time off the
        planning grid, a day outside the week) is left out and named in the plan's notes.
    notes : tuple of str
        The forecast's notes (:func:`~staffing.forecasting.forecast_notes`) to keep on the plan
        when ``forecast`` is given; when it is None they come with the fresh forecast.

    Returns
    -------
    WeekPlan
        The saved roster as a plan, checked against every rule.

    Raises
    ------
    InputError
        Naming the row and field of anything unreadable in ``rows``; or naming ``traffic.csv``
        when the forecast is too large to size (see :func:`plan_week`).
    HistoryError
        When ``forecast`` is None and the store's history cannot be fitted.
    ValueError
        When no head-count meets a channel's targets (see :func:`plan_week`).
    """
    from staffing.forecasting import forecast_notes, forecast_week  # statsmodels loads here

    if forecast is None:
        forecast, model = forecast_week(data, week_start)
        notes = forecast_notes(data, week_start, model)
    staff_to, days, unread = _read_sizing(decisions or {})
    notes += tuple(unread)
    rows, decisions, strangers = _without_strangers(data, rows, decisions or {})
    notes += strangers
    requirements = compute_requirements(data, forecast, week_start, days=days, staff_to=staff_to)
    problem = build_problem(data, week_start, requirements.needs, days=days)
    locked, days_off, left_out = _read_decisions(problem, week_start, decisions)
    if days_off:
        problem = build_problem(
            _with_days_off(data, days_off), week_start, requirements.needs, days=days
        )
    problem = replace(problem, locked=locked)
    roster = roster_from_rows(problem, week_start, rows)
    notes += tuple(left_out)
    return _assemble(
        data, week_start, forecast, requirements, problem, roster, notes, days_off
    )  # fmt: skip


def _without_strangers(
    data: StoreData, rows: pd.DataFrame, decisions: dict[str, object]
) -> tuple[pd.DataFrame, dict[str, object], tuple[str, ...]]:
    """A saved roster's rows and decisions without the people the store no longer has under
    the same employee id, and one note naming each.

    Someone who left, or whose id now belongs to someone else (the saved ``name`` differs,
    ignoring case and spacing): their shifts, locks and days off are left out, never given to
    whoever holds the id now.
    """
    now = {e.id: e.name for e in data.employees}
    ids = rows["employee_id"].map(lambda v: "" if pd.isna(v) else str(v).strip())
    names = rows["name"] if "name" in rows.columns else pd.Series("", index=rows.index)
    notes: dict[str, str] = {}
    for emp, who in zip(ids, names, strict=True):
        who = "" if pd.isna(who) else str(who)
        shown = f"{who} ({emp})" if who else emp
        if not emp or emp in notes:
            continue
        if emp not in now:
            notes[emp] = (
                f"The saved shifts of {shown} were left out: {emp} is no longer an employee."
            )
        elif who and " ".join(who.split()).casefold() != " ".join(now[emp].split()).casefold():
            notes[emp] = (
                f"The saved shifts, locks and days off of {shown} were left out: employee id "
                f"{emp} now belongs to {now[emp]}."
            )
    if not notes:
        return rows, decisions, ()
    reused = {e for e in notes if e in now}  # a leaver's decisions are named by _read_decisions
    kept = {
        **decisions,
        "locked": [
            i for i in _listed(decisions, "locked")
            if not (isinstance(i, dict) and str(i.get("employee_id")) in reused)
        ],
        "days_off": [
            i for i in _listed(decisions, "days_off")
            if not (isinstance(i, list | tuple) and i and str(i[0]) in reused)
        ],
    }  # fmt: skip
    return rows[~ids.isin(notes)], kept, tuple(notes.values())


def carry_decisions(
    data: StoreData, week_start: dt.date, requirements: Requirements, decisions: dict[str, object]
) -> tuple[tuple[LockedShift, ...], tuple[tuple[str, dt.date], ...], tuple[str, ...]]:
    """A plan's decisions (``WeekPlan.decisions()``) that fall in a week, to plan it again with
    them: :func:`roster_week`'s ``locked`` and ``days_off``.

    A roster generated again (new targets, a new forecast) keeps the manager's locked shifts
    and days off instead of planning as if none had been made.

    Parameters
    ----------
    data : StoreData
        The store as it is now.
    week_start : datetime.date
        First day of the week to plan (local date).
    requirements : Requirements
        The week's requirements (their ``days`` set the week's length).
    decisions : dict
        As :meth:`WeekPlan.decisions` gives them (or as saved).

    Returns
    -------
    locked : tuple of LockedShift
        The locked shifts starting in the week, on its grid.
    days_off : tuple of (employee id, date)
        The days off in the week.
    notes : tuple of str
        One sentence per decision of the week left out, and why (someone who left, a role no
        longer held, a time off the grid, unreadable). Decisions dated outside the week are
        not carried and not named: they belong to another week's roster.
    """
    days = requirements.days
    week = {week_start + dt.timedelta(days=d) for d in range(days)}

    def inside(when: object) -> bool:
        try:
            return dt.date.fromisoformat(str(when)[:10]) in week
        except ValueError:
            return True  # unreadable: named by _read_decisions

    mine: dict[str, object] = {
        "days_off": [
            i for i in _listed(decisions, "days_off")
            if not isinstance(i, list | tuple) or len(i) < 2 or inside(i[1])
        ],
        "locked": [
            i for i in _listed(decisions, "locked")
            if not isinstance(i, dict) or inside(i.get("start", ""))
        ],
    }  # fmt: skip
    problem = build_problem(data, week_start, requirements.needs, days=days)
    locked, days_off, notes = _read_decisions(problem, week_start, mine)
    return locked, days_off, tuple(notes)


def _read_sizing(decisions: dict[str, object]) -> tuple[str, int, list[str]]:
    """The saved ``staff_to`` and ``days`` (the defaults when absent), and a note for a value
    that could not be read."""
    staff_to, days = "forecast", 7
    notes: list[str] = []
    saved = decisions.get("staff_to", staff_to)
    if saved in PlanSettings.STAFF_TO:
        staff_to = str(saved)
    else:
        notes.append(f"The saved sizing {saved!r} could not be read: sized to the forecast.")
    count = decisions.get("days", days)
    if isinstance(count, int) and not isinstance(count, bool) and count >= 1:
        days = count
    else:
        notes.append(f"The saved number of days {count!r} could not be read: 7 days sized.")
    return staff_to, days, notes


def _read_decisions(
    problem: solver.RosterProblem, week_start: dt.date, decisions: dict[str, object]
) -> tuple[tuple[LockedShift, ...], tuple[tuple[str, dt.date], ...], list[str]]:
    """Saved locks and days off back on the week's grid, and a note for each left out."""
    people = {e.id: e.name for e in problem.employees}
    roles = {e.id: set(e.roles) for e in problem.employees}
    types = {t.name for t in problem.shift_rules.shift_types}
    minutes = problem.slot_minutes
    origin = dt.datetime.combine(week_start, dt.time())
    week = {week_start + dt.timedelta(days=d) for d in range(problem.days)}
    notes: list[str] = []
    days_off: set[tuple[str, dt.date]] = set()
    for item in _listed(decisions, "days_off"):
        try:
            emp, day = str(item[0]), dt.date.fromisoformat(str(item[1]))
        except (TypeError, ValueError, IndexError, KeyError):
            notes.append(f"A saved day off could not be read and was left out: {item!r}.")
            continue
        if emp not in people or day not in week:
            why = f"{emp} is no longer an employee" if emp not in people else "it is not this week"
            notes.append(f"The saved day off of {emp} on {day:%a %d %b} was left out: {why}.")
            continue
        days_off.add((emp, day))
    locked: list[LockedShift] = []
    for item in _listed(decisions, "locked"):
        try:
            emp = str(item["employee_id"])
            start = dt.datetime.fromisoformat(str(item["start"]))
            end = dt.datetime.fromisoformat(str(item["end"]))
            role, kind = str(item["role"]), item.get("shift_type")
        except (TypeError, ValueError, KeyError, AttributeError):
            notes.append(f"A saved locked shift could not be read and was left out: {item!r}.")
            continue
        offsets = [int((t - origin).total_seconds()) // 60 for t in (start, end)]
        shown = f"The saved locked shift of {emp} on {start:%a %d %b %H:%M}-{end:%H:%M}"
        if emp not in people:
            notes.append(f"{shown} was left out: {emp} is no longer an employee.")
            continue
        if start.date() not in week or end <= start or any(m % minutes for m in offsets):
            notes.append(f"{shown} was left out: it is not on this week's {minutes}-minute grid.")
            continue
        if role not in roles[emp]:
            notes.append(f"{shown} was left out: {emp} no longer works as {role}.")
            continue
        if kind is not None and str(kind) not in types:
            notes.append(f"{shown} was left out: the store has no shift type {kind!s}.")
            continue
        locked.append(
            LockedShift(
                employee_id=emp, day=(start.date() - week_start).days,
                start_slot=offsets[0] // minutes, end_slot=offsets[1] // minutes, role=role,
                shift_type=None if kind is None else str(kind),
            )
        )  # fmt: skip
    return tuple(locked), tuple(sorted(days_off)), notes


def _listed(decisions: dict[str, object], key: str) -> list[Any]:
    value = decisions.get(key, [])
    return list(value) if isinstance(value, list) else [value]  # read one by one, or named


def write_plan(plan: WeekPlan, out_dir: str | Path) -> list[Path]:
    """Write forecast, requirements, roster, employee hours (CSV) and kpis.json.

    Parameters
    ----------
    plan : WeekPlan
        The plan to write.
    out_dir : str or Path
        Folder to write into; created with its parents if missing. Files of the same names
        are replaced.

    Returns
    -------
    list of Path
        ``forecast.csv``, ``requirements.csv``, ``roster.csv``, ``employee_hours.csv`` and
        ``kpis.json``, in that order. The CSV files are neutralised against formula
        injection (:func:`staffing.exports.write_csv`).

    Raises
    ------
    OSError
        When the folder cannot be created or a file cannot be written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        write_csv(plan.forecast[list(FORECAST_COLUMNS)], out / "forecast.csv"),
        write_csv(plan.requirements.channels, out / "requirements.csv"),
        write_csv(plan.roster_rows, out / "roster.csv"),
        write_csv(plan.hours, out / "employee_hours.csv"),
    ]
    kpis = plan.kpis.as_dict()
    kpis["shortfalls"] = plan.shortfall_lines()
    kpis["below_contract_minimum"] = plan.below_minimum_lines()
    kpis["conflicts"] = list(plan.roster.conflicts)
    kpis["rule_violations"] = [v.message for v in plan.violations]
    kpis["week_start"] = plan.week_start.isoformat()
    kpis["store"] = plan.data.store.name
    path = out / "kpis.json"
    path.write_text(json.dumps(kpis, indent=2, default=str), encoding="utf-8")
    paths.append(path)
    return paths
