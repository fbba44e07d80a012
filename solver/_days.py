"""A lower bound by Lagrangian relaxation of each person's week: one whole-shift problem a day.

The LP relaxation (:mod:`solver.bound`) lets a fraction of a person stand at a post while
another fraction takes a break; only whole people show that someone at the door alone leaves it
empty during their break. Whole shifts for the whole week are a hard MIP (HiGHS needs about 11 s
for its first round of cuts on the store). Here the rows that join days (each person's hours, days,
weekend days, shifts per type, overtime, contract minimum and hours off target) are priced with
the LP's duals and left out; what remains falls apart into one problem a day (which shifts, whole,
and where their breaks go, against that day's cover and posts), each a small MIP HiGHS solves or
bounds in a second or two. For any prices of the right sign the sum of the days' bounds plus the
prices' constant is a valid lower bound (weak duality); at the LP's duals it is at least the LP's
value, since each day's MIP is at least its LP and those LPs add up to the LP's optimum. A row
with variables of two days (cover of a slot after midnight by a shift started the day before) is
priced too: a weaker bound, still valid. The days' LPs come first, so a day HiGHS has no time for
keeps its LP's value and every sum on the way is a bound. (Solving a day's LP only when its
MIP proves nothing gives the days 0.5 s more of a 10-s solve, and the same bound: 22,902-22,905
over seeds 0-5. The GLOP simplex is most of the wait, 3.0-3.3 s on the store; HiGHS's dual
simplex took 3.6-4.1 s, its interior point 2.6 s and at a looser tolerance (1e-4) no answer.)

HiGHS settings for the days' MIPs (0.7 s a day) changed little: no primal heuristics 597 above
the LP against 597 with them (614 against 599 at 1 s a day), no symmetry detection or restarts
the same, no presolve 371.

On the store it lifts the bound from 22,304 to 22,990 with one second a day and to 23,072 once
every day is solved (1-3 s a day, people pooled: :func:`_pool`), against 22,948-23,003 from HiGHS
on the week's whole-shift model in 30 s; on the contact center only from 77,296 to 77,317, at
twice the LP's time, so it serves weeks whose LP GLOP solves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt

from solver._candidates import Candidate
from solver.bound import _relaxation
from solver.problem import RosterProblem

__all__ = ["day_bound"]


def day_bound(
    problem: RosterProblem,
    cands: list[Candidate],
    lp_seconds: float,
    until: float,
    report: Callable[[float], None],
) -> float:
    """The best of the LP bound and the days' Lagrangian bound (currency units; 0 if none).

    Parameters
    ----------
    lp_seconds : float
        Time limit of the LP (seconds).
    until : float
        ``time.perf_counter()`` time by which the days' MIPs end; each gets an equal share of
        what is left when it starts, and a day that cannot be solved in time keeps its LP value.
    report : callable
        Called with each better bound as it is proved: the LP's, then after each day.
    """
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:  # pragma: no cover - GLOP ships with OR-Tools
        return 0.0
    tags: list[tuple[int, bool]] = []
    objective = _relaxation(lp, problem, cands, integer=False, seconds=lp_seconds, tags=tags)
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return 0.0
    best = float(objective.Value())
    report(best)
    if until - time.perf_counter() < 0.2:
        return best
    duals = np.array([row.dual_value() for row in lp.constraints()])
    model = linear_solver_pb2.MPModelProto()
    lp.ExportModelToProto(model)
    split = _Split(model, tags, duals)
    days = [_pool(split.day(d), split.columns(d), cands) for d in range(problem.days)]
    lower = [_solve(m, 0.0, relax=True) for m in days]  # each day's LP under the prices
    if any(v == -np.inf for v in lower):
        return best
    order = sorted(range(problem.days), key=lambda k: len(days[k].variables.ids))
    for done, d in enumerate(order):  # smallest first: what quick days leave goes to the rest
        left = until - time.perf_counter()
        if left < 0.2:
            break
        lower[d] = max(lower[d], _solve(days[d], left / (len(order) - done), relax=False))
        value = split.constant + sum(lower)
        if value > best:
            best = value
            report(best)
    return best


class _Split:
    """The relaxation's rows and columns split by day, week rows priced by ``duals``."""

    def __init__(
        self, model: linear_solver_pb2.MPModelProto, tags: list[tuple[int, bool]], duals: np.ndarray
    ) -> None:
        n = len(model.variable)
        if len(tags) != n:  # pragma: no cover - every variable is created through the tagger
            raise ValueError(f"{len(tags)} tags for {n} variables")
        self.day_of = np.array([d for d, _ in tags])
        self.counts = np.array([c for _, c in tags], dtype=bool)
        self.lb = np.array([v.lower_bound for v in model.variable])
        self.ub = np.array([v.upper_bound for v in model.variable])
        cost = np.array([v.objective_coefficient for v in model.variable])
        self.rows = model.constraint
        self.row_lb = np.array([r.lower_bound for r in self.rows])
        self.row_ub = np.array([r.upper_bound for r in self.rows])
        # A row stays with its day if all its variables belong to that day; else it is priced.
        self.row_day = np.full(len(self.rows), -1)
        price = np.zeros(len(self.rows))
        for k, row in enumerate(self.rows):
            days = set(self.day_of[list(row.var_index)].tolist())
            if len(days) == 1 and min(days) >= 0:
                self.row_day[k] = min(days)
                continue
            lam = float(duals[k])  # weak duality needs lam >= 0 on a >= row, <= 0 on a <= row
            if (lam > 0 and not np.isfinite(self.row_lb[k])) or (
                lam < 0 and not np.isfinite(self.row_ub[k])
            ):
                lam = 0.0
            price[k] = lam
            if lam != 0.0:
                np.subtract.at(cost, np.array(row.var_index), lam * np.array(row.coefficient))
        self.cost = cost
        side = np.where(price > 0, self.row_lb, self.row_ub)
        self.constant = float(np.sum(price[price != 0] * side[price != 0]))
        # The week's own variables appear in priced rows only: each takes its least value.
        week = self.day_of < 0
        low = np.where(cost[week] > 0, self.lb[week], self.ub[week])
        self.constant += float(np.sum(cost[week] * low)) + float(model.objective_offset)

    def columns(self, d: int) -> np.ndarray:
        """The relaxation's indices of day ``d``'s variables, in the day model's order."""
        return np.flatnonzero(self.day_of == d)

    def day(self, d: int) -> model_pb2.ModelProto:
        """Day ``d``'s MIP under the prices (its shift counts whole)."""
        columns = self.columns(d)
        at = np.full(len(self.day_of), -1)
        at[columns] = np.arange(len(columns))
        m = model_pb2.ModelProto()
        m.variables.ids.extend(range(len(columns)))
        m.variables.lower_bounds.extend(self.lb[columns].tolist())
        m.variables.upper_bounds.extend(self.ub[columns].tolist())
        m.variables.integers.extend(self.counts[columns].tolist())
        costs = self.cost[columns]
        priced = np.flatnonzero(costs)
        m.objective.linear_coefficients.ids.extend(priced.tolist())
        m.objective.linear_coefficients.values.extend(costs[priced].tolist())
        matrix = m.linear_constraint_matrix
        for new, k in enumerate(np.flatnonzero(self.row_day == d)):
            m.linear_constraints.ids.append(new)
            m.linear_constraints.lower_bounds.append(self.row_lb[k])
            m.linear_constraints.upper_bounds.append(self.row_ub[k])
            row = self.rows[k]
            order = sorted(zip(at[list(row.var_index)].tolist(), row.coefficient, strict=True))
            matrix.row_ids.extend([new] * len(order))
            matrix.column_ids.extend(c for c, _ in order)
            matrix.coefficients.extend(v for _, v in order)
        return m


def _solve(day: model_pb2.ModelProto, seconds: float, *, relax: bool) -> float:
    """HiGHS's dual bound on a day's problem (its LP when ``relax``); -inf if it proves none."""
    model = mathopt.Model.from_model_proto(day)
    if relax:
        for v in model.variables():
            v.integer = False
        params = mathopt.SolveParameters()
    else:
        params = mathopt.SolveParameters(time_limit=timedelta(seconds=seconds))
    params.highs.int_options["threads"] = 1  # the other core is the local search's
    result = mathopt.solve(model, mathopt.SolverType.HIGHS, params=params)
    reason = result.termination.reason
    bound = float(result.termination.objective_bounds.dual_bound)
    # A day's problem is never infeasible (no shift at all is a solution): a claim otherwise,
    # or a numerical failure, proves nothing, and an infinite bound would swamp the sum.
    why = mathopt.TerminationReason
    trusted = reason in (why.OPTIMAL, why.FEASIBLE, why.NO_SOLUTION_FOUND)
    return bound if trusted and bound < np.inf else -np.inf


def _pool(
    day: model_pb2.ModelProto, columns: np.ndarray, cands: list[Candidate]
) -> model_pb2.ModelProto:
    """The day's MIP with interchangeable people pooled: the same optimum, far less symmetry.

    Under the prices a person's shift costs the same whatever its start and role: it depends on
    its length and shift type (wage and the priced week rows: hours, days, types). People who
    may work the same shift patterns that day form a class; the model then counts each class's
    shifts per pattern (whole) and chooses per person only a length and type (a 0/1 variable
    at that person's price), the class's counts per length and type equal to its people's
    choices. Whole counts and choices always split back into whole shifts per person (anyone in
    the class may take any of its patterns), so the optimum is the day's. HiGHS solves the
    store's weekdays in 1-2 s so against 5 s and more, and reaches 22,990 with a second a day
    where the plain model gets 22,912. A person whose shifts enter any other day row (a
    request, a cover of a shift type, a pattern no one else may work) or whose price is not
    one per length and type keeps their own shift variables. ``columns``: the relaxation's
    index of each of the day model's variables; the relaxation's first ``len(cands)``
    variables are the candidate shifts.
    """
    n = len(day.variables.ids)
    shift = columns < len(cands)  # which of the day's variables are candidate shifts
    who = np.where(shift, [cands[j].employee if j < len(cands) else -1 for j in columns], -1)
    cost = np.zeros(n)
    given = day.objective.linear_coefficients
    cost[list(given.ids)] = list(given.values)
    rows: list[list[tuple[int, float]]] = [[] for _ in day.linear_constraints.ids]
    matrix = day.linear_constraint_matrix
    for r, c, v in zip(matrix.row_ids, matrix.column_ids, matrix.coefficients, strict=True):
        rows[r].append((c, v))
    own_row: dict[int, int] = {}  # person -> their one-shift-a-day row
    link: dict[int, int] = {}  # shift variable -> its pattern's row (pattern - shifts = 0)
    alone: set[int] = set()  # people who keep their own variables
    lows, highs = day.linear_constraints.lower_bounds, day.linear_constraints.upper_bounds
    for r, entries in enumerate(rows):
        ours = [c for c, _ in entries if shift[c]]
        if not ours:
            continue
        rest = [v for c, v in entries if not shift[c]]
        signs = {v for c, v in entries if shift[c]}
        persons = {int(who[c]) for c in ours}
        if not rest and len(persons) == 1 and signs == {1.0} and highs[r] == 1.0:
            own_row[persons.pop()] = r
        elif rest == [1.0] and signs == {-1.0} and lows[r] == highs[r] == 0.0:
            for c in ours:  # a pattern's row: pattern - its shifts = 0
                if link.setdefault(c, r) != r:
                    alone.add(int(who[c]))
        else:
            alone.update(persons)
    shifts_of: dict[int, list[int]] = {}
    for k in np.flatnonzero(shift).tolist():
        shifts_of.setdefault(int(who[k]), []).append(k)
    price: dict[int, dict[tuple[int, str | None], float]] = {}
    for e, ks in shifts_of.items():
        if e in alone or e not in own_row or any(k not in link for k in ks):
            continue
        each: dict[tuple[int, str | None], float] = {}
        for k in ks:
            c = cands[int(columns[k])]
            key = (c.end - c.start, c.kind)
            if abs(each.setdefault(key, cost[k]) - cost[k]) > 1e-9:
                break
        else:
            price[e] = each
    classes: dict[frozenset[int], list[int]] = {}
    for e in price:
        classes.setdefault(frozenset(link[k] for k in shifts_of[e]), []).append(e)
    gone = {k for e in price for k in shifts_of[e]}
    kept = [k for k in range(n) if k not in gone]
    at = dict(zip(kept, range(len(kept)), strict=True))
    lb = [day.variables.lower_bounds[k] for k in kept]
    ub = [day.variables.upper_bounds[k] for k in kept]
    whole = [day.variables.integers[k] for k in kept]
    obj = [float(cost[k]) for k in kept]

    def new(upper: float, value: float) -> int:
        lb.append(0.0)
        ub.append(upper)
        whole.append(True)
        obj.append(value)
        return len(lb) - 1

    out = [
        (day.linear_constraints.lower_bounds[r], day.linear_constraints.upper_bounds[r], entries)
        for r, entries in enumerate(rows)
    ]
    dropped = {own_row[e] for e in price}
    counted: dict[int, list[int]] = {}  # pattern row -> the classes' counts of that pattern
    for people in classes.values():
        by_key: dict[tuple[int, str | None], list[int]] = {}
        for k in shifts_of[people[0]]:
            c = cands[int(columns[k])]
            count = new(len(people), 0.0)
            counted.setdefault(link[k], []).append(count)
            by_key.setdefault((c.end - c.start, c.kind), []).append(count)
        chosen: dict[tuple[int, str | None], list[int]] = {}
        for e in people:
            mine = [new(1.0, value) for value in price[e].values()]
            for key, z in zip(price[e], mine, strict=True):
                chosen.setdefault(key, []).append(z)
            out.append((-np.inf, 1.0, [(z, 1.0) for z in mine]))  # one shift at most
        for key, counts in by_key.items():
            out.append((0.0, 0.0, [(v, 1.0) for v in counts] + [(z, -1.0) for z in chosen[key]]))
    m = model_pb2.ModelProto()
    m.variables.ids.extend(range(len(lb)))
    m.variables.lower_bounds.extend(lb)
    m.variables.upper_bounds.extend(ub)
    m.variables.integers.extend(whole)
    priced = [i for i, v in enumerate(obj) if v != 0.0]
    m.objective.linear_coefficients.ids.extend(priced)
    m.objective.linear_coefficients.values.extend(obj[i] for i in priced)
    matrix = m.linear_constraint_matrix
    kept_rows = 0
    for r, (lo, hi, entries) in enumerate(out):
        if r in dropped:
            continue
        if r < len(rows):  # an old row: its columns renumbered, the pooled shifts' counts added
            entries = [(at[c], v) for c, v in entries if c in at]
            entries += [(v, -1.0) for v in counted.get(r, [])]
        m.linear_constraints.ids.append(kept_rows)
        m.linear_constraints.lower_bounds.append(lo)
        m.linear_constraints.upper_bounds.append(hi)
        entries.sort()
        matrix.row_ids.extend([kept_rows] * len(entries))
        matrix.column_ids.extend(c for c, _ in entries)
        matrix.coefficients.extend(v for _, v in entries)
        kept_rows += 1
    return m
