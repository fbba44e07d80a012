"""An independent roster checker: every hard rule re-verified, every penalty recomputed.

This module deliberately shares no code with the CP-SAT model: it reads the problem's plain
definitions and any roster (the solver's, or one a manager edited by hand) and says in words what
is wrong, and what the roster costs.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from solver.problem import (
    Assignment,
    Employee,
    Penalty,
    Roster,
    RosterProblem,
    RuleViolation,
    Shortfall,
)

__all__ = ["check_roster", "coverage", "evaluate_roster", "shortfalls"]


def _clock(problem: RosterProblem, slot: int) -> str:
    minutes = (slot % problem.slots_per_day) * problem.slot_minutes
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_name(problem: RosterProblem, day: int) -> str:
    return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[(problem.start_weekday + day) % 7]


def check_roster(problem: RosterProblem, roster: Roster) -> tuple[RuleViolation, ...]:
    """Every hard rule the roster breaks, as :class:`RuleViolation` s (empty when none).

    Parameters
    ----------
    problem : RosterProblem
        The rules, employees and locked shifts to check against.
    roster : Roster
        Any roster on the problem's slot grid (the solver's, or one edited by hand).

    Returns
    -------
    tuple of RuleViolation
        Each with its rule name (e.g. ``rest``, ``max_hours``, ``locked``), the employee, the
        day (None for a rule over the week) and a message naming hours and days.
    """
    out: list[RuleViolation] = []
    spd = problem.slots_per_day
    rules = problem.shift_rules
    people = {e.id: e for e in problem.employees}

    def bad(rule: str, a: Assignment | None, message: str, emp: str | None = None) -> None:
        who = emp if a is None else a.employee_id
        day = None if a is None else a.day
        out.append(RuleViolation(rule=rule, employee_id=who, day=day, message=message))

    by_emp: dict[str, list[Assignment]] = defaultdict(list)
    for a in roster.assignments:
        emp = people.get(a.employee_id)
        when = f"{a.employee_id} on {_day_name(problem, a.day)} {_clock(problem, a.start_slot)}"
        if emp is None:
            bad("unknown_employee", a, f"{a.employee_id} is not an employee of this store")
            continue
        by_emp[a.employee_id].append(a)
        if a.role not in emp.roles:
            bad("role", a, f"{emp.name} cannot work as {a.role} ({when})")
        if not 0 <= a.day < problem.days or not a.day * spd <= a.start_slot < (a.day + 1) * spd:
            bad("day", a, f"{when}: the shift does not start on its day")
        length = a.end_slot - a.start_slot
        if rules.shift_types:
            kind = next((k for k in rules.shift_types if k.name == a.shift_type), None)
            if kind is None:
                bad("shift_type", a, f"{when}: {a.shift_type!r} is not one of the shift types")
            elif a.start_slot - a.day * spd != kind.start_slot or length != kind.length_slots:
                bad("shift_type", a, f"{when}: the times do not match shift type {kind.name}")
        elif not rules.min_length_slots <= length <= rules.max_length_slots:
            hours = length * problem.slot_minutes / 60
            bad("shift_length", a, f"{emp.name}'s shift of {hours:g} h breaks the length rules")
        if (
            not rules.shift_types
            and rules.start_slots is not None
            and a.start_slot % spd not in rules.start_slots
        ):
            bad(
                "start_time",
                a,
                f"{emp.name} starts at {_clock(problem, a.start_slot)}, "
                "which is not an allowed start time",
            )
        if problem.shift_windows is not None and 0 <= a.day < problem.days:
            lo, hi = problem.shift_windows[a.day]
            base = a.day * spd
            if hi <= lo or a.start_slot < base + lo or a.end_slot > base + hi:
                bad(
                    "opening_hours",
                    a,
                    f"{emp.name} works {_day_name(problem, a.day)} "
                    f"{_clock(problem, a.start_slot)}-{_clock(problem, a.end_slot)} outside "
                    "the hours staff may work",
                )
        if emp.available is not None and not any(
            s <= a.start_slot and a.end_slot <= e for s, e in emp.available
        ):
            bad(
                "availability",
                a,
                f"{emp.name} is not available {_day_name(problem, a.day)} "
                f"{_clock(problem, a.start_slot)}-{_clock(problem, a.end_slot)}",
            )
        _check_break(problem, a, emp.name, bad)
    for emp in problem.employees:  # everyone: nobody rostered is below a hard minimum too
        eid = emp.id
        shifts = by_emp.get(eid, [])
        shifts.sort(key=lambda s: s.start_slot)
        days = [s.day for s in shifts]
        if len(set(days)) < len(days):
            bad("one_shift_per_day", None, f"{emp.name} has two shifts on one day", eid)
        for first, second in zip(shifts, shifts[1:], strict=False):
            gap = second.start_slot - first.end_slot
            when = f"{_day_name(problem, second.day)} {_clock(problem, second.start_slot)}"
            if gap < 0:
                overlap = -gap * problem.slot_minutes / 60
                bad("rest", second, f"{emp.name}'s shift at {when} overlaps the one before by "
                    f"{overlap:g} h")  # fmt: skip
            elif gap < rules.min_rest_slots:
                hours = gap * problem.slot_minutes / 60
                bad("rest", second, f"{emp.name} rests only {hours:g} h before {when}")
            if second.day == first.day + 1:
                for a_kind, b_kind in rules.forbidden_successions:
                    if _is(problem, first, a_kind) and _is(problem, second, b_kind):
                        bad(
                            "succession",
                            second,
                            f"{emp.name} works a {a_kind} shift then an "
                            f"{b_kind} shift on {_day_name(problem, second.day)}",
                        )
        paid = sum(s.paid_slots for s in shifts) * problem.slot_minutes
        if paid > emp.max_minutes:
            bad(
                "max_hours",
                None,
                f"{emp.name} is paid {paid / 60:g} h, over the maximum {emp.max_minutes / 60:g} h",
                eid,
            )
        if len(set(days)) > emp.max_days:
            bad(
                "max_days",
                None,
                f"{emp.name} works {len(set(days))} days, over the maximum {emp.max_days}",
                eid,
            )
        run = best = 0
        worked = set(days)
        for d in range(problem.days):
            run = run + 1 if d in worked else 0
            best = max(best, run)
        if best > emp.max_consecutive_days:
            bad(
                "consecutive_days",
                None,
                f"{emp.name} works {best} days in a row, over the "
                f"maximum {emp.max_consecutive_days}",
                eid,
            )
        weekend = sum(problem.is_weekend(d) for d in worked)
        if weekend > emp.max_weekend_days:
            bad(
                "weekend_days",
                None,
                f"{emp.name} works {weekend} weekend days, over the maximum {emp.max_weekend_days}",
                eid,
            )
        _check_contract_extras(problem, emp, shifts, worked, bad)
    present = {
        (a.employee_id, a.day, a.start_slot, a.end_slot, a.role, kind)
        for a in roster.assignments
        for kind in (None, a.shift_type)
    }
    for lock in problem.locked:
        key = (lock.employee_id, lock.day, lock.start_slot, lock.end_slot, lock.role)
        if (*key, lock.shift_type) not in present:
            bad(
                "locked",
                None,
                f"the locked shift of {lock.employee_id} on "
                f"{_day_name(problem, lock.day)} {_clock(problem, lock.start_slot)} is missing",
                lock.employee_id,
            )
    return tuple(out)


def _check_contract_extras(  # type: ignore[no-untyped-def]
    problem: RosterProblem, emp: Employee, shifts: list[Assignment], worked: set[int], bad
) -> None:
    """Hard minimum hours, shifts per type, runs of working days and days off, weekends."""
    eid = emp.id
    paid = sum(s.paid_slots for s in shifts) * problem.slot_minutes
    if paid < emp.hard_min_minutes:
        bad(
            "min_hours",
            None,
            f"{emp.name} is paid {paid / 60:g} h, under the minimum "
            f"{emp.hard_min_minutes / 60:g} h",
            eid,
        )
    for name, cap in emp.max_shifts_per_type:
        count = sum(1 for s in shifts if s.shift_type == name)
        if count > cap:
            bad("shifts_per_type", None, f"{emp.name} works {count} {name} shifts, over {cap}", eid)
    # Runs as (first day, length, working); a run touching either end of the horizon is exempt.
    runs: list[tuple[int, int, bool]] = []
    for d in range(problem.days):
        on = d in worked
        if runs and runs[-1][2] == on:
            first, length, _ = runs[-1]
            runs[-1] = (first, length + 1, on)
        else:
            runs.append((d, 1, on))
    for first, length, on in runs:
        if first == 0 or first + length == problem.days:
            continue
        minimum = emp.min_consecutive_days if on else emp.min_consecutive_days_off
        if length < minimum:
            what = "working days" if on else "days off"
            bad(
                "consecutive_days" if on else "consecutive_days_off",
                None,
                f"{emp.name} has {length} {what} in a row from {_day_name(problem, first)} "
                f"(day {first + 1}), under the minimum {minimum}",
                eid,
            )
    if emp.max_weekends is not None:
        weekends = {
            (problem.start_weekday + d) // 7 for d in worked if (problem.start_weekday + d) % 7 >= 5
        }
        if len(weekends) > emp.max_weekends:
            bad(
                "weekends",
                None,
                f"{emp.name} works {len(weekends)} weekends, over the maximum {emp.max_weekends}",
                eid,
            )


def _is(problem: RosterProblem, a: Assignment, kind: str) -> bool:
    rules = problem.shift_rules
    spd = problem.slots_per_day
    if a.shift_type is not None and a.shift_type == kind:
        return True
    if kind == "closing" and rules.closing_from_slot is not None:
        return a.end_slot - a.day * spd >= rules.closing_from_slot
    if kind == "opening" and rules.opening_until_slot is not None:
        return a.start_slot - a.day * spd < rules.opening_until_slot
    return False


def _check_break(problem: RosterProblem, a: Assignment, name: str, bad) -> None:  # type: ignore[no-untyped-def]
    rule = problem.shift_rules.break_rule
    length = a.end_slot - a.start_slot
    has = a.break_start is not None and a.break_end is not None
    if rule is None or length <= rule.min_shift_slots:
        if has:
            bad("break", a, f"{name} has a break the rules do not give on a shift this short")
        return
    if not has:
        bad("break", a, f"{name}'s {length * problem.slot_minutes / 60:g} h shift has no break")
        return
    assert a.break_start is not None
    assert a.break_end is not None
    offset = a.break_start - a.start_slot
    if a.break_end - a.break_start != rule.length_slots:
        bad("break", a, f"{name}'s break is not {rule.length_slots * problem.slot_minutes} min")
    if not rule.window_start_slots <= offset <= rule.window_end_slots or a.break_end > a.end_slot:
        bad("break", a, f"{name}'s break at {_clock(problem, a.break_start)} is outside its window")
    elif a.break_end == a.end_slot:
        bad("break", a, f"{name}'s break at {_clock(problem, a.break_start)} ends the shift")


def coverage(problem: RosterProblem, roster: Roster) -> dict[str, np.ndarray]:
    """People on duty per role and horizon slot (breaks excluded).

    Parameters
    ----------
    problem : RosterProblem
        Its roles and horizon.
    roster : Roster
        The roster to count; shifts of roles not in the problem, and slots outside the
        horizon, are left out.

    Returns
    -------
    dict of str to ndarray of int
        Per role, people on duty in each of the ``problem.horizon_slots`` slots.
    """
    n = problem.horizon_slots
    out = {r: np.zeros(n, dtype=int) for r in problem.roles}
    for a in roster.assignments:
        if a.role not in out:
            continue
        cover = out[a.role]
        cover[max(a.start_slot, 0) : min(a.end_slot, n)] += 1
        if a.break_start is not None and a.break_end is not None:
            cover[max(a.break_start, 0) : min(a.break_end, n)] -= 1
    return out


def _short_cost(costs: tuple[float, ...], missing: int, default: float) -> float:
    if missing <= 0:
        return 0.0
    if not costs:
        return missing * default
    head = sum(costs[:missing])
    return head + max(0, missing - len(costs)) * costs[-1]


def evaluate_roster(
    problem: RosterProblem, roster: Roster, published: Roster | None = None
) -> tuple[Penalty, ...]:
    """The roster's objective, term by term, recomputed from scratch (currency units).

    Parameters
    ----------
    problem : RosterProblem
        The demands, employees, requests and weights that price the roster.
    roster : Roster
        The roster to price; shifts of unknown employees are left out.
    published : Roster, optional
        A published roster: when given, a ``changes`` term prices every employee-day whose
        shift differs from it at ``weights.change``.

    Returns
    -------
    tuple of Penalty
        Named terms (currency units): ``wage``, ``overtime``, ``contract_minimum``,
        ``fairness_weekend``, ``fairness_closing``, ``fairness_hours``, per role
        ``shortfall[role]``, ``post_shortfall[role]`` and ``overstaffing[role]``, per shift
        type with cover ``shift_under[type]`` and ``shift_over[type]``, ``requests``, and
        ``changes`` with a published roster. Their sum is the objective.
    """
    w = problem.weights
    hours = problem.slot_minutes / 60
    people = {e.id: e for e in problem.employees}
    terms: list[Penalty] = []
    paid: dict[str, int] = defaultdict(int)
    days: dict[str, set[int]] = defaultdict(set)
    wage = 0.0
    for a in roster.assignments:
        emp = people.get(a.employee_id)
        if emp is None:
            continue
        paid[a.employee_id] += a.paid_slots * problem.slot_minutes
        days[a.employee_id].add(a.day)
        wage += a.paid_slots * hours * emp.hourly_cost
    terms.append(Penalty(name="wage", value=wage))
    overtime = contract = weekend = target = closing = 0.0
    closes: dict[str, int] = defaultdict(int)
    for a in roster.assignments:
        if a.employee_id in people and problem.is_closing(a.day, a.end_slot):
            closes[a.employee_id] += 1
    for emp in problem.employees:
        minutes = paid.get(emp.id, 0)
        overtime += (
            max(0, minutes - w.overtime_after_minutes) / 60 * emp.hourly_cost * w.overtime_premium
        )
        contract += max(0, emp.min_minutes - minutes) / 60 * w.contract_minimum
        weekend += (
            max(0, sum(problem.is_weekend(d) for d in days.get(emp.id, set())) - 1)
            * w.fairness_weekend
        )
        if emp.target_minutes is not None:
            target += abs(minutes - emp.target_minutes) / 60 * w.fairness_hours
        closing += max(0, closes[emp.id] - w.free_closing_shifts) * w.fairness_closing
    terms += [
        Penalty(name="overtime", value=overtime),
        Penalty(name="contract_minimum", value=contract),
        Penalty(name="fairness_weekend", value=weekend),
        Penalty(name="fairness_closing", value=closing),
        Penalty(name="fairness_hours", value=target),
    ]
    cover = coverage(problem, roster)
    for demand in problem.demands:
        c = cover[demand.role]
        short = over = post = 0.0
        for t, req in enumerate(demand.required):
            costs = demand.shortfall_costs[t] if demand.shortfall_costs else ()
            short += _short_cost(costs, req - int(c[t]), w.shortfall)
            need = req
            if demand.minimum:
                post += max(0, demand.minimum[t] - int(c[t])) * w.post_shortfall
                need = max(need, demand.minimum[t])
            over += max(0, int(c[t]) - need) * demand.over_cost
        terms += [
            Penalty(name=f"shortfall[{demand.role}]", value=short),
            Penalty(name=f"post_shortfall[{demand.role}]", value=post),
            Penalty(name=f"overstaffing[{demand.role}]", value=over),
        ]
    terms += _shift_cover_penalties(problem, roster)
    unmet = 0.0
    for wish in problem.requests:
        mine = [
            a for a in roster.assignments if a.employee_id == wish.employee_id and a.day == wish.day
        ]
        if wish.start_slot is not None and wish.end_slot is not None:
            lo, hi = wish.start_slot, wish.end_slot
            mine = [a for a in mine if a.start_slot < hi and lo < a.end_slot]
        if wish.shift_type is not None:
            mine = [a for a in mine if a.shift_type == wish.shift_type]
        if bool(mine) != wish.on:
            unmet += wish.weight * w.request
    terms.append(Penalty(name="requests", value=unmet))
    if published is not None:
        terms.append(Penalty(name="changes", value=changes(published, roster) * w.change))
    return tuple(terms)


def _shift_cover_penalties(problem: RosterProblem, roster: Roster) -> list[Penalty]:
    """Under- and over-cover per named shift type, summed per type (only types with cover)."""
    count: dict[tuple[int, str, str], int] = defaultdict(int)
    for a in roster.assignments:
        if a.shift_type is not None:
            count[(a.day, a.shift_type, a.role)] += 1
    under: dict[str, float] = defaultdict(float)
    over: dict[str, float] = defaultdict(float)
    for dem in problem.shift_demands:
        have = sum(
            n
            for (day, kind, role), n in count.items()
            if day == dem.day and kind == dem.shift_type and dem.role in (None, role)
        )
        under[dem.shift_type] += max(0, dem.required - have) * dem.under_cost
        over[dem.shift_type] += max(0, have - dem.required) * dem.over_cost
    out = []
    for kind in dict.fromkeys(d.shift_type for d in problem.shift_demands):
        out.append(Penalty(name=f"shift_under[{kind}]", value=under[kind]))
        out.append(Penalty(name=f"shift_over[{kind}]", value=over[kind]))
    return out


def changes(published: Roster, roster: Roster) -> int:
    """Shifts added, removed or moved (same person, day, times and role count as kept, and the
    same shift type where the published shift has one: types may share their hours)."""

    def key(a: Assignment) -> tuple[str, int, int, int, str]:
        return (a.employee_id, a.day, a.start_slot, a.end_slot, a.role)

    typed = {key(a): a.shift_type for a in published.assignments}
    before = set(typed)
    after = {key(a) for a in roster.assignments}
    same = {
        key(a)
        for a in roster.assignments
        if key(a) in before and typed[key(a)] in (None, a.shift_type)
    }
    days_before = {(k[0], k[1]) for k in before}
    days_after = {(k[0], k[1]) for k in after}
    return len(days_before | days_after) - len({(k[0], k[1]) for k in same})


def shortfalls(problem: RosterProblem, roster: Roster) -> tuple[Shortfall, ...]:
    """Missing people per role, merged over consecutive slots of a day with the same count.

    Parameters
    ----------
    problem : RosterProblem
        The demands (required people and post minimums per slot).
    roster : Roster
        The roster to count.

    Returns
    -------
    tuple of Shortfall
        Per role and day, each run of slots missing the same number of people (against the
        larger of required and post minimum), in role, day and slot order.
    """
    cover = coverage(problem, roster)
    spd = problem.slots_per_day
    out: list[Shortfall] = []
    for demand in problem.demands:
        need = np.asarray(demand.required, dtype=int)
        if demand.minimum:
            need = np.maximum(need, np.asarray(demand.minimum, dtype=int))
        missing = np.maximum(need - cover[demand.role], 0)
        for day in range(problem.days):
            seg = missing[day * spd : (day + 1) * spd]
            s = 0
            while s < spd:
                if seg[s] == 0:
                    s += 1
                    continue
                e = s
                while e < spd and seg[e] == seg[s]:
                    e += 1
                out.append(
                    Shortfall(
                        role=demand.role,
                        day=day,
                        start_slot=day * spd + s,
                        end_slot=day * spd + e,
                        missing=int(seg[s]),
                    )
                )
                s = e
    return tuple(out)
