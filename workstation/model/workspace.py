"""Everything the docks share about one open project: the document, the undo stack, the
selection, the filters and how times are displayed (Qt-free).

Every dock is built from a :class:`Workspace` and only reads and writes it; no dock reaches
into another. The set of events shown (:meth:`Workspace.visible_mask`) is computed once per
change of the document or the filters and shared by all views.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from psygnal import Signal

from workstation.model.commands import UndoStack
from workstation.model.document import Change, Document
from workstation.model.query import EventQuery, QueryContext
from workstation.model.selection import Selection, TimeRangeFilter


class Workspace:
    """One open project and the view state every dock shares."""

    filter_changed = Signal()  # the set of shown events may have changed
    display_changed = Signal()  # e.g. local time <-> UTC

    def __init__(self, document: Document | None = None) -> None:
        self.document = document if document is not None else Document()
        self.stack = UndoStack(self.document)
        self.selection = Selection()
        self.time_range = TimeRangeFilter()
        self._query = EventQuery()
        self._show_utc = False
        self._mask: np.ndarray | None = None
        self.document.changed.connect(self._on_document_changed)
        self.time_range.changed.connect(self._on_filters_changed)

    # -- filters --------------------------------------------------------------------------
    @property
    def query(self) -> EventQuery:
        return self._query

    def set_query(self, query: EventQuery) -> None:
        if query != self._query:
            self._query = query
            self._on_filters_changed()

    def effective_query(self) -> EventQuery:
        """The query with the shared time-range filter folded in."""
        query = self._query
        start, end = self.time_range.start, self.time_range.end
        if start is None and end is None:
            return query
        return replace(
            query,
            start_utc=max(filter(None, (query.start_utc, start)), default=None),
            end_utc=min(filter(None, (query.end_utc, end)), default=None),
        )

    def visible_mask(self) -> np.ndarray:
        """Which rows of ``document.events`` pass every filter (cached)."""
        if self._mask is None or len(self._mask) != len(self.document.events):
            query = self.effective_query()
            events = self.document.events
            if query.is_empty:
                self._mask = np.ones(len(events), dtype=bool)
            else:
                self._mask = query.mask(events, QueryContext.of(self.document))
        return self._mask

    def visible_count(self) -> int:
        return int(self.visible_mask().sum())

    # -- display --------------------------------------------------------------------------
    @property
    def show_utc(self) -> bool:
        return self._show_utc

    def set_show_utc(self, value: bool) -> None:
        if value != self._show_utc:
            self._show_utc = value
            self.display_changed.emit()

    # -- internals ------------------------------------------------------------------------
    def _on_filters_changed(self, *_: object) -> None:
        self._mask = None
        self.filter_changed.emit()

    def _on_document_changed(self, change: Change) -> None:
        if change.table in ("events", "systems", "places"):
            self._mask = None
        if change.table == "events" and change.kind != "upsert":
            self.selection.discard_missing(self.document.events["id"])
