"""Annotations: the analyst's notes, tied to events, systems, claims, time ranges or the project."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from workstation.model import lists, records
from workstation.model.dates import format_utc, parse_utc


class Confidence(StrEnum):
    """Estimative language (ICD 203 scale), from least to most likely."""

    ALMOST_NO_CHANCE = "almost no chance"
    VERY_UNLIKELY = "very unlikely"
    UNLIKELY = "unlikely"
    ROUGHLY_EVEN = "roughly even chance"
    LIKELY = "likely"
    VERY_LIKELY = "very likely"
    ALMOST_CERTAIN = "almost certain"


class TargetKind(StrEnum):
    EVENT = "event"
    SYSTEM = "system"
    MEASUREMENT = "measurement"
    TIME = "time"
    PROJECT = "project"


@dataclass(frozen=True, slots=True)
class Target:
    """What an annotation is about: ``event:A05``, ``time:<start>/<end>``, ``project``."""

    kind: TargetKind
    ref: str = ""

    def __post_init__(self) -> None:
        TargetKind(self.kind)
        if self.kind is TargetKind.PROJECT:
            if self.ref:
                raise ValueError("a project target has no reference")
        elif not self.ref:
            raise ValueError(f"a {self.kind} target needs a reference")
        if self.kind is TargetKind.TIME:
            self.time_range()

    @classmethod
    def parse(cls, text: str) -> Target:
        kind, _, ref = text.strip().partition(":")
        try:
            return cls(TargetKind(kind.strip()), ref.strip())
        except ValueError as exc:
            raise ValueError(f"bad annotation target {text!r}: {exc}") from exc

    @classmethod
    def time(cls, start: datetime, end: datetime) -> Target:
        return cls(TargetKind.TIME, f"{format_utc(start)}/{format_utc(end)}")

    def time_range(self) -> tuple[datetime, datetime]:
        start_text, _, end_text = self.ref.partition("/")
        start, end = parse_utc(start_text), parse_utc(end_text)
        if end < start:
            raise ValueError("a time range ends before it starts")
        return start, end

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}" if self.ref else str(self.kind)


@dataclass(frozen=True, slots=True)
class Annotation:
    id: str
    targets: tuple[Target, ...]
    body: str
    created_utc: datetime
    modified_utc: datetime
    tags: tuple[str, ...] = ()
    author: str = ""
    confidence: Confidence | None = None

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise ValueError("an annotation needs an id")
        if self.created_utc.tzinfo is None or self.modified_utc.tzinfo is None:
            raise ValueError(f"annotation {self.id}: times must be timezone-aware")
        if self.confidence is not None:
            Confidence(self.confidence)

    @property
    def first_line(self) -> str:
        for line in self.body.splitlines():
            if line.strip():
                return line.strip().lstrip("#").strip()
        return ""

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "targets": lists.join(str(t) for t in self.targets),
            "body": self.body,
            "tags": lists.join(self.tags),
            "author": self.author,
            "created_utc": self.created_utc,
            "modified_utc": self.modified_utc,
            "confidence": str(self.confidence) if self.confidence else "",
        }

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Annotation:
        confidence = records.text(row, "confidence")
        return cls(
            id=records.text(row, "id"),
            targets=tuple(Target.parse(t) for t in records.items(row, "targets")),
            body=records.text(row, "body"),
            tags=records.items(row, "tags"),
            author=records.text(row, "author"),
            created_utc=records.required_moment(row, "created_utc"),
            modified_utc=records.required_moment(row, "modified_utc"),
            confidence=Confidence(confidence) if confidence else None,
        )
