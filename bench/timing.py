"""Timing an action in process, for the benchmarks that compare two calls in one run
(a whole command is timed from outside: bench_clean.py)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def run_seconds(action: Callable[[], object], repeat: int) -> list[float]:
    """Wall seconds of each of `repeat` runs of `action`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def median_seconds(action: Callable[[], object], repeat: int = 3) -> float:
    return statistics.median(run_seconds(action, repeat))
