"""The data every benchmark shares: one synthetic project, generated once into a temp folder."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks.synthetic import synthetic_document
from workstation import store
from workstation.model.document import Document


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def fsync_file(path: Path) -> None:
    """Flush a freshly written or copied file, so that its dirty pages are not written back
    (and charged) during a later timed ``fsync`` of the same file."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


@dataclass
class Workspace:
    folder: Path
    events: int
    seed: int
    repeats: int  # for the bulk benchmarks (open, whole save)
    reference_repeats: int  # for slow references (read_sql, to_sql)
    fast_repeats: int  # for cheap operations (incremental save, query, dates)
    document: Document  # the generated document (in memory, never loaded)
    base_path: Path  # the generated document saved once
    setup: dict[str, Any] = field(default_factory=dict)
    startup_repeats: int = 7  # fresh processes per side for the start-up benchmarks
    _loaded: Document | None = None
    _loaded_path: Path | None = None
    _counter: int = 0

    @classmethod
    def create(
        cls,
        folder: Path,
        events: int,
        seed: int,
        repeats: int,
        reference_repeats: int,
        fast_repeats: int,
    ) -> Workspace:
        progress(f"generating {events:,} synthetic events (seed {seed})")
        start = perf_counter()
        document = synthetic_document(events, seed=seed)
        generated = perf_counter() - start
        base_path = folder / "synthetic.wsproj"
        progress(f"writing {base_path}")
        start = perf_counter()
        store.save(document, base_path)
        written = perf_counter() - start
        fsync_file(base_path)
        setup = {
            "generate_s": generated,
            "first_save_s": written,
            "file_mb": base_path.stat().st_size / 1e6,
        }
        progress(
            f"generated in {generated:.1f} s, saved in {written:.1f} s, {setup['file_mb']:.1f} MB"
        )
        return cls(
            folder,
            events,
            seed,
            repeats,
            reference_repeats,
            fast_repeats,
            document,
            base_path,
            setup,
        )

    @classmethod
    def without_data(
        cls,
        folder: Path,
        seed: int,
        repeats: int,
        reference_repeats: int,
        fast_repeats: int,
    ) -> Workspace:
        """A workspace for benchmarks that need no synthetic project (the start-up ones run
        on the seed): nothing is generated and nothing is written."""
        return cls(
            folder,
            0,
            seed,
            repeats,
            reference_repeats,
            fast_repeats,
            Document(),
            folder / "no-synthetic-data.wsproj",
        )

    def fresh_path(self, stem: str) -> Path:
        """A path in the workspace that does not exist yet."""
        self._counter += 1
        return self.folder / f"{stem}-{self._counter}.wsproj"

    def copy_of_base(self, stem: str) -> Path:
        target = self.fresh_path(stem)
        shutil.copyfile(self.base_path, target)
        fsync_file(target)
        return target

    def loaded(self) -> tuple[Document, Path]:
        """A document loaded from its own copy of the generated file (loaded once, shared)."""
        if self._loaded is None or self._loaded_path is None:
            self._loaded_path = self.copy_of_base("loaded")
            progress(f"loading {self._loaded_path.name} for the in-memory benchmarks")
            self._loaded = store.load(self._loaded_path)
        return self._loaded, self._loaded_path

    @staticmethod
    def remove(path: Path) -> None:
        for leftover in (path, Path(f"{path}-journal")):
            leftover.unlink(missing_ok=True)
