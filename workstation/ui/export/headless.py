"""``workstation export`` and ``workstation brief``: the GUI's export code, with no display.

Qt draws offscreen when there is no display, so these work on a server and in CI. Every
failure is a ``ValueError`` or ``OSError`` with a one-line message, turned into one line on
stderr by the command line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from workstation.model import briefing


def application() -> Any:
    """The running QApplication, or a new offscreen one: these verbs never show a window, and
    a display that is set but gone (ssh, tmux, CI) must not abort them."""
    from PySide6.QtWidgets import QApplication

    running = QApplication.instance()
    if running is not None:
        return running
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QApplication(["workstation"])


def open_workspace(document: Any, query_text: str) -> Any:
    """A workspace on ``document`` filtered by ``query_text`` (the filter bar's language)."""
    from workstation.model.dates import is_valid_zone
    from workstation.model.query_syntax import parse_query
    from workstation.model.workspace import Workspace

    workspace = Workspace(document)
    if query_text.strip():
        zone = str(document.meta.get("default_timezone") or "UTC")
        try:
            query = parse_query(query_text, zone if is_valid_zone(zone) else "UTC")
        except ValueError as exc:
            raise ValueError(f"bad --filter: {exc}") from None
        workspace.set_query(query)
    return workspace


def _check_out(out: Path, force: bool) -> None:
    if out.is_dir():
        raise OSError(f"{out} is a folder: give a file name")
    if out.exists() and not force:
        raise ValueError(f"{out}: already exists (use --force to overwrite)")
    if not out.parent.is_dir():
        raise OSError(f"{out}: the folder {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK):
        raise OSError(f"{out}: the folder {out.parent} is not writable")


def run_export(options: Any, document: Any) -> str:
    from workstation.ui.export.render import ChartExport, export_chart

    kind = briefing.output_format(options.out, briefing.CHART_FORMATS)
    size = briefing.page_size(options.size)
    dpi = briefing.check_dpi(options.dpi, size) if kind == "png" else options.dpi
    _check_out(options.out, options.force)
    application()
    workspace = open_workspace(document, options.filter or "")
    spec = ChartExport(
        chart=options.chart,
        out=options.out,
        size=size,
        dpi=dpi,
        title=options.title or "",
        subtitle=options.subtitle or "",
        banner=_banner(options, document),
        parameter=options.parameter or "",
    )
    export_chart(spec, workspace)
    if options.chart == "comparison":
        return f"wrote the comparison chart to {options.out}"
    return f"wrote the timeline of {workspace.visible_count():,} events to {options.out}"


def run_brief(options: Any, document: Any) -> str:
    from workstation.ui.export.pack import PackExport, export_pack

    briefing.output_format(options.out, briefing.PACK_FORMATS)
    size = briefing.page_size(options.size)
    _check_out(options.out, options.force)
    application()
    workspace = open_workspace(document, options.filter or "")
    spec = PackExport(options.out, _banner(options, document), options.title or "", size)
    export_pack(spec, workspace)
    return f"wrote a briefing pack of {workspace.visible_count():,} events to {options.out}"


def _banner(options: Any, document: Any) -> str:
    """The banner given, else the one last used for this project."""
    if options.banner is not None:
        return str(options.banner)
    return str(document.meta.get(briefing.BANNER_KEY) or "")
