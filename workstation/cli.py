"""One entry point for the GUI and the headless verbs.

``workstation [PROJECT]`` opens the window; ``workstation info|validate|new|export-table``
work without a display and without importing Qt; ``workstation export|brief`` draw charts with
the GUI's own code, offscreen when there is no display. Every failure is one line on stderr and a
non-zero exit; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from workstation import __version__

VERBS = ("info", "validate", "new", "export-table", "import", "export", "brief")
EXIT_BAD = 2


class CliError(Exception):
    """A user-facing failure: one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _verb_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="workstation", description="Headless project commands.")
    parser.add_argument("--version", action="version", version=f"workstation {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)

    info = verbs.add_parser("info", help="schema version, rows per table, date range, categories")
    info.add_argument("project", type=Path)
    info.add_argument("--json", action="store_true", help="print JSON")

    validate = verbs.add_parser("validate", help="exit 0 if the project is valid, else 2")
    validate.add_argument("project", type=Path)

    new = verbs.add_parser("new", help="create a project: a copy of the seed, or empty")
    new.add_argument("project", type=Path)
    new.add_argument("--empty", action="store_true", help="an empty project, not the seed")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    export = verbs.add_parser("export-table", help="write one table as .csv, .xlsx or .json")
    export.add_argument("project", type=Path)
    from workstation.model.tables import TABLE_NAMES

    export.add_argument("--table", required=True, choices=TABLE_NAMES)
    export.add_argument("--out", required=True, type=Path, help="file; the ending picks the format")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")

    from workstation.io.run_import import PRESETS

    imports = verbs.add_parser(
        "import", help="add events from a CSV, XLSX or JSON file and print the report"
    )
    imports.add_argument("project", type=Path)
    imports.add_argument("file", type=Path)
    imports.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        help="default: chosen from the file's columns",
    )
    imports.add_argument(
        "--map", action="append", default=[], metavar="FIELD=COLUMN", help="map a column"
    )
    imports.add_argument("--encoding", help="the file's encoding (default: detected)")
    imports.add_argument("--timezone", help="the zone of mapped date and time columns (UTC)")
    imports.add_argument(
        "--on-duplicate", choices=("skip", "merge", "keep"), default="skip",
        help="an event the project already has: skip it, merge its claims, or keep both",
    )  # fmt: skip
    imports.add_argument(
        "--dry-run", action="store_true", help="report only; exit 3 if rows would be skipped"
    )

    from workstation.model import briefing

    chart = verbs.add_parser(
        "export", help="write the timeline or comparison chart as .png, .svg or .pdf"
    )
    chart.add_argument("project", type=Path)
    chart.add_argument("--chart", required=True, choices=briefing.CHARTS)
    chart.add_argument("--out", required=True, type=Path, help="file; .png, .svg or .pdf")
    chart.add_argument("--dpi", type=int, default=300, help="PNG resolution: 150, 300 or 600")
    _pack_options(chart)
    chart.add_argument("--subtitle", help="the line under the title (default: what is shown)")
    chart.add_argument("--parameter", help="comparison: range, apogee, max_speed or flight_time")

    brief = verbs.add_parser("brief", help="write a briefing pack as .pdf or .pptx")
    brief.add_argument("project", type=Path)
    brief.add_argument("--out", required=True, type=Path, help="file; .pdf or .pptx")
    _pack_options(brief)
    return parser


def _pack_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--size", default="slide", help="slide (16:9), a4, letter (landscape) or WxHin"
    )
    parser.add_argument("--filter", help="a filter query, as typed in the filter bar")
    parser.add_argument("--banner", help="handling banner, top and bottom (default: the last)")
    parser.add_argument("--title", help="the title (default: the project's)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def _gui_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workstation",
        description="Open the workstation window.\n\nHeadless verbs (no display needed):\n  "
        + "\n  ".join(VERBS),
        epilog="Run 'workstation VERB --help' for a verb's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"workstation {__version__}")
    parser.add_argument(
        "project",
        nargs="?",
        type=Path,
        help="project file (default: the last one, else your copy of the seed)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in VERBS:
            return _run_verb(_verb_parser().parse_args(args))
        options = _gui_parser().parse_args(args)
        if options.project is not None and not options.project.exists():
            # Also catches a mistyped verb before Qt starts (and aborts without a display).
            raise CliError(f"{options.project}: no such file (verbs: {', '.join(VERBS)})")
        from workstation.gui_main import run_gui

        return run_gui(options.project)
    except CliError as exc:
        print(f"workstation: {exc}", file=sys.stderr)
        return EXIT_BAD
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of our output went away (| head): not an error
        return 0
    except Exception as exc:  # the last guard: one line, never a traceback
        print(f"workstation: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _run_verb(options: argparse.Namespace) -> int:
    from workstation.store import ProjectFileError

    try:
        if options.verb == "info":
            return _info(options.project, options.json)
        if options.verb == "validate":
            return _validate(options.project)
        if options.verb == "new":
            return _new(options.project, options.empty, options.force)
        if options.verb in ("export", "brief"):
            return _draw(options)
        if options.verb == "import":
            return _import(options)
        return _export(options.project, options.table, options.out, options.force)
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None


def _import(options: argparse.Namespace) -> int:
    from workstation.io.readers import UnreadableFileError
    from workstation.io.run_import import ImportOptions, run

    if not options.project.exists():
        raise CliError(f"{options.project}: no such project")
    try:
        code, lines = run(
            ImportOptions(
                options.project,
                options.file,
                options.preset,
                tuple(options.map),
                options.encoding,
                options.timezone,
                options.on_duplicate,
                options.dry_run,
            )
        )
    except (UnreadableFileError, ValueError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{options.file}: {exc.strerror or exc}") from None
    print("\n".join(lines))
    return code


def _draw(options: argparse.Namespace) -> int:
    """The chart and pack verbs: the GUI's export code, offscreen."""
    document = _load(options.project)
    from workstation.ui.export import headless

    try:
        run = headless.run_export if options.verb == "export" else headless.run_brief
        print(run(options, document))
    except OSError as exc:
        raise CliError(str(exc.strerror or exc) if not str(exc) else str(exc)) from None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    return 0


def _load(project: Path) -> Any:
    from workstation import store

    return store.load(project)


def project_info(document: Any) -> dict[str, Any]:
    """The summary printed by ``workstation info`` (also used by tests)."""
    from workstation.model import tables
    from workstation.model.dates import format_utc
    from workstation.store.schema import SCHEMA_VERSION

    events = document.events
    info: dict[str, Any] = {
        "path": str(document.path),
        "title": document.meta.get("title", ""),
        "schema_version": document.file_schema_version or SCHEMA_VERSION,
        "rows": {name: len(document.table(name)) for name in tables.TABLE_NAMES},
        "date_range": None,
        "categories": {},
    }
    if len(events):
        first = events["start_utc"].min()
        last = events["end_utc"].fillna(events["start_utc"]).max()
        info["date_range"] = {
            "start_utc": format_utc(first.to_pydatetime()),
            "end_utc": format_utc(last.to_pydatetime()),
        }
        counts = events["category"].replace("", "(none)").value_counts().sort_index()
        info["categories"] = {str(k): int(v) for k, v in counts.items()}
    return info


def _info(project: Path, as_json: bool) -> int:
    info = project_info(_load(project))
    if as_json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return 0
    print(f"{info['path']}: {info['title']}")
    print(f"schema version: {info['schema_version']}")
    for name, count in info["rows"].items():
        print(f"{name:>19}: {count:,}")
    if info["date_range"]:
        print(f"date range: {info['date_range']['start_utc']} to {info['date_range']['end_utc']}")
    if info["categories"]:
        print("categories: " + ", ".join(f"{k} ({v})" for k, v in info["categories"].items()))
    return 0


def _validate(project: Path) -> int:
    document = _load(project)
    print(f"{project}: valid (schema {document.file_schema_version}, {len(document):,} events)")
    return 0


def _new(project: Path, empty: bool, force: bool) -> int:
    from workstation import paths, store
    from workstation.model.document import Document

    if project.exists() and not force:
        raise CliError(f"{project}: already exists (use --force to overwrite)")
    if not project.parent.is_dir():
        raise CliError(f"{project}: the folder {project.parent} does not exist")
    if empty:
        document = Document(meta={"title": project.stem})
        store.save(document, project)
    else:
        store.load(paths.packaged_seed())  # never copy a seed that does not validate
        temp = project.with_name(f".{project.name}.copying")
        try:
            shutil.copyfile(paths.packaged_seed(), temp)
            temp.replace(project)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise CliError(f"{project}: could not be written ({exc.strerror or exc})") from None
    print(f"created {project} ({'empty' if empty else 'copy of the seed project'})")
    return 0


def _export(project: Path, table: str, out: Path, force: bool) -> int:
    from workstation.io.tables import TableFormatError, export_table, format_of

    try:
        format_of(out)
    except TableFormatError as exc:
        raise CliError(str(exc)) from None
    if out.exists() and not force:
        raise CliError(f"{out}: already exists (use --force to overwrite)")
    if not out.parent.is_dir():
        raise CliError(f"{out}: the folder {out.parent} does not exist")
    document = _load(project)
    try:
        export_table(table, document.table(table), out)
    except TableFormatError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{out}: could not be written ({exc.strerror or exc})") from None
    print(f"wrote {len(document.table(table)):,} {table} rows to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
