"""Saved work: generated rosters, published weeks and what-if scenarios in embedded SQLite.

The database path comes from ``STAFFING_DB`` (default ``~/.staffing/staffing.sqlite3``). The
schema is versioned with ``PRAGMA user_version`` and upgraded by the ordered migrations below.
Every write is one transaction (``with connection:``), so a crash or a killed server leaves
either the whole record or nothing; published rosters are immutable (a trigger refuses any
update or delete, and one refuses deleting or replacing a published roster), and publishing a
week again creates a new version. Two programs opening a new database at once migrate it once:
the version is read again inside the migration's ``BEGIN IMMEDIATE`` transaction.

A database that cannot be opened, read or written (not a database, damaged, locked by another
program, a folder, unreadable) raises :class:`~staffing.errors.StorageError` naming the file,
what is wrong and what to do; the file itself is never replaced or deleted.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from staffing.errors import StorageError

__all__ = [
    "LOCK_TIMEOUT_SECONDS",
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
    # A plain sqlite3 client (foreign keys off) could delete a published roster, or replace it
    # with INSERT OR REPLACE / UPDATE OR REPLACE (which deletes without firing delete triggers).
    """
    CREATE TRIGGER published_rosters_undeletable BEFORE DELETE ON rosters
    WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    CREATE TRIGGER published_rosters_not_replaced_by_insert BEFORE INSERT ON rosters
    WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    CREATE TRIGGER published_rosters_not_replaced_by_update BEFORE UPDATE ON rosters
    WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    CREATE TRIGGER publications_not_replaced BEFORE INSERT ON publications
    WHEN EXISTS (SELECT 1 FROM publications WHERE id = NEW.id
                 OR (store = NEW.store AND week = NEW.week AND version = NEW.version))
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    """,
    # The manager's decisions behind a roster (locked shifts, days off), so that a roster opened
    # again after a restart keeps them through its next re-solves.
    """
    ALTER TABLE rosters ADD COLUMN decisions_json TEXT NOT NULL DEFAULT '{}';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
LOCK_TIMEOUT_SECONDS = 5.0
"""How long a call waits for another program's lock on the database before failing (seconds)."""


def default_path() -> Path:
    """``STAFFING_DB`` or ``~/.staffing/staffing.sqlite3``.

    Returns
    -------
    Path
        The environment variable's value as given (``~`` is not expanded), else the file in
        the user's home folder. Nothing is created.
    """
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
    #: The decisions kept with it (JSON-shaped; ``WeekPlan.decisions``): empty when none, and
    #: for rosters saved before they were kept.
    decisions: dict[str, object]


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
    """Saved rosters, publications and scenarios of one database file.

    Parameters
    ----------
    path : str or Path, optional
        The database file; default :func:`default_path`. Created (with its folder) if missing.
    lock_timeout_seconds : float, optional
        How long each call waits for another program's lock before failing (seconds); the
        default is :data:`LOCK_TIMEOUT_SECONDS`.

    Raises
    ------
    StorageError
        From the constructor and every method, when the file cannot be opened, read or written
        (a folder, not a database, damaged, locked by another program, unreadable) or was
        written by a newer version of this program. The file is left as it is.
    """

    def __init__(
        self, path: str | Path | None = None, *, lock_timeout_seconds: float = LOCK_TIMEOUT_SECONDS
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._timeout = lock_timeout_seconds
        if self.path.is_dir():
            raise StorageError(
                self.path,
                "is a folder, not a database file",
                f"set STAFFING_DB to a file path, e.g. {self.path / 'staffing.sqlite3'}",
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                self.path,
                f"cannot be created: its folder {self.path.parent} cannot be made "
                f"({exc.strerror or exc})",
                "set STAFFING_DB to a file in a folder you can write to",
            ) from exc
        with self._guard():
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=self._timeout)
        try:
            with self._guard():
                self._use_wal()
                self._db.execute("PRAGMA foreign_keys=ON")
                self._migrate()
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        """Close the database connection.

        The repository cannot be used afterwards (a call then raises
        :class:`sqlite3.ProgrammingError`, not :class:`StorageError`).
        """
        self._db.close()

    def _use_wal(self) -> None:
        # Switching a new file to WAL needs it to itself for a moment; when another program
        # reads it then, SQLite answers "database is locked" at once instead of waiting.
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if _code(exc) != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise
            time.sleep(0.01)

    def _migrate(self) -> None:
        if self._version() == SCHEMA_VERSION:
            return
        # Another program may be migrating the same new file right now: take the write lock,
        # then read the version again, so each migration runs exactly once.
        with self._transaction():
            version = self._version()
            for number in range(version, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[number]):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number + 1}")

    def _version(self) -> int:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StorageError(
                self.path,
                f"was written by a newer version of this program (schema version {version}; "
                f"this version reads up to {SCHEMA_VERSION})",
                "upgrade the program, or set STAFFING_DB to another file",
            )
        return version

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite's errors about the file into a :class:`StorageError` naming it."""
        try:
            yield
        except sqlite3.ProgrammingError:  # a bug (e.g. a closed connection), not the file
            raise
        except sqlite3.DatabaseError as exc:
            raise _storage_error(self.path, exc, self._timeout) from exc

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
        decisions: dict[str, object] | None = None,
    ) -> SavedRoster:
        """Save a roster in one transaction and return it as stored.

        Parameters
        ----------
        store : str
            The store's name.
        week : datetime.date
            First day of the roster's week.
        label : str
            A name for the manager (e.g. ``generated`` or ``edited``).
        status : str
            The roster's solver status.
        roster, hours : DataFrame
            The roster rows and employee hours, stored as CSV text.
        kpis : dict of str to object
            The KPIs, stored as JSON (values JSON cannot hold are stored as text).
        decisions : dict of str to object, optional
            The manager's decisions behind it (``WeekPlan.decisions()``), given back as
            ``SavedRoster.decisions``; None stores none.

        Returns
        -------
        SavedRoster
            The roster as read back, with its new id and creation time (local, to the second).

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        created = dt.datetime.now().replace(microsecond=0)
        with self._guard(), self._transaction():
            cur = self._db.execute(
                "INSERT INTO rosters (store, week, label, status, created, roster_csv, hours_csv,"
                " kpis_json, decisions_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (store, week.isoformat(), label, status, created.isoformat(),
                 roster.to_csv(index=False), hours.to_csv(index=False),
                 json.dumps(kpis, default=str), json.dumps(decisions or {}, default=str)),
            )  # fmt: skip
        rid = cur.lastrowid
        assert rid is not None
        return self.roster(rid)

    def roster(self, roster_id: int) -> SavedRoster:
        """The saved roster with this id (KeyError if none).

        Parameters
        ----------
        roster_id : int
            The id given by :meth:`save_roster`.

        Returns
        -------
        SavedRoster
            The roster; its text columns (ids, names, roles, contract) are read back as text.

        Raises
        ------
        KeyError
            When no roster has this id.
        StorageError
            When the database cannot be read (see :class:`Repository`).
        """
        with self._guard():
            row = self._db.execute(
                "SELECT id, store, week, label, status, created, roster_csv, hours_csv, kpis_json,"
                " decisions_json FROM rosters WHERE id = ?",
                (roster_id,),
            ).fetchone()
        if row is None:
            raise KeyError(roster_id)
        return SavedRoster(
            id=row[0], store=row[1], week=dt.date.fromisoformat(row[2]), label=row[3],
            status=row[4], created=dt.datetime.fromisoformat(row[5]),
            roster=pd.read_csv(io.StringIO(row[6]), keep_default_na=False, dtype=_TEXT),
            hours=pd.read_csv(io.StringIO(row[7]), keep_default_na=False, dtype=_TEXT),
            kpis=json.loads(row[8]), decisions=json.loads(row[9]),
        )  # fmt: skip

    def rosters(self, store: str) -> tuple[SavedRoster, ...]:
        """A store's saved rosters, newest first.

        Parameters
        ----------
        store : str
            The store's name.

        Returns
        -------
        tuple of SavedRoster
            Empty when the store has none.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        with self._guard():
            ids = self._db.execute(
                "SELECT id FROM rosters WHERE store = ? ORDER BY id DESC", (store,)
            ).fetchall()
        return tuple(self.roster(i) for (i,) in ids)

    def publish(self, roster_id: int) -> Publication:
        """Publish a saved roster as the next version of its store's week.

        Parameters
        ----------
        roster_id : int
            The saved roster to publish (it can no longer be changed or deleted).

        Returns
        -------
        Publication
            The new publication: version 1 for a week's first, else one above the latest.

        Raises
        ------
        KeyError
            When no roster has this id.
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        saved = self.roster(roster_id)
        now = dt.datetime.now().replace(microsecond=0)
        with self._guard(), self._transaction():
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
        """A store's publications, newest first.

        Parameters
        ----------
        store : str
            The store's name.

        Returns
        -------
        tuple of Publication
            Empty when the store has none.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        with self._guard():
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
        """Save a scenario's definition and results; running it again replaces both.

        Parameters
        ----------
        store : str
            The store's name.
        week : datetime.date
            First day of the week planned.
        name : str
            The scenario's name: one saved scenario per store, week and name.
        definition, results : dict of str to object
            ``Scenario.as_dict()`` and its comparison column, stored as JSON (values JSON
            cannot hold are stored as text).

        Returns
        -------
        SavedScenario
            The scenario as read back.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        created = dt.datetime.now().replace(microsecond=0)
        with self._guard(), self._transaction():
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
        """A store week's saved scenarios, oldest first (the order they were created in).

        Parameters
        ----------
        store : str
            The store's name.
        week : datetime.date
            First day of the week.

        Returns
        -------
        tuple of SavedScenario
            Empty when there are none.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        with self._guard():
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
        """Forget a saved scenario (published rosters are never touched).

        Parameters
        ----------
        store : str
            The store's name.
        week : datetime.date
            First day of the week.
        name : str
            The scenario's name; nothing happens when there is none of that name.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        with self._guard(), self._transaction():
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
        if kind is None:
            try:
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        else:
            self._rollback()  # the exception on its way out is the one to report

    def _rollback(self) -> None:
        if self._db.in_transaction:  # SQLite may have rolled back already (e.g. disk full)
            self._db.execute("ROLLBACK")


def _statements(script: str) -> list[str]:
    """The SQL statements of a migration script, one by one (triggers hold inner ``;``)."""
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip().strip(";").strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip().strip(";").strip():
        raise ValueError(f"incomplete SQL statement in a migration: {pending!r}")
    return statements


def _code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code of ``exc`` (e.g. ``SQLITE_BUSY``), 0 if unknown."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def _storage_error(path: Path, exc: sqlite3.DatabaseError, timeout: float) -> StorageError:
    """A :class:`StorageError` saying in plain words what SQLite's ``exc`` means for ``path``."""
    says = f"(SQLite says: {exc})"
    leave = "this program leaves the file as it is"
    code = _code(exc)
    if code == sqlite3.SQLITE_NOTADB:
        return StorageError(
            path,
            f"is not a database this program can read {says}",
            f"move it aside or set STAFFING_DB to another file ({leave})",
        )
    if code == sqlite3.SQLITE_CORRUPT:
        return StorageError(
            path,
            f"is damaged, perhaps cut short by a crash, a full disk or an incomplete copy {says}",
            f"restore it from a backup, or move it aside or set STAFFING_DB to another file "
            f"({leave})",
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StorageError(
            path,
            "is locked: another program holds it (another copy of the app, a planning run or "
            f"an SQLite tool) and did not let go within {timeout:g} seconds {says}",
            "close that program and try again, or set STAFFING_DB to another file",
        )
    if code == sqlite3.SQLITE_READONLY:
        return StorageError(
            path,
            f"cannot be written: the file or its folder is read-only {says}",
            "make them writable, or set STAFFING_DB to another file",
        )
    if code == sqlite3.SQLITE_FULL:
        return StorageError(
            path, f"cannot be written: the disk is full {says}", "free disk space and try again"
        )
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return StorageError(
            path,
            f"cannot be opened {says}",
            "check that the file and its folder exist and that you may read and write them, "
            "or set STAFFING_DB to another file",
        )
    if code == sqlite3.SQLITE_IOERR:
        return StorageError(
            path,
            f"could not be read or written: a disk or network-drive error {says}",
            "check the disk and try again, or set STAFFING_DB to a file on a local disk",
        )
    return StorageError(
        path,
        f"could not be used {says}",
        f"move it aside or set STAFFING_DB to another file ({leave})",
    )
