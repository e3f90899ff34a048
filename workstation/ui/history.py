"""Edit > History: the undo stack as a list; choosing an entry undoes or redoes to it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from workstation.model.commands import UndoStack


class HistoryDialog(QDialog):
    def __init__(self, stack: UndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("History")
        self.stack = stack
        self.list = QListWidget(self)
        self.list.setObjectName("historyList")
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        self.resize(420, 360)
        self.list.itemActivated.connect(self._jump)
        stack.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        self.list.addItem(QListWidgetItem("(the project as opened)"))
        for label in self.stack.labels():
            self.list.addItem(QListWidgetItem(label))
        self.list.setCurrentRow(self.stack.index)

    def _jump(self, item: QListWidgetItem) -> None:
        target = self.list.row(item)
        while self.stack.index > target and self.stack.can_undo:
            self.stack.undo()
        while self.stack.index < target and self.stack.can_redo:
            self.stack.redo()

    def done(self, result: int) -> None:
        self.stack.changed.disconnect(self.refresh)
        super().done(result)
