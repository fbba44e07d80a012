"""What HR and payroll get from saved work: a week's published roster (or another saved version,
marked as such) as files, the same from the app's Export page and the ``staffing export`` command.

A saved version stands in one of three states, which end its files' names: ``published`` (the
week's latest publication), ``replaced`` (published once, then replaced by a later version) or
``not-published``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from staffing.exports import file_name_part, to_csv_bytes, to_xlsx_bytes
from staffing.persistence import Publication, SavedRoster

__all__ = [
    "export_name",
    "latest_publications",
    "publication_state",
    "saved_roster_files",
    "write_saved_roster",
]


def latest_publications(published: Iterable[Publication]) -> dict[dt.date, Publication]:
    """Each week's publication with the highest version (week's first day -> publication)."""
    latest: dict[dt.date, Publication] = {}
    for p in published:
        if p.week not in latest or p.version > latest[p.week].version:
            latest[p.week] = p
    return latest


def publication_state(saved: SavedRoster, published: Iterable[Publication]) -> str:
    """``published``, ``replaced`` or ``not-published`` (see the module's docstring), judged
    against every publication of the store (``published``)."""
    pubs = [p for p in published if p.week == saved.week]
    current = latest_publications(pubs).get(saved.week)
    if current is not None and saved.id == current.roster_id:
        return "published"
    if any(p.roster_id == saved.id for p in pubs):
        return "replaced"
    return "not-published"


def export_name(store_name: str, saved: SavedRoster, state: str) -> str:
    """The common part of a saved version's file names: store, week, version and state, e.g.
    ``Riverside-Market_2026-11-23_v12_published``."""
    return f"{file_name_part(store_name)}_{saved.week.isoformat()}_v{saved.id}_{state}"


def saved_roster_files(saved: SavedRoster, name: str, *, xlsx: bool = True) -> dict[str, bytes]:
    """A saved version's files by name: its shifts (``roster_<name>.csv``), weekly totals per
    employee (``totals_<name>.csv``) and, with ``xlsx``, both as sheets of
    ``roster_<name>.xlsx``. Cells a spreadsheet would run as a formula are neutralised
    (:mod:`staffing.exports`)."""
    files = {
        f"roster_{name}.csv": to_csv_bytes(saved.roster),
        f"totals_{name}.csv": to_csv_bytes(saved.hours),
    }
    if xlsx:
        sheets = {"shifts": saved.roster, "weekly totals": saved.hours}
        files[f"roster_{name}.xlsx"] = to_xlsx_bytes(sheets)
    return files


def write_saved_roster(
    saved: SavedRoster, name: str, folder: str | Path, *, xlsx: bool = True
) -> list[Path]:
    """Write :func:`saved_roster_files` into ``folder`` (created if missing); the paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for file_name, content in saved_roster_files(saved, name, xlsx=xlsx).items():
        path = out / file_name
        path.write_bytes(content)
        paths.append(path)
    return paths
