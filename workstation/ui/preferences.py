"""Edit > Preferences: the analyst's own settings, kept in the user's settings (not in projects).

The author name written on notes, how often unsaved changes are autosaved (0: never), and how
many undo steps are kept.
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
    QSpinBox,
    QWidget,
)

from workstation.ui.autosave import DEFAULT_INTERVAL_S, INTERVAL_KEY, interval_s

AUTHOR_KEY = "annotations/author"
UNDO_LIMIT_KEY = "edit/undo_limit"
DEFAULT_UNDO_LIMIT = 1000  # as workstation.model.commands.UNDO_LIMIT (not imported: no pandas)
MIN_UNDO_LIMIT, MAX_UNDO_LIMIT = 10, 100_000


def undo_limit(settings: QSettings) -> int:
    """Undo steps kept (Edit > Preferences), 1,000 by default."""
    try:
        value = int(str(settings.value(UNDO_LIMIT_KEY, DEFAULT_UNDO_LIMIT)))
    except ValueError:
        return DEFAULT_UNDO_LIMIT
    return min(MAX_UNDO_LIMIT, max(MIN_UNDO_LIMIT, value))


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
        self.autosave = QSpinBox(self)
        self.autosave.setObjectName("autosaveInterval")
        self.autosave.setRange(0, 3600)
        self.autosave.setSuffix(" s")
        self.autosave.setSpecialValueText("Off")
        self.autosave.setValue(interval_s(settings))
        self.autosave.setToolTip(
            f"Unsaved changes are written to a recovery file this often ({DEFAULT_INTERVAL_S} s "
            "by default), never over the project. Off: a crash loses unsaved work."
        )
        self.undo_steps = QSpinBox(self)
        self.undo_steps.setObjectName("undoLimit")
        self.undo_steps.setRange(MIN_UNDO_LIMIT, MAX_UNDO_LIMIT)
        self.undo_steps.setValue(undo_limit(settings))
        self.undo_steps.setToolTip("Older steps are forgotten, their changes kept")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Author name:", self.author)
        form.addRow("", hint)
        form.addRow("Auto&save every:", self.autosave)
        form.addRow("&Undo steps kept:", self.undo_steps)
        form.addRow(buttons)

    def accept(self) -> None:
        self.settings.setValue(AUTHOR_KEY, " ".join(self.author.text().split()))
        self.settings.setValue(INTERVAL_KEY, self.autosave.value())
        self.settings.setValue(UNDO_LIMIT_KEY, self.undo_steps.value())
        super().accept()
