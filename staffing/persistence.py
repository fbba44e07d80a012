"""Saved work: generated rosters, published weeks and what-if scenarios in embedded SQLite.

The database path comes from ``STAFFING_DB`` (default ``~/.staffing/staffing.sqlite3``). The
schema is versioned with ``PRAGMA user_version`` and upgraded by the ordered migrations below.
Every write is one transaction (``with connection:``), so a crash or a killed server leaves
either the whole record or nothing; published rosters are immutable (a trigger refuses any
update or delete), and publishing a week again creates a new version.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = [
    "SCHEMA_VERSION",
    "Publication",
    "Repository",
    "SavedRoster",
    "SavedScenario",
    "default_path",
]

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE rosters (
        id INTEGER PRIMARY KEY,
        store TEXT NOT NULL,
        week TEXT NOT NULL,
        label TEXT NOT NULL,
        status TEXT NOT NULL,
        created TEXT NOT NULL,
        roster_csv TEXT NOT NULL,
        hours_csv TEXT NOT NULL,
        kpis_json TEXT NOT NULL
    );
    CREATE TABLE publications (
        id INTEGER PRIMARY KEY,
        roster_id INTEGER NOT NULL REFERENCES rosters(id),
        store TEXT NOT NULL,
        week TEXT NOT NULL,
        version INTEGER NOT NULL,
        published TEXT NOT NULL,
        UNIQUE (store, week, version)
    );
    CREATE TRIGGER publications_immutable_update BEFORE UPDATE ON publications
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    CREATE TRIGGER publications_immutable_delete BEFORE DELETE ON publications
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    CREATE TRIGGER published_rosters_frozen BEFORE UPDATE ON rosters
    WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    """,
    """
    CREATE TABLE scenarios (
        id INTEGER PRIMARY KEY,
        store TEXT NOT NULL,
        week TEXT NOT NULL,
        name TEXT NOT NULL,
        created TEXT NOT NULL,
        definition_json TEXT NOT NULL,
        results_json TEXT NOT NULL,
        UNIQUE (store, week, name)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def default_path() -> Path:
    """``STAFFING_DB`` or ``~/.staffing/staffing.sqlite3``."""
    return Path(os.environ.get("STAFFING_DB", Path.home() / ".staffing" / "staffing.sqlite3"))


# Columns read back as text: an employee id "007" must not come back as 7.
_TEXT = dict.fromkeys(("employee_id", "name", "contract", "roles", "role"), str)


@dataclass(frozen=True, kw_only=True, slots=True)
class SavedRoster:
    """A generated (or edited) roster as saved, with its rows and KPIs."""

    id: int
    store: str
    week: dt.date
    label: str
    status: str
    created: dt.datetime
    roster: pd.DataFrame
    hours: pd.DataFrame
    kpis: dict[str, object]


@dataclass(frozen=True, kw_only=True, slots=True)
class Publication:
    """One published version of a store's week."""

    id: int
    roster_id: int
    store: str
    week: dt.date
    version: int
    published: dt.datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class SavedScenario:
    """A what-if scenario as run: its definition and its results (one comparison column)."""

    id: int
    store: str
    week: dt.date
    name: str
    created: dt.datetime
    definition: dict[str, object]
    results: dict[str, object]


class Repository:
    """Saved rosters, publications and scenarios of one database file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"{self.path} has schema version {version}, newer than this program's "
                f"{SCHEMA_VERSION}; upgrade the program"
            )
        for number in range(version, SCHEMA_VERSION):
            self._db.executescript(
                f"BEGIN; {MIGRATIONS[number]}; PRAGMA user_version = {number + 1}; COMMIT;"
            )

    def save_roster(
        self,
        *,
        store: str,
        week: dt.date,
        label: str,
        status: str,
        roster: pd.DataFrame,
        hours: pd.DataFrame,
        kpis: dict[str, object],
    ) -> SavedRoster:
        """Save a roster in one transaction and return it as stored."""
        created = dt.datetime.now().replace(microsecond=0)
        with self._transaction():
            cur = self._db.execute(
                "INSERT INTO rosters (store, week, label, status, created, roster_csv, hours_csv,"
                " kpis_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (store, week.isoformat(), label, status, created.isoformat(),
                 roster.to_csv(index=False), hours.to_csv(index=False),
                 json.dumps(kpis, default=str)),
            )  # fmt: skip
        rid = cur.lastrowid
        assert rid is not None
        return self.roster(rid)

    def roster(self, roster_id: int) -> SavedRoster:
        """The saved roster with this id (KeyError if none)."""
        row = self._db.execute(
            "SELECT id, store, week, label, status, created, roster_csv, hours_csv, kpis_json "
            "FROM rosters WHERE id = ?",
            (roster_id,),
        ).fetchone()
        if row is None:
            raise KeyError(roster_id)
        return SavedRoster(
            id=row[0], store=row[1], week=dt.date.fromisoformat(row[2]), label=row[3],
            status=row[4], created=dt.datetime.fromisoformat(row[5]),
            roster=pd.read_csv(io.StringIO(row[6]), keep_default_na=False, dtype=_TEXT),
            hours=pd.read_csv(io.StringIO(row[7]), keep_default_na=False, dtype=_TEXT),
            kpis=json.loads(row[8]),
        )  # fmt: skip

    def rosters(self, store: str) -> tuple[SavedRoster, ...]:
        """A store's saved rosters, newest first."""
        ids = self._db.execute(
            "SELECT id FROM rosters WHERE store = ? ORDER BY id DESC", (store,)
        ).fetchall()
        return tuple(self.roster(i) for (i,) in ids)

    def publish(self, roster_id: int) -> Publication:
        """Publish a saved roster as the next version of its store's week."""
        saved = self.roster(roster_id)
        now = dt.datetime.now().replace(microsecond=0)
        with self._transaction():
            (latest,) = self._db.execute(
                "SELECT COALESCE(MAX(version), 0) FROM publications WHERE store = ? AND week = ?",
                (saved.store, saved.week.isoformat()),
            ).fetchone()
            cur = self._db.execute(
                "INSERT INTO publications (roster_id, store, week, version, published) "
                "VALUES (?, ?, ?, ?, ?)",
                (roster_id, saved.store, saved.week.isoformat(), latest + 1, now.isoformat()),
            )
        pid = cur.lastrowid
        assert pid is not None
        return Publication(id=pid, roster_id=roster_id, store=saved.store, week=saved.week,
                           version=latest + 1, published=now)  # fmt: skip

    def publications(self, store: str) -> tuple[Publication, ...]:
        """A store's publications, newest first."""
        rows = self._db.execute(
            "SELECT id, roster_id, store, week, version, published FROM publications "
            "WHERE store = ? ORDER BY id DESC",
            (store,),
        ).fetchall()
        return tuple(
            Publication(id=r[0], roster_id=r[1], store=r[2], week=dt.date.fromisoformat(r[3]),
                        version=r[4], published=dt.datetime.fromisoformat(r[5]))
            for r in rows
        )  # fmt: skip

    def save_scenario(
        self,
        *,
        store: str,
        week: dt.date,
        name: str,
        definition: dict[str, object],
        results: dict[str, object],
    ) -> SavedScenario:
        """Save a scenario's definition and results; running it again replaces both."""
        created = dt.datetime.now().replace(microsecond=0)
        with self._transaction():
            self._db.execute(
                "INSERT INTO scenarios (store, week, name, created, definition_json, results_json)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (store, week, name) DO UPDATE SET"
                " created = excluded.created, definition_json = excluded.definition_json,"
                " results_json = excluded.results_json",
                (store, week.isoformat(), name, created.isoformat(),
                 json.dumps(definition, default=str), json.dumps(results, default=str)),
            )  # fmt: skip
        (saved,) = (s for s in self.scenarios(store, week) if s.name == name)
        return saved

    def scenarios(self, store: str, week: dt.date) -> tuple[SavedScenario, ...]:
        """A store week's saved scenarios, oldest first (the order they were created in)."""
        rows = self._db.execute(
            "SELECT id, store, week, name, created, definition_json, results_json "
            "FROM scenarios WHERE store = ? AND week = ? ORDER BY id",
            (store, week.isoformat()),
        ).fetchall()
        return tuple(
            SavedScenario(id=r[0], store=r[1], week=dt.date.fromisoformat(r[2]), name=r[3],
                          created=dt.datetime.fromisoformat(r[4]),
                          definition=json.loads(r[5]), results=json.loads(r[6]))
            for r in rows
        )  # fmt: skip

    def delete_scenario(self, store: str, week: dt.date, name: str) -> None:
        """Forget a saved scenario (published rosters are never touched)."""
        with self._transaction():
            self._db.execute(
                "DELETE FROM scenarios WHERE store = ? AND week = ? AND name = ?",
                (store, week.isoformat(), name),
            )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any exception."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        self._db.execute("ROLLBACK" if kind is not None else "COMMIT")
