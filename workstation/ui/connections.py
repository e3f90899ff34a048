"""The signal connections a dock holds to one workspace, swapped as a whole when the window
opens another project (so the old project's signals never reach the new view)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Pair = tuple[Any, Callable[..., Any]]  # (a psygnal or Qt signal, its slot)


class Connections:
    def __init__(self) -> None:
        self._pairs: list[Pair] = []

    def replace(self, pairs: Sequence[Pair]) -> None:
        for signal, slot in self._pairs:
            signal.disconnect(slot)
        self._pairs = list(pairs)
        for signal, slot in self._pairs:
            signal.connect(slot)
