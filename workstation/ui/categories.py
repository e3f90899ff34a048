"""A colour and a shape per event category, shared by the table, the timeline and exports.

Colours come from the Okabe-Ito palette (safe for the common colour-vision deficiencies), and
every category also gets its own shape, so a grey printout still tells categories apart.
"""

from __future__ import annotations

import zlib
from functools import cache

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
SHAPES = ["circle", "square", "triangle", "diamond", "star", "triangle-down", "hexagon", "cross"]

#: Fixed styles for the categories analysts use most, so their look never shifts.
KNOWN: dict[str, tuple[str, str]] = {
    "missile test": ("#D55E00", "triangle"),
    "statement": ("#56B4E9", "circle"),
    "political": ("#CC79A7", "diamond"),
    "sanction": ("#000000", "square"),
    "diplomatic": ("#0072B2", "hexagon"),
    "commercial": ("#009E73", "star"),
    "anniversary": ("#E69F00", "triangle-down"),
}


def style(category: str) -> tuple[QColor, str]:
    """The colour and shape of a category (stable across runs for unknown categories too)."""
    if category in KNOWN:
        colour, shape = KNOWN[category]
        return QColor(colour), shape
    key = zlib.crc32(category.casefold().encode("utf-8"))
    return QColor(OKABE_ITO[key % len(OKABE_ITO)]), SHAPES[(key // 8) % len(SHAPES)]


def shape_path(shape: str, size: float) -> QPainterPath:
    """A glyph of ``shape`` centred on (0, 0) fitting a ``size`` square."""
    r = size / 2
    path = QPainterPath()
    if shape == "square":
        path.addRect(-r * 0.85, -r * 0.85, r * 1.7, r * 1.7)
    elif shape in ("triangle", "triangle-down"):
        sign = 1 if shape == "triangle" else -1
        path.addPolygon(
            QPolygonF([QPointF(0, -r * sign), QPointF(r, r * sign), QPointF(-r, r * sign)])
        )
        path.closeSubpath()
    elif shape == "diamond":
        path.addPolygon(QPolygonF([QPointF(0, -r), QPointF(r, 0), QPointF(0, r), QPointF(-r, 0)]))
        path.closeSubpath()
    elif shape in ("star", "hexagon"):
        import math

        points = 10 if shape == "star" else 6
        polygon = QPolygonF()
        for i in range(points):
            radius = r if shape == "hexagon" or i % 2 == 0 else r * 0.45
            angle = math.pi * 2 * i / points - math.pi / 2
            polygon.append(QPointF(radius * math.cos(angle), radius * math.sin(angle)))
        path.addPolygon(polygon)
        path.closeSubpath()
    elif shape == "cross":
        w = r * 0.35
        path.addRect(-r, -w, 2 * r, 2 * w)
        path.addRect(-w, -r, 2 * w, 2 * r)
    else:
        path.addEllipse(QPointF(0, 0), r, r)
    return path


@cache
def icon(category: str, size: int = 14) -> QIcon:
    """A swatch: the category's shape filled with its colour, outlined for light colours."""
    colour, shape = style(category)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(size / 2, size / 2)
    painter.setPen(QPen(QColor("#333333"), 1))
    painter.setBrush(QBrush(colour))
    painter.drawPath(shape_path(shape, size - 2))
    painter.end()
    return QIcon(pixmap)
