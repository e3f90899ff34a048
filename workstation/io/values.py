"""Reading the values of other people's tables: dates, times, quantities, missing values and
lists, as they are written in real files (the CNS database, colleagues' spreadsheets).

Every parser returns ``None`` for a missing value ("", "Unknown", "n/a", ...), never 0, and
raises :class:`UnreadableValueError` with a one-line reason for a value it cannot read, so an
importer can keep the raw text and flag the row instead of guessing. Qt-free.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from workstation.model.dates import Precision, zone
from workstation.model.measurements import Qualifier
from workstation.model.units import UNITS

#: Words that mean "no value" in the files we read (compared case-insensitively, trimmed).
MISSING = frozenset(
    {"", "unknown", "unk", "n/a", "na", "none", "nan", "null", "-", "—", "–", "?", "not known"}
)
#: A two-digit year below this is 20YY, else 19YY (the POSIX rule: "84" is 1984, "22" 2022).
CENTURY_PIVOT = 69


class UnreadableValueError(ValueError):
    """A value that is there but cannot be read; the message says why, in one line."""


def is_missing(text: object) -> bool:
    """Whether a cell holds no value: blank, NaN, or a word such as "Unknown"."""
    if text is None:
        return True
    if isinstance(text, float) and text != text:  # NaN from a reader
        return True
    return str(text).strip().casefold() in MISSING


def _echo(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


# -- dates ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LocalDate:
    """A calendar date as written, and how much of it is known: a month-only ``Sep-84`` is
    September 1984 with month precision, never 1 September."""

    year: int
    month: int = 1
    day: int = 1
    precision: Literal[Precision.DAY, Precision.MONTH, Precision.YEAR] = Precision.DAY

    def as_date(self) -> date:
        return date(self.year, self.month, self.day)


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_FORMS: list[tuple[re.Pattern[str], Precision]] = [
    # 2022-01-05, 2022/01/05
    (re.compile(r"^(?P<year>\d{4})[-/](?P<mon>\d{1,2})[-/](?P<day>\d{1,2})$"), Precision.DAY),
    # 5-Jan-22, 05 Jan 2022, 5 January 2022
    (
        re.compile(rf"^(?P<day>\d{{1,2}})[-\s]{_MONTH}[-\s,]+(?P<year>\d{{2}}|\d{{4}})$"),
        Precision.DAY,
    ),
    # Jan 5, 2022 / January 5 2022
    (re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})$"), Precision.DAY),
    # 3/23/2023 (month first, as the CNS file writes it)
    (re.compile(r"^(?P<mon>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})$"), Precision.DAY),
    # 2022-01
    (re.compile(r"^(?P<year>\d{4})-(?P<mon>\d{1,2})$"), Precision.MONTH),
    # Sep-84, Sep 1984, September 1984
    (re.compile(rf"^{_MONTH}[-\s]+(?P<year>\d{{2}}|\d{{4}})$"), Precision.MONTH),
    # 1984
    (re.compile(r"^(?P<year>\d{4})$"), Precision.YEAR),
]


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 2:
        value += 2000 if value < CENTURY_PIVOT else 1900
    return value


#: A date with a clock time in one cell: ISO 8601 (``2022-01-05T10:00:00Z``) and what a
#: spreadsheet's date cell reads as (``2022-01-05 00:00:00``).
_DATE_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})[T ](?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?"
    r"\s*(?P<zone>Z|UTC|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def parse_datetime(text: object) -> tuple[LocalDate | None, time | None, str | None]:
    """A cell that may hold a date and a time: the date, the time (None when there is none,
    or when it is the midnight a spreadsheet writes in a plain date cell) and the zone the
    cell itself states (``Z`` or ``+09:00``, as an IANA name), if any."""
    if is_missing(text):
        return None, None, None
    match = _DATE_TIME.match(str(text).strip())
    if match is None:
        return parse_date(text), None, None
    day, clock = parse_date(match["date"]), parse_time(match["time"])
    stated = _stated_zone(match["zone"], str(text))
    if clock == time(0) and stated is None:
        return day, None, None  # a date cell (Excel writes its midnight), not a launch time
    return day, clock, stated


def _stated_zone(designator: str | None, written: str) -> str | None:
    if designator is None:
        return None
    if designator.upper() in ("Z", "UTC"):
        return "UTC"
    sign, digits = designator[0], designator[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if minutes or hours > 14:
        # IANA zones name whole-hour offsets only (Etc/GMT-9 is UTC+9); a half hour is rare
        # in these files and must not be guessed.
        raise UnreadableValueError(f"{_echo(written)}: offset {designator} is not one this reads")
    return "UTC" if hours == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"


def parse_date(text: object) -> LocalDate | None:
    """A calendar date in any of the forms real files use (ISO, ``5-Jan-22``, ``3/23/2023``,
    ``Sep-84``, ``1984``, and a spreadsheet date cell's ``2022-01-05 00:00:00``); ``None`` when
    missing. Raises :class:`UnreadableValueError` for a form it does not know or a date that
    does not exist (``31-Feb-22``). A time beside the date is not read here (see
    :func:`parse_datetime`)."""
    if is_missing(text):
        return None
    written = str(text).strip()
    with_time = _DATE_TIME.match(written)
    if with_time is not None:
        written = with_time["date"]
    for pattern, precision in _DATE_FORMS:
        match = pattern.match(written)
        if match is None:
            continue
        parts = match.groupdict()
        month = _month(parts, written)
        day = int(parts.get("day") or 1)
        year = _year(parts["year"])
        try:
            date(year, month, day)
        except ValueError as exc:
            raise UnreadableValueError(f"{_echo(written)} is not a real date ({exc})") from None
        return LocalDate(year, month, day, precision)  # type: ignore[arg-type]
    raise UnreadableValueError(f"{_echo(written)} is not a date this importer reads")


def _month(parts: dict[str, str | None], written: str) -> int:
    if parts.get("mon"):
        return int(parts["mon"] or 1)
    name = (parts.get("month") or "").casefold()
    if not name:
        return 1
    if name not in _MONTHS:
        raise UnreadableValueError(f"{_echo(written)}: {name!r} is not a month")
    return _MONTHS[name]


_TIME = re.compile(
    r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<half>[AaPp]\.?[Mm]\.?)?$"
)


def parse_time(text: object) -> time | None:
    """A clock time: ``23:10``, ``23:10:05``, ``11:10:00 PM``; ``None`` when missing."""
    if is_missing(text):
        return None
    written = str(text).strip()
    match = _TIME.match(written)
    if match is None:
        raise UnreadableValueError(f"{_echo(written)} is not a time of day")
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            raise UnreadableValueError(
                f"{_echo(written)}: {hour} is not an hour on a 12-hour clock"
            )
        hour = hour % 12 + (12 if match["half"][0] in "Pp" else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        raise UnreadableValueError(f"{_echo(written)} is not a time of day") from None


def moment(day: LocalDate, clock: time | None, zone_name: str) -> tuple[datetime, Precision]:
    """The UTC instant of a date (and time) read in ``zone_name``, and its precision. A date
    without a time starts at local midnight of its first day, and the precision says how much
    of it is known (as :func:`workstation.model.dates.local_to_utc`)."""
    tz = zone(zone_name)
    if clock is None or day.precision is not Precision.DAY:
        local = datetime(day.year, day.month, day.day, tzinfo=tz)
        return local.astimezone(UTC), day.precision
    local = datetime.combine(day.as_date(), clock, tzinfo=tz)
    return local.astimezone(UTC), Precision.TIME


def moment_between(
    day: LocalDate, clock: time | None, date_zone: str, time_zone: str
) -> tuple[datetime, Precision]:
    """A date written in one zone beside a clock time written in another (a Korean date
    beside a UTC launch time): the instant whose clock reads ``clock`` in ``time_zone`` and
    whose calendar date is ``day`` in ``date_zone``. With one zone this is :func:`moment`."""
    if clock is None or date_zone == time_zone or day.precision is not Precision.DAY:
        return moment(day, clock, date_zone if clock is None else time_zone)
    written, tz = day.as_date(), zone(time_zone)
    for shift in (0, -1, 1):
        candidate = datetime.combine(written + timedelta(days=shift), clock, tzinfo=tz)
        if candidate.astimezone(zone(date_zone)).date() == written:
            return candidate.astimezone(UTC), Precision.TIME
    raise UnreadableValueError(  # pragma: no cover - zones are never two days apart
        f"no {clock:%H:%M} in {time_zone} falls on {written} in {date_zone}"
    )


# -- quantities -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Quantity:
    """A claimed value with its qualifier kept: ``> 700 km`` is a lower bound, not 700."""

    qualifier: Qualifier
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    unit: str = ""


_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
_UNIT_WORDS = {
    "km": "km", "kilometers": "km", "kilometres": "km", "kms": "km",
    "m": "m", "meters": "m", "metres": "m",
    "mi": "mi", "miles": "mi", "mile": "mi",
    "nmi": "nmi", "nm": "nmi", "nautical miles": "nmi",
    "mach": "Mach",
    "km/h": "km/h", "kph": "km/h", "km/s": "km/s", "m/s": "m/s",
    "s": "s", "sec": "s", "seconds": "s", "min": "min", "minutes": "min", "h": "h", "hours": "h",
    "kg": "kg", "t": "t", "tons": "t", "tonnes": "t",
}  # fmt: skip
_QUALIFIERS: list[tuple[re.Pattern[str], Qualifier]] = [
    (re.compile(r"^(?:>=|≥|at least|no less than|min(?:imum)?)\s*", re.I), Qualifier.GREATER_THAN),
    (re.compile(r"^(?:>|more than|over|greater than|above)\s*", re.I), Qualifier.GREATER_THAN),
    (re.compile(r"^(?:<=|≤|at most|up to|no more than|max(?:imum)?)\s*", re.I), Qualifier.AT_MOST),
    (re.compile(r"^(?:<|less than|under|below)\s*", re.I), Qualifier.LESS_THAN),
    (re.compile(r"^(?:~|≈|about|approx(?:imately|\.)?|around|roughly|some|c\.|ca\.)\s*", re.I),
     Qualifier.APPROXIMATE),
]  # fmt: skip
_RANGE = re.compile(
    rf"^(?:between\s+)?(?P<a>{_NUMBER})\s*(?P<ua>[^\d\s,–-][^\d,–-]*?)?\s*(?:and|to|–|-)\s*"
    rf"(?P<b>{_NUMBER})\s*(?P<ub>.*)$",
    re.I,
)
_SINGLE = re.compile(rf"^(?P<a>{_NUMBER})\s*(?P<ua>.*)$")


def _number(text: str) -> float:
    value = float(text.replace(",", ""))
    if not math.isfinite(value) or value > 1e12:
        raise UnreadableValueError(f"{_echo(text)} is not a usable number")
    return value


def _unit(written: str, whole: str, default_unit: str) -> str:
    word = written.strip().rstrip(".").strip()
    if not word:
        if not default_unit:
            raise UnreadableValueError(f"{_echo(whole)} has no unit")
        return default_unit
    unit = _UNIT_WORDS.get(word.casefold()) or (word if word in UNITS else "")
    if not unit:
        raise UnreadableValueError(f"{_echo(whole)}: {word!r} is not a unit this importer knows")
    return unit


def parse_quantity(text: object, default_unit: str = "") -> Quantity | None:
    """``1,380 km``, ``between 25 and 90 km``, ``> 700 km``, ``about 60 km``, ``< 50 km``,
    ``Mach 10``; ``None`` when missing. The unit is checked: a typo such as ``330 lm`` is a
    :class:`UnreadableValueError`, never a guess. ``default_unit`` applies to a bare number."""
    if is_missing(text):
        return None
    whole = " ".join(str(text).split())
    written = whole
    qualifier = Qualifier.EXACT
    for pattern, meaning in _QUALIFIERS:
        stripped = pattern.sub("", written, count=1)
        if stripped != written:
            written, qualifier = stripped, meaning
            break
    mach = re.match(r"^mach\s+(.*)$", written, re.I)
    if mach:  # "Mach 10": the unit is written first
        written = f"{mach[1]} Mach"
    ranged = _RANGE.match(written)
    if ranged and qualifier is Qualifier.EXACT:
        unit = _unit(ranged["ub"] or ranged["ua"] or "", whole, default_unit)
        if ranged["ua"] and ranged["ub"] and _unit(ranged["ua"], whole, "") != unit:
            raise UnreadableValueError(f"{_echo(whole)}: the two ends have different units")
        low, high = sorted((_number(ranged["a"]), _number(ranged["b"])))
        return Quantity(Qualifier.BETWEEN, None, low, high, unit)
    single = _SINGLE.match(written)
    if single is None:
        raise UnreadableValueError(f"{_echo(whole)} is not a number with a unit")
    return Quantity(qualifier, _number(single["a"]), unit=_unit(single["ua"], whole, default_unit))


# -- lists ------------------------------------------------------------------------------------
def split_items(text: object) -> list[str]:
    """Items separated by ``;`` or line ends (a sources cell), trimmed, blanks dropped, each
    once, in order."""
    if is_missing(text):
        return []
    items = (item.strip() for item in re.split(r"[;\r\n]+", str(text)))
    return list(dict.fromkeys(item for item in items if item))
