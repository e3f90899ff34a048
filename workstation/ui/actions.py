"""Every menu and toolbar action, declared in one place with its shortcut and tip.

The main window connects them; Help > Keyboard shortcuts lists them from here.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

StandardKey = QKeySequence.StandardKey


class Actions:
    """The window's actions. Attributes are ``QAction`` objects owned by ``parent``."""

    def __init__(self, parent: QWidget) -> None:
        def make(
            text: str,
            shortcut: QKeySequence | StandardKey | str | None = None,
            tip: str = "",
            checkable: bool = False,
        ) -> QAction:
            action = QAction(text, parent)
            if shortcut is not None:
                action.setShortcuts([QKeySequence(shortcut)])  # setShortcut() builds all Qt enums
            action.setStatusTip(tip)
            action.setToolTip(tip or text.replace("&", ""))
            action.setCheckable(checkable)
            self.all.append(action)
            return action

        self.all: list[QAction] = []
        # File
        self.new = make("&New Project", StandardKey.New, "Start an empty project")
        self.open = make("&Open…", StandardKey.Open, "Open a project file")
        self.save = make("&Save", StandardKey.Save, "Save the project")
        self.save_as = make("Save &As…", StandardKey.SaveAs, "Save the project under a new name")
        self.revert = make("&Revert", None, "Discard unsaved changes and reload the file")
        self.import_ = make(
            "&Import…",
            "Ctrl+I",
            "Add events from a CSV, XLSX or JSON file (CNS, nk-missile-tests…)",
        )
        self.export = make(
            "&Export Chart…", "Ctrl+Shift+E", "The timeline or comparison as PNG, SVG or PDF"
        )
        self.briefing = make(
            "&Briefing Pack…", "Ctrl+Shift+B", "Charts, events, notes and sources as PDF or PPTX"
        )
        self.close_project = make("&Close Project", StandardKey.Close, "Close the project")
        self.quit = make("&Quit", StandardKey.Quit, "Quit Workstation")
        # Edit
        self.undo = make("&Undo", StandardKey.Undo, "Undo the last change")
        self.redo = make("&Redo", StandardKey.Redo, "Redo the change undone")
        self.history = make("&History…", "Ctrl+H", "List every change that can be undone")
        self.add_event = make("&Add Event…", "Ctrl+Shift+N", "Add an event")
        self.edit_event = make("&Edit Event…", "Ctrl+E", "Edit the selected event")
        self.duplicate_event = make("D&uplicate Event", "Ctrl+D", "Duplicate the selected event")
        self.delete_events = make(
            "De&lete Events", StandardKey.Delete, "Delete the selected events"
        )
        self.annotate = make(
            "A&nnotate Selection",
            "Ctrl+Shift+M",
            "Write a note on the selected events (else the time filter's range, else the project)",
        )
        self.preferences = make("&Preferences…", "Ctrl+,", "Your author name and other settings")
        self.select_all = make(
            "Select &All Shown", StandardKey.SelectAll, "Select every event the filters show"
        )
        self.clear_selection = make("Clear Selectio&n", "Esc", "Select nothing")
        # View
        self.show_utc = make(
            "Show Times in &UTC",
            "Ctrl+U",
            "Show every time in UTC instead of the events' local zones",
            checkable=True,
        )
        self.focus_filter = make("&Filter…", StandardKey.Find, "Type a filter or query")
        self.clear_filter = make("Clear Filte&rs", "Ctrl+Shift+F", "Show every event")
        self.save_view = make("Save Current &View…", None, "Name the current filter")
        self.reset_layout = make("&Reset Layout", None, "Bring back the default dock layout")
        # Help
        self.query_help = make("&Query Syntax", None, "How to write filter queries")
        self.shortcuts = make("&Keyboard Shortcuts", "F1", "List every keyboard shortcut")
        self.about = make("&About Workstation", None, "Version and library versions")

    def shortcut_table(self) -> list[tuple[str, str]]:
        """(action, shortcut) for every action that has one, as a person reads them."""
        rows = []
        for action in self.all:
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                rows.append((action.text().replace("&", "").rstrip("…"), keys))
        return rows
