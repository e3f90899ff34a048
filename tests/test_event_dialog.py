"""The event form: validation as the user types, local time in and UTC out, and the undoable
commands (add, edit, duplicate, delete) that menus and the table share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from workstation.model.commands import EditFields
from workstation.model.dates import Precision
from workstation.model.document import Document
from workstation.model.events import Event
from workstation.model.workspace import Workspace
from workstation.ui import event_dialog
from workstation.ui.event_dialog import (
    EventDialog,
    ListCompleter,
    add_event,
    delete_events,
    duplicate_event,
    edit_event,
    new_event_id,
    utc_to_wall,
    wall_to_utc,
)

A11_TITLE = "Railway-borne regiment fires two KN-23 SRBMs near Uiju"

MakeDialog = Callable[..., EventDialog]


@pytest.fixture
def make_dialog(qtbot: QtBot) -> MakeDialog:
    def make(document: Document, event: Event | None = None, **kwargs: Any) -> EventDialog:
        dialog = EventDialog(document, event, **kwargs)
        qtbot.addWidget(dialog)
        return dialog

    return make


def ok_enabled(dialog: EventDialog) -> bool:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button.isEnabled()


def error(dialog: EventDialog) -> str:
    return dialog.errorLabel.text()


def assert_refused(dialog: EventDialog, message: str) -> None:
    assert error(dialog) == message
    assert not ok_enabled(dialog)
    dialog.accept()  # pressing Enter anyway does not close the dialog
    assert dialog.result() == 0
    with pytest.raises(RuntimeError):
        dialog.result_event()


def set_wall(edit: Any, *parts: int) -> None:
    year, month, day, hour, minute = (*parts, 0, 0)[:5]
    edit.setDateTime(QDateTime(QDate(year, month, day), QTime(hour, minute), QTimeZone.utc()))


def set_precision(dialog: EventDialog, precision: Precision) -> None:
    dialog.precisionCombo.setCurrentIndex(dialog.precisionCombo.findData(str(precision)))


def accepted(dialog: EventDialog) -> Event:
    assert ok_enabled(dialog), error(dialog)
    dialog.accept()
    return dialog.result_event()


def snapshot(document: Document) -> pd.DataFrame:
    return document.events.sort_values("id").reset_index(drop=True)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


# -- validation ------------------------------------------------------------------------------
def test_precision_offers_every_precision(seed_document: Document, make_dialog: MakeDialog) -> None:
    dialog = make_dialog(seed_document)
    combo = dialog.precisionCombo
    assert [combo.itemData(i) for i in range(combo.count())] == [
        "time",
        "day",
        "month",
        "year",
        "approximate",
    ]
    assert dialog.startEdit.displayFormat() == "yyyy-MM-dd HH:mm"
    set_precision(dialog, Precision.DAY)
    assert dialog.startEdit.displayFormat() == "yyyy-MM-dd"
    dialog.titleEdit.setText("Anniversary")
    set_wall(dialog.startEdit, 2022, 2, 16, 13, 45)
    event = accepted(dialog)
    assert event.precision is Precision.DAY
    assert event.start_utc == utc(2022, 2, 15, 15)  # local midnight, Asia/Seoul


def test_title_is_required(qtbot: QtBot, seed_document: Document, make_dialog: MakeDialog) -> None:
    dialog = make_dialog(seed_document)
    assert_refused(dialog, "Title is required.")
    qtbot.keyClicks(dialog.titleEdit, "  New launch  ")
    assert ok_enabled(dialog)
    assert error(dialog) == ""
    dialog.titleEdit.setText("   ")
    assert_refused(dialog, "Title is required.")
    dialog.titleEdit.setText("  New launch  ")
    assert accepted(dialog).title == "New launch"


def test_end_must_not_be_before_start(seed_document: Document, make_dialog: MakeDialog) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    assert not dialog.endEdit.isEnabled()
    dialog.hasEndCheck.setChecked(True)
    assert dialog.endEdit.isEnabled()
    set_wall(dialog.endEdit, 2022, 1, 5, 8, 9)
    assert_refused(dialog, "The end is before the start.")
    set_wall(dialog.endEdit, 2022, 1, 5, 8, 10)  # an instant: end == start
    assert accepted(dialog).end_utc == utc(2022, 1, 4, 23, 10)


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("latitudeEdit", "91", "Latitude must be between -90 and 90."),
        ("latitudeEdit", "-90.5", "Latitude must be between -90 and 90."),
        ("latitudeEdit", "north", "Latitude must be a number."),
        ("latitudeEdit", "nan", "Latitude must be a number."),
        ("longitudeEdit", "-181", "Longitude must be between -180 and 180."),
        ("longitudeEdit", "126,4", "Longitude must be a number."),
        ("longitudeEdit", "", "Give both latitude and longitude, or neither."),
    ],
)
def test_coordinates_must_be_numbers_in_range(
    seed_document: Document, make_dialog: MakeDialog, field: str, text: str, message: str
) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    getattr(dialog, field).setText(text)
    assert_refused(dialog, message)


def test_blank_coordinates_are_unknown(seed_document: Document, make_dialog: MakeDialog) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    dialog.latitudeEdit.setText("")
    dialog.longitudeEdit.setText(" ")
    event = accepted(dialog)
    assert (event.latitude, event.longitude) == (None, None)
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    dialog.latitudeEdit.setText("-90")
    dialog.longitudeEdit.setText("180")
    event = accepted(dialog)
    assert (event.latitude, event.longitude) == (-90.0, 180.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mars/Olympus", "'Mars/Olympus' is not an IANA time zone."),
        ("../../etc/passwd", "'../../etc/passwd' is not an IANA time zone."),
        ("/etc/localtime", "'/etc/localtime' is not an IANA time zone."),
        ("asia/seoul", "'asia/seoul' is not an IANA time zone."),
        ("", "Time zone is required."),
    ],
)
def test_time_zone_must_be_an_iana_name(
    qtbot: QtBot, seed_document: Document, make_dialog: MakeDialog, text: str, message: str
) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    line = dialog.zoneCombo.lineEdit()
    line.clear()
    qtbot.keyClicks(line, text)
    assert_refused(dialog, message)


def test_time_zone_completer_offers_sorted_iana_names(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    dialog = make_dialog(seed_document)
    completer = dialog.zoneCombo.completer()
    assert completer is not None
    model = completer.model()
    names = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert names == sorted(names)
    assert {"Asia/Seoul", "America/New_York", "UTC"} <= set(names)
    completer.setCompletionPrefix("seoul")
    assert completer.currentCompletion() == "Asia/Seoul"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "Missile count cannot be negative."),
        ("two", "Missile count must be a whole number."),
        ("2.5", "Missile count must be a whole number."),
    ],
)
def test_missile_count_is_a_whole_number(
    seed_document: Document, make_dialog: MakeDialog, text: str, message: str
) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A11"))
    dialog.countEdit.setText(text)
    assert_refused(dialog, message)
    dialog.countEdit.setText(" 3 ")
    assert accepted(dialog).missile_count == 3


def test_blank_missile_count_is_unknown(seed_document: Document, make_dialog: MakeDialog) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A11"))
    dialog.countEdit.setText("")
    assert accepted(dialog).missile_count is None


def test_a_time_the_clocks_skip_is_refused(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    dialog.zoneCombo.setEditText("Europe/Berlin")
    set_wall(dialog.startEdit, 2022, 3, 27, 2, 30)
    assert_refused(
        dialog,
        "The start time 2022-03-27 02:30 does not exist in Europe/Berlin (the clocks skip it).",
    )


def test_what_the_core_refuses_is_shown_inline(
    seed_document: Document, make_dialog: MakeDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> Event:
        raise ValueError("event A05: the core says no")

    monkeypatch.setattr(event_dialog, "Event", refuse)
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    assert_refused(dialog, "The event cannot be saved: event A05: the core says no.")


def test_a_time_out_of_range_never_escapes(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    dialog.zoneCombo.setEditText("Pacific/Pago_Pago")  # UTC-11: past year 9999 in UTC
    set_wall(dialog.startEdit, 9999, 12, 31, 23, 0)
    assert error(dialog).startswith("The event cannot be saved:")
    assert not ok_enabled(dialog)
    set_precision(dialog, Precision.YEAR)
    dialog.hasEndCheck.setChecked(True)
    set_wall(dialog.endEdit, 9999, 12, 31, 23, 0)  # the following year does not exist
    assert error(dialog).startswith("The event cannot be saved:")


def test_sources_are_references(seed_document: Document, make_dialog: MakeDialog) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    dialog.sourcesEdit.setText("article:¶2; :¶4")
    assert_refused(dialog, "Source ':¶4' is not a reference of the form SOURCE_ID[:LOCATOR].")
    dialog.sourcesEdit.setText("article:¶2;S3 ; NOPE:p. 4")
    assert "Not in the sources table: 'NOPE'." in error(dialog)
    event = accepted(dialog)  # a note, not an error
    assert [str(ref) for ref in event.sources] == ["article:¶2", "S3", "NOPE:p. 4"]


def test_systems_accept_aliases_and_store_ids(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    dialog.systemsEdit.setText("KN-17; hwasong-11a; KN-23; Unknown-1")
    assert error(dialog) == "Not in the systems table: 'Unknown-1'."
    assert accepted(dialog).systems == ("Hwasong-12", "KN-23", "Unknown-1")


def test_list_completer_completes_the_last_item(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    dialog = make_dialog(seed_document)
    completer = dialog.systemsEdit.completer()
    assert isinstance(completer, ListCompleter)
    dialog.systemsEdit.setText("KN-23; hwasong-1")
    completer.setCompletionPrefix(dialog.systemsEdit.text())
    assert completer.currentCompletion() == "KN-23; Hwasong-11A"
    assert completer.completionCount() > 1


def test_choosing_a_place_fills_blank_coordinates(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    dialog = make_dialog(seed_document)
    combo = dialog.placeCombo
    assert combo.findText("Uiju launch area (uiju)") >= 0
    dialog.titleEdit.setText("Launch")
    combo.setCurrentIndex(combo.findData("uiju"))
    assert (dialog.latitudeEdit.text(), dialog.longitudeEdit.text()) == ("40.0258", "124.5779")
    combo.setCurrentIndex(combo.findData("sunan-airport"))  # the coordinates follow the place
    assert (dialog.latitudeEdit.text(), dialog.longitudeEdit.text()) == ("39.2002", "125.6733")
    dialog.latitudeEdit.setText("39.3")  # typed by the analyst: kept from now on
    combo.setCurrentIndex(combo.findData("uiju"))
    assert (dialog.latitudeEdit.text(), dialog.longitudeEdit.text()) == ("39.3", "125.6733")
    event = accepted(dialog)
    assert (event.place, event.latitude, event.longitude) == ("uiju", 39.3, 125.6733)


def test_a_place_may_be_a_description(seed_document: Document, make_dialog: MakeDialog) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    dialog.placeCombo.setEditText("  somewhere off Wonsan ")
    assert accepted(dialog).place == "somewhere off Wonsan"
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    dialog.placeCombo.setEditText("seoul")
    assert accepted(dialog).place == "seoul"


# -- local time <-> UTC ---------------------------------------------------------------------
def test_every_seed_event_survives_the_dialog_unchanged(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    for event_id in seed_document.events["id"]:
        original = seed_document.event(event_id)
        dialog = make_dialog(seed_document, original)
        assert error(dialog) == "", event_id
        assert accepted(dialog) == original, event_id


def test_every_seed_time_converts_back_to_itself(seed_document: Document) -> None:
    """The conversion alone (the dialog also keeps untouched fields as they were)."""
    for event_id in seed_document.events["id"]:
        event = seed_document.event(event_id)
        precision, tz_name = Precision(event.precision), event.timezone
        wall = utc_to_wall(event.start_utc, tz_name, precision)
        assert wall_to_utc(wall, tz_name, precision) == event.start_utc, event_id
        if event.end_utc is not None:
            wall = utc_to_wall(event.end_utc, tz_name, precision, end=True)
            assert wall_to_utc(wall, tz_name, precision, end=True) == event.end_utc, event_id


def test_a_day_end_is_shown_as_the_last_day_it_includes(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    x02 = seed_document.event("X02")
    assert (x02.precision, x02.end_utc) == (Precision.DAY, utc(2022, 1, 22, 15))
    dialog = make_dialog(seed_document, x02)
    assert dialog.hasEndCheck.isChecked()
    assert dialog.startEdit.text() == "2022-01-15"
    assert dialog.endEdit.text() == "2022-01-22"  # seed: "until 22 January", inclusive
    assert dialog.startUtcLabel.text() == "from 2022-01-14 15:00 UTC"
    assert dialog.endUtcLabel.text() == "until 2022-01-22 15:00 UTC"
    set_wall(dialog.endEdit, 2022, 1, 23)
    event = accepted(dialog)
    assert event.start_utc == x02.start_utc
    assert event.end_utc == utc(2022, 1, 23, 15)  # 24 January 00:00 KST
    dialog = make_dialog(seed_document, x02)
    set_wall(dialog.endEdit, 2022, 1, 14)
    assert_refused(dialog, "The end is before the start.")
    dialog = make_dialog(seed_document, x02)
    dialog.hasEndCheck.setChecked(False)
    assert accepted(dialog).end_utc is None


def test_dates_start_at_local_midnight_of_their_period(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    a06 = seed_document.event("A06")
    dialog = make_dialog(seed_document, a06)
    set_wall(dialog.startEdit, 2022, 1, 8)
    assert accepted(dialog).start_utc == utc(2022, 1, 7, 15)
    dialog = make_dialog(seed_document, a06)
    set_precision(dialog, Precision.MONTH)
    assert dialog.startEdit.text() == "2022-01"
    assert accepted(dialog).start_utc == utc(2021, 12, 31, 15)
    dialog = make_dialog(seed_document, a06)
    set_precision(dialog, Precision.YEAR)
    dialog.hasEndCheck.setChecked(True)
    event = accepted(dialog)
    assert (event.start_utc, event.end_utc) == (utc(2021, 12, 31, 15), utc(2022, 12, 31, 15))
    a09 = seed_document.event("A09")  # America/New_York
    dialog = make_dialog(seed_document, a09)
    set_wall(dialog.startEdit, 2022, 7, 4)
    assert accepted(dialog).start_utc == utc(2022, 7, 4, 4)  # midnight EDT


def test_the_time_is_read_in_the_chosen_zone(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    assert dialog.startEdit.text() == "2022-01-05 08:10"
    assert dialog.startUtcLabel.text() == "2022-01-04 23:10 UTC"
    dialog.zoneCombo.setEditText("UTC")
    assert dialog.startUtcLabel.text() == "2022-01-05 08:10 UTC"
    event = accepted(dialog)
    assert (event.timezone, event.start_utc) == ("UTC", utc(2022, 1, 5, 8, 10))


def test_switching_precision_keeps_the_hidden_time(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    set_precision(dialog, Precision.DAY)
    assert dialog.startEdit.text() == "2022-01-05"
    set_precision(dialog, Precision.APPROXIMATE)
    assert dialog.startEdit.text() == "2022-01-05 08:10"
    event = accepted(dialog)
    assert (event.precision, event.start_utc) == (Precision.APPROXIMATE, utc(2022, 1, 4, 23, 10))


# -- commands ---------------------------------------------------------------------------------
def test_editing_a_summary_is_one_labelled_undo_step(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    workspace = Workspace(seed_document)
    before = seed_document.event("A11")
    assert before.title == A11_TITLE
    dialog = make_dialog(seed_document, before)
    dialog.summaryEdit.setPlainText("Two KN-23 fired from a train near Uiju.")
    after = accepted(dialog)
    assert edit_event(workspace, before, after)
    label = f"Edit summary of '{A11_TITLE}'"
    assert workspace.stack.undo_label == label
    assert seed_document.event("A11") == after
    workspace.stack.undo()
    assert seed_document.event("A11") == before
    assert workspace.stack.redo_label == label
    workspace.stack.redo()
    assert seed_document.event("A11").summary == "Two KN-23 fired from a train near Uiju."


def test_two_dialog_edits_of_one_field_are_two_undo_steps(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    first = seed_document.event("A11")
    one = replace(first, summary="one")
    two = replace(first, summary="two")
    edit_event(workspace, first, one)
    edit_event(workspace, one, two)
    assert len(workspace.stack.labels()) == 2
    workspace.stack.undo()
    assert seed_document.event("A11").summary == "one"


def test_a_dialog_edit_does_not_merge_into_typing_in_the_table(
    seed_document: Document,
) -> None:
    workspace = Workspace(seed_document)
    a11 = seed_document.event("A11")
    workspace.stack.push(EditFields(seed_document, "events", "A11", {"summary": "typed"}))
    typed = seed_document.event("A11")
    edit_event(workspace, typed, replace(typed, summary="from the dialog"))
    workspace.stack.push(EditFields(seed_document, "events", "A11", {"summary": "typed again"}))
    assert len(workspace.stack.labels()) == 3
    workspace.stack.undo()
    workspace.stack.undo()
    assert seed_document.event("A11").summary == "typed"
    workspace.stack.undo()
    assert seed_document.event("A11") == a11


def test_edit_labels_name_the_field_or_the_event(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    a05 = seed_document.event("A05")
    assert not edit_event(workspace, a05, a05)
    assert workspace.stack.labels() == []
    edit_event(workspace, a05, replace(a05, timezone="Asia/Tokyo"))
    assert workspace.stack.undo_label == f"Edit time zone of '{a05.title}'"
    a05 = seed_document.event("A05")
    edit_event(workspace, a05, replace(a05, missile_count=2, tags=("marv",)))
    assert workspace.stack.undo_label == f"Edit event '{a05.title}'"
    a02 = seed_document.event("A02")  # 77 characters
    edit_event(workspace, a02, replace(a02, title="Plenary adopts moratorium"))
    label = workspace.stack.undo_label
    assert label == "Edit title of 'Third plenary meeting of the 7th WPK Central Committee…'"
    with pytest.raises(ValueError, match="cannot edit"):
        edit_event(workspace, a02, replace(a02, id="A03"))


def test_add_event_from_the_dialog(seed_document: Document, make_dialog: MakeDialog) -> None:
    workspace = Workspace(seed_document)
    before = snapshot(seed_document)
    dialog = make_dialog(seed_document)
    assert dialog.idLabel.text() == "EV0001"
    dialog.titleEdit.setText("Hwasong-12 launch")
    dialog.categoryCombo.setEditText("missile test")
    set_wall(dialog.startEdit, 2022, 1, 30, 7, 52)
    dialog.systemsEdit.setText("KN-17")
    dialog.countEdit.setText("1")
    event = accepted(dialog)
    assert event.id == "EV0001"
    assert event.start_utc == utc(2022, 1, 29, 22, 52)
    add_event(workspace, event)
    assert workspace.stack.undo_label == "Add event 'Hwasong-12 launch'"
    assert seed_document.event("EV0001") == event
    after = snapshot(seed_document)
    workspace.stack.undo()
    pd.testing.assert_frame_equal(snapshot(seed_document), before)
    workspace.stack.redo()
    pd.testing.assert_frame_equal(snapshot(seed_document), after)
    with pytest.raises(ValueError, match="already an event"):
        add_event(workspace, event)


def test_new_ids_follow_the_highest(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    assert new_event_id(seed_document) == "EV0001"
    add_event(workspace, replace(seed_document.event("A05"), id="EV0041"))
    add_event(workspace, replace(seed_document.event("A05"), id="EVX"))
    assert new_event_id(seed_document) == "EV0042"


def test_duplicate_event(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    before = snapshot(seed_document)
    original = seed_document.event("A05")
    copy = duplicate_event(workspace, original)
    assert copy.id == "EV0001"
    assert copy.title == f"{original.title} (copy)"
    assert workspace.stack.undo_label == f"Duplicate event '{original.title}'"
    assert seed_document.event(copy.id) == copy
    assert seed_document.event("A05") == original
    assert replace(copy, id="A05", title=original.title) == original
    after = snapshot(seed_document)
    workspace.stack.undo()
    pd.testing.assert_frame_equal(snapshot(seed_document), before)
    workspace.stack.redo()
    pd.testing.assert_frame_equal(snapshot(seed_document), after)


def test_duplicate_through_the_dialog(seed_document: Document, make_dialog: MakeDialog) -> None:
    original = seed_document.event("X02")
    dialog = make_dialog(seed_document, original, duplicate=True)
    assert dialog.idLabel.text() == "EV0001"
    assert dialog.titleEdit.text() == "President Moon Jae-in's Middle East tour (copy)"
    copy = accepted(dialog)
    assert copy.id == "EV0001"
    assert copy.title.endswith(" (copy)")
    assert (copy.start_utc, copy.end_utc, copy.sources) == (
        original.start_utc,
        original.end_utc,
        original.sources,
    )
    workspace = Workspace(seed_document)
    add_event(workspace, copy)
    assert workspace.stack.undo_label == f"Add event '{copy.title}'"


def test_delete_one_event(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    before = snapshot(seed_document)
    workspace.selection.set(["A05", "A11"])
    assert delete_events(workspace, ["A11"]) == 1
    assert workspace.stack.undo_label == f"Delete event '{A11_TITLE}'"
    assert not seed_document.has("events", "A11")
    assert workspace.selection.ids == {"A05"}
    workspace.stack.undo()
    pd.testing.assert_frame_equal(snapshot(seed_document), before)
    workspace.stack.redo()
    assert not seed_document.has("events", "A11")


def test_delete_several_events(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    before = snapshot(seed_document)
    workspace.selection.set(["A05", "A11", "X02"])
    assert delete_events(workspace, ["A05", "A11", "A05", "missing"]) == 2
    assert workspace.stack.undo_label == "Delete 2 events"
    assert workspace.stack.labels() == ["Delete 2 events"]
    assert workspace.selection.ids == {"X02"}
    after = snapshot(seed_document)
    assert len(after) == len(before) - 2
    workspace.stack.undo()
    pd.testing.assert_frame_equal(snapshot(seed_document), before)
    workspace.stack.redo()
    pd.testing.assert_frame_equal(snapshot(seed_document), after)
    assert delete_events(workspace, []) == 0
    assert delete_events(workspace, ["missing"]) == 0
    assert workspace.stack.labels() == ["Delete 2 events"]


def test_dialog_paints(seed_document: Document, make_dialog: MakeDialog, tmp_path: Path) -> None:
    dialog = make_dialog(seed_document, seed_document.event("A05"))
    dialog.show()
    picture = tmp_path / "event_dialog.png"
    assert dialog.grab().save(str(picture))
    assert picture.stat().st_size > 10_000


def test_untouched_fields_keep_their_stored_values(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    """Imported data the form would normalise survives OK without edits."""
    odd = replace(
        seed_document.event("A06"),
        start_utc=utc(2022, 1, 5, 15, 30, 45),  # day precision, not at midnight, with seconds
        summary="KCNA\u00a0report\r\nsecond line",  # a non-breaking space and CRLF
        systems=("Hwasong-11A",),  # an alias, not the system id
        title=" padded ",
    )
    dialog = make_dialog(seed_document, odd)
    assert accepted(dialog) == odd
    dialog = make_dialog(seed_document, odd)
    set_wall(dialog.startEdit, 2022, 1, 7)
    dialog.systemsEdit.setText("Hwasong-11A; KN-24")
    edited = accepted(dialog)
    assert edited.start_utc == utc(2022, 1, 6, 15)
    assert edited.systems == ("KN-23", "KN-24")
    assert (edited.summary, edited.title) == (odd.summary, odd.title)


def test_an_end_in_the_minute_of_a_start_with_seconds_is_before_it(
    seed_document: Document, make_dialog: MakeDialog
) -> None:
    """The start keeps its stored seconds; an end typed to the same minute precedes it."""
    a05 = replace(seed_document.event("A05"), start_utc=utc(2022, 1, 4, 23, 10, 30))
    dialog = make_dialog(seed_document, a05)
    dialog.hasEndCheck.setChecked(True)
    assert dialog.endEdit.text() == "2022-01-05 08:10"
    assert_refused(dialog, "The end is before the start.")
    set_wall(dialog.endEdit, 2022, 1, 5, 8, 11)
    assert accepted(dialog).end_utc == utc(2022, 1, 4, 23, 11)
