"""Project files: round trips, incremental saves, versions and migrations."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import FIXTURES, SEED
from tests.helpers import annotation_row, event_rows, small_document
from workstation import store
from workstation.model import tables
from workstation.model.annotation_commands import EditAnnotation
from workstation.model.commands import UndoStack
from workstation.model.document import Document
from workstation.model.sources import SourceRef
from workstation.store import project_file
from workstation.store.inspect import inspect
from workstation.store.migrations import (
    ANNOTATION_VERSIONS_V3_SQL,
    MIGRATIONS,
    migrate,
    migration,
)
from workstation.store.schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    expected_columns,
    schema_sql,
    table_sql,
)

V1_FIXTURE = FIXTURES / "v1-minimal.wsproj"
V2_FIXTURE = FIXTURES / "v2-minimal.wsproj"
V3_FIXTURE = FIXTURES / "v3-minimal.wsproj"
OLDER_FIXTURES = [(V1_FIXTURE, 1), (V2_FIXTURE, 2)]


def assert_same_tables(a: Document, b: Document) -> None:
    for name in tables.TABLE_NAMES:
        left = a.table(name).sort_values("id").reset_index(drop=True)
        right = b.table(name).sort_values("id").reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=True)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_seed_round_trip_is_lossless(seed_document: Document, tmp_path: Path) -> None:
    target = tmp_path / "again.wsproj"
    store.save(seed_document, target)
    assert_same_tables(seed_document, store.load(target))
    assert store.load(target).meta["title"] == seed_document.meta["title"]


def test_file_is_plain_sqlite_with_documented_schema(seed_copy: Path) -> None:
    connection = sqlite3.connect(seed_copy)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    version = connection.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    assert version == (SCHEMA_VERSION,)
    found = {
        row[0]
        for row in connection.execute(
            "SELECT sql FROM sqlite_master WHERE sql NOT NULL AND type='table'"
        )
    }
    assert found == set(schema_sql())
    launch = connection.execute("SELECT start_utc, timezone FROM events WHERE id='A05'").fetchone()
    assert launch == ("2022-01-04T23:10:00Z", "Asia/Seoul")
    connection.close()


def test_schema_is_documented_verbatim() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "file-format.md").read_text()
    for statement in schema_sql():
        assert statement in doc, f"docs/file-format.md lacks:\n{statement}"
    assert f"schema_version` is {SCHEMA_VERSION}" in doc


def test_new_document_needs_a_path() -> None:
    with pytest.raises(ValueError, match="give a path"):
        store.save(Document())


def test_empty_project_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "empty.wsproj"
    store.save(Document(meta={"title": "Empty"}), target)
    loaded = store.load(target)
    assert len(loaded) == 0
    assert loaded.meta["title"] == "Empty"
    assert_same_tables(Document(), loaded)


def test_incremental_save_writes_only_changed_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.wsproj"
    document = small_document(200)
    store.save(document, target)
    document = store.load(target)
    rowid_before = dict(sqlite3.connect(target).execute("SELECT id, rowid FROM events"))
    document.upsert("annotations", annotation_row("N1", "first note", ("event:E00001",)))
    document.upsert("events", document.rows("events", ["E00002"]).assign(title="Edited"))
    document.delete("events", ["E00003"])

    def no_whole_save(*_: object) -> None:
        raise AssertionError("an incremental save must not rewrite the file")

    monkeypatch.setattr(project_file, "_save_whole", no_whole_save)
    store.save(document)
    assert not document.is_modified
    rowid_after = dict(sqlite3.connect(target).execute("SELECT id, rowid FROM events"))
    untouched = set(rowid_before) - {"E00002", "E00003"}
    assert all(rowid_after[i] == rowid_before[i] for i in untouched)
    assert "E00003" not in rowid_after
    assert_same_tables(document, store.load(target))


def test_saving_one_edited_annotation_writes_it_and_its_new_version_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An annotation edit with history saves incrementally: one DELETE of the old row, and
    two rows inserted (the annotation and its new version); every other row is untouched."""
    target = tmp_path / "p.wsproj"
    document = small_document(200)
    notes = pd.concat(
        [annotation_row(f"N{i:02d}", f"note {i}", (f"event:E{i:05d}",)) for i in range(30)]
    )
    document.upsert("annotations", notes)
    stack = UndoStack(document)
    moment = pd.Timestamp("2022-03-01T00:00:00Z").to_pydatetime()
    for i in range(10):  # some history already saved
        stack.push(EditAnnotation(document, f"N{i:02d}", {"body": "v2"}, "ana", moment))
    store.save(document, target)
    document = store.load(target)

    def snapshot() -> dict[tuple[str, str], tuple[object, ...]]:
        connection = sqlite3.connect(target)
        try:
            return {
                (name, row[1]): row
                for name in tables.TABLE_NAMES
                for row in connection.execute(f'SELECT rowid, * FROM "{name}"')
            }
        finally:
            connection.close()

    before = snapshot()
    stack = UndoStack(document)
    later = pd.Timestamp("2022-03-02T00:00:00Z").to_pydatetime()
    for text in ("n", "ne", "new body"):  # typing: one undo step, one version
        stack.push(EditAnnotation(document, "N05", {"body": text}, "ana", later))
    assert document.versions("N05")["id"].tolist() == ["N05@1", "N05@2"]

    statements: list[str] = []
    real_connect = sqlite3.connect

    def tracing_connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        connection.set_trace_callback(statements.append)
        return connection

    def no_whole_save(*_: object) -> None:
        raise AssertionError("an incremental save must not rewrite the file")

    with monkeypatch.context() as patch:
        patch.setattr(project_file, "_save_whole", no_whole_save)
        patch.setattr(project_file.sqlite3, "connect", tracing_connect)
        store.save(document)

    inserts = [s for s in statements if s.startswith('INSERT INTO "')]
    assert len(inserts) == 2, inserts
    assert inserts[0].startswith("INSERT INTO \"annotations\" VALUES ('N05'")
    assert inserts[1].startswith("INSERT INTO \"annotation_versions\" VALUES ('N05@2'")
    after = snapshot()
    changed = {key for key in before.keys() & after.keys() if before[key] != after[key]}
    assert changed == {("annotations", "N05")}
    assert set(after) - set(before) == {("annotation_versions", "N05@2")}
    assert set(before) - set(after) == set()
    again = store.load(target)
    assert_same_tables(document, again)
    assert again.annotation_version("N05@2").body == "v2"
    assert again.annotation("N05").body == "new body"


def test_save_as_and_big_changes_rewrite_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.wsproj"
    document = small_document(10)
    store.save(document, target)
    calls: list[str] = []
    original = project_file._save_whole
    monkeypatch.setattr(
        project_file, "_save_whole", lambda doc, path: (calls.append("whole"), original(doc, path))
    )
    document.replace_table("events", event_rows(30))
    store.save(document)
    assert calls == ["whole"]
    assert len(store.load(target)) == 30
    store.save(document, tmp_path / "copy.wsproj")
    assert calls == ["whole", "whole"]
    assert document.path == (tmp_path / "copy.wsproj").absolute()
    assert not list(tmp_path.glob("*.saving")), "temporary files must not be left behind"


def test_v1_fixture_opens_forever() -> None:
    """Kept unchanged from schema version 1 on: every later version must still open it."""
    before = sha(V1_FIXTURE)
    document = store.load(V1_FIXTURE)
    assert sha(V1_FIXTURE) == before
    assert document.file_schema_version == 1
    assert document.event("E1").title == "Fixture launch"
    assert document.measurement("M1").text() == "< 50 km"
    assert document.annotation("N1").targets[0].ref == "E1"


def test_v2_fixture_opens_forever() -> None:
    """Kept unchanged from schema version 2 on: every later version must still open it."""
    before = sha(V2_FIXTURE)
    document = store.load(V2_FIXTURE)
    assert sha(V2_FIXTURE) == before
    assert document.file_schema_version == 2
    assert document.event("E1").title == "Fixture launch"
    assert document.measurement("M1").text() == "< 50 km"
    assert document.annotation("N1").targets[0].ref == "E1"
    assert document.system("SYS").launch_platform == ""
    assert document.system("SYS2").launch_platform == "railway launcher"


def test_v3_fixture_opens_forever() -> None:
    """Kept unchanged from schema version 3 on: every later version must still open it."""
    before = sha(V3_FIXTURE)
    document = store.load(V3_FIXTURE)
    assert sha(V3_FIXTURE) == before
    assert document.file_schema_version == 3
    assert document.event("E1").title == "Fixture launch"
    assert document.system("SYS2").launch_platform == "railway launcher"
    note = document.annotation("N1")
    assert note.body == "A note, revised."
    assert note.sources == (SourceRef("SRC", "¶1"),)
    history = document.versions("N1")
    assert history["id"].tolist() == ["N1@1"]
    version = document.annotation_version("N1@1")
    assert (version.version, version.author, version.body) == (1, "reviewer", "A note.")
    assert version.tags == ("tag",)
    assert version.sources == (SourceRef("SRC", "¶1"),)
    assert version.saved_utc == note.modified_utc


@pytest.mark.parametrize(("fixture", "version"), OLDER_FIXTURES)
def test_older_fixtures_are_migrated_to_annotation_sources_and_history(
    fixture: Path, version: int
) -> None:
    document = store.load(fixture)
    assert document.file_schema_version == version
    assert document.is_modified, "the next save must rewrite the file at the new version"
    notes = document.table("annotations")
    assert list(notes.columns) == tables.column_names("annotations")
    assert notes["sources"].tolist() == [""]
    assert document.annotation("N1").sources == ()
    assert document.annotation("N1").body == "A note."
    versions = document.table("annotation_versions")
    assert list(versions.columns) == tables.column_names("annotation_versions")
    assert versions.empty


def test_v1_fixture_is_migrated_to_version_2_with_blank_launch_platforms() -> None:
    document = store.load(V1_FIXTURE)
    assert document.file_schema_version == 1
    assert document.is_modified, "the next save must rewrite the file at the new version"
    systems = document.table("systems")
    assert list(systems.columns) == tables.column_names("systems")
    assert systems["launch_platform"].tolist() == [""]
    assert document.system("SYS").launch_platform == ""
    assert document.system("SYS").propulsion == "solid"


def test_a_migrated_v1_file_passes_the_schema_check(tmp_path: Path) -> None:
    """ADD COLUMN leaves a DEFAULT in the table's SQL; the check must still accept it, and
    the columns must be in the same order as in a new file."""
    copy = tmp_path / "v1.wsproj"
    shutil.copyfile(V1_FIXTURE, copy)
    connection = sqlite3.connect(copy)
    assert migrate(connection, 1) == SCHEMA_VERSION
    connection.close()
    connection = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        assert inspect(connection, copy).schema_version == SCHEMA_VERSION
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE name='systems'").fetchone()
        assert "DEFAULT ''" in sql[0]
        found = [(r[1], r[2]) for r in connection.execute('PRAGMA table_info("systems")')]
        assert found == expected_columns()["systems"]
        assert connection.execute("SELECT launch_platform FROM systems").fetchall() == [("",)]
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE name='annotations'")
        assert "DEFAULT ''" in sql.fetchone()[0]
        for table in ("annotations", "annotation_versions"):
            found = [(r[1], r[2]) for r in connection.execute(f'PRAGMA table_info("{table}")')]
            assert found == expected_columns()[table]
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE name='annotation_versions'")
        assert sql.fetchone()[0] == table_sql("annotation_versions")
        assert connection.execute("SELECT sources FROM annotations").fetchall() == [("",)]
        assert connection.execute("SELECT count(*) FROM annotation_versions").fetchone() == (0,)
    finally:
        connection.close()


def test_the_version_3_migration_creates_the_table_a_new_file_has() -> None:
    """The migration spells its DDL out (a later version must not change what it does);
    while version 3 is current it must be exactly what the schema module generates."""
    assert SCHEMA_VERSION == 3, "on the next version, compare with version 3's DDL instead"
    assert table_sql("annotation_versions") == ANNOTATION_VERSIONS_V3_SQL


@pytest.mark.parametrize(("fixture", "version"), OLDER_FIXTURES)
def test_saving_a_migrated_file_writes_the_current_version(
    fixture: Path, version: int, tmp_path: Path
) -> None:
    old = tmp_path / "old.wsproj"
    shutil.copyfile(fixture, old)
    document = store.load(old)
    assert document.file_schema_version == version
    store.save(document)
    assert document.file_schema_version == SCHEMA_VERSION == 3
    connection = sqlite3.connect(old)
    try:
        meta = connection.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        assert meta == (3,)
        assert connection.execute("PRAGMA user_version").fetchone() == (3,)
        statements = {
            row[0]
            for row in connection.execute(
                "SELECT sql FROM sqlite_master WHERE sql NOT NULL AND type='table'"
            )
        }
        assert statements == set(schema_sql()), "a saved file has the new file's schema"
        rows = connection.execute("SELECT id, launch_platform FROM systems").fetchall()
        assert rows[0] == ("SYS", "")
        assert connection.execute("SELECT id, sources FROM annotations").fetchall() == [("N1", "")]
    finally:
        connection.close()
    again = store.load(old)
    assert again.file_schema_version == 3
    assert not again.is_modified
    assert_same_tables(document, again)


def test_migrations_run_one_step_at_a_time(tmp_path: Path) -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value ANY)")
    connection.execute("CREATE TABLE t(x)")
    steps: list[int] = []

    def step(version: int):  # type: ignore[no-untyped-def]
        def run(conn: sqlite3.Connection) -> None:
            steps.append(version)
            conn.execute(f"ALTER TABLE t ADD COLUMN c{version}")

        return run

    registry = {1: step(1), 2: step(2)}
    assert migrate(connection, 1, 3, registry) == 3
    assert steps == [1, 2]
    assert connection.execute("SELECT value FROM meta").fetchone() == (3,)
    with pytest.raises(LookupError, match="no migration from schema version 3"):
        migrate(connection, 3, 4, registry)


def test_registering_two_migrations_from_one_version_fails() -> None:
    @migration(999)
    def first(_: sqlite3.Connection) -> None: ...

    try:
        with pytest.raises(ValueError, match="two migrations"):
            migration(999)(first)
    finally:
        MIGRATIONS.pop(999)


@pytest.mark.parametrize(("fixture", "version"), [*OLDER_FIXTURES, (V3_FIXTURE, 3)])
def test_an_older_file_is_migrated_in_a_copy(
    fixture: Path, version: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulate the next version on top of the real migrations: an older file is upgraded one
    step at a time on open without touching the file, and the next save rewrites it at the
    new version."""
    old = tmp_path / "old.wsproj"
    shutil.copyfile(fixture, old)
    before = sha(old)
    following = SCHEMA_VERSION + 1
    monkeypatch.setattr(project_file, "SCHEMA_VERSION", following)
    monkeypatch.setattr("workstation.store.inspect.SCHEMA_VERSION", following)
    monkeypatch.setattr("workstation.store.migrations.SCHEMA_VERSION", following)
    assert SCHEMA_VERSION not in MIGRATIONS
    monkeypatch.setitem(
        MIGRATIONS,
        SCHEMA_VERSION,
        lambda conn: conn.execute("UPDATE meta SET value='migrated' WHERE key='title'"),
    )
    monkeypatch.setattr(migrate, "__defaults__", (following, None))
    document = store.load(old)
    assert document.meta["title"] == "migrated"
    assert sha(old) == before, "opening must never modify the file"
    assert document.is_modified
    assert document.file_schema_version == version
    assert document.system("SYS").launch_platform == ""  # a v1 file: the real 1 -> 2 step
    store.save(document)
    connection = sqlite3.connect(old)
    meta = connection.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    connection.close()
    assert meta == (following,)
    assert store.load(old).meta["title"] == "migrated"


def test_shipped_seed_is_never_modified_by_loading() -> None:
    before = sha(SEED)
    store.load(SEED)
    assert sha(SEED) == before


def test_columns_that_start_with_thousands_of_nulls_read_back(tmp_path: Path) -> None:
    """The Arrow driver types a column by its first values; NULL runs must not break it."""
    rows = event_rows(3000)
    rows.loc[:2500, ["latitude", "longitude", "missile_count"]] = None
    rows.loc[2999, "end_utc"] = rows.loc[2999, "start_utc"]
    rows.loc[2999, ["latitude", "longitude", "missile_count"]] = [40.5, 126.25, 2]
    document = Document({"events": rows})
    target = tmp_path / "nulls.wsproj"
    store.save(document, target)
    loaded = store.load(target)
    assert_same_tables(document, loaded)
    assert loaded.event("E02999").latitude == 40.5


def test_relative_paths_open_and_save(seed_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(seed_copy.parent)
    document = store.load(Path(seed_copy.name))
    document.set_meta("title", "relative")
    store.save(document)
    assert store.load(seed_copy).meta["title"] == "relative"


def test_whole_file_save_keeps_the_files_permissions(tmp_path: Path) -> None:
    target = tmp_path / "shared.wsproj"
    document = small_document(3)
    store.save(document, target)
    target.chmod(0o644)
    document.replace_table("events", event_rows(4))
    store.save(document)  # a whole-file save replaces the file
    assert target.stat().st_mode & 0o777 == 0o644


def test_an_invalid_default_timezone_is_refused(seed_copy: Path) -> None:
    connection = sqlite3.connect(seed_copy)
    connection.execute("UPDATE meta SET value='Mars/Olympus' WHERE key='default_timezone'")
    connection.commit()
    connection.close()
    with pytest.raises(store.ProjectFileError, match="default_timezone"):
        store.load(seed_copy)
