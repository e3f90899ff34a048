"""Measurements: claims about a parameter of an event or a system, with their qualifiers.

A claim keeps what was said, not what we would like it to say: "apogee under 50 km" is an
upper bound (``less-than``, value 50), not 50 km. :meth:`Measurement.bounds` turns the
qualifier into an interval for comparisons; the stored value never changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from workstation.model import records
from workstation.model.grading import admiralty_code, check_credibility, check_reliability
from workstation.model.units import convert, dimension


class Qualifier(StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    LESS_THAN = "less-than"
    GREATER_THAN = "greater-than"
    AT_MOST = "at-most"
    BETWEEN = "between"


class SubjectType(StrEnum):
    EVENT = "event"
    SYSTEM = "system"


#: How each qualifier is written before a value ("< 50 km"); ``between`` is written "25–90".
QUALIFIER_SYMBOLS = {
    Qualifier.EXACT: "",
    Qualifier.APPROXIMATE: "≈ ",
    Qualifier.LESS_THAN: "< ",
    Qualifier.GREATER_THAN: "> ",
    Qualifier.AT_MOST: "≤ ",
}


@dataclass(frozen=True, slots=True)
class Bounds:
    """The interval a claim allows. ``None`` is unbounded on that side."""

    lower: float | None
    upper: float | None
    lower_inclusive: bool = True
    upper_inclusive: bool = True
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class Measurement:
    id: str
    subject_type: SubjectType
    subject_id: str
    parameter: str
    qualifier: Qualifier
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    unit: str = ""
    claimant: str = ""
    source_id: str = ""
    locator: str = ""
    reliability: str = ""
    credibility: int | None = None
    claimed_on: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        SubjectType(self.subject_type)
        Qualifier(self.qualifier)
        if not (self.id and self.subject_id and self.parameter):
            raise ValueError("a measurement needs an id, a subject and a parameter")
        if self.qualifier is Qualifier.BETWEEN:
            if self.lower is None or self.upper is None or self.lower > self.upper:
                raise ValueError(f"measurement {self.id}: 'between' needs lower <= upper")
        elif self.value is None:
            raise ValueError(f"measurement {self.id}: {self.qualifier} needs a value")
        if self.unit:
            dimension(self.unit)
        if self.reliability:
            check_reliability(self.reliability)
        if self.credibility is not None:
            check_credibility(self.credibility)

    def bounds(self) -> Bounds:
        q = self.qualifier
        if q is Qualifier.BETWEEN:
            return Bounds(self.lower, self.upper)
        v = self.value
        if q is Qualifier.LESS_THAN:
            return Bounds(None, v, upper_inclusive=False)
        if q is Qualifier.AT_MOST:
            return Bounds(None, v)
        if q is Qualifier.GREATER_THAN:
            return Bounds(v, None, lower_inclusive=False)
        return Bounds(v, v, approximate=q is Qualifier.APPROXIMATE)

    def text(self, unit: str | None = None, digits: int = 3) -> str:
        """How the claim reads: ``"< 50 km"``, ``"≈ 60 km"``, ``"25–90 km"``."""
        target = unit or self.unit

        def show(x: float) -> str:
            value = convert(x, self.unit, target) if self.unit and target else x
            return f"{value:,.{digits}g}" if abs(value) < 10**digits else f"{value:,.0f}"

        suffix = f" {target}" if target else ""
        if self.qualifier is Qualifier.BETWEEN:
            assert self.lower is not None
            assert self.upper is not None
            return f"{show(self.lower)}–{show(self.upper)}{suffix}"
        assert self.value is not None
        return f"{QUALIFIER_SYMBOLS[self.qualifier]}{show(self.value)}{suffix}"

    @property
    def grade(self) -> str:
        return admiralty_code(self.reliability, self.credibility)

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject_type": str(self.subject_type),
            "subject_id": self.subject_id,
            "parameter": self.parameter,
            "qualifier": str(self.qualifier),
            "value": self.value,
            "lower": self.lower,
            "upper": self.upper,
            "unit": self.unit,
            "claimant": self.claimant,
            "source_id": self.source_id,
            "locator": self.locator,
            "reliability": self.reliability,
            "credibility": self.credibility,
            "claimed_on": self.claimed_on,
            "note": self.note,
        }

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Measurement:
        return cls(
            id=records.text(row, "id"),
            subject_type=SubjectType(records.text(row, "subject_type")),
            subject_id=records.text(row, "subject_id"),
            parameter=records.text(row, "parameter"),
            qualifier=Qualifier(records.text(row, "qualifier")),
            value=records.real(row, "value"),
            lower=records.real(row, "lower"),
            upper=records.real(row, "upper"),
            unit=records.text(row, "unit"),
            claimant=records.text(row, "claimant"),
            source_id=records.text(row, "source_id"),
            locator=records.text(row, "locator"),
            reliability=records.text(row, "reliability"),
            credibility=records.integer(row, "credibility"),
            claimed_on=records.text(row, "claimed_on"),
            note=records.text(row, "note"),
        )
