"""File > Import: other people's tables into the project, seen before they go in.

The dialog reads the file, chooses a preset from its columns (CNS, nk-missile-tests,
canonical) or guesses a column mapping the analyst can correct, previews the first events as
they will be imported, and lists every row that will not simply be imported (skipped, merged,
flagged) with the reason. Reading and planning run off the UI thread; nothing touches the
project until *Import*, which pushes the whole import as one undoable command.

Questions to the user go through small replaceable methods (``ask_mapping_name``) so tests can
answer them.
"""

from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.io.importer import ImportPlan, Incoming, OnDuplicate, plan, report_lines
from workstation.io.mapping import FIELDS, Mapping, guess
from workstation.io.readers import RawTable, read_file
from workstation.io.run_import import (
    PRESETS,
    ImportOptions,
    check_valid,
    from_raw,
    preset_of,
)
from workstation.model.dates import format_utc, local_datetime
from workstation.model.workspace import Workspace

SAVED_KEY = "import/mappings"  # user settings: name -> mapping (JSON)
NONE = "(none)"
PREVIEW_ROWS = 50
REPORT_ROWS = 10_000  # report lines shown; a larger file's full report is the command line's
POLL_MS = 50
ENCODINGS = ("", "utf-8", "cp1252", "latin-1", "utf-16", "cp949", "gb18030", "cp932")
ZONES = ("UTC", "Asia/Seoul", "Asia/Pyongyang", "Asia/Tokyo", "America/New_York", "Europe/London")
#: The preset combo's choices: found from the columns, a preset, or the mapping shown.
CHOICES = {"": "Chosen from the columns", **PRESETS, "mapped": "Columns mapped below"}


class Stages:
    """How far the worker has come, shared with the UI thread (plain attributes: each write
    is atomic), and the UI's request to stop."""

    STEPS = ("Reading the file…", "Checking every row…", "Matching places and duplicates…",
             "Checking the result…")  # fmt: skip

    def __init__(self) -> None:
        self.step = 0
        self.stopped = False

    def reach(self, step: int) -> None:
        if self.stopped:
            raise StoppedError
        self.step = step


class StoppedError(Exception):
    """The dialog closed while the worker was still reading: its work is thrown away."""


@dataclass
class Work:
    """What the worker thread hands back: the file read, the import planned, or why not."""

    raw: RawTable | None = None
    incoming: Incoming | None = None
    plan: ImportPlan | None = None
    error: str = ""


class ImportDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        path: Path,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {path.name}")
        self.workspace, self.path, self.settings = workspace, path, settings
        self.raw: RawTable | None = None
        self._filled_for: RawTable | None = None  # the file the column lists were filled from
        self.result: ImportPlan | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import")
        self._future: Future[Work] | None = None
        self._again = False  # options changed while the worker was busy
        self._filling = False

        self.file = QLabel(str(path), self)
        self.file.setWordWrap(True)
        self.preset = QComboBox(self)
        self.preset.setObjectName("importPreset")
        for key, label in CHOICES.items():
            self.preset.addItem(label, key)
        for name in self.saved_mappings():
            self.preset.addItem(f"Saved mapping: {name}", f"saved:{name}")
        self.encoding = QComboBox(self)
        self.encoding.setObjectName("importEncoding")
        for name in ENCODINGS:
            self.encoding.addItem(name or "Detect", name)
        self.zone = QComboBox(self)
        self.zone.setObjectName("importZone")
        self.zone.setEditable(True)
        self.zone.addItems(ZONES)
        self.zone.setToolTip("The time zone the mapped date and time columns are written in")
        self.duplicates = QComboBox(self)
        self.duplicates.setObjectName("importDuplicates")
        for key, label in (
            ("skip", "Skip them"),
            ("merge", "Merge their claims into the existing event"),
            ("keep", "Keep both"),
        ):
            self.duplicates.addItem(label, key)
        self.mapping = QTableWidget(len(FIELDS), 2, self)
        self.mapping.setObjectName("importMapping")
        self.mapping.setHorizontalHeaderLabels(["Field", "Column"])
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.columns: dict[str, QComboBox] = {}
        for row, name in enumerate(FIELDS):
            self.mapping.setItem(row, 0, QTableWidgetItem(name))
            combo = QComboBox(self.mapping)
            combo.currentIndexChanged.connect(self._mapping_edited)
            self.mapping.setCellWidget(row, 1, combo)
            self.columns[name] = combo
        self.save_mapping = QPushButton("Save Mapping…", self)
        self.save_mapping.setObjectName("saveMapping")
        self.save_mapping.clicked.connect(self.save_current_mapping)
        self.preview = QTableWidget(0, 6, self)
        self.preview.setObjectName("importPreview")
        self.preview.setHorizontalHeaderLabels(
            ["Event", "Time (its zone)", "UTC", "Title", "Place", "Missiles"]
        )
        self.preview.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.preview.verticalHeader().setVisible(False)
        self.report = QListWidget(self)
        self.report.setObjectName("importReport")
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, len(Stages.STEPS))
        self.progress.setFormat("%v of %m steps")
        self.progress.hide()
        self._stages = Stages()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("File:", self.file)
        form.addRow("&Preset:", self.preset)
        form.addRow("&Encoding:", self.encoding)
        form.addRow("Time &zone:", self.zone)
        form.addRow("&Duplicates:", self.duplicates)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.mapping, 1)
        left_layout.addWidget(self.save_mapping)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.preview)
        right.addWidget(self.report)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([380, 720])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.buttons)
        layout.addLayout(row)
        self.resize(1180, 700)

        self._timer = QTimer(self)  # polls the worker, so the UI never waits on it
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        for combo in (self.encoding, self.duplicates):
            combo.currentIndexChanged.connect(self._changed)
        self.zone.currentTextChanged.connect(self._changed)
        self.encoding.currentIndexChanged.connect(self._forget_file)
        self.refresh()

    # -- options -------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._future is not None

    def current_mapping(self) -> Mapping:
        columns = {
            name: combo.currentText()
            for name, combo in self.columns.items()
            if combo.currentText() and combo.currentText() != NONE
        }
        zone = self.zone.currentText().strip() or "UTC"
        return Mapping(
            columns, zone=zone, claimant=self.path.stem, id_prefix=f"{self.path.stem[:12]}-"
        )

    def options(self) -> ImportOptions:
        preset = str(self.preset.currentData() or "")
        return ImportOptions(
            self.workspace.document.path or Path("project"),
            self.path,
            preset if preset and not preset.startswith("saved:") else None,
            (),
            str(self.encoding.currentData() or "") or None,
            None,
            self.duplicate_choice(),
        )

    def duplicate_choice(self) -> OnDuplicate:
        choice = str(self.duplicates.currentData())
        return "merge" if choice == "merge" else "keep" if choice == "keep" else "skip"

    def _changed(self, *_: object) -> None:
        if not self._filling:
            self.import_button.setEnabled(False)
            self._debounce.start()

    def _mapping_edited(self, *_: object) -> None:
        """A column chosen by hand: the mapping below is what the import uses now."""
        if self._filling:
            return
        key = str(self.preset.currentData() or "")
        if key != "mapped" and not key.startswith("saved:"):
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.findData("mapped"))
            self.preset.blockSignals(False)
        self._changed()

    def _preset_chosen(self, *_: object) -> None:
        key = str(self.preset.currentData() or "")
        if key.startswith("saved:"):
            self.apply_saved(key.removeprefix("saved:"))
        else:
            self._changed()

    def _forget_file(self, *_: object) -> None:
        self.raw = None  # another encoding: read the file again

    # -- the worker ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read (if needed) and plan again, off the UI thread."""
        if self._future is not None:
            self._again = True
            return
        raw, options = self.raw, self.options()
        preset = str(self.preset.currentData() or "")
        # A file no preset knows is read through the mapping shown (guessed, then corrected).
        chosen_by_columns = not preset and raw is not None and preset_of(raw) == "mapped"
        by_mapping = preset == "mapped" or preset.startswith("saved:") or chosen_by_columns
        mapping = self.current_mapping() if by_mapping else None
        document = self.workspace.document
        self._stages = Stages()
        self.progress.setValue(0)
        self.progress.show()
        self.summary.setText(Stages.STEPS[0])
        self._future = self._pool.submit(_work, raw, options, mapping, document, self._stages)
        self._timer.start()

    def _poll(self) -> None:
        future = self._future
        if future is None:
            return
        if not future.done():
            step = self._stages.step
            if step != self.progress.value():
                self.progress.setValue(step)
                self.summary.setText(Stages.STEPS[min(step, len(Stages.STEPS) - 1)])
            return
        self._timer.stop()
        self._future = None
        self.progress.hide()
        work = future.result()
        self._show(work)  # even if stale: the file's columns fill the lists either way
        if self._again:  # the choices changed meanwhile: plan again with them
            self._again = False
            self.import_button.setEnabled(False)
            self.refresh()

    def _show(self, work: Work) -> None:
        if work.raw is not None and self._filled_for is not work.raw:
            self.raw = work.raw
            self._filled_for = work.raw
            self._fill_columns(work.raw)
        if work.error or work.plan is None or work.incoming is None:
            self.result = None
            self.summary.setText(f"Cannot import: {work.error}")
            self.preview.setRowCount(0)
            self.report.clear()
            self.import_button.setEnabled(False)
            return
        self.result = work.plan
        lines = report_lines(work.plan, work.incoming.zones, work.incoming.notes)
        # The counts, zones and how the file was read above; the place names and the rows,
        # which can run long, in the list.
        header = [line for line in lines if not line.startswith(("row ", "place: "))]
        self.summary.setText("\n".join(header))
        self.report.clear()
        self.report.addItems([line for line in lines if line.startswith("place: ")])
        self.report.addItems(row_lines(work.plan))
        self._fill_preview(work.plan)
        self.import_button.setEnabled(work.plan.changes)

    def _fill_columns(self, raw: RawTable) -> None:
        """The file's columns in every field's list, the guessed mapping chosen."""
        guessed = guess(raw.columns)
        self._filling = True
        try:
            for name, combo in self.columns.items():
                combo.clear()
                combo.addItem(NONE)
                combo.addItems(raw.columns)
                chosen = guessed.columns.get(name)
                combo.setCurrentIndex(combo.findText(chosen) if chosen else 0)
            if not self.preset.currentData():
                detected = preset_of(raw)
                self.summary.setText(f"Looks like: {CHOICES.get(detected, detected)}")
            self.mapping.setEnabled(True)
        finally:
            self._filling = False

    def _fill_preview(self, result: ImportPlan) -> None:
        events = result.events.head(PREVIEW_ROWS)
        # Places by name, as the event table shows them (the project's and the new ones).
        places = [self.workspace.document.table("places"), result.places]
        names = {
            str(i): str(n)
            for frame in places
            for i, n in zip(frame["id"], frame["name"], strict=True)
        }
        self.preview.setRowCount(len(events))
        for row, event in enumerate(events.to_dict("records")):
            start = event["start_utc"].to_pydatetime()
            local = local_datetime(start, str(event["timezone"] or "UTC"))
            timed = event["precision"] == "time"
            count = event["missile_count"]
            cells = (
                str(event["id"]),
                local.strftime("%Y-%m-%d %H:%M %Z")
                if timed
                else local.strftime("%Y-%m-%d") + f" ({event['precision']})",
                format_utc(start)[:16].replace("T", " ") if timed else "",
                str(event["title"] or ""),
                names.get(str(event["place"] or ""), str(event["place"] or "")),
                "" if count is None or count != count else str(int(count)),
            )
            for column, text in enumerate(cells):
                self.preview.setItem(row, column, QTableWidgetItem(text))

    # -- saved mappings --------------------------------------------------------------------------
    def saved_mappings(self) -> dict[str, dict[str, Any]]:
        try:
            found = json.loads(str(self.settings.value(SAVED_KEY, "{}") or "{}"))
        except json.JSONDecodeError:
            return {}
        return found if isinstance(found, dict) else {}

    def ask_mapping_name(self) -> str | None:
        name, ok = QInputDialog.getText(self, "Save Mapping", "Name for this column mapping:")
        return name.strip() if ok and name.strip() else None

    def save_current_mapping(self) -> None:
        name = self.ask_mapping_name()
        if not name:
            return
        saved = self.saved_mappings()
        mapping = self.current_mapping()
        saved[name] = {"columns": mapping.columns, "zone": mapping.zone}
        self.settings.setValue(SAVED_KEY, json.dumps(saved))
        key = f"saved:{name}"
        if self.preset.findData(key) < 0:
            self.preset.addItem(f"Saved mapping: {name}", key)
        self.preset.setCurrentIndex(self.preset.findData(key))

    def apply_saved(self, name: str) -> None:
        """Choose a saved mapping's columns (those the file has) and zone."""
        saved = self.saved_mappings().get(name, {})
        self._filling = True
        try:
            for field_name, combo in self.columns.items():
                column = saved.get("columns", {}).get(field_name)
                index = combo.findText(column) if column else 0
                combo.setCurrentIndex(max(index, 0))
            self.zone.setCurrentText(str(saved.get("zone") or "UTC"))
        finally:
            self._filling = False
        self._changed()

    # -- closing ---------------------------------------------------------------------------------
    def accept(self) -> None:
        """Push the planned import as one undoable step (only if the plan is current)."""
        if self.result is None or self.busy or not self.result.changes:
            return
        # Adding a very large import to the project's tables takes the UI thread a few
        # seconds at a million rows: the dialog says so, painted, before it starts.
        self.summary.setText(f"Adding {len(self.result.events):,} events to the project…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.repaint()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.workspace.stack.push(self.result.command())
        finally:
            QApplication.restoreOverrideCursor()
        self._close_pool()
        super().accept()

    def reject(self) -> None:
        self._close_pool()  # a read still running is abandoned: the project never saw it
        super().reject()

    def _close_pool(self) -> None:
        self._stages.stopped = True  # the worker stops at its next step
        self._timer.stop()
        self._debounce.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)


def row_lines(result: ImportPlan, limit: int = REPORT_ROWS) -> list[str]:
    """Every row of the file and what becomes of it (the rows imported as they are in bulk as
    one line), the rows that are not simply imported first."""
    listed = sorted(result.report, key=lambda r: (r.status == "imported", r.row))
    lines = [
        f"row {r.row}: {r.status}" + (f": {r.detail}" if r.detail else "") for r in listed[:limit]
    ]
    if len(listed) > limit:
        lines.append(
            f"and {len(listed) - limit:,} more rows (workstation import --dry-run lists them)"
        )
    if result.imported_bulk:
        lines.append(f"{result.imported_bulk:,} rows imported as they are")
    return lines or ["The file has no rows."]


def _work(
    raw: RawTable | None,
    options: ImportOptions,
    mapping: Mapping | None,
    document: Any,
    stages: Stages | None = None,
) -> Work:
    """Off the UI thread: read the file (unless read already), then plan the import."""
    stages = stages or Stages()
    try:
        raw = raw or read_file(options.file, options.encoding)
        stages.reach(1)
        if mapping is not None and "date" not in mapping.columns:
            return Work(raw, error="map a column to 'date': every event needs one")
        arriving = from_raw(options, raw, mapping)
        stages.reach(2)
        result = plan(document, arriving, options.on_duplicate)
        stages.reach(3)
        check_valid(result)
        stages.reach(4)
        return Work(raw, arriving, result)
    except StoppedError:
        return Work(raw, error="stopped")
    except (ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Work(raw, error=first)
