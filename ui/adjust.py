"""Adjust page: edit, delete, add or lock shifts, mark people absent, re-solve minimally."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from staffing.errors import InputError, Problem
from staffing.pipeline import PlanSettings, WeekPlan, changed_shifts, edit_week, resolve_week
from staffing.rostering import status_text
from ui.common import (
    _chosen_week,
    _plan,
    _restart_editor,
    _save_plan,
    _show_decisions,
    _store,
)

COLUMNS = ["lock", "shift", "employee_id", "name", "start", "end", "role", "break_start",
           "break_end"]  # fmt: skip
#: The table's headers for the roster's columns, as error messages name them.
HEADERS = {"employee_id": "employee", "start": "start", "end": "end", "role": "role",
           "break_start": "break_start", "break_end": "break_end"}  # fmt: skip


def page_adjust() -> None:
    """Adjust: move, delete, add or lock shifts, mark people absent, re-solve minimally."""
    data = _store()
    plan = _plan()
    st.title("Adjust the roster")
    if data is None or plan is None:
        st.info("Generate a roster first (Roster page).")
        return
    st.subheader(f"Week of {plan.week_start:%a %d %b %Y}")
    if _chosen_week(data) != plan.week_start:
        st.warning(
            f"This is the roster in progress, of the week of {plan.week_start:%d %b %Y}; the "
            f"Roster page has the week of {_chosen_week(data):%d %b %Y} picked."
        )
    # what the last re-solve said, once, under its button (the page started again on its
    # roster since); above the table it moved the table when it went at the next edit
    flash: list[tuple[str, str]] = st.session_state.pop("adjust_flash", [])
    st.caption(
        "Edit a shift's start, end or role, delete a row (select it, then the bin) or add one "
        "(the + row). Every edit is checked against the rules at once. Ticked **lock**: the "
        "shift is kept when re-solving (edited and added shifts are kept too); untick it to "
        "release the shift. A deleted shift keeps that person off that day, until released "
        "below."
    )
    version = st.session_state.get("edits_version", 0)
    rows = plan.roster_rows.copy()
    rows.insert(0, "lock", plan.locked_mask())
    rows.insert(1, "shift", range(len(rows)))
    # a new key starts the editor afresh (after Discard, Apply, a re-solve or a new roster):
    # removing a key from the session left the browser's own copy of the edits to come back
    key = f"edits{version}"
    edited = st.data_editor(
        _adjust_base(plan, rows[COLUMNS], key),
        num_rows="dynamic",
        disabled=["name"],
        hide_index=True,
        key=key,
        column_config={
            "shift": None,
            "lock": st.column_config.CheckboxColumn(
                "lock", help="Kept when re-solving; untick to release it."
            ),
            "employee_id": st.column_config.SelectboxColumn(
                "employee", options=[e.id for e in data.employees], required=True
            ),
            "role": st.column_config.SelectboxColumn(
                "role", options=list(data.store.roles), required=True
            ),
            "start": st.column_config.TextColumn("start (YYYY-MM-DDTHH:MM)", required=True),
            "end": st.column_config.TextColumn("end", required=True),
        },
    )
    st.session_state["adjust_draft"] = (plan, edited)  # kept while other pages are open
    released = _released_days_off(plan, version)
    _show_decisions(plan)
    changed = _edited_shifts(rows[COLUMNS], edited)
    deleted = rows[~rows["shift"].isin(edited["shift"].dropna())]
    pending = bool(len(changed) or len(deleted) or released)
    # told on the Roster page, whose Generate replaces this roster (and so these edits)
    st.session_state["adjust_pending"] = (plan, len(changed) + len(deleted) + len(released))
    if pending and st.button("Discard edits"):
        _restart_editor()
        st.rerun()
    if pending:
        try:
            checked = edit_week(plan, edited.drop(columns=["shift"]), released=released)
        except InputError as exc:
            _edit_problems(exc, plan, edited)
        else:
            if checked.violations:
                st.error(f"The edited roster breaks {len(checked.violations)} rule(s):")
                for v in checked.violations:
                    st.markdown(f"- {v.message}")
            else:
                st.success("The edited roster breaks no rule.")
            st.caption(
                f"Edited: wage cost {checked.kpis.wage_cost:,.0f}, understaffed person-hours "
                f"{checked.kpis.understaffed_person_hours:,.1f} (before: "
                f"{plan.kpis.wage_cost:,.0f}, {plan.kpis.understaffed_person_hours:,.1f})."
            )
            if st.button("Apply edits"):
                st.session_state["plan"] = checked
                _save_plan(checked, "edited by hand")
                _restart_editor()
                st.rerun()
    names = {e.name: e.id for e in data.employees}
    days = [plan.week_start + dt.timedelta(days=d) for d in range(plan.problem.days)]
    # one key per week, not per edit: the choice holds through re-solves of the week
    today = _today(data.store.timezone)
    first_free = st.selectbox(
        "Days that may change, from",
        days,
        index=days.index(_first_changeable(days, today)),
        format_func=lambda d: f"{d:%a %d %b}",
        key=f"first_free_{plan.week_start}",
        help="The days before it are history: their shifts stay exactly as the table has them "
        "and nobody is added to them. Today (the store's), when the week is under way.",
    )
    if first_free < today:  # a re-solve may move shifts people have already worked
        gone = min(today, days[-1] + dt.timedelta(days=1)) - dt.timedelta(days=1)
        span = f"{first_free:%a %d %b}" + (f" to {gone:%a %d %b}" if gone > first_free else "")
        st.warning(f"{span} has gone by: a re-solve may change shifts already worked there.")
    c1, c2 = st.columns(2)
    who = c1.selectbox("Absent employee", ["(nobody)", *names], key=f"absent_who{version}")
    when = c2.multiselect(
        "Absent on", days, format_func=lambda d: f"{d:%a %d %b}", key=f"absent_on{version}"
    )
    if not st.button("Re-solve with minimal change"):
        for kind, text in flash:
            getattr(st, kind)(text)
    else:
        if who != "(nobody)" and not when:
            st.error(f"Pick the day(s) {who} is absent on, then re-solve.")
            return
        early = [d for d in when if d < first_free]
        if who != "(nobody)" and early:  # history is kept as worked, as `staffing repair` does
            st.error(
                f"{who} is marked absent on {', '.join(f'{d:%a %d %b}' for d in early)}, before "
                f"{first_free:%a %d %b}, the first day that may change: pick an earlier first "
                "day, or delete that day's shift in the table."
            )
            return
        absent = tuple((names[who], d) for d in when) if who != "(nobody)" else ()
        _resolve(plan, edited, absent, released, first_free)


def _today(timezone: str) -> dt.date:
    """Today's date where the store is (the server's clock may be in another zone)."""
    return dt.datetime.now(ZoneInfo(timezone)).date()


def _first_changeable(days: list[dt.date], today: dt.date) -> dt.date:
    """The first day a re-solve may change by default: today while the week is under way (the
    days gone by were worked as rostered), else the week's first day."""
    return today if days[0] <= today <= days[-1] else days[0]


def _resolve(
    plan: WeekPlan,
    edited: pd.DataFrame,
    absent: tuple[tuple[str, dt.date], ...],
    released: tuple[tuple[str, dt.date], ...],
    first_free: dt.date,
) -> None:
    """Re-solve around the table's edits and the absences; on success the page starts again on
    the new roster (its table and messages are then the new roster's)."""
    limit = float(st.session_state.get("solve_seconds", 8))  # the Roster page's choice
    try:
        with st.spinner("Re-solving..."):
            new = resolve_week(
                plan, edited.drop(columns=["shift"]), absent,
                PlanSettings(time_limit_seconds=limit, days=plan.problem.days),
                released=released,
                kept_before=first_free,
            )  # fmt: skip
    except InputError as exc:
        _edit_problems(exc, plan, edited)
        return
    if not new.roster.assignments and plan.roster.assignments:
        # nothing found in time: keep the roster there is, do not save or publish an empty one
        st.error(
            "The re-solve found no roster in time; the roster is unchanged. Undo the change "
            "that conflicts, or try again with a longer time limit (Roster page)."
        )
        for conflict in new.roster.conflicts:
            st.warning(conflict)
        return
    moved = changed_shifts(plan, new)
    st.session_state["plan"] = new
    _save_plan(new, "re-solved after changes")
    _restart_editor()
    kept = f" (before {first_free:%a %d %b} kept as worked)" if first_free > plan.week_start else ""
    flash: list[tuple[str, str]] = [
        (
            "success",
            f"Re-solved{kept}: {len(moved)} employee-day{'' if len(moved) == 1 else 's'} "
            f"changed; {status_text(new.roster.status)}.",
        )
    ]
    if moved:  # the people to tell (as text: a name is not markdown)
        flash.append(("text", "\n".join(moved)))
    flash += [("warning", conflict) for conflict in new.roster.conflicts]
    flash += [("error", v.message) for v in new.violations]
    st.session_state["adjust_flash"] = flash
    st.rerun()  # the table and the messages above it now show the new roster


def _released_days_off(plan: WeekPlan, version: int) -> tuple[tuple[str, dt.date], ...]:
    """The days off (from deleted shifts and absences) the manager gives back."""
    if not plan.days_off:
        return ()
    names = {e.id: e.name for e in plan.data.employees}
    options = {f"{names.get(e, e)} ({e}), {d:%a %d %b}": (e, d) for e, d in plan.days_off}
    chosen = st.multiselect(
        "Release days off (a re-solve may then roster them again)",
        list(options),
        key=f"release{version}",
        help="Days off come from deleted shifts and absences, and are kept through re-solves.",
    )
    return tuple(options[c] for c in chosen)


def _edit_problems(exc: InputError, plan: WeekPlan, table: pd.DataFrame, shown: int = 50) -> None:
    """What cannot be read in the table, naming each row as the manager sees it (the shift it
    was, or the added row) instead of a line number the table does not show."""
    st.error("These edits cannot be read:")
    for problem in exc.problems[:shown]:
        st.markdown(f"- {_problem_text(problem, plan, table)}")
    rest = len(exc.problems) + exc.uncollected - shown
    if rest > 0:
        st.markdown(f"- ... and {rest:,} more problem(s) of the same kinds")


def _problem_text(problem: Problem, plan: WeekPlan, table: pd.DataFrame) -> str:
    """One problem of the edited table in words: ``Anna Smith's shift of Mon 23 Nov 08:00,
    start: got '25:00'; expected ...``."""
    if problem.line is None or not 1 <= problem.line <= len(table):
        return str(problem)
    row = table.iloc[problem.line - 1]
    shift = row.get("shift")
    if not pd.isna(shift) and 0 <= int(shift) < len(plan.roster_rows):
        was = plan.roster_rows.iloc[int(shift)]
        where = f"{was['name']}'s shift of {dt.datetime.fromisoformat(was['start']):%a %d %b %H:%M}"
    else:
        added = table["shift"].isna().to_numpy()[: problem.line].sum()
        names = {e.id: e.name for e in plan.data.employees}
        emp = row.get("employee_id")
        whose = f" ({names[emp]})" if isinstance(emp, str) and emp in names else ""
        where = f"added row {added}{whose}"
    if problem.field is not None:
        where += f", {HEADERS.get(problem.field, problem.field)}"
    if problem.value is not None:
        return f"{where}: got {problem.value!r}; expected {problem.expected}"
    return f"{where}: expected {problem.expected}"


def _adjust_base(plan: WeekPlan, rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """The table the Adjust page's editor starts from: the roster, or the edits not yet applied.

    Streamlit forgets an editor's edits when another page is shown; the page keeps its last
    table (``adjust_draft``) and starts from it when it is opened again for the same roster.
    While the editor is on screen it must keep the table it started from (its edits are stored
    against that one), hence ``adjust_base``.
    """
    if key not in st.session_state:  # the page was just opened (or the editor restarted)
        draft = st.session_state.get("adjust_draft")
        base = draft[1] if draft is not None and draft[0] is plan else rows
        st.session_state["adjust_base"] = (plan, base)
    kept = st.session_state.get("adjust_base")
    return kept[1] if kept is not None and kept[0] is plan else rows


def _edited_shifts(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``after`` that were added or whose times, person, role or lock changed."""
    keys = ["employee_id", "start", "end", "role", "break_start", "break_end"]
    original = before.set_index("shift")[[*keys, "lock"]]
    out = []
    for row in after.itertuples(index=False):
        shift = row.shift
        if pd.isna(shift) or int(shift) not in original.index:
            out.append(row)
            continue
        was = original.loc[int(shift)]
        ticked = bool(row.lock) if not pd.isna(row.lock) else False
        if any(str(getattr(row, k)) != str(was[k]) for k in keys) or ticked != bool(was["lock"]):
            out.append(row)
    return pd.DataFrame(out, columns=after.columns)
