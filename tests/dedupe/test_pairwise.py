"""The bulk scorers of aligned pairs against rapidfuzz on every pair (fast paths:
pairs of one text, or of lengths too far apart, are not handed to rapidfuzz)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import polars as pl
import pytest
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Hamming

from leadtriage.dedupe.comparisons import _pairwise, within_one_edit

_WORDS = ["", "anna", "ana", "jo", "josette", "müller", "mueller", "smith", "smyth", "li"]


def _texts(rng: random.Random, count: int, length: int | None = None) -> list[str | None]:
    texts: list[str | None] = []
    for _ in range(count):
        if rng.random() < 0.1:
            texts.append(None)
        elif length is not None:
            texts.append("".join(rng.choice("abé") for _ in range(length)))
        else:
            texts.append(rng.choice(_WORDS) + rng.choice(["", "", "x", "a"]))
    return texts


@pytest.mark.parametrize(
    ("scorer", "dtype", "length"),
    [
        (fuzz.ratio, np.float32, None),
        (OSA.distance, np.int32, None),
        (Hamming.distance, np.int32, 3),
    ],
)
def test_every_pair_scores_as_rapidfuzz_scores_it(
    scorer: Any, dtype: Any, length: int | None
) -> None:
    rng = random.Random(5)
    left, right = _texts(rng, 20_000, length), _texts(rng, 20_000, length)
    if length is not None:  # Hamming compares texts of one length: nulls as their own
        right = [b if (a is None) == (b is None) else a for a, b in zip(left, right, strict=True)]
    expected = process.cpdist(
        [t or "" for t in left], [t or "" for t in right], scorer=scorer, dtype=dtype
    )
    got = _pairwise(
        pl.Series(left, dtype=pl.String), pl.Series(right, dtype=pl.String), scorer, dtype
    )
    assert got.dtype == expected.dtype
    assert np.array_equal(got, expected)
    # Some pairs take the fast path (one text), the others go to rapidfuzz.
    same = sum((a or "") == (b or "") for a, b in zip(left, right, strict=True))
    assert 0 < same < len(left)


def test_within_one_edit_agrees_with_rapidfuzz_on_every_pair() -> None:
    rng = random.Random(8)
    left, right = _texts(rng, 20_000), _texts(rng, 20_000)
    # Addresses a letter, a swap or a digit apart as well as far apart ones.
    left += ["ann.lee@x.de", "anna.lee@x.de", "jo.smith1@y.com", "ab", "", "é"]
    right += ["anna.lee@x.de", "ann.lee@x.de", "jo.smith12@y.com", "ba", "ab", "e"]
    expected = [OSA.distance(a or "", b or "") <= 1 for a, b in zip(left, right, strict=True)]
    got = within_one_edit(pl.Series(left, dtype=pl.String), pl.Series(right, dtype=pl.String))
    assert got.dtype == pl.Boolean
    assert got.to_list() == expected
    assert 0 < sum(expected) < len(expected)
