"""Finding notes: the annotation list's filter and sort, what notes are about, and the shared
selection of notes and their events (Qt-free)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from tests.helpers import annotation_row, small_document
from workstation.model import annotation_list as al
from workstation.model.annotation_list import AnnotationFilter, SortKey
from workstation.model.document import Document
from workstation.model.query import EventQuery
from workstation.model.workspace import Workspace


def ids(document: Document, mask: np.ndarray) -> set[str]:
    return set(document.table("annotations")["id"][mask])


def test_filter_by_text_tag_author_and_target(seed_document: Document) -> None:
    doc = seed_document
    assert ids(doc, AnnotationFilter(tag="DISPUTED").mask(doc)) == {"N14", "N16", "N17"}
    assert ids(doc, AnnotationFilter(tag="source-error").mask(doc)) == {
        "N02", "N04", "N05", "N07", "N08", "N13",
    }  # fmt: skip
    assert ids(doc, AnnotationFilter(target="event:A19").mask(doc)) == {"N04", "N06", "N13"}
    assert ids(doc, AnnotationFilter(target="project").mask(doc)) == {"N01"}
    assert ids(doc, AnnotationFilter(target="hwasong-12").mask(doc)) == {"N04"}
    assert ids(doc, AnnotationFilter(text="EXAGGERATED").mask(doc)) >= {"N17"}
    both = AnnotationFilter(text="exaggerated", tag="disputed").mask(doc)
    assert ids(doc, both) == {"N17"}
    author = str(doc.annotation("N17").author)
    assert "N17" in ids(doc, AnnotationFilter(author=author.upper()).mask(doc))
    assert not AnnotationFilter(author="nobody at all").mask(doc).any()
    assert AnnotationFilter().mask(doc).all()
    assert AnnotationFilter().is_empty


def test_sort_by_created_modified_and_target_date() -> None:
    doc = small_document(3)  # E00000..E00002, a day apart from 1 January 2022
    rows = [
        annotation_row("a", "on the last event", ("event:E00002",)),
        annotation_row("b", "on the first event", ("event:E00000",)),
        annotation_row("c", "on the project", ("project",)),
        annotation_row("d", "on 2010", ("time:2010-01-01T00:00:00Z/2010-12-31T00:00:00Z",)),
    ]
    for n, row in enumerate(rows):
        stamp = datetime(2026, 1, 1 + n, tzinfo=UTC)
        # modified in the reverse order of creation
        row = row.assign(created_utc=stamp, modified_utc=datetime(2026, 2, 9 - n, tzinfo=UTC))
        doc.upsert("annotations", row)
    everything = AnnotationFilter()
    assert al.listed(doc, everything, SortKey.CREATED, descending=False) == ["a", "b", "c", "d"]
    assert al.listed(doc, everything, SortKey.MODIFIED) == ["a", "b", "c", "d"]
    assert al.listed(doc, everything, SortKey.MODIFIED, descending=False) == ["d", "c", "b", "a"]
    # By the date of what the note is about (a time range by its start, in the same unit as
    # an event's); the undated project note last either way.
    by_date = al.listed(doc, everything, SortKey.TARGET_DATE, descending=False)
    assert by_date == ["d", "b", "a", "c"]
    assert al.listed(doc, everything, SortKey.TARGET_DATE) == ["a", "b", "d", "c"]
    only_b = np.array([False, True, True, False])
    assert al.listed(doc, everything, within=only_b) == ["b", "c"]


def test_what_notes_are_about(seed_document: Document) -> None:
    doc = seed_document
    # N17: two events and three claims (all on those two events).
    assert set(al.target_events(doc, ["N17"])) == {"A05", "A07"}
    # A note on a missile system selects the system's events (aliases too); project: none.
    hwasong12 = set(al.target_events(doc, ["N04"]))
    assert "A19" in hwasong12
    system_events = EventQuery(systems=frozenset({"Hwasong-12"})).mask(doc.events)
    assert hwasong12 >= set(doc.events["id"][system_events])
    assert al.target_events(doc, ["N01"]) == []
    assert al.target_events(doc, ["no such note"]) == []


def test_notes_on_events_and_on_what_is_shown(seed_document: Document) -> None:
    doc = seed_document
    assert ids(doc, al.annotations_on(doc, {"A19"})) == {"N04", "N06", "N13"}
    # A note that names only a claim of A05 is still a note on A05.
    doc.upsert("annotations", annotation_row("C1", "on a claim", ("measurement:M005",)))
    assert "C1" in ids(doc, al.annotations_on(doc, {"A05"}))
    assert "C1" not in ids(doc, al.annotations_on(doc, {"A19"}))
    shown = EventQuery(text="Hwasong-12").mask(doc.events)
    on_shown = ids(doc, al.annotations_on_shown(doc, shown))
    assert "N01" in on_shown  # the project is always shown
    assert "N17" not in on_shown  # 5 and 11 January: not Hwasong-12 launches
    assert ids(doc, al.annotations_on_shown(doc, np.ones(len(doc.events), bool))) == set(
        doc.table("annotations")["id"]
    )


def test_note_counts_per_event_include_notes_on_claims(seed_document: Document) -> None:
    doc = seed_document
    counts = dict(zip(doc.events["id"], al.note_counts(doc), strict=True))
    assert counts["A19"] == 3  # N04, N06, N13
    doc.upsert("annotations", annotation_row("C1", "claim", ("measurement:M005", "event:A05")))
    after = dict(zip(doc.events["id"], al.note_counts(doc), strict=True))
    assert after["A05"] == counts["A05"] + 1  # one note, though it names A05 twice
    assert al.note_counts(Document()).tolist() == []


def test_tags_and_authors_for_completion(seed_document: Document) -> None:
    tags = al.all_tags(seed_document)
    assert {"disputed", "source-error"} <= set(tags)
    assert tags == sorted(tags, key=str.casefold)
    assert al.all_authors(seed_document)


def test_selecting_notes_selects_their_events(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    workspace.select_annotations(["N17"])
    assert workspace.annotation_selection.ids == {"N17"}
    assert workspace.selection.ids == {"A05", "A07"}
    assert workspace.selection_follows_notes
    workspace.selection.set(["A19"])  # then the analyst picks an event elsewhere
    assert not workspace.selection_follows_notes
    workspace.selection.set(["A05", "A07"])  # and picks the same events again, by hand
    assert not workspace.selection_follows_notes
    workspace.select_annotations(["N01"])  # a project note: no event in particular
    assert workspace.selection.ids == frozenset()


def test_the_annotation_filter_is_shared(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    seen: list[AnnotationFilter] = []
    workspace.annotation_filter_changed.connect(lambda: seen.append(workspace.annotation_filter))
    workspace.set_annotation_filter(AnnotationFilter(tag="disputed"))
    workspace.set_annotation_filter(AnnotationFilter(tag="disputed"))  # no change, no signal
    assert seen == [AnnotationFilter(tag="disputed")]
