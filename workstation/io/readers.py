"""Reading other people's tables as they are: CSV in any encoding (detected, or chosen), XLSX
and JSON, into a frame of text cells, touching nothing else (groundwork of the import).

Every cell comes back as text, exactly as written (no number or date guessing by the reader:
that is the import's job, which keeps the raw text of what it cannot read). Qt-free.
"""

from __future__ import annotations

import io
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

#: Tried in order when no encoding is given: UTF-8 (with or without a byte-order mark) is
#: exact or fails; Windows-1252 is what spreadsheets on Windows write (the CNS file); Latin-1
#: reads any byte, so it is last.
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
MAX_BYTES = 512 * 1024 * 1024  # a table file larger than this is refused, not read


class UnreadableFileError(ValueError):
    """A file that cannot be read as a table; the message says why, in one line."""


@dataclass
class RawTable:
    """A file's rows as text, and how it was read (the import report says so)."""

    frame: pd.DataFrame
    format: str
    encoding: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]


def read_file(path: Path, encoding: str | None = None, sheet: str | int = 0) -> RawTable:
    """Read ``path`` by its ending: ``.csv``/``.txt``/``.tsv``, ``.xlsx`` or ``.json``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFileError(f"{path.name}: {exc.strerror or exc}") from None
    if size > MAX_BYTES:
        raise UnreadableFileError(f"{path.name}: {size:,} bytes is more than a table import reads")
    ending = path.suffix.lower()
    if ending in (".csv", ".txt", ".tsv"):
        return read_csv(path, encoding)
    if ending == ".xlsx":
        return read_xlsx(path, sheet)
    if ending == ".json":
        return read_json(path, encoding)
    raise UnreadableFileError(f"{path.name}: the file name must end in .csv, .xlsx or .json")


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of ``data`` and the encoding that read it: ``encoding`` if given (an error if
    it does not fit), else the first of :data:`ENCODINGS` that reads every byte."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise UnreadableFileError(f"{encoding!r} is not an encoding") from None
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"the file is not {encoding} (byte {exc.start:,} cannot be read): "
                "choose another encoding"
            ) from None
    for candidate in ENCODINGS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError("the file's encoding could not be detected")  # pragma: no cover


def read_csv(path: Path, encoding: str | None = None) -> RawTable:
    """A delimited text file; the delimiter (comma, semicolon, tab) is detected from the
    header line. Line ends may be CRLF and quoted fields may hold line breaks."""
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(f"{path.name} is not a text file")
    text, used = decode(data, encoding)
    header = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header.count)
    notes: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,  # "NA", "None" and blanks stay text: the import decides
                skipinitialspace=False,
                index_col=False,  # a row with extra fields must not shift the columns
            )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no rows"
        raise UnreadableFileError(f"{path.name}: {first}") from None
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        notes.append("some rows have more fields than the header: the extra fields were dropped")
    notes = (
        [f"read as {used}"]
        + ([f"columns separated by {delimiter!r}"] if delimiter != "," else [])
        + notes
    )
    return RawTable(_strip_headers(frame), "csv", used, notes)


def read_xlsx(path: Path, sheet: str | int = 0) -> RawTable:
    try:
        frame = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False)
    except Exception as exc:  # zipfile, openpyxl and pandas errors for damaged files alike
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnreadableFileError(f"{path.name} is not a readable workbook ({first})") from None
    return RawTable(_strip_headers(frame), "xlsx", "", [f"sheet {sheet!r}"])


def read_json(path: Path, encoding: str | None = None) -> RawTable:
    """A list of objects (one row each), an object of objects keyed by id (each a row, its key
    in a ``key`` column), an object holding either, or the nk-missile-tests layout
    (``timeBins[].data[]``)."""
    text, used = decode(path.read_bytes(), encoding)
    try:
        data = json.loads(text)
        rows = _json_rows(data)
    except json.JSONDecodeError as exc:
        raise UnreadableFileError(f"{path.name}: not JSON ({exc.msg}, line {exc.lineno})") from None
    except RecursionError:
        raise UnreadableFileError(f"{path.name}: nested too deeply to be a table") from None
    if rows is None:
        raise UnreadableFileError(f"{path.name}: no list of records found")
    frame = pd.DataFrame([{str(k): _cell(v) for k, v in row.items()} for row in rows], dtype=str)
    return RawTable(frame.fillna(""), "json", used, [])


def _json_rows(data: Any) -> list[dict[str, Any]] | None:
    if isinstance(data, list) and all(isinstance(row, dict) for row in data):
        return data
    if isinstance(data, dict) and data and all(isinstance(v, dict) for v in data.values()):
        inner = [_json_rows(v) for v in data.values()]
        if not any(inner) and all(
            not isinstance(x, (dict, list)) for v in data.values() for x in v.values()
        ):
            return [{"key": key, **value} for key, value in data.items()]  # keyed records
    if isinstance(data, dict):
        bins = data.get("timeBins")
        if isinstance(bins, list):  # nk-missile-tests: tests grouped in time bins
            rows = [row for b in bins if isinstance(b, dict) for row in b.get("data", [])]
            return [row for row in rows if isinstance(row, dict)]
        for value in data.values():
            found = _json_rows(value)
            if found:
                return found
    return None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)[:10_000]
    return str(value)


def _strip_headers(frame: pd.DataFrame) -> pd.DataFrame:
    frame.columns = [" ".join(str(c).split()) for c in frame.columns]
    return frame
