"""Candidate shifts: every (employee, day, start, length, role) the rules and availability allow.

The model chooses among these; restricting to them is how availability, opening hours, allowed
start times, shift lengths and roles become hard by construction. A long shift's break may
start anywhere in its window (``break_first`` to ``break_last``): the CP-SAT model, the LP and the
Lagrangian bound count how many of the identical shifts take their break at each offset, so the
model prices break placement exactly. ``break_at`` is a nominal offset inside the window, used by
the greedy roster and the local search.
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.problem import Employee, RosterProblem

__all__ = ["Candidate", "break_window", "candidates_for", "shift"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible shift; slots are global, ``break_at`` is the nominal break start or -1.

    ``break_first`` and ``break_last`` bound the break's start (-1 for a shift without one).
    """

    employee: int
    day: int
    start: int
    end: int
    role: str
    break_at: int
    break_len: int
    kind: str | None = None  # the ShiftType's name, if the problem names its shifts
    break_first: int = -1
    break_last: int = -1

    def break_starts(self) -> range:
        """Every slot the break may start in (empty for a shift without a break)."""
        if self.break_at < 0:
            return range(0)
        return range(self.break_first, self.break_last + 1)

    @property
    def paid(self) -> int:
        """Paid slots."""
        return self.end - self.start - (self.break_len if self.break_at >= 0 else 0)

    def covers(self, t: int) -> bool:
        """Whether the person is on duty in slot ``t`` (not on break)."""
        if not self.start <= t < self.end:
            return False
        return not (self.break_at >= 0 and self.break_at <= t < self.break_at + self.break_len)


def _fits(emp: Employee, start: int, end: int) -> bool:
    if emp.available is None:
        return True
    return any(s <= start and end <= e for s, e in emp.available)


def break_window(problem: RosterProblem, start: int, end: int) -> tuple[int, int, int, int]:
    """(nominal, first, last, length) of a shift's break, slots; (-1, -1, -1, 0) if it has none.

    The break starts between ``window_start_slots`` and ``window_end_slots`` after the shift
    starts and ends at least one slot before the shift does (a break that ends the shift would
    be a shorter shift under another name); the nominal start is the window's middle.
    """
    brk = problem.shift_rules.break_rule
    if brk is None or end - start <= brk.min_shift_slots:
        return -1, -1, -1, 0
    first = start + brk.window_start_slots
    last = max(first, start + min(brk.window_end_slots, end - start - brk.length_slots - 1))
    at = min(start + (brk.window_start_slots + brk.window_end_slots) // 2, last)
    return at, first, last, brk.length_slots


def shift(
    problem: RosterProblem,
    employee: int,
    day: int,
    start: int,
    end: int,
    role: str,
    kind: str | None = None,
) -> Candidate:
    """The candidate for these times, with its break window."""
    at, first, last, blen = break_window(problem, start, end)
    return Candidate(employee, day, start, end, role, at, blen, kind, first, last)


def _typed(problem: RosterProblem, index: int) -> list[Candidate]:
    """Named shift types: one candidate per day, type and role (types capped at 0 left out)."""
    emp = problem.employees[index]
    spd = problem.slots_per_day
    never = {name for name, cap in emp.max_shifts_per_type if cap <= 0}
    out: list[Candidate] = []
    for day in range(problem.days):
        lo, hi = (
            (0, spd + spd // 2) if problem.shift_windows is None else problem.shift_windows[day]
        )
        base = day * spd
        for kind in problem.shift_rules.shift_types:
            s, e = kind.start_slot, kind.start_slot + kind.length_slots
            if kind.name in never or s < lo or e > hi or not _fits(emp, base + s, base + e):
                continue
            for role in emp.roles:
                if role in problem.roles:
                    out.append(shift(problem, index, day, base + s, base + e, role, kind.name))
    return out


def candidates_for(problem: RosterProblem, index: int) -> list[Candidate]:
    """All candidate shifts of employee ``index`` over the horizon."""
    if problem.shift_rules.shift_types:
        return _typed(problem, index)
    emp = problem.employees[index]
    rules = problem.shift_rules
    spd = problem.slots_per_day
    hour = max(1, 60 // problem.slot_minutes)
    step = rules.length_step_slots or hour
    lengths = list(range(rules.max_length_slots, rules.min_length_slots - 1, -step))
    if rules.min_length_slots not in lengths:
        lengths.append(rules.min_length_slots)
    starts = rules.start_slots if rules.start_slots is not None else tuple(range(spd))
    out: list[Candidate] = []
    for day in range(problem.days):
        lo, hi = (
            (0, spd + spd // 2) if problem.shift_windows is None else problem.shift_windows[day]
        )
        if hi <= lo:
            continue
        base = day * spd
        for s in starts:
            if s < lo:
                continue
            for length in lengths:
                e = s + length
                if e > hi or not _fits(emp, base + s, base + e):
                    continue
                for role in emp.roles:
                    if role in problem.roles:
                        out.append(shift(problem, index, day, base + s, base + e, role))
    return out
