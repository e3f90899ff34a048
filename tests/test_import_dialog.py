"""The import dialog: preset or mapping, preview, report, off-thread planning, one undoable
import, nothing changed before Import (or after Cancel), saved mappings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.test_import_cns import write_fixture
from workstation.model.document import Document
from workstation.model.workspace import Workspace
from workstation.ui.import_dialog import SAVED_KEY, ImportDialog


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_dialog(
    qtbot: QtBot, workspace: Workspace, path: Path, settings: QSettings
) -> ImportDialog:
    dialog = ImportDialog(workspace, path, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, dialog)
    return dialog


def settle(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy and not dialog._debounce.isActive(), timeout=20_000)


def test_a_cns_file_is_recognised_previewed_and_reported(
    qtbot: QtBot, seed_document: Document, settings: QSettings, tmp_path: Path
) -> None:
    workspace = Workspace(seed_document)
    before = seed_document.events.copy()
    dialog = open_dialog(qtbot, workspace, write_fixture(tmp_path / "cns.csv"), settings)
    assert dialog.result is not None
    # One new event: the others are the seed's own launches (A05, A08 and A13), found by
    # system and place, the file's facility names matched to the seed's places.
    assert dialog.preview.rowCount() == 1
    assert dialog.preview.item(0, 0).text() == "CNS-1"
    lines = [dialog.report.item(i).text() for i in range(dialog.report.count())]
    assert any(  # skipped as the seed's, and its flag still reported
        line.startswith("row 4: skipped: duplicate of A13") and "330 lm" in line for line in lines
    )
    assert any(
        line.startswith("row 2: skipped: duplicate of A05") and "Korean date" in line
        for line in lines
    )
    assert any(line.startswith("row 6: skipped: no date") for line in lines)
    assert any(line.startswith("row 1: imported") for line in lines)  # every row is listed
    assert "Launch Time (UTC) read as UTC" in dialog.summary.text()
    assert "place: 'Mupyong-ni Arms Plant' is mupyong-ri (Mupyong-ri arms plant)" in lines
    assert "place: 'Tonghae' is a new place, tonghae" in lines
    pd.testing.assert_frame_equal(seed_document.events, before)  # nothing touched yet
    # Keep both: the duplicates are previewed under their own ids, local time and UTC.
    dialog.duplicates.setCurrentIndex(dialog.duplicates.findData("keep"))
    settle(qtbot, dialog)
    ids = [dialog.preview.item(r, 0).text() for r in range(dialog.preview.rowCount())]
    assert sorted(ids) == ["CNS-1", "CNS-161", "CNS-3", "CNS-4"]
    assert dialog.preview.item(ids.index("CNS-161"), 2).text() == "2022-01-04 23:10"
    lines = [dialog.report.item(i).text() for i in range(dialog.report.count())]
    assert "row 3: imported: kept beside A08" in lines
    assert any(line.startswith("row 2: flagged") and "kept beside A05" in line for line in lines)
    # Merge instead: the report changes, still nothing touched.
    dialog.duplicates.setCurrentIndex(dialog.duplicates.findData("merge"))
    settle(qtbot, dialog)
    lines = [dialog.report.item(i).text() for i in range(dialog.report.count())]
    assert any(line.startswith("row 4: merged: claims merged into A13") for line in lines)
    pd.testing.assert_frame_equal(seed_document.events, before)
    assert dialog.import_button.isEnabled()
    places_before = seed_document.table("places").copy()
    dialog.accept()
    assert workspace.stack.undo_label == "Import 6 rows from cns.csv"
    assert len(seed_document) == len(before) + 1
    assert seed_document.events.set_index("id").loc["CNS-1", "place"] == "tonghae"
    assert "tonghae" in set(seed_document.table("places")["id"])
    workspace.stack.undo()
    pd.testing.assert_frame_equal(
        seed_document.events.reset_index(drop=True), before.reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(
        seed_document.table("places").reset_index(drop=True),
        places_before.reset_index(drop=True),
    )


def test_cancel_changes_nothing(
    qtbot: QtBot, seed_document: Document, settings: QSettings, tmp_path: Path
) -> None:
    workspace = Workspace(seed_document)
    dialog = open_dialog(qtbot, workspace, write_fixture(tmp_path / "cns.csv"), settings)
    dialog.reject()
    assert workspace.stack.labels() == []
    assert len(seed_document) == 26


def test_progress_shows_the_step_and_cancel_mid_way_stops_the_worker(
    qtbot: QtBot,
    seed_document: Document,
    settings: QSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long import shows which step it is on; closing the dialog then stops the worker at
    its next step, and the project never sees any of it."""
    import threading

    from workstation.ui import import_dialog

    release, entered = threading.Event(), threading.Event()
    real_plan = import_dialog.plan

    def slow_plan(*args: object, **kwargs: object) -> object:
        entered.set()
        release.wait(10)
        return real_plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(import_dialog, "plan", slow_plan)
    workspace = Workspace(seed_document)
    before = seed_document.events.copy()
    dialog = ImportDialog(workspace, write_fixture(tmp_path / "cns.csv"), settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert entered.wait(10)
    qtbot.waitUntil(lambda: dialog.progress.value() == 2, timeout=5_000)
    assert dialog.progress.isVisible()
    assert dialog.summary.text() == "Matching places and duplicates…"
    stages = dialog._stages
    dialog.reject()
    assert stages.stopped
    release.set()
    dialog._pool.shutdown(wait=True)
    assert stages.step == 2  # it stopped instead of going on to check the result
    assert workspace.stack.labels() == []
    pd.testing.assert_frame_equal(seed_document.events, before)


def test_columns_are_guessed_corrected_and_saved(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    path = tmp_path / "colleague.csv"
    path.write_text(
        "When,Clock,What,Where,Weapon,Reach\n"
        '2023-03-16,07:10,ICBM launch,Sunan,Hwasong-17,"about 1,000 km"\n',
        encoding="utf-8",
    )
    workspace = Workspace(Document())
    dialog = open_dialog(qtbot, workspace, path, settings)
    assert dialog.columns["date"].currentText() == "When"  # guessed from the names
    assert dialog.columns["time"].currentText() == "Clock"
    assert dialog.preview.rowCount() == 1
    # Correct the guesses: the title is "What", the range "Reach", times in Seoul.
    dialog.columns["title"].setCurrentIndex(dialog.columns["title"].findText("What"))
    dialog.columns["range"].setCurrentIndex(dialog.columns["range"].findText("Reach"))
    assert dialog.preset.currentData() == "mapped"
    dialog.zone.setCurrentText("Asia/Seoul")
    settle(qtbot, dialog)
    assert dialog.preview.item(0, 3).text() == "ICBM launch"
    assert dialog.preview.item(0, 2).text() == "2023-03-15 22:10"  # 07:10 in Seoul, in UTC
    assert dialog.result is not None
    assert len(dialog.result.measurements) == 1
    # Saved by name in the user's settings, and offered again.
    dialog.ask_mapping_name = lambda: "colleague"  # type: ignore[method-assign]
    dialog.save_current_mapping()
    assert '"colleague"' in str(settings.value(SAVED_KEY))
    again = open_dialog(qtbot, workspace, path, settings)
    assert again.preset.findData("saved:colleague") >= 0
    again.preset.setCurrentIndex(again.preset.findData("saved:colleague"))
    settle(qtbot, again)
    assert again.columns["range"].currentText() == "Reach"
    assert again.zone.currentText() == "Asia/Seoul"


def test_an_unreadable_file_says_why_and_offers_no_import(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    dialog = open_dialog(qtbot, Workspace(Document()), path, settings)
    assert dialog.summary.text().startswith("Cannot import: broken.xlsx is not a readable workbook")
    assert not dialog.import_button.isEnabled()


def test_file_import_in_the_window(qtbot: QtBot, window: object, tmp_path: Path) -> None:
    from workstation.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    assert dict(window.actions.shortcut_table())["Import"] == "Ctrl+I"
    asked: list[bool] = []
    window.ask_import_path = lambda: asked.append(True) or None  # type: ignore[method-assign]
    window.actions.import_.trigger()
    assert asked == [True]  # chose nothing: no dialog
    window.show_import(write_fixture(tmp_path / "cns.csv"))
    dialog = window.import_dialog
    settle(qtbot, dialog)
    dialog.accept()
    assert window.workspace is not None
    assert window.workspace.stack.undo_label.startswith("Import 6 rows")
    assert window.isWindowModified()
