"""Normalisation: every field family's stage, in the order their inputs need.

Country comes first (phones take their default region from it), email before
name (a name equal to the email's local part is fake) and before website (the
company domain falls back to a business email's domain).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import polars as pl

from leadtriage import frame
from leadtriage.materialise import collect_beside
from leadtriage.normalize.company import normalize_company
from leadtriage.normalize.consent import normalize_consent
from leadtriage.normalize.country import US_STATE, normalize_country
from leadtriage.normalize.dates import normalize_dates
from leadtriage.normalize.email import MX_UNCHECKED, check_mx, normalize_email
from leadtriage.normalize.name import normalize_name
from leadtriage.normalize.phone import (
    REGION_SOURCES,
    normalize_phone,
)
from leadtriage.normalize.text import normalize_text
from leadtriage.normalize.website import normalize_website
from leadtriage.schema import Col

Stage = Callable[[pl.LazyFrame], pl.LazyFrame]


@dataclass(frozen=True)
class NormalizeSettings:
    default_region: str | None = None
    date_order: str | None = None
    check_mx: bool = False


def stages(settings: NormalizeSettings) -> list[Stage]:
    """The stages in the order their inputs need."""
    return [
        partial(normalize_country, by_file=frame.SOURCE_FILE),
        normalize_email,
        *([check_mx] if settings.check_mx else []),
        partial(normalize_phone, default_region=settings.default_region),
        normalize_name,
        normalize_company,
        normalize_website,
        normalize_consent,
        partial(normalize_dates, date_order=settings.date_order),
        normalize_text,
    ]


def normalize(
    lf: pl.LazyFrame,
    settings: NormalizeSettings = NormalizeSettings(),
    on_stage: Callable[[int, int], None] | None = None,
) -> pl.LazyFrame:
    """Add the clean values, match keys and findings of every field.

    Materialisation point, once per stage: only the stage's new columns are
    collected and set beside the frame (`collect_beside`; stages add columns and
    never change one they did not add: tests/normalize/test_orchestration.py).
    Collecting after each stage also keeps the plans small: a join-back plan reads
    its input twice, so a chain of them doubles with every stage.

    `on_stage(done, total)` is told how many stages are done, before the first and
    after each: every stage works on all rows at once, so stages are what there is
    to count.
    """
    df = lf.collect()
    todo = stages(settings)
    for done, stage in enumerate(todo):
        if on_stage is not None:
            on_stage(done, len(todo))
        df = collect_beside(df, stage(df.lazy()))
    if on_stage is not None:
        on_stage(len(todo), len(todo))
    return df.lazy()


def normalise_notes(normalised: pl.DataFrame) -> dict[str, object]:
    """What the summary says about normalisation: counts only, never contact data."""
    notes: dict[str, object] = {}
    if Col.PHONE_REGION_SOURCE in normalised.columns:
        counts = dict(
            normalised.get_column(Col.PHONE_REGION_SOURCE).drop_nulls().value_counts().iter_rows()
        )
        notes[Col.PHONE_REGION_SOURCE] = {
            source: int(counts[source]) for source in REGION_SOURCES if source in counts
        }
    warnings = _us_state_warnings(normalised)
    if MX_UNCHECKED in normalised.columns:
        unchecked = int(normalised.get_column(MX_UNCHECKED).sum())
        if unchecked:
            warnings.append(
                f"--check-mx: DNS could not be reached; the mail domains of {unchecked:,} "
                "rows were not checked (email.mx_unknown is not set for them)"
            )
    if warnings:
        notes["warnings"] = warnings
    return notes


def _us_state_warnings(normalised: pl.DataFrame) -> list[str]:
    """A country value read as a US state changed its reading ("CA": California,
    not Canada): said per file, with the count only."""
    if US_STATE not in normalised.columns:
        return []
    counts = (
        normalised.filter(pl.col(US_STATE))
        .group_by(frame.SOURCE_FILE, maintain_order=True)
        .len()
        .iter_rows()
    )
    return [
        f"{source}: {rows:,} rows hold a US state in the country column, read as US"
        for source, rows in counts
    ]
