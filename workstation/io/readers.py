"""Reading other people's tables as they are: CSV in any encoding (detected, or chosen), XLSX
and JSON, into a frame of text cells, touching nothing else (groundwork of the import).

Every cell comes back as text, exactly as written (no number or date guessing by the reader:
that is the import's job, which keeps the raw text of what it cannot read). Qt-free.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

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
    it does not fit), else the first of :func:`_encodings_for` that reads every byte."""
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
    for candidate in _encodings_for(data[:65536]):
        candidate = "utf-8-sig" if candidate == "utf-8" else candidate
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError("the file's encoding could not be detected")  # pragma: no cover


def read_csv(path: Path, encoding: str | None = None) -> RawTable:
    """A delimited text file, read by Arrow's CSV reader (a million rows in about a second):
    every cell as text, "NA" and blanks kept as written, line breaks inside quoted fields.
    The encoding is UTF-8 (a byte-order mark is skipped) unless the bytes say otherwise, then
    Windows-1252, then Latin-1; UTF-16 is recognised by its byte-order mark. The delimiter
    (comma, semicolon, tab) is read from the header line. A row with more fields than the
    header is left out, and the notes say which."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open("rb") as handle:
        head = handle.read(65536)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(f"{path.name} is not a text file")
    candidates = [encoding] if encoding else _encodings_for(head)
    for candidate in candidates:
        try:
            text_head = head.decode(candidate, errors="strict" if encoding else "replace")
        except LookupError:
            raise UnreadableFileError(f"{encoding!r} is not an encoding") from None
        except UnicodeDecodeError:
            text_head = head.decode(candidate, errors="replace")
        header_line = text_head.lstrip("\ufeff").split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=header_line.count)
        names = next(csv.reader([header_line.rstrip("\r")], delimiter=delimiter), [])
        if not names:
            raise UnreadableFileError(f"{path.name}: no header line")
        ragged: list[str] = []

        def skip(row: Any, ragged: list[str] = ragged) -> str:
            ragged.append(
                f"line {row.number}: {row.actual_columns} fields, the header has "
                f"{row.expected_columns}"
            )
            return "skip"

        try:
            table = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(
                    encoding=_arrow_encoding(candidate), column_names=names, skip_rows=1
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=True, invalid_row_handler=skip
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={name: pa.string() for name in names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    null_values=[],
                ),
            )
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
            if not encoding and (
                isinstance(exc, UnicodeDecodeError) or "UTF8" in message or "utf" in message.lower()
            ):
                continue  # not this encoding: try the next
            if encoding and ("UTF8" in message or "decode" in message.lower()):
                raise UnreadableFileError(
                    f"the file is not {encoding}: choose another encoding"
                ) from None
            raise UnreadableFileError(f"{path.name}: {message}") from None
        frame = table.to_pandas()
        notes = [f"read as {candidate}"]
        if delimiter != ",":
            notes.append(f"columns separated by {delimiter!r}")
        if ragged:
            shown = "; ".join(ragged[:5]) + (
                f" and {len(ragged) - 5} more" if len(ragged) > 5 else ""
            )
            notes.append(f"rows with more fields than the header were left out ({shown})")
        return RawTable(_strip_headers(frame), "csv", candidate, notes)
    raise UnreadableFileError(f"{path.name}: the encoding could not be detected")


#: Encodings of several bytes per character that a detector recognises reliably (Korean,
#: Chinese, Japanese). For single-byte text its guesses are unreliable (it reads the CNS
#: file, Windows-1252, as Baltic cp775), so those fall to Windows-1252, then Latin-1.
MULTIBYTE = frozenset(
    {"cp949", "euc_kr", "johab", "gb18030", "gb2312", "gbk", "big5", "big5hkscs", "cp932",
     "shift_jis", "euc_jp", "utf_16", "utf_32"}
)  # fmt: skip


def _encodings_for(head: bytes) -> list[str]:
    """Tried in order when no encoding is given: UTF-8 is exact or fails; then a Korean,
    Chinese or Japanese encoding if the bytes clearly are one; Windows-1252 is what
    spreadsheets on Windows write (the CNS file); Latin-1 reads any byte, so it is last."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ["utf-16"]
    return ["utf-8", *_multibyte(head), "cp1252", "latin-1"]


def _multibyte(head: bytes) -> list[str]:
    """The CJK encoding of text that is not UTF-8, if a detector is confident of one."""
    try:
        head.decode("utf-8")
        return []  # UTF-8 reads it (a cut character at the end of the sample aside)
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:
            return []
    import charset_normalizer

    best = charset_normalizer.from_bytes(head).best()
    return [best.encoding] if best is not None and best.encoding in MULTIBYTE else []


def _arrow_encoding(name: str) -> str:
    """Arrow reads UTF-8 itself (``utf8``) and any other encoding through Python's codecs."""
    return "utf8" if name.replace("-", "").lower() in ("utf8", "utf8sig") else name


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
    frame.columns = [" ".join(str(c).lstrip("\ufeff").split()) for c in frame.columns]
    return frame
