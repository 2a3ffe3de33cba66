"""Score candidate pairs in bulk and decide: match, possible, or different.

Every pair gets its comparison levels (``dedupe.comparisons``), the model's weight
for each (``dedupe.model``, learned from the run) and so a match probability. A pair
merges at or above ``match_probability`` and goes to review (possible) between
``possible_probability`` and it, unless a guard says the rows are different people:

- two business addresses at different domains (two employers) veto any merge;
- a shared email or phone needs first names that match (a family's), or a loosely
  similar first name and a second shared key (a shared work address counts as two:
  families share personal mailboxes, rarely firstname.lastname@ their employer);
- two addresses at one business domain that differ only in their numbers
  (john.smith@, john.smith4018@: namesakes an employer told apart) or whose rows carry
  two family names (colleagues, a switchboard phone between them) are never merged;
- another address at the same business domain and another phone at once are
  reviewed, never merged (namesakes at one employer), unless the full name agrees
  and no address carries a number the other lacks; so are addresses there a slip
  apart that each spell their own row's name (john.smith@ for John, jon.smith@ for
  Jon: two names, not one address typed twice) unless a phone is shared;
- names alone never merge: the email must be the same, or both rows have full names
  and an alias of the email, the email with one slip of a letter (both long enough
  for blocking's halves, and the same initials), a phone, company, business domain
  or compared column is the same, or two compared columns are (the keys blocking
  pairs rows by); nor are they worth a look (possible) without one of those keys;
- the chain guard (``compatible``): a row reached through others joins a survivor
  only when their names match and no domain veto holds (clustering reads names that
  do not match here more leniently as well: ``name_agreement``).

Two addresses at ONE business domain are no veto: a person's aliases and namesake
colleagues are told apart by the other fields' weights.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Final

import polars as pl

from leadtriage.dedupe.comparisons import (
    COMPANY,
    CORE,
    DOMAIN,
    EMAIL,
    FIRST,
    INITIAL_SPELT_OTHERWISE,
    LAST,
    NAME,
    NUMBERED_NAMESAKE,
    ONE_GENERATION,
    OTHER_GENERATION,
    OTHER_GIVEN_NAME,
    PHONE,
    PHONE_LAST_DIGITS,
    SHORT_FORM_OF_EITHER,
    SLIP_MIRRORS_NAMES,
    Comparison,
    aligned,
    comparison_levels,
)
from leadtriage.dedupe.config import DedupeConfig
from leadtriage.dedupe.model import Model, term_adjusted

MATCH: Final = 2
POSSIBLE: Final = 1
DIFFERENT: Final = 0
# The domain level of two business addresses at different domains: a veto.
DOMAIN_VETO: Final = 2

# Evidence tiers, strongest first, for choosing between several CRM records.
TIER_EMAIL: Final = 1
TIER_PHONE: Final = 2
TIER_NAME: Final = 3


def _score_text(weight: pl.Expr) -> pl.Expr:
    """5.06 -> "+5.1", -3.0 -> "-3.0"."""
    rounded = weight.round(1)
    return pl.when(rounded >= 0).then(pl.lit("+")).otherwise(pl.lit("")) + rounded.cast(pl.String)


def _evidence(levels: pl.DataFrame, model: Model) -> pl.Series:
    """For every pair, each known
    level and its weight, strongest first as the comparisons are listed."""
    parts = []
    for comparison in model.comparisons:
        level = pl.col(comparison.column)
        label = pl.lit(None, dtype=pl.String)
        for number, text in enumerate(comparison.labels, start=1):
            label = pl.when(level == number).then(pl.lit(text)).otherwise(label)
        if comparison is NAME:
            label = pl.when(pl.col("swapped")).then(label + pl.lit("(swapped)")).otherwise(label)
        weight = pl.col(f"w.{comparison.name}")
        parts.append(pl.when(level > 0).then(label + pl.lit(" ") + _score_text(weight)))
    return levels.select(pl.concat_str(parts, separator=", ", ignore_nulls=True)).to_series()


# Pairs are compared this many at a time: the aligned features of a million pairs
# (both sides' names, emails, nickname lists) are what filled memory; only the narrow
# levels are kept.
PAIR_BATCH: Final = 100_000
# Batches compared at once. One batch keeps both cores busy only while Polars or
# rapidfuzz works; the Python between their calls (a few dozen per batch) leaves one
# idle. Two batches of 100,000 pairs at a time hold what one of 200,000 held (1M rows:
# pair_levels' rise 129 -> 125 MiB, 23.1 -> 13.8 s with the fast paths of
# comparisons.py; two of 200,000 took 238 MiB). A whole 1M run peaks a little higher
# than with one batch at a time (bench/README.md, fourteenth session).
PARALLEL_BATCHES: Final = 2


def pair_levels(
    left: pl.DataFrame,
    right: pl.DataFrame,
    pairs: pl.DataFrame,
    comparisons: tuple[Comparison, ...],
) -> pl.DataFrame:
    """(i, j), the levels of every comparison, the name parts' levels, ``swapped``
    and ``name_score``: small integers, computed batch by batch, in pair order."""

    def batch_levels(batch: pl.DataFrame) -> pl.DataFrame:
        levels = comparison_levels(aligned(left, right, batch), comparisons)
        return pl.concat([batch.select("i", "j"), levels], how="horizontal")

    if pairs.height <= PAIR_BATCH:
        return batch_levels(pairs)
    return pl.concat(_batch_pool().map(batch_levels, pairs.iter_slices(PAIR_BATCH)))


@cache
def _batch_pool() -> ThreadPoolExecutor:
    """The threads that compare batches, one set for the process: made afresh for
    every call, each new thread took an allocator arena of its own, whose freed pages
    added to the run's peak."""
    return ThreadPoolExecutor(PARALLEL_BATCHES, thread_name_prefix="pair-levels")


def keyed(levels: pl.DataFrame) -> pl.DataFrame:
    """The pairs of `levels` that share a key: the email, an alias or a slip of it, a
    phone (or its last eight digits), company, business domain or compared column.
    Blocking pairs by halves of addresses to find slips; the other pairs it finds that
    way (namesakes at one provider, john.smith7@ and john.smith8@) share nothing but
    a name, can be neither merged nor worth a look, and are left out before the model
    learns from the candidates."""
    shares_a_key = pl.any_horizontal(
        pl.col(EMAIL.column).is_in([1, 2, 3]),
        # A number one side's phone stage could not read shares its last digits.
        pl.col(PHONE.column) == PHONE_LAST_DIGITS,
        *(
            pl.col(column) == 1
            for column in levels.columns
            if column.startswith("lvl.") and column not in _NOT_KEYS
        ),
    )
    return levels.filter(shares_a_key)


_NOT_KEYS: Final = frozenset({EMAIL.column, NAME.column, FIRST.column, LAST.column})


# The mean likeness of two names' parts under which a family name that differs is
# another family's (a given name that agrees counts 1, so the family names' own
# likeness is under 1/2).
_WHOLLY_OTHER_NAME: Final = 0.75


def score_pairs(levels: pl.DataFrame, model: Model, config: DedupeConfig) -> pl.DataFrame:
    """For every pair of `levels` (``pair_levels``): ``weight`` (bits),
    ``probability``, ``verdict`` (MATCH, POSSIBLE, DIFFERENT), ``evidence`` (for
    MATCH and POSSIBLE), ``tier`` (email, phone, other: the strongest shared key, for
    choosing between CRM records) and ``compatible`` (the chain guard's test).

    Each pair is scored on its own, batch by batch as its levels were made: both
    views' weights of two million pairs at once took about 500 MB, the peak of a
    million-row run."""
    if levels.height <= PAIR_BATCH:
        return _score_batch(levels, model, config)
    return pl.concat(
        [_score_batch(batch, model, config) for batch in levels.iter_slices(PAIR_BATCH)]
    )


def _score_batch(levels: pl.DataFrame, model: Model, config: DedupeConfig) -> pl.DataFrame:
    # Each pair weighs what the more confident of the model's two views says (among
    # the candidates, over all pairs: see dedupe.model); its evidence shows that view.
    views = []
    for over_all in (False, True):
        weights = [
            term_adjusted(model, index, levels["i"], levels[c.column], over_all).alias(
                f"w.{c.name}"
            )
            for index, c in enumerate(model.comparisons)
        ]
        total = pl.DataFrame(weights).select(pl.sum_horizontal(pl.all())).to_series()
        views.append((weights, total + model.prior_weight(over_all)))
    (candidate_weights, candidate_total), (all_weights, all_total) = views
    over_all_wins = all_total > candidate_total
    scored = levels.hstack(
        [
            pl.select(pl.when(over_all_wins).then(a).otherwise(c)).to_series().alias(c.name)
            for c, a in zip(candidate_weights, all_weights, strict=True)
        ]
    )
    weight = pl.lit(pl.select(pl.max_horizontal(candidate_total, all_total)).to_series())
    scored = scored.with_columns(
        weight.alias("weight"), (1 / (1 + pl.lit(2.0).pow(-weight))).alias("probability")
    )
    email, phone = pl.col(EMAIL.column), pl.col(PHONE.column)
    # One number, however written: the same, or (where one side's phone stage could not
    # read it) the same last eight digits.
    one_phone = phone.is_in([1, PHONE_LAST_DIGITS])
    first, last = pl.col(FIRST.column), pl.col(LAST.column)
    veto = pl.col(DOMAIN.column) == DOMAIN_VETO
    # A shared address or phone with a different first name is a family's (or a
    # team's): it may be reviewed, never merged.
    # A loosely similar first name (Stephaanie, Stephanie; or John, Joan) passes
    # when a second key agrees too: families share an address or a phone, rarely an
    # employer or an alias of the address as well.
    shared_keys = pl.sum_horizontal(
        email == 1, one_phone, pl.col(COMPANY.column) == 1, pl.col(DOMAIN.column) == 1
    )
    keys = [c for c in model.comparisons if c not in (EMAIL, NAME)]
    extra = [c for c in keys if c not in CORE]
    # The same holds for a postal address ([dedupe] compare columns) when nothing
    # else is shared: a household shares its address and its family name. Only a
    # wholly different first name is kept apart there: a household agrees on every
    # address field, so the second key that lets a loose name pass is always there,
    # and a transposed letter in a short given name is often only loosely similar.
    address_only = (shared_keys == 0) & (
        pl.any_horizontal(pl.col(c.column) == 1 for c in extra)
        if extra and config.household_guard
        else False
    )
    # An alias of the address (the same but for punctuation) is a second key too, and
    # so is the employer of a shared work address (the domain level leaves it out).
    second_key = pl.sum_horizontal(shared_keys, email == 2, pl.col("work_address")) >= 2
    # Two given names alike in spelling (Dan, Dana) are a family's at a shared
    # mailbox or phone; at one work address spelt from the name, one person's.
    other_given_name = pl.col(OTHER_GIVEN_NAME) & ~pl.col("work_address")
    # So is a short form men and women both go by beside a full name (Chris and
    # Christine Walker at one home phone: she, or her husband Christopher), unless a
    # second key agrees, as a loosely similar name needs.
    short_form_of_either = pl.col(SHORT_FORM_OF_EITHER)
    family = (
        ((email == 1) | one_phone)
        & ((first == 6) | other_given_name | (((first == 4) | short_form_of_either) & ~second_key))
    ) | (address_only & ((first == 6) | other_given_name))
    # An initial of the other's given name (first == 5) is no conflict: it neither
    # makes a family nor keeps a chain apart; its weight is the model's.
    names_compatible = first.is_in([0, 1, 2, 3, 5]) & ~other_given_name & last.is_in([0, 1, 2])
    # Names alone never merge: some contact point, employer or compared column must
    # agree (blocking pairs rows only through those, so a merge never depends on
    # which pairs happened to be candidates).
    # A shared email may merge rows whatever their names; an alias of it (the same
    # address but for punctuation), a phone, company, domain or compared column needs
    # both rows' full names (a first name alone is too thin
    # to stand on); two compared columns (street and postcode) may stand alone. These
    # are the keys blocking pairs rows by.
    anchored = (
        (email == 1)
        | (
            (first > 0)
            & (last > 0)
            & (
                (email == 2)
                # A slip of the address is a key beside the same name (or one given
                # name an initial of the other), and beside a slip of one name part
                # that the addresses do not mirror (caalomorris@ for Carlo Morirs,
                # carlomorris@ for Carlo Morris: two typos). Brenda Ponce and Brendan
                # Ponce spell their addresses a letter apart: no key.
                | (
                    (email == 3)
                    & pl.col("slip_keyed")
                    & (
                        (first.is_in([1, 5]) & (last == 1))
                        | (
                            ((first.is_in([1, 5]) & (last == 2)) | ((first == 3) & (last == 1)))
                            & ~pl.col(SLIP_MIRRORS_NAMES)
                        )
                    )
                )
                | pl.any_horizontal(pl.col(c.column) == 1 for c in keys)
                | one_phone
            )
        )
        | (pl.sum_horizontal(pl.col(c.column) == 1 for c in extra) >= 2 if extra else False)
    )
    probability = pl.col("probability")
    # The mean of the name parts' likeness under 3/4: wholly other names, not one name
    # typed with a slip and a second family name (Gevais-Jacquot, Gervais).
    wholly_other = pl.col("name_score").fill_null(0.0) < _WHOLLY_OTHER_NAME
    # Two other addresses at one business domain (work addresses at one employer):
    at_one_employer = (email == 5) & (pl.col(DOMAIN.column) == 1)
    # with the same letters and other numbers, the employer's way of telling two
    # namesakes apart (john.smith@, john.smith4018@), never one person;
    numbered_namesakes = pl.col("numbered") == NUMBERED_NAMESAKE
    # with two family names, two colleagues, whatever phone (a switchboard) or
    # company they share;
    # and addresses a slip apart with wholly other family names (josew@, joseb@; not
    # Pons and Pins Roessink, a typo and a second family name);
    # and addresses that each spell their own row's name where the names differ
    # (philip.miles@ and philip.miller@: two colleagues however alike the names; a
    # name read swapped is compared part against other part, which the addresses'
    # spelling does not follow);
    # A nickname beside one phone is one person's new address (bob.s@ and
    # robert.smith@), not a colleague's (tommy.dubois@ and thomas.dubois@).
    re_registered = (first == 2) & (phone == 1)
    spelt_apart = pl.col(SLIP_MIRRORS_NAMES) & ~pl.col("swapped") & ~re_registered
    colleagues = (at_one_employer & ((last == 4) | spelt_apart)) | (
        (email == 3) & (pl.col(DOMAIN.column) == 1) & (last == 4) & wholly_other
    )
    # and other phones: two namesakes at one employer as often as one person
    # re-registering, so a person should look, unless the full name agrees (at most
    # one part a typo away) and neither address carries a number the other lacks:
    # first.last@ and f.last@ spelt from one name are one person's, as the model's
    # weights say (a number, jsmith2@, is how namesakes are told apart). A personal
    # address beside the work one says nothing of the kind (people have both), so
    # there the names and the other fields decide.
    full_name = ((first == 1) & last.is_in([1, 2])) | ((first == 3) & (last == 1))
    contradicted = at_one_employer & (phone == 3) & ~(full_name & (pl.col("numbered") == 0))
    # Addresses a slip apart at one business domain that each spell their own row's
    # name (john.smith@ for John, jon.smith@ for Jon; kathrine.lee@ for Kathrine) are
    # two names, each typed as its owner spells it, not one address typed twice: with
    # no phone in common, two colleagues as often as one person, so a person looks.
    slip_spelt_apart = (email == 3) & (pl.col(DOMAIN.column) == 1) & spelt_apart & ~one_phone
    # Father and son of one name (Jr, Sr; II, III): never one person, nor worth a look.
    generations = pl.col(OTHER_GENERATION)
    # A generation on one side only: the other row may be either man, unless both
    # give one work address.
    one_generation = (
        pl.col(ONE_GENERATION)
        & ~pl.col("swapped")
        & ~pl.col("work_address")
        & config.household_guard
    )
    # An initial whose own address spells it out as another given name (K Yates at
    # keith.yates@, Kathleen Yates): two people, as two given names are.
    initial_of_another = pl.col(INITIAL_SPELT_OTHERWISE)
    apart = veto | numbered_namesakes | colleagues | generations | initial_of_another
    # Two given names, whatever else agrees: two people. Wholly different ones
    # (Sophie and Paul Martin at smartin@ and pmartin@, one slip apart) are
    # colleagues or relatives; alike ones are two names (Maria and Mario Esposito)
    # unless the one work address both give spells the name.
    # An alias of one address beside one phone is one person's, names as typed or not.
    one_persons_contacts = (email == 2) & (phone == 1)
    two_given_names = (
        ((first == 6) | other_given_name) & ~one_persons_contacts & config.household_guard
    )
    # Two family names share nothing but a mailbox or a phone when the address is not
    # the same (the events team's events@ beside the office line): two people, when
    # the names are wholly other.
    two_family_names = (last == 4) & wholly_other & ~email.is_in([1, 2, 3]) & config.household_guard
    match = (
        (probability >= config.match_probability)
        & ~apart
        & ~family
        & ~contradicted
        & ~slip_spelt_apart
        & ~two_given_names
        & ~two_family_names
        & ~one_generation
        & anchored
    )
    # Colleagues sharing a first or a family name at one company are not worth a
    # look: neither part of a possible pair's names may wholly differ.
    # Two are, whatever else keeps a pair from review: one full name and one phone at
    # two employers (a job change: the mobile came along, the address did not), and
    # one given name at one address under two family names (a married name).
    job_change = veto & (first == 1) & (last == 1) & (phone == 1)
    married_name = (email == 1) & first.is_in([1, 2]) & (last == 4)
    worth_a_look = (job_change | married_name) & ~numbered_namesakes & ~generations
    possible = (
        ~match
        & (probability >= config.possible_probability)
        & ((~apart & (first != 6) & (last != 4)) | worth_a_look)
    )
    verdict = (
        pl.when(match)
        .then(pl.lit(MATCH, dtype=pl.Int8))
        .when(possible)
        .then(pl.lit(POSSIBLE, dtype=pl.Int8))
        .otherwise(pl.lit(DIFFERENT, dtype=pl.Int8))
    )
    tier = (
        pl.when(email == 1).then(TIER_EMAIL).when(phone == 1).then(TIER_PHONE).otherwise(TIER_NAME)
    )
    decided = scored.with_columns(
        verdict.alias("verdict"),
        tier.cast(pl.Int8).alias("tier"),
        (~veto & ~numbered_namesakes & ~generations & ~initial_of_another & names_compatible).alias(
            "compatible"
        ),
    )
    shown = decided["verdict"] != DIFFERENT
    evidence = pl.Series("evidence", [None] * decided.height, dtype=pl.String)
    if shown.any():
        explained = _evidence(decided.filter(shown), model)
        evidence = evidence.scatter(shown.arg_true(), explained)
    return decided.select(
        "i", "j", "name_score", "weight", "probability", "verdict", "tier", "compatible"
    ).with_columns(evidence)
