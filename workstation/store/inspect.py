"""Opening is validation: every check a file must pass before any of its data is trusted.

A project file from someone else is untrusted input. It is opened read-only with
``trusted_schema`` off, and refused, with one line that names the problem, when it is not
SQLite, is damaged, belongs to another application, comes from a newer version, or carries
anything that would execute on read (triggers, views, virtual tables, generated columns).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from workstation.store.errors import ProjectFileError
from workstation.store.schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    expected_columns,
    expected_sql,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100


@dataclass(frozen=True)
class Inspection:
    schema_version: int
    meta: dict[str, str]


def check_header(path: Path, check_size: bool = True) -> None:
    """Cheap checks on the raw bytes before SQLite parses anything.

    ``check_size=False`` skips comparing the file's size with its header's page count, which
    an interrupted save's journal may still have to restore.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(HEADER_SIZE)
    except FileNotFoundError:
        raise ProjectFileError(path, "no such file") from None
    except IsADirectoryError:
        raise ProjectFileError(path, "is a folder, not a project file") from None
    except PermissionError:
        raise ProjectFileError(path, "permission denied") from None
    except OSError as exc:
        raise ProjectFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise ProjectFileError(path, "is empty (0 bytes), not a project file")
    if not header.startswith(SQLITE_MAGIC):
        raise ProjectFileError(path, "is not a Workstation project (not a SQLite database)")
    if len(header) < HEADER_SIZE:
        raise ProjectFileError(path, "is truncated (shorter than a SQLite header)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise ProjectFileError(path, "is damaged (invalid SQLite page size)")
    pages = int.from_bytes(header[28:32], "big")
    counter_matches = header[24:28] == header[92:96]
    if check_size and counter_matches and pages and size < pages * page_size:
        raise ProjectFileError(
            path, f"is truncated ({size:,} bytes where the header promises {pages * page_size:,})"
        )


def inspect(connection: sqlite3.Connection, path: Path) -> Inspection:
    """Validate an open (read-only) connection's schema; return its version and meta.
    While it runs, SQLite may only read (:func:`_authorize`)."""
    try:
        return _inspect(connection, path)
    finally:
        connection.set_authorizer(None)


def _inspect(connection: sqlite3.Connection, path: Path) -> Inspection:

    def fail(problem: str) -> ProjectFileError:
        return ProjectFileError(path, problem)

    try:
        connection.execute("PRAGMA trusted_schema=OFF")
        connection.execute("PRAGMA query_only=ON")
        connection.set_authorizer(_authorize)
        result = connection.execute("PRAGMA quick_check(1)").fetchone()
        if not result or result[0] != "ok":
            raise fail(f"is damaged (SQLite quick_check: {result[0] if result else 'no answer'})")
        objects = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise fail(f"is damaged or not a database ({exc})") from None

    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    names = {name for kind, name, _, _ in objects if kind == "table"}
    if application_id != APPLICATION_ID and "meta" not in names:
        raise fail("is a SQLite database of another application, not a Workstation project")

    for kind, name, _table, sql in objects:
        if kind in ("trigger", "view"):
            raise fail(f"contains a {kind} ({name!r}); project files never do, so it is refused")
        if kind == "table" and sql and sql.lstrip().upper().startswith("CREATE VIRTUAL"):
            raise fail(f"contains a virtual table ({name!r}), which is refused")
        if kind == "index" and not name.startswith("sqlite_autoindex_"):
            raise fail(f"contains an unexpected index ({name!r}), which is refused")
        if kind == "table" and sql:
            found = executable(sql)
            if found:
                raise fail(f"table {name!r} has {found}; project files never do, so it is refused")

    meta = _read_meta(connection, path, names)
    version_text = meta.get("schema_version", "")
    if not version_text.isdigit():
        raise fail("has no valid schema_version in its meta table")
    version = int(version_text)
    if version > SCHEMA_VERSION:
        raise fail(
            f"was written by a newer Workstation (file schema version {version}; this version "
            f"reads up to {SCHEMA_VERSION}). Update Workstation to open it"
        )
    if version < 1:
        raise fail(f"has an invalid schema_version {version}")
    if version == SCHEMA_VERSION:
        check_tables(connection, path, names)
    return Inspection(version, meta)


#: What only reads: the statements inspection runs, and nothing a file's schema could add.
_ALLOWED_PRAGMAS = frozenset(
    {"trusted_schema", "query_only", "quick_check", "application_id", "table_list", "table_xinfo"}
)


def _authorize(action: int, first: str | None, *_: str | None) -> int:
    """Defence in depth while a file is inspected: no ATTACH, no function call, no other
    pragma, no write, whatever a hostile schema might try to make SQLite run."""
    if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ):
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (first or "").lower() in _ALLOWED_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|\[[^\]]*\]")
_EXECUTABLE = (
    (re.compile(r"\bCHECK\b"), "a CHECK constraint (an expression run on every write)"),
    (re.compile(r"\bDEFAULT\s*\("), "a column default that computes (an expression)"),
    (re.compile(r"\bGENERATED\b|\bAS\b"), "a generated column"),
    (re.compile(r"\bREFERENCES\b"), "a foreign key"),
    (re.compile(r"\bCOLLATE\b"), "a collation"),
)


def executable(sql: str) -> str:
    """What a table's definition holds beyond names, types and keys: an expression SQLite
    would evaluate (a CHECK, a computed default, a generated column) or a reference to
    something outside the table. Empty when there is none. Quoted names and strings are
    ignored, so a column called "check" is no alarm."""
    bare = _QUOTED.sub("''", sql).upper()
    return next((what for pattern, what in _EXECUTABLE if pattern.search(bare)), "")


def check_tables(connection: sqlite3.Connection, path: Path, names: set[str]) -> None:
    expected = expected_columns()
    internal = {n for n in names if n.startswith("sqlite_")}
    unexpected = names - set(expected) - internal
    if unexpected:
        raise ProjectFileError(path, f"has unexpected tables: {', '.join(sorted(unexpected))}")
    missing = set(expected) - names
    if missing:
        raise ProjectFileError(path, f"is missing tables: {', '.join(sorted(missing))}")
    strict = {row[1]: row[5] for row in connection.execute("PRAGMA main.table_list")}
    for table, columns in expected.items():
        info = connection.execute(f'PRAGMA table_xinfo("{table}")').fetchall()
        found = [(row[1], str(row[2]).upper()) for row in info]
        if any(row[6] != 0 for row in info):
            raise ProjectFileError(path, f"table {table} has generated or hidden columns")
        if found != [(name, kind.upper()) for name, kind in columns]:
            raise ProjectFileError(
                path,
                f"table {table} has wrong columns or column types "
                f"(found {', '.join(f'{n} {t}' for n, t in found)})",
            )
        if not strict.get(table):
            raise ProjectFileError(path, f"table {table} is not STRICT, so its types are unchecked")
    # A file of this version was written by this schema: its definitions are exactly ours,
    # so nothing (a default, a constraint) can hide in them.
    written = dict(
        connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    )
    for table, sql in expected_sql().items():
        if _plain(str(written.get(table) or "")) != _plain(sql):
            raise ProjectFileError(path, f"table {table} is not defined as this version defines it")


_LITERAL_DEFAULT = re.compile(r"\bDEFAULT\s+('(?:[^']|'')*'|[-+]?\d+(?:\.\d+)?|NULL)", re.I)


def _plain(sql: str) -> str:
    """A definition as compared: without white space, and without a literal default (the
    ``DEFAULT ''`` a migration's ADD COLUMN needs, which computes nothing)."""
    return re.sub(r"\s+", "", _LITERAL_DEFAULT.sub("", sql))


def _read_meta(connection: sqlite3.Connection, path: Path, names: set[str]) -> dict[str, str]:
    if "meta" not in names:
        raise ProjectFileError(path, "has no meta table, so it is not a Workstation project")
    try:
        rows = connection.execute("SELECT key, value FROM meta LIMIT 1000").fetchall()
    except sqlite3.DatabaseError as exc:
        raise ProjectFileError(path, f"has an unreadable meta table ({exc})") from None
    meta: dict[str, str] = {}
    for key, value in rows:
        if (
            isinstance(key, str)
            and isinstance(value, str | int | float)
            and len(str(value)) < 65536
        ):
            meta[key] = str(value)
    return meta
