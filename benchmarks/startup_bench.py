"""Start-up benchmarks, each run in fresh processes: time to first paint and time until the
window is interactive on the seed project.

How a run is timed: the parent reads ``CLOCK_MONOTONIC`` (system-wide on Linux and macOS) just
before ``Popen`` and passes it to the child in ``WS_BENCH_T0_NS``; the child
(``benchmarks/startup_child.py``) reads the same clock at the moments that matter and prints
them relative to that timestamp. A measured time therefore runs from "the parent asks for the
process" to the moment inside the child: fork/exec, interpreter start-up, ``site``, imports,
the window, the paint. Tear-down is never charged (the child leaves with ``os._exit`` right
after printing). ``python -c pass`` is timed too (parent side, spawn to exit) and reported, so
that the share of the bare interpreter is visible.

Every run gets its own temporary folder: a private ``WORKSTATION_DATA_DIR``, a fresh copy of
``data/seed.wsproj`` and a fresh QSettings ini file, so no run sees what an earlier one wrote.
Subject and floor runs are interleaved (alternating which goes first) after one untimed
warm-up run of each (bytecode caches, page cache).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import Reference, Result, median
from benchmarks.workspace import Workspace, progress

CHILD = Path(__file__).resolve().parent / "startup_child.py"
REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "seed.wsproj"
SEED_EVENTS = 26
TIMEOUT_S = 120
HEAVY_FLOOR_IMPORTS = ("numpy", "pandas", "pyqtgraph")
NOT_TIMES = frozenset({"rows"})


def _clock_ns() -> int:
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def run_child(mode: str, folder: Path) -> dict[str, Any]:
    """One fresh process in ``mode``; its marks in seconds since the parent's ``Popen``."""
    run_dir = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=folder))
    try:
        project = run_dir / "seed.wsproj"
        shutil.copyfile(SEED, project)
        env = dict(os.environ)
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["WORKSTATION_DATA_DIR"] = str(run_dir / "data")
        env.pop("PYTHONPROFILEIMPORTTIME", None)
        command = [sys.executable, str(CHILD), mode, str(project), str(run_dir / "settings.ini")]
        env["WS_BENCH_T0_NS"] = str(_clock_ns())
        child = subprocess.Popen(
            command,
            env=env,
            cwd=run_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            stdout, stderr = child.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise AssertionError(f"{mode}: the child did not finish in {TIMEOUT_S} s") from None
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    for line in stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            marks: dict[str, Any] = json.loads(line[len("BENCH-RESULT ") :])
            # Times come as integer nanoseconds since t0; everything else is not a time.
            return {
                key: value / 1e9 if key not in NOT_TIMES and type(value) is int else value
                for key, value in marks.items()
            }
    raise AssertionError(
        f"{mode}: no result (exit {child.returncode}): {stdout[-1000:]} {stderr[-2000:]}"
    )


def python_pass_s() -> float:
    """Spawn to exit of ``python -c pass`` (the bare interpreter), timed by the parent."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = _clock_ns()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    return (_clock_ns() - start) / 1e9


def interleaved(
    modes: tuple[str, str], folder: Path, repeats: int, with_python: bool = False
) -> tuple[dict[str, list[dict[str, Any]]], list[float]]:
    """One untimed warm-up run per mode, then ``repeats`` runs of each, alternating order."""
    for mode in modes:
        run_child(mode, folder)
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
    python_runs: list[float] = []
    if with_python:
        python_pass_s()
    for repeat in range(repeats):
        order = modes if repeat % 2 == 0 else tuple(reversed(modes))
        for mode in order:
            runs[mode].append(run_child(mode, folder))
        if with_python:
            python_runs.append(python_pass_s())
    return runs, python_runs


def _series(runs: list[dict[str, Any]], key: str) -> list[float]:
    return [float(run[key]) for run in runs]


def _phases(runs: list[dict[str, Any]], keys: list[str]) -> str:
    """Median time of each phase between consecutive marks, e.g. 'interpreter 18 ms'."""
    parts = []
    previous = None
    for key in keys:
        values = [
            float(run[key]) - (float(run[previous]) if previous else 0.0)
            for run in runs
            if key in run
        ]
        parts.append(f"{key} +{median(values) * 1e3:.0f} ms")
        previous = key
    return ", ".join(parts)


PAINT_PHASES = ["script_top", "qt_imported", "app_created", "window_created", "shown", "paint"]


def _check_no_heavy_imports(runs: list[dict[str, Any]], label: str) -> None:
    for run in runs:
        if run.get("heavy_before_show") or run.get("heavy_at_frame"):
            raise AssertionError(
                f"{label}: heavy modules were imported before the first paint: "
                f"{run.get('heavy_before_show')} / {run.get('heavy_at_frame')}"
            )


# -- first paint ------------------------------------------------------------------------------
def bench_first_paint(ws: Workspace, result: Result) -> None:
    repeats = ws.startup_repeats
    progress(f"first paint: {repeats} fresh processes each, MainWindow vs bare QMainWindow")
    runs, python_runs = interleaved(
        ("subject_paint", "floor_paint"), ws.folder, repeats, with_python=True
    )
    subject, floor = runs["subject_paint"], runs["floor_paint"]
    result.runs_s = _series(subject, "frame_done")
    result.floor_runs_s = _series(floor, "frame_done")
    result.measured_s, result.floor_s = median(result.runs_s), median(result.floor_runs_s)

    _check_no_heavy_imports(subject, "MainWindow")
    _check_no_heavy_imports(floor, "floor")
    if any(run.get("views_built_at_frame") for run in subject):
        raise AssertionError("the measured frame came after build_views (not the first paint)")
    result.checks += [
        "no numpy / pandas / pyarrow / pyqtgraph in sys.modules before or at the first paint "
        "(subject and floor)",
        "the measured frame is the first one: build_views had not run yet (the deferred load "
        "is still queued when the child exits)",
    ]

    python_median = median(python_runs)
    result.references.append(
        Reference(
            "python -c pass",
            "spawn to exit of the bare interpreter (parent side), interleaved with the runs: "
            "the part of both times that no application code can remove",
            python_median,
            python_runs,
        )
    )
    paint_event = _series(subject, "paint")
    floor_paint_event = _series(floor, "paint")
    result.details["paint event reaches the window (before its paintEvent)"] = (
        f"{median(paint_event) * 1e3:.1f} ms vs floor {median(floor_paint_event) * 1e3:.1f} ms "
        f"= {median(paint_event) / median(floor_paint_event):.2f}x"
    )
    without_python = (result.measured_s - python_median) / (result.floor_s - python_median)
    result.details["ratio without the bare interpreter (both minus python -c pass)"] = (
        f"{without_python:.2f}x"
    )
    result.details["subject phases (medians, since Popen)"] = _phases(subject, PAINT_PHASES)
    result.details["floor phases (medians, since Popen)"] = _phases(floor, PAINT_PHASES)
    result.details["first frame painted (paint event to frame done), subject / floor"] = (
        f"{median([r['frame_done'] - r['paint'] for r in subject]) * 1e3:.1f} ms / "
        f"{median([r['frame_done'] - r['paint'] for r in floor]) * 1e3:.1f} ms"
    )


# -- interactive ------------------------------------------------------------------------------
def bench_interactive(ws: Workspace, result: Result) -> None:
    repeats = ws.startup_repeats
    progress(f"interactive: {repeats} fresh processes each, seed project vs paint + imports")
    runs, _ = interleaved(("subject_interactive", "floor_interactive"), ws.folder, repeats)
    subject, floor = runs["subject_interactive"], runs["floor_interactive"]
    result.runs_s = _series(subject, "idle")
    result.floor_runs_s = _series(floor, "idle")
    result.measured_s, result.floor_s = median(result.runs_s), median(result.floor_runs_s)

    for run in subject:
        if run.get("rows") != SEED_EVENTS:
            raise AssertionError(f"the event table shows {run.get('rows')} rows, not 26")
        if not run["paint"] < run["loaded"] < run["paint_after_load"] < run["idle"]:
            raise AssertionError(f"marks out of order: {run}")
    for run in floor:
        missing = [name for name in HEAVY_FLOOR_IMPORTS if name not in run.get("imported", [])]
        if missing:
            raise AssertionError(f"the floor did not import {missing}")
    _check_no_heavy_imports(subject, "MainWindow")
    result.checks += [
        f"every run loaded the seed copy: window.workspace set, event table rowCount() == "
        f"{SEED_EVENTS}",
        "order of marks: first paint < project loaded < next paint of the window < idle",
        "the floor had numpy, pandas and pyqtgraph in sys.modules when it finished",
    ]
    subject_load = [r["loaded"] - r["load_started"] for r in subject]
    floor_imports = [r["loaded"] - r["frame_done"] for r in floor]
    result.details["subject phases (medians, since Popen)"] = _phases(
        subject, ["frame_done", "load_started", "loaded", "paint_after_load", "idle"]
    )
    result.details["floor phases (medians, since Popen)"] = _phases(
        floor, ["frame_done", "loaded", "idle"]
    )
    result.details["deferred start-up (build_views + store.load + set_document)"] = (
        f"{median(subject_load) * 1e3:.0f} ms vs the floor's imports "
        f"(numpy, pandas, pyqtgraph) {median(floor_imports) * 1e3:.0f} ms"
    )
    result.details["first paint in these runs, subject / floor"] = (
        f"{median(_series(subject, 'frame_done')) * 1e3:.0f} ms / "
        f"{median(_series(floor, 'frame_done')) * 1e3:.0f} ms"
    )
    result.details["modules the subject never imported that the floor did"] = (
        ", ".join(sorted(set(floor[0].get("imported", [])) - set(subject[0].get("imported", []))))
        or "none"
    )
