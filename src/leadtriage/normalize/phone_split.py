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

import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Final, TypeVar

Pair = tuple[str, str | None]
Result = TypeVar("Result")

# Below this many distinct numbers the helper's start (an interpreter importing
# Polars and phonenumbers, about half a second) costs more than half the calls.
PARALLEL_FROM: Final = 50_000

# What the helper runs: read (import path, pairs), check them, write the results.
_HELPER: Final = (
    "import pickle, sys\n"
    "path, pairs = pickle.load(sys.stdin.buffer)\n"
    "sys.path[:0] = path\n"
    "from leadtriage.normalize.phone import check_numbers_here\n"
    "pickle.dump(check_numbers_here(pairs), sys.stdout.buffer, pickle.HIGHEST_PROTOCOL)\n"
)


def checked_on_two_cores(
    pairs: Sequence[Pair], check: Callable[[Sequence[Pair]], list[Result]]
) -> list[Result]:
    """`check(pairs)`, the second half in a helper process when that pays."""
    if len(pairs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return check(pairs)
    half = len(pairs) // 2
    helper = _started(pairs[half:])
    try:
        mine = check(pairs[:half])
        theirs: list[Result] | None = (
            _results(helper, len(pairs) - half) if helper is not None else None
        )
    finally:
        if helper is not None and helper.poll() is None:
            helper.kill()
            helper.wait()
    return [*mine, *(theirs if theirs is not None else check(pairs[half:]))]


def _started(pairs: Sequence[Pair]) -> subprocess.Popen[bytes] | None:
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
    try:
        with helper.stdin:
            pickle.dump((list(sys.path), list(pairs)), helper.stdin, pickle.HIGHEST_PROTOCOL)
    except OSError:  # it died before reading them all (it could not import, say)
        helper.kill()
        helper.wait()
        return None
    return helper


def _results(helper: subprocess.Popen[bytes], expected: int) -> list[Result] | None:
    """The helper's `expected` results, or None if it did not deliver them whole."""
    assert helper.stdout is not None
    try:
        with helper.stdout:
            results = pickle.load(helper.stdout)
    except (EOFError, OSError, pickle.UnpicklingError):
        return None
    if helper.wait() != 0 or not isinstance(results, list) or len(results) != expected:
        return None
    return results
