"""Regenerate the README's screenshots (``make screenshots``).

Runs offscreen: the window is built on the seed project, shown, and grabbed to PNG files in
docs/screenshots/. Look at them after regenerating: what a person sees is part of the work.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def _utc(*parts: int) -> float:
    return datetime(*parts, tzinfo=UTC).timestamp()  # type: ignore[misc]


def main() -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    # A private data folder, so screenshots never depend on (or change) the user's state.
    os.environ["WORKSTATION_DATA_DIR"] = tempfile.mkdtemp(prefix="workstation-shots-")
    app = QApplication(sys.argv)
    from PySide6.QtCore import QSettings

    from workstation import paths
    from workstation.app import create_main_window

    settings = QSettings(
        os.path.join(os.environ["WORKSTATION_DATA_DIR"], "settings.ini"), QSettings.Format.IniFormat
    )
    window = create_main_window(paths.user_seed_copy(), settings=settings)
    window.resize(1440, 900)
    window.show()
    assert window.workspace is not None
    assert window.filter_bar is not None
    assert window.timeline_dock is not None
    timeline = window.timeline_dock
    app.processEvents()  # the default dock sizes (and the timeline's fit to them) come first
    window.workspace.selection.set(["A11"])
    # The note on that launch, chosen: it selects the seven launch days it is about.
    assert window.annotation_dock is not None
    window.annotation_dock.view.selectRow(0)
    timeline.set_x_range(_utc(2021, 8, 20), _utc(2022, 5, 5))
    timeline.flush()
    app.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)

    def shoot(name: str, widget: QWidget) -> bool:
        app.processEvents()
        target = OUT / name
        if not widget.grab().save(str(target)):
            print(f"could not write {target}", file=sys.stderr)
            return False
        print(f"wrote {target}")
        return True

    if not shoot("main-window.png", window):
        return 1
    # The timeline alone on January 2022, with a time filter region dragged over 10-20 January.
    timeline.setFloating(True)  # alone, at a size where the lanes and labels read
    timeline.resize(1400, 600)
    timeline.set_x_range(_utc(2021, 12, 27), _utc(2022, 2, 21))
    timeline.set_time_filter(_utc(2022, 1, 9, 15), _utc(2022, 1, 20, 15))
    timeline.flush()
    if not shoot("timeline.png", timeline):
        return 1
    timeline.clear_time_filter()
    timeline.setFloating(False)
    # The comparison on its own: 5 vs 11 January, the apogee claims drawn with their bounds.
    assert window.comparison_dock is not None
    comparison = window.comparison_dock
    comparison.setFloating(True)
    comparison.resize(1100, 820)
    comparison.select_cell("apogee", "event:A08")
    comparison.tabs.setCurrentIndex(1)
    comparison.chart_parameter.setCurrentIndex(1)
    if not shoot("comparison.png", comparison):
        return 1
    comparison.tabs.setCurrentIndex(2)
    if not shoot("apogee-range.png", comparison.scatter.widget):
        return 1
    comparison.setFloating(False)
    comparison.tabs.setCurrentIndex(0)
    window.filter_bar.set_query_text("system:KN-23 after:2021-01-01")
    timeline.set_x_range(_utc(2021, 8, 20), _utc(2022, 3, 1))
    timeline.flush()
    if not shoot("filtered.png", window):
        return 1
    # The annotation editor: the notes on the 30 January launch, one of them open.
    window.filter_bar.set_query_text("")
    assert window.annotation_dock is not None
    notes = window.annotation_dock
    window.workspace.selection.set(["A19"])  # the list follows: the notes on A19
    window.workspace.select_annotations(["N04"])
    notes.setFloating(True)
    notes.resize(620, 900)
    if not shoot("annotations.png", notes):
        return 1
    notes.editor.tabs.setCurrentWidget(notes.editor.versions)
    notes.setFloating(False)
    # The import dialog on a colleague's spreadsheet (written here: never third-party data).
    sheet = Path(os.environ["WORKSTATION_DATA_DIR"]) / "colleague-launches.csv"
    sheet.write_text(
        "When,Clock,What,Where,Weapon,Reach,Apogee,Source\n"
        '2022-01-05,08:10,Hypersonic missile test,Mupyong-ni,Hwasong-8 MARV,"about 700 km",'
        "50 km,S2\n"
        "2022-01-11,07:27,Second hypersonic test,Mupyong-ni,Hwasong-8 MARV,"
        '"1,000 km",60 km,S1\n'
        "2022-03-24,14:34,ICBM launch,Sunan,Hwasong-17,1080 km,6248.5 km,\n"
        "Apr-22,,Month-only report,,KN-23,Unknown,Unknown,\n"
        "2022-05-04,12:03,SRBM launch,Sunan,KN-23,470 km,780 lm,\n",
        encoding="utf-8",
    )
    window.show_import(sheet)
    importer = window.import_dialog

    def planned() -> None:
        for _ in range(300):  # reading and planning run off the UI thread
            app.processEvents()
            if not importer.busy and not importer._debounce.isActive() and importer.result:
                return
            time.sleep(0.02)

    planned()  # the file's columns are in the lists once it has been read
    importer.zone.setCurrentText("Asia/Seoul")
    importer.columns["title"].setCurrentIndex(importer.columns["title"].findText("What"))
    importer.columns["range"].setCurrentIndex(importer.columns["range"].findText("Reach"))
    planned()
    if not shoot("import.png", importer):
        return 1
    importer.reject()
    window.files.ask_unsaved = lambda: "discard"  # type: ignore[method-assign]
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
