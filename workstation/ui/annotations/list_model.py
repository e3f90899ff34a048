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
        self.zone = "UTC"
        self._document: Document | None = None
        self._cells: dict[int, tuple[tuple[str, ...], str]] = {}  # row: (cells, tooltip)

    def set_notes(self, document: Document, ids: list[str], zone: str) -> None:
        """Show these notes in this order. A row's cells are built when first shown and kept,
        so a refresh costs the order alone and painting never parses a note twice."""
        self.beginResetModel()
        self.ids = ids
        self.zone = zone
        self._document = document
        self._cells = {}
        self.endResetModel()

    def _row(self, row: int) -> tuple[tuple[str, ...], str]:
        cached = self._cells.get(row)
        if cached is None:
            assert self._document is not None
            cached = self._cells[row] = _cells(self._document, self.ids[row], self.zone)
        return cached

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._row(index.row())[0][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._row(index.row())[1]
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


def _cells(document: Document, annotation_id: str, zone: str) -> tuple[tuple[str, ...], str]:
    """One note's cells (first line, what it is about, tags, modified) and its tooltip."""
    row = document.require_row("annotations", annotation_id)
    targets = parsed_targets(row["targets"])
    named = [describe_target(document, t) for t in targets[:ON_SHOWN]]
    if len(targets) > ON_SHOWN:
        named.append(f"+{len(targets) - ON_SHOWN}")
    first = _first_line(str(row["body"] or ""))
    modified = row["modified_utc"].to_pydatetime()
    cells = (
        first or "(empty note)",
        ", ".join(named),
        ", ".join(split(row["tags"])),
        _short(modified, zone),
    )
    by = f" by {row['author']}" if row["author"] else ""
    tip = f"{annotation_id}{by}: {first}\nModified {local_and_utc(modified, zone)}"
    return cells, tip


def _short(moment: datetime, zone: str) -> str:
    """``2022-02-01`` in the display zone (the tooltip has the time, zone and UTC)."""
    return local_datetime(moment, zone).strftime("%Y-%m-%d")


def _first_line(body: str) -> str:
    for line in body[:20_000].splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()[:FIRST_LINE_CHARS]
    return ""
