"""Autosave and recovery in the core: a tracker hands over only what changed, autosaves
accumulate in the recovery file, and restoring gives back exactly the edited document."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workstation import store
from workstation.model.commands import DeleteRows, EditFields, SetMeta, UndoStack, UpsertRows
from workstation.model.document import Document
from workstation.store import recovery


def same(a: Document, b: Document) -> None:
    for name in ("events", "measurements", "annotations", "places", "systems", "sources"):
        left = a.table(name).sort_values("id").reset_index(drop=True)
        right = b.table(name).sort_values("id").reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False)
    assert a.meta == b.meta


def test_autosaves_accumulate_and_restore_exactly(seed_copy: Path) -> None:
    document = store.load(seed_copy)
    tracker = recovery.Tracker(document)
    target = recovery.file_for(document, recovery.new_session())
    stack = UndoStack(document)
    assert tracker.take() is None  # nothing changed: nothing written
    stack.push(EditFields(document, "events", "A05", {"title": "First"}))
    stack.push(DeleteRows("events", ["A06"]))
    first = tracker.take()
    assert first is not None
    assert first.size == 2
    recovery.write(target, first, document.path, "Seed")
    # The second autosave writes only what changed since the first.
    new_row = document.rows("events", ["A07"]).assign(id="NEW-1", title="Added")
    stack.push(UpsertRows("events", new_row))
    stack.push(EditFields(document, "events", "A05", {"title": "Second"}))
    stack.push(SetMeta("title", "Renamed project"))
    second = tracker.take()
    assert second is not None
    assert second.changed == {"events": {"NEW-1", "A05"}}
    assert second.deleted == {}
    recovery.write(target, second, document.path, "Renamed project")

    found = recovery.read_info(target)
    assert found is not None
    assert found.project == seed_copy.absolute()
    assert found.changes == 4  # A05 and NEW-1 stored, A06 deleted, the title set
    restored = store.load(seed_copy)  # the file as last saved, untouched by autosaves
    assert restored.event("A05").title != "Second"
    command = recovery.restore_command(restored, found)
    UndoStack(restored).push(command)
    same(restored, document)


def test_a_deleted_then_re_added_row_is_restored(seed_copy: Path) -> None:
    document = store.load(seed_copy)
    tracker = recovery.Tracker(document)
    target = recovery.file_for(document, "s")
    row = document.rows("events", ["A05"])
    document.delete("events", ["A05"])
    delta = tracker.take()
    assert delta is not None
    recovery.write(target, delta, document.path, "x")
    document.upsert("events", row.assign(title="Back"))
    delta = tracker.take()
    assert delta is not None
    recovery.write(target, delta, document.path, "x")
    restored = store.load(seed_copy)
    found = recovery.read_info(target)
    assert found is not None
    UndoStack(restored).push(recovery.restore_command(restored, found))
    same(restored, document)


def test_pending_leaves_out_a_running_workstations_file(seed_copy: Path) -> None:
    document = store.load(seed_copy)
    tracker = recovery.Tracker(document)
    target = recovery.file_for(document, "s")
    document.upsert("events", document.rows("events", ["A05"]).assign(title="x"))
    delta = tracker.take()
    assert delta is not None
    recovery.write(target, delta, document.path, "x")
    assert recovery.pending(own=target) == []  # this session's own file
    assert [r.path for r in recovery.pending()] == [target]  # no session named: a crash's
    recovery.write(target, delta, document.path, "x", recovery.new_session())
    assert recovery.pending() == []  # a session of this process: not left by a crash
    recovery.discard(target)
    assert recovery.pending() == []


def test_a_damaged_recovery_file_is_ignored(tmp_path: Path) -> None:
    recovery.folder().mkdir(parents=True, exist_ok=True)
    (recovery.folder() / f"junk{recovery.SUFFIX}").write_bytes(b"not sqlite at all")
    assert recovery.pending() == []


def test_a_settings_change_counts_and_a_changed_project_is_said(seed_copy: Path) -> None:
    document = store.load(seed_copy)
    tracker = recovery.Tracker(document)
    target = recovery.file_for(document, "s")
    UndoStack(document).push(SetMeta("title", "Only the title"))
    delta = tracker.take()
    assert delta is not None
    recovery.write(target, delta, document.path, "Only the title")
    found = recovery.read_info(target)
    assert found is not None
    assert found.changes == 1  # a settings change is a change
    assert not found.project_changed
    theirs = store.load(seed_copy)
    theirs.upsert("events", theirs.rows("events", ["A06"]).assign(title="theirs"))
    store.save(theirs)  # someone saved the project after our autosave
    found = recovery.read_info(target)
    assert found is not None
    assert found.project_changed
    assert "saved since" in found.describe()


def test_a_failed_autosave_gives_its_changes_back(seed_copy: Path) -> None:
    document = store.load(seed_copy)
    tracker = recovery.Tracker(document)
    stack = UndoStack(document)
    stack.push(EditFields(document, "events", "A05", {"title": "lost?"}))
    stack.push(DeleteRows("events", ["A06"]))
    failed = tracker.take()
    assert failed is not None
    stack.push(UpsertRows("events", document.rows("events", ["A07"]).assign(id="A06")))  # back
    tracker.give_back(failed)  # the write of ``failed`` did not happen
    delta = tracker.take()
    assert delta is not None
    assert delta.changed == {"events": {"A05", "A06"}}  # A06 re-added later: not deleted
    assert delta.deleted == {}
