"""What goes into an exported chart or a briefing pack, decided without Qt: page sizes and
resolutions, the source line, the export stamp, and the rows, notes and sources a pack lists.

The GUI's Export dialog and the headless ``workstation export`` / ``workstation brief`` verbs
both build on this module, so a chart exported either way says the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workstation.model import lists, records
from workstation.model.annotation_list import annotations_on_mask
from workstation.model.dates import local_datetime
from workstation.model.document import Document
from workstation.model.sources import SourceRef
from workstation.model.timeline import DENSITY_THRESHOLD

CHARTS = ("timeline", "comparison")
CHART_FORMATS = ("png", "svg", "pdf")
PACK_FORMATS = ("pdf", "pptx")
DPIS = (150, 300, 600)
#: Per project: the handling banner last used for an export ("UNCLASSIFIED", ...).
BANNER_KEY = "export:banner"
#: A chart of more events than this is drawn (and exported) as a density, never one symbol per
#: event (the timeline's own threshold).
MAX_SHOWN_SYMBOLS = DENSITY_THRESHOLD
SOURCE_NAMES = 10  # names in a source line before "and N more"
TABLE_ROWS = 500  # events listed in a pack's table before "and N more"
NOTES_LISTED = 200  # notes written out in a pack before "and N more"
MAX_INCHES = 100.0
MIN_WIDTH_IN, MIN_HEIGHT_IN = 4.0, 2.5  # below this, title, chart and source line collide
MAX_PIXELS = 250_000_000  # a PNG of ~1 GB in memory; more would risk the analyst's session
LOCATORS_SHOWN = 6  # locators named per source in a source line before "…"


@dataclass(frozen=True)
class PageSize:
    """A page (or image) in inches, landscape presets plus any custom size."""

    name: str
    width_in: float
    height_in: float

    def pixels(self, dpi: int) -> tuple[int, int]:
        """The exact pixel size of a PNG at ``dpi``: inches × dpi, rounded."""
        return round(self.width_in * dpi), round(self.height_in * dpi)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.width_in:g} × {self.height_in:g} in)"


PRESETS: dict[str, PageSize] = {
    "slide": PageSize("16:9 slide", 13.333, 7.5),
    "a4": PageSize("A4 landscape", 11.693, 8.268),
    "letter": PageSize("Letter landscape", 11.0, 8.5),
}
_CUSTOM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(?:in)?\s*$", re.I)


def page_size(text: str) -> PageSize:
    """``slide``, ``a4``, ``letter`` or a custom ``WxHin`` (``10x6in``, ``8.5x11``)."""
    preset = PRESETS.get(text.strip().lower())
    if preset is not None:
        return preset
    match = _CUSTOM.match(text)
    if not match:
        raise ValueError(f"unknown size {text!r}: use slide, a4, letter or WIDTHxHEIGHTin")
    width, height = float(match[1]), float(match[2])
    if not (MIN_WIDTH_IN <= width <= MAX_INCHES and MIN_HEIGHT_IN <= height <= MAX_INCHES):
        raise ValueError(
            f"a page is {MIN_WIDTH_IN:g} to {MAX_INCHES:g} inches wide and {MIN_HEIGHT_IN:g} to "
            f"{MAX_INCHES:g} inches high, not {width:g} × {height:g}"
        )
    return PageSize("custom", width, height)


def output_format(path: Path, allowed: Iterable[str]) -> str:
    """The format an output path's ending asks for, or a one-line error."""
    allowed = tuple(allowed)
    ending = path.suffix.lower().lstrip(".")
    if ending not in allowed:
        endings = ", ".join(f".{a}" for a in allowed)
        raise ValueError(f"{path.name}: the file name must end in {endings}")
    return ending


def check_dpi(dpi: int, size: PageSize | None = None) -> int:
    """A resolution offered (150, 300, 600), and one the page can be drawn at in memory."""
    if dpi not in DPIS:
        raise ValueError(f"the resolution must be one of {', '.join(map(str, DPIS))} dpi")
    if size is not None:
        width, height = size.pixels(dpi)
        if width * height > MAX_PIXELS:
            raise ValueError(
                f"{width:,} × {height:,} pixels is more than {MAX_PIXELS // 1_000_000} million: "
                "choose a lower resolution or a smaller page (or SVG or PDF, which have no limit)"
            )
    return dpi


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """Text with the control characters removed (tab and line ends kept): a title, a source
    name or a claimant goes into SVG, PDF and PPTX files, where they are invalid or unsafe."""
    return _CONTROLS.sub("", text)


# -- the source line --------------------------------------------------------------------------
def short_name(document: Document, source_id: str, limit: int = 40) -> str:
    """How a source is named in a source line: its publisher, else its title (shortened at a
    word), else its id."""
    row = document.row("sources", source_id) or {}
    name = str(row.get("publisher") or "").strip() or str(row.get("title") or "").strip()
    if not name:
        return source_id
    if len(name) > limit:
        name = name[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return name


def cited(document: Document, event_mask: np.ndarray) -> list[SourceRef]:
    """Every citation behind what is shown: the events' sources, then their claims' sources,
    in order of first appearance."""
    events = document.events
    refs: list[SourceRef] = []
    # Distinct cells, split and made distinct again, in the order of first appearance (Arrow
    # kernels): a million events cite a few hundred sources, parsed once each.
    cells = pa.array(events["sources"][event_mask].dropna().unique(), type=pa.string())
    items = pc.utf8_trim_whitespace(pc.list_flatten(pc.split_pattern_regex(cells, r"[;\n]")))
    for item in pc.unique(items).to_pylist():
        if item:
            try:
                refs.append(SourceRef.parse(item))
            except ValueError:
                continue
    for claim in _claims_on(document, event_mask).itertuples(index=False):
        if claim.source_id:
            refs.append(SourceRef(str(claim.source_id), str(claim.locator or "")))
    return list(dict.fromkeys(refs))


def _claims_on(document: Document, event_mask: np.ndarray) -> pd.DataFrame:
    """The claims about the events shown (looked up by the claims' events: there are far
    fewer claims than events)."""
    claims = document.table("measurements")
    on_events = (claims["subject_type"] == "event").to_numpy(dtype=bool)
    rows = document.positions("events", claims["subject_id"].astype(str))
    keep = on_events & (rows >= 0) & event_mask[np.maximum(rows, 0)] if len(rows) else on_events
    found: pd.DataFrame = claims[keep]
    return found


def source_line(document: Document, event_mask: np.ndarray, limit: int = SOURCE_NAMES) -> str:
    """``Sources: North Korea's missile launches… ¶2, ¶4; Yonhap; ROK JCS; KCNA``: the sources
    of the events shown and of their claims (locators kept), then the claimants of those
    claims, each named once."""
    claimants = list(_claims_on(document, event_mask)["claimant"])
    return _line_of(document, cited(document, event_mask), claimants, limit)


def claims_source_line(
    document: Document, claim_ids: Iterable[str], limit: int = SOURCE_NAMES
) -> str:
    """The source line of a chart of claims: their sources, then their claimants."""
    claims = document.rows("measurements", list(dict.fromkeys(claim_ids)))
    refs = [
        SourceRef(str(source), str(locator or ""))
        for source, locator in zip(claims["source_id"], claims["locator"], strict=True)
        if source
    ]
    return _line_of(document, list(dict.fromkeys(refs)), list(claims["claimant"]), limit)


def _line_of(document: Document, refs: list[SourceRef], claimants: list[object], limit: int) -> str:
    names: dict[str, dict[str, None]] = {}  # name: locators (ordered sets), first seen first
    known: dict[str, str] = {}  # source id: name, looked up once
    for ref in refs:
        name = known.get(ref.source_id)
        if name is None:
            name = known[ref.source_id] = short_name(document, ref.source_id)
        locators = names.setdefault(name, {})
        if ref.locator and len(locators) <= LOCATORS_SHOWN:
            locators[ref.locator] = None
    for claimant in claimants:
        if claimant and str(claimant).strip():
            names.setdefault(str(claimant).strip(), {})
    if not names:
        return "Sources: none recorded for what is shown"
    names = {printable(n): locs for n, locs in names.items()}
    parts = [f"{n} {_locators(list(locs))}" if locs else n for n, locs in names.items()]
    more = len(parts) - limit
    text = "; ".join(parts[:limit])
    return f"Sources: {text}" + (f"; and {more} more (see the sources list)" if more > 0 else "")


def _locators(locators: list[str]) -> str:
    """``¶2, ¶4, ¶10`` in number order; past a handful, the first ones and an ellipsis."""

    def key(text: str) -> tuple[int, str]:
        digits = re.sub(r"\D", "", text)[:12]
        return (int(digits) if digits else 10**13, text)

    ordered = sorted(locators[:LOCATORS_SHOWN], key=key)
    return ", ".join(ordered) + (", …" if len(locators) > LOCATORS_SHOWN else "")


def stamp(now: datetime, zone: str) -> str:
    """``Exported 2026-11-25 12:03 KST · times in Asia/Seoul (KST)``."""
    local = local_datetime(now, zone)
    abbreviation = local.tzname() or zone
    where = zone if abbreviation == zone else f"{zone} ({abbreviation})"
    return f"Exported {local:%Y-%m-%d %H:%M} {abbreviation} · times in {where}"


# -- a briefing pack's lists ---------------------------------------------------------------------
@dataclass(frozen=True)
class EventRow:
    id: str
    local: str
    utc: str
    category: str
    title: str
    place: str


def event_rows(
    document: Document, event_mask: np.ndarray, zone: str, limit: int = TABLE_ROWS
) -> tuple[list[EventRow], int]:
    """The events to list (time order), at most ``limit``, and how many there are in all."""
    events = document.events[event_mask].sort_values("start_utc", kind="stable")
    total = len(events)
    places = document.table("places")
    place_names = dict(zip(places["id"], places["name"], strict=True))
    rows = []
    for record in events.head(limit).to_dict("records"):
        start = records.required_moment(record, "start_utc")
        precision = records.text(record, "precision")
        local = local_datetime(start, records.text(record, "timezone") or zone)
        day_only = precision in ("day", "month", "year")  # a local date, no UTC time
        rows.append(
            EventRow(
                id=records.text(record, "id"),
                local=_when(local, precision) + ("" if day_only else f" {local.tzname()}"),
                utc="" if day_only else f"{_when(start, precision)} UTC",
                category=records.text(record, "category"),
                title=records.text(record, "title"),
                place=str(place_names.get(records.text(record, "place"), "") or "")
                or records.text(record, "place"),
            )
        )
    return rows, total


def _when(moment: datetime, precision: str) -> str:
    """As the event table shows it: "~" for an approximate time, a month as the month."""
    formats = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "approximate": "~%Y-%m-%d %H:%M"}
    return moment.strftime(formats.get(precision, "%Y-%m-%d %H:%M"))


def notes_on(document: Document, event_mask: np.ndarray) -> list[str]:
    """The ids of the notes on the events shown (directly or through their claims), and the
    notes on the whole project, in id order."""
    notes = document.table("annotations")
    keep = annotations_on_mask(document, event_mask)
    on_project = notes["targets"].map(lambda cell: "project" in lists.split(cell))
    keep |= on_project.to_numpy(dtype=bool)
    return sorted(str(i) for i in notes["id"][keep])


def sources_listed(
    document: Document, event_mask: np.ndarray, note_ids: Iterable[str]
) -> list[str]:
    """The ids of every source behind what a pack shows: its events, their claims and its
    notes, in order of first appearance."""
    ids = [ref.source_id for ref in cited(document, event_mask)]
    for cell in document.rows("annotations", list(note_ids))["sources"]:  # one lookup
        ids += [item.partition(":")[0].strip() for item in lists.split(cell)]
    return [i for i in dict.fromkeys(ids) if document.has("sources", i)]
