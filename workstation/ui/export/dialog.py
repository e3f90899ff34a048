"""File > Export: a chart (PNG, SVG, PDF) or a briefing pack (PDF, PPTX), with a live
preview of the page, progress for long exports, and a message that names the file written.

Questions to the user go through small replaceable methods (``ask_save_path``,
``show_written``, ``open_folder``) so tests can answer them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workstation.model import briefing
from workstation.model.briefing import PageSize
from workstation.model.commands import SetMeta
from workstation.model.workspace import Workspace
from workstation.ui.export.pack import PackExport, export_pack
from workstation.ui.export.render import (
    UNITS_PER_INCH,
    CancelledError,
    ChartExport,
    ChartView,
    chart_view,
    export_chart,
    page_text,
    paint_page,
)

WHAT = {"timeline": "Timeline chart", "comparison": "Comparison chart", "pack": "Briefing pack"}
PREVIEW_DPI = 40  # the preview's page, small and quick
PREVIEW_DELAY_MS = 250  # typing a title redraws the preview once the typing pauses


class ExportDialog(QDialog):
    """Export what the window shows. ``likes`` maps "timeline" and "comparison" to the
    window's docks, whose lanes, time span and chart the export copies."""

    def __init__(
        self,
        workspace: Workspace,
        likes: dict[str, Any] | None = None,
        what: str = "timeline",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.workspace = workspace
        self.likes = likes or {}
        self.written: Path | None = None
        self.folder = Path.home()
        self._chart: ChartView | None = None
        self._chart_key: tuple[str, str] | None = None

        self.what = QComboBox(self)
        self.what.setObjectName("exportWhat")
        for key, label in WHAT.items():
            self.what.addItem(label, key)
        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        self.size = QComboBox(self)
        self.size.setObjectName("exportSize")
        for key, preset in briefing.PRESETS.items():
            self.size.addItem(preset.label, key)
        self.size.addItem("Custom size", "custom")
        self.width = _inches(self, 10.0)
        self.height = _inches(self, 6.0)
        custom = QWidget(self)
        custom_row = QHBoxLayout(custom)
        custom_row.setContentsMargins(0, 0, 0, 0)
        custom_row.addWidget(self.width)
        custom_row.addWidget(QLabel("×", custom))
        custom_row.addWidget(self.height)
        custom_row.addWidget(QLabel("inches", custom))
        self.custom = custom
        self.dpi = QComboBox(self)
        self.dpi.setObjectName("exportDpi")
        for dpi in briefing.DPIS:
            self.dpi.addItem(f"{dpi} dpi", dpi)
        self.dpi.setCurrentIndex(briefing.DPIS.index(300))
        self.pixels = QLabel(self)
        self.pixels.setObjectName("exportPixels")
        self.title = QLineEdit(self)
        self.title.setObjectName("exportTitle")
        self.title.setPlaceholderText("the project's title and the chart's")
        self.subtitle = QLineEdit(self)
        self.subtitle.setObjectName("exportSubtitle")
        self.subtitle.setPlaceholderText("what is shown: counts, filter, selection")
        self.banner = QLineEdit(str(workspace.document.meta.get(briefing.BANNER_KEY) or ""), self)
        self.banner.setObjectName("exportBanner")
        self.banner.setPlaceholderText("none (e.g. UNCLASSIFIED), top and bottom of every page")
        self.banner.setMaxLength(200)
        self.preview = QLabel(self)
        self.preview.setObjectName("exportPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(480, 300)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview.setStyleSheet("background: #888")

        form = QFormLayout()
        form.addRow("&Export:", self.what)
        form.addRow("&Format:", self.format)
        form.addRow("&Size:", self.size)
        form.addRow("", custom)
        form.addRow("&Resolution:", self.dpi)
        form.addRow("", self.pixels)
        form.addRow("&Title:", self.title)
        form.addRow("S&ubtitle:", self.subtitle)
        form.addRow("&Banner:", self.banner)
        self.export_button = QPushButton("E&xport…", self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addStretch(1)
        side.addWidget(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(side)
        layout.addWidget(self.preview, 1)
        self.resize(1100, 560)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        self.what.currentIndexChanged.connect(self._what_changed)
        for signal in (
            self.format.currentIndexChanged,
            self.size.currentIndexChanged,
            self.dpi.currentIndexChanged,
            self.width.valueChanged,
            self.height.valueChanged,
            self.title.textChanged,
            self.subtitle.textChanged,
            self.banner.textChanged,
        ):
            signal.connect(self._changed)
        self.what.setCurrentIndex(list(WHAT).index(what) if what in WHAT else 0)
        self._what_changed()

    # -- choices --------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.what.currentData())

    def page(self) -> PageSize:
        key = str(self.size.currentData())
        if key == "custom":
            return PageSize("custom", self.width.value(), self.height.value())
        return briefing.PRESETS[key]

    def _what_changed(self, *_: object) -> None:
        formats = briefing.PACK_FORMATS if self.kind == "pack" else briefing.CHART_FORMATS
        self.format.blockSignals(True)
        self.format.clear()
        for name in formats:
            self.format.addItem(name.upper(), name)
        self.format.blockSignals(False)
        self.title.setPlaceholderText(
            "the project's title" if self.kind == "pack" else "the project's title and the chart's"
        )
        self._changed()

    def _changed(self, *_: object) -> None:
        png = self.format.currentData() == "png"
        self.dpi.setEnabled(png)
        self.custom.setVisible(self.size.currentData() == "custom")
        dpi = int(self.dpi.currentData())
        width, height = self.page().pixels(dpi)
        try:
            briefing.check_dpi(dpi, self.page())
            fits = True
        except ValueError:
            fits = False
        self.pixels.setText(
            ("vector (any size)" if not png else f"{width:,} × {height:,} pixels")
            + ("" if fits or not png else " — too large: lower the resolution")
        )
        self.export_button.setEnabled(fits or not png)
        self._timer.start()

    # -- preview --------------------------------------------------------------------------------
    def _chart_for(self, kind: str) -> ChartView:
        key = (kind, "")
        if self._chart is None or self._chart_key != key:
            self._release_chart()
            self._chart = chart_view(kind, self.workspace, self.likes.get(kind))
            self._chart_key = key
        return self._chart

    def update_preview(self) -> None:
        """Draw the page as it will be exported (the pack: its timeline page), small."""
        kind = "timeline" if self.kind == "pack" else self.kind
        chart = self._chart_for(kind)
        page = self.page()
        spec = self._chart_spec(Path("preview.png"), kind)
        text = page_text(spec, self.workspace, chart)
        width, height = page.pixels(PREVIEW_DPI)
        image = QImage(max(width, 1), max(height, 1), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(PREVIEW_DPI / UNITS_PER_INCH, PREVIEW_DPI / UNITS_PER_INCH)

        def draw(p: QPainter, area: QRectF) -> None:
            chart.resize(area.width(), area.height())
            chart.paint(p, area)

        paint_page(painter, page, text, draw)
        painter.end()
        pixmap = QPixmap.fromImage(image)
        self.preview.setPixmap(
            pixmap.scaled(
                self.preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    # -- export ---------------------------------------------------------------------------------
    def _chart_spec(self, out: Path, kind: str | None = None) -> ChartExport:
        return ChartExport(
            chart=kind or self.kind,
            out=out,
            size=self.page(),
            dpi=int(self.dpi.currentData()),
            title=self.title.text().strip(),
            subtitle=self.subtitle.text().strip(),
            banner=self.banner.text().strip(),
        )

    def suggested_name(self) -> str:
        project = self.workspace.document.path
        stem = project.stem if project else "workstation"
        ending = str(self.format.currentData())
        what = "briefing" if self.kind == "pack" else self.kind
        return f"{stem}-{what}.{ending}"

    def ask_save_path(self) -> Path | None:
        ending = str(self.format.currentData())
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export",
            str(self.folder / self.suggested_name()),
            f"{ending.upper()} (*.{ending})",
        )
        return Path(name) if name else None

    def export(self) -> Path | None:
        """Ask where, write with progress, then say where it went. Returns the path."""
        path = self.ask_save_path()
        if path is None:
            return None
        ending = str(self.format.currentData())
        if path.suffix.lower() != f".{ending}":
            path = path.with_name(path.name + f".{ending}")
        progress = QProgressDialog("Exporting…", "Cancel", 0, 100, self)
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)  # quick exports never show it
        progress.setValue(0)

        def report(percent: int, what: str) -> bool:
            progress.setLabelText(what)
            progress.setValue(percent)
            QApplication.processEvents()
            return not progress.wasCanceled()

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self.kind == "pack":
                spec = PackExport(
                    path, self.banner.text().strip(), self.title.text().strip(), self.page()
                )
                export_pack(spec, self.workspace, self.likes, report)
            else:
                spec = self._chart_spec(path)
                export_chart(spec, self.workspace, self.likes.get(self.kind), progress=report)
        except CancelledError:
            return None
        except (OSError, ValueError) as exc:
            self.show_error(f"Could not export: {exc}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
            progress.close()
        self._remember_banner()  # once it was used: a failed export changes nothing
        self.folder = path.parent
        self.written = path
        self.show_written(path)
        return path

    def _remember_banner(self) -> None:
        """The banner is remembered per project (an undoable change of the project)."""
        banner = self.banner.text().strip()
        document = self.workspace.document
        if banner != str(document.meta.get(briefing.BANNER_KEY) or ""):
            self.workspace.stack.push(
                SetMeta(briefing.BANNER_KEY, banner or None, "Set the export banner")
            )

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "Export", message)

    def show_written(self, path: Path) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Export", f"Wrote {path}", parent=self)
        folder = box.addButton("Open &Folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Ok)
        box.exec()
        if box.clickedButton() is folder:
            self.open_folder(path.parent)

    def open_folder(self, folder: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- closing --------------------------------------------------------------------------------
    def _release_chart(self) -> None:
        if self._chart is not None:
            self._chart.release()
            self._chart, self._chart_key = None, None

    def done(self, result: int) -> None:
        self._timer.stop()
        self._release_chart()
        super().done(result)


def _inches(parent: QWidget, value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(1.0, briefing.MAX_INCHES)
    box.setDecimals(2)
    box.setSingleStep(0.5)
    box.setValue(value)
    return box
