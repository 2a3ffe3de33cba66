"""The bulk scorer of aligned pairs against rapidfuzz on every pair (a fast path:
pairs of one text are not handed to rapidfuzz)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import polars as pl
import pytest
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Hamming

from leadtriage.dedupe.comparisons import _pairwise

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
