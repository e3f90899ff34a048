"""Export benchmark: an SVG of a large timeline must cost about what a PDF of it costs.

Both render the same page through the same code (``workstation.ui.export.render``): an
offscreen copy of the timeline dock over a 100,000-event synthetic project (density mode, as
any chart of more than 50,000 events), sized to a 16:9 slide, with its title, source line and
stamp. The subject writes it with ``QSvgGenerator``, the floor with ``QPdfWriter``. pyqtgraph's
own SVG exporter took ~3,300x its PDF equivalent here (and fails on Qt 6.11).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks.harness import Case, Result, measure, median
from benchmarks.table_bench import _qt
from benchmarks.workspace import Workspace, progress

EVENTS = 100_000


def bench_export_svg(ws: Workspace, result: Result) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter

    from benchmarks.synthetic import synthetic_document
    from workstation.model import briefing
    from workstation.model.workspace import Workspace as Project
    from workstation.ui.export.render import (
        ChartExport,
        page_text,
        timeline_chart,
        write_page,
    )

    _qt()
    progress(f"export: a timeline of {EVENTS:,} synthetic events, as SVG and as PDF")
    project = Project(synthetic_document(EVENTS, seed=ws.seed))
    chart = timeline_chart(project)
    folder = Path(tempfile.mkdtemp(prefix="export-bench-"))
    size = briefing.PRESETS["slide"]
    text = page_text(ChartExport("timeline", folder / "x.svg", size), project, chart)
    sizes: dict[str, int] = {}

    def draw(painter: QPainter, area: QRectF) -> None:
        chart.resize(area.width(), area.height())
        chart.paint(painter, area)

    def writer(kind: str) -> Any:
        def run(_: object) -> None:
            path = folder / f"timeline.{kind}"
            write_page(path, kind, size, 300, text, draw)
            sizes[kind] = path.stat().st_size

        return run

    try:
        times = measure(
            [Case("subject", writer("svg")), Case("floor", writer("pdf"))], ws.fast_repeats
        )
        mode = chart.details["dock"].mode
    finally:
        chart.release()
    result.runs_s, result.floor_runs_s = times["subject"], times["floor"]
    result.measured_s, result.floor_s = median(result.runs_s), median(result.floor_runs_s)
    result.details["files"] = f"SVG {sizes['svg']:,} bytes, PDF {sizes['pdf']:,} bytes"
    result.details["chart"] = f"{EVENTS:,} events drawn as {mode}"
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    if mode != "density":
        raise AssertionError(f"{EVENTS:,} events drawn as {mode}, not as a density")
    result.checks.append("the chart is the aggregated density, not one symbol per event")
