"""Score candidate pairs in bulk and decide: match, possible, or different.

Name similarity is rapidfuzz's normalised Indel similarity (``fuzz.ratio``) of the
first parts and of the last parts, computed with ``process.cpdist`` over aligned
arrays; a shared nickname group counts as an exact first-name match. Both
orientations are scored (first/last swapped) and the better one kept. The decision
rules, strongest evidence first:

1. ``email``: the same email match key, names unknown on one side or compatible
   (a family's shared personal address has different first names). A role
   address (info@) counts only with matching names: ``email+name``.
2. ``phone+name`` / ``name~0.93+phone``: the same E.164 phone and matching names.
3. ``name~0.93+company``: matching names and the same company key.
4. ``name~0.93+domain``: matching names and the same business email domain.

Two business addresses at different domains veto rules 2-4; two different
addresses at the same business domain (namesake colleagues, or one person's
aliases) turn them into *possible*. Pairs in the grey zone below a rule's threshold
are *possible* too (review), never merged.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from leadtriage.dedupe.config import DedupeConfig
from leadtriage.dedupe.features import FEATURE_COLUMNS

MATCH: Final = 2
POSSIBLE: Final = 1
DIFFERENT: Final = 0

# Evidence tiers, strongest first, for choosing between several CRM records.
TIER_EMAIL: Final = 1
TIER_PHONE: Final = 2
TIER_NAME: Final = 3

_SWAPPED_PART_FLOOR: Final = 0.82


def _similarity(left: pl.Series, right: pl.Series) -> pl.Series:
    scores = process.cpdist(
        left.fill_null("").to_list(),
        right.fill_null("").to_list(),
        scorer=fuzz.ratio,
        workers=-1,
        dtype=np.float32,
    )
    return pl.Series(scores, dtype=pl.Float32) / 100


def aligned(left: pl.DataFrame, right: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """The features of both sides of every pair, as ``<name>_l`` and ``<name>_r``."""
    i, j = pairs["i"], pairs["j"]
    return pl.concat(
        [
            pairs.select("i", "j"),
            left.select(pl.col(c).gather(i).alias(f"{c}_l") for c in FEATURE_COLUMNS),
            right.select(pl.col(c).gather(j).alias(f"{c}_r") for c in FEATURE_COLUMNS),
        ],
        how="horizontal",
    )


def _shared_group(a: str, b: str) -> pl.Expr:
    return pl.col(a).list.set_intersection(pl.col(b)).list.len() > 0


def name_similarities(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``name_known``, ``name_score`` (mean of the parts, better orientation) and
    ``name_part_min`` (the weaker part of that orientation)."""
    sims = frame.with_columns(
        _similarity(frame["first_l"], frame["first_r"]).alias("_ff"),
        _similarity(frame["last_l"], frame["last_r"]).alias("_ll"),
        _similarity(frame["first_all_l"], frame["last_r"]).alias("_fl"),
        _similarity(frame["last_l"], frame["first_all_r"]).alias("_lf"),
    )
    one: pl.Expr = pl.lit(1.0, dtype=pl.Float32)
    first_straight = pl.when(_shared_group("first_groups_l", "first_groups_r")).then(one)
    first_swapped = pl.when(_shared_group("first_groups_l", "last_groups_r")).then(one)
    last_swapped = pl.when(_shared_group("last_groups_l", "first_groups_r")).then(one)
    sims = sims.with_columns(
        first_straight.otherwise(pl.col("_ff")).alias("_ff"),
        first_swapped.otherwise(pl.col("_fl")).alias("_fl"),
        last_swapped.otherwise(pl.col("_lf")).alias("_lf"),
    )
    straight = (pl.col("_ff") + pl.col("_ll")) / 2
    any_swapped = (pl.col("_fl") + pl.col("_lf")) / 2
    # A swap on top of a typo is rare; loose swapped parts mostly pair different
    # people (Norman Cole / Nicole Norman), so where the names are the only link
    # besides a shared company or phone, the swapped reading must be close. A shared
    # email is strong enough to take any reading (``*_any`` columns).
    swapped = (
        pl.when(pl.min_horizontal("_fl", "_lf") >= _SWAPPED_PART_FLOOR)
        .then(any_swapped)
        .otherwise(0.0)
    )
    known = pl.all_horizontal(
        pl.col(c).is_not_null() for c in ("first_l", "last_l", "first_r", "last_r")
    )

    def part_min(swapped_reading: pl.Expr) -> pl.Expr:
        return (
            pl.when(swapped_reading > straight)
            .then(pl.min_horizontal("_fl", "_lf"))
            .otherwise(pl.min_horizontal("_ff", "_ll"))
        )

    return sims.with_columns(
        known.alias("name_known"),
        pl.when(known).then(pl.max_horizontal(straight, swapped)).alias("name_score"),
        pl.when(known).then(part_min(swapped)).alias("name_part_min"),
        pl.when(known).then(pl.max_horizontal(straight, any_swapped)).alias("name_score_any"),
        pl.when(known).then(part_min(any_swapped)).alias("name_part_min_any"),
    ).drop("_ff", "_ll", "_fl", "_lf")


GREY_PART_FLOOR: Final = 0.6


def _same(column: str) -> pl.Expr:
    return (pl.col(f"{column}_l") == pl.col(f"{column}_r")).fill_null(False)


def _score_text(score: pl.Expr) -> pl.Expr:
    """0.934 -> "0.93"; two decimals, always."""
    hundredths = (score * 100).floor().cast(pl.Int32)
    return (
        pl.when(hundredths >= 100)
        .then(pl.lit("1.00"))
        .otherwise(pl.lit("0.") + hundredths.cast(pl.String).str.zfill(2))
    )


def score_pairs(
    left: pl.DataFrame, right: pl.DataFrame, pairs: pl.DataFrame, config: DedupeConfig
) -> pl.DataFrame:
    """For every pair (i, j): ``verdict`` (MATCH, POSSIBLE, DIFFERENT), ``evidence``
    (why, for MATCH and POSSIBLE), ``tier`` (strength of the evidence) and
    ``compatible`` (nothing says they are different people: the chain guard's test)."""
    frame = name_similarities(aligned(left, right, pairs))
    evidence = set(config.evidence)
    known, score = pl.col("name_known"), pl.col("name_score").fill_null(0.0)
    names_match = (
        known & (score >= config.name_match) & (pl.col("name_part_min") >= config.name_part_floor)
    )
    # A shared first name at one company with a wholly different family name is two
    # colleagues, not a possible duplicate: each part must be more than half alike
    # (OBrien and Marino score 0.5 on letters alone; Smith and Smyth 0.8).
    names_grey = (
        known
        & ~names_match
        & (score >= config.name_possible)
        & (pl.col("name_part_min") >= GREY_PART_FLOOR)
    )
    domain_conflict = (
        pl.col("business_domain_l").is_not_null()
        & pl.col("business_domain_r").is_not_null()
        & (pl.col("business_domain_l") != pl.col("business_domain_r"))
    )
    # Two different addresses at one company's domain are usually two colleagues of
    # the same name, rarely one person's aliases: not enough to merge, worth a look.
    other_address = (
        _same("business_domain")
        & ~_same("email_key")
        & ~pl.col("email_role_l")
        & ~pl.col("email_role_r")
    )
    same_email = _same("email_key") & pl.lit("email" in evidence)
    role = pl.col("email_role_l") | pl.col("email_role_r")
    score_any, part_any = pl.col("name_score_any").fill_null(0.0), pl.col("name_part_min_any")
    email_names_ok = ~known | (
        (score_any >= config.email_name_floor) & (part_any >= config.name_part_floor)
    )
    email_names_grey = known & ~email_names_ok & (part_any >= config.email_name_possible)
    fuzzy_ok = ~domain_conflict & ~other_address
    same_phone = _same("phone") & pl.lit("phone" in evidence)
    same_company = _same("company_key") & pl.lit("company" in evidence)
    same_domain = _same("business_domain") & pl.lit("domain" in evidence)
    name_text = pl.lit("name~") + _score_text(score)
    email_name_text = pl.lit("name~") + _score_text(score_any)
    phone_text = (
        pl.when(score >= 0.995).then(pl.lit("phone+name")).otherwise(name_text + pl.lit("+phone"))
    )
    rules: list[tuple[pl.Expr, pl.Expr, int]] = [
        (same_email & ~role & email_names_ok, pl.lit("email"), TIER_EMAIL),
        (same_email & role & names_match, pl.lit("email+name"), TIER_PHONE),
        (same_phone & names_match & fuzzy_ok, phone_text, TIER_PHONE),
        (same_company & names_match & fuzzy_ok, name_text + pl.lit("+company"), TIER_NAME),
        (same_domain & names_match & fuzzy_ok, name_text + pl.lit("+domain"), TIER_NAME),
    ]
    grey: list[tuple[pl.Expr, pl.Expr]] = [
        (same_email & ~role & email_names_grey, email_name_text + pl.lit("+email")),
        (same_email & role & (~known | names_grey), pl.lit("role email")),
        (same_phone & (names_grey | names_match) & ~domain_conflict, name_text + pl.lit("+phone")),
        (
            same_company & (names_grey | names_match) & ~domain_conflict,
            name_text + pl.lit("+company"),
        ),
        (same_domain & (names_grey | names_match), name_text + pl.lit("+domain")),
    ]
    verdict: pl.Expr = pl.lit(DIFFERENT, dtype=pl.Int8)
    text: pl.Expr = pl.lit(None, dtype=pl.String)
    tier: pl.Expr = pl.lit(None, dtype=pl.Int8)
    # Built weakest first so that the strongest rule that holds wins.
    for condition, why in reversed(grey):
        verdict = pl.when(condition).then(pl.lit(POSSIBLE, dtype=pl.Int8)).otherwise(verdict)
        text = pl.when(condition).then(why).otherwise(text)
    for condition, why, strength in reversed(rules):
        verdict = pl.when(condition).then(pl.lit(MATCH, dtype=pl.Int8)).otherwise(verdict)
        text = pl.when(condition).then(why).otherwise(text)
        tier = pl.when(condition).then(pl.lit(strength, dtype=pl.Int8)).otherwise(tier)
    names_match_any = (
        known & (score_any >= config.name_match) & (part_any >= config.name_part_floor)
    )
    compatible = fuzzy_ok & (~known | names_match_any)
    return frame.select(
        "i",
        "j",
        "name_score",
        verdict.alias("verdict"),
        text.alias("evidence"),
        tier.alias("tier"),
        compatible.alias("compatible"),
    )
