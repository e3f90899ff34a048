"""The pieces every import reader builds its events from: claims out of value cells, the
event's summary, a salvo's title and its report lines (groundwork of the import; Qt-free).

The CNS, nk-missile-tests and column-mapping readers differ in where their values stand; what
they make of them must not differ, so that an analyst reads one kind of summary, title and
report whichever file the events came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from workstation.io.importer import Incoming, RowReport
from workstation.io.values import UnreadableValueError, parse_quantity
from workstation.model import tables
from workstation.model.measurements import Measurement, SubjectType
from workstation.model.sources import Source

NOT_READ = "Not read (kept as written): "

#: A claim's id from its event's id, its parameter, the number of claims made before it and
#: the number of distinct values read so far, its own included. Each reader keeps its own
#: scheme so that the ids of a re-import match the ids a project already holds.
ClaimId = Callable[[str, str, int, int], str]


@dataclass(frozen=True, slots=True)
class ClaimCell:
    """One written value that may become a claim about an event."""

    parameter: str  # apogee, range, ...
    column: str  # the column it stands in, named in the claim's note
    text: str  # as written
    where: str  # how a problem names the cell, e.g. ``row 4 Apogee``
    locator: str = ""  # where in the source the claim is found
    default_unit: str = ""  # the unit of a bare number


def row_cells(
    number: int,
    row: Mapping[str, object],
    columns: Iterable[tuple[str, str]],
    text: Callable[[object], str],
    locator: str,
    default_unit: str = "",
) -> list[ClaimCell]:
    """The cells of one row of a salvo, for ``(column, parameter)`` pairs; a problem names
    the row and the column (``row 4 Apogee``), since a salvo's rows share one event."""
    return [
        ClaimCell(
            parameter, column, text(row[column]), f"row {number} {column}", locator, default_unit
        )
        for column, parameter in columns
    ]


def read_claims(
    event_id: str,
    cells: Iterable[ClaimCell],
    claim_id: ClaimId,
    claimant: str,
    source_id: str = "",
) -> tuple[list[Measurement], list[str]]:
    """The claims the cells make about one event, and the values that could not be read.

    A value written again (same parameter, same text, as the rows of one salvo often repeat
    it) is one claim, not one per row: it is one statement of the claimant's. An empty cell
    makes nothing; an unreadable one makes a problem, ``WHERE: why``, never a guess."""
    claims: list[Measurement] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for cell in cells:
        if (cell.parameter, cell.text) in seen:
            continue
        seen.add((cell.parameter, cell.text))
        try:
            quantity = parse_quantity(cell.text, default_unit=cell.default_unit)
        except UnreadableValueError as exc:
            problems.append(f"{cell.where}: {exc}")
            continue
        if quantity is None:
            continue
        claims.append(
            Measurement(
                claim_id(event_id, cell.parameter, len(claims), len(seen)),
                SubjectType.EVENT,
                event_id,
                cell.parameter,
                quantity.qualifier,
                quantity.value,
                quantity.lower,
                quantity.upper,
                quantity.unit,
                claimant=claimant,
                source_id=source_id,
                locator=cell.locator,
                note=f"{cell.column}: {cell.text}",
            )
        )
    return claims, problems


def summary(parts: Iterable[str], problems: Sequence[str]) -> str:
    """The event's summary: the file's own texts, then what could not be read, as written,
    so that nothing the file says is lost even when the importer could not use it."""
    not_read = NOT_READ + "; ".join(problems) if problems else ""
    return "\n\n".join(part for part in (*parts, not_read) if part)


def labelled(label: str, text: str) -> str:
    """``Outcome: Success``, a part of a summary, or nothing when the file leaves it empty."""
    return f"{label}: {text}" if text else ""


def salvo_title(system: str, place: str, count: int) -> str:
    """``Hwasong-15 launch from Sunan (2 missiles)``: the count only for a salvo, where it
    tells one event from the single launches of the same system."""
    title = f"{system} launch" + (f" from {place}" if place else "")
    return title if count == 1 else f"{title} ({count} missiles)"


def status(problems: Sequence[str]) -> str:
    """A row's report status: flagged when something in it could not be read."""
    return "flagged" if problems else "imported"


def salvo_report(rows: Sequence[int], event_id: str, problems: Sequence[str]) -> list[RowReport]:
    """One report line for each row of a salvo, all naming the one event they went into, so
    that the analyst can find every row of the file in the report."""
    count = len(rows)
    detail = (
        f"into {event_id}"
        + (f" (salvo of {count})" if count > 1 else "")
        + (f"; {'; '.join(problems)}" if problems else "")
    )
    return [RowReport(row, status(problems), detail, event_id) for row in rows]


def salvo_incoming(
    events: list[dict[str, object]],
    claims: list[dict[str, object]],
    report: list[RowReport],
    source: Source,
    zones: Mapping[str, str],
    name: str,
) -> Incoming:
    """What a preset read from a file of salvos: its events, claims and one source, the
    report in the file's row order."""
    return Incoming(
        tables.from_records("events", events),
        tables.from_records("measurements", claims),
        sorted(report, key=lambda line: line.row),
        tables.from_records("sources", [source.to_row()]),
        dict(zones),
        name,
    )
