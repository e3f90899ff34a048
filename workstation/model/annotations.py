"""Annotations: the analyst's notes, tied to events, systems, claims, time ranges or the project."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from workstation.model import lists, records
from workstation.model.dates import format_utc, parse_utc
from workstation.model.sources import SourceRef


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
    sources: tuple[SourceRef, ...] = ()

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
            "sources": lists.join(str(ref) for ref in self.sources),
        }

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Annotation:
        return cls(
            id=records.text(row, "id"),
            targets=_targets(row),
            body=records.text(row, "body"),
            tags=records.items(row, "tags"),
            author=records.text(row, "author"),
            created_utc=records.required_moment(row, "created_utc"),
            modified_utc=records.required_moment(row, "modified_utc"),
            confidence=_confidence(row),
            sources=_sources(row),
        )


#: The fields of an annotation that its history keeps (and a restore puts back).
VERSIONED_FIELDS: tuple[str, ...] = ("body", "tags", "targets", "confidence", "sources")


def version_id(annotation_id: str, version: int) -> str:
    """The id of an annotation's version row: ``N01@3``."""
    return f"{annotation_id}@{version}"


@dataclass(frozen=True, slots=True)
class AnnotationVersion:
    """An earlier state of an annotation: what it held before a change, and who made that
    change when (``saved_utc``). Versions count from 1 for each annotation."""

    id: str
    annotation_id: str
    version: int
    saved_utc: datetime
    author: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    confidence: Confidence | None = None
    sources: tuple[SourceRef, ...] = ()

    def __post_init__(self) -> None:
        if not self.id.strip() or not self.annotation_id.strip():
            raise ValueError("an annotation version needs an id and an annotation id")
        if self.version < 1:
            raise ValueError(f"annotation version {self.id}: versions count from 1")
        if self.saved_utc.tzinfo is None:
            raise ValueError(f"annotation version {self.id}: saved_utc must be timezone-aware")
        if self.confidence is not None:
            Confidence(self.confidence)

    @classmethod
    def of(
        cls, annotation: Annotation, version: int, saved_utc: datetime, author: str
    ) -> AnnotationVersion:
        """The version that keeps ``annotation``'s current state, replaced at ``saved_utc``."""
        return cls(
            id=version_id(annotation.id, version),
            annotation_id=annotation.id,
            version=version,
            saved_utc=saved_utc,
            author=author,
            body=annotation.body,
            tags=annotation.tags,
            targets=annotation.targets,
            confidence=annotation.confidence,
            sources=annotation.sources,
        )

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "annotation_id": self.annotation_id,
            "version": self.version,
            "saved_utc": self.saved_utc,
            "author": self.author,
            "body": self.body,
            "tags": lists.join(self.tags),
            "targets": lists.join(str(t) for t in self.targets),
            "confidence": str(self.confidence) if self.confidence else "",
            "sources": lists.join(str(ref) for ref in self.sources),
        }

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> AnnotationVersion:
        version = records.integer(row, "version")
        if version is None:
            raise ValueError("version is required")
        return cls(
            id=records.text(row, "id"),
            annotation_id=records.text(row, "annotation_id"),
            version=version,
            saved_utc=records.required_moment(row, "saved_utc"),
            author=records.text(row, "author"),
            body=records.text(row, "body"),
            tags=records.items(row, "tags"),
            targets=_targets(row),
            confidence=_confidence(row),
            sources=_sources(row),
        )


def _targets(row: Mapping[Any, Any]) -> tuple[Target, ...]:
    return tuple(Target.parse(t) for t in records.items(row, "targets"))


def _confidence(row: Mapping[Any, Any]) -> Confidence | None:
    confidence = records.text(row, "confidence")
    return Confidence(confidence) if confidence else None


def _sources(row: Mapping[Any, Any]) -> tuple[SourceRef, ...]:
    return tuple(SourceRef.parse(item) for item in records.items(row, "sources"))
