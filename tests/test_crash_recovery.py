"""The promise that a crash loses nothing: a real Workstation, in its own process, is edited,
autosaves, and is killed with SIGKILL; started again, it offers the autosaved changes,
restores them as unsaved changes, and the document is what was edited. The project file
itself is never written by autosave."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from workstation.store import recovery

APP = Path(__file__).with_name("_autosave_app.py")


def start(mode: str, project: Path, ini: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, str(APP), mode, str(project), str(ini)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def last_json_line(child: subprocess.Popen[str], timeout: float) -> dict[str, object]:
    assert child.stdout is not None
    import selectors

    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        child.kill()
        pytest.fail(f"no answer from the app: {child.stderr.read() if child.stderr else ''}")
    line = child.stdout.readline()
    assert line.startswith("{"), (line, child.stderr.read() if child.stderr else "")
    return dict(json.loads(line))


@pytest.mark.parametrize("kills", [1, 2])
def test_kill_9_then_restart_recovers_every_edit(
    kills: int, seed_copy: Path, tmp_path: Path
) -> None:
    ini = tmp_path / "settings.ini"
    before = seed_copy.read_bytes()
    edited = None
    for _ in range(kills):  # killed again after restoring: still nothing lost
        child = start("edit", seed_copy, ini)
        answer = last_json_line(child, timeout=60)
        edited = edited or answer["digest"]
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL
        assert seed_copy.read_bytes() == before  # autosave never writes the project
        assert recovery.pending(), "no recovery file was left"
    recovered = start("recover", seed_copy, ini)
    answer = last_json_line(recovered, timeout=60)
    recovered.wait(timeout=30)
    assert answer["offered"] is not None
    assert "unsaved changes" in str(answer["offered"])
    assert answer["changes"] >= 4  # type: ignore[operator]
    assert answer["digest"] == edited
    assert answer["modified"] is True
    assert answer["undo"] == "Restore Autosaved Changes"
    assert seed_copy.read_bytes() == before  # restored, and still not written until saved
