"""Import benchmark: a canonical events CSV of the synthetic project, from parsing to saving.

Subject: ``workstation import EMPTY.wsproj events.csv`` as the command line runs it
(``workstation.io.run_import.run``): read (Arrow's CSV reader, every cell as text), check
every row as opening a project checks it, plan (duplicates, ids), push the import, save the
project (atomic whole save). Each run imports into a fresh copy of an empty project.

Floor: ``pandas.read_csv(path, engine="pyarrow")`` of the same file plus an ADBC ingest of the
parsed frame into a fresh SQLite file (``adbc_ingest(mode="create")``): parsing and storing
with no checks and no conversions. The issue's goal: subject <= 3x floor.

Memory: the subject runs once more in a fresh process; its peak resident memory above the
process's own baseline (interpreter and imports, measured before reading) is compared with the
deep memory of the final events DataFrame (goal: <= 3x), and reported.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import Case, Result, measure, median
from benchmarks.workspace import Workspace, progress

# The child reads its own address space's numbers (/proc/self/status): ru_maxrss would carry
# the parent's high-water mark across fork and exec.
CHILD = """
import json, sys
from pathlib import Path
from workstation.io.run_import import ImportOptions, run
from workstation import store

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0

base = status("VmRSS")
code, _ = run(ImportOptions(Path(sys.argv[1]), Path(sys.argv[2])))
print(json.dumps({"code": code, "base_kb": base, "peak_kb": status("VmHWM")}))
"""


def bench_import_canonical(ws: Workspace, result: Result) -> None:
    import adbc_driver_sqlite.dbapi as adbc
    import pandas as pd
    import pyarrow as pa

    from workstation import store
    from workstation.io.run_import import ImportOptions, run
    from workstation.io.tables import export_table
    from workstation.model.document import Document

    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    csv = folder / "events.csv"
    progress(f"import: writing the canonical events CSV of {len(ws.document.events):,} events")
    export_table("events", ws.document.events, csv)
    empty = folder / "empty.wsproj"
    store.save(Document(), empty)
    counter = iter(range(1_000_000))

    def fresh_project() -> Path:
        target = folder / f"project-{next(counter)}.wsproj"
        shutil.copyfile(empty, target)
        return target

    def fresh_file() -> Path:
        return folder / f"floor-{next(counter)}.sqlite"

    def remove(target: Path, _out: object) -> None:
        target.unlink(missing_ok=True)

    def subject(target: Path) -> None:
        code, _ = run(ImportOptions(target, csv))
        if code != 0:
            raise AssertionError(f"the import exited {code}")

    def floor(target: Path) -> None:
        frame = pd.read_csv(csv, engine="pyarrow")
        with adbc.connect(str(target)) as connection:
            with connection.cursor() as cursor:
                cursor.adbc_ingest("events", pa.Table.from_pandas(frame), mode="create")
            connection.commit()

    progress("import: run() of the CSV into an empty project vs read_csv(pyarrow) + ADBC ingest")
    times = measure(
        [Case("subject", subject, fresh_project, remove), Case("floor", floor, fresh_file, remove)],
        ws.repeats,
    )
    result.runs_s, result.floor_runs_s = times["subject"], times["floor"]
    result.measured_s, result.floor_s = median(result.runs_s), median(result.floor_runs_s)
    imported = store.load(_last_import(folder, csv, empty))
    events = imported.events
    if len(events) != len(ws.document.events):
        raise AssertionError(f"{len(events):,} events imported, not {len(ws.document.events):,}")
    deep = int(events.memory_usage(deep=True).sum())
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(fresh_project()), str(csv)],
        capture_output=True,
        text=True,
        check=True,
    )
    memory = json.loads(child.stdout.strip().splitlines()[-1])
    extra = (memory["peak_kb"] - memory["base_kb"]) * 1024
    result.details["file"] = f"{csv.stat().st_size / 1e6:,.0f} MB, {len(events):,} rows"
    result.details["memory"] = (
        f"peak {extra / 1e6:,.0f} MB above the process's baseline vs the final frame's "
        f"{deep / 1e6:,.0f} MB deep: {extra / deep:.2f}x (goal <= 3x)"
    )
    result.checks.append("every row imported and the project opens with all the events")
    shutil.rmtree(folder, ignore_errors=True)


def _last_import(folder: Path, csv: Path, empty: Path) -> Path:
    """One more import, kept to check what the timed runs wrote."""
    from workstation.io.run_import import ImportOptions, run

    target = folder / "checked.wsproj"
    shutil.copyfile(empty, target)
    run(ImportOptions(target, csv))
    return target
