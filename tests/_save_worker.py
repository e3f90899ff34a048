"""Subprocess helper for the crash tests: load a project, edit it, save it, and be killed.

Run as ``python tests/_save_worker.py MODE PATH``:

- ``incremental``: apply :func:`apply_edit` and save back to PATH (one SQLite transaction);
- ``whole``: the same edit, then ``mark_all_pending()`` so that the whole-file path (temporary
  file, fsync, ``os.replace``) is taken;
- ``hang``: the incremental save, but it stops forever just before ``COMMIT``, with the
  transaction's changes partly in the file and the rollback journal beside it (the parent
  kills it to leave a hot journal, exactly like a crash in the middle of a save).

It prints ``ready`` (flushed) right before the save starts and ``saved SECONDS`` when it has
finished, so the parent can time one save and kill later runs at random instants within it.

``try-incremental`` and ``try-whole`` make the same edit and save once, expecting a failure
(a read-only folder), and print ``{"error": ..., "modified": ...}`` as one JSON line.

The test modules also import this file for :func:`apply_edit` and :func:`synthetic_events`.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

if __name__ == "__main__":  # run as a script: make ``workstation`` importable from the repo
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workstation import store
from workstation.model import tables
from workstation.model.annotations import Annotation, Confidence, Target
from workstation.model.document import Document

#: Rows the edit touches: well under INCREMENTAL_LIMIT, so "incremental" stays incremental.
EDITED_EVENTS = 3_000
NEW_EVENTS = 3_000
DELETED_EVENTS = 500
EDITED_TITLE = "edited project title"


def synthetic_events(count: int, prefix: str = "S", start: int = 0) -> pd.DataFrame:
    """``count`` valid events with ids ``{prefix}0000000``..., built without a row loop."""
    numbers = np.arange(start, start + count)
    ids = pd.Series(numbers).map(lambda n: f"{prefix}{n:07d}")
    starts = pd.to_datetime(1_500_000_000 + numbers * 3_600, unit="s", utc=True)
    frame = pd.DataFrame(
        {
            "id": ids,
            "start_utc": starts,
            "end_utc": pd.NaT,
            "precision": "time",
            "timezone": np.where(numbers % 3 == 0, "UTC", "Asia/Seoul"),
            "category": np.where(numbers % 2 == 0, "launch", "statement"),
            "title": "Synthetic event " + ids,
            "summary": "A synthetic summary long enough to fill pages of the file. " * 3 + ids,
            "place": "pyongyang",
            "latitude": 39.0 + (numbers % 100) / 100,
            "longitude": 125.0 + (numbers % 100) / 100,
            "systems": "KN-23",
            "missile_count": numbers % 5,
            "tags": "synthetic; test",
            "sources": "",
        }
    )
    return tables.conform("events", frame)


State = tuple[dict[str, pd.DataFrame], str]


def state(document: Document) -> State:
    """Everything a save writes, comparably: every table sorted by id, and the title."""
    frames = {
        name: document.table(name).sort_values("id", kind="stable").reset_index(drop=True)
        for name in tables.TABLE_NAMES
    }
    return frames, document.meta.get("title", "")


def same_state(a: State, b: State) -> bool:
    return a[1] == b[1] and all(a[0][name].equals(b[0][name]) for name in tables.TABLE_NAMES)


def differences(a: State, b: State) -> str:
    """Which parts of two states differ, for assertion messages."""
    parts = [f"title {a[1]!r} != {b[1]!r}"] if a[1] != b[1] else []
    for name in tables.TABLE_NAMES:
        if not a[0][name].equals(b[0][name]):
            parts.append(f"{name} ({len(a[0][name])} vs {len(b[0][name])} rows)")
    return ", ".join(parts) or "nothing"


def folder_snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every entry under ``folder`` -> (sha256, size, mtime_ns): any change shows."""
    found: dict[str, tuple[str, int, int]] = {}
    for entry in sorted(folder.rglob("*")):
        info = entry.stat()
        if entry.is_dir():
            found[str(entry.relative_to(folder))] = ("<folder>", 0, info.st_mtime_ns)
        else:
            digest = hashlib.sha256(entry.read_bytes()).hexdigest()
            found[str(entry.relative_to(folder))] = (digest, info.st_size, info.st_mtime_ns)
    return found


def big_document(base: Path, events: int) -> Document:
    """The project at ``base`` with ``events`` synthetic events added (to make saves slow)."""
    document = store.load(base)
    document.upsert("events", synthetic_events(events))
    return document


def apply_edit(document: Document) -> None:
    """A deterministic edit of events, annotations and meta (the "new" state of a save)."""
    events = document.table("events")
    synthetic = events[events["id"].str.startswith("S")]
    edited = synthetic.iloc[:EDITED_EVENTS].copy()
    edited["title"] = "Edited " + edited["id"]
    edited["missile_count"] = pd.array([7] * len(edited), dtype="Int64")
    document.upsert("events", edited)
    document.upsert("events", synthetic_events(NEW_EVENTS, prefix="N"))
    gone = synthetic["id"].iloc[EDITED_EVENTS : EDITED_EVENTS + DELETED_EVENTS]
    document.delete("events", gone)

    annotations = document.table("annotations")
    existing = Annotation.from_row(annotations.iloc[0].to_dict())
    moment = pd.Timestamp("2024-01-01T00:00:00Z").to_pydatetime()
    rows = [
        Annotation(
            id=existing.id,
            targets=existing.targets,
            body="Rewritten body of the first annotation.",
            created_utc=existing.created_utc,
            modified_utc=max(existing.modified_utc, moment),
        ).to_row(),
        *(
            Annotation(
                id=f"crash-test-{n}",
                targets=(Target.parse("project"),),
                body=f"New annotation {n}\n\nwritten by the crash test.",
                created_utc=moment,
                modified_utc=moment,
                tags=("crash", "test"),
                confidence=Confidence.LIKELY,
            ).to_row()
            for n in range(3)
        ),
    ]
    document.upsert("annotations", tables.from_records("annotations", rows))
    document.delete("annotations", [annotations["id"].iloc[-1]])
    document.set_meta("title", EDITED_TITLE)


def _hang_before_commit() -> None:
    """Make the incremental save stop forever just before it commits."""
    from workstation.store import project_file

    original = project_file._meta_rows

    def meta_rows_then_hang(document: Document) -> list[tuple[str, object]]:
        original(document)
        print("in-transaction", flush=True)
        while True:
            time.sleep(60)

    project_file._meta_rows = meta_rows_then_hang  # type: ignore[assignment]


def try_to_save(document: Document, path: Path) -> int:
    """Save expecting a failure; print one JSON line: the error and whether still modified."""
    try:
        store.save(document, path)
    except store.ProjectFileError as error:
        print(json.dumps({"error": str(error), "modified": document.is_modified}))
    else:
        print(json.dumps({"error": None, "modified": document.is_modified}))
    return 0


def main(argv: list[str]) -> int:
    mode, path = argv[0], Path(argv[1])
    document = store.load(path)
    apply_edit(document)
    if mode in ("try-incremental", "try-whole"):  # e.g. into a read-only folder
        if mode == "try-whole":
            document.mark_all_pending()
        return try_to_save(document, path)
    if mode == "whole":
        document.mark_all_pending()
    elif mode == "hang":
        _hang_before_commit()
    elif mode != "incremental":
        raise SystemExit(f"unknown mode {mode!r}")
    print("ready", flush=True)
    began = time.perf_counter()
    store.save(document, path)
    print(f"saved {time.perf_counter() - began:.6f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
