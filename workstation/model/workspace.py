"""Everything the docks share about one open project: the document, the undo stack, the
selection, the filters and how times are displayed (Qt-free).

Every dock is built from a :class:`Workspace` and only reads and writes it; no dock reaches
into another. The set of events shown (:meth:`Workspace.visible_mask`) is computed once per
change of the document or the filters and shared by all views.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

import numpy as np
from psygnal import Signal

from workstation.model.annotation_list import AnnotationFilter, target_events
from workstation.model.commands import Command, UndoStack
from workstation.model.dates import format_utc, is_valid_zone
from workstation.model.document import Change, Document
from workstation.model.query import EventQuery, QueryContext, overlaps
from workstation.model.selection import Selection, TimeRangeFilter


class Workspace:
    """One open project and the view state every dock shares."""

    filter_changed = Signal()  # the set of shown events may have changed
    annotation_filter_changed = Signal()  # the notes listed (and pinned) may have changed
    display_changed = Signal()  # e.g. local time <-> UTC

    def __init__(self, document: Document | None = None) -> None:
        self.document = document if document is not None else Document()
        self.stack = UndoStack(self.document)
        self.selection = Selection()
        #: The selected annotations (ids): a pin clicked on the timeline, a note in the editor.
        self.annotation_selection = Selection()
        self.time_range = TimeRangeFilter()
        self._query = EventQuery()
        self._annotation_filter = AnnotationFilter()
        self._events_of_notes: frozenset[str] | None = None  # None: events chosen otherwise
        self._selecting_notes = False
        self._show_utc = False
        self._mask: np.ndarray | None = None
        self._query_mask: np.ndarray | None = None
        self.document.changed.connect(self._on_document_changed)
        self.time_range.changed.connect(self._on_filters_changed)
        self.selection.changed.connect(self._on_selection_changed)

    # -- filters --------------------------------------------------------------------------
    @property
    def query(self) -> EventQuery:
        return self._query

    def set_query(self, query: EventQuery) -> None:
        if query != self._query:
            self._query = query
            self._query_mask = None
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
            # The query's own mask (shared with the timeline, so a text search runs once)
            # and the time range. Both bound start and end by thresholds, so this equals
            # the effective query's mask.
            mask = self.query_mask()
            if self.time_range.active:
                window = overlaps(self.document.events, self.time_range.start, self.time_range.end)
                mask = mask & window
            self._mask = mask
        return self._mask

    def visible_count(self) -> int:
        return int(self.visible_mask().sum())

    def query_mask(self) -> np.ndarray:
        """Which events pass the query alone, ignoring the time range (cached).

        The timeline draws these: events outside its time region stay in sight, so the
        analyst can widen the region again."""
        if self._query_mask is None or len(self._query_mask) != len(self.document.events):
            events = self.document.events
            if self._query.is_empty:
                self._query_mask = np.ones(len(events), dtype=bool)
            else:
                self._query_mask = self._query.mask(events, QueryContext.of(self.document))
            self._query_mask.setflags(write=False)  # shared with visible_mask and the views
        return self._query_mask

    def set_time_range(
        self, start: datetime | None, end: datetime | None, merge_key: str | None = None
    ) -> None:
        """Set (or, with two ``None``, clear) the shared time filter as one undoable step.
        Steps with the same ``merge_key`` in a row merge (a date typed digit by digit)."""
        if (start, end) != (self.time_range.start, self.time_range.end):
            command = SetTimeRange(self.time_range, start, end)
            command.merge_key = merge_key
            self.stack.push(command)

    # -- annotations ----------------------------------------------------------------------
    @property
    def annotation_filter(self) -> AnnotationFilter:
        """Which notes the annotation list shows; the timeline pins the same notes."""
        return self._annotation_filter

    def select_annotations(self, ids: Iterable[str]) -> None:
        """Select notes, and select what they are about (their events, the events of their
        claims, systems and time ranges) in every dock. A note on the whole project selects
        no event."""
        chosen = list(dict.fromkeys(ids))
        events = frozenset(target_events(self.document, chosen))
        self.annotation_selection.set(chosen)
        self._events_of_notes = events  # before the signal: its handlers ask about it
        self._selecting_notes = True
        try:
            self.selection.set(events)
        finally:
            self._selecting_notes = False

    @property
    def selection_follows_notes(self) -> bool:
        """Whether the selected events are exactly those of the selected notes (the last
        selection came from choosing notes, not events)."""
        return self._events_of_notes is not None and bool(self.annotation_selection)

    def set_annotation_filter(self, annotation_filter: AnnotationFilter) -> None:
        if annotation_filter != self._annotation_filter:
            self._annotation_filter = annotation_filter
            self.annotation_filter_changed.emit()

    # -- display --------------------------------------------------------------------------
    def display_zone(self) -> str:
        """The zone times are shown in: UTC, or the project's default zone (UTC if unset or
        not a zone)."""
        if self._show_utc:
            return "UTC"
        name = str(self.document.meta.get("default_timezone") or "UTC")
        return name if is_valid_zone(name) else "UTC"

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

    def _on_selection_changed(self, *_: object) -> None:
        if not self._selecting_notes:
            self._events_of_notes = None  # chosen by hand, not as the events of notes

    def _on_document_changed(self, change: Change) -> None:
        if change.table in ("events", "systems", "places"):
            self._mask = None
            self._query_mask = None
        if change.table == "events" and change.kind != "upsert":
            self.selection.discard_missing(self.document.events["id"])
        if change.table == "annotations" and change.kind != "upsert":
            self.annotation_selection.discard_missing(self.document.table("annotations")["id"])


class SetTimeRange(Command):
    """Set or clear the shared time filter. A view-state step: undoable, but it leaves the
    project unmodified."""

    modifies_document = False

    def __init__(
        self, time_range: TimeRangeFilter, start: datetime | None, end: datetime | None
    ) -> None:
        self.time_range = time_range
        self.start, self.end = start, end
        self._previous = (time_range.start, time_range.end)
        if start is None and end is None:
            self.label = "Clear time filter"
        else:
            shown = (format_utc(t)[:16].replace("T", " ") if t else "…" for t in (start, end))
            self.label = "Time filter {} – {} UTC".format(*shown)

    def merge(self, other: Command) -> bool:
        if not isinstance(other, SetTimeRange) or other.merge_key != self.merge_key:
            return False
        self.start, self.end, self.label = other.start, other.end, other.label
        return True  # undo still goes back to this command's previous range

    def redo(self, document: Document) -> None:
        self.time_range.set(self.start, self.end)

    def undo(self, document: Document) -> None:
        self.time_range.set(*self._previous)
