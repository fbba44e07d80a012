"""The weekend-only contract is read whatever its case and spacing: the README calls
``contract`` free text, and ``Weekend`` or `` weekend `` silently lost the weekend-only
availability (the roster could put that person on a weekday)."""

from __future__ import annotations

from pathlib import Path

import pytest

from staffing.loader import load_store
from staffing.model import Employee
from staffing.requirements import compute_requirements
from staffing.rostering import build_problem
from tests.staffing.mini_store import EMPLOYEES_CSV, write_mini_store
from tests.staffing.test_requirements import WEEK, flat_forecast

#: E6's row in the mini store (a weekend-only cashier).
E6 = "E6,Fay Ford,cashier,0,16,11.5,weekend\n"


def _days_available(folder: Path, contract: str) -> set[int] | None:
    """Week days (0 = Monday) E6 may work, as the solver is told; None: any time."""
    assert E6 in EMPLOYEES_CSV
    employees = EMPLOYEES_CSV.replace(E6, f"E6,Fay Ford,cashier,0,16,11.5,{contract}\n")
    data = load_store(write_mini_store(folder, employees_csv=employees))
    problem = build_problem(
        data, WEEK, compute_requirements(data, flat_forecast(data, 30.0), WEEK).needs
    )
    (e6,) = (e for e in problem.employees if e.id == "E6")
    if e6.available is None:
        return None
    spd = problem.slots_per_day
    return {
        d
        for d in range(problem.days)
        if any(a < (d + 1) * spd and d * spd < b for a, b in e6.available)
    }


@pytest.mark.parametrize(
    "contract", ["weekend", "Weekend", "WEEKEND", '" weekend "', '"Weekend  "']
)
def test_weekend_contract_in_any_case_or_spacing_is_weekend_only(
    tmp_path: Path, contract: str
) -> None:
    assert _days_available(tmp_path / "store", contract) == {5, 6}


@pytest.mark.parametrize("contract", ["full_time", "weekends", "week end", ""])
def test_other_contracts_are_not_weekend_only(tmp_path: Path, contract: str) -> None:
    assert _days_available(tmp_path / "store", contract) is None


def test_the_contract_text_is_kept_as_written_for_the_exports(tmp_path: Path) -> None:
    employees = EMPLOYEES_CSV.replace(E6, "E6,Fay Ford,cashier,0,16,11.5,Weekend\n")
    data = load_store(write_mini_store(tmp_path / "store", employees_csv=employees))
    assert data.employee("E6").contract == "Weekend"
    assert data.employee("E6").weekend_only


@pytest.mark.parametrize(
    ("contract", "weekend_only"),
    [
        ("weekend", True),
        ("Weekend", True),
        (" weekend ", True),
        ("\tWEEKEND\n", True),
        ("weekend staff", False),
        ("part_time", False),
        ("", False),
    ],
)
def test_an_employee_built_in_code_reads_its_contract_the_same_way(
    contract: str, weekend_only: bool
) -> None:
    emp = Employee(
        id="E9",
        name="Gus Gray",
        roles=("cashier",),
        min_hours_week=0,
        max_hours_week=16,
        hourly_cost=11.5,
        contract=contract,
    )
    assert emp.weekend_only is weekend_only
