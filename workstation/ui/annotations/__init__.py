"""The annotation editor dock."""

from workstation.ui.annotations.dock import AnnotationDock

__all__ = ["AnnotationDock"]
