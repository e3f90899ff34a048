"""The event table's model: column arrays and a permutation array, no per-row Python.

``data()`` indexes numpy arrays through ``order`` (the visible rows, sorted); there is no
per-cell ``DataFrame.iloc`` and no ``QSortFilterProxyModel``, both measured 300-590x slower at
100k rows (shared/docs/PERFORMANCE-NOTES.md). Filtering and sorting are numpy/pandas passes
that produce a new ``order``. Column arrays are converted lazily, once per document change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workstation.model import lists
from workstation.model.annotation_list import note_counts
from workstation.model.dates import zone
from workstation.model.document import Change, Document
from workstation.model.workspace import Workspace
from workstation.ui import categories

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    editable: bool = False
    numeric: bool = False
    shown: bool = True  # in the default layout


COLUMNS: list[Column] = [
    Column("time", "Time"),
    Column("category", "Category", editable=True),
    Column("title", "Title", editable=True),
    Column("place", "Place"),
    Column("systems", "Systems", editable=True),
    Column("missile_count", "Missiles", editable=True, numeric=True),
    Column("measurements", "Claims", numeric=True),
    Column("annotations", "Notes", numeric=True),
    Column("precision", "Precision"),
    Column("tags", "Tags", editable=True),
    Column("sources", "Sources", shown=False),
    Column("summary", "Summary", editable=True, shown=False),
    Column("timezone", "Time zone", shown=False),
    Column("id", "Id", shown=False),
]
KEYS = [column.key for column in COLUMNS]

_FORMATS = {
    "time": "%Y-%m-%d %H:%M",
    "approximate": "~%Y-%m-%d %H:%M",
    "day": "%Y-%m-%d",
    "month": "%Y-%m",
    "year": "%Y",
}
_NUMERIC_SORT = frozenset({"time", "missile_count", "measurements", "annotations"})
_TEXT_CACHE_LIMIT = 50_000  # formatted cells kept between repaints (cleared on any change)
# data() is asked ~7 roles per visible cell per repaint; decide on plain ints, early.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_SERVED = frozenset({_DISPLAY, _EDIT, _DECORATION, _ALIGNMENT, _TOOLTIP})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def format_time(seconds: int, precision: str, tz_name: str, utc: bool) -> str:
    """One event time as shown: local (default) or UTC; month-precision dates as a month."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    timed = precision in ("time", "approximate")
    if utc:
        # A date known only to the day (or month, year) is a local date: it has no UTC time.
        return moment.strftime(_FORMATS[precision]) + " UTC" if timed else "—"
    local = moment.astimezone(zone(tz_name))
    text = local.strftime(_FORMATS.get(precision, _FORMATS["day"]))
    return f"{text} {local.tzname() or tz_name}" if timed else text


class EventTableModel(QAbstractTableModel):
    """The visible events of a workspace, sorted, as table rows."""

    def __init__(self, workspace: Workspace | None = None) -> None:
        super().__init__()
        self.workspace: Workspace | None = None
        self._cache: dict[str, np.ndarray] = {}
        self._texts: dict[tuple[str, int], str] = {}  # formatted cells: repaints reuse them
        self._sorted: tuple[tuple[str | None, bool], np.ndarray] | None = None
        self._flags: dict[int, Qt.ItemFlag] = {}
        self.order = np.arange(0)
        self.sort_key: str | None = "time"
        self.sort_ascending = True
        if workspace is not None:
            self.set_workspace(workspace)

    # -- wiring ---------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace) -> None:
        if self.workspace is not None:
            self.workspace.document.changed.disconnect(self._on_document_changed)
            self.workspace.filter_changed.disconnect(self.refresh)
            self.workspace.display_changed.disconnect(self._on_display_changed)
        self.workspace = workspace
        workspace.document.changed.connect(self._on_document_changed)
        workspace.filter_changed.connect(self.refresh)
        workspace.display_changed.connect(self._on_display_changed)
        self._forget_data()

    def _on_document_changed(self, change: Change) -> None:
        if change.table == "annotations":
            self._forget_column("annotations")  # a note typed: the rest of the table stands
        elif change.table in ("events", "places", "measurements", "systems"):
            self._forget_data()

    def _forget_column(self, key: str) -> None:
        """Drop one derived column; re-sort only if the rows are sorted by it."""
        self._cache.pop(key, None)
        self._texts = {cell: text for cell, text in self._texts.items() if cell[0] != key}
        if self.sort_key == key:
            self._sorted = None
            self.refresh()
        elif self.rowCount():
            column = next(i for i, c in enumerate(COLUMNS) if c.key == key)
            last = self.rowCount() - 1
            self.dataChanged.emit(self.index(0, column), self.index(last, column))

    def _forget_data(self) -> None:
        """Drop everything derived from the document: arrays, formatted cells (keyed by event
        position, so they stay valid across sorts and filters) and the cached sort order."""
        self._cache.clear()
        self._texts.clear()
        self._sorted = None
        self.refresh()

    def _on_display_changed(self) -> None:
        self._texts.clear()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0))

    def refresh(self) -> None:
        """Recompute the visible rows and their order (a filter, sort or data change)."""
        self.beginResetModel()
        self.order = self._compute_order()
        self.endResetModel()

    # -- arrays ---------------------------------------------------------------------------
    def array(self, key: str) -> np.ndarray:
        """The whole column ``key`` for every event (not only visible ones), cached."""
        if key not in self._cache:
            self._cache[key] = self._build_array(key)
        return self._cache[key]

    def _build_array(self, key: str) -> np.ndarray:
        assert self.workspace is not None
        document = self.workspace.document
        events = document.events
        if key == "time":
            return events["start_utc"].to_numpy(dtype="datetime64[s]").astype(np.int64)
        if key == "place":
            places = document.table("places")
            names = dict(zip(places["id"], places["name"], strict=True))
            return events["place"].map(lambda p: names.get(p, p)).to_numpy(dtype=object)
        if key == "measurements":
            table = document.table("measurements")
            counts = table.loc[table["subject_type"] == "event", "subject_id"].value_counts()
            return events["id"].map(counts).fillna(0).to_numpy(dtype=np.int64)
        if key == "annotations":  # notes naming the event, directly or through a claim
            return note_counts(document)
        if key == "missile_count":
            return events[key].to_numpy(dtype=np.float64, na_value=np.nan)
        return events[key].to_numpy(dtype=object)

    def _compute_order(self) -> np.ndarray:
        """The visible rows in sort order.

        For text columns the order of every row is sorted once per sort key (or data change)
        and masked, so a filter change is one boolean pass instead of a string sort. Numbers
        sort fast enough (radix) that masking a cached order would not pay.
        """
        if self.workspace is None:
            return np.arange(0)
        mask = self.workspace.visible_mask()
        if self.sort_key is None:
            return np.flatnonzero(mask)
        if self.sort_key in _NUMERIC_SORT:
            return self._numeric_order(np.flatnonzero(mask))
        key = (self.sort_key, self.sort_ascending)
        if self._sorted is None or self._sorted[0] != key:
            self._sorted = (key, self._text_order())
        everything = self._sorted[1]
        result: np.ndarray = everything[mask[everything]]
        return result

    def _numeric_order(self, visible: np.ndarray) -> np.ndarray:
        """``visible`` by a numeric column: numpy's stable sort on the cached array; descending
        keeps ties in their previous order too."""
        assert self.sort_key is not None
        values = self.array(self.sort_key)[visible]
        if self.sort_ascending:
            ranked = np.argsort(values, kind="stable")
        else:
            ranked = (len(values) - 1 - np.argsort(values[::-1], kind="stable"))[::-1]
        result: np.ndarray = visible[ranked]
        return result

    def _text_order(self) -> np.ndarray:
        """Every row by a text column. pandas sorts Arrow-backed strings in C++ and keeps ties
        in order (stable) in both directions, which a reversed numpy argsort would not."""
        assert self.workspace is not None
        assert self.sort_key is not None
        events = self.workspace.document.events
        keys = pd.Series(self.array("place")) if self.sort_key == "place" else events[self.sort_key]
        ranked: np.ndarray = (
            keys.reset_index(drop=True)
            .sort_values(ascending=self.sort_ascending, kind="stable", na_position="last")
            .index.to_numpy()
        )
        return ranked

    def event_id(self, row: int) -> str:
        return str(self.array("id")[self.order[row]])

    def rows_of(self, ids: set[str] | frozenset[str]) -> np.ndarray:
        """View rows of the given event ids that are visible, ascending."""
        if not ids or self.workspace is None:
            return np.arange(0)
        positions = self.workspace.document.positions("events", ids)
        positions = positions[positions >= 0]
        row_of = np.full(len(self.workspace.document.events), -1, dtype=np.int64)
        row_of[self.order] = np.arange(len(self.order))
        rows = row_of[positions]
        return np.sort(rows[rows >= 0])

    # -- Qt model interface ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            column = COLUMNS[section]
            if column.key == "time" and self.workspace is not None:
                return "Time (UTC)" if self.workspace.show_utc else "Time (local)"
            return column.header
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return super().flags(index)
        column = index.column()
        flags = self._flags.get(column)
        if flags is None:
            flags = super().flags(index)
            if COLUMNS[column].editable:
                flags |= Qt.ItemFlag.ItemIsEditable
            self._flags[column] = flags
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _SERVED or self.workspace is None:
            return None
        column = COLUMNS[index.column()]
        if role in (_DISPLAY, _EDIT):
            return self._text(column.key, int(self.order[index.row()]))
        if role == _ALIGNMENT:
            return _RIGHT if column.numeric else None
        if role == _DECORATION:
            if column.key != "category":
                return None
            return categories.icon(str(self.array("category")[self.order[index.row()]]))
        if column.key in ("title", "summary", "time"):  # the only role left: the tooltip
            return self._tooltip(int(self.order[index.row()]))
        return None

    def _text(self, key: str, position: int) -> str:
        cached = self._texts.get((key, position))
        if cached is None:
            if len(self._texts) > _TEXT_CACHE_LIMIT:
                self._texts.clear()
            cached = self._texts[(key, position)] = self._format(key, position)
        return cached

    def _format(self, key: str, position: int) -> str:
        if key == "time":
            assert self.workspace is not None
            return format_time(
                int(self.array("time")[position]),
                str(self.array("precision")[position]),
                str(self.array("timezone")[position]),
                self.workspace.show_utc,
            )
        value = self.array(key)[position]
        if key == "missile_count":
            return "" if np.isnan(value) else str(int(value))
        if key in ("measurements", "annotations"):
            return str(value) if value else ""
        return "" if value is None else str(value)

    def _tooltip(self, position: int) -> str:
        seconds = int(self.array("time")[position])
        precision = str(self.array("precision")[position])
        tz_name = str(self.array("timezone")[position])
        local = format_time(seconds, precision, tz_name, utc=False)
        utc = format_time(seconds, precision, tz_name, utc=True)
        title = str(self.array("title")[position])
        summary = str(self.array("summary")[position])
        return f"<b>{_escape(title)}</b><br>{local} · {utc}<br>{_escape(summary)}"

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """An inline edit: the same undoable command as the form, one undo step per edit."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.workspace is None:
            return False
        column = COLUMNS[index.column()]
        if not column.editable:
            return False
        from workstation.ui.event_dialog import edit_event

        document = self.workspace.document
        before = document.event(self.event_id(index.row()))
        text = str(value).strip() if value is not None else ""
        try:
            after = replace(before, **{column.key: _parse_cell(column.key, text, document)})
        except (ValueError, TypeError):
            return False  # refused by the parser or by Event's own validation
        return edit_event(self.workspace, before, after)


def _parse_cell(key: str, text: str, document: Document) -> object:
    if key == "missile_count":
        if not text:
            return None
        number = int(text)
        if number < 0:
            raise ValueError("negative")
        return number
    if key == "systems":
        aliases = document.aliases()  # store the system's id, as the form does
        return tuple(aliases.resolve(item) or item for item in lists.split(text))
    if key == "tags":
        return lists.split(text)
    if key == "title" and not text:
        raise ValueError("a title is required")
    return text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
