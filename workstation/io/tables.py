"""Canonical tables: the same columns for export and import, so a round trip loses nothing.

Formats, chosen by the file's ending:

- ``.csv``: UTF-8 with a header; times ISO 8601 with ``Z``; lists joined by ``"; "``; blanks
  for missing values.
- ``.xlsx``: one sheet named after the table, the same cells as the CSV.
- ``.json``: an array of objects; lists are JSON arrays, missing values ``null``.

CSV and XLSX cells that a spreadsheet would execute (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return, and not a number) are written with a leading apostrophe, which
spreadsheets show as text. Reading a canonical file removes that apostrophe again.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from workstation.model import lists, tables
from workstation.model.dates import ISO_UTC_FORMAT

FORMATS = (".csv", ".xlsx", ".json")
EXCEL_MAX_ROWS = 1_048_575  # one row is the header
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class TableFormatError(ValueError):
    """A table file cannot be written or read; the message is one line for the user."""


def format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise TableFormatError(
            f"{path.name}: unknown file type {suffix or '(none)'!r}; use .csv, .xlsx or .json"
        )
    return suffix


def _looks_neutralized(cell: str) -> bool:
    # Quotes before a formula character: what neutralize writes, so a cell that already
    # reads this way gets one more quote and the round trip stays exact.
    rest = cell.lstrip("'")
    return len(rest) < len(cell) and rest.startswith(_DANGEROUS_START)


def neutralize(cell: str) -> str:
    """Make a text cell inert in a spreadsheet, unless it is a plain number."""
    if (cell.startswith(_DANGEROUS_START) and not _NUMBER.match(cell)) or _looks_neutralized(cell):
        return "'" + cell
    return cell


def unneutralize(cell: str) -> str:
    """Undo :func:`neutralize`: one leading quote before quotes and a formula character."""
    return cell[1:] if _looks_neutralized(cell) else cell


def to_cells(table: str, frame: pd.DataFrame, spreadsheet: bool) -> pd.DataFrame:
    """The table as text/number cells, in canonical column order."""
    out: dict[str, pd.Series] = {}
    for column in tables.columns(table):
        series = frame[column.name]
        if column.kind == "time":
            out[column.name] = series.dt.strftime(ISO_UTC_FORMAT).fillna("")
        elif column.kind in ("text", "list"):
            out[column.name] = series.map(neutralize) if spreadsheet else series
        else:
            out[column.name] = series
    return pd.DataFrame(out)


def export_table(table: str, frame: pd.DataFrame, path: Path) -> None:
    kind = format_of(path)
    if kind == ".csv":
        to_cells(table, frame, spreadsheet=True).to_csv(path, index=False, encoding="utf-8")
    elif kind == ".xlsx":
        if len(frame) > EXCEL_MAX_ROWS:
            raise TableFormatError(
                f"{path.name}: {len(frame):,} rows do not fit in one Excel sheet "
                f"({EXCEL_MAX_ROWS:,} at most); export .csv instead"
            )
        cells = to_cells(table, frame, spreadsheet=True)
        cells = cells.astype(object).where(cells.notna(), None)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            cells.to_excel(writer, sheet_name=table, index=False)
    else:
        records = [
            _json_record(table, row) for row in to_cells(table, frame, False).to_dict("records")
        ]
        path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


def _json_record(table: str, row: dict[Any, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for column in tables.columns(table):
        value = row[column.name]
        if column.kind == "list":
            record[column.name] = list(lists.split(value))
        elif column.kind == "time":
            record[column.name] = value or None
        elif column.kind in ("real", "integer"):
            missing = (
                value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
            )
            record[column.name] = (
                None if missing else (int(value) if column.kind == "integer" else float(value))
            )
        else:
            record[column.name] = value
    return record


#: Columns added by a later schema version: an export made before them still reads, with the
#: column blank (as a migrated project file has it).
ADDED_LATER: dict[str, tuple[str, ...]] = {
    "systems": ("launch_platform",),  # schema version 2
    "annotations": ("sources",),  # schema version 3
}


def read_table(table: str, path: Path) -> pd.DataFrame:
    """Read a canonical table file back into an in-memory table."""
    kind = format_of(path)
    names = tables.column_names(table)
    if kind == ".json":
        records = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(records, list):
            raise TableFormatError(f"{path.name}: expected a JSON array of objects")
        rows = []
        for record in records:
            row = dict(record)
            for column in tables.columns(table):
                if column.kind == "list" and isinstance(row.get(column.name), list):
                    row[column.name] = lists.join(row[column.name])
            rows.append(row)
        raw = pd.DataFrame(rows, columns=names)
    else:
        if kind == ".csv":
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        else:
            raw = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False)
        for column in tables.columns(table):
            if column.kind in ("text", "list") and column.name in raw:
                raw[column.name] = raw[column.name].map(unneutralize)
    for name in ADDED_LATER.get(table, ()):
        if name not in raw.columns:
            raw[name] = ""  # a file exported before the column existed: blank, as migrated
    missing = [name for name in names if name not in raw.columns]
    if missing:
        raise TableFormatError(f"{path.name}: missing columns: {', '.join(missing)}")
    try:
        return tables.conform(table, raw)
    except ValueError as exc:
        raise TableFormatError(f"{path.name}: {exc}") from None
