"""What every rule family sees: the CP-SAT model, the candidate shifts and their variables."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver._candidates import Candidate
from solver.problem import RosterProblem

__all__ = ["SCALE", "Context", "Term"]

SCALE = 100  # objective coefficients are in cents


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
