"""Reading the CNS North Korea Missile Test Database (groundwork of the import's CNS preset):
a fixture the project writes with the file's quirks, and the real file when it is here."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import SHARED
from workstation.io.cns import COLUMNS, read_cns
from workstation.io.importer import plan, report_lines
from workstation.io.readers import UnreadableFileError, read_file
from workstation.model import tables, validation
from workstation.model.document import Document

CNS = SHARED / "external" / "cns_north_korea_missile_test_database.csv"
KST = ZoneInfo("Asia/Seoul")


def row(**cells: str) -> list[str]:
    values = dict.fromkeys(COLUMNS, "")
    values.update({k.replace("_", " "): v for k, v in cells.items()})
    return [values[c] for c in COLUMNS]


def write_fixture(path: Path) -> Path:
    """The CNS layout and its quirks: Windows-1252, CRLF, a field with line breaks, a month-
    only date, Unknown time and apogee, a 'between' distance, the '330 lm' typo, a salvo of
    two, and a local date with a UTC time across midnight."""
    rows = [
        row(F1="1", Date="Sep-84", Missile_Name="Scud-B", Facility_Name="Tonghae",
            Apogee="Unknown", Distance_Travelled="between 25 and 90 km"),
        row(F1="161", Date="5-Jan-22", **{"Launch Time (UTC)": "11:10:00 PM"},
            Missile_Name="Hwasong-8 MARV", Facility_Name="Mupyong-ni Arms Plant",
            Apogee="30 km", Distance_Travelled="700 km",
            Additional_Information="KCNA said “hypersonic”.\nROK MND disagreed.",
            **{"Source(s)": "KCNA; Yonhap\nNK News"}),
        row(F1="3", Date="10-Jan-22", **{"Launch Time (UTC)": "10:27:00 PM"},
            Missile_Name="Hwasong-8 MARV", Facility_Name="Mupyong-ni Arms Plant",
            Apogee="60 km", Distance_Travelled="1,000 km"),
        row(F1="4", Date="16-Jan-22", **{"Launch Time (UTC)": "11:50:00 PM"},
            Missile_Name="Hwasong-11B (KN-24)", Facility_Name="Pyongyang International Airport",
            Apogee="42 km", Distance_Travelled="330 lm", Facility_Latitude="39.2",
            Facility_Longitude="125.67"),
        row(F1="5", Date="16-Jan-22", **{"Launch Time (UTC)": "11:54:00 PM"},
            Missile_Name="Hwasong-11B (KN-24)", Facility_Name="Pyongyang International Airport",
            Apogee="42 km", Distance_Travelled="330 lm"),
        row(F1="6", Date="", Missile_Name="Unknown missile"),
    ]  # fmt: skip

    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text

    lines = [",".join(cell(c) for c in COLUMNS)] + [",".join(cell(c) for c in r) for r in rows]
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    return path


def test_the_fixture_reads_with_every_quirk(tmp_path: Path) -> None:
    raw = read_file(write_fixture(tmp_path / "cns.csv"))
    assert raw.encoding == "cp1252"
    assert len(raw.frame) == 6
    assert (
        raw.frame.loc[1, "Additional Information"] == "KCNA said “hypersonic”.\nROK MND disagreed."
    )
    result = read_cns(raw)
    events = result.events.set_index("id")
    # A month-only date is a month, never the 1st as an exact day.
    assert events.loc["CNS-1", "precision"] == "month"
    assert events.loc["CNS-1", "start_utc"] == datetime(1984, 9, 1, tzinfo=UTC)
    # The salvo of two is one event with a missile count of 2.
    assert events.loc["CNS-4", "missile_count"] == 2
    assert "CNS-5" not in events.index
    # 10-Jan-22 at 22:27 UTC is the 11 January launch in Korean time.
    assert events.loc["CNS-3", "start_utc"].to_pydatetime().astimezone(KST).day == 11
    # The Korean date beside a UTC time across midnight (CNS row 161) is the day before in UTC,
    # and the report says so.
    assert events.loc["CNS-161", "start_utc"] == datetime(2022, 1, 4, 23, 10, tzinfo=UTC)
    claims = result.measurements
    assert not (claims["value"] == 0).any()  # Unknown never became 0
    between = claims[claims["subject_id"] == "CNS-1"].iloc[0]
    assert (between["qualifier"], between["lower"], between["upper"]) == ("between", 25, 90)
    assert set(claims["claimant"]) == {"CNS"}
    # The typo is flagged, kept as written, never guessed; the row without a date is skipped.
    report = {line.row: line for line in result.report}
    assert report[4].status == report[5].status == "flagged"
    assert "330 lm" in report[4].detail
    assert "330 lm" in events.loc["CNS-4", "summary"]
    assert report[6].status == "skipped"
    assert report[2].status == "flagged"
    assert "Korean date" in report[2].detail
    assert "KCNA; Yonhap; NK News" in events.loc["CNS-161", "summary"]  # ; or line breaks
    lines = report_lines(plan(Document(), result), result.zones)
    assert lines[0].startswith("4 events, ")
    assert "Launch Time (UTC) read as UTC" in lines[1]
    assert any(line.startswith("row 6: skipped") for line in lines)
    # The canonical tables, valid as a project holds them.
    assert validation.problems("events", tables.conform("events", result.events)) == []
    assert validation.problems("measurements", result.measurements) == []


def test_a_file_that_is_not_cns_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="not the CNS layout") as caught:
        read_cns(read_file(path))
    assert "\n" not in str(caught.value)


def test_an_encoding_chosen_that_does_not_fit_is_one_line(tmp_path: Path) -> None:
    path = write_fixture(tmp_path / "cns.csv")
    with pytest.raises(UnreadableFileError, match="not utf-8"):
        read_file(path, encoding="utf-8")
    assert read_file(path, encoding="cp1252").encoding == "cp1252"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("cp949", "cp949"), ("gb18030", "gb18030"), ("cp932", "cp932"), ("utf-16", "utf-16")],
)
def test_korean_chinese_and_japanese_encodings_are_detected(
    encoding: str, expected: str, tmp_path: Path
) -> None:
    """A Korean spreadsheet saved by Excel is CP949: detected, not read as Windows-1252."""
    text = {
        "cp949": "날짜,시설,미사일\n2022-01-05,무평리 일대,화성-8형\n2022-01-11,자강도,극초음속\n",
        "gb18030": "日期,地点,导弹\n2022-01-05,慈江道一带,火星-8型高超音速导弹\n",
        "cp932": "日付,場所,ミサイル\n2022-01-05,慈江道,極超音速ミサイル\n",
        "utf-16": "날짜,시설\n2022-01-05,무평리\n",
    }[encoding]
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(text.encode(encoding))
    raw = read_file(path)
    assert raw.encoding == expected
    assert raw.frame.iloc[0, 1] == text.splitlines()[1].split(",")[1]
    # JSON is detected the same way.
    lines = text.splitlines()
    record = dict(zip(lines[0].split(","), lines[1].split(","), strict=True))
    json_path = tmp_path / f"{encoding}.json"
    json_path.write_bytes(json.dumps([record] * 5, ensure_ascii=False).encode(encoding))
    assert read_file(json_path).frame.iloc[0, 1] == lines[1].split(",")[1]


@pytest.mark.skipif(not CNS.exists(), reason="../shared/external/ is not here")
def test_the_real_cns_file() -> None:
    result = read_cns(read_file(CNS))
    events = result.events
    january = events[
        (events["start_utc"] >= datetime(2022, 1, 1, tzinfo=UTC))
        & (events["start_utc"] < datetime(2022, 2, 1, tzinfo=UTC))
    ].sort_values("start_utc")
    # Nine rows, six events (the 25 January cruise missiles are outside CNS's scope).
    assert list(january["missile_count"]) == [1, 1, 2, 2, 2, 1]
    assert january["start_utc"].iloc[0] == datetime(2022, 1, 4, 23, 10, tzinfo=UTC)  # row 161
    eleventh = january[january["start_utc"].dt.strftime("%Y-%m-%d %H:%M") == "2022-01-10 22:27"]
    assert eleventh["start_utc"].iloc[0].to_pydatetime().astimezone(KST).day == 11
    assert not (result.measurements["value"] == 0).any() or all(
        note.split(": ", 1)[1].startswith("0")
        for note in result.measurements.loc[result.measurements["value"] == 0, "note"]
    )  # a 0 only where the file says 0 km, never from Unknown
    assert not [line for line in result.report if line.status == "skipped"]
    assert {line.row for line in result.report if line.status == "flagged"} == {161, 215, 216}


def test_a_cns_workbook_with_real_date_and_time_cells(tmp_path: Path) -> None:
    """Excel stores dates and times as numbers; read back they are ``2022-01-05 00:00:00``
    and ``23:10:00``, and must import like the text of the CSV."""
    from datetime import date, time

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for cells in (
        row(F1="3", Missile_Name="Hwasong-8 MARV", Facility_Name="Mupyong-ni Arms Plant"),
        row(F1="4", Missile_Name="KN-24", Facility_Name="Sunan"),
    ):
        sheet.append(cells)
    sheet["B2"], sheet["D2"] = date(2022, 1, 10), time(22, 27)
    sheet["B3"], sheet["D3"] = date(2022, 1, 16), time(23, 50)
    path = tmp_path / "cns.xlsx"
    book.save(path)
    result = read_cns(read_file(path))
    assert [line.status for line in result.report] == ["imported", "imported"]
    starts = result.events.set_index("id")["start_utc"]
    assert starts["CNS-3"] == datetime(2022, 1, 10, 22, 27, tzinfo=UTC)
    assert starts["CNS-4"] == datetime(2022, 1, 16, 23, 50, tzinfo=UTC)


@pytest.mark.parametrize(
    ("f1", "date_text", "clock", "expected"),
    [
        ("161", "5-Jan-22", "11:10:00 PM", datetime(2022, 1, 4, 23, 10, tzinfo=UTC)),  # erratum
        ("7", "5-Jan-22", "11:10:00 PM", datetime(2022, 1, 5, 23, 10, tzinfo=UTC)),  # another row
        ("161", "14-Jan-22", "5:41:00 AM", datetime(2022, 1, 14, 5, 41, tzinfo=UTC)),  # renumbered
    ],
)
def test_the_korean_date_erratum_is_only_the_row_that_has_it(
    f1: str, date_text: str, clock: str, expected: datetime, tmp_path: Path
) -> None:
    path = tmp_path / "one.csv"
    cells = row(F1=f1, Date=date_text, Missile_Name="KN-23", **{"Launch Time (UTC)": clock})
    path.write_text(",".join(COLUMNS) + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    result = read_cns(read_file(path))
    assert result.events.loc[0, "start_utc"] == expected


def test_korean_text_after_64_kb_of_ascii_is_still_detected(tmp_path: Path) -> None:
    lines = ["date,place,missile"] + [
        f"2022-01-{1 + n % 28:02d},Site {n},KN-23" for n in range(4000)
    ]
    lines.append("2022-01-05,무평리 일대,화성-8형")
    path = tmp_path / "late-korean.csv"
    path.write_bytes("\n".join(lines).encode("cp949"))
    assert path.stat().st_size > 65536
    raw = read_file(path)
    assert raw.encoding == "cp949"
    assert raw.frame.iloc[-1, 1] == "무평리 일대"


def test_a_cell_larger_than_a_read_block_reads(tmp_path: Path) -> None:
    path = tmp_path / "long-note.csv"
    note = "A long analyst note. " * 150_000  # ~3 MB in one cell
    path.write_text(f'date,summary\n2022-01-05,"{note}"\n2022-01-06,short\n', encoding="utf-8")
    raw = read_file(path)
    assert raw.frame.loc[0, "summary"] == note
    assert raw.frame.loc[1, "summary"] == "short"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_repeated_column_name_hides_no_column(suffix: str, tmp_path: Path) -> None:
    import warnings

    from openpyxl import Workbook

    path = tmp_path / f"twice{suffix}"
    if suffix == ".csv":
        path.write_text("Date,Source,Source\n2022-01-05,a,b\n", encoding="utf-8")
    else:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Date", "Source", "Source"])
        sheet.append(["2022-01-05", "a", "b"])
        book.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing printed to the analyst's terminal
        raw = read_file(path)
    assert raw.columns == ["Date", "Source", "Source (2)"]
    assert list(raw.frame.iloc[0]) == ["2022-01-05", "a", "b"]
