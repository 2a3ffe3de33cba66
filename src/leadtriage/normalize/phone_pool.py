"""The phonenumbers calls of a large file, shared with a second core.

Contact lists rarely repeat a phone number, so the phone stage makes about one
library call per row. Above `MIN_PAIRS` distinct numbers, half of them go to one
worker process while this process checks the other half.

The worker is a fresh interpreter running `phone_worker` (``python -m``), fed JSON
lines on stdin: unlike a ``multiprocessing`` pool (spawn or forkserver), it never
re-imports the caller's ``__main__`` script, so a script without a
``if __name__ == "__main__"`` guard is safe, and no Polars threads are forked. If the
worker cannot start or fails, its half is checked here: the results are the same
either way (``tests/normalize/test_phone_pool.py`` compares them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

Checked = dict[str, str | bool | None]
Pair = tuple[str, str | None]

# Below this many distinct numbers (about two seconds of calls), starting an
# interpreter (half a second to a second) saves too little.
MIN_PAIRS: Final = 60_000


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "leadtriage.normalize.phone_worker"]


def _worker_env() -> dict[str, str]:
    """This process's environment, with this copy of leadtriage first on the path (the
    caller may have found it through sys.path, which a child does not inherit)."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    return env


def _in_worker(pairs: Sequence[Pair]) -> list[Checked] | None:
    """The worker's results for `pairs`, or None when it could not deliver them."""
    request = "".join(json.dumps(pair) + "\n" for pair in pairs)
    try:
        done = subprocess.run(
            _worker_command(),
            input=request,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=_worker_env(),
            check=False,
        )
    except OSError:
        return None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != len(pairs):
        return None
    results: list[Checked] = [json.loads(line) for line in lines]
    return results


def check_in_two(
    pairs: Sequence[Pair],
    check: Callable[[Sequence[Pair]], list[Checked]],
    *,
    min_pairs: int = MIN_PAIRS,
) -> list[Checked]:
    """``check(pairs)``, with the second half done by a worker process when there are
    at least `min_pairs` pairs and more than one core."""
    if len(pairs) < min_pairs or (os.cpu_count() or 1) < 2:
        return check(pairs)
    middle = len(pairs) // 2
    here, there = pairs[:middle], pairs[middle:]
    from_worker: list[list[Checked] | None] = [None]

    def run_worker() -> None:
        from_worker[0] = _in_worker(there)

    # The thread only waits on the pipe: the GIL is free for this process's half.
    thread = threading.Thread(target=run_worker, name="leadtriage-phone-worker")
    thread.start()
    first = check(here)
    thread.join()
    second = from_worker[0]
    return first + (second if second is not None else check(there))
