"""The places an import names, matched to the project's places or added as new ones (part of
the import; Qt-free).

A project's events name their place by id (``mupyong-ri``), and the places table holds its
name, other spellings and coordinates. Other people's files write a facility's name instead,
each in its own spelling: the CNS database writes "Mupyong-ni Arms Plant" for the seed's
``mupyong-ri``. Each distinct name in a file is matched once, in this order:

1. the same id, name or other name (ignoring case, accents, apostrophes and hyphens);
2. a whole-word prefix either way ("Hungnam" and "Hungnam launch area (Hamhung)"), when only
   one place fits or the file's coordinates pick the nearest;

and where both sides have coordinates, a place more than :data:`NEAR_KM` away never matches,
whatever its name. A name that matches nothing becomes a new place, with the file's
coordinates and the file as their source, so no event is left naming a place the project
does not have. The import's report says what each name became.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from workstation.model import lists, tables
from workstation.model.comparison import great_circle_km

#: Two places this close are the same place (a facility's coordinates differ by a few km
#: between sources); for place names and for duplicate events alike.
NEAR_KM = 25.0
MIN_PREFIX = 4  # a shorter word matches too much ("Al" would match "Al Island")
LINES_LISTED = 200  # the report lists this many names, then counts the rest


@dataclass
class PlaceMatch:
    events: pd.DataFrame  # the incoming events, their place an id, coordinates filled
    places: pd.DataFrame  # the new places to add
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Known:
    id: str
    label: str
    forms: frozenset[str]
    latitude: float
    longitude: float  # NaN when the place has no coordinates


def norm(text: str) -> str:
    """A name as compared: no accents, case, apostrophes or hyphens (``Mup'yong-ni`` and
    ``mupyong ni`` are the same)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    bare = re.sub(r"['’`ʼ]", "", bare)
    return " ".join(re.sub(r"[-_/,.]", " ", bare).split())


def match_places(known: pd.DataFrame, events: pd.DataFrame, source: str) -> PlaceMatch:
    """Each incoming event's place as a place id of ``known`` (the project's places table) or
    of a new place; ``known`` and ``events`` are not changed."""
    named = events["place"].fillna("").astype(str).str.strip()
    texts = [t for t in pd.unique(named) if t]
    if not texts:
        return PlaceMatch(events, tables.empty("places"))
    project = _index(known)
    by_id = {p.id: p for p in project}
    # A name can only match a place that has a form with the same first word: looked up, so a
    # file of many distinct names costs one look-up each, not a scan of the project's places.
    by_word: dict[str, list[_Known]] = {}
    for place in project:
        for word in {f.split()[0] for f in place.forms}:
            by_word.setdefault(word, []).append(place)
    firsts = (
        pd.DataFrame(
            {"place": named, "latitude": events["latitude"], "longitude": events["longitude"]}
        )
        .groupby("place", sort=False)[["latitude", "longitude"]]
        .first()
    )
    coordinates = dict(
        zip(
            firsts.index,
            zip(firsts["latitude"].tolist(), firsts["longitude"].tolist(), strict=True),
            strict=True,
        )
    )
    taken = set(known["id"].astype(str))
    chosen: dict[str, str] = {}
    made: dict[str, str] = {}  # a new place's name as compared: its id
    added: list[dict[str, object]] = []
    lines: list[str] = []
    for text in texts:
        if text in by_id:
            chosen[text] = text  # already an id of the project (a canonical file)
            continue
        folded = norm(text)
        if folded in made:  # "Sohae" and "SOHAE" in one file: one new place
            chosen[text] = made[folded]
            continue
        lat, lon = (_real(v) for v in coordinates[text])
        found, why = _best(folded, lat, lon, by_word.get(folded.split()[0], []) if folded else [])
        if found is not None:
            chosen[text] = found.id
            lines.append(f"{text!r} is {found.id} ({found.label}){why}")
            continue
        new_id = _fresh_id(text, taken)
        taken.add(new_id)
        chosen[text] = made[folded] = new_id
        has_coordinates = not (math.isnan(lat) or math.isnan(lon))
        added.append(
            {
                "id": new_id,
                "name": text,
                "latitude": lat if has_coordinates else None,
                "longitude": lon if has_coordinates else None,
                "coord_source": source if has_coordinates else "",
            }
        )
        lines.append(f"{text!r} is a new place, {new_id}{why}")
    out = events.copy()
    renamed = {text: place_id for text, place_id in chosen.items() if text != place_id}
    if renamed:  # a canonical file names the project's ids: nothing to map
        # A look-up by hash (map), not replace(): replace walks the column once per name.
        mapped = named.map(renamed)
        out["place"] = mapped.where(mapped.notna(), named)
    else:
        out["place"] = named
    where = {p.id: (p.latitude, p.longitude) for p in project}
    where |= {str(p["id"]): (_real(p["latitude"]), _real(p["longitude"])) for p in added}
    _fill_coordinates(out, where)
    if len(lines) > LINES_LISTED:
        lines = [*lines[:LINES_LISTED], f"and {len(lines) - LINES_LISTED:,} more place names"]
    return PlaceMatch(out, tables.from_records("places", added), lines)


def _index(known: pd.DataFrame) -> list[_Known]:
    found = []
    for row in known[["id", "name", "alt_names", "latitude", "longitude"]].to_dict("records"):
        name = str(row["name"] or "")
        forms = {norm(str(row["id"])), norm(name), norm(name.partition("(")[0])}
        forms |= {norm(alt) for alt in lists.split(row["alt_names"])}
        found.append(
            _Known(
                str(row["id"]),
                name,
                frozenset(f for f in forms if f),
                _real(row["latitude"]),
                _real(row["longitude"]),
            )
        )
    return found


def _best(text: str, lat: float, lon: float, candidates: list[_Known]) -> tuple[_Known | None, str]:
    """The place ``text`` names, and a note when coordinates decided or refused a match."""
    exact = [p for p in candidates if text in p.forms]
    prefix = [
        p
        for p in candidates
        if p not in exact
        and any(
            min(len(f), len(text)) >= MIN_PREFIX
            and (text.startswith(f + " ") or f.startswith(text + " "))
            for f in p.forms
        )
    ]
    far: list[_Known] = []
    for group in (exact, prefix):
        near: list[_Known] = []
        for place in group:
            distance = km(lat, lon, place.latitude, place.longitude)
            (far if distance > NEAR_KM else near).append(place)
        if len(near) == 1:
            return near[0], ""
        if near:
            measured = [
                (d, p) for p in near if not math.isnan(d := km(lat, lon, p.latitude, p.longitude))
            ]
            if measured:
                return min(measured, key=lambda dp: dp[0])[1], " (the nearest of its namesakes)"
            if group is exact:
                return near[0], ""
            return None, f" (the name could be {', '.join(p.id for p in near[:3])})"
    if far:
        return None, f" ({far[0].id} has its name but lies over {NEAR_KM:.0f} km away)"
    return None, ""


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; NaN when either side has no coordinates."""
    if any(math.isnan(v) for v in (lat1, lon1, lat2, lon2)):
        return math.nan
    return great_circle_km(lat1, lon1, lat2, lon2)


def _fill_coordinates(events: pd.DataFrame, where: dict[str, tuple[float, float]]) -> None:
    """An event without coordinates takes its (matched or new) place's."""
    for axis, index in (("latitude", 0), ("longitude", 1)):
        missing = events[axis].isna().to_numpy(dtype=bool)
        if missing.any():
            values = {pid: at[index] for pid, at in where.items()}
            events.loc[missing, axis] = (
                events.loc[missing, "place"].map(values).astype("float64").to_numpy()
            )


def _fresh_id(text: str, taken: set[str]) -> str:
    ascii_text = norm(text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:40].strip("-") or "place"
    fresh, n = base, 2
    while fresh in taken:
        fresh, n = f"{base}-{n}", n + 1
    return fresh


def _real(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number
