"""Errors a user may see about project files: always one readable line."""

from __future__ import annotations

from pathlib import Path

MAX_PROBLEM = 400


class ProjectFileError(Exception):
    """A project file cannot be opened or saved. ``str()`` is one line naming file and problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = " ".join(str(problem).split())  # one line, whatever the cause said
        if len(self.problem) > MAX_PROBLEM:  # a hostile file's text is not echoed whole
            self.problem = self.problem[: MAX_PROBLEM - 1] + "…"
        super().__init__(f"{self.path}: {self.problem}")


class FileChangedError(ProjectFileError):
    """The project file was deleted, moved or changed by someone else since it was opened or
    last saved: saving would silently throw their version away, so the user chooses."""

    def __init__(self, path: Path | str, problem: str, deleted: bool) -> None:
        super().__init__(path, problem)
        self.deleted = deleted
