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
    from workstation import paths
    from workstation.app import create_main_window

    window = create_main_window(paths.user_seed_copy(), defer_load=False)
    window.resize(1280, 720)
    window.show()
    app.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "main-window.png"
    if not window.grab().save(str(target)):
        print(f"could not write {target}", file=sys.stderr)
        return 1
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
