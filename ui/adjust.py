"""Adjust page: edit, delete, add or lock shifts, mark people absent, re-solve minimally."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from staffing.errors import InputError
from staffing.pipeline import PlanSettings, WeekPlan, changed_days, edit_week, resolve_week
from ui.common import _plan, _problems, _save_plan, _store


def page_adjust() -> None:
    """Adjust: move, delete, add or lock shifts, mark people absent, re-solve minimally."""
    data = _store()
    plan = _plan()
    st.title("Adjust the roster")
    if data is None or plan is None:
        st.info("Generate a roster first (Roster page).")
        return
    st.caption(
        "Edit a shift's start, end or role, delete a row (select it, then the bin) or add one "
        "(the + row). Every edit is checked against the rules at once. Tick **lock** to keep a "
        "shift when re-solving; edited and added shifts are kept too, and a deleted shift keeps "
        "that person off that day."
    )
    rows = plan.roster_rows.copy()
    rows.insert(0, "lock", False)
    rows.insert(1, "shift", range(len(rows)))
    columns = ["lock", "shift", "employee_id", "name", "start", "end", "role", "break_start",
               "break_end"]  # fmt: skip
    # a new key starts the editor afresh (after Discard, Apply or a re-solve): removing a key
    # from the session left the browser's own copy of the edits to come back
    key = f"edits{st.session_state.get('edits_version', 0)}"
    edited = st.data_editor(
        _adjust_base(plan, rows[columns], key),
        num_rows="dynamic",
        disabled=["name"],
        hide_index=True,
        key=key,
        column_config={
            "shift": None,
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
    changed = _edited_shifts(rows[columns], edited)
    deleted = rows[~rows["shift"].isin(edited["shift"].dropna())]
    if (len(changed) or len(deleted)) and st.button("Discard edits"):
        _restart_editor()
        st.rerun()
    checked: WeekPlan | None = None
    if len(changed) or len(deleted):
        try:
            checked = edit_week(plan, edited.drop(columns=["shift"]))  # ticked locks too
        except InputError as exc:
            _problems("These edits cannot be read:", exc)
        if checked is not None:
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
    c1, c2 = st.columns(2)
    who = c1.selectbox("Absent employee", ["(nobody)", *names])
    when = c2.multiselect("Absent on", days, format_func=lambda d: f"{d:%a %d %b}")
    if st.button("Re-solve with minimal change"):
        absent = []
        if who != "(nobody)" and not when:
            st.error(f"Pick the day(s) {who} is absent on, then re-solve.")
            return
        if who != "(nobody)":
            absent = [(names[who], d) for d in when]
        limit = float(st.session_state.get("solve_seconds", 8))  # the Roster page's choice
        try:
            with st.spinner("Re-solving..."):
                new = resolve_week(
                    plan, edited.drop(columns=["shift"]), tuple(absent),
                    PlanSettings(time_limit_seconds=limit),
                )  # fmt: skip
        except InputError as exc:
            _problems("These edits cannot be read:", exc)
            return
        if not new.roster.assignments and plan.roster.assignments:
            # nothing found in time: keep the roster there is, do not save or publish an empty one
            st.error(
                f"The re-solve found no roster in time (status {new.roster.status}); the roster "
                "is unchanged. Undo the change that conflicts, or try again."
            )
            for conflict in new.roster.conflicts:
                st.warning(conflict)
            return
        moved = changed_days(plan, new)
        st.session_state["plan"] = new
        _save_plan(new, "re-solved after changes")
        _restart_editor()
        st.success(f"Re-solved: {moved} employee-days changed; status {new.roster.status}.")
        for conflict in new.roster.conflicts:
            st.warning(conflict)
        for v in new.violations:
            st.error(v.message)


def _restart_editor() -> None:
    """The Adjust page's table starts again from the (new) roster."""
    st.session_state["edits_version"] = st.session_state.get("edits_version", 0) + 1
    for name in ("adjust_draft", "adjust_base"):
        st.session_state.pop(name, None)


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
    """Rows of ``after`` that were added or whose times, person or role changed."""
    keys = ["employee_id", "start", "end", "role", "break_start", "break_end"]
    original = before.set_index("shift")[keys]
    out = []
    for row in after.itertuples(index=False):
        shift = row.shift
        if pd.isna(shift) or int(shift) not in original.index:
            out.append(row)
            continue
        was = original.loc[int(shift)]
        if any(str(getattr(row, k)) != str(was[k]) for k in keys):
            out.append(row)
    return pd.DataFrame(out, columns=after.columns)
