"""Failed saves and files changed behind the app's back: a read-only folder, a full disk, a
deleted or replaced file and a vanished folder all end the same way. One clear dialog, the
previous file intact, the edits kept in memory, and Save As offered (which then works)."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from workstation import store
from workstation.model.commands import EditFields
from workstation.store import FileChangedError, ProjectFileError, project_file
from workstation.ui.main_window import MainWindow


def edit(window: MainWindow) -> None:
    assert window.workspace is not None
    window.workspace.stack.push(
        EditFields(window.workspace.document, "events", "A05", {"title": "Edited"})
    )


def refuse_writes(code: int) -> Callable[[pytest.MonkeyPatch], None]:
    """Every way a save writes raises ``OSError(code)``, as the disk or folder would."""

    def install(monkeypatch: pytest.MonkeyPatch) -> None:
        def no_temp(*_: object, **__: object) -> tuple[int, str]:
            raise OSError(code, os.strerror(code))

        def no_connect(*_: object, **__: object) -> sqlite3.Connection:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(tempfile, "mkstemp", no_temp)  # whole-file saves
        monkeypatch.setattr(project_file.sqlite3, "connect", no_connect)  # incremental

    return install


def full_disk_mid_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills while the new file is half written."""

    def half(document: object, path: Path) -> None:
        path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(project_file, "write_new_file", half)
    monkeypatch.setattr(project_file, "_can_save_incrementally", lambda *_: False)


FAULTS = {
    "read-only-folder": (refuse_writes(errno.EACCES), "permission denied"),
    "read-only-disk": (refuse_writes(errno.EROFS), "read-only"),
    "full-disk": (refuse_writes(errno.ENOSPC), "the disk is full"),
    "full-disk-mid-write": (full_disk_mid_write, "the disk is full"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_failed_save_keeps_everything_and_offers_save_as(
    fault: str, window: MainWindow, seed_copy: Path, tmp_path: Path
) -> None:
    install, reason = FAULTS[fault]
    before = seed_copy.read_bytes()
    edit(window)
    failures: list[str] = []
    window.files.ask_save_failed = lambda error: failures.append(str(error)) or True  # type: ignore[method-assign]
    elsewhere = tmp_path / "elsewhere" / "rescued.wsproj"
    asked: list[Path] = []

    # A MonkeyPatch of its own: undoing the fault must not undo the test's private data folder.
    faults = pytest.MonkeyPatch()

    def save_path() -> Path:
        asked.append(elsewhere)
        faults.undo()  # the other place (another disk) works
        elsewhere.parent.mkdir()
        return elsewhere

    window.files.ask_save_path = save_path  # type: ignore[method-assign]
    install(faults)
    try:
        assert window.files.save()  # failed, then saved by Save As
    finally:
        faults.undo()
    assert len(failures) == 1, failures  # one dialog
    assert reason in failures[0]
    assert "\n" not in failures[0]
    assert asked == [elsewhere]  # Save As was offered and taken
    assert seed_copy.read_bytes() == before  # the previous file intact
    assert [p.name for p in seed_copy.parent.iterdir() if ".saving" in p.name] == []
    assert store.load(elsewhere).event("A05").title == "Edited"
    assert not window.isWindowModified()


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_failed_save_declined_keeps_the_edits_unsaved(
    fault: str, window: MainWindow, seed_copy: Path
) -> None:
    install, _ = FAULTS[fault]
    before = seed_copy.read_bytes()
    edit(window)
    window.files.ask_save_failed = lambda error: False  # type: ignore[method-assign]
    with pytest.MonkeyPatch.context() as faults:  # its own: the data folder stays private
        install(faults)
        assert not window.files.save()
        assert seed_copy.read_bytes() == before
        assert window.isWindowModified()
        assert window.workspace is not None
        assert window.workspace.document.event("A05").title == "Edited"
    assert window.files.save()  # the disk is back: the same edits save
    assert store.load(seed_copy).event("A05").title == "Edited"


def test_a_vanished_folder_is_said_plainly(
    window: MainWindow, seed_copy: Path, tmp_path: Path
) -> None:
    """A USB stick pulled out: the project's folder is gone."""
    edit(window)
    moved = tmp_path.parent / f"{tmp_path.name}-unplugged"
    shutil.move(tmp_path, moved)
    try:
        failures: list[str] = []
        window.files.ask_save_failed = lambda error: failures.append(str(error)) or False  # type: ignore[method-assign]
        assert not window.files.save()
        assert len(failures) == 1
        assert "folder is no longer there" in failures[0]
        assert window.isWindowModified()
    finally:
        shutil.move(moved, tmp_path)
    assert window.files.save()  # plugged back in


@pytest.mark.parametrize(
    ("change", "deleted"),
    [
        (lambda path, other: path.unlink(), True),
        (lambda path, other: os.replace(other, path), False),  # another copy put in its place
        (lambda path, other: path.write_bytes(path.read_bytes()), False),  # rewritten in place
    ],
    ids=["deleted", "replaced", "rewritten"],
)
@pytest.mark.parametrize("answer", ["replace", "save_as", "cancel"])
def test_a_file_changed_behind_our_back_is_the_users_choice(
    change: Callable[[Path, Path], None],
    deleted: bool,
    answer: str,
    window: MainWindow,
    seed_copy: Path,
    tmp_path: Path,
) -> None:
    other = tmp_path / "theirs.wsproj"
    shutil.copyfile(seed_copy, other)
    edit(window)
    change(seed_copy, other)
    theirs = seed_copy.read_bytes() if seed_copy.exists() else None
    asked: list[FileChangedError] = []
    window.files.ask_changed_on_disk = lambda error: asked.append(error) or answer  # type: ignore[method-assign]
    elsewhere = tmp_path / "mine.wsproj"
    window.files.ask_save_path = lambda: elsewhere  # type: ignore[method-assign]
    saved = window.files.save()
    assert len(asked) == 1
    assert asked[0].deleted is deleted
    assert ("deleted" in asked[0].problem) is deleted
    if answer == "replace":
        assert saved
        assert store.load(seed_copy).event("A05").title == "Edited"
    else:
        on_disk = seed_copy.read_bytes() if seed_copy.exists() else None
        assert on_disk == theirs  # their version untouched
        assert saved is (answer == "save_as")
        assert window.isWindowModified() is (answer == "cancel")
        if answer == "save_as":
            assert store.load(elsewhere).event("A05").title == "Edited"


# -- the store alone (Qt-free) -------------------------------------------------------------
def test_saving_twice_is_no_change_behind_our_back(seed_copy: Path) -> None:
    document = store.load(seed_copy)
    for title in ("one", "two", "three"):
        document.upsert("events", document.rows("events", ["A05"]).assign(title=title))
        store.save(document)  # our own save re-stamps the file
    document.mark_all_pending()
    store.save(document)  # a whole-file save too (a new inode)
    store.save(document)
    assert store.load(seed_copy).event("A05").title == "three"


def test_a_change_on_disk_is_refused_unless_replace_is_chosen(seed_copy: Path) -> None:
    document = store.load(seed_copy)
    theirs = store.load(seed_copy)
    theirs.upsert("events", theirs.rows("events", ["A06"]).assign(title="theirs"))
    store.save(theirs)
    document.upsert("events", document.rows("events", ["A05"]).assign(title="mine"))
    with pytest.raises(FileChangedError, match="changed on disk") as caught:
        store.save(document)
    assert isinstance(caught.value, ProjectFileError)
    assert store.load(seed_copy).event("A06").title == "theirs"
    store.save(document, replace_changed=True)
    assert store.load(seed_copy).event("A05").title == "mine"


def test_replacing_their_version_writes_ours_whole(seed_copy: Path) -> None:
    document = store.load(seed_copy)
    theirs = store.load(seed_copy)
    theirs.delete("events", ["A06"])
    theirs.upsert("events", theirs.rows("events", ["A07"]).assign(title="THEIRS"))
    store.save(theirs)
    document.upsert("events", document.rows("events", ["A05"]).assign(title="MINE"))
    store.save(document, replace_changed=True)
    on_disk = store.load(seed_copy)
    pd.testing.assert_frame_equal(
        on_disk.events.sort_values("id").reset_index(drop=True),
        document.events.sort_values("id").reset_index(drop=True),
    )  # ours, whole: not a mix of both


def test_a_failed_save_of_ours_is_not_taken_for_someone_elses_change(seed_copy: Path) -> None:
    document = store.load(seed_copy)
    document.upsert("events", document.rows("events", ["A05"]).assign(title="one"))
    real = project_file.replace_rows

    def fail_after_writing(*args: object) -> None:
        real(*args)  # type: ignore[arg-type]
        raise sqlite3.OperationalError("database or disk is full")

    with pytest.MonkeyPatch.context() as faults:  # its own: the data folder stays private
        faults.setattr(project_file, "replace_rows", fail_after_writing)
        with pytest.raises(ProjectFileError):
            store.save(document)  # rolled back
    store.save(document)  # no "changed on disk": the file is still the one we opened
    assert store.load(seed_copy).event("A05").title == "one"
