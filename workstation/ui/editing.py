"""Event editing for the main window: the form dialog, add, edit, duplicate, delete, select.

Each action builds an undoable command through ``ui/event_dialog.py``; the window only
connects the actions to these methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workstation.model.events import Event
    from workstation.ui.main_window import MainWindow


class EventEditing:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def selected_event(self) -> Event | None:
        if self.window.workspace is None or len(self.window.workspace.selection) != 1:
            return None
        (event_id,) = self.window.workspace.selection.ids
        return self.window.workspace.document.event(event_id)

    def run_event_dialog(self, event: Event | None, duplicate: bool = False) -> Event | None:
        """Show the event form; the edited event, or None when cancelled (tests replace it)."""
        from workstation.ui.event_dialog import EventDialog

        assert self.window.workspace is not None
        zone = self.window.workspace.document.meta.get("default_timezone") or "UTC"
        dialog = EventDialog(
            self.window.workspace.document,
            event,
            duplicate=duplicate,
            default_zone=zone,
            parent=self.window,
        )
        if dialog.exec() != EventDialog.DialogCode.Accepted:
            return None
        return dialog.result_event()

    def add_event(self) -> None:
        from workstation.ui.event_dialog import add_event

        if self.window.workspace is None:
            return
        event = self.run_event_dialog(None)
        if event is not None:
            add_event(self.window.workspace, event)
            self.window.workspace.selection.set([event.id])

    def edit_event(self, event_id: str | None = None) -> None:
        from workstation.ui.event_dialog import edit_event

        if self.window.workspace is None:
            return
        before = (
            self.window.workspace.document.event(event_id) if event_id else self.selected_event()
        )
        if before is None:
            return
        after = self.run_event_dialog(before)
        if after is not None:
            edit_event(self.window.workspace, before, after)

    def duplicate_event(self) -> None:
        from workstation.ui.event_dialog import duplicate_event

        event = self.selected_event()
        if event is not None and self.window.workspace is not None:
            copy = duplicate_event(self.window.workspace, event)
            self.window.workspace.selection.set([copy.id])

    def delete_events(self) -> None:
        from workstation.ui.event_dialog import delete_events

        if self.window.workspace is not None and len(self.window.workspace.selection):
            delete_events(self.window.workspace, sorted(self.window.workspace.selection.ids))

    def select_all_shown(self) -> None:
        if self.window.workspace is not None:
            ids = self.window.workspace.document.events["id"][self.window.workspace.visible_mask()]
            self.window.workspace.selection.set(ids)

    def clear_filters(self) -> None:
        workspace = self.window.workspace
        if workspace is not None and workspace.time_range.active:
            workspace.set_time_range(None, None)  # undoable, like setting it
        if self.window.filter_bar is not None:
            self.window.filter_bar.reset()
