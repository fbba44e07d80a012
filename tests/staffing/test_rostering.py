"""The store's rows become the solver's problem: preferred windows are priced wishes."""

from __future__ import annotations

import pytest

from staffing.loader import load_store
from staffing.model import StoreData
from staffing.requirements import compute_requirements
from staffing.rostering import PREFERENCE_COST, build_problem, money, pay
from tests.staffing.mini_store import AVAILABILITY_CSV, write_mini_store
from tests.staffing.test_requirements import WEEK, flat_forecast


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> StoreData:
    extra = "E1,monday,13:00,17:00,preferred\n"  # E1 would rather work Monday afternoon
    return load_store(
        write_mini_store(tmp_path_factory.mktemp("mini"), availability_csv=AVAILABILITY_CSV + extra)
    )


def test_a_preferred_window_is_a_wish_to_work_then(data: StoreData) -> None:
    # mini store: E3 prefers Friday 12:00-17:00 (hourly slots, Friday is day 4)
    problem = build_problem(
        data, WEEK, compute_requirements(data, flat_forecast(data, 30.0), WEEK).needs
    )
    wishes = {(r.employee_id, r.day): r for r in problem.requests}
    friday = wishes[("E3", 4)]
    assert (friday.on, friday.start_slot, friday.end_slot) == (True, 4 * 24 + 12, 4 * 24 + 17)
    assert friday.weight == PREFERENCE_COST
    assert set(wishes) == {("E3", 4), ("E1", 0)}


def test_pay_is_rounded_to_the_cent_half_up() -> None:
    # 8.5 h at 12.95 is exactly 110.075: float rounding gave 110.07, payroll pays 110.08
    assert pay(8.5, 12.95) == 110.08
    assert pay(7.25, 11.2) == 81.2
    assert money(0.125) == 0.13
    assert money(2.675) == 2.68  # 2.675 is 2.67499999... as a float; as written it is half


def test_weekly_costs_add_up_to_the_rows(data: StoreData) -> None:
    from staffing.pipeline import PlanSettings, roster_week

    fc = flat_forecast(data, 30.0)
    plan = roster_week(
        data, WEEK, fc, compute_requirements(data, fc, WEEK),
        PlanSettings(time_limit_seconds=3, workers=1),
    )  # fmt: skip
    rows, hours = plan.roster_rows, plan.hours.set_index("employee_id")
    for eid, mine in rows.groupby("employee_id"):
        overtime = hours.loc[eid, "overtime_hours"]
        if overtime == 0:
            assert hours.loc[eid, "cost"] == pytest.approx(round(mine["cost"].sum(), 2), abs=1e-9)
    assert plan.kpis.wage_cost == pytest.approx(round(hours["cost"].sum(), 2), abs=1e-9)
