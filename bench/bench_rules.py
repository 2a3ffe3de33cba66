"""Rules on a million normalised rows: `apply_rules` with rules.example.toml and with
the built-in rules, against a plain `select` of the same columns and the whole run.

    python bench/bench_rules.py [ROWS]

The input is normalised first (not timed); each figure is the median of 3 runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

HERE = Path(__file__).parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from timing import median_seconds  # noqa: E402

from leadtriage.columns import add_raw_fields, map_columns  # noqa: E402
from leadtriage.normalize import normalize  # noqa: E402
from leadtriage.normalize.presence import flag_presence  # noqa: E402
from leadtriage.rules import apply_rules, load_rules  # noqa: E402


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    frame = generate(rows).with_columns(
        pl.lit("export.csv").alias("source_file"), pl.int_range(1, pl.len() + 1).alias("source_row")
    )
    data = [c for c in frame.columns if c not in ("source_file", "source_row")]
    lf = flag_presence(add_raw_fields(frame.lazy(), map_columns(data)), data)
    normalised = normalize(lf).collect()
    example = load_rules(REPO / "rules.example.toml")
    builtin = load_rules(None)
    plain = median_seconds(lambda: normalised.lazy().select(data).collect())
    with_example = median_seconds(lambda: apply_rules(normalised.lazy(), example).collect())
    with_builtin = median_seconds(lambda: apply_rules(normalised.lazy(), builtin).collect())
    print(
        json.dumps(
            {
                "rows": rows,
                "plain_select_s": round(plain, 3),
                "example_rules_s": round(with_example, 3),
                "builtin_rules_s": round(with_builtin, 3),
                "example_rules": len(example.rules),
                "builtin_rules": len(builtin.rules),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
