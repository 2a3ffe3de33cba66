"""The phone stage run on a few cells, for the tests of this folder."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from leadtriage import frame
from leadtriage.normalize.phone import normalize_phone


def phone_stage(
    phones: Sequence[str | None],
    regions: Sequence[str | None] | None = None,
    mobiles: Sequence[str | None] | None = None,
    default_region: str | None = None,
) -> pl.DataFrame:
    """`normalize_phone` on `phones` (and `mobiles`) under each row's `regions`."""
    count = len(phones)
    lf = pl.LazyFrame(
        {
            frame.raw("phone"): list(phones),
            frame.raw("mobile"): list(mobiles) if mobiles is not None else [None] * count,
            "country_code": list(regions) if regions is not None else [None] * count,
            frame.SOURCE_ROW: list(range(1, count + 1)),
        },
        schema={
            frame.raw("phone"): pl.String,
            frame.raw("mobile"): pl.String,
            "country_code": pl.String,
            frame.SOURCE_ROW: pl.Int64,
        },
    )
    return normalize_phone(lf, default_region).collect()
