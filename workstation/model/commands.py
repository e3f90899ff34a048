"""Undoable commands and the undo stack (Qt-free; the GUI mirrors it in menus).

Every edit of a document is a command with a readable label ("Edit title of A05",
"Import 245 rows from cns.csv"). A command captures what it needs to undo when it is first
done, so undo restores exactly the previous rows.

Edits of annotations that keep each note's history (a version row per change) are in
``model/annotation_commands.py``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from psygnal import Signal

from workstation.model import tables
from workstation.model.document import Document


class Command(ABC):
    """One undoable edit."""

    label: str = ""
    #: Commands with the same non-None key may merge (typing grouped into one undo step).
    merge_key: str | None = None
    #: False for view-state commands (a time filter): undoable, but the project is unchanged,
    #: so they never make it "modified".
    modifies_document: bool = True

    @abstractmethod
    def redo(self, document: Document) -> None: ...

    @abstractmethod
    def undo(self, document: Document) -> None: ...

    def merge(self, other: Command) -> bool:
        """Absorb ``other`` (already done) into this command; return whether it did."""
        return False


class UpsertRows(Command):
    """Add rows, or replace the rows with the same ids."""

    def __init__(self, table: str, rows: pd.DataFrame, label: str = "") -> None:
        self.table = table
        self.rows = tables.conform(table, rows)
        self.label = label or f"Edit {len(self.rows)} {table}"
        self._previous: pd.DataFrame | None = None
        self._added: list[str] = []

    def redo(self, document: Document) -> None:
        if self._previous is None:
            ids = self.rows["id"].tolist()  # not list(): an Arrow column iterates slowly
            self._previous = document.rows(self.table, ids)
            known = set(self._previous["id"].tolist())
            self._added = [i for i in ids if i not in known]
        document.upsert(self.table, self.rows)

    def undo(self, document: Document) -> None:
        assert self._previous is not None, "undo before redo"
        document.delete(self.table, self._added)
        document.upsert(self.table, self._previous)


class DeleteRows(Command):
    def __init__(self, table: str, ids: Iterable[str], label: str = "") -> None:
        self.table = table
        self.ids = list(dict.fromkeys(ids))
        self.label = label or f"Delete {len(self.ids)} {table}"
        self._removed: pd.DataFrame | None = None

    def redo(self, document: Document) -> None:
        self._removed = document.rows(self.table, self.ids)
        document.delete(self.table, self.ids)

    def undo(self, document: Document) -> None:
        assert self._removed is not None, "undo before redo"
        document.upsert(self.table, self._removed)


class EditFields(UpsertRows):
    """Change some fields of one row. Consecutive edits of the same field of the same row
    merge, so typing in a field is one undo step."""

    def __init__(
        self,
        document: Document,
        table: str,
        row_id: str,
        fields: Mapping[str, Any],
        label: str = "",
    ) -> None:
        current = document.require_row(table, row_id)
        unknown = set(fields) - set(tables.column_names(table)) | ({"id"} & set(fields))
        if unknown:
            raise ValueError(f"cannot edit {', '.join(sorted(unknown))} of {table}")
        updated = {**current, **fields}
        names = ", ".join(fields)
        super().__init__(table, pd.DataFrame([updated]), label or f"Edit {names} of {row_id}")
        self.merge_key = f"{table}:{row_id}:{','.join(sorted(fields))}"

    def merge(self, other: Command) -> bool:
        if not isinstance(other, EditFields) or other.merge_key != self.merge_key:
            return False
        self.rows = other.rows  # keep our own _previous: undo goes back before both
        return True


class Macro(Command):
    """Several commands done and undone as one step."""

    def __init__(self, label: str, commands: Iterable[Command]) -> None:
        self.label = label
        self.commands = list(commands)

    def redo(self, document: Document) -> None:
        for command in self.commands:
            command.redo(document)

    def undo(self, document: Document) -> None:
        for command in reversed(self.commands):
            command.undo(document)


#: Undo steps kept by default (Edit > Preferences changes it). Older steps are forgotten, their
#: changes kept: a long session's memory stays bounded.
UNDO_LIMIT = 1000


class UndoStack:
    """A linear history with a clean mark (the state last saved)."""

    changed = Signal()

    def __init__(self, document: Document, limit: int = UNDO_LIMIT) -> None:
        self.document = document
        self.limit = max(1, limit)
        self._commands: list[Command] = []
        self._index = 0  # commands[:index] are done
        self._clean_index: int | None = 0
        self._merge_open = True

    def push(self, command: Command) -> None:
        """Do ``command`` and record it (merging with the previous one when it can)."""
        command.redo(self.document)
        if self._clean_index is not None and self._clean_index > self._index:
            # The saved state is being dropped from the history; it is still the current
            # state if only view-state commands lay between.
            dropped = self._commands[self._index : self._clean_index]
            modified = any(c.modifies_document for c in dropped)
            self._clean_index = None if modified else self._index
        del self._commands[self._index :]
        previous = self._commands[-1] if self._commands else None
        can_merge = (
            self._merge_open
            and previous is not None
            and self._index != self._clean_index
            and command.merge_key is not None
            and previous.merge(command)
        )
        if not can_merge:
            self._commands.append(command)
            self._index += 1
            self._trim()
        self._merge_open = True
        self.changed.emit()

    def set_limit(self, limit: int) -> None:
        """Keep at most ``limit`` steps (at least one), forgetting the oldest now if there
        are more."""
        self.limit = max(1, int(limit))
        if self._trim():
            self.changed.emit()

    def _trim(self) -> bool:
        """Forget the oldest done steps beyond the limit (their changes stay in the
        document). Steps undone and not yet redone are never dropped here."""
        drop = min(len(self._commands) - self.limit, self._index)
        if drop <= 0:
            return False
        del self._commands[:drop]
        self._index -= drop
        if self._clean_index is not None:
            self._clean_index = self._clean_index - drop if self._clean_index >= drop else None
        return True

    def close_merge(self) -> None:
        """End the current group: the next command will not merge with the previous one."""
        self._merge_open = False

    def undo(self) -> None:
        if not self.can_undo:
            return
        self._index -= 1
        self._commands[self._index].undo(self.document)
        self._merge_open = False
        self.changed.emit()

    def redo(self) -> None:
        if not self.can_redo:
            return
        self._commands[self._index].redo(self.document)
        self._index += 1
        self._merge_open = False
        self.changed.emit()

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._commands)

    @property
    def undo_label(self) -> str:
        return self._commands[self._index - 1].label if self.can_undo else ""

    @property
    def redo_label(self) -> str:
        return self._commands[self._index].label if self.can_redo else ""

    def labels(self) -> list[str]:
        return [command.label for command in self._commands]

    @property
    def index(self) -> int:
        return self._index

    def set_clean(self) -> None:
        self._clean_index = self._index
        self._merge_open = False
        self.changed.emit()

    @property
    def is_clean(self) -> bool:
        """Whether the document is as last saved: only view-state commands lie between the
        clean mark and the current state."""
        if self._clean_index is None:
            return False
        low, high = sorted((self._clean_index, self._index))
        return not any(command.modifies_document for command in self._commands[low:high])

    def clear(self) -> None:
        self._commands.clear()
        self._index = 0
        self._clean_index = 0
        self.changed.emit()


class SetMeta(Command):
    """Set (or, with ``None``, remove) one project setting, e.g. a saved view."""

    def __init__(self, key: str, value: str | None, label: str = "") -> None:
        self.key = key
        self.value = value
        self.label = label or f"Set {key}"
        self._previous: str | None = None

    def redo(self, document: Document) -> None:
        self._previous = document.meta.get(self.key)
        _set_meta(document, self.key, self.value)

    def undo(self, document: Document) -> None:
        _set_meta(document, self.key, self._previous)


def _set_meta(document: Document, key: str, value: str | None) -> None:
    if value is None:
        document.remove_meta(key)
    else:
        document.set_meta(key, value)
