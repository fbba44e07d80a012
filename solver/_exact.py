"""One day of the roster re-solved exactly, everyone's other days fixed (HiGHS).

The local search (:mod:`solver._local`) changes one or two people at a time. A day's best
staffing can need several to move at once: a greeter's break is covered only if a colleague
starts an hour earlier, and then someone else takes the late shift. With every other day fixed,
one day is a small whole-shift problem, and the relaxation's model (:mod:`solver.bound`) with
whole shifts prices it exactly once each person's shifts that would break a rule across days
(rest, forbidden successions, runs of days, weekends, limits per type: the local search's own
tests) are left out and those whose rules need them at work that day are made to work. HiGHS
starts from the current roster (a complete hint), so what it returns is never dearer; the day
is kept when the local search's own price of the whole roster agrees that it is cheaper.

On the sample store one pass over the days, 3 s a day, took a 10-s solve's roster from 23,380
to 23,230, below what the local search alone reaches in 300 s (23,249); in 60-s solves (half of
the search's time spent here) seeds 0-2 end at 23,197-23,345 instead of 23,265-23,438, seed 0's
roster with no supervisor hole left (the search alone leaves one or two, at 100 each). A day
takes 0.3-3 s (0.3-1.6 s with each person's cheapest shifts only), so this pays on solves of
20 s and more. On nurse rosters (Curtois 7) every day is already best as the rest stands: runs
of days leave a single day almost no freedom.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt

from solver.bound import _relaxation

if TYPE_CHECKING:
    from solver._search import Search

__all__ = ["exact_days"]

# HiGHS's time limit for one day: the store's days are proved best in 0.3-2.7 s, or stopped
# (a 60-s solve with seed 0 reached 23,195 with 3 s, where 20-s solves with 2 s a day and 5 s a
# day did no better than 3 s).
_DAY_SECONDS = 3.0
# Each person's cheapest shifts open in a day's problem (priced with everyone else as they are),
# until every day is best among them; then all. Store, seeds 0-2: 20 s 23,241-23,356 (mean
# 23,283) with 15, 23,244-23,355 with 8, 23,304-23,349 (mean 23,333) with all at once; 30 s
# 23,210-23,357 (mean 23,261) with 15, 23,235-23,344 (23,283) with all. A store day then
# takes 0.3-1.6 s instead of 0.3-3.
_WIDTH = 15


def exact_days(
    s: Search,
    deadline: float,
    rng: random.Random,
    fixed: set[tuple[int, int]],
    value: Callable[[], float],
    tell: Callable[[float], None],
    forbidden: float,
) -> None:
    """Re-solve random days of the search's roster exactly until ``deadline``
    (``time.perf_counter``) or until every day is proved best as it stands.

    ``fixed`` employee-days keep their shift; ``value()`` is the search's price of its roster,
    which must fall for a day to be kept; ``tell`` receives each better price. Options the
    search prices at ``forbidden`` or more break a hard rule.
    """
    if deadline - time.perf_counter() < 1.0:
        return
    program = _Program(s, deadline - time.perf_counter())
    hint = program.complete(s, deadline)
    if hint is None:
        return
    current = value()
    settled: set[int] = set()  # days proved best with the rest of the roster as it is
    order: list[int] = []
    width: int | None = _WIDTH
    while len(settled) < s.days or width is not None:
        if len(settled) == s.days:  # each day is best among each person's cheapest shifts
            width, settled, order = None, set(), []
        left = deadline - time.perf_counter()
        if left < 0.3:
            return
        if not order:
            order = [d for d in range(s.days) if d not in settled]
            rng.shuffle(order)
        d = order.pop()
        answer = program.day(s, d, fixed, forbidden, hint, min(left, _DAY_SECONDS), width)
        if answer is None:
            continue
        optimal, objective, values = answer
        if objective >= program.objective(hint) - 1e-6:
            if optimal:
                settled.add(d)
            continue
        before = {e: (int(s.shift[e, d]), int(s.place[e, d])) for e in program.people(d)}
        program.apply(s, d, values)
        now = value()
        if now < current - 1e-6:
            current, hint = now, values
            settled = {d} if optimal else set()
            tell(now)
        else:  # the search prices it otherwise: back as it was
            for e in before:
                s.assign(e, d, -1)
            for e, (i, k) in before.items():
                s.assign(e, d, i, k)
            if optimal:
                settled.add(d)


class _Program:
    """The relaxation with whole shifts as a MathOpt model, its shift variables first."""

    def __init__(self, s: Search, seconds: float) -> None:
        build = pywraplp.Solver.CreateSolver("GLOP")  # a model builder here; HiGHS solves it
        if build is None:  # pragma: no cover - GLOP ships with OR-Tools
            raise RuntimeError("OR-Tools without GLOP")
        self.splits: dict[tuple[str, int, int], list[tuple[int, int]]] = {}
        _relaxation(build, s.p, s.cands, integer=True, seconds=seconds, splits=self.splits)
        proto = linear_solver_pb2.MPModelProto()
        build.ExportModelToProto(proto)
        self.costs = np.array([v.objective_coefficient for v in proto.variable])
        self.offset = float(proto.objective_offset)
        self.model = mathopt.Model.from_model_proto(_to_mathopt(proto))
        self.vars = list(self.model.variables())
        self.cands = s.cands
        self.key_day = {(c.role, c.start, c.end): c.day for c in s.cands}
        self.by_day: dict[int, list[int]] = defaultdict(list)
        for i, c in enumerate(s.cands):
            self.by_day[c.day].append(i)
        self._people = {
            d: sorted({s.cands[i].employee for i in members}) for d, members in self.by_day.items()
        }
        self._free: int | None = None  # the day whose shifts are free now

    def objective(self, values: list[float]) -> float:
        return float(self.costs @ np.asarray(values)) + self.offset

    def people(self, d: int) -> list[int]:
        """Who may work day ``d``."""
        return self._people.get(d, [])

    def _fix(self, chosen: set[int], days: list[int]) -> None:
        for d in days:
            for i in self.by_day[d]:
                v = 1.0 if i in chosen else 0.0
                self.vars[i].lower_bound = v
                self.vars[i].upper_bound = v

    def _chosen(self, s: Search) -> set[int]:
        return {int(i) for i in s.shift.ravel() if i >= 0}

    def complete(self, s: Search, deadline: float) -> list[float] | None:
        """Every variable's value at the search's roster (the day models' hint)."""
        self._fix(self._chosen(s), list(self.by_day))
        self._free = None
        result = self._solve(max(0.1, deadline - time.perf_counter()), None)
        if result is None or not result.has_primal_feasible_solution():
            return None
        return list(result.variable_values(self.vars))

    def day(
        self,
        s: Search,
        d: int,
        fixed: set[tuple[int, int]],
        forbidden: float,
        hint: list[float],
        seconds: float,
        width: int | None,
    ) -> tuple[bool, float, list[float]] | None:
        """Day ``d`` re-solved: (proved optimal, objective, values), or None if HiGHS failed.

        ``width``: each person's ``width`` cheapest shifts that day (priced with everyone else as
        they are) and their current one are open to them; None: all of them.
        """
        chosen = self._chosen(s)
        if self._free is not None:
            self._fix(chosen, [self._free])
        self._free = d
        musts = []
        for e in self.people(d):
            if (e, d) in s.group and (e, d) not in fixed:
                old, place = int(s.shift[e, d]), int(s.place[e, d])
                s.assign(e, d, -1)
                g, cost, off = s.options(e, d)
                s.assign(e, d, old, place)
                ok = []
                cut = np.inf  # the dearest option kept
                if width is not None and len(cost) > width:
                    cut = float(np.partition(cost, width - 1)[width - 1])
                for i, c in zip(g.tolist(), cost.tolist(), strict=True):
                    self.vars[i].lower_bound = 0.0
                    good = c < forbidden and (c <= cut or i == old)
                    self.vars[i].upper_bound = 1.0 if good else 0.0
                    if good:
                        ok.append(self.vars[i])
                if off >= forbidden and ok:  # a day off would break a rule: at work
                    musts.append(self.model.add_linear_constraint(sum(ok) >= 1))
        result = self._solve(seconds, hint)
        for row in musts:
            self.model.delete_linear_constraint(row)
        if result is None or not result.has_primal_feasible_solution():
            return None
        optimal = result.termination.reason == mathopt.TerminationReason.OPTIMAL
        values = list(result.variable_values(self.vars))
        return optimal, self.objective(values), values

    def _solve(self, seconds: float, hint: list[float] | None) -> mathopt.SolveResult | None:
        params = mathopt.SolveParameters(time_limit=timedelta(seconds=seconds))
        params.highs.int_options["threads"] = 1  # the other core is the bound's
        given = None
        if hint is not None:
            values = dict(zip(self.vars, hint, strict=True))
            given = mathopt.ModelSolveParameters(
                solution_hints=[mathopt.SolutionHint(variable_values=values)]
            )
        result = mathopt.solve(
            self.model, mathopt.SolverType.HIGHS, params=params, model_params=given
        )
        why = mathopt.TerminationReason
        if result.termination.reason not in (why.OPTIMAL, why.FEASIBLE):
            return None
        return result

    def apply(self, s: Search, d: int, values: list[float]) -> None:
        """Give day ``d`` the shifts of ``values``, each break where the model placed it."""
        places: dict[tuple[str, int, int], list[int]] = {}
        for key, split in self.splits.items():
            if self.key_day[key] != d:
                continue
            places[key] = [b for b, k in split for _ in range(round(values[k]))]
        people = self.people(d)
        for e in people:
            s.assign(e, d, -1)
        for i in self.by_day[d]:
            if values[i] > 0.5:
                c = self.cands[i]
                left = places.get((c.role, c.start, c.end))
                k = left.pop() - c.break_first if left else None
                s.assign(c.employee, d, i, k)


def _to_mathopt(proto: linear_solver_pb2.MPModelProto) -> model_pb2.ModelProto:
    """The same model (variables and rows in the same order) as MathOpt's proto."""
    m = model_pb2.ModelProto()
    n = len(proto.variable)
    m.variables.ids.extend(range(n))
    m.variables.lower_bounds.extend(v.lower_bound for v in proto.variable)
    m.variables.upper_bounds.extend(v.upper_bound for v in proto.variable)
    m.variables.integers.extend(v.is_integer for v in proto.variable)
    costs = [(k, v.objective_coefficient) for k, v in enumerate(proto.variable)]
    m.objective.linear_coefficients.ids.extend(k for k, c in costs if c != 0.0)
    m.objective.linear_coefficients.values.extend(c for _, c in costs if c != 0.0)
    m.objective.offset = proto.objective_offset
    matrix = m.linear_constraint_matrix
    for r, row in enumerate(proto.constraint):
        m.linear_constraints.ids.append(r)
        m.linear_constraints.lower_bounds.append(row.lower_bound)
        m.linear_constraints.upper_bounds.append(row.upper_bound)
        entries = sorted(zip(row.var_index, row.coefficient, strict=True))
        matrix.row_ids.extend([r] * len(entries))
        matrix.column_ids.extend(c for c, _ in entries)
        matrix.coefficients.extend(v for _, v in entries)
    return m
