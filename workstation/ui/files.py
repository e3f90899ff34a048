"""File handling for the main window: new, open, recent, save, save as, revert, close.

Every failure is shown as one clear sentence and leaves the document and the file as they
were; a failed save offers Save As, and a file someone else changed, replaced or deleted since
it was opened is never silently overwritten. Questions to the user go through small methods
(``ask_unsaved``, ``ask_open_path``, ``ask_save_path``, ``ask_save_failed``,
``ask_changed_on_disk``) so that tests can answer them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

if TYPE_CHECKING:
    from workstation.store.errors import FileChangedError, ProjectFileError
    from workstation.store.locks import Holder, LockedError, ProjectLock
    from workstation.ui.main_window import MainWindow

Answer = Literal["save", "discard", "cancel"]
ChangedAnswer = Literal["replace", "save_as", "cancel"]
FILTER = "Workstation projects (*.wsproj);;All files (*)"
MAX_RECENT = 10


class ProjectFiles:
    def __init__(self, window: MainWindow, settings: QSettings) -> None:
        self.window = window
        self.settings = settings
        self.lock: ProjectLock | None = None  # the open project's lock, when we hold one
        #: Opened while another running Workstation holds it: saving there is refused.
        self.read_only = False
        self.holder: Holder | None = None

    # -- questions (tests replace these) --------------------------------------------------
    def ask_unsaved(self) -> Answer:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Unsaved changes",
            f"Save the changes to “{self.window.project_name()}”?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setInformativeText("Your changes are lost if you don't save them.")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        if answer == QMessageBox.StandardButton.Discard:
            return "discard"
        return "cancel"

    def ask_revert(self) -> bool:
        answer = QMessageBox.question(
            self.window,
            "Revert",
            "Discard every unsaved change and reload the file?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def ask_save_failed(self, error: ProjectFileError) -> bool:
        """The save failed: say why, and whether to save somewhere else (True: Save As)."""
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Could not save",
            f"Could not save the project: {error}",
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setInformativeText(
            "Your changes are kept here, unsaved, and the file on disk is as it was. "
            "Save them somewhere else?"
        )
        save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(save_as)
        box.exec()
        return box.clickedButton() is save_as

    def ask_changed_on_disk(self, error: FileChangedError) -> ChangedAnswer:
        """The file is no longer the one opened: replace it, save elsewhere, or neither."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "File changed on disk",
            f"“{error.path.name}” {error.problem}.",
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setInformativeText("Your changes are kept here, unsaved. Save As keeps both versions.")
        replace = box.addButton(
            "Save Here Again" if error.deleted else "Replace Their Version",
            QMessageBox.ButtonRole.DestructiveRole,
        )
        save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(save_as)
        box.exec()
        clicked = box.clickedButton()
        return "replace" if clicked is replace else "save_as" if clicked is save_as else "cancel"

    def ask_locked(self, error: LockedError) -> bool:
        """The project is open elsewhere: True to open it read-only, False to cancel."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Project in use",
            f"{error}.",
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setInformativeText(
            "Open it read-only to look without changing it (Save As keeps a copy of your "
            "changes). If nobody has it open any more on that computer, delete "
            f"{error.lock_file.name} beside it and open it again."
        )
        read_only = box.addButton("Open Read-Only", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(read_only)
        box.exec()
        return box.clickedButton() is read_only

    def ask_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Open project", self._folder(), FILTER)
        return Path(name) if name else None

    def ask_save_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self.window, "Save project as", self._folder(), FILTER
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".wsproj")

    def _folder(self) -> str:
        path = self.window.workspace.document.path if self.window.workspace else None
        return str(path.parent) if path else str(Path.home())

    # -- recent files ---------------------------------------------------------------------
    def recent(self) -> list[Path]:
        value = self.settings.value("files/recent", [])
        items = value if isinstance(value, list) else [value] if value else []
        return [Path(str(item)) for item in items]

    def remember(self, path: Path) -> None:
        from workstation import paths

        try:
            paths.remember_project(path)
        except OSError as exc:  # the project is fine; only the "last project" note failed
            self.window.statusBar().showMessage(
                f"Could not remember the last project: {exc.strerror or exc}", 10000
            )
        items = [str(path.absolute())] + [
            str(p) for p in self.recent() if str(p) != str(path.absolute())
        ]
        self.settings.setValue("files/recent", items[:MAX_RECENT])
        self.window.rebuild_recent_menu()

    # -- operations -----------------------------------------------------------------------
    def may_discard(self) -> bool:
        """Ask about unsaved changes; True when it is fine to drop the current document."""
        self.window.commit_pending_edits()
        if not self.window.is_modified():
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new(self) -> bool:
        if not self.may_discard():
            return False
        from workstation.model.document import Document

        self.window.set_document(Document(meta={"title": "Untitled project"}))
        self.release()
        self.window.update_title()
        return True

    def open(self, path: Path | None = None) -> bool:
        if not self.may_discard():
            return False
        if path is None:
            path = self.ask_open_path()
            if path is None:
                return False
        return self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open without asking (start-up, drop, recent): the caller already asked."""
        from workstation import paths, store

        if paths.is_packaged_seed(path):
            path = paths.user_seed_copy()  # the shipped seed is never edited in place
        from workstation.store.locks import LockedError

        try:
            lock, holder = self._take(path)
        except LockedError as exc:
            if not self.ask_locked(exc):
                return False
            lock, holder = None, exc.holder
        try:
            document = store.load(path)
        except store.ProjectFileError as exc:
            if lock is not None and not self._holding(lock):
                lock.release()
            self.window.show_error(f"Could not open the project: {exc}")
            return False
        self._hold(lock, holder)
        self.window.set_document(document)
        self.window.update_title()
        self.remember(path)
        if lock is not None and lock.note:
            self.window.show_error(f"{lock.note}.", QMessageBox.Icon.Information)
        if not self.read_only:  # changes a crash left to this project: offered now
            self.window.autosaver.offer_on_open(path)
        return True

    # -- locks ----------------------------------------------------------------------------
    def _take(self, path: Path) -> tuple[ProjectLock | None, Holder | None]:
        """This process's lock on ``path``; (None, None) where no lock can be written (a
        read-only folder or disk: nobody can save there anyway)."""
        from workstation.store.locks import acquire

        try:
            return acquire(path), None
        except OSError as exc:
            self.window.statusBar().showMessage(
                f"Not locked: {exc.strerror or exc}; another Workstation could open it too", 10000
            )
            return None, None

    def _hold(self, lock: ProjectLock | None, holder: Holder | None) -> None:
        """Keep ``lock`` (or none, read-only under ``holder``), releasing the previous one."""
        if self.lock is not None and (lock is None or self.lock.path != lock.path):
            self.lock.release()
        self.lock, self.holder = lock, holder
        self.read_only = holder is not None

    def _holding(self, lock: ProjectLock) -> bool:
        """Whether ``lock`` is the lock of the project open now (taking it again for the
        same file gives another object for the same lock file)."""
        return self.lock is not None and self.lock.path == lock.path

    def release(self) -> None:
        """Give the open project's lock back (closing, or opening another)."""
        self._hold(None, None)

    def save(self) -> bool:
        if self.window.workspace is None:
            return False  # nothing is open yet (start-up still loading)
        self.window.commit_pending_edits()
        document = self.window.workspace.document
        if document.path is None:
            return self.save_as()
        return self._save_to(document.path)

    def save_as(self) -> bool:
        if self.window.workspace is None:
            return False
        self.window.commit_pending_edits()
        path = self.ask_save_path()
        if path is None:
            return False
        return self._save_to(path)

    def _save_to(self, path: Path, replace_changed: bool = False) -> bool:
        """Save, or say why not: every failure leaves the file on disk as it was and the
        edits here, and offers Save As."""
        from workstation import store

        workspace = self.window.workspace
        own = workspace.document.path is not None and path.absolute() == (
            workspace.document.path.absolute()
        )
        if own and self.read_only and self.holder is not None:
            problem = store.ProjectFileError(
                path, f"was opened read-only: another Workstation has it, {self.holder.describe()}"
            )
            return self.save_as() if self.ask_save_failed(problem) else False
        from workstation.store.locks import LockedError

        lock: ProjectLock | None = self.lock
        if not own:
            try:
                lock, _ = self._take(path)
            except LockedError as exc:
                problem = store.ProjectFileError(
                    path, f"is open in another Workstation: {exc.holder.describe()}"
                )
                return self.save_as() if self.ask_save_failed(problem) else False
        try:
            store.save(workspace.document, path, replace_changed=replace_changed)
        except store.FileChangedError as exc:
            self.window.statusBar().showMessage(f"Not saved: {exc}", 10000)
            answer = self.ask_changed_on_disk(exc)
            if answer == "replace":
                return self._save_to(path, replace_changed=True)
            return self.save_as() if answer == "save_as" else False
        except store.ProjectFileError as exc:
            self.window.statusBar().showMessage(f"Not saved: {exc}", 10000)
            if lock is not None and not self._holding(lock):
                lock.release()
            return self.save_as() if self.ask_save_failed(exc) else False
        self._hold(lock, None)  # saved under a new name: that file is ours now
        self.window.autosaver.saved()
        workspace.stack.set_clean()
        self.remember(workspace.document.path or path)
        self.window.update_title()
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def revert(self) -> bool:
        if self.window.workspace is None:
            return False
        document = self.window.workspace.document
        if document.path is None:
            return False
        self.window.commit_pending_edits()  # typing counts as a change to revert
        if self.window.is_modified() and not self.ask_revert():
            return False
        return self.open_path(document.path)

    def close(self) -> bool:
        return self.new()
