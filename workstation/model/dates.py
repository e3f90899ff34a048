"""Times, time zones and date precision.

Every time is stored in UTC and shown in the zone it was reported in. The local date is what
analysts count by: the 5 January 2022 launch (08:10 KST) happened on 4 January in UTC, so
counting "launch days" must use local dates (:func:`local_dates`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import numpy as np
import pandas as pd

ISO_UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
ISO_UTC_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class Precision(StrEnum):
    """How precisely an event's date is known."""

    TIME = "time"  # the time of day is known
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    APPROXIMATE = "approximate"  # a time or date given as "about", "morning of", ...


def parse_utc(text: str) -> datetime:
    """Parse ``YYYY-MM-DDTHH:MM:SSZ`` into an aware UTC datetime; ``ValueError`` otherwise."""
    if not ISO_UTC_PATTERN.match(text):
        raise ValueError(f"not an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ): {text!r}")
    return datetime.strptime(text, ISO_UTC_FORMAT).replace(tzinfo=UTC)


def format_utc(moment: datetime) -> str:
    """Format an aware datetime as ``YYYY-MM-DDTHH:MM:SSZ``."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no defined UTC time")
    return moment.astimezone(UTC).strftime(ISO_UTC_FORMAT)


def zone(name: str) -> ZoneInfo:
    """Return the IANA zone; ``ValueError`` (not ``KeyError``) for unknown or unsafe names."""
    if not name or name.startswith(("/", ".")) or ".." in name or "\\" in name:
        raise ValueError(f"not an IANA time zone: {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"not an IANA time zone: {name!r}") from exc


def is_valid_zone(name: str) -> bool:
    try:
        zone(name)
    except ValueError:
        return False
    return True


def known_zones() -> set[str]:
    return set(available_timezones())


def local_datetime(moment_utc: datetime, tz_name: str) -> datetime:
    return moment_utc.astimezone(zone(tz_name))


def local_dates(start_utc: pd.Series, timezones: pd.Series) -> pd.Series:
    """The local calendar date of each time, each in its own zone (vectorised per zone).

    ``start_utc`` is a tz-aware UTC datetime series; ``timezones`` holds IANA names.
    """
    result = pd.Series(np.full(len(start_utc), None, dtype=object), index=start_utc.index)
    for tz_name, positions in timezones.groupby(timezones, sort=False).indices.items():
        local = start_utc.iloc[positions].dt.tz_convert(zone(str(tz_name)))
        result.iloc[positions] = local.dt.date.to_numpy()
    return result


def local_to_utc(text: str, tz_name: str) -> tuple[datetime, Precision]:
    """Parse a local date or time written by a person into UTC and the precision it implies.

    Accepted: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM``. A date known to the
    day, month or year starts at local midnight of its first day; the precision says how much
    of it is known, so no one mistakes "January 2022" for 1 January.
    """
    tz = zone(tz_name)
    text = text.strip()
    formats: list[tuple[str, Precision]] = [
        ("%Y-%m-%d %H:%M", Precision.TIME),
        ("%Y-%m-%d", Precision.DAY),
        ("%Y-%m", Precision.MONTH),
        ("%Y", Precision.YEAR),
    ]
    for fmt, precision in formats:
        try:
            naive = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return naive.replace(tzinfo=tz).astimezone(UTC), precision
    raise ValueError(f"not a local date or time (YYYY[-MM[-DD[ HH:MM]]]): {text!r}")


def local_date(moment_utc: datetime, tz_name: str) -> date:
    return local_datetime(moment_utc, tz_name).date()
