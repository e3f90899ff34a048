"""The timeline's view box: what the mouse does on the lanes.

- Wheel zooms time; dragging pans (the lanes stay put).
- Shift-drag draws a rectangle that selects events (Ctrl+Shift adds to the selection).
- Alt-drag draws a time region that becomes the app-wide time filter.
- The drag mode chosen in the dock's toolbar makes a plain drag do any of these, or zoom to
  a rubber band.
- Clicks and the context menu are passed on as signals (``handle_scene_click`` is connected
  to the scene's click signal); the dock decides what they mean.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal

PAN, SELECT, ZOOM, TIME = "pan", "select", "zoom", "time"
DRAG_MODES = (PAN, SELECT, ZOOM, TIME)


class TimelineViewBox(pg.ViewBox):
    #: A click at a view point, with the keyboard modifiers held.
    clicked = Signal(QPointF, object)
    #: The context menu is asked for at a view point (screen position for the menu).
    context_requested = Signal(QPointF, object)
    #: A selection rectangle was drawn (view coordinates), with the modifiers held.
    rect_selected = Signal(QRectF, object)
    #: A time region was drawn: (x0, x1) in UTC seconds.
    region_drawn = Signal(float, float)

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=True, y=False)
        self.drag_mode = PAN

    def drag_mode_for(self, modifiers: Qt.KeyboardModifier) -> str:
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            return SELECT
        if modifiers & Qt.KeyboardModifier.AltModifier:
            return TIME
        return self.drag_mode

    def mouseDragEvent(self, ev: Any, axis: int | None = None) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or axis is not None:
            super().mouseDragEvent(ev, axis)
            return
        mode = self.drag_mode_for(ev.modifiers())
        if mode == PAN:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        if not ev.isFinish():
            self.updateScaleBox(ev.buttonDownPos(), ev.pos())
            return
        self.rbScaleBox.hide()
        rect = self.childGroup.mapRectFromParent(QRectF(ev.buttonDownPos(), ev.pos())).normalized()
        if mode == ZOOM:
            if rect.width() > 0:
                self.setXRange(rect.left(), rect.right(), padding=0)
        elif mode == SELECT:
            self.rect_selected.emit(rect, ev.modifiers())
        elif rect.width() > 0:
            self.region_drawn.emit(rect.left(), rect.right())

    def handle_scene_click(self, ev: Any) -> None:
        """Every click on the scene, whichever item took it (glyph items accept clicks on
        their points before the view box would see them)."""
        if not self.sceneBoundingRect().contains(ev.scenePos()) or ev.double():
            return
        point = self.mapSceneToView(ev.scenePos())
        if ev.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(point, ev.modifiers())
        elif ev.button() == Qt.MouseButton.RightButton:
            self.context_requested.emit(point, ev.screenPos())

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            ev.accept()  # handled through handle_scene_click
        else:
            super().mouseClickEvent(ev)
