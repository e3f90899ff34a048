"""The headless verbs: clear messages, non-zero exits, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, SEED
from workstation import store
from workstation.cli import main
from workstation.io.tables import read_table
from workstation.model import tables
from workstation.store.schema import SCHEMA_VERSION


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workstation", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_new_then_info_json_shows_the_seed(tmp_path: Path) -> None:
    project = tmp_path / "p.wsproj"
    created = run("new", str(project))
    assert created.returncode == 0, created.stderr
    result = run("info", str(project), "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["schema_version"] == SCHEMA_VERSION
    assert info["rows"]["events"] == 26
    assert info["rows"]["annotations"] >= 10
    assert info["date_range"]["start_utc"].startswith("2017-11-28")
    assert info["categories"]["missile test"] == 12


def test_info_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert f"schema version: {SCHEMA_VERSION}" in out
    assert "events: 26" in out
    assert "missile test (12)" in out


def test_new_empty(tmp_path: Path) -> None:
    project = tmp_path / "empty.wsproj"
    assert main(["new", str(project), "--empty"]) == 0
    assert len(store.load(project)) == 0


def test_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SEED)]) == 0
    bad = tmp_path / "bad.wsproj"
    bad.write_text("not a database")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "bad.wsproj" in err
    assert "not a SQLite" in err


def test_an_older_file_reports_its_own_version_and_exports_current_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    v1 = FIXTURES / "v1-minimal.wsproj"
    assert main(["validate", str(v1)]) == 0
    assert "valid (schema 1," in capsys.readouterr().out
    assert main(["info", str(v1)]) == 0
    assert "schema version: 1" in capsys.readouterr().out
    out = tmp_path / "systems.csv"
    assert main(["export-table", str(v1), "--table", "systems", "--out", str(out)]) == 0
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == tables.column_names("systems")
    assert read_table("systems", out)["launch_platform"].tolist() == [""]


def test_export_systems_has_the_launch_platform(tmp_path: Path) -> None:
    out = tmp_path / "systems.csv"
    assert main(["export-table", str(SEED), "--table", "systems", "--out", str(out)]) == 0
    systems = read_table("systems", out).set_index("id")
    assert systems.loc["KN-23", "launch_platform"].startswith("railway launcher")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["info"], "the following arguments are required"),
        (["info", "/nonexistent/x.wsproj"], "no such file"),
        (["validate", "/nonexistent/x.wsproj"], "no such file"),
        (["new", str(SEED)], "already exists"),
        (["new", "/nonexistent-folder/x.wsproj"], "does not exist"),
        (["export-table", str(SEED), "--table", "missiles", "--out", "x.csv"], "invalid choice"),
        (["export-table", str(SEED), "--table", "events", "--out", "x.txt"], "unknown file type"),
        (["export-table", str(SEED), "--table", "events"], "required: --out"),
        (
            [
                "export-table",
                "/nonexistent/x.wsproj",
                "--table",
                "events",
                "--out",
                "/tmp/never.csv",
            ],
            "no such file",
        ),
        (["info", str(SEED), "--colour"], "unrecognized arguments"),
    ],
)
def test_bad_arguments_give_one_clear_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own errors exit directly
        code = exc.code  # type: ignore[assignment]
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_errors_in_a_subprocess_never_show_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "junk.wsproj").write_bytes(b"\x00" * 5000)
    for args in (
        ["info", str(tmp_path / "junk.wsproj")],
        ["validate", str(tmp_path)],
        ["export-table", str(SEED), "--table", "events", "--out", str(tmp_path / "no" / "x.csv")],
    ):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_export_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert main(["export-table", str(SEED), "--table", "events", "--out", str(out)]) == 0
    assert main(["export-table", str(SEED), "--table", "events", "--out", str(out)]) == 2
    assert main(["export-table", str(SEED), "--table", "events", "--out", str(out), "--force"]) == 0


def test_gui_help_mentions_the_verbs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "Headless verbs" in out
    assert all(f"  {verb}\n" in out for verb in ("info", "validate", "new", "export-table"))


def test_a_mistyped_verb_is_an_error_not_a_window(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "frobnicate: no such file" in err
    assert "export-table" in err
