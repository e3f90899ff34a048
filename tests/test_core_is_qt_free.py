"""The core never imports Qt: model, store, io, paths, the seed builder and the CLI verbs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO

CORE_PACKAGES = ["workstation.model", "workstation.store", "workstation.io"]
CORE_MODULES = ["workstation.cli", "workstation.paths", "workstation.seedbuild"]

BLOCKER = textwrap.dedent(
    """
    import importlib, importlib.abc, pkgutil, sys

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6"):
                raise ImportError(f"the core imported {name}")
            return None

    sys.meta_path.insert(0, Block())
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            importlib.import_module(info.name)
    for module in MODULES:
        importlib.import_module(module)
    # The headless verbs run end to end with Qt blocked.
    from workstation.cli import main
    assert main(["info", SEED, "--json"]) == 0
    assert main(["validate", SEED]) == 0
    print("QT-FREE")
    """
)


def test_core_imports_and_verbs_run_with_qt_blocked() -> None:
    script = (
        f"PACKAGES = {CORE_PACKAGES!r}\nMODULES = {CORE_MODULES!r}\n"
        f"SEED = {str(REPO / 'data' / 'seed.wsproj')!r}\n" + BLOCKER
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "QT-FREE" in result.stdout


def test_the_blocker_does_catch_a_qt_import() -> None:
    """Guard against a vacuous check: the same harness fails when Qt is imported."""
    script = (
        "PACKAGES = []\nMODULES = ['workstation.ui.event_table_model']\n"
        f"SEED = {str(REPO / 'data' / 'seed.wsproj')!r}\n" + BLOCKER
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode != 0
    assert "the core imported PySide6" in result.stderr
