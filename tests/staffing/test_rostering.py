"""The store's rows become the solver's problem: preferred windows are priced wishes."""

from __future__ import annotations

import pytest

from staffing.loader import load_store
from staffing.model import StoreData
from staffing.requirements import compute_requirements
from staffing.rostering import PREFERENCE_COST, build_problem
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
