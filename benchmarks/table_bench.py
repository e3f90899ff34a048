"""Event table benchmarks at full size: viewport repaint, sort, filter and column sizing.

One ``workstation.model.workspace.Workspace`` is built over the run's generated document
(``synthetic_document(n)``, the benchmark workspace's ``document``) and one
``EventTableDock(workspace)`` over it, resized to 1200x800 and shown (offscreen unless
``QT_QPA_PLATFORM`` says otherwise). The floor is the same widget shape, a ``QDockWidget``
holding a ``QTableView`` with the same settings, the same hidden columns and the same column
widths, over a constant-string ``QAbstractTableModel`` with the same row and column counts.

"One repaint" is always ``view.viewport().repaint()``: a full synchronous repaint of the
viewport (every visible cell asks the model for its data), the same call for subject and floor.
Each timed repaint is checked to deliver exactly one ``Paint`` event to the viewport. Pending
events are processed before every timed call (outside the timed region), so that neither side
pays for the other's leftovers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from benchmarks.harness import Case, Reference, Result, measure, median
from benchmarks.workspace import Workspace, progress

FLOOR_TEXT = "constant"  # short enough to fit the narrowest column: no eliding in the floor
DOCK_SIZE = (1200, 800)
TEXT_QUERY = "launch"
CATEGORY = "launch"  # the commonest synthetic category (~45% of events)


def _quiet_offscreen_warning(mode: Any, context: Any, message: str) -> None:
    """Qt's message handler: drop the offscreen plugin's harmless propagateSizeHints notice
    (printed for every new window), pass everything else on to stderr."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _qt() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    qInstallMessageHandler(_quiet_offscreen_warning)
    return QApplication.instance() or QApplication(sys.argv[:1])


def count_paints(paints: dict[str, int], key: str, widget: Any) -> Any:
    """Count the ``Paint`` events ``widget`` receives into ``paints[key]`` (an event filter;
    keep the returned object alive)."""
    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint:
                paints[key] += 1
            return False

    counter = PaintCounter()
    widget.installEventFilter(counter)
    return counter


@dataclass
class TableSetup:
    app: Any
    workspace: Any  # workstation.model.workspace.Workspace
    dock: Any  # EventTableDock
    floor_dock: Any  # QDockWidget
    floor_view: Any  # QTableView
    floor_model: Any  # ConstantModel
    viewport: Any
    floor_viewport: Any
    paints: dict[str, int]  # Paint events counted on each viewport
    counters: list[Any] = field(default_factory=list)  # the event filters (kept alive)
    details: dict[str, str] = field(default_factory=dict)

    def settle(self) -> None:
        for _ in range(2):
            self.app.processEvents()

    def repaint(self) -> None:
        self.viewport.repaint()

    def floor_repaint(self) -> None:
        self.floor_viewport.repaint()

    def scroll_middle(self) -> None:
        for view in (self.dock.view, self.floor_view):
            bar = view.verticalScrollBar()
            bar.setValue(bar.maximum() // 2)

    def copy_shape(self) -> None:
        """The floor view gets the subject's hidden columns and column widths."""
        view = self.dock.view
        for section in range(self.floor_model.columnCount()):
            self.floor_view.setColumnHidden(section, view.isColumnHidden(section))
            self.floor_view.setColumnWidth(section, view.columnWidth(section))


_SETUPS: dict[int, TableSetup] = {}


def close() -> None:
    """Close and drop the docks (before the interpreter shuts Qt down)."""
    for setup in _SETUPS.values():
        setup.dock.close()
        setup.floor_dock.close()
        setup.settle()
        setup.dock.deleteLater()
        setup.floor_dock.deleteLater()
        setup.settle()
    _SETUPS.clear()


def table_setup(ws: Workspace) -> TableSetup:
    """Build the subject dock and the floor dock once per benchmark run."""
    if id(ws) in _SETUPS:
        return _SETUPS[id(ws)]
    app = _qt()
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QTableView

    from workstation.model.workspace import Workspace as AppWorkspace
    from workstation.ui.event_table_dock import EventTableDock
    from workstation.ui.event_table_model import COLUMNS

    display = int(Qt.ItemDataRole.DisplayRole)  # roles arrive as plain ints
    horizontal = Qt.Orientation.Horizontal
    headers = [column.header for column in COLUMNS]

    class ConstantModel(QAbstractTableModel):
        """FLOOR model: the same shape, one constant string for every cell."""

        def __init__(self, rows: int) -> None:
            super().__init__()
            self.rows = rows

        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else self.rows

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(headers)

        def data(self, index: Any, role: int = display) -> Any:
            return FLOOR_TEXT if role == display else None

        def headerData(self, section: int, orientation: Any, role: int = display) -> Any:
            if role == display and orientation == horizontal:
                return headers[section]
            return None

        def reset_rows(self, rows: int) -> None:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()

    paints = {"subject": 0, "floor": 0}

    events = len(ws.document.events)
    progress(f"table: building a Workspace and an EventTableDock over {events:,} events")
    start = perf_counter()
    workspace = AppWorkspace(ws.document)
    built_workspace = perf_counter() - start
    start = perf_counter()
    dock = EventTableDock(workspace)
    built_dock = perf_counter() - start
    dock.resize(*DOCK_SIZE)
    dock.show()

    floor_model = ConstantModel(events)
    floor_dock = QDockWidget("Events")
    floor_view = QTableView(floor_dock)
    floor_view.setModel(floor_model)
    floor_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    floor_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    floor_view.setAlternatingRowColors(True)
    floor_view.setWordWrap(False)
    floor_view.verticalHeader().setVisible(False)
    floor_view.verticalHeader().setDefaultSectionSize(
        dock.view.verticalHeader().defaultSectionSize()
    )
    floor_view.setSortingEnabled(True)
    floor_header = floor_view.horizontalHeader()
    floor_header.setSectionsMovable(True)
    floor_header.setStretchLastSection(True)
    floor_dock.setWidget(floor_view)
    floor_dock.resize(*DOCK_SIZE)
    floor_dock.show()

    setup = TableSetup(
        app=app,
        workspace=workspace,
        dock=dock,
        floor_dock=floor_dock,
        floor_view=floor_view,
        floor_model=floor_model,
        viewport=dock.view.viewport(),
        floor_viewport=floor_view.viewport(),
        paints=paints,
    )
    setup.copy_shape()
    setup.counters = [
        count_paints(paints, "subject", setup.viewport),
        count_paints(paints, "floor", setup.floor_viewport),
    ]
    setup.settle()
    setup.scroll_middle()
    setup.settle()
    if setup.viewport.size() != setup.floor_viewport.size():
        raise AssertionError(
            f"viewport sizes differ: {setup.viewport.size()} vs {setup.floor_viewport.size()}"
        )
    if dock.model.rowCount() != events or floor_model.rowCount() != events:
        raise AssertionError("the models do not have one row per event")
    size = setup.viewport.size()
    setup.details["viewport"] = (
        f"{size.width()}x{size.height()} px, {dock.view.verticalHeader().defaultSectionSize()} px "
        f"rows, {sum(not c.shown for c in COLUMNS)} of {len(COLUMNS)} columns hidden "
        f"(the default layout), {events:,} rows"
    )
    setup.details["set-up (untimed)"] = (
        f"Workspace(document) {built_workspace * 1e3:.0f} ms, EventTableDock(workspace) "
        f"{built_dock:.2f} s (first refresh: time sort of every row, lazy column arrays, "
        "size_columns)"
    )
    _SETUPS[id(ws)] = setup
    return setup


def _section(key: str) -> int:
    from workstation.ui.event_table_model import COLUMNS

    return [column.key for column in COLUMNS].index(key)


def _set_sort_quietly(setup: TableSetup, section: int, ascending: bool = True) -> None:
    """Move the header's sort indicator without sorting (signals blocked): the next
    ``setSortIndicator`` on another section is a real change and sorts."""
    from PySide6.QtCore import Qt

    header = setup.dock.view.horizontalHeader()
    order = Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder
    header.blockSignals(True)
    try:
        header.setSortIndicator(section, order)
    finally:
        header.blockSignals(False)


def _sort_by(setup: TableSetup, section: int) -> None:
    """Sort the subject through its header, the way a click does."""
    from PySide6.QtCore import Qt

    setup.dock.view.horizontalHeader().setSortIndicator(section, Qt.SortOrder.AscendingOrder)


def _reset_view(setup: TableSetup) -> None:
    """No filter, sorted by time ascending (the default), both views in the middle."""
    from workstation.model.query import EventQuery

    setup.workspace.set_query(EventQuery())
    model = setup.dock.model
    if model.sort_key != "time" or not model.sort_ascending:
        _set_sort_quietly(setup, _section("category"))
        _sort_by(setup, _section("time"))
    if setup.floor_model.rowCount() != len(setup.workspace.document.events):
        setup.floor_model.reset_rows(len(setup.workspace.document.events))
    setup.settle()
    setup.scroll_middle()
    setup.settle()


def _paint_check(setup: TableSetup, key: str) -> tuple[Callable[[], Any], Callable[..., None]]:
    """``prepare`` and ``cleanup`` that settle, remember the paint count and check that the
    timed call delivered exactly one Paint event to the viewport."""

    def prepare() -> int:
        setup.settle()
        return setup.paints[key]

    def cleanup(before: int, _out: object) -> None:
        painted = setup.paints[key] - before
        if painted != 1:
            raise AssertionError(f"{key}: {painted} Paint events in one timed repaint, not 1")

    return prepare, cleanup


def _apply(result: Result, times: dict[str, list[float]]) -> None:
    result.runs_s, result.floor_runs_s = times["subject"], times["floor"]
    result.measured_s, result.floor_s = median(result.runs_s), median(result.floor_runs_s)


# -- repaint ----------------------------------------------------------------------------------
def bench_table_repaint(ws: Workspace, result: Result) -> None:
    setup = table_setup(ws)
    _reset_view(setup)
    progress("table repaint: EventTableModel vs constant-string model, viewport.repaint()")
    subject_prepare, subject_cleanup = _paint_check(setup, "subject")
    floor_prepare, floor_cleanup = _paint_check(setup, "floor")
    times = measure(
        [
            Case("subject", lambda _: setup.repaint(), subject_prepare, subject_cleanup),
            Case("floor", lambda _: setup.floor_repaint(), floor_prepare, floor_cleanup),
        ],
        ws.fast_repeats,
    )
    _apply(result, times)
    view = setup.dock.view
    first, last = view.rowAt(0), view.rowAt(setup.viewport.height() - 1)
    middle = setup.dock.model.rowCount() // 2
    if not first <= middle + 50 or first < middle // 2:
        raise AssertionError(f"the view is not scrolled to the middle (first row {first})")
    image = setup.viewport.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, 200, 3)}
    if len(colours) < 8:
        raise AssertionError("the subject's viewport looks blank")
    result.details.update(setup.details)
    result.details["rows on screen"] = f"{first:,} to {last:,} (the middle of the table)"
    result.checks += [
        "every timed repaint delivered exactly one Paint event to the viewport (both sides)",
        "subject and floor viewports have the same size, hidden columns and column widths",
        f"the subject viewport is drawn (grab shows {len(colours)} colours in a sample)",
    ]


# -- sort -------------------------------------------------------------------------------------
def _title_candidates(events: pd.DataFrame) -> dict[str, tuple[str, Callable[[], np.ndarray]]]:
    """Bare stable argsorts of the title column in every representation at hand; the fastest
    one (measured in the same run) becomes the floor."""
    title = events["title"].reset_index(drop=True)
    as_arrow = pa.array(title)
    as_object = title.to_numpy(dtype=object)
    as_stringdtype = as_object.astype(np.dtypes.StringDType())
    as_unicode = as_object.astype(str)
    return {
        "pandas": (
            "Series.argsort(kind='stable') of the Arrow-backed str column",
            lambda: title.argsort(kind="stable").to_numpy(),
        ),
        "arrow": (
            "pyarrow.compute.array_sort_indices of the column as a pyarrow StringArray",
            lambda: pc.array_sort_indices(as_arrow).to_numpy(),
        ),
        "stringdtype": (
            "np.argsort(kind='stable') of the column as a numpy StringDType array",
            lambda: np.argsort(as_stringdtype, kind="stable"),
        ),
        "unicode": (
            "np.argsort(kind='stable') of the column as a fixed-width numpy <U array",
            lambda: np.argsort(as_unicode, kind="stable"),
        ),
        "object": (
            "np.argsort(kind='stable') of the column as a numpy object array",
            lambda: np.argsort(as_object, kind="stable"),
        ),
    }


def _bench_sort(ws: Workspace, result: Result, key: str) -> None:
    setup = table_setup(ws)
    _reset_view(setup)
    model = setup.dock.model
    events = setup.workspace.document.events
    section, other = _section(key), _section("category")
    if key == "title":
        candidates = _title_candidates(events)
    else:
        seconds = model.array("time")
        candidates = {
            "int64": (
                "np.argsort(kind='stable') of start_utc as int64 seconds (the model's array)",
                lambda: np.argsort(seconds, kind="stable"),
            ),
        }
    progress(f"table sort ({key}): choosing the fastest bare argsort of {len(candidates)}")
    tried = measure(
        [Case(name, lambda _, f=f: f()) for name, (_how, f) in candidates.items()],
        repeats=2 if len(candidates) > 1 else 1,
        warmup=0,
    )
    fastest = min(tried, key=lambda name: min(tried[name]))
    how, argsort = candidates[fastest]
    reference_order = argsort()

    def prepare_subject() -> int:
        _set_sort_quietly(setup, other)
        # As after sorting by the other column: the model keeps only the current key's order.
        setup.dock.model._sorted = None
        setup.scroll_middle()
        setup.settle()
        return setup.paints["subject"]

    def prepare_floor() -> int:
        setup.scroll_middle()
        setup.settle()
        return setup.paints["floor"]

    verified: list[bool] = []

    def check_subject(before: int, _out: object) -> None:
        if setup.paints["subject"] - before < 1:
            raise AssertionError("the subject's viewport was not painted")
        if model.sort_key != key or not model.sort_ascending:
            raise AssertionError(f"the model is not sorted by {key}: {model.sort_key}")
        if not verified:
            if not np.array_equal(model.order, reference_order):
                raise AssertionError(f"the model's order differs from a stable argsort of {key}")
            verified.append(True)

    _, check_floor = _paint_check(setup, "floor")

    def subject(_: object) -> None:
        _sort_by(setup, section)
        setup.repaint()

    def floor(_: object) -> None:
        argsort()
        setup.floor_repaint()

    progress(f"table sort ({key}): header setSortIndicator + repaint vs bare argsort + repaint")
    times = measure(
        [
            Case("subject", subject, prepare_subject, check_subject),
            Case("floor", floor, prepare_floor, check_floor),
        ],
        ws.repeats,
    )
    _apply(result, times)
    result.floor_how = f"{result.floor_how}; the argsort used: {how} (the fastest found)"
    for name, (text, _f) in candidates.items():
        if name != fastest:
            result.references.append(
                Reference(f"bare argsort: {name}", text, median(tried[name]), tried[name])
            )
    result.details["bare argsort tried (best of 2)"] = ", ".join(
        f"{name} {min(runs) * 1e3:.0f} ms"
        for name, runs in sorted(tried.items(), key=lambda i: min(i[1]))
    )
    _reset_view(setup)
    result.checks += [
        f"the model's order after the header sort equals the floor's stable argsort of {key}, "
        "row for row (first run)",
        "each timed subject run painted its viewport; each floor run exactly one Paint event",
    ]


def bench_table_sort_title(ws: Workspace, result: Result) -> None:
    _bench_sort(ws, result, "title")


def bench_table_sort_time(ws: Workspace, result: Result) -> None:
    _bench_sort(ws, result, "time")


# -- filter -----------------------------------------------------------------------------------
def _bench_filter(
    ws: Workspace, result: Result, query: Any, floor_mask: Callable[[pd.DataFrame], np.ndarray]
) -> None:
    from workstation.model.query import EventQuery, QueryContext

    setup = table_setup(ws)
    _reset_view(setup)
    model = setup.dock.model
    document = setup.workspace.document
    events = document.events
    expected = int(query.mask(events, QueryContext.of(document)).sum())
    floor_rows = int(floor_mask(events).sum())
    if expected == 0 or floor_rows == 0:
        raise AssertionError("the filter matches nothing: the benchmark data is wrong")

    def prepare_subject() -> int:
        setup.workspace.set_query(EventQuery())  # refreshes (untimed)
        setup.scroll_middle()
        setup.settle()
        return setup.paints["subject"]

    def prepare_floor() -> int:
        setup.floor_model.reset_rows(len(events))
        setup.scroll_middle()
        setup.settle()
        return setup.paints["floor"]

    def check_subject(before: int, _out: object) -> None:
        if setup.paints["subject"] - before < 1:
            raise AssertionError("the subject's viewport was not painted")
        if model.rowCount() != expected:
            raise AssertionError(f"{model.rowCount():,} rows shown, {expected:,} expected")

    _, check_floor = _paint_check(setup, "floor")

    def subject(_: object) -> None:
        setup.workspace.set_query(query)
        setup.repaint()

    def floor(_: object) -> None:
        mask = floor_mask(events)
        setup.floor_model.reset_rows(int(np.count_nonzero(mask)))
        setup.floor_repaint()

    times = measure(
        [
            Case("subject", subject, prepare_subject, check_subject),
            Case("floor", floor, prepare_floor, check_floor),
        ],
        ws.fast_repeats,
    )
    _apply(result, times)
    mask_only = measure(
        [
            Case("query", lambda _: query.mask(events, QueryContext.of(document))),
            Case("floor_mask", lambda _: floor_mask(events)),
        ],
        max(3, ws.repeats),
        warmup=0,
    )
    result.details["rows shown"] = f"{expected:,} of {len(events):,} (floor mask: {floor_rows:,})"
    result.details["breakdown (medians, timed separately)"] = (
        f"EventQuery.mask incl. QueryContext.of {median(mask_only['query']) * 1e3:.0f} ms, "
        f"the floor's bare mask {median(mask_only['floor_mask']) * 1e3:.0f} ms"
    )
    _reset_view(setup)
    result.checks += [
        "after every timed filter the model shows exactly the rows EventQuery.mask selects",
        "each timed subject run painted its viewport; each floor run exactly one Paint event",
    ]


#: The columns free text searches (the issue: title, summary, tags, place and system names).
TEXT_COLUMNS = ("title", "summary", "tags", "place", "systems")


def text_contains(events: pd.DataFrame) -> np.ndarray:
    """The same free-text filter as a bare pandas mask: one str.contains per searched column.
    (Aliases and place names, which the real query also matches, are left out of the floor.)"""
    mask = np.zeros(len(events), dtype=bool)
    for name in TEXT_COLUMNS:
        mask |= (
            events[name]
            .str.contains(TEXT_QUERY, case=False, regex=False)
            .to_numpy(dtype=bool, na_value=False)
        )
    return mask


def category_is(events: pd.DataFrame) -> np.ndarray:
    mask: np.ndarray = events["category"].isin([CATEGORY]).to_numpy(dtype=bool, na_value=False)
    return mask


def bench_table_filter(ws: Workspace, result: Result) -> None:
    from workstation.model.query import EventQuery

    progress(f"table filter: set_query(text={TEXT_QUERY!r}) + repaint vs bare mask + reset")
    _bench_filter(ws, result, EventQuery(text=TEXT_QUERY), text_contains)


def bench_table_filter_category(ws: Workspace, result: Result) -> None:
    from workstation.model.query import EventQuery

    progress(f"table filter: set_query(categories={{{CATEGORY!r}}}) + repaint vs isin + reset")
    _bench_filter(ws, result, EventQuery(categories=frozenset({CATEGORY})), category_is)


# -- column widths ----------------------------------------------------------------------------
def bench_table_column_widths(ws: Workspace, result: Result) -> None:
    from workstation.ui.event_table_dock import SAMPLE_ROWS
    from workstation.ui.event_table_model import COLUMNS

    setup = table_setup(ws)
    _reset_view(setup)
    widths = [setup.dock.view.columnWidth(s) for s in range(len(COLUMNS))]
    floor_model, floor_view = setup.floor_model, setup.floor_view

    def floor(_: object) -> None:
        """The same sampling over the constant model: header and 200 rows per column."""
        metrics = floor_view.fontMetrics()
        rows = min(floor_model.rowCount(), SAMPLE_ROWS)
        for section, column in enumerate(COLUMNS):
            texts = [
                str(floor_model.data(floor_model.index(r, section)) or "") for r in range(rows)
            ]
            widest = max([metrics.horizontalAdvance(t) for t in texts] or [0])
            header = metrics.horizontalAdvance(column.header) + 24
            extra = 40 if column.key == "category" else 14
            floor_view.setColumnWidth(section, min(max(widest + extra, header), 420))

    def check(_arg: object, _out: object) -> None:
        now = [setup.dock.view.columnWidth(s) for s in range(len(COLUMNS))]
        if now != widths:
            raise AssertionError(f"size_columns gave other widths: {now} vs {widths}")

    progress("table column widths: EventTableDock.size_columns()")
    times = measure(
        [
            Case("subject", lambda _: setup.dock.size_columns(), cleanup=check),
            Case("floor", floor, cleanup=lambda _a, _o: setup.copy_shape()),
        ],
        ws.fast_repeats,
    )
    _apply(result, times)
    result.details["sample"] = (
        f"{SAMPLE_ROWS} rows x {len(COLUMNS)} columns of {setup.dock.model.rowCount():,}"
    )
    result.details["widths (px)"] = ", ".join(
        f"{c.key} {w}" for c, w in zip(COLUMNS, widths, strict=True)
    )
    result.checks.append("size_columns gives the same widths on every run")
