"""View > Saved Views: named filters stored in the project (``model/saved_views.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow

VIEW_PREFIX = "view:"  # saved views live in the project's meta table as view:NAME


class SavedViews:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def ask_name(self) -> str | None:
        name, ok = QInputDialog.getText(self.window, "Save view", "Name of this view:")
        return name.strip() if ok and name.strip() else None

    def save_view(self) -> None:
        from workstation.model.commands import SetMeta
        from workstation.model.saved_views import encode_view

        if self.window.workspace is None or self.window.filter_bar is None:
            return
        name = self.ask_name()
        if name is None:
            return
        value = encode_view(
            self.window.workspace.effective_query(), self.window.filter_bar.display_zone()
        )
        self.window.workspace.stack.push(
            SetMeta(f"{VIEW_PREFIX}{name}", value, label=f"Save view '{name}'")
        )

    def apply_view(self, name: str) -> None:
        from workstation.model.saved_views import decode_view

        if self.window.workspace is None or self.window.filter_bar is None:
            return
        stored = self.window.workspace.document.meta.get(f"{VIEW_PREFIX}{name}", "")
        try:
            text = decode_view(stored, self.window.filter_bar.display_zone())
        except ValueError as exc:
            self.window.show_error(f"The saved view '{name}' cannot be used: {exc}")
            return
        self.window.filter_bar.reset()  # the view replaces every current filter
        self.window.filter_bar.set_query_text(text)

    def rebuild_menu(self) -> None:
        self.window.views_menu.clear()
        if self.window.workspace is None:
            return
        names = sorted(
            k[len(VIEW_PREFIX) :]
            for k in self.window.workspace.document.meta
            if k.startswith(VIEW_PREFIX)
        )
        for name in names:
            action = self.window.views_menu.addAction(name)
            action.triggered.connect(lambda _=False, n=name: self.apply_view(n))
        self.window.views_menu.setEnabled(bool(names))
