"""KPIs judge a roster by the rules that sized it: deadlines in open time, posts as minimums."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from staffing.channel_staffing import staff_deferred
from staffing.kpis import evaluate_channel
from staffing.loader import load_store
from staffing.model import Channel, ChannelKind
from staffing.pipeline import PlanSettings, plan_week
from tests.staffing.mini_store import STORE_TOML, write_mini_store

EMAIL = Channel(
    id="email", name="E-mail", kind=ChannelKind.DEFERRED, role="advisor", aht_seconds=600,
    response_hours=10,
)  # fmt: skip


def _open_8_to_22(days: int) -> np.ndarray:
    return np.array([8 <= h % 24 < 22 for h in range(24 * days)])


def test_email_staffed_as_sized_is_answered_in_time() -> None:
    """An e-mail of 21:00 at a store closing at 22:00 is due the next morning (open time), and
    the last evening's are next week's: at the sized staffing, nothing counts as late."""
    is_open = _open_8_to_22(3)
    volume = np.full(is_open.size, 6.0)  # around the clock
    sized = staff_deferred(volume, 3600, 600, response_hours=10, open_mask=is_open)
    m = evaluate_channel(EMAIL, volume, sized.agents, 60, is_open)
    known = ~np.isnan(m["service_level"])
    assert m["service_level"][known] == pytest.approx(1.0)
    assert np.isnan(m["service_level"][-1])  # 23:00 on the last day: due on the fourth day
    assert m["counted"][-1] == 0
    assert known[21]  # the first evening's 21:00 e-mails are known and in time
    # one person fewer at every open hour: some are late, and the KPI says so
    fewer = evaluate_channel(EMAIL, volume, np.maximum(sized.agents - 1, 0), 60, is_open)
    assert np.nanmin(fewer["service_level"]) < 1.0
    assert sized.service_level[known] == pytest.approx(1.0)  # requirements.csv's view agrees


@pytest.mark.slow
def test_a_post_of_a_channel_role_serves_that_channel(tmp_path: Path) -> None:
    """A post is a minimum head-count (as in sizing and the solver): the advisors at it answer
    the phone too, so the phone's KPI is judged at every advisor on duty."""
    toml = STORE_TOML.replace(
        "[rules]", '[[posts]]\nrole = "advisor"\nname = "advice desk"\nmin_staff = 1\n\n[rules]'
    )
    data = load_store(write_mini_store(tmp_path, store_toml=toml))
    plan = plan_week(data, data.default_week(), PlanSettings(time_limit_seconds=3, workers=1))
    phone = next(c for c in data.store.channels if c.id == "phone")
    cov = plan.coverage[plan.coverage["role"] == "advisor"].set_index("timestamp")
    req = plan.requirements.channels
    volume = req[req["channel"] == "phone"].set_index("timestamp")["volume"]
    volume = volume.reindex(cov.index).fillna(0).to_numpy(float)
    m = evaluate_channel(phone, volume, cov["on_duty"].to_numpy(float), 60)
    expected = float(np.sum(volume * m["service_level"]) / volume.sum())
    kpi = next(c for c in plan.kpis.channels if c.channel == "phone")
    assert kpi.service_level == pytest.approx(expected, abs=1e-4)
    assert (cov["on_duty"] >= 1).any()  # the desk is staffed: the check is not vacuous
