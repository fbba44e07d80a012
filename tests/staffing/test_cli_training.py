"""``staffing training``: when a training is felt least in the week's published roster. It lists
the windows best first with each channel's service level without and with it, says why days
have none, and refuses bad attendees, lengths, days and counts with status 2."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from staffing.pipeline import WeekPlan
from staffing.training import find_training_time
from tests.staffing.mini_store import publish_week
from tests.staffing.test_cli import run_cli

WEEK = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, WeekPlan]:
    """A store folder, a database with its week published, and the plan published."""
    folder, db, plan = publish_week(tmp_path_factory.mktemp("training"), WEEK)
    return folder, db, plan


def test_the_windows_felt_least_are_listed_as_the_library_ranks_them(
    published: tuple[Path, Path, WeekPlan],
) -> None:
    folder, db, plan = published
    people = plan.roster_rows["employee_id"].value_counts().index[:2].tolist()
    done = run_cli("training", str(folder), "--attendees", ",".join(people), "--top", "3", db=db)
    assert done.returncode == 0, done.stderr
    found = find_training_time(plan, people, 120, best=3)
    out = done.stdout
    assert f"Mini Mart, week of {WEEK}, v1 (published): a 2-h training for " in out
    assert f"{found.fitting} window{'' if found.fitting == 1 else 's'} fit" in out
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.strip().startswith("when"))
    rows = lines[header + 1 : header + 1 + len(found.options)]
    for line, option in zip(rows, found.options, strict=True):
        assert line.strip().startswith(f"{option.start:%a %d %b %H:%M}-{option.end:%H:%M}")
        for _, was, now in option.service:
            assert f"{was:.1%} -> {now:.1%}" in line
    assert found.blocked  # Sunday, closed, at least
    for reason in found.blocked:
        assert f"no window on {reason}" in out


def test_a_day_with_no_window_says_why(published: tuple[Path, Path, WeekPlan]) -> None:
    folder, db, plan = published
    who = str(plan.roster_rows["employee_id"].iloc[0])
    worked = set(plan.roster_rows.loc[plan.roster_rows["employee_id"] == who, "date"])
    off = next(WEEK + dt.timedelta(days=k) for k in range(7) if str(WEEK + dt.timedelta(days=k))
               not in worked)  # fmt: skip
    done = run_cli("training", str(folder), "--attendees", who, "--day", str(off), db=db)
    assert done.returncode == 0, done.stderr
    assert "no window fits" in done.stdout
    assert f"no window on {off:%a %d %b}: " in done.stdout
    assert "staffing repair --shift" in done.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--attendees", "E1,NOBODY"), "field '--attendees': got 'NOBODY'"),
        (("--attendees", "E1,E1"), "field '--attendees': got 'E1'; expected employee ids"),
        (("--attendees", " , "), "field '--attendees'"),
        (("--attendees", "E1", "--hours", "1.5"), "whole planning intervals of 60 min"),
        (("--attendees", "E1", "--hours", "0"), "field '--hours': got '0'"),
        (("--attendees", "E1", "--hours", "nan"), "field '--hours': got 'nan'"),
        (("--attendees", "E1", "--hours", "1e-12"), "from 1 h to 24 h"),  # was a traceback
        (("--attendees", "E1", "--hours", "1e20"), "field '--hours': got '1e+20'"),
        (("--attendees", "E1", "--top", "0"), "field '--top': got '0'; expected a number"),
        (("--attendees", "E1", "--day", "2026-12-01"), "expected a day of the week of v1"),
        (("--attendees", "E1", "--day", "1 Dec"), "field '--day': got '1 Dec'"),
        (("--attendees", "E1", "--week", "2026-11-30"), "nothing of the week of 2026-11-30"),
    ],
)
def test_bad_options_exit_2_with_the_field_named(
    published: tuple[Path, Path, WeekPlan], args: tuple[str, ...], expected: str
) -> None:
    folder, db, _ = published
    done = run_cli("training", str(folder), *args, db=db)
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
