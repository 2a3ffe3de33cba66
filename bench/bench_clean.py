"""End-to-end speed and memory of `leadtriage clean`, as ratios to a plain Polars
read + write of the same file measured in the same run.

    python bench/bench_clean.py [ROWS] [--repeat 3] [--format csv] [--input FILE]
        [--profile-stages]

Each measurement is a fresh process (interpreter start and imports included on both
sides) that reports its own wall time and peak resident memory; the median of the
repeats is kept. `--input` measures an existing export (bench/dedupe_generate.py's,
which has duplicates) instead of generating ROWS rows; `--profile-stages` adds one
more fresh process that reports each stage's time and peak memory
(bench/profile_stages.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PEAK = (
    "import resource, json, sys; "
    "print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), file=sys.stderr)"
)
BASELINE = (
    "import polars as pl, sys; "
    "pl.read_csv(sys.argv[1], infer_schema=False).write_csv(sys.argv[2]); " + PEAK
)
LEADTRIAGE = (
    "import sys; from leadtriage.cli import app; "
    "sys.argv = ['leadtriage', 'clean', *sys.argv[1:]]\n"
    "try:\n    app(prog_name='leadtriage')\nexcept SystemExit as exit:\n"
    "    assert not exit.code, exit.code\n" + PEAK
)


def measure(code: str, args: list[str]) -> tuple[float, float]:
    """(seconds, peak MiB) of one fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    return seconds, float(done.stderr.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", default="csv")
    parser.add_argument("--extra", default="", help="more options for leadtriage clean")
    parser.add_argument("--input", type=Path, help="an export to measure instead of ROWS rows")
    parser.add_argument("--profile-stages", action="store_true", help="time and memory by stage")
    opts = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if opts.input is not None:
            source = opts.input
            opts.rows = sum(1 for _ in source.open("rb")) - 1  # the generators quote no newlines
        else:
            source = Path(tmp) / f"export_{opts.rows}.csv"
            generate(opts.rows).write_csv(source)
        base, ours = [], []
        for _ in range(opts.repeat):
            base.append(measure(BASELINE, [str(source), str(Path(tmp) / "copy.csv")]))
            ours.append(
                measure(
                    LEADTRIAGE,
                    [
                        str(source),
                        "--out-dir",
                        str(Path(tmp) / "out"),
                        "--force",
                        "-q",
                        "--format",
                        opts.format,
                        *opts.extra.split(),
                    ],
                )
            )
        summary = json.loads((Path(tmp) / "out" / "summary.json").read_text())
        stages = None
        if opts.profile_stages:
            done = subprocess.run(
                [
                    sys.executable,
                    str(HERE / "profile_stages.py"),
                    str(source),
                    "--out-dir",
                    str(Path(tmp) / "profiled"),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            stages = json.loads(done.stdout)

    def med(runs: list[tuple[float, float]], i: int) -> float:
        return statistics.median(r[i] for r in runs)

    result = {
        "rows": opts.rows,
        "repeats": opts.repeat,
        "baseline_read_write_s": round(med(base, 0), 3),
        "leadtriage_clean_s": round(med(ours, 0), 3),
        "time_ratio": round(med(ours, 0) / med(base, 0), 2),
        "rows_per_s": round(opts.rows / med(ours, 0)),
        "baseline_peak_mib": round(med(base, 1)),
        "leadtriage_peak_mib": round(med(ours, 1)),
        "memory_ratio": round(med(ours, 1) / med(base, 1), 2),
        "outputs": summary["outputs"],
    }
    if stages is not None:
        result["stages"] = stages
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
