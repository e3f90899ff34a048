"""Queries that filter events, evaluated as vectorised masks over the events table.

List columns (systems, tags) have few distinct values even in a million rows, so each
condition is decided once per distinct cell and then broadcast with ``isin``; a query over
1M events costs a few pandas passes, never a Python loop over rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from workstation.model import lists
from workstation.model.systems import AliasIndex, normalise_name


@dataclass(frozen=True)
class EventQuery:
    """What to show. Empty fields do not filter. All conditions must hold (AND)."""

    text: str = ""  # case-insensitive substring of id, title, summary or place
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

    def mask(self, events: pd.DataFrame, aliases: AliasIndex | None = None) -> np.ndarray:
        """Boolean mask over ``events`` rows that match the query."""
        keep = np.ones(len(events), dtype=bool)
        if self.text.strip():
            needle = self.text.strip()
            hit = np.zeros(len(events), dtype=bool)
            for name in ("id", "title", "summary", "place"):
                hit |= (
                    events[name]
                    .str.contains(needle, case=False, regex=False)
                    .to_numpy(dtype=bool, na_value=False)
                )
            keep &= hit
        if self.categories:
            keep &= events["category"].isin(self.categories).to_numpy()
        if self.systems:
            keep &= _any_item(events["systems"], _system_matcher(self.systems, aliases))
        if self.tags:
            wanted = {t.casefold() for t in self.tags}
            keep &= _any_item(events["tags"], lambda item: item.casefold() in wanted)
        if self.start_utc is not None or self.end_utc is not None:
            keep &= overlaps(events, self.start_utc, self.end_utc)
        return keep


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


def _any_item(column: pd.Series, predicate: Callable[[str], bool]) -> np.ndarray:
    """Rows where any list item satisfies ``predicate``, deciding each distinct cell once."""
    distinct = column.unique()
    hits = [cell for cell in distinct if any(predicate(item) for item in lists.split(cell))]
    result: np.ndarray = column.isin(hits).to_numpy()
    return result
