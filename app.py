"""Streamlit front end: a router over pages that call the ``staffing`` library.

Run with ``streamlit run app.py`` (``make run``). It opens on the sample store; the store folder
can be changed with the ``STAFFING_STORE`` environment variable. Caching lives here only.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from staffing.errors import InputError, StorageError
from staffing.exports import to_csv_bytes, to_xlsx_bytes
from staffing.kpis import service_level_meaning
from staffing.loader import load_store, unpack_store
from staffing.model import Event, StoreData
from staffing.persistence import Publication, Repository, SavedRoster, SavedScenario
from staffing.pipeline import (
    PlanSettings,
    WeekPlan,
    changed_days,
    edit_week,
    reopen_week,
    resolve_week,
    roster_week,
)
from staffing.requirements import compute_requirements
from staffing.scenarios import Scenario, compare, plan_scenario, tradeoff

DEFAULT_STORE = Path(__file__).resolve().parent / "sample_data" / "store"


@st.cache_resource(show_spinner="Loading the store...")
def _load(folder: str) -> StoreData:
    return load_store(folder)


@st.cache_data(show_spinner="Forecasting the week...")
def _forecast(folder: str, week: dt.date) -> pd.DataFrame:
    from staffing.forecasting import forecast_week  # statsmodels loads at the first forecast

    return forecast_week(_load(folder), week)[0]


def _week_forecast(week: dt.date) -> pd.DataFrame | None:
    """The week's forecast, or None after saying why there is none (e.g. a week picked before
    the history has enough data to fit)."""
    from staffing.forecasting import HistoryError  # statsmodels loads at the first forecast

    try:
        return _forecast(_folder(), week)
    except HistoryError as exc:
        st.error(f"No forecast for the week of {week:%d %b %Y}: {exc}. Pick a later week.")
        return None


def _folder() -> str:
    uploaded = st.session_state.get("store_folder")
    return str(uploaded) if uploaded else os.environ.get("STAFFING_STORE", str(DEFAULT_STORE))


def _upload() -> None:
    """Accept a zip of a store folder (or its files), check it and switch to it if valid."""
    files = st.file_uploader(
        "Upload a store: a .zip of the folder, or store.toml, employees.csv, traffic.csv "
        "(and availability.csv, events.csv)",
        type=["zip", "toml", "csv"],
        accept_multiple_files=True,
    )
    if not files or not st.button("Use these files"):
        return
    target = Path(tempfile.mkdtemp(prefix="store-"))
    try:
        unpack_store(((f.name, f.getvalue()) for f in files), target)
        load_store(target)
    except InputError as exc:
        shutil.rmtree(target, ignore_errors=True)  # nothing of a refused upload is kept
        _problems("The uploaded store has problems:", exc)
        return
    st.session_state["store_folder"] = str(target)
    for key in ("plan", "targets", "backtest"):  # the previous store's
        st.session_state.pop(key, None)
    st.session_state["store_loaded"] = True
    st.rerun()  # every page, this one too, now shows the new store


def _problems(title: str, exc: InputError, shown: int = 50) -> None:
    """An input error's problems as a list, the first ``shown`` of them and a count of the rest."""
    st.error(title)
    for problem in exc.problems[:shown]:
        st.markdown(f"- {problem}")
    rest = len(exc.problems) + exc.uncollected - shown
    if rest > 0:
        st.markdown(f"- ... and {rest:,} more problem(s) of the same kinds")


SAMPLES = {
    "Riverside Market (store, 35 people)": DEFAULT_STORE,
    "Northwind Contact Centre (220 agents, 15-minute intervals)": DEFAULT_STORE.parent
    / "contact_center",
}


def _pick_sample() -> None:
    """Switch between the bundled samples (the contact center takes about a minute to solve)."""
    names = list(SAMPLES)
    current = next((n for n, f in SAMPLES.items() if str(f) == _folder()), None)
    choice = st.selectbox(
        "Sample data", ["(uploaded or STAFFING_STORE)", *names] if current is None else names,
        index=0 if current is None else names.index(current),
    )  # fmt: skip
    if choice in SAMPLES and str(SAMPLES[choice]) != _folder():
        st.session_state["store_folder"] = str(SAMPLES[choice])
        for key in ("plan", "targets", "backtest"):
            st.session_state.pop(key, None)
        st.rerun()


def _store() -> StoreData | None:
    """The store, with the service targets edited on the Requirements page applied."""
    try:
        data = _load(_folder())
    except InputError as exc:
        _problems("The store folder has problems:", exc)
        return None
    edits: dict[str, dict[str, Any]] = st.session_state.get("targets", {})  # field -> value
    if not edits:
        return data
    channels = tuple(replace(c, **edits.get(c.id, {})) for c in data.store.channels)
    return replace(data, store=replace(data.store, channels=channels))


@st.cache_data(show_spinner="Backtesting the forecast on 4 past weeks (about a minute)...")
def _backtest(folder: str) -> pd.DataFrame:
    from staffing.forecasting import backtest_store

    result = backtest_store(_load(folder), origins=4)
    return result.table


@contextmanager
def _saved_work(action: str) -> Iterator[Repository | None]:
    """The database of saved work, or None after saying why ``action`` cannot use it.

    A corrupt, locked or unreachable database (``STAFFING_DB``) must not take the page with it:
    the roster on screen can still be read and exported.
    """
    try:
        repo = Repository()
    except StorageError as exc:
        st.error(f"{action}: not possible. {exc}")
        yield None
        return
    try:
        yield repo
    except StorageError as exc:
        st.error(f"{action}: not possible. {exc}")
    finally:
        repo.close()


def _save_plan(plan: WeekPlan, label: str) -> None:
    """Keep a generated or edited roster in the database so it survives a restart."""
    with _saved_work("Saving this roster") as repo:
        if repo is not None:
            repo.save_roster(
                store=plan.data.store.name, week=plan.week_start, label=label,
                status=plan.roster.status, roster=plan.roster_rows, hours=plan.hours,
                kpis=plan.kpis.as_dict(), decisions=plan.decisions(),
            )  # fmt: skip


def _plan() -> WeekPlan | None:
    plan = st.session_state.get("plan")
    return plan if isinstance(plan, WeekPlan) else None


def _duration(seconds: float) -> str:
    """Seconds as the unit a manager reads: 45 s, 6.5 min, 3.6 h."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def page_store() -> None:
    """Store and data: what was loaded."""
    data = _store()
    if data is None:
        return
    st.title(data.store.name)
    if st.session_state.pop("store_loaded", False):
        st.success("Store loaded: every page now uses it.")
    for warning in data.warnings:
        st.warning(warning)
    _pick_sample()
    _upload()
    t = data.traffic
    c1, c2, c3 = st.columns(3)
    c1.metric("Employees", len(data.employees))
    c2.metric("Channels", len(data.store.channels))
    c3.metric("Next week", f"{data.default_week():%a %d %b %Y}")
    st.caption(
        f"History {t['timestamp'].min():%Y-%m-%d} to {t['timestamp'].max():%Y-%m-%d}, "
        f"{len(t):,} rows; interval {data.store.interval_minutes} min; "
        f"public holidays of {data.store.country}"
    )
    st.subheader("Channels and targets")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "channel": c.name,
                    "kind": c.kind.value,
                    "role": c.role,
                    "handling time (s)": c.aht_seconds,
                    "targets": c.targets_text(),
                }
                for c in data.store.channels
            ]
        ),
        hide_index=True,
    )
    st.subheader("Employees")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": e.id,
                    "name": e.name,
                    "roles": ", ".join(e.roles),
                    "hours/week": f"{e.min_hours_week:g}-{e.max_hours_week:g}",
                    "cost/h": e.hourly_cost,
                    "contract": e.contract,
                }
                for e in data.employees
            ]
        ),
        hide_index=True,
    )


def page_roster() -> None:
    """Roster: generate the week and see who works when, coverage and KPIs."""
    data = _store()
    if data is None:
        return
    st.title("Weekly roster")
    week = st.date_input("Week starting", value=data.default_week())
    limit = st.slider("Solver time limit (seconds)", 5, 60, 8, key="time_limit")
    if st.button("Generate roster", type="primary"):
        start = week if isinstance(week, dt.date) else data.default_week()
        with st.spinner("Forecasting and sizing the week..."):
            forecast = _week_forecast(start)  # cached: shared with the forecast page
            if forecast is None:
                return
            needs = compute_requirements(data, forecast, start)
        st.session_state["plan"] = _solve_with_progress(
            lambda on_solution: roster_week(
                data, start, forecast, needs, PlanSettings(time_limit_seconds=float(limit)),
                on_solution=on_solution,
            ),
            float(limit),
        )  # fmt: skip
        st.session_state["plan_targets"] = dict(st.session_state.get("targets", {}))
        _save_plan(st.session_state["plan"], "generated")
    plan = _plan()
    if plan is None:
        st.info("Press **Generate roster** to plan the week.")
        _last_saved(data)
        return
    targets = st.session_state.get("targets", {})
    if targets != st.session_state.get("plan_targets", {}):
        st.warning("Service targets were edited after this roster was generated: press "
                   "**Generate roster** to plan with them.")  # fmt: skip
    elif targets:
        st.caption("Service targets edited on the Requirements page are in use.")
    k = plan.kpis
    cur = data.store.costs.currency
    cols = st.columns(4)
    cols[0].metric("Wage cost", f"{k.wage_cost:,.0f} {cur}")
    cols[1].metric("Paid hours", f"{k.paid_hours:,.1f}")
    cols[2].metric("Understaffed person-hours", f"{k.understaffed_person_hours:,.1f}")
    bound = plan.roster.lower_bound
    cols[3].metric(
        "Optimality gap",
        "no bound" if k.proved_gap is None else f"{k.proved_gap:.1%}",
        help="How far the roster's cost could at most be above the best possible one, from a "
        "lower bound the solver proves. 'no bound': the time limit ended before one was found. "
        "A longer time limit tightens both: the bound counts whole people day by day as "
        "time allows, and from about 15 s whole days of the roster are re-solved exactly (the "
        "README's figures table has the sample store's gaps at 10, 20 and 60 s).",
    )
    st.caption(
        f"Solver: {plan.roster.status} after {plan.roster.solve_seconds:.1f} s; roster cost "
        f"{plan.roster.objective:,.0f}, proven lower bound {bound:,.0f} (wages plus priced "
        "shortfalls and rule penalties)."
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "channel": c.channel,
                    "service level": f"{c.service_level:.1%}",
                    "counts contacts": service_level_meaning(plan.data.store.channel(c.channel)),
                    "average wait": _duration(c.average_wait_seconds),
                    "abandonment": f"{c.abandon_rate:.1%}",
                }
                for c in k.channels
            ]
        ),
        hide_index=True,
    )
    rows = plan.roster_rows.assign(
        start=lambda f: pd.to_datetime(f["start"]), end=lambda f: pd.to_datetime(f["end"])
    )
    st.subheader("Who works when")
    chart = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            x=alt.X("start:T", title=None),
            x2="end:T",
            y=alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.Color("role:N"),
            tooltip=["name", "role", "start", "end", "paid_hours"],
        )
        .properties(height=max(300, 24 * rows["name"].nunique()))
    )
    breaks = rows[rows["break_start"] != ""].assign(
        start=lambda f: pd.to_datetime(f["break_start"]),
        end=lambda f: pd.to_datetime(f["break_end"]),
    )
    pauses = (
        alt.Chart(breaks)
        .mark_bar(color="white", opacity=0.8)
        .encode(x="start:T", x2="end:T", y=alt.Y("name:N", sort=None),
                tooltip=["name", alt.Tooltip("start:T", title="break"), "break_minutes"])
    )  # fmt: skip
    st.altair_chart(chart + pauses, use_container_width=True)
    st.caption("Bars are shifts coloured by role; white gaps are unpaid meal breaks.")
    _coverage_chart(plan)
    short = plan.shortfall_lines()
    st.subheader(f"Shortfalls ({len(short)})")
    capacity = plan.capacity_text()
    if capacity:
        st.warning(capacity)
    shown = [f"- {s}" for s in short[:40]]
    if len(short) > 40:  # all of them are in the coverage chart below and in kpis.json
        shown.append(f"- ... and {len(short) - 40} more (see the coverage chart by role)")
    st.write("\n".join(shown) or "None: every interval is covered.")
    for v in plan.violations:
        st.error(v.message)
    st.subheader("Publish")
    if st.button("Publish this roster"):
        with _saved_work("Publishing") as repo:
            if repo is not None:
                saved = repo.save_roster(
                    store=data.store.name,
                    week=plan.week_start,
                    label=f"{plan.roster.status}, {k.wage_cost:,.0f} {cur}",
                    status=plan.roster.status,
                    roster=plan.roster_rows,
                    hours=plan.hours,
                    kpis=k.as_dict(),
                    decisions=plan.decisions(),
                )
                pub = repo.publish(saved.id)
                st.success(f"Published week of {pub.week:%d %b %Y} as version {pub.version}.")
    published: tuple[Publication, ...] = ()
    with _saved_work("Listing the published weeks") as repo:
        if repo is not None:
            published = repo.publications(data.store.name)
    if published:
        st.caption(
            "Published: "
            + "; ".join(
                f"week {p.week:%d %b} v{p.version} ({p.published:%d %b %H:%M})"
                for p in published[:5]
            )
        )
    st.subheader("Export")
    st.download_button(
        "Download roster (CSV)", to_csv_bytes(plan.roster_rows), "roster.csv", "text/csv"
    )
    st.download_button("Download hours (CSV)", to_csv_bytes(plan.hours), "hours.csv", "text/csv")
    st.download_button(
        "Download roster and hours (XLSX)",
        to_xlsx_bytes({"roster": plan.roster_rows, "hours": plan.hours}),
        "roster.xlsx",
    )
    st.subheader("Hours per employee, against contract")
    hours = plan.hours.assign(
        within_contract=lambda f: (
            (f["paid_hours"] >= f["min_hours_week"] - 1e-6)
            & (f["paid_hours"] <= f["max_hours_week"] + 1e-6)
        )
    )
    st.dataframe(hours, hide_index=True)
    st.caption(
        f"Fairness: weekend days per person range over {k.weekend_days_spread} days, closing "
        f"shifts over {k.closing_shifts_spread} (0 = perfectly even)."
    )


def _solve_with_progress(
    run: Callable[[Callable[[float, float], None]], WeekPlan], limit: float
) -> WeekPlan:
    """Run the solver in a worker thread and show its progress from this (the script) thread.

    The solver reports each better roster (cost, seconds) to a callback; only this thread
    touches Streamlit, so the progress bar is safe to update.
    """
    best: list[float] = []

    def on_solution(cost: float, seconds: float) -> None:
        best.append(cost)

    bar = st.progress(0.0, text="Rostering...")
    with ThreadPoolExecutor(max_workers=1) as pool:
        job = pool.submit(run, on_solution)
        started = time.monotonic()
        while not job.done():
            elapsed = time.monotonic() - started
            text = f"Rostering: {elapsed:.0f} s of about {limit:.0f} s"
            if best:
                text += f"; {len(best)} rosters found, the best costs {best[-1]:,.0f}"
            bar.progress(min(elapsed / (limit + 3.0), 0.99), text=text)
            time.sleep(0.25)
        plan = job.result()
    bar.empty()
    return plan


def _coverage_chart(plan: WeekPlan) -> None:
    """People on duty against the need per interval for one role, short intervals in red."""
    st.subheader("Coverage against requirement")
    role = st.selectbox("Role", list(plan.problem.roles), key="coverage_role")
    cov = plan.coverage[plan.coverage["role"] == role].assign(
        need=lambda f: f[["required", "post_minimum"]].max(axis=1),
        status=lambda f: f["short"].gt(0).map({True: "short", False: "covered"}),
    )
    # every interval, closed ones too: the need line drops to 0 overnight instead of bridging
    base = alt.Chart(cov).encode(x=alt.X("timestamp:T", title=None))
    bars = base.mark_bar().encode(
        y=alt.Y("on_duty:Q", title="people"),
        color=alt.Color("status:N", scale=alt.Scale(domain=["covered", "short"],
                                                    range=["#4c78a8", "#e45756"])),
        tooltip=["timestamp:T", "on_duty", "need", "short"],
    )  # fmt: skip
    need = base.mark_line(color="black", interpolate="step-after").encode(y="need:Q")
    st.altair_chart(bars + need, use_container_width=True)
    st.caption("Bars: people on duty (breaks excluded); line: people needed.")


def _last_saved(data: StoreData) -> None:
    """The newest saved roster of this store, so work survives a restart of the app."""
    saved: tuple[SavedRoster, ...] = ()
    with _saved_work("Opening the last saved roster") as repo:
        if repo is not None:
            saved = repo.rosters(data.store.name)
    if not saved:
        return
    last = saved[0]
    st.subheader(f"Last saved roster: week of {last.week:%d %b %Y}")
    st.caption(f"{last.label}, {last.status}, saved {last.created:%d %b %H:%M}")
    st.dataframe(last.roster, hide_index=True)
    st.download_button(
        "Download saved roster (CSV)", to_csv_bytes(last.roster), "roster.csv", "text/csv"
    )
    if st.button("Open it to adjust or publish"):
        forecast = _week_forecast(last.week)
        if forecast is None:
            return
        try:
            st.session_state["plan"] = reopen_week(
                data, last.week, last.roster, forecast, decisions=last.decisions
            )
        except InputError as exc:
            _problems("The saved roster cannot be read back:", exc)
            return
        st.session_state["plan_targets"] = dict(st.session_state.get("targets", {}))
        st.rerun()


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
        limit = float(st.session_state.get("time_limit", 8))  # the Roster page's slider
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


def _saved_scenarios(data: StoreData, week: dt.date) -> tuple[SavedScenario, ...]:
    with _saved_work("Reading the saved scenarios") as repo:
        if repo is not None:
            return repo.scenarios(data.store.name, week)
    return ()


def page_scenarios() -> None:
    """Scenarios: what-if variants planned with the same pipeline and compared side by side."""
    data = _store()
    if data is None:
        return
    st.title("What-if scenarios")
    plan: WeekPlan | None = st.session_state.get("plan")  # the Roster page's week, if any
    same = plan is not None and plan.data.store.name == data.store.name
    week = plan.week_start if plan is not None and same else data.default_week()
    st.caption(f"Week of {week:%a %d %b %Y}" + (" (the roster's week)." if same else "."))
    forecast = _week_forecast(week)
    if forecast is None:
        return
    with st.form("scenario"):
        name = st.text_input("Scenario name", "+10% traffic")
        c1, c2, c3 = st.columns(3)
        traffic = c1.number_input("Traffic change (%)", -50, 200, 10)
        target = c2.number_input(
            "Service level target (%)", 50, 99, value=None, placeholder="the store's targets",
            help="For channels with a service-level target; empty keeps the current targets.",
        )  # fmt: skip
        wages = c3.number_input("Wage change (%)", -50, 100, 0)
        c4, c5 = st.columns(2)
        gone = c4.multiselect("Leave out employees", [e.id for e in data.employees])
        shortest = float(data.store.rules.min_shift_hours)
        longest = c5.number_input(
            "Longest shift (hours)", max(4.0, shortest), max(12.0, shortest),
            max(shortest, float(data.store.rules.max_shift_hours)),
            help=f"At least the store's shortest shift ({shortest:g} h).",
        )  # fmt: skip
        c6, c7, c8 = st.columns(3)
        event_name = c6.text_input("Extra event (optional)", "")
        event_kind = c7.selectbox("Event kind", ["promotion", "school_vacation", "closure"])
        event_days = c8.date_input(
            "Event dates", value=(week, week), min_value=week, max_value=week + dt.timedelta(6)
        )
        limit = st.slider("Solver time limit per scenario (seconds)", 3, 30, 5)
        run_it = st.form_submit_button("Run scenario")
        if run_it and not name.strip():
            st.error("Give the scenario a name.")
            run_it = False
        if run_it and len(gone) == len(data.employees):
            st.error("Leave at least one employee in: with nobody there is no roster to compare.")
            run_it = False
        if run_it:
            name = name.strip()
            event = None
            if event_name.strip():
                first, last = _date_range(event_days, week)
                event = Event(start_date=first, end_date=last, name=event_name.strip(),
                              kind=event_kind)  # fmt: skip
            scenario = Scenario(
                name=name, traffic_factor=1 + traffic / 100,
                service_level=None if target is None else target / 100,
                wage_factor=1 + wages / 100, remove_employees=tuple(gone),
                max_shift_hours=float(longest), extra_event=event,
            )  # fmt: skip
            run = None
            with st.spinner(f"Planning '{name}'..."):
                try:
                    run = plan_scenario(
                        data, week, scenario, PlanSettings(time_limit_seconds=float(limit)),
                        forecast,
                    )  # fmt: skip
                except ValueError as exc:  # e.g. a longest shift below the shortest
                    st.error(str(exc))
            if run is not None:
                replaced = name in {s.name for s in _saved_scenarios(data, week)}
                _save_scenario(data, week, scenario, compare({name: run})[name].to_dict())
                if replaced:
                    st.info(f"The saved scenario '{name}' was replaced by this run.")
    saved = _saved_scenarios(data, week)
    if saved:
        st.subheader("Side by side")
        st.dataframe(pd.DataFrame({s.name: s.results for s in saved}))
        st.caption(
            "Saved scenarios stay until deleted. "
            + "; ".join(f"**{s.name}**: {_describe(s.definition)}" for s in saved)
        )
        drop = st.selectbox("Delete a scenario", ["(none)", *[s.name for s in saved]])
        if drop != "(none)" and st.button("Delete"):
            with _saved_work("Deleting the scenario") as repo:
                if repo is not None:
                    repo.delete_scenario(data.store.name, week, drop)
                    st.rerun()
    if st.button("Sweep service targets (cost vs service)"):
        with st.spinner("Planning four targets..."):
            sweep = tradeoff(data, week, (0.7, 0.8, 0.9, 0.95),
                             PlanSettings(time_limit_seconds=4.0), forecast)  # fmt: skip
        chart = (
            alt.Chart(sweep)
            .mark_line(point=True)
            .encode(
                x=alt.X("wage cost:Q", scale=alt.Scale(zero=False)),
                y=alt.Y("achieved service level:Q", scale=alt.Scale(zero=False)),
                tooltip=["target", "wage cost", "achieved service level"],
            )
        )
        st.altair_chart(chart, use_container_width=True)
        st.dataframe(sweep, hide_index=True)


def _date_range(value: object, default: dt.date) -> tuple[dt.date, dt.date]:
    """A date_input answer (one date or a pair) as first and last day."""
    days = [d for d in (value if isinstance(value, tuple | list) else (value,))
            if isinstance(d, dt.date)]  # fmt: skip
    return (days[0], days[-1]) if days else (default, default)


def _save_scenario(
    data: StoreData, week: dt.date, scenario: Scenario, results: dict[str, object]
) -> None:
    with _saved_work("Saving the scenario") as repo:
        if repo is not None:
            repo.save_scenario(store=data.store.name, week=week, name=scenario.name,
                               definition=scenario.as_dict(), results=results)  # fmt: skip


def _describe(definition: dict[str, object]) -> str:
    """A saved scenario's changes in words (only what differs from the base)."""
    defaults = Scenario(name="").as_dict()
    parts = [f"{k.replace('_', ' ')} {v}" for k, v in definition.items()
             if k != "name" and defaults.get(k) != v and v not in (None, [], ())]  # fmt: skip
    return ", ".join(parts) or "no change"


def page_forecast() -> None:
    """Forecast: next week's traffic per channel with 80% and 95% bands."""
    from staffing.forecasting import week_days

    data = _store()
    if data is None:
        return
    week = data.default_week()
    st.title(f"Traffic forecast, week of {week:%d %b %Y}")
    frame = _week_forecast(week)
    if frame is None:
        return
    channel = st.selectbox("Channel", [c.id for c in data.store.channels])
    one = frame[frame["channel"] == channel]
    base = alt.Chart(one).encode(x=alt.X("timestamp:T", title=None))
    bands = base.mark_area(opacity=0.2).encode(y="lo95:Q", y2="hi95:Q") + base.mark_area(
        opacity=0.35
    ).encode(y="lo80:Q", y2="hi80:Q")
    line = base.mark_line().encode(
        y=alt.Y("forecast:Q", title="contacts per interval"),
        tooltip=["timestamp:T", "forecast:Q", "lo80:Q", "hi80:Q", "hi95:Q"],
    )
    days = week_days(data, week)
    special = days[days["special"]].assign(day=lambda f: pd.to_datetime(f["date"]))
    marks = (
        alt.Chart(special)
        .mark_rule(color="#e45756", strokeDash=[4, 3])
        .encode(x="day:T", tooltip=["date:N", "note:N"])
    )
    st.altair_chart(bands + line + marks, use_container_width=True)
    st.caption(
        "Shaded: 80% (dark) and 95% (light) prediction intervals. Red dashed lines: days the "
        "calendar marks (public holidays, eves, bridge days, events)."
    )
    for r in special.itertuples():
        st.markdown(f"- **{r.date:%a %d %b}**: {r.note}")
    st.subheader("How far to trust it")
    if st.button("Check accuracy (backtest on the last 4 weeks)"):
        st.session_state["backtest"] = True
    if st.session_state.get("backtest"):
        table = _backtest(_folder())
        pivot = table.pivot_table(index="channel", columns="model", values="wape")
        cover = table[table["model"] == "ours"].set_index("channel")
        out = pd.DataFrame(
            {
                "our error (WAPE)": pivot["ours"].map("{:.1%}".format),
                "same hour last week": pivot["seasonal_naive"].map("{:.1%}".format),
                "improvement": (1 - pivot["ours"] / pivot["seasonal_naive"]).map("{:.0%}".format),
                "inside 80% band": cover["coverage80"].map("{:.0%}".format),
                "inside 95% band": cover["coverage95"].map("{:.0%}".format),
            }
        )
        st.dataframe(out)
        st.caption(
            "Each of the last 4 weeks forecast from the history before it and compared with "
            "what happened. WAPE: total absolute error / total volume. A well-calibrated "
            "forecast has about 80% and 95% of the actual intervals inside its bands."
        )


def page_requirements() -> None:
    """Requirements: people needed per interval and role, with editable service targets."""
    data = _store()
    if data is None:
        return
    week = data.default_week()
    st.title("Staff needed")
    _edit_targets(data)
    data = _store()
    assert data is not None
    forecast = _week_forecast(week)
    if forecast is None:
        return
    req = compute_requirements(data, forecast, week)
    binding = (
        req.channels[req.channels["agents"] > 0]
        .sort_values("agents")
        .groupby(["timestamp", "role"])
        .agg(binding=("binding_target", "last"), channel=("channel", "last"))
        .reset_index()
    )
    roles = req.roles.merge(binding, on=["timestamp", "role"], how="left").assign(
        need=lambda f: f[["required", "post_minimum"]].max(axis=1),
        day=lambda f: f["timestamp"].dt.strftime("%a %d"),
        time=lambda f: f["timestamp"].dt.strftime("%H:%M"),
        binding=lambda f: f["binding"].fillna("fixed post"),
    )
    role = st.selectbox("Role", list(data.store.roles))
    one = roles[(roles["role"] == role) & (roles["need"] > 0)]
    heat = (
        alt.Chart(one)
        .mark_rect()
        .encode(
            x=alt.X("time:O", title=None),
            y=alt.Y("day:O", title=None, sort=None),
            color=alt.Color("need:Q", title="people"),
            tooltip=["day", "time", "need", "required", "post_minimum", "channel", "binding"],
        )
    )
    st.altair_chart(heat, use_container_width=True)
    st.metric(f"{role}: person-hours needed this week",
              f"{one['need'].sum() * data.store.interval_minutes / 60:,.1f}")  # fmt: skip
    st.caption("Hover a cell for the target that sets it (binding target).")


def _edit_targets(data: StoreData) -> None:
    """The service targets as an editable table; edits apply to every page at once."""
    channels = [c for c in data.store.channels if c.kind.value != "deferred"]
    table = pd.DataFrame(
        [
            {
                "channel": c.id,
                "service level (%)": None if c.service_level is None else c.service_level * 100,
                "answered within (s)": c.answer_within_seconds,
                "max average wait (s)": c.max_average_wait_seconds,
                "max abandonment (%)": None
                if c.max_abandon_rate is None
                else c.max_abandon_rate * 100,
            }
            for c in channels
        ]
    )
    st.subheader("Service targets")
    edited = st.data_editor(
        table,
        disabled=["channel"],
        hide_index=True,
        key="target_editor",
        column_config={
            "service level (%)": st.column_config.NumberColumn(min_value=1, max_value=99.9),
            "answered within (s)": st.column_config.NumberColumn(min_value=1, max_value=3600),
            "max average wait (s)": st.column_config.NumberColumn(min_value=1, max_value=3600),
            "max abandonment (%)": st.column_config.NumberColumn(min_value=0.1, max_value=50),
        },
    )
    overrides, problems = _target_changes(
        data, table, edited, dict(st.session_state.get("targets", {}))
    )
    for problem in problems:
        st.warning(problem)
    st.session_state["targets"] = overrides
    if overrides and st.button("Reset targets to the store's"):
        st.session_state["targets"] = {}
        st.session_state.pop("target_editor", None)
        st.rerun()


def _target_changes(
    data: StoreData,
    before: pd.DataFrame,
    after: pd.DataFrame,
    overrides: dict[str, dict[str, float | None]],
) -> tuple[dict[str, dict[str, float | None]], list[str]]:
    """Edited target rows as per-channel field overrides, and what was refused, in words."""
    problems: list[str] = []
    for row, was in zip(after.to_dict("records"), before.to_dict("records"), strict=True):
        if all((pd.isna(row[k]) and pd.isna(was[k])) or row[k] == was[k] for k in row):
            continue
        c = data.store.channel(str(row["channel"]))
        sl, ab, wait = (
            row["service level (%)"],
            row["max abandonment (%)"],
            row["max average wait (s)"],
        )
        within = row["answered within (s)"]
        change: dict[str, float | None] = {
            "service_level": None if pd.isna(sl) else float(sl) / 100,
            # an emptied cell keeps the channel's own threshold
            "answer_within_seconds": c.answer_within_seconds if pd.isna(within) else float(within),
            "max_average_wait_seconds": None if pd.isna(wait) else float(wait),
            "max_abandon_rate": None if pd.isna(ab) else float(ab) / 100,
        }
        limits = {  # as the table's columns allow: a browser is not the only way in
            "service level (%)": (1, 99.9), "answered within (s)": (1, 3600),
            "max average wait (s)": (1, 3600), "max abandonment (%)": (0.1, 50),
        }  # fmt: skip
        wrong = [
            f"{k} {row[k]:g} is outside {lo:g}-{hi:g}"
            for k, (lo, hi) in limits.items()
            if not pd.isna(row[k]) and not lo <= float(row[k]) <= hi
        ]
        if wrong:
            problems.append(f"{c.id}: {'; '.join(wrong)}; the edit was not applied.")
            continue
        if change["max_abandon_rate"] is not None and c.patience_seconds is None:
            problems.append(f"{c.id}: an abandonment target needs the channel's patience "
                            "(patience_seconds in store.toml); ignored.")  # fmt: skip
            change["max_abandon_rate"] = None
        targets = ("service_level", "max_average_wait_seconds", "max_abandon_rate")
        if all(change[k] is None for k in targets):
            problems.append(f"{c.id}: keep at least one target (service level, wait or "
                            "abandonment); the edit was not applied.")  # fmt: skip
            continue
        overrides[c.id] = overrides.get(c.id, {}) | change
    return overrides, problems


def main() -> None:
    """Route between the pages."""
    st.set_page_config(page_title="Peak-hour staffing", layout="wide")
    pages = [
        st.Page(page_roster, title="Roster", default=True),
        st.Page(page_adjust, title="Adjust"),
        st.Page(page_scenarios, title="Scenarios"),
        st.Page(page_forecast, title="Forecast"),
        st.Page(page_requirements, title="Requirements"),
        st.Page(page_store, title="Store and data"),
    ]
    st.navigation(pages).run()


if __name__ == "__main__":  # streamlit runs this file as __main__; tests import the pages
    main()
