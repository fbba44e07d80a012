"""Fairness KPIs compare rosters: weekend days as the solver prices them, and closing shifts.

"Weekend days spread" (max minus min weekend days worked) read 2 on every roster of both sample
stores: weekend-only contracts always work both days and someone never works a weekend, so it
never told two scenarios apart.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from staffing.kpis import _closing, _fairness
from staffing.loader import load_store
from staffing.model import StoreData
from staffing.pipeline import PlanSettings
from staffing.scenarios import Scenario, plan_scenario
from tests.staffing.mini_store import STORE_TOML, write_mini_store
from tests.staffing.test_requirements import WEEK, flat_forecast

SAT, SUN = "2026-11-28", "2026-11-29"  # the weekend of WEEK (Mini Mart closes at 17:00)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> StoreData:
    toml = STORE_TOML.replace('sunday = "closed"', 'sunday = "09:00-17:00"')
    return load_store(write_mini_store(tmp_path_factory.mktemp("sunday"), store_toml=toml))


def _rows(*shifts: tuple[str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"employee_id": e, "date": d, "start": f"{d}T{a}", "end": f"{d}T{b}"}
         for e, d, a, b in shifts]
    )  # fmt: skip


def test_weekend_days_beyond_the_first_leave_weekend_contracts_out(data: StoreData) -> None:
    """E1 works both weekend days (1 beyond the first); E3 two shifts on one Saturday (one
    day); E6, on a weekend-only contract, both days by contract; E2 no weekend at all."""
    assert data.employee("E6").weekend_only
    rows = _rows(
        ("E1", SAT, "09:00", "17:00"), ("E1", SUN, "10:00", "14:00"),
        ("E2", "2026-11-23", "09:00", "17:00"), ("E2", "2026-11-24", "13:00", "17:00"),
        ("E2", "2026-11-25", "09:00", "13:00"),
        ("E3", SAT, "09:00", "12:00"), ("E3", SAT, "13:00", "17:00"),
        ("E6", SAT, "09:00", "17:00"), ("E6", SUN, "09:00", "13:00"),
    )  # fmt: skip
    out = _fairness(data, rows)
    assert out["weekend_days_beyond_first"] == 1  # E1 only
    # closing (ending at 17:00): E2 twice (Mon, Tue), E1, E3 and E6 once each on Saturday
    assert out["most_closing_shifts"] == 2
    # E1 off on Sunday: the figure moves (the old spread read 2 either way: E6 works both)
    fewer = _fairness(data, rows[~((rows["employee_id"] == "E1") & (rows["date"] == SUN))])
    assert fewer["weekend_days_beyond_first"] == 0


def test_no_roster_has_no_unfairness(data: StoreData) -> None:
    empty = pd.DataFrame(columns=["employee_id", "date", "start", "end"])
    assert _fairness(data, empty) == {
        "weekend_days_beyond_first": 0, "most_closing_shifts": 0,
    }  # fmt: skip


def test_the_weekend_figure_is_what_the_solver_prices(data: StoreData) -> None:
    """The solver charges every weekend day worked beyond a person's first; the KPI is that
    count less the weekend-only contracts' (who work the weekend by contract), and kpis.json
    carries the new figures, not the spreads that never moved."""
    forecast = flat_forecast(data, 60.0)
    weekend = forecast["timestamp"].dt.day_of_week >= 5
    forecast.loc[weekend, "forecast"] *= 2  # busy enough that the regular staff work weekends
    plan = plan_scenario(
        data, WEEK, Scenario(name="base"), PlanSettings(time_limit_seconds=3, workers=1),
        forecast,
    )  # fmt: skip
    k = plan.kpis
    weight = plan.problem.weights.fairness_weekend
    priced = plan.roster.penalty("fairness_weekend") / weight
    hours = plan.hours.set_index("employee_id")
    by_contract = sum(
        max(0, int(hours.loc[e.id, "weekend_days"]) - 1)
        for e in data.employees
        if e.weekend_only and e.id in hours.index
    )
    assert k.weekend_days_beyond_first > 0  # the check below is not 0 = 0
    assert k.weekend_days_beyond_first + by_contract == pytest.approx(priced)
    saved = k.as_dict()
    assert saved["weekend_days_beyond_first"] == k.weekend_days_beyond_first
    assert saved["most_closing_shifts"] == k.most_closing_shifts
    assert "weekend_days_spread" not in saved
    assert "closing_shifts_spread" not in saved


def test_closing_shifts_the_solver_prices_are_those_the_kpi_counts(
    data: StoreData, tmp_path: Path
) -> None:
    """The solver's closing shifts (per day, from the store's closing time) are the KPI's: its
    fairness_closing term is each person's closes beyond the free two, at the store's price,
    counted here from the roster's rows the KPI's way. A close-heavy week (evening peaks) makes
    the check more than 0 = 0."""
    from staffing.requirements import compute_requirements
    from staffing.rostering import CLOSING_FAIRNESS, FREE_CLOSING_SHIFTS, build_problem

    forecast = flat_forecast(data, 40.0)
    late = forecast["timestamp"].dt.hour >= 13
    forecast.loc[late, "forecast"] *= 3
    plan = plan_scenario(
        data, WEEK, Scenario(name="base"), PlanSettings(time_limit_seconds=3, workers=1),
        forecast,
    )  # fmt: skip
    p = plan.problem
    assert p.closing_from == tuple(17 for _ in range(7))  # Mini Mart closes at 17:00 each day
    assert p.weights.fairness_closing == CLOSING_FAIRNESS
    rows = plan.roster_rows
    closes = rows[rows.apply(_closing(data), axis=1)].groupby("employee_id").size()
    assert closes.sum() > 0
    beyond = sum(max(0, int(n) - FREE_CLOSING_SHIFTS) for n in closes)
    assert plan.roster.penalty("fairness_closing") == pytest.approx(beyond * CLOSING_FAIRNESS)
    assert plan.kpis.most_closing_shifts == int(closes.max())
    # a closed day has no closing shift (Mini Mart as written closes on Sundays)
    closed = load_store(write_mini_store(tmp_path / "closed"))
    req = compute_requirements(closed, flat_forecast(closed, 10.0), WEEK)
    assert build_problem(closed, WEEK, req.needs).closing_from[6] is None


def test_a_store_open_past_midnight_has_no_close_that_night(tmp_path: Path) -> None:
    """Review helper-47: Friday open until 24:00 with Saturday open from 00:00 made every
    Friday late shift a 'close' for the solver and the KPI alike; the store does not close."""
    from staffing.rostering import closing_minute

    toml = STORE_TOML.replace('friday = "09:00-17:00"', 'friday = "09:00-24:00"').replace(
        'saturday = "09:00-17:00"', 'saturday = "00:00-17:00"'
    )
    store = load_store(write_mini_store(tmp_path / "late", store_toml=toml)).store
    assert closing_minute(store, 4) is None  # Friday: open on past midnight
    assert closing_minute(store, 5) == 17 * 60  # Saturday closes at 17:00
    assert closing_minute(store, 6) is None  # Sunday closed
    alone = STORE_TOML.replace('friday = "09:00-17:00"', 'friday = "09:00-24:00"')
    store = load_store(write_mini_store(tmp_path / "midnight", store_toml=alone)).store
    assert closing_minute(store, 4) == 24 * 60  # closes at midnight, Saturday opens at 09:00
    rows = pd.DataFrame([{"date": "2026-11-27", "end": "2026-11-28T00:00"}])
    data = load_store(write_mini_store(tmp_path / "m2", store_toml=alone))
    assert rows.apply(_closing(data), axis=1).tolist() == [True]


@pytest.mark.parametrize(("days", "free"), [(3, 1), (7, 2), (14, 4)])
def test_the_free_closes_follow_the_planned_days(data: StoreData, days: int, free: int) -> None:
    """Two a week (review helper-47: two free closes had applied to a 3-day plan and a
    fortnight alike)."""
    from staffing.requirements import compute_requirements
    from staffing.rostering import build_problem

    week = flat_forecast(data, 10.0)
    later = week.assign(timestamp=week["timestamp"] + pd.Timedelta(days=7))
    forecast = pd.concat([week, later], ignore_index=True)  # two weeks
    req = compute_requirements(data, forecast, WEEK, days=days)
    assert build_problem(data, WEEK, req.needs, days=days).weights.free_closing_shifts == free
