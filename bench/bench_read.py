"""Reading one export with `read_table` (sniffing, header search, the mojibake scan,
the size checks) against a bare `pl.read_csv` of the same file, in the same run.

    python bench/bench_read.py [ROWS] [--repeat N]

Prints the best of N times for each and their ratio. Run it with another
checkout's src on PYTHONPATH to compare versions by their ratios.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate
from timing import run_seconds

from leadtriage.io.read import read_table


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(args[0]) if args else 1_000_000
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        generate(rows).write_csv(path)
        baseline = min(run_seconds(lambda: pl.read_csv(path, infer_schema=False), repeat))
        ours = min(run_seconds(lambda: read_table(str(path)), repeat))
        size = path.stat().st_size / 2**20
    print(f"{rows:,} rows, {size:.0f} MiB, best of {repeat}")
    print(f"pl.read_csv (baseline) {baseline:.3f} s")
    print(f"read_table             {ours:.3f} s")
    print(f"ratio                  {ours / baseline:.2f}x")


if __name__ == "__main__":
    main()
