"""Match the rows of a run against a CRM export: which ones are already there.

The CRM export has been read, mapped and normalised by the same stages, so it has
the same clean and key columns, plus ``raw.record_id``. Rows are paired with CRM
records through the same blocking keys (joins; the CRM side's oversized blocks
skipped) and scored with the same rules as deduplication. Only matches tie a row to a
record; a row whose best is the grey zone is flagged ``crm.possible`` with those
records in ``crm_candidates``, for a person (imported blindly, it would duplicate a
record). For each row the strongest evidence tier wins (email, then
phone or role email with names, then names with company or domain): one record at
that tier is a match, several are ambiguous. Rows of one dedupe cluster share
their evidence, so a survivor whose work address is new still finds the record
its duplicate's personal address matched. CRM records are never merged with each
other and their ids are never changed.

Adds ``crm_record_id`` (null unless exactly one record matched, under an id no
other CRM row carries), ``flag.crm.existing``, ``flag.crm.ambiguous``,
``flag.crm.possible``, ``crm_match_evidence`` and, on an ambiguous or possible row,
``crm_candidates`` (the record ids it matched or may be, sorted, ``;``-joined).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from leadtriage.dedupe.blocking import (
    EMAIL_ALIAS,
    MOBILE_TAIL,
    PHONE_TAIL,
    email_half_keys,
    pairs_between,
)
from leadtriage.dedupe.comparisons import comparisons_for
from leadtriage.dedupe.config import DEFAULT_CONFIG, DedupeConfig
from leadtriage.dedupe.features import COMPARE_PREFIX, INPUT_COLUMNS, build_features
from leadtriage.dedupe.model import fit
from leadtriage.dedupe.scoring import DIFFERENT, MATCH, keyed, pair_levels, score_pairs
from leadtriage.errors import InputError
from leadtriage.frame import CLUSTER_ID, SOURCE_FILE, SOURCE_ROW, flag, raw
from leadtriage.normalize.email import normalize_email
from leadtriage.schema import Col, Field

CRM_RECORD_ID: Final = Col.CRM_RECORD_ID
CRM_MATCH_EVIDENCE: Final = Col.CRM_MATCH_EVIDENCE
CRM_CANDIDATES: Final = Col.CRM_CANDIDATES
_ROW = "_crm_row"
_GROUP = "_crm_group"
# Excel's rendering of a long number, saved as text: 1.23457E+11 (1,23457E+11 with
# European decimals). Its last digits are gone; no update can name the record.
_ROUNDED_ID: Final = r"^\d+(?:[.,]\d+)?[eE]\+?\d+$"
# A whole number written as a float: pandas writes an id column with blanks so
# (98765432101.0). Exact while a double holds every digit (15 at least).
_FLOAT_ID: Final = r"^(\d{1,15})\.0+$"


def record_id(value: pl.Expr) -> pl.Expr:
    """The record id a CRM issued, from the export's cell: trimmed, a float's ``.0``
    dropped (the CRM never wrote it; an import would not find the record)."""
    text = value.cast(pl.String).str.strip_chars()
    return pl.coalesce(text.str.extract(_FLOAT_ID, 1), text)


@dataclass(frozen=True)
class CrmStats:
    """``records``: CRM rows with a record id (``without_id``: those without one, left
    out; ``repeated_ids``: how many ids more than one row carries, the first few in
    ``repeated_examples``); ``candidate_pairs``: (row, record) pairs blocking
    produced; ``existing`` / ``ambiguous`` / ``possible``: rows flagged so."""

    rows: int
    records: int
    without_id: int
    repeated_ids: int
    repeated_examples: tuple[str, ...]
    candidate_pairs: int
    matched_pairs: int
    existing: int
    ambiguous: int
    possible: int


def _crm_records(crm: pl.LazyFrame, compare: Iterable[str]) -> pl.DataFrame:
    names = crm.collect_schema().names()
    if raw("record_id") not in names:
        raise InputError(
            "the CRM export has no record id column",
            hint="name it Record ID, Id, Contact ID or Lead ID, or map it in the rules file",
        )
    records = crm.select(
        *(c for c in (*INPUT_COLUMNS, *compare) if c in names),
        record_id(pl.col(raw("record_id"))).alias("_record_id"),
    ).collect()
    _refuse_rounded_ids(crm, names)
    return records


def _other_addresses(
    crm: pl.LazyFrame, records: pl.DataFrame, headers: Sequence[str]
) -> pl.DataFrame:
    """The CRM rows again, once for each of `headers` holding an address other than
    the one the email field took, as if it were the row's email (normalised by the
    email stage), in the columns of `records` (`_crm_records`)."""
    names = crm.collect_schema().names()
    copies = []
    for header in (h for h in headers if h in names):
        value = pl.col(header).cast(pl.String).str.strip_chars()
        taken = pl.col(raw(Field.EMAIL)).cast(pl.String).str.strip_chars()
        another = crm.filter((value != "") & (taken.is_null() | (value != taken)))
        as_email = normalize_email(another.with_columns(value.alias(raw(Field.EMAIL))))
        copies.append(
            as_email.filter(pl.col(Col.EMAIL_KEY).is_not_null()).select(
                *(c for c in records.columns if c != "_record_id"),
                record_id(pl.col(raw("record_id"))).alias("_record_id"),
            )
        )
    if not copies:
        return records.clear()
    return pl.concat(pl.collect_all(copies), how="vertical_relaxed")


def _refuse_rounded_ids(crm: pl.LazyFrame, names: list[str]) -> None:
    """Stop on record ids a spreadsheet rounded: an update under one would fail, or
    land on another record; only a new export has the real ids."""
    where = [c for c in (SOURCE_FILE, SOURCE_ROW) if c in names]
    rounded = (
        crm.select(*where, pl.col(raw("record_id")).cast(pl.String).str.strip_chars().alias("id"))
        .filter(pl.col("id").str.contains(_ROUNDED_ID))
        .collect()
    )
    if rounded.is_empty():
        return
    first = rounded.row(0, named=True)
    place = f"{first.get(SOURCE_FILE, 'the CRM export')}: data row {first.get(SOURCE_ROW, '?')}"
    others = f" (and {rounded.height - 1:,} more)" if rounded.height > 1 else ""
    raise InputError(
        f"{place}: record id {first['id']!r}{others} was rounded by a spreadsheet; "
        "no update could name its record",
        hint="export the CRM again and give that file to --crm without opening it in Excel "
        "(or format the id column as Text before saving)",
    )


def match_crm(
    lf: pl.LazyFrame,
    crm: pl.LazyFrame,
    config: DedupeConfig = DEFAULT_CONFIG,
    other_emails: Sequence[str] = (),
) -> tuple[pl.LazyFrame, CrmStats]:
    """Tie each row to the CRM record it already is; see the module docstring and
    `find_crm_records` for `other_emails`."""
    df = lf.collect()
    found, stats = find_crm_records(crm_keys(df, config), crm, config, other_emails)
    return df.hstack(found).lazy(), stats


@dataclass(frozen=True)
class CrmKeys:
    """All that matching reads of the rows, in their order: the matcher's features and
    each row's dedupe group (its cluster, or itself). A fraction of the frame's size, so
    the frame can wait on disk meanwhile."""

    features: pl.DataFrame
    groups: pl.DataFrame


def crm_keys(
    df: pl.DataFrame, config: DedupeConfig = DEFAULT_CONFIG, features: pl.DataFrame | None = None
) -> CrmKeys:
    """The keys of `df`'s rows. `features`: the ones dedupe built from the same rows
    before it filled the survivors' blanks; then only the survivors' are built again
    (at a million rows, building them all took three seconds)."""
    row = pl.int_range(pl.len(), dtype=pl.UInt32).alias(_ROW)
    clustered = CLUSTER_ID in df.columns
    group = (
        pl.coalesce(pl.col(CLUSTER_ID), row.cast(pl.String)) if clustered else row.cast(pl.String)
    )
    groups = df.select(row, group.alias(_GROUP))
    if features is None or not clustered:
        return CrmKeys(build_features(df, config.compare), groups)
    survivor = pl.col(CLUSTER_ID).is_not_null() & ~pl.col(flag("duplicate"))
    filled = df.select(survivor.fill_null(False)).to_series().arg_true()
    # Features are made row by row, so a survivor's built alone are what building
    # every row would give it.
    rebuilt = build_features(df[filled], config.compare)
    # Each row's place among the rebuilt ones (null for the others), so every column
    # is made once, beside the old one: filtering the old rows out and merging the new
    # ones in held three copies of the features at once.
    place = pl.repeat(None, df.height, dtype=pl.UInt32, eager=True).alias(_ROW)
    place.scatter(filled, pl.int_range(filled.len(), dtype=pl.UInt32, eager=True))
    taken = pl.lit(place)
    merged = features.select(
        pl.when(taken.is_not_null())
        .then(pl.lit(rebuilt.get_column(name)).gather(taken))
        .otherwise(pl.col(name))
        .alias(name)
        for name in features.columns
    )
    return CrmKeys(merged, groups)


def find_crm_records(
    keys: CrmKeys,
    crm: pl.LazyFrame,
    config: DedupeConfig = DEFAULT_CONFIG,
    other_emails: Sequence[str] = (),
) -> tuple[pl.DataFrame, CrmStats]:
    """The columns `match_crm` adds, one row per row of `keys`, and the counts.
    `other_emails`: the export's headers holding more addresses of a record (the
    email field's other headers: Pipedrive's Person - Email - Home, Dynamics' Email
    Address 2); a row at any of them is at the record."""
    left, groups = keys.features, keys.groups
    every_row = _crm_records(crm, config.compare)
    identified = pl.col("_record_id").is_not_null() & (pl.col("_record_id") != "")
    records = every_row.filter(identified)
    # A blank line of the export is no record without an id.
    contact = [c for c in _CONTACT if c in every_row.columns]
    filled = pl.any_horizontal(pl.lit(False), *(pl.col(c).is_not_null() for c in contact))
    without_id = every_row.filter(~identified & filled).height
    # A record once per address: its matches count once (`_decide` counts ids).
    addresses = pl.concat(
        [records, _other_addresses(crm, records, other_emails).filter(identified)],
        how="vertical_relaxed",
    )
    every_record = build_features(addresses, config.compare)
    compared = [COMPARE_PREFIX + column for column in config.compare]
    rows_by_half, records_by_half = _sharing_a_half(left, every_record)
    right, record_ids = _reachable(
        left, every_record, addresses["_record_id"], compared, records_by_half
    )
    if config.enabled:
        pairs = _crm_pairs(left, right, config, compared, rows_by_half)
    else:
        pairs = pl.DataFrame(schema={"i": pl.UInt32, "j": pl.UInt32})
    comparisons = comparisons_for(config.compare)
    levels = keyed(pair_levels(left, right, pairs, comparisons))
    # u from random (row, record) pairs over the whole CRM export, not only the
    # records blocking could reach (those share keys, so they agree more often).
    model = fit(left, every_record, levels, comparisons, same_side=False)
    scored = score_pairs(levels, model, config).filter(pl.col("verdict") != DIFFERENT)
    found_pairs = scored.select(
        pl.col("i").alias(_ROW),
        record_ids.gather(scored["j"]).alias("record_id"),
        "tier",
        "evidence",
        "probability",
        (pl.col("verdict") == MATCH).alias("_match"),
    )
    grouped = found_pairs.join(groups, on=_ROW)
    # An id two CRM rows carry may be either person's: an import under it could
    # overwrite the other, so a match to it is for a person to decide.
    repeated = records.group_by("_record_id").len().filter(pl.col("len") > 1)
    repeated_ids = repeated["_record_id"].sort()
    decided = _decide(grouped.filter(pl.col("_match"))).with_columns(
        pl.when(pl.col("_record_id").is_in(repeated_ids.implode()))
        .then(pl.max_horizontal("_records", 2))
        .otherwise("_records")
        .alias("_records")
    )
    maybe = _possible(grouped.join(decided.select(_GROUP), on=_GROUP, how="anti"))
    how_many = pl.col("_records")
    found = (
        groups.join(decided, on=_GROUP, how="left", maintain_order="left")
        .join(maybe, on=_GROUP, how="left", maintain_order="left")
        .with_columns(how_many.fill_null(0))
        .select(
            pl.when(how_many == 1).then(pl.col("_record_id")).alias(CRM_RECORD_ID),
            (how_many == 1).alias(flag("crm.existing")),
            (how_many > 1).alias(flag("crm.ambiguous")),
            pl.col("_possible_ids").is_not_null().alias(flag("crm.possible")),
            pl.coalesce("_evidence", "_possible_evidence").alias(CRM_MATCH_EVIDENCE),
            pl.when(how_many > 1)
            .then(pl.col("_candidates"))
            .otherwise(pl.col("_possible_ids"))
            .alias(CRM_CANDIDATES),
        )
    )
    stats = CrmStats(
        rows=left.height,
        records=records.height,
        without_id=without_id,
        repeated_ids=repeated_ids.len(),
        repeated_examples=tuple(repeated_ids.head(3).to_list()),
        candidate_pairs=pairs.height,
        matched_pairs=int(found_pairs["_match"].sum()),
        existing=int(found[flag("crm.existing")].sum()),
        ambiguous=int(found[flag("crm.ambiguous")].sum()),
        possible=int(found[flag("crm.possible")].sum()),
    )
    return found, stats


# What makes a row of the export someone's, id or not.
_CONTACT: Final = (Col.EMAIL, Col.PHONE_E164, Col.FIRST_NAME, Col.LAST_NAME, Col.COMPANY_KEY)
_KEY_FEATURES: Final = (Col.EMAIL_KEY, EMAIL_ALIAS, Col.COMPANY_KEY, "business_domain")
# A number is one key whichever column holds it: a record's mobile is a row's phone.
_NUMBERS: Final = (PHONE_TAIL, MOBILE_TAIL)


def _sharing_a_half(left: pl.DataFrame, right: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """The rows of `left` sharing a half of an address (blocking's `email_half_keys`)
    with a row of `right`, and those of `right` sharing one with `left`. Found once for
    both directions, and only the rows kept: a million rows' halves (50 MB) held
    through the pairing raised the stage's peak."""
    halves = email_half_keys(left.with_row_index("row")).select("block", "row")
    other = email_half_keys(right.with_row_index("row")).select("block", "row")
    left_rows = halves.filter(pl.col("block").is_in(other["block"].unique().implode()))["row"]
    right_rows = other.filter(pl.col("block").is_in(halves["block"].unique().implode()))["row"]
    return left_rows.unique(), right_rows.unique()


def _shares_a_key(
    frame: pl.DataFrame, other: pl.DataFrame, compared: list[str], by_half: pl.Series
) -> pl.Series:
    """Whether each row of `frame` has a key value (email or its alias, phone,
    company, business domain, compared column) that some row of `other` has, or is
    among `by_half`, the rows sharing a half of an address with `other`
    (`_sharing_a_half`)."""
    numbers = pl.concat([other[name] for name in _NUMBERS]).drop_nulls().unique().implode()
    return frame.select(
        pl.any_horizontal(
            *(
                pl.col(name).is_in(other[name].drop_nulls().unique().implode()).fill_null(False)
                for name in (*_KEY_FEATURES, *compared)
            ),
            *(pl.col(name).is_in(numbers).fill_null(False) for name in _NUMBERS),
            pl.int_range(pl.len(), dtype=pl.UInt32).is_in(by_half.implode()),
        )
    ).to_series()


def _reachable(
    left: pl.DataFrame,
    right: pl.DataFrame,
    record_ids: pl.Series,
    compared: list[str],
    by_half: pl.Series,
) -> tuple[pl.DataFrame, pl.Series]:
    """The CRM records sharing at least one key value with a row, and their ids: a
    million-record export shrinks to the few that blocking could pair, before any
    name token is made. Every record with a shared value is kept, so block sizes
    are counted right."""
    kept = right.with_columns(record_ids.alias("_record_id")).filter(
        _shares_a_key(right, left, compared, by_half)
    )
    return kept.drop("_record_id"), kept["_record_id"]


def _crm_pairs(
    left: pl.DataFrame,
    right: pl.DataFrame,
    config: DedupeConfig,
    compared: list[str],
    by_half: pl.Series,
) -> pl.DataFrame:
    """Blocking's (row, record) pairs. Only the rows sharing a key value with some
    record get name tokens: at a million rows against a small CRM, tokens for every
    row took most of the stage's memory. (Block sizes are capped on the CRM side
    only, so leaving rows out changes no pair.)"""
    # A record sharing a half with a row is reachable, so `by_half` (found against
    # every record) holds the rows sharing one with `right`.
    rows = _shares_a_key(left, right, compared, by_half)
    return pairs_between(left, right, config.evidence, config.max_block_size, compared, rows)


def _possible(pairs: pl.DataFrame) -> pl.DataFrame:
    """Per group without a match: the records scoring in the grey zone (ids sorted,
    ``;``-joined) and the most probable one's evidence."""
    return pairs.group_by(_GROUP).agg(
        pl.col("record_id").unique().sort().str.join(";").alias("_possible_ids"),
        pl.col("evidence")
        .sort_by("probability", "record_id", descending=[True, False])
        .first()
        .alias("_possible_evidence"),
    )


def _decide(matches: pl.DataFrame) -> pl.DataFrame:
    """Per group: the records matched at the strongest tier, how many, and why."""
    best = matches.filter(pl.col("tier") == pl.col("tier").min().over(_GROUP))
    return best.group_by(_GROUP).agg(
        pl.col("record_id").n_unique().alias("_records"),
        pl.col("record_id").min().alias("_record_id"),
        pl.col("evidence").sort().first().alias("_evidence"),
        pl.col("record_id").unique().sort().str.join(";").alias("_candidates"),
    )
