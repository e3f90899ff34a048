"""The repository keeps its promises: layout, the two set-up commands, pins, CI and lint."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_top_level_layout() -> None:
    for name in (
        "pyproject.toml",
        "README.md",
        "workstation",
        "resources",
        "data",
        "tests",
        "Makefile",
        ".ci/run",
        "docs",
        "benchmarks",
    ):
        assert (REPO / name).exists(), name


def test_readme_names_exactly_two_setup_commands() -> None:
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^make \w+", setup, flags=re.MULTILINE)
    assert commands == ["make run", "make test"]
    assert "pip install ." in README
    assert "libxkbcommon-x11-0" in README
    assert "libxcb-cursor0" in README


def test_makefile_targets_create_the_venv_and_install() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("run:", "test:", "lint:", "bench:", "seed:", "screenshots:"):
        assert f"\n{target}" in makefile
    assert "-m venv" in makefile
    assert "pip install" in makefile
    assert "QT_QPA_PLATFORM=offscreen" in makefile.split("\ntest:", 1)[1].split("\n\n")[0]


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_entry_point_and_dependencies() -> None:
    project = PYPROJECT["project"]
    assert project["scripts"]["workstation"] == "workstation.cli:main"
    deps = " ".join(project["dependencies"])
    for name in ("PySide6-Essentials", "pyqtgraph", "pandas", "pyarrow", "adbc-driver-sqlite"):
        assert name in deps
    assert "PySide6-Essentials>=6.6,<6.12; python_version < '3.12'" in project["dependencies"]
    tests = " ".join(project["optional-dependencies"]["test"])
    for name in ("pytest", "pytest-qt", "hypothesis"):
        assert name in tests


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_lint_is_clean(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
