"""The window shows the project's events (a minimal window until the window issue lands)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workstation.app import create_main_window


def cell(window, row_id: str, column: int) -> str:  # type: ignore[no-untyped-def]
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.event_id(r) == row_id)
    return str(model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole))


def test_window_shows_the_seed_events_in_local_time(
    qtbot: QtBot, seed_copy: Path, tmp_path: Path
) -> None:
    window = create_main_window(seed_copy, defer_load=False)
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 26
    assert cell(window, "A05", 0) == "2022-01-05 08:10 KST"
    assert cell(window, "A05", 1) == "2022-01-04 23:10 UTC"
    assert cell(window, "A20", 0) == "2022-02-16"  # a day, not a midnight instant
    assert "January 2022" in window.windowTitle()
    picture = tmp_path / "window.png"
    assert window.grab().save(str(picture))
    assert picture.stat().st_size > 10_000


def test_window_paints_before_loading(qtbot: QtBot, seed_copy: Path) -> None:
    window = create_main_window(seed_copy)
    qtbot.addWidget(window)
    window.show()
    assert window.document is None  # loading waits for the event loop, after the first paint
    qtbot.waitUntil(lambda: window.document is not None, timeout=10_000)
    assert window.model.rowCount() == 26


def test_bad_project_shows_one_line_and_keeps_running(qtbot: QtBot, tmp_path: Path) -> None:
    bad = tmp_path / "bad.wsproj"
    bad.write_bytes(b"garbage" * 100)
    window = create_main_window(bad, defer_load=False)
    qtbot.addWidget(window)
    assert window.document is None
    assert "not a SQLite database" in window.error_box.text()
    assert "\n" not in window.error_box.text()
    window.error_box.close()
