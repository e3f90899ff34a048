"""The timeline dock (pyqtgraph): lanes, count track, reference lines, pins, brushing."""

from workstation.ui.timeline.dock import TimelineDock

__all__ = ["TimelineDock"]
