"""Axes of the timeline: dates in the display zone, and lane names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyqtgraph as pg

from workstation.model.dates import zone

LANE_LABEL_CHARS = 22
_EPOCH = datetime(1970, 1, 1)


class ZonedDateAxis(pg.DateAxisItem):
    """pyqtgraph's date axis (labels adapt from years down to seconds) in any IANA zone.

    Values are UTC seconds. pyqtgraph places ticks with one fixed UTC offset; for a zone with
    daylight-saving time each tick of an hour or more is then moved to the exact instant of
    its local wall time (``zoneinfo``), so a change inside the view neither shifts a day's
    tick to 23:00 of the day before nor drops or repeats a day. Labels are formatted from
    the exact instant too.
    """

    def __init__(self, orientation: str = "bottom", **kwargs: Any) -> None:
        super().__init__(orientation, utcOffset=0, **kwargs)
        self.zone_name = "UTC"
        self._tz = zone("UTC")
        self._fixed = True  # the zone never changes its offset
        self.setLabel("UTC")

    def set_zone(self, name: str) -> None:
        self.zone_name = name
        self._tz = zone(name)
        year = datetime.now(UTC).year
        winter, summer = (datetime(year, m, 1, tzinfo=self._tz) for m in (1, 7))
        self._fixed = winter.utcoffset() == summer.utcoffset()
        # An abbreviation only where it is the same all year (KST); "EST" on a July view
        # would be wrong.
        abbreviation = winter.tzname() or name
        fixed_name = abbreviation != name and self._fixed
        self.setLabel(f"{name} ({abbreviation})" if fixed_name else name)
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> Any:  # noqa: N803
        middle = min(max((minVal + maxVal) / 2, -6e10), 2.5e11)
        offset = datetime.fromtimestamp(middle, self._tz).utcoffset()
        # pyqtgraph's utcOffset is seconds *west* of UTC (like time.timezone).
        seconds = int(offset.total_seconds()) if offset is not None else 0
        self.utcOffset = -seconds
        levels = super().tickValues(minVal, maxVal, size)
        if self._fixed:
            return levels
        snapped_levels = []
        for spacing, ticks in levels:
            if spacing < 3600:
                snapped_levels.append((spacing, ticks))
                continue
            snapped = set()
            for tick in ticks:
                wall = _EPOCH + timedelta(seconds=float(tick) + seconds)  # the intended wall time
                try:
                    snapped.add(wall.replace(tzinfo=self._tz).timestamp())
                except (OverflowError, ValueError):
                    continue
            snapped_levels.append((spacing, sorted(snapped)))
        return snapped_levels

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
