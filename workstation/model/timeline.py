"""What the timeline draws, computed without Qt: lanes, glyph extents, density bins, the launch
count track, reference lines and annotation pins.

Positions on the time axis are UTC seconds since the epoch as ``float64`` (float32 loses the
seconds and makes lookups far slower). Which zone the axis *labels* use is the view's business;
only the count track bins by a zone, because "launch days" are calendar days.

Everything here is vectorised over the events table: a million events cost a few array passes,
never a Python loop per event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import pandas as pd

from workstation.model import lists
from workstation.model.annotation_list import NoteLinks
from workstation.model.annotations import TargetKind
from workstation.model.dates import Precision, format_utc, parse_utc, zone
from workstation.model.document import Document

LAUNCH_CATEGORY = "missile test"
REFERENCE_TAG = "reference"
NO_SYSTEM = "(no system)"
NO_CATEGORY = "(no category)"
#: Above this many glyphs in view, lanes show a binned density instead of glyphs.
DENSITY_THRESHOLD = 50_000
#: Recurring anniversaries are drawn once a year only while the view spans at most this many years.
ANNIVERSARY_MAX_YEARS = 3
#: Project settings are untrusted input: at most this many lines of each kind are read, from
#: a setting of at most this many characters.
MAX_LINES = 200
MAX_SETTING_CHARS = 1_000_000

# Project settings (meta keys) the timeline keeps with the project.
LANE_ORDER_KEY = "timeline:lane_order:{mode}"
REFERENCES_KEY = "timeline:references"
ANNIVERSARIES_KEY = "timeline:anniversaries"

HALF_DAY = 12 * 3600.0
SAME_DATE = 36 * 3600.0  # two marks this close fall on one date in some zone
POINT, BAR, SPAN = 0, 1, 2  # glyph kinds: an instant, a known duration, an imprecise date


class LaneMode(StrEnum):
    CATEGORY = "category"
    SYSTEM = "system"


def seconds(times: pd.Series) -> np.ndarray:
    """UTC seconds since the epoch of a ``datetime64[s, UTC]`` column (NaT gives NaN)."""
    values = times.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT"))
    out = values.astype(np.int64).astype(np.float64)
    out[np.isnat(values)] = np.nan
    return out


def glyph_x(events: pd.DataFrame) -> np.ndarray:
    """Where every event's glyph sits or starts: the ``x`` of :func:`extents`, without
    working out where month and year spans end (pins and reference lines need only this)."""
    return _extents(events, span_ends=False)[0]


def extents(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, x_end, kind) of every event's glyph.

    - A known time (or an approximate one) is a point at that time.
    - A date known to the day is a point in the middle of that local day, so that it sits
      inside its day whatever the zoom, never on the boundary with the day before.
    - An event with an end is a bar from start to end.
    - A date known only to the month or year is a span over that whole month or year (or to
      its end, if one is given): drawn differently, never as a point on the 1st.
    """
    return _extents(events, span_ends=True)


def _extents(events: pd.DataFrame, span_ends: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    start = seconds(events["start_utc"])
    end = seconds(events["end_utc"])
    precision = events["precision"]  # compared as strings in Arrow, not as Python objects
    x = start.copy()
    x_end = start.copy()
    kind = np.zeros(len(events), dtype=np.int8)
    has_end = ~np.isnan(end) & (end > start)
    day = (precision == Precision.DAY.value).to_numpy(dtype=bool, na_value=False)
    vague = precision.isin([Precision.MONTH.value, Precision.YEAR.value]).to_numpy(
        dtype=bool, na_value=False
    )
    points_in_day = day & ~has_end
    x[points_in_day] += HALF_DAY
    x_end[points_in_day] += HALF_DAY
    bars = has_end & ~vague
    x_end[bars] = end[bars]
    kind[bars] = BAR
    if vague.any():
        kind[vague] = SPAN
        x_end[vague & has_end] = end[vague & has_end]
        open_ended = np.flatnonzero(vague & ~has_end)
        if span_ends and len(open_ended):
            # only the columns it reads: taking every column of 40k rows costs more than the work
            needed = events[["start_utc", "precision", "timezone"]]
            x_end[open_ended] = _period_ends(needed.iloc[open_ended])
    return x, x_end, kind


def _period_ends(rows: pd.DataFrame) -> np.ndarray:
    """The end of each row's month or year, in the row's own zone: the local start plus one
    month or year, as ``Timestamp + DateOffset`` gives it.

    Vectorised per (zone, month or year): the local wall time moves by whole months, then is
    placed back in the zone. The few results that fall into a daylight-saving gap or overlap
    go through the scalar path (:func:`_period_ends_slow`), which resolves them the way
    Python's ``datetime`` does.
    """
    ends = np.full(len(rows), np.nan, dtype=np.float64)
    if not len(rows):
        return ends
    starts = rows["start_utc"].reset_index(drop=True)
    names = rows["timezone"].fillna("").to_numpy(dtype=object)
    yearly = rows["precision"].to_numpy(dtype=object) == Precision.YEAR.value
    for tz_name in pd.unique(names):
        tz = zone(tz_name) if tz_name else "UTC"
        for years in (False, True):
            which = np.flatnonzero((names == tz_name) & (yearly == years))
            if not len(which):
                continue
            step = pd.DateOffset(years=1) if years else pd.DateOffset(months=1)
            wall = starts.iloc[which].dt.tz_convert(tz).dt.tz_localize(None) + step
            local = wall.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
            ends[which] = seconds(local.dt.tz_convert("UTC"))
    unresolved = np.flatnonzero(np.isnan(ends) & starts.notna().to_numpy())
    if len(unresolved):
        ends[unresolved] = _period_ends_slow(rows.iloc[unresolved])
    return ends


def _period_ends_slow(rows: pd.DataFrame) -> np.ndarray:
    """:func:`_period_ends` one row at a time (for the rare daylight-saving edge cases)."""
    ends = np.empty(len(rows), dtype=np.float64)
    for i, (start, precision, tz_name) in enumerate(
        zip(rows["start_utc"], rows["precision"], rows["timezone"], strict=True)
    ):
        local = start.tz_convert(zone(tz_name) if tz_name else "UTC")
        step = (
            pd.DateOffset(years=1) if precision == Precision.YEAR.value else pd.DateOffset(months=1)
        )
        ends[i] = (local + step).timestamp()
    return ends


@dataclass(frozen=True)
class Lanes:
    """One glyph per (event, lane): an event with two systems sits in both system lanes.

    Arrays are parallel, one entry per glyph; ``row`` is the event's position in the events
    table. ``names`` are the lanes in display order (lane 0 at the top).
    """

    mode: LaneMode
    names: tuple[str, ...]
    x: np.ndarray  # float64 seconds: a point's time, or where a bar or span starts
    x_end: np.ndarray  # float64 seconds: where a bar or span ends (== x for points)
    kind: np.ndarray  # int8: POINT, BAR or SPAN
    lane: np.ndarray  # int32 index into names
    row: np.ndarray  # int64 position in the events table, ascending
    category: np.ndarray  # int32 index into categories (the glyph's style)
    categories: tuple[str, ...]
    missiles: np.ndarray  # int32 missile count, 0 when unknown

    def __len__(self) -> int:
        return len(self.x)

    def in_view(self, x0: float, x1: float, keep: np.ndarray | None = None) -> np.ndarray:
        """A mask of the glyphs overlapping [x0, x1] (and kept by ``keep``, per glyph)."""
        mask = (self.x_end >= x0) & (self.x <= x1)
        return mask if keep is None else mask & keep


def build_lanes(
    document: Document, mode: LaneMode | str, order: Sequence[str] | None = None
) -> Lanes:
    """Assign every event to its lane(s): by category, or by missile system (resolved
    through the alias index, so "Hwasong-12" and "KN-17" share a lane)."""
    mode = LaneMode(mode)
    events = document.events
    x, x_end, kind = extents(events)
    category_codes, category_values = document.factorized("events", "category")
    categories = tuple(str(c) if c else NO_CATEGORY for c in category_values)
    n = len(events)
    if mode is LaneMode.CATEGORY:
        rows = np.arange(n, dtype=np.int64)
        lane_names = list(categories)
        lane_of_row = category_codes.astype(np.int32)
    else:
        codes, combos = document.factorized("events", "systems")
        aliases = document.aliases()
        lane_names = []
        index: dict[str, int] = {}
        per_combo: list[list[int]] = []
        for combo in combos:
            lanes_here: list[int] = []
            for name in lists.split(combo) or (NO_SYSTEM,):
                key = aliases.resolve(name) or name if name != NO_SYSTEM else NO_SYSTEM
                if key not in index:
                    index[key] = len(lane_names)
                    lane_names.append(key)
                if index[key] not in lanes_here:
                    lanes_here.append(index[key])
            per_combo.append(lanes_here)
        counts = np.array([len(lanes) for lanes in per_combo], dtype=np.int64)
        rows = np.repeat(np.arange(n, dtype=np.int64), counts[codes] if n else 0)
        # The k-th copy of a row goes to the k-th lane of its combination.
        firsts = np.cumsum(counts[codes]) - counts[codes] if n else np.zeros(0, np.int64)
        nth = np.arange(len(rows), dtype=np.int64) - np.repeat(firsts, counts[codes])
        offsets = np.concatenate([[0], np.cumsum(counts)])
        flat = np.array([lane for lanes in per_combo for lane in lanes], dtype=np.int32)
        lane_of_row = flat[offsets[codes[rows]] + nth] if len(rows) else np.zeros(0, np.int32)
    # Lanes in display order: the saved order first, then the busiest lanes, then by name.
    per_lane: Any = np.bincount(lane_of_row, minlength=len(lane_names)) if len(lane_names) else []
    default = sorted(
        range(len(lane_names)),
        key=lambda i: (lane_names[i] in (NO_SYSTEM, NO_CATEGORY), -per_lane[i], lane_names[i]),
    )
    wanted = [name for name in (order or ()) if name in lane_names]
    ordered = list(dict.fromkeys([*wanted, *(lane_names[i] for i in default)]))
    remap = np.empty(len(lane_names), dtype=np.int32)
    where = {name: i for i, name in enumerate(lane_names)}
    for position, name in enumerate(ordered):
        remap[where[name]] = position
    lane = remap[lane_of_row] if len(lane_of_row) else np.zeros(0, np.int32)
    missiles = events["missile_count"].to_numpy(dtype=np.float64, na_value=np.nan)
    missiles = np.nan_to_num(missiles, nan=0.0).astype(np.int32)
    return Lanes(
        mode=mode,
        names=tuple(ordered),
        x=x[rows],
        x_end=x_end[rows],
        kind=kind[rows],
        lane=lane,
        row=rows,
        category=category_codes[rows].astype(np.int32),
        categories=categories,
        missiles=missiles[rows],
    )


def lane_order(document: Document, mode: LaneMode | str) -> list[str]:
    """The lane order saved with the project for ``mode`` (empty if none or unreadable)."""
    raw = document.meta.get(LANE_ORDER_KEY.format(mode=LaneMode(mode).value))
    value = _json(raw)
    return [str(v) for v in value] if isinstance(value, list) else []


def encode_lane_order(names: Iterable[str]) -> str:
    return json.dumps(list(names), ensure_ascii=False)


# -- level of detail ---------------------------------------------------------------------------
def density(lanes: Lanes, keep: np.ndarray, x0: float, x1: float, bins: int) -> np.ndarray:
    """Glyph counts per (lane, bin) over [x0, x1): a ``(len(lanes.names), bins)`` int array.

    A glyph counts in the bin of its ``x`` (where a bar or span starts); one that starts
    before the view is not counted, so the first bin does not pile them up as the view pans.
    ``keep`` is a per-glyph mask (the filters, or the selection).
    """
    bins = max(int(bins), 1)
    width = (x1 - x0) / bins if x1 > x0 else 1.0
    mask = (lanes.x >= x0) & (lanes.x <= x1) & keep
    where = np.clip(((lanes.x[mask] - x0) / width).astype(np.int64), 0, bins - 1)
    flat = lanes.lane[mask].astype(np.int64) * bins + where
    counts = np.bincount(flat, minlength=len(lanes.names) * bins)
    return counts.reshape(len(lanes.names), bins)


def use_density(visible_glyphs: int, threshold: int = DENSITY_THRESHOLD) -> bool:
    """Whether the view draws a density (more than ``threshold`` glyphs) or glyphs."""
    return visible_glyphs > threshold


def nearest(
    lanes: Lanes, candidates: np.ndarray, x: float, lane: int, tolerance: float
) -> int | None:
    """The glyph (an index into ``lanes``) among ``candidates`` nearest to ``x`` in ``lane``:
    a point within ``tolerance`` seconds, or a bar or span that covers ``x``."""
    here = candidates[lanes.lane[candidates] == lane]
    if not len(here):
        return None
    gx, gx_end = lanes.x[here], lanes.x_end[here]
    distance = np.where(x < gx, gx - x, np.where(x > gx_end, x - gx_end, 0.0))
    best = int(np.argmin(distance))
    return int(here[best]) if distance[best] <= tolerance else None


# -- count track -----------------------------------------------------------------------------
BinUnit = Literal["day", "week", "month"]


def launch_counts(
    events: pd.DataFrame, keep: np.ndarray | None, tz_name: str, unit: BinUnit
) -> pd.DataFrame:
    """Launches per day, ISO week or month, by calendar date in ``tz_name``.

    One row per bin that has a launch (an event of category ``missile test``):

    - ``start``/``end``: the bin's bounds as UTC seconds (local midnights);
    - ``label``: the bin as a person reads it ("2022-01", "2022-W02", "2022-01-05");
    - ``launch_days``: distinct local dates with a launch;
    - ``missiles``: the sum of missile counts, an unknown count counting as one;
    - ``uncounted``: launches whose missile count is unknown.

    A launch dated to the day counts on that day as reported (the middle of its local day,
    where the timeline draws it), so it does not slip to the day before in a zone west of
    its own. A launch dated only to the month or year has no day: it is left out.
    """
    category = events["category"].str.lower()  # "Missile test" is the same category
    precision = events["precision"]
    launches = np.array(
        ((category == LAUNCH_CATEGORY) & ~precision.isin(["month", "year"])).to_numpy(
            dtype=bool, na_value=False
        )
    )  # a writable copy (Arrow may hand back a read-only view)
    if keep is not None:
        launches &= keep
    columns = ["start", "end", "label", "launch_days", "missiles", "uncounted"]
    if not launches.any():
        return pd.DataFrame({c: pd.Series(dtype=float) for c in columns}).astype({"label": object})
    tz = zone(tz_name)
    rows = events.loc[launches, ["start_utc", "end_utc", "precision", "missile_count"]]
    x = pd.Series(pd.to_datetime(glyph_x(rows), unit="s", utc=True), index=rows.index)
    day = x.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    if unit == "day":
        first = day
    elif unit == "week":
        first = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    elif unit == "month":
        first = day - pd.to_timedelta(day.dt.day - 1, unit="D")
    else:
        raise ValueError(f"not a bin unit: {unit!r}")
    count = rows["missile_count"]
    frame = pd.DataFrame(
        {
            "first": first.to_numpy(),
            "day": day.to_numpy(),
            "missiles": count.fillna(1).to_numpy(dtype=np.int64),
            "uncounted": count.isna().to_numpy(dtype=np.int64),
        }
    )
    grouped = frame.groupby("first", sort=True).agg(
        launch_days=("day", "nunique"), missiles=("missiles", "sum"), uncounted=("uncounted", "sum")
    )
    firsts = pd.DatetimeIndex(grouped.index)
    if unit == "day":
        lasts = firsts + pd.Timedelta(days=1)
        labels = firsts.strftime("%Y-%m-%d")
    elif unit == "week":
        lasts = firsts + pd.Timedelta(days=7)
        iso = firsts.isocalendar()
        labels = pd.Index([f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)])
    else:
        lasts = firsts + pd.offsets.MonthBegin(1)
        labels = firsts.strftime("%Y-%m")
    return pd.DataFrame(
        {
            "start": _local_midnights_utc(firsts, tz_name),
            "end": _local_midnights_utc(pd.DatetimeIndex(lasts), tz_name),
            "label": np.asarray(labels, dtype=object),
            "launch_days": grouped["launch_days"].to_numpy(dtype=np.int64),
            "missiles": grouped["missiles"].to_numpy(dtype=np.int64),
            "uncounted": grouped["uncounted"].to_numpy(dtype=np.int64),
        }
    )


def _local_midnights_utc(local: pd.DatetimeIndex, tz_name: str) -> np.ndarray:
    aware = local.tz_localize(zone(tz_name), nonexistent="shift_forward", ambiguous=False)
    return np.asarray(aware.as_unit("s").asi8, dtype=np.float64)


# -- reference lines -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ReferenceLine:
    x: float  # UTC seconds
    label: str
    origin: Literal["event", "user", "anniversary"]
    key: str = ""  # the event id, or the user line's index in the project setting


def reference_lines(document: Document, x0: float, x1: float, tz_name: str) -> list[ReferenceLine]:
    """Every reference line within [x0, x1]: the events tagged ``reference`` and the analyst's
    lines (:func:`reference_index`), and the yearly anniversaries (:func:`anniversary_lines`)."""
    index = reference_index(document)
    fixed = [*index.events_in(x0, x1), *index.user_in(x0, x1)]
    return sorted([*fixed, *anniversary_lines(document, x0, x1, tz_name, fixed)], key=_x)


#: A tags cell with an item that is exactly "reference" (ASCII letters in any case, spaces or
#: tabs around it), found without splitting the cell in Python; other cells that mention the
#: word are split and checked item by item.
_REFERENCE_ITEM = r"(?:^|[;\n])[ \t]*[Rr][Ee][Ff][Ee][Rr][Ee][Nn][Cc][Ee][ \t]*(?:$|[;\n])"


@dataclass(frozen=True)
class ReferenceIndex:
    """Reference events as sorted arrays, and the analyst's own lines. A project may tag
    thousands of events ``reference``; line objects are made only for those in view."""

    x: np.ndarray  # float64 UTC seconds, ascending
    ids: np.ndarray  # object: event ids, in the order of x
    titles: np.ndarray  # object
    user: tuple[ReferenceLine, ...]  # ascending x

    @classmethod
    def empty(cls) -> ReferenceIndex:
        nothing = np.zeros(0, dtype=object)
        return cls(np.zeros(0), nothing, nothing, ())

    def count(self, x0: float, x1: float) -> int:
        return int(np.searchsorted(self.x, x1, "right") - np.searchsorted(self.x, x0, "left"))

    def events_in(self, x0: float, x1: float) -> list[ReferenceLine]:
        first, last = np.searchsorted(self.x, x0, "left"), np.searchsorted(self.x, x1, "right")
        return [
            ReferenceLine(float(self.x[i]), str(self.titles[i]), "event", str(self.ids[i]))
            for i in range(int(first), int(last))
        ]

    def user_in(self, x0: float, x1: float) -> list[ReferenceLine]:
        return [line for line in self.user if x0 <= line.x <= x1]


def reference_index(document: Document) -> ReferenceIndex:
    """Events tagged ``reference`` (as arrays) and the lines the analyst added."""
    events = document.events
    x = np.zeros(0)
    ids = titles = np.zeros(0, dtype=object)
    tagged = events["tags"].str.contains(REFERENCE_TAG, case=False, regex=False).to_numpy()
    if tagged.any():
        candidates = events.loc[tagged]
        tags = candidates["tags"]
        keep = np.array(
            tags.str.contains(_REFERENCE_ITEM, regex=True).to_numpy(dtype=bool, na_value=False)
        )
        for i in np.flatnonzero(~keep):  # the word, but not as a plain item: split the cell
            keep[i] = REFERENCE_TAG in (t.casefold() for t in lists.split(tags.iat[int(i)]))
        chosen = candidates[["start_utc", "end_utc", "precision", "id", "title"]].iloc[
            np.flatnonzero(keep)
        ]
        x = glyph_x(chosen)
        order = np.argsort(x, kind="stable")
        order = order[np.isfinite(x[order])]
        x = x[order]
        ids = chosen["id"].to_numpy(dtype=object)[order]
        titles = chosen["title"].to_numpy(dtype=object)[order]
    user = [
        ReferenceLine(moment.timestamp(), label, "user", str(index))
        for index, (moment, label) in enumerate(user_references(document))
    ]
    return ReferenceIndex(x, ids, titles, tuple(sorted(user, key=_x)))


def anniversary_lines(
    document: Document,
    x0: float,
    x1: float,
    tz_name: str,
    already: Sequence[ReferenceLine] = (),
    anniversaries: Sequence[tuple[int, int, str]] | None = None,
) -> list[ReferenceLine]:
    """The project's recurring anniversaries within [x0, x1], at local noon, once a year while
    the view spans few years. One within a day and a half of a line ``already`` drawn (a
    reference event on that date, in whatever zone it was reported) is skipped.
    ``anniversaries``: the parsed setting, when the caller keeps it."""
    if anniversaries is None:
        anniversaries = recurring_anniversaries(document)
    tz = zone(tz_name)
    first_year = datetime.fromtimestamp(max(x0, -6e10), tz).year
    last_year = datetime.fromtimestamp(min(x1, 2.5e11), tz).year
    if not anniversaries or last_year - first_year > ANNIVERSARY_MAX_YEARS:
        return []
    marked = np.sort(np.array([line.x for line in already], dtype=np.float64))
    lines = []
    for year in range(first_year, last_year + 1):
        for month, day, label in anniversaries:
            try:
                moment = datetime(year, month, day, 12, tzinfo=tz)
            except ValueError:  # 29 February in a common year
                continue
            position = moment.timestamp()
            near = np.searchsorted(marked, position - SAME_DATE, "left") < np.searchsorted(
                marked, position + SAME_DATE, "right"
            )
            if x0 <= position <= x1 and not near:
                lines.append(ReferenceLine(position, label, "anniversary"))
    return lines


def _x(line: ReferenceLine) -> float:
    return line.x


def user_references(document: Document) -> list[tuple[datetime, str]]:
    """The reference lines the analyst added (a JSON list in the project settings); entries
    that do not read as ``{"utc": "...Z", "label": "..."}`` are skipped."""
    value = _json(document.meta.get(REFERENCES_KEY))
    found: list[tuple[datetime, str]] = []
    for item in value[:MAX_LINES] if isinstance(value, list) else []:
        try:
            found.append((parse_utc(str(item["utc"])), str(item.get("label", ""))[:200]))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            continue
    return found


def encode_references(references: Iterable[tuple[datetime, str]]) -> str:
    return json.dumps(
        [{"utc": format_utc(moment), "label": label} for moment, label in references],
        ensure_ascii=False,
    )


def recurring_anniversaries(document: Document) -> list[tuple[int, int, str]]:
    """(month, day, label) of the anniversaries drawn every year, from the project settings."""
    value = _json(document.meta.get(ANNIVERSARIES_KEY))
    found: list[tuple[int, int, str]] = []
    for item in value[:MAX_LINES] if isinstance(value, list) else []:
        try:
            month, day = int(item["month"]), int(item["day"])
            datetime(2000, month, day)  # a leap year: 29 February is a valid anniversary
            found.append((month, day, str(item.get("label", ""))[:200]))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            continue
    return found


def _json(raw: object) -> Any:
    if not isinstance(raw, str):
        return None
    if len(raw) > MAX_SETTING_CHARS:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # a file from someone else may hold anything
        return None


# -- annotation pins -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Pins:
    """Where annotations attach on the time axis: one pin per (annotation, event or time
    range) target. ``row`` is the event's row, or -1 for a time range."""

    annotation: np.ndarray  # object: annotation ids
    first_line: np.ndarray  # object
    x: np.ndarray  # float64 seconds
    x_end: np.ndarray  # float64 seconds (a time range's end; == x for an event)
    row: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.x)


def annotation_pins_empty() -> Pins:
    empty = np.zeros(0)
    return Pins(np.zeros(0, object), np.zeros(0, object), empty, empty, np.zeros(0, np.int64))


def annotation_pins(
    document: Document, keep: np.ndarray | None = None, links: NoteLinks | None = None
) -> Pins:
    """Pins for every annotation target that is an event or a time range, for the notes
    ``keep`` (a mask over the annotations table) lets through, or all of them. ``links``: the
    notes' targets, if already resolved."""
    links = links or NoteLinks.of(document, keep)
    notes = document.table("annotations")
    shown = np.ones(len(links.others), dtype=bool) if keep is None else np.asarray(keep, bool)
    # the events the notes name themselves (not through a claim), then their time ranges
    event_notes, rows = links.note[: links.direct], links.row[: links.direct]
    found = (rows >= 0) & shown[event_notes]
    ranges: list[tuple[int, float, float]] = []
    for i, others in enumerate(links.others):
        for target in others if shown[i] else ():
            if target.kind is TargetKind.TIME:  # a valid range: NoteLinks skips the others
                start, end = target.time_range()
                ranges.append((i, start.timestamp(), end.timestamp()))
    note_index = np.concatenate([event_notes[found], np.array([r[0] for r in ranges], np.int64)])
    # x of the pinned events only (each row's x depends on that row alone)
    needed = document.events[["start_utc", "end_utc", "precision"]]  # not every column
    event_x = glyph_x(needed.iloc[rows[found]]) if found.any() else np.zeros(0)
    ids = notes["id"].to_numpy(dtype=object)
    bodies = notes["body"].to_numpy(dtype=object)
    return Pins(
        annotation=ids[note_index] if len(note_index) else np.zeros(0, object),
        first_line=np.array([_first_line(bodies[i]) for i in note_index], dtype=object),
        x=np.concatenate([event_x, [r[1] for r in ranges]]).astype(np.float64),
        x_end=np.concatenate([event_x, [r[2] for r in ranges]]).astype(np.float64),
        row=np.concatenate([rows[found], np.full(len(ranges), -1)]).astype(np.int64),
    )


def _first_line(body: object) -> str:
    for line in str(body or "").splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()[:200]
    return ""


# -- tooltips ----------------------------------------------------------------------------------
def key_measurements(document: Document, event_id: str, limit: int = 4) -> list[str]:
    """The event's claims as one line each, qualifier kept: "range < 200 km (ROK JCS)"."""
    table = document.table("measurements")
    mine = table.loc[(table["subject_type"] == "event") & (table["subject_id"] == event_id)]
    lines = []
    for measurement_id in mine["id"].head(limit):
        m = document.measurement(str(measurement_id))
        claimant = f" ({m.claimant})" if m.claimant else ""
        lines.append(f"{m.parameter.replace('_', ' ')} {m.text()}{claimant}")
    return lines
