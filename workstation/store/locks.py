"""Project locks: one running Workstation edits a project at a time (Qt-free).

A lock is a small file beside the project, ``.NAME.wsproj.lock``, holding who opened it: the
user, the computer, the process and since when. Being a file in the project's own folder, it
is seen by every computer that opens the project from a shared folder. It is created with
``O_CREAT | O_EXCL``, which is atomic on local disks and on network shares alike, so two
instances can never both believe they hold it.

A lock whose process no longer runs on this computer is stale (a crash, ``kill -9``): it is
taken over, and the caller is told so. A lock from another computer cannot be checked from
here, so it stands until the user decides (read-only, or cancel).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from workstation import __version__

MAX_LOCK_BYTES = 4096  # a lock file is a few hundred bytes; anything larger is not ours


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a project open."""

    user: str
    host: str
    pid: int
    since: str  # ISO 8601, UTC
    app: str = ""
    started: str = ""  # when the process started, as the OS counts it: a reused pid differs

    def describe(self) -> str:
        since = self.since.replace("T", " ").removesuffix("Z")
        return f"{self.user} on {self.host} (process {self.pid}) since {since} UTC"

    @classmethod
    def me(cls) -> Holder:
        return cls(
            _user(),
            socket.gethostname() or "this computer",
            os.getpid(),
            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            f"workstation {__version__}",
            process_started(os.getpid()),
        )


class LockedError(Exception):
    """The project is open in another running Workstation. One line for the user."""

    def __init__(self, project: Path, holder: Holder) -> None:
        self.project, self.holder = project, holder
        self.lock_file = lock_path(project)
        super().__init__(f"{project.name} is open in another Workstation: {holder.describe()}")


@dataclass
class ProjectLock:
    """A held lock; :meth:`release` removes it (only if it is still ours)."""

    project: Path
    path: Path
    holder: Holder
    note: str = ""  # said when a stale lock was taken over

    def release(self) -> None:
        found = read_holder(self.path)
        if found is not None and (found.host, found.pid) == (self.holder.host, self.holder.pid):
            with contextlib.suppress(OSError):
                self.path.unlink()


def lock_path(project: Path) -> Path:
    return project.with_name(f".{project.name}.lock")


def acquire(project: Path) -> ProjectLock:
    """Hold ``project`` for this process. Raises :class:`LockedError` if a live instance
    holds it, and ``OSError`` if the lock cannot be written (a read-only folder: the caller
    may then go on without one)."""
    project = project.absolute()
    path = lock_path(project)
    me = Holder.me()
    note = ""
    for _ in range(3):  # a stale lock removed by someone else between our steps: try again
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = read_holder(path)
            if holder is None:
                raise LockedError(project, _unknown(path)) from None
            if (holder.host, holder.pid) == (me.host, me.pid):
                return ProjectLock(project, path, holder)  # this process already holds it
            if not is_stale(holder):
                raise LockedError(project, holder) from None
            _bury(project, path, holder)
            note = f"Took over the lock {holder.describe()} left: that process no longer runs"
            continue
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(asdict(me), handle)
            handle.flush()
            os.fsync(handle.fileno())
        return ProjectLock(project, path, me, note)
    raise LockedError(project, read_holder(path) or _unknown(path))


def _bury(project: Path, path: Path, stale: Holder) -> None:
    """Remove the stale lock ``stale``, and only it: two instances may find the same stale
    lock, and the slower must not remove the fresh lock the faster has made meanwhile. The
    lock is moved aside (one atomic rename: only one instance moves a given file), then
    read: if it is not the stale one, it goes back and the project is held."""
    tomb = path.with_name(f"{path.name}.{os.getpid()}.stale")
    try:
        os.rename(path, tomb)
    except FileNotFoundError:
        return  # another instance removed it first: try to take the lock again
    moved = read_holder(tomb)
    if moved != stale:
        with contextlib.suppress(OSError):
            os.link(tomb, path)  # back, unless yet another lock stands there now
        with contextlib.suppress(OSError):
            tomb.unlink()
        raise LockedError(project, moved or _unknown(path))
    with contextlib.suppress(OSError):
        tomb.unlink()


def process_started(pid: int) -> str:
    """When process ``pid`` started, in the kernel's clock ticks since boot (Linux); empty
    where this cannot be known. Together with the pid it names one process, even after the
    pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        return stat[stat.rindex(")") + 2 :].split()[19]
    except (OSError, ValueError, IndexError):
        return ""


def holder_of(project: Path) -> Holder | None:
    """Who else holds ``project`` (None: nobody, this process, or a stale lock)."""
    holder = read_holder(lock_path(project.absolute()))
    if holder is None or is_stale(holder):
        return None
    me = Holder.me()
    return None if (holder.host, holder.pid) == (me.host, me.pid) else holder


def read_holder(path: Path) -> Holder | None:
    """The holder a lock file names; None when there is no lock file. A lock file that
    cannot be read as ours names an unknown holder (it may be mid-write)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_LOCK_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError:
        return _unknown(path)
    try:
        found = json.loads(data.decode("utf-8"))
        return Holder(
            str(found["user"])[:100],
            str(found["host"])[:255],
            int(found["pid"]),
            str(found["since"])[:40],
            str(found.get("app", ""))[:100],
            str(found.get("started", ""))[:40],
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        return _unknown(path)


def is_stale(holder: Holder) -> bool:
    """A lock from this computer whose process is gone. Another computer's lock is never
    judged stale from here: its process cannot be seen."""
    if holder.host != socket.gethostname() or holder.pid <= 0:
        return False
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's live process
        pass
    # Alive, but perhaps another process that was given the same pid since.
    now = process_started(holder.pid)
    return bool(holder.started and now and now != holder.started)


def _unknown(path: Path) -> Holder:
    try:
        since = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OSError:
        since = "an unknown time"
    return Holder("someone", "an unknown computer", 0, since)


def _user() -> str:
    try:
        return getpass.getuser().strip() or "someone"
    except (OSError, KeyError, ImportError):
        return "someone"
