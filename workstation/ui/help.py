"""Help dialogs: About (versions), keyboard shortcuts and the query syntax."""

from __future__ import annotations

import platform
from importlib import metadata

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workstation import __version__

LIBRARIES = [
    "PySide6-Essentials",
    "pyqtgraph",
    "pandas",
    "numpy",
    "pyarrow",
    "adbc-driver-sqlite",
    "psygnal",
    "openpyxl",
]


def versions() -> list[tuple[str, str]]:
    found = [("Workstation", __version__), ("Python", platform.python_version())]
    for name in LIBRARIES:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "not installed"))
    from PySide6 import QtCore

    found.append(("Qt", QtCore.qVersion()))
    return found


def about_text() -> str:
    rows = "".join(f"<tr><td>{n}</td><td>&nbsp;{v}</td></tr>" for n, v in versions())
    return (
        f"<h3>Workstation {__version__}</h3><p>An offline workstation for open-source "
        f"intelligence analysts.</p><table>{rows}</table>"
    )


def _dialog(parent: QWidget | None, title: str, body: QWidget) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    layout.addWidget(body)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(520, 460)
    return dialog


def about_dialog(parent: QWidget | None) -> QDialog:
    text = QTextBrowser()
    text.setObjectName("aboutText")
    text.setHtml(about_text())
    return _dialog(parent, "About Workstation", text)


def shortcuts_dialog(parent: QWidget | None, rows: list[tuple[str, str]]) -> QDialog:
    table = QTableWidget(len(rows), 2)
    table.setObjectName("shortcutTable")
    table.setHorizontalHeaderLabels(["Action", "Shortcut"])
    for r, (action, keys) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(action))
        table.setItem(r, 1, QTableWidgetItem(keys))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return _dialog(parent, "Keyboard shortcuts", table)


def query_help_dialog(parent: QWidget | None) -> QDialog:
    from workstation.model.query_syntax import QUERY_KEYS

    rows = "".join(
        f"<tr><td><code>{k}:</code></td><td>{v}</td></tr>" for k, v in QUERY_KEYS.items()
    )
    text = QTextBrowser()
    text.setObjectName("queryHelp")
    text.setHtml(
        "<h3>Filter queries</h3><p>Type words to search titles, summaries, tags, places and "
        "system names (aliases too: <i>Hwasong-11A</i> finds the KN-23 events). Add filters "
        "as <code>key:value</code>; quote values with spaces. All terms must match.</p>"
        f'<table cellpadding=3>{rows}</table><p>Example: <code>category:"missile test" '
        "system:KN-23 after:2022-01-10 tag:disputed</code></p><p>Dates are in the displayed "
        "time zone; <code>before:</code> includes the whole day. See docs/query-syntax.md.</p>"
    )
    return _dialog(parent, "Query syntax", text)
