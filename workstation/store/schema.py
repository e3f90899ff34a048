"""The SQLite schema of a project file, derived from ``model/tables.py``.

Version history (each version has a migration in ``migrations.py`` and a fixture file in
``tests/fixtures/`` that is opened on every test run):

- 1: events, systems, measurements, sources, places, annotations, meta.
- 2: ``systems.launch_platform`` (text, blank when not stated), added as the last column.
- 3: ``annotations.sources`` (a list, blank when none), added as the last column, and the
  ``annotation_versions`` table: each annotation's earlier states.
"""

from __future__ import annotations

from workstation.model.tables import TABLES, Column

SCHEMA_VERSION = 3
FILE_EXTENSION = ".wsproj"
# PRAGMA application_id: tells our files from other applications' SQLite files ("WSPJ").
APPLICATION_ID = 0x5753504A

SQL_TYPES = {"text": "TEXT", "list": "TEXT", "time": "TEXT", "real": "REAL", "integer": "INTEGER"}


def column_sql(column: Column) -> str:
    parts = [f'"{column.name}"', SQL_TYPES[column.kind]]
    if column.name == "id":
        parts.append("PRIMARY KEY")
    if column.required or column.kind in ("text", "list"):
        parts.append("NOT NULL")
    return " ".join(parts)


def table_sql(name: str) -> str:
    body = ",\n    ".join(column_sql(column) for column in TABLES[name])
    return f'CREATE TABLE "{name}" (\n    {body}\n) STRICT'


META_SQL = 'CREATE TABLE "meta" (\n    "key" TEXT PRIMARY KEY NOT NULL,\n    "value" ANY\n) STRICT'


def schema_sql() -> list[str]:
    """Every CREATE statement of the current version, in order."""
    return [META_SQL, *(table_sql(name) for name in TABLES)]


def expected_sql() -> dict[str, str]:
    """Table name -> its CREATE statement in the current version."""
    return {"meta": META_SQL, **{name: table_sql(name) for name in TABLES}}


def expected_columns() -> dict[str, list[tuple[str, str]]]:
    """Table name -> [(column, declared SQL type)] as ``PRAGMA table_info`` reports them."""
    expected = {"meta": [("key", "TEXT"), ("value", "ANY")]}
    for name, cols in TABLES.items():
        expected[name] = [(c.name, SQL_TYPES[c.kind]) for c in cols]
    return expected
