"""The main window. For now it shows the project's events in a table; later issues add the
timeline, comparison and annotation docks around it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTableView


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Workstation")
        self.resize(1200, 760)
        self.document = None
        self.table = QTableView(self)
        self.table.setObjectName("eventTable")
        self.table.setSortingEnabled(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.setCentralWidget(self.table)
        self.statusBar().showMessage("Opening project…")

    def open_after_first_paint(self, requested: Path | None) -> None:
        # A zero-delay timer runs after the window's first paint, before heavy imports.
        QTimer.singleShot(0, lambda: self.open_startup_project(requested))

    def open_startup_project(self, requested: Path | None) -> None:
        from workstation import paths

        try:
            path = paths.startup_project(requested)
        except OSError as exc:
            self._show_error(f"Cannot prepare the seed project: {exc}")
            return
        self.open_project(path)

    def open_project(self, path: Path) -> bool:
        from workstation import paths, store
        from workstation.ui.event_table_model import EventTableModel

        try:
            document = store.load(path)
        except store.ProjectFileError as exc:
            self._show_error(str(exc))
            return False
        self.document = document
        places = document.table("places")
        self.model = EventTableModel(
            document.events, dict(zip(places["id"], places["name"], strict=True))
        )
        self.table.setModel(self.model)
        self.table.resizeColumnsToContents()
        title = document.meta.get("title") or path.stem
        self.setWindowTitle(f"{title} — Workstation")
        self.statusBar().showMessage(f"{len(document):,} events · {path}")
        paths.remember_project(path)
        return True

    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(message)
        # open(), not exec(): a window-modal box that does not block the event loop.
        self.error_box = QMessageBox(
            QMessageBox.Icon.Critical, "Workstation", message, QMessageBox.StandardButton.Ok, self
        )
        self.error_box.open()
