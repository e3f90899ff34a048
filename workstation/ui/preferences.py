"""Edit > Preferences: the analyst's own settings, kept in the user's settings (not in projects).

For now one setting: the author name written on new notes and on every change to a note.
"""

from __future__ import annotations

import getpass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

AUTHOR_KEY = "annotations/author"


def os_user() -> str:
    """The operating-system user name, the author when none is set ("analyst" if unknown)."""
    try:
        return getpass.getuser().strip() or "analyst"
    except (OSError, KeyError, ImportError):  # no login name (containers, odd environments)
        return "analyst"


def author_name(settings: QSettings) -> str:
    """The author name from preferences, or the OS user."""
    name = str(settings.value(AUTHOR_KEY, "") or "").strip()
    return name or os_user()


class PreferencesDialog(QDialog):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.author = QLineEdit(str(settings.value(AUTHOR_KEY, "") or ""), self)
        self.author.setObjectName("authorEdit")
        self.author.setPlaceholderText(os_user())
        self.author.setMaxLength(200)
        hint = QLabel(
            f"Written on your notes and on each change to them. Empty: {os_user()} "
            "(your login name).",
            self,
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Author name:", self.author)
        form.addRow("", hint)
        form.addRow(buttons)

    def accept(self) -> None:
        self.settings.setValue(AUTHOR_KEY, " ".join(self.author.text().split()))
        super().accept()
