"""The main window: docks, layout, files, prompts, saved views, help, and the whole journey."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QDockWidget
from pytestqt.qtbot import QtBot

from workstation import store
from workstation.app import create_main_window
from workstation.ui.main_window import MainWindow


def answer(window: MainWindow, reply: str) -> list[str]:
    asked: list[str] = []

    def ask() -> str:
        asked.append("unsaved")
        return reply

    window.files.ask_unsaved = ask  # type: ignore[method-assign]
    return asked


def edit_title(window: MainWindow, event_id: str, title: str) -> None:
    from workstation.model.commands import EditFields

    assert window.workspace is not None
    window.workspace.stack.push(
        EditFields(window.workspace.document, "events", event_id, {"title": title})
    )


def test_factory_uses_the_running_application(window: MainWindow) -> None:
    assert QApplication.instance() is not None
    assert len(QApplication.topLevelWidgets()) >= 1
    assert window.workspace is not None
    assert len(window.workspace.document) == 26
    assert "January 2022" in window.windowTitle()


def test_docks_have_stable_names_and_a_view_menu(window: MainWindow) -> None:
    dock = window.findChild(QDockWidget, "eventTableDock")
    assert dock is not None
    features = dock.features()
    for feature in (
        QDockWidget.DockWidgetFeature.DockWidgetMovable,
        QDockWidget.DockWidgetFeature.DockWidgetFloatable,
        QDockWidget.DockWidgetFeature.DockWidgetClosable,
    ):
        assert features & feature
    toggle = next(a for a in window.panels_menu.actions() if a.text() == "Events")
    toggle.trigger()
    assert not dock.isVisible()
    window.actions.reset_layout.trigger()
    assert dock.isVisible()


def test_layout_is_saved_and_restored(qtbot: QtBot, seed_copy: Path, settings: QSettings) -> None:
    first = create_main_window(seed_copy, settings=settings)
    qtbot.addWidget(first)
    first.show()
    dock = first.docks["eventTableDock"]
    dock.setFloating(True)
    first.resize(700, 500)  # within the offscreen screen (800x600): geometry is clamped to it
    size = first.size()
    first.close()
    assert settings.value("window/state") is not None
    second = create_main_window(seed_copy, settings=settings)
    qtbot.addWidget(second)
    second.show()
    assert second.docks["eventTableDock"].isFloating()
    assert second.size() == size


def test_a_stale_layout_falls_back_to_the_default(
    qtbot: QtBot, seed_copy: Path, settings: QSettings
) -> None:
    first = create_main_window(seed_copy, settings=settings)
    qtbot.addWidget(first)
    first.docks["eventTableDock"].setFloating(True)
    first.close()
    settings.setValue("window/docks", "eventTableDock,retiredDock")  # saved with other docks
    second = create_main_window(seed_copy, settings=settings)
    qtbot.addWidget(second)
    assert not second.docks["eventTableDock"].isFloating()
    settings.setValue("window/state", b"garbage")
    third = create_main_window(seed_copy, settings=settings)
    qtbot.addWidget(third)
    assert not third.docks["eventTableDock"].isFloating()


def test_title_shows_modified_marker_and_undo_labels(window: MainWindow) -> None:
    assert not window.isWindowModified()
    edit_title(window, "A05", "First MaRV launch")
    assert window.isWindowModified()
    assert window.actions.undo.text() == "&Undo Edit title of A05"
    window.actions.undo.trigger()
    assert not window.isWindowModified()
    window.actions.redo.trigger()
    assert window.workspace is not None
    assert window.workspace.document.event("A05").title == "First MaRV launch"


@pytest.mark.parametrize("reply", ["save", "discard", "cancel"])
def test_unsaved_changes_prompt_on_close(window: MainWindow, seed_copy: Path, reply: str) -> None:
    edit_title(window, "A05", "Changed")
    asked = answer(window, reply)
    closed = window.close()
    assert asked == ["unsaved"]
    assert closed == (reply != "cancel")
    saved_title = store.load(seed_copy).event("A05").title
    assert (saved_title == "Changed") == (reply == "save")


def test_unsaved_prompt_on_open_and_new(
    window: MainWindow, tmp_path: Path, seed_copy: Path
) -> None:
    other = tmp_path / "other.wsproj"
    shutil.copyfile(seed_copy, other)
    edit_title(window, "A05", "Changed")
    asked = answer(window, "cancel")
    assert not window.files.open(other)
    assert window.workspace is not None
    assert window.workspace.document.path == seed_copy
    assert not window.actions.new.trigger()
    assert asked == ["unsaved", "unsaved"]
    answer(window, "discard")
    assert window.files.open(other)
    assert window.workspace.document.path == other
    assert not window.isWindowModified()


def test_save_as_new_and_recent(window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "copy.wsproj"
    window.files.ask_save_path = lambda: target  # type: ignore[method-assign]
    assert window.files.save_as()
    assert target.exists()
    assert window.files.recent()[0] == target.absolute()
    assert window.recent_menu.actions()[0].text() == "copy.wsproj"
    window.actions.new.trigger()
    assert window.workspace is not None
    assert len(window.workspace.document) == 0
    window.recent_menu.actions()[0].trigger()
    assert window.workspace.document.path == target


def test_revert_reloads_the_file(window: MainWindow) -> None:
    edit_title(window, "A05", "Changed")
    window.files.ask_revert = lambda: True  # type: ignore[method-assign]
    window.actions.revert.trigger()
    assert window.workspace is not None
    assert window.workspace.document.event("A05").title != "Changed"
    assert not window.isWindowModified()


def test_errors_show_one_sentence_and_change_nothing(
    window: MainWindow, tmp_path: Path, seed_copy: Path
) -> None:
    bad = tmp_path / "bad.wsproj"
    bad.write_text("not a project")
    assert window.workspace is not None
    before = window.workspace
    assert not window.files.open_path(bad)
    assert window.workspace is before
    assert "not a SQLite database" in window.error_box.text()
    assert "\n" not in window.error_box.text()
    window.error_box.close()
    edit_title(window, "A05", "Changed")
    window.files.ask_save_path = lambda: tmp_path / "missing" / "x.wsproj"  # type: ignore
    failures: list[str] = []
    window.files.ask_save_failed = lambda error: failures.append(str(error)) or False  # type: ignore
    assert not window.files.save_as()
    assert len(failures) == 1
    assert "folder is no longer there" in failures[0]
    assert "\n" not in failures[0]
    assert window.isWindowModified()
    assert window.workspace.document.event("A05").title == "Changed"


def test_dropping_a_project_opens_it(window: MainWindow, tmp_path: Path, seed_copy: Path) -> None:
    other = tmp_path / "dropped.wsproj"
    shutil.copyfile(seed_copy, other)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(other))])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert window.workspace is not None
    assert window.workspace.document.path == other


def test_status_bar_counts(window: MainWindow) -> None:
    assert window.counts.text() == "26 shown / 26 events · 0 selected"
    assert window.filter_bar is not None
    assert window.workspace is not None
    window.filter_bar.set_query_text('category:"missile test"')
    window.workspace.selection.set(["A05", "A08"])
    assert window.counts.text() == "12 shown / 26 events · 2 selected"
    window.actions.select_all.trigger()
    assert window.counts.text() == "12 shown / 26 events · 12 selected"


def test_bad_query_shows_inline_error_and_keeps_the_filter(window: MainWindow) -> None:
    assert window.filter_bar is not None
    assert window.workspace is not None
    window.filter_bar.set_query_text("system:KN-23")
    assert window.workspace.visible_count() == 3
    window.filter_bar.set_query_text('system:"KN-23')
    assert window.filter_bar.error.isVisibleTo(window.filter_bar)
    assert "quote" in window.filter_bar.error.text()
    assert window.workspace.visible_count() == 3


def test_category_toggles_and_dates_filter_every_view(window: MainWindow) -> None:
    bar = window.filter_bar
    assert bar is not None
    assert window.workspace is not None
    bar.category_buttons["anniversary"].setChecked(True)
    assert window.workspace.visible_count() == 2
    bar.category_buttons["anniversary"].setChecked(False)
    from PySide6.QtCore import QDate

    bar.date_from.setDate(QDate(2022, 1, 14))
    bar.date_to.setDate(QDate(2022, 1, 14))
    bar.use_dates.setChecked(True)
    assert window.workspace.visible_count() == 2  # the statement and the launch of 14 January
    window.actions.clear_filter.trigger()
    assert window.workspace.visible_count() == 26


def test_saved_views_are_stored_in_the_project(window: MainWindow, seed_copy: Path) -> None:
    assert window.filter_bar is not None
    assert window.workspace is not None
    window.filter_bar.set_query_text("system:KN-23 after:2022-01-01")
    window.views.ask_name = lambda: "KN-23 in 2022"  # type: ignore[method-assign]
    window.actions.save_view.trigger()
    assert [a.text() for a in window.views_menu.actions()] == ["KN-23 in 2022"]
    window.actions.save.trigger()
    window.actions.clear_filter.trigger()
    assert window.workspace.visible_count() == 26
    window.views_menu.actions()[0].trigger()
    assert window.workspace.visible_count() == 2
    assert "view:KN-23 in 2022" in store.load(seed_copy).meta
    window.workspace.stack.undo()
    assert window.views_menu.actions() == []


def test_help_dialogs(window: MainWindow) -> None:
    window.actions.about.trigger()
    text = window.help_dialog.findChild(object, "aboutText").toPlainText()  # type: ignore
    assert "Workstation 0.1.0" in text
    assert "pandas" in text
    assert "PySide6" in text
    window.help_dialog.close()
    window.actions.shortcuts.trigger()
    table = window.help_dialog.findChild(object, "shortcutTable")  # type: ignore
    shortcuts = {table.item(r, 0).text() for r in range(table.rowCount())}
    assert {"Undo", "Redo", "Save", "Show Times in UTC", "Keyboard Shortcuts"} <= shortcuts
    window.help_dialog.close()
    window.actions.query_help.trigger()
    window.help_dialog.close()


def test_history_lists_the_stack_and_jumps(window: MainWindow) -> None:
    edit_title(window, "A05", "one")
    window.workspace.stack.close_merge()  # type: ignore[union-attr]
    edit_title(window, "A05", "two")
    window.actions.history.trigger()
    dialog = window.history_dialog
    assert dialog.list.count() == 3
    dialog.list.itemActivated.emit(dialog.list.item(0))
    assert window.workspace is not None
    assert window.workspace.document.event("A05").title.startswith("First January")
    dialog.close()


def test_the_whole_journey(window: MainWindow, seed_copy: Path, qtbot: QtBot) -> None:
    """Open the seed, filter to KN-23, select the 14 January event, edit its summary, undo,
    redo, save, reopen: the edit is there."""
    workspace = window.workspace
    assert workspace is not None
    assert window.filter_bar is not None
    assert window.event_dock is not None
    qtbot.keyClicks(window.filter_bar.search, "system:KN-23")
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Return)
    model = window.event_dock.model
    shown = [model.event_id(r) for r in range(model.rowCount())]
    assert shown == ["A04c", "A11", "A18"]
    view = window.event_dock.view
    rect = view.visualRect(model.index(shown.index("A11"), 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert workspace.selection.ids == {"A11"}
    before = workspace.document.event("A11")
    new_summary = "Two KN-23 from a train near Uiju; JCS: ~430 km, apogee ~36 km."
    window.editing.run_event_dialog = lambda event, duplicate=False: dataclasses.replace(  # type: ignore
        event, summary=new_summary
    )
    window.actions.edit_event.trigger()
    assert workspace.document.event("A11").summary == new_summary
    assert workspace.stack.undo_label == f"Edit summary of '{before.title}'"
    window.actions.undo.trigger()
    assert workspace.document.event("A11").summary == before.summary
    window.actions.redo.trigger()
    assert workspace.document.event("A11").summary == new_summary
    window.actions.save.trigger()
    assert not window.isWindowModified()
    window.close()
    reopened = create_main_window(seed_copy, settings=window.settings)
    qtbot.addWidget(reopened)
    assert reopened.workspace is not None
    assert reopened.workspace.document.event("A11").summary == new_summary


def test_the_real_event_form_opens_from_the_window(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workstation.ui.event_dialog import EventDialog

    seen: list[EventDialog] = []

    def fake_exec(dialog: EventDialog) -> int:
        seen.append(dialog)
        return int(EventDialog.DialogCode.Rejected)

    monkeypatch.setattr(EventDialog, "exec", fake_exec)
    assert window.workspace is not None
    window.workspace.selection.set(["A05"])
    window.actions.edit_event.trigger()
    assert len(seen) == 1
    assert seen[0].parent() is window
    assert not window.isWindowModified()  # cancelled: nothing changed


def test_dates_in_the_filter_follow_the_utc_toggle(window: MainWindow) -> None:
    from PySide6.QtCore import QDate

    bar = window.filter_bar
    assert bar is not None
    assert window.workspace is not None
    bar.date_from.setDate(QDate(2022, 1, 5))
    bar.date_to.setDate(QDate(2022, 1, 5))
    bar.use_dates.setChecked(True)
    shown = set(window.workspace.document.events["id"][window.workspace.visible_mask()])
    assert "A05" in shown  # 5 January in Korea
    window.actions.show_utc.setChecked(True)
    shown = set(window.workspace.document.events["id"][window.workspace.visible_mask()])
    assert "A05" not in shown  # 08:10 KST is 4 January in UTC
    assert "A06" in shown


def test_opening_a_project_resets_the_filters_and_history(window: MainWindow) -> None:
    bar = window.filter_bar
    assert bar is not None
    assert window.workspace is not None
    bar.set_query_text("system:KN-23")
    bar.category_buttons["missile test"].setChecked(True)
    bar.use_dates.setChecked(True)
    edit_title(window, "A05", "x")
    window.actions.history.trigger()
    window.files.ask_revert = lambda: True  # type: ignore[method-assign]
    window.actions.revert.trigger()
    assert bar.search.text() == ""
    assert not bar.use_dates.isChecked()
    assert not any(b.isChecked() for b in bar.category_buttons.values())
    assert window.workspace.visible_count() == 26
    assert window.history_dialog is None


def test_saved_views_keep_the_date_range(window: MainWindow) -> None:
    from PySide6.QtCore import QDate

    bar = window.filter_bar
    assert bar is not None
    assert window.workspace is not None
    bar.date_from.setDate(QDate(2022, 1, 14))
    bar.date_to.setDate(QDate(2022, 1, 17))
    bar.use_dates.setChecked(True)
    window.views.ask_name = lambda: "mid-January"  # type: ignore[method-assign]
    window.actions.save_view.trigger()
    window.actions.clear_filter.trigger()
    assert window.workspace.visible_count() == 26
    window.views_menu.actions()[0].trigger()
    shown = set(window.workspace.document.events["id"][window.workspace.visible_mask()])
    assert {"A10", "A11", "A12", "A13"} <= shown
    assert "A08" not in shown


def test_start_up_without_a_project_gives_an_empty_window(
    qtbot: QtBot, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workstation import paths

    def refuse() -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(paths, "user_seed_copy", refuse)
    monkeypatch.setattr(paths, "last_project", lambda: None)
    win = create_main_window(None, settings=settings)
    qtbot.addWidget(win)
    assert win.workspace is not None
    assert len(win.workspace.document) == 0
    assert "Permission denied" in win.error_box.text()
    win.error_box.close()
    win.files.ask_save_path = lambda: None  # type: ignore[method-assign]
    assert not win.files.save()  # a never-saved project asks for a path; cancelled


def test_a_failing_last_project_note_does_not_fail_the_save(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workstation import paths

    def refuse(_: Path) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(paths, "remember_project", refuse)
    edit_title(window, "A05", "x")
    assert window.files.save()
    assert not window.isWindowModified()


def test_save_on_close_of_a_never_saved_project_then_cancel_keeps_it(window: MainWindow) -> None:
    window.actions.new.trigger()
    edit_title_new = window.workspace
    assert edit_title_new is not None
    window.editing.run_event_dialog = lambda event, duplicate=False: None  # type: ignore
    from tests.helpers import event_rows
    from workstation.model.commands import UpsertRows

    edit_title_new.stack.push(UpsertRows("events", event_rows(1)))
    answer(window, "save")
    window.files.ask_save_path = lambda: None  # type: ignore[method-assign]
    assert not window.close()  # Save As was cancelled: the window stays, changes kept
    assert window.isWindowModified()
    assert len(edit_title_new.document) == 1
