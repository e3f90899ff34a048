"""The form for one note: body in Markdown with a live preview, tags, targets, confidence,
sources, times and history.

Every change goes through an undoable command (:class:`EditAnnotation`), which also records
the note's previous state in its history. Typing in the body is committed after a short pause
(and before undo, save or switching notes), and bursts of typing merge into one undo step, so
the undo stack and the history hold steps a person recognises, not keystrokes.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QTextCursor, QTextOption
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workstation.model.annotation_commands import EditAnnotation
from workstation.model.annotation_list import all_tags, describe_target, unknown_targets
from workstation.model.annotations import Annotation, Confidence, Target, TargetKind
from workstation.model.document import Change
from workstation.model.sources import SourceRef
from workstation.model.workspace import Workspace
from workstation.ui.annotations.fields import items_of, list_field, local_and_utc
from workstation.ui.annotations.preview import MarkdownPreview
from workstation.ui.annotations.versions import VersionsPanel
from workstation.ui.connections import Connections
from workstation.ui.preferences import os_user

HUGE_LINE = 100_000  # a note with a longer line is loaded into the editor on request
LOAD_CHUNK = 48_000  # characters put into the editor per turn of the event loop
LONG_LINE = 5_000  # lines longer than this wrap anywhere (word wrap is slow on them)
TYPING_PAUSE_MS = 700  # typing is committed (and the preview redrawn) after this pause
NO_CONFIDENCE = "(not given)"


class BodyEdit(QPlainTextEdit):
    """The Markdown source. Its own undo is off: Ctrl+Z belongs to the project's undo stack,
    which holds the typing as commands. Leaving the field commits what was typed."""

    left = Signal()

    def event(self, event: QEvent) -> bool:
        # Let Undo and Redo reach the window's actions (the project's stack), even here.
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(
                QKeySequence.StandardKey.Redo
            ):
                event.ignore()
                return True
        return super().event(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class AnnotationEditor(QWidget):
    """Edits the note ``annotation_id`` of a workspace (or shows a hint when there is none)."""

    #: Typing began that is not a command yet: Undo must be offered even on a clean stack.
    typing_started = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.annotation_id: str | None = None
        #: Who is editing (preferences or the OS user) and the clock; replaceable in tests.
        self.author: Callable[[], str] = os_user
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._connections = Connections()
        self._loading = False
        self._chunks: list[str] = []  # a long note's text still to put into the editor
        self._deferred: str | None = None  # a note with a huge line, loaded when asked for

        self.heading = QLabel(self)
        self.heading.setObjectName("noteHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.times = QLabel(self)
        self.times.setObjectName("noteTimes")
        self.times.setTextFormat(Qt.TextFormat.PlainText)
        self.times.setWordWrap(True)
        self.times.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.targets, _ = list_field("event:A19; system:Hwasong-12; project", "targetsEdit", self)
        self.targets.setCompleter(None)  # target syntax is typed or picked from the menu
        self.targets.editingFinished.connect(self._targets_edited)
        self.target_menu = QMenu(self)
        self.target_menu.aboutToShow.connect(self._fill_target_menu)
        self.target_button = QToolButton(self)
        self.target_button.setText("Set ▾")
        self.target_button.setToolTip("Point the note at the selection, a time range, a system…")
        self.target_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.target_button.setMenu(self.target_menu)
        self.targets_read = QLabel(self)
        self.targets_read.setObjectName("targetsText")
        self.targets_read.setTextFormat(Qt.TextFormat.PlainText)
        self.targets_read.setWordWrap(True)

        self.author_edit = QLineEdit(self)
        self.author_edit.setObjectName("authorEdit")
        self.author_edit.setMaxLength(200)
        self.author_edit.setToolTip("Who wrote the note (new notes: Edit > Preferences)")
        self.author_edit.editingFinished.connect(self._author_edited)
        self.tags, self.tag_completer = list_field("disputed; source-error", "tagsEdit", self)
        self.tags.editingFinished.connect(self._tags_edited)
        self.confidence = QComboBox(self)
        self.confidence.setObjectName("confidenceCombo")
        self.confidence.addItem(NO_CONFIDENCE, "")
        for level in Confidence:
            self.confidence.addItem(str(level), str(level))
        self.confidence.setToolTip("Estimative language (ICD 203), least to most likely")
        self.confidence.activated.connect(self._confidence_chosen)
        self.sources, self.source_completer = list_field("article:¶4; S1", "sourcesEdit", self)
        self.sources.setToolTip("Sources the note relies on: SOURCE or SOURCE:LOCATOR, ; between")
        self.sources.editingFinished.connect(self._sources_edited)
        self.source_links = QLabel(self)
        self.source_links.setObjectName("sourceLinks")
        self.source_links.setTextFormat(Qt.TextFormat.RichText)
        self.source_links.setWordWrap(True)
        self.source_links.setOpenExternalLinks(False)
        self.source_links.linkActivated.connect(lambda url: self.preview.open_link(QUrl(url)))
        self.problem = QLabel(self)
        self.problem.setObjectName("noteProblem")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.hide()

        self.body = BodyEdit(self)
        self.body.setObjectName("noteBody")
        self.body.setUndoRedoEnabled(False)
        self.body.setPlaceholderText("Write the note in Markdown: **bold**, lists, [links](…)")
        self.body.textChanged.connect(self._typed)
        self.body.left.connect(self.commit_pending)
        self.large_text = QLabel(self)
        self.large_text.setWordWrap(True)
        self.large_text.setTextFormat(Qt.TextFormat.PlainText)
        self.load_button = QPushButton("&Load for Editing", self)
        self.load_button.setObjectName("loadLargeNote")
        self.load_button.clicked.connect(self.load_deferred)
        self.large_bar = QWidget(self)
        large_layout = QHBoxLayout(self.large_bar)
        large_layout.setContentsMargins(0, 0, 0, 0)
        large_layout.addWidget(self.large_text, 1)
        large_layout.addWidget(self.load_button)
        self.large_bar.hide()
        self.preview = MarkdownPreview(self)
        self.preview.setObjectName("notePreview")
        self.versions = VersionsPanel(self)
        self.versions.author = lambda: self.author()
        self.versions.now = lambda: self.now()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("noteTabs")
        self.tabs.addTab(self.preview, "&Preview")
        self.tabs.addTab(self.versions, "&History")
        self.tabs.currentChanged.connect(lambda _: self._refresh_tab())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.commit_pending)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        target_row = QHBoxLayout()
        target_row.addWidget(self.targets, 1)
        target_row.addWidget(self.target_button)
        form.addRow("On:", target_row)
        form.addRow("", self.targets_read)
        form.addRow("Tags:", self.tags)
        form.addRow("Confidence:", self.confidence)
        form.addRow("Sources:", self.sources)
        form.addRow("", self.source_links)
        form.addRow("Author:", self.author_edit)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.body)
        split.addWidget(self.tabs)
        split.setChildrenCollapsible(False)
        self.split = split
        self._split_set = False  # halved once it has a height
        self.tabs.setMinimumHeight(140)
        self.body.setMinimumHeight(90)
        self.form = QWidget(self)
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(self.heading)
        form_layout.addWidget(self.times)
        form_layout.addLayout(form)
        form_layout.addWidget(self.problem)
        form_layout.addWidget(self.large_bar)
        form_layout.addWidget(split, 1)
        self.hint = QLabel(
            "Choose a note in the list, or select events and press Ctrl+Shift+M "
            "(Edit > Annotate Selection) to write one.",
            self,
        )
        self.hint.setObjectName("noteHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.form, 1)
        self.show_annotation(None)

    # -- which note ---------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace) -> None:
        """Edit notes of another project. What was typed goes into the project it was typed
        in, before anything points at the new one (its notes may have the same ids)."""
        self.commit_pending()
        self._timer.stop()
        self._chunks, self._deferred = [], None
        self.annotation_id = None
        self.workspace = workspace
        self._connections.replace(
            [
                (workspace.document.changed, self._document_changed),
                (workspace.display_changed, self._show_times),
            ]
        )
        self.show_annotation(None)

    def show_annotation(self, annotation_id: str | None) -> None:
        """Edit another note (what was typed in the previous one is committed first)."""
        if annotation_id == self.annotation_id and annotation_id is not None:
            return
        self.commit_pending()
        if self.workspace is not None:
            self.workspace.stack.close_merge()  # typing in another note is another step
        self.annotation_id = annotation_id
        self.reload()

    def note(self) -> Annotation | None:
        workspace, note = self.workspace, self.annotation_id
        if workspace is None or note is None or not workspace.document.has("annotations", note):
            return None
        return workspace.document.annotation(note)

    def reload(self) -> None:
        """Show the note as the document has it (after opening, undo, redo or a restore)."""
        note = self.note()
        self.hint.setVisible(note is None)
        self.form.setVisible(note is not None)
        self.problem.hide()
        if note is None:
            self._loading = True
            self.body.clear()
            self._loading = False
            self.preview.show_markdown("")
            self.versions.show_versions(None, None)
            return
        assert self.workspace is not None
        document = self.workspace.document
        self._loading = True
        try:
            self._set_text(self.targets, "; ".join(str(t) for t in note.targets))
            self._set_text(self.tags, "; ".join(note.tags))
            index = self.confidence.findData(str(note.confidence) if note.confidence else "")
            self.confidence.setCurrentIndex(max(index, 0))
            self._set_text(self.sources, "; ".join(str(s) for s in note.sources))
            self._set_text(self.author_edit, note.author)
            self.source_completer.set_items(document.table("sources")["id"].astype(str).tolist())
            shown = self._deferred if self._deferred is not None else self.body.toPlainText()
            if shown != note.body:
                self._set_body(note.body)
        finally:
            self._loading = False
        self.reload_meta()
        self.preview.show_markdown(note.body)
        if not self._split_set:
            QTimer.singleShot(0, self._halve)

    def _halve(self) -> None:
        """Source and preview share the height equally (once laid out)."""
        total = sum(self.split.sizes())
        if total > 0 and not self._split_set:
            self._split_set = True
            self.split.setSizes([total // 2, total - total // 2])

    def _set_body(self, text: str) -> None:
        """Put a note's text in the editor. A long note goes in line-aligned pieces, one per
        turn of the event loop (read-only meanwhile), so the window never freezes on it."""
        self._chunks = []
        self._deferred = None
        self.large_bar.hide()
        longest = max(map(len, text.split("\n")), default=0)
        if longest > HUGE_LINE:
            # Qt lays out a paragraph whole: an unbroken line this long would freeze the
            # window for a good fraction of a second. The preview shows the note; the text
            # goes into the editor when the analyst asks for it.
            self._deferred = text
            self.body.setReadOnly(True)
            self.body.setPlainText("")
            self.large_text.setText(
                f"This note has a line of {longest:,} characters. The preview shows its "
                "start; loading it into the editor takes a moment."
            )
            self.large_bar.show()
            return
        self.body.setReadOnly(False)
        # Qt's word wrap searches a line for a break: quadratic on a long unbroken line.
        self.body.setWordWrapMode(
            QTextOption.WrapMode.WrapAnywhere
            if longest > LONG_LINE or len(text) > LOAD_CHUNK
            else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
        )
        if len(text) <= LOAD_CHUNK:
            position = self.body.textCursor().position()
            self.body.setPlainText(text)
            cursor = self.body.textCursor()
            cursor.setPosition(min(position, len(text)))
            self.body.setTextCursor(cursor)
            return
        self._chunks = _line_chunks(text, LOAD_CHUNK)
        self._chunks.reverse()  # popped from the end
        self.body.setReadOnly(True)
        self.body.setPlainText(self._chunks.pop())
        QTimer.singleShot(0, self._load_more)

    def load_deferred(self) -> None:
        """Put a note with a huge line into the editor, now that the analyst asked."""
        text, self._deferred = self._deferred, None
        if text is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._loading = True
            self.body.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
            self.body.setPlainText(text)
            self.body.setReadOnly(False)
            self.large_bar.hide()
        finally:
            self._loading = False
            QApplication.restoreOverrideCursor()

    def _load_more(self) -> None:
        if not self._chunks:
            return
        self._loading = True
        try:
            self.body.appendPlainText(self._chunks.pop())  # a new line: chunks end at one
        finally:
            self._loading = False
        if self._chunks:
            QTimer.singleShot(0, self._load_more)
        else:
            self.body.setReadOnly(False)
            self.body.moveCursor(QTextCursor.MoveOperation.Start)

    @property
    def body_loading(self) -> bool:
        """Whether a long note is still going into the editor (or waits to be asked for)."""
        return bool(self._chunks) or self._deferred is not None

    @staticmethod
    def _set_text(edit: QLineEdit, text: str) -> None:
        if edit.text() != text:
            edit.setText(text)
            edit.setCursorPosition(0)

    def _show_times(self) -> None:
        note = self.note()
        if note is None or self.workspace is None:
            return
        zone = self.workspace.display_zone()
        self.times.setText(
            f"Created {local_and_utc(note.created_utc, zone)}\n"
            f"Modified {local_and_utc(note.modified_utc, zone)}"
        )

    def _refresh_tab(self) -> None:
        if self.tabs.currentWidget() is self.versions:
            self.versions.show_versions(self.workspace, self.annotation_id)

    def _document_changed(self, change: Change) -> None:
        if change.table in ("annotations", "annotation_versions") and not self._loading:
            if self.annotation_id is not None and self.note() is None:
                self.annotation_id = None  # deleted (or its creation undone)
            if change.table == "annotations":
                self.reload()
            else:
                self._refresh_tab()

    # -- edits ----------------------------------------------------------------------------------
    def push(self, fields: dict[str, Any]) -> bool:
        """Change fields of the note as one undoable command. A value the note cannot hold is
        refused with a one-line message and changes nothing."""
        if "body" not in fields:
            self._commit_body()  # what was typed first is its own, earlier step
        note = self.note()
        if note is None or self.workspace is None:
            return False
        try:
            command = EditAnnotation(
                self.workspace.document, note.id, fields, self.author(), self.now()
            )
        except ValueError as exc:
            self._refuse(str(exc))
            return False
        self.problem.hide()
        self._loading = True  # the editor already shows what it pushes
        try:
            self.workspace.stack.push(command)
        finally:
            self._loading = False
        if "body" not in fields:
            self.workspace.stack.close_merge()  # a retarget or a new tag list: its own step
        self.reload_meta()
        return True

    def reload_meta(self) -> None:
        """What follows from the note but is not typed: heading, times, what the targets
        and sources read as, tag completion and history."""
        note = self.note()
        if note is None or self.workspace is None:
            return
        self.heading.setText(f"Note {note.id}" + (f" · {note.author}" if note.author else ""))
        self._show_times()
        self.targets_read.setText("About: " + _describe(self.workspace, note.targets))
        self.tag_completer.set_items(all_tags(self.workspace.document))
        self.source_links.setText(_source_links(self.workspace, note.sources))
        self.source_links.setVisible(bool(note.sources))
        self._refresh_tab()

    def _refuse(self, message: str) -> None:
        self.problem.setText(message[0].upper() + message[1:] if message else message)
        self.problem.show()
        note = self.note()
        if note is not None:  # put the field back as the note has it
            self._loading = True
            self._set_text(self.targets, "; ".join(str(t) for t in note.targets))
            self._set_text(self.tags, "; ".join(note.tags))
            self._set_text(self.sources, "; ".join(str(s) for s in note.sources))
            self._set_text(self.author_edit, note.author)
            self._loading = False

    def _typed(self) -> None:
        if self._loading or self.body_loading or self.note() is None:
            return
        if not self._timer.isActive():
            self.typing_started.emit()
        self._timer.start()  # restarted by each keystroke: commits after a pause

    def commit_pending(self) -> None:
        """Make everything typed and not yet a command one: the body, then the tags, sources,
        targets and author fields (before save, undo, close or another note)."""
        self._commit_body()
        if self.note() is not None:
            self._tags_edited()
            self._sources_edited()
            self._targets_edited()
            self._author_edited()

    def _commit_body(self) -> None:
        self._timer.stop()
        note = self.note()
        if note is None or self.body_loading:
            return  # nothing typed: a long note is still loading (and read-only)
        text = self.body.toPlainText()
        if text != note.body:
            self.push({"body": text})
        self.preview.show_markdown(text)

    @property
    def has_pending(self) -> bool:
        return self._timer.isActive()

    def _tags_edited(self) -> None:
        note = self.note()
        if note is None or self._loading:
            return
        tags = items_of(self.tags.text())
        if tuple(tags) != note.tags:
            self.push({"tags": tags})

    def _author_edited(self) -> None:
        note = self.note()
        author = " ".join(self.author_edit.text().split())
        if note is not None and not self._loading and author != note.author:
            self.push({"author": author})

    def _confidence_chosen(self, _index: int) -> None:
        note = self.note()
        value = str(self.confidence.currentData() or "")
        if note is not None and value != (str(note.confidence) if note.confidence else ""):
            self.push({"confidence": value})

    def _sources_edited(self) -> None:
        note = self.note()
        if note is None or self._loading or self.workspace is None:
            return
        try:
            refs = [SourceRef.parse(item) for item in items_of(self.sources.text())]
        except ValueError as exc:
            self._refuse(str(exc))
            return
        unknown = [
            r.source_id for r in refs if not self.workspace.document.has("sources", r.source_id)
        ]
        if unknown:
            self._refuse(f"No source {', '.join(unknown)} in this project; sources are cited by id")
            return
        if tuple(refs) != note.sources:
            self.push({"sources": [str(r) for r in refs]})

    def _targets_edited(self) -> None:
        note = self.note()
        if note is None or self._loading:
            return
        try:
            targets = [Target.parse(item) for item in items_of(self.targets.text())]
        except ValueError as exc:
            self._refuse(str(exc))
            return
        self.set_targets(targets)

    def set_targets(self, targets: list[Target]) -> bool:
        """Retarget the note (one undoable step). A note is always about something."""
        note = self.note()
        if note is None or self.workspace is None:
            return False
        targets = list(dict.fromkeys(targets))
        if tuple(targets) == note.targets:
            return True  # unchanged (even if a target's event was deleted since)
        if not targets:
            self._refuse(
                "A note must be about something: an event, a system, a claim, a time "
                "range or the project"
            )
            return False
        missing = unknown_targets(self.workspace.document, targets)
        if missing:
            self._refuse(f"Not in this project: {', '.join(missing)}")
            return False
        return self.push({"targets": [str(t) for t in targets]})

    # -- the target menu --------------------------------------------------------------------
    def _fill_target_menu(self) -> None:
        menu = self.target_menu
        menu.clear()
        workspace = self.workspace
        note = self.note()
        if workspace is None or note is None:
            return
        selected = sorted(workspace.selection.ids)
        events = [Target(TargetKind.EVENT, e) for e in selected]
        use = menu.addAction(f"The Selected Events ({len(selected)})")
        use.setEnabled(bool(selected))
        use.triggered.connect(lambda: self.set_targets(events))
        add = menu.addAction("Add the Selected Events")
        add.setEnabled(bool(selected))
        add.triggered.connect(lambda: self.set_targets([*note.targets, *events]))
        window = workspace.time_range
        span = menu.addAction("The Time Filter's Range")
        span.setEnabled(window.start is not None and window.end is not None)
        if window.start is not None and window.end is not None:
            ranged = Target.time(window.start, window.end)
            span.triggered.connect(lambda: self.set_targets([ranged]))
        project = menu.addAction("The Whole Project")
        project.triggered.connect(lambda: self.set_targets([Target(TargetKind.PROJECT)]))
        systems = menu.addMenu("A Missile System")
        table = workspace.document.table("systems")
        for system_id, name in zip(table["id"], table["name"], strict=True):
            action = systems.addAction(str(name))
            target = Target(TargetKind.SYSTEM, str(system_id))
            action.triggered.connect(lambda _=False, t=target: self.set_targets([t]))
        systems.setEnabled(len(table) > 0)
        claims = menu.addMenu("A Claim of the Selected Events")
        measurements = workspace.document.table("measurements")
        mine = measurements[
            (measurements["subject_type"] == "event").to_numpy(dtype=bool)
            & measurements["subject_id"].isin(selected).to_numpy(dtype=bool)
        ]
        for row in mine.itertuples(index=False):
            label = (
                f"{row.id}: {row.parameter} ({row.subject_id}, {row.claimant or 'unattributed'})"
            )
            action = claims.addAction(label)
            target = Target(TargetKind.MEASUREMENT, str(row.id))
            action.triggered.connect(lambda _=False, t=target: self.set_targets([t]))
        claims.setEnabled(len(mine) > 0)


def _describe(workspace: Workspace, targets: tuple[Target, ...]) -> str:
    words = [describe_target(workspace.document, t) for t in targets]
    return ", ".join(words) or "nothing"


def _source_links(workspace: Workspace, refs: tuple[SourceRef, ...]) -> str:
    """Each cited source by title, linked when it has a web address (opened only after the
    reader confirms, see :meth:`MarkdownPreview.open_link`)."""
    parts = []
    for ref in refs:
        row = workspace.document.row("sources", ref.source_id) or {}
        title = str(row.get("title") or ref.source_id)
        where = f" {ref.locator}" if ref.locator else ""
        text = html.escape(f"{title}{where}")
        url = str(row.get("url") or "")
        parts.append(f'<a href="{html.escape(url, quote=True)}">{text}</a>' if url else text)
    return " · ".join(parts)


def _line_chunks(text: str, size: int) -> list[str]:
    """``text`` cut at line ends into pieces of about ``size`` characters, without the line
    end between pieces (``appendPlainText`` adds it back). A line longer than ``size`` is one
    piece: it cannot be cut without changing the text."""
    pieces = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start + size) if start + size < len(text) else -1
        if end < 0:
            pieces.append(text[start:])
            break
        pieces.append(text[start:end])
        start = end + 1
    return pieces
