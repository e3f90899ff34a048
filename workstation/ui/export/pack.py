"""The briefing pack: one action, a multi-page PDF or a PPTX deck.

The PDF: a title page with the banner, the timeline, the comparison, a table of the selected
events (else of those the filters show) with local and UTC times, the notes on them, and the
list of sources, with the banner on every page. The PPTX (python-pptx, the ``briefing``
extra): the same charts as images, one per slide, with titles, the banner on every slide, and
each slide's notes (the analyst's annotations on what it shows) in its speaker notes.

Charts come from :mod:`workstation.ui.export.render`, so a pack shows what the docks show.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, QSizeF, QUrl
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument

from workstation.model import briefing
from workstation.model.annotation_list import measurement_events
from workstation.model.briefing import PageSize
from workstation.model.workspace import Workspace
from workstation.ui.export.render import (
    UNITS_PER_INCH,
    CancelledError,
    ChartExport,
    ChartView,
    PageText,
    Progress,
    _atomic,
    chart_view,
    page_text,
    paint_page,
    pdf_writer,
    what_is_shown,
)

NOTE_CHARS = 20_000  # a note's text in a pack is cut here (the project keeps all of it)
MARKDOWN = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


@dataclass(frozen=True)
class PackExport:
    out: Path
    banner: str = ""
    title: str = ""
    size: PageSize = briefing.PRESETS["slide"]

    @property
    def format(self) -> str:
        return briefing.output_format(self.out, briefing.PACK_FORMATS)


@dataclass
class PackContent:
    """Everything a pack shows, gathered once for the PDF or the deck."""

    title: str
    subtitle: str
    banner: str
    stamp: str
    description: str
    events_heading: str
    event_mask: np.ndarray
    rows: list[briefing.EventRow]
    total_rows: int
    notes: list[str]
    sources: list[str]


def gather(spec: PackExport, workspace: Workspace, now: datetime) -> PackContent:
    document = workspace.document
    shown = workspace.visible_mask()
    if workspace.selection:
        mask = np.zeros(len(document.events), dtype=bool)
        rows = document.positions("events", list(workspace.selection.ids))
        mask[rows[rows >= 0]] = True
        heading = "The selected events"
    else:
        mask, heading = shown, "The events shown"
    zone = workspace.display_zone()
    rows, total = briefing.event_rows(document, mask, zone)
    notes = briefing.notes_on(document, mask)
    return PackContent(
        title=spec.title or str(document.meta.get("title") or "Untitled project"),
        subtitle=f"Briefing pack · {what_is_shown(workspace)}",
        banner=spec.banner.strip(),
        stamp=briefing.stamp(now, zone),
        description=str(document.meta.get("description") or ""),
        events_heading=heading,
        event_mask=mask,
        rows=rows,
        total_rows=total,
        notes=notes,
        sources=briefing.sources_listed(document, mask, notes),
    )


def export_pack(
    spec: PackExport,
    workspace: Workspace,
    likes: dict[str, Any] | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Path:
    """Write the pack. Raises ``ValueError`` or ``OSError`` with a one-line message, or
    :class:`CancelledError`; in every case no file is left under the name asked for."""
    kind = spec.format
    now = now or datetime.now(UTC)
    likes = likes or {}

    def step(percent: int, what: str) -> None:
        if progress is not None and not progress(percent, what):
            raise CancelledError()

    writer_module = _pptx() if kind == "pptx" else None  # a missing extra fails first
    step(0, "Gathering events, notes and sources")
    content = gather(spec, workspace, now)
    charts: list[tuple[str, ChartView, PageText]] = []
    try:
        for percent, kind_of_chart in ((10, "timeline"), (35, "comparison")):
            step(percent, f"Drawing the {kind_of_chart}")
            try:
                chart = chart_view(kind_of_chart, workspace, likes.get(kind_of_chart))
            except ValueError:
                if kind_of_chart == "comparison":
                    continue  # no comparison subjects: the pack has no comparison page
                raise
            text = page_text(
                ChartExport(kind_of_chart, spec.out, spec.size, banner=content.banner),
                workspace,
                chart,
                now,
            )
            charts.append((kind_of_chart, chart, text))
        step(60, "Writing the pack")
        with _atomic(spec.out) as temporary:
            if kind == "pdf":
                _write_pdf(temporary, spec.size, content, charts, workspace, step)
            else:
                _write_pptx(writer_module, temporary, spec.size, content, charts, workspace)
        step(100, "Done")
    finally:
        for _, chart, _ in charts:
            chart.release()
    return spec.out


# -- the PDF ----------------------------------------------------------------------------------
def _write_pdf(
    path: Path,
    size: PageSize,
    content: PackContent,
    charts: list[tuple[str, ChartView, PageText]],
    workspace: Workspace,
    step: Callable[[int, str], None],
) -> None:
    writer = pdf_writer(path, size, content.title)
    painter = QPainter(writer)
    try:
        paint_page(
            painter, size, _title_page(content), lambda p, area: _title_body(p, area, content)
        )
        for kind, chart, text in charts:
            writer.newPage()

            def draw(p: QPainter, area: QRectF, chart: ChartView = chart) -> None:
                chart.resize(area.width(), area.height())
                chart.paint(p, area)

            paint_page(painter, size, text, draw)
            step(70 if kind == "timeline" else 80, f"Wrote the {kind}")
        document = _lists_document(content, workspace)
        pages = _text_pages(painter, writer, size, content, document)
        step(95, f"Wrote {pages} pages of events, notes and sources")
    finally:
        painter.end()


def _title_page(content: PackContent) -> PageText:
    return PageText(
        title=content.title, subtitle=content.subtitle, banner=content.banner, stamp=content.stamp
    )


def _title_body(painter: QPainter, area: QRectF, content: PackContent) -> None:
    document = QTextDocument()
    document.setTextWidth(area.width())
    document.setHtml(
        "<p style='font-size:13pt'>"
        f"{html.escape(content.description)}</p>"
        f"<p style='font-size:11pt'>{content.total_rows:,} events listed, "
        f"{len(content.notes):,} analyst notes, {len(content.sources):,} sources.</p>"
    )
    painter.save()
    painter.translate(area.topLeft())
    document.drawContents(painter, QRectF(0, 0, area.width(), area.height()))
    painter.restore()


class _OfflineText(QTextDocument):
    """A text document that loads nothing (a note's images stay links, see the preview)."""

    def loadResource(self, kind: int, name: QUrl) -> object:
        return None


def note_html(body: str) -> str:
    """A note's Markdown as inert HTML for the pack: Qt's own Markdown (HTML in the note is
    text), images and links replaced by their address as text, nothing loaded."""
    document = _OfflineText()
    document.setMarkdown(body[:NOTE_CHARS], MARKDOWN)
    text = document.toHtml()
    match = re.search(r"<body[^>]*>(.*)</body>", text, re.S)
    inner = match[1] if match else html.escape(body[:NOTE_CHARS])
    inner = re.sub(
        r"<img[^>]*src=\"([^\"]*)\"[^>]*/?>",
        lambda m: f"[image: {html.escape(html.unescape(m[1]))}]",
        inner,
    )
    # Links become their words and their address, as text: a PDF link is opened by a click
    # in any reader, with no question asked, and its target hidden behind the words.
    return re.sub(
        r"<a\s[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>",
        lambda m: f"{m[2]} ({html.escape(html.unescape(m[1]))})",
        inner,
        flags=re.S,
    )


def _lists_document(content: PackContent, workspace: Workspace) -> QTextDocument:
    """The events table, the notes and the sources, as one document to cut into pages."""
    document = workspace.document
    cell = "style='padding:2px 6px; border-bottom:1px solid #bbb'"
    parts = [f"<h2>{html.escape(content.events_heading)} ({content.total_rows:,})</h2>"]
    parts.append("<table width='100%' cellspacing='0' style='font-size:8pt'>")
    parts.append(  # in <thead>: Qt repeats the header row on every page of the table
        "<thead><tr>"
        + "".join(
            f"<th align='left' {cell}>{h}</th>"
            for h in ("ID", "Local time", "UTC", "Category", "Title", "Place")
        )
        + "</tr></thead>"
    )
    for row in content.rows:
        values = (row.id, row.local, row.utc, row.category, row.title, row.place)
        parts.append(
            "<tr>" + "".join(f"<td {cell}>{html.escape(v)}</td>" for v in values) + "</tr>"
        )
    parts.append("</table>")
    if content.total_rows > len(content.rows):
        parts.append(
            f"<p><i>and {content.total_rows - len(content.rows):,} more events (the first "
            f"{len(content.rows):,} in time order are listed)</i></p>"
        )
    parts.append(f"<h2>Analyst notes ({len(content.notes):,})</h2>")
    for note_id in content.notes[: briefing.NOTES_LISTED]:
        note = document.annotation(note_id)
        facts = [note_id]
        if note.tags:
            facts.append("tags: " + ", ".join(note.tags))
        if note.confidence:
            facts.append(f"confidence: {note.confidence}")
        if note.author:
            facts.append(f"by {note.author}")
        facts.append("on " + ", ".join(str(t) for t in note.targets))
        parts.append(f"<p style='color:#444; font-size:8pt'>{html.escape(' · '.join(facts))}</p>")
        parts.append(f"<div style='font-size:9pt'>{note_html(note.body)}</div><hr/>")
    if len(content.notes) > briefing.NOTES_LISTED:
        parts.append(
            f"<p><i>and {len(content.notes) - briefing.NOTES_LISTED:,} more notes (the first "
            f"{briefing.NOTES_LISTED:,} by id are written out; the project has them all)</i></p>"
        )
    parts.append(f"<h2>Sources ({len(content.sources):,})</h2><ul style='font-size:8pt'>")
    for source_id in content.sources:
        source = document.source(source_id)
        words = [source_id + ":", source.title or "", source.publisher or "", source.date or ""]
        line = " ".join(w for w in words if w)
        url = f" &lt;{html.escape(source.url)}&gt;" if source.url else ""
        parts.append(f"<li>{html.escape(line)}{url}</li>")
    parts.append("</ul>")
    text = _OfflineText()
    text.setHtml("".join(parts))
    return text


def _text_pages(
    painter: QPainter,
    writer: Any,
    size: PageSize,
    content: PackContent,
    document: QTextDocument,
) -> int:
    """Cut ``document`` into the pages' content areas; returns the number of pages."""
    probe = QImage(8, 8, QImage.Format.Format_RGB32)
    probe_painter = QPainter(probe)
    area = paint_page(probe_painter, size, _list_page(content, 1), None)  # the area, not drawn
    probe_painter.end()
    document.setPageSize(QSizeF(area.width(), area.height()))
    count = document.pageCount()
    for page in range(count):
        writer.newPage()

        def draw(p: QPainter, box: QRectF, page: int = page) -> None:
            p.save()
            p.translate(box.left(), box.top() - page * box.height())
            document.drawContents(p, QRectF(0, page * box.height(), box.width(), box.height()))
            p.restore()

        paint_page(painter, size, _list_page(content, page + 1, count), draw)
    return count


def _list_page(content: PackContent, number: int, count: int = 1) -> PageText:
    return PageText(
        title=f"{content.title}: events, notes and sources",
        subtitle=f"Page {number} of {count}",
        banner=content.banner,
        stamp=content.stamp,
    )


# -- the deck ---------------------------------------------------------------------------------
def _pptx() -> Any:
    try:
        import pptx
    except ImportError:
        raise ValueError(
            "a PPTX pack needs the optional python-pptx package "
            "(pip install 'workstation[briefing]'); PDF packs work without it"
        ) from None
    return pptx


def _write_pptx(
    pptx: Any,
    path: Path,
    size: PageSize,
    content: PackContent,
    charts: list[tuple[str, ChartView, PageText]],
    workspace: Workspace,
) -> None:
    from pptx.util import Inches, Pt

    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = Inches(size.width_in), Inches(size.height_in)
    blank = deck.slide_layouts[6]

    def slide(title: str, subtitle: str, notes: str) -> Any:
        page = deck.slides.add_slide(blank)
        top = 0.1
        if content.banner:
            _text_box(
                page, content.banner, 0, 0, size.width_in, 0.4, Pt(14), bold=True, centre=True
            )
            _text_box(
                page,
                content.banner,
                0,
                size.height_in - 0.4,
                size.width_in,
                0.4,
                Pt(14),
                bold=True,
                centre=True,
            )
            top = 0.45
        _text_box(page, title, 0.4, top, size.width_in - 0.8, 0.6, Pt(26), bold=True)
        if subtitle:
            _text_box(page, subtitle, 0.4, top + 0.6, size.width_in - 0.8, 0.4, Pt(13))
        page.notes_slide.notes_text_frame.text = notes
        return page

    document = workspace.document
    slide(content.title, content.subtitle, f"{content.description}\n\n{content.stamp}".strip())
    for kind, chart, text in charts:
        mask = _shown_by(chart, kind, document)
        notes = _speaker_notes(document, briefing.notes_on(document, mask))
        page = slide(text.title, text.subtitle, notes)
        top = (0.45 if content.banner else 0.1) + 1.05
        bottom = size.height_in - (0.45 if content.banner else 0.1) - 0.55
        width, height = size.width_in - 0.8, bottom - top
        image = _chart_png(chart, width, height, path.parent / f".{path.stem}-{kind}.png")
        try:
            page.shapes.add_picture(
                str(image), Inches(0.4), Inches(top), Inches(width), Inches(height)
            )
        finally:
            image.unlink(missing_ok=True)
        _text_box(page, f"{text.source_line}\n{text.stamp}", 0.4, bottom + 0.02, width, 0.5, Pt(8))
    _table_slides(deck, slide, content, document)
    sources = [document.source(i) for i in content.sources]
    lines = [f"{s.id}: {s.title} {s.publisher} {s.date}".strip() for s in sources[:40]]
    if len(sources) > 40:
        lines.append(f"and {len(sources) - 40} more (see the PDF pack)")
    page = slide(
        "Sources",
        f"{len(sources)} sources behind the events and notes shown",
        _speaker_notes(document, content.notes),
    )
    _text_box(page, "\n".join(lines), 0.4, 1.6, size.width_in - 0.8, size.height_in - 2.2, Pt(9))
    deck.save(str(path))


def _shown_by(chart: ChartView, kind: str, document: Any) -> np.ndarray:
    """The events a chart shows: the timeline's view; the comparison's test events and the
    events of the claims it draws."""
    dock = chart.details["dock"]
    if kind == "timeline":
        mask: np.ndarray = dock.shown_mask()
        return mask
    ids = [s.id for s in dock.subjects if str(s.kind) == "event"]
    claims = [i for claim, *_ in dock.chart.drawn for i in claim.ids]
    ids += [e for e in measurement_events(document, claims) if e]
    mask = np.zeros(len(document.events), dtype=bool)
    rows = document.positions("events", ids)
    mask[rows[rows >= 0]] = True
    return mask


TABLE_SLIDE_ROWS = 12
TABLE_SLIDES = 4


def _table_slides(
    deck: Any, slide: Callable[..., Any], content: PackContent, document: Any
) -> None:
    """The events listed, a dozen per slide (at most a few slides: the PDF lists them all),
    each slide's notes on its events in the speaker notes."""
    from pptx.util import Inches, Pt

    rows = content.rows[: TABLE_SLIDE_ROWS * TABLE_SLIDES]
    pages = [rows[i : i + TABLE_SLIDE_ROWS] for i in range(0, len(rows), TABLE_SLIDE_ROWS)]
    width = deck.slide_width / 914400  # EMU per inch
    for number, page_rows in enumerate(pages, start=1):
        more = content.total_rows - len(rows)
        subtitle = (
            f"{content.events_heading} ({content.total_rows:,}) · slide {number} of {len(pages)}"
        )
        if more > 0 and number == len(pages):
            subtitle += f" · and {more:,} more in the PDF pack"
        ids = [row.id for row in page_rows]
        mask = np.zeros(len(document.events), dtype=bool)
        found = document.positions("events", ids)
        mask[found[found >= 0]] = True
        page = slide(
            "Events", subtitle, _speaker_notes(document, briefing.notes_on(document, mask))
        )
        top = 1.6 if content.banner else 1.2
        shape = page.shapes.add_table(
            len(page_rows) + 1, 5, Inches(0.4), Inches(top), Inches(width - 0.8), Inches(0.3)
        )
        table = shape.table
        for column, (heading, inches) in enumerate(
            (("ID", 0.8), ("Local time", 2.0), ("UTC", 2.0), ("Category", 1.3), ("Title", 0))
        ):
            table.cell(0, column).text = heading
            if inches:
                table.columns[column].width = Inches(inches)
        table.columns[4].width = Inches(max(width - 0.8 - 6.1, 1.0))
        for r, row in enumerate(page_rows, start=1):
            for column, value in enumerate((row.id, row.local, row.utc, row.category, row.title)):
                table.cell(r, column).text = briefing.printable(value)
        for r in range(len(page_rows) + 1):
            for column in range(5):
                for paragraph in table.cell(r, column).text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(11)


def _text_box(
    page: Any,
    words: str,
    left: float,
    top: float,
    width: float,
    height: float,
    points: Any,
    bold: bool = False,
    centre: bool = False,
) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    box = page.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = words
    for paragraph in frame.paragraphs:
        if centre:
            paragraph.alignment = PP_ALIGN.CENTER
        for run in paragraph.runs:
            run.font.size = points
            run.font.bold = bold


def _speaker_notes(document: Any, note_ids: list[str]) -> str:
    """The notes' text for a slide's speaker notes (Markdown as written; it is read aloud)."""
    parts = []
    for note_id in note_ids[: briefing.NOTES_LISTED]:
        note = document.annotation(note_id)
        tags = f" [{', '.join(note.tags)}]" if note.tags else ""
        parts.append(f"{note_id}{tags}: {note.body[:NOTE_CHARS].strip()}")
    if len(note_ids) > briefing.NOTES_LISTED:
        parts.append(f"and {len(note_ids) - briefing.NOTES_LISTED:,} more notes")
    return "\n\n".join(parts) or "No analyst notes on what this slide shows."


def _chart_png(
    chart: ChartView, width_in: float, height_in: float, path: Path, dpi: int = 200
) -> Path:
    """The chart alone, as a PNG of ``width_in`` × ``height_in`` at ``dpi``."""
    width, height = width_in * UNITS_PER_INCH, height_in * UNITS_PER_INCH
    chart.resize(width, height)
    image = QImage(round(width_in * dpi), round(height_in * dpi), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(dpi / UNITS_PER_INCH, dpi / UNITS_PER_INCH)
    chart.paint(painter, QRectF(0, 0, width, height))
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path.name}")
    return path
