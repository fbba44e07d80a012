"""History checks: every bad input gives its message; gaps, outages, aggregation, DST."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasts import Calendar, HistoryError, fit_forecast, observed_hours
from forecasts._history import prepare_history

ALWAYS = Calendar(country=None)


def _hourly(days: int = 28, start: str = "2024-01-01", value: float = 5.0) -> pd.DataFrame:
    stamps = pd.date_range(start, periods=days * 24, freq="h")
    return pd.DataFrame({"timestamp": stamps, "volume": value})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="volume"), "no 'volume' column"),
        (lambda f: f.drop(columns="timestamp"), "no 'timestamp' column"),
        (lambda f: f.iloc[:0], "history is empty"),
        (lambda f: f.assign(volume=f["volume"].where(f.index != 7, -3.0)), "row 7: volume -3.0"),
        (lambda f: f.assign(volume=f["volume"].where(f.index != 9, np.nan)), "row 9: volume nan"),
        (
            lambda f: f.assign(volume=f["volume"].astype(object).where(f.index != 4, "lots")),
            "row 4: volume 'lots'",
        ),
        (
            lambda f: f.assign(timestamp=f["timestamp"].astype(str).where(f.index != 5, "25:00")),
            "row 5: timestamp '25:00'",
        ),
        (
            lambda f: pd.concat([f, f.iloc[[3]]], ignore_index=True),
            "rows 3 and 672: duplicated timestamp 2024-01-01 03:00:00",
        ),
        # nothing to fit a level to: statsmodels had failed with a NaN deviance
        (lambda f: f.assign(volume=0.0), "channel 'all' has no contacts in its history"),
    ],
)
def test_bad_input_is_named(change, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(HistoryError, match=message.replace("(", r"\(")):
        fit_forecast(change(_hourly()), ALWAYS)


def test_interval_must_be_a_multiple_of_the_data_resolution() -> None:
    stamps = pd.date_range("2024-01-01", periods=24 * 3 * 21, freq="20min")
    frame = pd.DataFrame({"timestamp": stamps, "volume": 1.0})
    with pytest.raises(HistoryError, match="20-minute intervals; interval_minutes=30"):
        fit_forecast(frame, ALWAYS, interval_minutes=30)
    with pytest.raises(ValueError, match="interval_minutes=45"):
        fit_forecast(frame, ALWAYS, interval_minutes=45)


def test_fifteen_minute_rows_are_summed_into_hours() -> None:
    stamps = pd.date_range("2024-01-01", periods=4 * 24 * 14, freq="15min")
    frame = pd.DataFrame({"timestamp": stamps, "volume": np.arange(len(stamps)) % 4})
    channels, report = prepare_history(frame, ALWAYS, 60, ())
    assert np.all(channels[0].volume == 0 + 1 + 2 + 3)
    (rep,) = report.channels
    assert (rep.resolution_minutes, rep.interval_minutes, rep.rows) == (15, 60, len(frame))
    assert "summed into 60-min intervals" in report.messages()[0]


def test_gaps_are_missing_not_zero_and_reported() -> None:
    frame = _hourly()
    frame = frame[~frame["timestamp"].between("2024-01-10 09:00", "2024-01-10 11:00")]
    channels, report = prepare_history(frame, ALWAYS, 60, ())
    (gap,) = report.channels[0].gaps
    assert (gap.start, gap.end, gap.intervals) == (
        dt.datetime(2024, 1, 10, 9),
        dt.datetime(2024, 1, 10, 12),
        3,
    )
    assert np.isnan(channels[0].volume[9, 9:12]).all()
    assert not channels[0].usable[9]  # the incomplete day is not fitted
    assert "no data 2024-01-10 09:00 .. 2024-01-10 12:00" in report.messages()[0]


def test_rows_in_any_order_give_the_same_gaps() -> None:
    """The channel's first and last rows in time bound its gaps, not the file's first and last."""
    frame = _hourly()
    first_day = frame["timestamp"].dt.normalize() == frame["timestamp"].min().normalize()
    frame = frame[~(first_day & (frame["timestamp"].dt.hour < 12))]  # starts at noon
    _, ordered = prepare_history(frame, ALWAYS, 60, ())
    assert ordered.channels[0].gaps == ()
    early = frame["timestamp"].dt.hour == 3  # a 03:00 row of a later day comes first
    _, report = prepare_history(pd.concat([frame[early], frame[~early]]), ALWAYS, 60, ())
    assert report.channels[0].gaps == ()  # not "no data 03:00 .. 12:00" on the first day


def test_outage_day_is_detected_and_excluded() -> None:
    frame = _hourly(days=42)
    frame.loc[frame["timestamp"].dt.date == dt.date(2024, 1, 17), "volume"] = 0.0
    channels, report = prepare_history(frame, ALWAYS, 60, ())
    (outage,) = report.channels[0].outage_days
    assert outage.date == dt.date(2024, 1, 17)
    assert outage.volume == 0.0
    assert not channels[0].usable[16]
    assert "2024-01-17 looks like an outage" in report.messages()[0]


def test_missing_channel_column_means_one_channel_all() -> None:
    model = fit_forecast(_hourly(), ALWAYS)
    assert model.channels == ("all",)


def test_dst_days_with_23_and_25_hours_do_not_break_fitting() -> None:
    # Europe/London wall clock: 2024-03-31 has no 01:00; 2024-10-27 has 01:00 twice (written once
    # with the volume of both occurrences).
    frame = _hourly(days=7 * 40, start="2024-02-05")
    frame = frame[frame["timestamp"] != pd.Timestamp("2024-03-31 01:00")].copy()
    frame.loc[frame["timestamp"] == pd.Timestamp("2024-10-27 01:00"), "volume"] = 10.0
    model = fit_forecast(frame, ALWAYS)
    (gap,) = model.report.channels[0].gaps
    assert gap.start == dt.datetime(2024, 3, 31, 1)
    assert gap.intervals == 1
    out = model.forecast(dt.date(2024, 10, 27), 1)
    assert len(out) == 24
    assert np.isfinite(out["forecast"]).all()
    assert out["forecast"].sum() == pytest.approx(120.0, rel=0.1)


def _shop_and_mail(days: int = 28) -> pd.DataFrame:
    """E-mail around the clock; tills 09:00-17:00 Monday to Saturday (no rows otherwise)."""
    mail = _hourly(days).assign(channel="email")
    stamps = mail["timestamp"]
    open_ = (stamps.dt.hour >= 9) & (stamps.dt.hour < 17) & (stamps.dt.day_of_week < 6)
    tills = mail[open_].assign(channel="tills", volume=20.0)
    return pd.concat([mail, tills], ignore_index=True)


def test_observed_hours_from_rows() -> None:
    seen = observed_hours(_shop_and_mail(), 60)
    hours = seen.hours
    assert seen.always_open == ("email",)
    assert hours[0] == (dt.time(9, 0), dt.time(17, 0))
    assert hours[5] == (dt.time(9, 0), dt.time(17, 0))
    assert hours[6] is None  # Sunday: only e-mail


def test_observed_hours_make_a_shop_history_fit() -> None:
    frame = _shop_and_mail()
    # open 24 h, the tills' nights are hours their history never had: forecast 0, and said
    # (they had made every day incomplete: "no complete day to fit")
    always = fit_forecast(frame, ALWAYS, interval_minutes=60)
    assert "tills: open Monday 00:00-09:00, but the history has no rows then" in "\n".join(
        always.report.messages()
    )
    night = always.forecast(dt.date(2024, 1, 29), 1)
    night = night[night["channel"] == "tills"].set_index("timestamp")["forecast"]
    assert night.loc["2024-01-29 03:00"] == 0.0
    assert night.loc["2024-01-29 12:00"] == pytest.approx(20.0, rel=0.05)
    seen = observed_hours(frame, 60)
    calendar = Calendar(country=None, opening_hours=seen.hours)
    model = fit_forecast(
        frame, calendar, interval_minutes=60, always_open_channels=seen.always_open
    )
    out = model.forecast(dt.date(2024, 1, 29), 7)
    tills = out[out["channel"] == "tills"].set_index("timestamp")["forecast"]
    assert tills.loc["2024-01-29 12:00"] == pytest.approx(20.0, rel=0.05)
    assert tills.loc["2024-01-29 20:00"] == 0.0
    assert tills.loc["2024-02-04 12:00"] == 0.0  # Sunday


def test_the_hour_skipped_in_spring_is_closed_not_missing() -> None:
    """Europe/London skips 01:00-02:00 on 2024-03-31: no rows there is not a gap, and the
    forecast of a spring-forward day has nothing in that hour."""
    frame = _hourly(days=35, start="2024-03-04")
    frame = frame[frame["timestamp"] != pd.Timestamp("2024-03-31 01:00")]
    london = Calendar(country=None, timezone="Europe/London")
    _, report = prepare_history(frame, london, 60, ())
    assert report.channels[0].gaps == ()
    _, naive = prepare_history(frame, ALWAYS, 60, ())
    assert len(naive.channels[0].gaps) == 1  # without the zone it is a missing hour
    fc = fit_forecast(frame, london).forecast(dt.date(2025, 3, 30), 1)  # the next spring
    by_hour = fc.set_index("timestamp")["forecast"]
    assert by_hour.loc["2025-03-30 01:00"] == 0.0
    assert by_hour.loc["2025-03-30 02:00"] > 0.0


def test_hours_the_history_never_had_are_outside_it_not_gaps() -> None:
    """Reviewer's café (helper-44): the store now opens Saturdays until 18:00 where the history
    ends at 17:00. Every past Saturday had counted as incomplete, so Saturday (with its own
    level) was forecast at another day's; now the history's Saturdays are fitted on the hours
    they have, the new hour is forecast at 0 and said so, and a real gap is still a gap."""
    from tests.forecasts._synthetic import CALENDAR, HOURS, make_history

    history, _ = make_history(dt.date(2024, 1, 1), weeks=12, seed=5)
    later = Calendar(
        country="GB", subdivision="ENG", opening_hours=HOURS | {5: (dt.time(9), dt.time(18))}
    )
    week = dt.date(2024, 3, 25)  # the Monday after the history
    before = fit_forecast(history, CALENDAR).forecast(week, 7)
    model = fit_forecast(history, later)
    after = model.forecast(week, 7)
    sat = after["timestamp"].dt.day_of_week == 5
    old_sat = before["timestamp"].dt.day_of_week == 5
    # Saturday's own level and profile, and 0 in the hour the history never had
    new_hour = sat & (after["timestamp"].dt.hour == 17)
    assert (after.loc[new_hour, ["forecast", "hi95"]] == 0).all().all()
    assert after.loc[sat, "forecast"].sum() == pytest.approx(
        before.loc[old_sat, "forecast"].sum(), rel=1e-6
    )
    messages = model.report.messages()
    assert (
        "phone: open Saturday 17:00-18:00, but the history has no rows then on recent or most "
        "Saturdays: forecast 0 there (the day's contacts are spread over the hours the history "
        "has)"
    ) in messages
    assert not any("no data" in m for m in messages)  # not one gap a Saturday
    # a real gap (one Saturday's 12:00 missing) is still one
    gap = history["timestamp"] == pd.Timestamp("2024-03-16 12:00")
    assert gap.sum() == 1
    report = fit_forecast(history[~gap], later).report
    (channel,) = report.channels
    assert [(g.start, g.intervals) for g in channel.gaps] == [(dt.datetime(2024, 3, 16, 12), 1)]


def test_a_channel_running_shorter_hours_than_the_store_is_forecast_in_its_hours() -> None:
    """Reviewer's café: a phone answered 10:00-15:00 in a store open 08:00-20:00 had no
    'complete' day and could not be forecast at all (blamed on the week asked for)."""
    history, _ = make_history_hours(10, 15)
    model = fit_forecast(history, Calendar(country="GB", subdivision="ENG", opening_hours={
        d: (dt.time(8), dt.time(20)) for d in range(7)}))  # fmt: skip
    fc = model.forecast(dt.date(2024, 3, 25), 1)
    hours = fc["timestamp"].dt.hour
    assert fc.loc[(hours < 10) | (hours >= 15), "forecast"].eq(0).all()
    assert fc.loc[(hours >= 10) & (hours < 15), "forecast"].sum() > 50


def make_history_hours(first: int, end: int) -> tuple[pd.DataFrame, None]:
    """Twelve weeks of hourly rows of about 15 contacts from ``first`` to ``end`` o'clock."""
    rng = np.random.default_rng(2)
    stamps = pd.date_range("2024-01-01", periods=12 * 7 * 24, freq="h")
    stamps = stamps[(stamps.hour >= first) & (stamps.hour < end)]
    return pd.DataFrame({"timestamp": stamps, "volume": rng.poisson(15, len(stamps))}), None


def test_observed_hours_pass_over_weeks_without_rows() -> None:
    """Review helper-45: four weeks missing from the history's last eight made every week day
    'closed' (their dates without rows counted as closed days), and the forecast failed."""
    frame = _shop_and_mail(days=84)
    stamps = frame["timestamp"]
    gap = (stamps >= "2024-02-19") & (stamps < "2024-03-18")  # four whole weeks of the tills:
    gap &= frame["channel"] == "tills"  # e-mail, around the clock, goes on (review helper-46)
    seen = observed_hours(frame[~gap], 60)
    assert seen.hours[0] == (dt.time(9, 0), dt.time(17, 0))
    assert seen.hours[5] == (dt.time(9, 0), dt.time(17, 0))
    assert seen.hours[6] is None
    assert seen.first == dt.date(2024, 1, 1)  # eight weeks with rows: one after the gap, 7 before
    assert "weeks without rows passed over" in seen.describe()[0]
    calendar = Calendar(country=None, opening_hours=seen.hours)
    model = fit_forecast(
        frame[~gap], calendar, interval_minutes=60, always_open_channels=seen.always_open
    )
    out = model.forecast(dt.date(2024, 3, 25), 1)
    tills = out[out["channel"] == "tills"].set_index("timestamp")["forecast"]
    assert tills.loc["2024-03-25 12:00"] == pytest.approx(20.0, rel=0.05)


def test_hours_with_rows_on_recent_days_stay_open_and_their_misses_stay_gaps() -> None:
    """Review helper-46: the rule had taken an interval out of a week day's hours once it was
    missing on most of its days. An hour the store added five weeks ago (rows on the last 5
    of 12 Saturdays) was forecast at 0 and its rows ignored, and a feed that lost Monday's
    lunch hour on 7 of 12 Mondays had the lunch peak forecast at 0."""
    from tests.forecasts._synthetic import CALENDAR, HOURS, make_history

    history, _ = make_history(dt.date(2024, 1, 1), weeks=12, seed=5)
    stamps = history["timestamp"]
    saturdays = sorted(stamps[stamps.dt.day_of_week == 5].dt.normalize().unique())[-5:]
    added = pd.DataFrame(
        {"timestamp": [s + pd.Timedelta(hours=17) for s in saturdays], "channel": "phone",
         "volume": 40}
    )  # fmt: skip
    later = Calendar(
        country="GB", subdivision="ENG", opening_hours=HOURS | {5: (dt.time(9), dt.time(18))}
    )
    model = fit_forecast(pd.concat([history, added], ignore_index=True), later)
    fc = model.forecast(dt.date(2024, 3, 25), 7).set_index("timestamp")["forecast"]
    assert fc.loc["2024-03-30 17:00"] == pytest.approx(40, rel=0.1)
    assert model.report.channels[0].volume_outside_hours == 0
    assert model.report.channels[0].unseen_hours == ()
    # Monday 12:00 lost on 7 of 12 Mondays, the latest among those kept: gaps, not closed
    mondays = sorted(stamps[stamps.dt.day_of_week == 0].dt.normalize().unique())
    lost = {m + pd.Timedelta(hours=12) for m in mondays[:6] + mondays[-1:]}
    faulty = history[~stamps.isin(lost)]
    fc = fit_forecast(faulty, CALENDAR).forecast(dt.date(2024, 3, 25), 1)
    fc = fc.set_index("timestamp")["forecast"]
    assert fc.loc["2024-03-25 12:00"] > fc.loc["2024-03-25 11:00"]  # the lunch peak is there
