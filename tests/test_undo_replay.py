"""A long session, randomized: 10,000 edit, undo and redo steps. The document always equals
a replay of the commands that survive (the done ones, including those too old to undo any
more), and the history, and so memory, stays bounded by the undo limit."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from workstation.model import tables
from workstation.model.commands import (
    UNDO_LIMIT,
    Command,
    DeleteRows,
    EditFields,
    SetMeta,
    UndoStack,
    UpsertRows,
)
from workstation.model.document import Document
from workstation.model.events import Event

STEPS = 10_000
IDS = [f"E{i:03d}" for i in range(60)]  # a fixed pool: the document's size stays bounded
START = datetime(2022, 1, 1, tzinfo=UTC)

Recipe = tuple[Any, ...]  # what a step does, replayable on a plain dict model


def event_row(event_id: str, n: int) -> dict[str, Any]:
    return Event(event_id, START + timedelta(hours=n), title=f"t{n}", category="test").to_row()


def command(document: Document, recipe: Recipe) -> Command:
    kind = recipe[0]
    if kind == "upsert":
        return UpsertRows("events", pd.DataFrame([event_row(recipe[1], recipe[2])]))
    if kind == "edit":
        return EditFields(document, "events", recipe[1], {"title": recipe[2]})
    if kind == "delete":
        return DeleteRows("events", [recipe[1]])
    return SetMeta(recipe[1], recipe[2])


def replay(recipes: list[Recipe]) -> tuple[dict[str, str], dict[str, str]]:
    """The titles by event id and the meta the recipes make, replayed on plain dicts."""
    titles: dict[str, str] = {"E000": "t0"}
    meta: dict[str, str] = {}
    for kind, key, value in recipes:
        if kind == "upsert":
            titles[key] = f"t{value}"
        elif kind == "edit":
            titles[key] = value
        elif kind == "delete":
            titles.pop(key, None)
        elif value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    return titles, meta


def resident_kb() -> int:
    """The process's resident memory (Linux; 0 elsewhere, which makes the check vacuous)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def state(document: Document) -> tuple[dict[str, str], dict[str, str]]:
    events = document.events
    titles = dict(zip(events["id"].tolist(), events["title"].tolist(), strict=True))
    meta = {k: v for k, v in document.meta.items() if k.startswith("k")}
    return titles, meta


def test_ten_thousand_random_steps_replay_exactly_and_stay_bounded() -> None:
    rng = random.Random(20221125)
    document = Document({"events": tables.from_records("events", [event_row("E000", 0)])})
    limit = 200  # small, so the limit is reached many times over
    stack = UndoStack(document, limit=limit)
    done: list[Recipe] = []  # every surviving recipe, oldest first (also those too old to undo)
    undone: list[Recipe] = []  # redo order: last undone last
    memory: list[int] = []
    if True:  # one block: the checks below read the whole session
        for step in range(STEPS):
            roll = rng.random()
            if roll < 0.25 and stack.can_undo:
                stack.undo()
                undone.append(done.pop())
            elif roll < 0.40 and stack.can_redo:
                stack.redo()
                done.append(undone.pop())
            else:
                present = [i for i in IDS if document.has("events", i)]
                choice = rng.random()
                if choice < 0.35 or not present:
                    recipe: Recipe = ("upsert", rng.choice(IDS), step)
                elif choice < 0.75:
                    recipe = ("edit", rng.choice(present), f"e{step}")
                elif choice < 0.9:
                    recipe = ("delete", rng.choice(present), None)
                else:
                    recipe = ("meta", f"k{rng.randrange(5)}", rng.choice([None, f"m{step}"]))
                stack.push(command(document, recipe))
                stack.close_merge()  # each step its own undo step, as the replay counts them
                done.append(recipe)
                undone.clear()
            assert len(stack.labels()) <= limit
            assert stack.index <= limit
            if step % 997 == 0 or step == STEPS - 1:
                assert state(document) == replay(done), f"diverged at step {step}"
                memory.append(resident_kb())
        # Undo everything still undoable: the document is then the replay of the steps too
        # old to undo, which the stack forgot but the document kept.
        undoable = stack.index
        while stack.can_undo:
            stack.undo()
        assert state(document) == replay(done[: len(done) - undoable])
    # Bounded: once the history is full, the process stops growing (within 20 MB of noise).
    settled = memory[len(memory) // 2 :]
    assert max(settled) - min(settled) < 20_000, memory


def test_the_default_limit_is_a_thousand_and_can_be_changed() -> None:
    document = Document({"events": tables.from_records("events", [event_row("E000", 0)])})
    stack = UndoStack(document)
    assert stack.limit == UNDO_LIMIT == 1000
    for n in range(30):
        stack.push(EditFields(document, "events", "E000", {"title": str(n)}))
        stack.close_merge()
    stack.undo()
    stack.set_limit(10)  # lowered: the oldest done steps go, the one to redo stays
    assert len(stack.labels()) == 10
    assert stack.can_redo
    stack.redo()
    assert document.event("E000").title == "29"
    while stack.can_undo:
        stack.undo()
    assert document.event("E000").title == "19"
