"""Axes of the timeline: dates in the display zone, and lane names."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyqtgraph as pg

from workstation.model.dates import zone

LANE_LABEL_CHARS = 22


class ZonedDateAxis(pg.DateAxisItem):
    """pyqtgraph's date axis (labels adapt from years down to seconds) in any IANA zone.

    Values are UTC seconds. Ticks fall on local midnights and hours of the zone; each label is
    formatted from the exact instant with ``zoneinfo``, so a daylight-saving change inside
    the view never mislabels a tick.
    """

    def __init__(self, orientation: str = "bottom", **kwargs: Any) -> None:
        super().__init__(orientation, utcOffset=0, **kwargs)
        self.zone_name = "UTC"
        self._tz = zone("UTC")
        self.setLabel("UTC")

    def set_zone(self, name: str) -> None:
        self.zone_name = name
        self._tz = zone(name)
        now = datetime.now(self._tz)
        abbreviation = now.tzname() or name
        self.setLabel(name if abbreviation == name else f"{name} ({abbreviation})")
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> Any:  # noqa: N803
        middle = min(max((minVal + maxVal) / 2, -6e10), 2.5e11)
        offset = datetime.fromtimestamp(middle, self._tz).utcoffset()
        # pyqtgraph's utcOffset is seconds *west* of UTC (like time.timezone).
        self.utcOffset = -int(offset.total_seconds()) if offset is not None else 0
        return super().tickValues(minVal, maxVal, size)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        spec = next((s for s in self.zoomLevel.tickSpecs if s.spacing == spacing), None)
        fmt = spec.format if spec is not None else "%Y-%m-%d"
        labels = []
        for value in values:
            try:
                moment = datetime.fromtimestamp(value, self._tz)
            except (OverflowError, OSError, ValueError):
                labels.append("")
                continue
            text = moment.strftime(fmt)
            if "%f" in fmt:
                text = text[:-3]
            labels.append(text)
        return labels


class LaneAxis(pg.AxisItem):
    """The left axis: one label per lane at y = 0, 1, 2, … (lane 0 at the top)."""

    def __init__(self) -> None:
        super().__init__("left")
        self.setWidth(130)
        self.names: tuple[str, ...] = ()
        self.setStyle(tickLength=0)

    def set_lanes(self, names: tuple[str, ...]) -> None:
        self.names = names
        ticks = [(float(i), _elide(name)) for i, name in enumerate(names)]
        self.setTicks([ticks, []])


def _elide(text: str) -> str:
    return text if len(text) <= LANE_LABEL_CHARS else text[: LANE_LABEL_CHARS - 1] + "…"
