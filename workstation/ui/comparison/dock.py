"""The missile comparison dock: claims side by side, bounds drawn honestly.

A view over a :class:`~workstation.model.workspace.Workspace`: subjects (2-6 systems or test
events) are columns, parameters are rows, and each cell lists every claim with its qualifier,
claimant, source and grade, the headline first. Cells whose claims cannot all be true are
flagged, and the tooltip says why. Below the table: the claims of the current cell (add, edit,
delete through a form, all undoable), a chart of one parameter across the subjects, and apogee
against range for every test, linked to the shared selection.

The comparison itself (which claims, their order, disagreement, glyphs, distances) is computed
in :mod:`workstation.model.comparison`; this module only shows it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from workstation.model import comparison as cmp
from workstation.model.commands import SetMeta
from workstation.model.document import Change
from workstation.model.units import Dimension
from workstation.model.workspace import Workspace
from workstation.ui.comparison.charts import ApogeeRangeChart, ParameterChart
from workstation.ui.comparison.claim_dialog import ClaimDialog, delete_claims
from workstation.ui.connections import Connections
from workstation.ui.timeline.lane_order import LaneOrderDialog

CONFLICT = QColor("#FDE0C5")  # a warm tint behind flagged cells (also marked "⚠" in text)
SUBJECTS_KEY = "comparison:subjects"
DISTANCES_KEY = "comparison:distances"
DEFAULT_SUBJECTS = ("event:A05", "event:A08")  # the seed's headline case
CHART_TAB, SCATTER_TAB = 1, 2
MAX_DISTANCE_KM = 40_075.0  # the equator: no distance line beyond it


class ComparisonDock(QDockWidget):
    """``ComparisonDock(workspace)``: built from a workspace alone."""

    def __init__(self, workspace: Workspace | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Missile Comparison", parent)
        self.setObjectName("comparisonDock")
        self.workspace: Workspace | None = None
        self.subjects: list[cmp.Subject] = []
        self.units: dict[Dimension, str] = {Dimension.LENGTH: "km", Dimension.SPEED: "Mach"}
        self.order_by: cmp.OrderBy = "grade"
        self.claimant_order: list[str] = []
        self.cells: dict[tuple[str, str], list[cmp.Claim]] = {}  # (parameter, subject key)
        self.index: cmp.ClaimIndex | None = None  # every claim, rebuilt when claims change
        self.flags: dict[tuple[str, str], list[cmp.Conflict]] = {}
        self._connections = Connections()
        self._needs_refresh = False
        # Hooks a test can replace: they stand in for modal dialogs.
        self.ask_subjects: Callable[[list[cmp.Subject], list[cmp.Subject]], list[str] | None] = (
            self._ask_subjects
        )
        self.ask_claimant_order: Callable[[list[str]], list[str] | None] = self._ask_order
        self.ask_distance: Callable[[], dict[str, Any] | None] = self._ask_distance
        self.run_claim_dialog: Callable[[ClaimDialog], bool] = lambda d: bool(d.exec())

        self.toolbar = self._build_toolbar()
        self.table = QTableWidget(self)
        self.table.setObjectName("comparisonTable")
        self.table.setWordWrap(False)  # one claim per line; rows are as tall as their claims
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.currentCellChanged.connect(lambda *_: self._show_cell_claims())
        self.table.cellDoubleClicked.connect(lambda *_: self.add_claim())
        self.claims_list = QTableWidget(0, 4, self)
        self.claims_list.setObjectName("cellClaims")
        self.claims_list.setHorizontalHeaderLabels(["Claim", "Claimant", "Source", "Grade"])
        self.claims_list.horizontalHeader().setStretchLastSection(True)
        self.claims_list.verticalHeader().setVisible(False)
        self.claims_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.claims_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.claims_list.doubleClicked.connect(lambda _: self.edit_claim())
        add, edit, remove = (QPushButton(t, self) for t in ("Add Claim…", "Edit…", "Delete"))
        add.clicked.connect(self.add_claim)
        edit.clicked.connect(self.edit_claim)
        remove.clicked.connect(self.delete_claim)
        claim_buttons = QHBoxLayout()
        for button in (add, edit, remove):
            claim_buttons.addWidget(button)
        claim_buttons.addStretch(1)
        claims_box = QWidget(self)
        claims_layout = QVBoxLayout(claims_box)
        claims_layout.setContentsMargins(0, 0, 0, 0)
        self.cell_title = QLabel("Claims in the selected cell", claims_box)
        claims_layout.addWidget(self.cell_title)
        claims_layout.addWidget(self.claims_list)
        claims_layout.addLayout(claim_buttons)

        self.chart = ParameterChart()
        self.scatter = ApogeeRangeChart()
        self.scatter.view_box.clicked.connect(self._scatter_clicked)
        self.scatter.view_box.rect_selected.connect(self._scatter_rect)
        self.scatter.widget.scene().sigMouseClicked.connect(
            self.scatter.view_box.handle_scene_click
        )
        chart_page = QWidget(self)
        chart_layout = QVBoxLayout(chart_page)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Parameter:", chart_page))
        self.chart_parameter = QComboBox(chart_page)
        self.chart_parameter.setObjectName("chartParameter")
        for parameter in cmp.CLAIM_PARAMETERS:
            self.chart_parameter.addItem(cmp.PARAMETER_LABELS[parameter], parameter)
        self.chart_parameter.currentIndexChanged.connect(lambda _: self._show_chart())
        row.addWidget(self.chart_parameter)
        row.addStretch(1)
        chart_layout.addLayout(row)
        chart_layout.addWidget(self.chart.widget, 1)
        scatter_page = QWidget(self)
        scatter_layout = QVBoxLayout(scatter_page)
        scatter_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.log_axes = QCheckBox("Log axes", scatter_page)
        self.log_axes.setChecked(True)  # apogees and ranges span 20 to 4,000 km
        self.log_axes.setObjectName("logAxes")
        self.log_axes.toggled.connect(lambda _: self._show_scatter())
        add_line = QPushButton("Add Distance Line…", scatter_page)
        add_line.clicked.connect(self.add_distance_line)
        row.addWidget(self.log_axes)
        row.addWidget(add_line)
        row.addWidget(QLabel("Shift-drag selects tests; the selection is shared.", scatter_page))
        row.addStretch(1)
        scatter_layout.addLayout(row)
        scatter_layout.addWidget(self.scatter.widget, 1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(claims_box, "Claims")
        self.tabs.addTab(chart_page, "Chart")
        self.tabs.addTab(scatter_page, "Apogee vs range")
        # Charts are drawn when their tab is shown, not on every change behind it.
        self._stale = {CHART_TAB: True, SCATTER_TAB: True}
        self.tabs.currentChanged.connect(lambda _: self._draw_current_tab())

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        for chart in (self.chart.widget, self.scatter.widget):
            chart.setMinimumHeight(120)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)
        self.setWidget(body)
        if workspace is not None:
            self.set_workspace(workspace)

    # -- toolbar --------------------------------------------------------------------------------
    def _build_toolbar(self) -> QToolBar:
        bar = QToolBar("Comparison", self)
        choose = bar.addAction("Subjects…")
        choose.setToolTip("Choose 2 to 6 systems or tests to compare")
        choose.triggered.connect(lambda: self.choose_subjects())
        selected = bar.addAction("From Selection")
        selected.setToolTip("Compare the selected test events")
        selected.triggered.connect(self.subjects_from_selection)
        bar.addSeparator()
        bar.addWidget(QLabel(" Distance: ", bar))
        self.length_unit = QComboBox(bar)
        self.length_unit.setObjectName("lengthUnit")
        self.length_unit.addItems(list(cmp.LENGTH_UNITS))
        self.length_unit.currentTextChanged.connect(lambda u: self.set_unit(Dimension.LENGTH, u))
        bar.addWidget(self.length_unit)
        bar.addWidget(QLabel(" Speed: ", bar))
        self.speed_unit = QComboBox(bar)
        self.speed_unit.setObjectName("speedUnit")
        self.speed_unit.addItems(list(cmp.SPEED_UNITS))
        self.speed_unit.currentTextChanged.connect(lambda u: self.set_unit(Dimension.SPEED, u))
        bar.addWidget(self.speed_unit)
        bar.addSeparator()
        bar.addWidget(QLabel(" Headline: ", bar))
        self.order_combo = QComboBox(bar)
        self.order_combo.setObjectName("claimOrder")
        self.order_combo.addItem("Best grade first", "grade")
        self.order_combo.addItem("By claimant…", "claimant")
        self.order_combo.activated.connect(lambda _: self._order_chosen())
        bar.addWidget(self.order_combo)
        return bar

    # -- the workspace ------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._connections.replace(
            [
                (workspace.document.changed, self._document_changed),
                (workspace.document.meta_changed, self._meta_changed),
                (workspace.selection.changed, self._selection_changed),
            ]
        )
        self.subjects = self._saved_subjects()
        self.index = None
        self.refresh()
        self._show_scatter()

    def detach(self) -> None:
        """Stop following the workspace (an export's offscreen copy, done with)."""
        self._connections.replace([])
        self.workspace = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._needs_refresh:
            self.refresh()
            self._draw_current_tab()

    def _saved_subjects(self) -> list[cmp.Subject]:
        assert self.workspace is not None
        raw = self.workspace.document.meta.get(SUBJECTS_KEY)
        keys = _setting(raw) if raw else list(DEFAULT_SUBJECTS)
        found = self._resolve(keys if isinstance(keys, list) else [])
        if len(found) < cmp.MIN_SUBJECTS:
            found = self._resolve(list(DEFAULT_SUBJECTS))
        if len(found) < cmp.MIN_SUBJECTS:
            found = cmp.candidate_subjects(self.workspace.document)[: cmp.MIN_SUBJECTS]
        return found

    def _resolve(self, keys: Sequence[object]) -> list[cmp.Subject]:
        assert self.workspace is not None
        found = []
        for key in list(dict.fromkeys(str(k) for k in keys))[: cmp.MAX_SUBJECTS]:
            kind, _, item = key.partition(":")
            try:
                found.append(cmp.subject(self.workspace.document, kind, item))
            except (KeyError, ValueError):
                continue
        return found

    def _document_changed(self, change: Change) -> None:
        if change.table in ("measurements", "systems", "events", "sources"):
            self.index = None
            # From the saved choice, not the current columns: a subject deleted and then
            # restored by undo comes back.
            self.subjects = self._saved_subjects()
            self.refresh()
            self._show_scatter()
        elif change.table == "places":
            self._show_scatter()  # distance lines are computed from the places

    def _meta_changed(self, key: str) -> None:
        if key == SUBJECTS_KEY:
            self.subjects = self._saved_subjects()
            self.refresh()
        elif key == DISTANCES_KEY:
            self._show_scatter()

    def _selection_changed(self, *_: object) -> None:
        assert self.workspace is not None
        if self.tabs.currentIndex() == SCATTER_TAB:
            self.scatter.show_selection(self.workspace.selection.ids)

    # -- subjects -------------------------------------------------------------------------------
    def set_subjects(self, keys: Sequence[str]) -> None:
        """Compare these subjects ("event:A05", "system:KN-23"): saved with the project as
        one undoable step."""
        assert self.workspace is not None
        found = self._resolve(list(keys))
        if not cmp.MIN_SUBJECTS <= len(found) <= cmp.MAX_SUBJECTS:
            raise ValueError(f"compare {cmp.MIN_SUBJECTS} to {cmp.MAX_SUBJECTS} subjects")
        value = json.dumps([s.key for s in found])
        labels = ", ".join(s.label for s in found)
        self.workspace.stack.push(SetMeta(SUBJECTS_KEY, value, f"Compare {labels}"))

    def choose_subjects(self) -> None:
        assert self.workspace is not None
        candidates = cmp.candidate_subjects(self.workspace.document)
        keys = self.ask_subjects(candidates, self.subjects)
        if keys is not None:
            self.set_subjects(keys)

    def subjects_from_selection(self) -> None:
        assert self.workspace is not None
        found = cmp.subjects_from_selection(self.workspace.document, self.workspace.selection.ids)
        if len(found) >= cmp.MIN_SUBJECTS:
            self.set_subjects([s.key for s in found])

    def _ask_subjects(
        self, candidates: list[cmp.Subject], current: list[cmp.Subject]
    ) -> list[str] | None:
        dialog = SubjectsDialog(candidates, current, self)
        return dialog.keys() if dialog.exec() else None

    # -- units and order ----------------------------------------------------------------------
    def set_unit(self, dimension: Dimension, unit: str) -> None:
        self.units[dimension] = unit
        combo = self.length_unit if dimension is Dimension.LENGTH else self.speed_unit
        if combo.currentText() != unit:
            combo.setCurrentText(unit)
        self.refresh()

    def _order_chosen(self) -> None:
        if self.order_combo.currentData() == "claimant":
            assert self.workspace is not None
            order = self.ask_claimant_order(
                self.claimant_order or cmp.claimants(self.workspace.document)
            )
            if order is None:
                self.order_combo.setCurrentIndex(0 if self.order_by == "grade" else 1)
                return
            self.set_order("claimant", order)
        else:
            self.set_order("grade")

    def set_order(self, by: cmp.OrderBy, claimants: Sequence[str] = ()) -> None:
        self.order_by = by
        self.claimant_order = list(claimants)
        self.order_combo.setCurrentIndex(0 if by == "grade" else 1)
        self.refresh()

    def _ask_order(self, names: list[str]) -> list[str] | None:
        dialog = LaneOrderDialog(names, self)
        dialog.setWindowTitle("Claimant Order")
        return dialog.names() if dialog.exec() else None

    # -- the table ------------------------------------------------------------------------------
    def unit_for(self, parameter: str) -> str:
        return cmp.unit_for(parameter, self.units)

    def refresh(self) -> None:
        """Rebuild the table (and chart) from the document; while the dock is hidden (a tab
        behind another), on the next show instead."""
        if self.workspace is None:
            return
        if not self.isVisible():
            self._needs_refresh = True
            return
        self._needs_refresh = False
        document = self.workspace.document
        rows = [*cmp.CLAIM_PARAMETERS, *cmp.ATTRIBUTE_PARAMETERS]
        current = (self.table.currentRow(), self.table.currentColumn())
        self.table.blockSignals(True)  # the current cell is put back below
        self.table.clear()
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(self.subjects))
        self.table.setVerticalHeaderLabels([cmp.PARAMETER_LABELS[p] for p in rows])
        self.table.setHorizontalHeaderLabels([s.label for s in self.subjects])
        self.cells, self.flags = {}, {}
        for column, item in enumerate(self.subjects):
            header = self.table.horizontalHeaderItem(column)
            if header is not None:
                kind = "system" if item.kind == "system" else "test"
                header.setToolTip(f"{kind} {item.id}")
            for row, parameter in enumerate(rows):
                if parameter in cmp.CLAIM_PARAMETERS:
                    cell = self._ordered(self.claim_index().claims(item, parameter))
                    self.cells[(parameter, item.key)] = cell
                    flags = cmp.conflicts(cell, self.unit_for(parameter))
                    self.flags[(parameter, item.key)] = flags
                    self.table.setItem(row, column, self._claim_item(parameter, cell, flags))
                else:
                    text = cmp.attribute(document, item, parameter) or "—"
                    self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        if 0 <= current[0] < len(rows) and 0 <= current[1] < len(self.subjects):
            self.table.setCurrentCell(*current)
        self.table.blockSignals(False)
        self._show_cell_claims()
        self._show_chart()

    def claim_index(self) -> cmp.ClaimIndex:
        assert self.workspace is not None
        if self.index is None:
            self.index = cmp.ClaimIndex(self.workspace.document)
        return self.index

    def _ordered(self, found: list[cmp.Claim]) -> list[cmp.Claim]:
        return cmp.order_claims(found, self.order_by, self.claimant_order)

    def _claim_item(
        self, parameter: str, cell: list[cmp.Claim], flags: list[cmp.Conflict]
    ) -> QTableWidgetItem:
        unit = self.unit_for(parameter)
        lines = [cmp.claim_line(claim, unit) for claim in cell]
        if flags:
            lines.insert(0, f"⚠ {len(flags)} disagreement{'s' if len(flags) > 1 else ''}")
        item = QTableWidgetItem("\n".join(lines) or "—")
        if flags:
            item.setBackground(QBrush(CONFLICT))
            item.setToolTip("<br>".join(html.escape(f.reason) for f in flags))
        elif cell:
            item.setToolTip("Every claim here is consistent with the others.")
        return item

    def cell_text(self, parameter: str, subject_key: str) -> str:
        rows = [*cmp.CLAIM_PARAMETERS, *cmp.ATTRIBUTE_PARAMETERS]
        column = [s.key for s in self.subjects].index(subject_key)
        item = self.table.item(rows.index(parameter), column)
        return item.text() if item is not None else ""

    def cell_tooltip(self, parameter: str, subject_key: str) -> str:
        rows = [*cmp.CLAIM_PARAMETERS, *cmp.ATTRIBUTE_PARAMETERS]
        column = [s.key for s in self.subjects].index(subject_key)
        item = self.table.item(rows.index(parameter), column)
        return item.toolTip() if item is not None else ""

    # -- the current cell's claims --------------------------------------------------------------
    def current_cell(self) -> tuple[str, cmp.Subject] | None:
        row, column = self.table.currentRow(), self.table.currentColumn()
        if not (0 <= row < len(cmp.CLAIM_PARAMETERS) and 0 <= column < len(self.subjects)):
            return None
        return cmp.CLAIM_PARAMETERS[row], self.subjects[column]

    def _show_cell_claims(self) -> None:
        current = self.current_cell()
        cell = self.cells.get((current[0], current[1].key), []) if current else []
        self.claims_list.setRowCount(len(cell))
        if current:
            self.cell_title.setText(
                f"{cmp.PARAMETER_LABELS[current[0]]} of {current[1].label}: {len(cell)} claim(s)"
            )
        for row, claim in enumerate(cell):
            unit = self.unit_for(current[0]) if current else ""
            values = (
                cmp.claim_text(claim.measurement, unit),
                claim.claimant,
                "; ".join(claim.sources),
                claim.grade,
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, claim.ids[0])
                self.claims_list.setItem(row, column, item)
        self.claims_list.resizeColumnsToContents()

    def select_cell(self, parameter: str, subject_key: str) -> None:
        column = [s.key for s in self.subjects].index(subject_key)
        self.table.setCurrentCell(cmp.CLAIM_PARAMETERS.index(parameter), column)

    def _selected_claim_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.claims_list.selectedIndexes()})
        if not rows and self.claims_list.rowCount() == 1:
            rows = [0]
        ids = []
        current = self.current_cell()
        if current is None:
            return []
        cell = self.cells.get((current[0], current[1].key), [])
        for row in rows:
            if row < len(cell):
                ids.extend(cell[row].ids)
        return ids

    def add_claim(self) -> None:
        current = self.current_cell()
        if current is None or self.workspace is None:
            return
        parameter, item = current
        self.run_claim_dialog(ClaimDialog(self.workspace, item, parameter=parameter, parent=self))

    def edit_claim(self) -> None:
        current = self.current_cell()
        ids = self._selected_claim_ids()
        if current is None or not ids or self.workspace is None:
            return
        measurement = self.workspace.document.measurement(ids[0])
        # A merged line stands for the same claim from several sources: edit them together.
        dialog = ClaimDialog(self.workspace, current[1], measurement, parent=self)
        dialog.siblings = ids[1:]
        self.run_claim_dialog(dialog)

    def delete_claim(self) -> None:
        if self.workspace is not None:
            delete_claims(self.workspace, self._selected_claim_ids())

    # -- charts ---------------------------------------------------------------------------------
    def _draw_current_tab(self) -> None:
        current = self.tabs.currentIndex()
        if self._stale.get(current):
            (self._show_chart if current == CHART_TAB else self._show_scatter)()
        elif current == SCATTER_TAB and self.workspace is not None:
            self.scatter.show_selection(self.workspace.selection.ids)  # it changed meanwhile

    def _due(self, tab: int) -> bool:
        """Whether ``tab`` is to be drawn now; a hidden tab is marked to draw when shown."""
        shown = self.workspace is not None and self.tabs.currentIndex() == tab
        self._stale[tab] = not shown
        return shown

    def _show_chart(self) -> None:
        if not self._due(CHART_TAB):
            return
        assert self.workspace is not None
        parameter = self.chart_parameter.currentData() or "range"
        cells = [self.cells.get((parameter, s.key), []) for s in self.subjects]
        order = self.claimant_order or cmp.claimants(self.workspace.document)
        self.chart.show(parameter, self.unit_for(parameter), self.subjects, cells, order)

    def _show_scatter(self) -> None:
        if not self._due(SCATTER_TAB):
            return
        assert self.workspace is not None
        document = self.workspace.document
        points = cmp.apogee_range_points(document, self.claim_index())
        self.scatter.show(points, self.log_axes.isChecked())
        self.scatter.show_lines(self.distance_lines())
        self.scatter.show_selection(self.workspace.selection.ids)

    def distance_lines(self) -> list[tuple[float, str]]:
        """(km, label) of every distance line saved with the project. A line between two
        places is computed on the sphere and labelled as computed."""
        assert self.workspace is not None
        document = self.workspace.document
        saved = _setting(document.meta.get(DISTANCES_KEY) or "[]")
        lines = []
        for entry in saved[:100] if isinstance(saved, list) else []:
            if not isinstance(entry, dict):
                continue
            try:
                if "from" in entry and "to" in entry:
                    km = cmp.place_distance_km(document, str(entry["from"]), str(entry["to"]))
                    first, second = (document.place(str(entry[k])).name for k in ("from", "to"))
                    names = f"{first}–{second}"
                    lines.append((km, f"{names} {cmp.number(km)} km (computed, great circle)"))
                elif "km" in entry:
                    km = float(entry["km"])
                    if 1 <= km <= MAX_DISTANCE_KM:  # finite, and a distance on Earth
                        lines.append(
                            (km, f"{str(entry.get('label', ''))[:80]} {cmp.number(km)} km".strip())
                        )
            except (KeyError, ValueError, TypeError):
                continue
        return lines

    def add_distance_line(self) -> None:
        if self.workspace is None:
            return
        entry = self.ask_distance()
        if entry is None:
            return
        document = self.workspace.document
        saved = _setting(document.meta.get(DISTANCES_KEY) or "[]")
        saved = [*(saved if isinstance(saved, list) else []), entry]
        self.workspace.stack.push(SetMeta(DISTANCES_KEY, json.dumps(saved), "Add distance line"))

    def _ask_distance(self) -> dict[str, Any] | None:
        assert self.workspace is not None
        places = self.workspace.document.table("places")
        located = places.loc[places["latitude"].notna() & places["longitude"].notna()]
        names = [f"{row.name} ({row.id})" for row in located.itertuples()]
        first, ok = QInputDialog.getItem(self, "Distance Line", "From place:", names, 0, False)
        if not ok:
            return None
        second, ok = QInputDialog.getItem(self, "Distance Line", "To place:", names, 0, False)
        if not ok:
            return None
        return {
            "from": first.rsplit("(", 1)[1].rstrip(")"),
            "to": second.rsplit("(", 1)[1].rstrip(")"),
        }

    def _scatter_clicked(self, point: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        if self.workspace is None:
            return
        hit = self.scatter.nearest(point)
        selection = self.workspace.selection
        if hit is None:
            if not modifiers & Qt.KeyboardModifier.ControlModifier:
                selection.clear()
        elif modifiers & Qt.KeyboardModifier.ControlModifier:
            selection.toggle(hit)
        else:
            selection.set([hit])

    def _scatter_rect(self, rect: QRectF, modifiers: Qt.KeyboardModifier) -> None:
        if self.workspace is None:
            return
        ids = self.scatter.inside(rect)
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            self.workspace.selection.add(ids)
        else:
            self.workspace.selection.set(ids)


def _setting(raw: object) -> Any:
    """A JSON project setting, or None: the file may come from anyone."""
    if not isinstance(raw, str) or len(raw) > 1_000_000:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


class SubjectsDialog(QDialog):
    """Tick 2 to 6 systems or tests."""

    def __init__(
        self,
        candidates: list[cmp.Subject],
        current: list[cmp.Subject],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare")
        self.list = QListWidget(self)
        chosen = {s.key for s in current}
        for item in candidates:
            kind = "System" if item.kind == "system" else "Test"
            entry = QListWidgetItem(f"{kind}: {item.label}")
            entry.setData(Qt.ItemDataRole.UserRole, item.key)
            entry.setCheckState(
                Qt.CheckState.Checked if item.key in chosen else Qt.CheckState.Unchecked
            )
            self.list.addItem(entry)
        self.note = QLabel(f"Choose {cmp.MIN_SUBJECTS} to {cmp.MAX_SUBJECTS}.", self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def keys(self) -> list[str]:
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def accept(self) -> None:
        if cmp.MIN_SUBJECTS <= len(self.keys()) <= cmp.MAX_SUBJECTS:
            super().accept()
        else:
            self.note.setText(
                f"Choose {cmp.MIN_SUBJECTS} to {cmp.MAX_SUBJECTS}; {len(self.keys())} are ticked."
            )
