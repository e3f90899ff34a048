"""Events: dated happenings (launches, statements, meetings, anniversaries)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from workstation.model import lists, records
from workstation.model.dates import Precision, local_date, zone
from workstation.model.sources import SourceRef


@dataclass(frozen=True, slots=True)
class Event:
    """One event. Times are aware UTC datetimes; ``timezone`` is the zone it was reported in."""

    id: str
    start_utc: datetime
    end_utc: datetime | None = None
    precision: Precision = Precision.TIME
    timezone: str = "UTC"
    category: str = ""
    title: str = ""
    summary: str = ""
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None
    systems: tuple[str, ...] = ()
    missile_count: int | None = None
    tags: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise ValueError("an event needs an id")
        if self.start_utc.tzinfo is None:
            raise ValueError(f"event {self.id}: start_utc must be timezone-aware")
        if self.end_utc is not None and self.end_utc < self.start_utc:
            raise ValueError(f"event {self.id}: ends before it starts")
        zone(self.timezone)
        Precision(self.precision)
        if self.missile_count is not None and self.missile_count < 0:
            raise ValueError(f"event {self.id}: missile_count is negative")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValueError(f"event {self.id}: latitude out of range")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValueError(f"event {self.id}: longitude out of range")

    @property
    def local_date(self) -> date:
        """The calendar date where the event was reported (what analysts count by)."""
        return local_date(self.start_utc, self.timezone)

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start_utc": self.start_utc,
            "end_utc": self.end_utc,
            "precision": str(self.precision),
            "timezone": self.timezone,
            "category": self.category,
            "title": self.title,
            "summary": self.summary,
            "place": self.place,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "systems": lists.join(self.systems),
            "missile_count": self.missile_count,
            "tags": lists.join(self.tags),
            "sources": lists.join(str(ref) for ref in self.sources),
        }

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Event:
        return cls(
            id=records.text(row, "id"),
            start_utc=records.required_moment(row, "start_utc"),
            end_utc=records.moment(row, "end_utc"),
            precision=Precision(records.text(row, "precision")),
            timezone=records.text(row, "timezone"),
            category=records.text(row, "category"),
            title=records.text(row, "title"),
            summary=records.text(row, "summary"),
            place=records.text(row, "place"),
            latitude=records.real(row, "latitude"),
            longitude=records.real(row, "longitude"),
            systems=records.items(row, "systems"),
            missile_count=records.integer(row, "missile_count"),
            tags=records.items(row, "tags"),
            sources=tuple(SourceRef.parse(item) for item in records.items(row, "sources")),
        )
