"""The filter bar: free text or query syntax, category toggles and a date range.

It writes the workspace's query and time range, which filter every dock at once. A query
that does not parse shows an inline error under the text; it never raises.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workstation.model.dates import zone
from workstation.model.workspace import Workspace
from workstation.ui import categories

TYPING_DELAY_MS = 250  # filter after a pause in typing, not on every keystroke


class FilterBar(QWidget):
    """Filters for every dock. ``FilterBar(workspace)``."""

    def __init__(self, workspace: Workspace | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.workspace: Workspace | None = None
        self.search = QLineEdit(self)
        self.search.setObjectName("filterText")
        self.search.setPlaceholderText(
            'Filter: words, or category:"missile test" system:KN-23 after:2022-01-10 tag:…'
        )
        self.search.setClearButtonEnabled(True)
        self.error = QLabel(self)
        self.error.setObjectName("filterError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.category_row = QHBoxLayout()
        self.category_row.setSpacing(2)
        self.category_buttons: dict[str, QToolButton] = {}
        self.use_dates = QCheckBox("Dates", self)
        self.use_dates.setObjectName("filterDates")
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for edit, name in ((self.date_from, "filterFrom"), (self.date_to, "filterTo")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self._typed_dates = False  # the date range was set here (not by the timeline)
        self._applying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DELAY_MS)
        self._timer.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self.apply)
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(lambda _: self._apply_dates())
        self.date_to.dateChanged.connect(lambda _: self._apply_dates())

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addLayout(self.category_row)
        top.addWidget(self.use_dates)
        top.addWidget(self.date_from)
        top.addWidget(QLabel("–", self))
        top.addWidget(self.date_to)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.error)
        if workspace is not None:
            self.set_workspace(workspace)

    def set_workspace(self, workspace: Workspace) -> None:
        if self.workspace is not None:
            self.workspace.document.changed.disconnect(self._on_document_changed)
            self.workspace.display_changed.disconnect(self._on_display_changed)
            self.workspace.time_range.changed.disconnect(self._on_time_range_changed)
        self.workspace = workspace
        self.reset()
        self._rebuild_categories()
        workspace.document.changed.connect(self._on_document_changed)
        workspace.display_changed.connect(self._on_display_changed)
        workspace.time_range.changed.connect(self._on_time_range_changed)
        events = workspace.document.events
        if len(events):
            tz = zone(self.display_zone())
            self.date_from.setDate(_qdate(events["start_utc"].min().tz_convert(tz)))
            self.date_to.setDate(_qdate(events["start_utc"].max().tz_convert(tz)))
        self.apply()

    def reset(self) -> None:
        """No filter: empty text, no category toggled, no date range."""
        self._timer.stop()
        for widget in (self.search, self.use_dates, *self.category_buttons.values()):
            widget.blockSignals(True)
        self.search.clear()
        self.use_dates.setChecked(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        for button in self.category_buttons.values():
            button.setChecked(False)
        for widget in (self.search, self.use_dates, *self.category_buttons.values()):
            widget.blockSignals(False)
        self.show_error("")
        if self.workspace is not None:
            self.workspace.time_range.clear()
            self.apply()

    def _on_display_changed(self) -> None:
        # Dates typed in the filter mean dates in the displayed zone: re-read them. A time
        # filter set elsewhere (the timeline's region) is left alone.
        self.apply()
        if self.use_dates.isChecked() and self._typed_dates:
            self._apply_dates()

    def _on_time_range_changed(self, *_: object) -> None:
        """Show a time filter set elsewhere (the timeline, undo) as this bar's dates."""
        assert self.workspace is not None
        time_range = self.workspace.time_range
        if self._applying:
            return  # our own dates, coming back
        self._typed_dates = False  # the dates now show a range set elsewhere, to the second
        widgets = (self.use_dates, self.date_from, self.date_to)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.use_dates.setChecked(time_range.active)
            self.date_from.setEnabled(time_range.active)
            self.date_to.setEnabled(time_range.active)
            tz = zone(self.display_zone())
            if time_range.start is not None:
                self.date_from.setDate(_qdate(time_range.start.astimezone(tz)))
            if time_range.end is not None:
                self.date_to.setDate(_qdate(time_range.end.astimezone(tz)))
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _on_document_changed(self, change: object) -> None:
        if getattr(change, "table", "") == "events":
            self._rebuild_categories()

    def _rebuild_categories(self) -> None:
        assert self.workspace is not None
        found = sorted(c for c in self.workspace.document.events["category"].unique() if c)
        if list(self.category_buttons) == found:
            return
        for button in self.category_buttons.values():
            self.category_row.removeWidget(button)
            button.deleteLater()
        self.category_buttons = {}
        for name in found:
            button = QToolButton(self)
            button.setObjectName(f"category:{name}")
            button.setIcon(categories.icon(name))
            button.setToolTip(f"Show only '{name}' (toggle several to combine)")
            button.setCheckable(True)
            button.setText(name)
            button.toggled.connect(lambda _: self.apply())
            self.category_row.addWidget(button)
            self.category_buttons[name] = button

    # -- applying -------------------------------------------------------------------------
    def display_zone(self) -> str:
        return "UTC" if self.workspace is None else self.workspace.display_zone()

    def apply(self) -> bool:
        """Parse the text and set the workspace's query; show an error instead if it is bad."""
        if self.workspace is None:
            return False
        from workstation.model.query_syntax import QuerySyntaxError, parse_query

        text = self.search.text()
        try:
            query = parse_query(text, default_zone=self.display_zone())
        except QuerySyntaxError as exc:
            self.show_error(f"{exc.message} (at character {exc.position + 1})")
            return False
        self.show_error("")
        chosen = frozenset(n for n, b in self.category_buttons.items() if b.isChecked())
        if chosen:
            query = replace(query, categories=query.categories | chosen)
        self.workspace.set_query(query)
        return True

    def set_query_text(self, text: str) -> None:
        """Show ``text`` and apply it now (saved views, tests)."""
        self.search.setText(text)
        self._timer.stop()
        self.apply()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        if on:
            self._apply_dates()
        elif self.workspace is not None:
            self.workspace.set_time_range(None, None)  # one undoable step, like the timeline's

    def _apply_dates(self) -> None:
        if self.workspace is None:
            return
        if not self.use_dates.isChecked():
            return
        tz = zone(self.display_zone())
        start = _day_start(self.date_from.date(), tz)
        # through the last second of the end day: bounds are inclusive
        end = _day_start(self.date_to.date().addDays(1), tz) - timedelta(seconds=1)
        if end <= start:
            self.show_error("The date range is empty: the end is before the start.")
            return
        self.show_error("")
        self._typed_dates = True
        self._applying = True
        try:
            self.workspace.set_time_range(start, end, merge_key="filter-bar-dates")
        finally:
            self._applying = False


def _qdate(moment: date) -> QDate:
    """The calendar day of a local date or time."""
    return QDate(moment.year, moment.month, moment.day)


def _day_start(day: QDate, tz: tzinfo) -> datetime:
    return datetime(day.year(), day.month(), day.day(), tzinfo=tz).astimezone(UTC)
