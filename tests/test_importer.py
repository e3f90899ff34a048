"""Planning an import: duplicates skipped, merged or kept, one undoable command, the report
(groundwork of the import, Qt-free)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from workstation.io.importer import Incoming, RowReport, duplicates, plan, report_lines
from workstation.model import tables
from workstation.model.commands import EditFields, UndoStack
from workstation.model.document import Document
from workstation.model.events import Event
from workstation.model.measurements import Measurement, Qualifier, SubjectType
from workstation.model.systems import MissileSystem

T = datetime(2022, 1, 14, 5, 41, tzinfo=UTC)


def event(event_id: str, start: datetime, system: str, place: str, **more: object) -> dict:
    return Event(
        event_id, start, systems=(system,), place=place, category="missile test", **more
    ).to_row()  # type: ignore[arg-type]


def claim(claim_id: str, event_id: str, km: float) -> dict:
    return Measurement(
        claim_id,
        SubjectType.EVENT,
        event_id,
        "range",
        Qualifier.EXACT,
        km,
        unit="km",
        claimant="CNS",
    ).to_row()


def project() -> Document:
    systems = [MissileSystem("KN-23", "KN-23", aliases=("Hwasong-11A",)).to_row()]
    return Document(
        {
            "events": tables.from_records("events", [event("A13", T, "KN-23", "Uiju launch area")]),
            "systems": tables.from_records("systems", systems),
        }
    )


def incoming(*rows: dict, claims: tuple[dict, ...] = ()) -> Incoming:
    return Incoming(
        tables.from_records("events", list(rows)),
        tables.from_records("measurements", list(claims)),
        [RowReport(n, "imported", "", str(r["id"])) for n, r in enumerate(rows, start=1)],
        name="test.csv",
    )  # fmt: skip


# The same launch as CNS writes it: an alias of the system, a shorter place name, 11 min on.
SAME = event("CNS-163", T + timedelta(minutes=11), "Hwasong-11A", "Uiju")
OTHER = event("CNS-200", T + timedelta(days=3), "Hwasong-11A", "Uiju")


def test_duplicates_are_the_same_system_and_place_within_a_day() -> None:
    doc = project()
    frame = tables.from_records("events", [SAME, OTHER])
    assert duplicates(doc, frame) == {0: "A13"}
    elsewhere = event("X", T, "KN-23", "Hamhung")
    assert duplicates(doc, tables.from_records("events", [elsewhere])) == {}
    other_system = event("Y", T, "Hwasong-12", "Uiju")
    assert duplicates(doc, tables.from_records("events", [other_system])) == {}
    # No place name on either side: coordinates within 25 km make the same place.
    near = event("Z", T, "KN-23", "", latitude=40.2, longitude=124.5)
    located = event("A14", T, "KN-23", "", latitude=40.21, longitude=124.52)
    doc.upsert("events", tables.from_records("events", [located]))
    assert duplicates(doc, tables.from_records("events", [near])) == {0: "A14"}
    far = event("W", T, "KN-23", "", latitude=41.2, longitude=124.5)
    assert duplicates(doc, tables.from_records("events", [far])) == {}


def test_skip_merge_and_keep() -> None:
    doc = project()
    arriving = incoming(
        SAME, OTHER, claims=(claim("C1", "CNS-163", 430), claim("C2", "CNS-200", 500))
    )
    skip = plan(doc, arriving, "skip")
    assert list(skip.events["id"]) == ["CNS-200"]
    assert list(skip.measurements["subject_id"]) == ["CNS-200"]  # the skipped event's claim goes
    assert (skip.report[0].status, skip.report[0].detail) == ("skipped", "duplicate of A13")
    merge = plan(doc, arriving, "merge")
    assert list(merge.events["id"]) == ["CNS-200"]
    assert sorted(merge.measurements["subject_id"]) == ["A13", "CNS-200"]  # claims re-pointed
    assert merge.report[0].status == "merged"
    keep = plan(doc, arriving, "keep")
    assert sorted(keep.events["id"]) == ["CNS-163", "CNS-200"]
    assert keep.count("imported") == 2


def test_an_id_already_taken_gets_a_fresh_one() -> None:
    doc = project()
    clash = event("A13", T + timedelta(days=30), "KN-23", "Hamhung")
    result = plan(doc, incoming(clash, claims=(claim("C1", "A13", 100),)), "skip")
    assert list(result.events["id"]) == ["A13-2"]
    assert list(result.measurements["subject_id"]) == ["A13-2"]
    assert "imported as A13-2" in result.report[0].detail


def test_the_import_is_one_undoable_step_and_planning_changes_nothing() -> None:
    doc = project()
    before = doc.events.copy()
    result = plan(doc, incoming(SAME, OTHER, claims=(claim("C2", "CNS-200", 500),)), "keep")
    pd.testing.assert_frame_equal(doc.events, before)  # a plan is only a plan
    stack = UndoStack(doc)
    stack.push(result.command())
    assert stack.labels() == ["Import 2 rows from test.csv"]
    assert len(doc.events) == 3
    assert doc.has("measurements", "C2")
    stack.undo()
    pd.testing.assert_frame_equal(doc.events.reset_index(drop=True), before.reset_index(drop=True))
    assert not doc.has("measurements", "C2")
    stack.redo()
    assert len(doc.events) == 3


def test_report_lines_list_what_was_not_simply_imported() -> None:
    doc = project()
    lines = report_lines(plan(doc, incoming(SAME, OTHER), "skip"), {"Date": "UTC"})
    assert lines[0].startswith(
        "1 events, 0 claims, 0 sources and 1 places to add from 2 rows: 1 imported"
    )
    assert lines[1] == "times: Date read as UTC"
    assert lines[2:] == ["place: 'Uiju' is a new place, uiju", "row 1: skipped: duplicate of A13"]


@pytest.mark.parametrize("choice", ["skip", "merge", "keep"])
def test_importing_into_an_empty_project(choice: str) -> None:
    result = plan(Document(), incoming(SAME, OTHER), choice)  # type: ignore[arg-type]
    assert len(result.events) == 2


def test_a_re_import_is_recognised_by_its_ids_even_after_corrections() -> None:
    """Importing the same file again finds the events it brought the first time, though the
    analyst corrected their system since, instead of adding them twice."""
    doc = project()
    stack = UndoStack(doc)
    stack.push(plan(doc, incoming(OTHER), "skip").command())
    stack.push(EditFields(doc, "events", "CNS-200", {"systems": "Hwasong-8"}))
    again = plan(doc, incoming(OTHER), "skip")
    assert again.events.empty
    assert again.report[0].detail == "duplicate of CNS-200"
    kept = plan(doc, incoming(OTHER), "keep")
    assert list(kept.events["id"]) == ["CNS-200-2"]
    assert kept.report[0].detail == "kept beside CNS-200 as CNS-200-2"
    # A week later, the same id is another event (another file's numbering): not a duplicate.
    later = event("CNS-200", T + timedelta(days=10), "Hwasong-11A", "Uiju")
    assert plan(doc, incoming(later), "skip").report[0].detail == "imported as CNS-200-2"


def test_merging_a_re_import_does_not_claim_the_same_thing_twice() -> None:
    doc = project()
    stack = UndoStack(doc)
    first = incoming(OTHER, claims=(claim("C1", "CNS-200", 500),))
    stack.push(plan(doc, first, "skip").command())
    again = incoming(OTHER, claims=(claim("C1", "CNS-200", 500), claim("C2", "CNS-200", 650)))
    merged = plan(doc, again, "merge")
    assert merged.events.empty
    assert list(merged.measurements["value"]) == [650.0]  # only the new statement
    stack.push(merged.command())
    assert sorted(doc.table("measurements")["value"]) == [500.0, 650.0]
