"""One start-up measurement in a fresh process (run by ``startup_bench``, not imported).

``python benchmarks/startup_child.py MODE [PROJECT SETTINGS_INI]`` with MODE one of
``floor_paint``, ``subject_paint``, ``floor_interactive``, ``subject_interactive``.

Every time is read from ``CLOCK_MONOTONIC``, which is system-wide on Linux and macOS: the
parent reads the same clock just before ``Popen`` and passes it in ``WS_BENCH_T0_NS``, so
``now - t0`` is the wall time since the parent asked for the process (fork/exec, interpreter
start-up, ``site``, imports, the window, the paint). The child prints one JSON line
``BENCH-RESULT {...}`` with its timestamps (ns, relative to t0) and leaves with ``os._exit(0)``
right after, so that tear-down (and, for ``subject_paint``, the deferred project load that is
already queued) never runs and is never charged.

The very first statement reads the clock: ``script_top`` is when the interpreter reached this
script (interpreter start-up and ``site`` done).
"""

import time

_TOP_NS = time.clock_gettime_ns(time.CLOCK_MONOTONIC)

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

T0_NS = int(os.environ.get("WS_BENCH_T0_NS", _TOP_NS))
HEAVY = ("numpy", "pandas", "pyarrow", "pyqtgraph")


def now() -> int:
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) - T0_NS


def main() -> None:
    mode = sys.argv[1]
    marks: dict[str, object] = {"script_top": _TOP_NS - T0_NS}

    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    marks["qt_imported"] = now()
    # The application object exactly as the GUI entry point makes it (gui_main.run_gui).
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Workstation")
    app.setOrganizationName("Workstation")
    marks["app_created"] = now()

    subject = mode.startswith("subject")
    window: QMainWindow
    if subject:
        from workstation.app import create_main_window

        settings = QSettings(sys.argv[3], QSettings.Format.IniFormat)
        window = create_main_window(sys.argv[2], defer_load=True, settings=settings)
    else:
        window = QMainWindow()
        window.resize(1280, 800)  # the size MainWindow gives itself: the same pixels to paint
    marks["window_created"] = now()
    marks["heavy_before_show"] = [name for name in HEAVY if name in sys.modules]

    def finish() -> None:
        marks["finished"] = now()
        marks["imported"] = [name for name in HEAVY if name in sys.modules]
        print("BENCH-RESULT " + json.dumps(marks), flush=True)
        sys.stderr.flush()
        os._exit(0)

    def frame_done() -> None:
        # A zero timer posted from inside the first paint fires once that paint (the window,
        # its children, the flush) has returned to the event loop: the first frame is done.
        marks["frame_done"] = now()
        marks["heavy_at_frame"] = [name for name in HEAVY if name in sys.modules]
        if subject:
            marks["views_built_at_frame"] = getattr(window, "event_dock", None) is not None
        if mode.endswith("_paint"):
            finish()

    def heavy_imports() -> None:  # the interactive floor's stand-in for the project load
        import numpy  # noqa: F401
        import pandas  # noqa: F401
        import pyqtgraph  # noqa: F401

        marks["loaded"] = now()
        QTimer.singleShot(0, idle)

    def idle() -> None:
        marks["idle"] = now()
        finish()

    if mode == "subject_interactive":
        # Learn the moment the deferred start-up (build_views, store.load, set_document) has
        # returned, without polling: wrap the bound method that MainWindow.paintEvent's zero
        # timer calls. Nothing else of the window is touched.
        original = getattr(window, "open_startup_project", None)
        if original is None:
            print("BENCH-ERROR MainWindow.open_startup_project is gone", flush=True)
            os._exit(1)

        def open_and_mark(requested: object) -> None:
            marks["load_started"] = now()
            original(requested)
            marks["loaded"] = now()
            workspace = getattr(window, "workspace", None)
            dock = getattr(window, "event_dock", None)
            marks["rows"] = dock.model.rowCount() if dock is not None else None
            if workspace is None or marks["rows"] != 26:
                print(f"BENCH-ERROR the project did not load: {marks}", flush=True)
                os._exit(1)

        window.open_startup_project = open_and_mark  # type: ignore[method-assign]

    def frame_after_load() -> None:
        # The first frame of the window after the load (it holds the populated table) has
        # been painted and the event loop has come back: the window is interactive.
        marks["idle"] = now()
        finish()

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() != QEvent.Type.Paint:
                return False
            if "paint" not in marks:
                # Runs before the window's own paintEvent: our zero timer is queued before the
                # one MainWindow.paintEvent queues for the deferred load.
                marks["paint"] = now()
                QTimer.singleShot(0, frame_done)
                if mode == "floor_interactive":
                    QTimer.singleShot(0, heavy_imports)
            elif "loaded" in marks and "paint_after_load" not in marks and subject:
                marks["paint_after_load"] = now()
                QTimer.singleShot(0, frame_after_load)
            return False

    first_paint = FirstPaint()
    window.installEventFilter(first_paint)
    window.show()
    marks["shown"] = now()
    app.exec()
    print("BENCH-ERROR the event loop ended before the measurement", flush=True)
    os._exit(1)


if __name__ == "__main__":
    main()
