"""Lists stored in one table cell.

Systems, tags, sources, aliases and annotation targets are lists. In tables (in memory, in the
SQLite file and in canonical CSV/XLSX) they are one string with the items joined by ``"; "``,
so that a million rows stay plain string columns and every step stays vectorised. An item may
therefore not contain ``;`` or a line break; :func:`check_item` enforces it where items are made.
"""

from __future__ import annotations

from collections.abc import Iterable

SEPARATOR = "; "


def split(cell: object) -> tuple[str, ...]:
    """Split a list cell into its items; missing values and blanks give ``()``."""
    if cell is None or not isinstance(cell, str):
        return ()
    return tuple(item.strip() for item in cell.replace("\n", ";").split(";") if item.strip())


def join(items: Iterable[str]) -> str:
    """Join items into a list cell, checking each one."""
    return SEPARATOR.join(check_item(item) for item in items)


def check_item(item: str) -> str:
    """Return the item stripped, or raise ``ValueError`` if it cannot live in a list cell."""
    text = item.strip()
    if not text:
        raise ValueError("a list item is empty")
    if ";" in text or "\n" in text or "\r" in text:
        raise ValueError(f"a list item may not contain ';' or a line break: {text!r}")
    return text
