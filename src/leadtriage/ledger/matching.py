"""Find tonight's people in the ledger with the shared matcher (dedupe's and the CRM's).

A ledger person is a set of records: every name (with the company it came with) crossed
with every address and every phone the ledger holds for them. Tonight's rows are
compared with those records exactly as a run's rows are compared with CRM records:
dedupe's blocking keys pair them, dedupe's comparisons and Fellegi-Sunter scoring
judge them (with its guards: different business domains veto, a shared address or
phone with another first name is a family's), and only a MATCH counts.

Only the people a row could meet travel from DuckDB: those sharing an address, its
alias, a half of it (one slip of a letter: blocking's `email_halves`, unless more
than MAX_PEOPLE_PER_HALF people share that half), a phone, or a company or work
domain together with a name initial (every blocking token holds one of the two
initials, so this loses no pair blocking would make but those of common halves). A
10-million-person ledger is scanned, never loaded. u-probabilities come from
tonight's rows against a fixed sample of the ledger's people (by hash of their id, so
a rerun gets the same sample), as the CRM match uses the whole CRM export. Every query
reads the ledger "as it was before run `before`" (``run_id < before``).

Columns of ``[dedupe] compare`` are not stored in the ledger, so they take no part
here. A row takes its best person (lowest tier: email, phone, other; then highest
probability; then smallest id); the rows of one dedupe cluster then share the best
person any of them found.
"""

from __future__ import annotations

import hashlib
from typing import Final

import duckdb
import polars as pl

from leadtriage.dedupe.blocking import (
    email_alias,
    email_halves,
    pairs_between,
    split_email,
)
from leadtriage.dedupe.comparisons import comparisons_for
from leadtriage.dedupe.config import DedupeConfig
from leadtriage.dedupe.features import TYPED_INITIALS, build_features
from leadtriage.dedupe.model import fit
from leadtriage.dedupe.scoring import MATCH, keyed, pair_levels, score_pairs
from leadtriage.ledger.keys import (
    CLUSTER,
    EMAIL_NORM,
    ROW_NR,
)
from leadtriage.schema import Col

TIER: Final = "tier"
# How well a candidate matched (internal to the candidate frame; not the rules score).
SCORE: Final = "match_score"

_REACH: Final = "ledger_reach"
# A half of an address (blocking's `email_halves`) that more of the ledger's people
# share than this reaches none of them: "john.@gmail.com" pairs strangers.
MAX_PEOPLE_PER_HALF: Final = 50
_ANCHORS: Final = "ledger_anchors"
_HALVES: Final = "ledger_halves"
_PEOPLE: Final = "ledger_people"

# A person's records are their names x addresses x phones; one who has piled up more
# combinations than this keeps the first by content (the rest add nothing blocking
# would not find in those).
MAX_RECORDS_PER_PERSON: Final = 64
# People of the ledger the u-probabilities are estimated on (by hash of the id).
U_SAMPLE_PEOPLE: Final = 20_000

# One scan of person_names per anchor kind; the initial is checked after the join.
_ANCHORED = """
SELECT n.person_id FROM person_names n JOIN {anchors} a ON a.anchor = {anchor}
WHERE n.run_id < $before AND a.kind = '{kind}'
  AND a.initial IN (left(n.first_name_key, 1), left(n.last_name_key, 1))
"""

# The company key as the matcher's features hold it: without its spaces.
_COMPANY_ANCHOR: Final = f"replace(n.{Col.COMPANY_KEY}, ' ', '')"

_REACHED = f"""
SELECT person_id FROM person_emails
WHERE run_id < $before AND email_key IN (SELECT value FROM {_REACH} WHERE kind = 'email')
UNION
SELECT person_id FROM person_emails
WHERE run_id < $before AND email_alias IN (SELECT value FROM {_REACH} WHERE kind = 'alias')
UNION
SELECT person_id FROM person_phones
WHERE run_id < $before AND phone_e164 IN (SELECT value FROM {_REACH} WHERE kind = 'phone')
UNION
SELECT person_id FROM (
    WITH matched AS (
        SELECT person_id, side, piece, domain FROM (
            SELECT person_id, domain, unnest(['<', '>', '<', '>']) AS side, unnest([
                left(local, length(local) // 2),
                right(local, length(local) // 2),
                left(local, (length(local) - 1) // 2),
                right(local, (length(local) - 1) // 2)
            ]) AS piece
            FROM (
                SELECT person_id, split_part(email_key, '@', 1) AS local,
                       split_part(email_key, '@', 2) AS domain
                FROM person_emails
                WHERE run_id < $before AND NOT coalesce(email_role, false)
                  AND split_part(email_key, '@', 2) IN (SELECT domain FROM {_HALVES})
            )
        ) JOIN {_HALVES} USING (side, piece, domain)
    ),
    common AS (
        SELECT side, piece, domain FROM matched GROUP BY side, piece, domain
        HAVING count(DISTINCT person_id) > {MAX_PEOPLE_PER_HALF}
    )
    SELECT person_id FROM matched ANTI JOIN common USING (side, piece, domain)
)
UNION
{
    " UNION ".join(
        _ANCHORED.format(anchors=_ANCHORS, anchor=anchor, kind=kind)
        for kind, anchor in (("company", _COMPANY_ANCHOR), ("domain", "n.work_domain"))
    )
}
"""

_PEOPLE_BEFORE = "SELECT count(*) FROM people WHERE first_run_id < $before"

_SAMPLED = f"""
SELECT person_id FROM people WHERE first_run_id < $before
ORDER BY hash(person_id), person_id LIMIT {U_SAMPLE_PEOPLE}
"""

_RECORD_ORDER: Final = """e.email_key, ph.phone_e164, n.last_name_key, n.first_name_key,
         n.company_key, n.last_name, n.first_name, n.first_initials"""

# The records of the people in {_PEOPLE}, shaped as dedupe's feature inputs (a name as
# written is null where a version 2 ledger stored only its key).
_RECORDS = f"""
WITH names AS (
    SELECT DISTINCT person_id, first_name_key, last_name_key, company_key, first_name, last_name,
           first_initials
    FROM person_names
    WHERE run_id < $before AND person_id IN (SELECT person_id FROM {_PEOPLE})
),
emails AS (
    SELECT DISTINCT person_id, email_key, email_free, email_role FROM person_emails
    WHERE run_id < $before AND person_id IN (SELECT person_id FROM {_PEOPLE})
),
phones AS (
    SELECT DISTINCT person_id, phone_e164 FROM person_phones
    WHERE run_id < $before AND person_id IN (SELECT person_id FROM {_PEOPLE})
)
SELECT p.person_id, e.email_key, regexp_extract(e.email_key, '[^@]*$') AS email_domain,
       e.email_free AS "flag.email.free", e.email_role AS "flag.email.role", ph.phone_e164,
       n.first_name_key, n.last_name_key, n.company_key, n.first_name, n.last_name,
       n.first_initials AS {TYPED_INITIALS}
FROM (SELECT DISTINCT person_id FROM {_PEOPLE}) p
LEFT JOIN names n USING (person_id)
LEFT JOIN emails e USING (person_id)
LEFT JOIN phones ph USING (person_id)
QUALIFY row_number() OVER (
    PARTITION BY p.person_id
    ORDER BY {_RECORD_ORDER}
) <= {MAX_RECORDS_PER_PERSON}
ORDER BY p.person_id, {_RECORD_ORDER}
"""

_CANDIDATE_SCHEMA: Final = {
    ROW_NR: pl.Int64,
    Col.PERSON_ID: pl.String,
    TIER: pl.Int8,
    SCORE: pl.Float64,
}


def _reach(features: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Tonight's key values (kind, value), anchors (kind, anchor, initial) and halves
    of addresses (side, piece, domain)."""
    keyed = [
        ("email", pl.col(Col.EMAIL_KEY)),
        ("alias", email_alias(pl.col(Col.EMAIL_KEY)).filter(~pl.col("email_role"))),
        ("phone", pl.col("phone")),
    ]
    values = pl.concat(
        [
            features.select(pl.lit(kind).alias("kind"), value.alias("value")).drop_nulls()
            for kind, value in keyed
        ]
    ).unique()
    # Halves of an address only pair rows with full names (blocking's
    # `email_half_keys`); the initials are checked when blocking pairs the records.
    named_own = features.filter(
        pl.col("first").is_not_null() & pl.col("last").is_not_null() & ~pl.col("email_role")
    )
    local, domain = split_email(pl.col(Col.EMAIL_KEY))
    halves = pl.concat(
        [
            named_own.select(
                pl.lit(side).alias("side"), piece.alias("piece"), domain.alias("domain")
            ).drop_nulls()
            for side, piece in email_halves(local)
        ]
    ).unique()
    named = features.filter(pl.col("first").is_not_null() & pl.col("last").is_not_null())
    anchors = pl.concat(
        [
            named.select(
                pl.lit(kind).alias("kind"),
                pl.col(column).alias("anchor"),
                pl.col(part).str.slice(0, 1).alias("initial"),
            ).drop_nulls()
            for kind, column in (("company", Col.COMPANY_KEY), ("domain", "business_domain"))
            for part in ("first", "last")
        ]
    ).unique()
    return values, anchors, halves


def _records(
    connection: duckdb.DuckDBPyConnection, before: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The records of the people tonight could meet, and of the sample u is estimated
    on: one pass over the ledger's tables for both (see the module docstring)."""
    params = {"before": before}
    reached: pl.DataFrame = connection.sql(_REACHED, params=params).pl()
    sampled: pl.DataFrame = connection.sql(_SAMPLED, params=params).pl()
    connection.register(_PEOPLE, pl.concat([reached, sampled]).unique())
    try:
        records: pl.DataFrame = connection.sql(_RECORDS, params=params).pl()
    finally:
        connection.unregister(_PEOPLE)
    of = pl.col(Col.PERSON_ID)
    return (
        records.filter(of.is_in(reached[Col.PERSON_ID].implode())),
        records.filter(of.is_in(sampled[Col.PERSON_ID].implode())),
    )


def candidates(
    connection: duckdb.DuckDBPyConnection,
    tonight_inputs: pl.DataFrame,
    *,
    before: int,
    config: DedupeConfig,
) -> pl.DataFrame:
    """Every (row, person) the shared matcher calls a MATCH, with its tier and
    probability; `tonight_inputs` holds dedupe's input columns, one row per row."""
    empty = pl.DataFrame(schema=_CANDIDATE_SCHEMA)
    if not config.enabled or tonight_inputs.height == 0:
        return empty
    left = build_features(tonight_inputs)
    values, anchors, halves = _reach(left)
    connection.register(_REACH, values)
    connection.register(_ANCHORS, anchors)
    connection.register(_HALVES, halves)
    try:
        records, sample = _records(connection, before)
    finally:
        connection.unregister(_REACH)
        connection.unregister(_ANCHORS)
        connection.unregister(_HALVES)
    if records.height == 0:
        return empty
    right = build_features(records)
    pairs = pairs_between(left, right, config.evidence, config.max_block_size)
    if pairs.height == 0:
        return empty
    comparisons = comparisons_for({})
    levels = keyed(pair_levels(left, right, pairs, comparisons))
    # The sample stands for every person's records: the model's view over all pairs
    # needs how many (row, record) pairs there are.
    counted = connection.sql(_PEOPLE_BEFORE, params={"before": before}).fetchall()
    people = float(counted[0][0]) if counted else 0.0
    sampled_people = max(sample[Col.PERSON_ID].n_unique(), 1)
    records_per_person = sample.height / sampled_people if sample.height else 1.0
    model = fit(
        left,
        build_features(sample),
        levels,
        comparisons,
        same_side=False,
        right_population=max(people * records_per_person, float(sample.height)),
    )
    scored = score_pairs(levels, model, config).filter(pl.col("verdict") == MATCH)
    return scored.select(
        pl.col("i").cast(pl.Int64).alias(ROW_NR),
        records[Col.PERSON_ID].gather(scored["j"]).alias(Col.PERSON_ID),
        pl.col("tier").cast(pl.Int8).alias(TIER),
        pl.col("probability").cast(pl.Float64).alias(SCORE),
    )


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
