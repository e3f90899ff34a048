"""Autosave and crash recovery for the main window.

A timer (every minute by default; Edit > Preferences sets it, 0 turns it off) hands what
changed since the last autosave to a worker thread, which adds it to the project's recovery
file (``workstation.store.recovery``). The UI thread only swaps a few sets and references the
tables, so it never waits on the disk. Saving, or closing cleanly, removes the file.

At start-up, a recovery file left by a Workstation that did not close cleanly is offered:
restore (the project opens as saved, with the recovered changes as one undoable step, so it
is modified and nothing is written until the user saves), discard, or keep for later.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from workstation.model.workspace import Workspace
    from workstation.store.recovery import Delta, Recoverable, Tracker
    from workstation.ui.main_window import MainWindow

INTERVAL_KEY = "autosave/interval_s"
DEFAULT_INTERVAL_S = 60
Choice = Literal["restore", "discard", "keep"]


def interval_s(settings: QSettings) -> int:
    try:
        value = int(str(settings.value(INTERVAL_KEY, DEFAULT_INTERVAL_S)))
    except ValueError:
        return DEFAULT_INTERVAL_S
    return max(0, value)


class Autosaver(QObject):
    def __init__(self, window: MainWindow, settings: QSettings) -> None:
        super().__init__(window)
        self.window, self.settings = window, settings
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._future: Future[None] | None = None
        self._delta: Delta | None = None  # what the running autosave writes
        self._asked: set[Path] = set()  # recovery files offered this session
        self._restoring = False
        self._tracker: Tracker | None = None
        self._workspace: Workspace | None = None
        self._session = ""
        self.target: Path | None = None  # this document's recovery file
        self.last_error = ""
        self.autosaves = 0  # written this session (tests and the status bar read it)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.autosave)
        self.apply_settings()

    def apply_settings(self) -> None:
        seconds = interval_s(self.settings)
        if seconds:
            self._timer.start(seconds * 1000)
        else:
            self._timer.stop()

    # -- following the open document ---------------------------------------------------------
    def attach(self, workspace: Workspace) -> None:
        """Follow a newly opened document (the previous one's file is the caller's)."""
        from workstation.store import recovery

        self.detach()
        self._workspace = workspace
        self._tracker = recovery.Tracker(workspace.document)
        self._session = recovery.new_session()
        self.target = recovery.file_for(workspace.document, self._session)

    def detach(self) -> None:
        self.wait()
        if self._tracker is not None:
            self._tracker.disconnect()
        self._tracker = self._workspace = None

    def autosave(self) -> bool:
        """Hand what changed to the writer; False when there was nothing to write or the
        previous autosave is still being written (its changes then wait for the next)."""
        if self._tracker is None or self._workspace is None or self.target is None:
            return False
        if self._future is not None and not self._future.done():
            return False
        self._collect()
        document = self._workspace.document
        delta = self._tracker.take()
        if delta is None:
            return False
        from workstation.store import recovery

        title = str(document.meta.get("title") or "Untitled project")
        self._delta = delta
        self._future = self._pool.submit(
            recovery.write, self.target, delta, document.path, title, self._session
        )
        return True

    def _collect(self) -> None:
        future, self._future = self._future, None
        if future is None:
            return
        error = future.exception()
        if error is None:
            self.autosaves += 1
            self.last_error = ""
        else:  # the disk is full or gone: said once, and tried again at the next tick
            if self._tracker is not None and self._delta is not None:
                self._tracker.give_back(self._delta)  # nothing of it reached the file
            message = f"Autosave failed: {error}"
            if message != self.last_error:
                self.window.statusBar().showMessage(message, 10000)
            self.last_error = message

    def wait(self) -> None:
        """Let a running autosave finish (before its file is removed or replaced)."""
        if self._future is not None:
            self._future.exception()
            self._collect()

    def saved(self) -> None:
        """The document was saved (perhaps under a new name): nothing to recover now."""
        from workstation.store import recovery

        self.wait()
        if self.target is not None:
            recovery.discard(self.target)
        if self._tracker is not None and self._workspace is not None:
            self._tracker.forget()
            self.target = recovery.file_for(self._workspace.document, self._session)

    def closed_cleanly(self) -> None:
        """The user saved or discarded the changes: the recovery file goes."""
        from workstation.store import recovery

        self.wait()
        if self.target is not None:
            recovery.discard(self.target)
        self.detach()

    def shutdown(self) -> None:
        self._timer.stop()
        self.wait()
        self._pool.shutdown(wait=True)

    # -- after a crash -----------------------------------------------------------------------
    def ask_recover(self, item: Recoverable) -> Choice:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Recover unsaved changes",
            f"Workstation did not close cleanly. Restore {item.describe()}?",
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        box.setInformativeText(
            "Restoring opens the project with these changes, unsaved: the file is not "
            "written until you save. Keep for Later asks again at the next start."
        )
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard Changes", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep for Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        clicked = box.clickedButton()
        return "restore" if clicked is restore else "discard" if clicked is discard else "keep"

    def offer_recovery(self) -> bool:
        """At start-up: offer each recoverable project (newest first) and restore at most
        one into this window (a second would replace the first, unsaved). The others stay,
        and are offered again when their project is opened (:meth:`offer_on_open`) or at
        the next start. True when one was restored."""
        from workstation.store import recovery

        for item in recovery.pending(own=self.target):
            if self._wants_restore(item) and self._restore(item):
                self._adopt(item)
                return True
        return False

    def _wants_restore(self, item: Recoverable) -> bool:
        """Ask about ``item`` (once a session): True to restore; discarded if so chosen."""
        from workstation.store import recovery

        if item.path in self._asked:
            return False
        self._asked.add(item.path)
        choice = self.ask_recover(item)
        if choice == "discard":
            recovery.discard(item.path)
        return choice == "restore"

    def offer_on_open(self, project: Path) -> None:
        """A project was just opened: if a crashed session left changes to it, offer them
        now, on top of the project as opened."""
        if self._restoring:
            return
        from workstation.store import recovery

        here = project.absolute()
        for item in recovery.pending(own=self.target):
            if item.project is None or item.project.absolute() != here:
                continue
            if self._wants_restore(item) and self._apply(item):
                self._adopt(item)
                return

    def _adopt(self, item: Recoverable) -> None:
        """Autosave the restored changes at once, in this session's file; the crashed
        session's file goes only once that is on disk, so a second crash loses nothing."""
        from workstation.store import recovery

        self.autosave()
        self.wait()
        if not self.last_error and self.target is not None and self.target.exists():
            recovery.discard(item.path)

    def _restore(self, item: Recoverable) -> bool:
        from workstation.model.document import Document

        files = self.window.files
        if item.project is not None and not item.project.exists():
            # Its project cannot be found (a drive unplugged, a share offline): restoring on
            # a blank document would lose what the changes stand on. Kept for later.
            self.window.show_error(
                f"Could not restore the changes to “{item.title}”: {item.project} is not "
                "there. Connect its drive and start Workstation again; the changes are kept."
            )
            return False
        self._restoring = True
        try:
            if item.project is not None:
                if not files.open_path(item.project):
                    return False
            else:
                self.window.set_document(Document(meta={"title": item.title}))
        finally:
            self._restoring = False
        return self._apply(item)

    def _apply(self, item: Recoverable) -> bool:
        """The recovered changes as one undoable step on the open document."""
        from workstation.store import recovery

        workspace = self.window.workspace
        if workspace is None:
            return False
        try:
            command = recovery.restore_command(workspace.document, item)
        except (ValueError, OSError) as exc:
            self.window.show_error(f"Could not restore the autosaved changes: {exc}")
            return False
        workspace.stack.push(command)
        self.window.statusBar().showMessage(
            f"Restored {item.changes:,} autosaved changes: save to keep them", 10000
        )
        return True
