"""The shared selection of event ids and the time-range filter (linked brushing).

Selections hold stable event ids, never view row numbers, so every dock (table, timeline,
comparison, annotations) can read and write the same selection.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from psygnal import Signal


class Selection:
    """An evented set of selected event ids."""

    changed = Signal(frozenset)

    def __init__(self) -> None:
        self._ids: frozenset[str] = frozenset()

    @property
    def ids(self) -> frozenset[str]:
        return self._ids

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def set(self, ids: Iterable[str]) -> None:
        new = frozenset(ids)
        if new != self._ids:
            self._ids = new
            self.changed.emit(new)

    def add(self, ids: Iterable[str]) -> None:
        self.set(self._ids | frozenset(ids))

    def remove(self, ids: Iterable[str]) -> None:
        self.set(self._ids - frozenset(ids))

    def toggle(self, event_id: str) -> None:
        self.set(self._ids ^ {event_id})

    def clear(self) -> None:
        self.set(())

    def discard_missing(self, existing: Iterable[str]) -> None:
        """Drop ids that no longer exist (after a delete or an undo)."""
        self.set(self._ids & frozenset(existing))


class TimeRangeFilter:
    """An optional [start, end] UTC window shared by every view."""

    changed = Signal(object, object)

    def __init__(self) -> None:
        self.start: datetime | None = None
        self.end: datetime | None = None

    @property
    def active(self) -> bool:
        return self.start is not None or self.end is not None

    def set(self, start: datetime | None, end: datetime | None) -> None:
        for moment in (start, end):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("time-range bounds must be timezone-aware")
        if start is not None and end is not None and end < start:
            raise ValueError("the time range ends before it starts")
        if (start, end) != (self.start, self.end):
            self.start, self.end = start, end
            self.changed.emit(start, end)

    def clear(self) -> None:
        self.set(None, None)
