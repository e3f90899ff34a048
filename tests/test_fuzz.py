"""Hostile and broken input, fuzzed (hypothesis): project files and imported tables.

For every generated case: opening (or importing) gives a clear one-line error or a valid
result, never an uncaught exception; the input file is never modified; and it finishes
within a bound (an alarm turns a hang into a failure). Well over 1,000 cases run in CI:
:data:`CASES` counts them, and the last test checks the total when the whole module ran.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import string
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests._save_worker import folder_snapshot
from tests.test_bad_files import assert_one_line, small_project_bytes
from workstation import store
from workstation.io.importer import plan
from workstation.io.run_import import ImportOptions, check_valid, incoming
from workstation.model.document import Document
from workstation.store import ProjectFileError

BOUND_S = 20  # far beyond any case's time: only a hang reaches it
CASES: dict[str, int] = {}


def fuzz(cases: int) -> settings:
    return settings(max_examples=cases, deadline=None, suppress_health_check=list(HealthCheck))


@contextmanager
def bounded(seconds: int = BOUND_S) -> Iterator[None]:
    """Fail, instead of hanging, when the body runs longer than ``seconds``."""

    def expired(*_: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def count(kind: str) -> None:
    CASES[kind] = CASES.get(kind, 0) + 1


def open_or_refuse(data: bytes, kind: str) -> None:
    """Write ``data`` as a project file; opening it must give a document or one line."""
    count(kind)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.wsproj"
        path.write_bytes(data)
        before = folder_snapshot(Path(folder))
        with bounded():
            try:
                document = store.load(path)
            except ProjectFileError as error:
                assert_one_line(error, path)
            else:
                assert isinstance(document, Document)
        assert folder_snapshot(Path(folder)) == before, "opening modified the file"


# -- project files -------------------------------------------------------------------------
damage = st.tuples(
    st.one_of(st.integers(0, 99), st.integers(0, 1 << 20)),  # where (mod the file's size)
    st.binary(min_size=1, max_size=64),  # what
    st.booleans(),  # flip bits (xor) or overwrite
)


@fuzz(500)
@given(damages=st.lists(damage, min_size=1, max_size=4), cut=st.none() | st.integers(1, 1 << 20))
def test_damaged_project_files(damages: list[tuple[int, bytes, bool]], cut: int | None) -> None:
    data = damaged(small_project_bytes(), damages)
    if cut is not None:
        data = data[: cut % len(data) + 1]
    open_or_refuse(data, "project: truncated or bit-flipped")


def damaged(original: bytes, damages: list[tuple[int, bytes, bool]]) -> bytes:
    """``original`` with each damage done: bytes overwritten or bits flipped (xor)."""
    data = bytearray(original)
    for offset, chunk, flip in damages if data else []:
        start = offset % len(data)
        end = min(len(data), start + len(chunk))
        piece = chunk[: end - start]
        if flip:
            piece = bytes(a ^ b for a, b in zip(data[start:end], piece, strict=True))
        data[start:end] = piece
    return bytes(data)


@fuzz(150)
@given(st.binary(max_size=8192), st.booleans())
def test_random_bytes_as_project_files(noise: bytes, with_header: bool) -> None:
    header = small_project_bytes()[:100] if with_header else b""
    open_or_refuse(header + noise, "project: random bytes")


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


hostile_text = st.one_of(
    st.text(max_size=200),  # any Unicode, controls and NULs included
    st.just("\x00" * 50),
    st.builds(lambda n: "x" * n, st.integers(60_000, 80_000)),  # past a short text's limit
    st.builds(_nested, st.integers(1_000, 50_000)),  # deeply nested JSON
    st.builds(lambda d: json.dumps({"a": json.loads(_nested(d))}), st.integers(10, 500)),
    st.sampled_from(["=cmd|'/c calc'!A1", "<script>alert(1)</script>", "../../etc/passwd"]),
)
cell = st.one_of(
    hostile_text,
    st.binary(max_size=64).map(lambda b: ("blob", b)),  # invalid UTF-8, stored as TEXT
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
)
COLUMNS = {
    "events": ["id", "start_utc", "end_utc", "precision", "timezone", "title", "summary",
               "systems", "latitude", "missile_count"],
    "annotations": ["id", "body", "targets", "tags", "created_utc"],
    "meta": ["value"],
}  # fmt: skip


@fuzz(400)
@given(
    table=st.sampled_from(sorted(COLUMNS)),
    data=st.data(),
)
def test_project_files_with_hostile_values(table: str, data: st.DataObject) -> None:
    """Values a schema-valid file should never hold: huge strings, NULs, invalid UTF-8,
    nested JSON, wrong types (into STRICT tables only through a damaged file, so they are
    written with the checks off), infinities."""
    column = data.draw(st.sampled_from(COLUMNS[table]), label="column")
    value = data.draw(cell, label="value")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "base.wsproj"
        path.write_bytes(small_project_bytes())
        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA ignore_check_constraints=ON")
            if isinstance(value, tuple):
                statement = f'UPDATE "{table}" SET "{column}" = CAST(? AS TEXT)'
                parameter: object = value[1]
            else:
                statement = f'UPDATE "{table}" SET "{column}" = ?'
                parameter = value
            if table != "meta":
                statement += " WHERE rowid = (SELECT min(rowid) FROM " + f'"{table}")'
            else:
                statement += " WHERE key = 'title'"
            try:
                connection.execute(statement, (parameter,))
                connection.commit()
            except (sqlite3.Error, OverflowError):
                pass  # STRICT refused the value: the file stays as it was, still a case
        finally:
            connection.close()
        open_or_refuse(path.read_bytes(), "project: hostile values")


# -- imports ---------------------------------------------------------------------------------
def import_or_refuse(name: str, data: bytes, kind: str) -> None:
    """Import ``data`` as the file ``name`` (dry run into a small project): a plan or one
    line, the file untouched, within the bound."""
    count(kind)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / name
        source.write_bytes(data)
        project = Path(folder) / "p.wsproj"
        project.write_bytes(small_project_bytes())
        before = folder_snapshot(Path(folder))
        with bounded():
            try:
                arriving = incoming(ImportOptions(project, source, dry_run=True))
                result = plan(store.load(project), arriving)
                check_valid(result)
            except (ValueError, OSError) as error:
                message = str(error)
                assert "\n" not in message, message
                assert "Traceback" not in message
                assert len(message) < 2000
        assert folder_snapshot(Path(folder)) == before, "importing modified a file"


csv_cell = st.one_of(
    st.text(alphabet=string.printable + "é–“”\x00\x85\u2028ŭ한", max_size=30),
    st.sampled_from(["5-Jan-22", "Sep-84", "3/23/2023", "2022-13-45", "1,380 km", "330 lm",
                     "between 25 and 90 km", "> 700 km", "Unknown", "=1+1", "-5", '"', "\r"]),
)  # fmt: skip


@fuzz(200)
@given(
    header=st.lists(
        st.sampled_from(["date", "Date", "time", "title", "place", "range", "apogee", "F1",
                         "systems", "id", "x", "", "Launch Time (UTC)"]),
        min_size=1, max_size=8,
    ),
    rows=st.lists(st.lists(csv_cell, max_size=10), max_size=12),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16", "latin-1"]),
    separator=st.sampled_from([",", ";", "\t"]),
)  # fmt: skip
def test_fuzzed_csv_imports(
    header: list[str], rows: list[list[str]], encoding: str, separator: str
) -> None:
    def line(cells: list[str]) -> str:
        return separator.join(
            '"' + c.replace('"', '""') + '"' if any(x in c for x in f'{separator}"\n\r') else c
            for c in cells
        )

    text = "\n".join(line(r) for r in [header, *rows])
    import_or_refuse("fuzz.csv", text.encode(encoding, errors="replace"), "import: csv")


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@fuzz(150)
@given(
    st.one_of(
        json_value.map(lambda v: json.dumps(v, allow_nan=True)),
        st.lists(
            st.dictionaries(
                st.sampled_from(["date", "title", "place", "time", "range"]), json_value, max_size=5
            ),
            max_size=6,
        ).map(json.dumps),
        # Nested far deeper than any parser's recursion: written out, never built.
        st.integers(1, 200_000).map(lambda d: '{"timeBins": [{"data": ' + _nested(d) + "}]}"),
        st.integers(1, 200_000).map(lambda d: '[{"date": ' + _nested(d) + "}]"),
    )
)
def test_fuzzed_json_imports(text: str) -> None:
    import_or_refuse("fuzz.json", text.encode(), "import: json")


def _small_workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["date", "title", "place", "range"])
    sheet.append(["2022-01-05", "A launch", "Mupyong-ni", "700 km"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "w.xlsx"
        book.save(path)
        return path.read_bytes()


WORKBOOK = _small_workbook()


@fuzz(100)
@given(damages=st.lists(damage, min_size=0, max_size=3), noise=st.none() | st.binary(max_size=2048))
def test_fuzzed_xlsx_imports(damages: list[tuple[int, bytes, bool]], noise: bytes | None) -> None:
    data = damaged(WORKBOOK if noise is None else noise, damages)
    import_or_refuse("fuzz.xlsx", data, "import: xlsx")


def test_zz_the_fuzzing_ran_over_a_thousand_cases() -> None:
    """The figure the closing note reports (when this whole module ran)."""
    project = sum(n for kind, n in CASES.items() if kind.startswith("project"))
    imports = sum(n for kind, n in CASES.items() if kind.startswith("import"))
    if len(CASES) < 6:
        pytest.skip(f"only part of the module ran: {CASES}")
    print(f"\nfuzz cases: {project:,} project files, {imports:,} imports: {CASES}")
    assert project >= 1_000
    assert project + imports >= 1_450
