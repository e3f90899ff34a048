"""The annotation preview: Markdown rendered offline, HTML inert, links opened only on a
confirmed click, huge and hostile bodies bounded."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextTable,
)
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from workstation.ui.annotations.preview import (
    CELL_COST,
    CHAR_COST,
    LINE_COST,
    RENDER_BUDGET,
    MarkdownPreview,
    preview_end,
    visible_controls,
)

MB = 1_000_000
RTL_WORDS = "שלום עולם هذا نص عربي طويل mixed with English 123 עברית ועוד "


@pytest.fixture
def preview(qtbot: QtBot) -> MarkdownPreview:
    widget = MarkdownPreview()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Python's sockets refuse to connect or resolve, and record who tried."""
    attempts: list[str] = []

    def blocked(name: str) -> Callable[..., None]:
        def refuse(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args!r}")
            raise OSError(f"a test tried the network: {name}")

        return refuse

    monkeypatch.setattr(socket.socket, "connect", blocked("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", blocked("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", blocked("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", blocked("getaddrinfo"))
    return attempts


def fragments(document: QTextDocument) -> Iterator[tuple[int, str, QTextCharFormat]]:
    """(position, text, char format) of every fragment, table cells included."""
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            yield fragment.position(), fragment.text(), fragment.charFormat()
            it += 1
        block = block.next()


def anchors(preview: MarkdownPreview) -> dict[str, str]:
    return {text: f.anchorHref() for _, text, f in fragments(preview.document()) if f.isAnchor()}


def has_image(preview: MarkdownPreview) -> bool:
    return any(f.isImageFormat() for _, _, f in fragments(preview.document()))


def paint(qtbot: QtBot, preview: MarkdownPreview) -> None:
    """Paint and run the event loop: anything loaded lazily would have been asked for."""
    assert not preview.grab().isNull()
    preview.viewport().repaint()
    qtbot.wait(20)


def qt_network_loaded() -> bool:
    maps = Path("/proc/self/maps")
    return maps.exists() and "Qt6Network" in maps.read_text()


# -- Markdown --------------------------------------------------------------------------------
def test_markdown_renders_headings_emphasis_lists_and_tables(preview: MarkdownPreview) -> None:
    preview.show_markdown(
        "# Launch review\n\nThe **second stage** burned *longer*.\n\n- one\n- two\n\n"
        "| system | count |\n|---|---|\n| KN-23 | 2 |\n"
    )
    document = preview.document()
    text = preview.toPlainText()
    for words in ("Launch review", "second stage", "longer", "one", "two", "KN-23"):
        assert words in text
    assert document.firstBlock().blockFormat().headingLevel() == 1
    formats = {t: f for _, t, f in fragments(document)}
    assert formats["second stage"].fontWeight() == QFont.Weight.Bold
    assert formats["longer"].fontItalic()
    listed = [b for b in _blocks(document) if b.textList() is not None]
    assert [b.text() for b in listed] == ["one", "two"]
    tables = [f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert len(tables) == 1
    assert (tables[0].rows(), tables[0].columns()) == (2, 2)
    assert tables[0].cellAt(1, 0).firstCursorPosition().block().text() == "KN-23"
    assert not preview.truncated


def _blocks(document: QTextDocument) -> list[QTextBlock]:
    found = []
    block = document.begin()
    while block.isValid():
        found.append(block)
        block = block.next()
    return found


def test_a_new_note_replaces_the_last_and_clear_empties(
    qtbot: QtBot, preview: MarkdownPreview
) -> None:
    for number in range(5):
        preview.show_markdown(f"note {number}")
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert preview.toPlainText() == "note 4"
    assert len(preview.findChildren(QTextDocument)) <= 2  # the shown one (and Qt's own)
    preview.show_markdown("x" * MB)
    preview.clear()
    assert preview.toPlainText() == ""
    assert not preview.truncated


# -- never fetches anything ------------------------------------------------------------------
def test_remote_images_are_links_and_nothing_is_fetched(
    qtbot: QtBot, preview: MarkdownPreview, no_network: list[str]
) -> None:
    network_module = "PySide6.QtNetwork" in sys.modules
    network_library = qt_network_loaded()
    preview.show_markdown(
        "Inline ![launch photo](http://example.com/a/launch.png) here.\n\n"
        "Reference ![site][r] there.\n\n"
        "No alt ![](https://example.com/b.png), formatted ![**big** plume](http://x.test/p.png)\n\n"
        'HTML <img src="http://example.com/html.png"> too.\n\n'
        "[r]: https://example.org/site.jpg\n"
    )
    paint(qtbot, preview)

    assert not has_image(preview)
    links = anchors(preview)
    assert links["[image: launch photo]"] == "http://example.com/a/launch.png"
    assert links["[image: site]"] == "https://example.org/site.jpg"
    assert links["[image: big plume]"] == "http://x.test/p.png"
    assert '<img src="http://example.com/html.png">' in preview.toPlainText()
    assert set(preview.refused_resources) == {
        "http://example.com/a/launch.png",
        "https://example.org/site.jpg",
        "http://x.test/p.png",
    }
    assert no_network == []
    assert ("PySide6.QtNetwork" in sys.modules) == network_module
    assert qt_network_loaded() == network_library


def test_the_widget_and_its_document_refuse_every_resource(
    qtbot: QtBot, preview: MarkdownPreview, no_network: list[str], tmp_path: Path
) -> None:
    local = tmp_path / "secret.txt"
    local.write_text("local file", encoding="utf-8")
    image = QTextDocument.ResourceType.ImageResource
    document = preview.document()
    assert document.resource(image, QUrl.fromLocalFile(str(local))) is None
    assert preview.loadResource(image, QUrl("https://example.com/x.png")) is None
    # Even HTML set behind the preview's back loads no image, remote or data:.
    document.setHtml('<img src="http://example.com/h.png"><img src="data:image/png;base64,AA==">')
    paint(qtbot, preview)
    assert QUrl.fromLocalFile(str(local)).toString() in preview.refused_resources
    assert "https://example.com/x.png" in preview.refused_resources
    assert "http://example.com/h.png" in preview.refused_resources
    assert "data:image/png;base64,AA==" in preview.refused_resources
    assert no_network == []


# -- links -----------------------------------------------------------------------------------
class Hooks:
    def __init__(self, preview: MarkdownPreview, answer: bool) -> None:
        self.asked: list[QUrl] = []
        self.opened: list[QUrl] = []
        self.answer = answer
        preview.ask_open_link = self.ask
        preview.open_url = self.opened.append

    def ask(self, url: QUrl) -> bool:
        self.asked.append(url)
        return self.answer


@pytest.mark.parametrize("answer", [False, True])
@pytest.mark.parametrize(
    "address", ["https://example.com/a?b=1", "http://x.test", "mailto:a@b.test"]
)
def test_a_link_opens_only_when_the_analyst_agrees(
    preview: MarkdownPreview, answer: bool, address: str
) -> None:
    hooks = Hooks(preview, answer)
    preview.anchorClicked.emit(QUrl(address))
    assert hooks.asked == [QUrl(address)]
    assert hooks.opened == ([QUrl(address)] if answer else [])


def test_the_default_question_says_where_the_link_goes_and_defaults_to_no(
    preview: MarkdownPreview, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[object, ...]] = []

    def question(*args: object) -> QMessageBox.StandardButton:
        asked.append(args)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    opened: list[QUrl] = []
    preview.open_url = opened.append
    preview.open_link(QUrl("https://bücher.example/\u202eexe.pdf"))
    (_parent, _title, text, _buttons, default) = asked[0]
    assert "Open https://xn--bcher-kva.example/%E2%80%AEexe.pdf outside Workstation?" in text
    assert "Workstation works offline; this opens your browser." in text
    assert default == QMessageBox.StandardButton.No
    assert opened == []


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "workstation:x",
        "notes/a.md",
        "file:///tmp/x",
        "file://fileserver/share/x.exe",
    ],
)
def test_other_links_are_never_offered(
    qtbot: QtBot, preview: MarkdownPreview, address: str
) -> None:
    hooks = Hooks(preview, answer=True)
    with qtbot.waitSignal(preview.link_refused, timeout=1000) as refused:
        preview.open_link(QUrl(address))
    assert "Not opened" in refused.args[0]
    assert hooks.asked == []
    assert hooks.opened == []


def test_a_click_on_a_link_asks_and_nothing_navigates(
    qtbot: QtBot, preview: MarkdownPreview
) -> None:
    hooks = Hooks(preview, answer=False)
    preview.show_markdown("Go to [the report](https://example.com/report) now.")
    document = preview.document()
    start = next(p for p, t, f in fragments(document) if t == "the report")
    cursor = QTextCursor(document)
    cursor.setPosition(start + 3)
    where = preview.cursorRect(cursor).center()
    qtbot.mouseClick(preview.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert hooks.asked == [QUrl("https://example.com/report")]
    assert hooks.opened == []
    assert "the report" in preview.toPlainText()  # still the note: the browser went nowhere
    qtbot.mouseClick(preview.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(590, 390))
    assert len(hooks.asked) == 1  # a click elsewhere asks nothing


def test_links_that_are_never_offered_are_plain_text(preview: MarkdownPreview) -> None:
    preview.show_markdown(
        "[run](javascript:alert(1)) <javascript:alert(2)> [blob](data:text/html,x) "
        "[rel](notes/other.md) [ok](https://example.com)"
    )
    assert anchors(preview) == {"ok": "https://example.com"}
    for words in ("run", "javascript:alert(2)", "blob", "rel"):
        assert words in preview.toPlainText()


# -- HTML is inert ---------------------------------------------------------------------------
def test_html_in_a_note_is_shown_as_text(qtbot: QtBot, preview: MarkdownPreview) -> None:
    html = [
        "<script>alert(1)</script>",
        '<img src="http://example.com/x.png" onerror="alert(1)">',
        '<iframe src="http://example.com/"></iframe>',
        "<style>body { display: none }</style>",
        '<a href="javascript:alert(1)">click</a>',
    ]
    preview.show_markdown("Pasted:\n\n" + "\n\n".join(html) + "\n\n<div>\n*x*\n</div>\n")
    paint(qtbot, preview)
    text = preview.toPlainText()
    for tag in html:
        assert tag in text
    assert "<div>" in text
    assert not has_image(preview)
    assert anchors(preview) == {}
    assert preview.refused_resources == []  # nothing was even asked for


# -- huge and hostile bodies -----------------------------------------------------------------
def _body_text(preview: MarkdownPreview) -> str:
    """The shown text after the truncation notice."""
    return preview.toPlainText().split("\n", 1)[1]


def test_a_huge_note_shows_its_beginning_and_says_so(
    qtbot: QtBot, preview: MarkdownPreview
) -> None:
    line = "- launch **{}** from the [site](http://example.com/{})\n"
    body = "".join(line.format(i, i) for i in range(40_000))[:MB]
    preview.show_markdown(body)
    paint(qtbot, preview)
    assert preview.truncated
    notice = preview.document().firstBlock().text()
    assert notice.startswith("Preview shows the first ")
    assert notice.endswith(f"of {MB:,} characters; the editor has the whole note.")
    assert _body_text(preview).startswith("launch 0 from the site")
    assert len(preview.toPlainText()) < len(body) // 10


def test_a_one_line_megabyte_renders_bounded(qtbot: QtBot, preview: MarkdownPreview) -> None:
    preview.show_markdown(("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123456789" * 30_000)[:MB])
    paint(qtbot, preview)
    assert preview.truncated
    assert _body_text(preview).startswith("QUJDREVG")


def test_control_characters_are_made_visible(qtbot: QtBot, preview: MarkdownPreview) -> None:
    controls = "".join(chr(c) for c in range(32) if c not in (9, 10, 13)) + "\x7f\x85\x9b"
    preview.show_markdown(f"before{controls}after \u202eevil\u202c tab\there\r\nnext \ud800 end")
    paint(qtbot, preview)
    text = preview.toPlainText()
    assert "\x00" not in text
    assert not any(ord(c) < 32 and c not in "\t\n" for c in text)
    assert "before\u2400\u2401" in text
    assert "\u241b" in text  # ESC
    assert "\u2421\ufffd\ufffd" in text  # DEL, then C1 controls
    assert "tab\there" in text
    assert "next \ufffd end" in text  # a lone surrogate
    assert "\u202eevil" in text  # bidi controls are text direction, kept
    assert not preview.truncated


def test_a_megabyte_of_control_characters_renders_bounded(
    qtbot: QtBot, preview: MarkdownPreview
) -> None:
    noise = "".join(chr(c) for c in range(32)) + "\x7f\u202e\u202d\u2066\u200fab "
    preview.show_markdown((noise * (MB // len(noise) + 1))[:MB])
    paint(qtbot, preview)
    assert preview.truncated
    assert "\x00" not in preview.toPlainText()
    assert "\u2400" in preview.toPlainText()


@pytest.mark.parametrize("separator", ["\n\n", " "])
def test_long_right_to_left_text_renders_bounded(
    qtbot: QtBot, preview: MarkdownPreview, separator: str
) -> None:
    paragraph = RTL_WORDS * 20 + separator
    preview.show_markdown((paragraph * (MB // len(paragraph) + 1))[:MB])
    paint(qtbot, preview)
    assert preview.truncated
    assert _body_text(preview).startswith("שלום עולם هذا نص")
    assert "mixed with English" in preview.toPlainText()


def test_a_short_note_is_not_truncated(preview: MarkdownPreview) -> None:
    body = RTL_WORDS * 10
    preview.show_markdown(body)
    assert not preview.truncated
    assert preview.toPlainText() == body.strip()


# -- the budget ------------------------------------------------------------------------------
def test_the_budget_charges_characters_lines_and_table_cells() -> None:
    prose = "word " * 100_000
    assert preview_end("short note") == len("short note")
    assert preview_end(prose) == (RENDER_BUDGET - LINE_COST) // CHAR_COST  # cut inside the line
    lines = "a\n" * 100_000
    assert preview_end(lines) < preview_end(prose) // 4
    assert preview_end(lines) % 2 == 0  # a line that fits alone is never cut inside
    headed = "# Title\n" + prose  # the heading fits, the huge line after it is cut inside
    assert abs(preview_end(headed) - preview_end(prose)) < 2 * LINE_COST
    table = "| a | b | c |\n|---|---|---|\n" + "| 1 | 2 | 3 |\n" * 10_000
    rows = table[: preview_end(table)].count("\n")
    assert rows * 4 * CELL_COST <= RENDER_BUDGET < (rows + 2) * 4 * CELL_COST + rows * 100
    # A row that widens a table charges its width to the rows after it, pipes or not.
    wide = "|" + "a|" * 100 + "\n" + "x\n" * 10_000
    assert wide[: preview_end(wide)].count("\n") <= RENDER_BUDGET // (101 * CELL_COST)
    # A line of 20,000 cells cannot fit: it is cut inside, where it can head no table.
    assert preview_end("|x" * 20_000) == (RENDER_BUDGET - LINE_COST) // CHAR_COST
    # ... and a short line too wide to fit is the last one: the table it heads never starts.
    header = "|" + "a|" * 2000 + "\n"
    assert preview_end(header + "|" + "-|" * 2000 + "\n" + "|x" * 2000 + "\n") == len(header)


def test_old_mac_line_breaks_are_charged_as_lines(preview: MarkdownPreview) -> None:
    preview.show_markdown("- item\r" * 100_000)
    assert preview.truncated
    items = preview.toPlainText().count("item")
    assert 100 < items <= RENDER_BUDGET // LINE_COST


def test_visible_controls_normalises_line_breaks() -> None:
    assert visible_controls("a\r\nb\rc\nd\x00") == "a\nb\nc\nd\u2400"
