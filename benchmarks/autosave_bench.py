"""Autosave benchmark: the UI never freezes for more than 50 ms, even at a million events.

Subject: on a 1M-event project in a window, the UI thread's share of an autosave
(``Autosaver.autosave()``: swap the change sets, reference the tables, hand them to the
worker), and the longest the UI thread's event loop is kept waiting while the worker writes
(Python's lock is shared). Two changes: one event edited, and every event edited (a million
rows to write). The issue states an absolute budget, 50 ms; no floor applies.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.harness import Result
from benchmarks.workspace import Workspace, progress

BUDGET_S = 0.050


def bench_autosave_ui(ws: Workspace, result: Result) -> None:
    import os

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMainWindow

    from workstation.model import tables
    from workstation.model.commands import EditFields, UpsertRows
    from workstation.model.document import Document
    from workstation.model.workspace import Workspace as Work
    from workstation.ui.autosave import Autosaver

    os.environ["WORKSTATION_DATA_DIR"] = tempfile.mkdtemp(prefix="autosave-bench-")
    app = QApplication.instance() or QApplication([])
    # A document of its own over the same tables (copy-on-write: the shared one is untouched).
    document = Document({name: ws.document.table(name) for name in tables.TABLE_NAMES})
    workspace = Work(document)
    window = QMainWindow()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("autosave/interval_s", 0)  # driven by hand here
    saver = Autosaver(window, settings)  # type: ignore[arg-type]
    saver.attach(workspace)
    import gc

    gc.freeze()  # as the window does once the project is open (MainWindow.open_startup_project)
    first_id = str(document.events["id"].iloc[0])

    def one_autosave(label: str) -> tuple[float, float, float]:
        start = time.perf_counter()
        assert saver.autosave(), label
        handed = time.perf_counter() - start
        longest, last = 0.0, time.perf_counter()
        began = last
        future = saver._future
        assert future is not None
        while not future.done():
            app.processEvents()
            time.sleep(0.001)
            now = time.perf_counter()
            longest, last = max(longest, now - last - 0.001), now
        written = time.perf_counter() - began
        saver.wait()
        if saver.last_error:
            raise AssertionError(saver.last_error)
        return handed, longest, written

    runs: dict[str, list[tuple[float, float, float]]] = {"one event": [], "every event": []}
    for n in range(3):
        progress(f"autosave: one event edited ({n + 1}/3)")
        workspace.stack.push(EditFields(document, "events", first_id, {"title": f"edit {n}"}))
        runs["one event"].append(one_autosave("one"))
    for n in range(2):
        progress(f"autosave: all {len(document.events):,} events edited ({n + 1}/2)")
        every = document.events.assign(title=document.events["title"] + f" {n}")
        workspace.stack.push(UpsertRows("events", every))
        runs["every event"].append(one_autosave("every"))
    saver.closed_cleanly()
    saver.shutdown()
    worst = max(max(handed, stall) for values in runs.values() for handed, stall, _ in values)
    result.measured_s = worst
    result.runs_s = [max(h, s) for values in runs.values() for h, s, _ in values]
    for label, values in runs.items():
        result.details[label] = {
            "UI thread's share (ms)": [round(h * 1000, 1) for h, _, _ in values],
            "longest UI wait while writing (ms)": [round(s * 1000, 1) for _, s, _ in values],
            "written in the background (s)": [round(w, 2) for _, _, w in values],
        }
    result.checks.append("every autosave written without error, off the UI thread")
