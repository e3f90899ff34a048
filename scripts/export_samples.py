"""Regenerate the sample exports kept in docs/exports/ (``make screenshots`` runs this too).

One of each output, made by the headless verbs from the seed project: a PNG and an SVG chart,
a PDF briefing pack and a PPTX deck, plus pictures of the PDF's pages (with ``pdftoppm``, from
Debian's poppler-utils, when it is installed) to look at. Look at them after regenerating.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "exports"
SEED = REPO / "data" / "seed.wsproj"

RUNS = [
    ["export", "--chart", "timeline", "--out", "timeline.png", "--dpi", "150",
     "--filter", "after:2021-09-01", "--banner", "UNCLASSIFIED"],
    ["export", "--chart", "comparison", "--out", "comparison-apogee.svg",
     "--parameter", "apogee", "--banner", "UNCLASSIFIED"],
    ["brief", "--out", "briefing.pdf", "--filter", "after:2022-01-01 before:2022-02-01",
     "--banner", "UNCLASSIFIED"],
    ["brief", "--out", "briefing.pptx", "--filter", "after:2022-01-01 before:2022-02-01",
     "--banner", "UNCLASSIFIED"],
]  # fmt: skip


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for verb, *options in RUNS:
        out = options[options.index("--out") + 1]
        options[options.index("--out") + 1] = str(OUT / out)
        command = [sys.executable, "-m", "workstation.cli", verb, str(SEED), *options, "--force"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        print(done.stdout.strip() or done.stderr.strip())
        if done.returncode:
            return done.returncode
    if shutil.which("pdftoppm"):
        for old in OUT.glob("briefing-page-*.png"):
            old.unlink()
        prefix = str(OUT / "briefing-page")
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", str(OUT / "briefing.pdf"), prefix], check=True
        )
        print(f"wrote the PDF's pages as {prefix}-N.png")
    else:
        print("pdftoppm not found (apt-get install poppler-utils): no page pictures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
