"""Consent speed: reading every consent column with its polarity, and the most
restrictive consent across a person's rows, as ratios to a plain Polars read + write
of the same file measured in this run.

    python bench/bench_consent.py [ROWS] [--repeat 3]

The generated export gets a second consent column, an opt-out flag ("Email Opt
Out"), so every row has two answers to read; a tenth of the rows share an email key
with another row, so the across-rows step links real people.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import polars as pl

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from timing import median_seconds  # noqa: E402

from leadtriage.columns import add_raw_fields, map_columns  # noqa: E402
from leadtriage.consent_across import most_restrictive_consent  # noqa: E402
from leadtriage.frame import (  # noqa: E402
    CLUSTER_ID,
    POLARITIES,
    ROW_ID,
    SOURCE_FILE,
    raw_consent,
)
from leadtriage.normalize.consent import normalize_consent  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.rows
    df = generate(n)
    flags = pl.Series("Email Opt Out", ["0", "1", "false", "true", ""] * (n // 5 + 1))[:n]
    df = df.with_columns(flags)
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        df.write_csv(path)
        baseline = median_seconds(
            lambda: pl.read_csv(path, infer_schema=False).write_csv(out), args.repeat
        )
    text = df.cast(pl.String)
    mapping = map_columns(text.columns)
    mapped = add_raw_fields(text.lazy(), mapping).collect()
    reading = median_seconds(lambda: normalize_consent(mapped.lazy()).collect(), args.repeat)
    email = pl.col(mapping.fields["email"]).str.to_lowercase()
    keyed = (
        normalize_consent(mapped.lazy())
        .collect()
        .select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias(ROW_ID),
            pl.lit("in.csv").alias(SOURCE_FILE),
            "consent",
            email.alias("email_key"),
            pl.lit(None, dtype=pl.String).alias(CLUSTER_ID),
            pl.lit("in.csv").alias("sources"),
            # the answer lists tell rows from files with a consent column
            *(raw_consent(p) for p in POLARITIES),
        )
    )

    def across_rows() -> pl.DataFrame:
        linked, _stats = most_restrictive_consent(keyed.lazy())
        return linked.collect()

    across = median_seconds(across_rows, args.repeat)
    print(
        json.dumps(
            {
                "rows": n,
                "consent_headers": list(mapping.headers_of("consent")),
                "baseline_read_write_s": round(baseline, 3),
                "read_consent_s": round(reading, 3),
                "read_consent_vs_baseline": round(reading / baseline, 3),
                "across_rows_s": round(across, 3),
                "across_rows_vs_baseline": round(across / baseline, 3),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
