"""Project locks: a project open in another running Workstation is shown with its holder and
opened read-only or not at all; a lock left by a dead process is taken over after saying so;
a lock from another computer (a shared folder) stands."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from workstation import store
from workstation.model.commands import EditFields
from workstation.store.locks import (
    Holder,
    LockedError,
    acquire,
    holder_of,
    lock_path,
    read_holder,
)
from workstation.ui.main_window import MainWindow

HOLD = """
import sys, time
from pathlib import Path
from workstation.store.locks import acquire
acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(120)
"""


@pytest.fixture
def other_instance(
    request: pytest.FixtureRequest, seed_copy: Path
) -> Iterator[subprocess.Popen[str]]:
    """Another Workstation process holding ``seed_copy`` open (a window in the test lets
    go of it first)."""
    if "window" in request.fixturenames:
        request.getfixturevalue("window").files.release()
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(seed_copy)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line == "held", child.stderr.read() if child.stderr else ""
    yield child
    child.kill()
    child.wait()


def test_a_lock_names_its_holder_and_goes_on_release(seed_copy: Path) -> None:
    lock = acquire(seed_copy)
    holder = read_holder(lock_path(seed_copy))
    assert holder is not None
    assert (holder.host, holder.pid) == (socket.gethostname(), os.getpid())
    assert holder.since.endswith("Z")
    assert acquire(seed_copy).path == lock.path  # this process again: still ours
    assert holder_of(seed_copy) is None  # nobody else
    lock.release()
    assert not lock_path(seed_copy).exists()


def test_another_running_instance_holds_it(
    seed_copy: Path, other_instance: subprocess.Popen[str]
) -> None:
    with pytest.raises(LockedError) as caught:
        acquire(seed_copy)
    holder = caught.value.holder
    assert holder.pid == other_instance.pid
    assert holder.host == socket.gethostname()
    message = str(caught.value)
    assert "\n" not in message
    for part in (holder.user, holder.host, f"process {holder.pid}", "since", "UTC"):
        assert part in message
    assert holder_of(seed_copy) == holder


def test_a_dead_instances_lock_is_taken_over_after_saying_so(
    seed_copy: Path, other_instance: subprocess.Popen[str]
) -> None:
    other_instance.send_signal(signal.SIGKILL)
    other_instance.wait()
    lock = acquire(seed_copy)
    assert f"process {other_instance.pid}" in lock.note
    assert "no longer runs" in lock.note
    assert read_holder(lock.path) == lock.holder


def write_lock(project: Path, **fields: object) -> None:
    holder = {"user": "kim", "host": "analyst-pc-2", "pid": 1, "since": "2026-11-24T09:00:00Z"}
    lock_path(project).write_text(json.dumps({**holder, **fields}), encoding="utf-8")


def test_a_lock_from_another_computer_on_a_shared_folder_stands(seed_copy: Path) -> None:
    # Its process cannot be checked from here, even one that would be dead on this host.
    write_lock(seed_copy, pid=999_999_999)
    with pytest.raises(LockedError, match=r"kim on analyst-pc-2 \(process 999999999\) since"):
        acquire(seed_copy)


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe", b'{"user": 1}', b"[1,2]"])
def test_a_lock_file_that_is_not_ours_is_an_unknown_holder(content: bytes, seed_copy: Path) -> None:
    lock_path(seed_copy).write_bytes(content)
    with pytest.raises(LockedError, match="someone on an unknown computer"):
        acquire(seed_copy)


# -- the window ------------------------------------------------------------------------------
def edit(window: MainWindow) -> None:
    assert window.workspace is not None
    window.workspace.stack.push(
        EditFields(window.workspace.document, "events", "A05", {"title": "Mine"})
    )


def test_opening_a_held_project_offers_read_only_then_save_as(
    window: MainWindow, seed_copy: Path, tmp_path: Path, other_instance: subprocess.Popen[str]
) -> None:
    window.files.release()
    asked: list[Holder] = []
    window.files.ask_locked = lambda error: asked.append(error.holder) or True  # type: ignore[method-assign]
    assert window.files.open_path(seed_copy)
    assert [h.pid for h in asked] == [other_instance.pid]
    assert window.files.read_only
    assert "[read-only]" in window.windowTitle()
    before = seed_copy.read_bytes()
    edit(window)
    refused: list[str] = []
    window.files.ask_save_failed = lambda error: refused.append(str(error)) or True  # type: ignore[method-assign]
    copy = tmp_path / "my copy.wsproj"
    window.files.ask_save_path = lambda: copy  # type: ignore[method-assign]
    assert window.files.save()  # refused there, then saved as a copy
    assert len(refused) == 1
    assert "read-only" in refused[0]
    assert f"process {other_instance.pid}" in refused[0]
    assert seed_copy.read_bytes() == before
    assert store.load(copy).event("A05").title == "Mine"
    assert not window.files.read_only  # the copy is ours
    mine = read_holder(lock_path(copy))
    assert mine is not None
    assert mine.pid == os.getpid()
    assert not lock_path(seed_copy).with_name("x").exists()
    assert "[read-only]" not in window.windowTitle()


def test_cancel_keeps_the_project_that_was_open(
    window: MainWindow, tmp_path: Path, other_instance: subprocess.Popen[str], seed_copy: Path
) -> None:
    other = tmp_path / "other.wsproj"
    other.write_bytes(seed_copy.read_bytes())
    assert window.files.open_path(other)
    window.files.ask_locked = lambda error: False  # type: ignore[method-assign]
    assert not window.files.open_path(seed_copy)
    assert window.workspace is not None
    assert window.workspace.document.path == other
    assert not window.files.read_only


def test_a_stale_lock_is_taken_over_and_said(
    window: MainWindow, seed_copy: Path, other_instance: subprocess.Popen[str]
) -> None:
    window.files.release()
    other_instance.send_signal(signal.SIGKILL)
    other_instance.wait()
    window.files.ask_locked = lambda error: pytest.fail("a dead process holds nothing")  # type: ignore[method-assign]
    assert window.files.open_path(seed_copy)
    assert "Took over the lock" in window.error_box.text()
    assert f"process {other_instance.pid}" in window.error_box.text()
    window.error_box.close()
    assert not window.files.read_only


def test_the_lock_goes_with_the_window(window: MainWindow, seed_copy: Path) -> None:
    assert lock_path(seed_copy).exists()  # held while open
    window.close()
    assert not lock_path(seed_copy).exists()


def test_an_unwritable_folder_opens_without_a_lock(
    window: MainWindow, seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workstation.store import locks

    window.files.release()

    def refuse(_: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(locks, "acquire", refuse)
    assert window.files.open_path(seed_copy)
    assert not window.files.read_only
    assert "Not locked" in window.statusBar().currentMessage()


def test_the_command_line_import_does_not_write_a_project_open_elsewhere(
    seed_copy: Path, other_instance: subprocess.Popen[str], tmp_path: Path
) -> None:
    from workstation.io.run_import import ImportOptions, run

    csv = tmp_path / "events.csv"
    csv.write_text("date,title\n2022-01-05,A launch\n", encoding="utf-8")
    before = seed_copy.read_bytes()
    with pytest.raises(ValueError, match=f"open in Workstation .*process {other_instance.pid}"):
        run(ImportOptions(seed_copy, csv))
    assert seed_copy.read_bytes() == before
    code, _ = run(ImportOptions(seed_copy, csv, dry_run=True))  # looking is fine
    assert code == 0


def test_a_failed_revert_keeps_the_lock(window: MainWindow, seed_copy: Path) -> None:
    edit(window)
    good = seed_copy.read_bytes()
    seed_copy.write_bytes(b"damaged behind our back")
    window.files.ask_revert = lambda: True  # type: ignore[method-assign]
    assert not window.files.revert()  # the file cannot be read: the document stays
    window.error_box.close()
    assert lock_path(seed_copy).exists()  # and so does our lock on it
    seed_copy.write_bytes(good)


def test_a_fresh_lock_is_never_taken_for_the_stale_one(seed_copy: Path) -> None:
    """Two instances find the same stale lock; the faster takes over; the slower, about to
    remove what it thinks is the stale lock, finds the faster's fresh lock and leaves it."""
    from workstation.store.locks import _bury

    stale = Holder("kim", socket.gethostname(), 999_999_999, "2026-11-24T09:00:00Z")
    write_lock(seed_copy, host=socket.gethostname(), pid=os.getpid())  # the faster's lock
    fresh = read_holder(lock_path(seed_copy))
    with pytest.raises(LockedError):
        _bury(seed_copy, lock_path(seed_copy), stale)
    assert read_holder(lock_path(seed_copy)) == fresh
    assert [p.name for p in seed_copy.parent.iterdir() if p.name.endswith(".stale")] == []


def test_a_reused_process_id_does_not_keep_a_lock_alive() -> None:
    """The pid is alive, but it is another process than the one that took the lock."""
    from workstation.store.locks import is_stale, process_started

    me = Holder.me()
    assert me.started == process_started(os.getpid())
    assert not is_stale(me)
    if not me.started:
        pytest.skip("process start times are not known on this system")
    other = Holder(me.user, me.host, me.pid, me.since, me.app, started="1")
    assert is_stale(other)
