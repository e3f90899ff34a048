"""The event table dock, built alone from a workspace."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from workstation.model.document import Document
from workstation.model.query import EventQuery
from workstation.model.workspace import Workspace
from workstation.ui.event_table_dock import EventTableDock
from workstation.ui.event_table_model import COLUMNS, KEYS, format_time


@pytest.fixture
def dock(qtbot: QtBot, seed_document: Document) -> EventTableDock:
    widget = EventTableDock(Workspace(seed_document))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def ids_in_view(dock: EventTableDock) -> list[str]:
    return [dock.model.event_id(r) for r in range(dock.model.rowCount())]


def text(dock: EventTableDock, event_id: str, key: str) -> str:
    row = ids_in_view(dock).index(event_id)
    return str(dock.model.data(dock.model.index(row, KEYS.index(key))))


def test_dock_is_built_from_a_workspace_alone(dock: EventTableDock) -> None:
    assert dock.objectName() == "eventTableDock"
    assert dock.model.rowCount() == 26
    assert ids_in_view(dock)[0] == "A01"  # sorted by time


def test_local_time_by_default_and_utc_toggle(dock: EventTableDock) -> None:
    assert text(dock, "A05", "time") == "2022-01-05 08:10 KST"
    assert dock.workspace is not None
    dock.workspace.set_show_utc(True)
    assert text(dock, "A05", "time") == "2022-01-04 23:10 UTC"
    assert dock.model.headerData(0, Qt.Orientation.Horizontal) == "Time (UTC)"


def test_month_precision_is_shown_as_a_month() -> None:
    assert format_time(1640962800, "month", "Asia/Seoul", utc=False) == "2022-01"
    assert format_time(1640962800, "year", "Asia/Seoul", utc=False) == "2022"
    assert format_time(1640962800, "month", "Asia/Seoul", utc=True) == "—"


def test_category_swatches_and_counts(dock: EventTableDock) -> None:
    row = ids_in_view(dock).index("A08")
    icon = dock.model.data(
        dock.model.index(row, KEYS.index("category")), Qt.ItemDataRole.DecorationRole
    )
    assert icon is not None
    assert not icon.isNull()
    assert int(text(dock, "A08", "measurements")) >= 6  # the 11 January claims
    assert int(text(dock, "A08", "annotations")) >= 2
    assert text(dock, "A01", "measurements") == ""
    assert text(dock, "A11", "missile_count") == "2"


def test_sort_is_stable_in_both_directions(dock: EventTableDock) -> None:
    header = dock.view.horizontalHeader()
    header.setSortIndicator(KEYS.index("category"), Qt.SortOrder.AscendingOrder)
    ascending = ids_in_view(dock)
    categories = [text(dock, i, "category") for i in ascending]
    assert categories == sorted(categories)
    launches = [i for i in ascending if text(dock, i, "category") == "missile test"]
    assert launches == sorted(launches, key=lambda i: ascending.index(i))
    by_time = [i for i in ids_in_view(dock)]
    header.setSortIndicator(KEYS.index("category"), Qt.SortOrder.DescendingOrder)
    descending = ids_in_view(dock)
    assert [text(dock, i, "category") for i in descending] == sorted(categories, reverse=True)
    # ties keep their previous (time) order in descending sorts too
    desc_launches = [i for i in descending if text(dock, i, "category") == "missile test"]
    assert desc_launches == [i for i in by_time if i in desc_launches]


def test_column_chooser_hides_and_shows(dock: EventTableDock) -> None:
    menu = dock.column_menu()
    summary = next(a for a in menu.actions() if a.text() == "Summary")
    assert not summary.isChecked()
    summary.setChecked(True)
    assert not dock.view.isColumnHidden(KEYS.index("summary"))
    assert len(menu.actions()) == len(COLUMNS)


def test_selection_round_trip_survives_sort_and_filter(dock: EventTableDock) -> None:
    workspace = dock.workspace
    assert workspace is not None
    view = dock.view
    row = ids_in_view(dock).index("A11")
    view.selectionModel().select(
        dock.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert workspace.selection.ids == {"A11"}
    dock.view.horizontalHeader().setSortIndicator(KEYS.index("title"), Qt.SortOrder.AscendingOrder)
    selected_rows = {i.row() for i in view.selectionModel().selectedRows()}
    assert {dock.model.event_id(r) for r in selected_rows} == {"A11"}
    workspace.set_query(EventQuery(systems=frozenset({"KN-23"})))
    assert dock.model.rowCount() == 3
    assert {dock.model.event_id(i.row()) for i in view.selectionModel().selectedRows()} == {"A11"}
    workspace.set_query(EventQuery(categories=frozenset({"statement"})))
    assert view.selectionModel().selectedRows() == []
    assert workspace.selection.ids == {"A11"}  # hidden, not forgotten
    workspace.set_query(EventQuery())
    assert {dock.model.event_id(i.row()) for i in view.selectionModel().selectedRows()} == {"A11"}


def test_core_selection_selects_and_scrolls(dock: EventTableDock) -> None:
    assert dock.workspace is not None
    dock.resize(600, 120)
    dock.workspace.selection.set(["A21", "A20"])
    rows = {dock.model.event_id(i.row()) for i in dock.view.selectionModel().selectedRows()}
    assert rows == {"A20", "A21"}
    assert dock.view.verticalScrollBar().value() > 0


def test_inline_edit_is_an_undoable_command(dock: EventTableDock) -> None:
    workspace = dock.workspace
    assert workspace is not None
    row = ids_in_view(dock).index("A19")
    index = dock.model.index(row, KEYS.index("title"))
    assert dock.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert dock.model.setData(index, "Hwasong-12 launch")
    assert workspace.document.event("A19").title == "Hwasong-12 launch"
    assert (
        workspace.stack.undo_label == "Edit title of 'Hwasong-12 IRBM fired on a lofted trajectory'"
    )
    workspace.stack.undo()
    assert workspace.document.event("A19").title == "Hwasong-12 IRBM fired on a lofted trajectory"
    count = dock.model.index(ids_in_view(dock).index("A19"), KEYS.index("missile_count"))
    assert not dock.model.setData(count, "two")  # refused, nothing pushed
    assert not dock.model.setData(dock.model.index(0, KEYS.index("title")), "")
    assert dock.model.setData(count, "3")
    assert workspace.document.event("A19").missile_count == 3
    assert not dock.model.flags(dock.model.index(0, KEYS.index("time"))) & (
        Qt.ItemFlag.ItemIsEditable
    )


def test_keyboard_navigation_selects(dock: EventTableDock, qtbot: QtBot) -> None:
    assert dock.workspace is not None
    dock.view.setFocus()
    dock.view.setCurrentIndex(dock.model.index(0, 0))
    qtbot.keyClick(dock.view, Qt.Key.Key_Down)
    assert dock.workspace.selection.ids == {ids_in_view(dock)[1]}
    qtbot.keyClick(dock.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert dock.workspace.selection.ids == set(ids_in_view(dock)[1:3])


def test_inline_edits_match_the_form(dock: EventTableDock) -> None:
    """A missing missile count can be set; each edit is its own undo step; aliases become ids."""
    workspace = dock.workspace
    assert workspace is not None
    count = dock.model.index(ids_in_view(dock).index("A01"), KEYS.index("missile_count"))
    assert dock.model.setData(count, "1")
    assert workspace.document.event("A01").missile_count == 1
    assert workspace.stack.undo_label.startswith("Edit missile count of")
    title = dock.model.index(ids_in_view(dock).index("A01"), KEYS.index("title"))
    assert dock.model.setData(title, "First")
    assert dock.model.setData(title, "Second")
    assert len(workspace.stack.labels()) == 3
    workspace.stack.undo()
    assert workspace.document.event("A01").title == "First"
    systems = dock.model.index(ids_in_view(dock).index("A01"), KEYS.index("systems"))
    assert dock.model.setData(systems, "KN-17; Hwasong-11A")
    assert workspace.document.event("A01").systems == ("Hwasong-12", "KN-23")


def test_ctrl_click_keeps_selected_events_the_filter_hides(
    dock: EventTableDock, qtbot: QtBot
) -> None:
    workspace = dock.workspace
    assert workspace is not None
    workspace.selection.set(["A05", "A11"])
    workspace.set_query(EventQuery(systems=frozenset({"KN-23"})))
    rect = dock.view.visualRect(dock.model.index(ids_in_view(dock).index("A18"), 2))
    qtbot.mouseClick(
        dock.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        rect.center(),
    )
    assert workspace.selection.ids == {"A05", "A11", "A18"}


def test_enter_opens_the_form_and_double_click_edits_in_place(
    dock: EventTableDock, qtbot: QtBot
) -> None:
    asked: list[str] = []
    dock.edit_requested.connect(asked.append)
    row = ids_in_view(dock).index("A05")
    dock.view.setFocus()
    dock.view.setCurrentIndex(dock.model.index(row, KEYS.index("title")))
    qtbot.keyClick(dock.view, Qt.Key.Key_Return)
    assert asked == ["A05"]
    triggers = dock.view.editTriggers()
    assert triggers & dock.view.EditTrigger.DoubleClicked  # simple cells edit in place
    dock.view.doubleClicked.emit(dock.model.index(row, KEYS.index("title")))
    assert asked == ["A05"]  # an editable cell: no form
    dock.view.doubleClicked.emit(dock.model.index(row, KEYS.index("time")))
    assert asked == ["A05", "A05"]
