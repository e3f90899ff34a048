"""Annotation edits keep each note's history: who changed it, when, and what it held before."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.helpers import annotation_row, small_document
from workstation import store
from workstation.model import tables, validation
from workstation.model.annotation_commands import (
    MAX_STEP,
    MERGE_WINDOW,
    AddAnnotation,
    EditAnnotation,
    RestoreVersion,
    delete_annotations,
)
from workstation.model.annotations import Annotation, AnnotationVersion, Confidence, Target
from workstation.model.commands import UndoStack
from workstation.model.document import Document
from workstation.model.sources import SourceRef

T0 = datetime(2022, 2, 1, tzinfo=UTC)
PAUSE = timedelta(seconds=3)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def document_with_note() -> Document:
    document = small_document(3)
    document.upsert("annotations", annotation_row("N01", "first body", ("event:E00000",)))
    return document


def history(document: Document, note: str = "N01") -> list[tuple[str, int, str, str]]:
    rows = document.versions(note)
    return list(zip(rows["id"], rows["version"], rows["author"], rows["body"], strict=True))


def test_annotation_sources_round_trip_through_rows() -> None:
    note = Annotation(
        "N1",
        (Target.parse("event:A05"),),
        "body",
        T0,
        T0,
        sources=(SourceRef("article", "¶4"), SourceRef("S1")),
    )
    row = note.to_row()
    assert row["sources"] == "article:¶4; S1"
    assert list(row) == tables.column_names("annotations")
    assert Annotation.from_row(row) == note


def test_add_annotation_records_no_version_and_refuses_a_taken_id() -> None:
    document = small_document(1)
    stack = UndoStack(document)
    note = Annotation("N9", (Target.parse("project"),), "hello", T0, T0)
    stack.push(AddAnnotation(document, note))
    assert document.annotation("N9") == note
    assert document.table("annotation_versions").empty
    with pytest.raises(ValueError, match="already exists"):
        AddAnnotation(document, note)
    stack.undo()
    assert not document.has("annotations", "N9")


def test_an_edit_keeps_the_previous_state_and_undo_removes_it() -> None:
    document = document_with_note()
    before = document.annotation("N01")
    stack = UndoStack(document)
    stack.push(
        EditAnnotation(
            document,
            "N01",
            {
                "body": "second body",
                "tags": ("disputed", "source-error"),
                "sources": [SourceRef("article", "¶4")],
                "confidence": Confidence.LIKELY,
            },
            author="ana",
            now=at(5),
        )
    )
    note = document.annotation("N01")
    assert note.body == "second body"
    assert note.tags == ("disputed", "source-error")
    assert note.sources == (SourceRef("article", "¶4"),)
    assert note.confidence is Confidence.LIKELY
    assert note.modified_utc == at(5)
    assert note.created_utc == before.created_utc
    assert note.author == before.author, "the note's author is not who edited it"
    version = document.annotation_version("N01@1")
    assert version == AnnotationVersion.of(before, 1, at(5), "ana")
    assert stack.undo_label == "Edit body, tags, sources, confidence of annotation N01"
    stack.undo()
    assert document.annotation("N01") == before
    assert document.table("annotation_versions").empty
    stack.redo()
    assert document.annotation("N01") == note
    assert document.annotation_version("N01@1") == version


def test_typing_merges_into_one_step_and_one_version() -> None:
    document = document_with_note()
    stack = UndoStack(document)
    # Bursts of typing a few seconds apart, as the editor commits them.
    for step, text in enumerate(("s", "se", "sec", "second"), start=1):
        stack.push(EditAnnotation(document, "N01", {"body": text}, "ana", T0 + step * PAUSE))
    assert stack.labels() == ["Edit body of annotation N01"]
    assert history(document) == [("N01@1", 1, "ana", "first body")]
    version = document.annotation_version("N01@1")
    assert version.saved_utc == T0 + 4 * PAUSE == document.annotation("N01").modified_utc
    stack.undo()
    assert document.annotation("N01").body == "first body"
    assert document.table("annotation_versions").empty
    stack.redo()
    assert document.annotation("N01").body == "second"
    assert history(document) == [("N01@1", 1, "ana", "first body")]


def test_a_long_pause_in_typing_starts_a_new_step_and_version() -> None:
    document = document_with_note()
    stack = UndoStack(document)
    stack.push(EditAnnotation(document, "N01", {"body": "a"}, "ana", T0))
    stack.push(EditAnnotation(document, "N01", {"body": "ab"}, "ana", T0 + MERGE_WINDOW))
    stack.push(EditAnnotation(document, "N01", {"body": "abc"}, "ana", T0 + 3 * MERGE_WINDOW))
    assert len(stack.labels()) == 2
    assert [v[3] for v in history(document)] == ["first body", "ab"]
    stack.undo()
    assert document.annotation("N01").body == "ab"


def test_steady_typing_is_cut_into_steps_of_at_most_max_step() -> None:
    document = document_with_note()
    stack = UndoStack(document)
    pause = MERGE_WINDOW / 2
    steps = int(3 * MAX_STEP / pause)
    for n in range(steps):  # never a long pause, for three times MAX_STEP
        stack.push(EditAnnotation(document, "N01", {"body": "x" * n}, "ana", T0 + n * pause))
    assert 3 <= len(stack.labels()) <= 4


def test_a_new_group_other_fields_or_another_author_make_new_versions() -> None:
    document = document_with_note()
    stack = UndoStack(document)
    stack.push(EditAnnotation(document, "N01", {"body": "b2"}, "ana", at(1)))
    stack.close_merge()
    stack.push(EditAnnotation(document, "N01", {"body": "b3"}, "ana", at(2)))
    stack.push(EditAnnotation(document, "N01", {"tags": "x"}, "ana", at(3)))
    stack.push(EditAnnotation(document, "N01", {"tags": "x; y"}, "bo", at(4)))
    assert len(stack.labels()) == 4
    assert history(document) == [
        ("N01@1", 1, "ana", "first body"),
        ("N01@2", 2, "ana", "b2"),
        ("N01@3", 3, "ana", "b3"),
        ("N01@4", 4, "bo", "b3"),
    ]
    assert document.annotation_version("N01@4").tags == ("x",)
    while stack.can_undo:
        stack.undo()
    assert document.table("annotation_versions").empty
    assert document.annotation("N01").body == "first body"


def test_no_merge_across_a_save() -> None:
    document = document_with_note()
    stack = UndoStack(document)
    stack.push(EditAnnotation(document, "N01", {"body": "a"}, "ana", at(1)))
    stack.set_clean()
    stack.push(EditAnnotation(document, "N01", {"body": "ab"}, "ana", at(2)))
    assert [v[0] for v in history(document)] == ["N01@1", "N01@2"]


def test_restore_puts_a_version_back_and_records_what_it_replaced() -> None:
    document = document_with_note()
    stack = UndoStack(document)
    stack.push(
        EditAnnotation(document, "N01", {"body": "b2", "targets": ("project",)}, "ana", at(1))
    )
    stack.close_merge()
    stack.push(EditAnnotation(document, "N01", {"body": "b3", "sources": "S1"}, "ana", at(2)))
    current = document.annotation("N01")
    stack.push(RestoreVersion(document, "N01@1", author="bo", now=at(3)))
    assert stack.undo_label == "Restore version 1 of annotation N01"
    restored = document.annotation("N01")
    assert restored.body == "first body"
    assert restored.targets == (Target.parse("event:E00000"),)
    assert restored.sources == ()
    assert restored.modified_utc == at(3)
    assert history(document)[-1] == ("N01@3", 3, "bo", "b3")
    assert document.annotation_version("N01@3").sources == (SourceRef("S1"),)
    # A restore never merges with the next edit, nor with another restore.
    stack.push(RestoreVersion(document, "N01@2", author="bo", now=at(4)))
    stack.push(EditAnnotation(document, "N01", {"body": "b4"}, "bo", at(5)))
    assert len(stack.labels()) == 5
    stack.undo()
    stack.undo()
    stack.undo()
    assert document.annotation("N01") == current
    assert [v[0] for v in history(document)] == ["N01@1", "N01@2"]


def test_edits_are_checked_before_anything_changes() -> None:
    document = document_with_note()
    with pytest.raises(KeyError):
        EditAnnotation(document, "missing", {"body": "x"}, "ana", at(1))
    with pytest.raises(ValueError, match="cannot edit created_utc, id"):
        EditAnnotation(document, "N01", {"id": "N2", "created_utc": T0}, "ana", at(1))
    with pytest.raises(ValueError, match="annotation target"):
        EditAnnotation(document, "N01", {"targets": ("planet:Mars",)}, "ana", at(1))
    with pytest.raises(ValueError, match="perhaps"):
        EditAnnotation(document, "N01", {"confidence": "perhaps"}, "ana", at(1))
    with pytest.raises(ValueError, match="bad source id"):
        EditAnnotation(document, "N01", {"sources": (":4",)}, "ana", at(1))
    with pytest.raises(ValueError, match="timezone-aware"):
        EditAnnotation(document, "N01", {"body": "x"}, "ana", datetime(2022, 3, 1))
    with pytest.raises(KeyError):
        RestoreVersion(document, "N01@7", "ana", at(1))
    assert document.table("annotation_versions").empty


def test_an_edit_dated_before_creation_is_stamped_at_creation() -> None:
    """A clock set back must not produce a note modified before it was created."""
    document = document_with_note()
    UndoStack(document).push(EditAnnotation(document, "N01", {"body": "x"}, "ana", at(-60)))
    assert document.annotation("N01").modified_utc == T0
    assert document.annotation_version("N01@1").saved_utc == T0
    assert validation.problems("annotations", document.table("annotations")) == []


def test_deleting_annotations_drops_their_history_in_one_step() -> None:
    document = document_with_note()
    document.upsert("annotations", annotation_row("N02", "other"))
    stack = UndoStack(document)
    for minute, note in enumerate(("N01", "N02", "N01"), start=1):
        stack.push(EditAnnotation(document, note, {"body": f"b{minute}"}, "ana", at(minute)))
        stack.close_merge()
    notes = document.table("annotations").copy()
    versions = document.table("annotation_versions").copy()
    stack.push(delete_annotations(document, ["N01"]))
    assert stack.undo_label == "Delete annotation N01"
    assert document.table("annotations")["id"].tolist() == ["N02"]
    assert document.table("annotation_versions")["id"].tolist() == ["N02@1"]
    stack.undo()
    for name, frame in (("annotations", notes), ("annotation_versions", versions)):
        got = document.table(name).sort_values("id").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, frame.sort_values("id").reset_index(drop=True))
    stack.redo()
    assert document.versions("N01").empty


def test_history_survives_save_and_load(tmp_path: Path) -> None:
    document = document_with_note()
    stack = UndoStack(document)
    stack.push(EditAnnotation(document, "N01", {"body": "b2", "sources": "S1:p. 3"}, "ana", at(1)))
    target = tmp_path / "history.wsproj"
    store.save(document, target)
    loaded = store.load(target)
    assert loaded.annotation("N01") == document.annotation("N01")
    assert loaded.annotation_version("N01@1") == document.annotation_version("N01@1")
    UndoStack(loaded).push(RestoreVersion(loaded, "N01@1", "bo", at(2)))
    store.save(loaded)
    again = store.load(target)
    assert again.annotation("N01").body == "first body"
    assert [v[0] for v in history(again)] == ["N01@1", "N01@2"]


def test_validation_of_versions() -> None:
    good = AnnotationVersion(
        "N1@1", "N1", 1, T0, "ana", "body", targets=(Target.parse("event:A05"),)
    ).to_row()
    frame = tables.from_records(
        "annotation_versions",
        [
            good,
            {**good, "id": "N1@0", "version": 0},
            {**good, "id": "N1@1b"},  # the same version of N1 again
            {**good, "id": "N1@4", "version": 4, "targets": "planet:Mars"},
            {**good, "id": "N1@5", "version": 5, "confidence": "perhaps"},
            {**good, "id": "N1@6", "version": 6, "sources": ":x"},
        ],
    )
    found = "\n".join(validation.problems("annotation_versions", frame, limit=10))
    assert "'N1@0': version must be 1 or more" in found
    assert "'N1@1b': the same version of one annotation appears twice" in found
    assert "'N1@4': has a malformed target" in found
    assert "'N1@5': confidence must be one of" in found
    assert "'N1@6': has a malformed source reference" in found
    missing = tables.from_records("annotation_versions", [{**good, "version": None}])
    assert "version is missing" in "\n".join(validation.problems("annotation_versions", missing))
    notes = annotation_row("N1", "note")
    assert validation.reference_problems({"annotations": notes, "annotation_versions": frame}) == []
    orphans = frame.assign(annotation_id=["N1", "N1", "N1", "N1", "gone", "gone"])
    assert validation.reference_problems(
        {"annotations": notes, "annotation_versions": orphans}
    ) == ["annotation_versions row 'N1@5': annotation 'gone' does not exist (and 1 more rows)"]


def test_history_of_one_note_among_100k_versions_is_fast() -> None:
    n = 100_000
    notes = np.array([f"N{i % 5_000:05d}" for i in range(n)], dtype=object)
    numbers = np.arange(n) // 5_000 + 1
    frame = tables.conform(
        "annotation_versions",
        pd.DataFrame(
            {
                "id": [f"{a}@{v}" for a, v in zip(notes, numbers, strict=True)],
                "annotation_id": notes,
                "version": numbers,
                "saved_utc": pd.Timestamp(T0),
                "body": "text",
            }
        ).sample(frac=1, random_state=1),
    )
    document = Document({"annotation_versions": frame})
    started = time.perf_counter()
    mine = document.versions("N00042")
    number = document.next_version("N00042")
    elapsed = time.perf_counter() - started
    assert mine["version"].tolist() == list(range(1, 21))
    assert number == 21
    assert elapsed < 0.25, f"{elapsed:.3f} s"
