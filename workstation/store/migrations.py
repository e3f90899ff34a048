"""Schema migrations: one small function per step, from version N to N+1.

Opening never modifies a file: an older file is copied, migrated in the copy and loaded from
there; the next save rewrites the user's file whole at the current version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from workstation.store.schema import SCHEMA_VERSION

Migration = Callable[[sqlite3.Connection], None]

#: MIGRATIONS[n] upgrades a version-n file to version n+1, inside a transaction.
MIGRATIONS: dict[int, Migration] = {}


def migration(from_version: int) -> Callable[[Migration], Migration]:
    def register(function: Migration) -> Migration:
        if from_version in MIGRATIONS:
            raise ValueError(f"two migrations from version {from_version}")
        MIGRATIONS[from_version] = function
        return function

    return register


def migrate(
    connection: sqlite3.Connection,
    from_version: int,
    to_version: int = SCHEMA_VERSION,
    registry: dict[int, Migration] | None = None,
) -> int:
    """Apply each step in order; returns the version reached. Raises ``LookupError`` when a
    step is missing, so a gap in the registry can never be silently skipped."""
    steps = MIGRATIONS if registry is None else registry
    version = from_version
    while version < to_version:
        step = steps.get(version)
        if step is None:
            raise LookupError(f"no migration from schema version {version} to {version + 1}")
        with connection:
            step(connection)
            connection.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (version + 1,),
            )
        version += 1
    return version


# -- the steps ----------------------------------------------------------------------------
@migration(1)
def _add_systems_launch_platform(connection: sqlite3.Connection) -> None:
    """Version 2: ``systems.launch_platform``, blank for every existing system.

    SQLite appends an added column, so the table ends up with the same columns, in the same
    order, as a new version-2 file. The DEFAULT is needed to add a NOT NULL column; the table
    check compares names and declared types only, and the next save writes the file anew
    without it.
    """
    connection.execute(
        'ALTER TABLE "systems" ADD COLUMN "launch_platform" TEXT NOT NULL DEFAULT \'\''
    )


#: The ``annotation_versions`` table as version 3 created it. Written out, not derived from
#: ``model/tables.py``: a migration must keep doing what it did when a later version changes
#: the table (a test checks that it matches the schema of version 3).
ANNOTATION_VERSIONS_V3_SQL = """CREATE TABLE "annotation_versions" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "annotation_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "saved_utc" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "tags" TEXT NOT NULL,
    "targets" TEXT NOT NULL,
    "confidence" TEXT NOT NULL,
    "sources" TEXT NOT NULL
) STRICT"""


@migration(2)
def _add_annotation_sources_and_versions(connection: sqlite3.Connection) -> None:
    """Version 3: ``annotations.sources`` (blank for every existing note) as the table's last
    column, and an empty ``annotation_versions`` table (no earlier state was kept before)."""
    connection.execute('ALTER TABLE "annotations" ADD COLUMN "sources" TEXT NOT NULL DEFAULT \'\'')
    connection.execute(ANNOTATION_VERSIONS_V3_SQL)
