"""The suppression hash: `sha256_hex` (polars-hash, one vectorised expression) against
Python's hashlib once per distinct address (what the [suppress] sha256 check did
before), and the whole suppression stage with a hash list against a plain `select`.

    python bench/bench_suppress.py [ROWS]

Each figure is the median of 3 runs; ratios are against baselines of the same run.
"""

from __future__ import annotations

import hashlib
import sys

import polars as pl
from timing import median_seconds

from leadtriage.frame import raw
from leadtriage.rules.suppress import Suppression, sha256_hex, suppressed_expr


def _hashlib_per_distinct(values: pl.Series) -> pl.Series:
    distinct = values.drop_nulls().unique()
    hashed = [hashlib.sha256(v.encode("utf-8")).hexdigest() for v in distinct.to_list()]
    return values.replace_strict(distinct, pl.Series(hashed), default=None)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
    # Nearly all distinct, as real addresses are.
    emails = pl.Series("email", [f"person.{i}@company{i % 9973}.example" for i in range(rows)])
    vectorised = median_seconds(lambda: sha256_hex(emails))
    per_value = median_seconds(lambda: _hashlib_per_distinct(emails))
    assert sha256_hex(emails).equals(_hashlib_per_distinct(emails))

    frame = pl.DataFrame({"email": emails, raw("email"): emails})
    listed = frozenset(sha256_hex(emails.sample(1000, seed=1)).to_list())
    stage = suppressed_expr(frame.schema, Suppression(sha256=listed))
    with_stage = median_seconds(lambda: frame.select(stage))
    plain = median_seconds(lambda: frame.select(pl.col("email").str.to_lowercase()))
    print(f"rows: {rows:,}")
    print(f"hashlib once per distinct value: {per_value:.2f} s")
    speedup = per_value / vectorised
    print(f"sha256_hex (polars-hash, vectorised): {vectorised:.2f} s ({speedup:.1f}x)")
    print(f"suppression stage with a hash list: {with_stage:.2f} s")
    print(f"plain lowercase select (baseline): {plain:.2f} s ({with_stage / plain:.1f}x)")


if __name__ == "__main__":
    main()
