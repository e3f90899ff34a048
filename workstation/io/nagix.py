"""The normalized JSON of the public nk-missile-tests visualization, read into events and
claims (the import's ``nagix`` preset; Qt-free).

Three files: the tests (``timeBins[].data[]``: UTC ``date``, ``time`` such as ``23:10 (UTC)``
or ``unknown``, ``missile`` and ``facility`` keys, ``apogee`` and ``distance`` in km or
``unknown``), and beside them the missile table and the facility table (names, coordinates).
As for CNS, the tests of one salvo (same date, facility and missile) become one event with a
missile count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pandas as pd

from workstation.io import building
from workstation.io.importer import Incoming, RowReport
from workstation.io.readers import RawTable, UnreadableFileError, read_file
from workstation.io.values import (
    UnreadableValueError,
    is_missing,
    moment,
    parse_date,
    parse_time,
)
from workstation.model.events import Event
from workstation.model.sources import Source

TEST_COLUMNS = ("date", "time", "missile", "facility", "apogee", "distance")
ZONES = {"date": "UTC", "time": "UTC"}
CLAIMANT = "nk-missile-tests"
SOURCE_ID = "nagix"
EVENT_ZONE = "Asia/Pyongyang"
CLAIMS = (("apogee", "apogee"), ("distance", "range"))  # column, parameter


def companions(tests: Path) -> tuple[Path | None, Path | None]:
    """The missile and facility files beside a tests file (``nagix_test.en.json`` has
    ``nagix_missile.en.json`` and ``nagix_facility.en.json``)."""
    found = []
    for kind in ("missile", "facility"):
        candidate = tests.with_name(tests.name.replace("test", kind, 1))
        found.append(candidate if candidate != tests and candidate.exists() else None)
    return found[0], found[1]


def read_nagix_files(tests: Path, encoding: str | None = None) -> Incoming:
    missiles, facilities = companions(tests)
    return read_nagix(
        read_file(tests, encoding),
        read_file(missiles) if missiles else None,
        read_file(facilities) if facilities else None,
        tests.name,
    )


def read_nagix(
    tests: RawTable,
    missiles: RawTable | None = None,
    facilities: RawTable | None = None,
    name: str = "nk-missile-tests",
) -> Incoming:
    missing = [c for c in TEST_COLUMNS if c not in tests.columns]
    if missing:
        raise UnreadableFileError(f"not the nk-missile-tests layout: no {', '.join(missing)}")
    missile_names = _keyed(missiles, "name")
    places = _keyed(facilities, "name")
    latitudes, longitudes = _keyed(facilities, "lat"), _keyed(facilities, "lon")
    report: list[RowReport] = []
    salvos: dict[tuple[str, str, str], list[tuple[int, dict[str, Any]]]] = {}
    for number, row in enumerate(cast(list[dict[str, Any]], tests.frame.to_dict("records")), 1):
        key = (str(row["date"]).strip(), str(row["facility"]).strip(), str(row["missile"]).strip())
        salvos.setdefault(key, []).append((number, row))
    events, claims = [], []
    for rows in salvos.values():
        first_number, first = rows[0]
        try:
            day = parse_date(first["date"])
            if day is None:
                report += [RowReport(n, "skipped", "no date") for n, _ in rows]
                continue
            times = [parse_time(str(r["time"]).replace("(UTC)", "").strip()) for _, r in rows]
        except UnreadableValueError as exc:
            report += [RowReport(n, "skipped", str(exc)) for n, _ in rows]
            continue
        known = [t for t in times if t is not None]
        start, precision = moment(day, min(known) if known else None, ZONES["time"])
        event_id = f"NX-{first_number}"
        missile_key, facility_key = str(first["missile"]), str(first["facility"])
        missile = missile_names.get(missile_key, missile_key)
        place = places.get(facility_key, facility_key if not is_missing(facility_key) else "")
        locator = f"{first['date']} {missile_key}"
        cells = [
            cell
            for number, row in rows
            for cell in building.row_cells(number, row, CLAIMS, str, locator, default_unit="km")
        ]
        event_claims, problems = building.read_claims(
            event_id, cells, _claim_id, CLAIMANT, SOURCE_ID
        )
        claims += [claim.to_row() for claim in event_claims]
        count = len(rows)
        event = Event(
            id=event_id,
            start_utc=start,
            precision=precision,
            timezone=EVENT_ZONE,
            category="missile test",
            title=building.salvo_title(missile, place, count),
            summary=building.summary(
                (
                    _text(first.get("description")),
                    building.labelled("Outcome", _text(first.get("outcome"))),
                    building.labelled("Landing", _text(first.get("landing"))),
                ),
                problems,
            ),
            place=place,
            latitude=_float(latitudes.get(facility_key)),
            longitude=_float(longitudes.get(facility_key)),
            systems=(missile,),
            missile_count=count,
            tags=("nk-missile-tests",),
        )
        events.append(event.to_row())
        report += building.salvo_report([n for n, _ in rows], event_id, problems)
    source = Source(
        SOURCE_ID,
        title="nk-missile-tests visualization data (normalized from the CNS database)",
        locator_scheme="none",
    )
    return building.salvo_incoming(events, claims, report, source, ZONES, name)


def _claim_id(event_id: str, parameter: str, _made: int, read: int) -> str:
    """``NX-12-apogee-3``: numbered by the distinct values of the salvo read so far."""
    return f"{event_id}-{parameter}-{read}"


def _keyed(table: RawTable | None, column: str) -> dict[str, str]:
    if table is None or "key" not in table.columns or column not in table.columns:
        return {}
    frame: pd.DataFrame = table.frame
    return {str(k): str(v) for k, v in zip(frame["key"], frame[column], strict=True) if v != ""}


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _text(value: object) -> str:
    return "" if is_missing(value) else " ".join(str(value).split())
