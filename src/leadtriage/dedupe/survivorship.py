"""One survivor per cluster, and its blanks filled from the other members.

The survivor is the best row by the configured criteria (default: the most
complete, then the newest ``created_at``, then the first seen by ``source_file``
text and ``source_row``: text order, so that shuffled inputs give the same
survivor). Its blank fields are filled group by group from the best-ranked other
member that has the group's anchor value, so that companion columns stay
consistent: a filled ``email`` brings that row's ``email_key``, ``email_domain``
and ``flag.email.*`` with it.

Filled groups (anchor -> columns moved with it): ``email`` (``email_*``,
``flag.email.*``), ``phone_e164`` (``phone_*``, ``flag.phone.*``), ``first_name``
and ``last_name`` together (``*_name_key``, ``flag.name.*``), ``company``
(``company_*``, ``flag.company.*``), and ``job_title``, ``website``,
``country_code``, ``city``, ``state``, ``postcode``, ``address`` on their own, and
``mobile_e164`` (``mobile_*``), ``source`` and ``created_at``, which completeness
does not count.
When the survivor ends with an email or a phone, ``flag.contact.missing`` and
``flag.contact.invalid`` are cleared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from leadtriage.frame import CLUSTER_ID, SOURCE_FILE, SOURCE_ROW, flag
from leadtriage.schema import CONTACT_COLUMNS, Col

# The contact data a CRM keeps: a cluster's most complete row survives.
COMPLETENESS_FIELDS: Final[tuple[str, ...]] = CONTACT_COLUMNS


@dataclass(frozen=True)
class FillGroup:
    anchors: tuple[str, ...]
    prefixes: tuple[str, ...] = ()

    def columns(self, available: Sequence[str]) -> list[str]:
        return [c for c in available if c in self.anchors or c.startswith(self.prefixes)]


# Columns filled from another row of the cluster together, so an email never
# travels without its key and flags; every other contact column alone.
_GROUPED: Final[tuple[FillGroup, ...]] = (
    FillGroup((Col.EMAIL,), ("email_", "flag.email.")),
    FillGroup((Col.PHONE_E164,), ("phone_", "flag.phone.")),
    FillGroup((Col.FIRST_NAME, Col.LAST_NAME), ("first_name_", "last_name_", "flag.name.")),
    FillGroup((Col.COMPANY,), ("company_", "flag.company.")),
)
# Filled, but not counted by completeness: a second phone, where and when the person
# came from (ranking by them would change which row survives).
_ALSO_FILLED: Final[tuple[FillGroup, ...]] = (
    FillGroup((Col.MOBILE_E164,), ("mobile_", "flag.mobile.")),
    FillGroup((Col.SOURCE,)),
    FillGroup((Col.CREATED_AT,)),
)
FILL_GROUPS: Final[tuple[FillGroup, ...]] = (
    *_GROUPED,
    *(
        FillGroup((name,))
        for name in CONTACT_COLUMNS
        if not any(name in group.anchors for group in _GROUPED)
    ),
    *_ALSO_FILLED,
)


_POSITION: Final = "_fill_position"
_TAKES: Final = "_fill_takes"


def _has_text(column: str) -> pl.Expr:
    return pl.col(column).is_not_null() & (pl.col(column).cast(pl.String).str.strip_chars() != "")


def _is_initial(column: str) -> pl.Expr:
    """Only initials ("J.", "J", "J. A."): a given name that stands for another, so a
    row carrying it is less complete than one carrying the name itself."""
    return pl.col(column).cast(pl.String).str.contains(r"^\s*\p{L}\.?(\s*\p{L}\.)*\s*$")


# What a typo shows in: a spelling or an address nobody else in the run has.
_SPELT_PARTS: Final = (Col.FIRST_NAME_KEY, Col.LAST_NAME_KEY, Col.EMAIL_KEY)


def _spelt_as_others_do(columns: Sequence[str]) -> pl.Expr:
    """How many of the row's name parts and address (`columns`) another row of the
    run has the same way. A typo makes a spelling nobody else has (Thonas, Thomss
    beside Thomas; vaughm@ beside vaughn@), so of one person's equally complete rows
    the one spelt as the others are goes first: the survivor is what the CRM
    imports. A count, not a frequency: among rows alike in this, the next criterion
    (newest) still decides."""
    return pl.sum_horizontal(
        pl.lit(0, dtype=pl.Int8),
        *((pl.col(c).is_not_null() & (pl.len().over(c) > 1)).cast(pl.Int8) for c in columns),
    )


def survivor_rank(df: pl.DataFrame, order: Sequence[str]) -> pl.Series:
    """Each row's position in survivorship order (0 is the best). Of equally complete
    rows, the one whose name and address others share goes first: the survivor is what
    the CRM imports, and what the other rows must be compatible with."""
    present = [c for c in COMPLETENESS_FIELDS if c in df.columns]
    known = [
        _has_text(c) & ~_is_initial(c) if c == Col.FIRST_NAME else _has_text(c) for c in present
    ]
    completeness = pl.sum_horizontal(pl.lit(0), *(k.cast(pl.Int32) for k in known))
    keys: list[pl.Expr] = []
    descending: list[bool] = []
    for criterion in order:
        if criterion == "complete":
            keys.append(completeness)
            descending.append(True)
            keys.append(_spelt_as_others_do([c for c in _SPELT_PARTS if c in df.columns]))
            descending.append(True)
        elif criterion == "newest" and Col.CREATED_AT in df.columns:
            keys.append(pl.col(Col.CREATED_AT).str.strip_chars())
            descending.append(True)
        elif criterion == "first_seen":
            keys.extend([pl.col(SOURCE_FILE), pl.col(SOURCE_ROW)])
            descending.extend([False, False])
    keys.extend([pl.col(SOURCE_FILE), pl.col(SOURCE_ROW)])
    descending.extend([False, False])
    sort_keys = df.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_pos"),
        *(key.alias(f"_key{n}") for n, key in enumerate(keys)),
    )
    order_of_rows = sort_keys.sort(
        [f"_key{n}" for n in range(len(keys))],
        descending=descending,
        nulls_last=True,
        maintain_order=True,
    )["_pos"]
    return order_of_rows.arg_sort()


def fill_blanks(df: pl.DataFrame, survivor: str, is_survivor: str, rank: str) -> pl.DataFrame:
    """Fill the survivors' blank groups from their clusters' other members.
    `survivor` names the column holding each clustered row's survivor id."""
    is_member = df.select(pl.col(survivor).is_not_null() & ~pl.col(is_survivor)).to_series()
    filled: list[pl.Series] = []
    for group in FILL_GROUPS:
        anchors = [a for a in group.anchors if a in df.columns]
        if not anchors:
            continue
        columns = group.columns(df.columns)
        has_anchor = pl.any_horizontal(_has_text(a) for a in anchors)
        # One group's columns of the members at a time: all of them at once were a
        # copy of most of the frame's duplicate rows (hundreds of MB at a million).
        best = (
            df.select(survivor, rank, *columns)
            .filter(is_member, has_anchor)
            .sort(rank)
            .unique(subset=[survivor], keep="first", maintain_order=True)
            .select(survivor, *columns)
        )
        takers = (
            df.select(
                pl.int_range(pl.len(), dtype=pl.UInt32).alias(_POSITION),
                survivor,
                (pl.col(is_survivor) & ~has_anchor).alias(_TAKES),
            )
            .filter(_TAKES)
            .join(best, on=survivor, how="inner")
        )
        if takers.height == 0:
            continue
        # Only the taking survivors' cells are set: joining the donors beside every
        # row (most of them null) took a gigabyte at a million rows.
        # A column the donors would leave as it is stays the same column (each copy
        # costs 16 bytes a row, text or not).
        for column in columns:
            current = df.get_column(column).gather(takers[_POSITION])
            if not takers[column].ne_missing(current).any():
                continue
            values = df.get_column(column).clone()
            values.scatter(takers[_POSITION], takers[column])
            filled.append(values)
    df = df.with_columns(filled)
    reachable = [c for c in (Col.EMAIL, Col.PHONE_E164) if c in df.columns]
    if reachable:
        reached = pl.any_horizontal(_has_text(c) for c in reachable)
        for slug in ("contact.missing", "contact.invalid"):
            if flag(slug) in df.columns:
                df = df.with_columns(
                    pl.when(pl.col(is_survivor) & reached)
                    .then(pl.lit(False))
                    .otherwise(pl.col(flag(slug)))
                    .alias(flag(slug))
                )
    return df


def row_sources(df: pl.DataFrame, separator: str) -> pl.Expr:
    """Each row's own sources, `separator`-joined: its source file (standard input as
    "stdin") and lead source,
    sorted, distinct, blanks left out. Two values compared as text, not a list per
    row (a million lists cost hundreds of MB)."""
    file = pl.col(SOURCE_FILE).cast(pl.String)
    # Standard input ("-" as a source file) is named: a leading "-" is a formula sign
    # to a spreadsheet, and means nothing in a CRM.
    file = pl.when(file == "-").then(pl.lit("stdin")).when(file != "").then(file)
    if Col.SOURCE not in df.columns:
        return file
    lead = pl.col(Col.SOURCE).cast(pl.String).str.strip_chars()
    lead = pl.when(lead != "").then(lead)
    return (
        pl.when(lead.is_null() | (lead == file))
        .then(file)
        .when(file.is_null())
        .then(lead)
        .when(file < lead)
        .then(file + pl.lit(separator) + lead)
        .otherwise(lead + pl.lit(separator) + file)
    )


def fill_passed_on(routed: pl.DataFrame, columns: Sequence[str], takers: pl.Expr) -> pl.DataFrame:
    """The blank cells of `columns` (input columns passed on as they came, no field's:
    a webinar export's "Notes") of the survivors `takers` selects, filled from their
    clusters' duplicates, the first in row order holding a value. After the run's
    clusters are known and the set-aside columns are back; every other row keeps its
    cells as they came (review and rejected show what arrived)."""
    present = [c for c in columns if c in routed.columns]
    if not present or CLUSTER_ID not in routed.columns:
        return routed
    duplicate = flag("duplicate")
    clustered = routed.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias(_POSITION),
        CLUSTER_ID,
        duplicate,
        takers.alias(_TAKES),
        *present,
    ).filter(pl.col(CLUSTER_ID).is_not_null())
    if clustered.height == 0:
        return routed
    donors = (
        clustered.filter(pl.col(duplicate))
        .group_by(CLUSTER_ID, maintain_order=True)
        .agg(pl.col(c).drop_nulls().first().alias(_DONOR + c) for c in present)
    )
    taking = clustered.filter(~pl.col(duplicate) & pl.col(_TAKES))
    taking = taking.join(donors, on=CLUSTER_ID, how="inner")
    filled = []
    for column in present:
        takes = taking.filter(pl.col(column).is_null() & pl.col(_DONOR + column).is_not_null())
        if takes.height:
            values = routed.get_column(column).cast(pl.String)
            filled.append(values.scatter(takes[_POSITION], takes[_DONOR + column]))
    return routed.with_columns(filled) if filled else routed


_DONOR: Final = "_fill_donor."
