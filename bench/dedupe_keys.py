"""The dedupe stage alone, on the matcher's keys of a real run, phase by phase.

    python bench/dedupe_keys.py save EXPORT DIR    # clean EXPORT up to the matcher; keep its keys
    python bench/dedupe_keys.py time DIR           # find_duplicates on them: seconds per phase

`save` runs `clean` (read, map, normalise, the matcher's keys) and writes the keys
`find_duplicates` reads to DIR as parquet, then stops: the minute of reading and
normalising a million rows is paid once, and two trees (each with its `src` on
PYTHONPATH) can be timed on the same keys. `time` reads them back in one chunk per
column, as a run holds them: read as parquet's row groups, gathering the pairs'
features from eight chunks took four times as long and misled an earlier profile.
It prints each phase's wall seconds (a phase called twice counts both), the whole
call's, the pair counts and the process's peak memory.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from leadtriage import pipeline
from leadtriage.dedupe import DedupeConfig
from leadtriage.dedupe.deduplicate import MatchKeys, find_duplicates
from leadtriage.pipeline import TriageOptions, clean

# The phases find_duplicates calls, by module.
PHASES = {
    "leadtriage.dedupe.deduplicate": [
        "blocking_keys",
        "self_pairs",
        "pair_levels",
        "keyed",
        "fit",
        "score_pairs",
        "cluster_rows",
    ],
}


class _SavedError(Exception):
    """Not an error: the keys are on disk, so the run stops here."""


def save(export: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)

    def keep(keys: MatchKeys, _config: DedupeConfig) -> Any:
        keys.features.write_parquet(out / "features.parquet")
        pl.DataFrame({"rank": keys.rank, "label": keys.labels}).write_parquet(out / "rows.parquet")
        raise _SavedError

    pipeline.find_duplicates = keep  # type: ignore[assignment]
    try:
        clean([str(export)], out / "outputs", options=TriageOptions())
    except _SavedError:
        print(f"keys of {export} -> {out}")


def _timed(spent: dict[str, float], name: str, call: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(call)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

    return timed


def time_phases(saved: Path) -> None:
    spent: dict[str, float] = {}
    for module_name, names in PHASES.items():
        module = importlib.import_module(module_name)
        for name in names:
            setattr(module, name, _timed(spent, name, getattr(module, name)))
    features = pl.read_parquet(saved / "features.parquet").rechunk()
    rows = pl.read_parquet(saved / "rows.parquet")
    keys = MatchKeys(features, rows["rank"], rows["label"])
    start = time.perf_counter()
    found = find_duplicates(keys, DedupeConfig.from_table({}))
    total = time.perf_counter() - start
    for name, seconds in spent.items():
        print(f"{name:16s} {seconds:7.2f} s")
    print(f"{'find_duplicates':16s} {total:7.2f} s")
    stats = found.stats
    print(f"candidate pairs {stats.candidate_pairs:,}, matched {stats.matched_pairs:,}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak {peak:,} MiB (the keys read included)")


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    saving = commands.add_parser("save")
    saving.add_argument("export", type=Path)
    saving.add_argument("out", type=Path)
    timing = commands.add_parser("time")
    timing.add_argument("saved", type=Path)
    args = parser.parse_args()
    if args.command == "save":
        save(args.export, args.out)
    else:
        time_phases(args.saved)


if __name__ == "__main__":
    main()
