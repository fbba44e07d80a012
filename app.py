"""Streamlit front end: a router over pages that call the ``staffing`` library.

Run with ``streamlit run app.py`` (``make run``). It opens on the sample store; the store folder
can be changed with the ``STAFFING_STORE`` environment variable. Caching lives here only.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

import solver
from staffing.errors import InputError
from staffing.exports import to_csv_bytes, to_xlsx_bytes
from staffing.forecasting import forecast_week
from staffing.loader import load_store, unpack_store
from staffing.model import AvailabilityKind, AvailabilityRule, StoreData
from staffing.persistence import Repository
from staffing.pipeline import PlanSettings, WeekPlan, roster_week
from staffing.requirements import compute_requirements
from staffing.scenarios import Scenario, compare, plan_scenario, tradeoff

DEFAULT_STORE = Path(__file__).resolve().parent / "sample_data" / "store"


@st.cache_resource(show_spinner="Loading the store...")
def _load(folder: str) -> StoreData:
    return load_store(folder)


@st.cache_data(show_spinner="Forecasting the week...")
def _forecast(folder: str, week: dt.date) -> pd.DataFrame:
    return forecast_week(_load(folder), week)[0]


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
    try:
        target = unpack_store(
            ((f.name, f.getvalue()) for f in files), Path(tempfile.mkdtemp(prefix="store-"))
        )
        load_store(target)
    except InputError as exc:
        st.error("The uploaded store has problems:")
        for problem in exc.problems:
            st.markdown(f"- {problem}")
        return
    st.session_state["store_folder"] = str(target)
    st.session_state.pop("plan", None)
    st.success("Store loaded: every page now uses it.")


def _store() -> StoreData | None:
    try:
        return _load(_folder())
    except InputError as exc:
        st.error("The store folder has problems:")
        for problem in exc.problems:
            st.markdown(f"- {problem}")
        return None


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
    limit = st.slider("Solver time limit (seconds)", 5, 60, 8)
    if st.button("Generate roster", type="primary"):
        with st.spinner("Forecasting, sizing and rostering the week..."):
            start = week if isinstance(week, dt.date) else data.default_week()
            forecast = _forecast(_folder(), start)  # cached: shared with the forecast page
            st.session_state["plan"] = roster_week(
                data,
                start,
                forecast,
                compute_requirements(data, forecast, start),
                PlanSettings(time_limit_seconds=float(limit)),
            )
    plan = _plan()
    if plan is None:
        st.info("Press **Generate roster** to plan the week.")
        return
    k = plan.kpis
    cur = data.store.costs.currency
    cols = st.columns(4)
    cols[0].metric("Wage cost", f"{k.wage_cost:,.0f} {cur}")
    cols[1].metric("Paid hours", f"{k.paid_hours:,.1f}")
    cols[2].metric("Understaffed person-hours", f"{k.understaffed_person_hours:,.1f}")
    cols[3].metric("Optimality gap", f"{k.gap:.1%}")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "channel": c.channel,
                    "service level": f"{c.service_level:.1%}",
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
    st.altair_chart(chart, use_container_width=True)
    short = plan.shortfall_lines()
    st.subheader(f"Shortfalls ({len(short)})")
    st.write("\n".join(f"- {s}" for s in short[:40]) or "None: every interval is covered.")
    for v in plan.violations:
        st.error(v.message)
    st.subheader("Publish")
    if st.button("Publish this roster"):
        repo = Repository()
        try:
            saved = repo.save_roster(
                store=data.store.name,
                week=plan.week_start,
                label=f"{plan.roster.status}, {k.wage_cost:,.0f} {cur}",
                status=plan.roster.status,
                roster=plan.roster_rows,
                hours=plan.hours,
                kpis=k.as_dict(),
            )
            pub = repo.publish(saved.id)
        finally:
            repo.close()
        st.success(f"Published week of {pub.week:%d %b %Y} as version {pub.version}.")
    repo = Repository()
    try:
        published = repo.publications(data.store.name)
    finally:
        repo.close()
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
    st.subheader("Hours per employee")
    st.dataframe(plan.hours, hide_index=True)


def page_adjust() -> None:
    """Adjust: lock shifts, mark people absent, re-solve with as few changes as possible."""
    data = _store()
    plan = _plan()
    st.title("Adjust the roster")
    if data is None or plan is None:
        st.info("Generate a roster first (Roster page).")
        return
    rows = plan.roster_rows.copy()
    rows.insert(0, "lock", False)
    edited = st.data_editor(
        rows[["lock", "employee_id", "name", "date", "start", "end", "role"]],
        disabled=["employee_id", "name", "date", "start", "end", "role"],
        hide_index=True,
        key="locks",
    )
    names = {e.name: e.id for e in data.employees}
    days = [plan.week_start + dt.timedelta(days=d) for d in range(plan.problem.days)]
    c1, c2 = st.columns(2)
    who = c1.selectbox("Absent employee", ["(nobody)", *names])
    when = c2.multiselect("Absent on", days, format_func=lambda d: f"{d:%a %d %b}")
    if st.button("Re-solve with minimal change"):
        absent = []
        if who != "(nobody)":
            absent = [
                AvailabilityRule(employee_id=names[who], date=d, kind=AvailabilityKind.UNAVAILABLE)
                for d in when
            ]
        changed = replace(data, availability=data.availability + tuple(absent))
        locked = tuple(_lock(plan, r) for r in edited[edited["lock"]].itertuples(index=False))
        with st.spinner("Re-solving..."):
            new = roster_week(
                changed, plan.week_start, plan.forecast, plan.requirements,
                PlanSettings(time_limit_seconds=8.0), locked=locked, published=plan.roster,
            )  # fmt: skip
        moved = new.roster.penalty("changes") / max(new.problem.weights.change, 1e-9)
        st.session_state["plan"] = new
        st.success(f"Re-solved: {moved:.0f} employee-days changed; status {new.roster.status}.")
        for conflict in new.roster.conflicts:
            st.warning(conflict)
        for v in new.violations:
            st.error(v.message)


def _lock(plan: WeekPlan, row: object) -> solver.LockedShift:
    """A roster row (local date-times) as a locked shift on the solver's slot grid."""
    minutes = plan.problem.slot_minutes
    origin = dt.datetime.combine(plan.week_start, dt.time())
    start = dt.datetime.fromisoformat(str(row.start))  # type: ignore[attr-defined]
    end = dt.datetime.fromisoformat(str(row.end))  # type: ignore[attr-defined]
    return solver.LockedShift(
        employee_id=str(row.employee_id),  # type: ignore[attr-defined]
        day=(start.date() - plan.week_start).days,
        start_slot=int((start - origin).total_seconds() // 60 // minutes),
        end_slot=int((end - origin).total_seconds() // 60 // minutes),
        role=str(row.role),  # type: ignore[attr-defined]
    )


def page_scenarios() -> None:
    """Scenarios: what-if variants planned with the same pipeline and compared side by side."""
    data = _store()
    if data is None:
        return
    st.title("What-if scenarios")
    week = data.default_week()
    forecast = _forecast(_folder(), week)
    runs: dict[str, WeekPlan] = st.session_state.setdefault("scenarios", {})
    with st.form("scenario"):
        name = st.text_input("Scenario name", "+10% traffic")
        c1, c2, c3 = st.columns(3)
        traffic = c1.number_input("Traffic change (%)", -50, 200, 10)
        target = c2.number_input("Service level target (%)", 50, 99, 80)
        wages = c3.number_input("Wage change (%)", -50, 100, 0)
        c4, c5 = st.columns(2)
        gone = c4.multiselect("Leave out employees", [e.id for e in data.employees])
        longest = c5.number_input(
            "Longest shift (hours)", 4.0, 12.0, float(data.store.rules.max_shift_hours)
        )
        limit = st.slider("Solver time limit per scenario (seconds)", 3, 30, 5)
        if st.form_submit_button("Run scenario"):
            scenario = Scenario(
                name=name, traffic_factor=1 + traffic / 100, service_level=target / 100,
                wage_factor=1 + wages / 100, remove_employees=tuple(gone),
                max_shift_hours=float(longest),
            )  # fmt: skip
            with st.spinner(f"Planning '{name}'..."):
                runs[name] = plan_scenario(
                    data, week, scenario, PlanSettings(time_limit_seconds=float(limit)), forecast
                )
    if runs:
        st.subheader("Side by side")
        st.dataframe(compare(runs))
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


def page_forecast() -> None:
    """Forecast: next week's traffic per channel with 80% and 95% bands."""
    data = _store()
    if data is None:
        return
    week = data.default_week()
    st.title(f"Traffic forecast, week of {week:%d %b %Y}")
    frame = _forecast(_folder(), week)
    channel = st.selectbox("Channel", [c.id for c in data.store.channels])
    one = frame[frame["channel"] == channel]
    base = alt.Chart(one).encode(x=alt.X("timestamp:T", title=None))
    bands = base.mark_area(opacity=0.2).encode(y="lo95:Q", y2="hi95:Q") + base.mark_area(
        opacity=0.35
    ).encode(y="lo80:Q", y2="hi80:Q")
    line = base.mark_line().encode(
        y=alt.Y("forecast:Q", title="contacts per interval"),
        tooltip=["timestamp:T", "forecast:Q", "lo80:Q", "hi80:Q"],
    )
    st.altair_chart(bands + line, use_container_width=True)
    st.caption("Shaded: 80% (dark) and 95% (light) prediction intervals.")
    events = [
        e for e in data.events if e.end_date >= week and e.start_date <= week + dt.timedelta(6)
    ]
    for e in events:
        st.markdown(f"- **{e.name}** ({e.kind}): {e.start_date} to {e.end_date}")


def page_requirements() -> None:
    """Requirements: people needed per interval and role as a day x time heat map."""
    data = _store()
    if data is None:
        return
    week = data.default_week()
    st.title("Staff needed")
    req = compute_requirements(data, _forecast(_folder(), week), week)
    roles = req.roles.assign(
        need=lambda f: f[["required", "post_minimum"]].max(axis=1),
        day=lambda f: f["timestamp"].dt.strftime("%a %d"),
        time=lambda f: f["timestamp"].dt.strftime("%H:%M"),
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
            tooltip=["day", "time", "need", "required", "post_minimum"],
        )
    )
    st.altair_chart(heat, use_container_width=True)
    ch = req.channels[req.channels["role"] == role]
    if not ch.empty:
        st.subheader("Binding targets")
        st.dataframe(
            ch[ch["agents"] > 0].groupby(["channel", "binding_target"]).size().rename("intervals"),
        )


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
