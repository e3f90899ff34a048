"""Where things live on the user's machine (Qt-free, so the CLI uses the same places).

- The packaged seed project is read-only: it is never opened for editing. A user's first run
  works on a copy in the user's data folder (:func:`user_seed_copy`).
- ``WORKSTATION_DATA_DIR`` overrides the data folder (tests, portable installs).
"""

from __future__ import annotations

import json
import os
import shutil
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "Workstation"
SEED_FILE_NAME = "seed.wsproj"
USER_SEED_NAME = "North Korea missile launches, January 2022.wsproj"


def data_dir() -> Path:
    override = os.environ.get("WORKSTATION_DATA_DIR")
    folder = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def packaged_seed() -> Path:
    """The seed project shipped with the program (inside a wheel, or ``data/`` in a checkout)."""
    packaged = resources.files("workstation") / "_data" / SEED_FILE_NAME
    if packaged.is_file():
        return Path(str(packaged))
    return repository_root() / "data" / SEED_FILE_NAME


def is_packaged_seed(path: Path) -> bool:
    """Whether ``path`` is the shipped seed file, which must never be written."""
    try:
        return path.resolve() == packaged_seed().resolve()
    except OSError:
        return False


def repository_root() -> Path:
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    packaged = resources.files("workstation") / "_resources"
    if packaged.is_dir():
        return Path(str(packaged))
    return repository_root() / "resources"


def user_seed_copy() -> Path:
    """The user's own copy of the seed project, made on first use."""
    copy = data_dir() / USER_SEED_NAME
    if not copy.exists():
        temp = copy.with_suffix(".copying")
        shutil.copyfile(packaged_seed(), temp)
        os.replace(temp, copy)
    return copy


def _state_file() -> Path:
    return data_dir() / "state.json"


def last_project() -> Path | None:
    try:
        state = json.loads(_state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = state.get("last_project") if isinstance(state, dict) else None
    if isinstance(value, str) and Path(value).is_file():
        return Path(value)
    return None


def remember_project(path: Path) -> None:
    state_file = _state_file()
    temp = state_file.with_suffix(".tmp")
    temp.write_text(json.dumps({"last_project": str(path.absolute())}), encoding="utf-8")
    os.replace(temp, state_file)


def startup_project(requested: Path | None) -> Path:
    """The project to open: the one asked for, else the last one, else the seed copy."""
    if requested is not None:
        # The shipped seed is read-only: asking for it opens the user's own copy.
        return user_seed_copy() if is_packaged_seed(requested) else requested
    return last_project() or user_seed_copy()
