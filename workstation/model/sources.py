"""Sources and references to them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workstation.model import records
from workstation.model.grading import check_reliability


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A citation: a source id and an optional locator within it (``article:¶4``)."""

    source_id: str
    locator: str = ""

    def __post_init__(self) -> None:
        if not self.source_id or ":" in self.source_id:
            raise ValueError(f"bad source id in reference: {self.source_id!r}")

    @classmethod
    def parse(cls, text: str) -> SourceRef:
        source_id, _, locator = text.strip().partition(":")
        return cls(source_id.strip(), locator.strip())

    def __str__(self) -> str:
        return f"{self.source_id}:{self.locator}" if self.locator else self.source_id


@dataclass(frozen=True, slots=True)
class Source:
    """A document, outlet or dataset that claims come from."""

    id: str
    title: str = ""
    publisher: str = ""
    date: str = ""  # as precise as known: "2022", "2022-01", "2022-01-07"
    url: str = ""
    locator_scheme: str = ""  # paragraph, page, row, none
    reliability: str = ""  # Admiralty source reliability A-F

    def __post_init__(self) -> None:
        if not self.id.strip() or ":" in self.id:
            raise ValueError(f"bad source id: {self.id!r}")
        if self.reliability:
            check_reliability(self.reliability)

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
            "url": self.url,
            "locator_scheme": self.locator_scheme,
            "reliability": self.reliability,
        }

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Source:
        return cls(**{key: records.text(row, key) for key in cls.__dataclass_fields__})
