"""Queries that filter events, evaluated as vectorised masks over the events table.

List columns (systems, tags) have few distinct values even in a million rows, so each
condition is decided once per distinct cell and then broadcast with ``isin``; a query over
1M events costs a few pandas passes, never a Python loop over rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workstation.model import lists
from workstation.model.systems import AliasIndex, normalise_name

if TYPE_CHECKING:
    from workstation.model.document import Document


@dataclass(frozen=True)
class QueryContext:
    """What a query needs beyond the events table: system aliases and place names."""

    aliases: AliasIndex | None = None
    place_names: Mapping[str, str] = field(default_factory=dict)  # place id -> all its names
    #: (codes, distinct values) of an events column, cached by the document.
    codes: Callable[[str], tuple[np.ndarray, np.ndarray]] | None = None

    @classmethod
    def of(cls, document: Document) -> QueryContext:
        places = document.table("places")
        names = {
            row["id"]: " ".join((row["name"], *lists.split(row["alt_names"])))
            for row in places[["id", "name", "alt_names"]].to_dict("records")
        }
        return cls(document.aliases(), names, lambda column: document.factorized("events", column))


@dataclass(frozen=True)
class EventQuery:
    """What to show. Empty fields do not filter. All conditions must hold (AND)."""

    #: Case-insensitive substring of the title, summary, tags, place (id or any of its names)
    #: or systems (any name or alias: "Hwasong-11A" finds KN-23 events).
    text: str = ""
    categories: frozenset[str] = field(default_factory=frozenset)
    systems: frozenset[str] = field(default_factory=frozenset)  # any name or alias
    tags: frozenset[str] = field(default_factory=frozenset)
    start_utc: datetime | None = None
    end_utc: datetime | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.text.strip()
            or self.categories
            or self.systems
            or self.tags
            or self.start_utc
            or self.end_utc
        )

    def mask(
        self, events: pd.DataFrame, context: QueryContext | AliasIndex | None = None
    ) -> np.ndarray:
        """Boolean mask over ``events`` rows that match the query."""
        if not isinstance(context, QueryContext):
            context = QueryContext(aliases=context)
        keep = np.ones(len(events), dtype=bool)
        if self.text.strip():
            keep &= _text_mask(events, self.text.strip(), context)
        if self.categories:
            wanted = {c.casefold() for c in self.categories}
            if context.codes is not None:
                codes, values = context.codes("category")
                hits = [i for i, value in enumerate(values) if str(value).casefold() in wanted]
                keep &= np.isin(codes, hits)
            else:
                keep &= _any_value(events["category"], lambda value: value.casefold() in wanted)
        if self.systems:
            keep &= _any_item(events["systems"], _system_matcher(self.systems, context.aliases))
        if self.tags:
            wanted = {t.casefold() for t in self.tags}
            keep &= _any_item(events["tags"], lambda item: item.casefold() in wanted)
        if self.start_utc is not None or self.end_utc is not None:
            keep &= overlaps(events, self.start_utc, self.end_utc)
        return keep


#: What free text searches, besides place names and system aliases.
TEXT_COLUMNS = ("title", "summary", "tags", "place", "systems")


def _contains(column: pd.Series, needle: str) -> np.ndarray:
    hits: np.ndarray = column.str.contains(needle, case=False, regex=False).to_numpy(
        dtype=bool, na_value=False
    )
    return hits


def _text_mask(events: pd.DataFrame, needle: str, context: QueryContext) -> np.ndarray:
    hit = np.zeros(len(events), dtype=bool)
    for name in TEXT_COLUMNS:
        hit |= _contains(events[name], needle)
    folded = needle.casefold()
    places = [pid for pid, names in context.place_names.items() if folded in names.casefold()]
    if places:
        hit |= events["place"].isin(places).to_numpy()
    if context.aliases is not None:
        aliases = context.aliases
        systems = aliases.ids_matching(needle)
        if systems:
            hit |= _any_item(events["systems"], lambda item: aliases.resolve(item) in systems)
    return hit


def overlaps(events: pd.DataFrame, start: datetime | None, end: datetime | None) -> np.ndarray:
    """Events whose [start, end] (or start alone) overlaps the window."""
    first = events["start_utc"]
    last = events["end_utc"].fillna(first)
    keep = np.ones(len(events), dtype=bool)
    if start is not None:
        keep &= (last >= pd.Timestamp(start)).to_numpy(dtype=bool, na_value=False)
    if end is not None:
        keep &= (first <= pd.Timestamp(end)).to_numpy(dtype=bool, na_value=False)
    return keep


def _system_matcher(names: Iterable[str], aliases: AliasIndex | None) -> Callable[[str], bool]:
    wanted_ids = set()
    wanted_names = set()
    for name in names:
        wanted_names.add(normalise_name(name))
        if aliases is not None and (resolved := aliases.resolve(name)) is not None:
            wanted_ids.add(resolved)

    def match(item: str) -> bool:
        if normalise_name(item) in wanted_names:
            return True
        return aliases is not None and aliases.resolve(item) in wanted_ids

    return match


def _any_value(column: pd.Series, predicate: Callable[[str], bool]) -> np.ndarray:
    """Rows whose cell satisfies ``predicate``, deciding each distinct value once."""
    hits = [value for value in column.unique() if predicate(str(value))]
    result: np.ndarray = column.isin(hits).to_numpy()
    return result


def _any_item(column: pd.Series, predicate: Callable[[str], bool]) -> np.ndarray:
    """Rows where any list item satisfies ``predicate``, deciding each distinct cell once."""
    distinct = column.unique()
    hits = [cell for cell in distinct if any(predicate(item) for item in lists.split(cell))]
    result: np.ndarray = column.isin(hits).to_numpy()
    return result
