"""Canonical tables: lossless round trips, and spreadsheet cells that cannot execute."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, SEED
from workstation import store
from workstation.io.tables import (
    TableFormatError,
    export_table,
    neutralize,
    read_table,
    unneutralize,
)
from workstation.model import tables

EVENT_COLUMNS = [
    "id",
    "start_utc",
    "end_utc",
    "precision",
    "timezone",
    "category",
    "title",
    "summary",
    "place",
    "latitude",
    "longitude",
    "systems",
    "missile_count",
    "tags",
    "sources",
]
MEASUREMENT_COLUMNS = [
    "id",
    "subject_type",
    "subject_id",
    "parameter",
    "qualifier",
    "value",
    "lower",
    "upper",
    "unit",
    "claimant",
    "source_id",
    "locator",
    "reliability",
    "credibility",
]
SYSTEM_COLUMNS = [
    "id",
    "name",
    "aliases",
    "class",
    "country",
    "propulsion",
    "status",
    "notes",
    "launch_platform",
]
ANNOTATION_COLUMNS = [
    "id",
    "targets",
    "body",
    "tags",
    "author",
    "created_utc",
    "modified_utc",
    "confidence",
    "sources",
]
ANNOTATION_VERSION_COLUMNS = [
    "id",
    "annotation_id",
    "version",
    "saved_utc",
    "author",
    "body",
    "tags",
    "targets",
    "confidence",
    "sources",
]


def test_canonical_columns_are_as_documented() -> None:
    assert tables.column_names("events") == EVENT_COLUMNS
    assert tables.column_names("measurements")[: len(MEASUREMENT_COLUMNS)] == MEASUREMENT_COLUMNS
    assert tables.column_names("annotations") == ANNOTATION_COLUMNS
    assert tables.column_names("annotation_versions") == ANNOTATION_VERSION_COLUMNS
    assert tables.column_names("systems") == SYSTEM_COLUMNS


def test_docs_list_every_canonical_table_with_its_columns() -> None:
    doc = (REPO / "docs" / "canonical-tables.md").read_text(encoding="utf-8")
    for table in tables.TABLE_NAMES:
        row = f"| {table} | `{', '.join(tables.column_names(table))}` |"
        assert row in doc, f"docs/canonical-tables.md lacks: {row}"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
@pytest.mark.parametrize("table", tables.TABLE_NAMES)
def test_seed_round_trip_is_lossless(table: str, suffix: str, tmp_path: Path) -> None:
    frame = store.load(SEED).table(table)
    out = tmp_path / f"{table}{suffix}"
    export_table(table, frame, out)
    pd.testing.assert_frame_equal(read_table(table, out), frame)


def test_csv_times_are_iso_utc_with_z(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    export_table("events", store.load(SEED).events, out)
    text = out.read_text(encoding="utf-8")
    assert "A05,2022-01-04T23:10:00Z,,time,Asia/Seoul" in text


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-5", "-5"),
        ("+3.5e2", "+3.5e2"),
        ("plain", "plain"),
        ("", ""),
        # Text that already reads like a neutralized cell gets one more quote, so reading
        # it back strips exactly the one that export added (hypothesis found "'@").
        ("'@", "''@"),
        ("''=x", "'''=x"),
        ("'-5", "''-5"),
        ("'", "'"),
        ("it's", "it's"),
    ],
)
def test_formula_cells_are_neutralized_unless_numbers(cell: str, expected: str) -> None:
    assert neutralize(cell) == expected
    assert unneutralize(neutralize(cell)) == cell


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exported_spreadsheets_hold_no_live_formulas(suffix: str, tmp_path: Path) -> None:
    document = store.load(SEED)
    events = document.events.copy()
    events.loc[0, "title"] = "=1+1"
    events.loc[1, "summary"] = "@cmd|' /C calc'!A0"
    out = tmp_path / f"events{suffix}"
    export_table("events", events, out)
    if suffix == ".csv":
        raw = pd.read_csv(out, dtype=str, keep_default_na=False)
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(out).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        raw = pd.read_excel(out, dtype=str, keep_default_na=False)
    assert raw.loc[0, "title"] == "'=1+1"
    assert raw.loc[1, "summary"].startswith("'@")
    back = read_table("events", out)
    assert back.loc[0, "title"] == "=1+1"


text_cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00;\r\n"),
    max_size=30,
)


@settings(max_examples=40, deadline=None)
@given(titles=st.lists(text_cells, min_size=1, max_size=5))
def test_any_text_survives_a_csv_round_trip(
    titles: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    frame = store.load(SEED).events.head(len(titles)).copy()
    frame["title"] = titles
    frame["summary"] = [t[::-1] for t in titles]
    out = tmp_path_factory.mktemp("rt") / "events.csv"
    export_table("events", frame, out)
    pd.testing.assert_frame_equal(read_table("events", out), frame.reset_index(drop=True))


def test_unknown_format_and_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(TableFormatError, match="unknown file type"):
        export_table("events", tables.empty("events"), tmp_path / "x.parquet")
    partial = tmp_path / "partial.csv"
    partial.write_text("id,title\nA,B\n", encoding="utf-8")
    with pytest.raises(TableFormatError, match="missing columns"):
        read_table("events", partial)


def test_a_systems_file_from_before_launch_platform_still_reads(tmp_path: Path) -> None:
    """A systems table exported by schema version 1, without ``launch_platform``, reads
    with the column blank; any other missing column is refused with one line naming it."""
    older = tmp_path / "systems.csv"
    older.write_text(
        "id,name,aliases,class,country,propulsion,status,notes\n"
        "KN-23,KN-23,Hwasong-11A,SRBM,DPRK,solid,deployed,\n",
        encoding="utf-8",
    )
    systems = read_table("systems", older)
    assert systems.loc[0, "launch_platform"] == ""
    assert systems.loc[0, "aliases"] == "Hwasong-11A"
    older.write_text("id,name\nKN-23,KN-23\n", encoding="utf-8")
    with pytest.raises(TableFormatError, match=r"systems\.csv: missing columns: aliases, class"):
        read_table("systems", older)


def test_an_annotations_file_from_before_sources_still_reads(tmp_path: Path) -> None:
    """An annotations table exported by schema version 2, without ``sources``, reads with
    the column blank."""
    older = tmp_path / "annotations.csv"
    older.write_text(
        "id,targets,body,tags,author,created_utc,modified_utc,confidence\n"
        "N1,event:A05,A note.,disputed,me,2022-02-01T00:00:00Z,2022-02-01T00:00:00Z,likely\n",
        encoding="utf-8",
    )
    notes = read_table("annotations", older)
    assert notes.loc[0, "sources"] == ""
    assert notes.loc[0, "confidence"] == "likely"
    older.write_text("id,targets\nN1,project\n", encoding="utf-8")
    with pytest.raises(TableFormatError, match=r"missing columns: body"):
        read_table("annotations", older)


def annotation_history() -> pd.DataFrame:
    rows = [
        {
            "id": f"N{i % 3:02d}@{i // 3 + 1}",
            "annotation_id": f"N{i % 3:02d}",
            "version": i // 3 + 1,
            "saved_utc": f"2022-02-0{i // 3 + 1}T0{i % 3}:00:00Z",
            "author": "=cmd" if i == 4 else f"analyst {i}",
            "body": f'# Earlier {i}\n\nline; with a semicolon, "quotes" and ¶{i}',
            "tags": "disputed; source-error" if i % 2 else "",
            "targets": "event:A05; time:2022-01-01T00:00:00Z/2022-01-02T00:00:00Z",
            "confidence": "likely" if i % 2 else "",
            "sources": "article:¶4; S1" if i % 2 else "",
        }
        for i in range(7)
    ]
    return tables.from_records("annotation_versions", rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_annotation_history_round_trips(suffix: str, tmp_path: Path) -> None:
    frame = annotation_history()
    out = tmp_path / f"annotation_versions{suffix}"
    export_table("annotation_versions", frame, out)
    back = read_table("annotation_versions", out)
    pd.testing.assert_frame_equal(back, frame)
    assert str(back["version"].dtype) == "Int64"
