"""In-memory benchmarks over the events table of a loaded project: query and local dates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.harness import Case, Reference, Result, measure, median
from benchmarks.workspace import Workspace, progress
from workstation.model.dates import local_dates
from workstation.model.query import EventQuery

QUERY = EventQuery(text="launch", systems=frozenset({"KN-23"}))


# -- 4. query ---------------------------------------------------------------------------------
def title_contains(events: pd.DataFrame) -> np.ndarray:
    """FLOOR for a query: one case-insensitive substring mask over one column."""
    mask: np.ndarray = (
        events["title"]
        .str.contains("launch", case=False, regex=False)
        .to_numpy(dtype=bool, na_value=False)
    )
    return mask


def bench_query(ws: Workspace, result: Result) -> None:
    document, _path = ws.loaded()
    events = document.events
    aliases = document.aliases()  # built once per document and cached; not part of a query
    progress("query: EventQuery.mask vs one str.contains")
    times = measure(
        [
            Case("subject", lambda _: QUERY.mask(events, aliases)),
            Case("floor", lambda _: title_contains(events)),
        ],
        ws.fast_repeats,
    )
    result.runs_s, result.floor_runs_s = times["subject"], times["floor"]
    result.measured_s, result.floor_s = median(result.runs_s), median(result.floor_runs_s)
    matched = int(QUERY.mask(events, aliases).sum())
    floor_matched = int(title_contains(events).sum())
    if matched == 0:
        raise AssertionError("the query matched nothing: the benchmark data is wrong")
    result.details["rows matched by the query"] = f"{matched:,} of {len(events):,}"
    result.details["rows matched by the floor"] = f"{floor_matched:,}"
    result.checks.append("the query matches a non-empty subset of events")


# -- 5. local launch-day counts ---------------------------------------------------------------
def local_day_counts(events: pd.DataFrame) -> pd.Series:
    """Events per local calendar day, each event in its own time zone."""
    days = local_dates(events["start_utc"], events["timezone"])
    return days.groupby(days).size()


def utc_day_counts(events: pd.DataFrame) -> pd.Series:
    """FLOOR: events per UTC calendar day (``dt.date``, no zone work) and the same groupby."""
    days = events["start_utc"].dt.date
    return days.groupby(days).size()


def bench_local_days(ws: Workspace, result: Result) -> None:
    document, _path = ws.loaded()
    events = document.events
    progress("local days: local_dates + groupby vs dt.date + groupby")
    times = measure(
        [
            Case("subject", lambda _: local_day_counts(events)),
            Case("floor", lambda _: utc_day_counts(events)),
        ],
        ws.fast_repeats,
    )
    result.runs_s, result.floor_runs_s = times["subject"], times["floor"]
    result.measured_s, result.floor_s = median(result.runs_s), median(result.floor_runs_s)
    reference = measure(
        [Case("floor_D", lambda _: events["start_utc"].dt.floor("D").value_counts())],
        ws.fast_repeats,
    )["floor_D"]
    result.references.append(
        Reference(
            "UTC days without Python date objects",
            "events['start_utc'].dt.floor('D').value_counts(): datetime64 all the way, which "
            "shows what dt.date's (and local_dates') Python date objects cost",
            median(reference),
            reference,
        )
    )
    local, utc = local_day_counts(events), utc_day_counts(events)
    if int(local.sum()) != len(events) or int(utc.sum()) != len(events):
        raise AssertionError("the day counts do not add up to the number of events")
    zones = events["timezone"].value_counts()
    result.details["time zones"] = ", ".join(f"{z} {c:,}" for z, c in zones.items())
    result.details["distinct days"] = f"local {len(local):,}, UTC {len(utc):,}"
    result.checks.append("both day counts add up to the number of events")
