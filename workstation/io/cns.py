"""The CNS North Korea Missile Test Database, read into events and claims (groundwork of the
import's CNS preset; Qt-free).

One CNS row is one missile; the rows of one salvo (same date, facility and missile) become one
event with a missile count. Apogee and distance become claims whose claimant is CNS, their
qualifiers kept. ``Launch Time (UTC)`` is read as UTC, and so is ``Date``, the date the file
gives beside it (the 10-Jan-22 22:27 row is the 11 January launch in Korean time). Every row
gets a line in the report: imported (into which event), flagged (what could not be read, kept
as written in the event's summary) or skipped (why).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from workstation.io import building
from workstation.io.importer import Incoming, RowReport
from workstation.io.readers import RawTable, UnreadableFileError
from workstation.io.values import (
    UnreadableValueError,
    is_missing,
    moment,
    parse_date,
    parse_time,
    split_items,
)
from workstation.model.dates import Precision
from workstation.model.events import Event
from workstation.model.measurements import Measurement
from workstation.model.sources import Source

COLUMNS = (
    "F1", "Date", "Date Entered/Updated", "Launch Time (UTC)", "Missile Name", "Missile Type",
    "Launch Agency/Authority", "Facility Name", "Facility Location", "Other Name",
    "Facility Latitude", "Facility Longitude", "Landing Location", "Apogee",
    "Distance Travelled", "Confirmation Status", "Test Outcome", "Additional Information",
    "Source(s)",
)  # fmt: skip
#: How each column's dates and times are read (the report says so).
ZONES = {"Date": "UTC", "Launch Time (UTC)": "UTC"}
CLAIMANT = "CNS"
SOURCE_ID = "CNS"
EVENT_ZONE = "Asia/Pyongyang"  # where the launches were; its offset changed in 2015 and 2018
CLAIMS = (("Apogee", "apogee"), ("Distance Travelled", "range"))
#: Rows whose ``Date`` is the Korean date beside a UTC time that falls on the day before, in
#: UTC (the file's own error; see ../shared/external/README.md). Keyed by CNS's row id F1
#: with the date and time the row writes, so a renumbered or corrected file is read as written.
KOREAN_DATE_ROWS = frozenset({("161", date(2022, 1, 5), time(23, 10))})


def read_cns(raw: RawTable, name: str = "the CNS database") -> Incoming:
    """The events and claims of a CNS table; nothing in a project changes."""
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise UnreadableFileError(
            f"not the CNS layout: no column {', '.join(repr(c) for c in missing[:4])}"
            + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        )
    report: list[RowReport] = []
    salvos: dict[tuple[str, str, str], list[tuple[int, dict[str, Any], datetime, Precision]]] = {}
    records = cast(list[dict[str, Any]], raw.frame.to_dict("records"))
    for number, row in enumerate(records, start=1):
        try:
            day = parse_date(row["Date"])
            if day is None:
                report.append(RowReport(number, "skipped", "no date"))
                continue
            clock = parse_time(row["Launch Time (UTC)"])
        except UnreadableValueError as exc:
            report.append(RowReport(number, "skipped", str(exc)))
            continue
        start, precision = moment(day, clock, ZONES["Launch Time (UTC)"])
        written = (_text(row["F1"]), day.as_date(), clock)
        if clock is not None and written in KOREAN_DATE_ROWS:
            start -= timedelta(days=1)
            erratum = "Date is the Korean date beside a UTC time: read as the day before, in UTC"
            row = {**row, "_erratum": erratum}
        key = (
            " ".join(str(row["Date"]).split()),
            " ".join(str(row["Facility Name"]).split()).casefold(),
            " ".join(str(row["Missile Name"]).split()).casefold(),
        )
        salvos.setdefault(key, []).append((number, row, start, precision))
    events, claims = [], []
    for rows in salvos.values():
        event, event_claims, lines = _salvo(rows)
        events.append(event.to_row())
        claims += [c.to_row() for c in event_claims]
        report += lines
    source = Source(
        SOURCE_ID,
        title="CNS North Korea Missile Test Database",
        publisher="James Martin Center for Nonproliferation Studies",
        locator_scheme="row",
    )
    return building.salvo_incoming(events, claims, report, source, ZONES, name)


def _salvo(
    rows: list[tuple[int, dict[str, Any], datetime, Precision]],
) -> tuple[Event, list[Measurement], list[RowReport]]:
    """One event for the rows of one salvo: the earliest time, the missile count, the claims
    each distinct value makes, and what could not be read, kept in the summary."""
    rows = sorted(rows, key=lambda r: r[2])
    number, first, start, precision = rows[0]
    event_id = f"CNS-{_text(first['F1']) or number}"
    problems: list[str] = [r["_erratum"] for _, r, _, _ in rows if r.get("_erratum")]
    cells = [
        cell
        for row_number, row, _, _ in rows
        for cell in building.row_cells(
            row_number, row, CLAIMS, _text, f"row {_text(row['F1']) or row_number}"
        )
    ]
    claims, unread = building.read_claims(event_id, cells, _claim_id, CLAIMANT, SOURCE_ID)
    problems += unread
    latitude, longitude = (
        _coordinate(first, "Facility Latitude", problems),
        _coordinate(first, "Facility Longitude", problems),
    )
    missile = _text(first["Missile Name"])
    facility = _text(first["Facility Name"])
    count = len(rows)
    cited = split_items(first["Source(s)"])
    summary = building.summary(
        (
            _text(first["Additional Information"]),
            building.labelled("Outcome", _text(first["Test Outcome"])),
            "Sources cited by CNS: " + "; ".join(cited) if cited else "",
        ),
        problems,
    )
    event = Event(
        id=event_id,
        start_utc=start,
        precision=precision,
        timezone=EVENT_ZONE,
        category="missile test",
        title=building.salvo_title(missile or "Missile", facility, count),
        summary=summary,
        place=facility,
        latitude=latitude,
        longitude=longitude,
        systems=(missile,) if missile else (),
        missile_count=count,
        tags=("cns",),
    )
    lines = building.salvo_report([row_number for row_number, _, _, _ in rows], event_id, problems)
    return event, claims, lines


def _claim_id(event_id: str, parameter: str, made: int, _read: int) -> str:
    """``CNS-161-apogee-1``: numbered by the claims the event has, whatever their parameter."""
    return f"{event_id}-{parameter}-{made + 1}"


def _coordinate(row: dict[str, Any], column: str, problems: list[str]) -> float | None:
    text = _text(row[column])
    if is_missing(text):
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(f"{column}: {text!r} is not a number")
        return None
    limit = 90 if "Latitude" in column else 180
    if not -limit <= value <= limit:
        problems.append(f"{column}: {value} is out of range")
        return None
    return value


def _text(value: object) -> str:
    return "" if is_missing(value) else " ".join(str(value).split())
