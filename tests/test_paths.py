"""First run works on a copy of the seed; the packaged seed is never edited in place."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.conftest import SEED
from workstation import paths, store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_run_copies_the_seed_into_the_user_folder(private_data_dir: Path) -> None:
    before = digest(SEED)
    chosen = paths.startup_project(None)
    assert chosen.parent == private_data_dir
    assert chosen != paths.packaged_seed()
    assert chosen.exists()
    document = store.load(chosen)
    document.set_meta("title", "Edited by the user")
    store.save(document)
    assert digest(SEED) == before, "the packaged seed must never be written"
    assert paths.startup_project(None) == chosen  # the copy is made once
    assert store.load(chosen).meta["title"] == "Edited by the user"


def test_last_project_wins_over_the_seed(tmp_path: Path, seed_copy: Path) -> None:
    paths.remember_project(seed_copy)
    assert paths.startup_project(None) == seed_copy.absolute()
    explicit = tmp_path / "other.wsproj"
    assert paths.startup_project(explicit) == explicit
    seed_copy.unlink()  # a vanished last project falls back to the seed copy
    assert paths.startup_project(None).name == paths.USER_SEED_NAME


def test_corrupt_state_file_is_ignored(private_data_dir: Path) -> None:
    (private_data_dir / "state.json").write_text("{not json")
    assert paths.last_project() is None


def test_packaged_seed_and_resources_exist() -> None:
    assert paths.packaged_seed().is_file()
    assert paths.resources_dir().is_dir()


def test_the_packaged_seed_cannot_be_saved_over() -> None:
    import pytest

    document = store.load(SEED)
    document.set_meta("title", "overwritten")
    before = digest(SEED)
    with pytest.raises(store.ProjectFileError, match="packaged seed"):
        store.save(document, SEED)
    assert digest(SEED) == before


def test_asking_for_the_packaged_seed_opens_the_users_copy(private_data_dir: Path) -> None:
    chosen = paths.startup_project(SEED)
    assert chosen.parent == private_data_dir
    assert not paths.is_packaged_seed(chosen)
