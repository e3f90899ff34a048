"""The missile comparison dock: claims side by side, bounds drawn honestly."""

from workstation.ui.comparison.dock import ComparisonDock

__all__ = ["ComparisonDock"]
