"""Errors a user may see about project files: always one readable line."""

from __future__ import annotations

from pathlib import Path


class ProjectFileError(Exception):
    """A project file cannot be opened or saved. ``str()`` is one line naming file and problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = " ".join(str(problem).split())  # one line, whatever the cause said
        super().__init__(f"{self.path}: {self.problem}")
