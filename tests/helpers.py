"""Small builders shared by tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from workstation.model import tables
from workstation.model.annotations import Annotation, Target
from workstation.model.document import Document
from workstation.model.events import Event


def event_rows(n: int, start: datetime = datetime(2022, 1, 1, tzinfo=UTC)) -> pd.DataFrame:
    events = [
        Event(
            id=f"E{i:05d}",
            start_utc=start + timedelta(hours=7 * i),
            timezone="Asia/Seoul",
            category="missile test" if i % 2 else "statement",
            title=f"Event {i}",
            systems=("KN-23",) if i % 3 == 0 else ("Hwasong-12",),
            missile_count=i % 4,
            tags=("t",),
        ).to_row()
        for i in range(n)
    ]
    return tables.from_records("events", events)


def annotation_row(
    note_id: str, body: str, targets: tuple[str, ...] = ("project",)
) -> pd.DataFrame:
    moment = datetime(2022, 2, 1, tzinfo=UTC)
    note = Annotation(note_id, tuple(Target.parse(t) for t in targets), body, moment, moment)
    return tables.from_records("annotations", [note.to_row()])


def small_document(n: int = 10) -> Document:
    return Document({"events": event_rows(n)}, {"title": "Test project"})
