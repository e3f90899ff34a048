"""Atomic saves: a crash or ``kill -9`` at any instant during a save leaves a file that opens
and holds exactly the previous save or exactly the new one.

The proof kills a saving subprocess (``tests/_save_worker.py``) at many random instants
within one save, for both ways of saving (one SQLite transaction; temporary file and
``os.replace``), then opens what is left. Failed saves without a kill (disk full, a read-only
or vanished folder) must leave the file untouched and the document still modified.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests._save_worker import (
    EDITED_TITLE,
    State,
    apply_edit,
    big_document,
    differences,
    folder_snapshot,
    same_state,
    state,
)
from tests.conftest import REPO, SEED
from workstation import store
from workstation.model import tables
from workstation.model.annotations import Annotation, Target
from workstation.model.document import Document
from workstation.store import ProjectFileError, project_file

WORKER = Path(__file__).resolve().parent / "_save_worker.py"
BASE_EVENTS = 20_000  # enough rows that one save takes tens of milliseconds
KILLS_PER_MODE = 25
PARALLEL = max(2, min(4, os.cpu_count() or 2))  # workers killed at once: start-up dominates
MODES = ("incremental", "whole")
#: The exit status of a worker stopped by ``Popen.kill()``.
KILLED = -signal.SIGKILL if hasattr(signal, "SIGKILL") else 1


def run_worker(mode: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), mode, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def wait_until_ready(worker: subprocess.Popen[str]) -> None:
    assert worker.stdout is not None
    line = worker.stdout.readline()
    if line.strip() != "ready":
        worker.kill()
        _, err = worker.communicate(timeout=60)
        pytest.fail(f"the save worker did not get ready: {line!r} {err[-2000:]}")


def temp_files(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f".{name}.*.saving"))


def size(path: Path) -> int:
    """The file's size; 0 if it has gone (a temporary file renamed meanwhile)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def hot_journal(path: Path) -> bool:
    journal = Path(f"{path}-journal")
    return journal.is_file() and journal.stat().st_size > 0


def one_line(error: ProjectFileError, path: Path) -> str:
    message = str(error)
    assert "\n" not in message, message
    assert path.name in message, message
    return message


# -- the baseline project and the two states a save goes between ---------------------------
@dataclass(frozen=True)
class Expected:
    old: State
    new: State
    seconds: dict[str, float]  # one save's duration per mode, as timed by the worker


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed plus 20,000 synthetic events, saved once: the "previous save" of every run."""
    path = tmp_path_factory.mktemp("baseline") / "big.wsproj"
    store.save(big_document(SEED, BASE_EVENTS), path)
    return path


def save_to_completion(mode: str, baseline: Path, folder: Path) -> tuple[State, float]:
    """Run one save of ``mode`` to its end: the state it writes and how long it took."""
    folder.mkdir()
    path = folder / baseline.name
    shutil.copyfile(baseline, path)
    inode = path.stat().st_ino
    result = subprocess.run(
        [sys.executable, str(WORKER), mode, str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [p.name for p in folder.iterdir()] == [path.name], "a save left files behind"
    # The worker takes the path it is meant to: rows rewritten in place, or a new file
    # renamed over the old one.
    assert (path.stat().st_ino == inode) == (mode == "incremental")
    written = state(store.load(path))
    shutil.rmtree(folder)
    return written, float(result.stdout.split("saved ")[1])


@pytest.fixture(scope="module")
def expected(baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> Expected:
    """Run each mode's save to completion a few times, PARALLEL at once as the kill runs do:
    the new state, and how long a save takes under that load."""
    old = state(store.load(baseline))
    new: dict[str, State] = {}
    seconds: dict[str, float] = {}
    root = tmp_path_factory.mktemp("calibrate")
    for mode in MODES:
        with ThreadPoolExecutor(PARALLEL) as pool:
            results = list(
                pool.map(
                    lambda n, mode=mode: save_to_completion(mode, baseline, root / f"{mode}-{n}"),
                    range(PARALLEL),
                )
            )
        for written, _ in results:
            assert same_state(written, results[0][0]), differences(written, results[0][0])
        new[mode] = results[0][0]
        seconds[mode] = statistics.median(duration for _, duration in results)
    assert not same_state(old, new["incremental"]), "the edit changed nothing"
    assert new["incremental"][1] == EDITED_TITLE
    assert same_state(new["incremental"], new["whole"]), differences(
        new["incremental"], new["whole"]
    )
    return Expected(old, new["incremental"], seconds)


# -- kill -9 at random instants ----------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    folder: Path
    path: Path
    delay: float
    finished: bool  # the worker reported its save complete before the kill
    journal: bool  # a non-empty rollback journal was left beside the file
    temps: tuple[str, ...]  # temporary files of a whole-file save left in the folder


def kill_during_save(mode: str, baseline: Path, folder: Path, delay: float) -> Run:
    folder.mkdir()
    path = folder / baseline.name
    shutil.copyfile(baseline, path)
    worker = run_worker(mode, path)
    try:
        wait_until_ready(worker)
        time.sleep(delay)
        worker.kill()  # kill -9 (TerminateProcess on Windows); a no-op once it has exited
    finally:
        if worker.poll() is None:
            worker.kill()
        out, err = worker.communicate(timeout=60)
    assert worker.returncode in (0, KILLED), err[-2000:]
    return Run(
        folder,
        path,
        delay,
        finished="saved" in out,
        journal=hot_journal(path),
        temps=tuple(p.name for p in temp_files(folder, path.name)),
    )


def outcome(run: Run, expected: Expected) -> str:
    """Open what the kill left; it must be exactly the old or exactly the new save."""
    before = folder_snapshot(run.folder)
    try:
        document = store.load(run.path)
    except ProjectFileError as error:
        pytest.fail(f"killed after {run.delay * 1000:.1f} ms, the file does not open: {error}")
    assert folder_snapshot(run.folder) == before, "opening modified the file or its folder"
    found = state(document)
    if same_state(found, expected.old):
        result = "old"
    elif same_state(found, expected.new):
        result = "new"
    else:
        pytest.fail(
            f"killed after {run.delay * 1000:.1f} ms, the file holds a mix: it differs from "
            f"the old save in {differences(found, expected.old)} and from the new one in "
            f"{differences(found, expected.new)}"
        )
    if run.finished:
        assert result == "new", "a save that returned was lost"
    if run.journal or run.temps:  # killed mid-save: nothing was committed yet
        assert result == "old", f"a mid-save leftover but the new state: {run}"
    return result


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_kill_9_at_random_instants_leaves_old_or_new(
    mode: str, baseline: Path, expected: Expected, tmp_path: Path
) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    window = expected.seconds[mode] * 1.6  # past the end too, to also see completed saves
    delays = [rng.uniform(0, window) for _ in range(KILLS_PER_MODE)]
    outcomes: list[str] = []
    mid_save = 0
    with ThreadPoolExecutor(PARALLEL) as pool:
        futures = [
            pool.submit(kill_during_save, mode, baseline, tmp_path / f"run-{n:02d}", delay)
            for n, delay in enumerate(delays)
        ]
        for future in as_completed(futures):
            run = future.result()
            outcomes.append(outcome(run, expected))
            mid_save += run.journal or bool(run.temps)
            shutil.rmtree(run.folder)

    summary = (
        f"{mode}: {outcomes.count('old')} old, {outcomes.count('new')} new, {mid_save} killed "
        f"with a journal or temporary file left; one save takes "
        f"{expected.seconds[mode] * 1000:.0f} ms; random seed {seed}"
    )
    print(summary)
    # Not vacuous: kills landed before, inside and after the save's commit point.
    assert outcomes.count("old") >= 1, summary
    assert outcomes.count("new") >= 1, summary
    assert mid_save >= 1, summary


@pytest.mark.slow
def test_leftover_temp_file_of_a_killed_whole_save(
    baseline: Path, expected: Expected, tmp_path: Path
) -> None:
    """Kill a whole-file save while its temporary file is being written: the temporary file
    stays behind, must not disturb opening, and later saves (both kinds) still work."""
    path = tmp_path / baseline.name
    for _attempt in range(5):
        shutil.copyfile(baseline, path)
        for leftover in temp_files(tmp_path, path.name):
            leftover.unlink()
        worker = run_worker("whole", path)
        try:
            wait_until_ready(worker)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and worker.poll() is None:
                if any(size(p) > 0 for p in temp_files(tmp_path, path.name)):
                    break
                time.sleep(0.0005)
            worker.kill()
        finally:
            if worker.poll() is None:
                worker.kill()
            worker.communicate(timeout=60)
        if temp_files(tmp_path, path.name):
            break
    else:
        pytest.fail("five saves finished before they could be killed mid-write")

    before = folder_snapshot(tmp_path)
    document = store.load(path)
    assert same_state(state(document), expected.old)
    assert folder_snapshot(tmp_path) == before

    apply_edit(document)
    document.mark_all_pending()
    store.save(document)  # whole-file, beside the leftover
    assert same_state(state(store.load(path)), expected.new)

    document.set_meta("title", "saved again, incrementally")
    inode = path.stat().st_ino
    store.save(document)
    assert path.stat().st_ino == inode
    assert store.load(path).meta["title"] == "saved again, incrementally"


# -- failed saves without a kill -----------------------------------------------------------
def edited(path: Path) -> Document:
    """The project at ``path`` with one new annotation, not saved."""
    document = store.load(path)
    moment = document.annotation(document.table("annotations")["id"].iloc[0]).created_utc
    note = Annotation("unsaved-note", (Target.parse("project"),), "Not saved yet.", moment, moment)
    document.upsert("annotations", tables.from_records("annotations", [note.to_row()]))
    assert document.is_modified
    return document


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def half_written_then_disk_full(real: Callable[[Document, Path], None]) -> object:
    def write_new_file(document: Document, path: Path) -> None:
        real(document, path)
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 2)
        disk_full()

    return write_new_file


def assert_saves_after_all(document: Document, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the cause is gone, the same document saves, and the edit is in the file."""
    monkeypatch.undo()
    store.save(document, path)
    assert not document.is_modified
    assert store.load(path).has("annotations", "unsaved-note")


@pytest.mark.parametrize("where", ["write_new_file", "_fsync", "os.replace"])
def test_disk_full_during_a_whole_file_save(
    where: str, seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = edited(seed_copy)
    document.mark_all_pending()  # the whole-file path
    original = sha256(seed_copy)
    if where == "write_new_file":
        failing = half_written_then_disk_full(project_file.write_new_file)
        monkeypatch.setattr(project_file, "write_new_file", failing)
    elif where == "_fsync":
        monkeypatch.setattr(project_file, "_fsync", disk_full)
    else:
        monkeypatch.setattr(project_file.os, "replace", disk_full)

    with pytest.raises(ProjectFileError) as caught:
        store.save(document)

    assert "disk is full" in one_line(caught.value, seed_copy)
    assert sha256(seed_copy) == original
    assert document.is_modified
    assert document.pending["annotations"].replaced
    assert [p.name for p in seed_copy.parent.iterdir()] == [seed_copy.name], "temp file left"
    assert_saves_after_all(document, seed_copy, monkeypatch)


def test_disk_full_during_a_save_as_leaves_no_file(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = edited(seed_copy)
    target = seed_copy.with_name("copy.wsproj")
    failing = half_written_then_disk_full(project_file.write_new_file)
    monkeypatch.setattr(project_file, "write_new_file", failing)

    with pytest.raises(ProjectFileError) as caught:
        store.save(document, target)

    assert "disk is full" in one_line(caught.value, target)
    assert not target.exists()
    assert [p.name for p in seed_copy.parent.iterdir()] == [seed_copy.name]
    assert document.path == seed_copy
    assert document.is_modified
    assert_saves_after_all(document, target, monkeypatch)


def test_disk_full_during_an_incremental_save(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The failure comes inside the transaction (after its DELETE): it is rolled back."""
    document = edited(seed_copy)
    document.delete("events", [document.events["id"].iloc[0]])
    original = sha256(seed_copy)
    inode = seed_copy.stat().st_ino
    monkeypatch.setattr(project_file, "to_arrow", disk_full)

    with pytest.raises(ProjectFileError) as caught:
        store.save(document)

    assert "disk is full" in one_line(caught.value, seed_copy)
    assert sha256(seed_copy) == original
    assert seed_copy.stat().st_ino == inode
    assert [p.name for p in seed_copy.parent.iterdir()] == [seed_copy.name], "journal left"
    assert document.is_modified
    assert "unsaved-note" in document.pending["annotations"].changed
    assert_saves_after_all(document, seed_copy, monkeypatch)


def without_root_powers(scratch: Path) -> list[str]:
    """A command prefix under which folder permissions hold. Root ignores them, so as root
    the save runs without CAP_DAC_OVERRIDE (``setpriv``); skip if that cannot be done."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if setpriv else []
    locked = scratch / "probe"
    locked.mkdir(mode=0o500)
    try:
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", f"open({str(locked / 'x')!r}, 'w')"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    finally:
        locked.chmod(0o700)
        shutil.rmtree(locked)
    if not prefix or probe.returncode == 0:
        pytest.skip("running as root, which ignores folder permissions, and cannot drop that")
    return prefix


@pytest.mark.parametrize("mode", ["incremental", "whole"])
def test_save_into_a_read_only_folder(mode: str, tmp_path: Path) -> None:
    prefix = without_root_powers(tmp_path)
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "project.wsproj"
    shutil.copyfile(SEED, path)
    original = sha256(path)
    folder.chmod(0o500)
    try:
        result = subprocess.run(
            [*prefix, sys.executable, str(WORKER), f"try-{mode}", str(path)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
            check=False,
        )
    finally:
        folder.chmod(0o700)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["error"] is not None, "the save into a read-only folder succeeded"
    assert "\n" not in report["error"]
    assert path.name in report["error"]
    assert report["modified"]
    assert sha256(path) == original
    assert [p.name for p in folder.iterdir()] == [path.name]


def test_permission_denied_is_one_line(seed_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder gives when not running as root (where the test above skips)."""

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(seed_copy.parent))

    document = edited(seed_copy)
    document.mark_all_pending()
    original = sha256(seed_copy)
    monkeypatch.setattr(project_file.tempfile, "mkstemp", denied)

    with pytest.raises(ProjectFileError) as caught:
        store.save(document)

    assert "permission denied" in one_line(caught.value, seed_copy)
    assert sha256(seed_copy) == original
    assert document.is_modified


@pytest.mark.parametrize("how", ["save", "save-as"])
def test_save_into_a_folder_that_no_longer_exists(how: str, tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    path = folder / "project.wsproj"
    shutil.copyfile(SEED, path)
    document = edited(path)
    shutil.rmtree(folder)
    target = path if how == "save" else tmp_path / "also-gone" / "copy.wsproj"

    with pytest.raises(ProjectFileError) as caught:
        store.save(document, target)

    assert "folder" in one_line(caught.value, target)
    assert not folder.exists()
    assert not target.parent.exists()
    assert document.is_modified
    assert document.path == path
