"""The cost-versus-service sweep and solver noise in words: the tables and notes the app's
Scenarios page and the ``staffing tradeoff`` command show."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from staffing.kpis import service_level_meaning
from staffing.model import StoreData

__all__ = [
    "NO_BOUND",
    "SWEEP_TARGETS",
    "channel_label",
    "gap_text",
    "noise_note",
    "proved_gap",
    "sweep_channels",
    "sweep_table",
]

#: The service-level targets the sweep plans when none are given (fractions).
SWEEP_TARGETS = (0.7, 0.8, 0.9, 0.95)
#: How a missing optimality gap reads.
NO_BOUND = "no bound proved"


def channel_label(data: StoreData, channel: str) -> str:
    """``phone: answered within 20 s (target swept)``: what the channel's service level counts."""
    c = data.store.channel(channel)
    swept = " (target swept)" if c.service_level is not None else ""
    return f"{channel}: {service_level_meaning(c)}{swept}"


def sweep_channels(sweep: pd.DataFrame) -> list[str]:
    """The sweep's ``<channel>: service level`` columns, in its order."""
    return [c for c in sweep.columns if c.endswith(": service level")]


def sweep_table(data: StoreData, sweep: pd.DataFrame, label: str) -> pd.DataFrame:
    """The sweep as text: targets and service levels as percentages, every channel labelled
    with what its service level counts, a missing gap as "no bound proved"."""
    channels = sweep_channels(sweep)
    own = {c.service_level for c in data.store.channels if c.service_level is not None}
    table = pd.DataFrame(
        {
            "target": [  # as given: 80.4% and 80.1% are not both "80%"
                f"{round(100 * t, 4):g}%" + (" (the store's)" if own == {t} else "")
                for t in sweep["target"]
            ]
        }
    )
    table["wage cost"] = [f"{v:,.2f}" for v in sweep["wage cost"]]
    if sum(data.store.channel(c.split(":")[0]).service_level is not None for c in channels) > 1:
        table[label] = [f"{v:.1%}" for v in sweep["targeted service level"]]
    for col in channels:
        table[channel_label(data, col.split(":")[0])] = [f"{v:.1%}" for v in sweep[col]]
    table["understaffed person-hours"] = [f"{v:,.1f}" for v in sweep["understaffed person-hours"]]
    table["optimality gap"] = [gap_text(v) for v in sweep["optimality gap"]]
    return table


def proved_gap(value: object) -> float | None:
    """An optimality gap (fraction) as saved or swept, None when no bound was proved."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(value)


def gap_text(value: object) -> str:
    """An optimality gap as a percentage, or "no bound proved" (it was shown blank)."""
    gap = proved_gap(value)
    return NO_BOUND if gap is None else f"{gap:.1%}"


def noise_note(gaps: Iterable[object]) -> str:
    """What the optimality gaps shown say about solver noise, without inventing a figure."""
    values = [proved_gap(v) for v in gaps]
    proved = [v for v in values if v is not None]
    if values and len(proved) == len(values) and max(proved) < 5e-4:  # shown as 0.0%
        return (
            "Every roster here is proved optimal (gap 0.0%), so the differences come from "
            "the changes, not from solver noise."
        )
    note = (
        "Solver noise: each roster is the best the solver found in its time, so a re-run of "
        "the same week can differ. A difference smaller than the optimality gap"
    )
    note += f" (largest here {max(proved):.1%})" if proved else ""
    note += " may be noise rather than the change"
    if len(proved) < len(values):
        note += (
            f"; where the gap reads '{NO_BOUND}' the roster is a first one, and any difference "
            "may be noise (two 5-s runs of one plan on the 220-agent contact center differed by "
            "a third in cost)"
        )
    return note + ". More time per plan narrows it."
