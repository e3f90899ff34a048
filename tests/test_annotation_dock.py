"""The annotation dock: list, editor, history, undo, safety and linking with the other docks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from workstation import store
from workstation.model.annotation_commands import MERGE_WINDOW, EditAnnotation
from workstation.model.annotations import Confidence, Target, TargetKind
from workstation.model.document import Document
from workstation.model.query import EventQuery
from workstation.model.workspace import Workspace
from workstation.store import project_file
from workstation.ui.annotations import AnnotationDock
from workstation.ui.event_table_model import COLUMNS
from workstation.ui.main_window import MainWindow
from workstation.ui.preferences import AUTHOR_KEY

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves: edits a few seconds apart merge, a long pause does not."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def dock(qtbot: QtBot, seed_document: Document, clock: Clock) -> AnnotationDock:
    dock = AnnotationDock(Workspace(seed_document))
    dock.author = lambda: "ana"
    dock.now = clock
    qtbot.addWidget(dock)
    dock.resize(520, 900)
    dock.show()
    return dock


def ws(dock: AnnotationDock) -> Workspace:
    assert dock.workspace is not None
    return dock.workspace


def choose(dock: AnnotationDock, *ids: str) -> None:
    """Choose notes in the list, as a click (and Ctrl-clicks) would."""
    model = dock.view.selectionModel()
    model.clearSelection()
    for annotation_id in ids:
        row = dock.model.row_of(annotation_id)
        assert row >= 0, f"{annotation_id} is not listed"
        model.select(
            dock.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def type_body(qtbot: QtBot, dock: AnnotationDock, text: str) -> None:
    dock.editor.body.setFocus()
    dock.editor.body.moveCursor(dock.editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(dock.editor.body, text)


# -- built alone, listing and filtering --------------------------------------------------------
def test_the_dock_is_built_from_a_workspace_alone(dock: AnnotationDock) -> None:
    assert dock.objectName() == "annotationDock"
    assert len(dock.listed_ids()) == 17
    assert dock.count.text() == "17 of 17 notes"
    assert dock.editor.hint.isVisible()  # nothing chosen yet: a hint, not an empty form
    assert not dock.editor.form.isVisible()


def test_filter_by_text_tag_author_and_target(dock: AnnotationDock) -> None:
    dock.tag.setCurrentIndex(dock.tag.findData("disputed"))
    dock.tag.activated.emit(dock.tag.currentIndex())
    assert set(dock.listed_ids()) == {"N14", "N16", "N17"}
    assert ws(dock).annotation_filter.tag == "disputed"  # shared: the timeline pins these
    dock.search.setText("exaggerated")
    assert dock.listed_ids() == ["N17"]
    dock.search.clear()
    dock.tag.setCurrentIndex(0)
    dock.tag.activated.emit(0)
    dock.target.setText("A19")
    assert set(dock.listed_ids()) == {"N04", "N06", "N13"}
    dock.target.clear()
    index = dock.author_filter.findData("nobody")
    assert index == -1
    seed_author = dock.author_filter.itemData(1)
    dock.author_filter.setCurrentIndex(1)
    dock.author_filter.activated.emit(1)
    assert dock.listed_ids()
    assert all(ws(dock).document.annotation(i).author == seed_author for i in dock.listed_ids())


def test_sort_by_created_modified_and_target_date(dock: AnnotationDock) -> None:
    dock.sort.setCurrentIndex(dock.sort.findData("target date"))
    dock.sort.activated.emit(dock.sort.currentIndex())
    dock.descending.setChecked(False)  # earliest first
    listed = dock.listed_ids()
    # N02 and N03 are about 2018 events; the note on the project (undated) comes last.
    assert listed[-1] == "N01"
    assert listed.index("N02") < listed.index("N17") < listed.index("N13")


def test_only_notes_on_events_shown_follows_the_app_wide_filter(dock: AnnotationDock) -> None:
    ws(dock).set_query(EventQuery(systems=frozenset({"Hwasong-12"})))
    assert len(dock.listed_ids()) == 17  # off by default
    dock.only_shown.setChecked(True)
    listed = set(dock.listed_ids())
    assert "N17" not in listed  # about 5 and 11 January, not Hwasong-12 launches
    assert {"N01", "N04"} <= listed
    ws(dock).set_query(EventQuery())
    assert len(dock.listed_ids()) == 17


# -- create, edit, tag, retarget, each undone and redone ---------------------------------------
def test_annotate_selection_creates_a_note_on_the_selected_events(dock: AnnotationDock) -> None:
    workspace = ws(dock)
    workspace.selection.set(["A19"])
    new = dock.annotate_selection()
    assert new == "N18"
    note = workspace.document.annotation("N18")
    assert note.targets == (Target(TargetKind.EVENT, "A19"),)
    assert note.author == "ana"
    assert note.created_utc == T0
    assert dock.editor.annotation_id == "N18"
    assert workspace.annotation_selection.ids == {"N18"}
    assert "N18" in dock.listed_ids()
    assert workspace.stack.undo_label == "Annotate A19"
    workspace.stack.undo()
    assert not workspace.document.has("annotations", "N18")
    assert "N18" not in dock.listed_ids()
    assert dock.editor.annotation_id is None
    workspace.stack.redo()
    assert workspace.document.has("annotations", "N18")
    assert "N18" in dock.listed_ids()


def test_annotate_with_nothing_selected_uses_the_time_filter_then_the_project(
    dock: AnnotationDock,
) -> None:
    workspace = ws(dock)
    start, end = datetime(2022, 1, 1, tzinfo=UTC), datetime(2022, 1, 31, tzinfo=UTC)
    workspace.set_time_range(start, end)
    note = workspace.document.annotation(dock.annotate_selection() or "")
    assert note.targets == (Target.time(start, end),)
    workspace.set_time_range(None, None)
    workspace.selection.clear()
    note = workspace.document.annotation(dock.annotate_selection() or "")
    assert note.targets == (Target(TargetKind.PROJECT),)


def test_typing_is_grouped_into_undo_steps_and_undone(
    qtbot: QtBot, dock: AnnotationDock, clock: Clock
) -> None:
    workspace = ws(dock)
    choose(dock, "N17")
    before = workspace.document.annotation("N17").body
    steps = len(workspace.stack.labels())
    type_body(qtbot, dock, " One")
    assert dock.editor.has_pending  # nothing pushed per keystroke
    assert len(workspace.stack.labels()) == steps
    qtbot.waitUntil(lambda: not dock.editor.has_pending, timeout=3000)  # the pause commits
    clock.wait(3)
    type_body(qtbot, dock, " two")
    dock.commit_pending()
    assert workspace.document.annotation("N17").body == before + " One two"
    assert len(workspace.stack.labels()) == steps + 1  # two bursts, one step
    assert len(workspace.document.versions("N17")) == 1
    clock.wait(MERGE_WINDOW.total_seconds() + 1)  # a long pause: a new step
    type_body(qtbot, dock, " three")
    dock.commit_pending()
    assert len(workspace.stack.labels()) == steps + 2
    workspace.stack.undo()
    assert dock.editor.body.toPlainText() == before + " One two"
    workspace.stack.undo()
    assert dock.editor.body.toPlainText() == before
    assert workspace.document.versions("N17").empty
    workspace.stack.redo()
    assert dock.editor.body.toPlainText() == before + " One two"
    assert dock.editor.preview.toPlainText().endswith("One two")


def test_tags_confidence_and_sources_are_undoable_edits(dock: AnnotationDock) -> None:
    workspace = ws(dock)
    choose(dock, "N07")
    editor = dock.editor
    assert editor.tag_completer.model().rowCount() >= 10  # completion from the project's tags
    editor.tags.setText("inconsistency, attribution; source-error; disputed")
    editor.tags.editingFinished.emit()
    note = workspace.document.annotation("N07")
    assert note.tags == ("inconsistency", "attribution", "source-error", "disputed")
    assert workspace.document.annotation("N07").confidence is not Confidence.UNLIKELY
    editor.confidence.setCurrentIndex(editor.confidence.findData("unlikely"))
    editor.confidence.activated.emit(editor.confidence.currentIndex())
    assert workspace.document.annotation("N07").confidence is Confidence.UNLIKELY
    editor.sources.setText("article:¶7; S1")
    editor.sources.editingFinished.emit()
    assert [str(s) for s in workspace.document.annotation("N07").sources] == ["article:¶7", "S1"]
    assert editor.source_links.isVisible()
    assert "<a href=" in editor.source_links.text()  # S1 has a web address
    workspace.stack.undo()
    workspace.stack.undo()
    assert workspace.document.annotation("N07").confidence is not Confidence.UNLIKELY
    workspace.stack.undo()
    assert "disputed" not in workspace.document.annotation("N07").tags
    assert "disputed" not in editor.tags.text()
    workspace.stack.redo()
    assert "disputed" in editor.tags.text()


def test_a_bad_source_or_target_is_refused_in_one_line(dock: AnnotationDock) -> None:
    workspace = ws(dock)
    choose(dock, "N07")
    steps = len(workspace.stack.labels())
    dock.editor.sources.setText("no-such-source:¶1")
    dock.editor.sources.editingFinished.emit()
    assert dock.editor.problem.isVisible()
    assert "no-such-source" in dock.editor.problem.text()
    assert "\n" not in dock.editor.problem.text()
    assert dock.editor.sources.text() == ""  # put back as the note has it
    dock.editor.targets.setText("event:A99")
    dock.editor.targets.editingFinished.emit()
    assert "event:A99" in dock.editor.problem.text()
    dock.editor.targets.setText("planet:Mars")
    dock.editor.targets.editingFinished.emit()
    assert "planet:Mars" in dock.editor.problem.text()
    assert len(workspace.stack.labels()) == steps
    assert workspace.document.annotation("N07").targets == (Target(TargetKind.EVENT, "A06"),)


def test_retarget_by_text_and_from_the_menu_then_undo(dock: AnnotationDock) -> None:
    workspace = ws(dock)
    choose(dock, "N07")
    dock.editor.targets.setText("event:A06; system:KN-23")
    dock.editor.targets.editingFinished.emit()
    assert workspace.document.annotation("N07").targets == (
        Target(TargetKind.EVENT, "A06"),
        Target(TargetKind.SYSTEM, "KN-23"),
    )
    assert "KN-23" in dock.editor.targets_read.text()
    # The menu: "The Selected Events" points the note at the selection.
    workspace.selection.set(["A19", "A15"])
    dock.editor._fill_target_menu()
    action = next(a for a in dock.editor.target_menu.actions() if "Selected Events (" in a.text())
    action.trigger()
    assert workspace.document.annotation("N07").targets == (
        Target(TargetKind.EVENT, "A15"),
        Target(TargetKind.EVENT, "A19"),
    )
    workspace.stack.undo()
    assert len(workspace.document.annotation("N07").targets) == 2
    assert "system:KN-23" in dock.editor.targets.text()
    workspace.stack.undo()
    assert workspace.document.annotation("N07").targets == (Target(TargetKind.EVENT, "A06"),)
    workspace.stack.redo()
    assert "system:KN-23" in dock.editor.targets.text()


# -- history -----------------------------------------------------------------------------------
def test_history_is_recorded_and_a_version_restores(
    qtbot: QtBot, dock: AnnotationDock, clock: Clock
) -> None:
    workspace = ws(dock)
    choose(dock, "N11")
    original = workspace.document.annotation("N11").body
    dock.editor.body.setPlainText("First rewrite")
    dock.commit_pending()
    clock.wait(600)
    dock.editor.body.setPlainText("Second rewrite")
    dock.commit_pending()
    dock.editor.tabs.setCurrentWidget(dock.editor.versions)
    panel = dock.editor.versions
    assert panel.list.count() == 3  # the current note and two earlier versions
    assert panel.list.item(0).text().startswith("Current")
    assert "Version 2" in panel.list.item(1).text()
    assert "by ana" in panel.list.item(1).text()
    assert "UTC" in panel.list.item(1).text()  # when, in local time and UTC
    panel.list.setCurrentRow(2)  # version 1: the seed's text
    assert panel.body.toPlainText() == original
    assert panel.restore.isEnabled()
    qtbot.mouseClick(panel.restore, Qt.MouseButton.LeftButton)
    assert workspace.document.annotation("N11").body == original
    assert dock.editor.body.toPlainText() == original
    assert panel.list.count() == 4  # the restore is itself in the history
    assert workspace.stack.undo_label.startswith("Restore version 1")
    workspace.stack.undo()
    assert workspace.document.annotation("N11").body == "Second rewrite"
    assert panel.list.count() == 3


# -- offline safety and hostile input ----------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        '<script>alert(1)</script><img src="http://example.com/x.png"> **bold**',
        "x" * 1_000_000,
        ("line of text\n" * 80_000),
        "\u202eשלום עולם مرحبا بالعالم " * 20_000 + "\x00\x01\x07\x1b[31m",
    ],
    ids=["html", "one-mb-line", "one-mb-lines", "rtl-and-controls"],
)
def test_hostile_bodies_are_shown_inert_and_whole(
    qtbot: QtBot, dock: AnnotationDock, clock: Clock, body: str
) -> None:
    workspace = ws(dock)
    workspace.stack.push(EditAnnotation(workspace.document, "N07", {"body": body}, "x", clock()))
    choose(dock, "N07")
    editor = dock.editor
    if max(map(len, body.split("\n"))) > 100_000:
        # A huge unbroken line waits for the analyst to ask (Qt lays out a line whole).
        assert editor.large_bar.isVisible()
        assert editor.body.isReadOnly()
        editor.commit_pending()  # nothing typed: the note is not changed
        assert workspace.document.annotation("N07").body == body
        editor.load_button.click()
    qtbot.waitUntil(lambda: not editor.body_loading, timeout=5000)  # long notes: in pieces
    assert not editor.body.isReadOnly()
    assert editor.body.toPlainText() == body  # the editor has it all
    shown = dock.editor.preview.toPlainText()
    assert shown  # the preview shows something, bounded or whole
    assert "\x00" not in shown
    row = dock.model.row_of("N07")
    cell = str(dock.model.data(dock.model.index(row, 0)))
    assert len(cell) <= 160
    if "<script>" in body:
        assert "<script>" in shown  # literal text, never run or hidden
        assert '<img src="http://example.com/x.png">' in shown  # text, not an image
        assert dock.editor.preview.refused_resources == []  # nothing even asked for


# -- linking with the other docks --------------------------------------------------------------
def test_choosing_a_note_selects_its_targets_everywhere(dock: AnnotationDock) -> None:
    workspace = ws(dock)
    choose(dock, "N17")
    assert workspace.annotation_selection.ids == {"N17"}
    assert workspace.selection.ids == {"A05", "A07"}
    assert dock.editor.annotation_id == "N17"
    assert len(dock.listed_ids()) == 17  # the list does not shrink under the cursor
    choose(dock, "N07", "N09")
    assert workspace.selection.ids == {"A06", "A16"}


def test_selecting_events_elsewhere_lists_their_notes(dock: AnnotationDock) -> None:
    workspace = ws(dock)
    workspace.selection.set(["A19"])
    assert set(dock.listed_ids()) == {"N04", "N06", "N13"}
    assert "on 1 selected events" in dock.count.text()
    workspace.selection.clear()
    assert len(dock.listed_ids()) == 17
    dock.follow.setChecked(False)
    workspace.selection.set(["A19"])
    assert len(dock.listed_ids()) == 17


def test_a_note_chosen_elsewhere_is_chosen_here(dock: AnnotationDock) -> None:
    workspace = ws(dock)
    workspace.selection.set(["A19"])  # the list follows A19: N17 is not listed
    workspace.select_annotations(["N17"])  # e.g. its pin clicked on the timeline
    assert dock.editor.annotation_id == "N17"
    rows = dock.view.selectionModel().selectedRows()
    assert [dock.model.ids[r.row()] for r in rows] == ["N17"]


def test_delete_key_in_the_list_deletes_notes_not_events(
    qtbot: QtBot, dock: AnnotationDock
) -> None:
    workspace = ws(dock)
    choose(dock, "N09")
    dock.view.setFocus()
    qtbot.keyClick(dock.view, Qt.Key.Key_Delete)
    assert not workspace.document.has("annotations", "N09")
    assert len(workspace.document) == 26
    workspace.stack.undo()
    assert workspace.document.has("annotations", "N09")


# -- in the window: shortcut, preferences, undo keys, the journey ------------------------------
def test_the_window_docks_the_notes_and_lists_the_shortcut(window: MainWindow) -> None:
    dock = window.findChild(QDockWidget, "annotationDock")
    assert dock is window.annotation_dock
    assert dock is not None
    assert dock.isVisible()
    shortcuts = dict(window.actions.shortcut_table())
    assert shortcuts["Annotate Selection"] == "Ctrl+Shift+M"
    assert "Preferences" in shortcuts


def test_ctrl_z_in_the_note_body_undoes_the_project_step(qtbot: QtBot, window: MainWindow) -> None:
    dock = window.annotation_dock
    assert dock is not None
    assert window.workspace is not None
    window.workspace.select_annotations(["N09"])
    before = window.workspace.document.annotation("N09").body
    type_body(qtbot, dock, " typed")
    assert window.actions.undo.isEnabled()
    assert window.isWindowModified()  # typed, not yet a command: still unsaved work
    qtbot.keyClick(dock.editor.body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # The typing was committed, then undone as one step by the window's Undo.
    assert window.workspace.document.annotation("N09").body == before
    assert dock.editor.body.toPlainText() == before
    assert window.workspace.stack.can_redo


def test_journey_annotate_the_30_january_launch_save_and_reopen(
    qtbot: QtBot, window: MainWindow, settings: QSettings, seed_copy: Path
) -> None:
    settings.setValue(AUTHOR_KEY, "J. Analyst")
    workspace = window.workspace
    dock = window.annotation_dock
    assert workspace is not None
    assert dock is not None
    workspace.selection.set(["A19"])  # 30 January 2022: the Hwasong-12 launch
    qtbot.keyClick(
        window,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    note_id = dock.editor.annotation_id
    assert note_id == "N18"
    assert dock.editor.body.hasFocus()
    qtbot.keyClicks(dock.editor.body, "Lofted IRBM shot; first since 2017.")
    dock.editor.tags.setText("irbm; moratorium")
    dock.editor.tags.editingFinished.emit()  # commits the body first, then the tags
    assert window.files.save()
    # A second, small change saves incrementally: nothing else of the file is rewritten.
    dock.editor.body.setPlainText("Lofted IRBM shot; the first since 2017, per the JCS.")

    def no_rewrite(*_: object) -> None:
        raise AssertionError("saving one changed note must not rewrite the whole file")

    original = project_file._save_whole
    project_file._save_whole = no_rewrite  # type: ignore[assignment]
    try:
        assert window.files.save()
    finally:
        project_file._save_whole = original  # type: ignore[assignment]
    assert not window.isWindowModified()
    assert window.files.open_path(seed_copy)
    reopened = window.workspace
    assert reopened is not None
    assert reopened is not workspace
    note = reopened.document.annotation("N18")
    assert note.body == "Lofted IRBM shot; the first since 2017, per the JCS."
    assert note.tags == ("irbm", "moratorium")
    assert note.author == "J. Analyst"
    assert note.targets == (Target(TargetKind.EVENT, "A19"),)
    history = reopened.document.versions("N18")
    # Before the typing, before the tags (the typing committed first), before the rewrite.
    typed = "Lofted IRBM shot; first since 2017."
    assert list(history["body"]) == ["", typed, typed]
    assert list(history["tags"]) == ["", "", "irbm; moratorium"]
    assert set(history["author"]) == {"J. Analyst"}
    # And the reopened window shows it: choose it, see the tags and the history.
    reopened.select_annotations(["N18"])
    assert dock.editor.tags.text() == "irbm; moratorium"
    dock.editor.tabs.setCurrentWidget(dock.editor.versions)
    assert dock.editor.versions.list.count() == 1 + len(history)
    assert store.load(seed_copy).has("annotations", "N18")


def test_a_source_link_opens_only_after_confirmation(dock: AnnotationDock) -> None:
    choose(dock, "N07")
    dock.editor.sources.setText("S1")
    dock.editor.sources.editingFinished.emit()
    asked: list[str] = []
    opened: list[str] = []
    preview = dock.editor.preview
    preview.ask_open_link = lambda url: asked.append(url.toString()) or False  # type: ignore[method-assign]
    preview.open_url = lambda url: opened.append(url.toString())  # type: ignore[method-assign]
    url = str(ws(dock).document.row("sources", "S1")["url"])  # type: ignore[index]
    dock.editor.source_links.linkActivated.emit(url)
    assert asked == [url]
    assert opened == []
    preview.ask_open_link = lambda url: True  # type: ignore[method-assign]
    dock.editor.source_links.linkActivated.emit(url)
    assert opened == [url]


def test_the_notes_column_of_the_event_table_counts_new_notes(window: MainWindow) -> None:
    assert window.workspace is not None
    assert window.annotation_dock is not None
    assert window.event_dock is not None
    model = window.event_dock.model
    column = next(i for i, c in enumerate(COLUMNS) if c.key == "annotations")

    def count() -> int:
        row = int(model.rows_of(frozenset({"A19"}))[0])
        return int(model.data(model.index(row, column)) or 0)

    before = count()
    window.workspace.selection.set(["A19"])
    window.actions.annotate.trigger()
    assert count() == before + 1
    window.undo()
    assert count() == before


def test_preferences_set_the_author_of_new_notes(window: MainWindow, settings: QSettings) -> None:
    window.actions.preferences.trigger()
    dialog = window.preferences_dialog
    assert dialog.author.placeholderText()  # the login name, used when empty
    dialog.author.setText("  Ana   Lyst ")
    dialog.accept()
    assert settings.value(AUTHOR_KEY) == "Ana Lyst"
    assert window.workspace is not None
    assert window.annotation_dock is not None
    note_id = window.annotation_dock.annotate_selection()
    assert window.workspace.document.annotation(note_id or "").author == "Ana Lyst"


def test_typed_text_is_never_dropped_on_close(qtbot: QtBot, window: MainWindow) -> None:
    assert window.workspace is not None
    assert window.annotation_dock is not None
    window.workspace.select_annotations(["N09"])
    type_body(qtbot, window.annotation_dock, " unsaved thought")
    asked: list[str] = []

    def ask() -> str:
        asked.append("unsaved")
        return "cancel"

    window.files.ask_unsaved = ask  # type: ignore[method-assign]
    assert not window.close()
    assert asked == ["unsaved"]
    assert window.workspace.document.annotation("N09").body.endswith(" unsaved thought")
    window.files.ask_unsaved = lambda: "discard"  # type: ignore[method-assign]


def test_typing_stays_in_its_project_when_another_is_opened(
    qtbot: QtBot, window: MainWindow, seed_copy: Path
) -> None:
    """Another project often has a note with the same id: the text typed in this one must
    never land in it."""
    assert window.workspace is not None
    assert window.annotation_dock is not None
    original = window.workspace.document.annotation("N07").body
    window.workspace.select_annotations(["N07"])
    type_body(qtbot, window.annotation_dock, " typed here")
    asked: list[bool] = []
    window.files.ask_revert = lambda: asked.append(True) or True  # type: ignore[method-assign]
    assert window.files.revert()
    assert asked == [True]  # the typing counted as a change
    reverted = window.workspace
    assert reverted.document.annotation("N07").body == original
    assert reverted.stack.labels() == []
    assert not window.isWindowModified()
    assert window.annotation_dock.editor.annotation_id is None


def test_typed_tags_are_saved_without_leaving_the_field(
    qtbot: QtBot, window: MainWindow, seed_copy: Path
) -> None:
    assert window.workspace is not None
    assert window.annotation_dock is not None
    window.workspace.select_annotations(["N09"])
    editor = window.annotation_dock.editor
    editor.tags.setFocus()
    editor.tags.end(False)
    qtbot.keyClicks(editor.tags, "; checked")
    assert window.files.save()
    assert "checked" in store.load(seed_copy).annotation("N09").tags


def test_a_new_project_starts_with_an_unfiltered_list(window: MainWindow, seed_copy: Path) -> None:
    dock = window.annotation_dock
    assert dock is not None
    dock.search.setText("exaggerated")
    assert dock.listed_ids() == ["N17"]
    assert window.files.open_path(seed_copy)
    assert dock.search.text() == ""
    assert len(dock.listed_ids()) == 17


def test_annotating_thousands_of_events_targets_their_span(
    dock: AnnotationDock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workstation.ui.annotations import dock as dock_module

    monkeypatch.setattr(dock_module, "MAX_EVENT_TARGETS", 2)
    workspace = ws(dock)
    workspace.selection.set(["A05", "A08", "A19"])
    note = workspace.document.annotation(dock.annotate_selection() or "")
    assert len(note.targets) == 1
    assert note.targets[0].kind is TargetKind.TIME
    start, end = note.targets[0].time_range()
    events = workspace.document.events.set_index("id")
    assert start == events.loc["A05", "start_utc"].to_pydatetime()
    assert end == events.loc["A19", "start_utc"].to_pydatetime()
    assert "3 selected events" in workspace.stack.undo_label


def test_the_author_can_be_corrected_and_the_keyboard_place_is_kept(
    qtbot: QtBot, dock: AnnotationDock
) -> None:
    workspace = ws(dock)
    choose(dock, "N07")
    dock.editor.author_edit.setText(" A.  N. Other ")
    dock.editor.author_edit.editingFinished.emit()
    assert workspace.document.annotation("N07").author == "A. N. Other"
    workspace.stack.undo()
    assert workspace.document.annotation("N07").author != "A. N. Other"
    # Typing in one note, then moving to another with the keyboard: the list stays there.
    type_body(qtbot, dock, " more")
    row = dock.model.row_of("N09")
    dock.view.selectionModel().setCurrentIndex(
        dock.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert workspace.document.annotation("N07").body.endswith(" more")
    assert dock.editor.annotation_id == "N09"
    assert dock.view.currentIndex().row() == dock.model.row_of("N09")
