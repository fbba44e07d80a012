"""``staffing tradeoff``: the analyst's cost-versus-service curve from the command line, the
same sweep as the app's Scenarios page; bad targets and a store without a service-level target
exit with status 2 and write nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.staffing.mini_store import STORE_TOML, write_mini_store
from tests.staffing.test_cli import run_cli


def test_the_curve_is_printed_and_written(tmp_path: Path) -> None:
    folder = write_mini_store(tmp_path / "store")
    out = tmp_path / "curve.csv"
    done = run_cli("tradeoff", str(folder), "--targets", "90, 70.5,90", "--time-limit", "1",
                   "--workers", "1", "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Mini Mart, week of " in done.stdout
    assert "cost against the phone service level (answered within 20 s)" in done.stdout
    assert "phone: answered within 20 s (target swept)" in done.stdout
    # what the gaps say: noise possible, or none when every point is proved optimal
    assert "note: Solver noise" in done.stdout or "note: Every roster here is proved" in done.stdout
    curve = pd.read_csv(out, encoding="utf-8-sig")
    assert curve["target"].tolist() == [0.705, 0.9]  # in order, the repeated 90 planned once
    assert "70.5%" in done.stdout  # as given, not rounded to "70%"
    # progress per point on stderr, in the order planned (each a solve)
    assert "  70.5% (1 of 2)...\n  90% (2 of 2)..." in done.stderr
    assert {"wage cost", "phone: service level", "understaffed person-hours"} <= set(curve)
    assert (curve["wage cost"] > 0).all()
    # one channel swept: the targeted service level is the phone's own
    assert curve["targeted service level"].tolist() == curve["phone: service level"].tolist()
    assert curve["phone: service level"].between(0, 1).all()


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        ("0", "expected percentages above 1 and below 100"),
        ("0.8", "(80 is 80%, not 0.8)"),  # a fraction, as store.toml has it, is not 0.8%
        ("100", "expected percentages above 1 and below 100"),  # nobody answers all in time
        ("80,abc", "expected percentages above 1 and below 100"),
        ("", "expected percentages above 1 and below 100"),
        ("nan", "expected percentages above 1 and below 100"),
        (",".join(str(v) for v in range(50, 71)), "expected at most 20 targets"),
    ],
)
def test_bad_targets_exit_2_and_write_nothing(tmp_path: Path, targets: str, expected: str) -> None:
    folder = write_mini_store(tmp_path / "store")
    out = tmp_path / "curve.csv"
    done = run_cli("tradeoff", str(folder), "--targets", targets, "--out", str(out))
    assert done.returncode == 2
    assert f"field '--targets': got '{targets[:20]}" in done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_a_traffic_problem_is_blamed_on_the_traffic_not_the_targets(tmp_path: Path) -> None:
    from tests.staffing.mini_store import traffic_csv

    huge = traffic_csv().replace(",phone,", ",phone,2000000")  # volumes too large to size
    folder = write_mini_store(tmp_path / "store", traffic_csv=huge)
    done = run_cli("tradeoff", str(folder), "--targets", "80", "--time-limit", "1",
                   "--workers", "1", "--out", str(tmp_path / "curve.csv"))  # fmt: skip
    assert done.returncode == 2
    assert "field '--targets'" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_store_without_a_service_level_target_is_named(tmp_path: Path) -> None:
    toml = STORE_TOML.replace("service_level = 0.8\nanswer_within_seconds = 20\n",
                              "max_average_wait_seconds = 60\n")  # fmt: skip
    folder = write_mini_store(tmp_path / "store", store_toml=toml)
    out = tmp_path / "curve.csv"
    done = run_cli("tradeoff", str(folder), "--out", str(out))
    assert done.returncode == 2
    assert "store.toml, field 'channels'" in done.stderr
    assert "no channel has a service-level target" in done.stderr
    assert not out.exists()
