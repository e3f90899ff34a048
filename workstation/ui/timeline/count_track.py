"""The count track under the lanes: launches per day, week or month, as launch days or as
missiles. It shares the lanes' time axis (x-linked) and bins by calendar date in the
display zone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QColor, QPen

from workstation.ui.timeline.axis import ZonedDateAxis

MEASURES = {"launch_days": "Launch days", "missiles": "Missiles"}
UNITS = {"day": "day", "week": "week", "month": "month"}
MAX_VALUE_LABELS = 60  # bins in view beyond which the numbers above the bars are dropped
BAR = QColor("#D55E00")  # the launch category's colour


class CountTrack:
    def __init__(self, layout: pg.GraphicsLayout, row: int) -> None:
        self.axis = ZonedDateAxis("bottom")
        self.plot: pg.PlotItem = layout.addPlot(row=row, col=0, axisItems={"bottom": self.axis})
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.getAxis("left").setWidth(130)
        self.plot.setMaximumHeight(110)
        self.plot.setMinimumHeight(64)
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        # Grid lines at the major ticks only: each translucent line across the track costs a
        # slow blended stroke on every repaint (the minor levels tripled the track's paint).
        self.plot.getAxis("left").setStyle(maxTickLevel=0)
        pen = QPen(QColor("#7a2e00"))
        pen.setCosmetic(True)
        self.bars = pg.BarGraphItem(x0=[], x1=[], y0=[], height=[], brush=QBrush(BAR), pen=pen)
        self.plot.addItem(self.bars)
        self.labels: list[pg.TextItem] = []
        self.counts = pd.DataFrame()
        self.measure = "launch_days"
        self.unit = "month"

    def show(self, counts: pd.DataFrame, measure: str, unit: str) -> None:
        self.counts, self.measure, self.unit = counts, measure, unit
        values = counts[measure].to_numpy(dtype=float) if len(counts) else np.zeros(0)
        start = counts["start"].to_numpy(dtype=float) if len(counts) else np.zeros(0)
        end = counts["end"].to_numpy(dtype=float) if len(counts) else np.zeros(0)
        gap = (end - start) * 0.08
        self.bars.setOpts(x0=start + gap, x1=end - gap, y0=np.zeros(len(values)), height=values)
        top = float(values.max()) if len(values) else 1.0
        self.plot.setYRange(0, top * 1.5 + 0.5, padding=0)  # room for the numbers on top
        self.plot.setLabel("left", f"{MEASURES[measure]} / {UNITS[unit]}")
        self.update_labels()

    def update_labels(self) -> None:
        """Numbers above the bars in view (when there are few enough to read)."""
        counts = self.counts
        (x0, x1), _ = self.plot.viewRange()
        if len(counts):
            visible = counts.loc[(counts["end"] >= x0) & (counts["start"] <= x1)]
        else:
            visible = counts
        if len(visible) > MAX_VALUE_LABELS:
            visible = visible.iloc[0:0]
        while len(self.labels) < len(visible):
            label = pg.TextItem(anchor=(0.5, 1.0), color="#222222")
            self.plot.addItem(label)
            self.labels.append(label)
        for label, (_, row) in zip(self.labels, visible.iterrows(), strict=False):
            label.setText(str(int(row[self.measure])))
            label.setPos((row["start"] + row["end"]) / 2, float(row[self.measure]))
            label.setVisible(True)
        for label in self.labels[len(visible) :]:
            label.setVisible(False)

    def value_labels(self) -> list[str]:
        return [label.toPlainText() for label in self.labels if label.isVisible()]

    def bin_at(self, x: float) -> pd.Series | None:
        counts = self.counts
        if not len(counts):
            return None
        hit = counts.loc[(counts["start"] <= x) & (counts["end"] > x)]
        return hit.iloc[0] if len(hit) else None

    def describe(self, row: pd.Series) -> str:
        days, missiles, uncounted = (int(row[k]) for k in ("launch_days", "missiles", "uncounted"))
        text = (
            f"<b>{row['label']}</b><br>{days} launch day{'s' if days != 1 else ''}, "
            f"{missiles} missile{'s' if missiles != 1 else ''}"
        )
        if uncounted:
            plural = "es" if uncounted != 1 else ""
            text += f"<br>({uncounted} launch{plural} of unknown count counted as one)"
        return text
