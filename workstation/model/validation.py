"""Whole-table checks, vectorised so that a million events validate in well under a second.

Used when a project file is opened (a file from someone else is untrusted), when the seed is
built, and by imports. Each problem is one readable line naming the table, the row id and what
is wrong.

:func:`problems` checks one table on its own; :func:`reference_problems` checks what rows of
one table say about another (an annotation version's annotation must exist). Opening a file
runs only the first: a dangling reference loses nothing and is no reason to refuse a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workstation.model.annotations import Confidence, Target
from workstation.model.dates import Precision, is_valid_zone
from workstation.model.grading import CREDIBILITY, RELIABILITY
from workstation.model.measurements import Qualifier, SubjectType
from workstation.model.sources import SourceRef
from workstation.model.systems import MissileClass
from workstation.model.tables import columns
from workstation.model.units import UNITS


def shown(value: object, limit: int = 60) -> str:
    """A value quoted in a message: a hostile 70,000-character id is not echoed whole."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def problems(table: str, frame: pd.DataFrame, limit: int = 5) -> list[str]:
    """Up to ``limit`` problems found in ``frame``; an empty list means the table is valid."""
    found: list[str] = []
    ids = frame["id"]

    def flag(mask: pd.Series, what: str) -> None:
        if len(found) < limit and bool(mask.any()):
            first = ids[mask].iloc[0]
            count = int(mask.sum())
            more = f" (and {count - 1} more rows)" if count > 1 else ""
            found.append(f"{table} row {shown(first)}: {what}{more}")

    blank_id = ids == ""
    if blank_id.any():
        found.append(f"{table}: {int(blank_id.sum())} rows have no id")
    _checks(table, frame, flag, blank_id)
    return found


def row_problems(table: str, frame: pd.DataFrame) -> pd.Series:
    """For each row of ``frame``, the first problem found with it, or "" (an importer skips
    the rows a project could not hold, and says why, by the same checks as opening a file)."""
    reasons = pd.Series("", index=frame.index, dtype=object)

    def flag(mask: pd.Series, what: str) -> None:
        hit = pd.Series(mask, index=frame.index).fillna(False).astype(bool) & (reasons == "")
        if hit.any():
            reasons[hit] = what

    blank_id = frame["id"] == ""
    flag(blank_id, "has no id")
    _checks(table, frame, flag, blank_id)
    return reasons


def _checks(
    table: str, frame: pd.DataFrame, flag: Callable[[pd.Series, str], None], blank_id: pd.Series
) -> None:
    """Every check of a table, each reported through ``flag(mask, what)``."""
    ids = frame["id"]
    if not _strictly_increasing(ids):  # the common case, proven in milliseconds
        flag(ids.duplicated(keep="first") & ~blank_id, "duplicate id")

    for column in columns(table):
        series = frame[column.name]
        if column.kind in ("text", "list"):
            if _max_bytes(series) > column.max_chars:  # bytes >= characters: rarely counted
                flag(
                    series.str.len() > column.max_chars,
                    f"{column.name} is longer than {column.max_chars:,} characters",
                )
            if column.required:
                flag(series.str.strip() == "", f"{column.name} is blank")
        elif column.required:
            flag(series.isna(), f"{column.name} is missing")

    def enum(name: str, allowed: set[str], allow_blank: bool = True) -> None:
        series = frame[name]
        bad = ~series.isin(allowed)
        if allow_blank:
            bad &= series != ""
        flag(bad, f"{name} must be one of: {', '.join(sorted(allowed))}")

    if table == "events":
        enum("precision", {p.value for p in Precision}, allow_blank=False)
        zones = frame["timezone"].unique()
        bad_zones = {z for z in zones if not is_valid_zone(str(z))}
        flag(frame["timezone"].isin(bad_zones), "timezone is not an IANA time zone")
        flag(
            frame["end_utc"].notna() & (frame["end_utc"] < frame["start_utc"]),
            "ends before it starts",
        )
        flag(frame["missile_count"].fillna(0) < 0, "missile_count is negative")
        _coordinates(frame, flag)
    elif table == "systems":
        enum("class", {c.value for c in MissileClass})
    elif table == "measurements":
        enum("subject_type", {s.value for s in SubjectType}, allow_blank=False)
        enum("qualifier", {q.value for q in Qualifier}, allow_blank=False)
        enum("unit", set(UNITS))
        enum("reliability", set(RELIABILITY))
        credibility = frame["credibility"]
        flag(credibility.notna() & ~credibility.isin(list(CREDIBILITY)), "credibility must be 1-6")
        between = frame["qualifier"] == Qualifier.BETWEEN.value
        flag(
            between
            & (frame["lower"].isna() | frame["upper"].isna() | (frame["lower"] > frame["upper"])),
            "'between' needs lower <= upper",
        )
        flag(~between & frame["value"].isna(), "needs a value")
    elif table == "sources":
        enum("reliability", set(RELIABILITY))
    elif table == "places":
        _coordinates(frame, flag)
    elif table == "annotations":
        enum("confidence", {c.value for c in Confidence})
        flag(frame["modified_utc"] < frame["created_utc"], "modified before it was created")
        flag(_bad_cells(frame["targets"], _bad_targets), "has a malformed target")
        flag(_bad_cells(frame["sources"], _bad_sources), "has a malformed source reference")
    elif table == "annotation_versions":
        flag(frame["version"].fillna(1) < 1, "version must be 1 or more")
        flag(
            frame.duplicated(["annotation_id", "version"], keep="first") & frame["version"].notna(),
            "the same version of one annotation appears twice",
        )
        enum("confidence", {c.value for c in Confidence})
        flag(_bad_cells(frame["targets"], _bad_targets), "has a malformed target")
        flag(_bad_cells(frame["sources"], _bad_sources), "has a malformed source reference")


def reference_problems(frames: Mapping[str, pd.DataFrame], limit: int = 5) -> list[str]:
    """Up to ``limit`` rows that point to a row missing from another table.

    ``frames`` maps table names to tables; a check runs when both of its tables are given.
    """
    found: list[str] = []
    if "annotation_versions" in frames and "annotations" in frames:
        versions = frames["annotation_versions"]
        orphan = ~versions["annotation_id"].isin(frames["annotations"]["id"])
        if bool(orphan.any()):
            first = versions[orphan].iloc[0]
            count = int(orphan.sum())
            more = f" (and {count - 1} more rows)" if count > 1 else ""
            found.append(
                f"annotation_versions row {shown(first['id'])}: annotation "
                f"{shown(first['annotation_id'])} does not exist{more}"
            )
    return found[:limit]


def _strictly_increasing(ids: pd.Series) -> bool:
    if len(ids) < 2:
        return True
    values = pa.array(ids)
    return bool(pc.all(pc.less(values[:-1], values[1:])).as_py())


def _max_bytes(series: pd.Series) -> int:
    if series.empty:
        return 0
    longest = pc.max(pc.binary_length(pa.array(series))).as_py()
    return int(longest or 0)


def _coordinates(frame: pd.DataFrame, flag: object) -> None:
    assert callable(flag)
    lat, lon = frame["latitude"], frame["longitude"]
    flag(lat.notna() & ((lat < -90) | (lat > 90)), "latitude out of range")
    flag(lon.notna() & ((lon < -180) | (lon > 180)), "longitude out of range")


def _bad_cells(series: pd.Series, bad: Callable[[str], bool]) -> pd.Series:
    """Rows whose cell ``bad`` rejects; each distinct non-blank cell is checked once (a
    history repeats its note's targets and sources on every version)."""
    distinct = series[series != ""].unique()
    rejected = [cell for cell in distinct if bad(str(cell))]
    return series.isin(rejected)


def _bad_sources(cell: str) -> bool:
    from workstation.model.lists import split

    try:
        for item in split(cell):
            SourceRef.parse(item)
    except ValueError:
        return True
    return False


def _bad_targets(cell: str) -> bool:
    from workstation.model.lists import split

    try:
        for item in split(cell):
            Target.parse(item)
    except ValueError:
        return True
    return False
