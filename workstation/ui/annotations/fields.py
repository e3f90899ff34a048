"""Small input widgets of the annotation editor: list fields with completion per item, and
how note times are shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from workstation.model.dates import local_datetime

SEPARATOR = "; "


class ItemCompleter(QCompleter):
    """Completes the item being typed in a ``a; b; c`` list, not the whole line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(QStringListModel(self))
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def set_items(self, items: Sequence[str]) -> None:
        model = self.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(list(items))

    def splitPath(self, path: str) -> list[str]:
        return [path.replace(",", ";").split(";")[-1].strip()]

    def pathFromIndex(self, index: object) -> str:
        chosen = super().pathFromIndex(index)  # type: ignore[arg-type]
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        done = [item.strip() for item in text.replace(",", ";").split(";")[:-1] if item.strip()]
        return SEPARATOR.join([*done, chosen])


def list_field(placeholder: str, name: str, parent: QWidget) -> tuple[QLineEdit, ItemCompleter]:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    completer = ItemCompleter(edit)
    edit.setCompleter(completer)
    return edit, completer


def items_of(text: str) -> list[str]:
    """The items typed in a list field, separated by ``;`` or ``,``, in order, once each."""
    items = (item.strip() for item in text.replace(",", ";").split(";"))
    return list(dict.fromkeys(item for item in items if item))


def local_and_utc(moment: datetime, zone: str) -> str:
    """``25 Nov 2026 12:03 KST (03:03 UTC)``: the display zone (the project's, or this
    computer's when times are shown in UTC) first, UTC beside it."""
    moment = moment.astimezone(UTC)
    local = local_datetime(moment, zone) if zone != "UTC" else moment.astimezone()
    if local.utcoffset() == moment.utcoffset():  # this computer is on UTC too
        return moment.strftime("%d %b %Y %H:%M UTC")
    same_day = local.date() == moment.date()
    utc = moment.strftime("%H:%M UTC" if same_day else "%d %b %H:%M UTC")
    return f"{local.strftime('%d %b %Y %H:%M')} {local.tzname() or zone} ({utc})"
