"""Columns of the wide frame set aside on disk while the whole-run stages run.

Why: after normalisation the frame holds about ninety columns, and Polars keeps a
16-byte view per value of every text column, so at a million rows the frame takes
over a gigabyte before deduplication, CRM matching, the ledger and the consent stage
add their working sets on top (issue 15: 1M rows in 2 GB). Those stages read clean
values, match keys and flags; the inputs' own columns and the raw fields wait for the
rules and the outputs. So they are written to an Arrow IPC file in a private
temporary folder and dropped from the frame, the whole-run stages work on what is
left, the rules read the raw fields they test straight from the file (`beside`: a lazy
scan, projected to the columns a plan names), and `restore` puts every column back in
its place before the outputs are split.

Small runs do not pay: under `MIN_CELLS` (rows x columns of the frame) nothing is
written and `beside` / `restore` hand back what they are given. The folder and its
file are removed when the `Spill` context closes, on an error too.

From `PARK_MIN_ROWS` rows the matcher parks the whole frame here too (`park`): it
finds duplicates and CRM records from keys drawn from the frame, so meanwhile the
frame waits on disk and `take_back` reads it back (and removes its file) for the
stages that mark the rows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from leadtriage.errors import OutputError

# The file in a spill folder naming the process that made it: a later run removes the
# folders of processes that are gone (SIGKILL leaves no chance to clean up).
OWNER_FILE = "owner.pid"
# A dead owner's folder is removed only when older than this (see _remove_orphans).
ORPHAN_AGE_SECONDS = 3600
_PREFIX = "leadtriage-spill-"

# Under this many cells (rows x columns: 100,000 rows of a hundred columns) the frame's
# views take about 160 MB; writing and reading its spare columns would cost more time
# than the memory is worth. Tests set it to 0 to take the spilling path on small inputs.
MIN_CELLS = 10_000_000
# From this many rows the whole frame waits on disk while the matcher works from its
# keys (`Spill.park`): at a million rows parking cost time and saved no peak (the
# frame's pages stay with the allocator and are handed to the matcher's working set
# anyway); at ten million the working set of blocking and scoring is gigabytes beside
# the frame. Tests set it to 0 to take the parking path on small inputs.
PARK_MIN_ROWS = 2_000_000
# Columns read back from a spill file at once (see SetAside.restore).
_READ_COLUMNS = 8


@dataclass(frozen=True)
class SpillSettings:
    """When to spill and where. `min_cells` None: `MIN_CELLS` as it is at the run's
    start; `directory` None: the system's temporary folder (TMPDIR)."""

    min_cells: int | None = None
    directory: Path | None = None
    park_rows: int | None = None

    def spills(self, frame: pl.DataFrame) -> bool:
        threshold = MIN_CELLS if self.min_cells is None else self.min_cells
        return frame.height * frame.width >= threshold

    def parks(self, frame: pl.DataFrame) -> bool:
        rows = PARK_MIN_ROWS if self.park_rows is None else self.park_rows
        return frame.height >= rows and self.spills(frame)


@dataclass(frozen=True)
class SetAside:
    """Where the set-aside columns are (`path`: None when nothing was written) and the
    frame's column order when they were taken out, so they go back in their places;
    columns a later stage added follow, in the order they were added. `copies` maps a
    column to the written one holding the same values (not written twice)."""

    names: tuple[str, ...]
    order: tuple[str, ...]
    path: Path | None
    copies: Mapping[str, str] = field(default_factory=dict)

    def _copied(self, written: pl.LazyFrame) -> pl.LazyFrame:
        return written.with_columns(
            pl.col(first).alias(name) for name, first in self.copies.items()
        )

    def _ordered(self, present: Sequence[str]) -> list[str]:
        known = set(self.order)
        return [*self.order, *(c for c in present if c not in known)]

    def beside(self, lf: pl.LazyFrame) -> pl.LazyFrame:
        """`lf` (the narrow frame's plan, rows unchanged) with the set-aside columns
        beside it, as a plan: a query reads from the file only the columns it names."""
        if self.path is None:
            return lf
        wide = pl.concat([lf, self._copied(pl.scan_ipc(self.path))], how="horizontal")
        return wide.select(self._ordered(lf.collect_schema().names()))

    def restore(self, narrow: pl.DataFrame) -> pl.DataFrame:
        """`narrow` with the set-aside columns read back, every column in its place."""
        if self.path is None:
            return narrow
        # A few columns at a time: read whole, the file's bytes are held beside the
        # columns made from them (twice the columns' size at the peak). A scan's
        # columns are copies: nothing maps the file once it is read.
        written = [c for c in self.names if c not in self.copies]
        parts = [
            pl.scan_ipc(self.path).select(written[start : start + _READ_COLUMNS]).collect()
            for start in range(0, len(written), _READ_COLUMNS)
        ]
        spare = self._copied(pl.concat(parts, how="horizontal").lazy()).collect()
        return narrow.hstack(spare.get_columns()).select(self._ordered(narrow.columns))

    def take_back(self, narrow: pl.DataFrame) -> pl.DataFrame:
        """`restore`, and the file removed: for columns set aside for one stage (the
        whole frame while the matcher works), whose file would hold the disk till the
        run's end."""
        restored = self.restore(narrow)
        if self.path is not None:
            self.path.unlink(missing_ok=True)
        return restored


class Spill:
    """A private temporary folder for set-aside columns: made by the first `set_aside`
    that writes, removed with everything in it when the context closes (an error
    too). Hand it the frame and drop your own reference to it, or nothing is freed:
    ``frame, aside = spill.set_aside(frame, names)``."""

    def __init__(self, settings: SpillSettings = SpillSettings()) -> None:
        self._settings = settings
        self._stack = ExitStack()
        self._folder: Path | None = None
        self._files = 0

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stack.close()

    def park(self, frame: pl.DataFrame, keep: Sequence[str]) -> tuple[pl.DataFrame, SetAside]:
        """`frame` but `keep` set aside for one stage that works from keys drawn from
        it (the matcher), when the settings' row count says so; `SetAside.take_back`
        brings it back. Hand it the frame and drop your own reference, as for
        `set_aside`."""
        parked = [c for c in frame.columns if c not in keep] if self._settings.parks(frame) else []
        return self.set_aside(frame, parked)

    def set_aside(self, frame: pl.DataFrame, names: Sequence[str]) -> tuple[pl.DataFrame, SetAside]:
        """`frame` without `names` (written to disk) and the `SetAside` that brings them
        back; below the settings' threshold, `frame` itself and a `SetAside` that
        changes nothing."""
        wanted = set(names)
        spare = tuple(c for c in frame.columns if c in wanted)
        if not spare or not self._settings.spills(frame):
            return frame, SetAside((), tuple(frame.columns), None)
        copies = _same_values(frame, spare)
        written = frame.select(c for c in spare if c not in copies)
        try:
            if self._folder is None:
                self._folder = Path(
                    self._stack.enter_context(
                        tempfile.TemporaryDirectory(prefix=_PREFIX, dir=self._settings.directory)
                    )
                )
                (self._folder / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
                _remove_orphans(self._folder.parent)
            self._files += 1
            path = self._folder / f"set_aside_{self._files}.arrow"
            # Uncompressed: the file lives for one run, and reading it back stays cheap.
            written.write_ipc(path, compression="uncompressed")
        except OSError as exc:
            where = self._folder or self._settings.directory or tempfile.gettempdir()
            raise OutputError(
                f"cannot write temporary columns in {where}: {exc.strerror or exc}",
                hint="set TMPDIR to a folder with room for several times the input's size",
            ) from None
        return frame.drop(spare), SetAside(spare, tuple(frame.columns), path, copies)


def _remove_orphans(parent: Path) -> None:
    """Remove the spill folders in `parent` whose process is gone (killed outright)
    and that are older than `ORPHAN_AGE_SECONDS`: a process of another PID namespace
    sharing the folder (two containers, one TMPDIR) looks gone from here. A folder
    without its owner file yet may be a run just starting: left alone."""
    now = time.time()
    for folder in parent.glob(f"{_PREFIX}*"):
        owner_file = folder / OWNER_FILE
        try:
            owner = int(owner_file.read_text(encoding="ascii"))
            age = now - owner_file.stat().st_mtime
        except (OSError, ValueError):
            continue
        if age > ORPHAN_AGE_SECONDS and not _alive(owner):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _same_values(frame: pl.DataFrame, names: Sequence[str]) -> dict[str, str]:
    """Each of `names` holding the same values as an earlier one, and that one. A raw
    field is mostly its header's column under a second name, one buffer in memory:
    written and read back as two, it would take twice the memory it took before."""
    firsts: dict[tuple[pl.DataType, int], list[str]] = {}
    copies: dict[str, str] = {}
    for name in names:
        column = frame.get_column(name)
        candidates = firsts.setdefault((column.dtype, column.null_count()), [])
        same = next((c for c in candidates if column.equals(frame.get_column(c))), None)
        if same is None:
            candidates.append(name)
        else:
            copies[name] = same
    return copies
