"""The event form: add, edit and duplicate one event, and the undoable commands behind it.

Times are entered as LOCAL wall times in the event's IANA zone (what sources report) and stored
in UTC. A date known only to the day, month or year is stored as local midnight at the start of
that period; an end is shown as the last day (month, year) it includes and stored as the start
of the following one, as ``seedbuild.py`` does for day-precision ends.

A field the user leaves untouched keeps its stored value exactly, so opening an event and
pressing OK never rewrites it (an imported time with seconds, a summary with non-breaking
spaces, a system recorded under an alias all survive). Only what the user edits is normalised.

The module functions (:func:`add_event`, :func:`edit_event`, :func:`duplicate_event`,
:func:`delete_events`) turn a result into one undoable command on a workspace's stack, so the
menus and the event table share them.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pandas as pd
from PySide6.QtCore import (
    QDate,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    QTimeZone,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.model import lists, tables
from workstation.model.commands import Command, DeleteRows, EditFields, UpsertRows
from workstation.model.dates import Precision, known_zones, zone
from workstation.model.document import Document
from workstation.model.events import Event
from workstation.model.sources import SourceRef
from workstation.model.workspace import Workspace

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Titles in undo labels are cut to this many characters (the seed's are up to 77).
LABEL_TITLE_CHARS = 60

#: How each event column is named in an undo label ("Edit time zone of 'X'").
FIELD_LABELS: dict[str, str] = {
    "start_utc": "start",
    "end_utc": "end",
    "timezone": "time zone",
    "missile_count": "missile count",
}

#: The date/time edits show only what the precision says is known.
DISPLAY_FORMATS: dict[Precision, str] = {
    Precision.TIME: "yyyy-MM-dd HH:mm",
    Precision.APPROXIMATE: "yyyy-MM-dd HH:mm",
    Precision.DAY: "yyyy-MM-dd",
    Precision.MONTH: "yyyy-MM",
    Precision.YEAR: "yyyy",
}

PRECISION_LABELS: dict[Precision, str] = {
    Precision.TIME: "Time (to the minute)",
    Precision.DAY: "Day",
    Precision.MONTH: "Month",
    Precision.YEAR: "Year",
    Precision.APPROXIMATE: "Approximate time",
}

#: Precisions whose stored time is the local midnight starting a period.
PERIOD_PRECISIONS = frozenset({Precision.DAY, Precision.MONTH, Precision.YEAR})

ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #7a5500;"
HINT_STYLE = "color: palette(placeholder-text);"


# -- local wall time <-> stored UTC (Qt-free) ------------------------------------------------
def period_start(wall: datetime, precision: Precision) -> datetime:
    """The local wall time at which the day, month or year holding ``wall`` starts."""
    if precision is Precision.DAY:
        return wall.replace(hour=0, minute=0, second=0, microsecond=0)
    if precision is Precision.MONTH:
        return wall.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if precision is Precision.YEAR:
        return wall.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return wall


def next_period_start(wall: datetime, precision: Precision) -> datetime:
    """The local wall time at which the period after the one holding ``wall`` starts."""
    start = period_start(wall, precision)
    if precision is Precision.DAY:
        return start + timedelta(days=1)
    if precision is Precision.MONTH:
        year, month = divmod(start.month, 12)  # month 12 -> January of the next year
        return start.replace(year=start.year + year, month=month + 1)
    if precision is Precision.YEAR:
        return start.replace(year=start.year + 1)
    return wall


def wall_to_utc(
    wall: datetime, tz_name: str, precision: Precision, *, end: bool = False
) -> datetime:
    """Store a naive local wall time as UTC.

    Day, month and year precision start at local midnight; an end at such a precision names
    the last period it includes, so it is stored as the start of the following period.
    """
    local = period_start(wall, precision)
    if end and precision in PERIOD_PRECISIONS:
        local = next_period_start(local, precision)
    return local.replace(tzinfo=zone(tz_name)).astimezone(UTC)


def utc_to_wall(
    moment: datetime, tz_name: str, precision: Precision, *, end: bool = False
) -> datetime:
    """The naive local wall time to show for a stored UTC time (inverse of :func:`wall_to_utc`)."""
    local = moment.astimezone(zone(tz_name)).replace(tzinfo=None)
    if end and precision in PERIOD_PRECISIONS:
        local -= timedelta(seconds=1)  # the exclusive end belongs to the period before it
    return period_start(local, precision)


def skipped_by_clocks(wall: datetime, tz_name: str) -> bool:
    """Whether a daylight-saving change skips this local wall time (it never happens)."""
    tz = zone(tz_name)
    back = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back != wall


# -- undoable commands ---------------------------------------------------------------------
def quoted_title(event: Event) -> str:
    """The event as named in an undo label: its quoted title, shortened, or its id."""
    title = " ".join(event.title.split())
    if not title:
        return event.id
    if len(title) > LABEL_TITLE_CHARS:
        cut = title[: LABEL_TITLE_CHARS - 1]
        if " " in cut[LABEL_TITLE_CHARS // 2 :]:  # end on a whole word when one is near
            cut = cut.rsplit(" ", 1)[0]
        title = cut.rstrip() + "…"
    return f"'{title}'"


def new_event_id(document: Document) -> str:
    """The next unused id of the form ``EV0001`` (one past the highest such id)."""
    numbers = document.events["id"].astype(str).str.extract(r"^EV(\d+)$")[0].dropna()
    number = int(numbers.astype(int).max()) + 1 if len(numbers) else 1
    while document.has("events", f"EV{number:04d}"):
        number += 1
    return f"EV{number:04d}"


def _push(workspace: Workspace, command: Command) -> None:
    """Push a dialog edit as its own undo step: it neither absorbs nor is absorbed by typing."""
    workspace.stack.close_merge()
    workspace.stack.push(command)
    workspace.stack.close_merge()


def _rows(*events: Event) -> pd.DataFrame:
    return tables.from_records("events", [event.to_row() for event in events])


def add_event(workspace: Workspace, event: Event) -> None:
    """Add a new event as one undoable step; ``ValueError`` if its id is taken."""
    if workspace.document.has("events", event.id):
        raise ValueError(f"there is already an event with id {event.id!r}")
    _push(workspace, UpsertRows("events", _rows(event), label=f"Add event {quoted_title(event)}"))


def changed_fields(before: Event, after: Event) -> dict[str, Any]:
    """The row values of ``after`` that differ from ``before`` (id excluded)."""
    old, new = before.to_row(), after.to_row()
    return {name: value for name, value in new.items() if name != "id" and value != old[name]}


def edit_event(workspace: Workspace, before: Event, after: Event) -> bool:
    """Record the fields that changed as one undoable step; return whether anything changed."""
    if before.id != after.id:
        raise ValueError(f"cannot edit event {before.id!r} into {after.id!r}")
    fields = changed_fields(before, after)
    if not fields:
        return False
    if len(fields) == 1:
        (name,) = fields
        label = f"Edit {FIELD_LABELS.get(name, name)} of {quoted_title(before)}"
    else:
        label = f"Edit event {quoted_title(before)}"
    _push(workspace, EditFields(workspace.document, "events", before.id, fields, label=label))
    return True


def duplicate_event(workspace: Workspace, event: Event) -> Event:
    """Add a copy of ``event`` with a new id and " (copy)" after its title; return the copy."""
    copy = replace(
        event,
        id=new_event_id(workspace.document),
        title=f"{event.title} (copy)".strip(),
    )
    label = f"Duplicate event {quoted_title(event)}"
    _push(workspace, UpsertRows("events", _rows(copy), label=label))
    return copy


def delete_events(workspace: Workspace, ids: Iterable[str]) -> int:
    """Delete events as one undoable step and drop them from the selection; return how many."""
    document = workspace.document
    wanted = [i for i in dict.fromkeys(ids) if document.has("events", i)]
    if not wanted:
        return 0
    if len(wanted) == 1:
        label = f"Delete event {quoted_title(document.event(wanted[0]))}"
    else:
        label = f"Delete {len(wanted)} events"
    _push(workspace, DeleteRows("events", wanted, label=label))
    workspace.selection.remove(wanted)
    return len(wanted)


# -- widgets --------------------------------------------------------------------------------
class ListCompleter(QCompleter):
    """Completes the last item of a ``"; "``-separated list typed in a QLineEdit."""

    def __init__(self, words: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(sorted(set(words), key=str.casefold), parent)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:
        return [path.rpartition(";")[2].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        completion = super().pathFromIndex(index)
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        head = text.rpartition(";")[0].strip()
        return f"{head}{lists.SEPARATOR}{completion}" if head else completion


class _FieldError(Exception):
    """A field's value is refused; the message is one sentence naming the field."""


def _qdatetime(wall: datetime) -> QDateTime:
    # UTC, not the machine's zone: the edit holds a wall time of the event's zone, and the
    # machine's own daylight-saving gaps must not refuse it.
    return QDateTime(
        QDate(wall.year, wall.month, wall.day), QTime(wall.hour, wall.minute), QTimeZone.utc()
    )


def _wall(edit: QDateTimeEdit) -> datetime:
    moment = edit.dateTime()
    day, time = moment.date(), moment.time()
    return datetime(day.year(), day.month(), day.day(), time.hour(), time.minute())


def _number_text(value: float | int | None) -> str:
    return "" if value is None else repr(value)


def _split(text: str) -> list[str]:
    return list(lists.split(text))


def _items(values: pd.Series) -> set[str]:
    """Every item of a list column, splitting each distinct cell once."""
    return {item for cell in pd.unique(values) for item in lists.split(cell)}


class EventDialog(QDialog):
    """A form for one event, validated as the user types; OK is enabled only when valid."""

    def __init__(
        self,
        document: Document,
        event: Event | None = None,
        *,
        duplicate: bool = False,
        default_zone: str = "Asia/Seoul",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("eventDialog")
        self._document = document
        self._original = event
        copying = duplicate and event is not None
        self._event_id = event.id if event is not None and not copying else new_event_id(document)
        self._zones = known_zones()
        self._places = self._place_table()
        #: field -> (what the form showed at first, the stored value it stands for)
        self._initial: dict[str, tuple[object, object]] = {}
        self._current: Event | None = None
        self._result: Event | None = None
        self._coords_place: str | None = None  # the place whose coordinates fill the fields
        self._hints: dict[str, datetime] = {}  # start/end in UTC, shown beside the edits
        self._loading = True

        if event is None:
            self.setWindowTitle("New event")
        elif copying:
            self.setWindowTitle(f"Duplicate event {event.id}")
        else:
            self.setWindowTitle(f"Edit event {event.id}")
        self._build_widgets()
        self._build_layout()
        if event is None:
            self._fill_new(default_zone)
        else:
            self._fill(event, title=f"{event.title} (copy)".strip() if copying else event.title)
        self._connect()
        self._loading = False
        self._revalidate()

    # -- public ---------------------------------------------------------------------------
    def result_event(self) -> Event:
        """The event the form describes, once the dialog has been accepted."""
        if self._result is None:
            raise RuntimeError("the event dialog has not been accepted")
        return self._result

    def is_valid(self) -> bool:
        return self._current is not None

    def accept(self) -> None:
        self._revalidate()
        if self._current is None:
            return
        self._result = self._current
        super().accept()

    # -- construction ---------------------------------------------------------------------
    def _build_widgets(self) -> None:
        events = self._document.events
        self.idLabel = QLabel(self._event_id)
        self.idLabel.setObjectName("idLabel")
        self.idLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.titleEdit = QLineEdit()
        self.titleEdit.setObjectName("titleEdit")
        self.titleEdit.setPlaceholderText("Required")

        categories = sorted(
            {str(c).strip() for c in pd.unique(events["category"]) if str(c).strip()},
            key=str.casefold,
        )
        self.categoryCombo = self._editable_combo("categoryCombo", categories)

        self.zoneCombo = self._editable_combo("zoneCombo", sorted(self._zones))
        zone_completer = QCompleter(sorted(self._zones), self.zoneCombo)
        zone_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        zone_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        zone_completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.zoneCombo.setCompleter(zone_completer)
        self.zoneCombo.setToolTip("The IANA time zone the times are reported in, e.g. Asia/Seoul")

        self.startEdit = self._datetime_edit("startEdit")
        self.startEdit.setToolTip("Local time in the chosen time zone")
        self.startUtcLabel = self._hint_label("startUtcLabel")

        self.precisionCombo = QComboBox()
        self.precisionCombo.setObjectName("precisionCombo")
        for precision in Precision:
            self.precisionCombo.addItem(PRECISION_LABELS[precision], str(precision))

        self.hasEndCheck = QCheckBox("Ends")
        self.hasEndCheck.setObjectName("hasEndCheck")
        self.endEdit = self._datetime_edit("endEdit")
        self.endEdit.setToolTip(
            "Local time in the chosen time zone. For a day, month or year: the last one the"
            " event includes."
        )
        self.endUtcLabel = self._hint_label("endUtcLabel")

        self.placeCombo = self._editable_combo("placeCombo", [])
        for place_id, (label, *_) in sorted(self._places.items(), key=lambda kv: kv[1][0]):
            self.placeCombo.addItem(label, place_id)
        self.placeCombo.setToolTip("A place from the places table, or a description")

        self.latitudeEdit = self._line_edit("latitudeEdit", "blank = unknown")
        self.longitudeEdit = self._line_edit("longitudeEdit", "blank = unknown")

        systems = self._document.table("systems")
        names = {*systems["id"], *systems["name"], *_items(systems["aliases"])}
        self.systemsEdit = self._line_edit("systemsEdit", "e.g. KN-23; Hwasong-12")
        self.systemsEdit.setCompleter(ListCompleter(names, self.systemsEdit))
        self.systemsEdit.setToolTip("System ids or any of their aliases, separated by ';'")

        self.countEdit = self._line_edit("countEdit", "blank = unknown")
        self.tagsEdit = self._line_edit("tagsEdit", "e.g. ballistic; kcna")
        self.tagsEdit.setCompleter(ListCompleter(_items(events["tags"]), self.tagsEdit))
        self.sourcesEdit = self._line_edit("sourcesEdit", "SOURCE_ID[:LOCATOR]; …")
        source_ids = self._document.table("sources")["id"]
        self.sourcesEdit.setCompleter(ListCompleter(source_ids, self.sourcesEdit))

        self.summaryEdit = QPlainTextEdit()
        self.summaryEdit.setObjectName("summaryEdit")
        self.summaryEdit.setTabChangesFocus(True)
        self.summaryEdit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.summaryEdit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summaryEdit.setMinimumHeight(90)

        self.errorLabel = QLabel()
        self.errorLabel.setObjectName("errorLabel")
        self.errorLabel.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Id:", self.idLabel)
        form.addRow("&Title:", self.titleEdit)
        form.addRow("&Category:", self.categoryCombo)
        form.addRow("Time &zone:", self.zoneCombo)
        form.addRow("&Start (local):", self._row(self.startEdit, self.startUtcLabel))
        form.addRow("&Precision:", self.precisionCombo)
        form.addRow("&End (local):", self._row(self.hasEndCheck, self.endEdit, self.endUtcLabel))
        form.addRow("P&lace:", self.placeCombo)
        latitude, longitude = QLabel("Latitude"), QLabel("Longitude")
        latitude.setBuddy(self.latitudeEdit)
        longitude.setBuddy(self.longitudeEdit)
        coordinates = self._row(latitude, self.latitudeEdit, longitude, self.longitudeEdit)
        form.addRow("Coordinates:", coordinates)
        form.addRow("S&ystems:", self.systemsEdit)
        form.addRow("&Missile count:", self.countEdit)
        form.addRow("T&ags:", self.tagsEdit)
        form.addRow("Sou&rces:", self.sourcesEdit)
        form.addRow("S&ummary:", self.summaryEdit)

        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.errorLabel)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

    def _editable_combo(self, name: str, items: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(items)
        completer = combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        return combo

    def _line_edit(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _datetime_edit(self, name: str) -> QDateTimeEdit:
        edit = QDateTimeEdit()
        edit.setObjectName(name)
        edit.setTimeZone(QTimeZone.utc())
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DISPLAY_FORMATS[Precision.TIME])
        return edit

    def _hint_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setStyleSheet(HINT_STYLE)
        return label

    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        return row

    def _place_table(self) -> dict[str, tuple[str, float | None, float | None]]:
        """Place id -> ("Name (id)", latitude, longitude)."""
        places = self._document.table("places")
        result: dict[str, tuple[str, float | None, float | None]] = {}
        for row in places.itertuples(index=False):
            lat = None if pd.isna(row.latitude) else float(row.latitude)
            lon = None if pd.isna(row.longitude) else float(row.longitude)
            result[str(row.id)] = (f"{row.name} ({row.id})", lat, lon)
        return result

    # -- filling --------------------------------------------------------------------------
    def _fill_new(self, default_zone: str) -> None:
        tz_name = default_zone if default_zone in self._zones else "UTC"
        self.zoneCombo.setCurrentText(tz_name)
        now = datetime.now(zone(tz_name)).replace(tzinfo=None, second=0, microsecond=0)
        self.startEdit.setDateTime(_qdatetime(now))
        self.endEdit.setDateTime(_qdatetime(now))
        self.categoryCombo.setCurrentIndex(-1)
        self.placeCombo.setCurrentIndex(-1)
        self._set_precision(Precision.TIME)
        self.endEdit.setEnabled(False)

    def _fill(self, event: Event, title: str) -> None:
        precision = Precision(event.precision)
        self._set_precision(precision)
        self.zoneCombo.setCurrentText(event.timezone)

        start_wall = utc_to_wall(event.start_utc, event.timezone, precision)
        self.startEdit.setDateTime(_qdatetime(start_wall))
        self._initial["start"] = (self._time_key(self.startEdit), event.start_utc)
        end_wall = start_wall
        if event.end_utc is not None:
            end_wall = max(
                start_wall, utc_to_wall(event.end_utc, event.timezone, precision, end=True)
            )
        self.endEdit.setDateTime(_qdatetime(end_wall))
        if event.end_utc is not None:
            self._initial["end"] = (self._time_key(self.endEdit), event.end_utc)
        self.hasEndCheck.setChecked(event.end_utc is not None)
        self.endEdit.setEnabled(event.end_utc is not None)

        place_text = self._places[event.place][0] if event.place in self._places else event.place
        self.placeCombo.setCurrentIndex(self.placeCombo.findData(event.place))
        self.placeCombo.setEditText(place_text)
        self._coords_place = event.place if event.place in self._places else None

        texts: dict[str, tuple[str, object]] = {
            "title": (title, title),
            "category": (event.category, event.category),
            "place": (place_text, event.place),
            "latitude": (_number_text(event.latitude), event.latitude),
            "longitude": (_number_text(event.longitude), event.longitude),
            "systems": (lists.join(event.systems), event.systems),
            "missile_count": (_number_text(event.missile_count), event.missile_count),
            "tags": (lists.join(event.tags), event.tags),
            "sources": (lists.join(str(ref) for ref in event.sources), event.sources),
        }
        self.titleEdit.setText(texts["title"][0])
        self.categoryCombo.setCurrentText(texts["category"][0])
        self.latitudeEdit.setText(texts["latitude"][0])
        self.longitudeEdit.setText(texts["longitude"][0])
        self.systemsEdit.setText(texts["systems"][0])
        self.countEdit.setText(texts["missile_count"][0])
        self.tagsEdit.setText(texts["tags"][0])
        self.sourcesEdit.setText(texts["sources"][0])
        self.summaryEdit.setPlainText(event.summary)
        self._initial.update(texts)
        # What the summary editor gives back may differ (non-breaking spaces, line ends).
        self._initial["summary"] = (self._summary_text(), event.summary)

    def _set_precision(self, precision: Precision) -> None:
        self.precisionCombo.setCurrentIndex(self.precisionCombo.findData(str(precision)))
        self._apply_display_format()

    def _connect(self) -> None:
        revalidate = self._revalidate
        self.titleEdit.textChanged.connect(revalidate)
        self.categoryCombo.editTextChanged.connect(revalidate)
        self.zoneCombo.editTextChanged.connect(revalidate)
        self.startEdit.dateTimeChanged.connect(revalidate)
        self.endEdit.dateTimeChanged.connect(revalidate)
        self.precisionCombo.currentIndexChanged.connect(self._on_precision_changed)
        self.hasEndCheck.toggled.connect(self._on_has_end_toggled)
        self.placeCombo.editTextChanged.connect(self._on_place_changed)
        for edit in (
            self.latitudeEdit,
            self.longitudeEdit,
            self.systemsEdit,
            self.countEdit,
            self.tagsEdit,
            self.sourcesEdit,
        ):
            edit.textChanged.connect(revalidate)
        self.summaryEdit.textChanged.connect(revalidate)

    # -- reactions ------------------------------------------------------------------------
    def _apply_display_format(self) -> None:
        display = DISPLAY_FORMATS[self._precision()]
        for edit in (self.startEdit, self.endEdit):
            # Changing the format drops the hidden sections (the time of a day): put them back,
            # so switching day -> time -> day loses nothing.
            value = edit.dateTime()
            edit.setDisplayFormat(display)
            edit.setDateTime(value)

    def _on_precision_changed(self, *_: object) -> None:
        self._apply_display_format()
        self._revalidate()

    def _on_has_end_toggled(self, checked: bool) -> None:
        self.endEdit.setEnabled(checked)
        if checked and "end" not in self._initial and _wall(self.endEdit) < _wall(self.startEdit):
            self.endEdit.setDateTime(self.startEdit.dateTime())
        self._revalidate()

    def _on_place_changed(self, text: str) -> None:
        place_id = self._place_id(text.strip())
        if place_id in self._places:
            _, lat, lon = self._places[place_id]
            current = (self.latitudeEdit.text().strip(), self.longitudeEdit.text().strip())
            # Coordinates still equal to the previous place's came from it: follow the new one.
            previous = self._places.get(self._coords_place or "")
            from_previous = previous is not None and current == (
                _number_text(previous[1]),
                _number_text(previous[2]),
            )
            if current == ("", "") or from_previous:
                self.latitudeEdit.setText(_number_text(lat))
                self.longitudeEdit.setText(_number_text(lon))
                self._coords_place = place_id
        self._revalidate()

    def _revalidate(self, *_: object) -> None:
        if self._loading:
            return
        self._hints = {}
        error, notes = "", []
        try:
            self._current = self._build_event()
            notes = self._notes(self._current)
        except _FieldError as exc:
            self._current, error = None, str(exc)
        except (ValueError, OverflowError) as exc:
            self._current, error = None, f"The event cannot be saved: {exc}."
        except Exception as exc:  # a bug must not close the dialog and lose the user's typing
            log.exception("event dialog validation failed")
            self._current, error = None, f"The event cannot be checked: {exc}."
        if error:
            self.errorLabel.setStyleSheet(ERROR_STYLE)
            self.errorLabel.setText(error)
        else:
            self.errorLabel.setStyleSheet(NOTE_STYLE)
            self.errorLabel.setText(" ".join(notes))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(self._current is not None)
        self._show_hints()

    def _show_hints(self) -> None:
        # A day (month, year) is a span: say which bound the UTC time is (the end is exclusive).
        period = self._precision() in PERIOD_PRECISIONS
        for key, label, bound in (
            ("start", self.startUtcLabel, "from "),
            ("end", self.endUtcLabel, "until "),
        ):
            moment = self._hints.get(key)
            text = f"{bound if period else ''}{moment:%Y-%m-%d %H:%M} UTC" if moment else ""
            label.setText(text)

    # -- reading the form -----------------------------------------------------------------
    def _precision(self) -> Precision:
        return Precision(str(self.precisionCombo.currentData() or Precision.TIME))

    def _time_key(self, edit: QDateTimeEdit) -> tuple[str, Precision, datetime]:
        return (self.zoneCombo.currentText().strip(), self._precision(), _wall(edit))

    def _summary_text(self) -> str:
        raw = self.summaryEdit.document().toRawText()
        return raw.replace("\u2029", "\n").replace("\u2028", "\n")

    def _kept(self, field: str, shown: object, parse: Callable[[], T]) -> T:
        """The stored value if the field still shows what it first showed, else ``parse()``."""
        initial = self._initial.get(field)
        if initial is not None and initial[0] == shown:
            return initial[1]  # type: ignore[return-value]
        return parse()

    def _place_id(self, text: str) -> str:
        """A place id for "Name (id)" or an id; other text is kept as a free description."""
        for place_id, (label, *_) in self._places.items():
            if text in (label, place_id):
                return place_id
        return text

    def _build_event(self) -> Event:
        title = self.titleEdit.text()
        if not title.strip():
            raise _FieldError("Title is required.")
        title = self._kept("title", title, title.strip)

        tz_name = self.zoneCombo.currentText().strip()
        if not tz_name:
            raise _FieldError("Time zone is required.")
        if tz_name not in self._zones:
            raise _FieldError(f"'{tz_name}' is not an IANA time zone.")

        start = self._moment("start", self.startEdit, tz_name)
        self._hints["start"] = start
        end = self._moment("end", self.endEdit, tz_name) if self.hasEndCheck.isChecked() else None
        if end is not None:
            self._hints["end"] = end
            # Compare what is shown too: a day-precision end is stored as the next midnight,
            # so an end day just before the start day would store end == start.
            precision = self._precision()
            shown_start = period_start(_wall(self.startEdit), precision)
            if end < start or period_start(_wall(self.endEdit), precision) < shown_start:
                raise _FieldError("The end is before the start.")

        category = self.categoryCombo.currentText()
        place = self.placeCombo.currentText()
        latitude = self._coordinate("latitude", self.latitudeEdit, "Latitude", 90)
        longitude = self._coordinate("longitude", self.longitudeEdit, "Longitude", 180)
        if (latitude is None) != (longitude is None):
            raise _FieldError("Give both latitude and longitude, or neither.")
        systems_text = self.systemsEdit.text()
        count_text = self.countEdit.text()
        tags_text = self.tagsEdit.text()
        sources_text = self.sourcesEdit.text()
        summary = self._summary_text()

        event = Event(
            id=self._event_id,
            start_utc=start,
            end_utc=end,
            precision=self._precision(),
            timezone=tz_name,
            category=self._kept("category", category, category.strip),
            title=title,
            summary=self._kept("summary", summary, lambda: summary),
            place=self._kept("place", place, lambda: self._place_id(place.strip())),
            latitude=latitude,
            longitude=longitude,
            systems=self._kept("systems", systems_text, lambda: self._systems(systems_text)),
            missile_count=self._kept("missile_count", count_text, lambda: self._count(count_text)),
            tags=self._kept("tags", tags_text, lambda: tuple(_split(tags_text))),
            sources=self._kept("sources", sources_text, lambda: self._sources(sources_text)),
        )
        event.to_row()  # every list item must fit in a list cell
        return event

    def _moment(self, field: str, edit: QDateTimeEdit, tz_name: str) -> datetime:
        def convert() -> datetime:
            precision = self._precision()
            wall = _wall(edit)
            if precision not in PERIOD_PRECISIONS and skipped_by_clocks(wall, tz_name):
                raise _FieldError(
                    f"The {field} time {wall:%Y-%m-%d %H:%M} does not exist in {tz_name}"
                    " (the clocks skip it)."
                )
            return wall_to_utc(wall, tz_name, precision, end=field == "end")

        return self._kept(field, self._time_key(edit), convert)

    def _coordinate(self, field: str, edit: QLineEdit, name: str, limit: int) -> float | None:
        def parse() -> float | None:
            text = edit.text().strip()
            if not text:
                return None
            try:
                value = float(text)
            except ValueError:
                raise _FieldError(f"{name} must be a number.") from None
            if not math.isfinite(value):
                raise _FieldError(f"{name} must be a number.")
            if not -limit <= value <= limit:
                raise _FieldError(f"{name} must be between -{limit} and {limit}.")
            return value

        return self._kept(field, edit.text(), parse)

    def _systems(self, text: str) -> tuple[str, ...]:
        """System names as typed, each alias replaced by its system's id, without repeats."""
        aliases = self._document.aliases()
        resolved = (aliases.resolve(name) or name for name in _split(text))
        return tuple(dict.fromkeys(resolved))

    @staticmethod
    def _count(text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        try:
            value = int(text)
        except ValueError:
            raise _FieldError("Missile count must be a whole number.") from None
        if value < 0:
            raise _FieldError("Missile count cannot be negative.")
        return value

    @staticmethod
    def _sources(text: str) -> tuple[SourceRef, ...]:
        refs = []
        for item in _split(text):
            try:
                refs.append(SourceRef.parse(item))
            except ValueError:
                raise _FieldError(
                    f"Source '{item}' is not a reference of the form SOURCE_ID[:LOCATOR]."
                ) from None
        return tuple(refs)

    def _notes(self, event: Event) -> list[str]:
        """Things worth a look that do not stop saving (names not in the project's tables)."""
        notes = []
        aliases = self._document.aliases()
        unknown_systems = [name for name in event.systems if aliases.resolve(name) is None]
        if unknown_systems:
            names = ", ".join(f"'{name}'" for name in unknown_systems)
            notes.append(f"Not in the systems table: {names}.")
        unknown_sources = [
            ref.source_id
            for ref in event.sources
            if not self._document.has("sources", ref.source_id)
        ]
        if unknown_sources:
            names = ", ".join(f"'{name}'" for name in dict.fromkeys(unknown_sources))
            notes.append(f"Not in the sources table: {names}.")
        return notes
