"""Read-only Markdown preview of an annotation body: offline, inert and bounded.

Analysts paste material from hostile sources into their notes, so the preview

- never fetches anything: the widget and its documents refuse every resource request, and
  images become text links before anything lays them out (nothing imports ``QtNetwork``);
- treats HTML as text (``MarkdownNoHTML``): ``<script>``, ``<img>`` and ``<iframe>`` show literally;
- opens a link only when it is clicked, only for http, https and mailto URLs, and only
  after the analyst confirms (``ask_open_link``); other links are shown as plain text;
- shows control characters as visible symbols;
- renders only as much of a long body as fits a cost budget, so that no body freezes the UI.

Why a budget and not a size (measured on 2 CPUs, offscreen, a shown 600x400 preview): a whole
1 MB note takes 0.45-1.7 s to render (many lines, one line, control characters, right-to-left
text alike), and even 64,000 characters can take far too long: 0.1 s of control characters,
0.18 s of CJK, 2.3 s as a table, 5.6 s as a list (Qt builds lists and tables in superlinear
time). Characters, lines and table cells are therefore charged what they cost, and the preview
stops where the estimate reaches ``RENDER_BUDGET``: the costliest bodies measured (a CJK
paragraph, tables, lists) then render and paint in 30-65 ms, the 1 MB notes of the benchmark
in 10-20 ms, and notes of up to about 15,000 characters render whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from time import perf_counter

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import (
    QBrush,
    QDesktopServices,
    QFont,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
)
from PySide6.QtWidgets import QMessageBox, QTextBrowser, QWidget

# What a body costs to render, in microseconds on the reference machine (see the module doc).
# A body is previewed up to where the estimate reaches the budget.
CHAR_COST = 3  # a character of the slowest scripts measured (CJK, emoji): ~3 µs
LINE_COST = 25  # a block: ~10 µs, list items more (Qt builds lists in quadratic time)
CELL_COST = 100  # a table cell: ~100 µs, tables are the costliest thing Qt lays out
RENDER_BUDGET = 50_000  # half the 100 ms a render may take: room for slower machines
# No file: a file://host/ link reaches the network (SMB) and opening a local program runs it.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)
LABEL_CHARS = 80  # an image's alt text or file name, shown instead of the image
URL_CHARS = 300  # URLs longer than this are elided in tooltips and questions

# C0 controls but tab and line feed, DEL, C1 controls, and lone surrogates (which cannot be
# encoded for Qt). Line breaks are normalised to "\n" before this applies.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def visible_controls(text: str) -> str:
    """``text`` with line breaks normalised and control characters made visible: U+2400 +
    code for C0 (the Unicode control pictures), U+2421 for DEL, U+FFFD for the rest. Qt
    draws most of them as nothing, which would hide what the note really contains."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub(_picture, text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def preview_end(text: str, budget: int = RENDER_BUDGET) -> int:
    """How much of ``text`` (with "\n" line breaks) the preview renders: whole lines while
    their estimated cost fits ``budget``; a line that could never fit is cut inside."""
    spent = 0
    start = 0
    columns = 0  # the most cells of a line in this run of non-blank lines: a table's width
    while start < len(text):
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline + 1
        # Only the affordable part of a line is looked at: a 1 MB line costs no 1 MB scan.
        line = text[start : min(end, start + budget // CHAR_COST + 1)]
        blank = not line.strip()
        table = 0 if blank else columns  # the width of a table this line would be a row of
        columns = 0 if blank else max(columns, line.count("|"))
        cost = LINE_COST + CELL_COST * columns + CHAR_COST * (end - start)
        if spent + cost <= budget:
            spent += cost
            start = end
        elif cost <= budget:
            return start  # a line that fits on its own is not cut
        else:
            # The part kept ends the text, so it cannot head a table of its own.
            room = budget - spent - LINE_COST - CELL_COST * table
            return start + min(end - start, max(0, room // CHAR_COST))
    return len(text)


def preview_text(text: str, budget: int = RENDER_BUDGET) -> tuple[str, bool]:
    """The text the preview renders for ``text`` (control characters made visible, cut to
    the budget), and whether that is less than all of it."""
    # No more than this can fit the budget, whatever the text: the rest is never looked at.
    head = visible_controls(text[: budget // CHAR_COST + 1])
    shown = head[: preview_end(head, budget)]
    return shown, len(shown) < len(head) or len(text) > budget // CHAR_COST


def offered(url: QUrl) -> bool:
    """Whether the preview offers to open ``url`` at all (javascript:, data: and relative
    links never are)."""
    return url.isValid() and url.scheme().lower() in LINK_SCHEMES


def _elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown_url(url: QUrl) -> str:
    # The encoded form shows punycode hosts and escapes bidi and invisible characters, so the
    # analyst sees where the link really goes.
    return _elide(bytes(url.toEncoded().data()).decode("ascii", "replace"), URL_CHARS)


class _OfflineDocument(QTextDocument):
    """A document that loads no resource: no file, no qrc, no data: URL, no network."""

    def __init__(self, refused: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._refused = refused

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        self._refused.append(QUrl(name).toString())
        return None  # never the base implementation, which reads files and asks the parent


class MarkdownPreview(QTextBrowser):
    """Shows an annotation body written in Markdown (GitHub dialect, HTML as text)."""

    link_refused = Signal(str)  # a message for the status bar: why a clicked link did not open

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refused_resources: list[str] = []  # URLs not fetched: images and any load request
        self.truncated = False  # the last body was longer than the preview renders
        self.render_seconds = 0.0  # the last show_markdown, layout included
        self.render_budget = RENDER_BUDGET
        # Replaceable hooks: tests answer the question and record what would open.
        self.ask_open_link: Callable[[QUrl], bool] = self.confirm_open
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.setReadOnly(True)
        self.setOpenLinks(False)  # a click only emits anchorClicked, handled below
        self.setOpenExternalLinks(False)
        # A pasted base64 blob or URL is one huge word: wrap it rather than scroll sideways.
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._install(self._new_document())
        self.anchorClicked.connect(self.open_link)

    # -- rendering -------------------------------------------------------------------------
    def show_markdown(self, text: str) -> None:
        """Render ``text``, or as much of its beginning as ``render_budget`` allows."""
        start = perf_counter()
        self.refused_resources.clear()  # in place: the documents share this list
        shown, self.truncated = preview_text(text, self.render_budget)
        source = shown
        if self.truncated:
            # A paragraph of its own ahead of the body: the blank line ends it whatever follows.
            source = (
                f"Preview shows the first {len(shown):,} of {len(text):,} characters; "
                f"the editor has the whole note.\n\n{shown}"
            )
        document = self._new_document()
        document.setMarkdown(source, MARKDOWN)
        self._defuse(document)
        if self.truncated:
            self._style_notice(document)
        self._install(document)
        document.documentLayout().documentSize()  # lay it all out now, inside the timed render
        self.render_seconds = perf_counter() - start

    def clear(self) -> None:
        super().clear()
        self.truncated = False
        self.refused_resources.clear()

    def _new_document(self) -> _OfflineDocument:
        document = _OfflineDocument(self.refused_resources, self)
        document.setUndoRedoEnabled(False)  # read-only: an undo stack would only cost memory
        document.setDefaultFont(self.font())
        option = document.defaultTextOption()
        option.setWrapMode(self.wordWrapMode())  # a document property: set it on each new one
        document.setDefaultTextOption(option)
        return document

    def _install(self, document: QTextDocument) -> None:
        # Built detached and then installed: setMarkdown into the shown document would lay
        # out each block as it is inserted, which costs about twice as much.
        old = self.document()
        self.setDocument(document)
        # The widget deletes its own default document; the earlier ones here are ours.
        if isinstance(old, _OfflineDocument) and old is not document:
            old.deleteLater()

    def _defuse(self, document: QTextDocument) -> None:
        """Images become text links, links the preview never opens become plain text."""
        images: list[tuple[int, int, str, str]] = []  # position, length, URL, alt text
        anchors: list[tuple[int, int, QTextCharFormat]] = []
        block = document.begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                char_format = fragment.charFormat()
                position, length = fragment.position(), fragment.length()
                if char_format.isImageFormat():
                    url = char_format.toImageFormat().name()
                    alt = char_format.property(QTextFormat.Property.ImageAltText)
                    alt = alt if isinstance(alt, str) else ""
                    last = images[-1] if images else None
                    # Qt makes one image per piece of formatted alt text ("![**a** b](x)").
                    if last and last[2] == url and last[0] + last[1] == position:
                        images[-1] = (last[0], last[1] + length, url, last[3] + alt)
                    else:
                        images.append((position, length, url, alt))
                elif char_format.isAnchor() and not offered(QUrl(char_format.anchorHref())):
                    anchors.append((position, length, char_format))
                fragments += 1
            block = block.next()
        if not images and not anchors:
            return
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        for position, length, char_format in anchors:  # same length: no position moves
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(self._plain(char_format))
        for position, length, url, alt in reversed(images):  # from the end: nothing moves
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(*self._image_link(url, alt))
        cursor.endEditBlock()

    def _image_link(self, url: str, alt: str) -> tuple[str, QTextCharFormat]:
        """The text shown instead of an image, and its format: a link to the image."""
        self.refused_resources.append(url)
        name = alt.strip() or QUrl(url).fileName() or "image"
        link = QTextCharFormat()
        if offered(QUrl(url)):
            link.setAnchor(True)
            link.setAnchorHref(url)
            link.setForeground(self.palette().link())
            link.setFontUnderline(True)
        link.setToolTip(f"Image not loaded: {_elide(url, URL_CHARS)}")
        return f"[image: {_elide(name, LABEL_CHARS)}]", link

    @staticmethod
    def _plain(anchor: QTextCharFormat) -> QTextCharFormat:
        plain = QTextCharFormat(anchor)
        plain.setAnchor(False)
        plain.clearProperty(QTextFormat.Property.AnchorHref)
        plain.clearForeground()
        plain.setFontUnderline(False)
        plain.setToolTip(f"Link not offered: {_elide(anchor.anchorHref(), URL_CHARS)}")
        return plain

    def _style_notice(self, document: QTextDocument) -> None:
        cursor = QTextCursor(document.firstBlock())
        cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
        notice = QTextCharFormat()
        notice.setFontItalic(True)
        notice.setFontWeight(QFont.Weight.Normal)
        notice.setForeground(QBrush(self.palette().placeholderText()))
        cursor.mergeCharFormat(notice)

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        # Qt's own documents ask the widget (setSource, a default document): refuse here too.
        self.refused_resources.append(QUrl(name).toString())
        return None

    # -- links -----------------------------------------------------------------------------
    def open_link(self, url: QUrl) -> None:
        """A clicked link: opened outside Workstation if it may be and the analyst agrees."""
        if not offered(url):
            self.link_refused.emit(
                f"Not opened: Workstation does not open “{_elide(url.scheme() or 'relative', 40)}”"
                " links."
            )
            return
        if self.ask_open_link(url):
            self.open_url(url)

    def confirm_open(self, url: QUrl) -> bool:
        """The default ``ask_open_link``: a Yes/No question, No by default."""
        where = {"mailto": "your mail program"}.get(url.scheme().lower(), "your browser")
        answer = QMessageBox.question(
            self,
            "Open link",
            f"Open {_shown_url(url)} outside Workstation?\n\n"
            f"Workstation works offline; this opens {where}.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
