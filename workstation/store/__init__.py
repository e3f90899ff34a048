"""The project file: one SQLite database with a documented, versioned schema.

See ``docs/file-format.md``. Nothing in this package imports Qt.
"""

from workstation.store.errors import FileChangedError, ProjectFileError
from workstation.store.project_file import disk_stamp, load, save

__all__ = ["FileChangedError", "ProjectFileError", "disk_stamp", "load", "save"]
