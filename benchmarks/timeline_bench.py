"""Timeline benchmarks: pan and load at full size (density mode), pan at 10,000 events (glyphs).

The subject is ``workstation.ui.timeline.TimelineDock`` over a ``Workspace`` of the run's
generated document (``timeline_pan``, ``timeline_load``) or of a 10,000-event synthetic document
(``timeline_pan_10k``), resized so that its ``graphics`` (the ``pg.GraphicsLayoutWidget``) is
1400x500 and shown (offscreen unless ``QT_QPA_PLATFORM`` says otherwise).

The floor is a numpy raster shown as an ``ImageItem``: a bare ``pg.GraphicsLayoutWidget`` of the
same size with one ``PlotItem`` holding one ``ImageItem``. The raster is ``np.bincount`` over
(lane, bin) of the events whose x lies in the visible range, with one bin per two pixels of the
floor plot's width; x (float64 UTC seconds) and lane are the dock's own arrays
(``dock.lanes.x`` and ``dock.lanes.lane``), taken once, untimed.

One *frame* is, on both sides, a shift of the x range + the work that makes the new picture +
one synchronous ``viewport().repaint()`` of the graphics view:

- subject: ``dock.set_x_range(x0, x1)`` + ``dock.flush()`` (the update the dock's zero timer
  would run) + ``dock.graphics.viewport().repaint()``;
- floor: ``plot.setXRange(x0, x1, padding=0)`` + the raster of the events in [x0, x1) +
  ``image.setImage`` + ``image.setRect`` + ``floor.viewport().repaint()``.

Each timed frame must deliver exactly one ``Paint`` event to the viewport (counted by an event
filter). Pending events are processed after every timed call, untimed; how long that takes and
how many more paints it delivers is reported for both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.harness import Case, Reference, Result, measure, median
from benchmarks.synthetic import synthetic_document
from benchmarks.table_bench import _qt, count_paints
from benchmarks.workspace import Workspace, progress
from workstation.model.document import Document

GRAPHICS_SIZE = (1400, 500)  # the dock's pg.GraphicsLayoutWidget, and the floor widget
PAN_FRACTION = 0.10  # one pan frame shifts the view by this much of its width
SMALL_EVENTS = 10_000  # timeline_pan_10k
FPS_GOAL = 30.0


@dataclass
class TimelineSetup:
    """One dock and its floor over one document, built once per run."""

    app: Any
    workspace: Any  # workstation.model.workspace.Workspace
    dock: Any  # TimelineDock
    floor: Any  # pg.GraphicsLayoutWidget
    floor_plot: Any  # pg.PlotItem
    floor_image: Any  # pg.ImageItem
    x: np.ndarray  # float64 UTC seconds, one per glyph (dock.lanes.x)
    lane: np.ndarray  # int64 lane of each glyph (dock.lanes.lane)
    lanes: int
    full: tuple[float, float]  # the dock's fit-all range: every event in view
    paints: dict[str, int]
    counters: list[Any] = field(default_factory=list)  # the event filters (kept alive)
    details: dict[str, str] = field(default_factory=dict)
    floor_counts: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))

    @property
    def viewport(self) -> Any:
        return self.dock.graphics.viewport()

    @property
    def floor_viewport(self) -> Any:
        return self.floor.viewport()

    def settle(self) -> None:
        for _ in range(2):
            self.app.processEvents()

    def frame(self, x0: float, x1: float) -> None:
        """SUBJECT frame: the dock's range change, its coalesced update, one repaint."""
        self.dock.set_x_range(x0, x1)
        self.dock.flush()
        self.viewport.repaint()

    def bins(self) -> int:
        return max(int(self.floor_plot.vb.width() / 2), 16)

    def raster(self, x0: float, x1: float) -> np.ndarray:
        """FLOOR raster: events per (lane, bin) for x in [x0, x1), one bin per two pixels."""
        bins = self.bins()
        inside = (self.x >= x0) & (self.x < x1)
        where = ((self.x[inside] - x0) * (bins / (x1 - x0))).astype(np.int64)
        np.minimum(where, bins - 1, out=where)
        flat = self.lane[inside] * bins + where
        counts: np.ndarray = np.bincount(flat, minlength=self.lanes * bins)
        return counts.reshape(self.lanes, bins)

    def show_raster(self, counts: np.ndarray, x0: float, x1: float) -> None:
        from PySide6.QtCore import QRectF

        top = max(int(counts.max()) if counts.size else 0, 1)
        self.floor_image.setImage(counts, autoLevels=False, levels=(0, top))
        self.floor_image.setRect(QRectF(x0, -0.5, x1 - x0, self.lanes))
        self.floor_counts = counts

    def floor_frame(self, x0: float, x1: float) -> None:
        """FLOOR frame: the plot's range change, the raster, setImage + setRect, one repaint."""
        self.floor_plot.setXRange(x0, x1, padding=0)
        self.show_raster(self.raster(x0, x1), x0, x1)
        self.floor_viewport.repaint()


_SETUPS: dict[str, TimelineSetup] = {}


def close() -> None:
    """Close and drop the docks and floor widgets (before the interpreter shuts Qt down)."""
    for setup in _SETUPS.values():
        setup.dock.close()
        setup.floor.close()
        setup.settle()
        setup.dock.deleteLater()
        setup.floor.deleteLater()
        setup.settle()
    _SETUPS.clear()


def _small_document(ws: Workspace) -> Document:
    return synthetic_document(SMALL_EVENTS, seed=ws.seed)


def timeline_setup(ws: Workspace, which: str) -> TimelineSetup:
    """The dock and the floor over the run's document (``which="full"``) or over a
    10,000-event synthetic document (``which="small"``), built once per run."""
    if which in _SETUPS:
        return _SETUPS[which]
    app = _qt()
    import pyqtgraph as pg

    from workstation.model.workspace import Workspace as AppWorkspace
    from workstation.ui.timeline import TimelineDock

    document = ws.document if which == "full" else _small_document(ws)
    events = len(document.events)
    progress(f"timeline: building a Workspace and a TimelineDock over {events:,} events")
    start = perf_counter()
    workspace = AppWorkspace(document)
    dock = TimelineDock(workspace)
    built = perf_counter() - start
    width, height = GRAPHICS_SIZE
    dock.resize(width, height + 60)
    dock.show()
    for _ in range(3):
        app.processEvents()
    # The toolbar and the status line take the rest of the dock: fit the graphics to 1400x500.
    dock.resize(width, dock.height() + height - dock.graphics.height())
    for _ in range(3):
        app.processEvents()

    floor = pg.GraphicsLayoutWidget()
    floor.setBackground("w")
    floor_plot = floor.addPlot()
    floor_plot.hideButtons()
    floor_plot.setMenuEnabled(False)
    floor_plot.getAxis("left").setWidth(dock.lane_axis.width())  # the dock's lane-name axis
    floor_image = pg.ImageItem(axisOrder="row-major")
    floor_plot.addItem(floor_image)
    floor.resize(dock.graphics.size())
    floor.show()

    lanes = dock.lanes
    paints = {"subject": 0, "floor": 0}

    (x0, x1), _ = dock.view_box.viewRange()
    setup = TimelineSetup(
        app=app,
        workspace=workspace,
        dock=dock,
        floor=floor,
        floor_plot=floor_plot,
        floor_image=floor_image,
        x=np.asarray(lanes.x, dtype=np.float64),
        lane=lanes.lane.astype(np.int64),
        lanes=len(lanes.names),
        full=(float(x0), float(x1)),
        paints=paints,
    )
    floor_plot.setYRange(-0.5, setup.lanes - 0.5, padding=0)
    floor_plot.setXRange(x0, x1, padding=0)
    setup.counters = [
        count_paints(paints, "subject", setup.viewport),
        count_paints(paints, "floor", setup.floor_viewport),
    ]
    setup.settle()
    if setup.floor.size() != dock.graphics.size() or dock.graphics.size().width() != width:
        raise AssertionError(
            f"graphics sizes: dock {dock.graphics.size()}, floor {setup.floor.size()}, "
            f"wanted {width}x{height}"
        )
    if len(lanes) < events:
        raise AssertionError(f"{len(lanes):,} glyphs for {events:,} events")
    size = dock.graphics.size()
    setup.details["graphics"] = (
        f"{size.width()}x{size.height()} px on both sides; view box width: dock "
        f"{dock.view_box.width():.0f} px ({max(int(dock.view_box.width() / 2), 16)} density "
        f"bins), floor {floor_plot.vb.width():.0f} px ({setup.bins()} bins); {setup.lanes} lanes, "
        f"{len(lanes):,} glyphs for {events:,} events"
    )
    setup.details["set-up (untimed)"] = (
        f"Workspace(document) + TimelineDock(workspace) {built:.2f} s (the dock's own first "
        "load, factorize cache as the document had it)"
    )
    _SETUPS[which] = setup
    return setup


def _apply(result: Result, times: dict[str, list[float]]) -> None:
    result.runs_s, result.floor_runs_s = times["subject"], times["floor"]
    result.measured_s, result.floor_s = median(result.runs_s), median(result.floor_runs_s)


def _close(a: float, b: float, width: float) -> bool:
    return abs(a - b) <= 1e-6 * width


class Pan:
    """Alternating pan positions: the start range shifted right by 10% of its width, then
    back, and so on (each side of a benchmark has its own)."""

    def __init__(self, start: tuple[float, float]) -> None:
        self.start = start
        self.frames = 0

    def next(self) -> tuple[float, float]:
        self.frames += 1
        x0, x1 = self.start
        shift = PAN_FRACTION * (x1 - x0) if self.frames % 2 else 0.0
        return x0 + shift, x1 + shift


@dataclass
class Leftovers:
    """What the event loop still does after a timed frame (processed untimed)."""

    seconds: list[float] = field(default_factory=list)
    paints: list[int] = field(default_factory=list)

    def collect(self, setup: TimelineSetup, key: str) -> None:
        before = setup.paints[key]
        start = perf_counter()
        setup.settle()
        self.seconds.append(perf_counter() - start)
        self.paints.append(setup.paints[key] - before)

    def text(self) -> str:
        paints = sorted(set(self.paints))
        return (
            f"{median(self.seconds) * 1e3:.1f} ms median, "
            f"{'/'.join(str(p) for p in paints)} more Paint event(s) per frame"
        )


def _check_view(setup: TimelineSetup, x0: float, x1: float) -> None:
    (v0, v1), _ = setup.dock.view_box.viewRange()
    if not (_close(v0, x0, x1 - x0) and _close(v1, x1, x1 - x0)):
        raise AssertionError(f"the dock shows {v0:.0f}..{v1:.0f}, not {x0:.0f}..{x1:.0f}")


def _check_density(setup: TimelineSetup, x0: float, x1: float, count: bool) -> None:
    """The dock is in density mode and its image covers exactly [x0, x1]; with ``count``,
    the image's counts add up to the glyphs that start in view."""
    dock = setup.dock
    if dock.mode != "density":
        raise AssertionError(f"the dock draws {dock.mode}, not a density")
    _check_view(setup, x0, x1)
    image = dock.density.image
    rect = image.mapRectToParent(image.boundingRect())
    if not image.isVisible():
        raise AssertionError("the density image is hidden")
    if not (_close(rect.left(), x0, x1 - x0) and _close(rect.right(), x1, x1 - x0)):
        raise AssertionError(
            f"the density image covers {rect.left():.0f}..{rect.right():.0f}, "
            f"not {x0:.0f}..{x1:.0f}"
        )
    if count:
        # The density counts a glyph in the bin of its x (a span started earlier is not
        # piled into the first bin).
        lanes = dock.lanes
        starts = (lanes.x >= x0) & (lanes.x <= x1) & dock.keep
        expected = int(np.count_nonzero(starts))
        if int(dock.density.counts.sum()) != expected:
            raise AssertionError(
                f"the density counts {int(dock.density.counts.sum()):,} glyphs, "
                f"{expected:,} start in view"
            )


def _check_floor(setup: TimelineSetup, x0: float, x1: float) -> None:
    image = setup.floor_image
    rect = image.mapRectToParent(image.boundingRect())
    if not (_close(rect.left(), x0, x1 - x0) and _close(rect.right(), x1, x1 - x0)):
        raise AssertionError("the floor image does not cover the floor's new range")
    (v0, v1), _ = setup.floor_plot.vb.viewRange()
    if not (_close(v0, x0, x1 - x0) and _close(v1, x1, x1 - x0)):
        raise AssertionError("the floor plot does not show the new range")
    expected = int(np.count_nonzero((setup.x >= x0) & (setup.x < x1)))
    if int(setup.floor_counts.sum()) != expected:
        raise AssertionError("the floor raster does not count every event in view")


def _one_paint(setup: TimelineSetup, key: str, before: int) -> None:
    painted = setup.paints[key] - before
    if painted != 1:
        raise AssertionError(f"{key}: {painted} Paint events in one timed frame, not 1")


def _pan_cases(
    setup: TimelineSetup,
    check_subject: Callable[[float, float, bool], None],
    leftovers: dict[str, Leftovers],
) -> list[Case]:
    """Subject and floor pan frames from the dock's current range, alternating directions."""
    (x0, x1), _ = setup.dock.view_box.viewRange()
    subject_pan, floor_pan = Pan((x0, x1)), Pan((x0, x1))
    setup.floor_plot.setXRange(x0, x1, padding=0)
    setup.settle()
    checked: list[bool] = []

    def prepare(pan: Pan, key: str) -> Callable[[], tuple[tuple[float, float], int]]:
        def run() -> tuple[tuple[float, float], int]:
            target = pan.next()
            setup.settle()
            return target, setup.paints[key]

        return run

    def subject_done(arg: tuple[tuple[float, float], int], _out: object) -> None:
        (a, b), before = arg
        _one_paint(setup, "subject", before)
        check_subject(a, b, not checked)  # the counts are checked on the first frame
        checked.append(True)
        leftovers["subject"].collect(setup, "subject")

    def floor_done(arg: tuple[tuple[float, float], int], _out: object) -> None:
        (a, b), before = arg
        _one_paint(setup, "floor", before)
        _check_floor(setup, a, b)
        leftovers["floor"].collect(setup, "floor")

    return [
        Case(
            "subject",
            lambda arg: setup.frame(*arg[0]),
            prepare(subject_pan, "subject"),
            subject_done,
        ),
        Case(
            "floor", lambda arg: setup.floor_frame(*arg[0]), prepare(floor_pan, "floor"), floor_done
        ),
    ]


def _event_loop_frame(setup: TimelineSetup, key: str, change: Callable[[], None]) -> int:
    """A range change, then the event loop until it delivers no more Paint events (as in
    the application: the zero-timer update and Qt's own paints). Returns the paints."""
    before = setup.paints[key]
    change()
    for _ in range(6):
        now = setup.paints[key]
        setup.app.processEvents()
        if setup.paints[key] == now:
            break
    return setup.paints[key] - before


# -- pan, full size -----------------------------------------------------------------------------
def bench_timeline_pan(ws: Workspace, result: Result) -> None:
    setup = timeline_setup(ws, "full")
    dock = setup.dock
    dock.set_x_range(*setup.full)  # every event in view: density mode
    dock.flush()
    setup.settle()
    leftovers = {"subject": Leftovers(), "floor": Leftovers()}
    progress("timeline pan: dock range shift + flush + repaint vs raster + setImage + repaint")

    def check(a: float, b: float, count: bool) -> None:
        _check_density(setup, a, b, count)

    times = measure(_pan_cases(setup, check, leftovers), ws.fast_repeats)
    _apply(result, times)
    x0, x1 = setup.full
    in_view = int(np.count_nonzero(dock.lanes.in_view(x0, x1, dock.keep)))

    # References: the same frames through the event loop instead of a synchronous repaint.
    loop_paints: dict[str, list[int]] = {"subject": [], "floor": []}
    subject_pan, floor_pan = Pan(setup.full), Pan(setup.full)

    def subject_loop(_: object) -> None:
        target = subject_pan.next()
        loop_paints["subject"].append(
            _event_loop_frame(setup, "subject", lambda: dock.set_x_range(*target))
        )

    def floor_loop(_: object) -> None:
        a, b = floor_pan.next()

        def change() -> None:
            setup.floor_plot.setXRange(a, b, padding=0)
            setup.show_raster(setup.raster(a, b), a, b)

        loop_paints["floor"].append(_event_loop_frame(setup, "floor", change))

    looped = measure(
        [
            Case("subject", subject_loop, setup.settle),
            Case("floor", floor_loop, setup.settle),
        ],
        ws.fast_repeats,
    )
    result.references += [
        Reference(
            "subject through the event loop",
            "dock.set_x_range + app.processEvents() until no more Paint events (the zero-timer "
            f"flush and Qt's own paints: {_paint_counts(loop_paints['subject'])} per frame)",
            median(looped["subject"]),
            looped["subject"],
        ),
        Reference(
            "floor through the event loop",
            "setXRange + raster + setImage/setRect + app.processEvents() until no more Paint "
            f"events ({_paint_counts(loop_paints['floor'])} per frame)",
            median(looped["floor"]),
            looped["floor"],
        ),
    ]
    _pan_breakdown(setup, result, ws.fast_repeats)
    dock.set_x_range(*setup.full)
    dock.flush()
    setup.settle()
    result.details.update(setup.details)
    result.details["view"] = (
        f"the whole data range ({in_view:,} glyphs in view), shifted by {PAN_FRACTION:.0%} of "
        "its width each frame, alternating right and back"
    )
    result.details["event-loop leftovers after a frame (untimed)"] = (
        f"subject {leftovers['subject'].text()}; floor {leftovers['floor'].text()}"
    )
    result.checks += [
        "every timed frame delivered exactly one Paint event to the viewport (both sides)",
        "after every subject frame: dock.mode == 'density', the view range and the density "
        "image's rect both equal the new range",
        "first subject frame: the density counts add up to the glyphs that start in view",
        "after every floor frame: the image's rect and the plot's range equal the new range, "
        "the raster counts every event in [x0, x1)",
    ]


def _paint_counts(counts: list[int]) -> str:
    return "/".join(str(c) for c in sorted(set(counts))) or "-"


def _pan_breakdown(setup: TimelineSetup, result: Result, repeats: int) -> None:
    """The two halves of each frame, timed separately at the current range (for diagnosis)."""
    dock = setup.dock
    (x0, x1), _ = dock.view_box.viewRange()
    setup.floor_plot.setXRange(x0, x1, padding=0)
    setup.settle()
    parts = measure(
        [
            Case("update", lambda _: dock.update_view(), setup.settle),
            Case("repaint", lambda _: setup.viewport.repaint(), setup.settle),
            Case("raster", lambda _: setup.show_raster(setup.raster(x0, x1), x0, x1)),
            Case("floor_repaint", lambda _: setup.floor_viewport.repaint(), setup.settle),
        ],
        repeats,
    )
    result.details["breakdown (medians, timed separately, same range)"] = (
        f"dock.update_view() {median(parts['update']) * 1e3:.1f} ms, dock repaint "
        f"{median(parts['repaint']) * 1e3:.1f} ms; floor raster + setImage "
        f"{median(parts['raster']) * 1e3:.1f} ms, floor repaint "
        f"{median(parts['floor_repaint']) * 1e3:.1f} ms"
    )


# -- load, full size ----------------------------------------------------------------------------
def bench_timeline_load(ws: Workspace, result: Result) -> None:
    from workstation.model import timeline as tl
    from workstation.model.workspace import Workspace as AppWorkspace

    setup = timeline_setup(ws, "full")
    dock = setup.dock
    document = setup.workspace.document
    codes = getattr(document, "_codes", None)
    if not isinstance(codes, dict):
        raise AssertionError("Document._codes is no longer the factorize cache: fix the bench")
    x0, x1 = setup.full
    loaded: list[Any] = []

    def prepare_subject() -> tuple[Any, int]:
        # A dock that shows nothing yet (pyqtgraph's default range), as when a project opens.
        dock.set_x_range(0.0, 1.0)
        dock.flush()
        setup.settle()
        codes.clear()  # cold: the load factorizes the columns it needs
        document._alias_index = None
        return AppWorkspace(document), setup.paints["subject"]

    def subject(arg: tuple[Any, int]) -> None:
        dock.set_workspace(arg[0])
        # fit_all moved the range: the coalesced update the zero timer would run. Pins,
        # reference lines, counts and legend follow on the next turn (``finish_rebuild``).
        dock.update_view()
        setup.viewport.repaint()

    def subject_done(arg: tuple[Any, int], _out: object) -> None:
        fresh, before = arg
        _one_paint(setup, "subject", before)
        if dock.workspace is not fresh or len(dock.lanes) < len(document.events):
            raise AssertionError("the dock did not take the new workspace's events")
        if ("events", "category") not in codes:
            raise AssertionError("the load did not factorize the category column")
        _check_density(setup, x0, x1, count=not loaded)
        loaded.append(fresh)
        setup.settle()

    def prepare_floor() -> int:
        setup.floor_image.clear()
        setup.floor_plot.setXRange(0.0, 1.0, padding=0)
        setup.settle()
        return setup.paints["floor"]

    def floor_done(before: int, _out: object) -> None:
        _one_paint(setup, "floor", before)
        _check_floor(setup, x0, x1)
        setup.settle()

    events = document.events

    def floor_from_table(_: object) -> None:  # x and lane from the table, as the dock must
        x = events["start_utc"].to_numpy(dtype="datetime64[s]").astype(np.int64)
        x = x.astype(np.float64)
        codes, uniques = pd.factorize(events["category"])
        lanes = len(uniques) + 1  # the last one for missing categories (code -1)
        codes = np.where(codes < 0, len(uniques), codes).astype(np.int64)
        setup.floor_plot.setXRange(x0, x1, padding=0)
        bins = setup.bins()
        inside = (x >= x0) & (x < x1)
        where = ((x[inside] - x0) * (bins / (x1 - x0))).astype(np.int64)
        np.minimum(where, bins - 1, out=where)
        flat = codes[inside] * bins + where
        counts = np.bincount(flat, minlength=lanes * bins).reshape(lanes, bins)
        setup.show_raster(counts, x0, x1)
        setup.floor_viewport.repaint()

    progress(
        "timeline load: set_workspace (cold) + first frame vs x/lane from the table + raster "
        "+ setImage + repaint"
    )
    times = measure(
        [
            Case("subject", subject, prepare_subject, subject_done),
            Case("floor", floor_from_table, prepare_floor, floor_done),
        ],
        ws.repeats,
    )
    _apply(result, times)
    setup.workspace = dock.workspace

    # References: the raster alone from precomputed arrays, and the complete load (the
    # details the dock builds on the next turn of the event loop included).
    raster_only = measure(
        [Case("floor", lambda _: setup.floor_frame(x0, x1), prepare_floor, floor_done)],
        ws.repeats,
    )["floor"]
    result.references.append(
        Reference(
            "raster only (x and lane given)",
            "the floor without making x and lane from the table: np.bincount raster from the "
            "dock's own x/lane arrays + setImage + setRect + the first repaint",
            median(raster_only),
            raster_only,
        )
    )

    def complete(arg: tuple[Any, int]) -> None:
        dock.set_workspace(arg[0])
        dock.flush()  # the details of the rebuild too: pins, references, counts, legend
        setup.viewport.repaint()

    whole = measure(
        [Case("subject", complete, prepare_subject, lambda _a, _o: setup.settle())],
        ws.repeats,
    )["subject"]
    result.references.append(
        Reference(
            "complete load",
            "the same load plus what the dock builds on the next turn of the event loop "
            "(annotation pins, reference lines, the count track, the legend) and a repaint",
            median(whole),
            whole,
        )
    )

    order = tl.lane_order(document, dock.lane_mode)

    def cold() -> None:
        codes.clear()

    parts = measure(
        [
            Case("lanes_cold", lambda _: tl.build_lanes(document, dock.lane_mode, order), cold),
            Case("lanes_warm", lambda _: tl.build_lanes(document, dock.lane_mode, order)),
            Case("pins", lambda _: tl.annotation_pins(document)),
            Case("references", lambda _: tl.reference_index(document)),
            Case("update", lambda _: dock.update_view(), setup.settle),
            Case("repaint", lambda _: setup.viewport.repaint(), setup.settle),
        ],
        max(3, ws.repeats),
        warmup=0,
    )
    references = len(tl.reference_index(document).x)
    result.details.update(setup.details)
    result.details["cache state"] = (
        "cold: Document._codes (the factorize cache) and the alias index are cleared before "
        "every timed load; the dock's view is reset to pyqtgraph's default range (0..1)"
    )
    result.details["breakdown (medians, timed separately)"] = (
        f"build_lanes cold {median(parts['lanes_cold']) * 1e3:.0f} ms / warm "
        f"{median(parts['lanes_warm']) * 1e3:.0f} ms, annotation_pins "
        f"{median(parts['pins']) * 1e3:.0f} ms, reference_index "
        f"{median(parts['references']) * 1e3:.0f} ms ({references:,} lines), update_view "
        f"{median(parts['update']) * 1e3:.0f} ms, repaint {median(parts['repaint']) * 1e3:.0f} ms"
    )
    result.checks += [
        "every timed load delivered exactly one Paint event to the viewport (both sides)",
        "before every subject run the factorize cache was empty; after it the category codes "
        "were cached again (the load factorized them)",
        "after every load: the dock holds the new workspace and one glyph per event, "
        "dock.mode == 'density', the view and the density image cover the fit-all range",
        "first load: the density counts add up to the glyphs that start in view",
        "after every floor load: the image's rect and the plot's range equal the range, the "
        "raster counts every event in it",
    ]


# -- pan, 10,000 events, glyphs -----------------------------------------------------------------
def bench_timeline_pan_10k(ws: Workspace, result: Result) -> None:
    setup = timeline_setup(ws, "small")
    dock = setup.dock
    dock.set_x_range(*setup.full)
    dock.flush()
    setup.settle()
    leftovers = {"subject": Leftovers(), "floor": Leftovers()}
    rebuilt: list[bool] = []
    windows: list[Any] = []

    def check(a: float, b: float, count: bool) -> None:
        if dock.mode != "glyphs":
            raise AssertionError(f"the dock draws {dock.mode}, not glyphs")
        _check_view(setup, a, b)
        if dock.density.image.isVisible():
            raise AssertionError("the density image is shown in glyph mode")
        in_view = np.flatnonzero(dock.lanes.in_view(a, b, dock.keep))
        if not len(in_view) or not np.isin(in_view, dock.glyphs.shown).all():
            raise AssertionError("not every glyph in view is drawn")
        rebuilt.append(bool(windows) and dock.loaded is not windows[-1])
        windows.append(dock.loaded)

    progress(f"timeline pan ({SMALL_EVENTS:,} events, glyphs): frames per second")
    repeats = 2 * ws.fast_repeats
    times = measure(_pan_cases(setup, check, leftovers), repeats)
    _apply(result, times)
    x0, x1 = setup.full
    in_view = int(np.count_nonzero(dock.lanes.in_view(x0, x1, dock.keep)))

    def prepare_rebuild() -> None:
        dock.loaded = None  # as when a steady drag leaves the drawn window
        setup.settle()

    rebuild_pan = Pan(setup.full)
    rebuild = measure(
        [Case("subject", lambda _: setup.frame(*rebuild_pan.next()), prepare_rebuild)],
        ws.fast_repeats,
    )["subject"]
    result.references.append(
        Reference(
            "frame that rebuilds the glyph window",
            "the same frame with dock.loaded reset first, so that the glyph items are rebuilt "
            "(a steady drag does this once per view width; alternating pans stay inside the "
            "drawn window)",
            median(rebuild),
            rebuild,
        )
    )
    _pan_breakdown(setup, result, ws.fast_repeats)
    dock.set_x_range(*setup.full)
    dock.flush()
    setup.settle()
    frame, floor_frame = result.measured_s, result.floor_s
    result.details.update(setup.details)
    result.details["view"] = (
        f"the whole data range ({in_view:,} glyphs in view, under the density threshold of "
        f"{dock.density_threshold:,}), shifted by {PAN_FRACTION:.0%} each frame, alternating"
    )
    series = len(result.runs_s) / sum(result.runs_s)
    result.details["frames per second"] = (
        f"subject {1 / frame:.1f} fps (median frame), {series:.1f} fps over the series of "
        f"{len(result.runs_s)} frames; floor {1 / floor_frame:.1f} fps; "
        f"goal {FPS_GOAL:.0f} fps = a frame in at most {1e3 / FPS_GOAL:.1f} ms: "
        f"{(1 / FPS_GOAL) / frame:.2f}x the budget's speed"
    )
    result.details["glyph window rebuilt"] = (
        f"in {sum(rebuilt)} of {len(rebuilt)} checked frames (warm-up included)"
    )
    result.details["event-loop leftovers after a frame (untimed)"] = (
        f"subject {leftovers['subject'].text()}; floor {leftovers['floor'].text()}"
    )
    result.checks += [
        "every timed frame delivered exactly one Paint event to the viewport (both sides)",
        "after every subject frame: dock.mode == 'glyphs', the view range equals the new range, "
        "every glyph in view is drawn, no density image",
        "after every floor frame: the image's rect and the plot's range equal the new range, "
        "the raster counts every event in [x0, x1)",
    ]
