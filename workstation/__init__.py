"""Workstation: an offline desktop workstation for open-source intelligence analysts.

The package is split in two layers. ``model``, ``store``, ``io`` and the headless CLI verbs
never import Qt (``tests/test_core_is_qt_free.py`` enforces it); ``ui`` is a thin layer of
Qt views over that core.
"""

__version__ = "0.1.0"
