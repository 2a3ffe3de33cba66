"""Time deduplication and CRM matching on a generated export; report peak memory.

    .venv/bin/python bench/dedupe_bench.py bench/data/10k --out bench/out/10k

Until ``leadtriage clean --crm`` runs the whole pipeline, the clean and key
columns the dedupe stage reads are made here by a MINIMAL STAND-IN for the
normalisation stages (clearly not them): lowercase email with gmail dots and +tags
removed for the key, free and role mailboxes from the package lists, phones in
international form reduced to E.164 digits, names and companies through
``normalize.text.match_key`` with common legal forms dropped. The timings cover
only ``deduplicate`` and ``match_crm``. Writes ``all.csv`` (every row, its truth
column and the dedupe/CRM columns) for ``bench/dedupe_score.py``.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import polars as pl

from leadtriage.dedupe import DedupeConfig, deduplicate, match_crm
from leadtriage.frame import flag, raw
from leadtriage.normalize.text import data_lines, match_key

_LEGAL_FORMS = (
    r"\b(inc|llc|corp|ltd|limited|plc|gmbh|ag|co|kg|sarl|sa|sas|s l|s a|sl|spa|s p a|srl"
    r"|s r l|bv|b v|nv|n v)\b"
)


def stand_in_normalise(path: Path, source_file: str) -> pl.LazyFrame:
    """NOT the real normalisation stages: just enough for the dedupe columns."""
    lf = pl.scan_csv(path, infer_schema=False).with_columns(
        pl.lit(source_file).alias("source_file"),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("source_row"),
    )
    names = lf.collect_schema().names()
    record = pl.col("Record ID") if "Record ID" in names else pl.lit(None, dtype=pl.String)
    email = pl.col("Email").str.strip_chars().str.to_lowercase()
    valid = email.str.contains(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    local, domain = email.str.split("@").list.first(), email.str.split("@").list.last()
    gmail = domain.is_in(["gmail.com", "googlemail.com"])
    key_local = (
        pl.when(gmail)
        .then(local.str.replace(r"\+.*$", "").str.replace_all(".", "", literal=True))
        .otherwise(local)
    )
    phone_digits = pl.col("Phone").str.replace_all(r"\D", "").str.replace(r"^00", "")
    phone = pl.when(phone_digits.str.len_chars().is_between(8, 15)).then(pl.lit("+") + phone_digits)
    free = list(data_lines("email_free_domains.txt"))
    roles = list(data_lines("email_role_locals.txt"))
    company_key = (
        match_key(pl.col("Company"))
        .str.replace_all(_LEGAL_FORMS, "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    return lf.with_columns(
        record.alias(raw("record_id")),
        pl.when(valid).then(email).alias("email"),
        pl.when(valid).then(key_local + "@" + domain).alias("email_key"),
        pl.when(valid).then(domain).alias("email_domain"),
        (valid & domain.is_in(free)).fill_null(False).alias(flag("email.free")),
        (valid & local.is_in(roles)).fill_null(False).alias(flag("email.role")),
        phone.alias("phone_e164"),
        pl.col("First Name").alias("first_name"),
        pl.col("Last Name").alias("last_name"),
        match_key(pl.col("First Name")).alias("first_name_key"),
        match_key(pl.col("Last Name")).alias("last_name_key"),
        pl.col("Company").alias("company"),
        pl.when(company_key != "").then(company_key).alias("company_key"),
        pl.col("Job Title").alias("job_title"),
        pl.col("Country").alias("country_code"),
        pl.col("Created").alias("created_at"),
        (pl.col("Lead Source") if "Lead Source" in names else pl.lit(None)).alias("source"),
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder with export.csv and crm.csv")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    export = stand_in_normalise(args.data / "export.csv", "export.csv").collect()
    crm = stand_in_normalise(args.data / "crm.csv", "crm.csv").collect()
    print(
        f"rows {export.height}, CRM records {crm.height}, peak RSS after read "
        f"{peak_rss_mb():.0f} MB"
    )
    config = DedupeConfig()
    # CPU seconds (all threads) beside wall seconds: on a shared machine the wall
    # clock mostly measures the neighbours.
    start, cpu = time.perf_counter(), time.process_time()
    deduped, stats = deduplicate(export.lazy(), config)
    deduped_df = deduped.collect()
    print(
        f"deduplicate: wall {time.perf_counter() - start:.2f} s, "
        f"cpu {time.process_time() - cpu:.2f} s, peak RSS so far {peak_rss_mb():.0f} MB  {stats}"
    )
    start, cpu = time.perf_counter(), time.process_time()
    matched, crm_stats = match_crm(deduped_df.lazy(), crm.lazy(), config)
    matched_df = matched.collect()
    print(
        f"match_crm:   wall {time.perf_counter() - start:.2f} s, "
        f"cpu {time.process_time() - cpu:.2f} s  {crm_stats}"
    )
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    args.out.mkdir(parents=True, exist_ok=True)
    matched_df.select(
        "source_file",
        "source_row",
        "gen_person_id",
        "cluster_id",
        "match_evidence",
        "duplicate_count",
        flag("duplicate"),
        flag("duplicate.possible"),
        "crm_record_id",
        flag("crm.ambiguous"),
        "crm_match_evidence",
    ).write_csv(args.out / "all.csv")


if __name__ == "__main__":
    main()
