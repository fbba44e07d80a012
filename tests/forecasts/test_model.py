"""The fitted model on synthetic traffic with known rates: day types, intraday shape,
closed hours, prediction intervals, parameters, and the backtest against seasonal naive.

The history (tests/forecasts/_synthetic.py) is open Mon-Fri 08-20 with a lunch peak at
12:00-13:00 and a smaller one at 17:00-18:00, Saturday 09-17 peaking at 14:00-15:00, Sunday
closed, English bank holidays at 30% of a normal day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasts import (
    FORECAST,
    FORECAST_COLUMNS,
    HI80,
    HI95,
    LO80,
    LO95,
    NB_ALPHA,
    BacktestResult,
    ForecastModel,
    HistoryError,
    backtest,
    fit_forecast,
)
from forecasts._backtest import MODELS
from tests.forecasts._synthetic import CALENDAR, HOLIDAY_FACTOR, make_history

#: Forecast start: Monday 2024-05-06 is the Early May bank holiday; 2024-05-13 a normal Monday.
START = dt.date(2024, 5, 6)


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    peaks = {"phone": 40.0, "chat": 4.0}
    frame, _ = make_history(dt.date(2023, 3, 6), weeks=61, seed=3, peaks=peaks)
    return frame


@pytest.fixture(scope="module")
def model(history: pd.DataFrame) -> ForecastModel:
    return fit_forecast(history, CALENDAR)


@pytest.fixture(scope="module")
def forecast(model: ForecastModel) -> pd.DataFrame:
    fc = model.forecast(START, 14)
    fc["date"] = fc["timestamp"].dt.date
    fc["hour"] = fc["timestamp"].dt.hour
    return fc


def _day(fc: pd.DataFrame, channel: str, date: dt.date) -> pd.DataFrame:
    return fc[(fc["channel"] == channel) & (fc["date"] == date)].set_index("hour")


def test_history_reaches_the_forecast_start(history: pd.DataFrame) -> None:
    assert history["timestamp"].max() < pd.Timestamp(START)
    assert history["timestamp"].max() > pd.Timestamp(START) - pd.Timedelta(days=3)


def test_frame_contract(forecast: pd.DataFrame, model: ForecastModel) -> None:
    assert list(forecast.columns[: len(FORECAST_COLUMNS) + 1]) == [*FORECAST_COLUMNS, NB_ALPHA]
    assert model.channels == ("chat", "phone")
    assert len(forecast) == 2 * 14 * 24
    assert (forecast[LO95] <= forecast[LO80]).all()
    assert (forecast[LO80] <= forecast[HI80]).all()
    assert (forecast[HI80] <= forecast[HI95]).all()


def test_holiday_is_forecast_below_the_same_week_day(forecast: pd.DataFrame) -> None:
    holiday = _day(forecast, "phone", START)[FORECAST].sum()
    normal = _day(forecast, "phone", START + dt.timedelta(days=7))[FORECAST].sum()
    # truth: 30% of a normal Monday; the model has seen eight bank holidays
    assert holiday / normal == pytest.approx(HOLIDAY_FACTOR, abs=0.12)


def test_lunch_peak_is_at_noon_on_week_days_and_afternoon_on_saturday(
    forecast: pd.DataFrame,
) -> None:
    for offset in range(7, 12):  # Mon 13 May .. Fri 17 May
        day = _day(forecast, "phone", START + dt.timedelta(days=offset))
        assert int(day[FORECAST].idxmax()) == 12
        evening = day.loc[15:19, FORECAST]
        assert int(evening.idxmax()) == 17  # the second, smaller peak
    saturday = _day(forecast, "phone", START + dt.timedelta(days=12))
    assert int(saturday[FORECAST].idxmax()) == 14


def test_closed_hours_are_zero_in_every_column(forecast: pd.DataFrame) -> None:
    values = [FORECAST, LO80, HI80, LO95, HI95, NB_ALPHA]
    sunday = forecast[forecast["timestamp"].dt.day_of_week == 6]
    assert len(sunday) == 2 * 2 * 24
    assert (sunday[values] == 0).all().all()
    weekday = forecast[forecast["timestamp"].dt.day_of_week < 5]
    night = weekday[(weekday["hour"] < 8) | (weekday["hour"] >= 20)]
    assert (night[values] == 0).all().all()
    saturday = forecast[forecast["timestamp"].dt.day_of_week == 5]
    shut = saturday[(saturday["hour"] < 9) | (saturday["hour"] >= 17)]
    assert (shut[values] == 0).all().all()
    opened = weekday[(weekday["hour"] >= 8) & (weekday["hour"] < 20)]
    assert (opened[FORECAST] > 0).all()


def test_intervals_widen_with_volume(forecast: pd.DataFrame) -> None:
    day = _day(forecast, "phone", START + dt.timedelta(days=8))
    day = day[day[FORECAST] > 0].sort_values(FORECAST)
    width80 = (day[HI80] - day[LO80]).to_numpy()
    width95 = (day[HI95] - day[LO95]).to_numpy()
    # the quantiles are whole contacts: allow one contact of rounding between neighbours
    assert np.all(np.diff(width80) >= -1)
    assert width80[-1] > 1.5 * width80[0]
    sd = np.sqrt(day[FORECAST] + day[NB_ALPHA] * day[FORECAST] ** 2).to_numpy()
    assert np.all(np.diff(sd) > 0)
    assert np.all(width95 >= width80)
    # a channel with a tenth of the volume has narrower intervals, wider relative to its mean
    chat = _day(forecast, "chat", START + dt.timedelta(days=8)).loc[12]
    phone = day.loc[12]
    assert chat[HI80] - chat[LO80] < phone[HI80] - phone[LO80]
    assert (chat[HI80] - chat[LO80]) / chat[FORECAST] > (phone[HI80] - phone[LO80]) / phone[
        FORECAST
    ]


def test_forecast_needs_at_least_one_day(model: ForecastModel) -> None:
    with pytest.raises(ValueError, match="days=0 must be at least 1"):
        model.forecast(START, 0)


def test_params_and_summary(model: ForecastModel) -> None:
    params = model.params
    assert list(params.columns) == ["channel", "term", "estimate", "std_error"]
    assert set(params["channel"]) == {"chat", "phone"}
    phone = params[params["channel"] == "phone"].set_index("term")
    for term in ("day[dow0]", "day[holiday]", "dispersion[day]", "dispersion[interval]"):
        assert term in phone.index
    # the holiday's offset from its parent week day is a strong reduction with a standard error
    assert phone.loc["day[holiday]", "std_error"] > 0
    assert phone.loc["profile half-life[weeks]", "estimate"] > 0
    assert np.isnan(phone.loc["dispersion[day]", "std_error"])
    text = model.summary()
    assert "channel phone" in text
    assert "channel chat" in text
    assert "day[holiday]" in text


@pytest.fixture(scope="module")
def backtested(history: pd.DataFrame) -> BacktestResult:
    phone = history[history["channel"] == "phone"]
    return backtest(phone, CALENDAR, origins=3)


def test_backtest_structure(backtested: BacktestResult) -> None:
    assert len(backtested.origins) == 3
    assert backtested.horizon_days == 7
    assert list(backtested.table["model"]) == list(MODELS)
    assert set(backtested.by_segment["segment"]) == {"normal", "holiday", "peak"}
    pred = backtested.predictions
    assert {"origin", "actual", "segment", "peak", *MODELS, LO80, HI95} <= set(pred.columns)
    assert (pred["actual"].notna()).all()
    assert "Backtest: 3 origins" in backtested.to_text()
    ours = backtested.table.set_index("model").loc["ours"]
    assert 0.6 <= ours["coverage80"] <= 0.95
    assert 0.8 <= ours["coverage95"] <= 1.0


def test_backtest_beats_seasonal_naive(backtested: BacktestResult) -> None:
    wape = backtested.table.set_index("model")["wape"]
    assert wape["ours"] < 0.85 * wape["seasonal_naive"]
    assert wape["ours"] < wape["mstl_ets"]


def test_backtest_needs_four_weeks_before_the_first_origin(history: pd.DataFrame) -> None:
    with pytest.raises(HistoryError, match="more than four weeks"):
        backtest(history, CALENDAR, origin_dates=[dt.date(2023, 3, 20)])


def test_bands_hold_the_forecast_even_below_one_contact() -> None:
    """A quiet channel (a peak of 0.3 contacts an hour) has means below one contact, whose
    whole-number quantiles are 0: the bands still hold the forecast."""
    frame, _ = make_history(dt.date(2023, 3, 6), weeks=20, seed=5, peaks={"fax": 0.3})
    fc = fit_forecast(frame, CALENDAR).forecast(START, 7)
    assert (fc["forecast"] > 0).any()
    assert (fc["forecast"] < 1).any()
    order = fc[["lo95", "lo80", "forecast", "hi80", "hi95"]].to_numpy()
    assert (np.diff(order, axis=1) >= 0).all()


def test_bands_are_calibrated_per_quarter_of_the_expected_volume() -> None:
    """One multiplier for the whole day held 94% of the sample store's quietest e-mail
    intervals in its 80% band and 77% of its busiest: busy intervals err more than the
    in-sample dispersion says. Here the busiest half errs with four times the dispersion."""
    from forecasts.model import SCALE_GROUPS, _between, _coverage, _scale, group_scales

    rng = np.random.default_rng(0)
    volumes = [10.0, 15.0, 40.0, 60.0]  # counts large enough to cover 80% closely
    m = np.repeat(volumes, 1000)
    true = np.where(m > 20, 0.2, 0.05)
    y = rng.negative_binomial(1 / true, 1 / (1 + true * m)).astype(float)
    a = np.full(len(m), 0.05)
    centres, s80, s95 = group_scales(m, y, a)
    assert centres == tuple(volumes)
    assert len(s80) == len(s95) == SCALE_GROUPS
    for v in volumes:  # at each group's centre its own multiplier holds 80% / 95%
        mine = m == v
        k80 = _between(centres, s80, np.array([v]))[0]
        k95 = _between(centres, s95, np.array([v]))[0]
        assert _coverage(y[mine], m[mine], k80 * a[mine], 0.10) == pytest.approx(0.80, abs=0.03)
        assert _coverage(y[mine], m[mine], k95 * a[mine], 0.025) == pytest.approx(0.95, abs=0.02)
    assert s80[-1] > 2 * s80[0]
    one = _scale(y, m, a, 0.80)  # a single multiplier: too wide when quiet, too narrow when busy
    busy = m > 20
    assert _coverage(y[busy], m[busy], one * a[busy], 0.10) < 0.75
    assert _coverage(y[~busy], m[~busy], one * a[~busy], 0.10) > 0.85
    # between centres the multiplier moves smoothly: no step where a group ends
    grid = np.linspace(10.0, 60.0, 501)
    steps = np.abs(np.diff(np.log(_between(centres, s80, grid))))
    assert steps.max() < 0.02


def test_few_held_out_intervals_keep_one_multiplier() -> None:
    from forecasts.model import SCALE_MIN_PER_GROUP, group_scales

    m = np.full(SCALE_MIN_PER_GROUP + 10, 5.0)
    centres, s80, _ = group_scales(m, m.copy(), np.full(len(m), 0.1))
    assert centres == ()
    assert len(s80) == 1
