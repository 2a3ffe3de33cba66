"""Blocking stands in for comparing all pairs: it must miss no pair that matches."""

from __future__ import annotations

import random

import polars as pl
import pytest

from leadtriage.dedupe import DedupeConfig, blocking
from leadtriage.dedupe.blocking import (
    ALWAYS_KEPT_BLOCK,
    MIN_HALF_LENGTH,
    blocking_keys,
    cross_pairs,
    email_halves,
    self_pairs,
    shared,
    small_blocks,
)
from leadtriage.dedupe.comparisons import CORE
from leadtriage.dedupe.features import build_features
from leadtriage.dedupe.model import fit
from leadtriage.dedupe.scoring import MATCH, pair_levels, score_pairs

from .helpers import contact, frame

# Names with nicknames, typos in the first letters, swaps, accents and hostile text.
FIRSTS = [
    "Robert",
    "Bob",
    "Rbo",
    "William",
    "Bill",
    "Katherine",
    "Kate",
    "Kathrine",
    "Anna",
    "Ana",
    "José",
    "Jose",
    "O'Brien",
    "Smith",
    "",
    "  ",
    "Mary-Ann",
    "Ж",
    "Ann Smith",
]
LASTS = [
    "Smith",
    "Smtih",
    "Msith",
    "Miller",
    "Miler",
    "O'Brien",
    "Obrien",
    "Müller",
    "Mueller",
    "de Koning",
    "Koning",
    "Robert",
    None,
    "Zhang",
]
EMAILS = [
    "bob@acme.com",
    "robert@acme.com",
    "x@gmail.com",
    "info@acme.com",
    "b@globex.de",
    None,
    # One slip apart at a free-mail provider: a key of its own.
    "robert.smith@gmail.com",
    "robret.smith@gmail.com",
    "robert.smitth@gmail.com",
]
PHONES = ["+14155550132", "+442079460000", None]
COMPANIES = ["acme", "globex", None]


def _random_rows(rng: random.Random, count: int) -> list[dict[str, object]]:
    return [
        contact(
            rng.choice(FIRSTS) or None,
            rng.choice(LASTS),
            email=rng.choice(EMAILS),
            phone=rng.choice(PHONES),
            company=rng.choice(COMPANIES),
        )
        for _ in range(count)
    ]


def _all_pairs(count: int) -> pl.DataFrame:
    return (
        pl.DataFrame({"i": range(count)}, schema={"i": pl.UInt32})
        .join(pl.DataFrame({"j": range(count)}, schema={"j": pl.UInt32}), how="cross")
        .filter(pl.col("i") < pl.col("j"))
    )


def test_every_matching_pair_shares_a_blocking_key() -> None:
    config = DedupeConfig()
    rng = random.Random(4)
    for _ in range(10):
        rows = _random_rows(rng, 300)
        features = build_features(frame(*rows).collect())
        keys = blocking_keys(features, config.evidence, shared_only=True)
        blocked = self_pairs(keys, config.max_block_size, rows=len(rows))
        # The model of the priors (no candidate pairs to learn from), applied to all.
        model = fit(
            features, features, pair_levels(features, features, blocked.head(0), CORE), CORE, True
        )
        every_pair = pair_levels(features, features, _all_pairs(len(rows)), CORE)
        exhaustive = score_pairs(every_pair, model, config)
        matching = exhaustive.filter(pl.col("verdict") == MATCH).select("i", "j")
        missed = matching.join(blocked, on=["i", "j"], how="anti")
        assert matching.height > 50
        assert missed.height == 0


def test_oversized_blocks_are_skipped() -> None:
    features = build_features(
        frame(*(contact(f"P{n}", "Q", email="info@acme.com") for n in range(6))).collect()
    )
    keys = blocking_keys(features, ("email",))
    assert self_pairs(keys, max_block_size=6, rows=6).height == 15
    assert self_pairs(keys, max_block_size=5, rows=6).height == 0
    assert cross_pairs(keys.head(1), keys, max_block_size=5).height == 0


def test_pair_budget_leaves_out_the_largest_blocks_whole() -> None:
    """A pathological list (a few names at one company, repeated) cannot join its way
    out of memory: past the budget the largest blocks go, smallest kept first."""
    sizes = {1: 2, 2: 3, 3: 50}  # block key -> rows sharing it
    keys = pl.DataFrame(
        {
            "block": [k for k, n in sizes.items() for _ in range(n)],
            "row": list(range(sum(sizes.values()))),
        },
        schema={"block": pl.UInt64, "row": pl.UInt32},
    )
    kept = small_blocks(keys, max_block_size=1000, minimum=2, budget=2**2 + 3**2)
    assert sorted(kept["row"].to_list()) == [0, 1, 2, 3, 4]  # the rows of blocks 1 and 2
    everything = small_blocks(keys, max_block_size=1000, minimum=2, budget=10**6)
    assert everything.height == keys.height


def test_keys_of_one_row_alone_are_left_out_without_losing_a_pair() -> None:
    rows = _random_rows(random.Random(9), 300)
    features = build_features(frame(*rows).collect())
    config = DedupeConfig()
    every_key = blocking_keys(features, config.evidence)
    shared = blocking_keys(features, config.evidence, shared_only=True)
    assert shared.height < every_key.height
    assert shared.group_by("block").len()["len"].min() == 2
    assert self_pairs(shared, config.max_block_size, rows=300).equals(
        self_pairs(every_key, config.max_block_size, rows=300)
    )


def test_the_budget_never_leaves_out_a_block_one_persons_rows_could_make() -> None:
    """At a million rows the budget once cut every block of four rows or more, so a
    person with four rows lost the keys joining them (held-out F1 0.86). Blocks up
    to ALWAYS_KEPT_BLOCK rows stay whatever the budget; only larger ones compete."""
    sizes = {1: 2, 2: 4, 3: ALWAYS_KEPT_BLOCK, 4: ALWAYS_KEPT_BLOCK + 1, 5: 200}
    keys = pl.DataFrame(
        {
            "block": [k for k, n in sizes.items() for _ in range(n)],
            "row": list(range(sum(sizes.values()))),
        },
        schema={"block": pl.UInt64, "row": pl.UInt32},
    )
    kept = small_blocks(keys, max_block_size=1000, minimum=2, budget=10)
    assert sorted(kept["block"].unique().to_list()) == [1, 2, 3]
    room_for_one_more = (ALWAYS_KEPT_BLOCK + 1) ** 2
    kept = small_blocks(keys, max_block_size=1000, minimum=2, budget=room_for_one_more)
    assert sorted(kept["block"].unique().to_list()) == [1, 2, 3, 4]


@pytest.mark.parametrize("budget", [None, 2_000])
def test_block_sizes_counted_from_runs_are_polars_group_counts(budget: int | None) -> None:
    # Sizes come from runs of the sorted blocks (memory at a million rows), not a
    # group_by; the blocks kept and their sizes must be the group_by's.
    rng = random.Random(3)
    keys = pl.DataFrame(
        {
            "block": [rng.choice([rng.randrange(400), rng.randrange(2**64)]) for _ in range(5_000)],
            "row": range(5_000),
        },
        schema={"block": pl.UInt64, "row": pl.UInt32},
    )
    kept = small_blocks(keys, max_block_size=30, minimum=2, budget=budget)
    counts = keys.group_by("block").len().filter(pl.col("len").is_between(2, 30))
    if budget is not None:
        assert kept.height < keys.join(counts, on="block", how="semi").height
        counts = counts.filter(pl.col("len") <= kept.group_by("block").len()["len"].max())
    expected = keys.join(counts, on="block", how="semi")
    assert expected.height > 1_000
    assert kept.sort("block", "row").equals(expected.sort("block", "row"))


def _brute_cross_pairs(left: pl.DataFrame, right: pl.DataFrame, cap: int) -> set[tuple[int, int]]:
    sizes = right.group_by("block").len()
    small = set(sizes.filter(pl.col("len") <= cap)["block"].to_list())
    by_block: dict[int, list[int]] = {}
    for block, row in right.iter_rows():
        if block in small:
            by_block.setdefault(block, []).append(row)
    return {(i, j) for block, i in left.iter_rows() for j in by_block.get(block, [])}


def test_cross_pairs_are_every_left_right_pair_sharing_a_small_enough_block() -> None:
    """Whichever side is larger (the CRM is smaller than a million-row export, the
    ledger's reachable people may be larger than a night's rows)."""
    rng = random.Random(5)
    for left_rows, right_rows in ((300, 40), (40, 300)):
        keys = {
            side: pl.DataFrame(
                {
                    "block": [rng.randrange(60) for _ in range(rows * 2)],
                    "row": [n // 2 for n in range(rows * 2)],
                },
                schema={"block": pl.UInt64, "row": pl.UInt32},
            )
            for side, rows in (("left", left_rows), ("right", right_rows))
        }
        found = cross_pairs(keys["left"], keys["right"], max_block_size=8)
        expected = _brute_cross_pairs(keys["left"], keys["right"], cap=8)
        assert set(found.iter_rows()) == expected and found.height == len(expected)
        assert found.equals(found.sort("i", "j"))


def test_keys_of_some_rows_within_another_sides_blocks_make_the_same_cross_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The CRM match keys only the rows sharing a value with a record (`rows`) and
    keeps only their keys in a record's block (`within`), as they are made: the
    pairs are those of the rows' every key, gathered, against the records'."""
    monkeypatch.setattr(blocking, "TOKEN_ROWS_PER_SLICE", 17)
    monkeypatch.setattr(blocking, "JOIN_ROWS_PER_PASS", 23)
    rng = random.Random(21)
    left = build_features(frame(*_random_rows(rng, 300)).collect())
    right = build_features(frame(*_random_rows(rng, 60)).collect())
    evidence = DedupeConfig().evidence
    right_keys = blocking_keys(right, evidence)
    mask = pl.Series([rng.random() < 0.6 for _ in range(left.height)])
    kept = mask.arg_true()
    gathered = cross_pairs(blocking_keys(left[kept], evidence), right_keys, max_block_size=8)
    expected = gathered.with_columns(kept.gather(gathered["i"]).alias("i")).sort("i", "j")
    narrowed = blocking_keys(left, evidence, rows=mask, within=right_keys.select("block").unique())
    assert narrowed.height < blocking_keys(left, evidence).height
    assert set(narrowed["row"].to_list()) <= set(kept.to_list())
    assert expected.height > 100
    assert cross_pairs(narrowed, right_keys, max_block_size=8).equals(expected)


def test_keys_made_a_slice_at_a_time_are_the_keys_made_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Name tokens come a slice of rows at a time and name keys join a slice of tokens
    # at a time (memory at a million rows); slices of a few rows must change nothing.
    rows = _random_rows(random.Random(13), 400)
    features = build_features(frame(*rows).collect())
    evidence = DedupeConfig().evidence
    at_once = blocking_keys(features, evidence, shared_only=True).sort("block", "row")
    monkeypatch.setattr(blocking, "TOKEN_ROWS_PER_SLICE", 7)
    monkeypatch.setattr(blocking, "JOIN_ROWS_PER_PASS", 11)
    sliced = blocking_keys(features, evidence, shared_only=True).sort("block", "row")
    assert at_once.height > 400
    assert sliced.equals(at_once)
    tokens = blocking.name_tokens(features.with_row_index("row"))
    assert tokens.equals(tokens.sort("row", "token").unique(maintain_order=True))


@pytest.mark.parametrize("spread", [3, 1_000, 2**63])
def test_shared_keys_are_the_keys_polars_counts_as_duplicated(spread: int) -> None:
    rng = random.Random(spread)
    keys = pl.DataFrame(
        {
            "block": [rng.randrange(spread) for _ in range(20_000)],
            "row": range(20_000),
        },
        schema={"block": pl.UInt64, "row": pl.UInt32},
    )
    expected = keys.filter(pl.col("block").is_duplicated()).sort("row")
    got = shared(keys, "block")
    assert got.sort("row").equals(expected)
    assert got["block"].is_sorted()


def _one_edit_variants(text: str, letters: str) -> set[str]:
    variants = {text[:p] + c + text[p:] for p in range(len(text) + 1) for c in letters}
    for p in range(len(text)):
        variants.add(text[:p] + text[p + 1 :])
        variants.update(text[:p] + c + text[p + 1 :] for c in letters)
    for p in range(len(text) - 1):
        variants.add(text[:p] + text[p + 1] + text[p] + text[p + 2 :])
    variants.discard(text)
    return variants


def _halves(locals_: list[str]) -> list[set[str]]:
    pieces = pl.DataFrame({"local": locals_}).select(
        pl.concat_list(
            pl.lit(side) + piece for side, piece in email_halves(pl.col("local"))
        ).list.drop_nulls()
    )
    return [set(row) for row in pieces.to_series().to_list()]


def test_addresses_one_slip_apart_share_a_half_whenever_both_are_long_enough() -> None:
    # Every one-edit variant (a letter added, dropped, changed, two swapped) of many
    # local parts, over a small alphabet so that repeated letters are common.
    rng = random.Random(13)
    long_enough = 2 * MIN_HALF_LENGTH + 1
    checked = 0
    for length in range(long_enough, 17):
        for _ in range(20):
            local = "".join(rng.choice("ab.c") for _ in range(length))
            variants = sorted(v for v in _one_edit_variants(local, "ab.c") if len(v) >= long_enough)
            own, *theirs = _halves([local, *variants])
            assert own
            for variant, pieces in zip(variants, theirs, strict=True):
                assert own & pieces, (local, variant)
                checked += 1
    assert checked > 10_000
