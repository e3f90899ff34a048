"""A note's history: the list of its earlier versions, what each held, and Restore.

Each version is the note as it was *before* a change, with who made that change and when
(see :mod:`workstation.model.annotation_commands`). Restoring one is an undoable command that
itself becomes part of the history.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workstation.model.annotation_commands import RestoreVersion
from workstation.model.annotations import AnnotationVersion
from workstation.model.workspace import Workspace
from workstation.ui.annotations.fields import local_and_utc

PREVIEW_CHARS = 200_000  # a version's body shown as plain text; the whole body is restored


class VersionsPanel(QWidget):
    """The versions of one note, newest first, and the selected version's content."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.annotation_id: str | None = None
        self.author: Callable[[], str] = lambda: ""
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.list = QListWidget(self)
        self.list.setObjectName("versionList")
        self.list.currentItemChanged.connect(self._show_current)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("versionBody")
        self.body.setReadOnly(True)
        self.restore = QPushButton("&Restore This Version", self)
        self.restore.setObjectName("restoreVersion")
        self.restore.setToolTip(
            "Put this version's text, tags, targets, confidence and sources back"
        )
        self.restore.clicked.connect(self.restore_current)
        self.restore.setEnabled(False)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.list)
        lower = QWidget(split)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.details)
        lower_layout.addWidget(self.body)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.restore)
        lower_layout.addLayout(row)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def show_versions(self, workspace: Workspace | None, annotation_id: str | None) -> None:
        self.workspace, self.annotation_id = workspace, annotation_id
        self.refresh()

    def refresh(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.blockSignals(False)
        self.body.clear()
        self.details.clear()
        self.restore.setEnabled(False)
        workspace, note = self.workspace, self.annotation_id
        if workspace is None or note is None or not workspace.document.has("annotations", note):
            return
        document = workspace.document
        zone = workspace.display_zone()
        frame = document.versions(note)
        current = document.annotation(note)
        head = QListWidgetItem(
            f"Current · last changed {local_and_utc(current.modified_utc, zone)}"
            + (f" by {current.author}" if current.author else "")
        )
        head.setData(Qt.ItemDataRole.UserRole, "")
        self.list.addItem(head)
        for version_id in reversed(frame["id"].tolist()):
            version = document.annotation_version(str(version_id))
            who = f" by {version.author}" if version.author else ""
            item = QListWidgetItem(
                f"Version {version.version} · replaced {local_and_utc(version.saved_utc, zone)}"
                f"{who}"
            )
            item.setToolTip(_first_line(version.body))
            item.setData(Qt.ItemDataRole.UserRole, version.id)
            self.list.addItem(item)
        if self.list.count() == 1:
            self.details.setText("No earlier versions: the note has not been changed yet.")
        self.list.setCurrentRow(0)

    def selected_version(self) -> str:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole) or "") if item is not None else ""

    def _show_current(self, *_: object) -> None:
        workspace, note = self.workspace, self.annotation_id
        version_id = self.selected_version()
        self.restore.setEnabled(bool(version_id))
        if workspace is None or note is None:
            return
        if version_id:
            version: AnnotationVersion = workspace.document.annotation_version(version_id)
            body, tags, targets = version.body, version.tags, version.targets
            confidence, sources = version.confidence, version.sources
            who = version.author or "someone"
            intro = f"Version {version.version}: the note before {who} changed it."
        else:
            note_now = workspace.document.annotation(note)
            body, tags, targets = note_now.body, note_now.tags, note_now.targets
            confidence, sources = note_now.confidence, note_now.sources
            intro = "The note as it is now."
        parts = [
            intro,
            "Tags: " + (", ".join(tags) or "none"),
            "On: " + (", ".join(str(t) for t in targets) or "nothing"),
            "Confidence: " + (str(confidence) if confidence else "not given"),
        ]
        if sources:
            parts.append("Sources: " + ", ".join(str(s) for s in sources))
        self.details.setText("\n".join(parts))
        shown = body if len(body) <= PREVIEW_CHARS else body[:PREVIEW_CHARS] + "\n…"
        self.body.setPlainText(shown)

    def restore_current(self) -> None:
        version_id = self.selected_version()
        if not version_id or self.workspace is None:
            return
        command = RestoreVersion(self.workspace.document, version_id, self.author(), self.now())
        self.workspace.stack.push(command)


def _first_line(body: str) -> str:
    for line in body.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""
