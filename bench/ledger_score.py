"""Returning-person precision and recall of the ledger over two nights of labelled rows.

    .venv/bin/python bench/dedupe_generate.py --rows 10000 --crm 1000 --families heldout \
        --seed 11 --out /tmp/ls/gen
    .venv/bin/python bench/ledger_score.py /tmp/ls/gen/export.csv --dir /tmp/ls

Splits the generator's export into two nights by a stable hash of each row (so a
person's rows fall into either night or both), runs the real command on night 1 and
then night 2 with one `--ledger`, and scores night 2: a row is truly returning when
its `gen_person_id` had a row in night 1, found returning when its `person_id` was
given in night 1, and found right when night 1's rows with that `person_id` include
its `gen_person_id`. Precision = right / found; recall = right / truly returning.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import polars as pl

OUTPUTS = ("accepted.csv", "review.csv", "rejected.csv")


def split_nights(export: Path, folder: Path) -> tuple[Path, Path]:
    rows = pl.read_csv(export, infer_schema=False)
    night = pl.Series(range(rows.height)).hash(seed=13) % 2
    paths = (folder / "night1.csv", folder / "night2.csv")
    for number, path in enumerate(paths):
        rows.filter(night == number).write_csv(path)
    return paths


def run_night(night: Path, ledger: Path, out: Path) -> pl.DataFrame:
    subprocess.run(
        [
            *(sys.executable, "-m", "leadtriage", "clean", str(night)),
            *("--ledger", str(ledger), "-o", str(out), "-q", "--force"),
        ],
        check=True,
        env=os.environ,
    )
    frames = [
        pl.read_csv(out / name, infer_schema=False).select("gen_person_id", "person_id")
        for name in OUTPUTS
        if (out / name).exists()
    ]
    return pl.concat(frames)


def score(first: pl.DataFrame, second: pl.DataFrame) -> dict[str, float]:
    known_people = first["gen_person_id"].drop_nulls().unique().implode()
    given_ids = first["person_id"].drop_nulls().unique().implode()
    truth = pl.col("gen_person_id").is_in(known_people)
    found = pl.col("person_id").is_in(given_ids)
    pairs = first.drop_nulls().unique().with_columns(pl.lit(True).alias("right"))
    judged = second.with_columns(truth.alias("returning"), found.alias("found")).join(
        pairs, on=["person_id", "gen_person_id"], how="left"
    )
    returning = int(judged["returning"].sum())
    found_rows = int(judged["found"].sum())
    right = int(judged.filter(pl.col("found"))["right"].fill_null(False).sum())
    precision = right / found_rows if found_rows else 1.0
    recall = right / returning if returning else 1.0
    return {
        "night2_rows": second.height,
        "returning": returning,
        "found": found_rows,
        "right": right,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path, help="export.csv of bench/dedupe_generate.py")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ledger_score"))
    arguments = parser.parse_args()
    arguments.dir.mkdir(parents=True, exist_ok=True)
    ledger = arguments.dir / "ledger.duckdb"
    ledger.unlink(missing_ok=True)
    night1, night2 = split_nights(arguments.export, arguments.dir)
    first = run_night(night1, ledger, arguments.dir / "out1")
    second = run_night(night2, ledger, arguments.dir / "out2")
    print(score(first, second))


if __name__ == "__main__":
    main()
