"""Loading a store folder: good input loads, each kind of bad input names file, line, field."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from staffing.errors import InputError
from staffing.loader import load_store
from staffing.model import AvailabilityKind, ChannelKind
from tests.staffing.mini_store import EMPLOYEES_CSV, STORE_TOML, traffic_csv, write_mini_store


def test_mini_store_loads(tmp_path: Path) -> None:
    data = load_store(write_mini_store(tmp_path))
    assert data.store.name == "Mini Mart"
    assert [c.kind for c in data.store.channels] == [ChannelKind.WALK_IN, ChannelKind.CALLS]
    assert data.store.open_minutes(0) == (540, 1020)
    assert data.store.open_minutes(6) is None
    assert len(data.employees) == 6
    assert data.employee("E3").roles == ("advisor", "cashier")
    assert data.availability[0].kind is AvailabilityKind.UNAVAILABLE
    assert data.availability[0].weekday == 2
    assert set(data.traffic["channel"]) == {"tills", "phone"}
    assert data.default_week() == dt.date(2026, 11, 23)


def _error(tmp_path: Path, **overrides: str) -> InputError:
    with pytest.raises(InputError) as info:
        load_store(write_mini_store(tmp_path, **overrides))
    return info.value


def _only(err: InputError) -> str:
    assert len(err.problems) >= 1
    return str(err.problems[0])


@pytest.mark.parametrize(
    ("file", "content", "expected"),
    [
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-11-20 09:00:00,tills,4\n2026-11-20 10:00:00,tills,-3\n",
            "traffic.csv, line 3, field 'volume': got '-3'; expected a number of contacts from 0",
        ),
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-11-20 09:00:00,tills,lots\n",
            "traffic.csv, line 2, field 'volume': got 'lots'; expected a number of contacts from 0",
        ),
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-11-20 25:00,tills,4\n",
            "traffic.csv, line 2, field 'timestamp': got '2026-11-20 25:00'; expected a local "
            "date-time YYYY-MM-DD HH:MM[:SS]",
        ),
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-11-20 09:00,tills,4\n2026-11-20 09:00,tills,5\n",
            "traffic.csv, line 3, field 'timestamp': got '2026-11-20 09:00'; expected one row "
            "per timestamp and channel (same as line 2)",
        ),
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-03-29 00:00,tills,4\n2026-03-29 01:00,tills,5\n",
            "traffic.csv, line 3, field 'timestamp': got '2026-03-29 01:00'; expected a time "
            "that exists in Europe/London",
        ),
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-11-20 08:00,tills,4\n2026-11-20 09:00Z,tills,4\n",
            "traffic.csv, line 3, field 'timestamp': got '2026-11-20 09:00Z'; expected a local "
            "wall-clock date-time without a time-zone offset",
        ),
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-11-20 09:00:00+01:00,tills,4\n",
            "traffic.csv, line 2, field 'timestamp': got '2026-11-20 09:00:00+01:00'; expected a "
            "local wall-clock date-time without a time-zone offset",
        ),
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-11-20 09:00,tills,4\n2026-11-21,tills,4\n",
            "traffic.csv, line 3, field 'timestamp': got '2026-11-21'; expected a local date-time "
            "YYYY-MM-DD HH:MM[:SS]",
        ),
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-11-20 09:00,tills,4\n9999-11-22 23:30,tills,1\n",
            "traffic.csv, line 3, field 'timestamp': got '9999-11-22 23:30'; expected a date in "
            "the years 1900-2200",
        ),
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-11-20 09:00,tills,1e300\n",
            "traffic.csv, line 2, field 'volume': got '1e300'; expected a number of contacts from "
            "0 to 1,000,000,000",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E8,Hal Hill,cashier,0,20,1e300,part_time\n",
            "employees.csv, line 8, field 'hourly_cost': got '1e300'; expected a number from 0 "
            "to 10,000,000",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E8,Hal Hill,cashier,0,inf,12,part_time\n",
            "employees.csv, line 8, field 'max_hours_week': got 'inf'; expected a number from 0 "
            "to 168",
        ),
        (
            "traffic_csv",
            "timestamp,channel,volume\n2026-11-20 09:00,fax,4\n",
            "traffic.csv, line 2, field 'channel': got 'fax'; expected a channel id from "
            "store.toml (tills, phone)",
        ),
        (
            "traffic_csv",
            "timestamp,chanel,volume\n2026-11-20 09:00,tills,4\n",
            "traffic.csv, line 1, field 'channel': expected a column named 'channel' "
            "(is 'chanel' a misspelling?)",
        ),
        (
            "traffic_csv",
            "",
            "traffic.csv: expected a header row with columns timestamp, channel, volume",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E7,Gus Gray,baker,0,20,12,part_time\n",
            "employees.csv, line 8, field 'roles': got 'baker'; expected roles separated by ';' "
            "from cashier, advisor, supervisor",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E7,Gus Gray,supervisor;;,0,20,12,part_time\n",
            "employees.csv, line 8, field 'roles': got 'supervisor;;'; expected roles separated "
            "by ';' from cashier, advisor, supervisor, with no empty entry",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E7,Gus Gray,cashier;advisor;cashier,0,20,12,part_time\n",
            "employees.csv, line 8, field 'roles': got 'cashier;advisor;cashier'; expected roles "
            "separated by ';' from cashier, advisor, supervisor, each once ('cashier' is listed "
            "twice)",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E1,Ann Again,cashier,0,20,12,part_time\n",
            "employees.csv, line 8, field 'employee_id': got 'E1'; expected a unique employee id "
            "(already used on line 2)",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E8,Hal Hill,cashier,30,20,12,part_time\n",
            "employees.csv, line 8, field 'max_hours_week': got '20'; expected a number between "
            "min_hours_week (30) and 168",
        ),
        (
            "availability_csv",
            "employee_id,day,start,end,kind\nE9,monday,,,unavailable\n",
            "availability.csv, line 2, field 'employee_id': got 'E9'; expected an employee_id "
            "listed in employees.csv",
        ),
        (
            "availability_csv",
            "employee_id,day,start,end,kind\nE1,monday,25:00,26:00,available\n",
            "availability.csv, line 2, field 'start': got '25:00'; expected a time HH:MM, "
            "00:00-23:59",
        ),
        (
            "availability_csv",
            "employee_id,day,start,end,kind\nE1,monday,14:00,10:00,available\n",
            "availability.csv, line 2, field 'end': got '10:00'; expected an end after the start "
            "(14:00)",
        ),
        (
            "availability_csv",
            "employee_id,day,start,end,kind\nE1,funday,,,available\n",
            "availability.csv, line 2, field 'day': got 'funday'; expected a week day name",
        ),
        (
            "events_csv",
            "start_date,end_date,name,kind\n2026-12-02,2026-12-01,Sale,promotion\n",
            "events.csv, line 2, field 'end_date': got '2026-12-01'; expected an end_date on or "
            "after start_date (2026-12-02)",
        ),
        (
            "store_toml",
            STORE_TOML.replace('country = "GB"', 'country = "XX"'),
            "store.toml, line 3, field 'country': got 'XX'; expected a code known to the "
            "'holidays' package",
        ),
        (
            "store_toml",
            STORE_TOML.replace('timezone = "Europe/London"\n', ""),
            "store.toml, field 'timezone': expected the required key 'timezone'",
        ),
        (
            "store_toml",
            STORE_TOML.replace("service_level = 0.8", "servce_level = 0.8"),
            "store.toml, line 29, field 'channels[2].servce_level': got 'servce_level'; expected "
            "one of the keys",
        ),
        (
            "store_toml",
            STORE_TOML.replace('monday = "09:00-17:00"', 'monday = "09:00-25:00"'),
            "store.toml, line 9, field 'opening_hours.monday': got '25:00'; expected a time HH:MM "
            "between 00:00 and 24:00",
        ),
        (
            "store_toml",
            STORE_TOML.replace('name = "Mini Mart"', 'name = "Mini Mart'),
            "store.toml, line 1: expected valid TOML",
        ),
    ],
)
def test_bad_input_names_file_line_field(
    tmp_path: Path, file: str, content: str, expected: str
) -> None:
    message = _only(_error(tmp_path, **{file: content}))
    assert message.startswith(expected), message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_bom_is_named_not_misread(tmp_path: Path, encoding: str) -> None:
    """ASCII text in UTF-16 without a BOM is valid UTF-8 (NULs): it was read as headers
    'e m p l o y e e _ i d' and reported as misspelt columns (fuzz review)."""
    folder = write_mini_store(tmp_path)
    (folder / "employees.csv").write_bytes(EMPLOYEES_CSV.encode(encoding))
    message = _only(_error_from(folder))
    assert message.startswith(
        "employees.csv, line 1: expected UTF-8 text (every other byte is 0, as in UTF-16"
    ), message


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    folder = write_mini_store(tmp_path)
    raw = "employee_id,name,roles,min_hours_week,max_hours_week,hourly_cost\n"
    (folder / "employees.csv").write_bytes(
        raw.encode() + "E1,Zoë,cashier,0,40,12\n".encode("latin-1")
    )
    message = _only(_error_from(folder))
    assert re.match(r"employees\.csv, line 2: expected UTF-8 text \(byte 0xeb", message), message


def _error_from(folder: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_store(folder)
    return info.value


def test_missing_file_and_folder(tmp_path: Path) -> None:
    folder = write_mini_store(tmp_path / "s")
    (folder / "employees.csv").unlink()
    assert _only(_error_from(folder)) == "employees.csv: expected this file to exist"
    assert "a store folder" in _only(_error_from(tmp_path / "nope"))


def test_every_bad_row_is_reported_not_just_the_first(tmp_path: Path) -> None:
    body = traffic_csv(weeks=1).splitlines()
    body[3] = body[3].rsplit(",", 1)[0] + ",-1"
    body[5] = body[5].rsplit(",", 1)[0] + ",x"
    err = _error(tmp_path, traffic_csv="\n".join(body) + "\n")
    assert [p.line for p in err.problems] == [4, 6]


def test_a_row_with_a_wrong_field_count_does_not_hide_the_other_rows_problems(
    tmp_path: Path,
) -> None:
    employees = EMPLOYEES_CSV + "E8,Hal Hill,cashier,0,20\nE9,Ida Ince,cashier,0,20,-1,part_time\n"
    body = traffic_csv(weeks=1).splitlines()
    body[3] += ",extra"
    body[5] = body[5].rsplit(",", 1)[0] + ",x"
    err = _error(tmp_path, employees_csv=employees, traffic_csv="\n".join(body) + "\n")
    found = sorted((p.file, p.line, p.field or "") for p in err.problems)
    assert found == [
        ("employees.csv", 8, ""),
        ("employees.csv", 9, "hourly_cost"),
        ("traffic.csv", 4, ""),
        ("traffic.csv", 6, "volume"),
    ]
    assert "7 comma-separated fields (found 5)" in str(err)


def test_autumn_repeated_hour_is_accepted(tmp_path: Path) -> None:
    text = (
        "timestamp,channel,volume\n2026-10-25 00:00,tills,1\n2026-10-25 01:00,tills,2\n"
        "2026-10-25 01:00,phone,3\n"
    )
    data = load_store(write_mini_store(tmp_path, traffic_csv=text))
    assert data.traffic["volume"].tolist() == [3.0, 1.0, 2.0]  # by channel, then time


def test_unknown_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    toml = STORE_TOML.replace('country = "GB"', 'country = "GB"\ntimezon = "UTC"')
    message = _only(_error(tmp_path, store_toml=toml))
    assert message.startswith("store.toml, line 4, field 'timezon': got 'timezon'; expected one of")
    assert "did you mean 'timezone'?" in message


def test_unpack_a_zipped_store_flattens_folders(tmp_path: Path) -> None:
    import io
    import zipfile

    from staffing.loader import unpack_store

    folder = write_mini_store(tmp_path / "src")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for f in folder.iterdir():  # events.csv by a hostile path: it lands inside target
            archive.write(f, f"mini/{f.name}" if f.name != "events.csv" else "../../events.csv")
    target = unpack_store([("store.zip", buffer.getvalue())], tmp_path / "out")
    assert load_store(target).store.name == "Mini Mart"
    assert (target / "events.csv").exists()
    assert not (tmp_path / "events.csv").exists()


def test_unpack_refuses_misspelled_and_doubled_files(tmp_path: Path) -> None:
    """A misspelled availabilty.csv was ignored, and a zip's backup/employees.csv silently
    replaced the real one (32 of 35 employees loaded)."""
    import io
    import zipfile

    from staffing.loader import unpack_store

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("store/employees.csv", EMPLOYEES_CSV)
        archive.writestr("store/backup/employees.csv", EMPLOYEES_CSV)
    files = [("store.zip", buffer.getvalue()), ("availabilty.csv", b"x")]
    with pytest.raises(InputError) as info:
        unpack_store(files, tmp_path / "out")
    assert [str(p) for p in info.value.problems] == [
        "store.zip: store/backup/employees.csv: expected one employees.csv only (another is "
        "store.zip: store/employees.csv)",
        "availabilty.csv: expected one of the store's files: store.toml, employees.csv, "
        "traffic.csv, availability.csv, events.csv (did you mean availability.csv?)",
    ]


def test_unpack_rejects_a_broken_zip(tmp_path: Path) -> None:
    from staffing.loader import unpack_store

    with pytest.raises(InputError, match="upload.zip: expected a valid .zip archive"):
        unpack_store([("upload.zip", b"not a zip")], tmp_path / "out")


def test_one_row_off_the_grid_is_the_one_named(tmp_path: Path) -> None:
    """One row at 10:10 in hourly data: that row is wrong, not every other row."""
    lines = traffic_csv().splitlines()
    at = 100  # a data row (line 101 of the file)
    bad = lines[at] = lines[at].replace(":00:00,", ":10:00,", 1)
    error = _error(tmp_path, traffic_csv="\n".join(lines) + "\n")
    assert len(error.problems) == 1
    assert str(error.problems[0]) == (
        f"traffic.csv, line {at + 1}, field 'timestamp': got '{bad.split(',')[0]}'; expected "
        "interval starts on a 60-minute grid"
    )


def test_problems_in_several_files_are_all_reported(tmp_path: Path) -> None:
    error = _error(
        tmp_path,
        employees_csv=EMPLOYEES_CSV + "E8,Hal Hill,cashier,0,20,-1,part_time\n",
        traffic_csv="timestamp,channel,volume\n2026-11-20 09:00,tills,lots\n",
        events_csv="start_date,end_date,name,kind\n2026-12-02,2026-12-01,Sale,promotion\n",
    )
    assert {p.file for p in error.problems} == {"employees.csv", "traffic.csv", "events.csv"}


def test_weekend_days_beyond_two_is_an_error_not_a_silent_two(tmp_path: Path) -> None:
    header, first, *rest = EMPLOYEES_CSV.splitlines()
    employees = "\n".join([header + ",max_weekend_days", first + ",3", *(r + "," for r in rest)])
    message = _only(_error(tmp_path, employees_csv=employees + "\n"))
    assert message == (
        "employees.csv, line 2, field 'max_weekend_days': got '3'; expected a whole number "
        "from 0 to 2"
    )


def test_event_dates_outside_sane_years(tmp_path: Path) -> None:
    events = "start_date,end_date,name,kind\n2026-11-27,9999-12-31,Sale,promotion\n"
    message = _only(_error(tmp_path, events_csv=events))
    assert message == (
        "events.csv, line 2, field 'end_date': got '9999-12-31'; expected a date in the years "
        "1900-2200"
    )


def test_an_event_kind_in_any_case_is_read_and_an_empty_name_is_named(tmp_path: Path) -> None:
    """availability.csv's kind was read in any case, events.csv's only in lowercase; an event
    without a name passed (fuzz review)."""
    events = "start_date,end_date,name,kind\n2026-11-27,2026-11-27,Sale,Promotion\n"
    data = load_store(write_mini_store(tmp_path / "a", events_csv=events))
    assert [e.kind for e in data.events] == ["promotion"]
    events = "start_date,end_date,name,kind\n2026-11-27,2026-11-27, ,promotion\n"
    message = _only(_error(tmp_path / "b", events_csv=events))
    assert message.startswith("events.csv, line 2, field 'name': got ''; expected a name")


def test_availability_only_while_closed_is_a_warning(tmp_path: Path) -> None:
    rows = "employee_id,day,start,end,kind\nE2,monday,02:00,05:00,available\n"
    data = load_store(write_mini_store(tmp_path / "store", availability_csv=rows))
    assert (
        "availability.csv: E2 is available on monday 02:00-05:00 only while the store is "
        "closed, so no shift fits then"
    ) in data.warnings


def test_a_mistyped_year_in_traffic_is_warned_about(tmp_path: Path) -> None:
    traffic = traffic_csv() + "2030-01-01 09:00:00,tills,4\n"
    data = load_store(write_mini_store(tmp_path / "store", traffic_csv=traffic))
    assert data.default_week() > dt.date(2029, 12, 31)
    assert (
        "traffic.csv: no tills rows from 2026-11-21 16:00 to 2030-01-01 09:00 (1136 days); the "
        "forecast treats them as missing and next week follows the last row"
    ) in data.warnings


def test_rules_off_the_planning_grid_are_warned_about(tmp_path: Path) -> None:
    """The mini store plans in hours: its 30-minute break (the default) becomes an hour."""
    toml = STORE_TOML.replace('monday = "09:00-17:00"', 'monday = "09:15-17:00"')
    data = load_store(write_mini_store(tmp_path / "store", store_toml=toml))
    assert data.warnings[:2] == (
        "store.toml: rules.break_minutes is not a whole number of 60-minute planning "
        "intervals; the roster uses 60 minutes",
        "store.toml: opening_hours.monday 09:15-17:00 is off the 60-minute planning grid; "
        "only intervals that start inside it are open",
    )


def test_an_unclosed_quote_is_named_by_its_line(tmp_path: Path) -> None:
    """An open quote runs on to the end of the file; past the csv module's field limit it
    raised a bare csv.Error (a traceback in the app's upload)."""
    employees = EMPLOYEES_CSV + 'E8,"Hal Hill,cashier,0,20,12,part_time\n' + "x" * 200_000 + "\n"
    message = _only(_error(tmp_path, employees_csv=employees))
    assert message.startswith(
        'employees.csv, line 8: expected a closing quote (") for the quoted field that starts here'
    )


@pytest.mark.parametrize(
    ("file", "content", "expected"),
    [
        (
            "employees_csv",
            EMPLOYEES_CSV + "E8,Daniel\x01Okafor,cashier,0,20,12,part_time\n",
            r"employees.csv, line 8, field 'name': got 'Daniel\x01Okafor'; expected text "
            "without control characters",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E8,Margaret\x0bHughes,cashier,0,20,12,part_time\n",
            r"employees.csv, line 8, field 'name': got 'Margaret\x0bHughes'; expected text "
            "without control characters",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E8,Hal\tHill,cashier,0,20,12,part_time\n",
            r"employees.csv, line 8, field 'name': got 'Hal\tHill'; expected text without "
            "control characters",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E\x008,Hal Hill,cashier,0,20,12,part_time\n",
            r"employees.csv, line 8, field 'employee_id': got 'E\x008'; expected text without "
            "control characters",
        ),
        (
            "employees_csv",
            EMPLOYEES_CSV + "E8,Hal Hill,cashier,0,20,12,part\x7ftime\n",
            r"employees.csv, line 8, field 'contract': got 'part\x7ftime'; expected text without "
            "control characters",
        ),
        (
            "events_csv",
            "start_date,end_date,name,kind\n2026-12-02,2026-12-03,Black\x85Friday,promotion\n",
            r"events.csv, line 2, field 'name': got 'Black\x85Friday'; expected text without "
            "control characters",
        ),
    ],
)
def test_control_characters_in_names_and_ids_are_refused(
    tmp_path: Path, file: str, content: str, expected: str
) -> None:
    # Accepted before, they loaded fine and then crashed the XLSX export.
    message = _only(_error(tmp_path, **{file: content}))
    assert message == expected


def test_ordinary_names_with_accents_apostrophes_and_commas_still_load(tmp_path: Path) -> None:
    employees = EMPLOYEES_CSV + 'E8,"Zoë O\'Brien-Núñez, Jr.",cashier,0,20,12,part_time\n'
    data = load_store(write_mini_store(tmp_path, employees_csv=employees))
    assert data.employee("E8").name == "Zoë O'Brien-Núñez, Jr."


def test_prep_and_close_minutes_off_the_grid_are_warned_about(tmp_path: Path) -> None:
    """30 minutes after closing on an hourly grid lets shifts end an hour after closing: said,
    not silent (fuzz review)."""
    toml = STORE_TOML.replace("[rules]\n", "[rules]\nclose_minutes_after_close = 30\n", 1)
    data = load_store(write_mini_store(tmp_path / "store", store_toml=toml))
    assert (
        "store.toml: rules.close_minutes_after_close is not a whole number of 60-minute planning "
        "intervals; the roster uses 60 minutes"
    ) in data.warnings


def test_an_unclosed_quote_at_the_end_is_named_not_counted_as_fields(tmp_path: Path) -> None:
    """A short unclosed quote did not trip the csv module: it was reported as a row of the
    wrong number of fields, without a word about the quote (fuzz review)."""
    employees = EMPLOYEES_CSV + 'E8,"Hal Hill,cashier,0,20,12,part_time\n'
    message = _only(_error(tmp_path, employees_csv=employees))
    assert message.startswith("employees.csv, line 8: got 'E8,\"Hal Hill,cashier")
    assert 'expected a closing quote (") for the quoted field that starts on this line' in message


def test_a_single_row_of_traffic_is_not_called_60_minute_data(tmp_path: Path) -> None:
    """With one row there is no step to read a resolution from: it had been taken as hourly
    and refused for a 30-minute store as '60-minute data' (fuzz review)."""
    toml = STORE_TOML.replace("interval_minutes = 60", "interval_minutes = 30")
    traffic = "timestamp,channel,volume\n2026-11-20 10:30:00,tills,4\n2026-11-20 10:30,phone,1\n"
    data = load_store(write_mini_store(tmp_path / "s", store_toml=toml, traffic_csv=traffic))
    assert len(data.traffic) == 2


def test_a_number_with_an_underscore_is_refused(tmp_path: Path) -> None:
    """Python reads '1_0' as 10; nobody writing a CSV means that (fuzz review)."""
    employees = EMPLOYEES_CSV.replace("E1,Ann Archer,cashier,0,40,", "E1,Ann Archer,cashier,0,4_0,")
    assert employees != EMPLOYEES_CSV
    message = _only(_error(tmp_path, employees_csv=employees))
    assert "field 'max_hours_week': got '4_0'; expected a number" in message


def test_a_channel_without_any_contacts_is_named(tmp_path: Path) -> None:
    """Every phone row 0: the forecast cannot fit it (it had been a statsmodels traceback)."""
    quiet = re.sub(r",phone,\d+", ",phone,0", traffic_csv())
    folder = write_mini_store(tmp_path / "store", traffic_csv=quiet)
    with pytest.raises(InputError) as caught:
        load_store(folder)
    text = str(caught.value)
    assert "traffic.csv, field 'volume'" in text
    assert "0 on all 384 rows of channel 'phone'" in text
    assert "remove the channel from store.toml" in text


def test_a_channel_without_any_rows_is_named(tmp_path: Path) -> None:
    """No phone rows at all: it had been planned at volume 0 and a service level of 100% with
    no word (review helper-44), where the docs say missing rows are missing data."""
    lines = [line for line in traffic_csv().splitlines() if ",phone," not in line]
    err = _error(tmp_path, traffic_csv="\n".join(lines) + "\n")
    assert len(err.problems) == 1
    message = _only(err)
    assert message == (
        "traffic.csv, field 'channel': got \"no rows of channel 'phone'\"; expected a history for "
        "every channel of store.toml (give its rows, or remove the channel from store.toml)"
    )


def test_a_post_or_channel_nobody_can_staff_is_warned_about(tmp_path: Path) -> None:
    """A post of a role nobody holds had only shown as shortfalls past the ten printed (review
    helper-44); a channel's role likewise."""
    toml = STORE_TOML.replace(
        'roles = ["cashier", "advisor", "supervisor"]',
        'roles = ["cashier", "advisor", "supervisor", "manager"]',
    )
    toml += '\n[[posts]]\nrole = "manager"\nname = "manager on duty"\nmin_staff = 1\n'
    toml = toml.replace('role = "advisor"\naht_seconds', 'role = "manager"\naht_seconds')
    data = load_store(write_mini_store(tmp_path / "store", store_toml=toml))
    assert (
        "store.toml: the post 'manager on duty' needs a manager, and nobody in employees.csv "
        "has the role 'manager': it is short every hour it is due"
    ) in data.warnings
    assert (
        "store.toml: channel 'phone' is served by the role 'manager', which nobody in "
        "employees.csv has: it is short every hour it has contacts"
    ) in data.warnings
    plain = load_store(write_mini_store(tmp_path / "plain"))
    assert not any("nobody in employees.csv" in w for w in plain.warnings)


def test_every_bad_field_of_a_row_is_named_at_once(tmp_path: Path) -> None:
    """Only the first bad field of a row had been reported (review helper-44), where the docs
    promise every problem at once: a fix-and-rerun per field."""
    employees = EMPLOYEES_CSV.replace(
        "E2,Ben Baker,cashier,0,40,12.5,", "E2,Ben Baker,chef,0,x,-3,"
    )
    events = "start_date,end_date,name,kind\n30/05/2026,31/05/2026,Fair,fair\n"
    err = _error(tmp_path, employees_csv=employees, events_csv=events)
    found = {(p.file, p.line, p.field) for p in err.problems}
    assert {
        ("employees.csv", 3, "roles"),
        ("employees.csv", 3, "max_hours_week"),
        ("employees.csv", 3, "hourly_cost"),
        ("events.csv", 2, "start_date"),
        ("events.csv", 2, "end_date"),
        ("events.csv", 2, "kind"),
    } <= found


def test_hours_in_the_wrong_order_are_still_named_once(tmp_path: Path) -> None:
    employees = EMPLOYEES_CSV.replace("E2,Ben Baker,cashier,0,40,", "E2,Ben Baker,cashier,30,20,")
    err = _error(tmp_path, employees_csv=employees)
    assert [str(p) for p in err.problems] == [
        "employees.csv, line 3, field 'max_hours_week': got '20'; expected a number between "
        "min_hours_week (30) and 168"
    ]


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs_says_so(
    tmp_path: Path, sep: str, name: str
) -> None:
    """A spreadsheet whose list separator is ';' saves 'CSV' so: it had been seven 'expected a
    column named ...' lines, none saying why (review helper-44)."""
    employees = "\ufeff" + EMPLOYEES_CSV.replace(",", sep).replace("12.5", "12,5")
    err = _error(tmp_path, employees_csv=employees)
    (problem,) = err.problems
    assert (problem.file, problem.line) == ("employees.csv", 1)
    assert problem.value == EMPLOYEES_CSV.splitlines()[0].replace(",", sep)
    assert str(problem).endswith(
        f"expected a comma-separated file: this one is separated by {name} (in a spreadsheet, "
        "save as 'CSV UTF-8 (comma delimited)')"
    )
