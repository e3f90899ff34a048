"""The public factory for the main window, used by the GUI entry point and the tests."""

from __future__ import annotations

from pathlib import Path

from workstation.ui.main_window import MainWindow


def create_main_window(
    project_path: Path | str | None = None, *, defer_load: bool = True
) -> MainWindow:
    """Build the main window on the running ``QApplication`` (never a second one).

    The project (the given one, else the last one, else the user's seed copy) is loaded right
    after the first paint when ``defer_load`` is true, so the window appears before pandas
    and the data are loaded.
    """
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        raise RuntimeError("create a QApplication before the main window")
    window = MainWindow()
    requested = Path(project_path) if project_path is not None else None
    if defer_load:
        window.open_after_first_paint(requested)
    else:
        window.open_startup_project(requested)
    return window
