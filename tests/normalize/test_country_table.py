"""The shipped country lookup (data/country_keys.txt) against its sources."""

from __future__ import annotations

import subprocess
import sys

from leadtriage.data_files import data_lines, data_text
from leadtriage.normalize.country import (
    CLDR_TABLE,
    COUNTRY_KEYS_FILE,
    MAIN_TABLE,
    cldr_lookup,
    country_lookup,
)
from leadtriage.normalize.country_table import build, render

REGENERATE = "python -m leadtriage.normalize.country_table > src/leadtriage/data/country_keys.txt"


def test_the_shipped_table_is_what_pycountry_babel_and_the_alias_files_build() -> None:
    assert data_text(COUNTRY_KEYS_FILE) == render(), f"out of date: run {REGENERATE}"


def test_the_stage_reads_every_row_of_the_shipped_table() -> None:
    rows = build()
    assert country_lookup() == {key: code for key, code, table in rows if table == MAIN_TABLE}
    assert cldr_lookup() == {key: code for key, code, table in rows if table == CLDR_TABLE}
    assert len(data_lines(COUNTRY_KEYS_FILE)) == len(rows)


def test_normalising_countries_loads_neither_pycountry_nor_babel() -> None:
    """The point of shipping the table: a run pays neither library's loading, even
    for a value only CLDR knows (Welsh "Yr Almaen") or no table knows."""
    script = (
        "import sys, polars as pl\n"
        "from leadtriage.normalize.country import normalize_country\n"
        "lf = pl.LazyFrame({'raw.country': ['Germany', 'Yr Almaen', 'Narnia']})\n"
        "print(normalize_country(lf).collect()['country_code'].to_list())\n"
        "print(sorted(m for m in ('pycountry', 'babel') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["['DE', 'DE', None]", "[]"]
