"""The timeline dock: lanes of events on a time axis, a launch count track under them,
reference lines, annotation pins, and linked brushing with every other dock.

It is a view over a :class:`~workstation.model.workspace.Workspace` and nothing else: it
reads the document, the query and the selection, and writes only the selection, the
annotation selection, the time filter and timeline settings (through undoable commands).
All the arithmetic lives in :mod:`workstation.model.timeline`.

Level of detail: with more than ``density_threshold`` glyphs in view, lanes show a binned
density; below it they show glyphs. Range changes are coalesced into one update per turn of
the event loop, and hover is rate-limited, so dragging never queues up work.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QBrush, QColor, QCursor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMenu,
    QToolBar,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from workstation.model import timeline as tl
from workstation.model.commands import SetMeta
from workstation.model.document import Change
from workstation.model.query import overlaps
from workstation.model.workspace import Workspace
from workstation.ui.connections import Connections
from workstation.ui.event_table_model import format_time
from workstation.ui.timeline.axis import LaneAxis
from workstation.ui.timeline.count_track import MEASURES, UNITS, CountTrack
from workstation.ui.timeline.lane_order import LaneOrderDialog
from workstation.ui.timeline.layers import (
    DensityLayer,
    GlyphLayer,
    PinLayer,
    ReferenceLayer,
    SelectionLayer,
    Styles,
    pin_path,
)
from workstation.ui.timeline.view_box import DRAG_MODES, PAN, SELECT, TIME, ZOOM, TimelineViewBox

# Dark text on the white background (pyqtgraph's default is light grey for a black one).
pg.setConfigOptions(foreground="#222222", background="w")

# The time axis spans what datetime can hold (years 1 to 9999), and a view is at least a
# minute wide: zooming can never reach times the axis, the filter or a line cannot express.
MIN_X, MAX_X = -62135596800.0, 253402300799.0
MIN_WIDTH = 60.0
HIT_PIXELS = 7.0  # how near (in pixels) the pointer must be to a glyph or pin
HOVER_RATE = 30  # hover tooltips per second at most
ZOOM_STEP = 1.5
PAN_STEP = 0.25  # of the view width
DAY = 86400.0
#: More reference lines than this in view and only the analyst's own are drawn.
MAX_REFERENCE_LINES = 100


class TimelineDock(QDockWidget):
    """``TimelineDock(workspace)``: built from a workspace alone."""

    def __init__(self, workspace: Workspace | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Timeline", parent)
        self.setObjectName("timelineDock")
        self.workspace: Workspace | None = None
        self.lane_mode = tl.LaneMode.CATEGORY
        self.density_threshold = tl.DENSITY_THRESHOLD
        self.count_measure = "launch_days"
        self.count_unit = "month"
        self.lanes: tl.Lanes | None = None
        self.keep = np.zeros(0, dtype=bool)  # per glyph: passes the query
        self.selected = np.zeros(0, dtype=bool)  # per glyph: its event is selected
        self.pins = tl.annotation_pins_empty()
        self.reference_index = tl.ReferenceIndex.empty()
        self.anniversaries: list[tuple[int, int, str]] = []
        # The same lines sorted by x (finite x only), for a binary search of the view.
        self.styles = Styles(())
        self.mode = "glyphs"  # or "density"
        self.loaded: tuple[float, float] | None = None  # the time window whose glyphs are drawn
        self.last_tooltip = ""
        self._update_pending = False
        self._details_pending = False  # pins, references, counts, legend still to build
        self._lanes_source: object = None  # the events frame the lanes were built from
        self._syncing_region = False
        self._connections = Connections()
        # Hooks a test can replace: they stand in for the modal dialogs.
        self.ask_reference_label: Callable[[str], str | None] = self._ask_reference_label
        self.ask_lane_order: Callable[[list[str]], list[str] | None] = self._ask_lane_order

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setObjectName("timelineView")
        self.graphics.setBackground("w")
        self.graphics.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.graphics.setMinimumHeight(280)  # below this, lanes and the count track do not read
        self.graphics.installEventFilter(self)  # the legend wraps to the width
        self.view_box = TimelineViewBox()
        self.view_box.setLimits(xMin=MIN_X, xMax=MAX_X, minXRange=MIN_WIDTH)
        self.lane_axis = LaneAxis()
        self.legend = pg.LegendItem(
            labelTextSize="8pt", colCount=10, brush=None, horSpacing=14, verSpacing=-6
        )
        self.legend.layout.setContentsMargins(4, 0, 4, 0)  # one tight line above the lanes
        self.graphics.addItem(self.legend, row=0, col=0)
        self.plot: pg.PlotItem = self.graphics.addPlot(
            row=1,
            col=0,
            viewBox=self.view_box,
            axisItems={"left": self.lane_axis},
        )
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.showGrid(x=True, y=False, alpha=0.12)
        self.count_track = CountTrack(self.graphics.ci, row=2)
        self.count_track.plot.setXLink(self.plot)
        self.graphics.ci.layout.setRowStretchFactor(1, 4)  # the lanes get the spare height
        self.graphics.ci.layout.setRowMaximumHeight(0, 30)  # the legend: one line
        self.graphics.ci.layout.setSpacing(0)  # lanes, not gaps, get the height
        self.graphics.ci.setContentsMargins(2, 0, 2, 2)
        # One date axis, the count track's, right under the lanes: it reads for both.
        self.plot.hideAxis("bottom")
        self.axis = self.count_track.axis
        self.density = DensityLayer(self.plot)
        self.glyphs = GlyphLayer(self.plot)
        self.selection_layer = SelectionLayer(self.plot)
        self.pin_layer = PinLayer(self.plot)
        self.references = ReferenceLayer([self.plot, self.count_track.plot])
        self.region = pg.LinearRegionItem(
            orientation="vertical", brush=QBrush(QColor(0, 114, 178, 45)), movable=True
        )
        self.region.setZValue(0)
        self.region.setVisible(False)
        self.plot.addItem(self.region, ignoreBounds=True)
        self.region.sigRegionChangeFinished.connect(self._region_moved)

        self.view_box.sigXRangeChanged.connect(lambda *_: self.schedule_update())
        self.view_box.clicked.connect(self._clicked)
        self.view_box.rect_selected.connect(self._rect_selected)
        self.view_box.region_drawn.connect(self._region_drawn)
        self.view_box.context_requested.connect(self._context_requested)
        self.graphics.scene().sigMouseClicked.connect(self.view_box.handle_scene_click)
        self._hover_proxy = pg.SignalProxy(
            self.graphics.scene().sigMouseMoved, rateLimit=HOVER_RATE, slot=self._hovered
        )

        self.status = QLabel(self)
        self.status.setObjectName("timelineStatus")
        self.toolbar = self._build_toolbar()
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.status)
        self.setWidget(body)
        if workspace is not None:
            self.set_workspace(workspace)

    def sizeHint(self) -> QSize:
        # What the window's first layout gives the dock: room for the lanes and the counts.
        return QSize(1000, 460)

    # -- toolbar and keys ---------------------------------------------------------------------
    def _build_toolbar(self) -> QToolBar:
        bar = QToolBar("Timeline", self)
        bar.setObjectName("timelineToolBar")

        def action(
            text: str, slot: Callable[[], object], keys: tuple[str, ...] = (), tip: str = ""
        ) -> QAction:
            act = QAction(text, self)
            if keys:
                act.setShortcuts([QKeySequence(k) for k in keys])
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                tip = f"{tip or text} ({', '.join(keys)})"
            act.setToolTip(tip or text)
            act.triggered.connect(lambda _=False: slot())
            self.addAction(act)  # the keys work anywhere in the dock
            return act

        bar.addWidget(QLabel(" Lanes: ", bar))
        self.lane_combo = QComboBox(bar)
        self.lane_combo.setObjectName("laneMode")
        self.lane_combo.addItem("By category", tl.LaneMode.CATEGORY.value)
        self.lane_combo.addItem("By missile system", tl.LaneMode.SYSTEM.value)
        self.lane_combo.currentIndexChanged.connect(
            lambda _: self.set_lane_mode(self.lane_combo.currentData())
        )
        bar.addWidget(self.lane_combo)
        self.order_action = action("Order…", self.order_lanes, tip="Change the order of the lanes")
        bar.addAction(self.order_action)
        bar.addSeparator()
        group = QActionGroup(self)
        self.drag_actions: dict[str, QAction] = {}
        tips = {
            PAN: "Drag to pan",
            SELECT: "Drag a rectangle to select events (or Shift-drag in any mode)",
            ZOOM: "Drag a rubber band to zoom",
            TIME: "Drag a time region to filter every view (or Alt-drag in any mode)",
        }
        for mode, text in zip(DRAG_MODES, ("Pan", "Select", "Zoom", "Time filter"), strict=True):
            act = QAction(text, self)
            act.setCheckable(True)
            act.setToolTip(tips[mode])
            act.setChecked(mode == PAN)
            act.triggered.connect(lambda _=False, m=mode: self.set_drag_mode(m))
            group.addAction(act)
            bar.addAction(act)
            self.drag_actions[mode] = act
        bar.addSeparator()
        self.key_actions = [
            action("Fit all", self.fit_all, ("Home",), "Show every event"),
            action("Fit selection", self.fit_selection, ("F",), "Show the selected events"),
            action("Zoom in", lambda: self.zoom(1 / ZOOM_STEP), ("+", "=")),
            action("Zoom out", lambda: self.zoom(ZOOM_STEP), ("-",)),
            action("Pan left", lambda: self.pan(-PAN_STEP), ("Left",)),
            action("Pan right", lambda: self.pan(PAN_STEP), ("Right",)),
        ]
        for act in self.key_actions[:4]:
            bar.addAction(act)
        self.clear_time_action = action(
            "Clear time filter", self.clear_time_filter, ("Ctrl+Shift+T",), "Remove the time region"
        )
        bar.addAction(self.clear_time_action)
        self.key_actions.append(self.clear_time_action)
        bar.addSeparator()
        bar.addWidget(QLabel(" Count: ", bar))
        self.measure_combo = QComboBox(bar)
        self.measure_combo.setObjectName("countMeasure")
        for key, text in MEASURES.items():
            self.measure_combo.addItem(text, key)
        self.measure_combo.currentIndexChanged.connect(
            lambda _: self.set_count(self.measure_combo.currentData(), self.count_unit)
        )
        bar.addWidget(self.measure_combo)
        bar.addWidget(QLabel(" per ", bar))
        self.unit_combo = QComboBox(bar)
        self.unit_combo.setObjectName("countUnit")
        for key, text in UNITS.items():
            self.unit_combo.addItem(text, key)
        self.unit_combo.setCurrentIndex(list(UNITS).index(self.count_unit))
        self.unit_combo.currentIndexChanged.connect(
            lambda _: self.set_count(self.count_measure, self.unit_combo.currentData())
        )
        bar.addWidget(self.unit_combo)
        bar.addSeparator()
        self.legend_action = QAction("Legend", self)
        self.legend_action.setCheckable(True)
        self.legend_action.setChecked(True)
        self.legend_action.toggled.connect(self.legend.setVisible)
        bar.addAction(self.legend_action)
        return bar

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(action, keys) for Help > Keyboard shortcuts."""
        rows = []
        for act in self.key_actions:
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts()
            )
            rows.append((f"Timeline: {act.text()}", keys))
        rows.append(("Timeline: select a rectangle", "Shift+drag"))
        rows.append(("Timeline: filter to a time region", "Alt+drag"))
        return rows

    # -- the workspace ------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._connections.replace(
            [
                (workspace.document.changed, self._document_changed),
                (workspace.document.meta_changed, self._meta_changed),
                (workspace.filter_changed, self._filters_changed),
                (workspace.display_changed, self._display_changed),
                (workspace.selection.changed, self._selection_changed),
                (workspace.annotation_selection.changed, self._annotations_selected),
                (workspace.annotation_filter_changed, self._annotations_refiltered),
                (workspace.time_range.changed, self._time_range_changed),
            ]
        )
        self.axis.set_zone(workspace.display_zone())
        self.rebuild()
        self.fit_all()
        self._time_range_changed()

    def shown_mask(self) -> np.ndarray:
        """The events drawn in the current view (a mask over the document's events): those
        the query lets through, in the visible time span. An export's source line cites
        these."""
        assert self.workspace is not None
        (x0, x1), _ = self.view_box.viewRange()
        start = datetime.fromtimestamp(min(max(x0, MIN_X), MAX_X), UTC)
        end = datetime.fromtimestamp(min(max(x1, MIN_X), MAX_X), UTC)
        return self.workspace.query_mask() & overlaps(self.workspace.document.events, start, end)

    def detach(self) -> None:
        """Stop following the workspace (an export's offscreen copy, done with)."""
        self._connections.replace([])
        self.workspace = None

    def rebuild(self) -> None:
        """Recompute from the document (opened or edited) in two steps: the lanes now, so
        the next frame shows every event; pins, reference lines, the count track and the
        legend on the next turn of the event loop (``finish_rebuild``), so that a million
        events appear as soon as their density can be drawn."""
        assert self.workspace is not None
        document = self.workspace.document
        self.lanes = tl.build_lanes(
            document, self.lane_mode, tl.lane_order(document, self.lane_mode)
        )
        self._lanes_source = document.events
        self.styles = Styles(self.lanes.categories)
        self.lane_axis.set_lanes(self.lanes.names)
        top = tl.LaneMode.SYSTEM if self.lane_mode is tl.LaneMode.SYSTEM else tl.LaneMode.CATEGORY
        self.lane_combo.blockSignals(True)
        self.lane_combo.setCurrentIndex(0 if top is tl.LaneMode.CATEGORY else 1)
        self.lane_combo.blockSignals(False)
        self.view_box.setLimits(
            xMin=MIN_X,
            xMax=MAX_X,
            minXRange=MIN_WIDTH,
            yMin=-1.0,
            yMax=max(len(self.lanes.names), 1) - 0.4,
        )
        self.view_box.setYRange(-0.95, max(len(self.lanes.names), 1) - 0.45, padding=0)
        self._select_glyphs()
        self._details_pending = True
        QTimer.singleShot(0, self.finish_rebuild)
        self._filters_changed()

    def finish_rebuild(self) -> None:
        """The second step of ``rebuild``: pins, reference lines, counts and legend."""
        if not self._details_pending or self.workspace is None or self.lanes is None:
            return
        self._details_pending = False
        document = self.workspace.document
        self.pins = self._pins()
        self.reference_index = tl.reference_index(document)
        self.anniversaries = tl.recurring_anniversaries(document)  # parsed once, not per frame
        self._rebuild_legend()
        self._filters_changed()

    def _document_changed(self, change: Change) -> None:
        if change.table in ("events", "systems"):
            self.rebuild()
        elif change.table == "annotations" and self.lanes is not None:
            self._annotations_refiltered()
        # Measurements and places are read live by the tooltip: nothing to redraw.

    def _pins(self) -> tl.Pins:
        """Pins for the notes the annotation list shows (the workspace's annotation filter:
        filtering the notes by a tag pins only those notes)."""
        assert self.workspace is not None
        document = self.workspace.document
        return tl.annotation_pins(document, self.workspace.annotation_filter.mask(document))

    def _annotations_refiltered(self) -> None:
        if self.lanes is not None and not self._details_pending:
            self.pins = self._pins()
            self._show_pins()

    def _stale(self) -> bool:
        """Whether the events changed since the lanes were built. Other handlers of the same
        change (the workspace's, dropping deleted ids from the selection) may run first."""
        assert self.workspace is not None
        return self.lanes is None or self._lanes_source is not self.workspace.document.events

    def _meta_changed(self, key: str) -> None:
        if key in (tl.REFERENCES_KEY, tl.ANNIVERSARIES_KEY):
            # Only the lines changed: no need to rebuild a million glyphs.
            assert self.workspace is not None
            self.reference_index = tl.reference_index(self.workspace.document)
            self.anniversaries = tl.recurring_anniversaries(self.workspace.document)
            self.update_view()
        elif key.startswith("timeline:"):
            self.rebuild()
        elif key == "default_timezone":
            self._display_changed()

    def _filters_changed(self) -> None:
        assert self.workspace is not None
        assert self.lanes is not None
        if self._stale():
            self.rebuild()
            return
        self.keep = self.workspace.query_mask()[self.lanes.row]
        if not self._details_pending:
            self._update_counts()
            self._show_pins()  # pins follow the filters, not the view range: drawn once here
        self.loaded = None
        self.update_view()

    def _display_changed(self) -> None:
        assert self.workspace is not None
        zone_name = self.workspace.display_zone()
        self.axis.set_zone(zone_name)
        self._update_counts()
        self.references.shown = []  # anniversaries sit at local noon: redraw them
        self.update_view()

    def _selection_changed(self, *_: object) -> None:
        if self._stale():
            self.rebuild()  # it selects the glyphs of the new events itself
            return
        self._select_glyphs()
        self.update_view()

    def _select_glyphs(self) -> None:
        assert self.workspace is not None
        assert self.lanes is not None
        document = self.workspace.document
        chosen = np.zeros(len(document.events), dtype=bool)
        ids = self.workspace.selection.ids
        if ids:
            rows = document.positions("events", ids)
            chosen[rows[rows >= 0]] = True
        self.selected = chosen[self.lanes.row]

    def _annotations_selected(self, *_: object) -> None:
        self._show_pins()

    # -- drawing --------------------------------------------------------------------------------
    def schedule_update(self) -> None:
        """Redraw once the current burst of range changes is over (coalesced)."""
        if not self._update_pending:
            self._update_pending = True
            QTimer.singleShot(0, self.flush)

    def flush(self) -> None:
        """Run now what is waiting for the event loop: the details of a rebuild, and the
        coalesced redraw."""
        self.finish_rebuild()
        if self._update_pending:
            self.update_view()

    def update_view(self) -> None:
        """Draw what is in view: density or glyphs, the selection, pins and references."""
        self._update_pending = False
        if self.workspace is None or self.lanes is None:
            return
        if self._stale():
            self.rebuild()
            return
        lanes = self.lanes
        (x0, x1), _ = self.view_box.viewRange()
        in_view = lanes.in_view(x0, x1, self.keep)
        visible = int(np.count_nonzero(in_view))
        shown_selected = self.selected & self.keep  # a hidden event shows no ring
        selected_in_view = (
            np.flatnonzero(lanes.in_view(x0, x1, shown_selected))
            if self.selected.any()
            else np.zeros(0, dtype=np.int64)
        )
        if tl.use_density(visible, self.density_threshold):
            self.mode = "density"
            self.glyphs.clear()
            self.loaded = None
            bins = max(int(self.view_box.width() / 2), 16)
            counts = tl.density(lanes, self.keep, x0, x1, bins)
            picked = (
                tl.density(lanes, shown_selected, x0, x1, bins)
                if len(selected_in_view) > 0
                else None
            )
            colours = self._lane_colours()
            self.density.show(counts, x0, x1, colours, picked)
        else:
            self.mode = "glyphs"
            self.density.clear()
            width = x1 - x0
            if self.loaded is None or not (
                self.loaded[0] <= x0
                and x1 <= self.loaded[1]
                and self.loaded[1] - self.loaded[0] <= 5 * width
            ):
                # Draw a window wider than the view, so panning repaints without rebuilding.
                window = (x0 - width, x1 + width)
                shown = np.flatnonzero(lanes.in_view(*window, self.keep))
                if len(shown) > 2 * self.density_threshold:
                    window, shown = (x0, x1), np.flatnonzero(in_view)
                self.glyphs.show(lanes, shown, self.styles)
                self.loaded = window
        if self.mode == "glyphs":
            self.glyphs.show_counts(lanes, x0, x1, self.view_box.viewPixelSize()[0])
        self.selection_layer.show(lanes, selected_in_view)
        self.references.show(self._references_in_view(x0, x1))
        self.count_track.update_labels()
        self._show_status(visible)

    def _references_in_view(self, x0: float, x1: float) -> list[tl.ReferenceLine]:
        """The reference lines within [x0, x1], sorted by x. With more than
        ``MAX_REFERENCE_LINES`` in view (many events tagged "reference", zoomed out) only the
        analyst's own lines are drawn: a wall of labelled lines reads as nothing, and every
        line is two graphics items to build and paint."""
        assert self.workspace is not None
        index = self.reference_index
        if index.count(x0, x1) + len(index.user_in(x0, x1)) <= MAX_REFERENCE_LINES:
            fixed = sorted([*index.events_in(x0, x1), *index.user_in(x0, x1)], key=lambda r: r.x)
            zone_name = self.workspace.display_zone()
            anniversaries = tl.anniversary_lines(
                self.workspace.document, x0, x1, zone_name, fixed, self.anniversaries
            )
            lines = sorted([*fixed, *anniversaries], key=lambda line: line.x)
            if len(lines) <= MAX_REFERENCE_LINES:
                return lines
        return index.user_in(x0, x1)[:MAX_REFERENCE_LINES]

    def _lane_colours(self) -> list[QColor]:
        assert self.lanes is not None
        if self.lanes.mode is tl.LaneMode.CATEGORY:
            return [self.styles.colour[self.lanes.categories.index(n)] for n in self.lanes.names]
        return [QColor("#444444")] * len(self.lanes.names)

    def _show_pins(self, *_: object) -> None:
        if self.workspace is None or self.lanes is None:
            return
        self.pin_layer.show(
            self.pins, self.lanes, self.workspace.annotation_selection.ids, self.keep
        )

    def _update_counts(self) -> None:
        assert self.workspace is not None
        counts = tl.launch_counts(
            self.workspace.document.events,
            self.workspace.query_mask(),
            self.workspace.display_zone(),
            self.count_unit,  # type: ignore[arg-type]
        )
        self.count_track.show(counts, self.count_measure, self.count_unit)

    def _show_status(self, visible: int) -> None:
        how = "density" if self.mode == "density" else "glyphs"
        self.status.setText(
            f" {visible:,} events in view · drawn as {how}"
            + (" (zoom in for single events)" if self.mode == "density" else "")
        )

    def _rebuild_legend(self) -> None:
        assert self.lanes is not None
        self.legend.clear()
        for index, name in enumerate(self.lanes.categories):
            sample = pg.ScatterPlotItem(
                symbol=self.styles.symbol[index],
                brush=self.styles.brush[index],
                pen=self.styles.outline,
                size=10,
            )
            self.legend.addItem(sample, html.escape(name))
        span = pg.BarGraphItem(
            x0=[0],
            x1=[1],
            y0=[0],
            height=[1],
            brush=QBrush(QColor("#555555"), Qt.BrushStyle.BDiagPattern),
        )
        self.legend.addItem(span, "date known to the month or year")
        self.legend.addItem(
            pg.ScatterPlotItem(symbol=pin_path(), brush=QBrush(QColor("#5a5a5a")), size=12),
            "annotation",
        )
        self._fit_legend()

    def _fit_legend(self) -> None:
        """As many legend entries per line as the width takes (one line when it can): a
        legend wider than the view would push the lanes past the dock's right edge."""
        items = self.legend.items
        if not items:
            return
        widths = [
            sample.boundingRect().width() + label.boundingRect().width() + 14
            for sample, label in items
        ]
        room = max(self.graphics.width() - 12, 100)
        columns = 1
        for n in range(len(widths), 0, -1):
            spans = [max(widths[c::n]) for c in range(n)]  # entries fill row by row
            if sum(spans) <= room:
                columns = n
                break
        self.legend.setColumnCount(columns)
        lines = -(-len(items) // columns)
        self.graphics.ci.layout.setRowMaximumHeight(0, 30 + 18 * (lines - 1))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.graphics and event.type() == QEvent.Type.Resize:
            self._fit_legend()
        return super().eventFilter(watched, event)

    # -- settings -------------------------------------------------------------------------------
    def set_lane_mode(self, mode: tl.LaneMode | str) -> None:
        mode = tl.LaneMode(mode)
        if mode is not self.lane_mode:
            self.lane_mode = mode
            self.rebuild()

    def set_drag_mode(self, mode: str) -> None:
        self.view_box.drag_mode = mode
        self.drag_actions[mode].setChecked(True)

    def set_count(self, measure: str, unit: str) -> None:
        self.count_measure, self.count_unit = measure, unit
        self.measure_combo.setCurrentIndex(list(MEASURES).index(measure))
        self.unit_combo.setCurrentIndex(list(UNITS).index(unit))
        if self.workspace is not None:
            self._update_counts()

    def order_lanes(self) -> None:
        if self.workspace is None or self.lanes is None:
            return
        order = self.ask_lane_order(list(self.lanes.names))
        if order is None or list(order) == list(self.lanes.names):
            return
        key = tl.LANE_ORDER_KEY.format(mode=self.lane_mode.value)
        self.workspace.stack.push(
            SetMeta(key, tl.encode_lane_order(order), "Reorder timeline lanes")
        )

    def _ask_lane_order(self, names: list[str]) -> list[str] | None:
        dialog = LaneOrderDialog(names, self)
        return dialog.names() if dialog.exec() else None

    # -- view range -----------------------------------------------------------------------------
    def set_x_range(self, x0: float, x1: float) -> None:
        self.view_box.setXRange(x0, x1, padding=0)

    def fit_all(self) -> None:
        if self.lanes is None:
            return
        keep = self.keep if self.keep.any() else np.ones(len(self.lanes), dtype=bool)
        self._fit(keep)

    def fit_selection(self) -> None:
        if self.lanes is not None and self.selected.any():
            shown = self.selected & self.keep
            self._fit(shown if shown.any() else self.selected)

    def _fit(self, which: np.ndarray) -> None:
        assert self.lanes is not None
        if not which.any():
            self.set_x_range(
                datetime.now(UTC).timestamp() - 365 * DAY, datetime.now(UTC).timestamp()
            )
            return
        low = float(self.lanes.x[which].min())
        high = float(self.lanes.x_end[which].max())
        pad = max((high - low) * 0.04, DAY)
        self.set_x_range(low - pad, high + pad)

    def zoom(self, factor: float) -> None:
        (x0, x1), _ = self.view_box.viewRange()
        middle, half = (x0 + x1) / 2, (x1 - x0) / 2 * factor
        self.set_x_range(middle - half, middle + half)

    def pan(self, fraction: float) -> None:
        (x0, x1), _ = self.view_box.viewRange()
        step = (x1 - x0) * fraction
        self.set_x_range(x0 + step, x1 + step)

    # -- time filter ----------------------------------------------------------------------------
    def _region_drawn(self, x0: float, x1: float) -> None:
        self.set_time_filter(x0, x1)

    def set_time_filter(self, x0: float, x1: float) -> None:
        """Filter every view to [x0, x1] (UTC seconds): one undoable step."""
        if self.workspace is None:
            return
        low, high = (min(max(x, MIN_X), MAX_X) for x in sorted((x0, x1)))
        start = datetime.fromtimestamp(round(low), UTC)
        end = datetime.fromtimestamp(round(high), UTC)
        self.workspace.set_time_range(start, end)

    def clear_time_filter(self) -> None:
        if self.workspace is not None and self.workspace.time_range.active:
            self.workspace.set_time_range(None, None)

    def _region_moved(self, *_: object) -> None:
        # Made on sigRegionChangeFinished (the end of a drag), never on every move.
        if self._syncing_region or not self.region.isVisible():
            return
        x0, x1 = self.region.getRegion()
        self.set_time_filter(x0, x1)

    def _time_range_changed(self, *_: object) -> None:
        assert self.workspace is not None
        time_range = self.workspace.time_range
        self.clear_time_action.setEnabled(time_range.active)
        if not time_range.active:
            self.region.setVisible(False)
            return
        (x0, x1), _ = self.view_box.viewRange()
        start = time_range.start.timestamp() if time_range.start else min(x0, self._data_min())
        end = time_range.end.timestamp() if time_range.end else max(x1, self._data_max())
        self._syncing_region = True
        try:
            self.region.setRegion((start, end))
        finally:
            self._syncing_region = False
        self.region.setVisible(True)

    def _data_min(self) -> float:
        return float(self.lanes.x.min()) if self.lanes is not None and len(self.lanes) else 0.0

    def _data_max(self) -> float:
        return float(self.lanes.x_end.max()) if self.lanes is not None and len(self.lanes) else 0.0

    # -- picking --------------------------------------------------------------------------------
    def _tolerance(self) -> float:
        pixel = self.view_box.viewPixelSize()[0]
        return HIT_PIXELS * (pixel if pixel > 0 else 1.0)

    def hit(self, point: QPointF) -> tuple[str, str] | None:
        """What is under a view point: ("annotation", id), ("event", id) or None."""
        if self.workspace is None or self.lanes is None:
            return None
        x, y = point.x(), point.y()
        tolerance = self._tolerance()
        layer = self.pin_layer
        if len(layer.x):
            distance = np.abs(layer.x - x) / tolerance + np.abs(layer.y - y) / 0.22
            best = int(np.argmin(distance))
            if abs(layer.x[best] - x) <= tolerance and abs(layer.y[best] - y) <= 0.22:
                return "annotation", str(self.pins.annotation[layer.index[best]])
        lane = round(y)
        if self.mode != "glyphs" or abs(y - lane) > 0.45 or not 0 <= lane < len(self.lanes.names):
            return None
        glyph = tl.nearest(self.lanes, self.glyphs.shown, x, lane, tolerance)
        if glyph is None:
            return None
        row = int(self.lanes.row[glyph])
        return "event", str(self.workspace.document.events["id"].iat[row])

    def _clicked(self, point: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        if self.workspace is None:
            return
        adding = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        found = self.hit(point)
        if found is None:
            # Clear only on empty space among glyphs: in a density, a click hits no event.
            if not adding and self.mode == "glyphs":
                self.workspace.selection.clear()
                self.workspace.annotation_selection.clear()
            return
        kind, item_id = found
        if kind == "annotation":
            # A note selects what it is about in every dock, as a note chosen in the list does.
            chosen = self.workspace.annotation_selection.ids
            self.workspace.select_annotations(chosen ^ {item_id} if adding else [item_id])
        elif adding:
            self.workspace.selection.toggle(item_id)
        else:
            self.workspace.selection.set([item_id])

    def _rect_selected(self, rect: QRectF, modifiers: Qt.KeyboardModifier) -> None:
        if self.workspace is None or self.lanes is None:
            return
        lanes = self.lanes
        lane_low = int(np.ceil(rect.top() - 0.4))
        lane_high = int(np.floor(rect.bottom() + 0.4))
        inside = (
            lanes.in_view(rect.left(), rect.right(), self.keep)
            & (lanes.lane >= lane_low)
            & (lanes.lane <= lane_high)
        )
        rows = np.unique(lanes.row[inside])
        ids = self.workspace.document.events["id"].to_numpy(dtype=object)[rows]
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            self.workspace.selection.add(ids)
        else:
            self.workspace.selection.set(ids)

    # -- context menu and reference lines -------------------------------------------------------
    def _context_requested(self, point: QPointF, screen: Any) -> None:
        menu = self.context_menu(point)
        menu.exec(screen.toPoint() if hasattr(screen, "toPoint") else QCursor.pos())

    def context_menu(self, point: QPointF) -> QMenu:
        menu = QMenu(self)
        x = point.x()
        add = menu.addAction("Add reference line here…")
        add.triggered.connect(lambda: self.add_reference(x))
        near = self._user_reference_near(x)
        if near is not None:
            remove = menu.addAction(f"Remove reference line “{near.label}”")
            remove.triggered.connect(lambda: self.remove_reference(int(near.key)))
        menu.addSeparator()
        to_view = menu.addAction("Filter to this view's time range")
        to_view.triggered.connect(lambda: self.set_time_filter(*self.view_box.viewRange()[0]))
        menu.addAction(self.clear_time_action)
        menu.addSeparator()
        menu.addAction(self.key_actions[0])
        menu.addAction(self.key_actions[1])
        menu.addSeparator()
        for mode, text in (
            (tl.LaneMode.CATEGORY, "Lanes by category"),
            (tl.LaneMode.SYSTEM, "Lanes by missile system"),
        ):
            act = menu.addAction(text)
            act.setCheckable(True)
            act.setChecked(self.lane_mode is mode)
            act.triggered.connect(
                lambda _=False, m=mode: self.lane_combo.setCurrentIndex(
                    0 if m is tl.LaneMode.CATEGORY else 1
                )
            )
        menu.addAction(self.order_action)
        return menu

    def _user_reference_near(self, x: float) -> tl.ReferenceLine | None:
        tolerance = self._tolerance()
        near = self.reference_index.user_in(x - tolerance, x + tolerance)
        return min(near, key=lambda line: abs(line.x - x)) if near else None

    def add_reference(self, x: float) -> None:
        if self.workspace is None:
            return
        x = min(max(x, MIN_X), MAX_X)
        moment = datetime.fromtimestamp(round(x), UTC)
        label = self.ask_reference_label(
            format_time(int(x), "time", self.workspace.display_zone(), False)
        )
        if label is None:
            return
        existing = tl.user_references(self.workspace.document)
        value = tl.encode_references([*existing, (moment, label.strip()[:200])])
        self.workspace.stack.push(
            SetMeta(tl.REFERENCES_KEY, value, f"Add reference line “{label.strip()}”")
        )

    def remove_reference(self, index: int) -> None:
        if self.workspace is None:
            return
        existing = tl.user_references(self.workspace.document)
        if not 0 <= index < len(existing):
            return
        label = existing[index][1]
        rest = existing[:index] + existing[index + 1 :]
        value = tl.encode_references(rest) if rest else None
        self.workspace.stack.push(
            SetMeta(tl.REFERENCES_KEY, value, f"Remove reference line “{label}”")
        )

    def _ask_reference_label(self, when: str) -> str | None:
        text, ok = QInputDialog.getText(self, "Reference Line", f"Label for the line at {when}:")
        return text if ok else None

    # -- hover ----------------------------------------------------------------------------------
    def _hovered(self, args: tuple[Any, ...]) -> None:
        scene_pos = args[0]
        text = self.tooltip_at(scene_pos)
        self.last_tooltip = text
        if text:
            QToolTip.showText(QCursor.pos(), text, self.graphics)
        else:
            QToolTip.hideText()

    def tooltip_at(self, scene_pos: QPointF) -> str:
        if self.workspace is None or self.lanes is None:
            return ""
        if self.count_track.plot.sceneBoundingRect().contains(scene_pos):
            x = self.count_track.plot.vb.mapSceneToView(scene_pos).x()
            row = self.count_track.bin_at(x)
            return self.count_track.describe(row) if row is not None else ""
        if not self.view_box.sceneBoundingRect().contains(scene_pos):
            return ""
        point = self.view_box.mapSceneToView(scene_pos)
        found = self.hit(point)
        if found is not None:
            kind, item_id = found
            if kind == "annotation":
                return self.annotation_tooltip(item_id)
            return self.event_tooltip(item_id)
        if self.mode == "density":
            lane = round(point.y())
            cell = self.density.count_at(point.x(), lane)
            if cell is not None and cell[0]:
                zone_name = self.workspace.display_zone()
                start = format_time(int(cell[1]), "time", zone_name, False)
                end = format_time(int(cell[2]), "time", zone_name, False)
                name = html.escape(self.lanes.names[lane])
                return f"<b>{cell[0]:,}</b> events in {name}<br>{start} – {end}"
        return ""

    def annotation_tooltip(self, annotation_id: str) -> str:
        hits = np.flatnonzero(self.pins.annotation == annotation_id)
        first = str(self.pins.first_line[hits[0]]) if len(hits) else ""
        return f"<b>Note {html.escape(annotation_id)}</b><br>{html.escape(first)}"

    def event_tooltip(self, event_id: str) -> str:
        assert self.workspace is not None
        document = self.workspace.document
        if not document.has("events", event_id):
            return ""
        event = document.event(event_id)  # the validated record: no missing-value checks here
        seconds = int(event.start_utc.timestamp())
        precision, tz_name = str(event.precision), event.timezone
        local = format_time(seconds, precision, tz_name, utc=False)
        utc = format_time(seconds, precision, tz_name, utc=True)
        if precision not in ("time", "approximate"):
            utc = f"{precision} precision, no UTC time"
        if event.end_utc is not None:
            local += " – " + format_time(
                int(event.end_utc.timestamp()), precision, tz_name, utc=False
            )
        lines = [f"<b>{html.escape(event.title)}</b>", f"{local} · {utc}"]
        if event.place:
            known = document.row("places", event.place)
            lines.append("Place: " + html.escape(str(known["name"]) if known else event.place))
        if event.systems:
            count = event.missile_count
            several = "" if count is None else f" · {count} missile{'s' if count != 1 else ''}"
            lines.append("Systems: " + html.escape("; ".join(event.systems)) + several)
        for claim in tl.key_measurements(document, event_id):
            lines.append("• " + html.escape(claim))
        return "<br>".join(lines)
