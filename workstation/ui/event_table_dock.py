"""The event table dock: the visible events, sortable, with a column chooser, linked to the
shared selection both ways (ids, never row numbers)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QMenu, QTableView

from workstation.model.workspace import Workspace
from workstation.ui.event_table_model import COLUMNS, EventTableModel

SAMPLE_ROWS = 200  # column widths come from a sample: ResizeToContents is slow on big tables


class EventTableDock(QDockWidget):
    """A dock built from a workspace alone: ``EventTableDock(workspace)``."""

    #: Emitted with an event id when the user asks to edit it (double-click, Enter).
    edit_requested = Signal(str)

    def __init__(self, workspace: Workspace | None = None, parent: object = None) -> None:
        super().__init__("Events", parent)  # type: ignore[arg-type]
        self.setObjectName("eventTableDock")
        self.model = EventTableModel()
        self.view = EventTableView(self)
        self.view.open_requested.connect(self._open_current)
        self.view.setObjectName("eventTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Double-click or F2 edits a simple cell in place; Enter (or a double-click on a cell
        # that cannot be edited in place) opens the event's form.
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.setSortingEnabled(True)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.sortIndicatorChanged.connect(self._sort)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for section, column in enumerate(COLUMNS):
            self.view.setColumnHidden(section, not column.shown)
        self.view.doubleClicked.connect(self._double_clicked)
        self.setWidget(self.view)
        self._syncing = False
        self._connect_selection_model()
        self.workspace: Workspace | None = None
        if workspace is not None:
            self.set_workspace(workspace)

    def set_workspace(self, workspace: Workspace) -> None:
        if self.workspace is not None:
            self.workspace.selection.changed.disconnect(self._select_from_core)
        self.workspace = workspace
        self.model.set_workspace(workspace)
        workspace.selection.changed.connect(self._select_from_core)
        self.model.modelReset.connect(self._after_reset, Qt.ConnectionType.UniqueConnection)
        self.size_columns()
        self._select_from_core(workspace.selection.ids)

    # -- columns --------------------------------------------------------------------------
    def size_columns(self) -> None:
        """Widths from the header and a sample of rows, never from every row."""
        metrics = self.view.fontMetrics()
        rows = min(self.model.rowCount(), SAMPLE_ROWS)
        for section, column in enumerate(COLUMNS):
            texts = [str(self.model.data(self.model.index(r, section)) or "") for r in range(rows)]
            widest = max([metrics.horizontalAdvance(t) for t in texts] or [0])
            header = metrics.horizontalAdvance(column.header) + 24
            extra = 40 if column.key == "category" else 14
            self.view.setColumnWidth(section, min(max(widest + extra, header), 420))

    def _column_menu(self, point: QPoint) -> None:
        menu = self.column_menu()
        menu.exec(self.view.horizontalHeader().mapToGlobal(point))

    def column_menu(self) -> QMenu:
        """The column chooser: one checkable entry per column."""
        menu = QMenu("Columns", self)
        for section, column in enumerate(COLUMNS):
            action = QAction(column.header, menu)
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(section))
            action.toggled.connect(lambda on, s=section: self.view.setColumnHidden(s, not on))
            menu.addAction(action)
        return menu

    def _sort(self, section: int, order: Qt.SortOrder) -> None:
        self.model.sort_key = COLUMNS[section].key
        self.model.sort_ascending = order == Qt.SortOrder.AscendingOrder
        self.model.refresh()

    # -- selection: view <-> core ---------------------------------------------------------
    def _connect_selection_model(self) -> None:
        self.view.selectionModel().selectionChanged.connect(self._select_from_view)

    def _select_from_view(self, *_: object) -> None:
        if self._syncing or self.workspace is None:
            return
        rows = [index.row() for index in self.view.selectionModel().selectedRows()]
        ids = self.model.array("id")[self.model.order[np.asarray(rows, dtype=np.int64)]]
        # Selected events the filters hide stay selected: the view only speaks for its rows.
        current = self.workspace.selection.ids
        shown = (
            set(self.model.array("id")[self.model.order[self.model.rows_of(current)]])
            if (current)
            else set()
        )
        hidden = current - shown
        self._syncing = True
        try:
            self.workspace.selection.set(hidden | {str(i) for i in ids})
        finally:
            self._syncing = False

    def _select_from_core(self, ids: frozenset[str]) -> None:
        if self._syncing:
            return
        rows = self.model.rows_of(ids)
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for start, stop in _runs(rows):
            selection.select(self.model.index(start, 0), self.model.index(stop, last))
        self._syncing = True
        try:
            self.view.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            self._syncing = False
        if len(rows):
            self.view.scrollTo(
                self.model.index(int(rows[0]), 0), QAbstractItemView.ScrollHint.EnsureVisible
            )

    def _after_reset(self) -> None:
        if self.workspace is not None:
            self._select_from_core(self.workspace.selection.ids)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and not COLUMNS[index.column()].editable:
            self.edit_requested.emit(self.model.event_id(index.row()))

    def _open_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.edit_requested.emit(self.model.event_id(index.row()))


class EventTableView(QTableView):
    """The table; Enter on a row asks for the event's form (unless a cell is being edited)."""

    open_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive runs of sorted row numbers as (first, last) pairs."""
    if len(rows) == 0:
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts = np.concatenate(([rows[0]], rows[breaks + 1]))
    stops = np.concatenate((rows[breaks], [rows[-1]]))
    return [(int(a), int(b)) for a, b in zip(starts, stops, strict=True)]
