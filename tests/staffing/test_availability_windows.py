"""Availability is calendar time: a day someone may not work is never worked, not by a shift
started the evening before and not by one starting at 00:00 (each day's window had run on to
06:00 the next day, and a shift starting after midnight fitted inside it: found by fuzzing a
24-hour store, where a Saturday off was worked 00:00-06:00 and the checker agreed)."""

from __future__ import annotations

from pathlib import Path

import pytest

import solver
from staffing.loader import load_store
from staffing.requirements import compute_requirements
from staffing.rostering import build_problem
from tests.staffing.mini_store import AVAILABILITY_CSV, STORE_TOML, write_mini_store
from tests.staffing.test_requirements import WEEK, flat_forecast

OPEN_ALL_DAY = STORE_TOML.replace('"09:00-17:00"', '"00:00-24:00"').replace(
    'sunday = "closed"', 'sunday = "00:00-24:00"'
)


def _windows(folder: Path, rows: str, toml: str = OPEN_ALL_DAY) -> dict[str, list[tuple[int, int]]]:
    data = load_store(write_mini_store(folder, store_toml=toml, availability_csv=rows))
    problem = build_problem(
        data, WEEK, compute_requirements(data, flat_forecast(data, 30.0), WEEK).needs
    )
    return {e.id: list(e.available or []) for e in problem.employees}


def _hours(windows: list[tuple[int, int]], day: int) -> list[tuple[int, int]]:
    """The windows' hours on ``day`` (0 = the week's Monday), hourly grid."""
    lo, hi = day * 24, (day + 1) * 24
    return [(max(a, lo) - lo, min(b, hi) - lo) for a, b in windows if a < hi and lo < b]


def test_a_day_off_is_not_worked_after_midnight(tmp_path: Path) -> None:
    rows = AVAILABILITY_CSV + "E4,saturday,,,unavailable\n"
    e4 = _windows(tmp_path, rows)["E4"]
    assert _hours(e4, 5) == []  # Saturday: nothing, not even 00:00-06:00
    assert _hours(e4, 4) == [(0, 24)]  # Friday up to midnight
    assert _hours(e4, 6) == [(0, 24)]


def test_a_window_the_next_morning_bounds_the_night_before(tmp_path: Path) -> None:
    rows = AVAILABILITY_CSV + "E4,tuesday,06:00,09:00,available\n"
    e4 = _windows(tmp_path, rows)["E4"]
    assert _hours(e4, 1) == [(6, 9)]  # Monday's shifts cannot run on into Tuesday's night
    assert (24, 30) not in [(a, b) for a, b in e4]
    # other nights stay open: Wednesday 20:00 to Thursday 04:00 may be one shift
    assert any(a <= 2 * 24 + 20 and b >= 3 * 24 + 4 for a, b in e4)


def test_weekend_only_staff_start_no_shift_on_monday_at_midnight(tmp_path: Path) -> None:
    e6 = _windows(tmp_path, AVAILABILITY_CSV)["E6"]  # the mini store's weekend-only cashier
    assert e6 == [(5 * 24, 7 * 24)]  # Saturday 00:00 to Sunday 24:00, nothing of Monday


def test_an_off_grid_window_narrows_to_the_whole_slots_inside_it(tmp_path: Path) -> None:
    rows = (
        AVAILABILITY_CSV
        + "E4,thursday,08:45,12:15,available\nE5,thursday,08:45,12:15,unavailable\n"
    )
    got = _windows(tmp_path, rows)
    assert _hours(got["E4"], 3) == [(9, 12)]  # available 08:45-12:15: 09:00-12:00, not 08:00-13:00
    assert _hours(got["E5"], 3) == [(0, 8), (13, 24)]  # unavailable: every hour it touches


@pytest.mark.slow
def test_a_roster_of_a_24_hour_store_keeps_every_day_off(tmp_path: Path) -> None:
    rows = AVAILABILITY_CSV + "".join(f"E{i},saturday,,,unavailable\n" for i in (1, 3, 4, 5))
    data = load_store(write_mini_store(tmp_path, store_toml=OPEN_ALL_DAY, availability_csv=rows))
    problem = build_problem(
        data, WEEK, compute_requirements(data, flat_forecast(data, 30.0), WEEK).needs
    )
    roster = solver.solve(problem, solver.SolveSettings(time_limit_seconds=3, workers=1))
    assert solver.check_roster(problem, roster) == ()
    saturday = (5 * 24, 6 * 24)
    for a in roster.assignments:
        if a.employee_id in ("E1", "E3", "E4", "E5"):
            assert not (a.start_slot < saturday[1] and saturday[0] < a.end_slot), a
