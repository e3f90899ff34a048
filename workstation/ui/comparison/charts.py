"""The comparison's two pyqtgraph charts.

:class:`ParameterChart`: one parameter across the chosen subjects, every claim drawn by what it
says (:func:`workstation.model.comparison.glyph`): a point; an approximation as a marker with a
band; an upper bound as the claimant's marker at the bound with a stem going down to an arrow
(open: no cap, no bar from zero); a lower bound likewise upwards; a range as an interval with
caps. Claimants are told apart by marker, and the legend says which is which.

:class:`ApogeeRangeChart`: every test with range and apogee claims, coloured by system, with
linked selection and labelled distance lines.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen

from workstation.model import comparison as cmp
from workstation.ui import categories
from workstation.ui.timeline.view_box import TimelineViewBox

CLAIMANT_SYMBOLS = ["o", "s", "d", "star", "h", "p", "t2", "t3", "+", "x"]
CLAIMANT_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
STEM_FRACTION = 0.22  # a bound's open stem, as a fraction of the largest value shown
BAND_HALF_WIDTH = 0.025  # of one subject's slot


def _pen(
    colour: str | QColor, width: float = 1.4, style: Qt.PenStyle = Qt.PenStyle.SolidLine
) -> QPen:
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)
    return pen


def cap_path() -> QPainterPath:
    """A short horizontal bar: the closed end of an interval."""
    path = QPainterPath()
    path.moveTo(-0.5, 0)
    path.lineTo(0.5, 0)
    return path


class ParameterChart:
    """One parameter across subjects; ``drawn`` keeps every claim's glyph for inspection."""

    def __init__(self) -> None:
        self.widget = pg.PlotWidget(background="w")
        self.widget.setObjectName("parameterChart")
        self.plot: pg.PlotItem = self.widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=True, alpha=0.2)
        self.plot.setMouseEnabled(x=False, y=True)
        self.stems = pg.PlotDataItem(connect="pairs", pen=_pen("#444444", 1.6))
        self.bands = pg.BarGraphItem(x0=[], x1=[], y0=[], height=[], brush=QColor(0, 0, 0, 40))
        self.arrows = pg.ScatterPlotItem(
            pxMode=True, size=12, pen=_pen("#444444"), brush=QBrush(QColor("#444444"))
        )
        self.caps = pg.ScatterPlotItem(
            pxMode=True, size=14, symbol=cap_path(), pen=_pen("#444444", 1.6)
        )
        self.markers = pg.ScatterPlotItem(pxMode=True, size=11)
        for z, item in enumerate((self.bands, self.stems, self.caps, self.arrows, self.markers)):
            item.setZValue(z)
            self.plot.addItem(item)
        self.legend = self.plot.addLegend(offset=(6, 6), labelTextSize="8pt")
        #: (claim, subject index, x, glyph) for every drawn claim.
        self.drawn: list[tuple[cmp.Claim, int, float, cmp.Glyph]] = []
        self.claimant_symbols: dict[str, str] = {}

    def show(
        self,
        parameter: str,
        unit: str,
        subjects: Sequence[cmp.Subject],
        cells: Sequence[Sequence[cmp.Claim]],
        claimants: Sequence[str],
    ) -> None:
        self.claimant_symbols = {
            name: CLAIMANT_SYMBOLS[i % len(CLAIMANT_SYMBOLS)] for i, name in enumerate(claimants)
        }
        colours = {
            name: CLAIMANT_COLOURS[i % len(CLAIMANT_COLOURS)] for i, name in enumerate(claimants)
        }
        usable_cells = [[c for c in cell if cmp.comparable(c.measurement, unit)] for cell in cells]
        top = max(
            (cmp.glyph(c.measurement, unit, 0).high for cell in usable_cells for c in cell),
            default=1.0,
        )
        stem = max(top, 1e-9) * STEM_FRACTION
        self.drawn = []
        for index, usable in enumerate(usable_cells):
            for k, claim in enumerate(usable):
                offset = (k - (len(usable) - 1) / 2) * min(0.5 / max(len(usable), 1), 0.14)
                # A stem below an upper bound stops short of zero: these quantities are
                # positive, and an arrow into negative values would say otherwise.
                value = cmp.glyph(claim.measurement, unit, 0).value
                own = min(stem, value * 0.6) if value > 0 else stem
                self.drawn.append(
                    (claim, index, index + offset, cmp.glyph(claim.measurement, unit, own))
                )
        segments: list[tuple[float, float]] = []
        arrows_x, arrows_y, arrow_symbols = [], [], []
        caps_x, caps_y = [], []
        bands = []
        marks_x, marks_y, marks_symbol, marks_brush = [], [], [], []
        for claim, _, x, g in self.drawn:
            if g.kind in ("upper", "lower", "interval"):
                segments += [(x, g.low), (x, g.high)]
            if g.open_end == "down":
                arrows_x.append(x)
                arrows_y.append(g.low)
                arrow_symbols.append("t")  # pointing down, at the open end
            elif g.open_end == "up":
                arrows_x.append(x)
                arrows_y.append(g.high)
                arrow_symbols.append("t1")
            if g.kind == "interval":
                caps_x += [x, x]
                caps_y += [g.low, g.high]
            if g.kind == "approximate":
                bands.append((x, g.low, g.high))
            marks_x.append(x)
            marks_y.append(g.value)
            marks_symbol.append(self.claimant_symbols.get(claim.claimant, "o"))
            marks_brush.append(QBrush(QColor(colours.get(claim.claimant, "#555555"))))
        xy = np.array(segments, dtype=float).reshape(-1, 2)
        self.stems.setData(xy[:, 0], xy[:, 1])
        self.arrows.setData(x=arrows_x, y=arrows_y, symbol=arrow_symbols)
        self.caps.setData(x=caps_x, y=caps_y)
        if bands:
            self.bands.setOpts(
                x0=[b[0] - BAND_HALF_WIDTH for b in bands],
                x1=[b[0] + BAND_HALF_WIDTH for b in bands],
                y0=[b[1] for b in bands],
                height=[b[2] - b[1] for b in bands],
            )
        self.bands.setVisible(bool(bands))
        self.markers.setData(
            x=marks_x, y=marks_y, symbol=marks_symbol, brush=marks_brush, pen=_pen("#222222", 0.8)
        )
        axis = self.plot.getAxis("bottom")
        axis.setTicks([[(i, s.label) for i, s in enumerate(subjects)], []])
        self.plot.setLabel("left", f"{cmp.PARAMETER_LABELS.get(parameter, parameter)} ({unit})")
        self.plot.setXRange(-0.6, max(len(subjects) - 0.4, 0.6), padding=0)
        # Every glyph in view, arrowheads included: a cut-off stem would read like a bar.
        low = min((g.low for *_, g in self.drawn), default=0.0)
        high = max((g.high for *_, g in self.drawn), default=1.0)
        self.plot.setYRange(min(0.0, low), high * 1.1 + stem * 0.1, padding=0)
        self._legend(colours)

    def _legend(self, colours: dict[str, str]) -> None:
        self.legend.clear()
        shown = dict.fromkeys(claim.claimant for claim, *_ in self.drawn)
        for name in shown:
            sample = pg.ScatterPlotItem(
                symbol=self.claimant_symbols.get(name, "o"),
                brush=QBrush(QColor(colours.get(name, "#555555"))),
                pen=_pen("#222222", 0.8),
                size=10,
            )
            self.legend.addItem(sample, html.escape(name))
        kinds = {g.kind for *_, g in self.drawn}
        if "upper" in kinds:
            self.legend.addItem(
                pg.ScatterPlotItem(symbol="t", brush="#444444", size=10),
                "▼ upper bound (open below)",
            )
        if "lower" in kinds:
            self.legend.addItem(
                pg.ScatterPlotItem(symbol="t1", brush="#444444", size=10),
                "▲ lower bound (open above)",
            )
        if "approximate" in kinds:
            band = pg.BarGraphItem(x0=[0], x1=[1], y0=[0], height=[1], brush=QColor(0, 0, 0, 40))
            self.legend.addItem(band, f"approximate (band ±{cmp.APPROXIMATE_SLACK:.0%})")
        if "interval" in kinds:
            self.legend.addItem(
                pg.ScatterPlotItem(symbol=cap_path(), pen=_pen("#444444"), size=10),
                "range of values",
            )


class ApogeeRangeChart:
    """Apogee against range for every test, coloured by system, with linked selection."""

    def __init__(self) -> None:
        self.view_box = TimelineViewBox()
        self.view_box.setMouseEnabled(x=True, y=True)
        self.widget = pg.PlotWidget(background="w", viewBox=self.view_box)
        self.widget.setObjectName("apogeeRangeChart")
        self.plot: pg.PlotItem = self.widget.getPlotItem()
        self.plot.hideButtons()
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setLabel("bottom", "Range (km)")
        self.plot.setLabel("left", "Apogee (km)")
        self.points = pg.ScatterPlotItem(pxMode=True, size=12)
        self.rings = pg.ScatterPlotItem(
            pxMode=True, size=20, symbol="o", brush=None, pen=_pen("#000000", 2.4)
        )
        self.bounds = pg.PlotDataItem(
            connect="pairs", pen=_pen("#666666", 1.2, Qt.PenStyle.DashLine)
        )
        self.heads = pg.ScatterPlotItem(pxMode=True, size=9, brush="#666666", pen=None)
        for z, item in enumerate((self.bounds, self.heads, self.points, self.rings)):
            item.setZValue(z + 2)
            self.plot.addItem(item)
        self.legend = self.plot.addLegend(offset=(8, 6), labelTextSize="8pt")
        self.lines: list[pg.InfiniteLine] = []
        self.line_km: list[float] = []
        self.log_axes = False
        self.tests: list[cmp.ApogeeRangePoint] = []
        self.xy = np.zeros((0, 2))

    def show(self, tests: Sequence[cmp.ApogeeRangePoint], log_axes: bool) -> None:
        self.tests = list(tests)
        self.log_axes = log_axes
        self.xy = np.array([t.xy() for t in self.tests], dtype=float).reshape(-1, 2)
        systems = sorted({t.system for t in self.tests})
        # Colours and shapes by position, so that no two systems on the chart share a look.
        styles = {
            name: (
                QColor(categories.OKABE_ITO[i % len(categories.OKABE_ITO)]),
                categories.SHAPES[i % len(categories.SHAPES)],
            )
            for i, name in enumerate(systems)
        }
        view = self._view(self.xy)
        self.points.setData(
            x=view[:, 0],
            y=view[:, 1],
            brush=[QBrush(styles[t.system][0]) for t in self.tests],
            symbol=[categories.shape_path(styles[t.system][1], 1.0) for t in self.tests],
            pen=_pen("#222222", 0.8),
        )
        # A bounded headline claim ("< 700 km") gets a dashed stem and an arrow the way the
        # truth may lie, so a point at the bound does not pass for a measured value.
        segments, heads, head_symbols = [], [], []
        for (x, y), t in zip(self.xy, self.tests, strict=True):
            for claim, axis in ((t.range_claim, 0), (t.apogee_claim, 1)):
                g = cmp.glyph(claim.measurement, "km", 0)
                if g.open_end:
                    factor = 0.7 if g.open_end == "down" else 1.4
                    end = (x * factor, y) if axis == 0 else (x, y * factor)
                    segments += [(x, y), end]
                    heads.append(end)
                    down = g.open_end == "down"
                    head_symbols.append(
                        ("t3" if down else "t2") if axis == 0 else ("t" if down else "t1")
                    )
        # PlotDataItem takes raw km and applies the plot's log mode itself; scatter items and
        # lines do not, so they get log10 values from us (``_view``, ``_x``).
        xy = np.array(segments, dtype=float).reshape(-1, 2)
        self.bounds.setData(xy[:, 0], xy[:, 1])
        heads_xy = self._view(np.array(heads, dtype=float).reshape(-1, 2))
        self.heads.setData(x=heads_xy[:, 0], y=heads_xy[:, 1], symbol=head_symbols)
        self.legend.clear()
        for name in systems:
            colour, shape = styles[name]
            sample = pg.ScatterPlotItem(
                symbol=categories.shape_path(shape, 1.0),
                brush=QBrush(colour),
                pen=_pen("#222222", 0.8),
                size=10,
            )
            self.legend.addItem(sample, html.escape(name))
        self.plot.setLogMode(x=log_axes, y=log_axes)
        for line, km in zip(self.lines, self.line_km, strict=True):
            line.setValue(self._x(km))
        self.plot.enableAutoRange()

    def _view(self, xy: np.ndarray) -> np.ndarray:
        return np.log10(np.maximum(xy, 1e-9)) if self.log_axes else xy

    def _x(self, km: float) -> float:
        """Where a distance sits on the range axis (log10 units when the axes are log)."""
        return float(np.log10(km)) if self.log_axes else km

    def show_lines(self, lines: Sequence[tuple[float, str]]) -> None:
        for line in self.lines:
            self.plot.removeItem(line)
        self.lines = []
        self.line_km = []
        for distance, label in lines:
            line = pg.InfiniteLine(
                pos=self._x(distance),
                angle=90,
                pen=_pen("#0072B2", 1.2, Qt.PenStyle.DashLine),
                label=label,
                labelOpts={
                    "position": 0.5,  # centred on the line: the whole label stays in view
                    "color": "#0072B2",
                    "fill": (255, 255, 255, 200),
                    "rotateAxis": (1, 0),
                },
            )
            self.plot.addItem(line)  # in the auto-range: how far the tests fall short shows
            self.lines.append(line)
            self.line_km.append(distance)

    def show_selection(self, selected: frozenset[str]) -> None:
        chosen = [i for i, t in enumerate(self.tests) if t.event_id in selected]
        view = self._view(self.xy[chosen])
        self.rings.setData(x=view[:, 0], y=view[:, 1])

    def to_view(self, x: float, y: float) -> QPointF:
        if self.log_axes:
            return QPointF(float(np.log10(max(x, 1e-9))), float(np.log10(max(y, 1e-9))))
        return QPointF(x, y)

    def nearest(self, view: QPointF, pixels: float = 8.0) -> str | None:
        """The test under a view point (within ``pixels``), by event id."""
        if not len(self.xy):
            return None
        px, py = self.view_box.viewPixelSize()
        views = np.array([[self.to_view(x, y).x(), self.to_view(x, y).y()] for x, y in self.xy])
        distance = np.hypot((views[:, 0] - view.x()) / px, (views[:, 1] - view.y()) / py)
        best = int(np.argmin(distance))
        return self.tests[best].event_id if distance[best] <= pixels else None

    def inside(self, rect: QRectF) -> list[str]:
        """Tests inside a view rectangle, by event id."""
        found = []
        for (x, y), t in zip(self.xy, self.tests, strict=True):
            if rect.contains(self.to_view(x, y)):
                found.append(t.event_id)
        return found
