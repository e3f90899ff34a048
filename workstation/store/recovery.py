"""Autosave and crash recovery (Qt-free).

Unsaved changes are written, every minute or so, to a recovery file in the user's data folder
(``recovery/*.wsrecover``), never over the project. A recovery file holds only what differs
from the project file as last saved: the rows changed or added, the ids deleted, and the
project settings. Each autosave writes only what changed since the one before, in one SQLite
transaction, so a crash during an autosave leaves the previous autosave whole.

:class:`Tracker` follows a document's edits; :meth:`Tracker.take` hands over what changed
(O(1) on the UI thread: pandas' copy-on-write makes the current tables snapshots), and
:func:`write` stores it, off the UI thread. After a crash, :func:`pending` lists what can be
restored, and :func:`restore_command` turns a recovery file into one undoable command on top
of the project as saved. A clean close or a save removes the file.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import socket
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workstation import paths
from workstation.model import tables, validation
from workstation.model.commands import Command, DeleteRows, Macro, SetMeta, UpsertRows
from workstation.model.document import Change, Document
from workstation.store.locks import Holder, is_stale, process_started
from workstation.store.project_file import (
    batches,
    disk_stamp,
    replace_rows,
    write_transaction,
)
from workstation.store.schema import APPLICATION_ID, schema_sql

SUFFIX = ".wsrecover"
FEW_ROWS = 2_000  # changed rows taken on the UI thread (well under a millisecond)
#: Marks our recovery files (PRAGMA application_id), apart from project files ("WSRC").
RECOVERY_ID = 0x57535243
assert RECOVERY_ID != APPLICATION_ID


def folder() -> Path:
    return paths.data_dir() / "recovery"


@dataclass
class Delta:
    """What changed since the last autosave, handed from the UI thread to the writer."""

    frames: dict[str, pd.DataFrame]  # the touched tables as they are now (snapshots)
    changed: dict[str, set[str]]  # table: ids upserted
    deleted: dict[str, set[str]]  # table: ids deleted
    whole: set[str]  # tables replaced whole
    meta: dict[str, str]
    rows: dict[str, pd.DataFrame] = field(default_factory=dict)  # a few changed rows, taken
    meta_keys: set[str] = field(default_factory=set)  # project settings changed
    project_stamp: tuple[int, int, int] | None = None  # the project file the changes are on

    @property
    def size(self) -> int:
        return sum(map(len, self.changed.values())) + sum(map(len, self.deleted.values()))


class Tracker:
    """Follows one document's edits since the last autosave."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._reset()
        document.changed.connect(self._on_change)
        document.meta_changed.connect(self._on_meta)

    def _reset(self) -> None:
        self._changed: dict[str, set[str]] = {}
        self._deleted: dict[str, set[str]] = {}
        self._whole: set[str] = set()
        self._meta_dirty = False
        self._meta_keys: set[str] = set()

    def _on_change(self, change: Change) -> None:
        name = change.table
        changed = self._changed.setdefault(name, set())
        deleted = self._deleted.setdefault(name, set())
        if change.kind == "replace":
            self._whole.add(name)
            changed.clear()
            deleted.clear()
        elif change.kind == "delete":
            changed.difference_update(change.ids)
            deleted.update(change.ids)
        else:
            deleted.difference_update(change.ids)
            changed.update(change.ids)

    def _on_meta(self, key: str) -> None:
        self._meta_dirty = True
        self._meta_keys.add(key)

    @property
    def dirty(self) -> bool:
        return bool(
            self._whole
            or self._meta_dirty
            or any(self._changed.values())
            or any(self._deleted.values())
        )

    def take(self) -> Delta | None:
        """What changed since the last call, and start afresh: sets are swapped, tables
        referenced (copy-on-write), so this is quick however large the change."""
        if not self.dirty:
            return None
        touched = {t for t, ids in self._changed.items() if ids} | self._whole
        # A few changed rows are taken here (the document's index finds them at once); a
        # large change is picked from the table's snapshot by the writer, in batches.
        few = {t for t in touched - self._whole if len(self._changed[t]) <= FEW_ROWS}
        delta = Delta(
            # A new frame object over the same data: the document edits its own frame in
            # place, which copy-on-write then keeps from this snapshot.
            {name: self.document.table(name).copy(deep=False) for name in touched - few},
            {t: ids for t, ids in self._changed.items() if ids},
            {t: ids for t, ids in self._deleted.items() if ids},
            set(self._whole),
            dict(self.document.meta),
            {t: self.document.rows(t, list(self._changed[t])) for t in few},
            set(self._meta_keys),
            self.document.disk_stamp,
        )
        self._reset()
        return delta

    def give_back(self, delta: Delta) -> None:
        """An autosave that failed (a full disk): its changes are owed to the next one,
        except where a later edit already says otherwise."""
        for name, ids in delta.changed.items():
            later = self._deleted.get(name, set())
            self._changed.setdefault(name, set()).update(ids - later)
        for name, ids in delta.deleted.items():
            later = self._changed.get(name, set())
            self._deleted.setdefault(name, set()).update(ids - later)
        self._whole |= delta.whole
        self._meta_dirty = True
        self._meta_keys |= delta.meta_keys

    def forget(self) -> None:
        """Saved: nothing differs from the file any more."""
        self._reset()

    def disconnect(self) -> None:
        self.document.changed.disconnect(self._on_change)
        self.document.meta_changed.disconnect(self._on_meta)


def file_for(document: Document, session: str) -> Path:
    """The recovery file of a document in one session: by its project's path and the
    session, so a crashed session's file is never mixed with a later one's."""
    where = str(document.path.absolute()) if document.path is not None else "untitled"
    key = f"{where}\n{session}"
    return folder() / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}{SUFFIX}"


#: The sessions of this process: their recovery files are never offered as left by a crash,
#: even if an earlier, crashed process had the same process id.
LIVE_SESSIONS: set[str] = set()


def new_session() -> str:
    session = uuid.uuid4().hex
    LIVE_SESSIONS.add(session)
    return session


# -- writing (off the UI thread) -------------------------------------------------------------
def write(
    target: Path, delta: Delta, document_path: Path | None, title: str, session: str = ""
) -> None:
    """Add ``delta`` to the recovery file ``target`` in one transaction."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # Writing a large change makes many short-lived Python objects, and a full cyclic
    # collection of them would stop every thread, the UI's too, for tens of milliseconds:
    # collection waits until the write is done (reference counting still frees them).
    collecting = gc.isenabled()
    gc.disable()
    try:
        _write(target, delta, document_path, title, session)
    finally:
        if collecting:
            gc.enable()


def _write(
    target: Path, delta: Delta, document_path: Path | None, title: str, session: str
) -> None:
    with write_transaction(target) as connection:
        _create(connection)
        for name in tables.TABLE_NAMES:
            _write_table(connection, name, delta)
        info = {
            "project": str(document_path.absolute()) if document_path else "",
            "title": title,
            "autosaved_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "pid": str(os.getpid()),
            "started": process_started(os.getpid()),
            "host": socket.gethostname(),
            "session": session,
            "document_meta": json.dumps(delta.meta),
            "meta_keys": json.dumps(sorted(delta.meta_keys | _recorded_keys(connection))),
            "project_stamp": json.dumps(delta.project_stamp),
        }
        connection.executemany(
            "INSERT OR REPLACE INTO recovery(key, value) VALUES (?, ?)", info.items()
        )


def _recorded_keys(connection: sqlite3.Connection) -> set[str]:
    found = connection.execute("SELECT value FROM recovery WHERE key = 'meta_keys'").fetchone()
    try:
        return {str(k) for k in json.loads(found[0])} if found else set()
    except (ValueError, TypeError):
        return set()


def _create(connection: sqlite3.Connection) -> None:
    if connection.execute("PRAGMA application_id").fetchone()[0] == RECOVERY_ID:
        return
    connection.execute(f"PRAGMA application_id={RECOVERY_ID}")
    for statement in schema_sql()[1:]:  # the tables, without the project's meta
        connection.execute(statement)
    connection.execute(
        'CREATE TABLE "deleted" ("tbl" TEXT NOT NULL, "id" TEXT NOT NULL, '
        "PRIMARY KEY (tbl, id)) STRICT"
    )
    connection.execute('CREATE TABLE "whole" ("tbl" TEXT PRIMARY KEY NOT NULL) STRICT')
    connection.execute(
        'CREATE TABLE "recovery" ("key" TEXT PRIMARY KEY NOT NULL, "value" TEXT) STRICT'
    )


def _write_table(connection: sqlite3.Connection, name: str, delta: Delta) -> None:
    changed = delta.changed.get(name, set())
    deleted = delta.deleted.get(name, set())
    if name in delta.whole:
        connection.execute(f'DELETE FROM "{name}"')
        connection.execute('DELETE FROM "deleted" WHERE tbl = ?', (name,))
        connection.execute('INSERT OR IGNORE INTO "whole"(tbl) VALUES (?)', (name,))
        replace_rows(connection, name, set(), delta.frames[name])
        return
    if not changed and not deleted:
        return
    for back in batches(changed):  # re-added since deleted: no longer deleted
        connection.execute(
            'DELETE FROM "deleted" WHERE tbl = ? AND id IN (SELECT value FROM json_each(?))',
            (name, json.dumps(back)),
        )
    connection.executemany(
        'INSERT OR IGNORE INTO "deleted"(tbl, id) VALUES (?, ?)',
        ((name, row_id) for row_id in deleted),
    )
    replace_rows(connection, name, deleted, None)
    if name in delta.rows:
        replace_rows(connection, name, changed, delta.rows[name])
        return
    frame = delta.frames.get(name)
    if frame is None or not changed:
        return
    if len(changed) == len(frame):  # every row (an import into an empty project)
        replace_rows(connection, name, changed, frame)
        return
    # Picked here, off the UI thread, from the snapshot taken there: found by Arrow (which
    # lets go of Python's lock while it hashes), then written a batch at a time.
    import pyarrow as pa

    ids = pa.array(frame["id"], pa.string())  # the column itself: no copy
    for batch in batches(changed):
        found = _positions(ids, batch)
        replace_rows(connection, name, batch, frame.iloc[found[found >= 0]])


def _positions(ids: Any, wanted: list[str]) -> np.ndarray:
    """Where ``wanted`` stand in ``ids``; -1 for none. Arrow hashes without Python's lock,
    and one batch of ids converts in a moment."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.index_in(pa.array(wanted, pa.string()), value_set=ids)
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def discard(target: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    with contextlib.suppress(FileNotFoundError):
        Path(f"{target}-journal").unlink()


# -- after a crash ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Recoverable:
    """A recovery file left by a Workstation that did not close cleanly."""

    path: Path
    project: Path | None
    title: str
    changes: int
    autosaved_utc: str
    pid: int = 0
    host: str = ""
    meta: dict[str, str] = field(default_factory=dict, compare=False)
    session: str = ""
    started: str = ""
    project_changed: bool = False  # saved by someone since: restoring puts these over it

    def describe(self) -> str:
        where = str(self.project) if self.project else "a project never saved"
        when = self.autosaved_utc.replace("T", " ").removesuffix("Z")
        changed = (
            "; the project file has been saved since, and restoring puts these changes over it"
            if self.project_changed
            else ""
        )
        return (
            f"“{self.title}” ({where}): {self.changes:,} unsaved changes, "
            f"last autosaved {when} UTC{changed}"
        )


def read_info(path: Path) -> Recoverable | None:
    """What a recovery file holds, or None if it is not a readable one of ours."""
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if connection.execute("PRAGMA application_id").fetchone()[0] != RECOVERY_ID:
            return None
        info = dict(connection.execute("SELECT key, value FROM recovery").fetchall())
        changes = sum(
            connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in (*tables.TABLE_NAMES, "deleted")
        )
        meta = json.loads(info.get("document_meta") or "{}")
        keys = json.loads(info.get("meta_keys") or "[]")
        stamp = json.loads(info.get("project_stamp") or "null")
        project = Path(info["project"]) if info.get("project") else None
        now = disk_stamp(project) if project is not None else None
        project_changed = bool(stamp and now and tuple(stamp) != now)
        return Recoverable(
            path,
            Path(info["project"]) if info.get("project") else None,
            str(info.get("title") or "Untitled project"),
            int(changes) + len(keys),
            str(info.get("autosaved_utc") or ""),
            int(info.get("pid") or 0),
            str(info.get("host") or ""),
            {str(k): str(v) for k, v in meta.items()} if isinstance(meta, dict) else {},
            str(info.get("session") or ""),
            str(info.get("started") or ""),
            project_changed,
        )
    except (sqlite3.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
    finally:
        connection.close()


def pending(own: Path | None = None) -> list[Recoverable]:
    """Recovery files whose Workstation is no longer running, newest first: not this
    process's sessions' (nor ``own``), nor another running Workstation's."""
    found = []
    for path in sorted(folder().glob(f"*{SUFFIX}")) if folder().is_dir() else []:
        if own is not None and path == own:
            continue
        info = read_info(path)
        if info is None or info.session in LIVE_SESSIONS:
            continue
        if info.pid and info.pid != os.getpid():
            writer = Holder("", info.host, info.pid, "", started=info.started)
            if info.host == socket.gethostname() and not is_stale(writer):
                continue  # another running Workstation's autosave
        found.append(info)
    return sorted(found, key=lambda r: r.autosaved_utc, reverse=True)


def restore_command(document: Document, recoverable: Recoverable) -> Command:
    """The recovered changes as one undoable step on top of ``document`` (the project as
    last saved, or a new document)."""
    steps: list[Command] = []
    connection = sqlite3.connect(f"{recoverable.path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        whole = {row[0] for row in connection.execute('SELECT tbl FROM "whole"')}
        for name in tables.TABLE_NAMES:
            names = tables.column_names(name)
            cursor = connection.execute(
                f'SELECT {", ".join(f"{chr(34)}{n}{chr(34)}" for n in names)} FROM "{name}"'
            )
            frame = tables.conform(name, pd.DataFrame(cursor.fetchall(), columns=names))
            found = validation.problems(name, frame, limit=1)
            if found:
                raise ValueError(f"the recovery file holds invalid data: {found[0]}")
            deleted = [
                row[0]
                for row in connection.execute('SELECT id FROM "deleted" WHERE tbl = ?', (name,))
            ]
            if name in whole:
                keep = set(frame["id"].tolist())
                deleted += [i for i in document.table(name)["id"].tolist() if i not in keep]
            present = [i for i in deleted if document.has(name, i)]
            if present:
                steps.append(DeleteRows(name, present))
            if len(frame):
                steps.append(UpsertRows(name, frame))
    finally:
        connection.close()
    for key, value in recoverable.meta.items():
        if document.meta.get(key) != value:
            steps.append(SetMeta(key, value))
    for key in set(document.meta) - set(recoverable.meta):
        steps.append(SetMeta(key, None))
    return Macro("Restore Autosaved Changes", steps)
