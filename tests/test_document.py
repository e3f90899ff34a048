"""The document announces its changes; selection, time filter and queries are shared state."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from tests.helpers import annotation_row, event_rows, small_document
from workstation.model import tables
from workstation.model.document import Change, Document
from workstation.model.query import EventQuery
from workstation.model.selection import Selection, TimeRangeFilter
from workstation.model.systems import AliasIndex, MissileSystem


def test_upsert_delete_emit_changes_and_track_pending() -> None:
    document = small_document(5)
    seen: list[Change] = []
    document.changed.connect(seen.append)
    edited = document.rows("events", ["E00001"]).assign(title="Renamed")
    document.upsert("events", pd.concat([edited, event_rows(1).assign(id="NEW")]))
    assert seen[-1] == Change("events", "upsert", ("E00001", "NEW"))
    assert document.event("E00001").title == "Renamed"
    assert len(document) == 6
    document.delete("events", ["E00002"])
    assert seen[-1] == Change("events", "delete", ("E00002",))
    assert not document.has("events", "E00002")
    pending = document.pending["events"]
    assert pending.changed == {"E00001", "NEW"}
    assert pending.deleted == {"E00002"}
    assert document.is_modified
    document.mark_saved(document.path or __import__("pathlib").Path("x.wsproj"))
    assert not document.is_modified


def test_upsert_keeps_dtypes() -> None:
    document = small_document(3)
    document.upsert("events", document.rows("events", ["E00000"]).assign(missile_count=7))
    assert document.events["missile_count"].dtype == "Int64"
    assert str(document.events["start_utc"].dtype) == "datetime64[s, UTC]"


def test_duplicate_ids_in_one_edit_are_refused() -> None:
    document = small_document(2)
    rows = event_rows(2).assign(id="SAME")
    with pytest.raises(ValueError, match="twice"):
        document.upsert("events", rows)


def test_unknown_table_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown table"):
        Document().table("missiles")


def test_meta_changes_are_announced() -> None:
    document = Document()
    keys: list[str] = []
    document.meta_changed.connect(keys.append)
    document.set_meta("title", "New")
    document.set_meta("title", "New")  # unchanged: no second signal
    assert keys == ["title"]
    assert document.meta_dirty


def test_alias_index_follows_system_edits() -> None:
    document = Document()
    system = MissileSystem("Hwasong-12", "Hwasong-12", ("KN-17",))
    document.upsert("systems", tables.from_records("systems", [system.to_row()]))
    assert document.aliases().resolve("KN-17") == "Hwasong-12"
    document.delete("systems", ["Hwasong-12"])
    assert document.aliases().resolve("KN-17") is None


def test_annotation_records() -> None:
    document = Document()
    document.upsert("annotations", annotation_row("N1", "Body", ("event:A05",)))
    assert document.annotation("N1").targets[0].ref == "A05"


class TestSelection:
    def test_set_add_remove_toggle_emit_once_per_change(self) -> None:
        selection = Selection()
        seen: list[frozenset[str]] = []
        selection.changed.connect(seen.append)
        selection.set(["a", "b"])
        selection.set(["b", "a"])  # same set: no signal
        selection.add(["c"])
        selection.remove(["a"])
        selection.toggle("b")
        selection.discard_missing(["c"])
        selection.clear()
        assert seen == [
            frozenset("ab"),
            frozenset("abc"),
            frozenset("bc"),
            frozenset("c"),
            frozenset(),
        ]

    def test_time_range(self) -> None:
        window = TimeRangeFilter()
        seen: list[tuple[object, object]] = []
        window.changed.connect(lambda a, b: seen.append((a, b)))
        start, end = datetime(2022, 1, 1, tzinfo=UTC), datetime(2022, 2, 1, tzinfo=UTC)
        window.set(start, end)
        assert window.active
        assert seen == [(start, end)]
        with pytest.raises(ValueError, match="ends before"):
            window.set(end, start)
        with pytest.raises(ValueError, match="aware"):
            window.set(datetime(2022, 1, 1), None)
        window.clear()
        assert not window.active


class TestQuery:
    def test_empty_query_keeps_everything(self) -> None:
        events = event_rows(10)
        assert EventQuery().is_empty
        assert EventQuery().mask(events).all()

    def test_text_category_tags(self) -> None:
        events = event_rows(10)
        assert EventQuery(text="event 3").mask(events).sum() == 1
        assert EventQuery(text="EVENT").mask(events).sum() == 10  # case-insensitive
        assert EventQuery(text="(").mask(events).sum() == 0  # literal, not a regex
        assert EventQuery(categories=frozenset({"statement"})).mask(events).sum() == 5
        assert EventQuery(tags=frozenset({"T"})).mask(events).sum() == 10

    def test_systems_are_alias_aware(self) -> None:
        events = event_rows(9)
        aliases = AliasIndex(
            [
                MissileSystem("KN-23", "KN-23", ("Hwasong-11A",)),
                MissileSystem("Hwasong-12", "Hwasong-12", ("KN-17",)),
            ]
        )
        by_alias = EventQuery(systems=frozenset({"Hwasong-11A"})).mask(events, aliases)
        assert by_alias.sum() == 3
        assert EventQuery(systems=frozenset({"KN-17"})).mask(events, aliases).sum() == 6
        # without the alias table only literal names match
        assert EventQuery(systems=frozenset({"KN-17"})).mask(events).sum() == 0

    def test_time_window_uses_overlap(self) -> None:
        events = event_rows(10)  # every 7 hours from 2022-01-01
        query = EventQuery(
            start_utc=datetime(2022, 1, 1, 6, tzinfo=UTC),
            end_utc=datetime(2022, 1, 1, 15, tzinfo=UTC),
        )
        assert list(events["id"][query.mask(events)]) == ["E00001", "E00002"]

    def test_conditions_combine_with_and(self) -> None:
        events = event_rows(10)
        query = EventQuery(
            text="Event", categories=frozenset({"statement"}), systems=frozenset({"KN-23"})
        )
        assert list(events["id"][query.mask(events)]) == ["E00000", "E00006"]


def test_upsert_writes_only_the_columns_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    document = small_document(5)
    written: list[object] = []
    frame = document.events
    original = type(frame.iloc).__setitem__

    def spy(self, key, value):  # type: ignore[no-untyped-def]
        written.append(key[1])
        return original(self, key, value)

    monkeypatch.setattr(type(frame.iloc), "__setitem__", spy)
    document.upsert("events", document.rows("events", ["E00001"]).assign(title="New title"))
    assert written == [list(frame.columns).index("title")]
    assert document.event("E00001").title == "New title"
