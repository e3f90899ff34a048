"""Build the seed project (``data/seed.wsproj``) from the reviewable files in ``data/seed/``.

Run ``python -m workstation.seedbuild`` (or ``make seed``) after editing any file in
``data/seed/``; ``tests/test_seed.py`` fails while the built file is out of date.

Events are written in local time (what the sources report); the builder converts them to UTC
with the event's IANA zone, takes coordinates from the place table, and checks that every
reference (places, systems, sources, annotation targets and sources) resolves.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from workstation.model import lists, tables, validation
from workstation.model.annotations import Target, TargetKind
from workstation.model.dates import Precision, local_to_utc, zone
from workstation.model.document import Document
from workstation.model.sources import SourceRef
from workstation.paths import repository_root

SEED_DIR = repository_root() / "data" / "seed"
SEED_FILE = repository_root() / "data" / "seed.wsproj"


class SeedError(ValueError):
    pass


def read_csv(path: Path) -> pd.DataFrame:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return pd.DataFrame(rows)


def build_events(raw: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    coordinates = {row["id"]: row for row in places.to_dict("records")}
    rows: list[dict[str, Any]] = []
    for record in raw.to_dict("records"):
        event_id = record["id"]
        try:
            tz_name = record["timezone"]
            start, implied = local_to_utc(record["local_start"], tz_name)
            stated = Precision(record["precision"])
            if stated is not Precision.APPROXIMATE and stated is not implied:
                raise SeedError(f"precision {stated} but local_start is written to the {implied}")
            end = None
            if record["local_end"].strip():
                end, end_precision = local_to_utc(record["local_end"], tz_name)
                if end_precision is Precision.DAY:
                    # "until 22 January" includes that day: end at the following local midnight
                    local_end = end.astimezone(zone(tz_name)) + timedelta(days=1)
                    end = local_end.astimezone(UTC)
        except (ValueError, KeyError) as exc:
            raise SeedError(f"events.csv {event_id}: {exc}") from None
        place = coordinates.get(record["place"]) if record["place"] else None
        if record["place"] and place is None:
            raise SeedError(f"events.csv {event_id}: unknown place {record['place']!r}")
        rows.append(
            {
                **{
                    k: record[k]
                    for k in (
                        "id",
                        "precision",
                        "timezone",
                        "category",
                        "title",
                        "summary",
                        "place",
                        "systems",
                        "missile_count",
                        "tags",
                        "sources",
                    )
                },
                "start_utc": start,
                "end_utc": end,
                "latitude": place["latitude"] if place else None,
                "longitude": place["longitude"] if place else None,
            }
        )
    return tables.from_records("events", rows)


def build_annotations(path: Path) -> pd.DataFrame:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rows = []
    for note in data.get("annotation", []):
        created = note["created_utc"]
        rows.append(
            {
                "id": note["id"],
                "targets": lists.join(note.get("targets", [])),
                "body": note["body"].strip() + "\n",
                "tags": lists.join(note.get("tags", [])),
                "author": note.get("author", ""),
                "created_utc": created,
                "modified_utc": note.get("modified_utc", created),
                "confidence": note.get("confidence", ""),
                "sources": lists.join(note.get("sources", [])),
            }
        )
    return tables.from_records("annotations", rows)


def check_references(frames: dict[str, pd.DataFrame]) -> list[str]:
    """Every id a row points to must exist."""
    ids = {name: set(frame["id"]) for name, frame in frames.items()}
    found: list[str] = []
    for row in frames["events"].to_dict("records"):
        for system in lists.split(row["systems"]):
            if system not in ids["systems"]:
                found.append(f"event {row['id']}: unknown system {system!r}")
        for item in lists.split(row["sources"]):
            if SourceRef.parse(item).source_id not in ids["sources"]:
                found.append(f"event {row['id']}: unknown source {item!r}")
    for row in frames["measurements"].to_dict("records"):
        subject_table = "events" if row["subject_type"] == "event" else "systems"
        if row["subject_id"] not in ids[subject_table]:
            found.append(
                f"measurement {row['id']}: unknown {row['subject_type']} {row['subject_id']!r}"
            )
        if row["source_id"] and row["source_id"] not in ids["sources"]:
            found.append(f"measurement {row['id']}: unknown source {row['source_id']!r}")
    kinds = {
        TargetKind.EVENT: "events",
        TargetKind.SYSTEM: "systems",
        TargetKind.MEASUREMENT: "measurements",
    }
    for row in frames["annotations"].to_dict("records"):
        for item in lists.split(row["targets"]):
            target = Target.parse(item)
            table = kinds.get(target.kind)
            if table and target.ref not in ids[table]:
                found.append(f"annotation {row['id']}: unknown target {item!r}")
        for item in lists.split(row["sources"]):
            if SourceRef.parse(item).source_id not in ids["sources"]:
                found.append(f"annotation {row['id']}: unknown source {item!r}")
    return found


def build_document(seed_dir: Path = SEED_DIR) -> Document:
    """Read and check every seed file; raise :class:`SeedError` listing all problems."""
    project = tomllib.loads((seed_dir / "project.toml").read_text(encoding="utf-8"))
    frames: dict[str, pd.DataFrame] = {}
    for name in ("sources", "places", "systems", "measurements"):
        try:
            frames[name] = tables.conform(name, read_csv(seed_dir / f"{name}.csv"))
        except ValueError as exc:
            raise SeedError(f"{name}.csv: {exc}") from None
    frames["events"] = build_events(read_csv(seed_dir / "events.csv"), frames["places"])
    frames["annotations"] = build_annotations(seed_dir / "annotations.toml")
    frames["annotation_versions"] = tables.empty("annotation_versions")  # no history yet
    found = [p for name, frame in frames.items() for p in validation.problems(name, frame, 50)]
    found += validation.reference_problems(frames, 50)
    found += check_references(frames)
    if found:
        raise SeedError("the seed has problems:\n  " + "\n  ".join(found))
    meta = {str(k): str(v) for k, v in project.get("meta", {}).items()}
    return Document(frames, meta)


def write_seed(document: Document, target: Path = SEED_FILE) -> None:
    from workstation.store.project_file import write_new_file

    handle, temp_name = tempfile.mkstemp(suffix=".wsproj", dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        temp.unlink()
        write_new_file(document, temp)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def main() -> int:
    try:
        document = build_document()
    except (SeedError, OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        print(f"seedbuild: {exc}", file=sys.stderr)
        return 2
    write_seed(document)
    counts = ", ".join(f"{len(document.table(n))} {n}" for n in tables.TABLE_NAMES)
    print(f"wrote {SEED_FILE} ({counts}) at {datetime.now(UTC):%Y-%m-%d %H:%M}Z")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
