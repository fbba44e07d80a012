"""Property tests draw the same examples on every run and machine (tests/conftest.py)."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.skipif(
    os.environ.get("HYPOTHESIS_PROFILE", "deterministic") != "deterministic",
    reason="another Hypothesis profile was chosen on purpose",
)


def test_the_deterministic_profile_is_loaded_by_default() -> None:
    active = settings()
    assert active.derandomize is True
    assert active.database is None  # a local database would replay other examples first
    assert active.deadline is None
    assert active.print_blob is True


def test_two_runs_of_a_property_draw_the_same_examples() -> None:
    drawn: list[list[tuple[int, str]]] = []

    @settings(max_examples=25)
    @given(st.integers(), st.text())
    def prop(n: int, s: str) -> None:
        drawn[-1].append((n, s))

    for _ in range(2):
        drawn.append([])
        prop()
    assert len(drawn[0]) > 1
    assert drawn[0] == drawn[1]
