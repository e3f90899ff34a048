"""Regenerate the README's screenshots (``make screenshots``).

Runs offscreen: the window is built on the seed project, shown, and grabbed to PNG files in
docs/screenshots/. Look at them after regenerating: what a person sees is part of the work.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> int:
    from PySide6.QtWidgets import QApplication

    # A private data folder, so screenshots never depend on (or change) the user's state.
    os.environ["WORKSTATION_DATA_DIR"] = tempfile.mkdtemp(prefix="workstation-shots-")
    app = QApplication(sys.argv)
    from PySide6.QtCore import QSettings

    from workstation import paths
    from workstation.app import create_main_window

    settings = QSettings(
        os.path.join(os.environ["WORKSTATION_DATA_DIR"], "settings.ini"), QSettings.Format.IniFormat
    )
    window = create_main_window(paths.user_seed_copy(), settings=settings)
    window.resize(1280, 760)
    window.show()
    assert window.workspace is not None
    assert window.filter_bar is not None
    window.workspace.selection.set(["A11"])
    app.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)
    shots = {"main-window.png": None, "filtered.png": "system:KN-23 after:2021-01-01"}
    for name, query in shots.items():
        if query:
            window.filter_bar.set_query_text(query)
        app.processEvents()
        target = OUT / name
        if not window.grab().save(str(target)):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        print(f"wrote {target}")
    window.files.ask_unsaved = lambda: "discard"  # type: ignore[method-assign]
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
