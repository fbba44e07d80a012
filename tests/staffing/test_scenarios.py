"""Scenarios change exactly what they say, and never touch the base store."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from staffing.loader import load_store
from staffing.model import StoreData
from staffing.pipeline import PlanSettings
from staffing.requirements import compute_requirements
from staffing.scenarios import (
    CLOSING_ROW,
    WEEKEND_ROW,
    Scenario,
    compare,
    plan_scenario,
    swept_service_level,
    tradeoff,
)
from tests.staffing.mini_store import write_mini_store
from tests.staffing.test_requirements import WEEK, flat_forecast


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> StoreData:
    return load_store(write_mini_store(tmp_path_factory.mktemp("mini")))


def test_traffic_factor_scales_the_forecast_exactly(data: StoreData) -> None:
    fc = flat_forecast(data, 30.0)
    out = Scenario(name="+10%", traffic_factor=1.1).apply_to_forecast(fc)
    np.testing.assert_allclose(out["forecast"], fc["forecast"] * 1.1)
    np.testing.assert_allclose(out["hi95"], fc["hi95"] * 1.1)


def test_stricter_target_never_needs_fewer_people(data: StoreData) -> None:
    fc = flat_forecast(data, 40.0)
    base = compute_requirements(data, fc, WEEK).roles["required"].to_numpy()
    strict = Scenario(name="90/20", service_level=0.9).apply(data)
    assert strict.store.channel("phone").service_level == 0.9
    assert data.store.channel("phone").service_level == 0.8  # the base is untouched
    more = compute_requirements(strict, fc, WEEK).roles["required"].to_numpy()
    assert (more >= base).all()
    assert more.sum() > base.sum()


def test_headcount_wages_and_shift_rules(data: StoreData) -> None:
    s = Scenario(name="lean", remove_employees=("E1", "E2"), wage_factor=1.5, max_shift_hours=6)
    out = s.apply(data)
    assert [e.id for e in out.employees] == ["E3", "E4", "E5", "E6"]
    assert out.employee("E3").hourly_cost == pytest.approx(21.0)
    assert out.store.rules.max_shift_hours == 6
    assert all(a.employee_id not in ("E1", "E2") for a in out.availability)


def test_a_longest_shift_below_the_shortest_is_refused(data: StoreData) -> None:
    """Mini store: shifts of 4-8 h. A 3-h maximum leaves no shift at all, which planned as an
    empty roster at cost 0, the 'cheapest' scenario."""
    with pytest.raises(ValueError, match=r"longest shift \(3 h\) is shorter than the shortest"):
        Scenario(name="short", max_shift_hours=3).apply(data)


def test_compare_puts_scenarios_side_by_side(data: StoreData) -> None:
    settings = PlanSettings(time_limit_seconds=3, workers=1)
    fc = flat_forecast(data, 30.0)
    plans = {
        name: plan_scenario(data, WEEK, Scenario(name=name, traffic_factor=f), settings, fc)
        for name, f in (("base", 1.0), ("+50%", 1.5))
    }
    table = compare(plans)
    assert list(table.columns) == ["base", "+50%"]
    assert table.loc["paid hours", "+50%"] >= table.loc["paid hours", "base"]
    assert "phone: service level" in table.index
    # fairness that tells rosters apart (the weekend spread read 2 on every roster)
    assert WEEKEND_ROW in table.index
    assert CLOSING_ROW in table.index
    assert "weekend days spread" not in table.index
    assert table.loc[WEEKEND_ROW, "base"] == plans["base"].kpis.weekend_days_beyond_first
    assert table.loc["solver status", "base"] in ("optimal", "feasible")
    assert isinstance(WEEK, dt.date)


def test_an_extra_closure_day_is_forecast_and_staffed_as_closed(data: StoreData) -> None:
    from staffing.model import Event

    wednesday = WEEK + dt.timedelta(days=2)
    closed = Event(start_date=wednesday, end_date=wednesday, name="Stocktake", kind="closure")
    scenario = Scenario(name="stocktake", extra_event=closed)
    assert scenario.apply(data).events[-1] == closed
    assert closed not in data.events
    assert scenario.as_dict()["extra_event"] == {
        "start_date": wednesday.isoformat(), "end_date": wednesday.isoformat(),
        "name": "Stocktake", "kind": "closure",
    }  # fmt: skip
    plan = plan_scenario(
        data, WEEK, scenario, PlanSettings(time_limit_seconds=3, workers=1), flat_forecast(data, 30)
    )
    day = plan.forecast[plan.forecast["timestamp"].dt.date == wednesday]
    assert len(day) > 0
    assert (day["forecast"] == 0).all()  # re-forecast with the closure, not the flat base
    assert wednesday.isoformat() not in set(plan.roster_rows["date"].astype(str))
    assert plan.roster_rows["date"].nunique() >= 4


def test_the_sweep_gives_equal_problems_equal_points(data: StoreData) -> None:
    """Targets whose sizing is the same (here the same target twice) reuse one roster instead
    of re-solving: solver noise made equal problems cost differently. A stricter target buys
    at least as much service. Every channel's service level is reported, not only the swept
    ones': the curve had risen while tills and e-mail fell."""
    fc = flat_forecast(data, 30.0)
    settings = PlanSettings(time_limit_seconds=2, workers=1)
    sweep = tradeoff(data, WEEK, (0.6, 0.6, 0.95), settings, fc)
    assert list(sweep.columns) == [
        "target", "wage cost", "targeted service level", "tills: service level",
        "phone: service level", "understaffed person-hours", "optimality gap",
    ]  # fmt: skip
    first, again, strict = sweep.to_dict("records")
    assert first == again
    assert strict["targeted service level"] >= first["targeted service level"] - 1e-9
    # the mini store's only service-level target is the phone's: the curve is the phone's
    assert sweep["targeted service level"].tolist() == sweep["phone: service level"].tolist()


def test_the_sweep_says_which_channels_its_curve_counts(data: StoreData) -> None:
    assert swept_service_level(data) == "phone service level (answered within 20 s)"
    phone = data.store.channel("phone")
    two = replace(data, store=replace(data.store, channels=(
        replace(data.store.channel("tills"), service_level=0.7, answer_within_seconds=30),
        phone,
    )))  # fmt: skip
    assert swept_service_level(two) == (
        "tills + phone service level (volume-weighted; tills answered within 30 s; phone "
        "answered within 20 s)"
    )
    untargeted = replace(phone, service_level=None, max_average_wait_seconds=60)
    none = replace(data, store=replace(data.store, channels=(untargeted,)))
    with pytest.raises(ValueError, match="no channel has a service-level target"):
        tradeoff(none, WEEK, (0.8, 0.9), PlanSettings(time_limit_seconds=1), flat_forecast(none, 5))


def test_six_hour_shifts_set_the_shortest_and_the_longest(data: StoreData) -> None:
    """The longest alone at 6 h allows the store's 4-6 h shifts; both at 6 h: 6-hour shifts."""
    rules = Scenario(name="6h", min_shift_hours=6, max_shift_hours=6).apply(data).store.rules
    assert (rules.min_shift_hours, rules.max_shift_hours) == (6, 6)
    assert Scenario(name="<=6h", max_shift_hours=6).apply(data).store.rules.min_shift_hours == 4


def test_shift_lengths_off_the_planning_grid_are_refused(data: StoreData) -> None:
    """Mini Mart plans whole hours: 4.5 h rounds up to 5 for the shortest and down to 4 for the
    longest, which left no shift at all (an empty roster at cost 0)."""
    with pytest.raises(ValueError, match="whole number of 60-minute intervals; make the longest"):
        Scenario(name="4.5h", min_shift_hours=4.5, max_shift_hours=4.5).apply(data)


@pytest.mark.parametrize("field", ["traffic_factor", "wage_factor"])
def test_a_negative_or_infinite_factor_is_refused(field: str) -> None:
    for value in (-0.1, float("inf"), float("nan")):
        with pytest.raises(ValueError, match=f"scenario 'x': {field}"):
            Scenario(name="x", **{field: value})  # type: ignore[arg-type]


def test_leaving_out_someone_not_in_the_store_is_named(data: StoreData) -> None:
    """A mistyped id had compared a team that was never changed."""
    with pytest.raises(ValueError, match="no employee E99 to leave out"):
        Scenario(name="two fewer", remove_employees=("E1", "E99")).apply(data)
