"""``workstation import``: read a file, plan the import, print the report, and (unless it is
a dry run) write the project, atomically (groundwork of the import; Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workstation.io.cns import COLUMNS as CNS_COLUMNS
from workstation.io.cns import read_cns
from workstation.io.importer import (
    ImportPlan,
    Incoming,
    OnDuplicate,
    RowReport,
    plan,
    report_lines,
)
from workstation.io.mapping import Mapping, guess, parse_map, read_mapped
from workstation.io.nagix import TEST_COLUMNS, companions, read_nagix
from workstation.io.readers import RawTable, read_file
from workstation.io.tables import unneutralize
from workstation.model import tables, validation
from workstation.model.events import Event

#: The presets a file can be read by (``--preset``, the import dialog), with their names.
PRESETS = {
    "cns": "CNS Missile Test Database",
    "nagix": "nk-missile-tests JSON",
    "canonical": "Canonical events table",
}
EXIT_WRITTEN, EXIT_WOULD_SKIP = 0, 3


@dataclass
class ImportOptions:
    project: Path
    file: Path
    preset: str | None = None
    maps: tuple[str, ...] = ()
    encoding: str | None = None
    timezone: str | None = None
    on_duplicate: OnDuplicate = "skip"
    dry_run: bool = False


def preset_of(raw: RawTable) -> str:
    """The preset a file's columns call for: CNS, nk-missile-tests, canonical events, else a
    guessed mapping."""
    columns = set(raw.columns)
    if set(CNS_COLUMNS) <= columns:
        return "cns"
    if set(TEST_COLUMNS) <= columns and raw.format == "json":
        return "nagix"
    if set(tables.column_names("events")) <= columns:
        return "canonical"
    if set(tables.column_names("measurements")) - {"claimed_on"} <= columns:
        return "canonical"  # the claims table export-table writes
    return "mapped"


def incoming(options: ImportOptions) -> Incoming:
    """The file read by its preset (or mapping); one-line ``ValueError`` when it cannot be."""
    return from_raw(options, read_file(options.file, options.encoding))


def from_raw(options: ImportOptions, raw: RawTable, mapping: Mapping | None = None) -> Incoming:
    """A file already read, read by its preset or by ``mapping``: with how the file was read,
    and the rows it could not read as rows, skipped in the report."""
    if mapping is not None:
        arriving = read_mapped(raw, mapping, options.file.name)
    else:
        arriving = _incoming(options, raw)
    arriving.notes = list(raw.notes)
    return _with_bad_rows(arriving, raw)


def _with_bad_rows(arriving: Incoming, raw: RawTable) -> Incoming:
    """The rows the reader could not read as rows, skipped in the report with the reason
    (they stood blank in the table, so no event came of them)."""
    if not raw.bad_rows:
        return arriving
    kept = [line for line in arriving.report if line.row not in raw.bad_rows]
    arriving.report = sorted(
        kept + [RowReport(n, "skipped", why) for n, why in raw.bad_rows.items()],
        key=lambda line: line.row,
    )
    return arriving


def _incoming(options: ImportOptions, raw: RawTable) -> Incoming:
    # Columns mapped by hand are a mapping, whatever the file looks like.
    preset = options.preset or ("mapped" if options.maps else preset_of(raw))
    name = options.file.name
    if preset in ("cns", "nagix", "canonical") and options.maps:
        raise ValueError(f"the {preset} preset maps its own columns: drop --map")
    if preset in ("cns", "nagix") and options.timezone:
        raise ValueError(f"the {preset} preset reads its times as UTC: drop --timezone")
    if preset == "cns":
        return read_cns(raw, name)
    if preset == "nagix":
        missiles, facilities = companions(options.file)
        return read_nagix(
            raw,
            read_file(missiles) if missiles else None,
            read_file(facilities) if facilities else None,
            name,
        )
    if preset == "canonical":
        claims = set(tables.column_names("measurements")) - {"claimed_on"}
        if claims <= set(raw.columns) and "start_utc" not in raw.columns:
            return canonical_claims(raw, name)
        return canonical(raw, name)
    mapping = guess(raw.columns) if not options.maps else Mapping(parse_map(list(options.maps)))
    mapping.zone = options.timezone or "UTC"
    mapping.claimant = options.file.stem
    mapping.id_prefix = f"{options.file.stem[:12]}-"
    return read_mapped(raw, mapping, name)


def canonical(raw: RawTable, name: str) -> Incoming:
    """The canonical events table, every row checked as opening a project checks it; a row
    that is not a valid event is skipped with its reason (a project must never be saved with
    a row it cannot open). Whole columns at once; row by row only when a cell cannot even be
    converted, to say which."""
    missing = [c for c in tables.column_names("events") if c not in raw.columns]
    if missing:
        raise ValueError(f"not a canonical events table: no column {', '.join(missing[:4])}")
    try:
        events, numbers, report = _checked("events", raw.frame)
    except _UnconvertibleError:
        return _canonical_rows(raw, name)
    arriving = Incoming(events, tables.empty("measurements"), report, name=name)
    arriving.bulk_rows = numbers
    arriving.bulk_ids = events["id"].to_numpy(dtype=object)
    return arriving


def canonical_claims(raw: RawTable, name: str) -> Incoming:
    """The canonical claims (measurements) table: every row checked as opening a project
    checks it; a claim about an event is kept only if the project (or this file) has it, which
    :func:`plan` checks against the project."""
    frame = raw.frame
    if "claimed_on" not in frame.columns:
        frame = frame.assign(claimed_on="")
    try:
        claims, numbers, report = _checked("measurements", frame)
    except _UnconvertibleError as exc:
        raise ValueError(f"not a readable claims table: {str(exc).splitlines()[0]}") from None
    report += [
        RowReport(int(n), "imported", f"claim {i}", "")
        for n, i in zip(numbers, claims["id"], strict=True)
    ]
    report.sort(key=lambda line: line.row)
    return Incoming(tables.empty("events"), claims, report, name=name)


class _UnconvertibleError(ValueError):
    """A whole column of an imported table cannot be converted to its type."""


def _checked(table: str, raw: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, list[RowReport]]:
    """``table``'s columns of ``raw``, checked as opening a project checks them: the valid
    rows, their numbers in the file (from 1), and a report line for each row skipped, with its
    reason. Undoes export-table's formula guard first, as ``read_table`` does. Raises
    :class:`_UnconvertibleError` when a whole column cannot even be converted."""
    frame = raw[tables.column_names(table)].copy()
    for column in tables.columns(table):
        if column.kind in ("text", "list"):
            guarded = frame[column.name].str.startswith("'").fillna(False).to_numpy(dtype=bool)
            if guarded.any():
                cells = frame.loc[guarded, column.name]
                frame.loc[guarded, column.name] = cells.str.replace(_GUARDED, "", n=1, regex=True)
    try:
        rows = tables.conform(table, frame)
    except (ValueError, TypeError, OverflowError) as exc:
        raise _UnconvertibleError(str(exc)) from exc
    reasons = validation.row_problems(table, rows).to_numpy(dtype=object)
    bad = reasons != ""
    numbers = np.arange(1, len(rows) + 1)
    report = [RowReport(int(n), "skipped", str(reasons[n - 1])) for n in numbers[bad]]
    return rows[~bad].reset_index(drop=True), numbers[~bad], report


#: A cell export-table guarded against spreadsheet formulas: the apostrophe it added.
_GUARDED = r"^'(?=[=+\-@\t\r])"


def _canonical_rows(raw: RawTable, name: str) -> Incoming:
    """Row by row: slow, but says which rows cannot be read as events and why."""
    rows, report = [], []
    for number, record in enumerate(raw.frame.to_dict("records"), start=1):
        cells = {str(k): unneutralize(str(v)) for k, v in record.items()}
        try:
            one = tables.conform("events", pd.DataFrame([cells])[tables.column_names("events")])
            event = Event.from_row(one.iloc[0].to_dict())
        except (ValueError, TypeError, OverflowError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            report.append(RowReport(number, "skipped", reason[:200]))
            continue
        rows.append(event.to_row())
        report.append(RowReport(number, "imported", f"into {event.id}", event.id))
    return Incoming(
        tables.from_records("events", rows), tables.empty("measurements"), report, name=name
    )


def check_valid(result: ImportPlan) -> None:
    """The last guard: an import that would leave a table invalid is refused whole."""
    for name, frame in (
        ("events", result.events),
        ("measurements", result.measurements),
        ("sources", result.sources),
        ("places", result.places),
    ):
        found = validation.problems(name, frame, limit=1)
        if found:
            raise ValueError(f"the import would make the project invalid: {found[0]}")


def run(options: ImportOptions) -> tuple[int, list[str]]:
    """The exit code and the report's lines. Raises ``ValueError``/``OSError`` (one line) for
    bad arguments or an unreadable file; the project is then unchanged."""
    from workstation import store
    from workstation.store.locks import holder_of

    holder = None if options.dry_run else holder_of(options.project)
    if holder is not None:  # its window would later save over the import, or refuse to
        raise ValueError(
            f"{options.project.name} is open in Workstation ({holder.describe()}): "
            "import there (File > Import) or close it first"
        )
    arriving = incoming(options)
    document = store.load(options.project)
    result = plan(document, arriving, options.on_duplicate)
    check_valid(result)
    lines = report_lines(result, arriving.zones, arriving.notes)
    if options.dry_run:
        lines.append("dry run: the project was not changed")
        return (EXIT_WOULD_SKIP if result.count("skipped") else EXIT_WRITTEN), lines
    if result.changes:
        command = result.command()
        # The file's rows and the plan's copy of them are not needed once the command holds
        # them, nor the command once done (no undo here): freed before the save's peak.
        del arriving, result
        command.redo(document)
        del command
        store.save(document)
        lines.append(f"wrote {options.project}")
    else:
        lines.append("nothing to import: the project was not changed")
    return EXIT_WRITTEN, lines
