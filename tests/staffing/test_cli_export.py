"""``staffing export``: HR writes a week's published roster from the app's saved work, with the
same files and names as the app's Export page; nothing published, an unknown version or no
database exit with status 2 and say what to do."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from staffing.loader import load_store
from staffing.persistence import Repository, StoreIdentity
from tests.staffing.mini_store import write_mini_store
from tests.staffing.test_cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
WEEK = dt.date(2026, 11, 23)


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("export", *args, db=db)


def _save(repo: Repository, store: StoreIdentity, week: dt.date, label: str, name: str) -> int:
    emp, who = store.team[0]
    start = dt.datetime.combine(week, dt.time(9))
    saved = repo.save_roster(
        store=store, week=week, label=label, status="optimal",
        roster=pd.DataFrame(
            {"employee_id": [emp], "name": [name], "date": [week.isoformat()],
             "start": [start.isoformat(timespec="minutes")],
             "end": [(start + dt.timedelta(hours=6)).isoformat(timespec="minutes")],
             "role": ["cashier"], "paid_hours": [6.0]}
        ),
        hours=pd.DataFrame({"employee_id": [emp], "name": [who], "paid_hours": [6.0]}),
        kpis={},
    )  # fmt: skip
    return saved.id


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, StoreIdentity]:
    folder = write_mini_store(tmp_path / "store")
    return folder, StoreIdentity.of(load_store(folder))


def test_the_latest_published_version_is_written_with_the_export_pages_names(
    tmp_path: Path, store: tuple[Path, StoreIdentity]
) -> None:
    folder, identity = store
    db = tmp_path / "saved.sqlite3"
    repo = Repository(db)
    first = _save(repo, identity, WEEK, "generated", "=HYPERLINK(1)")
    repo.publish(first)
    second = _save(repo, identity, WEEK, "edited by hand", "v2")
    repo.publish(second)
    _save(repo, identity, WEEK, "draft after", "v3")  # newer, not published
    _save(repo, identity, WEEK - dt.timedelta(days=7), "older week", "old")
    repo.close()
    out = tmp_path / "hr"
    done = _cli(db, str(folder), "--out", str(out))  # no week: the latest one published
    assert done.returncode == 0, done.stderr
    name = f"{identity.name.replace(' ', '-')}_{WEEK}_v{second}_published"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"roster_{name}.csv", f"totals_{name}.csv", f"roster_{name}.xlsx"]
    )
    shifts = pd.read_csv(out / f"roster_{name}.csv", encoding="utf-8-sig")
    assert shifts["name"].tolist() == ["v2"]
    assert f"v{second} (edited by hand), published" in done.stdout
    # an earlier version on request, named for what it is now; its formula neutralised
    done = _cli(db, str(folder), "--version", str(first), "--out", str(out), "--no-xlsx")
    assert done.returncode == 0, done.stderr
    replaced = out / f"roster_{identity.name.replace(' ', '-')}_{WEEK}_v{first}_replaced.csv"
    assert pd.read_csv(replaced, encoding="utf-8-sig")["name"].tolist() == ["'=HYPERLINK(1)"]


def test_a_week_without_a_publication_exits_2_naming_its_saved_versions(
    tmp_path: Path, store: tuple[Path, StoreIdentity]
) -> None:
    folder, identity = store
    db = tmp_path / "saved.sqlite3"
    repo = Repository(db)
    draft = _save(repo, identity, WEEK, "generated", "a")
    repo.close()
    done = _cli(db, str(folder), "--week", WEEK.isoformat(), "--out", str(tmp_path / "hr"))
    assert done.returncode == 2
    assert f"nothing of the week of {WEEK} is published (saved versions: v{draft}" in done.stderr
    assert "Traceback" not in done.stderr
    done = _cli(db, str(folder), "--out", str(tmp_path / "hr"))
    assert done.returncode == 2
    assert "none is published" in done.stderr
    done = _cli(db, str(folder), "--version", "999", "--out", str(tmp_path / "hr"))
    assert done.returncode == 2
    assert f"field '--version': got '999'; expected a version saved for {identity.name}" in (
        done.stderr
    )
    assert not (tmp_path / "hr").exists()


def test_no_database_exits_2_and_creates_none(
    tmp_path: Path, store: tuple[Path, StoreIdentity]
) -> None:
    folder, _ = store
    db = tmp_path / "missing.sqlite3"
    done = _cli(db, str(folder))
    assert done.returncode == 2
    assert "STAFFING_DB" in done.stderr
    assert "Traceback" not in done.stderr
    assert not db.exists()


def test_a_damaged_database_exits_2_naming_the_file(
    tmp_path: Path, store: tuple[Path, StoreIdentity]
) -> None:
    folder, _ = store
    db = tmp_path / "damaged.sqlite3"
    db.write_bytes(b"not a database at all" * 100)
    done = _cli(db, str(folder))
    assert done.returncode == 2
    assert str(db) in done.stderr
    assert "Traceback" not in done.stderr


def test_work_saved_before_a_name_was_corrected_is_offered_as_another_teams(
    tmp_path: Path, store: tuple[Path, StoreIdentity]
) -> None:
    """After Ann's name was corrected the store's published week was 'none saved' to the CLI,
    while the Export page listed it read-only as another team's (helper-35)."""
    folder, identity = store
    db = tmp_path / "saved.sqlite3"
    repo = Repository(db)
    old = _save(repo, identity, WEEK, "generated", "Ann Archer")
    repo.publish(old)
    repo.close()
    employees = folder / "employees.csv"
    employees.write_text(employees.read_text().replace("Ann Archer", "Anne Archer-Smith"))
    done = _cli(db, str(folder), "--out", str(tmp_path / "hr"))
    assert done.returncode == 2
    assert f"for a different team: v{old} ({WEEK})" in done.stderr
    done = _cli(db, str(folder), "--version", str(old), "--out", str(tmp_path / "hr"))
    assert done.returncode == 0, done.stderr
    assert "employee id E1 now belongs to Anne Archer-Smith" in done.stderr
    name = f"{identity.name.replace(' ', '-')}_{WEEK}_v{old}_other-team"
    assert (tmp_path / "hr" / f"roster_{name}.csv").exists()


def test_an_older_database_is_not_upgraded_by_a_read(
    tmp_path: Path, store: tuple[Path, StoreIdentity]
) -> None:
    """Export only reads: a version-4 file had been upgraded to version 5 and switched to WAL
    by it, and an HR account without write access could not export at all (helper-36)."""
    import sqlite3

    from staffing.persistence import MIGRATIONS

    folder, _ = store
    db = tmp_path / "old.sqlite3"
    old = sqlite3.connect(db, isolation_level=None)
    script = "; ".join(m for m in MIGRATIONS[:4] if isinstance(m, str))
    old.executescript(f"BEGIN; {script}; PRAGMA user_version = 4; COMMIT;")
    old.close()
    done = _cli(db, str(folder), "--out", str(tmp_path / "hr"))
    assert done.returncode == 2
    assert "older version of this program" in done.stderr
    assert "open the app once" in done.stderr
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA user_version").fetchone()[0] == 4
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    check.close()


def test_out_naming_a_file_exits_2(tmp_path: Path, store: tuple[Path, StoreIdentity]) -> None:
    folder, identity = store
    db = tmp_path / "saved.sqlite3"
    repo = Repository(db)
    repo.publish(_save(repo, identity, WEEK, "generated", "a"))
    repo.close()
    taken = tmp_path / "report.txt"
    taken.write_text("mine")
    done = _cli(db, str(folder), "--out", str(taken))
    assert done.returncode == 2
    assert "field '--out'" in done.stderr
    assert "Traceback" not in done.stderr
    assert taken.read_text() == "mine"


def test_a_read_only_repository_reads_and_refuses_to_write(
    tmp_path: Path, store: tuple[Path, StoreIdentity]
) -> None:
    from staffing.errors import StorageError

    _, identity = store
    db = tmp_path / "saved.sqlite3"
    repo = Repository(db)
    rid = _save(repo, identity, WEEK, "generated", "a")
    repo.close()
    reader = Repository(db, read_only=True)
    assert [s.id for s in reader.rosters(identity)] == [rid]
    with pytest.raises(StorageError):
        reader.publish(rid)
    reader.close()
    with pytest.raises(StorageError, match="does not exist"):
        Repository(tmp_path / "none.sqlite3", read_only=True)
    assert not (tmp_path / "none.sqlite3").exists()
