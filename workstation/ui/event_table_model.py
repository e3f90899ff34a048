"""A read-only table model over the events table's column arrays.

``data()`` indexes numpy arrays through a permutation array (the sort order); there is no
per-cell ``DataFrame.iloc`` and no ``QSortFilterProxyModel``, both measured far too slow at
100k+ rows (shared/docs/PERFORMANCE-NOTES.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workstation.model.dates import zone

COLUMNS: list[tuple[str, str]] = [
    ("local", "Local time"),
    ("start_utc", "UTC"),
    ("category", "Category"),
    ("title", "Title"),
    ("place", "Place"),
    ("systems", "Systems"),
    ("missile_count", "Missiles"),
    ("precision", "Precision"),
    ("id", "Id"),
]

_FORMATS = {
    "time": "%Y-%m-%d %H:%M",
    "approximate": "~%Y-%m-%d %H:%M",
    "day": "%Y-%m-%d",
    "month": "%Y-%m",
    "year": "%Y",
}


class EventTableModel(QAbstractTableModel):
    def __init__(
        self, events: pd.DataFrame | None = None, place_names: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self._arrays: dict[str, np.ndarray] = {}
        self._order = np.arange(0)
        if events is not None:
            self.set_events(events, place_names)

    def set_events(self, events: pd.DataFrame, place_names: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        # object arrays keep nullable integers as ints (not 2.0) and missing values as NA
        self._arrays = {name: events[name].astype(object).to_numpy() for name in events.columns}
        self._arrays["start_utc"] = events["start_utc"].to_numpy(dtype="datetime64[s]")
        if place_names:
            places = events["place"]
            self._arrays["place"] = places.map(place_names).fillna(places).to_numpy()
        self._order = np.argsort(self._arrays["start_utc"], kind="stable")
        self.endResetModel()

    def event_id(self, row: int) -> str:
        return str(self._arrays["id"][self._order[row]])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        key = COLUMNS[index.column()][0]
        row = self._order[index.row()]
        if key in ("local", "start_utc"):
            return self._time_text(row, local=key == "local")
        value = self._arrays[key][row]
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return ""
        return str(value)

    def _time_text(self, row: int, local: bool) -> str:
        stamp = pd.Timestamp(self._arrays["start_utc"][row], tz="UTC")
        precision = str(self._arrays["precision"][row])
        timed = precision in ("time", "approximate")
        if not local:
            # A date known only to the day (or month, year) is a local date: it has no UTC time.
            return stamp.strftime(_FORMATS[precision]) + " UTC" if timed else "—"
        tz_name = str(self._arrays["timezone"][row])
        moment = stamp.tz_convert(zone(tz_name))
        text = moment.strftime(_FORMATS.get(precision, _FORMATS["day"]))
        return f"{text} {moment.tzname() or tz_name}" if timed else text
