"""Candidate pairs from blocking keys, by Polars joins: never all pairs.

Rows are compared only when they share a blocking key: the email match key (or
the same without punctuation in the local part: one person's aliases; or a half of
the local part, with the domain and the name's initials: one slip of a letter), or a
name token (the first three letters of a name part, or a nickname group) together
with the phone (its last eight digits), the company key or the business email
domain. One typo leaves the other part's prefix intact; a swapped or one-column name
has the same parts. Every rule but the email one needs matching names, so pairing
the other keys with a name token loses no match (tests/dedupe/test_blocking.py
compares with all pairs). A key shared by more than `max_block_size` rows is no
evidence of anything (a switchboard, an event address) and its block is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import combinations
from typing import Final

import polars as pl

from leadtriage.schema import Col

_BLOCK = "block"
_TOKEN = "token"

# A piece of a name is hashed with a seed that says which piece it is (the old string
# tokens wrote "^" and "$" into the text): three leading letters, the first letter,
# the last two, or (beside a nickname group) two leading letters.
_LEADING, _INITIAL, _ENDING, _GROUP_LEADING = 0, 1, 2, 3
# A nickname group's token is its id with a piece of a part, hashed apart from the
# tokens of two pieces.
_GROUP_SEED: Final = 7


# The mask of the rows to key, where `blocking_keys` was given one.
_KEYED = "_keyed"


def _keyed(indexed: pl.DataFrame) -> pl.Expr:
    return pl.col(_KEYED) if _KEYED in indexed.columns else pl.lit(True)


def _piece(text: pl.Expr, end: int) -> pl.Expr:
    return text.hash(seed=end)


def _pair_token(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """The two pieces' hashes in order, hashed: a swapped name gives the same token.
    Null when either piece is."""
    both = pl.struct(pl.min_horizontal(a, b).alias("a"), pl.max_horizontal(a, b).alias("b"))
    return pl.when(a.is_not_null() & b.is_not_null()).then(both.hash())


def _part_pieces(given: pl.Expr, last: pl.Expr) -> list[pl.Expr]:
    def piece(part: pl.Expr, end: int) -> pl.Expr:
        span = {_LEADING: (0, 3), _INITIAL: (0, 1), _ENDING: (-2, None)}[end]
        return pl.when(part.is_not_null()).then(_piece(part.str.slice(*span), end))

    return [
        _pair_token(piece(given, _LEADING), piece(last, _INITIAL)),
        _pair_token(piece(given, _INITIAL), piece(last, _LEADING)),
        _pair_token(piece(given, _LEADING), piece(last, _ENDING)),
        _pair_token(piece(given, _ENDING), piece(last, _LEADING)),
        # A given name cut to its initial beside a family name with another one
        # before it ("Me de Dobson"): the initial and the family name's ending.
        _pair_token(piece(given, _INITIAL), piece(last, _ENDING)),
    ]


def _long(frame: pl.DataFrame, pieces: Sequence[pl.Expr]) -> pl.DataFrame:
    """(row, token) for each piece in turn, as `unpivot` stacks them, without the
    column naming each row's piece that `unpivot` makes first (a 16-byte text view
    per token: about 200 MB for a million rows' 12 million tokens)."""
    return pl.concat([frame.select(pl.col("row"), piece.alias(_TOKEN)) for piece in pieces])


# Tokens are made a slice of rows at a time: made for a million rows at once, the
# pieces, the exploded nickname groups and the sort took five times the result (600
# MB for 115 MB of tokens).
TOKEN_ROWS_PER_SLICE: Final = 200_000


def name_tokens(indexed: pl.DataFrame) -> pl.DataFrame:
    """(row, token) for every blocking token of every row with a full name: a piece
    of each part (three leading letters of one with the first letter or the last two
    of the other), so that one typo anywhere leaves a token intact and a swapped
    name gives the same tokens; and each nickname group with a piece of a part, so
    that Bob meets Robert. Tokens are hashed (u64): a collision only adds a
    candidate pair, which scoring judges. Distinct and sorted by row and token: the
    slices are row ranges in order, so their sorted tokens, one after the other, are
    sorted too."""
    if indexed.height <= TOKEN_ROWS_PER_SLICE:
        return _slice_tokens(indexed)
    return pl.concat([_slice_tokens(rows) for rows in indexed.iter_slices(TOKEN_ROWS_PER_SLICE)])


def _slice_tokens(indexed: pl.DataFrame) -> pl.DataFrame:
    """`name_tokens` of a slice of rows."""
    first, first_all, last = pl.col("first"), pl.col("first_all"), pl.col("last")
    known = indexed.filter(_keyed(indexed) & first.is_not_null() & last.is_not_null()).select(
        "row", "first", "first_all", "last", "last_spaced", "first_groups", "last_groups"
    )
    # A several-word given name is compared whole against a family name in the wrong
    # column, so its whole form makes tokens too.
    several = known.filter(first_all != first)
    # A family name of two words is also its first word alone: the other row may
    # carry one family name ("Marchal" beside "Marchal Nguyen"), or a whole name's
    # middle word may be the family name ("Emmanuelle Marchal Nguyen", Emmanuelle
    # Marchal).
    first_of_two = known.filter(pl.col("last_spaced").str.contains(" ", literal=True)).select(
        "row", "first", pl.col("last_spaced").str.extract(r"^(\S+)").alias("last")
    )
    grouped = (
        known.select(
            "row",
            "first",
            "first_all",
            "last",
            pl.concat_list("first_groups", "last_groups").alias("group"),
        )
        .explode("group")
        .drop_nulls("group")
    )
    group_pieces = [
        pl.when(part.is_not_null()).then(
            pl.struct(pl.col("group"), _piece(part.str.slice(*span), end)).hash(seed=_GROUP_SEED)
        )
        for part in (last, first, first_all)
        for end, span in ((_GROUP_LEADING, (0, 2)), (_ENDING, (-2, None)))
    ]
    return (
        pl.concat(
            [
                _long(known, _part_pieces(first, last)),
                _long(several, _part_pieces(first_all, last)),
                _long(first_of_two, _part_pieces(first, last)),
                _long(grouped, group_pieces),
            ]
        )
        .drop_nulls(_TOKEN)
        .pipe(_distinct_sorted)
    )


def _distinct_sorted(pairs: pl.DataFrame) -> pl.DataFrame:
    """The distinct (row, token) rows, sorted. Sorting and dropping repeats of the
    previous row: `unique()` on the two columns took 3 s and 1.4 GB of working memory
    for a million rows' 12 million tokens, this 0.7 s and almost none."""
    ordered = pairs.sort("row", _TOKEN)
    row, token = pl.col("row"), pl.col(_TOKEN)
    repeat = (row == row.shift()) & (token == token.shift())
    return ordered.filter(~repeat.fill_null(False))


def blocking_keys(
    features: pl.DataFrame,
    evidence: Sequence[str],
    compared: Sequence[str] = (),
    *,
    shared_only: bool = False,
    within: pl.DataFrame | None = None,
    rows: pl.Series | None = None,
) -> pl.DataFrame:
    """(block, row) for every key of every row; `row` is the feature row index and
    `block` a u64 hash of the key's kind and value (with a name token where the kind
    needs one). `compared` are the feature columns of ``[dedupe] compare``: each
    pairs with a name token as the phone does, and every two of them make a key
    together. `shared_only` leaves out, kind by kind, the keys of one row alone:
    within one run they pair nothing, and they are most of the keys (at a million
    rows, 17 of 20 million). `within` (a frame of blocks: another side's keys) keeps
    only the keys in those blocks, slice by slice as they are made: against a small
    CRM export, a million rows' other keys pair nothing, and held until the join they
    were a third of a GB at once. `rows` (a mask) keys those rows only, `row` staying
    their index in `features`: a copy of the rows kept would weigh as much as their
    keys."""
    indexed = features.with_row_index("row")
    if rows is not None:
        indexed = indexed.with_columns(rows.alias(_KEYED))
    named = [_KEY_COLUMNS[kind] for kind in ("phone", "company", "domain") if kind in evidence]
    named.extend((column,) for column in compared)
    tokens = name_tokens(indexed) if named else pl.DataFrame()
    parts: list[pl.DataFrame] = []

    if shared_only and within is not None:
        raise ValueError("shared_only is for a frame against itself, within for two frames")

    def in_other(part: pl.DataFrame) -> pl.DataFrame:
        return part if within is None else part.join(within, on=_BLOCK, how="semi")

    def add(part: pl.DataFrame) -> None:
        # Each kind's lone keys go as it is made: holding every kind's keys until the
        # last was made took a few hundred MB at a million rows.
        parts.append(in_other(shared(part, _BLOCK) if shared_only else part))

    if "email" in evidence:
        add(_simple_keys(indexed, 1, Col.EMAIL_KEY))
        add(_alias_keys(indexed))
        halves = email_half_keys(indexed)
        if shared_only:
            halves = shared(halves, _BLOCK)
        # The cap counts this frame's rows of a half, so it comes before `within`.
        parts.append(in_other(common_halves_dropped(halves, one_frame=shared_only)))
    for seed, columns in enumerate(named, start=2):
        # Made shared or narrowed as they are made, a slice of tokens at a time.
        parts.append(_name_keys(indexed, tokens, seed, columns, shared_only, in_other))
    # Two compared columns agreeing (street and postcode) pair rows whatever their
    # names: records whose names were mistyped, swapped for another or left out.
    for seed, (first, second) in enumerate(combinations(compared, 2), start=2 + len(named)):
        add(_column_pair_keys(indexed, seed, first, second))
    if not parts:
        return _no_keys()
    return pl.concat(parts)


def shared(keys: pl.DataFrame, column: str) -> pl.DataFrame:
    """The rows of `keys` whose `column` another row has too, sorted by it: each
    compared with its neighbours. Twice as fast as hashing every key
    (``is_duplicated``) for a million rows' 25 million keys; the order of the keys
    is no one's concern (pairs come out sorted)."""
    key = pl.col(column)
    return keys.sort(column).filter((key == key.shift(1)) | (key == key.shift(-1)))


def _no_keys() -> pl.DataFrame:
    """(block, row) with no rows."""
    return pl.DataFrame(schema={_BLOCK: pl.UInt64, "row": pl.UInt32})


# The feature holding a phone's last eight digits, whether or not the phone stage read
# the number (features._phone_tail): one number is one key however it was written.
PHONE_TAIL: Final = "phone_tail"
# The same of a row's second number (features.MOBILE): a phone key too, so an office
# line and a mobile each meet the same number given alone elsewhere.
MOBILE_TAIL: Final = "mobile_tail"
_KEY_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "phone": (PHONE_TAIL, MOBILE_TAIL),
    "company": (Col.COMPANY_KEY,),
    "domain": ("business_domain",),
}


def _simple_keys(indexed: pl.DataFrame, seed: int, column: str) -> pl.DataFrame:
    return indexed.filter(_keyed(indexed) & pl.col(column).is_not_null()).select(
        pl.col(column).hash(seed=seed).alias(_BLOCK), pl.col("row")
    )


def _column_pair_keys(indexed: pl.DataFrame, seed: int, first: str, second: str) -> pl.DataFrame:
    both = pl.col(first).is_not_null() & pl.col(second).is_not_null()
    return indexed.filter(_keyed(indexed) & both).select(
        pl.concat_str(first, second, separator="\x1f").hash(seed=seed).alias(_BLOCK),
        pl.col("row"),
    )


# The feature holding each row's `email_alias`, hashed (dedupe.features makes it).
EMAIL_ALIAS: Final = "email_alias"


def email_alias(email_key: pl.Expr) -> pl.Expr:
    """The address without punctuation in its local part: one person's aliases at
    one domain (first.last@, first_last@, firstlast@) share it."""
    local = email_key.str.split("@").list.first().str.replace_all(r"[._+\-]", "")
    return local + pl.lit("@") + email_key.str.split("@").list.last()


def _alias_keys(indexed: pl.DataFrame) -> pl.DataFrame:
    """One person's aliases at one domain (first.last@, first_last@, firstlast@)
    share the address without its punctuation (the features' hashed EMAIL_ALIAS); a
    role address is no one's alias."""
    alias = pl.col(EMAIL_ALIAS).is_not_null() & ~pl.col("email_role")
    return indexed.filter(_keyed(indexed) & alias).select(
        pl.col(EMAIL_ALIAS).hash(seed=1_000).alias(_BLOCK), pl.col("row")
    )


# A half of a local part shorter than this is shared by too many addresses to say
# anything ("jo" at gmail.com), and so is a half that more than HALF_BLOCK_CAP rows
# of one frame share with the same initials.
MIN_HALF_LENGTH: Final = 4
HALF_BLOCK_CAP: Final = 10
_SIDE_SEEDS: Final = {"<": 2_000, ">": 2_001}
_DOMAIN_SEED: Final = 2_002


def email_halves(local: pl.Expr) -> list[tuple[str, pl.Expr]]:
    """Pieces of a local part such that any two local parts one edit apart (a letter
    added, dropped, changed, or two swapped) share one: its first and its last
    ``len // 2`` and ``(len - 1) // 2`` letters (the two lengths are one for an odd
    length: its second pair is null), each with the side it was taken from ("<" the
    start, ">" the end). Null where a piece is shorter than MIN_HALF_LENGTH. (The
    test suite checks the promise against every one-edit variant of many
    addresses.)"""
    length = local.str.len_chars()
    pieces: list[tuple[str, pl.Expr]] = []
    for half, long_enough in (
        (length // 2, length // 2 >= MIN_HALF_LENGTH),
        ((length - 1) // 2, ((length - 1) // 2 >= MIN_HALF_LENGTH) & (length % 2 == 0)),
    ):
        pieces.append(("<", pl.when(long_enough).then(local.str.slice(0, half))))
        pieces.append((">", pl.when(long_enough).then(local.str.slice(length - half))))
    return pieces


def split_email(email_key: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The local part and the domain of an address."""
    parts = email_key.str.split_exact("@", 1).struct
    return parts.field("field_0"), parts.field("field_1")


def email_half_keys(indexed: pl.DataFrame) -> pl.DataFrame:
    """A person's address typed with one slip (maruice@ for maurice@) meets the
    address itself through a half of its local part left intact (`email_halves`),
    with the domain and the initials of the full name (either order): a slip only
    merges rows with full names (dedupe.scoring), and the initials keep the blocks
    of common halves ("john." at gmail.com) to the people they may be. A role
    address is no one's. See `common_halves_dropped` for the blocks kept. Made a
    slice of rows at a time, as name tokens are."""
    if indexed.height <= TOKEN_ROWS_PER_SLICE:
        return _slice_half_keys(indexed)
    return pl.concat([_slice_half_keys(rows) for rows in indexed.iter_slices(TOKEN_ROWS_PER_SLICE)])


def _slice_half_keys(indexed: pl.DataFrame) -> pl.DataFrame:
    """`email_half_keys` of a slice of rows."""
    email, first, last = pl.col(Col.EMAIL_KEY), pl.col("first"), pl.col("last")
    local, domain = split_email(email)
    own = indexed.filter(
        _keyed(indexed),
        email.is_not_null() & ~pl.col("email_role") & first.is_not_null() & last.is_not_null(),
    ).select(
        "row",
        local.alias("_local"),
        email.hash().alias("_address"),
        pl.struct(
            domain.hash(seed=_DOMAIN_SEED).alias("domain"),
            _pair_token(
                _piece(first.str.slice(0, 1), _INITIAL), _piece(last.str.slice(0, 1), _INITIAL)
            ).alias("initials"),
        ).alias("_around"),
    )
    return pl.concat(
        [
            own.select("row", "_address", "_around", piece.alias("_half"))
            .drop_nulls("_half")
            .select(
                pl.struct(pl.col("_half").hash(seed=_SIDE_SEEDS[side]), "_around")
                .hash()
                .alias(_BLOCK),
                "row",
                "_address",
            )
            for side, piece in email_halves(pl.col("_local"))
        ]
    )


def common_halves_dropped(keys: pl.DataFrame, *, one_frame: bool) -> pl.DataFrame:
    """(block, row) of the keys of `email_half_keys` whose block has at most
    HALF_BLOCK_CAP rows. Within `one_frame` (a run against itself), also only the
    blocks of two addresses or more: the rows of one address (a person's repeats,
    most of a run's halves) already share the address itself."""
    kept = pl.len().over(_BLOCK) <= HALF_BLOCK_CAP
    if one_frame:
        kept = kept & (pl.col("_address").n_unique().over(_BLOCK) > 1)
    return keys.filter(kept).drop("_address")


def _name_keys(
    indexed: pl.DataFrame,
    tokens: pl.DataFrame,
    seed: int,
    columns: tuple[str, ...],
    shared_only: bool,
    kept: Callable[[pl.DataFrame], pl.DataFrame],
) -> pl.DataFrame:
    """The value of each of `columns` (one kind's: a phone and a mobile are one
    number's columns, hashed alike so each meets the other) with each of the row's
    name tokens, hashed together into one u64:
    grouping and joining on one column instead of two took the million-row grouping
    from 1.3 GB of working memory to almost none; a collision only adds candidate
    pairs. With `shared_only`, a value no other row has makes no key: it cannot
    share a block, and leaving it out before the join with the tokens keeps the join
    to the rows that can pair; and only the keys another row has are returned.
    `kept` narrows each slice's keys as it is made (`blocking_keys`' `within`)."""
    pieces = [
        indexed.filter(_keyed(indexed) & pl.col(column).is_not_null()).select(
            "row", pl.col(column).hash(seed=seed).alias("_value")
        )
        for column in columns
        if column in indexed.columns
    ]
    # Most exports have one phone column: the mobile's piece is empty, and joining it
    # would copy the phones' for nothing.
    values = pl.concat([p for p in pieces if p.height] or pieces[:1])
    if shared_only:
        values = shared(values, "_value")
    # Joined a slice of tokens at a time: all at once, the join and the hash took
    # four times the keys they made (380 MB for a million rows' company keys).
    slices = (
        kept(
            values.join(some, on="row").select(
                pl.struct("_value", _TOKEN).hash().alias(_BLOCK), "row"
            )
        )
        for some in tokens.iter_slices(JOIN_ROWS_PER_PASS)
    )
    if shared_only:
        return _shared_in_buckets(slices)
    keyed = list(slices)
    return pl.concat(keyed) if keyed else _no_keys()


# One kind's name keys are sorted for `shared` in this many buckets of blocks: sorted
# whole, a million rows' company keys took three times their size at once.
SHARED_BUCKETS: Final = 4


def _shared_in_buckets(slices: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """`shared` of the slices' keys together, a bucket of blocks at a time (a block's
    keys are all in one bucket); sorted by block within each bucket."""
    buckets: list[list[pl.DataFrame]] = [[] for _ in range(SHARED_BUCKETS)]
    bucket = pl.col(_BLOCK) % SHARED_BUCKETS
    for keys in slices:
        for number, held in enumerate(buckets):
            held.append(keys.filter(bucket == number))
    found = []
    for number in range(SHARED_BUCKETS):
        held, buckets[number] = buckets[number], []
        found.append(shared(pl.concat(held), _BLOCK) if held else _no_keys())
        del held
    return pl.concat(found)


# How many rows the self-join of the larger blocks may produce, per input row (the
# sum of their squared sizes, over the rows deduplicated). A pathological list (a
# few names at a few companies, repeated) would otherwise make more candidate pairs
# than scoring can hold.
SELF_JOIN_ROWS_PER_ROW: Final = 20
MIN_PAIR_BUDGET: Final = 1_000_000
# Blocks of up to this many rows are kept whatever the budget: one person's rows
# make them (four rows of one person share blocks of four). Counting them against
# the budget cut every block of four rows or more at a million rows, where small
# blocks alone spent it, and split those people (held-out F1 0.86 instead of 0.96).
ALWAYS_KEPT_BLOCK: Final = 8


def pair_budget(rows: int) -> int:
    return max(MIN_PAIR_BUDGET, SELF_JOIN_ROWS_PER_ROW * rows)


def _kept_blocks(
    keys: pl.DataFrame, max_block_size: int, minimum: int, budget: int | None
) -> pl.DataFrame:
    """(block, size) of the blocks `small_blocks` keeps, by block."""
    # Counted as runs of the sorted blocks: a million rows' ten million keys in four
    # million blocks took 430 MB of hash table to group, their sorted column 80 MB
    # (and a third of the time).
    sizes = (
        keys.get_column(_BLOCK)
        .sort()
        .rle()
        .struct.unnest()
        .select(pl.col("value").alias(_BLOCK), pl.col("len").cast(pl.UInt32).alias("size"))
        .filter(pl.col("size").is_between(minimum, max_block_size))
    )
    if budget is not None:
        pairs_per_size = (
            sizes.filter(pl.col("size") > ALWAYS_KEPT_BLOCK)
            .group_by("size")
            .agg((pl.col("size").cast(pl.Int64) ** 2).sum().alias("pairs"))
            .sort("size")
            .with_columns(pl.col("pairs").cum_sum().alias("total"))
        )
        within = pairs_per_size.filter(pl.col("total") <= budget)["size"]
        largest = max([ALWAYS_KEPT_BLOCK, *within.to_list()])
        sizes = sizes.filter(pl.col("size") <= largest)
    return sizes


def small_blocks(
    keys: pl.DataFrame, max_block_size: int, minimum: int, budget: int | None
) -> pl.DataFrame:
    """(block, row) of the blocks of `minimum` to `max_block_size` rows. Blocks of up
    to ALWAYS_KEPT_BLOCK rows are all kept; larger ones smallest first until their
    self-join rows reach `budget` (None: no budget, for the CRM, whose blocks only
    ever meet the new rows' keys): past it the largest blocks (the weakest evidence:
    many people share the key) are left out whole, so the cut is the same for any
    order."""
    kept = _kept_blocks(keys, max_block_size, minimum, budget)
    return keys.join(kept.select(_BLOCK), on=_BLOCK, how="semi")


# The self-join runs over groups of blocks of about this many joined rows at a time:
# joined whole, a million rows' blocks (14 million joined rows, then made unique and
# sorted) took several hundred MB at once.
JOIN_ROWS_PER_PASS: Final = 2_000_000


def self_pairs(keys: pl.DataFrame, max_block_size: int, rows: int) -> pl.DataFrame:
    """Distinct pairs (i, j), i < j, of rows sharing a key, sorted; `rows` is how
    many rows are deduplicated (the pair budget grows with it)."""
    kept = _kept_blocks(keys, max_block_size, minimum=2, budget=pair_budget(rows))
    blocked = keys.join(kept.select(_BLOCK), on=_BLOCK, how="semi")
    joined_rows = int((kept["size"].cast(pl.Int64) ** 2).sum() or 0)
    passes = max(1, -(-joined_rows // JOIN_ROWS_PER_PASS))
    # Split once: filtering the blocks again for every pass read all of them each time.
    groups = blocked.with_columns((pl.col(_BLOCK) % passes).alias("_pass")).partition_by(
        "_pass", include_key=False
    )
    del blocked
    # A pair as one u64 (i in the high half), made distinct once over all passes (a
    # hash `unique()` per pass and again over all took five times as long for the 11
    # million joined pairs of a million rows; the sorted column is 88 MB). Each group
    # goes once joined: all held until the last, they were the blocks over again.
    groups.reverse()
    found = []
    while groups:
        group = groups.pop()
        found.append(
            group.rename({"row": "i"})
            .join(group.rename({"row": "j"}), on=_BLOCK)
            .filter(pl.col("i") < pl.col("j"))
            .select((pl.col("i").cast(pl.UInt64) * _HIGH + pl.col("j")).alias("pair"))
        )
        del group
    if not found:
        return pl.DataFrame(schema={"i": pl.UInt32, "j": pl.UInt32})
    return pl.concat(found).pipe(_distinct_pairs)


_HIGH: Final = 1 << 32


def pairs_between(
    left: pl.DataFrame,
    right: pl.DataFrame,
    evidence: Sequence[str],
    max_block_size: int,
    compared: Sequence[str] = (),
    rows: pl.Series | None = None,
) -> pl.DataFrame:
    """`cross_pairs` of the rows of `left` (those of the mask `rows`) and the records of
    `right`, from their features: the pairing of the CRM match and the ledger alike.
    The records' keys are made first, so the rows' keys in none of their blocks go as
    they are made (`blocking_keys`' `within`)."""
    right_keys = blocking_keys(right, evidence, compared)
    within = right_keys.select(_BLOCK).unique()
    left_keys = blocking_keys(left, evidence, compared, within=within, rows=rows)
    return cross_pairs(left_keys, right_keys, max_block_size)


def cross_pairs(
    left_keys: pl.DataFrame, right_keys: pl.DataFrame, max_block_size: int
) -> pl.DataFrame:
    """Distinct pairs (i, j) of a left row and a right row sharing a key, sorted. Only
    the right side's block size is capped: it is the large reference (the CRM)."""
    if right_keys.height > left_keys.height:
        # Only keys the left side has can pair; sizes are per key, so still exact.
        # (Against a smaller reference this costs more than it saves: at a million
        # rows against a 50,000-record CRM, making the rows' 16 million keys distinct
        # took four fifths of the pairing.)
        right_keys = right_keys.join(left_keys.select(_BLOCK).unique(), on=_BLOCK, how="semi")
    right = small_blocks(right_keys, max_block_size, minimum=1, budget=None).rename({"row": "j"})
    return (
        left_keys.rename({"row": "i"})
        .join(right, on=_BLOCK)
        .select((pl.col("i").cast(pl.UInt64) * _HIGH + pl.col("j")).alias("pair"))
        .pipe(_distinct_pairs)
    )


def _distinct_pairs(pairs: pl.DataFrame) -> pl.DataFrame:
    """(i, j) of the distinct u64 `pair`s (i in the high half), sorted: one sort and a
    drop of repeats, several times faster than a hash unique of two columns."""
    pair = pl.col("pair")
    return (
        pairs.sort("pair")
        .filter((pair != pair.shift()).fill_null(True))
        .select(
            (pair // _HIGH).cast(pl.UInt32).alias("i"), (pair % _HIGH).cast(pl.UInt32).alias("j")
        )
    )
