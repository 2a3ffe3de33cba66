"""Marketing consent as a tri-state: ``yes``, ``no`` or ``unknown``.

Only an explicit answer counts: blank, "pending", "maybe" and anything else are
``unknown``, so no one is mailed on a guess.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import polars as pl

from leadtriage import frame
from leadtriage.normalize.text import data_pairs, on_distinct, squish

YES: Final = "yes"
NO: Final = "no"
UNKNOWN: Final = "unknown"


@cache
def consent_answers() -> dict[str, str]:
    """Casefolded answer -> ``yes`` / ``no``."""
    return {answer.casefold(): value for value, answer in data_pairs("consent_values.txt")}


def normalize_consent(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``consent``: ``yes`` / ``no`` / ``unknown`` from ``raw.consent``."""
    answer = squish(pl.col(frame.raw("consent")).cast(pl.String)).str.to_lowercase()
    consent = answer.replace_strict(consent_answers(), default=UNKNOWN, return_dtype=pl.String)
    return on_distinct(
        lf,
        [frame.raw("consent")],
        lambda values: values.with_columns(consent.fill_null(UNKNOWN).alias("consent")),
        ["consent"],
    )
