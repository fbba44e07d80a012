"""``staffing plan`` on the sample store, end to end, with an independent check of the roster.

The checker below reads only the written ``roster.csv`` and the store folder's own files; it
shares no code with the solver or with the mapping onto it, so a bug in either shows up here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from staffing.loader import load_store
from staffing.model import AvailabilityKind, StoreData

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "sample_data" / "store"
WEEK = dt.date(2026, 11, 23)


def _minutes(t: dt.time | None, default: int) -> int:
    return default if t is None else (t.hour * 60 + t.minute) or (1440 if default else 0)


def independent_violations(data: StoreData, roster: pd.DataFrame) -> list[str]:
    """Every hard rule, re-checked from the store folder's files and the roster rows."""
    store, rules = data.store, data.store.rules
    out: list[str] = []
    closures = {
        d.date()
        for ev in data.events
        if ev.kind == "closure"
        for d in pd.date_range(ev.start_date, ev.end_date)
    }
    shifts: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for row in roster.itertuples(index=False):
        emp = data.employee(str(row.employee_id))
        date = dt.date.fromisoformat(str(row.date))
        start = dt.datetime.fromisoformat(str(row.start))
        end = dt.datetime.fromisoformat(str(row.end))
        who = f"{emp.id} {date}"
        if row.role not in emp.roles:
            out.append(f"{who}: role {row.role} not among {emp.roles}")
        if start.date() != date or end <= start:
            out.append(f"{who}: shift {start}-{end} does not start on its date")
        length_h = (end - start).total_seconds() / 3600
        if not rules.min_shift_hours - 1e-9 <= length_h <= rules.max_shift_hours + 1e-9:
            out.append(f"{who}: shift length {length_h} h outside the rules")
        hours = store.open_minutes(date.weekday())
        if hours is None or date in closures:
            out.append(f"{who}: works on a closed day")
        else:
            day0 = dt.datetime.combine(date, dt.time())
            first = day0 + dt.timedelta(minutes=hours[0] - rules.prep_minutes_before_open)
            last = day0 + dt.timedelta(minutes=hours[1] + rules.close_minutes_after_close)
            if start < first or end > last:
                out.append(f"{who}: {start:%H:%M}-{end:%H:%M} outside opening hours")
        brk = 0.0
        if row.break_start:
            b0 = dt.datetime.fromisoformat(str(row.break_start))
            b1 = dt.datetime.fromisoformat(str(row.break_end))
            brk = (b1 - b0).total_seconds() / 3600
            offset = (b0 - start).total_seconds() / 3600
            window = (rules.break_window_start_hours, rules.break_window_end_hours)
            if not window[0] - 1e-9 <= offset <= window[1] + 1e-9 or b1 > end:
                out.append(f"{who}: break at {b0:%H:%M} outside its window")
        if length_h > rules.break_after_hours + 1e-9 and brk * 60 < rules.break_minutes - 1e-9:
            out.append(f"{who}: {length_h} h shift without a {rules.break_minutes}-minute break")
        if abs(float(row.paid_hours) - (length_h - brk)) > 1e-6:
            out.append(f"{who}: paid hours {row.paid_hours} != {length_h - brk}")
        out.extend(_availability(data, emp.id, emp.contract, date, start, end))
        shifts.setdefault(emp.id, []).append((start, end))
    for emp in data.employees:
        mine = sorted(shifts.get(emp.id, []))
        days = [s.date() for s, _ in mine]
        if len(set(days)) != len(days):
            out.append(f"{emp.id}: more than one shift on a day")
        for (_, end), (nxt, _) in zip(mine, mine[1:], strict=False):
            if (nxt - end).total_seconds() / 3600 < rules.min_rest_hours - 1e-9:
                out.append(f"{emp.id}: only {nxt - end} rest before {nxt}")
        paid = float(roster.loc[roster["employee_id"] == emp.id, "paid_hours"].sum())
        if paid > emp.max_hours_week + 1e-6:
            out.append(f"{emp.id}: {paid} h over max {emp.max_hours_week}")
        max_days = emp.max_days_week if emp.max_days_week is not None else rules.max_days_per_week
        if len(days) > max_days:
            out.append(f"{emp.id}: {len(days)} days over max {max_days}")
        weekend = sum(d.weekday() >= 5 for d in days)
        if weekend > emp.max_weekend_days:
            out.append(f"{emp.id}: {weekend} weekend days over max {emp.max_weekend_days}")
    return out


def _availability(
    data: StoreData, eid: str, contract: str, date: dt.date, start: dt.datetime, end: dt.datetime
) -> list[str]:
    rows = [r for r in data.availability if r.employee_id == eid]
    todays = [r for r in rows if r.date == date] or [r for r in rows if r.weekday == date.weekday()]
    day0 = dt.datetime.combine(date, dt.time())

    def window(r: object) -> tuple[dt.datetime, dt.datetime]:
        s = _minutes(r.start, 0)  # type: ignore[attr-defined]
        e = _minutes(r.end, 1440)  # type: ignore[attr-defined]
        return day0 + dt.timedelta(minutes=s), day0 + dt.timedelta(minutes=e)

    allowed = [window(r) for r in todays if r.kind is AvailabilityKind.AVAILABLE]
    out = []
    if allowed and not any(a <= start and end <= b for a, b in allowed):
        out.append(f"{eid} {date}: {start:%H:%M}-{end:%H:%M} outside 'available' windows")
    if not allowed and contract.strip().casefold() == "weekend" and date.weekday() < 5:
        out.append(f"{eid} {date}: weekend-only employee works on a weekday")
    for r in todays:
        if r.kind is AvailabilityKind.UNAVAILABLE:
            a, b = window(r)
            if start < b and a < end:
                out.append(f"{eid} {date}: works during 'unavailable' {a:%H:%M}-{b:%H:%M}")
    return out


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan")
    done = subprocess.run(
        [sys.executable, "-m", "staffing.cli", "plan", str(STORE), "--week", WEEK.isoformat(),
         "--out", str(out), "--time-limit", "10", "--workers", "1"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Riverside Market" in done.stdout
    # e-mail's mean response is wall-clock hours, not a wait in seconds
    assert re.search(r"email .* avg response +\d+\.\d h", done.stdout), done.stdout
    return out


@pytest.mark.slow
def test_plan_writes_five_files(planned: Path) -> None:
    names = {p.name for p in planned.iterdir()}
    assert names >= {
        "forecast.csv", "requirements.csv", "roster.csv", "employee_hours.csv", "kpis.json",
    }  # fmt: skip
    roster = pd.read_csv(planned / "roster.csv", encoding="utf-8-sig")
    for col in ("employee_id", "name", "date", "start", "end", "role", "break_start",
                "break_end", "paid_hours", "cost"):  # fmt: skip
        assert col in roster.columns
    forecast = pd.read_csv(planned / "forecast.csv", encoding="utf-8-sig")
    assert list(forecast.columns) == ["timestamp", "channel", "forecast", "lo80", "hi80", "lo95",
                                      "hi95"]  # fmt: skip
    assert (forecast["lo95"] <= forecast["forecast"] + 1e-9).all()
    assert (forecast["forecast"] <= forecast["hi95"] + 1e-9).all()
    kpis = json.loads((planned / "kpis.json").read_text(encoding="utf-8"))
    assert kpis["paid_hours"] == pytest.approx(roster["paid_hours"].sum(), abs=0.05)
    assert set(kpis["channels"]) == {"tills", "counter", "phone", "email"}
    # null when no bound was proved in time: a 10-s, one-worker plan on a machine busy with
    # other jobs can end before its LP does (solver tests check the bound itself)
    assert kpis["gap"] is None or 0 <= kpis["gap"] <= 1


@pytest.mark.slow
def test_sample_roster_breaks_no_hard_rule(planned: Path) -> None:
    data = load_store(STORE)
    roster = pd.read_csv(planned / "roster.csv", encoding="utf-8-sig", keep_default_na=False)
    assert len(roster) > 50
    assert independent_violations(data, roster) == []


@pytest.mark.slow
def test_sample_roster_staffs_the_peaks(planned: Path) -> None:
    req = pd.read_csv(planned / "requirements.csv", encoding="utf-8-sig", parse_dates=["timestamp"])
    tills = req[req["channel"] == "tills"]
    by_hour = tills.groupby(tills["timestamp"].dt.hour)["required"].mean()
    # the lunch peak needs more cashiers than the opening hour
    assert by_hour.loc[12:13].mean() > by_hour.loc[8] + 1
