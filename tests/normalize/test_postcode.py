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


@pytest.mark.parametrize(
    ("typed", "country", "clean"),
    [
        ("1067.0", "DE", "01067"),  # a number column saved as text by pandas or a script
        ("12345.0", "US", "12345"),
        ("2100.00", None, "2100"),
        ('="01067"', "DE", "01067"),  # Excel's way to keep a CSV cell text
        ('="SW1A 1AA"', "GB", "SW1A 1AA"),
        ("'02134", "US", "02134"),  # Excel's text marker, or an export's formula guard
        ('="1067"', "DE", "01067"),
    ],
)
def test_a_spreadsheets_wrapping_is_taken_off(typed: str, country: str | None, clean: str) -> None:
    """A postcode ``1234.0`` or ``="01234"`` exists nowhere; the phone stage takes the
    same wrappings off a number."""
    assert _postcodes([(typed, country)]) == [clean]


@pytest.mark.parametrize("typed", ["1067.5", "1.067", "=A1", '"01067"x', "D'01067"])
def test_what_is_no_spreadsheets_wrapping_is_kept(typed: str) -> None:
    assert _postcodes([(typed, "DE")]) == [typed]


def test_the_wrapping_is_taken_off_without_a_country_column() -> None:
    columns = {frame.raw(f): [None, None] for f in TEXT_FIELDS}
    columns[frame.raw("postcode")] = ["1067.0", '="SW1A 1AA"']
    lf = pl.LazyFrame(columns, schema=dict.fromkeys(columns, pl.String))
    assert normalize_text(lf).collect()["postcode"].to_list() == ["1067", "SW1A 1AA"]
