"""Every edit is an undoable command with a readable label."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import annotation_row, event_rows, small_document
from workstation.model.commands import DeleteRows, EditFields, Macro, UndoStack, UpsertRows


def snapshot(document) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return document.events.sort_values("id").astype(str).to_dict("records")


def test_upsert_undo_redo_restores_exact_rows() -> None:
    document = small_document(5)
    before = snapshot(document)
    stack = UndoStack(document)
    changed = document.rows("events", ["E00001"]).assign(title="Changed")
    rows = pd.concat([changed, event_rows(1).assign(id="N")])
    stack.push(UpsertRows("events", rows, label="Import 2 rows"))
    after = snapshot(document)
    assert stack.undo_label == "Import 2 rows"
    stack.undo()
    assert snapshot(document) == before
    assert stack.redo_label == "Import 2 rows"
    stack.redo()
    assert snapshot(document) == after


def test_delete_undo() -> None:
    document = small_document(5)
    before = snapshot(document)
    stack = UndoStack(document)
    stack.push(DeleteRows("events", ["E00001", "E00003"]))
    assert len(document) == 3
    assert stack.undo_label == "Delete 2 events"
    stack.undo()
    assert snapshot(document) == before


def test_typing_in_one_field_merges_into_one_step() -> None:
    document = small_document(3)
    stack = UndoStack(document)
    for text in ("D", "Dr", "Dra", "Draft"):
        stack.push(EditFields(document, "events", "E00000", {"title": text}))
    assert document.event("E00000").title == "Draft"
    assert stack.labels() == ["Edit title of E00000"]
    stack.undo()
    assert document.event("E00000").title == "Event 0"
    stack.redo()
    assert document.event("E00000").title == "Draft"


def test_merge_stops_at_a_group_boundary_and_other_fields() -> None:
    document = small_document(3)
    stack = UndoStack(document)
    stack.push(EditFields(document, "events", "E00000", {"title": "A"}))
    stack.close_merge()
    stack.push(EditFields(document, "events", "E00000", {"title": "AB"}))
    stack.push(EditFields(document, "events", "E00000", {"summary": "s"}))
    stack.push(EditFields(document, "events", "E00001", {"summary": "s"}))
    assert len(stack.labels()) == 4


def test_edit_fields_refuses_unknown_fields_and_rows() -> None:
    document = small_document(1)
    with pytest.raises(ValueError, match="cannot edit"):
        EditFields(document, "events", "E00000", {"colour": "red"})
    with pytest.raises(ValueError, match="cannot edit"):
        EditFields(document, "events", "E00000", {"id": "other"})
    with pytest.raises(KeyError):
        EditFields(document, "events", "missing", {"title": "x"})


def test_macro_is_one_step() -> None:
    document = small_document(3)
    before = snapshot(document)
    stack = UndoStack(document)
    stack.push(
        Macro(
            "Annotate and retitle",
            [
                UpsertRows("annotations", annotation_row("N1", "note", ("event:E00000",))),
                EditFields(document, "events", "E00000", {"title": "T"}),
            ],
        )
    )
    assert stack.labels() == ["Annotate and retitle"]
    stack.undo()
    assert snapshot(document) == before
    assert len(document.table("annotations")) == 0


def test_clean_state_and_new_branch() -> None:
    document = small_document(3)
    stack = UndoStack(document)
    signals: list[None] = []
    stack.changed.connect(lambda: signals.append(None))
    assert stack.is_clean
    stack.push(EditFields(document, "events", "E00000", {"title": "1"}))
    assert not stack.is_clean
    stack.set_clean()
    stack.push(EditFields(document, "events", "E00000", {"title": "2"}))  # no merge across save
    assert len(stack.labels()) == 2
    stack.undo()
    assert stack.is_clean
    stack.undo()
    stack.push(EditFields(document, "events", "E00001", {"title": "x"}))  # drops the redo branch
    assert not stack.can_redo
    assert not stack.is_clean
    assert signals


def test_undo_limit() -> None:
    document = small_document(1)
    stack = UndoStack(document, limit=3)
    for i in range(5):
        stack.push(EditFields(document, "events", "E00000", {"title": str(i)}))
        stack.close_merge()
    assert len(stack.labels()) == 3
    while stack.can_undo:
        stack.undo()
    assert document.event("E00000").title == "1"
