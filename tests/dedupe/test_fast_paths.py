"""The comparisons worked out only where they could hold, against the same test on
every pair; and the pairs' levels made batch by batch, two batches at a time,
against the levels of all pairs at once."""

from __future__ import annotations

import itertools
import random

import polars as pl
import pytest

from leadtriage.dedupe import scoring
from leadtriage.dedupe.comparisons import (
    CORE,
    _a_second_family_name,
    _initial_or_spelt,
    _initials,
    _one_letter_slip,
    _second_family_name,
    _spelt_by_the_address,
    aligned,
    comparison_levels,
    within_one_edit,
)
from leadtriage.dedupe.features import TYPED_INITIALS, build_features
from leadtriage.dedupe.scoring import pair_levels

from .helpers import contact, frame

_GIVEN = ["k", "ke", "jo", "ed", "em", "keith", "kathleen", "jocelyn", "jorn", "jörn", "edna", "a"]
_FAMILY = [
    "ho",
    "ho ball",
    "ball ho",
    "lind",
    "lindqvist",
    "de",
    "de souza",
    "souza",
    "van asten",
    "proctor van asten",
    "camacho forster",
    "forster",
    "forster camacho",
]
_EMAILS = [
    "keith.yates@x.de",
    "k.yates@x.de",
    "jocelynaltera@y.com",
    "joern@z.de",
    "jorn.ho@z.de",
    "edna@w.com",
    "info@w.com",
    "emily.ho@v.com",
]


def _pairs_frame(seed: int, count: int) -> pl.DataFrame:
    """Aligned pairs of the name parts, addresses and flags the name tests read, with
    nulls, short parts and family names inside other family names."""
    rng = random.Random(seed)

    def pick(values: list[str]) -> str | None:
        return None if rng.random() < 0.1 else rng.choice(values)

    columns: dict[str, list[object]] = {}
    for side in ("_l", "_r"):
        columns[f"first{side}"] = [pick(_GIVEN) for _ in range(count)]
        columns[f"first_all{side}"] = [pick(_GIVEN) for _ in range(count)]
        columns[f"last{side}"] = [pick(_GIVEN + _FAMILY) for _ in range(count)]
        columns[f"last_spaced{side}"] = [pick(_FAMILY + _GIVEN) for _ in range(count)]
        columns[f"first_spaced{side}"] = [pick(_FAMILY + _GIVEN) for _ in range(count)]
        columns[f"email_key{side}"] = [pick(_EMAILS) for _ in range(count)]
        columns[f"email_role{side}"] = [e == "info@w.com" for e in columns[f"email_key{side}"]]
        columns[f"{TYPED_INITIALS}{side}"] = [rng.random() < 0.2 for _ in range(count)]
    return pl.DataFrame(columns)


@pytest.mark.parametrize(("a", "b"), [("first_l", "first_r"), ("first_all_l", "last_r")])
def test_an_initial_or_a_spelt_name_is_found_as_on_every_pair(a: str, b: str) -> None:
    pairs = _pairs_frame(3, 20_000)
    spelt = _spelt_by_the_address(pairs, a, b) | _spelt_by_the_address(pairs, b, a)
    expected = pairs.select(_initials(a, b) | pl.lit(spelt)).to_series()
    got = _initial_or_spelt(pairs, a, b)
    assert got.to_list() == expected.to_list()
    # Both answers occur, and some pairs were left out (both parts too long).
    assert 0 < got.sum() < got.len()
    short = pairs.select(pl.min_horizontal(pl.col(a).str.len_chars(), pl.col(b).str.len_chars()))
    assert (short.to_series() > 2).sum() > 0


@pytest.mark.parametrize(
    ("one", "other"),
    [("last_spaced_l", "last_spaced_r"), ("first_spaced_l", "last_spaced_r")],
)
def test_a_second_family_name_is_found_as_on_every_pair(one: str, other: str) -> None:
    pairs = _pairs_frame(4, 20_000)
    either_way = _second_family_name(one, other) | _second_family_name(other, one)
    expected = pairs.select(either_way).to_series()
    got = _a_second_family_name(pairs, one, other)
    assert got.to_list() == expected.to_list()
    assert 0 < got.sum() < got.len()


def test_a_slip_of_an_address_reads_digits_as_on_every_pair() -> None:
    rng = random.Random(9)
    words = ["jsmith7@x.com", "jsmith8@x.com", "jsmith@x.com", "jsmitj@x.com", "a@b.co", "ab@b.co"]
    left = [None if rng.random() < 0.1 else rng.choice(words) for _ in range(5_000)]
    right = [None if rng.random() < 0.1 else rng.choice(words) for _ in range(5_000)]
    lefts, rights = pl.Series(left, dtype=pl.String), pl.Series(right, dtype=pl.String)
    # Every pair one edit apart has its digits compared (a null's are no digits).
    close = within_one_edit(lefts, rights).to_list()
    digits = [
        "".join(ch for ch in (text or "") if ch.isdigit()) if text is not None else None
        for text in left + right
    ]
    same_digits = [
        a is None or b is None or a == b
        for a, b in zip(digits[:5_000], digits[5_000:], strict=True)
    ]
    expected = [c and s for c, s in zip(close, same_digits, strict=True)]
    got = _one_letter_slip(lefts, rights).to_list()
    assert got == expected
    assert 0 < sum(got) < len(got)


def test_levels_made_in_batches_at_once_are_the_levels_of_all_pairs_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = [
        contact("Anna", "Lee", email="anna.lee@acme.com", phone="+4930123456", company="Acme"),
        contact("Ana", "Lee", email="ana.lee@acme.com", company="Acme"),
        contact("Lee", "Anna", phone="+4930123456"),
        contact("Bob", "Stone", email="bob@gmail.com", company="Acme"),
        contact("Robert", "Stone", email="bob@gmail.com"),
        contact("K", "Yates", email="keith.yates@x.de"),
        contact("Kathleen", "Yates", email="k.yates@x.de"),
        contact("Jo", "Camacho Forster", company="Acme"),
        contact("Jocelyn", "Forster", company="Acme"),
    ]
    features = build_features(frame(*people).collect())
    every = list(itertools.combinations(range(features.height), 2))
    pairs = pl.DataFrame(every, schema={"i": pl.UInt32, "j": pl.UInt32}, orient="row")
    whole = pl.concat(
        [pairs, comparison_levels(aligned(features, features, pairs), CORE)], how="horizontal"
    )
    monkeypatch.setattr(scoring, "PAIR_BATCH", 5)
    batched = pair_levels(features, features, pairs, CORE)
    assert pairs.height > 5 * scoring.PARALLEL_BATCHES  # several rounds of batches
    assert batched.equals(whole)
