"""``workstation import``: the report, exit codes, dry runs, presets and mappings (groundwork
of the import's headless verb)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SHARED
from tests.test_import_cns import write_fixture
from workstation import store
from workstation.cli import main
from workstation.model import tables


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_dry_run_reports_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path
) -> None:
    fixture = write_fixture(tmp_path / "cns.csv")
    before = seed_copy.read_bytes()
    code, out, _ = run(capsys, seed_copy, fixture, "--dry-run")
    assert code == 3  # a row would be skipped (it has no date)
    assert "row 6: skipped: no date" in out
    assert "row 4: skipped: duplicate of A13" in out  # the 16 January salvo, already there
    assert "330 lm" in out  # and its flag is still reported
    assert "Launch Time (UTC) read as UTC" in out
    assert "dry run: the project was not changed" in out
    assert seed_copy.read_bytes() == before


def test_an_import_writes_the_project(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path
) -> None:
    fixture = write_fixture(tmp_path / "cns.csv")
    before = len(store.load(seed_copy))
    code, out, _ = run(capsys, seed_copy, fixture, "--on-duplicate", "keep")
    assert code == 0
    assert f"wrote {seed_copy}" in out
    after = store.load(seed_copy)
    assert len(after) == before + 4  # four events: the salvo of two is one
    assert after.event("CNS-4").missile_count == 2
    claims = after.table("measurements")
    assert set(claims[claims["subject_id"] == "CNS-1"]["qualifier"]) == {"between"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--map", "date"], "write FIELD=COLUMN"),
        (["--map", "when=Date"], "unknown field 'when'"),
        (["--map", "date=Nope"], "no column 'Nope'"),
        (["--preset", "cns", "--timezone", "Asia/Seoul"], "reads its times as UTC"),
        (["--preset", "cns", "--map", "date=Date"], "maps its own columns"),
        (["--encoding", "utf-8"], "not utf-8"),
        (["--encoding", "klingon"], "not an encoding"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path,
    extra: list[str], message: str,
) -> None:  # fmt: skip
    fixture = write_fixture(tmp_path / "cns.csv")
    before = seed_copy.read_bytes()
    code, _, err = run(capsys, seed_copy, fixture, *extra)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert seed_copy.read_bytes() == before


def test_an_unreadable_file_is_exit_2(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "nothing.csv"
    code, _, err = run(capsys, seed_copy, missing)
    assert code == 2
    assert "nothing.csv" in err
    picture = tmp_path / "x.png"
    picture.write_bytes(b"\x89PNG")
    assert run(capsys, seed_copy, picture)[0] == 2


def test_a_mapped_file_with_its_zone(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path
) -> None:
    path = tmp_path / "colleague.csv"
    path.write_text(
        "When,Clock,What,Where,Weapon,Reach\n"
        '2023-03-16,07:10,ICBM launch,Sunan,Hwasong-17,"about 1,000 km"\n'
        "Mar-23,,Month-only report,,KN-23,Unknown\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, seed_copy, path, "--timezone", "Asia/Seoul",
        "--map", "date=When", "--map", "time=Clock", "--map", "title=What",
        "--map", "place=Where", "--map", "systems=Weapon", "--map", "range=Reach",
    )  # fmt: skip
    assert code == 0, out
    assert "Clock read as Asia/Seoul" in out
    document = store.load(seed_copy)
    first = document.event("colleague-1")
    assert first.start_utc.hour == 22  # 07:10 in Seoul is 22:10 UTC the day before
    assert document.event("colleague-2").precision == "month"
    claims = document.table("measurements")
    reach = claims[claims["subject_id"] == "colleague-1"].iloc[0]
    assert (reach["qualifier"], reach["value"]) == ("approximate", 1000.0)
    assert not (claims["subject_id"] == "colleague-2").any()  # Unknown: no claim, never 0


def round_trip_events(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path, suffix: str
) -> tuple[Path, Path]:
    """The seed's events exported with ``suffix`` and imported into an empty project, which
    then holds the same events, cell for cell. Returns (exported file, project)."""
    exported = tmp_path / f"events{suffix}"
    assert main(["export-table", str(seed_copy), "--table", "events", "--out", str(exported)]) == 0
    empty = tmp_path / "empty.wsproj"
    assert main(["new", str(empty), "--empty"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, empty, exported)
    assert code == 0, out
    original = store.load(seed_copy).events.sort_values("id").reset_index(drop=True)
    imported = store.load(empty).events.sort_values("id").reset_index(drop=True)
    for column in tables.column_names("events"):
        assert original[column].astype(str).tolist() == imported[column].astype(str).tolist(), (
            column
        )
    return exported, empty


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_a_canonical_round_trip_is_lossless_in_every_format(
    suffix: str, capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path
) -> None:
    """export-table writes .xlsx and .json too (lists as JSON arrays there); importing them
    gives the seed's events back, list cells included."""
    round_trip_events(capsys, seed_copy, tmp_path, suffix)


def test_a_canonical_round_trip_is_lossless(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path
) -> None:
    exported, empty = round_trip_events(capsys, seed_copy, tmp_path, ".csv")
    # Imported again into the same project: every event is a duplicate, skipped.
    code, out, _ = run(capsys, empty, exported, "--dry-run")
    assert code == 3
    # And the claims table after it: the seed's claims, losslessly.
    claims_file = tmp_path / "measurements.csv"
    assert (
        main(["export-table", str(seed_copy), "--table", "measurements", "--out", str(claims_file)])
        == 0
    )
    capsys.readouterr()
    code, out, _ = run(capsys, empty, claims_file)
    assert code == 0, out
    original_claims = store.load(seed_copy).table("measurements").sort_values("id")
    imported_claims = store.load(empty).table("measurements").sort_values("id")
    for column in tables.column_names("measurements"):
        assert (
            original_claims[column].astype(str).tolist()
            == imported_claims[column].astype(str).tolist()
        ), column
    # Claims about events a project does not have are left out, and said so.
    other = tmp_path / "other.wsproj"
    assert main(["new", str(other), "--empty"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, other, claims_file, "--dry-run")
    assert "is not in the project" in out


NAGIX = SHARED / "external" / "nagix_test.en.json"


@pytest.mark.skipif(not NAGIX.exists(), reason="../shared/external/ is not here")
def test_the_real_nagix_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    empty = tmp_path / "empty.wsproj"
    assert main(["new", str(empty), "--empty"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, empty, NAGIX)
    assert code == 0, out
    document = store.load(empty)
    events = document.events
    january = events[
        (events["start_utc"] >= datetime(2022, 1, 1, tzinfo=UTC))
        & (events["start_utc"] < datetime(2022, 2, 1, tzinfo=UTC))
    ].sort_values("start_utc")
    assert list(january["missile_count"]) == [1, 1, 2, 2, 2, 1]
    first = january.iloc[0]
    assert first["start_utc"] == datetime(2022, 1, 4, 23, 10, tzinfo=UTC)  # 5 January, Korea
    assert 40.0 < first["latitude"] < 41.0  # Mupyong-ni, from the facility table
    assert "Hwasong" in first["systems"]  # names from the missile table, not keys
    tenth = january.iloc[1]["start_utc"].to_pydatetime().astimezone(ZoneInfo("Asia/Seoul"))
    assert tenth.day == 11
    claims = document.table("measurements")
    assert (
        not (claims["value"] == 0).any()
        or (claims.loc[claims["value"] == 0, "note"].str.contains(": 0")).all()
    )


def test_canonical_rows_that_are_not_events_are_skipped_never_saved(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "events.csv"
    assert main(["export-table", str(seed_copy), "--table", "events", "--out", str(exported)]) == 0
    frame = pd.read_csv(exported, dtype=str, keep_default_na=False)
    frame = frame.head(3).copy()
    frame["id"] = ["N-1", "N-2", "N-3"]
    frame.loc[1, "timezone"] = "Mars/Olympus"
    frame.loc[2, "latitude"] = "999"
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    empty = tmp_path / "empty.wsproj"
    assert main(["new", str(empty), "--empty"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, empty, bad, "--preset", "canonical")
    assert code == 0, out
    assert "row 2: skipped" in out
    assert "row 3: skipped" in out
    assert main(["validate", str(empty)]) == 0  # the project still opens
    assert list(store.load(empty).events["id"]) == ["N-1"]


def test_repeated_ids_and_wrong_presets_are_one_line(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path
) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("id,date,title\nX1,2022-01-05,a\nX1,2022-01-06,b\n", encoding="utf-8")
    code, _, err = run(capsys, seed_copy, path, "--dry-run")
    assert code == 2
    assert "more than one event" in err
    code, _, err = run(capsys, seed_copy, path, "--preset", "canonical")
    assert code == 2
    assert "not a canonical events table" in err
    assert len(err.strip().splitlines()) == 1


def test_hostile_files_are_one_line_or_flagged(
    capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.csv"
    huge.write_text("id,date,missile_count,range\nA,2022-01-05,1e400,1e400 km\n", encoding="utf-8")
    code, out, _ = run(capsys, seed_copy, huge, "--dry-run")
    assert code == 0
    assert "missile_count: '1e400' is not a usable number" in out
    assert "not a usable number" in out.split("missile_count")[1]  # the range too, flagged
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, _, err = run(capsys, seed_copy, deep)
    assert (code, "nested too deeply" in err) == (2, True)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    code, _, err = run(capsys, seed_copy, broken)
    assert (code, "not a readable workbook" in err) == (2, True)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(
        'date,title,place\n2022-01-05,a,x,EXTRA\n2022-01-06,b\n"2022-01-07","c\nd",y\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, seed_copy, ragged, "--dry-run")
    assert code == 3  # a row would be skipped: the dry run says so
    assert "row 1: skipped: 4 fields where the header has 3: not read" in out
    assert "1 short rows filled with blanks (rows 2)" in out
    assert "2 imported" in out  # the short row and the quoted line break keep their numbers
    assert err == ""


def test_date_and_time_columns_read_in_their_own_zones(tmp_path: Path) -> None:
    from workstation.io.mapping import Mapping, read_mapped
    from workstation.io.readers import read_file

    path = tmp_path / "launches.csv"
    path.write_text(
        "Date (KST),Time (UTC),Missile\n5-Jan-22,11:10 PM,Hwasong-8\n", encoding="utf-8"
    )
    mapping = Mapping(
        {"date": "Date (KST)", "time": "Time (UTC)", "systems": "Missile"},
        zones={"Date (KST)": "Asia/Seoul", "Time (UTC)": "UTC"},
    )
    arriving = read_mapped(read_file(path), mapping, path.name)
    start = arriving.events["start_utc"].iloc[0]
    assert start.to_pydatetime().isoformat() == "2022-01-04T23:10:00+00:00"
    assert arriving.zones == {"Date (KST)": "Asia/Seoul", "Time (UTC)": "UTC"}


@pytest.mark.slow
def test_killing_an_import_leaves_the_project_as_it_was(seed_copy: Path, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from benchmarks.synthetic import synthetic_document
    from workstation.io.tables import export_table

    big = tmp_path / "events.csv"
    export_table("events", synthetic_document(30_000).events, big)
    before = seed_copy.read_bytes()
    worker = subprocess.Popen(
        [sys.executable, "-m", "workstation.cli", "import", str(seed_copy), str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)  # reading and checking 30,000 rows: today well before the save
    if worker.poll() is None:
        os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert [p.name for p in seed_copy.parent.iterdir() if p.name.startswith(".")] == []
    if worker.returncode == -signal.SIGKILL:
        assert seed_copy.read_bytes() == before  # nothing half-written
        assert len(store.load(seed_copy)) == 26
    else:  # a faster import finished first: then all of it is there, and the file opens
        assert worker.returncode == 0
        assert len(store.load(seed_copy)) == 26 + 30_000


@pytest.mark.parametrize("maps", [[], ["--map", "date=Date", "--map", "time=Launch Time (UTC)"]])
def test_a_column_named_utc_is_read_as_utc_however_it_was_mapped(
    maps: list[str], capsys: pytest.CaptureFixture[str], seed_copy: Path, tmp_path: Path
) -> None:
    path = tmp_path / "launches.csv"
    path.write_text("Date,Launch Time (UTC),Missile\n5-Jan-22,11:10 PM,KN-23\n", encoding="utf-8")
    code, out, _ = run(capsys, seed_copy, path, "--timezone", "Asia/Seoul", *maps)
    assert code == 0, out
    assert "Launch Time (UTC) read as UTC" in out
    assert "Date read as Asia/Seoul" in out
    events = store.load(seed_copy).events
    start = events[events["id"].str.startswith("launches-")]["start_utc"].iloc[0]
    assert start == pd.Timestamp("2022-01-04 23:10", tz="UTC")  # 5 January in Seoul
