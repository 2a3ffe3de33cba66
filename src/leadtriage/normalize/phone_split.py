"""Half of the distinct phone numbers checked in a second Python process.

phonenumbers is pure Python: one core makes every call while the other waits, and at
a million rows those calls are most of normalisation (373,000 distinct numbers, about
ten seconds). Above ``PARALLEL_FROM`` distinct numbers a helper process checks the
second half while this one checks the first; results come back in order, so the
outputs are the same either way.

The helper is a fresh interpreter told what to import (``python -I -c``, with this
process's import path; isolated, so a file in the working folder named like a module
is never imported), never multiprocessing's spawn or fork: spawn re-imports the
caller's script in the child (a trap for a script without a ``__main__`` guard) and
fork would copy Polars' thread pool in the middle of a run. Anything that goes wrong
with the helper (it cannot start, import or finish) costs only time: its half is then
checked here.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import Final

import polars as pl

# Below this many distinct numbers the helper's start (an interpreter importing
# Polars and phonenumbers, about half a second) costs more than half the calls.
PARALLEL_FROM: Final = 50_000

# What the helper runs: read its import path and its half (Arrow IPC), check them,
# write the verdicts back as Arrow IPC. Columns, not pickled dicts: at ten million
# numbers a list of dicts on each side of the pipe took gigabytes.
_HELPER: Final = (
    "import io, pickle, sys\n"
    "path, pairs = pickle.load(sys.stdin.buffer)\n"
    "sys.path[:0] = path\n"
    "import polars as pl\n"
    "from leadtriage.normalize.phone import check_numbers_here\n"
    "out = io.BytesIO()\n"
    "check_numbers_here(pl.read_ipc(pairs)).to_frame().write_ipc(out)\n"
    "sys.stdout.buffer.write(out.getbuffer())\n"
)


def checked_on_two_cores(
    pairs: pl.DataFrame, check: Callable[[pl.DataFrame], pl.Series]
) -> pl.Series:
    """`check(pairs)`, the second half in a helper process when that pays."""
    if pairs.height < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return check(pairs)
    half = pairs.height // 2
    mine_part, their_part = pairs.slice(0, half), pairs.slice(half)
    helper = _started(their_part)
    try:
        mine = check(mine_part)
        theirs = _results(helper, their_part.height, mine) if helper is not None else None
    finally:
        if helper is not None and helper.poll() is None:
            helper.kill()
            helper.wait()
    return pl.concat([mine, theirs if theirs is not None else check(their_part)])


def _started(pairs: pl.DataFrame) -> subprocess.Popen[bytes] | None:
    """The helper, given its pairs; None if it could not be started or fed."""
    try:
        helper = subprocess.Popen(
            [sys.executable, "-I", "-c", _HELPER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None
    assert helper.stdin is not None
    sent = io.BytesIO()
    pairs.write_ipc(sent)
    try:
        with helper.stdin:
            pickle.dump((list(sys.path), sent.getvalue()), helper.stdin, pickle.HIGHEST_PROTOCOL)
    except OSError:  # it died before reading them all (it could not import, say)
        helper.kill()
        helper.wait()
        return None
    return helper


def _results(helper: subprocess.Popen[bytes], expected: int, like: pl.Series) -> pl.Series | None:
    """The helper's `expected` verdicts, of `like`'s type, or None if it did not
    deliver them whole."""
    assert helper.stdout is not None
    try:
        with helper.stdout:
            data = helper.stdout.read()
    except OSError:
        return None
    if helper.wait() != 0:
        return None
    try:
        results = pl.read_ipc(data)
    except (pl.exceptions.PolarsError, OSError):
        return None
    if results.shape != (expected, 1) or results.dtypes[0] != like.dtype:
        return None
    return results.to_series().alias(like.name)
