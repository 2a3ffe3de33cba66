"""Read, map and normalise one export through `normalize()`, as the pipeline calls it;
print the row count. Nothing else: a whole-process driver for comparing two trees.

    PYTHONPATH=src .venv/bin/python bench/normalize_only.py export.csv
    PYTHONPATH=other/src .venv/bin/python bench/normalize_only.py export.csv

Time both with `/usr/bin/time -v` (or any tool that runs them in turn) and quote the
ratios; the export is `bench/generate.py 1000000`'s.
"""

from __future__ import annotations

import sys

import polars as pl

from leadtriage.columns import add_raw_fields, map_columns
from leadtriage.normalize import NormalizeSettings, normalize


def main(path: str) -> None:
    frame = pl.read_csv(path, infer_schema=False).with_columns(
        pl.lit("export.csv").alias("source_file"),
        pl.int_range(1, pl.len() + 1).alias("source_row"),
    )
    lf = add_raw_fields(frame.lazy(), map_columns(frame.columns)).collect().lazy()
    print(normalize(lf, NormalizeSettings(default_region="GB")).collect().height)


if __name__ == "__main__":
    main(sys.argv[1])
