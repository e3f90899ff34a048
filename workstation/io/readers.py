"""Reading other people's tables as they are: CSV in any encoding (detected, or chosen), XLSX
and JSON, into a frame of text cells, touching nothing else (groundwork of the import).

Every cell comes back as text, exactly as written (no number or date guessing by the reader:
that is the import's job, which keeps the raw text of what it cannot read). Qt-free.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
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
    #: Rows (numbered from 1 below the header) that cannot be read as a row, and why: they
    #: stand in the frame blank, so that every later row keeps its number.
    bad_rows: dict[int, str] = field(default_factory=dict)

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
    (comma, semicolon, tab) is read from the header line. Rows with another number of fields
    than the header are mended or reported (:func:`_read_ragged`). A file whose first 64 KB
    are ASCII is sampled again where its other bytes start, to tell its encoding."""
    import pyarrow as pa

    with path.open("rb") as handle:
        head = handle.read(65536)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(f"{path.name} is not a text file")
    candidates = [encoding] if encoding else _encodings_for(head)
    tried_beyond = False
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
            try:
                table = _arrow_csv(path, candidate, names, delimiter, skip)
            except pa.ArrowInvalid as exc:
                if "straddl" not in str(exc):
                    raise
                # A cell larger than Arrow's 1 MB read block (a long note): read again in
                # blocks larger than the largest text a cell may hold.
                ragged.clear()
                table = _arrow_csv(path, candidate, names, delimiter, skip, BIG_BLOCK)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
            if not encoding and (
                isinstance(exc, UnicodeDecodeError) or "UTF8" in message or "utf" in message.lower()
            ):
                if candidate == "utf-8" and not tried_beyond:
                    # The first 64 KB were plain ASCII: look where the other bytes are.
                    tried_beyond = True
                    candidates[1:1] = _multibyte(_sample_beyond_ascii(path))
                continue  # not this encoding: try the next
            if encoding and ("UTF8" in message or "decode" in message.lower()):
                raise UnreadableFileError(
                    f"the file is not {encoding}: choose another encoding"
                ) from None
            if "Expected" in message and "columns" in message:
                # A row of another width that Arrow could not hand to ``skip`` (its text is
                # not UTF-8): read row by row instead, which mends or reports it.
                notes = [f"read as {candidate}"]
                return _read_ragged(path, candidate, delimiter, names, notes)
            raise UnreadableFileError(f"{path.name}: {message}") from None
        notes = [f"read as {candidate}"]
        if delimiter != ",":
            notes.append(f"columns separated by {delimiter!r}")
        if ragged:  # rare: read again, row by row, to number and mend the odd rows
            return _read_ragged(path, candidate, delimiter, names, notes)
        frame = table.to_pandas()
        return RawTable(_strip_headers(frame), "csv", candidate, notes)
    raise UnreadableFileError(f"{path.name}: the encoding could not be detected")


#: Encodings of several bytes per character that a detector recognises reliably (Korean,
#: Chinese, Japanese). For single-byte text its guesses are unreliable (it reads the CNS
#: file, Windows-1252, as Baltic cp775), so those fall to Windows-1252, then Latin-1.
MULTIBYTE = frozenset(
    {"cp949", "euc_kr", "johab", "gb18030", "gb2312", "gbk", "big5", "big5hkscs", "cp932",
     "shift_jis", "euc_jp", "utf_16", "utf_32"}
)  # fmt: skip


def _read_ragged(
    path: Path, encoding: str, delimiter: str, names: list[str], notes: list[str]
) -> RawTable:
    """A CSV file whose rows do not all have the header's number of fields. A short row is
    padded with blanks (spreadsheets drop trailing empty cells); a long row cannot be
    aligned with the columns, so it stands blank and is reported, under its own number."""
    text = path.read_bytes().decode(encoding, errors="replace").lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader, None)  # the header
    width = len(names)
    rows: list[list[str]] = []
    bad: dict[int, str] = {}
    padded: list[int] = []
    try:
        for number, fields in enumerate(reader, start=1):
            if len(fields) > width:
                bad[number] = f"{len(fields)} fields where the header has {width}: not read"
                fields = [""] * width
            elif len(fields) < width:
                padded.append(number)
                fields = fields + [""] * (width - len(fields))
            rows.append(fields)
    except csv.Error as exc:
        raise UnreadableFileError(f"{path.name}: {exc}") from None
    if padded:
        shown = ", ".join(str(n) for n in padded[:10]) + (" …" if len(padded) > 10 else "")
        notes.append(f"{len(padded):,} short rows filled with blanks (rows {shown})")
    if bad:
        notes.append(f"{len(bad):,} rows with more fields than the header were not read")
    frame = pd.DataFrame(rows, columns=names, dtype=str)
    return RawTable(_strip_headers(frame), "csv", encoding, notes, bad)


BIG_BLOCK = 80 << 20  # bytes: more than the largest cell (16 Mi characters of UTF-8 text)


def _arrow_csv(
    path: Path,
    encoding: str,
    names: list[str],
    delimiter: str,
    on_invalid: Any,
    block_size: int | None = None,
) -> Any:
    """Arrow's CSV reader, every cell as text exactly as written. An odd row whose text is
    not UTF-8 makes Arrow fail to build the note it hands to ``on_invalid``; Python would
    print that as an ignored exception, which is kept from the analyst's terminal (the read
    then fails, and the caller reads the file row by row)."""
    import sys

    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        return _arrow_csv_read(path, encoding, names, delimiter, on_invalid, block_size)
    finally:
        sys.unraisablehook = hook


def _arrow_csv_read(
    path: Path,
    encoding: str,
    names: list[str],
    delimiter: str,
    on_invalid: Any,
    block_size: int | None,
) -> Any:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    read = pacsv.ReadOptions(encoding=_arrow_encoding(encoding), column_names=names, skip_rows=1)
    if block_size:
        read.block_size = block_size
    return pacsv.read_csv(
        path,
        read_options=read,
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
        ),
    )


_NOT_ASCII = re.compile(rb"[\x80-\xff]")


def _sample_beyond_ascii(path: Path, size: int = 65536) -> bytes:
    """64 KB from the first byte that is not ASCII: what tells an encoding apart in a file
    whose first part is plain ASCII (headers and numbers before the first Korean name)."""
    with path.open("rb") as handle:
        offset = 0
        while chunk := handle.read(1 << 20):
            found = _NOT_ASCII.search(chunk)
            if found is not None:
                handle.seek(max(0, offset + found.start() - 16))
                return handle.read(size)
            offset += len(chunk)
    return b""


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
        with warnings.catch_warnings():  # openpyxl's notes on styles and the like: not ours
            warnings.simplefilter("ignore")
            frame = pd.read_excel(
                path, sheet_name=sheet, dtype=str, keep_default_na=False, header=None
            )
        frame = (
            frame.iloc[1:]
            .reset_index(drop=True)
            .set_axis([str(c) for c in frame.iloc[0]] if len(frame) else [], axis=1)
        )
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
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        # A list of plain items (systems, tags, sources) is a list cell, as a CSV writes it:
        # "Hwasong-15; KN-23", never the JSON text '["Hwasong-15"]'.
        return "; ".join(" ".join(str(v).replace(";", ",").split()) for v in value)[:10_000]
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)[:10_000]
    return str(value)


def _strip_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names without stray spaces or a byte-order mark, each name once: a second
    ``Source`` becomes ``Source (2)``, so no column hides another."""
    names: list[str] = []
    for column in frame.columns:
        name = " ".join(str(column).lstrip("\ufeff").split())
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    frame.columns = names
    return frame
