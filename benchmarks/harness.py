"""Timing, results and reporting shared by every benchmark.

A benchmark times its subject and a *floor* (the cheapest way to do the same job with the same
libraries, measured in the same run) and judges the ratio, never an absolute time, except where
a requirement states an absolute budget. Subject and floor runs are interleaved, alternating
which goes first, so that drift (page cache, CPU frequency, other processes) hits both alike.
"""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any


@dataclass
class Case:
    """One timed operation. ``prepare`` and ``cleanup`` run outside the timed region."""

    label: str
    run: Callable[[Any], object]
    prepare: Callable[[], Any] = lambda: None
    cleanup: Callable[[Any, object], None] = lambda _arg, _out: None


def time_once(case: Case) -> float:
    argument = case.prepare()
    gc.collect()
    start = perf_counter()
    out = case.run(argument)
    elapsed = perf_counter() - start
    case.cleanup(argument, out)
    del out
    return elapsed


def measure(cases: Sequence[Case], repeats: int, warmup: int = 1) -> dict[str, list[float]]:
    """Run every case ``warmup`` times untimed, then ``repeats`` times interleaved."""
    for _ in range(warmup):
        for case in cases:
            time_once(case)
    times: dict[str, list[float]] = {case.label: [] for case in cases}
    for repeat in range(repeats):
        order = list(cases) if repeat % 2 == 0 else list(reversed(cases))
        for case in order:
            times[case.label].append(time_once(case))
    return times


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


@dataclass
class Reference:
    """A well-known alternative, reported for context; it is not the floor."""

    name: str
    how: str
    median_s: float
    runs_s: list[float]


@dataclass
class Result:
    name: str
    subject: str  # what is measured
    goal: str  # human-readable, e.g. "ratio <= 2.0"
    goal_ratio: float | None = None
    goal_abs_s: float | None = None
    measured_s: float = math.nan
    runs_s: list[float] = field(default_factory=list)
    floor_s: float = math.nan
    floor_runs_s: list[float] = field(default_factory=list)
    floor_how: str = ""
    references: list[Reference] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)  # verifications that passed
    error: str | None = None

    @property
    def ratio(self) -> float:
        if not self.floor_s or math.isnan(self.floor_s):
            return math.nan
        return self.measured_s / self.floor_s

    @property
    def passed(self) -> bool:
        if self.error is not None or math.isnan(self.measured_s):
            return False
        ok = True
        if self.goal_ratio is not None:
            ok = ok and self.ratio <= self.goal_ratio
        if self.goal_abs_s is not None:
            ok = ok and self.measured_s <= self.goal_abs_s
        return ok

    @property
    def informational(self) -> bool:
        return self.goal_ratio is None and self.goal_abs_s is None

    @property
    def status(self) -> str:
        if self.error is not None:
            return "ERROR"
        if self.informational:
            return "INFO"
        return "PASS" if self.passed else "FAIL"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = None if math.isnan(self.ratio) else self.ratio
        data["passed"] = self.passed
        data["status"] = self.status
        return _finite(data)


def _finite(value: Any) -> Any:
    """JSON has no NaN: replace it with null, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def fmt_time(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "-"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_ratio(ratio: float) -> str:
    return "-" if math.isnan(ratio) else f"{ratio:.2f}x"


def fmt_runs(runs: Sequence[float]) -> str:
    return ", ".join(fmt_time(r) for r in runs)


def report(results: Sequence[Result]) -> str:
    """The summary table, then each benchmark's floor, references, details and checks."""
    header = ("benchmark", "measured", "floor", "ratio", "goal", "result")
    rows = [
        (r.name, fmt_time(r.measured_s), fmt_time(r.floor_s), fmt_ratio(r.ratio), r.goal, r.status)
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells)).rstrip()

    lines = [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]
    for r in results:
        lines.append("")
        lines.append(f"{r.name} [{r.status}]: {r.subject}")
        if r.error:
            lines.append(f"  error: {r.error}")
        lines.append(f"  measured: {fmt_time(r.measured_s)} median (runs: {fmt_runs(r.runs_s)})")
        lines.append(f"  floor:    {fmt_time(r.floor_s)} median (runs: {fmt_runs(r.floor_runs_s)})")
        lines.append(f"            = {r.floor_how}")
        lines.append(f"  ratio:    {fmt_ratio(r.ratio)}   goal: {r.goal}")
        for ref in r.references:
            vs_subject = ref.median_s / r.measured_s if r.measured_s else math.nan
            vs_floor = ref.median_s / r.floor_s if r.floor_s else math.nan
            lines.append(
                f"  reference: {ref.name}: {fmt_time(ref.median_s)} "
                f"(runs: {fmt_runs(ref.runs_s)}) = {fmt_ratio(vs_subject)} the measured time, "
                f"{fmt_ratio(vs_floor)} the floor"
            )
            lines.append(f"            = {ref.how}")
        for key, value in r.details.items():
            if isinstance(value, float) and key.endswith("_s"):
                key, value = key[:-2], fmt_time(value)
            lines.append(f"  {key}: {value}")
        for check in r.checks:
            lines.append(f"  check ok: {check}")
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    import sqlite3

    import adbc_driver_sqlite
    import numpy
    import pandas
    import pyarrow

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args],
                capture_output=True,
                text=True,
                check=False,
                cwd=Path(__file__).resolve().parent,
            ).stdout.strip()
        except OSError:
            return ""

    commit = git("rev-parse", "--short", "HEAD")
    # Uncommitted changes to the application code make the commit alone not identify it.
    dirty = bool(git("status", "--porcelain", "--", "../workstation"))
    return {
        "python": sys.version.split()[0],
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
        "adbc_driver_sqlite": adbc_driver_sqlite.__version__,
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "git_commit": commit,
        "workstation_has_uncommitted_changes": dirty,
    }


def write_json(path: Path, settings: dict[str, Any], results: Sequence[Result]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "written_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "settings": _finite(settings),
        "environment": environment(),
        "all_passed": all(r.passed for r in results),
        "results": [r.to_json() for r in results],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
