"""The workspace: what every dock shares (filters, selection, display zone, undo)."""

from __future__ import annotations

from datetime import UTC, datetime

from workstation.model.document import Document
from workstation.model.query import EventQuery, QueryContext
from workstation.model.workspace import Workspace


def test_visible_mask_follows_query_and_time_range(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    seen: list[None] = []
    workspace.filter_changed.connect(lambda: seen.append(None))
    assert workspace.visible_count() == 26
    workspace.set_query(EventQuery(categories=frozenset({"missile test"})))
    assert workspace.visible_count() == 12
    workspace.time_range.set(datetime(2022, 1, 1, tzinfo=UTC), datetime(2022, 2, 1, tzinfo=UTC))
    assert workspace.visible_count() == 7
    workspace.time_range.clear()
    workspace.set_query(EventQuery())
    assert workspace.visible_count() == 26
    assert len(seen) == 4


def test_free_text_finds_systems_by_alias_and_places_by_name(seed_document: Document) -> None:
    context = QueryContext.of(seed_document)
    events = seed_document.events
    kn23 = set(events["id"][EventQuery(systems=frozenset({"KN-23"})).mask(events, context)])
    by_alias = set(events["id"][EventQuery(text="Hwasong-11A").mask(events, context)])
    assert by_alias == kn23
    assert kn23 >= {"A11", "A18"}
    sunan = set(events["id"][EventQuery(text="Pyongyang International").mask(events, context)])
    assert "A13" in sunan


def test_deleted_events_leave_the_selection(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    workspace.selection.set(["A05", "A08"])
    workspace.document.delete("events", ["A05"])
    assert workspace.selection.ids == {"A08"}


def test_utc_toggle_is_announced() -> None:
    workspace = Workspace(Document())
    seen: list[None] = []
    workspace.display_changed.connect(lambda: seen.append(None))
    workspace.set_show_utc(True)
    workspace.set_show_utc(True)
    assert workspace.show_utc
    assert len(seen) == 1


def test_saved_views_keep_their_instants_across_display_zones() -> None:
    from workstation.model.query_syntax import parse_query
    from workstation.model.saved_views import decode_view, encode_view

    query = parse_query("system:KN-23 after:2022-01-14", "Asia/Seoul")
    stored = encode_view(query, "Asia/Seoul")
    assert parse_query(decode_view(stored, "UTC"), "UTC") == query
    assert parse_query(decode_view(stored, "Asia/Seoul"), "Asia/Seoul") == query
    import pytest

    with pytest.raises(ValueError, match="not a valid saved view"):
        decode_view("system:KN-23", "UTC")


def test_category_filters_ignore_case(seed_document: Document) -> None:
    query = EventQuery(categories=frozenset({"Missile Test"}))
    assert int(query.mask(seed_document.events).sum()) == 12


def test_category_filter_sees_edits(seed_document: Document) -> None:
    """The per-column codes the category filter uses are dropped when events change."""
    workspace = Workspace(seed_document)
    workspace.set_query(EventQuery(categories=frozenset({"anniversary"})))
    assert workspace.visible_count() == 2
    rows = seed_document.rows("events", ["A01"]).assign(category="anniversary")
    seed_document.upsert("events", rows)
    assert workspace.visible_count() == 3
