"""Find tonight's people in the ledger: candidates from DuckDB by blocking keys, scored here.

Three ways a row finds a person, strongest first (the tier, numbered like dedupe's):

1. the same `email_key` (names are not compared: the key is the person);
2. the same `phone_e164` and matching names;
3. matching names and the same `company_key` or the same non-free email domain.

"Matching names" is the dedupe package's verdict, not a second scorer: its features
(nickname groups, first/last parts) and `name_similarities`, held to the rules'
`[dedupe]` thresholds `name_match` and `name_part_floor`. Dedupe's namesake veto (two
different addresses at one business domain) does not apply here: the ledger keeps a
person's names beside their work domain, not beside each address.

Only tonight's keys travel: they are pushed into DuckDB (a registered Arrow view) and
joined with the ledger's tables there, so a 10-million-person ledger is scanned, never
loaded. Every query reads the ledger "as it was before run `before`" (``run_id < before``).

A row takes its best candidate (lowest tier, then highest score, then smallest id); the
rows of one dedupe cluster then share the best person any of them found.
"""

from __future__ import annotations

import hashlib
from typing import Final

import duckdb
import polars as pl

from leadtriage.dedupe.comparisons import aligned
from leadtriage.dedupe.config import DedupeConfig
from leadtriage.dedupe.features import build_features
from leadtriage.dedupe.scoring import name_similarities
from leadtriage.ledger.keys import (
    CLUSTER,
    EMAIL_NORM,
    ROW_NR,
)
from leadtriage.schema import Col

TONIGHT: Final = "ledger_tonight"
TIER: Final = "tier"
# How well a candidate matched (internal to the candidate frame; not the rules score).
SCORE: Final = "match_score"

# A row with more name candidates than this (a common surname at a big employer) keeps
# the most alike; a block whose tonight x ledger pairs exceed MAX_PAIRS_PER_BLOCK is
# skipped: scoring thousands of Smiths at one employer buys nothing but minutes.
MAX_NAME_CANDIDATES_PER_ROW: Final = 200
MAX_PAIRS_PER_BLOCK: Final = 100_000

_EMAIL_MATCHES = f"""
SELECT DISTINCT t.row_nr, e.person_id
FROM {TONIGHT} t JOIN person_emails e ON e.email_key = t.email_key
WHERE e.run_id < $before
"""

_PHONE_CANDIDATES = f"""
WITH phoned AS (
    SELECT DISTINCT t.row_nr, p.person_id, t.first_name_key AS first_a, t.last_name_key AS last_a
    FROM {TONIGHT} t JOIN person_phones p ON p.phone_e164 = t.phone_e164
    WHERE p.run_id < $before AND t.last_name_key IS NOT NULL
)
SELECT DISTINCT ph.row_nr, ph.person_id, ph.first_a, ph.last_a,
       n.first_name_key AS first_b, n.last_name_key AS last_b
FROM phoned ph JOIN person_names n ON n.person_id = ph.person_id
WHERE n.run_id < $before AND n.last_name_key IS NOT NULL
"""

# Only ledger rows sharing an anchor (company or work domain) with a row tonight are read
# twice; a block whose pairs would explode (thousands of "John" at one employer on both
# sides) is skipped rather than scored: tier 3 is a convenience, not worth minutes.
_BLOCKS = tuple(
    (anchor, block)
    for anchor in (Col.COMPANY_KEY, "work_domain")
    for block in ("last_prefix", Col.FIRST_NAME_KEY)
)

_BLOCK_PAIRS = """
SELECT t.row_nr, n.person_id, t.first_name_key AS first_a, t.last_name_key AS last_a,
       n.first_name_key AS first_b, n.last_name_key AS last_b
FROM (
    SELECT tb.anchor, tb.block FROM
        (SELECT {anchor} AS anchor, {block} AS block, count(*) AS size FROM named
         WHERE {anchor} IS NOT NULL GROUP BY ALL) tb
    JOIN
        (SELECT {anchor} AS anchor, {block} AS block, count(*) AS size FROM anchored
         WHERE {anchor} IS NOT NULL GROUP BY ALL) lb
    USING (anchor, block)
    WHERE tb.size * lb.size <= {max_pairs}
) ok
JOIN named t ON t.{anchor} = ok.anchor AND t.{block} = ok.block
JOIN anchored n ON n.{anchor} = ok.anchor AND n.{block} = ok.block
"""

_NAME_CANDIDATES = f"""
WITH named AS MATERIALIZED (
    SELECT row_nr, first_name_key, last_name_key, company_key, work_domain,
           left(last_name_key, 2) AS last_prefix
    FROM {TONIGHT}
    WHERE first_name_key IS NOT NULL AND last_name_key IS NOT NULL
      AND (company_key IS NOT NULL OR work_domain IS NOT NULL)
),
anchored AS MATERIALIZED (
    SELECT person_id, first_name_key, last_name_key, company_key, work_domain,
           left(last_name_key, 2) AS last_prefix
    FROM person_names
    WHERE run_id < $before AND first_name_key IS NOT NULL AND last_name_key IS NOT NULL
      AND (company_key IN (SELECT company_key FROM named)
           OR work_domain IN (SELECT work_domain FROM named))
),
pairs AS (
    {
    " UNION ".join(
        _BLOCK_PAIRS.format(anchor=anchor, block=block, max_pairs=MAX_PAIRS_PER_BLOCK)
        for anchor, block in _BLOCKS
    )
}
)
SELECT * FROM pairs
QUALIFY row_number() OVER (
    PARTITION BY row_nr
    ORDER BY (last_a = last_b) DESC, (first_a = first_b) DESC, person_id
) <= {MAX_NAME_CANDIDATES_PER_ROW}
"""

_CANDIDATE_SCHEMA: Final = {
    ROW_NR: pl.Int64,
    Col.PERSON_ID: pl.String,
    TIER: pl.Int8,
    SCORE: pl.Float64,
}


def _query(connection: duckdb.DuckDBPyConnection, sql: str, before: int) -> pl.DataFrame:
    found: pl.DataFrame = connection.sql(sql, params={"before": before}).pl()
    return found


# The columns dedupe's features read a person's name from.
NAME_INPUTS: Final = (
    Col.FIRST_NAME,
    Col.LAST_NAME,
    Col.FIRST_NAME_KEY,
    Col.LAST_NAME_KEY,
    Col.FULL_NAME,
)


def _distinct_features(names: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """Dedupe's features of each distinct name once, and every row's index into them."""
    distinct = names.unique(maintain_order=True)
    at = names.join(
        distinct.with_row_index("at"),
        on=names.columns,
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )["at"]
    return build_features(distinct), at


def _scored(
    pairs: pl.DataFrame, tonight_names: pl.DataFrame, *, tier: int, config: DedupeConfig
) -> pl.DataFrame:
    """Keep the pairs whose names match by the dedupe scorer and its thresholds.

    `tonight_names` holds NAME_INPUTS, one row per input row (indexed by `row_nr`); the
    ledger side carries only the name keys it stored.
    """
    if pairs.height == 0:
        return pl.DataFrame(schema=_CANDIDATE_SCHEMA)
    left, i = _distinct_features(tonight_names.select(pl.all().gather(pairs[ROW_NR])))
    right, j = _distinct_features(
        pairs.select(
            pl.col("first_b").alias(Col.FIRST_NAME_KEY), pl.col("last_b").alias(Col.LAST_NAME_KEY)
        )
    )
    names = name_similarities(aligned(left, right, pl.DataFrame({"i": i, "j": j})))
    matches = (
        pl.col("name_known")
        & (pl.col("name_score") >= config.name_match)
        & (pl.col("name_part_min") >= config.name_part_floor)
    )
    return (
        pairs.select(pl.col(ROW_NR).cast(pl.Int64), Col.PERSON_ID)
        .with_columns(
            pl.lit(tier, dtype=pl.Int8).alias(TIER),
            names["name_score"].cast(pl.Float64).alias(SCORE),
            names.select(matches.fill_null(False)).to_series().alias("matches"),
        )
        .filter(pl.col("matches"))
        .drop("matches")
    )


def candidates(
    connection: duckdb.DuckDBPyConnection,
    tonight_names: pl.DataFrame,
    *,
    before: int,
    config: DedupeConfig,
) -> pl.DataFrame:
    """Every (row, person) the ledger offers, with its tier and score; `TONIGHT` registered."""
    by_email = (
        _query(connection, _EMAIL_MATCHES, before)
        .select(pl.col(ROW_NR).cast(pl.Int64), Col.PERSON_ID)
        .with_columns(pl.lit(1, dtype=pl.Int8).alias(TIER), pl.lit(1.0).alias(SCORE))
    )
    phone_pairs = _query(connection, _PHONE_CANDIDATES, before)
    name_pairs = _query(connection, _NAME_CANDIDATES, before)
    by_phone = _scored(phone_pairs, tonight_names, tier=2, config=config)
    by_name = _scored(name_pairs, tonight_names, tier=3, config=config)
    return pl.concat([by_email.cast(_CANDIDATE_SCHEMA), by_phone, by_name])  # type: ignore[arg-type]


def _best_first(frame: pl.DataFrame, by: str) -> pl.DataFrame:
    return frame.sort(
        [by, TIER, SCORE, Col.PERSON_ID], descending=[False, False, True, False]
    ).unique(subset=by, keep="first", maintain_order=True)


def resolve(tonight: pl.DataFrame, found: pl.DataFrame, *, run_hash: str) -> pl.DataFrame:
    """`row_nr` -> `person_id`, `tier` (null for a person new tonight), one row per input row.

    `tonight` holds `row_nr`, `cluster` and the key columns; a cluster nobody found gets
    a new id derived from the run's content hash and its first row, so a rerun gets the
    same ids; a cluster of blank rows gets none.
    """
    per_row = _best_first(found, ROW_NR)
    per_cluster = _best_first(
        tonight.select(ROW_NR, CLUSTER).join(per_row, on=ROW_NR, how="inner"), CLUSTER
    ).select(CLUSTER, Col.PERSON_ID, TIER)
    # A cluster of blank rows (no key at all) is nobody: it gets no new id.
    keyed = pl.any_horizontal(pl.col(name).is_not_null() for name in _PERSON_KEYS)
    clusters = tonight.group_by(CLUSTER).agg(
        pl.col(ROW_NR).min().alias("first_row"), keyed.any().alias("keyed")
    )
    assigned = clusters.join(per_cluster, on=CLUSTER, how="left")
    unmatched = assigned.filter(pl.col(Col.PERSON_ID).is_null() & pl.col("keyed"))
    new_ids = pl.Series(
        [new_person_id(run_hash, row) for row in unmatched["first_row"]], dtype=pl.String
    )
    unmatched = unmatched.with_columns(new_ids.alias(Col.PERSON_ID))
    by_cluster = pl.concat(
        [assigned.filter(pl.col(Col.PERSON_ID).is_not_null()), unmatched], how="vertical_relaxed"
    )
    return (
        tonight.select(ROW_NR, CLUSTER)
        .join(
            by_cluster.select(CLUSTER, Col.PERSON_ID, TIER),
            on=CLUSTER,
            how="left",
            maintain_order="left",
        )
        .drop(CLUSTER)
    )


_PERSON_KEYS: Final = (
    EMAIL_NORM,
    Col.EMAIL_KEY,
    Col.PHONE_E164,
    Col.FIRST_NAME_KEY,
    Col.LAST_NAME_KEY,
    Col.COMPANY_KEY,
)


def new_person_id(run_hash: str, row_nr: int) -> str:
    """``p_`` + 80 bits of SHA-256(run hash, row position): stable for the same inputs."""
    return "p_" + hashlib.sha256(f"{run_hash}:{row_nr}".encode()).hexdigest()[:20]
