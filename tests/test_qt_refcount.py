"""Regression: PySide6 6.12.0 on CPython 3.11 lowered None's refcount on every void Qt call
and aborted after ~32k calls. We pin PySide6-Essentials<6.12 on Python < 3.12."""

from __future__ import annotations

import sys

import pytest


def test_void_qt_calls_do_not_drift_none_refcount() -> None:
    from PySide6.QtGui import QColor

    color = QColor()
    before = sys.getrefcount(None)
    for _ in range(100_000):
        color.setRed(5)  # returns None (void in C++)
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 100, f"None's refcount drifted by {drift} over 100k void calls"


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal on 3.12+")
def test_pyside_is_pinned_below_6_12_on_python_3_11() -> None:
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12), PySide6.__version__
