"""The public factory for the main window, used by the GUI entry point and the tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from workstation.ui.main_window import MainWindow


def create_main_window(
    project_path: Path | str | None = None,
    *,
    defer_load: bool = False,
    settings: QSettings | None = None,
) -> MainWindow:
    """Build the main window on the running ``QApplication`` (never a second one).

    It opens the given project, else the last one, else the user's copy of the seed. With
    ``defer_load`` (the GUI entry point) the project is opened right after the first paint,
    so the window appears before pandas and the data are loaded; otherwise the returned
    window is ready to use.
    """
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        raise RuntimeError("create a QApplication before the main window")
    window = MainWindow(settings)
    requested = Path(project_path) if project_path is not None else None
    if defer_load:
        window.open_after_first_paint(requested)
    else:
        window.open_startup_project(requested)
    return window
