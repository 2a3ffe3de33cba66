"""Fuzzy deduplication of the rows of one run: block, score, cluster, merge.

Adds, for every row:

- ``cluster_id``: the cluster's id, on the survivor and on every other member; null
  for a row that stands alone. ``"c"`` + 12 hex digits of a BLAKE2b hash of the
  survivor's ``source_file`` and ``source_row``: the same person gets the same id
  whatever the order of the input rows.
- ``flag.duplicate``: another row (the survivor) stands for this one.
- ``flag.duplicate.possible``: maybe the same person as another cluster or row; set
  on the survivors (or lone rows) on both sides; never a merge.
- ``match_evidence``: for a duplicate, why it was merged: every compared level and
  its weight in bits (``email~1edit +5.1, phone +9.8, name +16.2, company +0.1``;
  ``... via file:row`` when it was reached through another member); for a
  possible duplicate, ``possible <evidence> with file:row``.
- ``duplicate_count``: the rows a survivor stands for, 1 for a lone row, 0 for a
  duplicate, so the column sums to the row count.
- ``sources``: the source files and lead sources (``source``) the person came
  through, ``;``-joined, sorted, distinct (the whole cluster's on the survivor).
- ``possible_partner``: on a possible duplicate, the ``source_file:source_row`` of
  the row it most probably is; ``pair_id``: ``"p"`` + 12 hex digits shared by the
  two rows of that pair (for a review workbook to put them side by side).

Survivors' blank fields are filled from the other members (see survivorship).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

import polars as pl

from leadtriage.dedupe.blocking import blocking_keys, self_pairs
from leadtriage.dedupe.clustering import Clusters, Pair, cluster_rows
from leadtriage.dedupe.comparisons import (
    DOMAIN,
    NUMBERED_NAMESAKE,
    OTHER_GENERATION,
    comparisons_for,
)
from leadtriage.dedupe.config import DEFAULT_CONFIG, DedupeConfig
from leadtriage.dedupe.features import COMPARE_PREFIX, build_features
from leadtriage.dedupe.model import fit
from leadtriage.dedupe.name_agreement import names_could_agree
from leadtriage.dedupe.scoring import DOMAIN_VETO, MATCH, POSSIBLE, keyed, pair_levels, score_pairs
from leadtriage.dedupe.survivorship import fill_blanks, row_sources, survivor_rank
from leadtriage.frame import CLUSTER_ID, SOURCE_FILE, SOURCE_ROW, flag
from leadtriage.schema import Col

MATCH_EVIDENCE: Final = Col.MATCH_EVIDENCE
DUPLICATE_COUNT: Final = Col.DUPLICATE_COUNT
SOURCES: Final = Col.SOURCES
SOURCE_SEPARATOR: Final = ";"
POSSIBLE_PARTNER: Final = Col.POSSIBLE_PARTNER
PAIR_ID: Final = Col.PAIR_ID
# A row possibly matching many others lists only the first few in its evidence.
_MAX_POSSIBLE_SHOWN: Final = 3

_ROW = "_dedupe_row"
_SURVIVOR = "_dedupe_survivor"
_IS_SURVIVOR = "_dedupe_is_survivor"
_RANK = "_dedupe_rank"


@dataclass(frozen=True)
class DedupeStats:
    """``candidate_pairs``: pairs blocking produced (those sharing no key at all,
    found through halves of addresses only, are not scored: ``scoring.keyed``);
    ``matched_pairs``: those that matched; ``clusters``: clusters of two rows or
    more; ``duplicates``: rows flagged duplicate; ``possible``: rows flagged
    possible duplicate."""

    rows: int
    candidate_pairs: int
    matched_pairs: int
    clusters: int
    duplicates: int
    possible: int


def cluster_id_of(source_file: str, source_row: int) -> str:
    digest = hashlib.blake2b(f"{source_file}\x1f{source_row}".encode(), digest_size=6)
    return "c" + digest.hexdigest()


def deduplicate(
    lf: pl.LazyFrame, config: DedupeConfig = DEFAULT_CONFIG
) -> tuple[pl.LazyFrame, DedupeStats]:
    """Cluster the rows that stand for the same person; see the module docstring for
    the columns added. Row count and order are kept."""
    df = lf.collect()
    found = find_duplicates(match_keys(df, config), config)
    return mark_duplicates(df, found).lazy(), found.stats


@dataclass(frozen=True)
class MatchKeys:
    """All that finding the duplicates reads of the rows, in their order: the matcher's
    features, each row's place in survivorship order and its ``file:row`` label. A
    fraction of the frame's size, so the frame can wait on disk meanwhile."""

    features: pl.DataFrame
    rank: pl.Series
    labels: pl.Series


def match_keys(df: pl.DataFrame, config: DedupeConfig = DEFAULT_CONFIG) -> MatchKeys:
    labels = pl.col(SOURCE_FILE).cast(pl.String) + pl.lit(":") + pl.col(SOURCE_ROW).cast(pl.String)
    return MatchKeys(
        build_features(df, config.compare),
        survivor_rank(df, config.survivor_order),
        df.select(labels.alias("label"))["label"],
    )


@dataclass(frozen=True)
class Duplicates:
    """What `find_duplicates` decided, for `mark_duplicates` to write on the rows."""

    clusters: Clusters
    row_labels: pl.Series
    notes: pl.DataFrame
    rank: pl.Series
    stats: DedupeStats


def find_duplicates(keys: MatchKeys, config: DedupeConfig = DEFAULT_CONFIG) -> Duplicates:
    """Block, score and cluster the rows; the possible pairs' notes. The scored pairs
    (a few hundred MB at a million rows) are gone when this returns; drop the keys
    too before `mark_duplicates` adds the annotations and the survivors' fills."""
    features, rank, row_labels = keys.features, keys.rank, keys.labels
    compared = [COMPARE_PREFIX + column for column in config.compare]
    if config.enabled:
        blocks = blocking_keys(features, config.evidence, compared, shared_only=True)
        pairs = self_pairs(blocks, config.max_block_size, rows=features.height)
    else:
        pairs = pl.DataFrame(schema={"i": pl.UInt32, "j": pl.UInt32})
    comparisons = comparisons_for(config.compare)
    levels = keyed(pair_levels(features, features, pairs, comparisons))
    model = fit(features, features, levels, comparisons, same_side=True)
    scored = score_pairs(levels, model, config)
    matched = scored.filter(pl.col("verdict") == MATCH)

    def still_compatible(to_check: list[Pair]) -> list[bool]:
        checked = pl.DataFrame(to_check, schema={"i": pl.UInt32, "j": pl.UInt32}, orient="row")
        checked_levels = pair_levels(features, features, checked, comparisons)
        strict = score_pairs(checked_levels, model, config)["compatible"]
        # Two spellings of one name the strict levels read as two (name_agreement);
        # business addresses at two domains stay a veto, as do an employer's numbered
        # namesake (john.smith2@ beside john.smith@) and another generation (Jr):
        # one name spelt alike is what tells those people apart, not one person.
        vetoed = (
            (checked_levels[DOMAIN.column] == DOMAIN_VETO)
            | (checked_levels["numbered"] == NUMBERED_NAMESAKE)
            | checked_levels[OTHER_GENERATION]
        ).fill_null(False)
        lenient = names_could_agree(features, checked) & ~vetoed
        return (strict | lenient).to_list()

    clusters = cluster_rows(matched.select("i", "j", "evidence"), rank, still_compatible)
    reviewed = ("i", "j", "evidence", "probability")
    possible_pairs = scored.filter(pl.col("verdict") == POSSIBLE).select(reviewed)
    split = matched.join(
        pl.DataFrame(clusters.split_pairs, schema={"i": pl.UInt32, "j": pl.UInt32}, orient="row"),
        on=["i", "j"],
        how="semi",
    ).select(reviewed)
    notes = _possible_notes(pl.concat([possible_pairs, split]), clusters, row_labels)
    stats = DedupeStats(
        rows=features.height,
        candidate_pairs=pairs.height,
        matched_pairs=matched.height,
        clusters=len(set(clusters.survivor_of.values())),
        duplicates=len(clusters.link),
        possible=notes.height,
    )
    return Duplicates(clusters, row_labels, notes, rank, stats)


def _possible_notes(
    possible: pl.DataFrame, clusters: Clusters, row_labels: pl.Series
) -> pl.DataFrame:
    """(row, note, partner, pair id) for the survivors on both sides of every
    possible pair whose rows did not end in one cluster. The partner is the most
    probable one (then the first by label); the pair id is shared by the two rows
    of that pair."""
    survivor_of = clusters.survivor_of
    lifted: dict[int, set[str]] = {}
    best: dict[int, tuple[float, str]] = {}
    for a, b, evidence, probability in possible.iter_rows():
        side_a, side_b = survivor_of.get(a, a), survivor_of.get(b, b)
        if side_a == side_b:
            continue
        for row, other in ((side_a, side_b), (side_b, side_a)):
            lifted.setdefault(row, set()).add(f"possible {evidence} with {row_labels[other]}")
            candidate = (-probability, str(row_labels[other]))
            if row not in best or candidate < best[row]:
                best[row] = candidate
    rows = sorted(lifted)
    partners = [best[r][1] for r in rows]
    return pl.DataFrame(
        {
            _ROW: rows,
            "_note": ["; ".join(sorted(lifted[r])[:_MAX_POSSIBLE_SHOWN]) for r in rows],
            "_partner": partners,
            "_pair": [
                pair_id_of(str(row_labels[r]), partner)
                for r, partner in zip(rows, partners, strict=True)
            ],
        },
        schema={_ROW: pl.UInt32, "_note": pl.String, "_partner": pl.String, "_pair": pl.String},
    )


def pair_id_of(label: str, other: str) -> str:
    """ "p" + 12 hex digits of the two rows' labels in order: the same on both rows."""
    first, second = sorted((label, other))
    digest = hashlib.blake2b(f"{first}\x1f{second}".encode(), digest_size=6)
    return "p" + digest.hexdigest()


def _cluster_frame(clusters: Clusters, row_labels: pl.Series) -> pl.DataFrame:
    survivor_of = clusters.survivor_of
    rows = sorted(survivor_of)
    evidence: list[str | None] = []
    for row in rows:
        if row not in clusters.link:
            evidence.append(None)
            continue
        parent, why = clusters.link[row]
        evidence.append(why if parent == survivor_of[row] else f"{why} via {row_labels[parent]}")
    return pl.DataFrame(
        {_ROW: rows, _SURVIVOR: [survivor_of[r] for r in rows], "_evidence": evidence},
        schema={_ROW: pl.UInt32, _SURVIVOR: pl.UInt32, "_evidence": pl.String},
    )


def mark_duplicates(df: pl.DataFrame, found: Duplicates) -> pl.DataFrame:
    """`df` with the columns of the module docstring, from what `find_duplicates`
    decided on the same rows; survivors' blanks filled."""
    df = df.with_row_index(_ROW)
    notes, rank = found.notes, found.rank
    members = _cluster_frame(found.clusters, found.row_labels)
    survivor_keys = df.select(_ROW, SOURCE_FILE, SOURCE_ROW).join(
        members.select(pl.col(_SURVIVOR).unique().alias(_ROW)), on=_ROW, how="semi"
    )
    keys = survivor_keys.select(SOURCE_FILE, SOURCE_ROW).iter_rows()
    ids = survivor_keys.select(
        pl.col(_ROW).alias(_SURVIVOR),
        pl.Series(CLUSTER_ID, [cluster_id_of(str(f), int(r)) for f, r in keys], dtype=pl.String),
    )
    members = members.join(ids, on=_SURVIVOR, how="left")
    own_sources = df.select(_ROW, row_sources(df, SOURCE_SEPARATOR).alias("_sources"))
    # Lists only for the rows in a cluster: a list per row of a million took
    # hundreds of MB for rows whose sources are their own.
    member_sources = own_sources.join(members.select(_ROW, _SURVIVOR), on=_ROW)
    cluster_sizes = member_sources.group_by(_SURVIVOR).agg(
        pl.len().alias("_size"),
        pl.col("_sources")
        .str.split(SOURCE_SEPARATOR)
        .explode()
        .unique()
        .sort()
        .str.join(SOURCE_SEPARATOR)
        .alias("_cluster_sources"),
    )
    # Everything about the clustered and possible rows on a frame of those rows, then
    # one join onto all rows, put beside the wide frame: joining the wide frame would
    # copy every column, and joining each piece onto every row copied the pieces.
    annotated = members.join(cluster_sizes, on=_SURVIVOR, how="left").join(
        notes, on=_ROW, how="full", coalesce=True
    )
    info = (
        own_sources.with_columns(rank.alias(_RANK))
        .join(annotated, on=_ROW, how="left", maintain_order="left")
        .with_columns((pl.col(_SURVIVOR) == pl.col(_ROW)).fill_null(False).alias(_IS_SURVIVOR))
    )
    df = df.hstack(info.drop(_ROW))
    df = fill_blanks(df, _SURVIVOR, _IS_SURVIVOR, _RANK)
    in_cluster = pl.col(_SURVIVOR).is_not_null()
    is_duplicate = in_cluster & ~pl.col(_IS_SURVIVOR)
    sources = pl.when(pl.col(_IS_SURVIVOR)).then(pl.col("_cluster_sources")).otherwise("_sources")
    return df.with_columns(
        is_duplicate.alias(flag("duplicate")),
        pl.col("_note").is_not_null().alias(flag("duplicate.possible")),
        pl.coalesce("_evidence", "_note").alias(MATCH_EVIDENCE),
        pl.col("_partner").alias(POSSIBLE_PARTNER),
        pl.col("_pair").alias(PAIR_ID),
        pl.when(is_duplicate)
        .then(0)
        .when(in_cluster)
        .then(pl.col("_size"))
        .otherwise(1)
        .cast(pl.Int64)
        .alias(DUPLICATE_COUNT),
        sources.fill_null("").alias(SOURCES),
    ).drop(
        _ROW,
        _SURVIVOR,
        _IS_SURVIVOR,
        _RANK,
        "_evidence",
        "_note",
        "_partner",
        "_pair",
        "_size",
        "_sources",
        "_cluster_sources",
    )
