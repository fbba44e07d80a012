"""A saved roster opened again never gives someone's shifts to whoever holds their id now.

The reviewer's case: a roster saved with Anna Smith as employee A01, opened on a team where A01
is Siobhan O'Brien, gave Anna's shifts and days off to Siobhan without a word.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from staffing.forecasting import forecast_week
from staffing.loader import load_store
from staffing.pipeline import reopen_week
from tests.staffing.mini_store import write_mini_store


def test_reopening_leaves_out_and_names_people_who_are_not_here(tmp_path: Path) -> None:
    data = load_store(write_mini_store(tmp_path / "store"))  # E1 is Ann Archer, E2 Ben Baker
    week = data.default_week()
    day, later = week.isoformat(), (week + dt.timedelta(days=1)).isoformat()
    rows = pd.DataFrame(
        {"employee_id": ["E1", "E2", "Z9"], "name": ["Anna Smith", "ben  BAKER", "Joe Gone"],
         "date": day, "start": f"{day}T09:00", "end": f"{day}T15:00", "role": "cashier",
         "break_start": "", "break_end": ""}
    )  # fmt: skip
    decisions = {
        "locked": [{"employee_id": "E1", "role": "cashier", "shift_type": None,
                    "start": f"{day}T09:00", "end": f"{day}T15:00"}],
        "days_off": [["E1", later]],
    }  # fmt: skip
    plan = reopen_week(data, week, rows, forecast_week(data, week)[0], decisions=decisions)
    assert plan.roster_rows["employee_id"].tolist() == ["E2"]  # Ann Archer got nothing
    assert plan.problem.locked == ()
    assert plan.days_off == ()
    assert (
        "The saved shifts, locks and days off of Anna Smith (E1) were left out: employee id E1 "
        "now belongs to Ann Archer." in plan.notes
    )
    assert "The saved shifts of Joe Gone (Z9) were left out: Z9 is no longer an employee." in (
        plan.notes
    )
