"""A column mapping: which column of someone's table holds which field of an event, how its
dates and times are read, and the rows that come out (groundwork of the import; Qt-free).

The import dialog starts from :func:`guess` (by column names) and lets the analyst correct
it; the command line takes ``--map FIELD=COLUMN``. Either way one row becomes one event, with
claims for the quantity fields (apogee, range, ...) whose claimant is the mapping's.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, cast

from workstation.io import building
from workstation.io.importer import Incoming, RowReport
from workstation.io.readers import RawTable
from workstation.io.values import (
    UnreadableValueError,
    is_missing,
    moment_between,
    parse_datetime,
    parse_time,
    split_items,
)
from workstation.model import tables
from workstation.model.dates import is_valid_zone
from workstation.model.events import Event
from workstation.model.sources import SourceRef

TEXT_FIELDS = ("id", "title", "category", "summary", "place")
LIST_FIELDS = ("systems", "tags", "sources")
NUMBER_FIELDS = ("latitude", "longitude", "missile_count")
TIME_FIELDS = ("date", "time")
#: Quantity fields become claims: the parameter each is, and the unit of a bare number.
CLAIM_FIELDS = {
    "apogee": ("apogee", "km"),
    "range": ("range", "km"),
    "max_speed": ("max_speed", "Mach"),
    "flight_time": ("flight_time", "s"),
}
FIELDS = (*TIME_FIELDS, *TEXT_FIELDS, *LIST_FIELDS, *NUMBER_FIELDS, *CLAIM_FIELDS)

#: Column names (normalised: lower case, letters and digits only) that suggest a field.
_HINTS: dict[str, tuple[str, ...]] = {
    "id": ("id", "eventid", "f1", "key", "ref"),
    "date": ("date", "day", "launchdate", "eventdate", "start", "startutc", "when"),
    "time": ("time", "launchtime", "launchtimeutc", "timeutc", "hour", "clock"),
    "title": ("title", "name", "event", "headline", "description"),
    "category": ("category", "type", "eventtype", "kind"),
    "summary": ("summary", "notes", "additionalinformation", "details", "comment", "comments"),
    "place": ("place", "location", "facility", "facilityname", "site", "launchsite", "where"),
    "systems": ("system", "systems", "missile", "missilename", "weapon"),
    "tags": ("tags", "labels"),
    "sources": ("source", "sources", "references", "citation", "citations"),
    "latitude": ("latitude", "lat", "facilitylatitude"),
    "longitude": ("longitude", "lon", "lng", "long", "facilitylongitude"),
    "missile_count": ("count", "missiles", "missilecount", "number", "numberofmissiles"),
    "apogee": ("apogee", "altitude", "maxaltitude"),
    "range": ("range", "distance", "distancetravelled", "distancetraveled"),
    "max_speed": ("speed", "maxspeed", "velocity"),
    "flight_time": ("flighttime", "duration"),
}


@dataclass
class Mapping:
    """Field: column; the zone each date and time column is read in; who claims the values."""

    columns: dict[str, str] = field(default_factory=dict)
    zones: dict[str, str] = field(default_factory=dict)  # column: zone (default ``zone``)
    zone: str = "UTC"
    claimant: str = ""
    category: str = "missile test"  # when no column gives one
    id_prefix: str = "IMP-"

    def zone_of(self, column: str) -> str:
        """The zone a column is read in: as chosen for it, else as its name says
        (``Launch Time (UTC)``), else the mapping's zone."""
        return self.zones.get(column) or named_zone(column) or self.zone

    def check(self, available: list[str]) -> None:
        """A one-line error for a mapping that cannot work on these columns."""
        unknown = [f for f in self.columns if f not in FIELDS]
        if unknown:
            raise ValueError(f"unknown field {unknown[0]!r}: fields are {', '.join(FIELDS)}")
        absent = [c for c in self.columns.values() if c not in available]
        if absent:
            raise ValueError(
                f"no column {absent[0]!r} in the file (it has {', '.join(available[:8])})"
            )
        if "date" not in self.columns:
            raise ValueError("map a column to 'date' (FIELD=COLUMN): every event needs one")
        for zone in (self.zone, *self.zones.values()):
            if not is_valid_zone(zone):
                raise ValueError(f"{zone!r} is not a time zone (e.g. UTC, Asia/Seoul)")


def _normalised(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def guess(columns: list[str]) -> Mapping:
    """A first mapping from the column names; each column is used once, the best hint wins."""
    mapping = Mapping()
    used: set[str] = set()
    for field_name, hints in _HINTS.items():
        for column in columns:
            if column not in used and _normalised(column) in hints:
                mapping.columns[field_name] = column
                used.add(column)
                break
    return mapping


#: Zones a column's name may state, as words of the name.
_NAMED_ZONES = {"utc": "UTC", "gmt": "UTC", "z": "UTC", "kst": "Asia/Seoul",
                "jst": "Asia/Tokyo", "pyt": "Asia/Pyongyang"}  # fmt: skip


def named_zone(column: str) -> str | None:
    """The zone a column's name states (``Launch Time (UTC)``, ``Date KST``), if any."""
    words = re.findall(r"[a-z]+", column.casefold())
    return next((_NAMED_ZONES[w] for w in words if w in _NAMED_ZONES), None)


def parse_map(items: list[str]) -> dict[str, str]:
    """``["date=Launch Date", "title=Event"]`` as a field: column mapping."""
    found = {}
    for item in items:
        field_name, sep, column = item.partition("=")
        if not sep or not field_name.strip() or not column.strip():
            raise ValueError(f"--map {item!r}: write FIELD=COLUMN")
        found[field_name.strip()] = column.strip()
    return found


def read_mapped(raw: RawTable, mapping: Mapping, name: str = "file") -> Incoming:
    """One event per row (and its claims); a row that cannot be read is skipped with its
    reason, a value that cannot be read is flagged and kept, as written, in the summary."""
    mapping.check(raw.columns)
    events, claims, report = [], [], []
    records = cast(list[dict[str, Any]], raw.frame.to_dict("records"))
    columns = mapping.columns
    for number, row in enumerate(records, start=1):

        def cell(field_name: str, row: dict[str, Any] = row) -> str:
            column = columns.get(field_name)
            return "" if column is None or is_missing(row[column]) else str(row[column]).strip()

        problems: list[str] = []
        try:
            day, clock_in_date, stated = parse_datetime(cell("date"))
            if day is None:
                report.append(RowReport(number, "skipped", "no date"))
                continue
            clock = parse_time(cell("time")) if cell("time") else None
        except UnreadableValueError as exc:
            report.append(RowReport(number, "skipped", str(exc)))
            continue
        date_zone = stated or mapping.zone_of(columns["date"])
        zone = mapping.zone_of(columns["time"]) if clock is not None else date_zone
        if clock is None and clock_in_date is not None:  # one cell holds date and time
            clock, zone = clock_in_date, date_zone
        try:
            start, precision = moment_between(day, clock, date_zone, zone)
        except UnreadableValueError as exc:  # pragma: no cover - see moment_between
            report.append(RowReport(number, "skipped", str(exc)))
            continue
        event_id = f"{mapping.id_prefix}{cell('id') or number}"
        numbers = {n: _number(cell(n), n, problems) for n in NUMBER_FIELDS}
        count = numbers["missile_count"]
        cells = [
            building.ClaimCell(
                parameter,
                columns.get(field_name, ""),  # an unmapped field's cell is empty: no claim
                cell(field_name),
                where=field_name,
                default_unit=unit,
            )
            for field_name, (parameter, unit) in CLAIM_FIELDS.items()
        ]
        # One cell per parameter in a row: read_claims has no repeated value to merge here.
        row_claims, unread = building.read_claims(event_id, cells, _claim_id, mapping.claimant)
        problems += unread
        claims += [claim.to_row() for claim in row_claims]
        refs, cited = _refs(cell("sources"))
        summary = building.summary(
            (cell("summary"), "Sources cited: " + "; ".join(cited) if cited else ""), problems
        )
        try:
            event = Event(
                id=event_id,
                start_utc=start,
                precision=precision,
                timezone=date_zone,  # the local calendar the file writes dates in
                category=cell("category") or mapping.category,
                title=cell("title"),
                summary=summary,
                place=cell("place"),
                latitude=numbers["latitude"],
                longitude=numbers["longitude"],
                systems=tuple(split_items(cell("systems"))),
                missile_count=int(count) if count is not None else None,
                tags=tuple(split_items(cell("tags"))),
                sources=tuple(refs),
            )
        except ValueError as exc:
            report.append(RowReport(number, "skipped", str(exc)))
            continue
        events.append(event.to_row())
        detail = "; ".join(problems) or f"into {event_id}"
        report.append(RowReport(number, building.status(problems), detail, event_id))
    zones = {columns[f]: mapping.zone_of(columns[f]) for f in TIME_FIELDS if f in columns}
    return Incoming(
        tables.from_records("events", events),
        tables.from_records("measurements", claims),
        report,
        zones=zones,
        name=name,
    )


def _claim_id(event_id: str, parameter: str, _made: int, _read: int) -> str:
    """``IMP-7-apogee``: one row makes at most one claim of each parameter."""
    return f"{event_id}-{parameter}"


def _number(text: str, name: str, problems: list[str]) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        problems.append(f"{name}: {text!r} is not a number")
        return None
    if not math.isfinite(value) or abs(value) > 1e12:
        problems.append(f"{name}: {text[:40]!r} is not a usable number")
        return None
    limits = {"latitude": 90.0, "longitude": 180.0}
    if name in limits and not -limits[name] <= value <= limits[name]:
        problems.append(f"{name}: {value} is out of range")
        return None
    if name == "missile_count" and (value < 0 or value != int(value)):
        problems.append(f"{name}: {text!r} is not a count")
        return None
    return value


_SOURCE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}(?::[^:/].*)?$")


def _refs(text: str) -> tuple[list[SourceRef], list[str]]:
    """Items that are source ids (``S1``, ``article:¶4``) become references; citations
    written out ("Yonhap, 11 Jan 2022", a web address) are kept as text for the summary."""
    refs, cited = [], []
    for item in split_items(text):
        if _SOURCE_ID.match(item) and "//" not in item:
            refs.append(SourceRef.parse(item))
        else:
            cited.append(item)
    return refs, cited
