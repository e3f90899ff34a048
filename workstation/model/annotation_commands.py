"""Undoable commands on annotations that keep each note's history.

Every change of an annotation through :class:`EditAnnotation` (or :class:`RestoreVersion`)
adds one row to ``annotation_versions`` holding the note's state *before* the change, with who
made the change and when. Typing in one field is one undo step and one version: consecutive
edits of the same fields of the same note by the same author merge, keeping the state before
the first of them, as long as each comes within :data:`MERGE_WINDOW` of the one before (a
longer pause starts a new step, as it does in a word processor), and no step spans more
than :data:`MAX_STEP`. Undo removes the version
row again, so history never records a change that was undone.

Creating a note records no version; deleting notes (:func:`delete_annotations`) drops their
history in the same undo step, and undo brings both back.

``EditFields`` and ``UpsertRows`` on the ``annotations`` table still work but keep no history;
editors use the commands here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from workstation.model import lists, tables
from workstation.model.annotations import VERSIONED_FIELDS, Annotation, Confidence, version_id
from workstation.model.commands import Command, DeleteRows, Macro, UpsertRows
from workstation.model.document import Document

#: Edits of one field further apart than this are separate undo steps (and versions).
MERGE_WINDOW = timedelta(seconds=20)
#: And no step grows longer than this: ten minutes of steady writing is not one Ctrl+Z.
MAX_STEP = timedelta(minutes=2)

#: Annotation columns an edit may change; ``modified_utc`` is set by the edit itself.
EDITABLE_FIELDS: frozenset[str] = frozenset(
    c.name for c in tables.ANNOTATIONS if c.name not in ("id", "created_utc", "modified_utc")
)


class AddAnnotation(UpsertRows):
    """Create a new annotation (no version is recorded: there is no earlier state)."""

    def __init__(self, document: Document, annotation: Annotation, label: str = "") -> None:
        if document.has("annotations", annotation.id):
            raise ValueError(f"an annotation with id {annotation.id!r} already exists")
        rows = tables.from_records("annotations", [annotation.to_row()])
        super().__init__("annotations", rows, label or f"Add annotation {annotation.id}")


class EditAnnotation(Command):
    """Change some fields of one annotation, set its ``modified_utc`` to ``now`` and keep its
    previous state as a new version row, saved by ``author`` at ``now``.

    ``fields`` maps column names to cells (``"a; b"``) or, for list columns, to items
    (``("disputed", "source-error")``, ``[SourceRef("S1", "¶4")]``); ``confidence`` also takes a
    :class:`Confidence` or ``None``. Invalid values raise ``ValueError`` here, before anything
    is changed.
    """

    def __init__(
        self,
        document: Document,
        annotation_id: str,
        fields: Mapping[str, Any],
        author: str,
        now: datetime,
        label: str = "",
    ) -> None:
        current = document.require_row("annotations", annotation_id)
        unknown = set(fields) - EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"cannot edit {', '.join(sorted(unknown))} of an annotation")
        if not fields:
            raise ValueError("an annotation edit needs at least one field")
        self.annotation_id = annotation_id
        self.fields = {name: _cell(name, value) for name, value in fields.items()}
        self.author = author
        self.now = _moment(now)
        self.started = self.now  # the first edit of a merged step
        # Fail now, not halfway through redo: the edited note must be a valid annotation.
        Annotation.from_row({**current, **self.fields, "modified_utc": self._stamp(current)})
        self.label = label or f"Edit {', '.join(fields)} of annotation {annotation_id}"
        self.merge_key: str | None = (
            f"annotation:{annotation_id}:{','.join(sorted(fields))}:{author}"
        )
        self._document = document
        self._before: pd.DataFrame | None = None
        self._after: pd.DataFrame | None = None
        self._version: pd.DataFrame | None = None

    @property
    def version_id(self) -> str | None:
        """The id of the version row this edit records (known once it has been done)."""
        return None if self._version is None else str(self._version["id"].iloc[0])

    def redo(self, document: Document) -> None:
        if self._before is None:
            current = document.require_row("annotations", self.annotation_id)
            stamp = self._stamp(current)
            self._before = document.rows("annotations", [self.annotation_id])
            self._after = tables.from_records(
                "annotations", [{**current, **self.fields, "modified_utc": stamp}]
            )
            number = document.next_version(self.annotation_id)
            previous = {name: current[name] for name in VERSIONED_FIELDS}
            self._version = tables.from_records(
                "annotation_versions",
                [
                    {
                        "id": version_id(self.annotation_id, number),
                        "annotation_id": self.annotation_id,
                        "version": number,
                        "saved_utc": stamp,
                        "author": self.author,
                        **previous,
                    }
                ],
            )
        assert self._after is not None
        assert self._version is not None
        document.upsert("annotations", self._after)
        document.upsert("annotation_versions", self._version)

    def undo(self, document: Document) -> None:
        assert self._before is not None, "undo before redo"
        assert self._version is not None, "undo before redo"
        document.delete("annotation_versions", self._version["id"])
        document.upsert("annotations", self._before)

    def merge(self, other: Command) -> bool:
        if (
            self.merge_key is None
            or not isinstance(other, EditAnnotation)
            or other.merge_key != self.merge_key
            or self._version is None
            or other._version is None
            or other._after is None
            or other.now - self.now > MERGE_WINDOW
            or other.now - self.started > MAX_STEP
        ):
            return False
        # ``other`` is done: its version row holds the state after our edit. Drop it and keep
        # ours (the state before the first edit), now replaced at the later edit's time.
        document = self._document
        document.delete("annotation_versions", other._version["id"])
        self._after = other._after
        self.now = other.now
        self._version = self._version.assign(saved_utc=other._version["saved_utc"])
        document.upsert("annotation_versions", self._version)
        return True

    def _stamp(self, current: Mapping[str, Any]) -> pd.Timestamp:
        """``now``, but never before the note was created (a clock set back must not make an
        annotation that fails validation)."""
        created = pd.Timestamp(current["created_utc"])
        now = pd.Timestamp(self.now)
        return max(now, created) if not pd.isna(created) else now


class RestoreVersion(EditAnnotation):
    """Put an earlier version's body, tags, targets, confidence and sources back; the state
    it replaces becomes a new version, so a restore is itself in the history. One undo step,
    never merged with typing."""

    def __init__(
        self,
        document: Document,
        version_id: str,
        author: str,
        now: datetime,
        label: str = "",
    ) -> None:
        version = document.require_row("annotation_versions", version_id)
        annotation_id = str(version["annotation_id"])
        fields = {name: version[name] for name in VERSIONED_FIELDS}
        number = int(version["version"])
        super().__init__(
            document,
            annotation_id,
            fields,
            author,
            now,
            label or f"Restore version {number} of annotation {annotation_id}",
        )
        self.restored_version_id = version_id
        self.merge_key = None


def delete_annotations(document: Document, ids: Iterable[str], label: str = "") -> Command:
    """Delete annotations together with their history, as one undo step."""
    wanted = list(dict.fromkeys(ids))
    versions = document.table("annotation_versions")
    mask = np.asarray(versions["annotation_id"].isin(wanted))
    history = versions["id"][mask].tolist()
    text = f"annotation {wanted[0]}" if len(wanted) == 1 else f"{len(wanted)} annotations"
    return Macro(
        label or f"Delete {text}",
        [
            DeleteRows("annotation_versions", history),
            DeleteRows("annotations", wanted),
        ],
    )


def _moment(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("the time of an edit must be timezone-aware")
    return now.astimezone(UTC).replace(microsecond=0)


def _cell(name: str, value: Any) -> str:
    """A table cell from what a caller passes for one editable field."""
    column = next(c for c in tables.ANNOTATIONS if c.name == name)
    if value is None:
        return ""
    if isinstance(value, Confidence):
        return str(value)
    if isinstance(value, str):
        return value
    if column.kind == "list" and isinstance(value, Iterable):
        return lists.join(str(item) for item in value)
    raise ValueError(f"annotation {name}: expected text, got {type(value).__name__}")
