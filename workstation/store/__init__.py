"""The project file: one SQLite database with a documented, versioned schema.

See ``docs/file-format.md``. Nothing in this package imports Qt.
"""

from workstation.store.errors import ProjectFileError
from workstation.store.project_file import load, save

__all__ = ["ProjectFileError", "load", "save"]
