"""Briefing export: charts as PNG, SVG and PDF, packs as PDF and PPTX, from the GUI's code and
from the headless verbs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from tests.conftest import REPO, SEED
from workstation import store
from workstation.model import briefing
from workstation.model.briefing import PRESETS, page_size
from workstation.model.document import Document
from workstation.model.workspace import Workspace
from workstation.ui.export import headless
from workstation.ui.export.pack import PackExport, export_pack, note_html
from workstation.ui.export.render import ChartExport, export_chart, timeline_chart

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


@pytest.fixture
def workspace(qtbot: QtBot, seed_document: Document) -> Workspace:
    return Workspace(seed_document)


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()  # well-formed XML, or this raises
    return [" ".join(e.itertext()) for e in root.iter() if e.tag.endswith("}text")]


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    # NFKC: Qt's PDF keeps ligatures ("ﬁ"); the words are what matter here.
    pages = PdfReader(path).pages
    return [
        unicodedata.normalize("NFKC", " ".join((p.extract_text() or "").split())) for p in pages
    ]


def inked(image: QImage) -> float:
    """The share of sampled pixels that are not white (a blank image scores 0)."""
    step = max(image.width() // 200, 1)
    white = QColor("white").rgb()
    samples = [
        image.pixel(x, y) != white
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]
    return sum(samples) / len(samples)


# -- sizes, resolutions and the words on the page (Qt-free) ---------------------------------------
def test_page_sizes_and_resolutions() -> None:
    assert PRESETS["slide"].pixels(300) == (4000, 2250)
    assert PRESETS["a4"].pixels(150) == (1754, 1240)
    assert PRESETS["letter"].pixels(600) == (6600, 5100)
    assert page_size("10x6in").pixels(150) == (1500, 900)
    assert page_size(" 8.5 × 11 ").width_in == 8.5
    for bad in ("huge", "0x3in", "200x1in", "3in"):
        with pytest.raises(ValueError, match=r"size|inches"):
            page_size(bad)
    with pytest.raises(ValueError, match="150, 300, 600"):
        briefing.check_dpi(72)
    with pytest.raises(ValueError, match=r"\.png, \.svg, \.pdf"):
        briefing.output_format(Path("chart.gif"), briefing.CHART_FORMATS)


def test_the_source_line_names_sources_with_locators_then_claimants(
    seed_document: Document,
) -> None:
    from workstation.model.query import EventQuery

    only_5_january = EventQuery(text="First January 'hypersonic missile'").mask(
        seed_document.events
    )
    line = briefing.source_line(seed_document, only_5_january)
    assert line.startswith("Sources: North Korea's missile launches")
    assert "¶4" in line  # the article, cited by paragraph
    assert "ROK MND" in line  # a claimant of that launch's claims
    assert line.index("¶4") < line.index("ROK MND")
    nothing = np.zeros(len(seed_document.events), bool)
    assert (
        briefing.source_line(seed_document, nothing) == "Sources: none recorded for what is shown"
    )
    everything = briefing.source_line(seed_document, ~nothing, limit=3)
    assert "more (see the sources list)" in everything


def test_the_stamp_gives_the_date_and_the_display_zone() -> None:
    assert briefing.stamp(NOW, "Asia/Seoul") == (
        "Exported 2026-11-25 12:00 KST · times in Asia/Seoul (KST)"
    )
    assert briefing.stamp(NOW, "UTC") == "Exported 2026-11-25 03:00 UTC · times in UTC"


# -- chart files ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("size", "dpi"),
    [("slide", 150), ("a4", 150), ("letter", 150), ("slide", 300), ("4x2.5in", 600)],
)
def test_png_pixel_size_is_inches_times_dpi(
    workspace: Workspace, tmp_path: Path, size: str, dpi: int
) -> None:
    out = tmp_path / "chart.png"
    export_chart(ChartExport("timeline", out, page_size(size), dpi), workspace, now=NOW)
    image = QImage(str(out))
    assert (image.width(), image.height()) == page_size(size).pixels(dpi)
    assert round(image.dotsPerMeterX() * 0.0254) == dpi
    assert inked(image) > 0.01  # not blank


def test_svg_is_vector_with_text_kept_as_text(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "timeline.svg"
    spec = ChartExport("timeline", out, title="January 2022 launches", banner="UNCLASSIFIED")
    export_chart(spec, workspace, now=NOW)
    texts = svg_texts(out)
    assert "January 2022 launches" in texts
    assert texts.count("UNCLASSIFIED") == 2  # top and bottom
    assert any(t.startswith("Sources: North Korea's missile launches") for t in texts)
    assert "Exported 2026-11-25 12:00 KST · times in Asia/Seoul (KST)" in texts
    assert "missile test" in texts  # the legend and lane labels are text too
    assert "<image" not in out.read_text(encoding="utf-8")  # 26 events: vector glyphs, no raster


def test_pdf_chart_is_one_page_with_its_banner(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "comparison.pdf"
    export_chart(ChartExport("comparison", out, PRESETS["a4"], banner="EXERCISE"), workspace)
    assert out.read_bytes().startswith(b"%PDF")
    (page,) = pdf_text(out)
    assert page.count("EXERCISE") == 2
    assert "range compared" in page
    assert "Sources:" in page
    assert "KCNA" in page  # a claimant of the claims drawn


def test_the_filter_changes_what_is_drawn(seed_document: Document, qtbot: QtBot) -> None:
    everything = timeline_chart(headless.open_workspace(seed_document, ""))
    kn23 = timeline_chart(headless.open_workspace(seed_document, "system:KN-23"))

    def drawn(chart: object) -> int:
        layer = chart.details["dock"].glyphs  # type: ignore[attr-defined]
        return sum(len(item.data) for item in layer.scatters if item.isVisible())

    try:
        all_dock, kn23_dock = everything.details["dock"], kn23.details["dock"]
        assert int(all_dock.keep.sum()) == 26
        assert drawn(kn23) == 3  # points in the scene: the three KN-23 launch days
        assert drawn(everything) > 20
        assert int(kn23_dock.shown_mask().sum()) == 3
    finally:
        everything.release()
        kn23.release()


def test_the_export_follows_the_window_timeline(
    window: object, tmp_path: Path, qtbot: QtBot
) -> None:
    """Lanes, the visible time span and the selection of the window's timeline."""
    from workstation.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    assert window.workspace is not None
    assert window.timeline_dock is not None
    source = window.timeline_dock
    source.set_lane_mode("system")
    source.set_x_range(
        datetime(2022, 1, 1, tzinfo=UTC).timestamp(), datetime(2022, 2, 1, tzinfo=UTC).timestamp()
    )
    window.workspace.selection.set(["A19"])
    from workstation.ui.export.render import chart_view

    chart = chart_view("timeline", window.workspace, like=source)
    try:
        copy = chart.details["dock"]
        assert copy.lane_mode == source.lane_mode
        assert copy.view_box.viewRange()[0] == pytest.approx(source.view_box.viewRange()[0])
        assert copy.selected.sum() == source.selected.sum() == 1
        shown = set(window.workspace.document.events["id"][copy.shown_mask()])
        assert "A19" in shown
        assert "A01" not in shown  # 2017: outside the visible span, not cited
    finally:
        chart.release()


def test_a_large_timeline_exports_its_density_not_one_symbol_per_event(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from benchmarks.synthetic import synthetic_document

    workspace = Workspace(synthetic_document(briefing.MAX_SHOWN_SYMBOLS + 10_000))
    chart = timeline_chart(workspace)
    try:
        assert chart.details["dock"].mode == "density"
    finally:
        chart.release()
    out = tmp_path / "big.svg"
    export_chart(ChartExport("timeline", out), workspace)
    assert out.stat().st_size < 5_000_000  # an image of the density, not 60,000 paths


def test_a_failed_write_leaves_no_file(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(QImage, "save", lambda *_: False)
    with pytest.raises(OSError, match="could not write"):
        export_chart(ChartExport("timeline", folder / "chart.png", dpi=150), workspace)
    assert list(folder.iterdir()) == []


# -- packs ----------------------------------------------------------------------------------------
def test_pdf_pack_pages_banner_tables_notes_and_sources(
    workspace: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "pack.pdf"
    steps: list[int] = []
    export_pack(
        PackExport(out, banner="UNCLASSIFIED"),
        workspace,
        progress=lambda percent, _: steps.append(percent) or True,
        now=NOW,
    )
    assert out.read_bytes().startswith(b"%PDF")
    pages = pdf_text(out)
    lists = [p for p in pages if "events, notes and sources" in p]
    assert len(pages) == 3 + len(lists)  # title, timeline, comparison, then the lists
    assert f"Page 1 of {len(lists)}" in lists[0]
    assert all(page.count("UNCLASSIFIED") == 2 for page in pages)
    assert "Briefing pack" in pages[0]
    assert "timeline" in pages[1]
    assert "compared" in pages[2]
    text = " ".join(lists)
    assert "2022-01-30 07:52 KST" in text  # the 30 January launch, local time
    assert "2022-01-29 22:52 UTC" in text  # and UTC
    assert "Seoul called the 5 January" in text  # a note on the events
    assert "Yonhap" in text  # the sources list
    assert steps[0] == 0
    assert steps[-1] == 100


def test_a_pack_lists_the_selected_events_when_there_are_any(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.selection.set(["A19"])
    out = tmp_path / "pack.pdf"
    export_pack(PackExport(out), workspace, now=NOW)
    text = " ".join(pdf_text(out)[3:])
    assert "The selected events (1)" in text
    assert "Hwasong-12" in text
    assert "2017-11-29" not in text  # A01, not selected


def test_cancelling_a_pack_writes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    from workstation.ui.export.pack import CancelledError

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(CancelledError):
        export_pack(PackExport(folder / "pack.pdf"), workspace, progress=lambda p, _: p < 60)
    assert list(folder.iterdir()) == []


def test_pptx_deck_slides_notes_and_banner(workspace: Workspace, tmp_path: Path) -> None:
    import pptx

    out = tmp_path / "deck.pptx"
    export_pack(PackExport(out, banner="UNCLASSIFIED"), workspace, now=NOW)
    deck = pptx.Presentation(str(out))
    slides = list(deck.slides)
    # Title, timeline, comparison, the 26 events a dozen a slide, sources.
    assert len(slides) == 3 + 3 + 1
    assert "Events" in [s.text_frame.text for s in slides[3].shapes if s.has_text_frame]
    assert "slide 1 of 3" in " ".join(
        s.text_frame.text for s in slides[3].shapes if s.has_text_frame
    )
    for slide in slides:
        words = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert words.count("UNCLASSIFIED") == 2
    pictures = [s for s in slides[1].shapes if s.shape_type == 13]  # a picture: the chart
    assert len(pictures) == 1
    timeline_notes = slides[1].notes_slide.notes_text_frame.text
    assert "N17" in timeline_notes  # the analyst's note on 5 January, in the speaker notes
    assert "exaggerated" in timeline_notes
    assert deck.slide_width == pptx.util.Inches(13.333)


def test_note_text_in_a_pack_is_inert() -> None:
    shown = note_html(
        "**bold** <script>alert(1)</script> ![x](http://example.com/a.png) "
        "[click me](file:///etc/passwd) [js](javascript:alert(1)) <http://evil.test/x>"
    )
    assert "&lt;script&gt;" in shown  # shown as text
    assert "<script>" not in shown
    assert "<img" not in shown
    assert "[image: http://example.com/a.png]" in shown
    assert "<a " not in shown  # no link a click in a PDF reader would follow
    words = re.sub(r"<[^>]+>", "", shown)
    assert "click me (file:///etc/passwd)" in words  # the words and the address, as text
    assert "js (javascript:alert(1))" in words


def test_a_pdf_pack_holds_no_links(workspace: Workspace, tmp_path: Path) -> None:
    from workstation.model.annotation_commands import EditAnnotation

    body = "[click me](file:///etc/passwd)"
    workspace.stack.push(EditAnnotation(workspace.document, "N01", {"body": body}, "t", NOW))
    out = tmp_path / "pack.pdf"
    export_pack(PackExport(out), workspace, now=NOW)
    assert b"/URI" not in out.read_bytes()
    assert "click me (file:///etc/passwd)" in " ".join(pdf_text(out))


# -- headless -------------------------------------------------------------------------------------
def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the verb must choose offscreen by itself
    return subprocess.run(
        [sys.executable, "-m", "workstation.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )


def test_headless_export_and_brief(tmp_path: Path) -> None:
    chart = tmp_path / "kn23.png"
    done = run_cli(
        "export", str(SEED), "--chart", "timeline", "--out", str(chart), "--dpi", "150",
        "--size", "letter", "--filter", "system:KN-23", "--banner", "UNCLASSIFIED",
        "--title", "KN-23 launches",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "wrote the timeline of 3 events" in done.stdout
    assert (QImage(str(chart)).width(), QImage(str(chart)).height()) == (1650, 1275)
    pack = tmp_path / "pack.pdf"
    done = run_cli("brief", str(SEED), "--out", str(pack), "--banner", "UNCLASSIFIED")
    assert done.returncode == 0, done.stderr
    assert pdf_text(pack)[0].count("UNCLASSIFIED") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chart", "pie", "--out", "{tmp}/x.png"], "invalid choice: 'pie'"),
        (["--chart", "timeline", "--out", "{tmp}/x.png", "--filter", "after:2022-13-45"],
         "bad --filter"),
        (["--chart", "timeline", "--out", "/no/such/folder/x.png"], "does not exist"),
        (["--chart", "timeline", "--out", "{tmp}/x.gif"], "must end in .png, .svg, .pdf"),
        (["--chart", "timeline", "--out", "{tmp}/x.png", "--size", "0x1in"], "inches"),
    ],
)  # fmt: skip
def test_headless_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = run_cli("export", str(SEED), *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    out.write_bytes(b"keep me")
    done = run_cli("brief", str(SEED), "--out", str(out))
    assert done.returncode == 2
    assert "--force" in done.stderr
    assert out.read_bytes() == b"keep me"


def test_the_banner_defaults_to_the_one_remembered_by_the_project(
    seed_copy: Path, tmp_path: Path
) -> None:
    document = store.load(seed_copy)
    document.set_meta(briefing.BANNER_KEY, "REL TO TEST")
    store.save(document)
    out = tmp_path / "chart.svg"
    done = run_cli("export", str(seed_copy), "--chart", "comparison", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert svg_texts(out).count("REL TO TEST") == 2


# -- the dialog ------------------------------------------------------------------------------
def test_the_export_dialog_previews_writes_and_names_the_file(
    window: object, tmp_path: Path, qtbot: QtBot
) -> None:
    from workstation.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    assert window.workspace is not None
    shortcuts = dict(window.actions.shortcut_table())
    assert shortcuts["Export Chart"] == "Ctrl+Shift+E"
    assert shortcuts["Briefing Pack"] == "Ctrl+Shift+B"
    window.actions.export.trigger()
    dialog = window.export_dialog
    qtbot.waitUntil(
        lambda: dialog.preview.pixmap() is not None and not dialog.preview.pixmap().isNull()
    )
    before = dialog.preview.pixmap().toImage()
    dialog.size.setCurrentIndex(dialog.size.findData("a4"))
    assert dialog.pixels.text() == "3,508 × 2,480 pixels"  # A4 landscape at 300 dpi
    dialog.update_preview()  # the preview follows the choices: a page of another shape
    after = dialog.preview.pixmap().toImage()
    assert after.width() / after.height() != pytest.approx(before.width() / before.height())
    dialog.banner.setText("UNCLASSIFIED")
    dialog.format.setCurrentIndex(dialog.format.findData("svg"))
    assert not dialog.dpi.isEnabled()  # vector: no resolution to choose
    written: list[Path] = []
    dialog.ask_save_path = lambda: tmp_path / "chart"  # type: ignore[method-assign]
    dialog.show_written = written.append  # type: ignore[method-assign]
    path = dialog.export()
    assert path == tmp_path / "chart.svg"  # the ending added
    assert written == [path]
    assert svg_texts(path).count("UNCLASSIFIED") == 2
    # The banner is remembered by the project (an undoable change).
    assert window.workspace.document.meta[briefing.BANNER_KEY] == "UNCLASSIFIED"
    window.workspace.stack.undo()
    assert briefing.BANNER_KEY not in window.workspace.document.meta
    dialog.reject()


def test_the_dialog_writes_a_pack_and_offers_its_folder(
    window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from workstation.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.actions.briefing.trigger()
    dialog = window.export_dialog
    assert dialog.kind == "pack"
    assert [dialog.format.itemData(i) for i in range(dialog.format.count())] == ["pdf", "pptx"]
    dialog.ask_save_path = lambda: tmp_path / "brief.pdf"  # type: ignore[method-assign]
    opened: list[Path] = []
    dialog.open_folder = opened.append  # type: ignore[method-assign]
    messages: list[str] = []

    def exec_box(box: QMessageBox) -> int:
        messages.append(box.text())
        folder = next(b for b in box.buttons() if "Folder" in b.text())
        folder.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    path = dialog.export()
    assert path == tmp_path / "brief.pdf"
    assert messages == [f"Wrote {path}"]
    assert opened == [tmp_path]
    assert len(pdf_text(path)) >= 4
    dialog.reject()


def test_an_unwritable_place_is_one_clear_message(
    window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workstation.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.actions.export.trigger()
    dialog = window.export_dialog
    errors: list[str] = []
    dialog.show_error = errors.append  # type: ignore[method-assign]
    dialog.ask_save_path = lambda: tmp_path / "missing" / "x.png"  # type: ignore[method-assign]
    assert dialog.export() is None
    assert len(errors) == 1
    assert "does not exist" in errors[0]
    dialog.reject()


# -- hostile and impossible input -------------------------------------------------------------
def test_control_characters_never_reach_the_files(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "chart.svg"
    spec = ChartExport("timeline", out, title="Bad\x01title\x7f", banner="A\x00B")
    export_chart(spec, workspace)
    texts = svg_texts(out)  # parses: no control character made the XML invalid
    assert "Badtitle" in texts
    assert texts.count("AB") == 2


def test_a_png_too_large_for_memory_is_refused_before_drawing(
    workspace: Workspace, tmp_path: Path
) -> None:
    huge = page_size("100x60in")
    with pytest.raises(ValueError, match="more than 250 million"):
        export_chart(ChartExport("timeline", tmp_path / "huge.png", huge, 600), workspace)
    assert not (tmp_path / "huge.png").exists()
    export_chart(ChartExport("timeline", tmp_path / "huge.pdf", huge), workspace)
    assert (tmp_path / "huge.pdf").exists()  # vector: no limit


def test_the_comparison_export_uses_the_windows_units(window: object, qtbot: QtBot) -> None:
    from workstation.model.units import Dimension
    from workstation.ui.export.render import chart_view
    from workstation.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    assert window.workspace is not None
    assert window.comparison_dock is not None
    window.comparison_dock.set_unit(Dimension.LENGTH, "mi")
    chart = chart_view("comparison", window.workspace, like=window.comparison_dock)
    try:
        assert chart.details["dock"].unit_for("range") == "mi"
    finally:
        chart.release()


def test_a_comparison_needs_subjects(qtbot: QtBot, tmp_path: Path) -> None:
    empty = Workspace(Document())
    with pytest.raises(ValueError, match="no comparison subjects"):
        export_chart(ChartExport("comparison", tmp_path / "x.png", dpi=150), empty)
    export_pack(PackExport(tmp_path / "pack.pdf"), empty)  # a pack simply has no comparison
    assert len(pdf_text(tmp_path / "pack.pdf")) == 3  # title, timeline, the (empty) lists


def test_the_source_line_stays_short_with_many_locators(seed_document: Document) -> None:
    from workstation.model.sources import SourceRef

    refs = [SourceRef("article", f"row {n}") for n in range(5_000)]
    line = briefing._line_of(seed_document, refs, [], briefing.SOURCE_NAMES)
    assert line.count("row") == briefing.LOCATORS_SHOWN
    assert line.endswith(", …")


def test_cancelling_a_chart_export_writes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    from workstation.ui.export.render import CancelledError

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(CancelledError):
        export_chart(
            ChartExport("timeline", folder / "x.pdf"), workspace, progress=lambda p, _: p < 60
        )
    assert list(folder.iterdir()) == []


def test_approximate_times_keep_their_tilde(seed_document: Document) -> None:
    approximate = (seed_document.events["precision"] == "approximate").to_numpy(dtype=bool)
    assert approximate.any()
    rows, _ = briefing.event_rows(seed_document, approximate, "Asia/Seoul")
    assert all(row.local.startswith("~") and row.utc.startswith("~") for row in rows)


def test_headless_survives_a_display_that_is_gone(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["DISPLAY"] = ":97"  # set, but nothing listens there
    out = tmp_path / "x.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "workstation.cli", "brief", str(SEED), "--out", str(out)],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_an_output_that_is_a_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "chart.png"
    folder.mkdir()
    done = run_cli("export", str(SEED), "--chart", "timeline", "--out", str(folder), "--force")
    assert done.returncode == 2
    assert "is a folder" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
