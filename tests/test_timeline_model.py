"""The timeline's Qt-free arithmetic: glyph extents, lanes, density, counts, references, pins,
and the undoable time filter."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from workstation.model import tables
from workstation.model import timeline as tl
from workstation.model.commands import SetMeta
from workstation.model.document import Document
from workstation.model.query import EventQuery
from workstation.model.workspace import Workspace

KST = ZoneInfo("Asia/Seoul")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def event(event_id: str, start: datetime, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": event_id,
        "start_utc": start,
        "precision": "time",
        "timezone": "UTC",
        "category": "missile test",
        "title": event_id,
    }
    row.update(fields)
    return row


def document_of(
    *rows: dict[str, object], systems: list[dict[str, object]] | None = None
) -> Document:
    frames = {"events": tables.from_records("events", list(rows))}
    if systems:
        frames["systems"] = tables.from_records("systems", systems)
    return Document(frames)


def local_day(x: float, tz: ZoneInfo = KST) -> date:
    return datetime.fromtimestamp(x, tz).date()


# -- extents ----------------------------------------------------------------------------------
def test_seed_launch_of_5_january_sits_on_5_january_kst(seed_document: Document) -> None:
    lanes = tl.build_lanes(seed_document, "category")
    row = int(seed_document.positions("events", ["A05"])[0])
    x = lanes.x[lanes.row == row][0]
    assert local_day(x) == date(2022, 1, 5)
    assert local_day(x, ZoneInfo("UTC")) == date(2022, 1, 4)  # 08:10 KST is the evening before
    assert lanes.names[lanes.lane[lanes.row == row][0]] == "missile test"


def test_glyph_extents_follow_precision() -> None:
    document = document_of(
        event("T", utc(2022, 1, 4, 23, 10)),
        event("D", utc(2022, 1, 4, 15), precision="day", timezone="Asia/Seoul"),
        event("B", utc(2022, 1, 15), end_utc=utc(2022, 1, 22), precision="day"),
        event("M", utc(2021, 12, 31, 15), precision="month", timezone="Asia/Seoul"),
        event("Y", utc(2021, 1, 1), precision="year"),
    )
    x, x_end, kind = tl.extents(document.events)
    assert kind.tolist() == [tl.POINT, tl.POINT, tl.BAR, tl.SPAN, tl.SPAN]
    assert x[0] == x_end[0] == utc(2022, 1, 4, 23, 10).timestamp()
    # a day is drawn in the middle of that local day, never on the boundary
    assert datetime.fromtimestamp(x[1], KST) == datetime(2022, 1, 5, 12, tzinfo=KST)
    assert (x[2], x_end[2]) == (utc(2022, 1, 15).timestamp(), utc(2022, 1, 22).timestamp())
    # "January 2022" (KST) spans the whole local month, not a point on the 1st
    assert datetime.fromtimestamp(x[3], KST) == datetime(2022, 1, 1, tzinfo=KST)
    assert datetime.fromtimestamp(x_end[3], KST) == datetime(2022, 2, 1, tzinfo=KST)
    assert x_end[4] == utc(2022, 1, 1).timestamp()


# -- lanes ------------------------------------------------------------------------------------
def test_lanes_by_category_busiest_first_and_saved_order(seed_document: Document) -> None:
    lanes = tl.build_lanes(seed_document, "category")
    assert lanes.names[0] == "missile test"
    assert sorted(lanes.names) == sorted(set(seed_document.events["category"]))
    assert len(lanes) == len(seed_document.events)
    ordered = tl.build_lanes(seed_document, "category", ["sanction", "nonexistent", "statement"])
    assert ordered.names[:2] == ("sanction", "statement")
    assert set(ordered.names) == set(lanes.names)
    a09 = int(seed_document.positions("events", ["A09"])[0])
    assert ordered.names[ordered.lane[ordered.row == a09][0]] == "sanction"


def test_lanes_by_system_resolve_aliases_and_repeat_multi_system_events() -> None:
    document = document_of(
        event("E1", utc(2022, 1, 1), systems="KN-23; Hwasong-12"),
        event("E2", utc(2022, 1, 2), systems="KN-17"),  # an alias of Hwasong-12
        event("E3", utc(2022, 1, 3), category="statement"),
        systems=[
            {"id": "KN-23", "name": "KN-23"},
            {"id": "Hwasong-12", "name": "Hwasong-12", "aliases": "KN-17"},
        ],
    )
    lanes = tl.build_lanes(document, "system")
    assert lanes.names[-1] == tl.NO_SYSTEM
    assert len(lanes) == 4  # E1 twice
    by_event = {}
    for glyph in range(len(lanes)):
        by_event.setdefault(int(lanes.row[glyph]), set()).add(lanes.names[lanes.lane[glyph]])
    assert by_event == {0: {"KN-23", "Hwasong-12"}, 1: {"Hwasong-12"}, 2: {tl.NO_SYSTEM}}
    assert lanes.names[0] == "Hwasong-12"  # the busiest lane first
    assert (np.diff(lanes.row) >= 0).all()  # glyphs come in event order (pins rely on it)
    # every copy of E1 keeps its category style and missile count
    assert set(lanes.categories[c] for c in lanes.category[lanes.row == 0]) == {"missile test"}


def test_lane_order_setting_round_trips_and_ignores_garbage(seed_document: Document) -> None:
    key = tl.LANE_ORDER_KEY.format(mode="category")
    seed_document.set_meta(key, tl.encode_lane_order(["political", "sanction"]))
    assert tl.lane_order(seed_document, "category") == ["political", "sanction"]
    seed_document.set_meta(key, "{not json")
    assert tl.lane_order(seed_document, "category") == []
    assert tl.build_lanes(seed_document, "category").names[0] == "missile test"


# -- level of detail --------------------------------------------------------------------------
def test_density_switch_happens_above_the_threshold() -> None:
    assert not tl.use_density(tl.DENSITY_THRESHOLD)
    assert tl.use_density(tl.DENSITY_THRESHOLD + 1)
    assert tl.DENSITY_THRESHOLD == 50_000


def test_density_counts_every_kept_glyph_in_its_lane_and_bin(seed_document: Document) -> None:
    lanes = tl.build_lanes(seed_document, "category")
    keep = np.ones(len(lanes), dtype=bool)
    x0, x1 = utc(2022, 1, 1).timestamp(), utc(2022, 2, 1).timestamp()
    counts = tl.density(lanes, keep, x0, x1, 31)
    assert counts.shape == (len(lanes.names), 31)
    assert counts.sum() == lanes.in_view(x0, x1, keep).sum()
    missiles = counts[lanes.names.index("missile test")]
    assert missiles.sum() == 7  # the seven January launch days
    keep[:] = False
    assert tl.density(lanes, keep, x0, x1, 31).sum() == 0


def test_nearest_finds_points_within_tolerance_and_bars_that_cover(
    seed_document: Document,
) -> None:
    lanes = tl.build_lanes(seed_document, "category")
    everything = np.arange(len(lanes))
    a11 = int(seed_document.positions("events", ["A11"])[0])
    glyph = int(np.flatnonzero(lanes.row == a11)[0])
    lane = int(lanes.lane[glyph])
    assert tl.nearest(lanes, everything, lanes.x[glyph] + 60, lane, 3600) == glyph
    assert tl.nearest(lanes, everything, lanes.x[glyph] + 60, lane, 10) is None
    x02 = int(seed_document.positions("events", ["X02"])[0])
    bar = int(np.flatnonzero(lanes.row == x02)[0])
    middle = (lanes.x[bar] + lanes.x_end[bar]) / 2
    assert tl.nearest(lanes, everything, middle, int(lanes.lane[bar]), 1) == bar


# -- count track ------------------------------------------------------------------------------
def test_count_track_reads_7_launch_days_and_11_missiles_in_january_2022(
    seed_document: Document,
) -> None:
    months = tl.launch_counts(seed_document.events, None, "Asia/Seoul", "month")
    january = months.loc[months["label"] == "2022-01"].iloc[0]
    assert (january["launch_days"], january["missiles"], january["uncounted"]) == (7, 11, 0)
    assert datetime.fromtimestamp(january["start"], KST) == datetime(2022, 1, 1, tzinfo=KST)
    assert datetime.fromtimestamp(january["end"], KST) == datetime(2022, 2, 1, tzinfo=KST)
    days = tl.launch_counts(seed_document.events, None, "Asia/Seoul", "day")
    january_days = [label for label in days["label"] if label.startswith("2022-01")]
    assert january_days == [f"2022-01-{d:02d}" for d in (5, 11, 14, 17, 25, 27, 30)]
    in_utc = tl.launch_counts(seed_document.events, None, "UTC", "day")
    assert "2022-01-04" in set(in_utc["label"])  # 08:10 KST on the 5th is the 4th in UTC


def test_count_track_weeks_filters_and_unknown_counts(seed_document: Document) -> None:
    weeks = tl.launch_counts(seed_document.events, None, "Asia/Seoul", "week")
    january = weeks.loc[weeks["label"].str.startswith("2022-W0")]
    assert january["launch_days"].sum() == 7
    assert set(january["label"]) == {"2022-W01", "2022-W02", "2022-W03", "2022-W04"}
    keep = seed_document.events["systems"].str.contains("KN-23").to_numpy()
    kn23 = tl.launch_counts(seed_document.events, keep, "Asia/Seoul", "month")
    assert kn23["launch_days"].sum() == 3
    document = document_of(
        event("A", utc(2022, 3, 1), missile_count=3), event("B", utc(2022, 3, 2))
    )
    march = tl.launch_counts(document.events, None, "UTC", "month").iloc[0]
    assert (march["launch_days"], march["missiles"], march["uncounted"]) == (2, 4, 1)
    assert tl.launch_counts(document.events, np.zeros(2, bool), "UTC", "day").empty


# -- reference lines --------------------------------------------------------------------------
def test_reference_lines_come_from_reference_events_user_lines_and_anniversaries(
    seed_document: Document,
) -> None:
    x0, x1 = utc(2021, 12, 1).timestamp(), utc(2022, 5, 1).timestamp()
    lines = tl.reference_lines(seed_document, x0, x1, "Asia/Seoul")
    assert [(line.origin, line.key) for line in lines] == [("event", "A20"), ("event", "A21")]
    assert local_day(lines[0].x) == date(2022, 2, 16)
    assert local_day(lines[1].x) == date(2022, 4, 15)
    seed_document.set_meta(tl.REFERENCES_KEY, tl.encode_references([(utc(2022, 1, 1), "New year")]))
    seed_document.set_meta(
        tl.ANNIVERSARIES_KEY,
        '[{"month": 2, "day": 16, "label": "Day of the Shining Star"}, {"month": 13}, "junk"]',
    )
    lines = tl.reference_lines(seed_document, x0, utc(2023, 3, 1).timestamp(), "Asia/Seoul")
    labels = [(line.origin, local_day(line.x).isoformat()) for line in lines]
    assert ("user", "2022-01-01") in labels
    # the 2022 anniversary is already marked by A20; 2023's is drawn
    assert ("anniversary", "2023-02-16") in labels
    assert ("anniversary", "2022-02-16") not in labels
    # over decades, yearly lines would be clutter
    wide = tl.reference_lines(seed_document, 0, utc(2030, 1, 1).timestamp(), "Asia/Seoul")
    assert not [line for line in wide if line.origin == "anniversary"]


def test_user_references_skip_bad_entries(seed_document: Document) -> None:
    seed_document.set_meta(
        tl.REFERENCES_KEY, '[{"utc": "yesterday"}, {"utc": "2022-01-01T00:00:00Z"}]'
    )
    assert tl.user_references(seed_document) == [(utc(2022, 1, 1), "")]
    seed_document.set_meta(tl.REFERENCES_KEY, "null")
    assert tl.user_references(seed_document) == []


# -- annotation pins --------------------------------------------------------------------------
def test_pins_attach_to_events_and_time_ranges(seed_document: Document) -> None:
    pins = tl.annotation_pins(seed_document)
    n02 = np.flatnonzero(pins.annotation == "N02")
    rows = set(pins.row[n02].tolist())
    assert rows == set(seed_document.positions("events", ["A02", "A15"]).tolist())
    assert "project" not in set(pins.annotation)  # N01 is about the project: no pin
    assert "N01" not in set(pins.annotation)
    notes = seed_document.table("annotations").iloc[:1].copy()
    notes["id"] = "R1"
    notes["targets"] = "time:2022-01-10T00:00:00Z/2022-01-20T00:00:00Z; event:NOPE"
    notes["body"] = "\n\n## A window of launches\nmore"
    seed_document.upsert("annotations", notes)
    pins = tl.annotation_pins(seed_document)
    r1 = np.flatnonzero(pins.annotation == "R1")
    assert len(r1) == 1  # the unknown event has no pin
    assert pins.row[r1[0]] == -1
    assert (pins.x[r1[0]], pins.x_end[r1[0]]) == (
        utc(2022, 1, 10).timestamp(),
        utc(2022, 1, 20).timestamp(),
    )
    assert pins.first_line[r1[0]] == "A window of launches"


def test_key_measurements_keep_qualifiers_and_claimants(seed_document: Document) -> None:
    claims = tl.key_measurements(seed_document, "A05")
    assert any(claim.startswith("apogee < 50 km") for claim in claims)
    assert all("(" in claim for claim in claims)


# -- the time filter as an undoable view step ------------------------------------------------
def test_time_filter_is_undoable_and_leaves_the_project_unmodified(
    seed_document: Document,
) -> None:
    workspace = Workspace(seed_document)
    all_events = workspace.visible_count()
    workspace.set_time_range(utc(2022, 1, 1), utc(2022, 1, 31))
    assert workspace.stack.undo_label.startswith("Time filter 2022-01-01 00:00")
    assert workspace.visible_count() < all_events
    assert workspace.stack.is_clean  # a filter is not an edit of the project
    # the timeline keeps drawing events outside the time range
    assert workspace.query_mask().sum() == all_events
    workspace.stack.undo()
    assert not workspace.time_range.active
    assert workspace.visible_count() == all_events
    workspace.stack.redo()
    assert workspace.time_range.active
    workspace.set_time_range(None, None)
    assert workspace.stack.undo_label == "Clear time filter"
    assert not workspace.time_range.active


def test_clean_state_survives_undoing_view_steps_then_editing(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    stack = workspace.stack
    stack.push(SetMeta("title", "Edited"))
    stack.set_clean()
    workspace.set_time_range(utc(2022, 1, 1), utc(2022, 1, 31))
    assert stack.is_clean
    stack.undo()  # back to the saved state, then a new view step drops the undone one
    workspace.set_time_range(utc(2021, 1, 1), utc(2021, 12, 31))
    assert stack.is_clean
    stack.undo()
    stack.undo()  # the title edit: now modified
    assert not stack.is_clean


def test_query_mask_ignores_the_time_range_but_follows_the_query(
    seed_document: Document,
) -> None:
    workspace = Workspace(seed_document)
    workspace.set_query(EventQuery(categories=frozenset({"missile test"})))
    missiles = int(workspace.query_mask().sum())
    workspace.time_range.set(utc(2022, 1, 1), utc(2022, 1, 31))
    assert int(workspace.query_mask().sum()) == missiles
    assert workspace.visible_count() < missiles


def test_display_zone_is_the_project_zone_or_utc(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    assert workspace.display_zone() == "Asia/Seoul"
    workspace.set_show_utc(True)
    assert workspace.display_zone() == "UTC"
    workspace.set_show_utc(False)
    seed_document.set_meta("default_timezone", "Mars/Olympus")
    assert workspace.display_zone() == "UTC"


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_documents(n: int) -> None:
    rows = [event(f"E{i}", utc(2022, 1, 1 + i)) for i in range(n)]
    document = document_of(*rows) if rows else Document()
    lanes = tl.build_lanes(document, "system")
    assert len(lanes) == n
    assert tl.density(lanes, np.ones(n, bool), 0, 1e10, 10).sum() == n
    assert isinstance(tl.launch_counts(document.events, None, "UTC", "day"), pd.DataFrame)


def test_seed_carries_the_two_anniversaries_as_yearly_reference_lines(
    seed_document: Document,
) -> None:
    assert [(m, d) for m, d, _ in tl.recurring_anniversaries(seed_document)] == [(2, 16), (4, 15)]
    lines = tl.reference_lines(
        seed_document, utc(2021, 1, 1).timestamp(), utc(2023, 1, 1).timestamp(), "Asia/Seoul"
    )
    days = [(line.origin, local_day(line.x).isoformat()) for line in lines]
    assert days == [
        ("anniversary", "2021-02-16"),
        ("anniversary", "2021-04-15"),
        ("event", "2022-02-16"),
        ("event", "2022-04-15"),
    ]


# -- found on a second read -----------------------------------------------------------------
def test_hostile_settings_are_skipped_not_raised(seed_document: Document) -> None:
    seed_document.set_meta(
        tl.ANNIVERSARIES_KEY, '[{"month": 1e300, "day": 1}, {"month": 2, "day": 16}]'
    )
    assert [(m, d) for m, d, _ in tl.recurring_anniversaries(seed_document)] == [(2, 16)]
    seed_document.set_meta(tl.ANNIVERSARIES_KEY, "[" * 100_000 + "]" * 100_000)
    assert tl.recurring_anniversaries(seed_document) == []
    seed_document.set_meta(tl.REFERENCES_KEY, '[{"utc": "2022-01-01T00:00:00Z"}]' + " " * 2_000_000)
    assert tl.user_references(seed_document) == []  # an oversized setting is not read
    many = ",".join('{"month": 1, "day": 1}' for _ in range(10_000))
    seed_document.set_meta(tl.ANNIVERSARIES_KEY, f"[{many}]")
    assert len(tl.recurring_anniversaries(seed_document)) == tl.MAX_LINES


def test_count_track_counts_a_day_on_its_own_date_and_skips_vague_dates() -> None:
    document = document_of(
        # 1 February KST, dated to the day: stored as local midnight (31 January 15:00 UTC)
        event("D", utc(2022, 1, 31, 15), precision="day", timezone="Asia/Seoul"),
        event("M", utc(2022, 2, 28, 15), precision="month", timezone="Asia/Seoul"),
        event("C", utc(2022, 2, 3), category="Missile Test"),  # the category, in any case
    )
    utc_days = tl.launch_counts(document.events, None, "UTC", "day")
    assert list(utc_days["label"]) == ["2022-02-01", "2022-02-03"]  # not 31 January, no 1 March
    assert utc_days["launch_days"].sum() == 2


def test_anniversaries_are_not_drawn_twice_in_a_zone_west_of_the_event(
    seed_document: Document,
) -> None:
    seed_document.set_meta(tl.ANNIVERSARIES_KEY, '[{"month": 2, "day": 16, "label": "KJI"}]')
    x0, x1 = utc(2022, 2, 1).timestamp(), utc(2022, 3, 1).timestamp()
    lines = tl.reference_lines(seed_document, x0, x1, "America/New_York")
    assert [line.origin for line in lines] == ["event"]


def test_density_does_not_pile_earlier_spans_into_the_first_bin() -> None:
    document = document_of(
        event("S", utc(2021, 1, 1), end_utc=utc(2023, 1, 1)), event("P", utc(2022, 6, 1))
    )
    lanes = tl.build_lanes(document, "category")
    counts = tl.density(
        lanes, np.ones(2, bool), utc(2022, 1, 1).timestamp(), utc(2022, 12, 31).timestamp(), 12
    )
    assert counts.sum() == 1
    assert counts[0, 0] == 0


def test_typed_dates_merge_into_one_undo_step(seed_document: Document) -> None:
    workspace = Workspace(seed_document)
    for day in range(1, 6):  # a date edited day by day
        workspace.set_time_range(utc(2022, 1, day), utc(2022, 1, 31), merge_key="typing")
    assert workspace.stack.labels() == ["Time filter 2022-01-05 00:00 – 2022-01-31 00:00 UTC"]
    workspace.stack.undo()
    assert not workspace.time_range.active
    workspace.set_time_range(utc(2022, 1, 1), utc(2022, 1, 31))
    workspace.set_time_range(utc(2022, 1, 2), utc(2022, 1, 31))  # two drags: two steps
    assert len(workspace.stack.labels()) == 2
