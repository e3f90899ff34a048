"""Reading other people's values (groundwork of the import): every parse rule as a table of
cases, and, when ../shared/external/ is present, every value of the real CNS file."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pandas as pd
import pytest

from tests.conftest import SHARED
from workstation.io.values import (
    LocalDate,
    Quantity,
    UnreadableValueError,
    is_missing,
    moment,
    parse_date,
    parse_datetime,
    parse_quantity,
    parse_time,
    split_items,
)
from workstation.model.dates import Precision
from workstation.model.measurements import Qualifier

CNS = SHARED / "external" / "cns_north_korea_missile_test_database.csv"


@pytest.mark.parametrize(
    "text", ["", "  ", "Unknown", "UNKNOWN", "n/a", "N/A", "-", "?", None, float("nan")]
)
def test_missing_values_are_none_never_zero(text: object) -> None:
    assert is_missing(text)
    assert parse_quantity(text) is None
    assert parse_date(text) is None
    assert parse_time(text) is None
    assert split_items(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-01-05", LocalDate(2022, 1, 5)),
        ("2022/1/5", LocalDate(2022, 1, 5)),
        ("5-Jan-22", LocalDate(2022, 1, 5)),
        ("05 Jan 2022", LocalDate(2022, 1, 5)),
        ("5 January 2022", LocalDate(2022, 1, 5)),
        ("Jan 5, 2022", LocalDate(2022, 1, 5)),
        ("9-Apr-84", LocalDate(1984, 4, 9)),
        ("3/23/2023", LocalDate(2023, 3, 23)),  # month first, as the CNS file writes it
        ("Sep-84", LocalDate(1984, 9, 1, Precision.MONTH)),  # a month, never 1 September
        ("September 1984", LocalDate(1984, 9, 1, Precision.MONTH)),
        ("2022-01", LocalDate(2022, 1, 1, Precision.MONTH)),
        ("1984", LocalDate(1984, 1, 1, Precision.YEAR)),
        ("1-Jan-68", LocalDate(2068, 1, 1)),  # the POSIX two-digit-year rule
        ("1-Jan-69", LocalDate(1969, 1, 1)),
    ],
)
def test_dates(text: str, expected: LocalDate) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31-Feb-22", "not a real date"),
        ("13/40/2022", "not a real date"),
        ("Foo-22", "is not a month"),
        ("next Tuesday", "not a date this importer reads"),
    ],
)
def test_bad_dates_are_flagged_in_one_line(text: str, reason: str) -> None:
    with pytest.raises(UnreadableValueError, match=reason) as caught:
        parse_date(text)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11:10:00 PM", time(23, 10)),
        ("12:29:00 AM", time(0, 29)),
        ("12:05 PM", time(12, 5)),
        ("8:33:00 pm", time(20, 33)),
        ("23:10", time(23, 10)),
        ("07:27:05", time(7, 27, 5)),
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13:00 PM", "noon", "7h27"])
def test_bad_times_are_flagged(text: str) -> None:
    with pytest.raises(UnreadableValueError):
        parse_time(text)


def test_a_utc_time_on_a_utc_date_lands_on_the_next_korean_day() -> None:
    """The CNS row of 10-Jan-22 at 22:27 UTC is the 11 January launch, Korean time."""
    utc, precision = moment(parse_date("10-Jan-22"), parse_time("10:27:00 PM"), "UTC")  # type: ignore[arg-type]
    assert (utc, precision) == (datetime(2022, 1, 10, 22, 27, tzinfo=UTC), Precision.TIME)
    assert utc.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Seoul")).day == 11
    # A month-only date stays a month, even with a time beside it.
    month = parse_date("Sep-84")
    assert month is not None
    assert moment(month, time(1, 0), "UTC")[1] is Precision.MONTH


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,380 km", Quantity(Qualifier.EXACT, 1380.0, unit="km")),
        ("2111.5 km", Quantity(Qualifier.EXACT, 2111.5, unit="km")),
        ("0 km", Quantity(Qualifier.EXACT, 0.0, unit="km")),  # a real zero stays zero
        ("between 25 and 90 km", Quantity(Qualifier.BETWEEN, None, 25.0, 90.0, "km")),
        ("25-90 km", Quantity(Qualifier.BETWEEN, None, 25.0, 90.0, "km")),
        ("25 km to 90 km", Quantity(Qualifier.BETWEEN, None, 25.0, 90.0, "km")),
        ("> 700 km", Quantity(Qualifier.GREATER_THAN, 700.0, unit="km")),
        ("more than 700 km", Quantity(Qualifier.GREATER_THAN, 700.0, unit="km")),
        ("< 50 km", Quantity(Qualifier.LESS_THAN, 50.0, unit="km")),
        ("up to 1,000 km", Quantity(Qualifier.AT_MOST, 1000.0, unit="km")),
        ("about 60 km", Quantity(Qualifier.APPROXIMATE, 60.0, unit="km")),
        ("~60 km", Quantity(Qualifier.APPROXIMATE, 60.0, unit="km")),
        ("Mach 10", Quantity(Qualifier.EXACT, 10.0, unit="Mach")),
        ("600 kilometres", Quantity(Qualifier.EXACT, 600.0, unit="km")),
        ("370 miles", Quantity(Qualifier.EXACT, 370.0, unit="mi")),
    ],
)
def test_quantities_keep_their_qualifier(text: str, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("330 lm", "'lm' is not a unit"),  # the CNS file's typo: flagged, never guessed
        ("100", "has no unit"),
        ("far", "not a number with a unit"),
        ("25 km - 90 mi", "different units"),
    ],
)
def test_unreadable_quantities_are_flagged(text: str, reason: str) -> None:
    with pytest.raises(UnreadableValueError, match=reason):
        parse_quantity(text)


def test_a_bare_number_takes_the_columns_unit() -> None:
    assert parse_quantity("100", default_unit="km") == Quantity(Qualifier.EXACT, 100.0, unit="km")


def test_sources_split_on_semicolons_and_line_ends() -> None:
    assert split_items("KCNA; Yonhap\r\nJCS;;\nKCNA") == ["KCNA", "Yonhap", "JCS"]


@pytest.mark.skipif(not CNS.exists(), reason="../shared/external/ is not here")
def test_every_value_of_the_real_cns_file_reads_or_is_flagged() -> None:
    table = pd.read_csv(CNS, encoding="cp1252", dtype=str, keep_default_na=False)
    flagged: list[str] = []
    for column in ("Apogee", "Distance Travelled"):
        for text in table[column]:
            try:
                value = parse_quantity(text)
            except UnreadableValueError:
                flagged.append(text)
                continue
            if value is not None and value.value == 0:
                assert text.strip().startswith("0"), f"{text!r} became 0"
    assert set(flagged) == {"330 lm"}  # the unit typo (two rows of one salvo), nothing else
    for column in ("Date", "Date Entered/Updated"):
        for text in table[column]:
            parse_date(text)  # every date form in the file is read
    months = [d for d in map(parse_date, table["Date"]) if d and d.precision is Precision.MONTH]
    assert months  # Sep-84 and the like stay months
    for text in table["Launch Time (UTC)"]:
        parse_time(text)


def test_a_date_in_one_zone_beside_a_time_in_another() -> None:
    """A Korean date beside a UTC launch time: the instant whose UTC clock reads the time and
    whose Korean date is the date (CNS row 161: 5 January, 23:10 UTC, is 4 January in UTC)."""
    from workstation.io.values import moment_between

    fifth = parse_date("5-Jan-22")
    assert fifth is not None
    utc, precision = moment_between(fifth, time(23, 10), "Asia/Seoul", "UTC")
    assert (utc, precision) == (datetime(2022, 1, 4, 23, 10, tzinfo=UTC), Precision.TIME)
    morning, _ = moment_between(fifth, time(1, 0), "Asia/Seoul", "UTC")
    assert morning == datetime(2022, 1, 5, 1, 0, tzinfo=UTC)  # 10:00 in Korea, same date
    same, _ = moment_between(fifth, time(8, 10), "Asia/Seoul", "Asia/Seoul")
    assert same == datetime(2022, 1, 4, 23, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "day", "clock", "zone"),
    [
        ("2022-01-05", LocalDate(2022, 1, 5, Precision.DAY), None, None),
        # A spreadsheet's date cell: its midnight is no launch time.
        ("2022-01-05 00:00:00", LocalDate(2022, 1, 5, Precision.DAY), None, None),
        ("2022-01-05T10:00:00Z", LocalDate(2022, 1, 5, Precision.DAY), time(10), "UTC"),
        ("2022-01-05T00:00:00Z", LocalDate(2022, 1, 5, Precision.DAY), time(0), "UTC"),
        ("2022-01-05 23:10", LocalDate(2022, 1, 5, Precision.DAY), time(23, 10), None),
        (
            "2022-01-05T07:52:00.000+09:00",
            LocalDate(2022, 1, 5, Precision.DAY),
            time(7, 52),
            "Etc/GMT-9",
        ),
        (
            "2022-01-05T07:52:00-0500",
            LocalDate(2022, 1, 5, Precision.DAY),
            time(7, 52),
            "Etc/GMT+5",
        ),
        ("5-Jan-22", LocalDate(2022, 1, 5, Precision.DAY), None, None),
        ("", None, None, None),
    ],
)
def test_a_cell_with_a_date_and_a_time(
    text: str, day: LocalDate | None, clock: time | None, zone: str | None
) -> None:
    assert parse_datetime(text) == (day, clock, zone)
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text", ["2022-01-05T07:52+05:30", "2022-02-30T10:00:00Z", "2022-01-05T25:00"]
)
def test_a_date_and_time_that_cannot_be_read_is_flagged(text: str) -> None:
    with pytest.raises(UnreadableValueError):
        parse_datetime(text)
