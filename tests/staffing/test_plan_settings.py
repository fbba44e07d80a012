"""Plan settings are checked where they enter, and reach the solver whole on every path."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import solver
from staffing.loader import load_store
from staffing.pipeline import PlanSettings, roster_week
from staffing.requirements import compute_requirements
from tests.staffing.mini_store import write_mini_store
from tests.staffing.test_requirements import WEEK, flat_forecast


def test_bad_settings_are_refused_all_at_once_by_name() -> None:
    """These three were accepted and failed later with a KeyError deep in the requirements."""
    with pytest.raises(ValueError, match="^plan settings: ") as caught:
        PlanSettings(staff_to="hi90", days=0, time_limit_seconds=-1)
    message = str(caught.value)
    assert "time_limit_seconds -1: expected a finite number of seconds above 0" in message
    assert "days 0: expected 1 or more" in message
    assert "staff_to 'hi90': expected one of forecast, hi80, hi95" in message


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"time_limit_seconds": 0}, "time_limit_seconds 0: expected a finite number"),
        ({"time_limit_seconds": float("nan")}, "time_limit_seconds nan: expected"),
        ({"time_limit_seconds": float("inf")}, "time_limit_seconds inf: expected"),
        ({"time_limit_seconds": "10"}, "time_limit_seconds '10': expected"),
        ({"workers": 0}, "workers 0: expected 1 or more"),
        ({"workers": 1.5}, "workers 1.5: expected a whole number"),
        ({"days": True}, "days True: expected a whole number"),
        ({"days": -3}, "days -3: expected 1 or more"),
        ({"seed": 0.5}, "seed 0.5: expected a whole number"),
        ({"staff_to": "HI80"}, "staff_to 'HI80': expected one of"),
        ({"staff_to": ""}, "staff_to '': expected one of"),
    ],
)
def test_each_bad_setting_is_named(changes: dict[str, object], expected: str) -> None:
    with pytest.raises(ValueError, match="plan settings") as caught:
        PlanSettings(**changes)  # type: ignore[arg-type]
    assert expected in str(caught.value)


@pytest.mark.parametrize("staff_to", PlanSettings.STAFF_TO)
def test_every_documented_choice_is_accepted(staff_to: str) -> None:
    assert PlanSettings(staff_to=staff_to).staff_to == staff_to


def test_the_choices_are_the_ones_the_requirements_size_to(tmp_path: Path) -> None:
    """requirements.py keeps its own table of the choices: each one PlanSettings accepts is
    sized, to the point forecast or a bound above it, and the bounds need more staff."""
    data = load_store(write_mini_store(tmp_path / "mini"))
    fc = flat_forecast(data, 30.0)
    staff = {
        choice: compute_requirements(data, fc, WEEK, staff_to=choice).roles["required"].sum()
        for choice in PlanSettings.STAFF_TO
    }
    assert list(staff) == ["forecast", "hi80", "hi95"]
    assert staff["forecast"] < staff["hi80"] <= staff["hi95"]


def test_numpy_whole_numbers_become_python_ints() -> None:
    settings = PlanSettings(workers=np.int64(1), days=np.int32(3), seed=np.int64(7))  # type: ignore[arg-type]
    assert (settings.workers, settings.days, settings.seed) == (1, 3, 7)
    assert all(type(v) is int for v in (settings.workers, settings.days, settings.seed))


def test_the_defaults_are_valid() -> None:
    assert PlanSettings() == PlanSettings(time_limit_seconds=10.0, workers=2, staff_to="forecast")


class _Stop(Exception):
    pass


@pytest.mark.parametrize("with_callback", [False, True])
@pytest.mark.parametrize("published", [False, True])
def test_roster_week_hands_the_solver_every_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_callback: bool, published: bool
) -> None:
    """One SolveSettings, built once: the time limit, workers and seed reach a fresh solve and
    a re-solve alike, with the progress callback or without."""
    data = load_store(write_mini_store(tmp_path / "mini"))
    fc = flat_forecast(data, 30.0)
    req = compute_requirements(data, fc, WEEK)
    seen: list[solver.SolveSettings] = []

    def fake_solve(problem: object, settings: solver.SolveSettings) -> None:
        seen.append(settings)
        raise _Stop

    def fake_resolve(problem: object, roster: object, settings: solver.SolveSettings) -> None:
        seen.append(settings)
        raise _Stop

    monkeypatch.setattr(solver, "solve", fake_solve)
    monkeypatch.setattr(solver, "resolve", fake_resolve)

    def callback(cost: float, seconds: float) -> None:
        pass

    settings = PlanSettings(time_limit_seconds=7.5, workers=1, seed=42)
    with pytest.raises(_Stop):
        roster_week(
            data, WEEK, fc, req, settings,
            published=object() if published else None,  # type: ignore[arg-type]
            on_solution=callback if with_callback else None,
        )  # fmt: skip
    (given,) = seen
    expected = solver.SolveSettings(
        time_limit_seconds=7.5,
        workers=1,
        seed=42,
        on_solution=callback if with_callback else None,
    )
    assert dataclasses.asdict(given) == dataclasses.asdict(expected)
