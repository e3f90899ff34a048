"""Start-up: the window paints before the heavy imports, then opens the project."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.conftest import REPO
from workstation.app import create_main_window

FIRST_PAINT_PROBE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QEvent, QObject, QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from workstation.app import create_main_window

    settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
    window = create_main_window(sys.argv[1], defer_load=True, settings=settings)
    heavy = ("pandas", "pyqtgraph", "pyarrow", "numpy")

    class FirstPaint(QObject):
        seen = None

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and FirstPaint.seen is None:
                FirstPaint.seen = [name for name in heavy if name in sys.modules]
            return False

    probe = FirstPaint()
    app.installEventFilter(probe)
    window.show()

    def finish():
        if window.workspace is None:
            return
        print("AT-FIRST-PAINT", FirstPaint.seen)
        print("ROWS", window.event_dock.model.rowCount())
        app.quit()

    from PySide6.QtCore import QTimer
    timer = QTimer()
    timer.timeout.connect(finish)
    timer.start(20)
    app.exec()
    """
)


def test_first_paint_comes_before_heavy_imports(seed_copy: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT_PROBE, str(seed_copy), str(tmp_path / "s.ini")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert "AT-FIRST-PAINT []" in result.stdout, result.stdout + result.stderr[-2000:]
    assert "ROWS 26" in result.stdout


def test_deferred_window_loads_after_the_event_loop_runs(
    qtbot: QtBot, seed_copy: Path, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = create_main_window(seed_copy, defer_load=True, settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert window.workspace is None  # nothing loaded before the first paint
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    assert window.event_dock is not None
    assert window.event_dock.model.rowCount() == 26


def test_a_bad_project_at_start_up_shows_one_line_and_an_empty_window(
    qtbot: QtBot, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.wsproj"
    bad.write_bytes(b"garbage" * 100)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = create_main_window(bad, settings=settings)
    qtbot.addWidget(window)
    assert window.workspace is not None
    assert len(window.workspace.document) == 0
    assert "not a SQLite database" in window.error_box.text()
    assert "\n" not in window.error_box.text()
    window.error_box.close()
