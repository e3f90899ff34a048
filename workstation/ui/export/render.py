"""Charts exported as PNG, SVG and PDF: the dock's own chart, drawn onto a page with a title,
a subtitle, an optional handling banner top and bottom, the source line and the export stamp.

What you see is what you export: the chart is an offscreen copy of the timeline or comparison
dock (the same class, the same workspace, so the same filter, selection, lanes and time range),
sized to the page and painted through ``QPainter`` onto a ``QImage``, a ``QSvgGenerator`` or a
``QPdfWriter`` (pyqtgraph's own SVG exporter fails on Qt 6.11 and it has no PDF exporter).

Every page is laid out in units of 1/96 inch, the resolution widgets are laid out in, so
fonts keep their point size on every device: the SVG and PDF are written at 96 units per
inch (vector, so nothing is lost) and a PNG is the same page scaled to its DPI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView, QWidget

from workstation.model import briefing
from workstation.model.briefing import PageSize
from workstation.model.dates import is_valid_zone
from workstation.model.query_syntax import format_query
from workstation.model.workspace import Workspace

UNITS_PER_INCH = 96  # the page's coordinates: what widgets are laid out in
MARGIN = 0.3 * UNITS_PER_INCH
INK = QColor("#111111")
GREY = QColor("#555555")
BANNER_FILL = QColor("#e6e6e6")  # light grey: the banner reads on paper in black and white


#: Reports progress (0-100, what is being done); returns False to cancel.
Progress = Callable[[int, str], bool]


class CancelledError(Exception):
    """The analyst cancelled an export: nothing was written."""


@dataclass
class PageText:
    """What a page says around its chart (control characters dropped: they are invalid in
    SVG and unsafe in PDF and PPTX)."""

    title: str
    subtitle: str = ""
    banner: str = ""
    source_line: str = ""
    stamp: str = ""

    def __post_init__(self) -> None:
        for name in ("title", "subtitle", "banner", "source_line", "stamp"):
            setattr(self, name, briefing.printable(getattr(self, name)))


@dataclass
class ChartView:
    """A chart ready to draw: a view of the dock's own scene, and how to let it go."""

    view: QGraphicsView
    release: Callable[[], None]
    owner: QWidget | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def resize(self, width: float, height: float) -> None:
        """Make the chart's view exactly ``width`` × ``height`` (page units), so the dock's
        layout (axes, legend, labels) is done for the page, not stretched afterwards."""
        owner = self.owner or self.view
        for _ in range(3):  # the view's share of its dock settles in a step or two
            view = self.view.size()
            extra_w, extra_h = owner.width() - view.width(), owner.height() - view.height()
            owner.resize(round(width) + extra_w, round(height) + extra_h)
            _settle()
            if (self.view.width(), self.view.height()) == (round(width), round(height)):
                break

    def paint(self, painter: QPainter, target: QRectF) -> None:
        """Draw the chart into ``target``, in proportion at any resolution.

        Scatter symbols are drawn as paths (pyqtgraph's export mode), so they stay sharp at
        any DPI and vector in SVG and PDF; their size in screen pixels is scaled with the page
        (``resolutionScale``). Items drawn in device pixels (the legend ignores
        transformations) are scaled with the page too, for the duration of the render."""
        scene = self.view.scene()
        source = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        scale = painter.deviceTransform().m11() * target.width() / max(source.width(), 1.0)
        options = {
            "antialias": True,
            "background": QColor("white"),
            "painter": painter,
            "resolutionScale": scale,
        }
        exporting = [i for i in scene.items() if hasattr(i, "setExportMode")]
        ignoring = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
        fixed = [i for i in scene.items() if i.flags() & ignoring]
        for item in exporting:
            item.setExportMode(True, options)
        for item in fixed:
            item.setFlag(ignoring, False)
        try:
            # Keep the aspect: should the view not reach the page's shape (a dock's minimum
            # size), the chart is centred, never stretched.
            scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
        finally:
            for item in exporting:
                item.setExportMode(False, None)
            for item in fixed:
                item.setFlag(ignoring, True)


def _settle() -> None:
    app = QApplication.instance()
    if app is not None:
        for _ in range(3):
            app.processEvents()


# -- the charts, from the docks -------------------------------------------------------------------
def timeline_chart(workspace: Workspace, like: Any = None) -> ChartView:
    """An offscreen timeline dock on ``workspace``, set like ``like`` (the window's timeline
    dock: its lanes, count track and visible time range) or fitted to everything shown."""
    from workstation.ui.timeline import TimelineDock

    dock = TimelineDock()
    dock.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    dock.graphics.setMinimumHeight(120)  # a small page may want a short chart
    if like is not None:
        dock.lane_mode = like.lane_mode
        dock.count_measure, dock.count_unit = like.count_measure, like.count_unit
    dock.set_workspace(workspace)
    dock.resize(1280, 720)
    dock.show()
    _settle()
    dock.finish_rebuild()
    if like is not None:
        (x0, x1), _ = like.view_box.viewRange()
        dock.set_x_range(x0, x1)
    else:
        dock.fit_all()
    dock.flush()

    def release() -> None:
        dock.detach()
        dock.close()
        dock.deleteLater()

    return ChartView(dock.graphics, release, dock, {"dock": dock})


def comparison_chart(workspace: Workspace, like: Any = None, parameter: str = "") -> ChartView:
    """An offscreen comparison dock on ``workspace``: the chart of one parameter across the
    project's comparison subjects (``parameter``, else the one ``like`` shows, else range)."""
    from workstation.ui.comparison import ComparisonDock
    from workstation.ui.comparison.dock import CHART_TAB

    dock = ComparisonDock()
    dock.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    dock.resize(1280, 900)
    dock.show()
    dock.tabs.setCurrentIndex(CHART_TAB)
    if like is not None:
        dock.set_order(like.order_by, like.claimant_order)
        dock.units = dict(like.units)  # km or miles, Mach or km/h: as the window shows them
        parameter = parameter or str(like.chart_parameter.currentData() or "")
    dock.set_workspace(workspace)
    if not dock.subjects:
        dock.detach()
        dock.deleteLater()
        raise ValueError(
            "the project has no comparison subjects: choose 2 to 6 in the comparison panel"
        )
    if parameter:
        index = dock.chart_parameter.findData(parameter)
        if index < 0:
            dock.detach()
            dock.deleteLater()
            choices = [
                str(dock.chart_parameter.itemData(i)) for i in range(dock.chart_parameter.count())
            ]
            raise ValueError(f"unknown parameter {parameter!r}: use {', '.join(choices)}")
        dock.chart_parameter.setCurrentIndex(index)
    dock.refresh()
    dock._show_chart()
    _settle()

    def release() -> None:
        dock.detach()
        dock.close()
        dock.deleteLater()

    return ChartView(dock.chart.widget, release, dock, {"dock": dock})


def chart_view(kind: str, workspace: Workspace, like: Any = None, parameter: str = "") -> ChartView:
    if kind == "timeline":
        return timeline_chart(workspace, like)
    if kind == "comparison":
        return comparison_chart(workspace, like, parameter)
    raise ValueError(f"unknown chart {kind!r}: use {' or '.join(briefing.CHARTS)}")


# -- the page -------------------------------------------------------------------------------------
def font(points: float, bold: bool = False) -> QFont:
    face = QFont()
    face.setPointSizeF(points)
    face.setBold(bold)
    return face


def paint_page(
    painter: QPainter,
    size: PageSize,
    text: PageText,
    chart: Callable[[QPainter, QRectF], None] | None,
) -> QRectF:
    """Lay out one page in 1/96-inch units: banner, title, subtitle, the chart (or whatever
    ``chart`` draws into the rectangle it is given), source line, stamp, banner. Returns the
    chart's rectangle."""
    width, height = size.width_in * UNITS_PER_INCH, size.height_in * UNITS_PER_INCH
    painter.fillRect(QRectF(0, 0, width, height), QColor("white"))
    top, bottom = MARGIN, height - MARGIN
    left, right = MARGIN, width - MARGIN
    if text.banner:
        band = _banner(painter, text.banner, QRectF(0, 0, width, 0), at_top=True)
        top = band.bottom() + 8
        band = _banner(painter, text.banner, QRectF(0, height, width, 0), at_top=False)
        bottom = band.top() - 8
    top = _line(painter, text.title, font(18, bold=True), INK, left, right, top)
    if text.subtitle:
        top = _line(painter, text.subtitle, font(11), GREY, left, right, top + 2)
    if text.stamp:
        bottom = _line_up(painter, text.stamp, font(8), GREY, left, right, bottom)
    if text.source_line:
        bottom = _wrapped_up(painter, text.source_line, font(8), INK, left, right, bottom - 2)
    area = QRectF(left, top + 8, right - left, max(bottom - top - 16, 10))
    if chart is not None:
        chart(painter, area)
    return area


def _banner(painter: QPainter, words: str, edge: QRectF, at_top: bool) -> QRectF:
    face = font(10, bold=True)
    height = QFontMetricsF(face).height() + 8
    band = QRectF(0, edge.top() if at_top else edge.top() - height, edge.width(), height)
    painter.fillRect(band, BANNER_FILL)
    painter.setFont(face)
    painter.setPen(INK)
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, words)
    return band


def _line(
    painter: QPainter, words: str, face: QFont, colour: QColor, left: float, right: float, y: float
) -> float:
    metrics = QFontMetricsF(face)
    shown = metrics.elidedText(words, Qt.TextElideMode.ElideRight, right - left)
    painter.setFont(face)
    painter.setPen(colour)
    painter.drawText(
        QRectF(left, y, right - left, metrics.height()), Qt.AlignmentFlag.AlignLeft, shown
    )
    return y + metrics.height()


def _line_up(
    painter: QPainter, words: str, face: QFont, colour: QColor, left: float, right: float, y: float
) -> float:
    height = QFontMetricsF(face).height()
    _line(painter, words, face, colour, left, right, y - height)
    return y - height


def _wrapped_up(
    painter: QPainter, words: str, face: QFont, colour: QColor, left: float, right: float, y: float
) -> float:
    """Up to two lines ending at ``y``; the rest is cut with an ellipsis."""
    metrics = QFontMetricsF(face)
    flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
    box = metrics.boundingRect(QRectF(0, 0, right - left, 10_000), flags, words)
    lines = min(2, max(1, round(box.height() / metrics.lineSpacing())))
    height = metrics.lineSpacing() * lines
    shown = words
    if box.height() > height + 1:  # longer than two lines: cut, keep it readable
        while (
            shown
            and metrics.boundingRect(
                QRectF(0, 0, right - left, 10_000), flags, shown + "…"
            ).height()
            > height + 1
        ):
            shown = shown[: int(len(shown) * 0.9)]
        shown = shown.rstrip("; ,") + "…"
    painter.setFont(face)
    painter.setPen(colour)
    painter.drawText(QRectF(left, y - height, right - left, height), flags, shown)
    return y - height


# -- writing files --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChartExport:
    """One chart to one file: what and where, how big, how fine, and what the page says."""

    chart: str
    out: Path
    size: PageSize = briefing.PRESETS["slide"]
    dpi: int = 300
    title: str = ""
    subtitle: str = ""
    banner: str = ""
    parameter: str = ""

    @property
    def format(self) -> str:
        return briefing.output_format(self.out, briefing.CHART_FORMATS)


def page_text(
    spec: ChartExport, workspace: Workspace, chart: ChartView, now: datetime | None = None
) -> PageText:
    """The words around a chart: the title given (else the project's and the chart's), the
    subtitle given (else what is shown), the banner, the source line (the sources of what the
    chart shows) and the stamp."""
    document = workspace.document
    project = str(document.meta.get("title") or "Untitled project")
    dock = chart.details["dock"]
    if spec.chart == "comparison":
        parameter = str(dock.chart_parameter.currentText() or "claims")
        unit = dock.unit_for(str(dock.chart_parameter.currentData() or "range"))
        title = spec.title or f"{project}: {parameter.lower()} compared"
        subjects = ", ".join(s.label for s in dock.subjects)
        subtitle = spec.subtitle or f"{parameter} ({unit}) · {subjects}"
        if "source_line" not in chart.details:
            claim_ids = [i for claim, *_ in dock.chart.drawn for i in claim.ids]
            chart.details["source_line"] = briefing.claims_source_line(document, claim_ids)
    else:
        title = spec.title or f"{project}: timeline"
        subtitle = spec.subtitle or what_is_shown(workspace)
        if "source_line" not in chart.details:  # one per chart: a title typed keeps it
            chart.details["source_line"] = briefing.source_line(document, dock.shown_mask())
    sources = str(chart.details["source_line"])
    return PageText(
        title=title,
        subtitle=subtitle,
        banner=spec.banner.strip(),
        source_line=sources,
        stamp=briefing.stamp(now or datetime.now(UTC), workspace.display_zone()),
    )


def what_is_shown(workspace: Workspace) -> str:
    """``23 of 26 events · filter: system:KN-23 · 2 selected``."""
    document = workspace.document
    parts = [f"{workspace.visible_count():,} of {len(document.events):,} events"]
    query = workspace.effective_query()
    if not query.is_empty:
        zone = str(document.meta.get("default_timezone") or "UTC")
        parts.append(f"filter: {format_query(query, zone if is_valid_zone(zone) else 'UTC')}")
    if workspace.selection:
        parts.append(f"{len(workspace.selection):,} selected")
    return " · ".join(parts)


def export_chart(
    spec: ChartExport,
    workspace: Workspace,
    like: Any = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write one chart. Raises ``ValueError`` (bad format, size, DPI or chart) or ``OSError``
    (the file cannot be written) with a one-line message; nothing is left half-written."""
    kind = spec.format
    if kind == "png":
        briefing.check_dpi(spec.dpi, spec.size)

    def step(percent: int, what: str) -> None:
        if progress is not None and not progress(percent, what):
            raise CancelledError()

    step(0, f"Drawing the {spec.chart}")
    chart = chart_view(spec.chart, workspace, like, spec.parameter)
    try:
        step(30, "Citing the sources")
        text = page_text(spec, workspace, chart, now)

        def draw(painter: QPainter, area: QRectF) -> None:
            step(50, "Laying out the page")
            chart.resize(area.width(), area.height())
            step(60, "Painting")
            chart.paint(painter, area)
            step(90, f"Writing {spec.out.name}")

        with _atomic(spec.out) as temporary:
            write_page(temporary, kind, spec.size, spec.dpi, text, draw)
    finally:
        chart.release()
    step(100, "Done")
    return spec.out


def write_page(
    path: Path,
    kind: str,
    size: PageSize,
    dpi: int,
    text: PageText,
    chart: Callable[[QPainter, QRectF], None] | None,
) -> None:
    """One page to a PNG (``dpi``), SVG or PDF file."""
    width, height = size.width_in * UNITS_PER_INCH, size.height_in * UNITS_PER_INCH
    if kind == "png":
        pixels = size.pixels(dpi)
        image = QImage(pixels[0], pixels[1], QImage.Format.Format_RGB32)
        if image.isNull():  # no memory for it: say so, never paint into nothing
            raise OSError(f"not enough memory for {pixels[0]:,} × {pixels[1]:,} pixels")
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.scale(pixels[0] / width, pixels[1] / height)
        paint_page(painter, size, text, chart)
        painter.end()
        per_metre = round(dpi / 0.0254)
        image.setDotsPerMeterX(per_metre)
        image.setDotsPerMeterY(per_metre)
        if not image.save(str(path), "PNG"):
            raise OSError(f"could not write {path.name}")
    elif kind == "svg":
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setResolution(UNITS_PER_INCH)
        generator.setSize(QSizeF(width, height).toSize())
        generator.setViewBox(QRectF(0, 0, width, height))
        generator.setTitle(text.title)  # PageText has no control characters
        generator.setDescription(text.source_line)
        painter = QPainter(generator)
        paint_page(painter, size, text, chart)
        painter.end()
    elif kind == "pdf":
        writer = pdf_writer(path, size, text.title)
        painter = QPainter(writer)
        paint_page(painter, size, text, chart)
        painter.end()
    else:
        raise ValueError(f"cannot write a page as {kind}")


def pdf_writer(path: Path, size: PageSize, title: str) -> QPdfWriter:
    """A PDF of pages of ``size`` with no margins, at 96 units per inch (see the module doc)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(UNITS_PER_INCH)
    writer.setTitle(title)
    writer.setCreator("Workstation")
    page = QPageSize(QSizeF(size.width_in, size.height_in), QPageSize.Unit.Inch, size.name)
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    return writer


@contextmanager
def _atomic(target: Path) -> Iterator[Path]:
    """Write to a temporary file beside ``target``, then rename it over: a failed or
    interrupted export never leaves a half-written file under the name asked for."""
    folder = target.parent
    if not folder.is_dir():
        raise OSError(f"the folder {folder} does not exist")
    if target.is_dir():
        raise OSError(f"{target} is a folder: give a file name")
    temporary = folder / f".{target.name}.writing{target.suffix}"
    try:
        try:
            yield temporary
            if not temporary.exists() or temporary.stat().st_size == 0:
                raise OSError(f"could not write {target.name}")
            temporary.replace(target)
        except OSError as exc:
            if exc.filename is None:
                raise
            # Name the file asked for, not the temporary one beside it.
            raise OSError(f"could not write {target}: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)
