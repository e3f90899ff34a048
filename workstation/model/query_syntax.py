"""The filter bar's query syntax: text such as ``category:"missile test" after:2022-01-10``
parsed into an :class:`~workstation.model.query.EventQuery`, and back.

Grammar (user documentation in ``docs/query-syntax.md``):

- Terms are separated by whitespace and all must hold (AND).
- ``key:value`` or ``key:"quoted value"`` filters; keys are case-insensitive (:data:`QUERY_KEYS`).
  Repeating ``category:``, ``system:`` or ``tag:`` allows any of the values (OR); repeating
  ``after:``/``before:`` keeps the most restrictive bound.
- Anything else is free text. ``EventQuery`` has one substring, so the free-text terms are
  joined in order with single spaces into one phrase: ``missile test`` searches for
  "missile test", exactly like ``"missile test"``.
- Inside quotes, ``\\"`` is a quote and ``\\\\`` a backslash; any other backslash is literal.
  Outside quotes every character other than whitespace is literal.
- ``word:`` is a filter only when ``word`` is a known key, or when a value follows the colon
  that does not start with ``/``: so ``colour:red`` is an error (a mistyped filter should not
  silently search for text), while ``http://example.org``, ``Note:`` and ``10:30`` are free text.
- Dates (``after:``, ``before:``, ``on:``) are ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``,
  ``YYYY-MM-DDTHH:MM`` or ``YYYY-MM-DDTHH:MM:SS``, in ``default_zone`` unless followed by ``Z``
  (UTC). A date stands for its whole period, bounds included: ``after:`` takes its first
  second, ``before:`` its last, ``on:`` both.

Every mistake raises :class:`QuerySyntaxError` with a one-line message and the offset where the
problem starts, so the filter bar can show it inline; nothing else escapes :func:`parse_query`
except a ``ValueError`` for an unknown ``default_zone``, which is the caller's mistake.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from workstation.model.dates import zone
from workstation.model.query import EventQuery

#: Every key the syntax knows, with one line of help each (shown by the help dialog).
QUERY_KEYS: dict[str, str] = {
    "category": 'Event category, e.g. category:"missile test"; repeat to allow any of several.',
    "system": "Missile system by any name or alias, e.g. system:KN-23 or system:Hwasong-11A; "
    "repeat to allow any of several.",
    "tag": "Event tag (any case), e.g. tag:kcna; repeat to allow any of several.",
    "text": 'Free text, the same as a bare word, e.g. text:Hwasong or text:"rail-mobile".',
    "after": "Events on or after the start of a date or time, e.g. after:2022-01-10 "
    "(YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM, in the display zone; add Z for UTC).",
    "before": "Events on or before the end of a date or time, e.g. before:2022-01-31 "
    "includes all of 31 January.",
    "on": "Events within one date, month or year, e.g. on:2022-01 (after: and before: the same "
    "date).",
}

_EXAMPLES = {
    "category": 'category:"missile test"',
    "system": "system:KN-23",
    "tag": "tag:kcna",
    "text": "text:Hwasong",
    "after": "after:2022-01-10",
    "before": "before:2022-01-31",
    "on": "on:2022-01-14",
}

_LIST_KEYS = ("category", "system", "tag")

_KEY = re.compile(r"([^\W\d][\w-]*):")
_DATE = re.compile(
    r"(?P<year>\d{4})"
    r"(?:-(?P<month>\d{1,2})"
    r"(?:-(?P<day>\d{1,2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?)?)?"
    r"(?P<utc>Z)?",
    re.IGNORECASE | re.ASCII,
)
_ONE_SECOND = timedelta(seconds=1)


class QuerySyntaxError(ValueError):
    """A query the filter bar cannot understand; ``str(err)`` is ``message``."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position  # character offset in the query text where the problem starts

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class _Term:
    key: str | None  # None: free text
    value: str
    start: int  # offset of the term
    value_start: int  # offset of its value (the opening quote when quoted)


@dataclass(frozen=True)
class _Bound:
    moment: datetime
    label: str  # "after 2022-01-10", as the user wrote it
    position: int


# -- parsing ---------------------------------------------------------------------------------
def parse_query(text: str, default_zone: str = "UTC") -> EventQuery:
    """Parse filter-bar text; :class:`QuerySyntaxError` for anything it cannot understand.

    Dates without ``Z`` are read in ``default_zone`` (an IANA name, normally the display zone);
    an unknown zone raises ``ValueError``.
    """
    tz = zone(default_zone)
    words: list[str] = []
    lists: dict[str, set[str]] = {key: set() for key in _LIST_KEYS}
    start: _Bound | None = None
    end: _Bound | None = None
    for term in _terms(text):
        if term.key is None or term.key == "text":
            words.append(term.value)
        elif term.key in _LIST_KEYS:
            lists[term.key].add(term.value)
        else:
            first, last = _period(term.value, term.value_start, term.key, tz)
            label = f"{term.key} {_echo(term.value)}"
            if term.key in ("after", "on") and (start is None or first > start.moment):
                start = _Bound(first, label, term.start)
            if term.key in ("before", "on") and (end is None or last < end.moment):
                end = _Bound(last, label, term.start)
    if start is not None and end is not None and start.moment > end.moment:
        raise QuerySyntaxError(
            f"the date range is empty: {start.label} is later than {end.label}",
            max(start.position, end.position),
        )
    return EventQuery(
        text=" ".join(words).strip(),
        categories=frozenset(lists["category"]),
        systems=frozenset(lists["system"]),
        tags=frozenset(lists["tag"]),
        start_utc=start.moment if start else None,
        end_utc=end.moment if end else None,
    )


def _terms(text: str) -> Iterable[_Term]:
    """Split the text into terms, in order (a generator: errors come in reading order)."""
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return
        start = i
        if text[i] == '"':
            value, i = _quoted(text, i)
            if value:  # "" is nothing to search for
                yield _Term(None, value, start, start)
            continue
        match = _KEY.match(text, i)
        if match:
            written = match.group(1)
            key = written.casefold()
            value_start = match.end()
            if key in QUERY_KEYS:
                if value_start < n and text[value_start] == '"':
                    value, i = _quoted(text, value_start)
                else:
                    i = _word_end(text, value_start)
                    value = text[value_start:i]
                value = value.strip()
                if not value:
                    raise QuerySyntaxError(f"'{key}:' needs a value, e.g. {_EXAMPLES[key]}", start)
                yield _Term(key, value, start, value_start)
                continue
            if value_start < n and not text[value_start].isspace() and text[value_start] != "/":
                raise QuerySyntaxError(_unknown_key_message(written), start)
        i = _word_end(text, start)
        yield _Term(None, text[start:i], start, start)


def _word_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def _quoted(text: str, opening: int) -> tuple[str, int]:
    """The text of the quoted string at ``opening`` and the offset after its closing quote."""
    chars: list[str] = []
    i, n = opening + 1, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in '"\\':
            chars.append(text[i + 1])
            i += 2
        elif char == '"':
            i += 1
            if i < n and not text[i].isspace():
                raise QuerySyntaxError("put a space after the closing quote", i)
            return "".join(chars), i
        else:
            chars.append(char)
            i += 1
    raise QuerySyntaxError('this quote is never closed; add a closing "', opening)


def _unknown_key_message(written: str) -> str:
    known = ", ".join(QUERY_KEYS)
    close = difflib.get_close_matches(written.casefold(), list(QUERY_KEYS), n=1)
    hint = f" (did you mean '{close[0]}:'?)" if close else ""
    return f"unknown filter '{_echo(written)}:'{hint}; known: {known}"


def _echo(text: str, limit: int = 40) -> str:
    """User text safe to quote in a one-line message."""
    flat = " ".join(text.split())
    flat = "".join(char if char.isprintable() else "\N{REPLACEMENT CHARACTER}" for char in flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _period(value: str, position: int, key: str, tz: tzinfo) -> tuple[datetime, datetime]:
    """The first and last second (UTC) of the date or time ``value`` names."""
    match = _DATE.fullmatch(value)
    if match is None:
        raise QuerySyntaxError(
            f"'{key}:' needs a date such as 2022-01-10, 2022-01, 2022 or 2022-01-10T08:00, "
            f"not '{_echo(value)}'",
            position,
        )
    if match["utc"]:
        tz = UTC
    year = int(match["year"])
    month, day = int(match["month"] or 1), int(match["day"] or 1)
    hour, minute, second = (int(match[name] or 0) for name in ("hour", "minute", "second"))
    try:
        first = datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise QuerySyntaxError(f"'{_echo(value)}' is not a real date ({exc})", position) from exc
    try:
        after = _next_period(first, match)
    except (OverflowError, ValueError):
        after = None  # the period ends with year 9999
    try:
        # The same reading as dates.local_to_utc: wall-clock time in the zone, first occurrence.
        start = first.replace(tzinfo=tz).astimezone(UTC)
        if after is None:
            end = datetime(9999, 12, 31, 23, 59, 59).replace(tzinfo=tz).astimezone(UTC)
        else:
            end = after.replace(tzinfo=tz).astimezone(UTC) - _ONE_SECOND
    except (OverflowError, ValueError) as exc:
        raise QuerySyntaxError(
            f"'{_echo(value)}' is outside the range of supported dates", position
        ) from exc
    return start, end


def _next_period(first: datetime, match: re.Match[str]) -> datetime:
    """The local start of the period after the one ``first`` begins."""
    if match["second"]:
        return first + _ONE_SECOND
    if match["minute"]:
        return first + timedelta(minutes=1)
    if match["day"]:
        return first + timedelta(days=1)
    if match["month"]:
        if first.month == 12:
            return first.replace(year=first.year + 1, month=1)
        return first.replace(month=first.month + 1)
    return first.replace(year=first.year + 1)


# -- formatting ------------------------------------------------------------------------------
def format_query(query: EventQuery, default_zone: str = "UTC") -> str:
    """Query text that :func:`parse_query` reads back as ``query`` (with the same zone).

    Dates are written in the shortest form that is exact in ``default_zone`` (``on:2022-01``
    rather than two bounds in UTC, in Seoul), and in UTC with ``Z`` when no local
    form is exact (e.g. the repeated hour when clocks go back). Text that must mean the same
    instants whatever the display zone should be formatted and parsed with ``"UTC"``.
    """
    tz = zone(default_zone)
    parts: list[str] = []
    text = query.text.strip()
    if text:
        parts.append(_quote(text) if _needs_quotes(text) or ":" in text else text)
    for key, values in (
        ("category", query.categories),
        ("system", query.systems),
        ("tag", query.tags),
    ):
        parts.extend(f"{key}:{_value(value)}" for value in sorted(values) if value.strip())
    start, end = query.start_utc, query.end_utc
    on = _on_text(start, end, tz) if start is not None and end is not None else None
    if on is not None:
        parts.append(f"on:{on}")
    else:
        if start is not None:
            parts.append(f"after:{_date_text(start, 'after', tz)}")
        if end is not None:
            parts.append(f"before:{_date_text(end, 'before', tz)}")
    return " ".join(parts)


def _needs_quotes(value: str) -> bool:
    return not value or '"' in value or any(char.isspace() for char in value)


def _value(value: str) -> str:
    value = value.strip()
    return _quote(value) if _needs_quotes(value) else value


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _date_text(moment: datetime, key: str, tz: tzinfo) -> str:
    """The shortest date text whose bound (``after``: first second, ``before``: last) is
    ``moment``."""
    candidates = _date_candidates(moment, tz)
    for candidate in candidates:
        period = _try_period(candidate, tz)
        if period is not None and period[0 if key == "after" else 1] == moment:
            return candidate
    return candidates[-1]


def _on_text(start: datetime, end: datetime, tz: tzinfo) -> str | None:
    """The date text whose whole period is exactly ``start`` to ``end``, if there is one."""
    for candidate in _date_candidates(start, tz):
        if _try_period(candidate, tz) == (start, end):
            return candidate
    return None


def _date_candidates(moment: datetime, tz: tzinfo) -> list[str]:
    """Texts for ``moment`` from the coarsest local form to the exact UTC one."""
    exact = moment.astimezone(UTC)
    candidates: list[str] = []
    try:
        local = _seconds_text(exact.astimezone(tz))
    except (OverflowError, ValueError):
        pass
    else:
        candidates = [local[:4], local[:7], local[:10], local[:16], local]
    candidates.append(_seconds_text(exact) + "Z")
    return candidates


def _try_period(text: str, tz: tzinfo) -> tuple[datetime, datetime] | None:
    try:
        return _period(text, 0, "on", tz)
    except QuerySyntaxError:
        return None


def _seconds_text(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` with a four-digit year even before year 1000."""
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
