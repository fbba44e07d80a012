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

Saved work belongs to a store, told apart by :class:`StoreIdentity` (its name and its team),
not by its name alone: two stores called "Riverside Market" whose employee ids name different
people never see each other's rosters, publications or scenarios as their own.
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

from staffing._migrations import MIGRATIONS, SCHEMA_VERSION, statements
from staffing.errors import StorageError
from staffing.identity import StoreIdentity, person, shared_people, team_of

__all__ = [
    "LOCK_TIMEOUT_SECONDS",
    "SCHEMA_VERSION",
    "Publication",
    "Repository",
    "SavedRoster",
    "SavedScenario",
    "StoreIdentity",
    "default_path",
]

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

    def team_changes(self, store: StoreIdentity) -> tuple[str, ...]:
        """Who this roster names that ``store`` no longer has under the same employee id.

        The people checked are those with a shift in it and those its decisions name (locked
        shifts, days off); their names are the ones saved with it (its rows and its hours).
        Opening a roster that names any of them would drop their shifts or give them, with
        their locks and days off, to whoever holds the id now.

        Parameters
        ----------
        store : StoreIdentity
            The store as it is now.

        Returns
        -------
        tuple of str
            One sentence per person, in the order they first appear; empty when everyone is
            still there under the same id and name.
        """
        now = dict(store.team)
        named = team_of((self.hours, self.roster))
        used = [str(emp) for emp in self.roster.get("employee_id", ())]
        for item in _as_list(self.decisions.get("locked")):
            if isinstance(item, dict) and "employee_id" in item:
                used.append(str(item["employee_id"]))
        for item in _as_list(self.decisions.get("days_off")):
            if isinstance(item, list | tuple) and item:
                used.append(str(item[0]))
        changes: list[str] = []
        for emp in dict.fromkeys(used):
            was = named.get(emp, "")
            who = f"{was} (employee {emp})" if was else f"employee {emp}"
            if emp not in now:
                changes.append(f"{who} is no longer an employee of {store.name}.")
            elif was and person(was) != person(now[emp]):
                changes.append(
                    f"{who}: employee id {emp} now belongs to {now[emp]} in {store.name}."
                )
        return tuple(changes)


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
    read_only : bool, optional
        Only read: the file must exist, is opened read-only (a file and folder the user may
        not write to are fine; ``staffing export`` opens it so) and is neither switched to
        WAL nor upgraded; a file saved by an older version raises :class:`StorageError`
        asking to open it once in the app. Saving or publishing then fails.

    Raises
    ------
    StorageError
        From the constructor and every method, when the file cannot be opened, read or written
        (a folder, not a database, damaged, locked by another program, unreadable) or was
        written by a newer version of this program. The file is left as it is.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        lock_timeout_seconds: float = LOCK_TIMEOUT_SECONDS,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._timeout = lock_timeout_seconds
        if self.path.is_dir():
            raise StorageError(
                self.path,
                "is a folder, not a database file",
                f"set STAFFING_DB to a file path, e.g. {self.path / 'staffing.sqlite3'}",
            )
        if read_only:
            self._open_read_only()
            return
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

    def _open_read_only(self) -> None:
        if not self.path.is_file():
            raise StorageError(
                self.path, "does not exist", "set STAFFING_DB to the app's database file"
            )
        uri = self.path.resolve().as_uri()
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=self._timeout)
            db.execute("PRAGMA user_version").fetchone()
        except sqlite3.DatabaseError:
            # A WAL file read where its -shm file cannot be made (a folder the user may not
            # write to) opens only as immutable: read as it is on disk, without locks. A file
            # that cannot be read at all fails there too, and is reported as such.
            if db is not None:
                db.close()
            with self._guard():
                db = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=self._timeout)
                db.execute("PRAGMA user_version").fetchone()
        self._db = db
        try:
            with self._guard():
                version = self._version()
            if version < SCHEMA_VERSION:
                raise StorageError(
                    self.path,
                    f"was saved by an older version of this program (schema version {version}; "
                    f"this version reads {SCHEMA_VERSION})",
                    "open the app once (it upgrades the file), then read it again",
                )
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
                step = MIGRATIONS[number]
                if isinstance(step, str):
                    for statement in statements(step):
                        self._db.execute(statement)
                else:
                    step(self._db)
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
        store: StoreIdentity,
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
        store : StoreIdentity
            The store it was made for (``StoreIdentity.of(data)``).
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
        _check(store)
        created = dt.datetime.now().replace(microsecond=0)
        with self._guard(), self._transaction():
            store_id = self._claim(store)
            cur = self._db.execute(
                "INSERT INTO rosters (store, store_id, week, label, status, created, roster_csv,"
                " hours_csv, kpis_json, decisions_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (store.name, store_id, week.isoformat(), label, status, created.isoformat(),
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

    def rosters(self, store: StoreIdentity) -> tuple[SavedRoster, ...]:
        """A store's saved rosters, newest first.

        Parameters
        ----------
        store : StoreIdentity
            The store (``StoreIdentity.of(data)``).

        Returns
        -------
        tuple of SavedRoster
            Empty when the store has none. Rosters saved under the same name for another
            team are not among them (see :meth:`namesake_rosters`).

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        with self._guard():
            store_id = self._find(store)
            ids = self._db.execute(
                "SELECT id FROM rosters WHERE store_id = ? ORDER BY id DESC", (store_id,)
            ).fetchall()
        return tuple(self.roster(i) for (i,) in ids)

    def namesake_rosters(self, store: StoreIdentity) -> tuple[SavedRoster, ...]:
        """Rosters saved under this store's name for another team, newest first.

        They belong to another store of the same name, or to this one before it gave an
        employee id to someone else: to be shown read-only with the differences named
        (:meth:`SavedRoster.team_changes`), never opened onto this store's team.

        Parameters
        ----------
        store : StoreIdentity
            The store (``StoreIdentity.of(data)``).

        Returns
        -------
        tuple of SavedRoster
            Empty when there are none.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        with self._guard():
            store_id = self._find(store)
            ids = self._db.execute(
                "SELECT id FROM rosters WHERE store = ? AND store_id IS NOT ? ORDER BY id DESC",
                (store.name, store_id),
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
            The new publication: version 1 for the week's first of the store the roster was
            saved for, else one above its latest.

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
            (store_id,) = self._db.execute(
                "SELECT store_id FROM rosters WHERE id = ?", (roster_id,)
            ).fetchone()
            (latest,) = self._db.execute(
                "SELECT COALESCE(MAX(version), 0) FROM publications "
                "WHERE store_id = ? AND week = ?",
                (store_id, saved.week.isoformat()),
            ).fetchone()
            cur = self._db.execute(
                "INSERT INTO publications (roster_id, store, store_id, week, version, published)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (roster_id, saved.store, store_id, saved.week.isoformat(), latest + 1,
                 now.isoformat()),
            )  # fmt: skip
        pid = cur.lastrowid
        assert pid is not None
        return Publication(id=pid, roster_id=roster_id, store=saved.store, week=saved.week,
                           version=latest + 1, published=now)  # fmt: skip

    def publications(self, store: StoreIdentity) -> tuple[Publication, ...]:
        """A store's publications, newest first.

        Parameters
        ----------
        store : StoreIdentity
            The store (``StoreIdentity.of(data)``).

        Returns
        -------
        tuple of Publication
            Empty when the store has none.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        with self._guard():
            rows = self._db.execute(
                "SELECT id, roster_id, store, week, version, published FROM publications "
                "WHERE store_id = ? ORDER BY id DESC",
                (self._find(store),),
            ).fetchall()
        return tuple(
            Publication(id=r[0], roster_id=r[1], store=r[2], week=dt.date.fromisoformat(r[3]),
                        version=r[4], published=dt.datetime.fromisoformat(r[5]))
            for r in rows
        )  # fmt: skip

    def save_scenario(
        self,
        *,
        store: StoreIdentity,
        week: dt.date,
        name: str,
        definition: dict[str, object],
        results: dict[str, object],
    ) -> SavedScenario:
        """Save a scenario's definition and results; running it again replaces both.

        Parameters
        ----------
        store : StoreIdentity
            The store it was run for (``StoreIdentity.of(data)``).
        week : datetime.date
            First day of the week planned.
        name : str
            The scenario's name: one saved scenario per store (identity), week and name.
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
        _check(store)
        created = dt.datetime.now().replace(microsecond=0)
        with self._guard(), self._transaction():
            self._db.execute(
                "INSERT INTO scenarios (store, store_id, week, name, created, definition_json,"
                " results_json) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (store_id, week, name)"
                " DO UPDATE SET created = excluded.created,"
                " definition_json = excluded.definition_json, results_json = excluded.results_json",
                (store.name, self._claim(store), week.isoformat(), name, created.isoformat(),
                 json.dumps(definition, default=str), json.dumps(results, default=str)),
            )  # fmt: skip
        (saved,) = (s for s in self.scenarios(store, week) if s.name == name)
        return saved

    def scenarios(self, store: StoreIdentity, week: dt.date) -> tuple[SavedScenario, ...]:
        """A store week's saved scenarios, oldest first (the order they were created in).

        Parameters
        ----------
        store : StoreIdentity
            The store (``StoreIdentity.of(data)``).
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
        _check(store)
        with self._guard():
            rows = self._db.execute(
                "SELECT id, store, week, name, created, definition_json, results_json "
                "FROM scenarios WHERE store_id = ? AND week = ? ORDER BY id",
                (self._find(store), week.isoformat()),
            ).fetchall()
        return tuple(
            SavedScenario(id=r[0], store=r[1], week=dt.date.fromisoformat(r[2]), name=r[3],
                          created=dt.datetime.fromisoformat(r[4]),
                          definition=json.loads(r[5]), results=json.loads(r[6]))
            for r in rows
        )  # fmt: skip

    def delete_scenario(self, store: StoreIdentity, week: dt.date, name: str) -> None:
        """Forget a saved scenario (published rosters are never touched).

        Parameters
        ----------
        store : StoreIdentity
            The store (``StoreIdentity.of(data)``); another store's scenario of the same
            name is never touched.
        week : datetime.date
            First day of the week.
        name : str
            The scenario's name; nothing happens when there is none of that name.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        with self._guard(), self._transaction():
            self._db.execute(
                "DELETE FROM scenarios WHERE store_id = ? AND week = ? AND name = ?",
                (self._find(store), week.isoformat(), name),
            )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def _find(self, store: StoreIdentity) -> int | None:
        """The id of the known store ``store`` is (see :class:`StoreIdentity`), None if new.

        The one with the same fingerprint, else the one of its name that shares the most
        people with it without an id naming two people; the oldest on a tie.
        """
        fingerprint, team = store.fingerprint, dict(store.team)
        best: tuple[int, int] | None = None  # (shared, -id)
        for store_id, known, team_json in self._db.execute(
            "SELECT id, fingerprint, team_json FROM stores WHERE name = ? ORDER BY id",
            (store.name,),
        ).fetchall():
            if known == fingerprint:
                return int(store_id)
            shared = shared_people(json.loads(team_json), team)
            if shared is not None and (best is None or (shared, -store_id) > best):
                best = (shared, -store_id)
        return None if best is None else -best[1]

    def _claim(self, store: StoreIdentity) -> int:
        """The id of the known store ``store`` is, its team brought up to date, or of a new
        one; inside a write transaction."""
        store_id = self._find(store)
        if store_id is not None:  # only a matching team may replace the one recorded
            (known, team_json) = self._db.execute(
                "SELECT fingerprint, team_json FROM stores WHERE id = ?", (store_id,)
            ).fetchone()
            if (
                known != store.fingerprint
                and shared_people(json.loads(team_json), dict(store.team)) is None
            ):
                store_id = None
        now = dt.datetime.now().replace(microsecond=0).isoformat()
        values = (store.fingerprint, json.dumps(dict(store.team)), now)
        if store_id is None:
            cur = self._db.execute(
                "INSERT INTO stores (name, fingerprint, team_json, updated) VALUES (?, ?, ?, ?)",
                (store.name, *values),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid
        self._db.execute(
            "UPDATE stores SET fingerprint = ?, team_json = ?, updated = ? "
            "WHERE id = ? AND fingerprint <> ?",
            (*values, store_id, store.fingerprint),
        )
        return store_id


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


def _check(store: object) -> None:
    """Refuse a store given by name only: its saved work could be another team's."""
    if not isinstance(store, StoreIdentity):
        raise TypeError(
            f"saved work is kept per store identity: pass StoreIdentity.of(data), not {store!r}"
        )


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


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
