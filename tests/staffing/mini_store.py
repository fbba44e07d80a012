"""A tiny, valid store folder written in code, for tests that break one file at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from staffing.pipeline import WeekPlan

STORE_TOML = """\
name = "Mini Mart"
timezone = "Europe/London"
country = "GB"
subdivision = "ENG"
interval_minutes = 60
roles = ["cashier", "advisor", "supervisor"]

[opening_hours]
monday = "09:00-17:00"
tuesday = "09:00-17:00"
wednesday = "09:00-17:00"
thursday = "09:00-17:00"
friday = "09:00-17:00"
saturday = "09:00-17:00"
sunday = "closed"

[[channels]]
id = "tills"
kind = "walk_in"
role = "cashier"
aht_seconds = 120
max_average_wait_seconds = 120

[[channels]]
id = "phone"
kind = "calls"
role = "advisor"
aht_seconds = 240
service_level = 0.8
answer_within_seconds = 20

[[posts]]
role = "supervisor"
name = "supervisor on duty"
min_staff = 1

[rules]
min_shift_hours = 4
max_shift_hours = 8
max_days_per_week = 5
"""

EMPLOYEES_CSV = """\
employee_id,name,roles,min_hours_week,max_hours_week,hourly_cost,contract
E1,Ann Archer,cashier,0,40,12.5,full_time
E2,Ben Baker,cashier,0,40,12.5,full_time
E3,Cat Cole,advisor;cashier,0,40,14,full_time
E4,Dan Dale,supervisor,0,40,18,full_time
E5,Eve Ezra,supervisor;advisor,0,40,18,full_time
E6,Fay Ford,cashier,0,16,11.5,weekend
"""

AVAILABILITY_CSV = """\
employee_id,day,start,end,kind
E1,wednesday,,,unavailable
E2,monday,09:00,13:00,available
E3,friday,12:00,17:00,preferred
"""

EVENTS_CSV = """\
start_date,end_date,name,kind
2026-10-19,2026-10-23,Half term,school_vacation
"""


def traffic_csv(weeks: int = 8, end: dt.date = dt.date(2026, 11, 22), seed: int = 1) -> str:
    """Hourly tills and phone traffic while open, ``weeks`` weeks ending on ``end``."""
    rng = np.random.default_rng(seed)
    lines = ["timestamp,channel,volume"]
    start = end - dt.timedelta(days=7 * weeks - 1)
    day = start
    while day <= end:
        if day.weekday() != 6:
            for hour in range(9, 17):
                peak = 1.6 if hour in (12, 13) else 1.0
                lines.append(f"{day} {hour:02d}:00:00,tills,{rng.poisson(40 * peak)}")
                lines.append(f"{day} {hour:02d}:00:00,phone,{rng.poisson(12 * peak)}")
        day += dt.timedelta(days=1)
    return "\n".join(lines) + "\n"


def write_mini_store(folder: Path, **overrides: str) -> Path:
    """Write the store into ``folder``; ``overrides`` maps file name (dots as _) to content."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "store.toml": STORE_TOML,
        "employees.csv": EMPLOYEES_CSV,
        "availability.csv": AVAILABILITY_CSV,
        "events.csv": EVENTS_CSV,
        "traffic.csv": traffic_csv(),
    }
    for key, content in overrides.items():
        files[key.replace("_csv", ".csv").replace("_toml", ".toml")] = content
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def publish_week(root: Path, week: dt.date) -> tuple[Path, Path, WeekPlan]:
    """The mini store in ``root / "store"``, its ``week`` planned (3 s, one worker) and
    published as v1 in a database of saved work at ``root / "work.sqlite3"``: the folder, the
    database and the plan."""
    from staffing.loader import load_store
    from staffing.persistence import Repository, StoreIdentity
    from staffing.pipeline import PlanSettings, plan_week

    folder = write_mini_store(root / "store")
    data = load_store(folder)
    plan = plan_week(data, week, PlanSettings(time_limit_seconds=3, workers=1))
    db = root / "work.sqlite3"
    repo = Repository(db)
    try:
        saved = repo.save_roster(
            store=StoreIdentity.of(data), week=week, label="generated",
            status=plan.roster.status, roster=plan.roster_rows, hours=plan.hours,
            kpis=plan.kpis.as_dict(), decisions=plan.decisions(),
        )  # fmt: skip
        repo.publish(saved.id)
    finally:
        repo.close()
    return folder, db, plan
