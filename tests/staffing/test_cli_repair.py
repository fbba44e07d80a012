"""``staffing repair``: a mid-week repair from the command line. A saved week is re-solved around
absences with as few changes as possible, saved as a new version (published on request) in the
app's saved work; bad ``--absent`` values and a missing database exit with status 2 and save
nothing."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from staffing.loader import load_store
from staffing.persistence import Repository, SavedRoster, StoreIdentity
from staffing.pipeline import PlanSettings, reopen_week, resolve_week
from tests.staffing.mini_store import publish_week, write_mini_store
from tests.staffing.test_cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
WEEK = dt.date(2026, 11, 23)


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("repair", *args, db=db)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, dt.date]:
    """A store folder, a database with its week published as v1, and someone's working day."""
    folder, db, plan = publish_week(tmp_path_factory.mktemp("repair"), WEEK)
    row = plan.roster_rows.iloc[0]
    return folder, db, str(row["employee_id"]), dt.date.fromisoformat(str(row["date"]))


def _saved(db: Path, folder: Path, pick: Callable[..., SavedRoster] = max) -> SavedRoster:
    """The newest saved version of the store's week (``pick=min``: the oldest)."""
    repo = Repository(db, read_only=True)
    try:
        return pick(repo.rosters(StoreIdentity.of(load_store(folder))), key=lambda s: s.id)
    finally:
        repo.close()


def _versions(db: Path, folder: Path) -> tuple[int, list[int]]:
    """Saved versions, and the roster ids published (oldest first)."""
    repo = Repository(db, read_only=True)
    try:
        identity = StoreIdentity.of(load_store(folder))
        pubs = sorted(repo.publications(identity), key=lambda p: p.version)
        return len(repo.rosters(identity)), [p.roster_id for p in pubs]
    finally:
        repo.close()


def test_an_absence_is_repaired_saved_and_published_as_the_next_version(
    tmp_path: Path, published: tuple[Path, Path, str, dt.date]
) -> None:
    folder, db, who, day = published
    before, _ = _versions(db, folder)
    out = tmp_path / "out"
    done = _cli(
        db, str(folder), "--absent", f"{who}:{day}", "--time-limit", "2", "--out", str(out),
        "--publish",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    count, pubs = _versions(db, folder)
    assert count == before + 1
    new_id = pubs[-1]
    assert f"saved as v{new_id}, published as version {len(pubs)}" in done.stdout
    assert " changed from v" in done.stdout
    # each changed employee-day is listed, the absence among them
    moved = int(done.stdout.split(" employee-day")[0].rsplit("\n", 1)[-1])
    listed = [line for line in done.stdout.splitlines() if " -> " in line]
    assert len(listed) == moved
    assert any(f"({who}), {day:%a %d %b}: " in line and line.endswith("-> off") for line in listed)
    repo = Repository(db, read_only=True)
    try:
        rows = repo.roster(new_id).roster
        decisions = repo.roster(new_id).decisions
    finally:
        repo.close()
    # the absent person has no shift that day, and the day stays theirs off in later re-solves
    assert not ((rows["employee_id"] == who) & (rows["date"] == day.isoformat())).any()
    assert [who, day.isoformat()] in decisions["days_off"]
    assert (out / "roster.csv").exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("E9:2026-11-24", "field '--absent': got 'E9:2026-11-24'; expected an employee id"),
        ("E1:2026-12-01", "expected days of the week repaired, 2026-11-23 .. 2026-11-29"),
        ("E1:2026-11-26..2026-11-24", "the first not after the last"),
        ("E1 on Tuesday", "expected EMPLOYEE_ID:YYYY-MM-DD or EMPLOYEE_ID:YYYY-MM-DD..YYYY-MM-DD"),
        ("E1:2026-11-24..", "expected EMPLOYEE_ID:YYYY-MM-DD or"),  # the last day left out
    ],
)
def test_a_bad_absence_exits_2_and_saves_nothing(
    published: tuple[Path, Path, str, dt.date], value: str, expected: str
) -> None:
    folder, db, _, _ = published
    before = _versions(db, folder)
    done = _cli(db, str(folder), "--absent", value, "--time-limit", "1")
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert _versions(db, folder) == before


def test_without_saved_work_it_exits_2_and_creates_no_database(tmp_path: Path) -> None:
    folder = write_mini_store(tmp_path / "store")
    db = tmp_path / "none.sqlite3"
    done = _cli(db, str(folder), "--absent", f"E1:{WEEK}")
    assert done.returncode == 2
    assert "STAFFING_DB" in done.stderr or str(db) in done.stderr
    assert not db.exists()


def test_a_shift_someone_must_work_is_kept_and_locked(
    tmp_path: Path, published: tuple[Path, Path, str, dt.date]
) -> None:
    folder, db, who, day = published
    role = "cashier" if who in ("E1", "E2", "E6") else ""
    done = _cli(
        db, str(folder), "--shift", f"{who}:{day} 09:00-13:00 {role}".strip(), "--time-limit", "2",
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    newest = _saved(db, folder)
    mine = newest.roster[
        (newest.roster["employee_id"] == who) & (newest.roster["date"] == day.isoformat())
    ]
    assert mine[["start", "end"]].values.tolist() == [[f"{day}T09:00", f"{day}T13:00"]]
    locks = newest.decisions["locked"]
    assert isinstance(locks, list)
    assert {"employee_id": who, "start": f"{day}T09:00", "end": f"{day}T13:00"}.items() <= next(
        lock for lock in locks if lock["employee_id"] == who
    ).items()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("E1:2026-11-24 09:10-13:00", "expected times on the store's 60-minute planning grid"),
        ("E1:2026-11-24 09:00:30-13:00", "expected 'EMPLOYEE_ID:YYYY-MM-DD HH:MM-HH:MM [ROLE]'"),
        ("E1:2026-11-24 09:00Z-13:00", "expected 'EMPLOYEE_ID:YYYY-MM-DD HH:MM-HH:MM [ROLE]'"),
        ("E3:2026-11-24 09:00-13:00 baker", "expected one of Cat Cole's roles: advisor, cashier"),
        ("E3:2026-11-24 09:00-13:00", "expected one of Cat Cole's roles: advisor, cashier"),
        ("E1:2026-11-24 nine-to-one", "expected 'EMPLOYEE_ID:YYYY-MM-DD HH:MM-HH:MM [ROLE]'"),
        ("E1:2026-12-24 09:00-13:00", "expected a day of the week repaired, 2026-11-23"),
    ],
)
def test_a_bad_shift_exits_2_and_saves_nothing(
    published: tuple[Path, Path, str, dt.date], value: str, expected: str
) -> None:
    folder, db, _, _ = published
    before = _versions(db, folder)
    done = _cli(db, str(folder), "--shift", value, "--time-limit", "1")
    assert done.returncode == 2, done.stdout
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert _versions(db, folder) == before


def test_a_shift_the_rules_forbid_exits_1_and_saves_nothing(
    tmp_path: Path, published: tuple[Path, Path, str, dt.date]
) -> None:
    folder, db, _, _ = published
    before = _versions(db, folder)
    # the store closes at 17:00, and shifts are at most 8 hours
    done = _cli(db, str(folder), "--shift", "E1:2026-11-24 09:00-20:00", "--time-limit", "2",
                "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 1, done.stdout
    assert "error: the shift(s) E1:2026-11-24 09:00-20:00 cannot be kept" in done.stderr
    assert "nothing was saved" in done.stderr
    assert _versions(db, folder) == before


def test_a_shift_someone_already_works_is_locked_too(
    tmp_path: Path, published: tuple[Path, Path, str, dt.date]
) -> None:
    folder, db, _, _ = published
    newest = _saved(db, folder)
    row = newest.roster.iloc[-1]  # kept as it is, but now to be kept through re-solves
    text = f"{row['employee_id']}:{row['date']} {row['start'][11:]}-{row['end'][11:]} {row['role']}"
    done = _cli(db, str(folder), "--shift", text, "--time-limit", "2", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    latest = _saved(db, folder)
    locks = latest.decisions["locked"]
    assert isinstance(locks, list)
    assert any(
        lock["employee_id"] == row["employee_id"] and lock["start"] == row["start"]
        for lock in locks
    ), locks


def test_publishing_a_repair_of_an_older_version_is_refused(
    tmp_path: Path, published: tuple[Path, Path, str, dt.date]
) -> None:
    folder, db, who, day = published
    first = _cli(db, str(folder), "--absent", f"{who}:{day}", "--time-limit", "2", "--publish",
                 "--out", str(tmp_path))  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = _versions(db, folder)
    done = _cli(db, str(folder), "--version", "1", "--publish", "--time-limit", "1")
    assert done.returncode == 2
    assert "field '--publish'" in done.stderr
    assert "v1 is older, and publishing a repair of it would undo" in done.stderr
    assert _versions(db, folder) == before


def test_days_before_from_are_history_and_stay_exactly(
    tmp_path: Path, published: tuple[Path, Path, str, dt.date]
) -> None:
    folder, db, _, _ = published
    newest = _saved(db, folder)
    rows = newest.roster
    # someone working both before Thursday and on a day from then on is absent from Thursday
    thursday = WEEK + dt.timedelta(days=3)
    dates = rows["date"].map(dt.date.fromisoformat)
    who = next(
        e
        for e in rows["employee_id"].unique()
        if (dates[rows["employee_id"] == e] < thursday).any()
        and (dates[rows["employee_id"] == e] >= thursday).any()
    )
    last = WEEK + dt.timedelta(days=6)
    done = _cli(db, str(folder), "--version", str(newest.id), "--from", str(thursday),
                "--absent", f"{who}:{thursday}..{last}", "--time-limit", "2",
                "--out", str(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    latest = _saved(db, folder)
    assert latest.id > newest.id
    cols = ["employee_id", "date", "start", "end", "role"]

    def before(frame: pd.DataFrame) -> list[list[str]]:
        early = frame[frame["date"].map(dt.date.fromisoformat) < thursday]
        return sorted(early[cols].astype(str).values.tolist())

    assert before(latest.roster) == before(rows)  # history untouched
    late = latest.roster[latest.roster["employee_id"] == who]["date"].map(dt.date.fromisoformat)
    assert (late < thursday).all()

    # the history's days off are this solve's, not decisions a manager has to release later
    def past_off(decisions: dict[str, object]) -> list[list[str]]:
        days_off = decisions["days_off"]
        assert isinstance(days_off, list)
        return [d for d in days_off if d[1] < thursday.isoformat()]

    assert past_off(latest.decisions) == past_off(newest.decisions)
    # nor are its shifts locks a manager has to untick later (each had been saved as one)
    assert latest.decisions["locked"] == newest.decisions["locked"]
    # an absence in the history is refused
    bad = _cli(db, str(folder), "--from", str(thursday), "--absent", f"{who}:{WEEK}")
    assert bad.returncode == 2
    assert "field '--absent'" in bad.stderr


def test_a_repair_leaves_the_days_gone_by_as_they_were(
    published: tuple[Path, Path, str, dt.date],
) -> None:
    """Monday went unstaffed (say the roster was made that way): repaired from Tuesday on,
    Monday stays as it was; repaired from Monday, it is staffed."""
    folder, db, _, _ = published
    data = load_store(folder)
    first = _saved(db, folder, min)
    rows = first.roster[first.roster["date"] != WEEK.isoformat()]
    plan = reopen_week(data, WEEK, rows)
    settings = PlanSettings(time_limit_seconds=2, workers=1)
    kept = resolve_week(plan, settings=settings, kept_before=WEEK + dt.timedelta(days=1))
    assert not (kept.roster_rows["date"] == WEEK.isoformat()).any()
    assert kept.days_off == plan.days_off  # the day gone by is not a manager's day off
    assert kept.problem.locked == plan.problem.locked  # nor its shifts the manager's locks
    assert not kept.locked_mask().any()
    free = resolve_week(plan, settings=settings)
    assert (free.roster_rows["date"] == WEEK.isoformat()).any()


def test_a_day_off_released_is_no_longer_kept(
    tmp_path: Path, published: tuple[Path, Path, str, dt.date]
) -> None:
    folder, db, who, day = published
    absent = _cli(db, str(folder), "--absent", f"{who}:{day}", "--time-limit", "2",
                  "--out", str(tmp_path))  # fmt: skip
    assert absent.returncode == 0, absent.stderr
    off = _saved(db, folder)
    assert [who, day.isoformat()] in off.decisions["days_off"]
    done = _cli(db, str(folder), "--version", str(off.id), "--release", f"{who}:{day}",
                "--time-limit", "2", "--out", str(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    released = _saved(db, folder)
    assert released.id > off.id
    assert [who, day.isoformat()] not in released.decisions["days_off"]
    assert "days off given back (no longer kept in later repairs): " in done.stdout
    assert f"({who}) {day:%a %d %b}" in done.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # a day that is no day off of the version: the ones it has are listed
        (
            ["--release", "E2:2026-11-27"],
            "field '--release': got 'E2:2026-11-27'; expected a day off of v",
        ),
        (["--release", "E9:2026-11-24"], "field '--release': got 'E9:2026-11-24'; expected an"),
        (["--release", "E2:2026-12-24"], "expected days of the week repaired"),
        # before --from: history, kept as it was
        (
            ["--from", "2026-11-25", "--release", "E2:2026-11-24"],
            "expected days from --from 2026-11-25 on: the days before it are kept as they were",
        ),
        (
            ["--release", "E2:2026-11-24", "--absent", "E2:2026-11-24"],
            "expected a day either absent or given back, not both",
        ),
    ],
)
def test_a_bad_release_exits_2_and_saves_nothing(
    published: tuple[Path, Path, str, dt.date], args: list[str], expected: str
) -> None:
    folder, db, _, _ = published
    before = _versions(db, folder)
    done = _cli(db, str(folder), *args, "--time-limit", "1")
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert _versions(db, folder) == before
