"""Opening is validation: every bad project file gets one clear line, and opening never
modifies the file.

Each bad file is made inside the test from a copy of the seed (or from scratch), so there are
no binary fixtures to keep in step with the schema. For every case the test checks:

- ``store.load`` raises :class:`ProjectFileError` (never another exception, never a
  traceback), whose message is one line, names the file and names the problem;
- the folder holding the file is byte-for-byte unchanged afterwards: same sha256 and mtime
  of the file, and no ``-journal``, ``-wal`` or ``-shm`` file created beside it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests._save_worker import (
    apply_edit,
    folder_snapshot,
    same_state,
    state,
    synthetic_events,
)
from tests.conftest import REPO, SEED
from workstation import store
from workstation.model import tables
from workstation.model.document import Document
from workstation.model.events import Event
from workstation.store import ProjectFileError
from workstation.store.schema import SCHEMA_VERSION, table_sql

WORKER = Path(__file__).resolve().parent / "_save_worker.py"


# -- helpers ------------------------------------------------------------------------------
def assert_one_line(error: ProjectFileError, path: Path) -> str:
    message = str(error)
    assert "\n" not in message, message
    assert "\r" not in message, message
    assert path.name in message, message
    assert "Traceback" not in message
    assert len(message) < 1000, f"message too long ({len(message)} chars): {message[:200]}"
    return message


def sql(*statements: str, params: tuple[object, ...] = ()) -> Callable[[Path], None]:
    """A modification of a copy of the seed: run ``statements`` (the last one with params)."""

    def modify(path: Path) -> None:
        with closing(sqlite3.connect(path)) as connection:
            for statement in statements[:-1]:
                connection.execute(statement)
            connection.execute(statements[-1], params)
            connection.commit()

    return modify


def recreate_events(create: str) -> Callable[[Path], None]:
    """Replace the events table by one created with ``create``, keeping the rows."""
    return sql(
        create.replace('CREATE TABLE "events"', 'CREATE TABLE "events_new"', 1),
        'INSERT INTO "events_new" SELECT * FROM "events"',
        'DROP TABLE "events"',
        'ALTER TABLE "events_new" RENAME TO "events"',
    )


def first_event(column: str, value: object) -> Callable[[Path], None]:
    """Set one cell of the first event; bytes are stored as TEXT (not necessarily UTF-8)."""
    mark = "CAST(? AS TEXT)" if isinstance(value, bytes) else "?"
    return sql(
        f'UPDATE events SET "{column}" = {mark} WHERE id = (SELECT min(id) FROM events)',
        params=(value,),
    )


def has_fts5() -> bool:
    try:
        with closing(sqlite3.connect(":memory:")) as connection:
            connection.execute("CREATE VIRTUAL TABLE probe USING fts5(body)")
    except sqlite3.OperationalError:
        return False
    return True


# -- the bad files -------------------------------------------------------------------------
# Each maker writes the bad file at ``path`` (a fresh name in an empty folder). A maker that
# is a "modification" runs on a copy of the seed already at ``path``.
Maker = Callable[[Path], None]


def from_seed(modify: Callable[[Path], None]) -> Maker:
    def make(path: Path) -> None:
        shutil.copyfile(SEED, path)
        modify(path)

    return make


def raw(content: Callable[[], bytes]) -> Maker:
    def make(path: Path) -> None:
        path.write_bytes(content())

    return make


def seed_cut_to(size: Callable[[int], int]) -> Maker:
    def make(path: Path) -> None:
        data = SEED.read_bytes()
        path.write_bytes(data[: size(len(data))])

    return make


def other_application(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE foo (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO foo (name) VALUES ('bar')")
        connection.commit()


def damaged_page(path: Path) -> None:
    """Overwrite the middle of one of the seed's table pages; the header stays intact."""
    shutil.copyfile(SEED, path)
    with closing(sqlite3.connect(path)) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'events'"
        ).fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 64)


def schema_not_utf8(path: Path) -> None:
    """A malformed table definition whose name is not UTF-8: SQLite's error message quotes
    the name, so even the error cannot be decoded."""
    shutil.copyfile(SEED, path)
    sql('CREATE TABLE "MARKERMARKER" (x INTEGER, y TEXT) STRICT')(path)
    data = path.read_bytes()
    assert data.count(b"MARKERMARKER") == 3  # name, tbl_name and sql in sqlite_master
    data = data.replace(b"MARKERMARKER", b"\xff\xfe" + b"\x80" * 10)  # same lengths
    path.write_bytes(data.replace(b"(x INTEGER, y TEXT)", b"(x INTEGER, y TEXT("))


def a_folder(path: Path) -> None:
    path.mkdir()


def nothing(path: Path) -> None:
    """The missing path: make nothing at all."""


EVENTS_SQL = table_sql("events")
HUGE_TITLE = "t" * 70_000  # > MAX_SHORT_TEXT (64 KiB)
HUGE_BODY = "b" * 17_000_000  # > MAX_LONG_TEXT (16 MiB)

BAD_FILES: list[tuple[str, Maker, str]] = [
    # (case id, maker, keyword that the one-line message must contain, case-insensitive)
    ("text-file", raw(lambda: b"title,date\nnot a project,2022-01-05\n"), "not a SQLite"),
    ("empty-file", raw(lambda: b""), "empty"),
    ("truncated-to-half", seed_cut_to(lambda n: n // 2), "truncated"),
    ("truncated-to-50-bytes", seed_cut_to(lambda n: 50), "truncated"),
    ("random-bytes", raw(lambda: os.urandom(64 * 1024)), "not a SQLite"),
    ("random-bytes-after-header", raw(lambda: SEED.read_bytes()[:100] + os.urandom(8192)), ""),
    ("other-application", other_application, "another application"),
    ("damaged-page", damaged_page, "damaged"),
    (
        "future-version",
        from_seed(
            sql(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'",
                params=(SCHEMA_VERSION + 1,),
            )
        ),
        "newer",
    ),
    (
        "version-not-a-number",
        from_seed(sql("UPDATE meta SET value = 'one' WHERE key = 'schema_version'")),
        "schema_version",
    ),
    (
        "version-zero",
        from_seed(sql("UPDATE meta SET value = 0 WHERE key = 'schema_version'")),
        "schema_version",
    ),
    (
        "version-missing",
        from_seed(sql("DELETE FROM meta WHERE key = 'schema_version'")),
        "schema_version",
    ),
    (
        "trigger",
        from_seed(
            sql("CREATE TRIGGER wipe AFTER INSERT ON events BEGIN DELETE FROM annotations; END")
        ),
        "trigger",
    ),
    ("view", from_seed(sql("CREATE VIEW launches AS SELECT id FROM events")), "view"),
    (
        "virtual-table",
        from_seed(sql("CREATE VIRTUAL TABLE notes USING fts5(body)")),
        "virtual table",
    ),
    ("extra-index", from_seed(sql("CREATE INDEX by_start ON events(start_utc)")), "index"),
    ("missing-table", from_seed(sql("DROP TABLE places")), "missing"),
    ("extra-table", from_seed(sql("CREATE TABLE extra (x INTEGER) STRICT")), "unexpected table"),
    (
        "generated-column",
        from_seed(
            sql(
                "ALTER TABLE events ADD COLUMN year TEXT "
                "GENERATED ALWAYS AS (substr(start_utc, 1, 4)) VIRTUAL"
            )
        ),
        "generated",
    ),
    (
        "wrong-column-type",
        from_seed(recreate_events(EVENTS_SQL.replace('"latitude" REAL', '"latitude" TEXT'))),
        "column",
    ),
    (
        "extra-column",
        from_seed(sql("ALTER TABLE events ADD COLUMN extra TEXT")),
        "column",
    ),
    (
        "non-strict-table",
        from_seed(recreate_events(EVENTS_SQL.removesuffix(" STRICT"))),
        "STRICT",
    ),
    (
        "non-strict-table-with-text-in-a-real-column",
        from_seed(
            lambda path: (
                recreate_events(EVENTS_SQL.removesuffix(" STRICT"))(path),
                first_event("latitude", "north")(path),
            )
        ),
        "STRICT",
    ),
    ("huge-title", from_seed(first_event("title", HUGE_TITLE)), "title is longer than 65,536"),
    (
        "huge-annotation-body",
        from_seed(
            sql(
                "UPDATE annotations SET body = ? WHERE id = (SELECT min(id) FROM annotations)",
                params=(HUGE_BODY,),
            )
        ),
        "body is longer than 16,777,216",
    ),
    ("time-month-13", from_seed(first_event("start_utc", "2022-13-45T99:00:00Z")), "start_utc"),
    ("time-yesterday", from_seed(first_event("start_utc", "yesterday")), "start_utc"),
    ("time-feb-30", from_seed(first_event("start_utc", "2022-02-30T00:00:00Z")), "start_utc"),
    ("time-feb-29-2022", from_seed(first_event("start_utc", "2022-02-29T00:00:00Z")), "impossible"),
    ("time-april-31", from_seed(first_event("end_utc", "2022-04-31T12:00:00Z")), "end_utc"),
    ("time-second-60", from_seed(first_event("start_utc", "2022-01-01T23:59:60Z")), "impossible"),
    ("time-year-zero", from_seed(first_event("start_utc", "0000-01-01T00:00:00Z")), "impossible"),
    (
        "annotation-time-feb-30",
        from_seed(sql("UPDATE annotations SET modified_utc = '2023-02-30T00:00:00Z'")),
        "modified_utc",
    ),
    ("time-empty", from_seed(first_event("start_utc", "")), "start_utc"),
    ("end-before-start", from_seed(first_event("end_utc", "1900-01-01T00:00:00Z")), "ends"),
    ("zone-mars", from_seed(first_event("timezone", "Mars/Olympus")), "time zone"),
    ("zone-path", from_seed(first_event("timezone", "../../etc/passwd")), "time zone"),
    ("precision-sometime", from_seed(first_event("precision", "sometime")), "precision"),
    ("missile-count-negative", from_seed(first_event("missile_count", -3)), "negative"),
    ("latitude-123", from_seed(first_event("latitude", 123.0)), "latitude"),
    ("blank-id", from_seed(first_event("id", "")), "no id"),
    (
        "malformed-annotation-target",
        from_seed(sql("UPDATE annotations SET targets = 'planet:'")),
        "target",
    ),
    ("schema-not-utf8", schema_not_utf8, "UTF-8"),
    (
        "meta-not-utf8",
        from_seed(sql("UPDATE meta SET value = CAST(X'FF' AS TEXT) WHERE key = 'title'")),
        "meta",
    ),
    ("title-not-utf8", from_seed(first_event("title", b"\xff\xfeA")), "UTF-8"),
    (
        "target-not-utf8",
        from_seed(sql("UPDATE annotations SET targets = CAST(X'FF' AS TEXT)")),
        "UTF-8",
    ),
    ("start-not-utf8", from_seed(first_event("start_utc", b"\xff")), "start_utc"),
    # Files as an attack surface: anything SQLite would run is refused before it can run.
    (
        "default-loads-an-extension",
        from_seed(
            recreate_events(
                EVENTS_SQL.replace(
                    '"title" TEXT NOT NULL',
                    "\"title\" TEXT NOT NULL DEFAULT (load_extension('/tmp/evil.so'))",
                )
            )
        ),
        "default that computes",
    ),
    (
        "default-calls-a-function",
        from_seed(
            recreate_events(
                EVENTS_SQL.replace(
                    '"tags" TEXT NOT NULL', '"tags" TEXT NOT NULL DEFAULT (hex(randomblob(8)))'
                )
            )
        ),
        "default that computes",
    ),
    (
        "check-loads-an-extension",
        from_seed(
            recreate_events(
                EVENTS_SQL.replace(
                    '"title" TEXT NOT NULL',
                    '"title" TEXT NOT NULL CHECK (length(title) < 1000000)',
                )
            )
        ),
        "CHECK",
    ),
    (
        "foreign-key",
        from_seed(
            recreate_events(
                EVENTS_SQL.replace(
                    '"place" TEXT NOT NULL', '"place" TEXT NOT NULL REFERENCES places'
                )
            )
        ),
        "foreign key",
    ),
    (
        "view-loads-an-extension",
        from_seed(sql("CREATE VIEW evil AS SELECT load_extension('/tmp/evil.so')")),
        "view",
    ),
    (
        "trigger-loads-an-extension",
        from_seed(
            sql(
                "CREATE TRIGGER evil BEFORE DELETE ON events "
                "BEGIN SELECT load_extension('/tmp/evil.so'); END"
            )
        ),
        "trigger",
    ),
    (
        "events-defined-otherwise",  # same columns and types, another definition
        from_seed(
            recreate_events(
                EVENTS_SQL.replace('"title" TEXT NOT NULL', '"title" TEXT NOT NULL UNIQUE')
            )
        ),
        "not defined as this version defines it",
    ),
    ("a-folder", a_folder, "folder"),
    ("missing-path", nothing, "no such file"),
]

NEEDS_FTS5 = {"virtual-table"}


def make_bad_file(case: str, maker: Maker, folder: Path) -> Path:
    if case in NEEDS_FTS5 and not has_fts5():
        pytest.skip("this sqlite3 build has no FTS5, so no virtual table can be made")
    folder.mkdir()
    path = folder / f"bad-{case}.wsproj"
    maker(path)
    for leftover in folder.iterdir():  # our own modifications must not leave anything behind
        assert leftover == path, leftover
    return path


# -- every bad file: one clean line, and the file untouched --------------------------------
@pytest.mark.parametrize(("case", "maker", "keyword"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_refused_with_one_line(
    case: str, maker: Maker, keyword: str, tmp_path: Path
) -> None:
    path = make_bad_file(case, maker, tmp_path / "case")
    before = folder_snapshot(tmp_path)

    with pytest.raises(ProjectFileError) as caught:
        store.load(path)

    message = assert_one_line(caught.value, path)
    assert keyword.lower() in message.lower(), message
    assert caught.value.path == path
    assert folder_snapshot(tmp_path) == before, "opening modified the file or its folder"


@pytest.mark.parametrize(
    "case",
    ["text-file", "truncated-to-half", "future-version", "trigger", "time-feb-30", "a-folder"],
)
def test_cli_validate_bad_file_exits_2_with_one_line(case: str, tmp_path: Path) -> None:
    maker = {c: m for c, m, _ in BAD_FILES}[case]
    path = make_bad_file(case, maker, tmp_path / "case")
    before = folder_snapshot(tmp_path)

    result = subprocess.run(
        [sys.executable, "-m", "workstation", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert path.name in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    assert folder_snapshot(tmp_path) == before


def test_cli_validate_good_file_exits_0(seed_copy: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workstation", "validate", seed_copy.name],
        capture_output=True,
        text=True,
        cwd=seed_copy.parent,  # a relative path, as a user types it
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
    assert result.stderr == ""


# -- good files at awkward places, and in WAL mode, open without side effects --------------
@pytest.mark.parametrize(
    "name", ["plain.wsproj", "with space #1 ?x=1 100%.wsproj", "북한 미사일 ä.wsproj"]
)
def test_good_file_opens_from_any_path(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / name
    shutil.copyfile(SEED, path)
    before = folder_snapshot(tmp_path)
    expected = state(store.load(SEED))

    assert same_state(state(store.load(path)), expected)
    monkeypatch.chdir(tmp_path)
    assert same_state(state(store.load(name)), expected)  # a relative path
    assert folder_snapshot(tmp_path) == before


def test_wal_mode_file_opens_without_creating_files_beside_it(tmp_path: Path) -> None:
    """A valid project someone switched to WAL mode: read-only SQLite would create -wal and
    -shm files beside it (and leave them), which "opening never modifies" forbids."""
    path = tmp_path / "wal.wsproj"
    shutil.copyfile(SEED, path)
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wal.wsproj"]
    before = folder_snapshot(tmp_path)

    document = store.load(path)

    assert same_state(state(document), state(store.load(SEED)))
    assert folder_snapshot(tmp_path) == before


# -- fuzzing: any damage gives a clean line or a valid document -----------------------------
def small_project_bytes() -> bytes:
    return _small_project_bytes()


@functools.cache
def _small_project_bytes() -> bytes:
    events = [
        Event(
            id=f"F{n:02d}",
            start_utc=datetime(2022, 1, 1 + n, 8, 10, tzinfo=UTC),
            timezone="Asia/Seoul",
            category="launch",
            title=f"Launch {n}",
            summary="A fuzzing target. " * 5,
            latitude=39.0,
            longitude=125.5,
            systems=("KN-23",),
            missile_count=n,
            tags=("fuzz",),
        ).to_row()
        for n in range(8)
    ]
    document = Document(meta={"title": "fuzz"})
    document.upsert("events", tables.from_records("events", events))
    with tempfile.TemporaryDirectory() as folder:
        path = store.save(document, Path(folder) / "small.wsproj")
        return path.read_bytes()


def test_fuzz_base_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "small.wsproj"
    path.write_bytes(small_project_bytes())
    assert len(store.load(path)) == 8


# -- hot journals: an interrupted save is rolled back in a copy, never in the file ----------
def test_hot_journal_from_a_killed_save_opens_the_previous_save(tmp_path: Path) -> None:
    """Kill a real incremental save just before its COMMIT: the file holds part of the new
    rows and a hot journal lies beside it. Opening must show exactly the previous save and
    leave both files as they are; the next save must still work."""
    path = tmp_path / "project.wsproj"
    document = store.load(SEED)
    document.upsert("events", synthetic_events(5_000))
    store.save(document, path)
    previous = state(store.load(path))
    saved_bytes = hashlib.sha256(path.read_bytes()).hexdigest()

    worker = subprocess.Popen(
        [sys.executable, str(WORKER), "hang", str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert worker.stdout is not None
        for line in worker.stdout:
            if line.strip() == "in-transaction":
                break
        else:
            pytest.fail(f"the worker ended without reaching the commit ({worker.wait()})")
    finally:
        worker.kill()  # kill -9: no chance to roll back or clean up
        worker.wait()

    journal = Path(f"{path}-journal")
    assert journal.exists(), "no journal was left"
    assert journal.stat().st_size > 0, "the journal left is empty"
    assert hashlib.sha256(path.read_bytes()).hexdigest() != saved_bytes, (
        "the killed save wrote nothing into the file, so this test would prove nothing"
    )
    before = folder_snapshot(tmp_path)

    recovered = store.load(path)

    assert same_state(state(recovered), previous)
    assert folder_snapshot(tmp_path) == before, "opening modified the file or its journal"

    apply_edit(recovered)
    expected = state(recovered)
    store.save(recovered)
    assert not journal.exists()
    assert same_state(state(store.load(path)), expected)


def test_hot_journal_when_the_file_is_shorter_than_its_new_header(tmp_path: Path) -> None:
    """A crash in the commit of a save that grows the file: SQLite writes page 1 (whose header
    now counts the new pages) before it appends those pages, so the file can end before the
    header says it should. The hot journal restores page 1 and the old size, so the file
    must open with the previous save, not be refused as truncated."""
    work = tmp_path / "work" / "project.wsproj"
    crashed = tmp_path / "crashed" / "project.wsproj"
    work.parent.mkdir()
    crashed.parent.mkdir()
    shutil.copyfile(SEED, work)
    page_size = int.from_bytes(SEED.read_bytes()[16:18], "big")
    old_pages = SEED.stat().st_size // page_size

    rows = [
        (f"Z{n:05d}", "project", "x" * 2000, "", "", "2022-01-01T00:00:00Z",
         "2022-01-01T00:00:00Z", "", "")
        for n in range(500)
    ]  # fmt: skip
    with closing(sqlite3.connect(work, isolation_level=None)) as connection:
        connection.execute("PRAGMA cache_size=10")  # spill: the journal is synced mid-way
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany("INSERT INTO annotations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        shutil.copyfile(f"{work}-journal", f"{crashed}-journal")  # as it is at the crash
        in_transaction = work.read_bytes()
        connection.execute("COMMIT")
    committed_page_one = work.read_bytes()[:page_size]

    journal = Path(f"{crashed}-journal").read_bytes()
    assert journal_synced_pages(journal, page_size)[:1] != [], "the journal was never synced"
    assert 1 in journal_synced_pages(journal, page_size), "page 1 is not in the synced journal"
    # The crash: page 1 of the commit written, the pages it adds not yet appended.
    image = bytearray(in_transaction[: old_pages * page_size])
    image[:page_size] = committed_page_one
    crashed.write_bytes(bytes(image))
    promised = int.from_bytes(committed_page_one[28:32], "big")
    assert promised > old_pages
    assert committed_page_one[24:28] == committed_page_one[92:96]  # so the header is trusted
    before = folder_snapshot(crashed.parent)

    document = store.load(crashed)

    assert same_state(state(document), state(store.load(SEED)))
    assert folder_snapshot(crashed.parent) == before


def journal_synced_pages(journal: bytes, page_size: int) -> list[int]:
    """Page numbers in the first (synced) segment of a rollback journal."""
    assert journal[:8] == bytes.fromhex("d9d505f920a163d7"), "not a hot rollback journal"
    records = int.from_bytes(journal[8:12], "big")
    sector = int.from_bytes(journal[20:24], "big")
    pages = []
    offset = sector
    for _ in range(records):
        pages.append(int.from_bytes(journal[offset : offset + 4], "big"))
        offset += 4 + page_size + 4
    return pages


def test_empty_leftover_journal_is_ignored(seed_copy: Path) -> None:
    Path(f"{seed_copy}-journal").write_bytes(b"")
    before = folder_snapshot(seed_copy.parent)
    assert len(store.load(seed_copy)) == len(store.load(SEED))
    assert folder_snapshot(seed_copy.parent) == before


@pytest.mark.parametrize(
    "journal",
    [b"\x00" * 4096, b"not a journal at all", "random"],
    ids=["zeroed", "text", "random"],
)
def test_garbage_leftover_journal_opens_or_fails_cleanly(
    journal: bytes | str, seed_copy: Path
) -> None:
    Path(f"{seed_copy}-journal").write_bytes(
        os.urandom(8192) if journal == "random" else journal  # type: ignore[arg-type]
    )
    before = folder_snapshot(seed_copy.parent)
    try:
        document = store.load(seed_copy)
    except ProjectFileError as error:
        assert_one_line(error, seed_copy)
    else:
        assert same_state(state(document), state(store.load(SEED)))
    assert folder_snapshot(seed_copy.parent) == before


def test_leftover_journal_that_is_a_folder_fails_cleanly(seed_copy: Path) -> None:
    Path(f"{seed_copy}-journal").mkdir()
    (Path(f"{seed_copy}-journal") / "x").write_text("x")
    before = folder_snapshot(seed_copy.parent)
    try:
        store.load(seed_copy)
    except ProjectFileError as error:
        assert_one_line(error, seed_copy)
    assert folder_snapshot(seed_copy.parent) == before


@pytest.mark.parametrize(
    ("sql_text", "found"),
    [
        (table_sql("events"), ""),
        ('CREATE TABLE "t" ("check" TEXT, "as" TEXT, "x" TEXT DEFAULT \'(\') STRICT', ""),
        ('CREATE TABLE "t" (x TEXT DEFAULT (random())) STRICT', "computes"),
        ('CREATE TABLE "t" (x TEXT DEFAULT(random())) STRICT', "computes"),
        ("CREATE TABLE \"t\" (x TEXT, CHECK (x <> '')) STRICT", "CHECK"),
        ('CREATE TABLE "t" (x TEXT AS (upper(y)), y TEXT) STRICT', "generated"),
        ('CREATE TABLE "t" (x TEXT REFERENCES other(id)) STRICT', "foreign key"),
        ('CREATE TABLE "t" (x TEXT COLLATE evil) STRICT', "collation"),
    ],
)
def test_a_definition_that_would_run_anything_is_named(sql_text: str, found: str) -> None:
    from workstation.store.inspect import executable

    result = executable(sql_text)
    assert (found in result) if found else result == ""


def test_inspection_lets_sqlite_only_read() -> None:
    """While a file is inspected, SQLite may read and run the inspection's own pragmas; an
    ATTACH, a function call (load_extension) or a write is denied."""
    import sqlite3

    from workstation.store.inspect import _authorize

    assert _authorize(sqlite3.SQLITE_SELECT, None) == sqlite3.SQLITE_OK
    assert _authorize(sqlite3.SQLITE_READ, "events", "title") == sqlite3.SQLITE_OK
    assert _authorize(sqlite3.SQLITE_PRAGMA, "quick_check") == sqlite3.SQLITE_OK
    for action, first in [
        (sqlite3.SQLITE_ATTACH, "/tmp/other.db"),
        (sqlite3.SQLITE_FUNCTION, None),
        (sqlite3.SQLITE_PRAGMA, "writable_schema"),
        (sqlite3.SQLITE_INSERT, "events"),
        (sqlite3.SQLITE_DELETE, "events"),
    ]:
        assert _authorize(action, first) == sqlite3.SQLITE_DENY
    connection = sqlite3.connect(":memory:")
    connection.set_authorizer(_authorize)
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        connection.execute("ATTACH DATABASE ':memory:' AS other")
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        connection.execute("SELECT load_extension('/tmp/evil.so')")


@pytest.mark.parametrize("name", ["a?mode=rwc.wsproj", "b#vfs=unix-none.wsproj", "c%3F.wsproj"])
def test_a_file_name_is_never_read_as_sqlite_options(name: str, tmp_path: Path) -> None:
    """Files are opened by URI (read-only); a name holding ``?``, ``#`` or ``%`` is a name,
    never options that could attach another database or change how the file is opened."""
    path = tmp_path / name
    shutil.copyfile(SEED, path)
    before = folder_snapshot(tmp_path)
    assert len(store.load(path)) > 0
    assert folder_snapshot(tmp_path) == before
