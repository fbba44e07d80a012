"""Export page: HR and payroll download a saved week, the published version by default."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from staffing.handover import (
    export_name,
    latest_publications,
    publication_state,
    saved_roster_files,
)
from staffing.persistence import Publication, SavedRoster, StoreIdentity
from ui.common import _saved_work, _store


def page_export() -> None:
    """Export: a saved week's shifts and weekly totals per employee, as CSV or XLSX.

    The saved rosters are only read: nothing here changes or deletes saved work. Rosters
    saved under the store's name for another team (:meth:`Repository.namesake_rosters`) are
    listed below the store's own, read-only, with the differences named.
    """
    data = _store()
    if data is None:
        return
    store = data.store.name
    identity = StoreIdentity.of(data)
    st.title("Export for HR and payroll")
    saved: tuple[SavedRoster, ...] | None = None
    published: tuple[Publication, ...] = ()
    namesakes: tuple[SavedRoster, ...] = ()
    with _saved_work("Reading the saved rosters") as repo:
        if repo is not None:
            published = repo.publications(identity)
            saved = repo.rosters(identity)  # newest first, this team's only
            namesakes = repo.namesake_rosters(identity)
    if saved is None:  # the database could not be read: _saved_work said why
        return
    if saved:
        _own_rosters(store, data.store.costs.currency, saved, published)
    elif namesakes:
        st.info(
            f"No roster is saved for {store} with its current team. {len(namesakes)} "
            f"roster(s) saved under the name {store} for a different team are listed below, "
            "read-only."
        )
    else:
        st.info(
            f"Nothing is saved yet for {store}. Generate a roster on the Roster page and "
            "publish it; its shifts and weekly totals can then be exported here."
        )
    if namesakes:
        _namesake_rosters(identity, namesakes)


def _own_rosters(
    store: str, cur: str, saved: tuple[SavedRoster, ...], published: tuple[Publication, ...]
) -> None:
    """The store's own saved weeks: pick a week and a version, see and download it."""
    weeks = sorted({s.week for s in saved}, reverse=True)
    latest = latest_publications(published)  # week -> its latest publication
    first_published = next((i for i, w in enumerate(weeks) if w in latest), 0)
    week = st.selectbox(
        "Week", weeks, index=first_published,
        format_func=lambda w: f"week of {w:%a %d %b %Y}, " + (
            f"published (version {latest[w].version})" if w in latest else "not published"
        ),
    )  # fmt: skip
    versions = {s.id: s for s in saved if s.week == week}  # newest first
    pubs = [p for p in published if p.week == week]
    current = latest.get(week)
    st.subheader("Saved versions")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "version": f"v{s.id}",
                    "label": s.label,
                    "saved": f"{s.created:%d %b %Y %H:%M}",
                    "status": s.status,
                    "published": _publication_text(s, pubs, current),
                    f"wage cost ({cur})": _number(s.kpis.get("wage_cost")),
                    "paid hours": _number(s.kpis.get("paid_hours")),
                }
                for s in versions.values()
            ]
        ),
        hide_index=True,
    )
    ids = list(versions)
    default = ids.index(current.roster_id) if current and current.roster_id in versions else 0
    if current is None:
        st.warning(
            f"No version of the week of {week:%d %b %Y} is published. You can still export a "
            "saved version below, but it is NOT the published roster (its files are marked "
            "'not-published')."
        )
    chosen_id = st.selectbox(
        "Version to export", ids, index=default,
        format_func=lambda i: f"v{i}: {versions[i].label}, saved "
        f"{versions[i].created:%d %b %H:%M}, "
        + _publication_text(versions[i], pubs, current).upper(),
    )  # fmt: skip
    chosen = versions[chosen_id]
    state = publication_state(chosen, pubs)
    if state == "published":
        assert current is not None
        st.success(
            f"v{chosen.id} is the published roster of the week of {week:%d %b %Y} "
            f"(version {current.version}, published {current.published:%d %b %Y %H:%M})."
        )
    elif current is not None:
        st.warning(
            f"v{chosen.id} is not the published roster: the week's published roster is "
            f"v{current.roster_id} (version {current.version}, published "
            f"{current.published:%d %b %Y %H:%M})."
        )
    name = export_name(store, chosen, state)
    st.subheader("Download")
    _downloads(chosen, name)
    st.caption(
        "Cells starting with = + - or @ are prefixed with an apostrophe so that a spreadsheet "
        "shows them as text instead of running them."
    )
    st.subheader(f"Shifts ({len(chosen.roster)})")
    st.dataframe(chosen.roster, hide_index=True)
    st.subheader("Weekly totals per employee")
    st.dataframe(chosen.hours, hide_index=True)


def _namesake_rosters(store: StoreIdentity, namesakes: tuple[SavedRoster, ...]) -> None:
    """Rosters saved under the store's name for a different team: listed and downloadable,
    never opened onto this team (their employee ids may name other people here)."""
    st.divider()
    st.subheader(f"Rosters saved for a different team called {store.name} (read-only)")
    st.warning(
        f"These rosters were saved for a different team under the name {store.name}: another "
        "store of the same name, or this store before an employee was renamed, an employee id "
        "was given to someone else or much of the team changed. They are not this store's "
        "rosters: they cannot be opened, edited or published here, and their employee ids may "
        "name other people in the current team. They can be downloaded as they were saved."
    )
    by_id = {s.id: s for s in namesakes}  # newest first
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "version": f"v{s.id}",
                    "week": f"{s.week:%d %b %Y}",
                    "label": s.label,
                    "saved": f"{s.created:%d %b %Y %H:%M}",
                    "differences": len(s.team_changes(store)),
                }
                for s in namesakes
            ]
        ),
        hide_index=True,
    )
    chosen = by_id[
        st.selectbox(
            "Roster of the other team", list(by_id), key="export_namesake",
            format_func=lambda i: f"v{i}: week of {by_id[i].week:%d %b %Y}, {by_id[i].label}, "
            f"saved {by_id[i].created:%d %b %H:%M} (OTHER TEAM)",
        )
    ]  # fmt: skip
    changes = chosen.team_changes(store)
    if changes:
        st.warning(
            f"v{chosen.id} differs from {store.name}'s current team:\n\n"
            + "\n".join(f"- {_md(c)}" for c in changes)
        )
    else:
        st.info(
            f"Everyone v{chosen.id} gives a shift to is still in {store.name} under the same "
            "employee id and name, but the team it was saved for differs too much from the "
            "current one to count as this store."
        )
    name = export_name(store.name, chosen, "other-team")
    _downloads(chosen, name, key="namesake")
    st.dataframe(chosen.roster, hide_index=True)


def _downloads(chosen: SavedRoster, name: str, key: str = "own") -> None:
    """The saved roster's shifts and weekly totals as CSV, and both as one XLSX, in files
    named ``roster_<name>`` and ``totals_<name>``; ``key`` tells two sets on a page apart."""
    files = saved_roster_files(chosen, name)
    labels = ("Shifts (CSV)", "Weekly totals per employee (CSV)", "Shifts and totals (XLSX)")
    kinds = ("shifts_csv", "totals_csv", "xlsx")
    for col, label, kind, (file_name, content) in zip(
        st.columns(3), labels, kinds, files.items(), strict=True
    ):
        mime = "text/csv" if file_name.endswith(".csv") else _XLSX_MIME
        col.download_button(label, content, file_name, mime, key=f"{key}_{kind}")


_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _md(text: str) -> str:
    """``text`` shown literally in Markdown (names may hold ``*``, ``_``, ``[`` ...)."""
    return re.sub(r"([\\`*_\[\]<>#|~$])", r"\\\1", text)


def _publication_text(
    saved: SavedRoster, pubs: list[Publication], current: Publication | None
) -> str:
    """How a saved version stands: published (which version, when), replaced or not published."""
    mine = sorted((p for p in pubs if p.roster_id == saved.id), key=lambda p: p.version)
    if not mine:
        return "not published"
    last = mine[-1]
    text = f"published as version {last.version} on {last.published:%d %b %H:%M}"
    if current is not None and last.id == current.id:
        return text + " (latest)"
    assert current is not None  # a publication exists, so the week has a latest one
    return text + f", replaced by version {current.version}"


def _number(value: object) -> float | None:
    """A KPI read back from JSON as a number (None when missing or not a number)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None
