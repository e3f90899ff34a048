"""Window geometry and dock layout in QSettings (never in the project file).

A saved layout records which docks it was made with; one saved with other docks (a dock added
or removed since) is ignored in favour of the default layout, so a broken arrangement is never
shown.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QDockWidget, QMainWindow

LAYOUT_VERSION = 1


def dock_names(window: QMainWindow) -> str:
    return ",".join(sorted(d.objectName() for d in window.findChildren(QDockWidget)))


def save_layout(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState(LAYOUT_VERSION))
    settings.setValue("window/docks", dock_names(window))
    settings.sync()


def restore_geometry(window: QMainWindow, settings: QSettings) -> bool:
    geometry = settings.value("window/geometry")
    return isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)


def restore_layout(window: QMainWindow, settings: QSettings) -> bool:
    """Restore the dock state if it was saved with exactly these docks; else keep default."""
    state = settings.value("window/state")
    if not isinstance(state, QByteArray) or settings.value("window/docks") != dock_names(window):
        return False
    return bool(window.restoreState(state, LAYOUT_VERSION))
