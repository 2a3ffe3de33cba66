"""Pairwise precision, recall and F1 of the dedupe clusters and of the CRM matches.

    .venv/bin/python bench/dedupe_score.py OUT_DIR bench/data/10k/crm.csv

Reads every CSV in OUT_DIR (``accepted``/``review``/``rejected`` of ``leadtriage
clean``, or ``all.csv`` of ``bench/dedupe_bench.py``); each needs the generator's
``gen_person_id``, ``cluster_id`` and ``crm_record_id``. A pair of rows is a true
pair when they share ``gen_person_id`` and a predicted pair when they share
``cluster_id`` (rows without one stand alone). A CRM match is right when the
record's ``gen_person_id`` is the row's. Where the outputs carry ``possible_partner``
(``leadtriage clean``'s review and rejected files), the ``possible`` line gives the rows
flagged ``duplicate.possible`` and how many of their partners are truly the same person
(issue 13: at most 2% of rows, at most half of them the same person).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl


def _pairs(counts: pl.Expr) -> pl.Expr:
    return (counts * (counts - 1) / 2).sum()


def prf(tp: float, predicted: float, actual: float) -> tuple[float, float, float]:
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cluster_scores(rows: pl.DataFrame) -> dict[str, float]:
    rows = rows.with_row_index("_n").with_columns(
        pl.coalesce("cluster_id", pl.lit("row") + pl.col("_n").cast(pl.String)).alias("_cluster")
    )
    tp = rows.group_by("_cluster", "gen_person_id").len().select(_pairs(pl.col("len"))).item()
    predicted = rows.group_by("_cluster").len().select(_pairs(pl.col("len"))).item()
    actual = rows.group_by("gen_person_id").len().select(_pairs(pl.col("len"))).item()
    precision, recall, f1 = prf(tp, predicted, actual)
    return {
        "true_pairs": actual,
        "predicted_pairs": predicted,
        "correct_pairs": tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def crm_scores(rows: pl.DataFrame, crm: pl.DataFrame) -> dict[str, float]:
    truth = crm.select(pl.col("Record ID").alias("_expected"), "gen_person_id")
    joined = rows.join(truth, on="gen_person_id", how="left")
    predicted = joined.filter(pl.col("crm_record_id").is_not_null())
    correct = predicted.filter(pl.col("crm_record_id") == pl.col("_expected")).height
    actual = joined.filter(pl.col("_expected").is_not_null()).height
    precision, recall, f1 = prf(correct, predicted.height, actual)
    return {
        "rows_in_crm": actual,
        "matched": predicted.height,
        "correct": correct,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def possible_scores(rows: pl.DataFrame) -> dict[str, float]:
    label = pl.col("source_file") + pl.lit(":") + pl.col("source_row")
    people = rows.select(label.alias("possible_partner"), pl.col("gen_person_id").alias("_other"))
    flagged = rows.filter(pl.col("possible_partner").is_not_null())
    joined = flagged.join(people, on="possible_partner", how="left")
    same = joined.filter(pl.col("gen_person_id") == pl.col("_other")).height
    return {
        "rows": flagged.height,
        "share_of_rows": flagged.height / rows.height if rows.height else 0.0,
        "partner_same_person": same / flagged.height if flagged.height else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("crm", type=Path)
    args = parser.parse_args()
    columns = ["gen_person_id", "cluster_id", "crm_record_id"]
    optional = ["source_file", "source_row", "possible_partner"]
    frames = []
    for path in sorted(args.out_dir.glob("*.csv")):
        frame = pl.read_csv(path, infer_schema=False)
        frames.append(frame.select(*columns, *(c for c in optional if c in frame.columns)))
    rows = pl.concat(frames, how="diagonal")
    crm = pl.read_csv(args.crm, infer_schema=False, columns=["Record ID", "gen_person_id"])
    scored = [("clusters", cluster_scores(rows)), ("crm", crm_scores(rows, crm))]
    if all(c in rows.columns for c in optional):
        scored.append(("possible", possible_scores(rows)))
    for name, scores in scored:
        print(
            name,
            "  ".join(
                f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in scores.items()
            ),
        )


if __name__ == "__main__":
    main()
