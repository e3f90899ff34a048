"""What the lanes plot draws, one class per layer: glyphs, density, selection, pins and
reference lines. Layers only draw what the dock hands them; they hold no state of their own
beyond their graphics items.

Pens and brushes are made once per category (:class:`Styles`) and shared by every item, and
each lane is one ``ScatterPlotItem``: the cheap path through pyqtgraph (see
docs/PERFORMANCE-NOTES: one item per point, or ``PlotDataItem(symbol=…)``, is 10-20x slower).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen

from workstation.model.timeline import BAR, POINT, SPAN, Lanes, Pins, ReferenceLine
from workstation.ui import categories

GLYPH_SIZE = 11
LABEL_PIXELS = 22  # room a "×2" label needs to the right of its glyph
MAX_COUNT_LABELS = 1500  # "×2" labels beyond this many would be unreadable anyway
MAX_SELECTION_RINGS = 5000  # more selected glyphs than this show as a selection density
PIN_OFFSET = 0.36  # pins sit this far above their glyph (in lanes)
RANGE_STRIP_Y = -0.72  # annotations on a time range: a strip above the first lane
SELECTED = QColor("#000000")


def _pen(
    colour: str | QColor, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine
) -> QPen:
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)  # widths in pixels, whatever the zoom
    return pen


class Styles:
    """Shared brushes, pens and symbols for the categories of one lane set."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)
        styled = [categories.style(name) for name in self.names]
        self.colour = [colour for colour, _ in styled]
        self.symbol = [categories.shape_path(shape, 1.0) for _, shape in styled]
        self.brush = [QBrush(colour) for colour in self.colour]
        self.bar_brush = []
        self.span_brush = []
        self.span_pen = []
        for colour in self.colour:
            light = QColor(colour)
            light.setAlpha(150)
            self.bar_brush.append(QBrush(light))
            # An imprecise date: hatched, so it reads as "somewhere in here" even on a grey
            # printout. The outline is solid: a dashed cosmetic pen over hundreds of month
            # spans made zoomed-in frames at 1M events five times slower.
            self.span_brush.append(QBrush(colour, Qt.BrushStyle.BDiagPattern))
            self.span_pen.append(_pen(colour, 1.0))
        self.outline = _pen("#333333", 0.8)
        self.bar_pen = _pen("#333333", 0.8)


class GlyphLayer:
    """Glyphs zoomed in: one scatter item per lane, bars for durations, hatched spans for
    dates known only to the month or year, and "×N" missile counts."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        self.scatters: list[pg.ScatterPlotItem] = []
        self.bars = pg.BarGraphItem(x0=[], x1=[], y0=[], height=[])
        self.spans = pg.BarGraphItem(x0=[], x1=[], y0=[], height=[])
        self.labels: list[pg.TextItem] = []
        for item in (self.bars, self.spans):
            item.setZValue(5)
            plot.addItem(item)
        self.shown = np.zeros(0, dtype=np.int64)  # the glyph indices drawn
        self.cleared = True  # nothing drawn: clear() has nothing to do

    def _ensure_lanes(self, count: int) -> None:
        while len(self.scatters) < count:
            item = pg.ScatterPlotItem(pxMode=True, size=GLYPH_SIZE, hoverable=False)
            item.setZValue(10)
            self.plot.addItem(item)
            self.scatters.append(item)

    def show(self, lanes: Lanes, shown: np.ndarray, styles: Styles) -> None:
        """Draw the glyphs ``shown`` (indices into ``lanes``)."""
        self.shown = shown
        self.cleared = False
        self._ensure_lanes(len(lanes.names))
        kinds = lanes.kind[shown]
        points = shown[kinds == POINT]
        order = points[np.argsort(lanes.lane[points], kind="stable")]
        edges = np.searchsorted(lanes.lane[order], np.arange(len(lanes.names) + 1))
        for lane, item in enumerate(self.scatters):
            if lane >= len(lanes.names):
                item.setData(x=[], y=[])
                item.setVisible(False)
                continue
            here = order[edges[lane] : edges[lane + 1]]
            item.setVisible(len(here) > 0)
            cats = lanes.category[here]
            if len(here) and (cats == cats[0]).all():
                symbol: object = styles.symbol[cats[0]]
                brush: object = styles.brush[cats[0]]
            else:
                symbol = [styles.symbol[c] for c in cats]
                brush = [styles.brush[c] for c in cats]
            item.setData(
                x=lanes.x[here],
                y=np.full(len(here), float(lane)),
                symbol=symbol,
                brush=brush,
                pen=styles.outline,
                size=GLYPH_SIZE,
            )
        self._show_bars(self.bars, lanes, shown[kinds == BAR], styles, 0.18, span=False)
        self._show_bars(self.spans, lanes, shown[kinds == SPAN], styles, 0.3, span=True)

    def _show_bars(
        self,
        item: pg.BarGraphItem,
        lanes: Lanes,
        which: np.ndarray,
        styles: Styles,
        half: float,
        span: bool,
    ) -> None:
        cats = lanes.category[which]
        geometry = {
            "x0": lanes.x[which],
            "x1": lanes.x_end[which],
            "y0": lanes.lane[which] - half,
            "height": np.full(len(which), 2 * half),
        }
        if not len(which):
            # pyqtgraph 0.14 fails on an empty ``pens`` list: give shared ones instead.
            item.setOpts(**geometry, pens=None, brushes=None, pen=styles.bar_pen, brush=None)
        elif span:
            item.setOpts(
                **geometry,
                brushes=[styles.span_brush[c] for c in cats],
                pens=[styles.span_pen[c] for c in cats],
            )
        else:
            item.setOpts(
                **geometry,
                brushes=[styles.bar_brush[c] for c in cats],
                pens=None,
                pen=styles.bar_pen,
            )
        item.setVisible(len(which) > 0)

    def show_counts(self, lanes: Lanes, x0: float, x1: float, pixel: float) -> None:
        """ "×N" beside the glyphs in [x0, x1] with a missile count above one, where there is
        room: a label is dropped when another glyph of its lane is within a label's width."""
        shown = self.shown
        in_view = shown[(lanes.x[shown] >= x0) & (lanes.x[shown] <= x1)]
        labelled = lanes.missiles[in_view] > 1
        if labelled.any():
            order = np.lexsort((lanes.x[in_view], lanes.lane[in_view]))
            xs, lane_of = lanes.x[in_view][order], lanes.lane[in_view][order]
            gap_after = np.full(len(xs), np.inf)
            gap_after[:-1] = np.where(lane_of[1:] == lane_of[:-1], xs[1:] - xs[:-1], np.inf)
            room = np.empty(len(xs), dtype=bool)
            room[order] = gap_after > LABEL_PIXELS * pixel
            labelled &= room
        several = in_view[labelled][:MAX_COUNT_LABELS]
        while len(self.labels) < len(several):
            label = pg.TextItem(anchor=(0, 1.0), color="#222222")
            label.setZValue(12)
            self.plot.addItem(label)
            self.labels.append(label)
        for label, glyph in zip(self.labels, several, strict=False):
            label.setText(f"×{lanes.missiles[glyph]}")
            label.setPos(float(lanes.x[glyph]), float(lanes.lane[glyph]) - 0.08)
            label.setVisible(True)
        for label in self.labels[len(several) :]:
            label.setVisible(False)

    def clear(self) -> None:
        if self.cleared:  # every density frame calls this: emptying empty items is not free
            return
        for item in self.scatters:
            item.setData(x=[], y=[])
            item.setVisible(False)
        for bars in (self.bars, self.spans):
            bars.setVisible(False)
        for label in self.labels:
            label.setVisible(False)
        self.shown = np.zeros(0, dtype=np.int64)
        self.cleared = True

    def count_labels(self) -> list[str]:
        return [label.toPlainText() for label in self.labels if label.isVisible()]


class DensityLayer:
    """More glyphs than the eye can tell apart: counts per lane and time bin, as an image
    (one row per lane, the lane's colour, opacity growing with the log of the count)."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(2)
        self.selected = pg.ImageItem(axisOrder="row-major")
        self.selected.setZValue(3)
        plot.addItem(self.image)
        plot.addItem(self.selected)
        self.counts = np.zeros((0, 0), dtype=np.int64)
        self.x0 = self.x1 = 0.0
        self.clear()

    def show(
        self,
        counts: np.ndarray,
        x0: float,
        x1: float,
        colours: Sequence[QColor],
        selected: np.ndarray | None = None,
    ) -> None:
        self.counts, self.x0, self.x1 = counts, x0, x1
        lanes = counts.shape[0]
        rect = QRectF(x0, -0.5, max(x1 - x0, 1e-9), lanes)
        rgb = np.array([[c.red(), c.green(), c.blue()] for c in colours], dtype=np.uint8)
        self.image.setImage(_rgba(counts, rgb), autoLevels=False, levels=(0, 255))
        self.image.setRect(rect)
        self.image.setVisible(True)
        if selected is not None and selected.any():
            black = np.zeros((lanes, 3), dtype=np.uint8)
            self.selected.setImage(_rgba(selected, black), autoLevels=False, levels=(0, 255))
            self.selected.setRect(rect)
            self.selected.setVisible(True)
        else:
            self.selected.setVisible(False)

    def count_at(self, x: float, lane: int) -> tuple[int, float, float] | None:
        """(count, bin start, bin end) under a point, for the tooltip."""
        lanes, bins = self.counts.shape if self.counts.ndim == 2 else (0, 0)
        if not (0 <= lane < lanes and bins and self.x0 <= x < self.x1):
            return None
        width = (self.x1 - self.x0) / bins
        b = min(int((x - self.x0) / width), bins - 1)
        return int(self.counts[lane, b]), self.x0 + b * width, self.x0 + (b + 1) * width

    @property
    def visible(self) -> bool:
        return self.image.isVisible()

    def clear(self) -> None:
        self.image.setVisible(False)
        self.selected.setVisible(False)
        self.counts = np.zeros((0, 0), dtype=np.int64)


def _rgba(counts: np.ndarray, rgb: np.ndarray) -> np.ndarray:
    lanes, bins = counts.shape
    image = np.empty((lanes, bins, 4), dtype=np.uint8)
    image[..., :3] = rgb[:, None, :]
    top = np.log1p(counts.max()) if counts.size and counts.max() > 0 else 1.0
    alpha = np.where(counts > 0, 60 + 195 * np.log1p(counts) / top, 0)
    image[..., 3] = alpha.astype(np.uint8)
    return image


class SelectionLayer:
    """Rings around the selected glyphs (in every lane the event sits in), and outlines
    around selected bars and spans."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.rings = pg.ScatterPlotItem(
            pxMode=True, size=GLYPH_SIZE + 9, symbol="o", brush=None, pen=_pen(SELECTED, 2.4)
        )
        self.rings.setZValue(20)
        self.outlines = pg.BarGraphItem(
            x0=[], x1=[], y0=[], height=[], brush=None, pen=_pen(SELECTED, 2.4)
        )
        self.outlines.setZValue(19)
        plot.addItem(self.rings)
        plot.addItem(self.outlines)
        self.shown = np.zeros(0, dtype=np.int64)

    def show(self, lanes: Lanes, selected: np.ndarray) -> None:
        """``selected``: glyph indices (already limited to the view)."""
        selected = selected[:MAX_SELECTION_RINGS]
        self.shown = selected
        points = selected[lanes.kind[selected] == POINT]
        self.rings.setData(x=lanes.x[points], y=lanes.lane[points].astype(float))
        long = selected[lanes.kind[selected] != POINT]
        self.outlines.setOpts(
            x0=lanes.x[long],
            x1=lanes.x_end[long],
            y0=lanes.lane[long] - 0.32,
            height=np.full(len(long), 0.64),
        )
        self.outlines.setVisible(len(long) > 0)

    def clear(self) -> None:
        self.rings.setData(x=[], y=[])
        self.outlines.setVisible(False)
        self.shown = np.zeros(0, dtype=np.int64)


def pin_path() -> QPainterPath:
    """A map pin pointing down at its glyph, in a unit box."""
    path = QPainterPath()
    path.addEllipse(QPointF(0, -0.18), 0.3, 0.3)
    path.moveTo(-0.22, -0.02)
    path.lineTo(0, 0.5)
    path.lineTo(0.22, -0.02)
    path.closeSubpath()
    return path


class PinLayer:
    """Annotation pins: above their event's glyph (in every lane it sits in), or at the
    start of a time range with a strip along the range."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.pins = pg.ScatterPlotItem(pxMode=True, size=13, symbol=pin_path())
        self.pins.setZValue(30)
        self.strips = pg.BarGraphItem(
            x0=[],
            x1=[],
            y0=[],
            height=[],
            brush=QBrush(QColor(90, 90, 90, 90)),
            pen=_pen("#555555"),
        )
        self.strips.setZValue(29)
        plot.addItem(self.pins)
        plot.addItem(self.strips)
        # Shared by every pin: pyqtgraph caches a rendered symbol per pen and brush *object*,
        # so a new pen per pin rendered (and cached) every pin's symbol on every show.
        self.brushes = (QBrush(QColor("#5a5a5a")), QBrush(QColor("#000000")))
        self.pens = (_pen("#ffffff", 0.8), _pen("#FFD800", 1.6))
        # What is drawn, for hit tests: the pin index and where it sits.
        self.index = np.zeros(0, dtype=np.int64)
        self.x = np.zeros(0)
        self.y = np.zeros(0)

    def show(self, pins: Pins, lanes: Lanes, selected: frozenset[str], keep: np.ndarray) -> None:
        """``keep``: per glyph, whether the filters show it (a hidden event shows no pin)."""
        order = np.flatnonzero(keep)  # glyphs come in ascending event row (see Lanes)
        rows_sorted = lanes.row[order]
        index: list[np.ndarray] = []
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        on_event = np.flatnonzero(pins.row >= 0)
        if len(on_event):
            first = np.searchsorted(rows_sorted, pins.row[on_event], side="left")
            last = np.searchsorted(rows_sorted, pins.row[on_event], side="right")
            repeats = last - first
            pin_of = np.repeat(on_event, repeats)
            # the k-th copy of a pin goes to the k-th glyph of its event
            nth = np.arange(repeats.sum()) - np.repeat(np.cumsum(repeats) - repeats, repeats)
            glyph = order[np.repeat(first, repeats) + nth]
            index.append(pin_of)
            xs.append(lanes.x[glyph])
            ys.append(lanes.lane[glyph] - PIN_OFFSET)
        on_range = np.flatnonzero(pins.row < 0)
        index.append(on_range)
        xs.append(pins.x[on_range])
        ys.append(np.full(len(on_range), RANGE_STRIP_Y - 0.12))
        self.index = np.concatenate(index).astype(np.int64)
        self.x = np.concatenate(xs).astype(float)
        self.y = np.concatenate(ys).astype(float)
        chosen = np.array([pins.annotation[i] in selected for i in self.index], dtype=bool)
        self.pins.setData(
            x=self.x,
            y=self.y,
            brush=[self.brushes[c] for c in chosen.tolist()],
            pen=[self.pens[c] for c in chosen.tolist()],
            size=[17 if c else 13 for c in chosen],
        )
        self.strips.setOpts(
            x0=pins.x[on_range],
            x1=pins.x_end[on_range],
            y0=np.full(len(on_range), RANGE_STRIP_Y - 0.04),
            height=np.full(len(on_range), 0.08),
        )
        self.strips.setVisible(len(on_range) > 0)


class ReferenceLayer:
    """Labelled vertical lines at reference dates, on the lanes and (unlabelled) on the
    count track so the two read together."""

    def __init__(self, plots: Sequence[pg.PlotItem]) -> None:
        self.plots = list(plots)
        self.lines: list[list[pg.InfiniteLine]] = [[] for _ in self.plots]
        self.shown: list[ReferenceLine] = []

    def show(self, references: Sequence[ReferenceLine]) -> None:
        if list(references) == self.shown:
            return
        self.shown = list(references)
        for plot, lines in zip(self.plots, self.lines, strict=True):
            for line in lines:
                plot.removeItem(line)
            lines.clear()
        styles = {
            "event": ("#7a4a00", Qt.PenStyle.DashLine),
            "anniversary": ("#7a4a00", Qt.PenStyle.DotLine),
            "user": ("#0072B2", Qt.PenStyle.DashDotLine),
        }
        for reference in self.shown:
            colour, style = styles[reference.origin]
            for n, (plot, lines) in enumerate(zip(self.plots, self.lines, strict=True)):
                labelled = n == 0
                line = pg.InfiniteLine(
                    pos=reference.x,
                    angle=90,
                    movable=False,
                    pen=_pen(colour, 1.2, style),
                    label=reference.label if labelled else None,
                    labelOpts={
                        # Written along the line, near the top, so that labels of nearby
                        # dates neither overlap each other nor run off the plot.
                        "position": 0.02,
                        "rotateAxis": (1, 0),
                        "anchors": [(0, 1), (0, 1)],
                        "color": colour,
                        "fill": (255, 255, 255, 200),
                    }
                    if labelled
                    else None,
                )
                line.setZValue(1)
                plot.addItem(line)
                lines.append(line)

    def labels(self) -> list[str]:
        return [reference.label for reference in self.shown]
