"""The most restrictive consent wins across every row of one person.

Rows of one duplicate cluster (``cluster_id``), rows sharing an email key (merged or
not, in any input of the run) and rows tied to one CRM record are one person, and a
person has one consent: ``no`` over ``unknown`` over ``yes``. An opt-out in any of
them is the person's opt-out, whichever row survived the merge (survivorship never
picks consent by "most complete row"). The CRM export's own consent counts too:
someone who opted out in the CRM is not mailed because a form said yes.

Only rows whose file has a consent column take part: a row from a file without one
(a badge scan) says nothing, so it never lowers another row's ``yes``; it takes its
person's consent (``unknown`` when no row of the person was asked).

Like the Mailchimp unsubscribes (the suppression stage, rules/suppress.py), this runs once
over the whole run, on a narrow key frame joined back. A row whose consent another
row lowered to ``no`` says where the opt-out came from in ``sources``
(``opt-out:<file>``), and the summary counts them per file.

With a ledger, a person also has the refusals of earlier nights (``Ledger.identify``:
the day they last refused). Where tonight says nothing (``unknown``), that ``no``
applies as an opt-out from ``ledger`` would (``opt-out:ledger``). Where one of
tonight's rows of the person says an explicit ``yes``, that later answer is fresh
consent and stands, flagged ``consent.opted_out_before`` so a person confirms it
before it reaches the CRM (the built-in rules send such rows to review). The CRM
export's ``yes`` is no later answer: it may be the very record the earlier opt-out
never reached, so against it the remembered ``no`` wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import polars as pl

from leadtriage.dedupe.crm import record_id
from leadtriage.dedupe.deduplicate import SOURCE_SEPARATOR, SOURCES
from leadtriage.frame import (
    CLUSTER_ID,
    CONSENT_FROM_LEDGER,
    LEDGER_REFUSED_ON,
    ROW_ID,
    SOURCE_FILE,
    flag,
    raw,
)
from leadtriage.normalize.consent import NO, UNKNOWN, YES, consent_asked
from leadtriage.schema import Col

# Most restrictive first: the smallest rank of a person's rows wins.
RANK: Final[dict[str, int]] = {NO: 0, UNKNOWN: 1, YES: 2}
OPT_OUT_SOURCE: Final = "opt-out:"
# Where a remembered refusal comes from, in ``sources`` and the summary's opt_outs_from.
LEDGER_SOURCE: Final = "ledger"
OPTED_OUT_BEFORE: Final = flag("consent.opted_out_before")

_PERSON = "_consent_person"
_OWN = "_consent_own"
_FROM = "_consent_opt_out_files"
_REMEMBERED = "_consent_ledger_no"


@dataclass(frozen=True)
class ConsentStats:
    """``lowered_to_no``: rows whose own consent was not ``no`` but another row of the
    same person opted out; ``lowered_to_unknown``: rows whose ``yes`` another row's
    ``unknown`` outweighs; ``opt_outs_from``: per file, the rows whose opt-out was
    carried to another row; ``yes_from_other_rows``: rows from a file without a
    consent column that carry their person's ``yes``."""

    lowered_to_no: int = 0
    lowered_to_unknown: int = 0
    opt_outs_from: dict[str, int] = field(default_factory=dict)
    yes_from_other_rows: int = 0


def _link_keys(schema: pl.Schema, *, crm: bool) -> list[pl.Expr]:
    """The keys that make two rows one person; null where a row has none."""
    keys: list[pl.Expr] = []
    if Col.EMAIL_KEY in schema:
        keys.append(pl.col(Col.EMAIL_KEY).cast(pl.String).alias("_key_email"))
    if crm:
        # as the CRM match reads it, so the row it tied to the record meets the record
        keys.append(record_id(pl.col(raw("record_id"))).alias("_key_crm"))
    elif Col.CRM_RECORD_ID in schema:
        keys.append(pl.col(Col.CRM_RECORD_ID).cast(pl.String).alias("_key_crm"))
    if not crm and CLUSTER_ID in schema:
        keys.append(pl.col(CLUSTER_ID).cast(pl.String).alias("_key_cluster"))
    return keys


def _key_frame(lf: pl.LazyFrame, *, crm: bool) -> pl.DataFrame:
    schema = lf.collect_schema()
    if Col.CONSENT not in schema:
        return pl.DataFrame()
    row = pl.lit(None, dtype=pl.UInt32) if crm else pl.col(ROW_ID).cast(pl.UInt32)
    rank = pl.col(Col.CONSENT).cast(pl.String).replace_strict(RANK, default=RANK[UNKNOWN])
    remembered = (
        pl.col(LEDGER_REFUSED_ON).is_not_null()
        if not crm and LEDGER_REFUSED_ON in schema
        else pl.lit(False)
    )
    return lf.select(
        row.alias(ROW_ID),
        pl.col(SOURCE_FILE).cast(pl.String),
        # null: the row's file has no consent column, and the row no say
        pl.when(consent_asked(schema)).then(rank).otherwise(None).alias(_OWN),
        remembered.alias(_REMEMBERED),
        *_link_keys(schema, crm=crm),
    ).collect()


def _people(keys: pl.DataFrame) -> pl.Series:
    """Each row's person: connected components over the link keys (label propagation:
    every row takes the smallest label among rows sharing any key with it)."""
    key_columns = [c for c in keys.columns if c.startswith("_key_")]
    label = pl.int_range(pl.len(), dtype=pl.UInt32).alias(_PERSON)
    frame = keys.select(*key_columns).with_columns(label)
    while True:
        before = frame[_PERSON]
        for key in key_columns:
            frame = frame.with_columns(
                pl.when(pl.col(key).is_null())
                .then(pl.col(_PERSON))
                .otherwise(pl.col(_PERSON).min().over(key))
                .alias(_PERSON)
            )
        if frame[_PERSON].equals(before):
            return frame[_PERSON]


def most_restrictive_consent(
    lf: pl.LazyFrame, crm: pl.LazyFrame | None = None
) -> tuple[pl.LazyFrame, ConsentStats]:
    """Give every row its person's most restrictive ``consent`` (see the module
    docstring); `crm` is the normalised CRM export, whose rows count as people's
    rows but are not outputs."""
    leads = _key_frame(lf, crm=False)
    if leads.is_empty():
        return lf, ConsentStats()
    records = _key_frame(crm, crm=True) if crm is not None else pl.DataFrame()
    keys = pl.concat([leads, records], how="diagonal") if not records.is_empty() else leads
    ledger = LEDGER_REFUSED_ON in lf.collect_schema()
    # one answer for everyone, or no consent column, and nothing remembered
    if keys[_OWN].n_unique() == 1 and not keys[_REMEMBERED].any():
        return lf, ConsentStats()
    keys = keys.with_columns(_people(keys))
    opt_out_files = (
        keys.filter(pl.col(_OWN) == RANK[NO])
        .group_by(_PERSON)
        .agg(pl.col(SOURCE_FILE).unique().sort().alias(_FROM))
    )
    tonight, remembered = pl.col("_tonight"), pl.col("_remembered")
    renewed = remembered & (tonight == RANK[YES]) & pl.col("_asked_yes")
    from_ledger = remembered & (tonight != RANK[NO]) & ~renewed
    decided = (
        keys.with_columns(
            # min skips the rows without a say; a person nobody asked is unknown
            pl.col(_OWN).min().over(_PERSON).fill_null(RANK[UNKNOWN]).alias("_tonight"),
            pl.col(_REMEMBERED).any().over(_PERSON).alias("_remembered"),
            (pl.col(ROW_ID).is_not_null() & (pl.col(_OWN) == RANK[YES]).fill_null(False))
            .any()
            .over(_PERSON)
            .alias("_asked_yes"),
        )
        .join(opt_out_files, on=_PERSON, how="left", maintain_order="left")
        .filter(pl.col(ROW_ID).is_not_null())
        .select(
            ROW_ID,
            _OWN,
            pl.when(from_ledger).then(RANK[NO]).otherwise(tonight).alias("_rank"),
            pl.when(from_ledger)
            .then(pl.lit([LEDGER_SOURCE], dtype=pl.List(pl.String)))
            .otherwise(pl.col(_FROM))
            .alias(_FROM),
            from_ledger.alias(CONSENT_FROM_LEDGER),
            renewed.alias(OPTED_OUT_BEFORE),
        )
    )
    lowered_to_no = (pl.col("_rank") == RANK[NO]) & (
        pl.col(_OWN).fill_null(RANK[UNKNOWN]) != RANK[NO]
    )
    stats = _stats(decided, lowered_to_no)
    changes = decided.select(
        ROW_ID,
        pl.col("_rank")
        .replace_strict({rank: value for value, rank in RANK.items()}, return_dtype=pl.String)
        .alias("_consent"),
        pl.when(lowered_to_no)
        .then(pl.col(_FROM).list.eval(pl.lit(OPT_OUT_SOURCE) + pl.element()))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
        .alias("_opt_out_sources"),
        # Only a run with a ledger has them: a run without one keeps its columns.
        *((CONSENT_FROM_LEDGER, OPTED_OUT_BEFORE) if ledger else ()),
    )
    schema = lf.collect_schema()
    sources = pl.col(SOURCES) if SOURCES in schema else pl.lit(None, dtype=pl.String)
    with_sources = (
        pl.concat_list(
            sources.str.split(SOURCE_SEPARATOR).fill_null(pl.lit([], dtype=pl.List(pl.String))),
            pl.col("_opt_out_sources"),
        )
        .list.eval(pl.element().filter(pl.element() != ""))
        .list.join(SOURCE_SEPARATOR)
    )
    out = (
        lf.join(changes.lazy(), on=ROW_ID, how="left", maintain_order="left")
        .with_columns(
            pl.col("_consent").alias(Col.CONSENT),
            pl.when(pl.col("_opt_out_sources").list.len() > 0)
            .then(with_sources)
            .otherwise(sources)
            .alias(SOURCES),
        )
        .drop("_consent", "_opt_out_sources")
    )
    return out, stats


def _stats(decided: pl.DataFrame, lowered_to_no: pl.Expr) -> ConsentStats:
    lowered = decided.filter(lowered_to_no)
    per_file = (
        lowered.select(pl.col(_FROM).explode().alias(SOURCE_FILE))
        .group_by(SOURCE_FILE)
        .len()
        .sort(SOURCE_FILE)
    )
    to_unknown = decided.filter((pl.col("_rank") == RANK[UNKNOWN]) & (pl.col(_OWN) == RANK[YES]))
    yes_from_others = decided.filter((pl.col("_rank") == RANK[YES]) & pl.col(_OWN).is_null())
    return ConsentStats(
        lowered_to_no=lowered.height,
        lowered_to_unknown=to_unknown.height,
        opt_outs_from=dict(per_file.iter_rows()),
        yes_from_other_rows=yes_from_others.height,
    )
