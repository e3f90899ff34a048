"""The shape of every project table, shared by the document, the file store and table I/O.

One declaration per column says its name, kind and limits. The SQLite schema
(``store/schema.py``), the canonical export (``io/tables.py``) and validation are all derived
from it, so the three can never drift apart.

In memory a table is a ``pandas.DataFrame`` with these columns in this order:

- ``text`` and ``list`` columns are strings, never missing ("" means blank);
- ``time`` columns are ``datetime64[s, UTC]`` (missing: ``NaT``);
- ``real`` columns are ``float64`` (missing: ``NaN``);
- ``integer`` columns are pandas' nullable ``Int64``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

ColumnKind = Literal["text", "list", "time", "real", "integer"]

# Bounds on what one cell may hold. A file from someone else is untrusted; a 2 GB title must
# give a clear error, not exhaust memory in the table view.
MAX_SHORT_TEXT = 64 * 1024
MAX_LONG_TEXT = 16 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    required: bool = False
    max_chars: int = MAX_SHORT_TEXT


def _text(name: str, required: bool = False, long: bool = False) -> Column:
    return Column(name, "text", required, MAX_LONG_TEXT if long else MAX_SHORT_TEXT)


EVENTS: tuple[Column, ...] = (
    _text("id", required=True),
    Column("start_utc", "time", required=True),
    Column("end_utc", "time"),
    _text("precision", required=True),
    _text("timezone", required=True),
    _text("category"),
    _text("title"),
    _text("summary", long=True),
    _text("place"),
    Column("latitude", "real"),
    Column("longitude", "real"),
    Column("systems", "list"),
    Column("missile_count", "integer"),
    Column("tags", "list"),
    Column("sources", "list"),
)

SYSTEMS: tuple[Column, ...] = (
    _text("id", required=True),
    _text("name", required=True),
    Column("aliases", "list"),
    _text("class"),
    _text("country"),
    _text("propulsion"),
    _text("status"),
    _text("notes", long=True),
    # Schema version 2. Added columns go last, so a migrated file (ALTER TABLE ... ADD COLUMN)
    # has the same column order as a new one.
    _text("launch_platform"),
)

MEASUREMENTS: tuple[Column, ...] = (
    _text("id", required=True),
    _text("subject_type", required=True),
    _text("subject_id", required=True),
    _text("parameter", required=True),
    _text("qualifier", required=True),
    Column("value", "real"),
    Column("lower", "real"),
    Column("upper", "real"),
    _text("unit"),
    _text("claimant"),
    _text("source_id"),
    _text("locator"),
    _text("reliability"),
    Column("credibility", "integer"),
    _text("claimed_on"),
    _text("note", long=True),
)

SOURCES: tuple[Column, ...] = (
    _text("id", required=True),
    _text("title"),
    _text("publisher"),
    _text("date"),
    _text("url"),
    _text("locator_scheme"),
    _text("reliability"),
)

PLACES: tuple[Column, ...] = (
    _text("id", required=True),
    _text("name", required=True),
    Column("alt_names", "list"),
    _text("admin_region"),
    Column("latitude", "real"),
    Column("longitude", "real"),
    _text("precision"),
    _text("coord_source"),
)

ANNOTATIONS: tuple[Column, ...] = (
    _text("id", required=True),
    Column("targets", "list", max_chars=MAX_LONG_TEXT),
    _text("body", long=True),
    Column("tags", "list"),
    _text("author"),
    Column("created_utc", "time", required=True),
    Column("modified_utc", "time", required=True),
    _text("confidence"),
    # Schema version 3: the sources the note relies on (``SOURCE_ID`` or ``SOURCE_ID:LOCATOR``).
    Column("sources", "list"),
)

#: Schema version 3. One row per earlier state of an annotation: the state it had *before* a
#: change, with who made that change and when. Version numbers count from 1 per annotation;
#: the id is ``ANNOTATION_ID@VERSION`` (``N01@3``).
ANNOTATION_VERSIONS: tuple[Column, ...] = (
    _text("id", required=True),
    _text("annotation_id", required=True),
    Column("version", "integer", required=True),
    Column("saved_utc", "time", required=True),
    _text("author"),
    _text("body", long=True),
    Column("tags", "list"),
    Column("targets", "list", max_chars=MAX_LONG_TEXT),
    _text("confidence"),
    Column("sources", "list"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "events": EVENTS,
    "systems": SYSTEMS,
    "measurements": MEASUREMENTS,
    "sources": SOURCES,
    "places": PLACES,
    "annotations": ANNOTATIONS,
    "annotation_versions": ANNOTATION_VERSIONS,
}

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)


def columns(table: str) -> tuple[Column, ...]:
    try:
        return TABLES[table]
    except KeyError:
        raise ValueError(
            f"unknown table {table!r}; expected one of: {', '.join(TABLE_NAMES)}"
        ) from None


def column_names(table: str) -> list[str]:
    return [column.name for column in columns(table)]


def empty(table: str) -> pd.DataFrame:
    """An empty table with the right columns and dtypes."""
    return conform(table, pd.DataFrame({name: [] for name in column_names(table)}))


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with exactly the table's columns, in order, with the in-memory dtypes.

    Missing columns are added blank; extra columns are dropped. Raises ``ValueError`` when a
    value cannot take its column's type.
    """
    out: dict[str, Any] = {}
    n = len(frame)
    for column in columns(table):
        if column.name in frame.columns:
            series = frame[column.name]
        else:
            series = pd.Series([None] * n, index=frame.index, dtype=object)
        out[column.name] = _conform_series(column, series)
    result = pd.DataFrame(out, index=pd.RangeIndex(n))
    return result


#: The in-memory dtype of each column kind, as ``conform`` leaves it.
_SETTLED = {"real": np.dtype("float64"), "integer": pd.Int64Dtype()}


def _conform_series(column: Column, series: pd.Series) -> pd.Series:
    values = series.reset_index(drop=True)
    if _settled(column, values):
        return values  # already conformed (a table's own rows): nothing to convert
    try:
        if column.kind in ("text", "list"):
            if isinstance(values.dtype, pd.StringDtype):  # already text: only blanks to fill
                return values.fillna("").astype(str)
            return values.astype(object).where(values.notna(), "").astype(str)
        if column.kind == "time":
            if isinstance(values.dtype, pd.DatetimeTZDtype):
                converted: pd.Series = values.dt.tz_convert("UTC")
                return converted.astype("datetime64[s, UTC]")
            if isinstance(values.dtype, pd.StringDtype):
                # Text read from a file: compared and parsed by vectorised kernels, never one
                # Python object per cell (a million times in an import).
                empty = (values.isna() | (values == "")).to_numpy(dtype=bool)
                parsed = pd.to_datetime(values.mask(empty), utc=True, format="ISO8601")
                return parsed.astype("datetime64[s, UTC]")
            blank = values.isna() | (values.astype(object) == "")
            parsed = pd.to_datetime(
                values.where(~blank, None), utc=True, format="%Y-%m-%dT%H:%M:%SZ"
            )
            return parsed.astype("datetime64[s, UTC]")
        if column.kind == "real":
            return pd.to_numeric(values.replace("", np.nan), errors="raise").astype("float64")
        numbers = pd.to_numeric(values.replace("", np.nan), errors="raise")
        if numbers.notna().any() and (numbers.dropna() % 1 != 0).any():
            raise ValueError("not a whole number")
        return numbers.astype("Int64")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"column {column.name!r}: {exc}") from exc


def _settled(column: Column, values: pd.Series) -> bool:
    """Whether ``values`` already has the column's in-memory form, so converting would only
    copy it (an edit's rows, taken from the document, come this way)."""
    dtype = values.dtype
    if column.kind in ("text", "list"):
        return isinstance(dtype, pd.StringDtype) and not values.isna().any()
    if column.kind == "time":
        return isinstance(dtype, pd.DatetimeTZDtype) and str(dtype) == "datetime64[s, UTC]"
    return bool(dtype == _SETTLED[column.kind])


def from_records(table: str, records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build a table from row mappings (e.g. ``Event.to_row()`` results)."""
    rows = list(records)
    frame = pd.DataFrame(rows, columns=column_names(table)) if rows else empty(table)
    return conform(table, frame)
