"""The annotation list as a Qt table model: one row per listed note (ids, never positions)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workstation.model.annotation_list import describe_target, parsed_targets
from workstation.model.dates import local_datetime
from workstation.model.document import Document
from workstation.model.lists import split
from workstation.ui.annotations.fields import local_and_utc

HEADERS = ("Note", "On", "Tags", "Modified")
FIRST_LINE_CHARS = 160  # a 1 MB one-line note must not make a 1 MB cell
ON_SHOWN = 3  # targets named in the "On" column; the rest are counted

Index = QModelIndex | QPersistentModelIndex


class AnnotationListModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self._rows: list[tuple[str, ...]] = []
        self._tips: list[str] = []
        self.zone = "UTC"

    def set_notes(self, document: Document, ids: list[str], zone: str) -> None:
        """Show these notes in this order. Cells are built once here, so painting and
        scrolling never parse a note."""
        self.beginResetModel()
        self.ids = ids
        self.zone = zone
        rows = document.rows("annotations", ids) if ids else None
        self._rows, self._tips = [], []
        if rows is not None:
            for row in rows.to_dict("records"):
                targets = parsed_targets(row["targets"])
                named = [describe_target(document, t) for t in targets[:ON_SHOWN]]
                if len(targets) > ON_SHOWN:
                    named.append(f"+{len(targets) - ON_SHOWN}")
                first = _first_line(str(row["body"] or ""))
                self._rows.append(
                    (
                        first or "(empty note)",
                        ", ".join(named),
                        ", ".join(split(row["tags"])),
                        _short(row["modified_utc"].to_pydatetime(), zone),
                    )
                )
                modified = local_and_utc(row["modified_utc"].to_pydatetime(), zone)
                by = f" by {row['author']}" if row["author"] else ""
                self._tips.append(f"{row['id']}{by}: {first}\nModified {modified}")
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return self.ids[index.row()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def row_of(self, annotation_id: str) -> int:
        try:
            return self.ids.index(annotation_id)
        except ValueError:
            return -1


def _short(moment: datetime, zone: str) -> str:
    """``2022-02-01`` in the display zone (the tooltip has the time, zone and UTC)."""
    return local_datetime(moment, zone).strftime("%Y-%m-%d")


def _first_line(body: str) -> str:
    for line in body[:20_000].splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()[:FIRST_LINE_CHARS]
    return ""
