"""What every rule family sees: the CP-SAT model, the candidate shifts and their variables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver._candidates import Candidate
from solver.problem import RosterProblem

__all__ = ["SCALE", "Context", "Term", "objective_scale"]

SCALE = 100  # the least objective scale: whole cents
# The scales tried, least first: per-minute prices (a price per hour / 60) and half cents are
# whole at one of them, e.g. 0.5 per hour off target is 5 units a minute at 600.
_SCALES = tuple(SCALE * k for k in (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 30, 40, 60, 120))


def objective_scale(coefficients: Iterable[float]) -> int:
    """The least scale (model units per currency unit) at which every coefficient is whole.

    CP-SAT's objective has integer coefficients. Whole cents alone priced a per-minute term
    such as 0.5 per hour off target (0.83 cents a minute) at 1 cent, 20% high, so the search
    optimised another objective than the one reported. If no scale makes every coefficient
    whole, the largest is used (off by at most 1/24,000 of a currency unit per unit).
    """
    values = [abs(c) for c in coefficients if c]
    for scale in _SCALES:
        if all(abs(c * scale - round(c * scale)) <= 1e-6 * max(1.0, c * scale) for c in values):
            return scale
    return _SCALES[-1]


@dataclass(frozen=True, slots=True)
class Term:
    """A named objective term: ``coefficient`` (currency per unit) times ``variable``."""

    name: str
    variable: cp_model.LinearExprT
    coefficient: float


@dataclass
class Context:
    """The model under construction."""

    problem: RosterProblem
    model: cp_model.CpModel
    cands: list[Candidate]
    x: list[cp_model.IntVar]
    by_emp_day: dict[tuple[int, int], list[int]] = field(default_factory=lambda: defaultdict(list))
    works: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    guards: dict[cp_model.IntVar, str] = field(default_factory=dict)
    owners: dict[int, int | None] = field(default_factory=dict)
    # index in problem.locked -> the candidates that keep that lock (one of them is worked)
    locks: dict[int, list[int]] = field(default_factory=dict)
    # (employee, start, end, role) -> the candidates at those hours (types may share them)
    by_hours: dict[tuple[int, int, int, str], list[int]] = field(default_factory=dict)
    # (role, start, end) -> [(break start slot, how many of these shifts take it there)]
    breaks: dict[tuple[str, int, int], list[tuple[int, cp_model.IntVar]]] = field(
        default_factory=dict
    )
    scale: int = SCALE  # model objective units per currency unit (objective_scale)

    def guard(self, text: str, employee: int | None = None) -> cp_model.IntVar:
        """A literal that switches a hard rule on; kept as an assumption to explain conflicts.

        ``employee`` is the index of the person the rule is about (None: a rule about everyone);
        the rules of one person can then be switched off together.
        """
        lit = self.model.new_bool_var(f"rule[{len(self.guards)}]")
        self.guards[lit] = text
        self.owners[lit.index] = employee
        return lit

    def paid_minutes(self, e: int) -> cp_model.LinearExpr:
        """Paid minutes of employee ``e`` over the horizon."""
        slot = self.problem.slot_minutes
        items = [
            (self.x[i], self.cands[i].paid * slot)
            for d in range(self.problem.days)
            for i in self.by_emp_day.get((e, d), [])
        ]
        return cp_model.LinearExpr.weighted_sum([v for v, _ in items], [c for _, c in items])
