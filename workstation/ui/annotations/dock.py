"""The annotation dock: the analyst's notes, found, read and written beside the events.

A view over a :class:`~workstation.model.workspace.Workspace`, built from it alone. The list's
filter is the workspace's annotation filter, so the timeline pins exactly the notes listed;
choosing notes selects what they are about in every dock (``Workspace.select_annotations``),
and selecting events elsewhere lists their notes (when "Follow selection" is on). What a note
is about, and which notes concern which events, is computed in
:mod:`workstation.model.annotation_list`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workstation.model import annotation_list as al
from workstation.model.annotation_commands import AddAnnotation, delete_annotations
from workstation.model.annotation_list import AnnotationFilter, SortKey
from workstation.model.annotations import Annotation, Target, TargetKind
from workstation.model.document import Change
from workstation.model.workspace import Workspace
from workstation.ui.annotations.editor import AnnotationEditor
from workstation.ui.annotations.list_model import AnnotationListModel
from workstation.ui.connections import Connections
from workstation.ui.preferences import os_user

ALL = ""  # the "any tag" / "any author" entry of the filter combos
MAX_EVENT_TARGETS = 500  # above this, Annotate Selection targets the selection's time span


class AnnotationDock(QDockWidget):
    """``AnnotationDock(workspace)``: the list of notes above the editor of the chosen one."""

    def __init__(self, workspace: Workspace | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Annotations", parent)
        self.setObjectName("annotationDock")
        self.workspace: Workspace | None = None
        self._connections = Connections()
        self._syncing = False
        #: The selection of events the list follows (None: every note).
        self._following: frozenset[str] | None = None

        self.search = QLineEdit(self)
        self.search.setObjectName("noteSearch")
        self.search.setPlaceholderText("Search notes")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_edited)
        self.tag = QComboBox(self)
        self.tag.setObjectName("noteTagFilter")
        self.tag.setToolTip("Only notes with this tag")
        self.tag.activated.connect(self._filter_edited)
        self.author_filter = QComboBox(self)
        self.author_filter.setObjectName("noteAuthorFilter")
        self.author_filter.setToolTip("Only notes by this author")
        self.author_filter.activated.connect(self._filter_edited)
        self.target = QLineEdit(self)
        self.target.setObjectName("noteTargetFilter")
        self.target.setPlaceholderText("On… (A19, Hwasong-12, project)")
        self.target.setToolTip("Only notes about this event, system, claim or kind of target")
        self.target.setClearButtonEnabled(True)
        self.target.textChanged.connect(self._filter_edited)
        self.sort = QComboBox(self)
        self.sort.setObjectName("noteSort")
        for key in SortKey:
            self.sort.addItem(f"By {key}", str(key))
        self.sort.activated.connect(lambda _: self.refresh())
        self.descending = QToolButton(self)
        self.descending.setObjectName("noteSortOrder")
        self.descending.setCheckable(True)
        self.descending.setChecked(True)
        self.descending.toggled.connect(self._order_toggled)
        self._order_toggled(True)
        self.only_shown = QCheckBox("Only on events shown", self)
        self.only_shown.setObjectName("notesOnlyShown")
        self.only_shown.setToolTip(
            "Follow the app-wide filter: list only notes about events the filters show"
        )
        self.only_shown.toggled.connect(lambda _: self.refresh())
        self.follow = QCheckBox("Follow selection", self)
        self.follow.setObjectName("notesFollowSelection")
        self.follow.setToolTip("When events are selected, list only the notes about them")
        self.follow.setChecked(True)
        self.follow.toggled.connect(lambda _: self._selection_changed())

        self.model = AnnotationListModel()
        self.view = QTableView(self)
        self.view.setObjectName("noteList")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 80), (2, 100), (3, 80)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().selectionChanged.connect(self._chosen_in_list)
        self.view.installEventFilter(self)
        self.count = QLabel(self)
        self.count.setObjectName("noteCount")

        self.annotate_button = QPushButton("&Annotate Selection", self)
        self.annotate_button.setObjectName("annotateSelection")
        self.annotate_button.setToolTip(
            "New note on the selected events (else the time filter's range, else the project)"
        )
        self.annotate_button.clicked.connect(self.annotate_selection)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("deleteNotes")
        self.delete_button.setToolTip("Delete the chosen notes and their history (undoable)")
        self.delete_button.clicked.connect(self.delete_chosen)

        self.editor = AnnotationEditor(self)
        self.author: Callable[[], str] = os_user
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.editor.author = lambda: self.author()
        self.editor.now = lambda: self.now()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.target, 2)
        filters.addWidget(self.tag, 1)
        filters.addWidget(self.author_filter, 1)
        options = QHBoxLayout()
        options.addWidget(self.sort)
        options.addWidget(self.descending)
        options.addWidget(self.only_shown)
        options.addWidget(self.follow)
        options.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.annotate_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(4, 4, 4, 0)
        upper_layout.addLayout(filters)
        upper_layout.addLayout(options)
        upper_layout.addWidget(self.view, 1)
        upper_layout.addLayout(buttons)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(4, 0, 4, 4)
        lower_layout.addWidget(self.editor)
        self.view.setMinimumHeight(80)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(upper)
        self.split.addWidget(lower)
        self.split.setSizes([300, 500])  # in proportion, once the dock has its height
        self.setWidget(self.split)
        if workspace is not None:
            self.set_workspace(workspace)

    # -- the workspace ------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace) -> None:
        self.editor.commit_pending()  # into the project it was typed in
        self.workspace = workspace
        self._following = None
        # Another project: its own notes, unfiltered (as the filter bar starts empty).
        for edit in (self.search, self.target):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self.tag.setCurrentIndex(0)
        self.author_filter.setCurrentIndex(0)
        self._connections.replace(
            [
                (workspace.document.changed, self._document_changed),
                (workspace.filter_changed, self._shown_changed),
                (workspace.display_changed, self.refresh),
                (workspace.selection.changed, self._selection_changed),
                (workspace.annotation_selection.changed, self._annotations_selected),
                (workspace.annotation_filter_changed, self.refresh),
            ]
        )
        self.editor.set_workspace(workspace)
        self._fill_filter_choices()
        self._filter_edited()  # the workspace's filter from this dock's fields
        self._selection_changed()
        self._annotations_selected()

    def commit_pending(self) -> None:
        """Make what was typed a command now (before undo, redo, save or close)."""
        self.editor.commit_pending()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return [("Delete the chosen notes (in the note list)", "Delete")]

    # -- listing ------------------------------------------------------------------------------
    def _filter_edited(self, *_: object) -> None:
        if self.workspace is None:
            return
        before = self.workspace.annotation_filter
        self.workspace.set_annotation_filter(
            AnnotationFilter(
                text=self.search.text(),
                tag=str(self.tag.currentData() or ALL),
                author=str(self.author_filter.currentData() or ALL),
                target=self.target.text(),
            )
        )
        if self.workspace.annotation_filter == before:
            self.refresh()  # unchanged (a new project): no signal refreshed the list

    def _order_toggled(self, descending: bool) -> None:
        self.descending.setArrowType(Qt.ArrowType.DownArrow if descending else Qt.ArrowType.UpArrow)
        self.descending.setToolTip("Newest or latest first" if descending else "Oldest first")
        self.refresh()

    def listed_ids(self) -> list[str]:
        return list(self.model.ids)

    def refresh(self) -> None:
        """List the notes that pass the filter, the scope options and the followed selection."""
        workspace = self.workspace
        if workspace is None:
            return
        document = workspace.document
        links = al.NoteLinks.of(document)  # every note's targets, resolved once per refresh
        within = np.ones(len(document.table("annotations")), dtype=bool)
        if self.only_shown.isChecked():
            within &= al.annotations_on_shown(document, workspace.visible_mask(), links)
        if self._following:
            within &= al.annotations_on(document, self._following, links)
        ids = al.listed(
            document,
            workspace.annotation_filter,
            SortKey(str(self.sort.currentData())),
            self.descending.isChecked(),
            within,
            links,
        )
        current = self.view.currentIndex()
        current_id = self.model.ids[current.row()] if current.isValid() else None
        self._syncing = True
        try:
            self.model.set_notes(document, ids, workspace.display_zone())
            self._select_rows(workspace.annotation_selection.ids)
            row = self.model.row_of(current_id) if current_id else -1
            if row >= 0 and not self.view.currentIndex().isValid():
                # Keyboard position kept by id: Down goes on from the same note.
                self.view.selectionModel().setCurrentIndex(
                    self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )
        finally:
            self._syncing = False
        total = len(document.table("annotations"))
        following = f" on {len(self._following)} selected events" if self._following else ""
        self.count.setText(f"{len(ids)} of {total} notes{following}")
        self.delete_button.setEnabled(bool(workspace.annotation_selection))

    def _fill_filter_choices(self) -> None:
        if self.workspace is None:
            return
        document = self.workspace.document
        for combo, everything, values in (
            (self.tag, "Any tag", al.all_tags(document)),
            (self.author_filter, "Any author", al.all_authors(document)),
        ):
            current = str(combo.currentData() or ALL)
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, ALL)
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(current)
            if index < 0 and current:  # keep a chosen value that no note has any more
                combo.addItem(current, current)
                index = combo.count() - 1
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    # -- linking --------------------------------------------------------------------------------
    def _chosen_in_list(self, *_: object) -> None:
        if self._syncing or self.workspace is None:
            return
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        chosen = [self.model.ids[r] for r in rows]
        current = self.view.currentIndex()
        self._syncing = True
        try:
            self.workspace.select_annotations(chosen)
        finally:
            self._syncing = False
        if chosen:
            focus = self.model.ids[current.row()] if current.isValid() else chosen[0]
            self.editor.show_annotation(focus if focus in chosen else chosen[0])
        else:
            self.editor.show_annotation(None)
        self.delete_button.setEnabled(bool(chosen))

    def _annotations_selected(self, *_: object) -> None:
        """Notes chosen elsewhere (a pin on the timeline): choose them here and edit one."""
        if self.workspace is None or self._syncing:
            return
        chosen = self.workspace.annotation_selection.ids
        if self._following is not None and any(self.model.row_of(i) < 0 for i in chosen):
            self._following = None  # list every note, so the chosen ones are in sight
            self.refresh()
        self._syncing = True
        try:
            self._select_rows(chosen)
        finally:
            self._syncing = False
        if self.editor.annotation_id not in chosen:
            listed = [i for i in self.model.ids if i in chosen]
            self.editor.show_annotation((listed or sorted(chosen) or [None])[0])
        row = self.model.row_of(self.editor.annotation_id or "")
        if row >= 0:
            self.view.scrollTo(self.model.index(row, 0))
        self.delete_button.setEnabled(bool(chosen))

    def _select_rows(self, ids: frozenset[str]) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for annotation_id in ids:
            row = self.model.row_of(annotation_id)
            if row >= 0:
                selection.select(self.model.index(row, 0), self.model.index(row, last))
        model = self.view.selectionModel()
        model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if self.editor.annotation_id in ids:
            row = self.model.row_of(self.editor.annotation_id or "")
            if row >= 0:
                model.setCurrentIndex(
                    self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )
                self.view.scrollTo(self.model.index(row, 0))

    def _selection_changed(self, *_: object) -> None:
        """Events selected elsewhere: list the notes about them (unless the selection came
        from choosing notes here, which would otherwise shrink the list under the cursor)."""
        workspace = self.workspace
        if workspace is None:
            return
        if workspace.selection_follows_notes:
            return  # the events of notes chosen here: keep the list as it is
        following = (
            workspace.selection.ids if self.follow.isChecked() and workspace.selection else None
        )
        if following != self._following:
            self._following = following
            self.refresh()

    def _shown_changed(self) -> None:
        if self.only_shown.isChecked():
            self.refresh()

    def _document_changed(self, change: Change) -> None:
        if change.table == "annotations":  # versions do not change what is listed
            self._fill_filter_choices()
            self.refresh()
        elif change.table in ("events", "measurements", "systems") and (
            self.only_shown.isChecked() or self._following
        ):
            self.refresh()

    # -- commands -------------------------------------------------------------------------------
    def annotate_selection(self) -> str | None:
        """A new note on the selected events, else on the time filter's range, else on the
        project; chosen and ready to type in. Returns its id."""
        workspace = self.workspace
        if workspace is None:
            return None
        self.editor.commit_pending()
        document = workspace.document
        selected = workspace.selection.ids
        rows = np.sort(document.positions("events", list(selected)))
        rows = rows[rows >= 0]
        if len(rows) > MAX_EVENT_TARGETS:
            # A note naming thousands of events is slow to edit and unreadable: it is about
            # the span they cover (and says how many were selected).
            events = document.events.iloc[rows]
            start = events["start_utc"].min().to_pydatetime()
            end = events["end_utc"].fillna(events["start_utc"]).max().to_pydatetime()
            targets = [Target.time(start, end)]
            about = f"the span of {len(rows):,} selected events"
        elif len(rows):
            ids = document.events["id"].to_numpy(dtype=object)[rows]
            targets = [Target(TargetKind.EVENT, str(e)) for e in ids]
            about = ", ".join(str(e) for e in ids[:3]) + (" …" if len(ids) > 3 else "")
        elif workspace.time_range.start is not None and workspace.time_range.end is not None:
            targets = [Target.time(workspace.time_range.start, workspace.time_range.end)]
            about = "the time filter's range"
        else:
            targets = [Target(TargetKind.PROJECT)]
            about = "the project"
        now = self.now().astimezone(UTC).replace(microsecond=0)
        note = Annotation(al.next_id(document), tuple(targets), "", now, now, author=self.author())
        workspace.stack.push(AddAnnotation(document, note, f"Annotate {about}"))
        workspace.stack.close_merge()
        self._following = None  # the new note must be in the list
        workspace.select_annotations([note.id])
        self.refresh()
        self.editor.show_annotation(note.id)
        self.show()
        self.raise_()
        self.editor.body.setFocus()
        return note.id

    def delete_chosen(self) -> None:
        workspace = self.workspace
        if workspace is None or not workspace.annotation_selection:
            return
        self.editor.commit_pending()
        chosen = [i for i in self.model.ids if i in workspace.annotation_selection.ids]
        chosen += sorted(workspace.annotation_selection.ids - set(chosen))
        workspace.stack.push(delete_annotations(workspace.document, chosen))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The window's Delete deletes events; in the note list, Delete means the notes.
        if watched is self.view and event.type() in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            assert isinstance(event, QKeyEvent)
            if (
                event.matches(QKeySequence.StandardKey.Delete)
                or event.key() == Qt.Key.Key_Backspace
            ):
                if event.type() == QEvent.Type.KeyPress:
                    self.delete_chosen()
                event.accept()
                return True
        return super().eventFilter(watched, event)
