"""Autosave in the window: written off the UI thread into a recovery file (never the
project), only when there are unsaved changes; removed by a save or a clean close; the
interval is a preference, and 0 turns it off. After a crash, restore, discard or keep."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from workstation.model.commands import EditFields
from workstation.store import recovery
from workstation.ui.autosave import INTERVAL_KEY, Autosaver
from workstation.ui.main_window import MainWindow


def edit(window: MainWindow, title: str = "Autosaved") -> None:
    assert window.workspace is not None
    window.workspace.stack.push(
        EditFields(window.workspace.document, "events", "A05", {"title": title})
    )


def autosaved(window: MainWindow) -> Path:
    assert window.autosaver.autosave()
    window.autosaver.wait()
    target = window.autosaver.target
    assert target is not None
    assert target.exists()
    return target


def test_nothing_to_autosave_writes_nothing(window: MainWindow) -> None:
    assert not window.autosaver.autosave()
    assert recovery.pending() == []


def test_an_autosave_never_touches_the_project_and_a_save_removes_it(
    window: MainWindow, seed_copy: Path
) -> None:
    before = seed_copy.read_bytes()
    edit(window)
    target = autosaved(window)
    assert seed_copy.read_bytes() == before
    info = recovery.read_info(target)
    assert info is not None
    assert info.changes == 1
    assert not window.autosaver.autosave()  # nothing new since
    assert window.files.save()
    assert not target.exists()


def test_a_clean_close_removes_the_recovery_file(window: MainWindow) -> None:
    edit(window)
    target = autosaved(window)
    window.files.ask_unsaved = lambda: "discard"  # type: ignore[method-assign]
    window.close()
    assert not target.exists()


def test_the_interval_is_a_preference_and_zero_is_off(
    window: MainWindow, settings: QSettings
) -> None:
    assert window.autosaver._timer.interval() == 60_000  # every minute by default
    settings.setValue(INTERVAL_KEY, 5)
    window.apply_preferences()
    assert window.autosaver._timer.isActive()
    assert window.autosaver._timer.interval() == 5_000
    settings.setValue(INTERVAL_KEY, 0)
    window.apply_preferences()
    assert not window.autosaver._timer.isActive()


def test_the_timer_autosaves(qtbot: QtBot, window: MainWindow, settings: QSettings) -> None:
    settings.setValue(INTERVAL_KEY, 1)
    window.apply_preferences()
    edit(window)
    target = window.autosaver.target
    assert target is not None
    qtbot.waitUntil(target.exists, timeout=5000)


def crashed_session(window: MainWindow) -> Path:
    """A recovery file as a killed Workstation leaves it: its session is not this one's."""
    edit(window, "From the crash")
    target = autosaved(window)
    recovery.LIVE_SESSIONS.discard(window.autosaver._session)
    return target


@pytest.mark.parametrize("choice", ["restore", "discard", "keep"])
def test_after_a_crash_restore_discard_or_keep(
    choice: str, qtbot: QtBot, seed_copy: Path, settings: QSettings, window: MainWindow
) -> None:
    left = crashed_session(window)
    window.autosaver.detach()  # as if the process died: no clean close
    window.files.release()
    from workstation.app import create_main_window

    asked: list[str] = []

    def answer(self: Autosaver, item: recovery.Recoverable) -> str:
        asked.append(item.describe())
        return choice

    original = Autosaver.ask_recover
    Autosaver.ask_recover = answer  # type: ignore[method-assign,assignment]
    try:
        before = seed_copy.read_bytes()
        second = create_main_window(seed_copy, settings=settings)
        qtbot.addWidget(second)
    finally:
        Autosaver.ask_recover = original  # type: ignore[method-assign]
    assert len(asked) == 1
    assert "1 unsaved changes" in asked[0]
    assert second.workspace is not None
    title = second.workspace.document.event("A05").title
    assert seed_copy.read_bytes() == before  # never written until the user saves
    if choice == "restore":
        assert title == "From the crash"
        assert second.is_modified()
        second.workspace.stack.undo()  # one undoable step
        assert second.workspace.document.event("A05").title != "From the crash"
    else:
        assert title != "From the crash"
        assert not second.is_modified()
    assert left.exists() is (choice == "keep")


def test_a_failed_autosave_is_written_by_the_next(window: MainWindow) -> None:
    import errno

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    edit(window, "Before the disk filled")
    with pytest.MonkeyPatch.context() as faults:  # its own: the data folder stays private
        faults.setattr(recovery, "write", full)
        assert window.autosaver.autosave()
        window.autosaver.wait()
    assert "No space left" in window.autosaver.last_error
    assert window.workspace is not None
    window.workspace.stack.push(
        EditFields(window.workspace.document, "events", "A07", {"title": "After"})
    )
    target = autosaved(window)
    info = recovery.read_info(target)
    assert info is not None
    assert info.changes == 2  # A05, owed by the failed autosave, and A07


def test_changes_to_a_project_that_cannot_be_found_are_kept(
    qtbot: QtBot, seed_copy: Path, settings: QSettings, window: MainWindow, tmp_path: Path
) -> None:
    left = crashed_session(window)
    window.autosaver.detach()
    window.files.release()
    unplugged = tmp_path / "unplugged.wsproj"
    seed_copy.rename(unplugged)  # the drive is gone
    from workstation.app import create_main_window

    original = Autosaver.ask_recover
    Autosaver.ask_recover = lambda self, item: "restore"  # type: ignore[method-assign,assignment,misc]
    try:
        second = create_main_window(None, settings=settings)
        qtbot.addWidget(second)
    finally:
        Autosaver.ask_recover = original  # type: ignore[method-assign]
    assert left.exists()  # kept for when the drive is back
    assert "is not there" in second.error_box.text()
    assert not second.is_modified()


def test_changes_left_to_another_project_are_offered_when_it_is_opened(
    window: MainWindow, seed_copy: Path, tmp_path: Path
) -> None:
    """Several projects had unsaved changes at the crash: one window restores one at start;
    each other one is offered when its project is opened."""
    other = tmp_path / "other.wsproj"
    other.write_bytes(seed_copy.read_bytes())
    assert window.files.open_path(other)
    left = crashed_session(window)  # changes to ``other``, left by a "crashed" session
    window.files.ask_unsaved = lambda: "discard"  # type: ignore[method-assign]
    window.autosaver.detach()  # as if that session died: no clean close of its file
    window.autosaver.target = None
    assert window.files.open(seed_copy)
    asked: list[str] = []
    window.autosaver.ask_recover = lambda item: asked.append(item.describe()) or "restore"  # type: ignore[method-assign,assignment,misc]
    assert window.files.open(other)
    assert len(asked) == 1
    assert "other.wsproj" in asked[0]
    assert window.workspace is not None
    assert window.workspace.document.event("A05").title == "From the crash"
    assert window.is_modified()
    assert not left.exists()  # adopted: autosaved again in this session's file
    assert window.autosaver.target is not None
    assert window.autosaver.target.exists()
