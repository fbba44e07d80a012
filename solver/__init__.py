"""Roster solver: a typed roster problem in, a typed roster out (OR-Tools CP-SAT inside).

Independent of the application: it never imports ``staffing``, ``forecasts`` or streamlit.
"""

from solver.checker import check_roster, evaluate_roster
from solver.model import resolve, solve
from solver.problem import (
    Assignment,
    BreakRule,
    Employee,
    LockedShift,
    Penalty,
    RoleDemand,
    Roster,
    RosterProblem,
    RuleViolation,
    ShiftRequest,
    ShiftRules,
    ShiftType,
    ShiftTypeDemand,
    Shortfall,
    SolveSettings,
    Weights,
)

__all__ = [
    "Assignment",
    "BreakRule",
    "Employee",
    "LockedShift",
    "Penalty",
    "RoleDemand",
    "Roster",
    "RosterProblem",
    "RuleViolation",
    "ShiftRequest",
    "ShiftRules",
    "ShiftType",
    "ShiftTypeDemand",
    "Shortfall",
    "SolveSettings",
    "Weights",
    "check_roster",
    "evaluate_roster",
    "resolve",
    "solve",
]
