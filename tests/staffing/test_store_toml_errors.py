"""``store.toml``: a value of the wrong type or out of range is one clear problem, never a crash.

Each problem names the file, the line of the key, the key path, the value and what was
expected; ``staffing validate`` prints them and exits with status 2.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from staffing._toml import load_store_toml
from staffing.errors import InputError
from staffing.model import Store
from tests.staffing.mini_store import STORE_TOML, write_mini_store

ROOT = Path(__file__).resolve().parents[2]
POST = '[[posts]]\nrole = "cashier"\n'  # a second post, inserted before [rules]


def _load(tmp_path: Path, text: str) -> Store:
    path = tmp_path / "store.toml"
    path.write_text(text, encoding="utf-8")
    return load_store_toml(path)


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        _load(tmp_path, text)
    return [str(p) for p in info.value.problems]


def _edit(old: str, new: str) -> str:
    assert STORE_TOML.count(old) == 1, old
    return STORE_TOML.replace(old, new)


def _without(header: str) -> str:
    """The mini store without its ``header`` tables (e.g. ``[[channels]]``)."""
    return re.sub(rf"^{re.escape(header)}\n(?:(?!\[).*\n)*", "", STORE_TOML, flags=re.M)


def _top(text: str, line: str) -> str:
    """``text`` with ``line`` added to the top-level keys (line 7)."""
    return text.replace("\n[opening_hours]", f"{line}\n\n[opening_hours]", 1)


def _with_post(body: str) -> str:
    return STORE_TOML.replace("[rules]", f"{POST}{body}\n[rules]")


def test_the_mini_store_loads(tmp_path: Path) -> None:
    store = _load(tmp_path, STORE_TOML)
    assert store.interval_minutes == 60
    assert store.posts[0].days == (0, 1, 2, 3, 4, 5, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            _edit('subdivision = "ENG"', 'subdivision = ["ENG"]'),
            "store.toml, line 4, field 'subdivision': got \"['ENG']\"; expected a non-empty "
            "text in quotes",
        ),
        (  # and no second, bogus problem about the time zone ''
            _edit('timezone = "Europe/London"', "timezone = 5"),
            "store.toml, line 2, field 'timezone': got '5'; expected a non-empty text in quotes",
        ),
        (
            _edit('country = "GB"', "country = true"),
            "store.toml, line 3, field 'country': got 'True'; expected a non-empty text in quotes",
        ),
        (
            _edit("interval_minutes = 60", "interval_minutes = 60.0"),
            "store.toml, line 5, field 'interval_minutes': got '60.0'; expected 15, 30 or 60 "
            "(a whole number of minutes)",
        ),
        (
            _edit('monday = "09:00-17:00"', "monday = 9"),
            "store.toml, line 9, field 'opening_hours.monday': got '9'; expected "
            "'HH:MM-HH:MM' or 'closed'",
        ),
        (
            _top(_without("[[channels]]"), "channels = [1, 2]"),
            "store.toml, line 7, field 'channels': got '[1, 2]'; expected at least one "
            "[[channels]] table",
        ),
        (
            _edit('id = "tills"', "id = 5"),
            "store.toml, line 18, field 'channels[1].id': got '5'; expected a unique id of "
            "lower-case letters, digits and _, in quotes",
        ),
        (
            _edit('id = "tills"', 'id = "tills"\nname = ["Tills"]'),
            "store.toml, line 19, field 'channels[1].name': got \"['Tills']\"; expected a "
            "non-empty text in quotes",
        ),
        (
            _edit("aht_seconds = 120", 'aht_seconds = "120"'),
            "store.toml, line 21, field 'channels[1].aht_seconds': got '120'; expected a number "
            "of seconds above 0 and at most 86,400 (written without quotes)",
        ),
        (
            _top(_without("[[posts]]"), "posts = [1, 2]"),
            "store.toml, line 7, field 'posts': got '[1, 2]'; expected [[posts]] tables",
        ),
        (
            _edit("min_staff = 1", "min_staff = 1.0"),
            "store.toml, line 35, field 'posts[1].min_staff': got '1.0'; expected a whole number "
            "of people from 1 to 1,000 (written without a decimal point)",
        ),
        (
            _edit("min_staff = 1", "min_staff = 9223372036854775807"),
            "store.toml, line 35, field 'posts[1].min_staff': got '9223372036854775807'; "
            "expected a whole number of people from 1 to 1,000",
        ),
        (
            _with_post("days = 5"),
            "store.toml, line 39, field 'posts[2].days': got '5'; expected a list of week days, "
            'such as ["monday", "tuesday"]',
        ),
        (  # one problem, not one per letter
            _with_post('days = "monday"'),
            "store.toml, line 39, field 'posts[2].days': got 'monday'; expected a list of week "
            'days, such as ["monday", "tuesday"]',
        ),
        (
            _with_post('days = ["monday", "funday", 3]'),
            "store.toml, line 39, field 'posts[2].days': got 'funday, 3'; expected a list of "
            'week days, such as ["monday", "tuesday"]',
        ),
        (
            _with_post("start = 10:00:00"),
            "store.toml, line 39, field 'posts[2].start': got '10:00:00'; expected a time in "
            'quotes, such as "10:00"',
        ),
        (
            _top(_without("[rules]"), "rules = 5"),
            "store.toml, line 7, field 'rules': got '5'; expected a table [rules]",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_one_problem(tmp_path: Path, text: str, expected: str) -> None:
    assert _problems(tmp_path, text) == [expected]


def test_every_wrong_value_of_a_table_is_reported(tmp_path: Path) -> None:
    text = STORE_TOML + '\n[costs]\ncurrency = 5\noverstaffing_cost_per_hour = "2"\n'
    assert _problems(tmp_path, text) == [
        "store.toml, line 43, field 'costs.currency': got '5'; expected a non-empty text in quotes",
        "store.toml, line 44, field 'costs.overstaffing_cost_per_hour': got '2'; expected an "
        "amount per hour from 0 to 10,000,000 (written without quotes)",
    ]


@pytest.mark.parametrize(
    "value",
    ["[1, 2]", "{ a = 1 }", '"text"', "true", "nan", "-inf", "1e308", "2026-01-01T09:00:00"],
)
def test_any_key_with_a_wrong_value_raises_input_error_only(tmp_path: Path, value: str) -> None:
    lines = STORE_TOML.splitlines()
    for no, line in enumerate(lines):
        match = re.match(r"(\w+) = (.)", line)
        if not match or match.group(2) == value[0] == '"':  # text for text may be right
            continue
        edited = [*lines[:no], f"{match.group(1)} = {value}", *lines[no + 1 :]]
        with pytest.raises(InputError) as info:
            _load(tmp_path, "\n".join(edited) + "\n")
        assert info.value.problems[0].line == no + 1, (line, value, str(info.value))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("min_rest_hours = nan", "got 'nan'; expected a number of hours from 0 to 24"),
        ("min_rest_hours = 25", "got '25'; expected a number of hours from 0 to 24"),
        (
            "max_shift_hours = inf",
            "got 'inf'; expected a number of hours above 0 and at most 24",
        ),
        (
            "max_shift_hours = 1e308",
            "got '1e+308'; expected a number of hours above 0 and at most 24",
        ),
        ("max_days_per_week = 8", "got '8'; expected a whole number of days from 1 to 7"),
        ("max_days_per_week = 4.5", "got '4.5'; expected a whole number of days from 1 to 7"),
        ("max_consecutive_days = 0", "got '0'; expected a whole number of days from 1 to 7"),
        (
            "shift_start_step_minutes = 0",
            "got '0'; expected a whole number of minutes, a multiple of interval_minutes, from "
            "15 to 1,440",
        ),
        (
            "shift_start_step_minutes = 7",
            "got '7'; expected a whole number of minutes, a multiple of interval_minutes, from "
            "15 to 1,440",
        ),
        (  # the store plans in 60-minute intervals
            "shift_start_step_minutes = 30",
            "got '30'; expected a multiple of interval_minutes (60), from 60 to 1,440",
        ),
        ("break_minutes = -30", "got '-30'; expected a whole number of minutes from 0 to 240"),
        (
            "break_window_start_hours = 6\nbreak_window_end_hours = 4",
            "got '6'; expected at most rules.break_window_end_hours (4)",
        ),
        (
            "break_window_start_hours = 8.8\nbreak_window_end_hours = 9",
            "got '8.8'; expected at most 7, so that a break of rules.break_minutes (30) fits "
            "in the longest shift (9 h) with an interval (60 min) of work after it",
        ),
        (
            "prep_minutes_before_open = 1000",
            "got '1000'; expected a whole number of minutes from 0 to 360",
        ),
    ],
)
def test_rules_out_of_range(tmp_path: Path, rule: str, expected: str) -> None:
    rules = STORE_TOML[STORE_TOML.index("[rules]") :]
    problems = _problems(tmp_path, STORE_TOML.replace(rules, f"[rules]\n{rule}\n"))
    key = rule.split(" ")[0]
    assert problems == [f"store.toml, line 38, field 'rules.{key}': {expected}"]


@pytest.mark.parametrize(
    ("cost", "expected"),
    [
        (
            "overtime_premium = 1e300",
            "got '1e+300'; expected a fraction of the wage from 0 to 10",
        ),
        (
            "understaffing_cost_per_hour = 1e300",
            "got '1e+300'; expected an amount per hour from 0 to 10,000,000",
        ),
        (
            "post_shortfall_cost_per_hour = -1",
            "got '-1'; expected an amount per hour from 0 to 10,000,000",
        ),
        (
            "overtime_after_hours = nan",
            "got 'nan'; expected a number of paid hours per week from 0 to 168",
        ),
    ],
)
def test_costs_out_of_range(tmp_path: Path, cost: str, expected: str) -> None:
    problems = _problems(tmp_path, STORE_TOML + "\n[costs]\n" + cost + "\n")
    key = cost.split(" ")[0]
    assert problems == [f"store.toml, line 43, field 'costs.{key}': {expected}"]


def test_whole_numbers_of_a_number_key_may_be_written_either_way(tmp_path: Path) -> None:
    store = _load(tmp_path, _edit("min_shift_hours = 4", "min_shift_hours = 4.0"))
    assert store.rules.min_shift_hours == 4


def test_min_shift_above_max_names_the_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _edit("min_shift_hours = 4", "min_shift_hours = 10"))
    assert problems == [
        "store.toml, line 38, field 'rules.min_shift_hours': got '10'; expected at most "
        "rules.max_shift_hours (8)"
    ]


def test_max_shift_below_the_default_min_is_reported_on_max(tmp_path: Path) -> None:
    text = _edit("min_shift_hours = 4\n", "").replace("max_shift_hours = 8", "max_shift_hours = 3")
    assert _problems(tmp_path, text) == [
        "store.toml, line 38, field 'rules.max_shift_hours': got '3'; expected at least "
        "rules.min_shift_hours (4)"
    ]


def test_shift_lengths_must_leave_a_whole_interval(tmp_path: Path) -> None:
    text = _edit("min_shift_hours = 4", "min_shift_hours = 4.2").replace(
        "max_shift_hours = 8", "max_shift_hours = 4.5"
    )
    assert _problems(tmp_path, text) == [
        "store.toml, line 39, field 'rules.max_shift_hours': got '4.5'; expected at least 5: "
        "shifts are whole 60-minute intervals, and min_shift_hours (4.2) rounds up to 5"
    ]


def test_the_same_day_twice_in_opening_hours(tmp_path: Path) -> None:
    text = _edit('tuesday = "09:00-17:00"', 'Mon = "10:00-17:00"\ntuesday = "09:00-17:00"')
    assert _problems(tmp_path, text) == [
        "store.toml, line 10, field 'opening_hours.Mon': got 'Mon'; expected each week day "
        "once ('monday' is the same day)"
    ]


def test_a_post_that_ends_before_it_starts(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _with_post('start = "16:00"\nend = "10:00"'))
    assert problems == [
        "store.toml, line 40, field 'posts[2].end': got '10:00'; expected an end after the "
        "start (16:00), or 24:00 for midnight"
    ]


def test_a_post_may_end_at_midnight(tmp_path: Path) -> None:
    store = _load(tmp_path, _with_post('start = "16:00"\nend = "24:00"'))
    assert store.posts[1].start is not None
    assert store.posts[1].start.hour == 16


@pytest.mark.parametrize(
    ("body", "shown", "days"),
    [
        ('start = "06:00"\nend = "09:00"', "06:00-09:00", "mon, tue, wed, thu, fri, sat, sun"),
        ('days = ["sunday"]', "opening-closing", "sun"),  # closed on Sundays
        ('start = "16:10"\nend = "16:50"', "16:10-16:50", "mon, tue, wed, thu, fri, sat, sun"),
    ],
)
def test_a_post_outside_opening_hours(tmp_path: Path, body: str, shown: str, days: str) -> None:
    assert _problems(tmp_path, _with_post(body)) == [
        f"store.toml, line 37, field 'posts[2]': got '{shown}'; expected hours covering at "
        f"least one 60-minute interval of the opening hours on one of its days ({days}); as "
        "written the post has no effect"
    ]


def test_a_post_partly_outside_opening_hours_is_clipped(tmp_path: Path) -> None:
    store = _load(tmp_path, _with_post('days = ["saturday", "sunday"]\nstart = "16:00"'))
    assert store.posts[1].days == (5, 6)


def test_validate_exits_2_without_traceback(tmp_path: Path) -> None:
    folder = write_mini_store(tmp_path / "store", store_toml=_with_post("days = 5"))
    done = subprocess.run(
        [sys.executable, "-m", "staffing.cli", "validate", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "store.toml, line 39, field 'posts[2].days': got '5'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_deferred_channel_without_a_deadline_is_named_not_a_crash(tmp_path: Path) -> None:
    text = _edit(
        '[[posts]]\nrole = "supervisor"',
        '[[channels]]\nid = "email"\nkind = "deferred"\nrole = "advisor"\naht_seconds = 300\n\n'
        '[[posts]]\nrole = "supervisor"',
    )
    assert _problems(tmp_path, text) == [
        "store.toml, line 32, field 'channels[3].response_hours': expected a response deadline in "
        "hours for deferred work"
    ]


def test_a_shift_that_gets_a_break_it_has_no_room_for_is_refused(tmp_path: Path) -> None:
    """2.5-h shifts are over a 2-h break_after_hours, but a break starting 3 h in does not fit:
    validate had passed it and plan then crashed in the solver."""
    rules = (
        "min_shift_hours = 2.5\nbreak_after_hours = 2\nbreak_minutes = 30\n"
        "break_window_start_hours = 3\nbreak_window_end_hours = 5\n"
    )
    text = _edit("min_shift_hours = 4\n", rules).replace(
        "interval_minutes = 60", "interval_minutes = 30"
    )
    (problem,) = _problems(tmp_path, text)
    assert (
        "field 'rules.break_after_hours': got '2'; expected at least 3, so that no shift gets"
        in problem
    )


@pytest.mark.parametrize(
    ("channel", "key", "value", "why"),
    [
        ("tills", "max_abandon_rate", "0.05", "abandonment is modelled for calls channels only"),
        ("tills", "patience_seconds", "60", "abandonment is modelled for calls channels only"),
        ("tills", "response_hours", "10", "only deferred channels"),
        ("phone", "response_hours", "10", "only deferred channels"),
        # a traceback in the CLI and the app before (the model refused it first)
        ("tills", "concurrency", "2", "only chat channels handle several contacts at a time"),
        ("phone", "concurrency", "2", "only chat channels handle several contacts at a time"),
    ],
)
def test_a_key_the_channel_kind_does_not_use_is_refused_not_ignored(
    tmp_path: Path, channel: str, key: str, value: str, why: str
) -> None:
    """A walk-in channel's max_abandon_rate had passed as its one target, then sized nothing."""
    text = _edit(f'id = "{channel}"\n', f'id = "{channel}"\n{key} = {value}\n')
    (problem,) = _problems(tmp_path, text)
    assert f"field 'channels[{1 if channel == 'tills' else 2}].{key}': got '{value}'" in problem
    assert why in problem


def test_a_channel_without_a_target_is_told_the_targets_its_kind_takes(tmp_path: Path) -> None:
    """The message had offered max_abandon_rate to a walk-in channel, which then refused it."""
    text = _edit("max_average_wait_seconds = 120\n", "")  # the tills' one target
    (problem,) = _problems(tmp_path, text)
    assert problem.endswith(
        "expected at least one target: service_level or max_average_wait_seconds"
    ), problem


def test_a_quoted_interval_says_to_write_it_without_quotes(tmp_path: Path) -> None:
    text = _edit("interval_minutes = 60", 'interval_minutes = "60"')
    (problem,) = _problems(tmp_path, text)
    assert "got '60'; expected 15, 30 or 60 (a whole number of minutes written without quotes)" in (
        problem
    )


def test_queue_targets_on_a_deferred_channel_are_refused(tmp_path: Path) -> None:
    text = _edit(
        '[[posts]]\nrole = "supervisor"',
        '[[channels]]\nid = "email"\nkind = "deferred"\nrole = "advisor"\naht_seconds = 300\n'
        "response_hours = 10\nservice_level = 0.9\nconcurrency = 2\n\n"
        '[[posts]]\nrole = "supervisor"',
    )
    problems = _problems(tmp_path, text)
    assert [p.split(": got")[0] for p in problems] == [
        "store.toml, line 39, field 'channels[3].concurrency'",
        "store.toml, line 38, field 'channels[3].service_level'",
    ]
    assert all("sized by its response_hours alone" in p for p in problems)


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("walk_in", "max_abandon_rate", 0.05),
        ("chat", "patience_seconds", 60.0),
        ("calls", "response_hours", 10.0),
        ("deferred", "service_level", 0.8),
        ("calls", "concurrency", 2),
    ],
)
def test_a_channel_made_in_code_refuses_what_its_kind_does_not_use(
    kind: str, field: str, value: float
) -> None:
    """The app's target table and scenarios make channels without store.toml: the model itself
    refuses a key its kind ignores."""
    from staffing.model import Channel, ChannelKind

    base = {"response_hours": 10.0} if kind == "deferred" else {"service_level": 0.8}
    with pytest.raises(ValueError, match=field):
        Channel(
            id="x", name="x", kind=ChannelKind(kind), role="cashier", aht_seconds=60,
            **(base | {field: value}),  # type: ignore[arg-type]
        )  # fmt: skip


@pytest.mark.parametrize("role", ["night;shift", " lead "])
def test_a_role_no_employee_could_hold_is_refused(tmp_path: Path, role: str) -> None:
    """employees.csv separates roles with ';' and trims them: 'night;shift' or ' lead ' could
    never be held, and a channel of that role was silently unstaffable (fuzz review)."""
    text = _edit(
        'roles = ["cashier", "advisor", "supervisor"]',
        f'roles = ["cashier", "advisor", "supervisor", "{role}"]',
    )
    (problem,) = _problems(tmp_path, text)
    assert "field 'roles'" in problem
    assert repr(role) in problem


def test_hours_past_midnight_say_how_to_write_them(tmp_path: Path) -> None:
    """'20:00-02:00' was refused without a word on how to write a late store (fuzz review)."""
    text = _edit('monday = "09:00-17:00"', 'monday = "20:00-02:00"')
    (problem,) = _problems(tmp_path, text)
    assert "field 'opening_hours.monday': got '20:00-02:00'" in problem
    assert "closes at '24:00' and opens the next day at '00:00'" in problem


def test_break_rules_are_checked_on_the_planning_grid_as_the_solver_reads_them(
    tmp_path: Path,
) -> None:
    """A window opening at 3.25 h on a 30-minute grid opens at 3 h for the solver: a 4-h shift
    has room for its 30-minute break and the half hour after it. The check in raw hours (3.25 +
    0.5 + 0.5 > 4) refused it (review of the new code)."""
    rules = (
        "break_after_hours = 3\nbreak_minutes = 30\n"
        "break_window_start_hours = 3.25\nbreak_window_end_hours = 4\n"
    )
    text = STORE_TOML.replace("interval_minutes = 60", "interval_minutes = 30")
    text = text.replace("max_days_per_week = 5\n", "max_days_per_week = 5\n" + rules, 1)
    store = _load(tmp_path, text)
    assert store.rules.break_window_start_hours == 3.25


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('"00:00-01:00,09:00-16:00"', "00:00-01:00,09:00-16:00"),
        ('["00:00-01:00", "09:00-16:00"]', "['00:00-01:00', '09:00-16:00']"),
        ('"09:00-12:00, 14:00-18:00"', "09:00-12:00, 14:00-18:00"),
    ],
)
def test_split_opening_hours_are_refused_with_the_whole_value_and_why(
    tmp_path: Path, value: str, shown: str
) -> None:
    """Review helper-44: '00:00-01:00,09:00-16:00' was reported as '00:00-01:00,09:00' (cut
    at the dash) with 'expected a time HH:MM'."""
    from staffing.errors import InputError
    from staffing.loader import load_store
    from tests.staffing.mini_store import STORE_TOML, write_mini_store

    toml = STORE_TOML.replace('saturday = "09:00-17:00"', f"saturday = {value}")
    with pytest.raises(InputError) as caught:
        load_store(write_mini_store(tmp_path / "s", store_toml=toml))
    (problem,) = caught.value.problems
    assert problem.field == "opening_hours.saturday"
    assert problem.value == shown
    assert problem.expected.endswith(
        "(one opening range a day: hours split in two, such as a store closed at midday or "
        "open past midnight and again in the morning, are not supported)"
    )
