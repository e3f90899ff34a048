"""Missile systems and their aliases.

One missile goes by many names (KN-23 = Hwasong-11A = Hwasong-11Ga = the rail-mobile variant).
Every query that matches a system goes through :class:`AliasIndex`, so searching "KN-17" finds
events recorded as "Hwasong-12".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from workstation.model import lists, records


class MissileClass(StrEnum):
    SRBM = "SRBM"
    MRBM = "MRBM"
    IRBM = "IRBM"
    ICBM = "ICBM"
    HGV = "HGV"
    MARV = "MaRV"
    CRUISE = "cruise"
    SAM = "SAM"


@dataclass(frozen=True, slots=True)
class MissileSystem:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    missile_class: MissileClass | None = None
    country: str = ""
    propulsion: str = ""
    status: str = ""
    notes: str = ""
    #: What the missile is fired from ("railway launcher", "wheeled TEL"); blank if not stated.
    launch_platform: str = ""

    def __post_init__(self) -> None:
        if not self.id.strip() or not self.name.strip():
            raise ValueError("a missile system needs an id and a name")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, self.name, *self.aliases)

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "aliases": lists.join(self.aliases),
            "class": str(self.missile_class) if self.missile_class else "",
            "country": self.country,
            "propulsion": self.propulsion,
            "status": self.status,
            "notes": self.notes,
            "launch_platform": self.launch_platform,
        }

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> MissileSystem:
        klass = records.text(row, "class")
        return cls(
            id=records.text(row, "id"),
            name=records.text(row, "name"),
            aliases=records.items(row, "aliases"),
            missile_class=MissileClass(klass) if klass else None,
            country=records.text(row, "country"),
            propulsion=records.text(row, "propulsion"),
            status=records.text(row, "status"),
            notes=records.text(row, "notes"),
            launch_platform=records.text(row, "launch_platform"),
        )


def normalise_name(name: str) -> str:
    """Case, spaces, hyphens and Roman-numeral variants do not make a different missile."""
    folded = name.casefold().replace("Ⅱ", "ii").replace("ⅱ", "ii")
    return "".join(ch for ch in folded if ch.isalnum())


class AliasIndex:
    """Maps every known name of a system to the system's id."""

    def __init__(self, systems: Iterable[MissileSystem]) -> None:
        self._ids: dict[str, str] = {}
        bare: dict[str, set[str]] = {}
        for system in systems:
            for name in system.names:
                self._ids.setdefault(normalise_name(name), system.id)
                # "Hwasong-8 MARV (CNS)": an alias with a note on who uses it also answers to
                # the name without the note, unless two systems share that name.
                before, bracket, _ = name.partition("(")
                if bracket and before.strip():
                    bare.setdefault(normalise_name(before), set()).add(system.id)
        for name, owners in bare.items():
            if len(owners) == 1:
                self._ids.setdefault(name, next(iter(owners)))

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> AliasIndex:
        return cls(MissileSystem.from_row(row) for row in table.to_dict("records"))

    def ids_matching(self, fragment: str) -> set[str]:
        """Ids of systems any of whose names contains ``fragment`` (case-insensitive)."""
        wanted = normalise_name(fragment)
        if not wanted:
            return set()
        return {system_id for name, system_id in self._ids.items() if wanted in name}

    def resolve(self, name: str) -> str | None:
        """The system id for any of its names, or ``None`` when unknown."""
        return self._ids.get(normalise_name(name))

    def same(self, a: str, b: str) -> bool:
        ra, rb = self.resolve(a), self.resolve(b)
        if ra is None or rb is None:
            return normalise_name(a) == normalise_name(b)
        return ra == rb
