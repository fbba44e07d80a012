"""The ``staffing`` command line: a thin layer over the library calls the app uses too.

Bad input prints the problems (file, line, field, value, expected) without a traceback and exits
with status 2, as do a database of saved work that cannot be read (``STAFFING_DB``) and output
that cannot be written.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import sys
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from staffing.errors import InputError, Problem, StorageError
from staffing.model import DEFAULT_ANSWER_WITHIN_SECONDS, DEFAULT_SHRINKAGE

__all__ = ["app", "main"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Forecast customer traffic, size staff per interval and roster the week.",
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])

#: The store folder argument of the commands that read one.
_StoreDir = Annotated[Path, typer.Argument(help="Store folder (see docs/store_format.md).")]

#: The largest offered load ``staffing erlang`` sizes (Erlangs): about 10 s of search; ten times
#: more had run for minutes without a word.
_ERLANG_MAX_LOAD = 100_000
#: The week and version options of the commands that read saved work (``export``, ``repair``).
_PublishedWeek = Annotated[
    str | None,
    typer.Option(help="First day YYYY-MM-DD (default: the latest week published)."),
]
_Version = Annotated[
    int | None,
    typer.Option(
        help="A saved version's number (vN in the app) instead of the week's published one."
    ),
]
#: ``repair``'s ``--shift`` and ``--absent`` values.
_SHIFT = re.compile(r"([^:\s]+):(\d{4}-\d{2}-\d{2})\s+(\d{2}:\d{2})-(\d{2}:\d{2})(?:\s+(\S+))?")
_ABSENT = re.compile(r"([^:\s]+):(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?")
#: The longest training ``staffing training`` looks for, minutes (the app offers up to 8 h; no
#: shift is longer than a day).
_LONGEST_TRAINING_MINUTES = 24 * 60
#: The ``--interval`` of ``forecast`` and ``backtest`` when none is given, minutes.
_HISTORY_INTERVAL_MINUTES = 60


def _friendly(func: F) -> F:
    """Turn input errors into a clear message on stderr and exit status 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            typer.echo(f"error: invalid input\n{exc}", err=True)
            raise typer.Exit(2) from None
        except StorageError as exc:
            typer.echo(f"error: saved work cannot be read\n{exc}", err=True)
            raise typer.Exit(2) from None
        except OSError as exc:  # an output file or folder that cannot be written
            where = f"{exc.filename}: " if exc.filename else ""
            typer.echo(f"error: cannot write {where}{exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError.single(
            "command line", "a date YYYY-MM-DD", field=option, value=text
        ) from None
    from staffing.loader import FIRST_YEAR, LAST_YEAR  # as traffic.csv's timestamps

    if not FIRST_YEAR <= day.year <= LAST_YEAR:  # 9999-12-31 overflowed a week later
        raise InputError.single(
            "command line", f"a date YYYY-MM-DD in the years {FIRST_YEAR}-{LAST_YEAR}",
            field=option, value=text,
        )  # fmt: skip
    return day


def _check_out_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError.single(
            "command line", "a folder for the files (this is a file)", field="--out", value=out
        )


def _check_solver_options(time_limit: float, workers: int) -> None:
    if not 1 <= time_limit < math.inf:  # NaN too
        raise InputError.single(
            "command line",
            "finite seconds, at least 1",
            field="--time-limit",
            value=str(time_limit),
        )
    if workers < 1:
        raise InputError.single(
            "command line", "a number of threads, at least 1", field="--workers", value=str(workers)
        )


@contextmanager
def _forecastable(data: Any, start: dt.date) -> Iterator[None]:
    """A week the history cannot forecast (one on or before its first day, say) as a problem
    with ``--week``."""
    from staffing.forecasting import HistoryError  # statsmodels loads only when forecasting

    try:
        yield
    except HistoryError as exc:
        stamps = data.traffic["timestamp"]
        raise InputError.single(
            "command line",
            f"a week the history before it can forecast ({exc}); the history runs "
            f"{stamps.min():%Y-%m-%d} .. {stamps.max():%Y-%m-%d}",
            field="--week",
            value=start.isoformat(),
        ) from None


@app.command()
@_friendly
def plan(
    store_dir: _StoreDir,
    week: Annotated[
        str | None,
        typer.Option(help="First day YYYY-MM-DD (default: the Monday after the history)."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for the output files.")] = Path("out"),
    time_limit: Annotated[
        float,
        typer.Option(
            help="Solver time limit, seconds (at least 1). Building the model and completing "
            "the first roster can add a few seconds to short limits."
        ),
    ] = 10.0,
    workers: Annotated[int, typer.Option(help="Solver worker threads (at least 1).")] = 2,
    staff_to: Annotated[
        str, typer.Option(help="Size staff to the forecast, or its upper bound hi80/hi95.")
    ] = "forecast",
) -> None:
    """Forecast -> requirements -> roster for one week; writes five files to OUT."""
    from staffing.loader import load_store
    from staffing.pipeline import PlanSettings, plan_week, write_plan

    data = load_store(store_dir)
    for warning in data.warnings:
        typer.echo(f"warning: {warning}", err=True)
    start = _date(week, "--week") or data.default_week()
    if staff_to not in PlanSettings.STAFF_TO:
        *rest, last = PlanSettings.STAFF_TO
        raise InputError.single(
            "command line", f"{', '.join(rest)} or {last}", field="--staff-to", value=staff_to
        )
    _check_solver_options(time_limit, workers)
    _check_out_folder(out)
    settings = PlanSettings(time_limit_seconds=time_limit, workers=workers, staff_to=staff_to)
    with _forecastable(data, start):
        result = plan_week(data, start, settings)
    paths = write_plan(result, out)
    typer.echo(result.summary_text())
    typer.echo("wrote " + ", ".join(str(p) for p in paths))


@app.command()
@_friendly
def compare(
    store_dir: _StoreDir,
    scenarios: Annotated[
        Path,
        typer.Argument(help="TOML file of [[scenario]] tables (see docs/store_format.md)."),
    ],
    week: Annotated[
        str | None,
        typer.Option(help="First day YYYY-MM-DD (default: the Monday after the history)."),
    ] = None,
    out: Annotated[Path, typer.Option(help="CSV file for the table.")] = Path("compare.csv"),
    time_limit: Annotated[
        float | None,
        typer.Option(
            help="Solver time limit per plan, seconds (at least 1; default 10, or 60 for teams "
            "of over 100 people, where shorter runs differ by more than most scenarios do)."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="Solver worker threads (at least 1).")] = 2,
) -> None:
    """Plan the week as the store is and under each scenario; print them side by side."""
    from staffing.loader import load_store
    from staffing.pipeline import PlanSettings
    from staffing.scenario_file import BASELINE, LABELS, load_scenarios, planning_error
    from staffing.scenarios import Scenario, plan_scenario, scenario_seconds
    from staffing.scenarios import compare as side_by_side

    data = load_store(store_dir)
    for warning in data.warnings:
        typer.echo(f"warning: {warning}", err=True)
    start = _date(week, "--week") or data.default_week()
    time_limit = scenario_seconds(data) if time_limit is None else time_limit
    _check_solver_options(time_limit, workers)
    settings = PlanSettings(time_limit_seconds=time_limit, workers=workers)
    variants = load_scenarios(scenarios, data, start, settings.days)
    _check_table_file(out, store_dir, scenarios)  # before minutes of solving, not after
    from staffing.exports import write_csv
    from staffing.forecasting import forecast_notes, forecast_week

    with _forecastable(data, start):
        forecast, model = forecast_week(data, start, settings.days)
        notes = forecast_notes(data, start, model)
        plans = {}
        for i, scenario in enumerate((Scenario(name=BASELINE), *variants)):
            typer.echo(f"planning '{scenario.name}' ({time_limit:g}-s solver limit)", err=True)
            try:
                plans[scenario.name] = plan_scenario(
                    data, start, scenario, settings, forecast, notes
                )
            except ValueError as exc:  # InputError too: a traffic factor too large to size
                if i == 0:  # the store as it is: its own files say what is wrong
                    raise
                raise planning_error(scenarios, i - 1, scenario.name, exc) from None
    table = side_by_side(plans).rename_axis(LABELS).reset_index()
    typer.echo(table.to_string(index=False, na_rep=""))
    said: set[str] = set()  # a note every plan shares (the forecast's) is said once
    said_by = {name: _plan_notes(plan) for name, plan in plans.items()}
    for name, plan_notes in said_by.items():
        for note in plan_notes:
            everyone = all(note in others for others in said_by.values())
            if note not in said:
                typer.echo(f"note ({'every plan' if everyone else name}): {note}")
            if everyone:
                said.add(note)
    unproved = [name for name, plan in plans.items() if plan.kpis.proved_gap is None]
    far = max(
        ((p.kpis.objective - p.kpis.lower_bound, n) for n, p in plans.items() if n not in unproved),
        default=None,
    )
    if far is not None:
        typer.echo(
            f"note: each roster is the best found in its time: '{far[1]}' may be up to "
            f"{far[0]:,.2f} above the best possible in the solver's objective (wage cost plus "
            "the price of understaffing), so smaller differences may be noise, not the change"
        )
    if unproved:
        typer.echo(
            f"note: no bound was proved for {', '.join(repr(n) for n in unproved)}: their "
            "rosters are first ones, and any difference from them may be noise"
        )
    typer.echo(f"wrote {write_csv(table, out)}")


@app.command()
@_friendly
def tradeoff(
    store_dir: _StoreDir,
    week: Annotated[
        str | None,
        typer.Option(help="First day YYYY-MM-DD (default: the Monday after the history)."),
    ] = None,
    targets: Annotated[
        str,
        typer.Option(
            help="Service-level targets to plan, percent of contacts answered within each "
            "channel's answer time, comma-separated (they replace the targets of the channels "
            "that have one)."
        ),
    ] = "70,80,90,95",
    out: Annotated[Path, typer.Option(help="CSV file for the curve.")] = Path("tradeoff.csv"),
    time_limit: Annotated[
        float | None,
        typer.Option(
            help="Solver time limit per target, seconds (at least 1; default 10, or 60 for "
            "teams of over 100 people)."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="Solver worker threads (at least 1).")] = 2,
) -> None:
    """Cost against service: plan the week at each service-level target and print the curve
    (wage cost, every channel's service level, understaffed hours, optimality gap)."""
    from staffing.exports import write_csv
    from staffing.forecasting import forecast_notes, forecast_week
    from staffing.loader import load_store
    from staffing.pipeline import PlanSettings
    from staffing.scenario_text import noise_note, sweep_table
    from staffing.scenarios import scenario_seconds, swept_service_level
    from staffing.scenarios import tradeoff as sweep_targets

    data = load_store(store_dir)
    for warning in data.warnings:
        typer.echo(f"warning: {warning}", err=True)
    start = _date(week, "--week") or data.default_week()
    levels = _percentages(targets, "--targets")
    time_limit = scenario_seconds(data) if time_limit is None else time_limit
    _check_solver_options(time_limit, workers)
    try:
        label = swept_service_level(data)
    except ValueError as exc:  # no channel has a service-level target
        raise InputError.single(
            str(store_dir / "store.toml"), f"a channel with a service_level target ({exc})",
            field="channels", value="(none has one)",
        ) from None  # fmt: skip
    _check_table_file(out, store_dir)
    settings = PlanSettings(time_limit_seconds=time_limit, workers=workers)
    with _forecastable(data, start):
        forecast, model = forecast_week(data, start, settings.days)
        points = f"{len(levels)} target{'' if len(levels) == 1 else 's'}"
        typer.echo(
            f"planning {points} for the {label}, {time_limit:g}-s solver limit each", err=True
        )
        try:

            def point(position: int, target: float) -> None:
                typer.echo(
                    f"  {round(100 * target, 4):g}% ({position + 1} of {len(levels)})...", err=True
                )

            sweep = sweep_targets(data, start, levels, settings, forecast, on_point=point)
        except InputError:  # the store's own files (a volume too large to size, say)
            raise
        except ValueError as exc:  # a target no head-count meets
            raise InputError.single(
                "command line", f"targets the store can staff ({exc})",
                field="--targets", value=targets,
            ) from None  # fmt: skip
    typer.echo(f"{data.store.name}, week of {start}: cost against the {label}")
    typer.echo(sweep_table(data, sweep, label).to_string(index=False))
    for note in forecast_notes(data, start, model):
        typer.echo(f"note: {note}")
    typer.echo(f"note: {noise_note(sweep['optimality gap'])}")
    # the CSV as printed: targets and service levels as fractions to 4 decimals (0.33299999...)
    shares = [c for c in sweep.columns if c == "target" or c.endswith("service level")]
    typer.echo(f"wrote {write_csv(sweep.round(dict.fromkeys(shares, 4)), out)}")


_MOST_TARGETS = 20  # a sweep plans the week once per target


def _percentages(text: str, option: str) -> tuple[float, ...]:
    """``70,80,90`` as fractions in increasing order (a repeated value planned once)."""
    values = []
    for part in text.split(","):
        try:
            value = float(part.strip())
        except ValueError:
            value = math.nan
        # 0.8 is a fraction typed out of habit (store.toml's service_level), not 0.8%; 100%
        # within a threshold no head-count meets, though the sizing's rounding says it does
        if not 1 < value < 100:  # NaN too
            raise InputError.single(
                "command line",
                "percentages above 1 and below 100, comma-separated, e.g. 70,80,90,95 (80 is "
                "80%, not 0.8)",
                field=option, value=text,
            )  # fmt: skip
        values.append(value / 100)
    if len(set(values)) > _MOST_TARGETS:
        raise InputError.single(
            "command line", f"at most {_MOST_TARGETS} targets (each is a solve of the week)",
            field=option, value=text,
        )  # fmt: skip
    return tuple(sorted(set(values)))


def _saved_version(
    data: Any, start: dt.date | None, version: int | None, *, others: bool
) -> tuple[Any, str]:
    """The saved version ``export`` and ``repair`` work on, and its state (``published``,
    ``replaced``, ``not-published`` or ``other-team``): version ``version`` (of the week of
    ``start`` if given), else the published one of ``start``'s week or of the latest week
    published. ``others``: versions saved under the store's name for a team that is no longer
    this one may be chosen by number (their differences are said on stderr)."""
    from staffing.handover import latest_publications, publication_state
    from staffing.persistence import Repository, StoreIdentity, default_path

    identity = StoreIdentity.of(data)
    repo = Repository(default_path(), read_only=True)  # HR may only read it; never upgraded
    try:
        saved = {s.id: s for s in repo.rosters(identity)}
        published = repo.publications(identity)
        # saved for a team under this name that is no longer this one (a name corrected, an id
        # given to someone new): the Export page lists them read-only, and so does this
        namesakes = {s.id: s for s in repo.namesake_rosters(identity)} if others else {}
    finally:
        repo.close()
    latest = latest_publications(published)
    store = data.store.name
    elsewhere = ""
    if namesakes:
        listed = ", ".join(f"v{s.id} ({s.week})" for s in namesakes.values())
        elsewhere = (
            f"; saved under the name {store} for a different team: {listed} (pass --version to "
            "export one, marked other-team)"
        )
    if version is not None:
        mine = {**namesakes, **saved}
        if version not in mine or (start is not None and mine[version].week != start):
            of_week = f" of the week of {start}" if start is not None else ""
            known = [f"v{s.id} ({s.week})" for s in mine.values() if start in (None, s.week)]
            raise InputError.single(
                "command line",
                f"a version saved for {store}{of_week}: " + (", ".join(known) or "none saved"),
                field="--version", value=str(version),
            )  # fmt: skip
        chosen = mine[version]
    else:
        if start is None and not latest:
            raise InputError.single(
                "command line",
                f"a week with a published roster of {store}: none is published; publish one "
                f"in the app, or pass --week and --version to use a saved version{elsewhere}",
                field="--week", value="(latest published)",
            )  # fmt: skip
        week_start = start if start is not None else max(latest)
        if week_start not in latest or latest[week_start].roster_id not in saved:
            versions = [f"v{s.id}" for s in saved.values() if s.week == week_start]
            raise InputError.single(
                "command line",
                f"a week with a published roster of {store}: nothing of the week of "
                f"{week_start} is published (saved versions: {', '.join(versions) or 'none'}; "
                f"pass --version to use one, marked not-published){elsewhere}",
                field="--week", value=week_start.isoformat(),
            )  # fmt: skip
        chosen = saved[latest[week_start].roster_id]
    if chosen.id in saved:
        return chosen, publication_state(chosen, published)
    for change in chosen.team_changes(identity):  # another team's: what differs is said first
        typer.echo(f"warning: {change}", err=True)
    return chosen, "other-team"


def _plan_notes(plan: Any) -> list[str]:
    """What ``staffing plan`` notes under its summary (capacity, cautions, the forecast's
    notes), then conflicts and rule violations."""
    capacity = plan.capacity_text()
    return [
        *([capacity] if capacity else []),
        *plan.caution_lines(),
        *plan.notes,
        *(f"conflict: {c}" for c in plan.roster.conflicts),
        *(f"RULE VIOLATION: {v.message}" for v in plan.violations),
    ]


def _check_table_file(out: Path, store_dir: Path, scenarios: Path | None = None) -> None:
    """``--out``: a CSV file that can be written, not one of the inputs (the scenarios file,
    a file of the store folder); its folder is made if need be."""
    target = out.resolve()
    inputs = {scenarios.resolve()} if scenarios is not None else set()
    if store_dir.is_dir():
        inputs |= {f.resolve() for f in store_dir.iterdir()}
    if out.is_dir():
        raise InputError.single(
            "command line", "a CSV file for the table (this is a folder)", field="--out", value=out
        )
    if target in inputs:
        raise InputError.single(
            "command line",
            "a file that is not one of the inputs (it would be overwritten by the table)",
            field="--out",
            value=out,
        )
    out.parent.mkdir(parents=True, exist_ok=True)  # OSError: the usual "cannot write" message
    existed = out.exists()
    # opened, not asked about: as root os.access says yes to /sys and /proc
    with out.open("a", encoding="utf-8"):
        pass
    if not existed:
        out.unlink()


@app.command()
@_friendly
def validate(
    store_dir: Annotated[Path, typer.Argument(help="Store folder to check.")],
) -> None:
    """Check a store folder and print a summary, or every problem found."""
    from staffing.loader import load_store

    data = load_store(store_dir)
    t = data.traffic
    typer.echo(
        f"{data.store.name}: {len(data.employees)} employees, "
        f"{len(data.store.channels)} channels, history {t['timestamp'].min():%Y-%m-%d} .. "
        f"{t['timestamp'].max():%Y-%m-%d} ({len(t)} rows); next week {data.default_week()}"
    )
    for warning in data.warnings:
        typer.echo(f"warning: {warning}")


@app.command()
@_friendly
def export(
    store_dir: _StoreDir,
    week: _PublishedWeek = None,
    version: _Version = None,
    out: Annotated[Path, typer.Option(help="Folder for the files.")] = Path("export"),
    xlsx: Annotated[bool, typer.Option(help="Also write both tables as one XLSX.")] = True,
) -> None:
    """Write a week's published roster for HR and payroll: its shifts and weekly totals per
    employee (CSV, and XLSX), from the saved work of the app (STAFFING_DB)."""
    from staffing.handover import export_name, write_saved_roster
    from staffing.loader import load_store

    data = load_store(store_dir)
    start = _date(week, "--week")
    _check_out_folder(out)
    chosen, state = _saved_version(data, start, version, others=True)
    store = data.store.name
    paths = write_saved_roster(chosen, export_name(store, chosen, state), out, xlsx=xlsx)
    typer.echo(
        f"{store}, week of {chosen.week}: v{chosen.id} ({chosen.label}), {state}; "
        f"{len(chosen.roster)} shifts, {len(chosen.hours)} employees"
    )
    typer.echo("wrote " + ", ".join(str(p) for p in paths))


@app.command()
@_friendly
def repair(
    store_dir: _StoreDir,
    absent: Annotated[
        list[str] | None,
        typer.Option(
            help="Someone absent on a day: EMPLOYEE_ID:YYYY-MM-DD, or days "
            "EMPLOYEE_ID:YYYY-MM-DD..YYYY-MM-DD (repeat for several); kept off in later repairs."
        ),
    ] = None,
    release: Annotated[
        list[str] | None,
        typer.Option(
            help="A saved day off (from an absence or a deleted shift) given back, so the "
            "re-solve may roster it again: EMPLOYEE_ID:YYYY-MM-DD or "
            "EMPLOYEE_ID:YYYY-MM-DD..YYYY-MM-DD, on or after --from (repeat for several)."
        ),
    ] = None,
    shift: Annotated[
        list[str] | None,
        typer.Option(
            help="A shift someone must work, kept by the re-solve: 'EMPLOYEE_ID:YYYY-MM-DD "
            "HH:MM-HH:MM [ROLE]' (the role may be left out for someone with one; repeat for "
            "several)."
        ),
    ] = None,
    from_day: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="First day YYYY-MM-DD that may change: the days before it are history, kept "
            "exactly (default: every day of the week may change).",
        ),
    ] = None,
    week: _PublishedWeek = None,
    version: _Version = None,
    out: Annotated[Path, typer.Option(help="Folder for the plan's files.")] = Path("out"),
    time_limit: Annotated[
        float, typer.Option(help="Solver time limit, seconds (at least 1).")
    ] = 10.0,
    workers: Annotated[int, typer.Option(help="Solver worker threads (at least 1).")] = 2,
    publish: Annotated[
        bool, typer.Option(help="Publish the repaired roster as the week's next version.")
    ] = False,
) -> None:
    """Re-solve a saved week around absences and shifts someone must work, changing as few
    shifts as possible; saves it as a new version in the app's saved work (STAFFING_DB) and
    writes the plan's files to OUT."""
    import pandas as pd

    from staffing.loader import load_store
    from staffing.persistence import Repository, StoreIdentity, default_path
    from staffing.pipeline import (
        PlanSettings,
        changed_shifts,
        reopen_week,
        resolve_week,
        write_plan,
    )

    data = load_store(store_dir)
    for warning in data.warnings:
        typer.echo(f"warning: {warning}", err=True)
    start = _date(week, "--week")
    _check_solver_options(time_limit, workers)
    _check_out_folder(out)
    settings = PlanSettings(time_limit_seconds=time_limit, workers=workers)
    chosen, state = _saved_version(data, start, version, others=False)
    first_free = _date(from_day, "--from") or chosen.week
    last = chosen.week + dt.timedelta(days=settings.days - 1)
    if not chosen.week <= first_free <= last:
        raise InputError.single(
            "command line", f"a day of the week repaired, {chosen.week} .. {last}",
            field="--from", value=from_day,
        )  # fmt: skip
    off = _person_days(absent or [], data, chosen.week, first_free, last, "--absent")
    given_back = _person_days(release or [], data, chosen.week, first_free, last, "--release")
    both = sorted(set(off) & set(given_back), key=lambda x: (x[1], x[0]))
    if both:
        raise InputError.single(
            "command line", "a day either absent or given back, not both",
            field="--release", value=f"{both[0][0]}:{both[0][1]}",
        )  # fmt: skip
    saved_off = _saved_days_off(chosen.decisions)
    for who, day in given_back:
        if (who, day) not in saved_off:
            free = [f"{e}:{d}" for e, d in saved_off if d >= first_free]
            raise InputError.single(
                "command line",
                f"a day off of v{chosen.id} from {first_free} on: "
                + (", ".join(free) if free else "it has none"),
                field="--release", value=f"{who}:{day}",
            )  # fmt: skip
    kept = _kept_shifts(shift or [], data, first_free, (last - first_free).days + 1, off)
    identity = StoreIdentity.of(data)
    # before minutes of solving: the files and the saved work must take the result
    out.mkdir(parents=True, exist_ok=True)
    db = default_path()
    if not (os.access(db, os.W_OK) and os.access(db.parent, os.W_OK)):
        typer.echo(
            f"error: saved work cannot be written\nSaved-work database {db} (or its folder) is "
            "read-only. To fix: make it writable, or set STAFFING_DB to a copy; nothing was "
            "solved",
            err=True,
        )
        raise typer.Exit(2)
    if not os.access(out, os.W_OK):
        raise OSError(13, "permission denied", str(out))
    published_id = _published_roster(identity, chosen.week)
    if publish and published_id is not None and chosen.id < published_id:
        raise InputError.single(
            "command line",
            f"a repair of the week's published version v{published_id} or of one saved after "
            f"it: v{chosen.id} is older, and publishing a repair of it would undo v"
            f"{published_id}'s changes (pass --version {published_id}, or leave out --publish)",
            field="--publish", value=f"--version {chosen.id}",
        )  # fmt: skip
    if version is None:
        later = _saved_after(identity, chosen)
        if later:
            typer.echo(
                f"warning: {', '.join(later)} of this week, saved after the published v"
                f"{chosen.id}, not published: repairing v{chosen.id} leaves their changes out "
                "(pass --version to build on one)",
                err=True,
            )
    for change in chosen.team_changes(identity):
        typer.echo(f"warning: {change}; the repaired roster leaves them out", err=True)
    from staffing.forecasting import forecast_notes, forecast_week

    with _forecastable(data, chosen.week):
        forecast, model = forecast_week(data, chosen.week, settings.days)
    try:
        plan = reopen_week(
            data, chosen.week, chosen.roster, forecast, decisions=chosen.decisions,
            notes=forecast_notes(data, chosen.week, model),
        )  # fmt: skip
    except InputError as exc:  # the store's planning interval changed since, say
        raise InputError.single(
            str(db), f"a saved roster this store can read back ({exc.problems[0]})",
            field=f"v{chosen.id}",
        ) from None  # fmt: skip
    typer.echo(f"re-solving v{chosen.id} ({chosen.label}, {state}) of the week of {chosen.week}",
               err=True)  # fmt: skip
    rows = None
    if kept:  # as a manager's edit on the Adjust page: the day's shift replaced, and locked
        days = {(who, day) for who, day, _ in kept}
        mask = [
            (str(e), dt.date.fromisoformat(str(d))) not in days
            for e, d in zip(plan.roster_rows["employee_id"], plan.roster_rows["date"], strict=True)
        ]
        rows = plan.roster_rows.assign(lock=plan.locked_mask())[mask]  # earlier locks stay
        added = pd.DataFrame([{**row, "lock": True} for _, _, row in kept])
        rows = pd.concat([rows, added], ignore_index=True)
    new = resolve_week(plan, rows, off, settings, released=given_back, kept_before=first_free)
    missing = [
        text
        for text, (who, day, row) in zip(shift or [], kept, strict=True)
        if not (
            (new.roster_rows["employee_id"] == who)
            & (new.roster_rows["start"] == row["start"])
            & (new.roster_rows["end"] == row["end"])
            & (new.roster_rows["role"] == row["role"])
        ).any()
    ]
    failed = not new.roster.assignments and plan.roster.assignments
    if missing or failed:
        for conflict in new.roster.conflicts:
            typer.echo(f"conflict: {conflict}", err=True)
        why = (
            f"the shift(s) {'; '.join(missing)} cannot be kept (see the conflicts above)"
            if missing
            else "the re-solve found no roster in time (try a longer --time-limit)"
        )
        typer.echo(f"error: {why}; nothing was saved", err=True)
        raise typer.Exit(1)
    told = changed_shifts(plan, new)  # who to tell, one line per changed employee-day
    moved = len(told)
    if moved == 0 and new.decisions() == plan.decisions():
        paths = write_plan(new, out)
        typer.echo(new.summary_text())
        typer.echo(f"nothing changed from v{chosen.id}; nothing saved")
        typer.echo("wrote " + ", ".join(str(p) for p in paths))
        return
    paths = write_plan(new, out)  # files first: a failure here leaves the saved work as it was
    repo = Repository(db)
    try:
        saved = repo.save_roster(
            store=identity, week=new.week_start, label="re-solved after changes",
            status=new.roster.status, roster=new.roster_rows, hours=new.hours,
            kpis=new.kpis.as_dict(), decisions=new.decisions(),
        )  # fmt: skip
        publication = None
        if publish:
            if _published_roster(identity, chosen.week, repo) != published_id:
                typer.echo(
                    f"warning: the week was published again while this ran; v{saved.id} is "
                    "saved but not published (review it in the app)",
                    err=True,
                )
            else:
                publication = repo.publish(saved.id)
    finally:
        repo.close()
    typer.echo(new.summary_text())
    typer.echo(
        f"{moved} employee-day{'' if moved == 1 else 's'} changed from v{chosen.id}; saved as "
        f"v{saved.id}" + (f", published as version {publication.version}" if publication else "")
    )
    for line in told:
        typer.echo(f"  {line}")
    if given_back:
        names = {e.id: e.name for e in data.employees}
        typer.echo(
            "days off given back (no longer kept in later repairs): "
            + ", ".join(f"{names.get(e, e)} ({e}) {d:%a %d %b}" for e, d in given_back)
        )
    typer.echo("wrote " + ", ".join(str(p) for p in paths))


def _published_roster(identity: Any, week: dt.date, repo: Any = None) -> int | None:
    """The roster id of ``week``'s latest publication, None if none (read from ``repo``, or
    from a read-only view of the saved work)."""
    from staffing.handover import latest_publications
    from staffing.persistence import Repository, default_path

    mine = repo is None
    repo = Repository(default_path(), read_only=True) if mine else repo
    try:
        latest = latest_publications(repo.publications(identity)).get(week)
    finally:
        if mine:
            repo.close()
    return None if latest is None else latest.roster_id


def _saved_after(identity: Any, chosen: Any) -> list[str]:
    """Versions of ``chosen``'s week saved after it and never published (``v4 (label)``)."""
    from staffing.persistence import Repository, default_path

    repo = Repository(default_path(), read_only=True)
    try:
        published = {p.roster_id for p in repo.publications(identity)}
        return [
            f"v{s.id} ({s.label})"
            for s in repo.rosters(identity)
            if s.week == chosen.week and s.id > chosen.id and s.id not in published
        ]
    finally:
        repo.close()


def _kept_shifts(
    given: list[str],
    data: Any,
    week: dt.date,
    days: int,
    off: tuple[tuple[str, dt.date], ...],
) -> list[tuple[str, dt.date, dict[str, str]]]:
    """``--shift`` values as (employee id, date, roster row) within the week."""
    shape = "'EMPLOYEE_ID:YYYY-MM-DD HH:MM-HH:MM [ROLE]', e.g. 'B02:2026-11-28 08:00-16:00 cashier'"
    people = {e.id: e for e in data.employees}
    last = week + dt.timedelta(days=days - 1)
    out: list[tuple[str, dt.date, dict[str, str]]] = []
    step = data.store.interval_minutes
    for text in given:
        match = _SHIFT.fullmatch(text.strip())
        try:
            if match is None:
                raise ValueError(text)
            who, date_text, first_text, final_text, role_text = match.groups()
            day = dt.date.fromisoformat(date_text)
            first, final = dt.time.fromisoformat(first_text), dt.time.fromisoformat(final_text)
        except ValueError:
            raise InputError.single("command line", shape, field="--shift", value=text) from None
        parts = [date_text, first_text, *([role_text] if role_text else [])]
        if (first.hour * 60 + first.minute) % step or (final.hour * 60 + final.minute) % step:
            raise InputError.single(
                "command line", f"times on the store's {step}-minute planning grid",
                field="--shift", value=text,
            )  # fmt: skip
        emp = people.get(who)
        if emp is None:
            raise InputError.single(
                "command line", "an employee id of employees.csv", field="--shift", value=text
            )
        if not week <= day <= last:
            expected = f"a day of the week repaired, {week} .. {last}"
        elif (emp.id, day) in off:
            expected = "a day the person is not absent (--absent names it too)"
        elif any(w == emp.id and d == day for w, d, _ in out):
            expected = "one shift a person a day (another --shift names the same day)"
        else:
            expected = ""
        if expected:
            raise InputError.single("command line", expected, field="--shift", value=text)
        role = parts[2] if len(parts) == 3 else (emp.roles[0] if len(emp.roles) == 1 else "")
        if role not in emp.roles:
            raise InputError.single(
                "command line", f"one of {emp.name}'s roles: {', '.join(emp.roles)}",
                field="--shift", value=text,
            )  # fmt: skip
        start = dt.datetime.combine(day, first)
        end = dt.datetime.combine(day, final)
        if end <= start:  # past midnight
            end += dt.timedelta(days=1)
        out.append((emp.id, day, {
            "employee_id": emp.id, "name": emp.name, "date": day.isoformat(),
            "start": start.isoformat(timespec="minutes"),
            "end": end.isoformat(timespec="minutes"), "role": role,
        }))  # fmt: skip
    return out


def _saved_days_off(decisions: dict[str, object]) -> list[tuple[str, dt.date]]:
    """The days off a saved version keeps, as (employee id, date); entries that cannot be read
    are left to :func:`~staffing.pipeline.reopen_week`, which names them."""
    out = []
    items = decisions.get("days_off")
    for item in items if isinstance(items, list) else []:
        try:
            who, day = item
            out.append((str(who), dt.date.fromisoformat(str(day))))
        except (TypeError, ValueError):
            continue
    return sorted(out, key=lambda x: (x[1], x[0]))


def _person_days(
    given: list[str], data: Any, week: dt.date, earliest: dt.date, last: dt.date, option: str
) -> tuple[tuple[str, dt.date], ...]:
    """``--absent`` or ``--release`` (``option``) values as (employee id, date) pairs from
    ``earliest`` (``--from``) to ``last``, the week starting ``week``."""
    known = {e.id for e in data.employees}
    out: set[tuple[str, dt.date]] = set()
    for text in given:
        match = _ABSENT.fullmatch(text.strip())
        try:
            if match is None:
                raise ValueError(text)
            who, first, final = match.groups()
            begin = dt.date.fromisoformat(first)
            span = (begin, dt.date.fromisoformat(final) if final else begin)
        except ValueError:
            raise InputError.single(
                "command line",
                "EMPLOYEE_ID:YYYY-MM-DD or EMPLOYEE_ID:YYYY-MM-DD..YYYY-MM-DD",
                field=option, value=text,
            ) from None  # fmt: skip
        if who not in known:
            raise InputError.single(
                "command line", "an employee id of employees.csv", field=option, value=text
            )
        if not week <= span[0] <= span[1] <= last:
            raise InputError.single(
                "command line",
                f"days of the week repaired, {week} .. {last}, the first not after the last",
                field=option, value=text,
            )  # fmt: skip
        if span[0] < earliest:
            raise InputError.single(
                "command line",
                f"days from --from {earliest} on: the days before it are kept as they were",
                field=option, value=text,
            )  # fmt: skip
        for k in range((span[1] - span[0]).days + 1):
            out.add((who, span[0] + dt.timedelta(days=k)))
    return tuple(sorted(out, key=lambda item: (item[1], item[0])))


@app.command()
@_friendly
def training(
    store_dir: _StoreDir,
    attendees: Annotated[
        str, typer.Option(help="Employee ids of the people who attend, comma-separated.")
    ],
    hours: Annotated[
        float, typer.Option(help="Length of the training, hours, in whole planning intervals.")
    ] = 2.0,
    day: Annotated[
        list[str] | None,
        typer.Option(help="A day YYYY-MM-DD it may start on (repeat; default: any day)."),
    ] = None,
    top: Annotated[int, typer.Option(help="How many windows to list (1 to 50).")] = 5,
    week: _PublishedWeek = None,
    version: _Version = None,
) -> None:
    """Find when a training (a workshop, a team meeting) is felt least in a saved week's
    roster: the windows where every attendee is on duty outside their break, ranked by hours
    below a post's minimum, then contacts answered late, then understaffed hours."""
    from staffing.forecasting import forecast_week
    from staffing.loader import load_store
    from staffing.persistence import default_path
    from staffing.pipeline import reopen_week
    from staffing.training import find_training_time

    data = load_store(store_dir)
    for warning in data.warnings:
        typer.echo(f"warning: {warning}", err=True)
    start = _date(week, "--week")
    names = {e.id: e.name for e in data.employees}
    people = [a.strip() for a in attendees.split(",") if a.strip()]
    bad = [a for a in people if a not in names] or [a for a in people if people.count(a) > 1]
    if not people or bad:
        raise InputError.single(
            "command line", "employee ids of employees.csv, comma-separated, each once",
            field="--attendees", value=bad[0] if bad else attendees,
        )  # fmt: skip
    step = data.store.interval_minutes
    minutes = hours * 60
    if not (
        math.isfinite(minutes)
        and step <= round(minutes) <= _LONGEST_TRAINING_MINUTES
        and abs(minutes / step - round(minutes / step)) < 1e-9
    ):
        raise InputError.single(
            "command line",
            f"a length in whole planning intervals of {step} min, from {step / 60:g} h to "
            f"{_LONGEST_TRAINING_MINUTES // 60} h ({step / 60:g}, {2 * step / 60:g}, ...)",
            field="--hours", value=f"{hours:g}",
        )  # fmt: skip
    if not 1 <= top <= 50:
        raise InputError.single(
            "command line", "a number of windows from 1 to 50", field="--top", value=str(top)
        )
    chosen, state = _saved_version(data, start, version, others=False)
    planned = [chosen.week + dt.timedelta(days=k) for k in range(7)]
    days = [_date(text, "--day") for text in day or []]
    outside = [d for d in days if d not in planned]
    if outside:
        raise InputError.single(
            "command line", f"a day of the week of v{chosen.id}, {planned[0]} .. {planned[-1]}",
            field="--day", value=str(outside[0]),
        )  # fmt: skip
    with _forecastable(data, chosen.week):
        forecast, _ = forecast_week(data, chosen.week, len(planned))
    try:
        plan = reopen_week(data, chosen.week, chosen.roster, forecast, decisions=chosen.decisions)
    except InputError as exc:  # the store's planning interval changed since, say
        raise InputError.single(
            str(default_path()), f"a saved roster this store can read back ({exc.problems[0]})",
            field=f"v{chosen.id}",
        ) from None  # fmt: skip
    found = find_training_time(
        plan, people, round(minutes), days={d for d in days if d} or None, best=top
    )
    who = ", ".join(f"{names[a]} ({a})" for a in people)
    typer.echo(
        f"{data.store.name}, week of {chosen.week}, v{chosen.id} ({state}): a {hours:g}-h "
        f"training for {who}"
    )
    if not found.options:
        typer.echo("no window fits: every attendee must be on duty through it, outside breaks")
    else:
        fit = f"{found.fitting} window{'' if found.fitting == 1 else 's'} fit"
        typer.echo(f"{fit}; felt least first (each beyond the roster's own):")
        typer.echo(found.to_frame().to_string(index=False))
    for line in found.blocked:
        typer.echo(f"no window on {line}")
    if found.blocked and not found.options:
        typer.echo(
            "to make room, give the attendees shifts that overlap (the Adjust page's lock, or "
            "staffing repair --shift)"
        )


@app.command()
@_friendly
def forecast(
    history: Annotated[Path, typer.Option(help="CSV with timestamp, volume[, channel].")],
    start: Annotated[str, typer.Option(help="First forecast day YYYY-MM-DD.")],
    days: Annotated[int, typer.Option(min=1, max=366, help="Days to forecast.")] = 7,
    country: Annotated[str | None, typer.Option(help="Public-holiday country code.")] = None,
    subdivision: Annotated[str | None, typer.Option(help="Holiday subdivision code.")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="IANA time zone of the timestamps, e.g. Europe/London.")
    ] = None,
    events: Annotated[Path | None, typer.Option(help="events.csv")] = None,
    interval: Annotated[
        int, typer.Option(help="Interval length, minutes.")
    ] = _HISTORY_INTERVAL_MINUTES,
    out: Annotated[Path, typer.Option(help="Output CSV.")] = Path("forecast.csv"),
) -> None:
    """Forecast traffic per interval with 80% and 95% prediction intervals."""
    import forecasts
    from staffing.exports import write_csv
    from staffing.forecasting import far_ahead_note

    calendar, frame, always = _history_and_calendar(
        history, country, subdivision, timezone, events, interval
    )
    first = _date(start, "--start")
    assert first is not None
    began = frame[forecasts.TIMESTAMP].min().date()
    if first < began:
        raise InputError.single(
            "command line",
            f"a first day on or after the history's first day, {began} (before it the model "
            "has nothing to go by)",
            field="--start", value=start,
        )  # fmt: skip
    with _fitting(history):
        model = forecasts.fit_forecast(
            frame, calendar, interval_minutes=interval, always_open_channels=always
        )
    result = model.forecast(first, days)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(result[list(forecasts.FORECAST_COLUMNS)], out)
    last = frame[forecasts.TIMESTAMP].max()
    far = far_ahead_note(last.date(), first)
    for line in (*model.report.messages(), *([far] if far else [])):
        typer.echo(f"note: {line}", err=True)
    if first <= last.date():  # the model has seen these days: a fit, not a forecast
        typer.echo(
            f"note: --start {first} is inside the history (last row {last:%Y-%m-%d %H:%M}): "
            "those days were used to fit the model, so this is an in-sample fit, not a "
            "forecast; run backtest to measure forecast accuracy",
            err=True,
        )
    typer.echo(f"wrote {out} ({len(result)} rows)")


@app.command()
@_friendly
def backtest(
    history: Annotated[Path, typer.Option(help="CSV with timestamp, volume[, channel].")],
    country: Annotated[str | None, typer.Option(help="Public-holiday country code.")] = None,
    subdivision: Annotated[str | None, typer.Option(help="Holiday subdivision code.")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="IANA time zone of the timestamps, e.g. Europe/London.")
    ] = None,
    events: Annotated[Path | None, typer.Option(help="events.csv")] = None,
    interval: Annotated[
        int, typer.Option(help="Interval length, minutes.")
    ] = _HISTORY_INTERVAL_MINUTES,
    origins: Annotated[int, typer.Option(min=1, help="Weekly forecast origins.")] = 8,
) -> None:
    """Rolling-origin backtest against three baselines: seasonal naive (same hour last week),
    the median of the last 4 same week days, and statsmodels MSTL with ETS."""
    import forecasts

    calendar, frame, always = _history_and_calendar(
        history, country, subdivision, timezone, events, interval
    )
    with _fitting(history):
        result = forecasts.backtest(
            frame,
            calendar,
            interval_minutes=interval,
            origins=origins,
            always_open_channels=always,
            hours_from_history=True,
        )
    typer.echo(
        "note: at each origin the opening hours are read from the history before it", err=True
    )
    typer.echo(result.to_text())


@contextmanager
def _fitting(history: Path) -> Iterator[None]:
    """A history the forecast cannot fit, as an input error about that file."""
    import forecasts

    try:
        yield
    except forecasts.HistoryError as exc:
        raise InputError.single(history.name, f"rows the forecast can fit: {exc}") from None


def _history_and_calendar(
    history: Path,
    country: str | None,
    subdivision: str | None,
    timezone: str | None,
    events: Path | None,
    interval: int,
) -> tuple[Any, Any, tuple[str, ...]]:
    """The calendar (opening hours as the recent history shows them: see
    :func:`forecasts.observed_hours`, printed as notes), the history and its channels open
    around the clock."""
    import forecasts
    from staffing.loader import read_events, read_traffic

    if interval not in (5, 10, 15, 20, 30, 60):
        raise InputError.single(
            "command line", "5, 10, 15, 20, 30 or 60", field="--interval", value=interval
        )
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise InputError.single(
                "command line",
                "an IANA time zone such as Europe/London",
                field="--timezone",
                value=timezone,
            ) from None
    frame, _ = read_traffic(
        history, timezone=timezone, interval_minutes=interval, display=history.name
    )
    event_rows = read_events(events, display=events.name) if events is not None else ()
    seen = forecasts.observed_hours(frame, interval)
    try:
        calendar = forecasts.Calendar(
            country=country.upper() if country else None,
            subdivision=subdivision,
            opening_hours=seen.hours,
            timezone=timezone,
            events=tuple(
                forecasts.Event(start=e.start_date, end=e.end_date, name=e.name, kind=e.kind)
                for e in event_rows
            ),
        )
    except ValueError as exc:
        bad_country = country is None or "subdivision" not in str(exc)
        option, value = ("--country", country) if bad_country else ("--subdivision", subdivision)
        raise InputError.single(
            "command line", f"a known code ({exc})", field=option, value=value
        ) from None
    for line in seen.describe():
        typer.echo(f"note: {line}", err=True)
    return calendar, frame, seen.always_open


@app.command()
@_friendly
def erlang(
    volume: Annotated[float, typer.Option(min=0, help="Contacts arriving in the period.")],
    period: Annotated[float, typer.Option(min=1, help="Period length, seconds.")] = 1800,
    aht: Annotated[float, typer.Option(min=1e-6, help="Average handling time, seconds.")] = 180,
    sl: Annotated[float | None, typer.Option(min=0, max=1, help="Service level target.")] = None,
    within: Annotated[
        float, typer.Option(min=0, help="Answered within, seconds.")
    ] = DEFAULT_ANSWER_WITHIN_SECONDS,
    max_asa: Annotated[
        float | None, typer.Option(help="Maximum average wait, seconds (from 0).")
    ] = None,
    patience: Annotated[
        float | None, typer.Option(help="Mean patience, seconds (above 0): Erlang A.")
    ] = None,
    max_abandon: Annotated[
        float | None, typer.Option(help="Maximum abandon rate, 0-1 (needs --patience).")
    ] = None,
    max_occupancy: Annotated[
        float | None, typer.Option(help="Maximum occupancy, above 0, at most 1.")
    ] = None,
    shrinkage: Annotated[
        float, typer.Option(min=0, max=0.95, help="Shrinkage fraction.")
    ] = DEFAULT_SHRINKAGE,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Quick Erlang calculator: required agents and every metric at that head-count.

    Service level: answered within --within s with --sl, else within --max-asa s
    if given (as requirements.csv and the KPIs judge a channel with no --sl).
    """
    from staffing.requirements import erlang_calculator

    _check_erlang_options(
        volume=volume,
        period=period,
        aht=aht,
        within=within,
        max_asa=max_asa,
        patience=patience,
        max_abandon=max_abandon,
        max_occupancy=max_occupancy,
    )
    try:
        answer = erlang_calculator(
            volume=volume,
            period_seconds=period,
            aht_seconds=aht,
            service_level=sl,
            within_seconds=within,
            max_average_wait_seconds=max_asa,
            patience_seconds=patience,
            max_abandon_rate=max_abandon,
            max_occupancy=max_occupancy,
            shrinkage=shrinkage,
        )
    except ValueError as exc:  # targets no head-count the search allows can meet
        reason = str(exc).removeprefix("required_agents: ")
        raise InputError.single(
            "command line", f"targets a head-count can meet; {reason}"
        ) from None
    result = answer.as_dict()
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    width = max(len(k) for k in result)
    for key, value in result.items():
        shown = f"{value:.4g}" if isinstance(value, float) else str(value)
        typer.echo(f"{key:<{width}}  {shown}")


def _check_erlang_options(
    *,
    volume: float,
    period: float,
    aht: float,
    within: float,
    max_asa: float | None,
    patience: float | None,
    max_abandon: float | None,
    max_occupancy: float | None,
) -> None:
    """Every out-of-range option of ``staffing erlang`` as one :class:`InputError`.

    Typer checks the bounds it is given (NaN included) but lets infinity through; these are
    the checks it cannot express, so that no option sends the search for a head-count on an
    endless or absurd hunt (patience 0 or infinite, a negative wait, an occupancy of 0).
    """
    finite = math.isfinite
    checks: list[tuple[str, float | None, bool, str]] = [
        ("--volume", volume, finite(volume), "a finite number of contacts from 0"),
        ("--period", period, finite(period), "finite seconds, at least 1"),
        ("--aht", aht, finite(aht), "finite seconds above 0"),
        ("--within", within, finite(within), "finite seconds from 0"),
        ("--max-asa", max_asa, max_asa is None or 0 <= max_asa < math.inf, "finite seconds from 0"),
        (
            "--patience",
            patience,
            patience is None or 0 < patience < math.inf,
            "seconds above 0 and finite (leave it out for Erlang C, where nobody hangs up)",
        ),
        (
            "--max-abandon",
            max_abandon,
            max_abandon is None or 0 <= max_abandon <= 1,
            "a fraction from 0 to 1",
        ),
        (
            "--max-occupancy",
            max_occupancy,
            max_occupancy is None or 0 < max_occupancy <= 1,
            "a fraction above 0, at most 1",
        ),
    ]
    problems = [
        Problem(file="command line", field=option, value=f"{value:g}", expected=expected)
        for option, value, ok, expected in checks
        if value is not None and not ok
    ]
    load = volume * aht / period if finite(volume) and finite(aht) and finite(period) else 0.0
    if load > _ERLANG_MAX_LOAD:  # the search's time grows with the head-count (about 1 s a 10,000)
        problems.append(
            Problem(
                file="command line",
                field="--volume",
                value=f"{volume:g}",
                expected=f"an offered load (volume x aht / period) of at most "
                f"{_ERLANG_MAX_LOAD:,} Erlangs, here {load:,.0f}: split the traffic or the period",
            )
        )
    if max_abandon is not None and patience is None:
        problems.append(
            Problem(
                file="command line",
                field="--max-abandon",
                value=f"{max_abandon:g}",
                expected="--patience too (without patience nobody abandons: Erlang C)",
            )
        )
    if problems:
        raise InputError(problems)


def main() -> None:
    """Console entry point (``staffing``)."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
