"""Planning an import into a project, and the one undoable command that carries it out
(groundwork of the import; Qt-free).

An import arrives as canonical rows (events, claims, sources) with a report line per source
row. :func:`plan` finds the incoming events that duplicate events already in the project (the
same missile system, alias-aware, and the same place, within one day) and, as the analyst
chose for this import, skips them, merges their claims into the existing event, or keeps both.
Nothing changes until the plan's command is pushed; undo takes the whole import back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Literal, cast

import numpy as np
import pandas as pd

from workstation.io.place_match import NEAR_KM, km, match_places
from workstation.model import lists, tables
from workstation.model.commands import Command, Macro, UpsertRows
from workstation.model.document import Document
from workstation.model.systems import AliasIndex, normalise_name

OnDuplicate = Literal["skip", "merge", "keep"]
DUPLICATE_WINDOW = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class RowReport:
    """What happened to one row of the file, numbered from 1 below the header."""

    row: int
    status: str  # imported, merged, skipped, flagged
    detail: str
    event_id: str = ""


@dataclass
class Incoming:
    """What a file holds, read into canonical tables, before it meets a project."""

    events: pd.DataFrame
    measurements: pd.DataFrame
    report: list[RowReport]
    sources: pd.DataFrame = field(default_factory=lambda: tables.empty("sources"))
    zones: dict[str, str] = field(default_factory=dict)  # column: the zone it was read in
    name: str = "file"
    notes: list[str] = field(default_factory=list)  # how the file was read
    #: Rows imported as they are, kept as two arrays (row numbers, event ids) rather than one
    #: report line each: a million-row file would otherwise carry a million objects.
    bulk_rows: np.ndarray | None = None
    bulk_ids: np.ndarray | None = None


@dataclass
class ImportPlan:
    events: pd.DataFrame
    measurements: pd.DataFrame
    sources: pd.DataFrame
    report: list[RowReport]
    label: str
    imported_bulk: int = 0  # rows imported as they are, counted but not listed
    places: pd.DataFrame = field(default_factory=lambda: tables.empty("places"))
    place_lines: list[str] = field(default_factory=list)  # what each place name became

    def count(self, status: str) -> int:
        listed = sum(1 for line in self.report if line.status == status)
        return listed + (self.imported_bulk if status == "imported" else 0)

    @property
    def rows(self) -> int:
        return len({line.row for line in self.report}) + self.imported_bulk

    @property
    def changes(self) -> bool:
        return bool(
            len(self.events) or len(self.measurements) or len(self.sources) or len(self.places)
        )

    def command(self) -> Command:
        """The whole import as one undoable step."""
        steps: list[Command] = [
            UpsertRows(name, frame)
            for name, frame in (
                ("places", self.places),
                ("sources", self.sources),
                ("events", self.events),
                ("measurements", self.measurements),
            )
            if len(frame)
        ]
        return Macro(self.label, steps)


def plan(document: Document, incoming: Incoming, on_duplicate: OnDuplicate = "skip") -> ImportPlan:
    """What importing ``incoming`` into ``document`` would do; ``document`` is not changed."""
    places = match_places(document.table("places"), incoming.events, incoming.name)
    events = places.events.reset_index(drop=True)
    claims = incoming.measurements.reset_index(drop=True)
    repeated = events["id"].astype(str).duplicated().to_numpy(dtype=bool)
    if repeated.any():
        raise ValueError(
            f"the file gives the id {events['id'][repeated].iloc[0]!r} to more than one event: "
            "ids must be unique (map no id column to number the rows instead)"
        )
    matches = duplicates(document, events)
    ids = events["id"].astype(str)
    id_list = ids.tolist()  # not list(ids): iterating an Arrow column is ten times slower
    clashes = member(ids, document.events["id"])  # ids the project already gives an event
    keep = np.ones(len(events), dtype=bool)
    renamed: dict[str, str] = {}  # incoming event id: the id it takes (merged or renamed)
    outcome: dict[str, tuple[str, str]] = {}  # incoming id: (status, detail)
    taken: set[str] = set()  # every id in use, gathered only when one must be made fresh
    # Only rows with a duplicate or an id clash need a decision: a million plain new rows
    # are not walked one by one.
    for i in sorted(set(matches) | set(np.flatnonzero(clashes).tolist())):
        event_id, existing = id_list[i], matches.get(i)
        if existing is not None and on_duplicate == "skip":
            keep[i] = False
            outcome[event_id] = ("skipped", f"duplicate of {existing}")
        elif existing is not None and on_duplicate == "merge":
            keep[i] = False
            renamed[event_id] = existing
            outcome[event_id] = ("merged", f"claims merged into {existing}")
        elif clashes[i]:  # an id clash (a kept duplicate's, or not): a fresh id
            if not taken:
                taken = set(document.events["id"].astype(str).tolist()) | set(id_list)
            fresh = _fresh(event_id, taken)
            renamed[event_id] = fresh
            taken.add(fresh)
            detail = f"kept beside {existing} as {fresh}" if existing else f"imported as {fresh}"
            outcome[event_id] = ("imported", detail)
        else:  # kept: the report still names what it duplicates
            outcome[event_id] = ("imported", f"kept beside {existing}")
    added = events[keep].copy()
    if renamed:
        added["id"] = added["id"].astype(str).map(lambda i: renamed.get(i, i))
    skipped = {i for i, (status, _) in outcome.items() if status == "skipped"}
    subjects = claims["subject_id"].astype(str)
    on_events = (claims["subject_type"] == "event").to_numpy(dtype=bool)
    claims = claims[~(on_events & subjects.isin(skipped).to_numpy(dtype=bool))].copy()
    # A claim about an event neither the project nor this file has would dangle: left out.
    subjects = claims["subject_id"].astype(str)
    orphan = (
        (claims["subject_type"] == "event").to_numpy(dtype=bool)
        & ~member(subjects, document.events["id"])
        & ~member(subjects, ids)
    )
    if orphan.any():
        gone = dict(
            zip(claims["id"][orphan].astype(str), claims["subject_id"][orphan], strict=True)
        )
        claims = claims[~orphan].copy()
        incoming = replace(
            incoming,
            report=[
                replace(
                    line,
                    status="skipped",
                    detail=f"{line.detail}: its event {gone[line.detail[6:]]} is not in the "
                    "project",
                )
                if line.detail.startswith("claim ") and line.detail[6:] in gone
                else line
                for line in incoming.report
            ],
        )
    claims["subject_id"] = claims["subject_id"].astype(str).map(lambda i: renamed.get(i, i))
    if renamed:  # merged into existing events: a claim they already carry is not added twice
        claims = claims[~_already_claimed(claims, document.table("measurements"))]
    claims = _fresh_ids(claims, set(document.table("measurements")["id"].astype(str)))
    sources = incoming.sources[~incoming.sources["id"].isin(document.table("sources")["id"])]
    report = [_outcome(line, outcome) for line in incoming.report] if outcome else incoming.report
    imported_bulk = 0
    if incoming.bulk_rows is not None and incoming.bulk_ids is not None:
        affected = np.isin(incoming.bulk_ids, list(outcome)) if outcome else None
        if affected is not None and affected.any():
            for row, event_id in zip(
                incoming.bulk_rows[affected], incoming.bulk_ids[affected], strict=True
            ):
                status, detail = outcome[str(event_id)]
                report.append(RowReport(int(row), status, detail, str(event_id)))
            report.sort(key=lambda line: line.row)
        imported_bulk = len(incoming.bulk_rows) - (
            int(affected.sum()) if affected is not None else 0
        )
    rows = len({line.row for line in report}) + imported_bulk
    return ImportPlan(
        tables.conform("events", added),
        tables.conform("measurements", claims),
        tables.conform("sources", sources),
        report,
        f"Import {rows:,} rows from {incoming.name}",
        imported_bulk,
        # Only the new places some added event names (a skipped duplicate's place is not).
        places.places[places.places["id"].isin(pd.unique(added["place"]))],
        places.lines,
    )


def _outcome(line: RowReport, outcome: dict[str, tuple[str, str]]) -> RowReport:
    """A row's line once the plan decided its event's fate; a flag is never hidden."""
    found = outcome.get(line.event_id)
    if found is None or line.status == "skipped":
        return line
    status, detail = found
    if line.status == "flagged" and status == "imported":
        return replace(line, detail=f"{line.detail}; {detail}")
    flags = f"; {line.detail}" if line.status == "flagged" else ""
    return replace(line, status=status, detail=detail + flags)


#: What makes two claims the same statement: who said what about which subject.
CLAIM_KEY = ("subject_type", "subject_id", "parameter", "claimant", "qualifier", "value",
             "lower", "upper", "unit", "source_id")  # fmt: skip


def _already_claimed(claims: pd.DataFrame, existing: pd.DataFrame) -> np.ndarray:
    """Which incoming claims the project already holds (a re-import merged into its own
    events), compared on :data:`CLAIM_KEY`."""
    if not len(claims) or not len(existing):
        return np.zeros(len(claims), dtype=bool)

    def keys(frame: pd.DataFrame) -> pd.Series:
        cells = frame[list(CLAIM_KEY)].astype(object).where(frame[list(CLAIM_KEY)].notna(), "")
        return cells.astype(str).agg("\x1f".join, axis=1)

    return np.asarray(keys(claims).isin(set(keys(existing))).to_numpy(), dtype=bool)


def _fresh(event_id: str, taken: set[str]) -> str:
    n = 2
    while f"{event_id}-{n}" in taken:
        n += 1
    return f"{event_id}-{n}"


def _fresh_ids(claims: pd.DataFrame, taken: set[str]) -> pd.DataFrame:
    ids = []
    for claim_id in claims["id"].astype(str):
        fresh = claim_id if claim_id not in taken else _fresh(claim_id, taken)
        taken.add(fresh)
        ids.append(fresh)
    claims["id"] = ids
    return claims


# -- duplicates --------------------------------------------------------------------------------
def report_lines(plan: ImportPlan, zones: dict[str, str], notes: Iterable[str] = ()) -> list[str]:
    """The report as a person reads it: the counts, the zones assumed, then one line per row
    skipped, merged or flagged (imported rows are counted, not listed)."""
    lines = [
        f"{len(plan.events):,} events, {len(plan.measurements):,} claims, "
        f"{len(plan.sources):,} sources and {len(plan.places):,} places to add from "
        f"{plan.rows:,} rows: "
        + ", ".join(f"{plan.count(s):,} {s}" for s in ("imported", "merged", "flagged", "skipped"))
    ]
    if zones:
        lines.append(
            "times: " + ", ".join(f"{column} read as {zone}" for column, zone in zones.items())
        )
    lines += [f"file: {note}" for note in notes]
    lines += [f"place: {line}" for line in plan.place_lines]
    lines += [f"row {r.row}: {r.status}: {r.detail}" for r in plan.report if r.status != "imported"]
    return lines


def duplicates(document: Document, incoming: pd.DataFrame) -> dict[int, str]:
    """For each incoming event (by row) that duplicates an event of the project, the id of
    the first such event: the same missile system (any alias), the same place (by name, or
    within 25 km), starting within one day; or the same id, starting within one day. Found
    through a time-sorted index, so a million project events cost one binary search per
    incoming event."""
    existing = document.events
    if not len(existing) or not len(incoming):
        return {}
    aliases = document.aliases()
    seconds = _seconds(existing["start_utc"])
    order = np.argsort(seconds, kind="stable")
    sorted_seconds = seconds[order]
    window = DUPLICATE_WINDOW.total_seconds()
    found: dict[int, str] = {}
    incoming_seconds = _seconds(incoming["start_utc"])
    # One vectorised search for every incoming event; only those with a candidate within the
    # window are looked at one by one.
    lows = np.searchsorted(sorted_seconds, incoming_seconds - window, side="left")
    highs = np.searchsorted(sorted_seconds, incoming_seconds + window, side="right")
    near = np.flatnonzero((highs > lows) & ~np.isnan(incoming_seconds))
    rows = cast(list[dict[str, object]], incoming.iloc[near].to_dict("records"))
    for i, row in zip(near.tolist(), rows, strict=True):
        low, high = lows[i], highs[i]
        mine = _systems(row.get("systems"), aliases)
        for position in order[low:high]:
            candidate = existing.iloc[int(position)]
            if (
                mine
                and mine & _systems(candidate["systems"], aliases)
                and _same_place(row, candidate)
            ):
                found[i] = str(candidate["id"])
                break
    # The same id, starting within the window: the event this file (or an earlier copy of
    # it) already brought, whatever has been corrected in it since (a re-import).
    ids = incoming["id"].astype(str)
    same = np.flatnonzero(member(ids, existing["id"]))
    if len(same):
        starts = dict(zip(existing["id"].astype(str).tolist(), seconds.tolist(), strict=True))
        for i in same.tolist():
            event_id = str(ids.iat[i])
            if i not in found and abs(starts[event_id] - incoming_seconds[i]) <= window:
                found[i] = event_id
    return found


def member(values: pd.Series, pool: pd.Series) -> np.ndarray:
    """Which ``values`` are in ``pool``, through Arrow: pandas' ``isin`` on Arrow strings walks
    a large pool in Python (seconds at a million ids)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(values) or not len(pool):
        return np.zeros(len(values), dtype=bool)

    def strings(column: pd.Series) -> pa.Array:
        return pa.array(column.astype(str).to_numpy(dtype=object), type=pa.string())

    found = pc.is_in(strings(values), value_set=strings(pool))
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _seconds(column: pd.Series) -> np.ndarray:
    stamps = pd.to_datetime(column, utc=True)
    values = (stamps - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
    return np.asarray(values.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def _systems(cell: object, aliases: AliasIndex) -> set[str]:
    """The systems an event names, as system ids where the project knows the name (the
    name as written, the part before brackets, or the part inside them: ``Hwasong-11B
    (KN-24)``), else as normalised names."""
    found: set[str] = set()
    names: Iterable[str] = lists.split(cell)
    for name in names:
        forms = _forms(name)
        known = next((aliases.resolve(f) for f in forms if aliases.resolve(f)), None)
        found.add(known or normalise_name(forms[-1] if len(forms) > 1 else name))
    return found


def _forms(name: str) -> list[str]:
    """``Hwasong-11B (KN-24)``: the whole, then ``KN-24``, then ``Hwasong-11B``."""
    bare, _, inner = name.partition("(")
    forms = [name]
    if inner:
        forms += [inner.rstrip(") ").strip(), bare.strip()]
    return [f for f in forms if f]


def _same_place(row: dict[str, object], candidate: pd.Series) -> bool:
    a, b = (
        str(row.get("place") or "").strip().casefold(),
        str(candidate["place"] or "").strip().casefold(),
    )
    if a and b and (a == b or a in b or b in a):
        return True
    try:
        lat1, lon1 = float(row.get("latitude")), float(row.get("longitude"))  # type: ignore[arg-type]
        lat2, lon2 = float(candidate["latitude"]), float(candidate["longitude"])
    except (TypeError, ValueError):
        return False
    return km(lat1, lon1, lat2, lon2) <= NEAR_KM  # NaN (a side without coordinates): False
