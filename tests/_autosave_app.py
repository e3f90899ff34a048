"""Subprocess helper for the crash-recovery test: a real Workstation window in its own
process, edited, autosaved, killed; then started again, and recovered.

Run as ``python tests/_autosave_app.py MODE PROJECT SETTINGS.ini`` (offscreen Qt):

- ``edit``: open PROJECT, make edits through the undo stack as the menus do, wait for an
  autosave (the interval is set to 1 s), print ``{"digest": ...}`` and wait to be killed;
- ``recover``: start as the app does; the recovery question is answered "Restore"; print
  ``{"offered": ..., "changes": ..., "digest": ..., "modified": ..., "undo": ...}``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication


def digest(document: Any) -> dict[str, Any]:
    events = document.events
    return {
        "events": sorted(zip(events["id"].tolist(), events["title"].tolist(), strict=True)),
        "notes": sorted(document.table("annotations")["body"].tolist()),
        "title": document.meta.get("title"),
    }


def main() -> None:
    mode, project, ini = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    app = QApplication([])
    settings = QSettings(ini, QSettings.Format.IniFormat)
    settings.setValue("autosave/interval_s", 1)
    from workstation.app import create_main_window
    from workstation.ui.autosave import Autosaver

    offered: list[Any] = []

    def restore(self: Autosaver, item: Any) -> str:  # the analyst's answer
        offered.append(item)
        return "restore"

    Autosaver.ask_recover = restore  # type: ignore[method-assign,assignment]
    window = create_main_window(project, settings=settings)
    workspace = window.workspace
    assert workspace is not None
    if mode == "edit":
        from workstation.model.commands import DeleteRows, EditFields, SetMeta, UpsertRows

        document, stack = workspace.document, workspace.stack
        stack.push(EditFields(document, "events", "A05", {"title": "Edited before the crash"}))
        stack.push(DeleteRows("events", ["A06"]))
        row = document.rows("events", ["A07"]).assign(id="CRASH-1", title="Added before")
        stack.push(UpsertRows("events", row))
        note = document.table("annotations").iloc[[0]].assign(body="Judgement kept")
        stack.push(UpsertRows("annotations", note))
        stack.push(SetMeta("title", "Renamed before the crash"))
        deadline = time.monotonic() + 30
        while window.autosaver.autosaves < 1 and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)  # the writes are counted at the next tick, once on disk
        autosaves = window.autosaver.autosaves
        print(json.dumps({"digest": digest(document), "autosaves": autosaves}), flush=True)
        while True:  # the parent kills us
            app.processEvents()
            time.sleep(0.05)
    item = offered[0] if offered else None
    print(
        json.dumps(
            {
                "offered": item.describe() if item else None,
                "changes": item.changes if item else None,
                "digest": digest(workspace.document),
                "modified": window.is_modified(),
                "undo": workspace.stack.undo_label,
            }
        ),
        flush=True,
    )
    # The answer is out. Leave at once: tearing Qt down without an event loop sometimes
    # hangs at interpreter exit, which is not what this test is about.
    os._exit(0)


if __name__ == "__main__":
    main()
