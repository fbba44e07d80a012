"""Hard rules that cannot all hold: which ones, in words, and the least to give up.

Cover is soft, so only one person's own rules can contradict each other: their locked shifts,
a hard minimum of hours or days in a row, and the limits, rest and successions every rule
module guards (:meth:`solver.rules._context.Context.guard`). A person's conflict is therefore
found in a model of that person alone, built by the same rule modules (0.1-0.5 s on a store),
instead of in the whole week's model, whose core CP-SAT does not minimise (a lock against a rest
rule on a 12-person week named 62 rules, and the explanation solve took the time the roster
needed).

For each person: a lock the rules never offer (outside their availability, roles, lengths or
start times) is not kept, with the reason; then, while their rules are infeasible, the core
CP-SAT reports is shrunk to a minimal one by deletion (each rule left out in turn, kept out if
the rest is still infeasible), and one member gives way: a locked shift (the latest) before a
rule, a minimum before a maximum. So three locked days against a maximum of two working days
lose one lock, not three.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from solver._build import build_model, lock_text
from solver._candidates import candidates_for
from solver.problem import LockedShift, RosterProblem
from solver.rules._context import Context

__all__ = ["GuardKey", "Relaxation", "find_conflicts", "guard_keys"]

GuardKey = tuple[int, str, int]  # (employee, rule text, occurrence of that text)
_ROUNDS = 10  # rules given up per person at most
_CHECK_SECONDS = 2.0  # for one person's model (they prove it in milliseconds)


@dataclass(slots=True)
class Relaxation:
    """What gives way: locks not kept (indices into ``problem.locked``), rules switched off
    (:func:`guard_keys`), and one sentence per conflict for the manager."""

    dropped_locks: set[int] = field(default_factory=set)
    relaxed: set[GuardKey] = field(default_factory=set)
    messages: list[str] = field(default_factory=list)  # "" where a lock was kept after all
    checked: set[int] = field(default_factory=set)  # people whose rules now hold (proved)

    @property
    def people(self) -> set[int]:
        """Employees some of whose rules were given up."""
        return {e for e, _, _ in self.relaxed}


def guard_keys(
    guards: dict[cp_model.IntVar, str], owners: dict[int, int | None], person: int | None = None
) -> dict[int, GuardKey]:
    """A key per guard literal (by its index), the same in a person's own model (``person``:
    their index in the whole week) and in the whole week's: the rule modules guard each
    person's rules in the same order, whoever else is in the model."""
    seen: Counter[tuple[int, str]] = Counter()
    keys = {}
    for lit, text in guards.items():
        owner = owners.get(lit.index) if person is None else person
        who = -1 if owner is None else owner
        keys[lit.index] = (who, text, seen[(who, text)])
        seen[(who, text)] += 1
    return keys


def find_conflicts(
    problem: RosterProblem,
    people: Iterable[int],
    locks: tuple[int, ...],
    deadline: float,
    found: Relaxation | None = None,
) -> Relaxation:
    """The conflicts of ``people`` (employee indices) under the enforced ``locks`` (indices
    into ``problem.locked``), added to ``found``; stops at ``deadline`` (``time.perf_counter``)."""
    out = found if found is not None else Relaxation()
    for e in people:
        if time.perf_counter() >= deadline:
            break
        _person(problem, e, [k for k in locks if k not in out.dropped_locks], deadline, out)
    return out


def _person(
    problem: RosterProblem, e: int, locks: list[int], deadline: float, out: Relaxation
) -> None:
    emp = problem.employees[e]
    mine = [k for k in locks if problem.locked[k].employee_id == emp.id]
    offered = {(c.start, c.end, c.role, c.kind) for c in candidates_for(problem, e)}
    for k in mine:
        lock = problem.locked[k]
        if not any(
            (lock.start_slot, lock.end_slot, lock.role) == key[:3]
            and lock.shift_type in (None, key[3])
            for key in offered
        ):
            out.dropped_locks.add(k)
            out.messages.append(
                f"{lock_text(problem, emp.name, lock)} cannot be kept: "
                f"{_why_not(problem, e, lock)}; it was left out"
            )
    mine = [k for k in mine if k not in out.dropped_locks]
    given_up: dict[int, int] = {}  # lock -> index of the message saying so
    for _ in range(_ROUNDS):
        if time.perf_counter() >= deadline:
            return
        ctx, lock_of, keys, core, proved = _check(problem, e, mine, out, deadline)
        if not core:
            if proved:
                out.checked.add(e)
                _take_back(problem, e, mine, given_up, out, deadline)
            return  # feasible (or no time left to tell)
        names = [ctx.guards[lit] for lit in core]
        locked = [lit for lit in core if lit.index in lock_of]
        minima = [lit for lit in core if "minimum" in ctx.guards[lit]]
        if locked:  # the latest locked shift gives way; the rules stay
            give = max(locked, key=lambda lit: problem.locked[lock_of[lit.index]].start_slot)
            k = lock_of[give.index]
            out.dropped_locks.add(k)
            mine.remove(k)
            given_up[k] = len(out.messages)
            what = f"{lock_text(problem, emp.name, problem.locked[k])} was left out"
        else:
            give = (minima or core)[0]
            out.relaxed.add(keys[give.index])
            what = f"{ctx.guards[give]} was relaxed"
        # a minimum out of reach is out of reach of the shifts the person may work
        given = f" with {emp.name}'s availability, roles and shift lengths" if minima else ""
        if len(names) > 1:
            text = f"these rules cannot all hold together{given}: {'; '.join(names)}"
        else:
            text = f"this rule cannot hold{given}: {names[0]}"
        out.messages.append(f"{text}; {what}")


def _check(
    problem: RosterProblem, e: int, mine: list[int], out: Relaxation, deadline: float
) -> tuple[Context, dict[int, int], dict[int, GuardKey], list[cp_model.IntVar], bool]:
    """Person ``e``'s model with the locks ``mine`` and the rules given up so far switched off;
    a minimal core of it and whether it was proved feasible (see :func:`_minimal_core`)."""
    sub = replace(
        problem,
        employees=(problem.employees[e],),
        demands=(),
        shift_demands=(),
        requests=(),
        locked=tuple(problem.locked[k] for k in mine),
    )
    ctx, _, lock_lits = build_model(sub, None, tuple(range(len(mine))))
    ctx.model.clear_objective()
    lock_of = {lit.index: k for lit, k in zip(lock_lits, mine, strict=True)}
    keys = guard_keys(ctx.guards, ctx.owners, person=e)
    active = [lit for lit in ctx.guards if keys[lit.index] not in out.relaxed]
    for lit in ctx.guards:
        if keys[lit.index] in out.relaxed:
            ctx.model.add(lit == 0)
    core, proved = _minimal_core(ctx.model, active, deadline)
    return ctx, lock_of, keys, core, proved


def _take_back(
    problem: RosterProblem,
    e: int,
    mine: list[int],
    given_up: dict[int, int],
    out: Relaxation,
    deadline: float,
) -> None:
    """Keep again each lock given up that fits with the rest now (earliest first): one core at a
    time can drop a lock a later relaxation makes needless, or the wrong one of three (days 1,
    3 and 4 against runs of days: the latest went, then the middle, where 1 and 4 can stay)."""
    for k in sorted(given_up, key=lambda k: problem.locked[k].start_slot):
        if time.perf_counter() >= deadline:
            return
        _, _, _, core, proved = _check(problem, e, [*mine, k], out, deadline)
        if not core and proved:
            mine.append(k)
            out.dropped_locks.discard(k)
            out.messages[given_up[k]] = ""  # the conflict it was left out for is gone


def _minimal_core(
    model: cp_model.CpModel, active: list[cp_model.IntVar], deadline: float
) -> tuple[list[cp_model.IntVar], bool]:
    """A minimal set of ``active`` guards that cannot all hold, and whether all can ([], True),
    or ([], False) when time ran out before either was proved."""
    feasible = [False]

    def infeasible(assumed: list[cp_model.IntVar]) -> tuple[bool, list[int]]:
        model.clear_assumptions()
        model.add_assumptions(assumed)
        s = cp_model.CpSolver()
        s.parameters.num_workers = 1
        s.parameters.max_time_in_seconds = max(
            0.1, min(_CHECK_SECONDS, deadline - time.perf_counter())
        )
        status = s.solve(model)
        feasible[0] = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if status != cp_model.INFEASIBLE:
            return False, []
        return True, list(s.sufficient_assumptions_for_infeasibility())

    bad, indices = infeasible(active)
    if not bad:
        return [], feasible[0]
    by_index = {lit.index: lit for lit in active}
    core = [by_index[i] for i in indices if i in by_index] or list(active)
    for lit in list(core):  # deletion: leave each out in turn
        trial = [other for other in core if other is not lit]
        if time.perf_counter() >= deadline:
            break
        if infeasible(trial)[0]:
            core = trial
    return core, False


def _why_not(problem: RosterProblem, e: int, lock: LockedShift) -> str:
    """Which rule of shift making the lock breaks, in words."""
    emp = problem.employees[e]
    rules = problem.shift_rules
    base = lock.day * problem.slots_per_day
    length = lock.end_slot - lock.start_slot
    hours = problem.slot_minutes / 60
    if lock.role not in emp.roles or lock.role not in problem.roles:
        return f"{emp.name} does not have the role {lock.role}"
    if rules.shift_types:
        return "no shift type has these hours"
    if not rules.min_length_slots <= length <= rules.max_length_slots:
        return (
            f"it is {length * hours:g} h long, outside the "
            f"{rules.min_length_slots * hours:g}-{rules.max_length_slots * hours:g} h allowed"
        )
    if rules.start_slots is not None and lock.start_slot - base not in rules.start_slots:
        return "it does not start at an allowed start time"
    if problem.shift_windows is not None:
        lo, hi = problem.shift_windows[lock.day]
        if lock.start_slot - base < lo or lock.end_slot - base > hi:
            return "it runs outside the hours shifts may run that day"
    if emp.available is not None and not any(
        s <= lock.start_slot and lock.end_slot <= t for s, t in emp.available
    ):
        return f"{emp.name} is not available then"
    return "the shift rules do not offer it"
