"""Roster page: generate the week and see who works when, coverage and KPIs."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import altair as alt
import pandas as pd
import streamlit as st

from staffing.errors import InputError
from staffing.exports import to_csv_bytes, to_xlsx_bytes
from staffing.kpis import service_level_meaning
from staffing.model import ChannelKind, StoreData
from staffing.persistence import Publication, SavedRoster
from staffing.pipeline import PlanSettings, WeekPlan, reopen_week, roster_week
from staffing.requirements import compute_requirements
from ui.common import _duration, _plan, _problems, _save_plan, _saved_work, _store, _week_forecast


def page_roster() -> None:
    """Roster: generate the week and see who works when, coverage and KPIs."""
    data = _store()
    if data is None:
        return
    st.title("Weekly roster")
    week = st.date_input("Week starting", value=data.default_week())
    # Kept under a key of its own: Streamlit drops a widget's key on pages that do not show
    # it, and the Adjust page's re-solves use this limit too.
    chosen = int(st.session_state.get("solve_seconds", 8))
    limit = st.slider("Solver time limit (seconds)", 5, 60, chosen)
    st.session_state["solve_seconds"] = limit
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
                    "queue growth over the week": (
                        f"{c.backlog_growth:+,.0f}"
                        if plan.data.store.channel(c.channel).kind == ChannelKind.DEFERRED
                        else ""
                    ),
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
