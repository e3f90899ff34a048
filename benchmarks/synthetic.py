"""Synthetic projects of any size, built vectorised (no Python loop per row).

``synthetic_document(n)`` returns a :class:`~workstation.model.document.Document` with ``n``
events that look like the real thing: ids ``E0000001``..., start times spread over 1984-2026
(``datetime64[s, UTC]``), ~5% with an end time, precisions mostly ``time``, time zones mostly
``Asia/Seoul``, ~40-character titles and ~150-character summaries from a small vocabulary, place
ids with coordinates, ``"; "``-joined systems, tags and sources, and a nullable missile count.
It also holds ~1000 measurements, ~2000 annotations and small systems, places and sources
tables, so that every table of the file format is exercised and the whole document validates.

Every vocabulary loop below runs over a handful of words, never over rows; rows are made by
indexing vocabularies with random integer arrays and joining with Arrow compute kernels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workstation.model import tables
from workstation.model.document import Document

#: Missile systems: (id, name, aliases, class). Events name them by id or by an alias, so that
#: a system query has to go through the alias index.
SYSTEMS = [
    ("KN-23", "KN-23", "Hwasong-11A; Hwasong-11Ga; North Korean Iskander", "SRBM"),
    ("KN-24", "KN-24", "Hwasong-11B; Hwasong-11Na", "SRBM"),
    ("KN-25", "KN-25", "super-large multiple rocket launcher", "SRBM"),
    ("Hwasong-12", "Hwasong-12", "KN-17", "IRBM"),
    ("Hwasong-15", "Hwasong-15", "KN-22", "ICBM"),
    ("Hwasong-17", "Hwasong-17", "KN-28", "ICBM"),
    ("Hwasong-8", "Hwasong-8", "hypersonic missile (KCNA)", "HGV"),
    ("Hwasal-1", "Hwasal-1", "new-type long-range cruise missile", "cruise"),
    ("Pukguksong-3", "Pukguksong-3", "KN-26", "MRBM"),
    ("Scud-C", "Scud-C", "Hwasong-6", "SRBM"),
    ("Nodong", "Nodong", "Rodong; Hwasong-7", "MRBM"),
]
#: Names as they appear in event rows (ids and some aliases): ~10 distinct.
SYSTEM_NAMES = [
    "KN-23",
    "Hwasong-11A",
    "KN-24",
    "KN-25",
    "Hwasong-12",
    "Hwasong-15",
    "Hwasong-17",
    "Hwasong-8",
    "Hwasal-1",
    "Pukguksong-3",
    "Scud-C",
]

#: Places: (id, name, latitude, longitude).
PLACES = [
    ("sunan", "Sunan", 39.2001, 125.6703),
    ("wonsan", "Wonsan", 39.1528, 127.4436),
    ("sinpo", "Sinpo", 40.0322, 128.1861),
    ("kusong", "Kusong", 39.9811, 125.2442),
    ("tongchang-ri", "Tongchang-ri", 39.6600, 124.7050),
    ("hamhung", "Hamhung", 39.9183, 127.5364),
    ("jagang", "Jagang Province", 40.7880, 126.5170),
    ("pyongyang", "Pyongyang", 39.0194, 125.7381),
    ("sukchon", "Sukchon", 39.4172, 125.6325),
    ("kaechon", "Kaechon", 39.7000, 125.9069),
    ("hwangju", "Hwangju", 38.6489, 125.7811),
    ("mupyong-ri", "Mupyong-ri", 40.6112, 126.4257),
    ("sohae", "Sohae", 39.6600, 124.7050),
    ("chagang", "Chagang", 40.7900, 126.6000),
    ("sea-of-japan", "East Sea", 39.5000, 131.0000),
]

CATEGORIES = ["launch", "test", "statement", "political", "exercise", "deployment", "parade"]
CATEGORY_WEIGHTS = [0.45, 0.15, 0.12, 0.08, 0.10, 0.05, 0.05]
PRECISIONS = ["time", "day", "month", "year", "approximate"]
PRECISION_WEIGHTS = [0.85, 0.09, 0.03, 0.01, 0.02]
TIMEZONES = ["Asia/Seoul", "UTC", "Asia/Pyongyang"]
TIMEZONE_WEIGHTS = [0.88, 0.10, 0.02]
TAGS = ["ballistic", "cruise", "icbm", "srbm", "kcna", "jcs", "salvo", "rail", "sub", "reference"]

TITLE_OPENERS = ["Suspected", "Reported", "Confirmed", "Possible", "Claimed", "Second"]
TITLE_MIDDLES = [
    "launch from",
    "salvo launched from",
    "test near",
    "flight test at",
    "firing off",
    "statement on",
    "exercise near",
    "display at",
]
SUMMARY_OPENERS = [
    "The ROK JCS reported the launch shortly after dawn.",
    "KCNA described the event as a routine weapons test.",
    "Japan's defence ministry gave a different flight time.",
    "Officials said the missile flew on a lofted trajectory.",
    "The launch site was identified from commercial imagery.",
    "Reports disagree on how many missiles were involved.",
]
SUMMARY_MIDDLES = [
    "The range was given as about 600 km, with an apogee of roughly 50 km.",
    "No impact point was announced by either side on the day of the launch.",
    "The missile fell outside the exclusive economic zone, officials said.",
    "Independent analysts questioned the stated figures a week afterwards.",
    "A second launch was reported later that morning from the same area.",
    "Flight time was given as nine minutes; later reports revised it down.",
]
SUMMARY_CLOSERS = [
    "See the fact-check.",
    "Figures are provisional.",
    "Source: article.",
    "Dates are local (KST).",
    "Needs review.",
]

ANNOTATION_HEADINGS = [
    "### Figures differ between sources",
    "### Date given in UTC, not KST",
    "### Launch count disputed",
    "### Place name uncertain",
    "### Likely a misidentified system",
]
ANNOTATION_BODIES = [
    "The article gives one figure and the JCS another; the JCS figure is preferred here.",
    "KCNA names the system with a new designation that matches an older alias.",
    "Commercial imagery taken two days later shows the launcher at a different site.",
    "Two reports count the same missile twice because they cite the same wire story.",
]
CONFIDENCES = ["", "unlikely", "roughly even chance", "likely", "very likely", "almost certain"]


def _take(vocabulary: list[str], indices: np.ndarray) -> pa.Array:
    """Rows of strings: ``vocabulary[indices]`` as an Arrow array."""
    return pa.array(vocabulary, type=pa.string()).take(pa.array(indices))


def _join(*parts: pa.Array, separator: str = " ") -> pa.Array:
    """Element-wise join, skipping nulls (a null part leaves no separator behind)."""
    return pc.binary_join_element_wise(*parts, separator, null_handling="skip")


def _masked(array: pa.Array, keep: np.ndarray) -> pa.Array:
    """``array`` with nulls where ``keep`` is false."""
    return pc.if_else(pa.array(keep), array, pa.scalar(None, type=array.type))


def _prefixed_ids(prefix: str, count: int, width: int) -> pa.Array:
    numbers = pa.array(np.arange(1, count + 1, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, width, "0"), "")


def _strings(array: pa.Array | pa.ChunkedArray) -> pd.Series:
    return pd.Series(array.to_pandas(), dtype="str")


def _distinct_picks(
    rng: np.random.Generator, n: int, size: int, how_many: np.ndarray
) -> list[np.ndarray]:
    """Up to three distinct vocabulary indices per row (the rest are -1)."""
    first = rng.integers(0, size, n)
    step = rng.integers(1, size // 2, n)
    picks = [first, (first + step) % size, (first + 2 * step) % size]
    return [np.where(how_many > i, pick, -1) for i, pick in enumerate(picks)]


def _list_column(vocabulary: list[str], picks: list[np.ndarray]) -> pa.Array:
    parts = [_masked(_take(vocabulary, np.maximum(p, 0)), p >= 0) for p in picks]
    return _join(*parts, separator="; ")


def _events(rng: np.random.Generator, n: int) -> pd.DataFrame:
    start_s = int(pd.Timestamp("1984-01-01", tz="UTC").timestamp())
    stop_s = int(pd.Timestamp("2027-01-01", tz="UTC").timestamp())
    seconds = np.sort(rng.integers(start_s, stop_s, n))
    start = pd.Series(seconds.astype("datetime64[s]")).dt.tz_localize("UTC")
    has_end = rng.random(n) < 0.05
    duration = rng.integers(60, 3 * 86_400, n).astype("timedelta64[s]")
    end = start + pd.Series(duration)
    end[~has_end] = pd.NaT

    place_index = rng.integers(0, len(PLACES), n)
    has_place = rng.random(n) >= 0.08
    place_ids = [p[0] for p in PLACES]
    place_names = [p[1] for p in PLACES]
    lat = np.array([p[2] for p in PLACES])[place_index] + rng.normal(0, 0.05, n)
    lon = np.array([p[3] for p in PLACES])[place_index] + rng.normal(0, 0.05, n)
    lat[~has_place] = np.nan
    lon[~has_place] = np.nan

    system_count = rng.choice([0, 1, 2, 3], size=n, p=[0.2, 0.6, 0.15, 0.05])
    system_picks = _distinct_picks(rng, n, len(SYSTEM_NAMES), system_count)
    first_system = np.maximum(system_picks[0], 0)
    title = _join(
        _take(TITLE_OPENERS, rng.integers(0, len(TITLE_OPENERS), n)),
        _masked(_take(SYSTEM_NAMES, first_system), system_count > 0),
        _take(TITLE_MIDDLES, rng.integers(0, len(TITLE_MIDDLES), n)),
        _take(place_names, place_index),
    )
    summary = _join(
        _take(SUMMARY_OPENERS, rng.integers(0, len(SUMMARY_OPENERS), n)),
        _take(SUMMARY_MIDDLES, rng.integers(0, len(SUMMARY_MIDDLES), n)),
        _take(SUMMARY_CLOSERS, rng.integers(0, len(SUMMARY_CLOSERS), n)),
    )
    count = rng.integers(1, 5, n)
    count_known = rng.random(n) >= 0.3
    tag_count = rng.choice([0, 1, 2, 3], size=n, p=[0.3, 0.4, 0.2, 0.1])

    paragraphs = [f"article:¶{i}" for i in range(1, 17)]
    references = [f"S{i}" for i in range(1, 69)]
    sources = _join(
        _masked(_take(paragraphs, rng.integers(0, 16, n)), rng.random(n) < 0.6),
        _take(references, rng.integers(0, 68, n)),
        _masked(_take(references, rng.integers(0, 68, n)), rng.random(n) < 0.3),
        separator="; ",
    )
    width = max(7, len(str(n)))
    return pd.DataFrame(
        {
            "id": _strings(_prefixed_ids("E", n, width)),
            "start_utc": start,
            "end_utc": end,
            "precision": _strings(
                _take(PRECISIONS, rng.choice(len(PRECISIONS), n, p=PRECISION_WEIGHTS))
            ),
            "timezone": _strings(
                _take(TIMEZONES, rng.choice(len(TIMEZONES), n, p=TIMEZONE_WEIGHTS))
            ),
            "category": _strings(
                _take(CATEGORIES, rng.choice(len(CATEGORIES), n, p=CATEGORY_WEIGHTS))
            ),
            "title": _strings(title),
            "summary": _strings(summary),
            "place": _strings(_masked(_take(place_ids, place_index), has_place)),
            "latitude": lat,
            "longitude": lon,
            "systems": _strings(_list_column(SYSTEM_NAMES, system_picks)),
            "missile_count": pd.arrays.IntegerArray(count, ~count_known),
            "tags": _strings(_list_column(TAGS, _distinct_picks(rng, n, len(TAGS), tag_count))),
            "sources": _strings(sources),
        }
    )


def _measurements(rng: np.random.Generator, count: int, n_events: int) -> pd.DataFrame:
    parameters = ["range", "apogee", "flight_time", "max_speed"]
    units = ["km", "km", "min", "Mach"]
    typical = np.array([600.0, 80.0, 9.0, 6.0])
    qualifiers = ["exact", "approximate", "less-than", "greater-than", "at-most", "between"]
    which = rng.integers(0, len(parameters), count)
    qualifier = rng.choice(len(qualifiers), count, p=[0.4, 0.3, 0.1, 0.1, 0.05, 0.05])
    between = qualifier == qualifiers.index("between")
    value = typical[which] * rng.uniform(0.3, 2.0, count)
    claimed = (
        pd.Series(rng.integers(int(4.4e8), int(1.79e9), count).astype("datetime64[s]"))
        .dt.strftime("%Y-%m-%d")
        .to_numpy()
    )
    width = max(7, len(str(n_events)))
    subject = pc.binary_join_element_wise(
        "E",
        pc.utf8_lpad(pa.array(rng.integers(1, n_events + 1, count)).cast(pa.string()), width, "0"),
        "",
    )
    return pd.DataFrame(
        {
            "id": _strings(_prefixed_ids("M", count, 5)),
            "subject_type": "event",
            "subject_id": _strings(subject),
            "parameter": _strings(_take(parameters, which)),
            "qualifier": _strings(_take(qualifiers, qualifier)),
            "value": np.where(between, np.nan, value),
            "lower": np.where(between, value * 0.8, np.nan),
            "upper": np.where(between, value * 1.2, np.nan),
            "unit": _strings(_take(units, which)),
            "claimant": _strings(_take(["ROK JCS", "Japan MOD", "KCNA", "article"], which)),
            "source_id": _strings(_take([f"S{i}" for i in range(1, 69)], which * 7)),
            "locator": "",
            "reliability": _strings(_take(list("ABCDEF"), rng.integers(0, 6, count))),
            "credibility": pd.array(rng.integers(1, 7, count), dtype="Int64"),
            "claimed_on": claimed,
            "note": "synthetic claim",
        }
    )


def _annotations(rng: np.random.Generator, count: int, n_events: int) -> pd.DataFrame:
    width = max(7, len(str(n_events)))

    def event_targets() -> pa.Array:
        numbers = pa.array(rng.integers(1, n_events + 1, count)).cast(pa.string())
        return pc.binary_join_element_wise("event:E", pc.utf8_lpad(numbers, width, "0"), "")

    second = rng.random(count) < 0.3
    created = rng.integers(int(1.58e9), int(1.78e9), count)
    modified = created + rng.integers(0, 30 * 86_400, count)
    body = _join(
        _take(ANNOTATION_HEADINGS, rng.integers(0, len(ANNOTATION_HEADINGS), count)),
        _take(ANNOTATION_BODIES, rng.integers(0, len(ANNOTATION_BODIES), count)),
        _take(ANNOTATION_BODIES, rng.integers(0, len(ANNOTATION_BODIES), count)),
        _take(["**Assessment:** provisional.", "**Assessment:** settled."], created % 2),
        separator="\n\n",
    )
    tag_count = rng.choice([0, 1, 2], size=count, p=[0.3, 0.5, 0.2])
    return pd.DataFrame(
        {
            "id": _strings(_prefixed_ids("N", count, 5)),
            "targets": _strings(
                _join(event_targets(), _masked(event_targets(), second), separator="; ")
            ),
            "body": _strings(body),
            "tags": _strings(_list_column(TAGS, _distinct_picks(rng, count, len(TAGS), tag_count))),
            "author": _strings(_take(["analyst-a", "analyst-b", "seed"], created % 3)),
            "created_utc": pd.Series(created.astype("datetime64[s]")).dt.tz_localize("UTC"),
            "modified_utc": pd.Series(modified.astype("datetime64[s]")).dt.tz_localize("UTC"),
            "confidence": _strings(_take(CONFIDENCES, rng.integers(0, len(CONFIDENCES), count))),
        }
    )


def _small_tables() -> dict[str, pd.DataFrame]:
    systems = pd.DataFrame(SYSTEMS, columns=["id", "name", "aliases", "class"])
    systems["country"] = "DPRK"
    places = pd.DataFrame(
        [(pid, name, lat, lon) for pid, name, lat, lon in PLACES],
        columns=["id", "name", "latitude", "longitude"],
    )
    places["precision"] = "site"
    sources = pd.DataFrame(
        {
            "id": ["article", *(f"S{i}" for i in range(1, 69))],
            "title": "synthetic source",
            "reliability": "B",
        }
    )
    return {"systems": systems, "places": places, "sources": sources}


def synthetic_frames(
    n: int, seed: int = 0, measurements: int = 1000, annotations: int = 2000
) -> dict[str, pd.DataFrame]:
    """Every table of a synthetic project, conformed to the in-memory dtypes."""
    rng = np.random.default_rng(seed)
    raw = {
        "events": _events(rng, n),
        "measurements": _measurements(rng, measurements, max(n, 1)),
        "annotations": _annotations(rng, annotations, max(n, 1)),
        **_small_tables(),
    }
    return {name: tables.conform(name, frame) for name, frame in raw.items()}


def synthetic_document(n: int, seed: int = 0) -> Document:
    """A document with ``n`` synthetic events, ~1000 measurements and ~2000 annotations."""
    document = Document(
        frames=synthetic_frames(n, seed),
        meta={"title": f"Synthetic project ({n:,} events)", "description": "benchmark data"},
    )
    return document
