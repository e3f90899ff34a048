"""Start the GUI. Imports Qt only when called, so the headless verbs never load it."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(project: Path | None) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Workstation")
    app.setOrganizationName("Workstation")
    from workstation.app import create_main_window

    window = create_main_window(project, defer_load=True)
    window.show()
    return int(app.exec())
