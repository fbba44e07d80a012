"""Finding the time for a training in a roster (:mod:`staffing.training`): every window where the
attendees are on duty outside their breaks is found, its figures agree with the week's KPIs
recomputed with the attendees taken off the floor, posts come first, and the days with no
window say why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from staffing.columns import ROLE, TIMESTAMP
from staffing.kpis import compute_kpis
from staffing.loader import load_store
from staffing.pipeline import PlanSettings, WeekPlan, plan_week
from staffing.training import find_training_time
from tests.staffing.mini_store import write_mini_store

WEEK = dt.date(2026, 11, 23)
#: The search evaluates the window's day alone, the KPIs the whole week: the carried queues'
#: state spaces are sized to the traffic evaluated (a day of the mini store's tills differs by
#: 0.14 contacts at most), within the service levels' rounding to 4 decimals.
TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> WeekPlan:
    folder = write_mini_store(tmp_path_factory.mktemp("training") / "store")
    return plan_week(load_store(folder), WEEK, PlanSettings(time_limit_seconds=3, workers=1))


def _on_duty(plan: WeekPlan, who: str, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether ``who`` works through ``[start, end)`` outside their break (from the rows)."""
    rows = plan.roster_rows[plan.roster_rows["employee_id"] == who]
    for _, r in rows.iterrows():
        s, e = dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"])
        clear = True
        if r["break_start"]:
            bs = dt.datetime.fromisoformat(r["break_start"])
            be = dt.datetime.fromisoformat(r["break_end"])
            clear = be <= start or bs >= end
        if s <= start and end <= e and clear:
            return True
    return False


def _without(plan: WeekPlan, roles: dict[str, int], start: dt.datetime, end: dt.datetime):
    """The week's KPIs with ``roles`` (role -> people) taken off the floor in ``[start, end)``,
    through the KPIs' own whole-week path."""
    cov = plan.coverage.copy()
    when = (cov[TIMESTAMP] >= pd.Timestamp(start)) & (cov[TIMESTAMP] < pd.Timestamp(end))
    for role, k in roles.items():
        cov.loc[when & (cov[ROLE] == role), "on_duty"] -= k
    need = cov[["required", "post_minimum"]].max(axis=1)
    cov["short"] = (need - cov["on_duty"]).clip(lower=0)
    return compute_kpis(plan.data, plan.requirements, cov, plan.roster_rows, plan.roster), cov


def _role_of(plan: WeekPlan, who: str, start: dt.datetime) -> str:
    rows = plan.roster_rows[
        (plan.roster_rows["employee_id"] == who)
        & (plan.roster_rows["start"] <= f"{start:%Y-%m-%dT%H:%M}")
        & (plan.roster_rows["end"] > f"{start:%Y-%m-%dT%H:%M}")
    ]
    return str(rows["role"].iloc[0])


def test_every_window_with_the_attendee_on_duty_outside_breaks_is_found(plan: WeekPlan) -> None:
    who = str(plan.roster_rows["employee_id"].value_counts().index[0])  # works most days
    found = find_training_time(plan, [who], 120, best=200)
    starts = {o.start for o in found.options}
    assert found.fitting == len(found.options) > 0
    # brute force over the week's hours (the mini store plans by the hour)
    expected = {
        dt.datetime.combine(WEEK, dt.time()) + dt.timedelta(hours=h)
        for h in range(7 * 24)
        if _on_duty(
            plan,
            who,
            dt.datetime.combine(WEEK, dt.time()) + dt.timedelta(hours=h),
            dt.datetime.combine(WEEK, dt.time()) + dt.timedelta(hours=h + 2),
        )
    }
    assert starts == expected
    assert all(o.end - o.start == dt.timedelta(hours=2) for o in found.options)


def test_figures_agree_with_the_weeks_kpis_without_the_attendees(plan: WeekPlan) -> None:
    """Service levels, contacts answered late and understaffed hours, against the KPIs computed
    over the whole week with the attendees off the floor (the search evaluates one day)."""
    people = plan.roster_rows["employee_id"].value_counts().index[:2].tolist()
    found = find_training_time(plan, people, 120, best=4)
    assert found.options
    base = {c.channel: c for c in plan.kpis.channels}
    hours = plan.data.store.interval_minutes / 60
    for o in found.options:
        roles: dict[str, int] = {}
        for who in people:
            role = _role_of(plan, who, o.start)
            roles[role] = roles.get(role, 0) + 1
        after, cov = _without(plan, roles, o.start, o.end)
        now = {c.channel: c for c in after.channels}
        late, slack = 0.0, 0.05  # the KPIs' service levels are rounded to 4 decimals
        for channel, was, then in o.service:
            assert was == base[channel].service_level
            assert then == pytest.approx(now[channel].service_level, abs=TOLERANCE)
            late += (was - then) * base[channel].volume
            slack += TOLERANCE * base[channel].volume
        assert o.late_contacts == pytest.approx(late, abs=slack)
        extra = (cov["short"].sum() - plan.coverage["short"].sum()) * hours
        assert o.extra_short_hours == pytest.approx(extra)
        below = (cov["post_minimum"] - cov["on_duty"]).clip(lower=0).sum() - (
            plan.coverage["post_minimum"] - plan.coverage["on_duty"]
        ).clip(lower=0).sum()
        assert o.post_hours == pytest.approx(below * hours)
    ranks = [(o.post_hours, o.late_contacts, o.extra_short_hours, o.start) for o in found.options]
    assert ranks == sorted(ranks)


def test_taking_the_only_supervisor_on_duty_counts_against_the_post(plan: WeekPlan) -> None:
    """A window where the attendee is the one supervisor on duty leaves the post empty: its
    hours are below the post's minimum, and such windows come after any that keep the post."""
    rows = plan.roster_rows[plan.roster_rows["role"] == "supervisor"]
    who = str(rows["employee_id"].value_counts().index[0])
    found = find_training_time(plan, [who], 60, best=500)
    cov = plan.coverage[plan.coverage[ROLE] == "supervisor"].set_index(TIMESTAMP)
    seen_post = False
    for o in found.options:
        alone = cov.loc[pd.Timestamp(o.start), "on_duty"] == 1
        if _role_of(plan, who, o.start) == "supervisor" and alone:
            assert o.post_hours == 1.0
            seen_post = True
        else:
            assert o.post_hours == 0.0
            assert not seen_post  # keeping the post ranks first
    assert seen_post


def test_a_day_without_a_window_says_who_is_off(plan: WeekPlan) -> None:
    names = {e.id: e.name for e in plan.data.employees}
    worked = plan.roster_rows.groupby("employee_id")["date"].apply(set)
    who = next(e for e in names if e in worked and len(worked[e]) < 6)
    off = min(
        WEEK + dt.timedelta(days=k)
        for k in range(7)
        if str(WEEK + dt.timedelta(days=k)) not in worked[who]
    )
    found = find_training_time(plan, [who], 60, days={off})
    assert found.options == ()
    assert found.fitting == 0
    assert found.blocked == (f"{off:%a %d %b}: {names[who]} is off",)


def test_a_stretch_longer_than_any_shift_is_blocked_as_such(plan: WeekPlan) -> None:
    who = str(plan.roster_rows["employee_id"].iloc[0])
    day = dt.date.fromisoformat(str(plan.roster_rows["date"].iloc[0]))
    found = find_training_time(plan, [who], 9 * 60, days={day})
    assert found.blocked == (f"{day:%a %d %b}: the shift holds no 9 h on duty outside its break",)


def test_the_frame_lists_each_window_with_its_channels(plan: WeekPlan) -> None:
    who = str(plan.roster_rows["employee_id"].value_counts().index[0])
    found = find_training_time(plan, [who], 120, best=3)
    frame = found.to_frame()
    assert len(frame) == len(found.options)
    first = found.options[0]
    assert frame.loc[0, "when"] == f"{first.start:%a %d %b %H:%M}-{first.end:%H:%M}"
    for channel, was, now in first.service:
        assert frame.loc[0, f"{channel} service level"] == f"{was:.1%} -> {now:.1%}"


@pytest.mark.parametrize(
    ("attendees", "minutes", "message"),
    [
        ([], 60, "expected employee ids"),
        (["NOBODY"], 60, "'NOBODY'"),
        (["E1", "E1"], 60, "each once"),
        (["E1"], 90, "multiple of 60 minutes"),
        (["E1"], 0, "multiple of 60 minutes"),
    ],
)
def test_bad_requests_are_refused(
    plan: WeekPlan, attendees: list[str], minutes: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        find_training_time(plan, attendees, minutes)


def test_the_roster_is_left_as_it_is(plan: WeekPlan) -> None:
    coverage, rows = plan.coverage.copy(), plan.roster_rows.copy()
    who = str(rows["employee_id"].iloc[0])
    assert find_training_time(plan, [who], 60).options
    assert plan.coverage.equals(coverage)
    assert plan.roster_rows.equals(rows)


def test_each_attendee_counts_in_the_role_of_their_shift(plan: WeekPlan) -> None:
    """Someone with two roles is taken off the role their shift has that day: the channels
    shown are that role's (none for a post without channels)."""
    shown = 0
    for who in plan.roster_rows["employee_id"].unique():
        for o in find_training_time(plan, [str(who)], 60, best=100).options:
            role = _role_of(plan, str(who), o.start)
            channels = {c.id for c in plan.data.store.channels if c.role == role}
            assert {c for c, _, _ in o.service} == channels
            shown += 1
    assert shown > 20


def test_a_closed_day_says_the_store_is_closed(plan: WeekPlan) -> None:
    """The mini store is closed on Sundays: the reason had named the attendees as off."""
    sunday = WEEK + dt.timedelta(days=6)
    found = find_training_time(plan, ["E1", "E2"], 60, days={sunday})
    assert found.blocked == (f"{sunday:%a %d %b}: the store is closed",)


def test_a_post_without_channels_leaves_the_service_cells_blank(plan: WeekPlan) -> None:
    """A window in a supervisor shift has no channel: its cells were NaN beside a cashier's."""
    rows = plan.roster_rows
    sup = str(rows.loc[rows["role"] == "supervisor", "employee_id"].iloc[0])
    frame = find_training_time(plan, [sup], 60, best=500).to_frame()
    assert not frame.isna().any().any()


_NAMES = {"E1": "Ann Archer", "E2": "Ben Baker"}


def _row(who: str, start: str, end: str, role: str, pause: tuple[str, str] | None = None) -> dict:
    return {
        "employee_id": who, "name": _NAMES[who], "date": start[:10], "start": start, "end": end,
        "role": role, "break_start": pause[0] if pause else "",
        "break_end": pause[1] if pause else "", "break_minutes": 30 if pause else 0,
        "paid_hours": 0.0, "cost": 0.0,
    }  # fmt: skip


def test_shifts_across_midnight_on_a_15_minute_grid(tmp_path: Path) -> None:
    """A store open around the clock on a 15-minute grid: windows run across midnight inside
    both night shifts and outside both breaks, and a day reached only by a shift from the
    evening before does not call its attendee off (review helper-46)."""
    from staffing.forecasting import forecast_week
    from staffing.pipeline import reopen_week
    from tests.staffing.mini_store import STORE_TOML

    toml = STORE_TOML.replace("interval_minutes = 60", "interval_minutes = 15")
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday"):
        toml = toml.replace(f'{day} = "09:00-17:00"', f'{day} = "00:00-24:00"')
    lines = ["timestamp,channel,volume"]
    stamps = pd.date_range("2026-09-28", "2026-11-22 23:45", freq="15min")
    for k, t in enumerate(stamps[stamps.day_of_week != 6]):
        lines += [f"{t},tills,{3 + k % 3}", f"{t},phone,{1 + k % 2}"]
    data = load_store(
        write_mini_store(tmp_path / "s", store_toml=toml, traffic_csv="\n".join(lines) + "\n")
    )
    rows = pd.DataFrame([
        _row("E1", "2026-11-23T20:00", "2026-11-24T04:00", "cashier",
             ("2026-11-23T23:00", "2026-11-23T23:30")),
        _row("E2", "2026-11-23T21:15", "2026-11-24T05:15", "cashier",
             ("2026-11-24T01:00", "2026-11-24T01:30")),
    ])  # fmt: skip
    night = reopen_week(data, WEEK, rows, forecast_week(data, WEEK, 7)[0])
    found = find_training_time(night, ["E1", "E2"], 90, best=100)
    starts = [o.start for o in found.options]
    # together from 21:15, outside 23:00-23:30 and 01:00-01:30, until 04:00: 21:15-23:00 and
    # 23:30-01:00 hold 90 minutes (21:15, 21:30 and 23:30), 01:30-04:00 holds 21:30..02:30
    day = dt.datetime(2026, 11, 23)
    expected = {day + dt.timedelta(hours=21, minutes=m) for m in (15, 30)}
    expected |= {day + dt.timedelta(hours=23, minutes=30)}
    expected |= {day + dt.timedelta(hours=25, minutes=30 + 15 * k) for k in range(5)}
    assert set(starts) == expected
    assert all(o.end - o.start == dt.timedelta(minutes=90) for o in found.options)
    tuesday = dt.date(2026, 11, 24)
    alone = find_training_time(night, ["E1"], 300, days={tuesday})
    assert alone.blocked == (
        f"{tuesday:%a %d %b}: the shift holds no 5 h on duty outside its break",
    )
