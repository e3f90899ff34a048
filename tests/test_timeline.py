"""The timeline dock (pyqtgraph), offscreen: built alone, lanes and local dates, linked
brushing with the table, the time filter, level of detail, counts, references, pins."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, QSettings, Qt
from pytestqt.qtbot import QtBot

from workstation.app import create_main_window
from workstation.model import tables
from workstation.model import timeline as tl
from workstation.model.annotation_list import AnnotationFilter
from workstation.model.document import Document
from workstation.model.query import EventQuery
from workstation.model.workspace import Workspace
from workstation.ui.event_table_dock import EventTableDock
from workstation.ui.main_window import MainWindow
from workstation.ui.timeline import TimelineDock

KST = ZoneInfo("Asia/Seoul")
JANUARY_2022 = (
    datetime(2021, 12, 28, tzinfo=UTC).timestamp(),
    datetime(2022, 2, 20, tzinfo=UTC).timestamp(),
)


@pytest.fixture
def workspace(seed_document: Document) -> Workspace:
    return Workspace(seed_document)


@pytest.fixture
def dock(qtbot: QtBot, workspace: Workspace) -> TimelineDock:
    widget = TimelineDock(workspace)
    qtbot.addWidget(widget)
    widget.resize(1400, 560)
    widget.show()
    qtbot.waitExposed(widget)
    show_range(widget, *JANUARY_2022)
    return widget


def show_range(dock: TimelineDock, x0: float, x1: float) -> None:
    dock.set_x_range(x0, x1)
    dock.flush()


def glyph_of(dock: TimelineDock, event_id: str) -> int:
    assert dock.workspace is not None
    assert dock.lanes is not None
    row = int(dock.workspace.document.positions("events", [event_id])[0])
    return int(np.flatnonzero(dock.lanes.row == row)[0])


def widget_point(dock: TimelineDock, x: float, y: float) -> QPoint:
    """Where a view point (time, lane) is on the graphics widget's viewport."""
    scene = dock.view_box.mapViewToScene(QPointF(x, y))
    return dock.graphics.mapFromScene(scene)


def click(qtbot: QtBot, dock: TimelineDock, x: float, y: float, ctrl: bool = False) -> None:
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(
        dock.graphics.viewport(), Qt.MouseButton.LeftButton, modifier, widget_point(dock, x, y)
    )


def click_event(qtbot: QtBot, dock: TimelineDock, event_id: str, ctrl: bool = False) -> None:
    assert dock.lanes is not None
    glyph = glyph_of(dock, event_id)
    click(qtbot, dock, float(dock.lanes.x[glyph]), float(dock.lanes.lane[glyph]), ctrl)


# -- built alone, lanes, local dates ----------------------------------------------------------
def test_dock_is_built_from_a_workspace_alone(dock: TimelineDock) -> None:
    assert dock.objectName() == "timelineDock"
    assert dock.parent() is None
    assert dock.lane_axis.names[0] == "missile test"
    assert set(dock.lane_axis.names) >= {"statement", "sanction", "anniversary", "diplomatic"}
    assert dock.mode == "glyphs"
    assert "17 events in view" in dock.status.text()


def test_seed_events_sit_in_their_lanes_at_their_local_dates(dock: TimelineDock) -> None:
    assert dock.lanes is not None
    glyph = glyph_of(dock, "A05")
    assert dock.lanes.names[dock.lanes.lane[glyph]] == "missile test"
    assert dock.axis.zone_name == "Asia/Seoul"
    shown = datetime.fromtimestamp(dock.lanes.x[glyph], ZoneInfo(dock.axis.zone_name))
    assert shown.date() == date(2022, 1, 5)  # 08:10 KST, not 4 January (UTC)
    # the axis labels that instant with the local day
    # the axis puts day ticks on local midnights and labels them with the local day
    (x0, x1), _ = dock.view_box.viewRange()
    levels = dock.axis.tickValues(x0, x1, 1200)
    spacing, ticks = levels[-1]
    assert spacing % 86400 == 0
    local = [datetime.fromtimestamp(t, KST) for t in ticks]
    assert all((m.hour, m.minute) == (0, 0) for m in local)
    assert dock.axis.tickStrings(list(ticks), 1, spacing) == [f"{m.day:02d}" for m in local]
    drawn = [item for item in dock.glyphs.scatters if item.isVisible()]
    xs = np.concatenate([item.getData()[0] for item in drawn])
    assert dock.lanes.x[glyph] in xs
    # the UTC toggle moves the axis, not the event
    assert dock.workspace is not None
    dock.workspace.set_show_utc(True)
    assert dock.axis.zone_name == "UTC"
    assert datetime.fromtimestamp(dock.lanes.x[glyph], UTC).date() == date(2022, 1, 4)
    assert dock.axis.label.toPlainText().startswith("UTC")


def test_glyph_styles_counts_bars_and_spans(dock: TimelineDock) -> None:
    assert dock.lanes is not None
    # one scatter item per lane, each lane in one shared style
    assert len([s for s in dock.glyphs.scatters if s.isVisible()]) >= 5
    assert sorted(dock.glyphs.count_labels()) == ["×2"] * 4  # Jan: 4 launches of two missiles
    dock.fit_all()  # 2017-2022: January's glyphs crowd together, so their labels give way
    dock.flush()
    assert len(dock.glyphs.count_labels()) < 4
    show_range(dock, *JANUARY_2022)
    assert dock.glyphs.bars.isVisible()  # Moon's trip (X02) has an end
    bars = dock.glyphs.bars.opts
    assert len(bars["x0"]) == 1
    assert bars["x1"][0] - bars["x0"][0] > 6 * 86400


def test_month_precision_is_a_hatched_span_not_a_point(
    qtbot: QtBot, workspace: Workspace, dock: TimelineDock
) -> None:
    row = workspace.document.row("events", "A06")
    assert row is not None
    vague = {
        **row,
        "id": "V1",
        "precision": "month",
        "start_utc": pd.Timestamp("2021-12-31T15:00:00Z"),
    }
    workspace.document.upsert("events", tables.from_records("events", [vague]))
    dock.flush()
    assert dock.lanes is not None
    glyph = glyph_of(dock, "V1")
    assert dock.lanes.kind[glyph] == tl.SPAN
    spans = dock.glyphs.spans.opts
    assert dock.glyphs.spans.isVisible()
    assert spans["x1"][0] - spans["x0"][0] == 31 * 86400
    assert spans["brushes"][0].style() == Qt.BrushStyle.BDiagPattern
    points = np.concatenate([s.getData()[0] for s in dock.glyphs.scatters if s.isVisible()])
    assert dock.lanes.x[glyph] not in points  # never a point on the 1st


def test_lanes_by_system_and_reordering_is_undoable(
    dock: TimelineDock, workspace: Workspace
) -> None:
    dock.lane_combo.setCurrentIndex(1)
    assert dock.lane_mode is tl.LaneMode.SYSTEM
    assert "KN-23" in dock.lane_axis.names
    assert dock.lane_axis.names[-1] == tl.NO_SYSTEM
    assert dock.lanes is not None
    assert dock.lanes.names[dock.lanes.lane[glyph_of(dock, "A11")]] == "KN-23"
    wanted = ["Hwasong-12", *[n for n in dock.lanes.names if n != "Hwasong-12"]]
    dock.ask_lane_order = lambda names: wanted  # type: ignore[method-assign]
    dock.order_lanes()
    assert list(dock.lane_axis.names) == wanted
    assert workspace.stack.undo_label == "Reorder timeline lanes"
    workspace.stack.undo()
    assert list(dock.lane_axis.names) != wanted
    dock.lane_combo.setCurrentIndex(0)
    assert dock.lane_axis.names[0] == "missile test"


def test_legend_lists_every_category(dock: TimelineDock) -> None:
    labels = [label.text for _, label in dock.legend.items]
    for category in ("missile test", "statement", "sanction", "anniversary"):
        assert category in labels
    assert "date known to the month or year" in labels
    dock.legend_action.trigger()
    assert not dock.legend.isVisible()


# -- linked brushing --------------------------------------------------------------------------
def test_click_ctrl_click_and_empty_click_select(qtbot: QtBot, dock: TimelineDock) -> None:
    assert dock.workspace is not None
    selection = dock.workspace.selection
    click_event(qtbot, dock, "A11")
    assert selection.ids == {"A11"}
    click_event(qtbot, dock, "A13", ctrl=True)
    assert selection.ids == {"A11", "A13"}
    click_event(qtbot, dock, "A11", ctrl=True)
    assert selection.ids == {"A13"}
    click(qtbot, dock, JANUARY_2022[0] + 3600, 3.0)  # nothing there
    assert selection.ids == frozenset()


def test_rectangle_selects_the_events_inside(dock: TimelineDock) -> None:
    assert dock.workspace is not None
    start = datetime(2022, 1, 13, tzinfo=KST).timestamp()
    end = datetime(2022, 1, 18, tzinfo=KST).timestamp()
    dock.view_box.rect_selected.emit(
        QRectF(start, -0.3, end - start, 0.6), Qt.KeyboardModifier.NoModifier
    )
    assert dock.workspace.selection.ids == {"A11", "A13"}  # the missile lane only
    dock.view_box.rect_selected.emit(
        QRectF(start, 0.7, end - start, 0.6), Qt.KeyboardModifier.ControlModifier
    )
    assert {"A11", "A13", "A10"} <= dock.workspace.selection.ids


def test_selection_round_trip_with_the_table(qtbot: QtBot, workspace: Workspace) -> None:
    table = EventTableDock(workspace)
    timeline = TimelineDock(workspace)
    for widget in (table, timeline):
        qtbot.addWidget(widget)
        widget.resize(1200, 500)
        widget.show()
    show_range(timeline, *JANUARY_2022)
    click_event(qtbot, timeline, "A08")
    rows = table.view.selectionModel().selectedRows()
    assert [table.model.event_id(r.row()) for r in rows] == ["A08"]
    # and back: the table selects, the timeline rings the event in every lane it sits in
    table.view.selectRow([table.model.event_id(r) for r in range(26)].index("A18"))
    assert workspace.selection.ids == {"A18"}
    assert timeline.lanes is not None
    assert [int(timeline.lanes.row[g]) for g in timeline.selection_layer.shown] == [
        int(workspace.document.positions("events", ["A18"])[0])
    ]
    timeline.set_lane_mode("system")
    workspace.selection.set(["A04c", "A11", "A18"])  # the three KN-23 events
    show_range(timeline, datetime(2021, 9, 1, tzinfo=UTC).timestamp(), JANUARY_2022[1])
    assert len(timeline.selection_layer.shown) == 3
    # filtering the table keeps the selection in the timeline
    workspace.set_query(EventQuery(text="KN-23"))
    assert workspace.selection.ids == {"A04c", "A11", "A18"}


def test_fit_selection_and_keyboard_zoom_and_pan(qtbot: QtBot, dock: TimelineDock) -> None:
    assert dock.workspace is not None
    dock.workspace.selection.set(["A02", "X01"])  # 2018
    dock.key_actions[1].trigger()  # Fit selection (F)
    (x0, x1), _ = dock.view_box.viewRange()
    assert datetime.fromtimestamp(x0, UTC).year == 2018
    assert datetime.fromtimestamp(x1, UTC).year == 2018
    dock.graphics.setFocus()
    width = x1 - x0
    qtbot.keyClick(dock.graphics, Qt.Key.Key_Plus)
    (y0, y1), _ = dock.view_box.viewRange()
    assert y1 - y0 == pytest.approx(width / 1.5, rel=0.01)
    qtbot.keyClick(dock.graphics, Qt.Key.Key_Right)
    (z0, _), _ = dock.view_box.viewRange()
    assert z0 > y0
    qtbot.keyClick(dock.graphics, Qt.Key.Key_Home)  # Fit all
    (a0, a1), _ = dock.view_box.viewRange()
    assert datetime.fromtimestamp(a0, UTC).year == 2017
    assert datetime.fromtimestamp(a1, UTC).year == 2022
    assert any(row[0] == "Timeline: Fit all" and row[1] == "Home" for row in dock.shortcut_rows())


# -- the time filter --------------------------------------------------------------------------
def test_region_filters_the_table_and_undoes(qtbot: QtBot, workspace: Workspace) -> None:
    table = EventTableDock(workspace)
    timeline = TimelineDock(workspace)
    for widget in (table, timeline):
        qtbot.addWidget(widget)
        widget.show()
    show_range(timeline, *JANUARY_2022)
    start = datetime(2022, 1, 10, tzinfo=KST).timestamp()
    end = datetime(2022, 1, 20, tzinfo=KST).timestamp()
    timeline.view_box.region_drawn.emit(start, end)  # an Alt-drag, or a drag in time mode
    assert timeline.region.isVisible()
    assert timeline.region.getRegion() == pytest.approx((start, end))
    shown = {table.model.event_id(r) for r in range(table.model.rowCount())}
    assert {"A08", "A11", "A13", "A15"} <= shown
    assert "A05" not in shown
    assert "A19" not in shown
    assert workspace.stack.is_clean  # a filter does not modify the project
    # dragging the region only makes a command when the drag finishes
    steps = workspace.stack.index
    later = end + 8 * 86400
    timeline.region.lines[1].setValue(later)  # what a drag does on every move
    assert timeline.region.getRegion() == pytest.approx((start, later))
    assert workspace.stack.index == steps
    timeline.region.sigRegionChangeFinished.emit(timeline.region)
    assert workspace.stack.index == steps + 1
    assert "A19" not in {table.model.event_id(r) for r in range(table.model.rowCount())}
    assert "A18" in {table.model.event_id(r) for r in range(table.model.rowCount())}
    workspace.stack.undo()
    assert workspace.time_range.end == datetime.fromtimestamp(round(end), UTC)
    assert timeline.region.getRegion()[1] == pytest.approx(end)
    workspace.stack.undo()
    assert not timeline.region.isVisible()
    assert table.model.rowCount() == 26
    workspace.stack.redo()
    assert table.model.rowCount() < 26
    # clearing the region clears the filter, as one more undoable step
    timeline.clear_time_action.trigger()
    assert not workspace.time_range.active
    assert table.model.rowCount() == 26
    assert workspace.stack.undo_label == "Clear time filter"


def test_events_outside_the_region_stay_drawn(dock: TimelineDock) -> None:
    assert dock.workspace is not None
    dock.set_time_filter(
        datetime(2022, 1, 10, tzinfo=UTC).timestamp(), datetime(2022, 1, 12, tzinfo=UTC).timestamp()
    )
    dock.flush()
    assert "17 events in view" in dock.status.text()


# -- level of detail --------------------------------------------------------------------------
def many_events(count: int) -> Document:
    start = datetime(2020, 1, 1, tzinfo=UTC).timestamp()
    seconds = start + np.arange(count, dtype=np.int64) * 600
    events = pd.DataFrame(
        {
            "id": [f"E{i}" for i in range(count)],
            "start_utc": pd.to_datetime(seconds, unit="s", utc=True).as_unit("s"),
            "precision": "time",
            "timezone": "UTC",
            "category": np.where(np.arange(count) % 3 == 0, "missile test", "statement"),
            "title": "event",
        }
    )
    return Document({"events": tables.conform("events", events)})


@pytest.mark.parametrize(
    ("count", "mode"), [(tl.DENSITY_THRESHOLD, "glyphs"), (tl.DENSITY_THRESHOLD + 1, "density")]
)
def test_level_of_detail_switches_at_the_threshold(qtbot: QtBot, count: int, mode: str) -> None:
    dock = TimelineDock(Workspace(many_events(count)))
    qtbot.addWidget(dock)
    dock.resize(1200, 500)
    dock.show()
    dock.fit_all()
    dock.flush()
    assert dock.mode == mode
    assert dock.density.visible == (mode == "density")
    if mode == "density":
        assert int(dock.density.counts.sum()) == count
        assert not any(item.isVisible() for item in dock.glyphs.scatters)
        # zoomed in, the same events are glyphs again
        (x0, x1), _ = dock.view_box.viewRange()
        middle = (x0 + x1) / 2
        show_range(dock, middle, middle + 86400 * 2)
        assert dock.mode == "glyphs"
        assert sum(len(s.getData()[0]) for s in dock.glyphs.scatters if s.isVisible()) > 0
    else:
        drawn = sum(len(s.getData()[0]) for s in dock.glyphs.scatters if s.isVisible())
        assert drawn == count


# -- count track ------------------------------------------------------------------------------
def test_count_track_reads_7_launch_days_in_january_2022(dock: TimelineDock) -> None:
    assert dock.count_track.unit == "month"
    assert dock.count_track.value_labels() == ["7"]
    assert "Launch days / month" in dock.count_track.plot.getAxis("left").labelText
    dock.measure_combo.setCurrentIndex(1)
    assert dock.count_track.value_labels() == ["11"]
    dock.unit_combo.setCurrentIndex(0)  # per day
    assert sorted(dock.count_track.value_labels()) == ["1", "1", "1", "2", "2", "2", "2"]
    january = dock.count_track.counts
    assert sum(1 for label in january["label"] if label.startswith("2022-01")) == 7


def test_count_track_tooltip_and_filter(dock: TimelineDock) -> None:
    scene = dock.count_track.plot.vb.mapViewToScene(
        QPointF(datetime(2022, 1, 15, tzinfo=UTC).timestamp(), 1.0)
    )
    text = dock.tooltip_at(scene)
    assert "2022-01" in text
    assert "7 launch days" in text
    assert "11 missiles" in text
    assert dock.workspace is not None
    dock.workspace.set_query(EventQuery(text="KN-23"))
    assert dock.count_track.value_labels() == ["2"]  # 14 and 27 January


# -- references and pins ----------------------------------------------------------------------
def test_reference_lines_and_adding_one_from_the_context_menu(dock: TimelineDock) -> None:
    assert dock.workspace is not None
    assert dock.references.labels() == ["Kim Jong-il's 80th birth anniversary"]
    when = datetime(2022, 1, 1, tzinfo=KST).timestamp()
    dock.ask_reference_label = lambda at: "New Year speech"  # type: ignore[method-assign]
    menu = dock.context_menu(QPointF(when, 1.0))
    [add] = [a for a in menu.actions() if a.text().startswith("Add reference line")]
    add.trigger()
    dock.flush()
    assert "New Year speech" in dock.references.labels()
    assert dock.workspace.stack.undo_label == "Add reference line “New Year speech”"
    menu = dock.context_menu(QPointF(when, 1.0))
    [remove] = [a for a in menu.actions() if a.text().startswith("Remove reference line")]
    remove.trigger()
    dock.flush()
    assert "New Year speech" not in dock.references.labels()
    dock.workspace.stack.undo()
    dock.flush()
    assert "New Year speech" in dock.references.labels()


def test_annotation_pins_hover_and_click(qtbot: QtBot, dock: TimelineDock) -> None:
    assert dock.workspace is not None
    assert dock.lanes is not None
    glyph = glyph_of(dock, "A06")  # N07 is about the 6 January state media report
    x, lane = float(dock.lanes.x[glyph]), float(dock.lanes.lane[glyph])
    pins = np.flatnonzero(
        np.isclose(dock.pin_layer.x, x) & np.isclose(dock.pin_layer.y, lane - 0.36)
    )
    assert len(pins) == 1
    annotation = str(dock.pins.annotation[dock.pin_layer.index[pins[0]]])
    pin_y = float(dock.pin_layer.y[pins[0]])
    text = dock.tooltip_at(dock.view_box.mapViewToScene(QPointF(x, pin_y)))
    first = dock.workspace.document.annotation(annotation).first_line
    assert first
    assert first in text.replace("&quot;", '"').replace("&#x27;", "'")
    click(qtbot, dock, x, pin_y)
    assert dock.workspace.annotation_selection.ids == {annotation}
    # A note selects what it is about in every dock (N07: the 6 January report).
    assert dock.workspace.selection.ids == {"A06"}
    assert dock.workspace.selection_follows_notes


def test_pins_follow_the_annotation_filter(dock: TimelineDock) -> None:
    """The timeline pins the notes the annotation list shows (the workspace's annotation
    filter), without knowing about the annotation dock."""
    assert dock.workspace is not None
    everything = {str(dock.pins.annotation[i]) for i in dock.pin_layer.index}
    dock.workspace.set_annotation_filter(AnnotationFilter(tag="disputed"))
    dock.flush()
    kept = {str(dock.pins.annotation[i]) for i in dock.pin_layer.index}
    assert kept == {"N14", "N16", "N17"} & everything
    assert kept
    dock.workspace.set_annotation_filter(AnnotationFilter())
    dock.flush()
    assert {str(dock.pins.annotation[i]) for i in dock.pin_layer.index} == everything


def test_pins_follow_the_filters(dock: TimelineDock) -> None:
    assert dock.workspace is not None
    everything = len(dock.pin_layer.x)
    dock.workspace.set_query(EventQuery(text="KN-23"))
    kept = {str(dock.pins.annotation[i]) for i in dock.pin_layer.index}
    assert 0 < len(dock.pin_layer.x) < everything
    a11 = dock.workspace.document.annotation
    assert all(
        any(
            t in ("event:A04c", "event:A11", "event:A18")
            for t in a11(note).to_row()["targets"].split("; ")
        )
        for note in kept
    )


def test_event_tooltip_has_times_place_systems_and_claims(dock: TimelineDock) -> None:
    text = dock.event_tooltip("A05")
    assert "2022-01-05 08:10 KST" in text
    assert "2022-01-04 23:10 UTC" in text
    assert "Jan2022-MaRV" in text
    assert "apogee &lt; 50 km (ROK MND)" in text
    assert "Place:" in text
    day = dock.event_tooltip("A06")
    assert "day precision, no UTC time" in day
    hover = dock.tooltip_at(
        dock.view_box.mapViewToScene(QPointF(float(dock.lanes.x[glyph_of(dock, "A05")]), 0.0))
    )  # type: ignore[union-attr]
    assert "First January" in hover


def test_density_tooltip_counts_events(qtbot: QtBot) -> None:
    dock = TimelineDock(Workspace(many_events(tl.DENSITY_THRESHOLD + 10)))
    qtbot.addWidget(dock)
    dock.resize(1200, 500)
    dock.show()
    dock.fit_all()
    dock.flush()
    (x0, x1), _ = dock.view_box.viewRange()
    text = dock.tooltip_at(dock.view_box.mapViewToScene(QPointF((x0 + x1) / 2, 0.0)))
    assert "events in" in text


# -- in the window ----------------------------------------------------------------------------
@pytest.fixture
def window(qtbot: QtBot, seed_copy: Path, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = create_main_window(seed_copy, settings=settings)
    qtbot.addWidget(win)
    win.files.ask_unsaved = lambda: "discard"  # type: ignore[method-assign]
    win.show()
    return win


def test_window_has_the_timeline_dock_linked_to_the_table(qtbot: QtBot, window: MainWindow) -> None:
    assert window.timeline_dock is not None
    assert window.docks["timelineDock"] is window.timeline_dock
    assert window.timeline_dock.workspace is window.workspace
    assert window.workspace is not None
    window.workspace.selection.set(["A19"])
    assert window.timeline_dock.selected.sum() == 1
    window.actions.show_utc.trigger()
    assert window.timeline_dock.axis.zone_name == "UTC"
    window.actions.shortcuts.trigger()
    from PySide6.QtWidgets import QTableWidget

    table = window.help_dialog.findChild(QTableWidget, "shortcutTable")
    actions = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "Timeline: Fit selection" in actions
    window.help_dialog.close()


class FakeDrag:
    """Stands in for pyqtgraph's MouseDragEvent at the end of a left-button drag."""

    def __init__(self, start: QPointF, end: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        self._start, self._end, self._modifiers = start, end, modifiers
        self.accepted = False

    def button(self) -> Qt.MouseButton:
        return Qt.MouseButton.LeftButton

    def modifiers(self) -> Qt.KeyboardModifier:
        return self._modifiers

    def isFinish(self) -> bool:
        return True

    def buttonDownPos(self, button: object = None) -> QPointF:
        return self._start

    def pos(self) -> QPointF:
        return self._end

    def accept(self) -> None:
        self.accepted = True


def drag(
    dock: TimelineDock,
    x0: float,
    x1: float,
    y0: float,
    y1: float,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    box = dock.view_box
    start = box.childGroup.mapToParent(QPointF(x0, y0))
    end = box.childGroup.mapToParent(QPointF(x1, y1))
    box.mouseDragEvent(FakeDrag(start, end, modifiers))
    dock.flush()


def test_drag_modes_zoom_select_and_filter(dock: TimelineDock) -> None:
    assert dock.workspace is not None
    a = datetime(2022, 1, 13, tzinfo=KST).timestamp()
    b = datetime(2022, 1, 18, tzinfo=KST).timestamp()
    drag(dock, a, b, -0.3, 0.3, Qt.KeyboardModifier.ShiftModifier)  # Shift: select in any mode
    assert dock.workspace.selection.ids == {"A11", "A13"}
    dock.drag_actions["time"].trigger()
    drag(dock, a, b, 0, 3)
    assert dock.workspace.time_range.start == datetime.fromtimestamp(round(a), UTC)
    assert dock.region.isVisible()
    dock.drag_actions["zoom"].trigger()
    drag(dock, a, b, 0, 3)  # rubber band
    (x0, x1), _ = dock.view_box.viewRange()
    assert (x0, x1) == pytest.approx((a, b))
    dock.set_drag_mode("pan")
    assert dock.view_box.drag_mode == "pan"


def test_wheel_zooms_time_only(qtbot: QtBot, dock: TimelineDock) -> None:
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    (x0, x1), (y0, y1) = dock.view_box.viewRange()
    centre = widget_point(dock, (x0 + x1) / 2, 2.0)
    event = QWheelEvent(
        QPointF(centre),
        QPointF(dock.graphics.viewport().mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(dock.graphics.viewport(), event)
    (z0, z1), (w0, w1) = dock.view_box.viewRange()
    assert z1 - z0 < (x1 - x0) * 0.9  # zoomed in on time
    assert (w0, w1) == pytest.approx((y0, y1))  # the lanes stay put


def test_hover_is_rate_limited(dock: TimelineDock) -> None:
    from workstation.ui.timeline.dock import HOVER_RATE

    assert dock._hover_proxy.rateLimit == HOVER_RATE <= 30


def test_first_frame_comes_before_pins_references_and_counts(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """A load draws every event at once; the details follow on the next turn of the loop."""
    dock = TimelineDock()
    qtbot.addWidget(dock)
    dock.show()
    dock.set_workspace(workspace)
    assert dock.lanes is not None
    assert len(dock.lanes) == 26
    assert len(dock.pin_layer.x) == 0
    assert dock.count_track.value_labels() == []
    qtbot.waitUntil(lambda: len(dock.pin_layer.x) > 0, timeout=2000)
    assert dock.reference_index.count(-1e12, 1e12) == 2  # A20 and A21
    assert dock.count_track.counts["launch_days"].sum() == 12


def test_axis_ticks_stay_on_local_midnights_across_daylight_saving(qtbot: QtBot) -> None:
    from workstation.ui.timeline.axis import ZonedDateAxis

    axis = ZonedDateAxis("bottom")
    axis.set_zone("America/New_York")
    assert axis.label.toPlainText().strip() == "America/New_York"  # no EST on a summer view
    new_york = ZoneInfo("America/New_York")
    start = datetime(2022, 3, 1, tzinfo=new_york).timestamp()
    end = datetime(2022, 3, 31, tzinfo=new_york).timestamp()
    from PySide6.QtGui import QFont, QFontMetrics

    axis.fontMetrics = QFontMetrics(QFont())  # pyqtgraph sets it when it first paints
    for spacing, ticks in axis.tickValues(start, end, 2000):
        if spacing < 86400:
            continue
        local = [datetime.fromtimestamp(t, new_york) for t in ticks]
        assert all((m.hour, m.minute) == (0, 0) for m in local)
        days = [m.day for m in local]
        assert len(days) == len(set(days))  # no day twice
        assert axis.tickStrings(list(ticks), 1, spacing) == [f"{d:02d}" for d in days]
        if spacing == 86400:
            assert 13 in days  # the day the clocks change is there
    seoul = ZonedDateAxis("bottom")
    seoul.set_zone("Asia/Seoul")
    assert seoul.label.toPlainText().strip() == "Asia/Seoul (KST)"


# -- found on a second read -----------------------------------------------------------------
def test_deleting_a_selected_event_and_undoing_an_add_with_the_timeline_open(
    window: MainWindow,
) -> None:
    workspace = window.workspace
    assert workspace is not None
    assert window.timeline_dock is not None
    workspace.selection.set(["A19"])
    window.editing.delete_events()
    assert len(workspace.document.events) == 25
    assert workspace.stack.can_undo
    assert not workspace.stack.is_clean
    assert window.event_dock is not None
    assert window.event_dock.model.rowCount() == 25
    assert window.timeline_dock.lanes is not None
    assert len(window.timeline_dock.lanes) == 25
    workspace.stack.undo()
    assert len(window.timeline_dock.lanes) == 26
    workspace.selection.set(["A20"])
    workspace.stack.redo()  # the redo deletes A19 again, while A20 stays selected
    assert window.event_dock.model.rowCount() == 25
    assert workspace.selection.ids == {"A20"}


def test_the_utc_toggle_and_clear_filters_keep_the_time_filter_undoable(
    window: MainWindow,
) -> None:
    workspace = window.workspace
    timeline = window.timeline_dock
    assert workspace is not None
    assert timeline is not None
    assert window.filter_bar is not None
    timeline.set_time_filter(
        datetime(2022, 1, 10, tzinfo=UTC).timestamp(), datetime(2022, 1, 20, tzinfo=UTC).timestamp()
    )
    shown = workspace.visible_count()
    assert window.filter_bar.use_dates.isChecked()  # the filter bar shows it
    assert window.filter_bar.date_from.date().day() == 10
    window.actions.show_utc.trigger()
    assert workspace.time_range.active
    assert workspace.visible_count() == shown
    window.actions.clear_filter.trigger()
    assert not workspace.time_range.active
    assert workspace.stack.undo_label == "Clear time filter"
    workspace.stack.undo()
    assert workspace.time_range.active
    assert timeline.region.isVisible()


def test_zooming_out_stops_at_the_ends_of_the_calendar(dock: TimelineDock) -> None:
    for _ in range(80):
        dock.zoom(3)
    (x0, x1), _ = dock.view_box.viewRange()
    assert x0 >= -62135596800.0 - 1
    assert x1 <= 253402300799.0 + 1
    dock.set_time_filter(x0 - 1e12, x1 + 1e12)  # clamped, never an OverflowError
    assert dock.workspace is not None
    assert dock.workspace.time_range.start is not None
    assert dock.workspace.time_range.start.year == 1
    for _ in range(80):
        dock.zoom(1 / 3)
    (x0, x1), _ = dock.view_box.viewRange()
    assert x1 - x0 >= 59


def test_hidden_selected_events_get_no_ring(dock: TimelineDock) -> None:
    assert dock.workspace is not None
    dock.workspace.set_query(EventQuery(categories=frozenset({"statement"})))
    dock.workspace.selection.set(["A11", "A13", "A19"])
    dock.flush()
    assert len(dock.selection_layer.shown) == 0
    dock.workspace.selection.set(["A11", "A06"])
    dock.flush()
    assert len(dock.selection_layer.shown) == 1


def test_a_click_in_a_density_keeps_the_selection(qtbot: QtBot) -> None:
    workspace = Workspace(many_events(tl.DENSITY_THRESHOLD + 1))
    dock = TimelineDock(workspace)
    qtbot.addWidget(dock)
    dock.resize(1200, 500)
    dock.show()
    dock.fit_all()
    dock.flush()
    workspace.selection.set(["E5"])
    (x0, x1), _ = dock.view_box.viewRange()
    click(qtbot, dock, (x0 + x1) / 2, 0.0)
    assert workspace.selection.ids == {"E5"}


def test_deleting_an_annotation_drops_it_from_the_annotation_selection(
    dock: TimelineDock,
) -> None:
    assert dock.workspace is not None
    workspace = dock.workspace
    workspace.annotation_selection.set(["N02"])
    before = len(dock.pin_layer.x)
    workspace.document.delete("annotations", ["N02"])
    assert workspace.annotation_selection.ids == frozenset()
    assert len(dock.pin_layer.x) < before  # its pins are gone too
