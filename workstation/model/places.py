"""Places: named locations with coordinates and how precise they are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workstation.model import lists, records


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    alt_names: tuple[str, ...] = ()
    admin_region: str = ""
    latitude: float | None = None
    longitude: float | None = None
    precision: str = ""  # site, city, county, province, region, approximate
    coord_source: str = ""

    def __post_init__(self) -> None:
        if not self.id.strip() or not self.name.strip():
            raise ValueError("a place needs an id and a name")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValueError(f"place {self.id}: latitude out of range")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValueError(f"place {self.id}: longitude out of range")

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "alt_names": lists.join(self.alt_names),
            "admin_region": self.admin_region,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "precision": self.precision,
            "coord_source": self.coord_source,
        }

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Place:
        return cls(
            id=records.text(row, "id"),
            name=records.text(row, "name"),
            alt_names=records.items(row, "alt_names"),
            admin_region=records.text(row, "admin_region"),
            latitude=records.real(row, "latitude"),
            longitude=records.real(row, "longitude"),
            precision=records.text(row, "precision"),
            coord_source=records.text(row, "coord_source"),
        )
