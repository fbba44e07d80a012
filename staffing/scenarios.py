"""What-if scenarios: derive a variant of the store, plan it, and compare plans side by side.

A :class:`Scenario` is pure data; :meth:`Scenario.apply` returns a new :class:`StoreData`
(``dataclasses.replace``, nothing is mutated) and :meth:`Scenario.apply_to_forecast` scales the
forecast, so a scenario is planned with the same pipeline as the real week.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from staffing.columns import FORECAST, HI80, HI95, LO80, LO95
from staffing.kpis import service_level_meaning
from staffing.model import ChannelKind, Event, StoreData
from staffing.pipeline import PlanSettings, WeekPlan, roster_week
from staffing.requirements import Requirements, compute_requirements

__all__ = [
    "Scenario",
    "compare",
    "plan_scenario",
    "scenario_seconds",
    "swept_service_level",
    "tradeoff",
]


#: Teams of more than this many people get a minute per scenario plan (:func:`scenario_seconds`).
LARGE_TEAM = 100
_LARGE_TEAM_SECONDS = 60.0

#: The fairness rows of :func:`compare` (days).
WEEKEND_ROW = "weekend days beyond each person's first (weekend contracts excluded)"
CLOSING_ROW = "most closing shifts for one person"


@dataclass(frozen=True, kw_only=True, slots=True)
class Scenario:
    """A named variant of the current store.

    Attributes
    ----------
    name : str
        The scenario's name (its column in :func:`compare`).
    traffic_factor : float
        Multiplies every forecast volume (1.1 = +10% traffic).
    service_level : float, optional
        Replaces the service-level target of every channel that has one (e.g. 0.9 for 90/20).
    answer_within_seconds : float, optional
        Replaces the service-level threshold of those channels, seconds.
    max_average_wait_seconds : float, optional
        Replaces the maximum average wait of every channel that has one, seconds.
    remove_employees : tuple of str
        Employee ids left out (e.g. two fewer part-timers).
    min_shift_hours, max_shift_hours : float, optional
        Replace the shortest and the longest shift, hours (6-hour shifts: both 6; the longest
        alone at 6 allows any length from the store's shortest up to 6).
    wage_factor : float
        Multiplies every hourly cost.
    extra_event : Event, optional
        An event added to the store's calendar (a promotion, a closure, a school vacation); the
        week is then forecast again, so the event's learned effect on traffic is planned for.

    Raises
    ------
    ValueError
        When ``traffic_factor`` or ``wage_factor`` is not a finite number of 0 or more.
    """

    name: str
    traffic_factor: float = 1.0
    service_level: float | None = None
    answer_within_seconds: float | None = None
    max_average_wait_seconds: float | None = None
    remove_employees: tuple[str, ...] = ()
    min_shift_hours: float | None = None
    max_shift_hours: float | None = None
    wage_factor: float = 1.0
    extra_event: Event | None = None

    def __post_init__(self) -> None:
        for name in ("traffic_factor", "wage_factor"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(
                    f"scenario '{self.name}': {name} {value!r}, expected a factor of 0 or more "
                    "(1.1 = +10%)"
                )

    def apply(self, data: StoreData) -> StoreData:
        """The store as this scenario sees it.

        Parameters
        ----------
        data : StoreData
            The current store; it is not changed.

        Returns
        -------
        StoreData
            A new store with the channels' targets, the shift length rules and the hourly
            costs replaced, the employees left out (with their availability) removed and
            ``extra_event`` added to the events.

        Raises
        ------
        ValueError
            Naming an employee to leave out who is not in the store (a typo would have compared
            a team that was never changed); when the shortest allowed shift becomes longer than
            the longest, or leaves no shift length on the planning grid (the shortest rounds up
            to whole intervals, the longest down, as the roster does); or naming a channel
            whose replaced target is out of range (a service level outside (0, 1], a number of
            seconds not above 0).
        """
        unknown = sorted(set(self.remove_employees) - {e.id for e in data.employees})
        if unknown:
            raise ValueError(
                f"scenario '{self.name}': no employee {', '.join(unknown)} to leave out; "
                "expected ids from employees.csv"
            )
        store = data.store
        channels = []
        for c in store.channels:
            changes: dict[str, float] = {}
            if self.service_level is not None and c.service_level is not None:
                changes["service_level"] = self.service_level
            if self.answer_within_seconds is not None and c.service_level is not None:
                changes["answer_within_seconds"] = self.answer_within_seconds
            if self.max_average_wait_seconds is not None and c.max_average_wait_seconds:
                changes["max_average_wait_seconds"] = self.max_average_wait_seconds
            channels.append(replace(c, **changes))  # type: ignore[arg-type]
        rules = store.rules
        if self.min_shift_hours is not None:
            rules = replace(rules, min_shift_hours=self.min_shift_hours)
        if self.max_shift_hours is not None:
            rules = replace(rules, max_shift_hours=self.max_shift_hours)
        if rules.min_shift_hours > rules.max_shift_hours:  # no shift at all: an empty "roster"
            raise ValueError(
                f"scenario '{self.name}': the longest shift ({rules.max_shift_hours:g} h) is "
                f"shorter than the shortest allowed ({rules.min_shift_hours:g} h); change one "
                "of them"
            )
        slot = store.interval_minutes  # as rostering rounds them: shortest up, longest down
        shortest = math.ceil(rules.min_shift_hours * 60 / slot - 1e-9) * slot
        if shortest > int(rules.max_shift_hours * 60 // slot) * slot:
            raise ValueError(
                f"scenario '{self.name}': no shift length from {rules.min_shift_hours:g} h to "
                f"{rules.max_shift_hours:g} h is a whole number of {slot}-minute intervals; "
                f"make the longest at least {shortest / 60:g} h"
            )
        employees = tuple(
            replace(e, hourly_cost=e.hourly_cost * self.wage_factor)
            for e in data.employees
            if e.id not in self.remove_employees
        )
        kept = {e.id for e in employees}
        return replace(
            data,
            store=replace(store, channels=tuple(channels), rules=rules),
            employees=employees,
            availability=tuple(a for a in data.availability if a.employee_id in kept),
            events=data.events + ((self.extra_event,) if self.extra_event else ()),
        )

    def as_dict(self) -> dict[str, object]:
        """Plain values (dates as ISO text) for saving the scenario.

        Returns
        -------
        dict of str to object
            Every field by name; ``extra_event`` as a dict of its fields as text.
        """
        out = asdict(self)
        if self.extra_event is not None:
            out["extra_event"] = {k: str(v) for k, v in asdict(self.extra_event).items()}
        return out

    def apply_to_forecast(self, forecast: pd.DataFrame) -> pd.DataFrame:
        """The forecast with every volume column scaled by ``traffic_factor``.

        Parameters
        ----------
        forecast : DataFrame
            A forecast frame (contacts per planning interval); it is not changed.

        Returns
        -------
        DataFrame
            A copy with ``forecast`` and the 80%/95% bounds that are present multiplied.
        """
        out = forecast.copy()
        for col in (FORECAST, LO80, HI80, LO95, HI95):
            if col in out:
                out[col] = out[col] * self.traffic_factor
        return out


def plan_scenario(
    data: StoreData,
    week: dt.date,
    scenario: Scenario,
    settings: PlanSettings,
    forecast: pd.DataFrame | None = None,
    notes: tuple[str, ...] = (),
) -> WeekPlan:
    """Plan the week under ``scenario``.

    Parameters
    ----------
    data : StoreData
        The current store.
    week : datetime.date
        First planned day (local date).
    scenario : Scenario
        The variant to plan.
    settings : PlanSettings
        Days to plan, what to staff to and the solver's settings.
    forecast : DataFrame, optional
        The base week's forecast (contacts per planning interval), refitted when not given,
        and always refitted when the scenario adds an event (the event changes the forecast
        itself).
    notes : tuple of str
        The notes of ``forecast`` (:func:`~staffing.forecasting.forecast_notes`), kept on the
        plan; a refitted forecast's own notes replace them.

    Returns
    -------
    WeekPlan
        The week planned for the variant store, with the scaled forecast.

    Raises
    ------
    ValueError
        From :meth:`Scenario.apply`; or when no head-count meets a channel's targets (see
        :func:`~staffing.pipeline.plan_week`).
    HistoryError
        When the forecast is refitted and the history cannot be fitted.
    InputError
        When the scaled forecast is too large to size (see
        :func:`~staffing.pipeline.plan_week`).
    """
    # statsmodels loads only when forecasting
    from staffing.forecasting import forecast_notes, forecast_week

    variant = scenario.apply(data)
    if scenario.extra_event is not None or forecast is None:
        base, model = forecast_week(variant, week, settings.days)
        notes = forecast_notes(variant, week, model)
    else:
        base = forecast
    fc = scenario.apply_to_forecast(base)
    req = compute_requirements(variant, fc, week, days=settings.days, staff_to=settings.staff_to)
    return roster_week(variant, week, fc, req, settings, notes=notes)


def scenario_seconds(data: StoreData) -> float:
    """The solver time limit per scenario plan that the app and ``staffing compare`` start from.

    Parameters
    ----------
    data : StoreData
        The store.

    Returns
    -------
    float
        Seconds: the plan's usual limit (:class:`~staffing.pipeline.PlanSettings`), or a minute
        for teams of more than :data:`LARGE_TEAM` people, whose first rosters alone differ by
        tens of percent (two 5-s runs of one contact-center plan differed by a third in cost),
        which would drown the differences between scenarios.
    """
    if len(data.employees) > LARGE_TEAM:
        return _LARGE_TEAM_SECONDS
    return PlanSettings().time_limit_seconds


def compare(plans: Mapping[str, WeekPlan]) -> pd.DataFrame:
    """One column per scenario: cost, hours, service per channel, understaffing, fairness.

    Parameters
    ----------
    plans : mapping of str to WeekPlan
        Planned weeks by scenario name.

    Returns
    -------
    DataFrame
        One column per name, one row per figure: solver status, wage cost (currency units),
        paid hours, understaffed person-hours and interval-hours (hours), the fairness
        figures (days: weekend days beyond each person's first, weekend-only contracts
        excluded, which the solver prices; and the most closing shifts one person works, which
        it does not; see :class:`~staffing.kpis.Kpis`), optimality gap (fraction, None when no
        bound was proved), and per channel its service level (fraction), what it counts
        (``answered within 20 s``: a scenario may change the threshold), its average wait
        (seconds), for calls with a patience their abandonment (fraction; other channels are
        not modelled to abandon), and for deferred work the growth of its queue over the week
        (contacts; see :class:`~staffing.kpis.ChannelKpi`).
    """
    columns = {}
    for name, plan in plans.items():
        k = plan.kpis
        col: dict[str, object] = {
            "solver status": k.status,  # "no_solution" or "rules_conflict" explain a cost
            "wage cost": round(k.wage_cost, 2),
            "paid hours": k.paid_hours,
            "understaffed person-hours": k.understaffed_person_hours,
            "understaffed interval-hours": k.understaffed_interval_hours,
            WEEKEND_ROW: k.weekend_days_beyond_first,
            CLOSING_ROW: k.most_closing_shifts,
            "optimality gap": None if k.proved_gap is None else round(k.proved_gap, 4),
        }
        for c in k.channels:
            channel = plan.data.store.channel(c.channel)
            col[f"{c.channel}: service level"] = c.service_level
            # a scenario may move the threshold (90/20, a longer walk-in wait): the same row
            # then counts against another one, which the table must say
            col[f"{c.channel}: service level counts"] = service_level_meaning(channel)
            col[f"{c.channel}: average wait (s)"] = c.average_wait_seconds
            if channel.kind == ChannelKind.CALLS and channel.patience_seconds:
                # only calls with a patience abandon (Erlang A): elsewhere 0 would be assumed
                col[f"{c.channel}: abandonment"] = c.abandon_rate
            if channel.kind == ChannelKind.DEFERRED:
                col[f"{c.channel}: queue growth over the week"] = c.backlog_growth
        columns[name] = col
    return pd.DataFrame(columns)


def swept_service_level(data: StoreData) -> str:
    """What the sweep's ``targeted service level`` counts, in words.

    Parameters
    ----------
    data : StoreData
        The store.

    Returns
    -------
    str
        ``phone service level (answered within 20 s)`` for one channel with a service-level
        target; for several, their ids, ``volume-weighted`` and each one's threshold.

    Raises
    ------
    ValueError
        When no channel has a service-level target (a sweep would change nothing).
    """
    swept = [c for c in data.store.channels if c.service_level is not None]
    if not swept:
        raise ValueError(
            f"{data.store.name}: no channel has a service-level target, so a sweep of service "
            "targets would plan the same week at every point; set service_level on a channel"
        )
    if len(swept) == 1:
        return f"{swept[0].id} service level ({service_level_meaning(swept[0])})"
    ids = " + ".join(c.id for c in swept)
    each = "; ".join(f"{c.id} {service_level_meaning(c)}" for c in swept)
    return f"{ids} service level (volume-weighted; {each})"


def tradeoff(
    data: StoreData,
    week: dt.date,
    targets: Sequence[float],
    settings: PlanSettings,
    forecast: pd.DataFrame | None = None,
    on_point: Callable[[int, float], None] | None = None,
) -> pd.DataFrame:
    """Cost against service over a sweep of service-level targets.

    The targets replace those of the channels with a service-level target (see
    :func:`swept_service_level`); ``targeted service level`` is their volume-weighted service
    level. The other channels, held to a wait or abandonment target or a response deadline,
    are planned as before, but share people with the swept ones: their own service level per
    point (``<channel>: service level``) shows what a stricter target costs them (on the
    sample store, from the phone's 70% to its 95%, e-mail handled in time fell from 49% to
    4.5% and tills from 58% to 52%). A target whose
    sizing is the previous one's (another target binds) reuses its roster, so equal problems
    give equal points; each point's optimality gap says how far solver noise may move it, and
    a point without a proved bound may move by any small amount: give each point the store's
    usual solve time (``settings.time_limit_seconds``; at 4 s a point, the sample store's own
    80% target cost 1.9% less, with 10% fewer understaffed hours, than the same week planned
    as a scenario).

    Parameters
    ----------
    data : StoreData
        The current store.
    week : datetime.date
        First planned day (local date).
    targets : sequence of float
        Service-level targets, fractions in (0, 1], planned in this order.
    settings : PlanSettings
        Days to plan, what to staff to and the solver's settings (per point).
    forecast : DataFrame, optional
        The week's forecast (contacts per planning interval); fitted when not given.
    on_point : callable, optional
        Called with each point's position (0-based) and target before it is planned (a
        sweep takes one solve per target).

    Returns
    -------
    DataFrame
        One row per target: ``target``, ``wage cost`` (currency units), ``targeted service
        level`` (fraction), ``<channel>: service level`` for every channel (fraction, each by
        its own measure: :func:`~staffing.kpis.service_level_meaning`), ``understaffed
        person-hours`` (hours) and ``optimality gap`` (fraction, None when no bound was
        proved).

    Raises
    ------
    ValueError
        When no channel has a service-level target; a target outside (0, 1] (naming the
        channel); or one no head-count meets.
    HistoryError
        When ``forecast`` is None and the history cannot be fitted.
    InputError
        When the forecast is too large to size (see :func:`~staffing.pipeline.plan_week`).
    """
    from staffing.forecasting import forecast_week  # statsmodels loads only when forecasting

    swept_service_level(data)  # refuses a store without a service-level target
    base = forecast if forecast is not None else forecast_week(data, week, settings.days)[0]
    targeted = {c.id for c in data.store.channels if c.service_level is not None}
    rows = []
    last: tuple[Requirements, WeekPlan] | None = None
    for position, target in enumerate(targets):
        if on_point is not None:
            on_point(position, target)
        scenario = Scenario(name=f"{target:.0%}", service_level=target)
        variant = scenario.apply(data)
        req = compute_requirements(
            variant, base, week, days=settings.days, staff_to=settings.staff_to
        )
        if last is not None and _same_needs(last[0], req):
            plan = last[1]  # another target binds (e.g. abandonment): the same week to staff
        else:
            plan = roster_week(variant, week, base, req, settings)
        last = (req, plan)
        k = plan.kpis
        swept = [c for c in k.channels if c.channel in targeted]
        volume = sum(c.volume for c in swept) or 1.0
        row: dict[str, object] = {
            "target": target,
            "wage cost": k.wage_cost,
            "targeted service level": sum(c.service_level * c.volume for c in swept) / volume,
        }
        row.update({f"{c.channel}: service level": c.service_level for c in k.channels})
        row["understaffed person-hours"] = k.understaffed_person_hours
        row["optimality gap"] = None if k.proved_gap is None else round(k.proved_gap, 4)
        rows.append(row)
    return pd.DataFrame(rows)


def _same_needs(a: Requirements, b: Requirements) -> bool:
    """Whether two sizings ask the solver for the same week (people and shortfall prices)."""
    x, y = a.needs, b.needs
    parts = (
        (x.required, y.required),
        (x.minimum, y.minimum),
        (x.shortfall_costs, y.shortfall_costs),
    )
    return all(
        p.keys() == q.keys() and all(np.array_equal(p[k], q[k]) for k in p) for p, q in parts
    )
