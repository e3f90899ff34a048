"""The main window. It only assembles: the workspace, the docks, the actions and menus.

Start-up happens in two steps so that the window paints before the heavy imports: the
constructor builds only Qt widgets (menus, status bar); ``build_views`` (run right after the
first paint) imports pandas and friends, creates the docks and opens the project.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolBar,
)

from workstation.ui.actions import Actions
from workstation.ui.autosave import Autosaver
from workstation.ui.editing import EventEditing
from workstation.ui.files import ProjectFiles
from workstation.ui.layout import restore_geometry, restore_layout, save_layout
from workstation.ui.preferences import undo_limit
from workstation.ui.saved_views_menu import SavedViews

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from workstation.model.document import Document
    from workstation.model.workspace import Workspace
    from workstation.ui.annotations import AnnotationDock
    from workstation.ui.comparison import ComparisonDock
    from workstation.ui.event_table_dock import EventTableDock
    from workstation.ui.filter_bar import FilterBar
    from workstation.ui.timeline import TimelineDock


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Workstation")
        self.resize(1280, 800)
        self.setDockNestingEnabled(True)
        self.setAcceptDrops(True)
        self.settings = settings if settings is not None else QSettings()
        self.actions = Actions(self)
        self.files = ProjectFiles(self, self.settings)
        self.autosaver = Autosaver(self, self.settings)
        self.editing = EventEditing(self)
        self.views = SavedViews(self)
        self.workspace: Workspace | None = None
        self.docks: dict[str, QDockWidget] = {}
        self.event_dock: EventTableDock | None = None
        self.timeline_dock: TimelineDock | None = None
        self.comparison_dock: ComparisonDock | None = None
        self.annotation_dock: AnnotationDock | None = None
        self.filter_bar: FilterBar | None = None
        self._default_state: Any = None
        self._start_pending = False
        self._pending_start: Path | None = None
        self.history_dialog: QDialog | None = None
        self.counts: QLabel | None = None  # the status bar is built after the first paint
        self._build_menus()
        self._connect_actions()
        restore_geometry(self, self.settings)

    # -- start-up -------------------------------------------------------------------------
    def open_after_first_paint(self, requested: Path | None) -> None:
        """Open the project once the window has painted (see ``paintEvent``)."""
        self._pending_start = requested
        self._start_pending = True

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._start_pending:
            # Leave this paint first: the heavy imports run on the next turn of the loop.
            self._start_pending = False
            QTimer.singleShot(0, lambda: self.open_startup_project(self._pending_start))

    def open_startup_project(self, requested: Path | None) -> None:
        self.build_views()
        from workstation import paths

        try:
            path = paths.startup_project(requested)
        except OSError as exc:
            self.show_error(f"Could not prepare the seed project: {exc.strerror or exc}.")
            path = None
        if path is None or not self.files.open_path(path):
            from workstation.model.document import Document

            self.set_document(Document())
        self.autosaver.offer_recovery()
        # Everything built so far (modules, widgets, the project) lives as long as the app:
        # moved out of the collector's sight, a full collection no longer scans it, and a
        # background autosave's allocations cannot cost the UI a long collection pause.
        gc.freeze()

    def build_views(self) -> None:
        """Create the docks and the filter bar (the heavy imports happen here)."""
        if self.event_dock is not None:
            return
        from PySide6.QtCore import Qt

        from workstation import paths

        icon = paths.resources_dir() / "workstation.svg"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        from workstation.ui.event_table_dock import EventTableDock
        from workstation.ui.filter_bar import FilterBar

        self.counts = QLabel("Opening project…", self)
        self.counts.setObjectName("countsLabel")
        self.statusBar().addPermanentWidget(self.counts)

        self.filter_bar = FilterBar(parent=self)
        toolbar = QToolBar("Filters", self)
        toolbar.setObjectName("filterToolBar")
        toolbar.addWidget(self.filter_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.event_dock = EventTableDock(parent=self)
        self.event_dock.edit_requested.connect(lambda event_id: self.editing.edit_event(event_id))
        self.add_dock(self.event_dock, Qt.DockWidgetArea.LeftDockWidgetArea)
        from workstation.ui.timeline import TimelineDock

        self.timeline_dock = TimelineDock(parent=self)
        self.add_dock(self.timeline_dock, Qt.DockWidgetArea.BottomDockWidgetArea)
        from workstation.ui.comparison import ComparisonDock

        self.comparison_dock = ComparisonDock(parent=self)
        self.add_dock(self.comparison_dock, Qt.DockWidgetArea.LeftDockWidgetArea)
        # A tab beside the event table: both want the width, and the comparison is read on
        # demand (it fills itself in when first shown).
        self.tabifyDockWidget(self.event_dock, self.comparison_dock)
        self.event_dock.raise_()
        from workstation.ui.annotations import AnnotationDock
        from workstation.ui.preferences import author_name

        self.annotation_dock = AnnotationDock(parent=self)
        self.annotation_dock.author = lambda: author_name(self.settings)
        self.annotation_dock.editor.typing_started.connect(self._typing_started)
        # The notes run the full height at the right, beside the table and the timeline.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.add_dock(self.annotation_dock, Qt.DockWidgetArea.RightDockWidgetArea)
        self._default_state = self.saveState()
        if restore_layout(self, self.settings):
            restore_geometry(self, self.settings)  # docks restored may have resized the window
        else:
            QTimer.singleShot(0, self._balance_docks)  # once the new docks are laid out

    def _balance_docks(self) -> None:
        """The default split: the timeline gets half the height (its lanes and counts need
        it; the table scrolls), the notes a third of the width beside both."""
        from PySide6.QtCore import Qt

        if self.timeline_dock is not None and self.timeline_dock.isVisible():
            self.resizeDocks([self.timeline_dock], [self.height() // 2], Qt.Orientation.Vertical)
        if self.annotation_dock is not None and self.annotation_dock.isVisible():
            # Both sides named: with no central widget, one dock alone does not move.
            width = self.width()
            self.resizeDocks(
                [self.annotation_dock, self.event_dock or self.annotation_dock],
                [width // 3, width - width // 3],
                Qt.Orientation.Horizontal,
            )
        if self.timeline_dock is not None and self.workspace is not None:
            self.timeline_dock.fit_all()  # fitted before its width changed

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea) -> None:
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        self.docks[dock.objectName()] = dock
        self.panels_menu.addAction(dock.toggleViewAction())

    # -- the document ---------------------------------------------------------------------
    def set_document(self, document: Document) -> None:
        from workstation.model.workspace import Workspace

        self.build_views()
        assert self.event_dock is not None
        assert self.filter_bar is not None
        workspace = Workspace(document)
        workspace.set_show_utc(self.actions.show_utc.isChecked())
        # Views first: if one of them refuses the document, the window keeps the old one.
        self.filter_bar.set_workspace(workspace)
        self.event_dock.set_workspace(workspace)
        assert self.timeline_dock is not None
        self.timeline_dock.set_workspace(workspace)
        assert self.comparison_dock is not None
        self.comparison_dock.set_workspace(workspace)
        assert self.annotation_dock is not None
        self.annotation_dock.set_workspace(workspace)
        if self.history_dialog is not None:
            self.history_dialog.close()  # it shows the previous project's undo stack
            self.history_dialog = None
        self.workspace = workspace
        # The previous document was saved or its changes discarded (files.may_discard asked):
        # its recovery file goes, and autosave follows the new one.
        self.autosaver.closed_cleanly()
        self.autosaver.attach(workspace)
        workspace.stack.set_limit(undo_limit(self.settings))
        workspace.stack.changed.connect(self._on_stack_changed)
        workspace.selection.changed.connect(lambda _: self._update_state())
        workspace.filter_changed.connect(self._update_state)
        document.meta_changed.connect(lambda _: self.views.rebuild_menu())
        self.views.rebuild_menu()
        self._on_stack_changed()

    def is_modified(self) -> bool:
        return self.workspace is not None and not self.workspace.stack.is_clean

    def project_name(self) -> str:
        if self.workspace is None:
            return "Workstation"
        document = self.workspace.document
        return document.meta.get("title") or (
            document.path.stem if document.path else "Untitled project"
        )

    def update_title(self) -> None:
        path = self.workspace.document.path if self.workspace else None
        where = f" ({path.name})" if path else ""
        read_only = " [read-only]" if self.files.read_only else ""
        self.setWindowTitle(f"{self.project_name()}{where}{read_only}[*] — Workstation")
        self.setWindowModified(self.is_modified())

    def _on_stack_changed(self) -> None:
        stack = self.workspace.stack if self.workspace else None
        self.actions.undo.setEnabled(bool(stack and stack.can_undo))
        self.actions.redo.setEnabled(bool(stack and stack.can_redo))
        self.actions.undo.setText(
            f"&Undo {stack.undo_label}" if stack and stack.can_undo else "&Undo"
        )
        self.actions.redo.setText(
            f"&Redo {stack.redo_label}" if stack and stack.can_redo else "&Redo"
        )
        self.update_title()
        self._update_state()

    def _typing_started(self) -> None:
        """Typing in a note is undoable before it becomes a command (Undo commits it first)."""
        self.actions.undo.setEnabled(True)
        self.actions.undo.setText("&Undo Typing")
        self.setWindowModified(True)

    def _update_state(self) -> None:
        if self.workspace is None:
            return
        total = len(self.workspace.document)
        shown = self.workspace.visible_count()
        selected = len(self.workspace.selection)
        assert self.counts is not None
        self.counts.setText(f"{shown:,} shown / {total:,} events · {selected:,} selected")
        self.actions.edit_event.setEnabled(selected == 1)
        self.actions.duplicate_event.setEnabled(selected == 1)
        self.actions.delete_events.setEnabled(selected > 0)
        self.actions.revert.setEnabled(self.workspace.document.path is not None)

    def show_error(self, message: str, icon: QMessageBox.Icon = QMessageBox.Icon.Critical) -> None:
        """One clear sentence in a dialog that does not block the event loop."""
        self.statusBar().showMessage(message, 10000)
        self.error_box = QMessageBox(
            icon, "Workstation", message, QMessageBox.StandardButton.Ok, self
        )
        self.error_box.open()

    # -- menus ----------------------------------------------------------------------------
    def _build_menus(self) -> None:
        a = self.actions
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([a.new, a.open])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recentMenu")
        file_menu.addSeparator()
        file_menu.addActions([a.save, a.save_as, a.revert])
        file_menu.addSeparator()
        file_menu.addAction(a.import_)
        file_menu.addActions([a.export, a.briefing])
        file_menu.addSeparator()
        file_menu.addAction(a.close_project)
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([a.undo, a.redo, a.history])
        edit_menu.addSeparator()
        edit_menu.addActions([a.add_event, a.edit_event, a.duplicate_event, a.delete_events])
        edit_menu.addSeparator()
        edit_menu.addAction(a.annotate)
        edit_menu.addSeparator()
        edit_menu.addActions([a.select_all, a.clear_selection])
        edit_menu.addSeparator()
        edit_menu.addAction(a.preferences)
        view_menu = bar.addMenu("&View")
        self.panels_menu = view_menu.addMenu("&Panels")
        view_menu.addAction(a.reset_layout)
        view_menu.addSeparator()
        view_menu.addAction(a.show_utc)
        view_menu.addSeparator()
        view_menu.addActions([a.focus_filter, a.clear_filter])
        self.views_menu = view_menu.addMenu("Saved &Views")
        self.views_menu.setObjectName("savedViewsMenu")
        view_menu.addAction(a.save_view)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([a.query_help, a.shortcuts])
        help_menu.addSeparator()
        help_menu.addAction(a.about)
        self.rebuild_recent_menu()

    def rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.files.recent()
        for path in recent:
            action = self.recent_menu.addAction(path.name)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.files.open(p))
        self.recent_menu.setEnabled(bool(recent))

    def _connect_actions(self) -> None:
        a = self.actions
        a.new.triggered.connect(self.files.new)
        a.open.triggered.connect(lambda: self.files.open())
        a.save.triggered.connect(self.files.save)
        a.save_as.triggered.connect(self.files.save_as)
        a.revert.triggered.connect(self.files.revert)
        a.close_project.triggered.connect(self.files.close)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(self.undo)
        a.redo.triggered.connect(self.redo)
        a.annotate.triggered.connect(self.annotate_selection)
        a.import_.triggered.connect(lambda: self.show_import())
        a.export.triggered.connect(lambda: self.show_export("timeline"))
        a.briefing.triggered.connect(lambda: self.show_export("pack"))
        a.preferences.triggered.connect(self.show_preferences)
        a.history.triggered.connect(self.show_history)
        a.add_event.triggered.connect(self.editing.add_event)
        a.edit_event.triggered.connect(lambda: self.editing.edit_event())
        a.duplicate_event.triggered.connect(self.editing.duplicate_event)
        a.delete_events.triggered.connect(self.editing.delete_events)
        a.select_all.triggered.connect(self.editing.select_all_shown)
        a.clear_selection.triggered.connect(
            lambda: self.workspace and self.workspace.selection.clear()
        )
        a.show_utc.toggled.connect(lambda on: self.workspace and self.workspace.set_show_utc(on))
        a.focus_filter.triggered.connect(self._focus_filter)
        a.clear_filter.triggered.connect(self.editing.clear_filters)
        a.save_view.triggered.connect(self.views.save_view)
        a.reset_layout.triggered.connect(self.reset_layout)
        a.query_help.triggered.connect(lambda: self._show_dialog("query"))
        a.shortcuts.triggered.connect(lambda: self._show_dialog("shortcuts"))
        a.about.triggered.connect(lambda: self._show_dialog("about"))
        for action in a.all:
            self.addAction(action)  # shortcuts work even when menus are hidden

    # -- commands -------------------------------------------------------------------------
    def commit_pending_edits(self) -> None:
        """Make what is being typed (a note's body) a command, before undo, redo, save or
        closing, so none of it is lost or left out of the step."""
        if self.annotation_dock is not None:
            self.annotation_dock.commit_pending()

    def undo(self) -> None:
        if self.workspace is not None:
            self.commit_pending_edits()
            self.workspace.stack.undo()

    def redo(self) -> None:
        if self.workspace is not None:
            self.commit_pending_edits()
            self.workspace.stack.redo()

    def annotate_selection(self) -> None:
        if self.annotation_dock is not None and self.workspace is not None:
            self.annotation_dock.annotate_selection()

    def ask_import_path(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self, "Import", "", "Tables (*.csv *.txt *.tsv *.xlsx *.json);;All files (*)"
        )
        return Path(name) if name else None

    def show_import(self, path: Path | None = None) -> None:
        """File > Import: choose a file, then see what it would add before it does."""
        if self.workspace is None:
            return
        path = path or self.ask_import_path()
        if path is None:
            return
        from PySide6.QtCore import Qt

        from workstation.ui.import_dialog import ImportDialog

        self.commit_pending_edits()
        self.import_dialog = ImportDialog(self.workspace, path, self.settings, self)
        self.import_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.import_dialog.open()

    def show_export(self, what: str) -> None:
        """File > Export Chart / Briefing Pack: the dialog, copying the docks' views."""
        if self.workspace is None:
            return
        from PySide6.QtCore import Qt

        from workstation.ui.export.dialog import ExportDialog

        self.commit_pending_edits()  # a note being typed belongs in the pack
        likes = {"timeline": self.timeline_dock, "comparison": self.comparison_dock}
        self.export_dialog = ExportDialog(self.workspace, likes, what, self)
        self.export_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.export_dialog.open()

    def show_preferences(self) -> None:
        from workstation.ui.preferences import PreferencesDialog

        self.preferences_dialog = PreferencesDialog(self.settings, self)
        self.preferences_dialog.accepted.connect(self.apply_preferences)
        self.preferences_dialog.open()

    def apply_preferences(self) -> None:
        """Autosave's interval and the undo limit take effect at once."""
        self.autosaver.apply_settings()
        if self.workspace is not None:
            self.workspace.stack.set_limit(undo_limit(self.settings))

    def _focus_filter(self) -> None:
        if self.filter_bar is not None:
            self.filter_bar.search.setFocus()
            self.filter_bar.search.selectAll()

    def show_history(self) -> None:
        from workstation.ui.history import HistoryDialog

        if self.workspace is None:
            return
        if self.history_dialog is None or not self.history_dialog.isVisible():
            if self.history_dialog is not None:
                self.history_dialog.deleteLater()
            self.history_dialog = HistoryDialog(self.workspace.stack, self)
        self.history_dialog.show()
        self.history_dialog.raise_()

    def _show_dialog(self, which: str) -> None:
        from workstation.ui import help as help_dialogs

        if which == "about":
            dialog = help_dialogs.about_dialog(self)
        elif which == "shortcuts":
            rows = self.actions.shortcut_table()
            for dock in self.docks.values():
                rows += getattr(dock, "shortcut_rows", list)()
            dialog = help_dialogs.shortcuts_dialog(self, rows)
        else:
            dialog = help_dialogs.query_help_dialog(self)
        self.help_dialog = dialog
        dialog.show()

    def reset_layout(self) -> None:
        if self._default_state is not None:
            self.restoreState(self._default_state)
            for dock in self.docks.values():
                dock.show()
            if self.event_dock is not None:
                self.event_dock.raise_()  # the table in front of the comparison's tab
            self._balance_docks()

    # -- window events --------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.may_discard():
            event.ignore()
            return
        save_layout(self, self.settings)
        self.autosaver.closed_cleanly()  # saved or discarded: nothing left to recover
        self.autosaver.shutdown()
        self.files.release()
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.files.open(files[0])
