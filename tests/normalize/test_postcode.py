"""Postcodes whose leading zeros a spreadsheet dropped get them back."""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage import frame
from leadtriage.normalize.text import TEXT_FIELDS, normalize_text


def _postcodes(rows: list[tuple[str | None, str | None]]) -> list[str | None]:
    columns: dict[str, list[str | None]] = {frame.raw(f): [None] * len(rows) for f in TEXT_FIELDS}
    columns[frame.raw("postcode")] = [postcode for postcode, _ in rows]
    columns["country_code"] = [country for _, country in rows]
    lf = pl.LazyFrame(columns, schema=dict.fromkeys(columns, pl.String))
    return normalize_text(lf).collect()["postcode"].to_list()


@pytest.mark.parametrize(
    ("typed", "country", "clean"),
    [
        ("1067", "DE", "01067"),  # Dresden, as Excel shows it
        ("2134", "US", "02134"),
        ("501", "US", "00501"),
        ("150", "NO", "0150"),  # Oslo
        ("800", "AU", "0800"),  # Darwin
        ("6000", "FR", "06000"),  # Nice
    ],
)
def test_a_numeric_postcode_short_of_its_countrys_length_gets_its_zeros_back(
    typed: str, country: str, clean: str
) -> None:
    assert _postcodes([(typed, country)]) == [clean]


@pytest.mark.parametrize(
    ("typed", "country"),
    [
        ("1067", None),  # no country: no length to restore
        ("1010", "AT"),  # Austrian postcodes never start with 0
        ("SW1A 1AA", "GB"),
        ("123", "DE"),  # two digits short: not a dropped zero
        ("01067", "DE"),
        ("2134-1234", "US"),
        ("1067", "XX"),
    ],
)
def test_anything_else_is_kept_as_typed(typed: str, country: str | None) -> None:
    assert _postcodes([(typed, country)]) == [typed]
