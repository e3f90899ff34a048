"""The project document: every table of one project in memory, announcing its own changes.

Views subscribe to :attr:`Document.changed`; nothing else tells them. Edits normally arrive
through commands (``model/commands.py``) so that they can be undone; the primitive methods
here are what commands call.

The document also remembers which rows changed since the last save, so that saving one edited
annotation in a project of a million events writes one row (``store/project_file.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from psygnal import Signal

from workstation.model import tables
from workstation.model.annotations import Annotation, AnnotationVersion
from workstation.model.events import Event
from workstation.model.measurements import Measurement
from workstation.model.places import Place
from workstation.model.sources import Source
from workstation.model.systems import AliasIndex, MissileSystem

ChangeKind = Literal["upsert", "delete", "replace"]


@dataclass(frozen=True)
class Change:
    """What changed in one table: the ids touched (empty for ``replace``: everything)."""

    table: str
    kind: ChangeKind
    ids: tuple[str, ...] = ()


@dataclass
class PendingChanges:
    """Rows of one table that differ from the last save."""

    changed: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    replaced: bool = False

    def __bool__(self) -> bool:
        return self.replaced or bool(self.changed) or bool(self.deleted)


DEFAULT_META: dict[str, str] = {"title": "Untitled project", "description": ""}


class Document:
    """All tables of a project plus its metadata (title, description, ...)."""

    changed = Signal(object)  # Change
    meta_changed = Signal(str)  # key
    path_changed = Signal(object)  # Path | None

    def __init__(
        self,
        frames: Mapping[str, pd.DataFrame] | None = None,
        meta: Mapping[str, str] | None = None,
        path: Path | None = None,
    ) -> None:
        self._frames: dict[str, pd.DataFrame] = {}
        self._codes: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self._index: dict[str, pd.Index] = {}
        for name in tables.TABLE_NAMES:
            frame = frames.get(name) if frames else None
            self._set_frame(name, tables.empty(name) if frame is None else frame)
        self.meta: dict[str, str] = {**DEFAULT_META, **(meta or {})}
        self._path = path
        self.pending: dict[str, PendingChanges] = {n: PendingChanges() for n in tables.TABLE_NAMES}
        self.meta_dirty = False
        self.removed_meta: set[str] = set()  # keys to delete from the file on the next save
        self._alias_index: AliasIndex | None = None
        #: Schema version of the file this document was read from (None: never saved).
        self.file_schema_version: int | None = None
        #: The file's identity (inode, size, modification time) when last read or written:
        #: a save notices when someone else changed the file since (None: not known).
        self.disk_stamp: tuple[int, int, int] | None = None

    # -- reading ---------------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        return self._path

    @path.setter
    def path(self, value: Path | None) -> None:
        self._path = value
        self.path_changed.emit(value)

    def table(self, name: str) -> pd.DataFrame:
        """The table's frame. Treat it as read-only: edit through commands."""
        tables.columns(name)
        return self._frames[name]

    @property
    def events(self) -> pd.DataFrame:
        return self._frames["events"]

    def __len__(self) -> int:
        return len(self._frames["events"])

    def has(self, table: str, row_id: str) -> bool:
        return row_id in self._index[table]

    def row(self, table: str, row_id: str) -> dict[str, Any] | None:
        positions = self.positions(table, [row_id])
        if positions[0] < 0:
            return None
        series = self._frames[table].iloc[int(positions[0])]
        return {str(key): value for key, value in series.items()}

    def positions(self, table: str, ids: Iterable[str]) -> np.ndarray:
        """Row positions of ``ids`` in the table's frame; -1 for unknown ids."""
        # A column's ids as one array: list() of an Arrow column is ten times slower. The
        # wanted ids take the index's own dtype: an object-typed look-up into an Arrow index
        # converts all of the index first (100 ms at a million rows, for each look-up).
        index = self._index[table]
        wanted = ids.tolist() if isinstance(ids, (pd.Series, pd.Index)) else list(ids)
        result: np.ndarray = index.get_indexer(pd.Index(wanted, dtype=index.dtype))
        return result

    def rows(self, table: str, ids: Iterable[str]) -> pd.DataFrame:
        positions = self.positions(table, ids)
        return self._frames[table].iloc[positions[positions >= 0]].reset_index(drop=True)

    def event(self, event_id: str) -> Event:
        return Event.from_row(self.require_row("events", event_id))

    def system(self, system_id: str) -> MissileSystem:
        return MissileSystem.from_row(self.require_row("systems", system_id))

    def measurement(self, measurement_id: str) -> Measurement:
        return Measurement.from_row(self.require_row("measurements", measurement_id))

    def source(self, source_id: str) -> Source:
        return Source.from_row(self.require_row("sources", source_id))

    def place(self, place_id: str) -> Place:
        return Place.from_row(self.require_row("places", place_id))

    def annotation(self, annotation_id: str) -> Annotation:
        return Annotation.from_row(self.require_row("annotations", annotation_id))

    def annotation_version(self, version_id: str) -> AnnotationVersion:
        return AnnotationVersion.from_row(self.require_row("annotation_versions", version_id))

    def versions(self, annotation_id: str) -> pd.DataFrame:
        """The earlier states of one annotation (``annotation_versions`` rows), oldest first."""
        frame = self._frames["annotation_versions"]
        mine = frame[frame["annotation_id"].to_numpy() == annotation_id]
        ordered: pd.DataFrame = mine.sort_values("version", kind="stable")
        return ordered.reset_index(drop=True)

    def next_version(self, annotation_id: str) -> int:
        """The number the annotation's next version row gets: one more than its last."""
        frame = self._frames["annotation_versions"]
        numbers = frame["version"][frame["annotation_id"].to_numpy() == annotation_id]
        return 1 if numbers.empty else int(numbers.max()) + 1

    def aliases(self) -> AliasIndex:
        if self._alias_index is None:
            self._alias_index = AliasIndex.from_table(self._frames["systems"])
        return self._alias_index

    def factorized(self, table: str, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(codes, distinct values) of a column, cached until the table changes.

        Filters on columns with few distinct values (categories) decide once per value and
        spread the answer through the codes instead of comparing a million strings.
        """
        key = (table, column)
        if key not in self._codes:
            codes, uniques = pd.factorize(self._frames[table][column])
            self._codes[key] = (np.asarray(codes), np.asarray(uniques, dtype=object))
        return self._codes[key]

    @property
    def is_modified(self) -> bool:
        return self.meta_dirty or any(self.pending.values())

    def require_row(self, table: str, row_id: str) -> dict[str, Any]:
        """The row with ``row_id``; ``KeyError`` naming the table when there is none."""
        row = self.row(table, row_id)
        if row is None:
            raise KeyError(f"no {table} row with id {row_id!r}")
        return row

    # -- primitive edits (called by commands) ---------------------------------------------
    def upsert(self, table: str, rows: pd.DataFrame) -> None:
        """Replace the rows whose ids exist and append the others."""
        rows = tables.conform(table, rows)
        if rows.empty:
            return
        if rows["id"].duplicated().any():
            raise ValueError(f"{table}: the same id appears twice in one edit")
        frame = self._frames[table]
        positions = self.positions(table, rows["id"])
        existing = positions >= 0
        if existing.any():
            # Column-wise positional assignment keeps dtypes and avoids per-cell access. Only
            # columns whose values differ are written: an Arrow string column is immutable, so
            # writing one cell rebuilds all of it (~25 ms per column at 1M rows).
            target = positions[existing]
            source = rows[existing].reset_index(drop=True)
            for col_index, name in enumerate(frame.columns):
                current = frame[name].iloc[target].reset_index(drop=True)
                if not current.equals(source[name]):
                    frame.iloc[target, col_index] = source[name].to_numpy()
        if (~existing).any():
            frame = pd.concat([frame, rows[~existing]], ignore_index=True)
            self._set_frame(table, frame)
        ids = tuple(rows["id"].tolist())
        pending = self.pending[table]
        pending.changed.update(ids)
        pending.deleted.difference_update(ids)
        self._after_edit(Change(table, "upsert", ids))

    def delete(self, table: str, ids: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return
        frame = self._frames[table]
        keep = ~frame["id"].isin(wanted)
        self._set_frame(table, frame[keep].reset_index(drop=True))
        pending = self.pending[table]
        pending.deleted.update(wanted)
        pending.changed.difference_update(wanted)
        self._after_edit(Change(table, "delete", tuple(wanted)))

    def replace_table(self, table: str, frame: pd.DataFrame) -> None:
        conformed = tables.conform(table, frame)
        if conformed["id"].duplicated().any():
            raise ValueError(f"{table}: duplicate ids")
        self._set_frame(table, conformed)
        pending = self.pending[table]
        pending.replaced = True
        pending.changed.clear()
        pending.deleted.clear()
        self._after_edit(Change(table, "replace"))

    def set_meta(self, key: str, value: str) -> None:
        if self.meta.get(key) == value:
            return
        self.meta[key] = value
        self.meta_dirty = True
        self.removed_meta.discard(key)
        self.meta_changed.emit(key)

    def remove_meta(self, key: str) -> None:
        if key in self.meta:
            del self.meta[key]
            self.meta_dirty = True
            self.removed_meta.add(key)
            self.meta_changed.emit(key)

    def mark_saved(self, path: Path) -> None:
        """Forget pending changes: the file at ``path`` now holds exactly this document."""
        for name in tables.TABLE_NAMES:
            self.pending[name] = PendingChanges()
        self.meta_dirty = False
        self.removed_meta.clear()
        if path != self._path:
            self.path = path

    def mark_all_pending(self) -> None:
        """Treat every table as changed (e.g. before saving to a file of an older schema)."""
        for name in tables.TABLE_NAMES:
            self.pending[name].replaced = True
        self.meta_dirty = True

    def _forget_codes(self, table: str) -> None:
        for key in [k for k in self._codes if k[0] == table]:
            del self._codes[key]

    def _set_frame(self, table: str, frame: pd.DataFrame) -> None:
        self._frames[table] = frame
        self._forget_codes(table)
        self._index[table] = pd.Index(frame["id"])
        if table == "systems":
            self._alias_index = None

    def _after_edit(self, change: Change) -> None:
        self._forget_codes(change.table)
        if change.table == "systems":
            self._alias_index = None
        self.changed.emit(change)
