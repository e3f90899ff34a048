"""Finding annotations: the annotation list's filter and sort, what a note is about in terms of
events, and which notes concern a set of events (Qt-free).

The annotation dock, the timeline's pins and the command line all ask here, so a note found by
the list is the note pinned on the timeline.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from workstation.model import lists
from workstation.model.annotations import Target, TargetKind
from workstation.model.document import Document
from workstation.model.query import EventQuery, QueryContext, overlaps


class SortKey(StrEnum):
    MODIFIED = "modified"
    CREATED = "created"
    TARGET_DATE = "target date"  # the earliest date the note is about; undated notes last


@dataclass(frozen=True)
class AnnotationFilter:
    """Which notes to list. Empty fields do not filter; all conditions must hold.

    ``text`` is a case-insensitive substring of the body; ``tag`` and ``author`` match whole
    values, case-insensitively; ``target`` matches a target written out (``event:A19``) or
    any part of one (``A19``, ``hwasong``, ``project``)."""

    text: str = ""
    tag: str = ""
    author: str = ""
    target: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.text.strip() or self.tag.strip() or self.author.strip() or self.target)

    def mask(self, document: Document) -> np.ndarray:
        """Boolean mask over the rows of ``document.table("annotations")``."""
        notes = document.table("annotations")
        keep = np.ones(len(notes), dtype=bool)
        if self.text.strip():
            keep &= _contains(notes["body"], self.text.strip())
        if self.tag.strip():
            keep &= _has_item(notes["tags"], self.tag.strip())
        if self.author.strip():
            wanted = self.author.strip().casefold()
            authors = notes["author"].fillna("").astype(str).str.strip().str.casefold()
            keep &= (authors == wanted).to_numpy(dtype=bool)
        if self.target.strip():
            keep &= _contains(notes["targets"], self.target.strip())
        return keep


def _contains(column: pd.Series, fragment: str) -> np.ndarray:
    hits = column.fillna("").astype(str).str.contains(fragment, case=False, regex=False)
    return hits.to_numpy(dtype=bool)


def _has_item(column: pd.Series, item: str) -> np.ndarray:
    wanted = item.casefold()
    return np.fromiter(
        (wanted in {i.casefold() for i in lists.split(cell)} for cell in column),
        dtype=bool,
        count=len(column),
    )


def listed(
    document: Document,
    annotation_filter: AnnotationFilter,
    sort: SortKey = SortKey.MODIFIED,
    descending: bool = True,
    within: np.ndarray | None = None,
    links: NoteLinks | None = None,
) -> list[str]:
    """The ids of the notes that pass ``annotation_filter`` (and ``within``, a mask over the
    notes), in ``sort`` order; ties by id."""
    notes = document.table("annotations")
    keep = annotation_filter.mask(document)
    if within is not None:
        keep &= within
    ids = notes["id"].to_numpy(dtype=object)[keep]
    if sort is SortKey.TARGET_DATE:
        keys = target_dates(document, links)[keep]
    else:
        column = "created_utc" if sort is SortKey.CREATED else "modified_utc"
        keys = _seconds(notes[column])[keep]
    # Undated notes last in either direction; ties by id, ascending, for a stable list.
    dated = ~np.isnan(keys)
    signed = np.where(dated, -keys if descending else keys, 0.0)
    order = np.lexsort((ids.astype(str), signed, ~dated))
    return [str(i) for i in ids[order]]


def _seconds(column: pd.Series) -> np.ndarray:
    """UTC seconds as float64, NaN where missing (whatever the column's time unit)."""
    stamps = pd.to_datetime(column, utc=True)
    values = (stamps - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
    return np.asarray(values.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


# -- what a note is about ---------------------------------------------------------------------
def parsed_targets(cell: object) -> list[Target]:
    """The targets in a ``targets`` cell; unreadable ones are skipped (validated on open)."""
    return [target for target in map(_parsed, lists.split(cell)) if target is not None]


def _parsed(text: str) -> Target | None:
    try:
        return Target.parse(text)
    except ValueError:
        return None


def measurement_events(document: Document, measurement_ids: Iterable[str]) -> list[str]:
    """The events that claims (measurements) are about; claims about a system have none."""
    return [e for e in _claim_events(document, list(measurement_ids)) if e]


def _claim_events(document: Document, claim_ids: list[str]) -> list[str]:
    """For each claim id, the event it is about ("" for a claim on a system, or unknown)."""
    if not claim_ids:
        return []
    rows = document.positions("measurements", claim_ids)
    claims = document.table("measurements")
    kinds = claims["subject_type"].to_numpy(dtype=object)
    subjects = claims["subject_id"].to_numpy(dtype=object)
    return [str(subjects[r]) if r >= 0 and kinds[r] == "event" else "" for r in rows]


@dataclass(frozen=True)
class NoteLinks:
    """Every note's targets, resolved once (the cost grows with notes and targets, never with
    the events): ``note`` and ``row`` pair a note (its row in the annotations table) with an
    event's row that it names directly or through a claim; ``others`` holds each note's
    system, time-range and project targets. The first ``direct`` pairs are the notes' event
    targets, in the order of the notes and of their targets; the pairs through claims follow."""

    note: np.ndarray  # int64 rows of the annotations table
    row: np.ndarray  # int64 rows of the events table (-1: not in the project)
    event_id: list[str]
    others: list[list[Target]]
    direct: int  # how many of the pairs are event targets (not through a claim)

    @classmethod
    def of(cls, document: Document, within: np.ndarray | None = None) -> NoteLinks:
        """The links of every note, or of the notes ``within`` (a mask over the annotations
        table) lets through: the others are left without targets."""
        notes: list[int] = []
        refs: list[str] = []
        claims: list[tuple[int, str]] = []
        others: list[list[Target]] = []
        cells = document.table("annotations")["targets"].to_numpy(dtype=object)
        if within is not None:
            cells = np.where(np.asarray(within, dtype=bool), cells, "")
        for i, cell in enumerate(cells):
            rest = []
            for text in lists.split(cell):
                kind, _, ref = text.partition(":")
                if kind == "event" and ref and not ref[0].isspace():  # as Target.parse reads it
                    notes.append(i)
                    refs.append(ref)
                    continue
                target = _parsed(text)
                if target is None:
                    continue
                if target.kind is TargetKind.EVENT:
                    notes.append(i)
                    refs.append(target.ref)
                elif target.kind is TargetKind.MEASUREMENT:
                    claims.append((i, target.ref))
                else:
                    rest.append(target)
            others.append(rest)
        direct = len(refs)
        for (i, _), event in zip(
            claims, _claim_events(document, [c for _, c in claims]), strict=True
        ):
            if event:
                notes.append(i)
                refs.append(event)
        rows = document.positions("events", refs) if refs else np.zeros(0, np.int64)
        return cls(np.asarray(notes, np.int64), np.asarray(rows, np.int64), refs, others, direct)


def target_event_mask(document: Document, targets: Iterable[Target]) -> np.ndarray:
    """The events a set of targets points at, as a mask over ``document.events``: events
    themselves, the events of claims, the events of a missile system (any alias), and the
    events that overlap a time range. The project points at no event in particular."""
    events = document.events
    keep = np.zeros(len(events), dtype=bool)
    by_kind: dict[TargetKind, list[Target]] = {}
    for target in targets:
        by_kind.setdefault(target.kind, []).append(target)
    event_ids = [t.ref for t in by_kind.get(TargetKind.EVENT, [])]
    event_ids += measurement_events(
        document, (t.ref for t in by_kind.get(TargetKind.MEASUREMENT, []))
    )
    if event_ids:
        rows = document.positions("events", event_ids)
        keep[rows[rows >= 0]] = True
    for target in by_kind.get(TargetKind.SYSTEM, []) + by_kind.get(TargetKind.TIME, []):
        keep |= _wide_mask(document, target)
    return keep


def _wide_mask(document: Document, target: Target) -> np.ndarray:
    """The events of a system target (any alias) or of a time-range target."""
    if target.kind is TargetKind.SYSTEM:
        query = EventQuery(systems=frozenset({target.ref}))
        return query.mask(document.events, QueryContext.of(document))
    start, end = target.time_range()
    return overlaps(document.events, start, end)


def target_events(document: Document, annotation_ids: Iterable[str]) -> list[str]:
    """The ids of the events the given notes are about (see :func:`target_event_mask`)."""
    targets: list[Target] = []
    for annotation_id in annotation_ids:
        row = document.row("annotations", annotation_id)
        if row is not None:
            targets += parsed_targets(row["targets"])
    mask = target_event_mask(document, targets)
    return [str(i) for i in document.events["id"].to_numpy(dtype=object)[mask]]


def annotations_on(
    document: Document, event_ids: Collection[str], links: NoteLinks | None = None
) -> np.ndarray:
    """Which notes (mask over the annotations table) are about one of ``event_ids``, directly
    or through one of the events' claims. Pass a set (the selection's frozenset is one): the
    test is one lookup per note target, whatever the number of events."""
    links = links or NoteLinks.of(document)
    keep = np.zeros(len(links.others), dtype=bool)
    if event_ids:
        wanted = event_ids if isinstance(event_ids, (set, frozenset)) else set(event_ids)
        hits = [i for i, e in zip(links.note, links.event_id, strict=True) if e in wanted]
        keep[np.asarray(hits, np.int64)] = True
    return keep


def annotations_on_mask(
    document: Document, event_mask: np.ndarray, links: NoteLinks | None = None
) -> np.ndarray:
    """Which notes name an event of ``event_mask`` (a mask over the events), directly or
    through one of its claims."""
    links = links or NoteLinks.of(document)
    keep = np.zeros(len(links.others), dtype=bool)
    found = links.row >= 0
    keep[links.note[found][event_mask[links.row[found]]]] = True
    return keep


def annotations_on_shown(
    document: Document, shown: np.ndarray, links: NoteLinks | None = None
) -> np.ndarray:
    """Which notes are about something the filters show: an event shown (or a claim on one), a
    missile system of an event shown, a time range overlapping an event shown. Notes on the
    whole project always pass; a note with no target at all does not."""
    links = links or NoteLinks.of(document)
    keep = annotations_on_mask(document, shown, links)
    wide: dict[Target, bool] = {}  # one pass over the events per distinct system or range
    for i, others in enumerate(links.others):
        if keep[i] or not others:
            continue
        for target in others:
            if target.kind is TargetKind.PROJECT:
                keep[i] = True
            elif target not in wide:
                wide[target] = bool((_wide_mask(document, target) & shown).any())
            keep[i] = keep[i] or wide.get(target, False)
            if keep[i]:
                break
    return keep


def note_counts(document: Document, links: NoteLinks | None = None) -> np.ndarray:
    """For each event (row of ``document.events``), how many notes name it, directly or
    through one of its claims (the event table's Notes column)."""
    links = links or NoteLinks.of(document)
    found = links.row >= 0
    pairs = np.unique(np.stack([links.note[found], links.row[found]]), axis=1)
    return np.bincount(pairs[1], minlength=len(document.events)).astype(np.int64)


def target_dates(document: Document, links: NoteLinks | None = None) -> np.ndarray:
    """For each note, the earliest start of what it is about, in UTC seconds (NaN: undated,
    e.g. a note on a missile system or on the project)."""
    links = links or NoteLinks.of(document)
    dates = np.full(len(links.others), np.inf)
    found = links.row >= 0
    if found.any():
        starts = _seconds(document.events["start_utc"].iloc[links.row[found]])
        np.minimum.at(dates, links.note[found], np.nan_to_num(starts, nan=np.inf))
    for i, others in enumerate(links.others):
        for target in others:
            if target.kind is TargetKind.TIME:
                dates[i] = min(dates[i], target.time_range()[0].timestamp())
    return np.where(np.isinf(dates), np.nan, dates)


# -- completion -------------------------------------------------------------------------------
def all_tags(document: Document) -> list[str]:
    """Every tag used on a note, sorted case-insensitively (for completion and the filter)."""
    return _distinct(t for cell in document.table("annotations")["tags"] for t in lists.split(cell))


def all_authors(document: Document) -> list[str]:
    """Every author of a note (the author filter's choices)."""
    names = document.table("annotations")["author"].dropna()
    return _distinct(str(n).strip() for n in names)


def _distinct(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        if value:
            seen.setdefault(value.casefold(), value)
    return sorted(seen.values(), key=str.casefold)


# -- new notes and their targets ----------------------------------------------------------------
def next_id(document: Document, prefix: str = "N") -> str:
    """A free note id after the highest ``N<number>`` in use: ``N18`` after the seed's N17."""
    used = set(document.table("annotations")["id"].astype(str))
    numbers = [
        int(i[len(prefix) :]) for i in used if i.startswith(prefix) and i[len(prefix) :].isdigit()
    ]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number:02d}" in used:  # pragma: no cover - only if ids were renamed oddly
        number += 1
    return f"{prefix}{number:02d}"


def unknown_targets(document: Document, targets: Iterable[Target]) -> list[str]:
    """The targets that name an event, claim or missile system this project does not have."""
    tables = {
        TargetKind.EVENT: "events",
        TargetKind.MEASUREMENT: "measurements",
        TargetKind.SYSTEM: "systems",
    }
    missing = []
    for target in targets:
        table = tables.get(target.kind)
        if table == "systems":
            if document.aliases().resolve(target.ref) is None:
                missing.append(str(target))
        elif table is not None and not document.has(table, target.ref):
            missing.append(str(target))
    return missing


def describe_target(document: Document, target: Target) -> str:
    """A target as a person reads it: ``A19``, ``Hwasong-12``, ``claim M005``, ``project``,
    ``2022-01-05 – 2022-01-30``."""
    if target.kind is TargetKind.PROJECT:
        return "project"
    if target.kind is TargetKind.TIME:
        start, end = target.time_range()
        first, last = start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")
        return first if first == last else f"{first} – {last}"
    if target.kind is TargetKind.MEASUREMENT:
        return f"claim {target.ref}"
    if target.kind is TargetKind.SYSTEM:
        system = document.aliases().resolve(target.ref)
        return system or target.ref
    return target.ref
