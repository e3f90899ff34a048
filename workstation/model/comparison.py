"""Comparing missiles and tests claim by claim, without inventing precision (Qt-free).

A *subject* is a missile system or one test event. For each parameter a cell holds every
claim about that subject: its qualifier, claimant, source locator and Admiralty grade. Claims
are never averaged or merged into one number; identical claims from several sources are
listed once with all their sources.

Disagreement is decided on the intervals the qualifiers allow (:meth:`Measurement.bounds`),
converted to one unit: KCNA's 1,000 km and the JCS's "> 700 km" are consistent; 700 km and
"< 700 km" conflict at the bound. An approximate value ("about 60 km") stands for the band
±``APPROXIMATE_SLACK`` around it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from workstation.model.document import Document
from workstation.model.measurements import (
    QUALIFIER_SYMBOLS,
    Measurement,
    Qualifier,
    SubjectType,
)
from workstation.model.units import Dimension, UnitError, convert, dimension

#: An approximate claim ("≈ 60 km") is read as this relative band around its value.
APPROXIMATE_SLACK = 0.10
#: Values closer than this (relative) are the same value: "Mach 6" and "2.04 km/s", or "700 km"
#: and "435 mi", differ only by the rounding of a conversion.
SAME_VALUE = 1e-3
MIN_SUBJECTS, MAX_SUBJECTS = 2, 6

#: The rows of the comparison: claims (numeric) then the system's descriptive attributes.
CLAIM_PARAMETERS: tuple[str, ...] = ("range", "apogee", "max_speed", "flight_time")
ATTRIBUTE_PARAMETERS: tuple[str, ...] = ("class", "propulsion", "launch_platform", "status")
PARAMETER_LABELS: dict[str, str] = {
    "range": "Range",
    "apogee": "Apogee",
    "max_speed": "Max speed",
    "flight_time": "Flight time",
    "class": "Class",
    "propulsion": "Propulsion",
    "launch_platform": "Launch platform",
    "status": "Status",
}
PARAMETER_DIMENSION: dict[str, Dimension] = {
    "range": Dimension.LENGTH,
    "apogee": Dimension.LENGTH,
    "max_speed": Dimension.SPEED,
    "flight_time": Dimension.DURATION,
}
BASE_UNITS: dict[Dimension, str] = {
    Dimension.LENGTH: "km",
    Dimension.SPEED: "km/s",
    Dimension.DURATION: "s",
    Dimension.MASS: "kg",
}
LENGTH_UNITS = ("km", "mi", "nmi")
SPEED_UNITS = ("Mach", "km/h", "km/s")
DEFAULT_UNITS: dict[Dimension, str] = {
    Dimension.LENGTH: "km",
    Dimension.SPEED: "Mach",
    Dimension.DURATION: "min",
    Dimension.MASS: "t",
}


@dataclass(frozen=True)
class Subject:
    """A column of the comparison: a system, or one test event (with its system)."""

    kind: SubjectType
    id: str
    label: str
    system_id: str = ""  # the system of a test event (its first known system), or the system

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def subject(document: Document, kind: SubjectType | str, subject_id: str) -> Subject:
    """Describe a system or an event as a comparison column; ``KeyError`` if it is unknown."""
    kind = SubjectType(kind)
    if kind is SubjectType.SYSTEM:
        system = document.system(subject_id)
        return Subject(kind, system.id, system.name, system.id)
    event = document.event(subject_id)
    aliases = document.aliases()
    systems = [aliases.resolve(name) or name for name in event.systems]
    known = [s for s in systems if document.has("systems", s)]
    day = event.local_date.isoformat()
    name = ", ".join(systems) or event.title
    return Subject(kind, event.id, f"{name} · {day}", known[0] if known else "")


def candidate_subjects(document: Document) -> list[Subject]:
    """Everything that can be compared: every system, then every event with a claim."""
    found = [subject(document, SubjectType.SYSTEM, str(i)) for i in document.table("systems")["id"]]
    claims = document.table("measurements")
    with_claims = set(claims.loc[claims["subject_type"] == "event", "subject_id"])
    events = document.events
    for event_id in events.loc[events["id"].isin(with_claims), "id"]:
        found.append(subject(document, SubjectType.EVENT, str(event_id)))
    return found


def subjects_from_selection(document: Document, event_ids: Iterable[str]) -> list[Subject]:
    """The selected events that carry claims, in time order, at most ``MAX_SUBJECTS``."""
    claims_table = document.table("measurements")
    with_claims = set(claims_table.loc[claims_table["subject_type"] == "event", "subject_id"])
    selected = frozenset(event_ids)
    wanted = [i for i in with_claims if i in selected]
    rows = document.positions("events", wanted)
    rows = rows[rows >= 0]
    starts = document.events["start_utc"].to_numpy()[rows]
    ordered = rows[np.argsort(starts, kind="stable")][:MAX_SUBJECTS]
    ids = document.events["id"].to_numpy(dtype=object)[ordered]
    return [subject(document, SubjectType.EVENT, str(i)) for i in ids]


# -- claims ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Claim:
    """One claim as shown: the measurement and every source that states it."""

    measurement: Measurement
    sources: tuple[str, ...] = field(default=())  # "article ¶4", "S2", ...
    ids: tuple[str, ...] = field(default=())  # the measurements merged into this claim

    @property
    def claimant(self) -> str:
        return self.measurement.claimant or "unknown claimant"

    @property
    def grade(self) -> str:
        return self.measurement.grade


class ClaimIndex:
    """Every claim of a project grouped by (subject kind, subject id, parameter), read from
    the measurements table in one pass; build one per change of that table."""

    def __init__(self, document: Document) -> None:
        self._rows: dict[tuple[str, str, str], list[Mapping[Any, Any]]] = {}
        for row in document.table("measurements").to_dict("records"):
            key = (str(row["subject_type"]), str(row["subject_id"]), str(row["parameter"]))
            self._rows.setdefault(key, []).append(row)

    def claims(self, item: Subject, parameter: str) -> list[Claim]:
        rows = self._rows.get((str(item.kind), item.id, parameter), [])
        return _merged([Measurement.from_row(row) for row in rows])

    def subjects_with(self, parameter: str) -> set[str]:
        """Ids of events with a claim about ``parameter``."""
        return {sid for kind, sid, p in self._rows if kind == "event" and p == parameter}


def claims(document: Document, item: Subject, parameter: str) -> list[Claim]:
    """The claims about ``item``'s ``parameter``, identical ones merged (headline order).
    For many cells, build one :class:`ClaimIndex` instead."""
    return ClaimIndex(document).claims(item, parameter)


def _merged(measurements: Iterable[Measurement]) -> list[Claim]:
    merged: dict[tuple[object, ...], list[Measurement]] = {}
    for m in measurements:
        key = (m.qualifier, m.value, m.lower, m.upper, m.unit, m.claimant, m.grade)
        merged.setdefault(key, []).append(m)
    found = [
        Claim(
            group[0],
            tuple(_source_text(m) for m in group),
            tuple(m.id for m in group),
        )
        for group in merged.values()
    ]
    return order_claims(found)


def _source_text(m: Measurement) -> str:
    return f"{m.source_id} {m.locator}".strip() if m.locator else m.source_id


OrderBy = Literal["grade", "claimant"]


def order_claims(
    found: Sequence[Claim], by: OrderBy = "grade", claimants: Sequence[str] = ()
) -> list[Claim]:
    """Headline first. By grade: the best-graded assessment (reliability A before F, then
    credibility 1 before 6). By claimant: in the order given (others after, by grade)."""

    def grade_key(claim: Claim) -> tuple[str, int]:
        m = claim.measurement
        return (m.reliability or "F", m.credibility if m.credibility is not None else 6)

    if by == "claimant":
        rank = {name.casefold(): i for i, name in enumerate(claimants)}
        return sorted(
            found,
            key=lambda c: (rank.get(c.claimant.casefold(), len(rank)), grade_key(c), c.claimant),
        )
    return sorted(found, key=lambda c: (grade_key(c), c.claimant))


def claimants(document: Document) -> list[str]:
    """Every claimant in the project, the most frequent first."""
    counts = document.table("measurements")["claimant"].value_counts()
    return [str(name) for name in counts.index if str(name)]


# -- text --------------------------------------------------------------------------------------
def unit_for(parameter: str, units: dict[Dimension, str] | None = None) -> str:
    wanted = DEFAULT_UNITS if units is None else {**DEFAULT_UNITS, **units}
    dim = PARAMETER_DIMENSION.get(parameter)
    return wanted[dim] if dim is not None else ""


def number(value: float) -> str:
    """Sensible rounding for display: three significant digits, thousands separated, whole
    numbers from 1,000 up ("0.34", "6", "12.3", "1,000", "3,400")."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    digits = max(0, 2 - math.floor(math.log10(abs(value))))
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def comparable(m: Measurement, unit: str) -> bool:
    """Whether ``m`` can be shown in ``unit``: it has a unit of the same dimension."""
    try:
        return bool(m.unit) and bool(unit) and dimension(m.unit) == dimension(unit)
    except UnitError:
        return False


def claim_text(m: Measurement, unit: str | None = None) -> str:
    """The claim in ``unit``: "< 50 km", "≈ 60 km", "> 700 km", "25–90 km", "≈ Mach 10".

    A claim that cannot be converted (no unit, or a unit of another dimension) is shown as
    stated, marked, and never passed off in the dock's unit."""
    if unit and not comparable(m, unit):
        stated = claim_text(m, m.unit) if m.unit else _bare(m)
        return f"{stated} (not comparable)" if m.unit else f"{stated} (no unit)"
    target = unit or m.unit

    def show(x: float) -> str:
        return number(convert(x, m.unit, target) if m.unit and target else x)

    def with_unit(text: str) -> str:
        if target == "Mach":
            return f"Mach {text}"
        return f"{text} {target}" if target else text

    if m.qualifier is Qualifier.BETWEEN:
        assert m.lower is not None
        assert m.upper is not None
        if target == "Mach":
            return f"Mach {show(m.lower)}–{show(m.upper)}"
        return with_unit(f"{show(m.lower)}–{show(m.upper)}")
    assert m.value is not None
    return QUALIFIER_SYMBOLS[m.qualifier] + with_unit(show(m.value))


def _bare(m: Measurement) -> str:
    if m.qualifier is Qualifier.BETWEEN:
        assert m.lower is not None
        assert m.upper is not None
        return f"{number(m.lower)}–{number(m.upper)}"
    assert m.value is not None
    return QUALIFIER_SYMBOLS[m.qualifier] + number(m.value)


def claim_line(claim: Claim, unit: str | None = None) -> str:
    """One line of a cell: "< 50 km — ROK MND (article ¶4; S2) B2"."""
    sources = "; ".join(s for s in claim.sources if s)
    where = f" ({sources})" if sources else ""
    return f"{claim_text(claim.measurement, unit)} — {claim.claimant}{where} {claim.grade}"


def attribute(document: Document, item: Subject, parameter: str) -> str:
    """A descriptive row (class, propulsion, launch platform, status) from the system."""
    if not item.system_id or not document.has("systems", item.system_id):
        return ""
    row = document.row("systems", item.system_id)
    assert row is not None
    return str(row.get(parameter, "") or "")


# -- disagreement -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Interval:
    low: float  # -inf when unbounded
    high: float  # +inf when unbounded
    low_open: bool = False
    high_open: bool = False


def interval(m: Measurement, unit: str) -> Interval:
    """The values ``m`` allows, in ``unit`` (an approximate value allows its band)."""
    b = m.bounds()

    def to(x: float | None, default: float) -> float:
        return default if x is None else convert(x, m.unit, unit) if m.unit else x

    low, high = to(b.lower, -math.inf), to(b.upper, math.inf)
    if b.approximate:
        low, high = low - abs(low) * APPROXIMATE_SLACK, high + abs(high) * APPROXIMATE_SLACK
    return Interval(low, high, not b.lower_inclusive, not b.upper_inclusive)


@dataclass(frozen=True)
class Conflict:
    first: Claim
    second: Claim
    reason: str
    at_bound: bool  # the two touch only at an excluded bound


def conflict(a: Claim, b: Claim, shown_in: str | None = None) -> Conflict | None:
    """Whether two claims about one parameter cannot both be true, and why (the reason in
    ``shown_in``, the dock's unit). Both are compared in their dimension's base unit, so the
    verdict never depends on which claim comes first or in which unit it was stated."""
    ma, mb = a.measurement, b.measurement
    if not comparable(ma, mb.unit):
        return None
    unit = BASE_UNITS[dimension(ma.unit)]
    x, y = interval(ma, unit), interval(mb, unit)
    meet_low, meet_high = max(x.low, y.low), min(x.high, y.high)
    finite = [abs(v) for v in (meet_low, meet_high) if math.isfinite(v)]
    tolerance = SAME_VALUE * max([*finite, 1e-12])
    if meet_high - meet_low > tolerance:
        return None  # they share a stretch of values
    if meet_low - meet_high > tolerance:
        at_bound = False  # a gap between them
    elif _allows(x, meet_low, tolerance) and _allows(y, meet_low, tolerance):
        return None  # they meet at one value both allow ("700 km" and "≤ 700 km")
    else:
        at_bound = True  # they meet at a value one of them excludes ("700" and "< 700")
    first, second = (a, b) if x.low <= y.low else (b, a)
    shown = shown_in if shown_in and comparable(ma, shown_in) else ma.unit
    text_first = claim_text(first.measurement, shown)
    text_second = claim_text(second.measurement, shown)
    if at_bound:
        fx = interval(first.measurement, unit)
        excluding = second if _allows(fx, meet_low, tolerance) else first
        value = number(convert(meet_low, unit, shown))
        where = f"Mach {value}" if shown == "Mach" else f"{value} {shown}"
        reason = (
            f"{first.claimant}'s {text_first} and {second.claimant}'s {text_second} meet only "
            f"at {where}, which {excluding.claimant}'s "
            f"{claim_text(excluding.measurement, shown)} excludes: a conflict at the bound."
        )
    else:
        reason = (
            f"{first.claimant}'s {text_first} and {second.claimant}'s {text_second} "
            f"do not overlap, even reading approximate values as ±{APPROXIMATE_SLACK:.0%}."
        )
    return Conflict(first, second, reason, at_bound)


def _allows(span: Interval, value: float, tolerance: float) -> bool:
    """Whether ``value`` lies in ``span``, its bounds included unless they are open."""
    if abs(value - span.low) <= tolerance:
        return not span.low_open
    if abs(value - span.high) <= tolerance:
        return not span.high_open
    return span.low < value < span.high


def conflicts(found: Sequence[Claim], shown_in: str | None = None) -> list[Conflict]:
    """Every pair of claims in a cell that disagree beyond their stated bounds."""
    out = []
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            hit = conflict(a, b, shown_in)
            if hit is not None:
                out.append(hit)
    return out


# -- geometry ------------------------------------------------------------------------------------
EARTH_RADIUS_KM = 6371.0088  # the IUGG mean radius


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The distance on a sphere of the Earth's mean radius (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def place_distance_km(document: Document, first: str, second: str) -> float:
    """Great-circle distance between two places of the project; ``ValueError`` when either
    has no coordinates."""
    a, b = document.place(first), document.place(second)
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        raise ValueError("both places need coordinates to compute a distance")
    return great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)


# -- chart glyphs --------------------------------------------------------------------------------
GlyphKind = Literal["point", "approximate", "upper", "lower", "interval"]


@dataclass(frozen=True)
class Glyph:
    """How one claim is drawn on a value axis, never as a bar from zero.

    ``value`` is where the claimant's marker sits (the value, or the bound); [``low``,
    ``high``] is the drawn extent: an approximation's band, an interval, or the stem of a
    bound, which is open at its far end (``open_end``: an arrow, no cap).
    """

    kind: GlyphKind
    value: float
    low: float
    high: float
    open_end: Literal["", "down", "up"] = ""


def glyph(m: Measurement, unit: str, stem: float) -> Glyph:
    """The glyph of a claim in ``unit``; bounds get a stem of length ``stem`` (axis units)."""

    def to(x: float | None) -> float:
        assert x is not None
        return convert(x, m.unit, unit) if m.unit and unit else x

    q = m.qualifier
    if q is Qualifier.BETWEEN:
        low, high = to(m.lower), to(m.upper)
        return Glyph("interval", (low + high) / 2, low, high)
    v = to(m.value)
    if q is Qualifier.APPROXIMATE:
        return Glyph("approximate", v, v * (1 - APPROXIMATE_SLACK), v * (1 + APPROXIMATE_SLACK))
    if q in (Qualifier.LESS_THAN, Qualifier.AT_MOST):
        return Glyph("upper", v, v - stem, v, "down")
    if q is Qualifier.GREATER_THAN:
        return Glyph("lower", v, v, v + stem, "up")
    return Glyph("point", v, v, v)


# -- apogee against range ------------------------------------------------------------------------
@dataclass(frozen=True)
class ApogeeRangePoint:
    """One test on the apogee-range scatter: its headline claims (best graded), in km."""

    event_id: str
    system: str
    label: str
    range_claim: Claim
    apogee_claim: Claim

    def xy(self) -> tuple[float, float]:
        return _headline_km(self.range_claim), _headline_km(self.apogee_claim)


def _headline_km(claim: Claim) -> float:
    m = claim.measurement
    value = (m.lower + m.upper) / 2 if m.lower is not None and m.upper is not None else m.value
    assert value is not None
    return convert(value, m.unit, "km") if m.unit else value


def apogee_range_points(
    document: Document, index: ClaimIndex | None = None
) -> list[ApogeeRangePoint]:
    """Every test event with both a range and an apogee claim in length units."""
    index = index if index is not None else ClaimIndex(document)
    both = index.subjects_with("range") & index.subjects_with("apogee")
    points = []
    frame = document.events
    for event_id in frame.loc[frame["id"].isin(both), "id"]:
        item = subject(document, SubjectType.EVENT, str(event_id))
        ranges = [c for c in index.claims(item, "range") if _is_length(c)]
        apogees = [c for c in index.claims(item, "apogee") if _is_length(c)]
        if ranges and apogees:
            points.append(
                ApogeeRangePoint(
                    item.id, item.system_id or "(no system)", item.label, ranges[0], apogees[0]
                )
            )
    return points


def _is_length(claim: Claim) -> bool:
    unit = claim.measurement.unit
    return bool(unit) and dimension(unit) is Dimension.LENGTH
