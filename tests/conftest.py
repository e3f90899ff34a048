"""Shared test set-up: offscreen Qt, a private user-data folder per test, seed helpers."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "seed.wsproj"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test gets its own user-data folder, so none touches the real one. Set through
    a MonkeyPatch of its own: a test's ``monkeypatch.undo()`` must not undo it."""
    folder = tmp_path_factory.mktemp("userdata")
    with pytest.MonkeyPatch.context() as private:
        private.setenv("WORKSTATION_DATA_DIR", str(folder))
        yield folder


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed project."""
    target = tmp_path / "seed.wsproj"
    shutil.copyfile(SEED, target)
    return target


@pytest.fixture
def seed_document(seed_copy: Path):  # type: ignore[no-untyped-def]
    from workstation import store

    return store.load(seed_copy)


@pytest.fixture
def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Settings in a private ini file (layout, recent files, preferences)."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, seed_copy: Path, settings):  # type: ignore[no-untyped-def]
    """The main window on a copy of the seed, shown; closing never waits on a question."""
    from workstation.app import create_main_window

    win = create_main_window(seed_copy, settings=settings)
    qtbot.addWidget(win)
    win.show()
    win.files.ask_unsaved = lambda: "discard"
    return win
