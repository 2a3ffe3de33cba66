"""The one reader of package data (``leadtriage/data/``): word lists, maps, tables.

Data lives in files so a contributor adds a synonym, a month name or a decision word
without touching code, and every file is read the same way: UTF-8, once per process.
Line files: one entry a line, blank lines and ``#`` comment lines skipped, each line
trimmed. Pair files: ``key|value`` lines. Table files: ``a|b|...`` lines too long to
split in Python on every run (tens of thousands), read by Polars into a frame. Whole
texts (the rules TOML files) as they are.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl

_PACKAGE = "leadtriage.data"


@cache
def data_text(filename: str) -> str:
    """The whole text of a package data file."""
    return resources.files(_PACKAGE).joinpath(filename).read_text(encoding="utf-8")


@cache
def data_lines(filename: str) -> tuple[str, ...]:
    """The lines of a package data file, without comments (``#``) and blank lines."""
    stripped = (line.strip() for line in data_text(filename).splitlines())
    return tuple(line for line in stripped if line and not line.startswith("#"))


@cache
def data_pairs(filename: str) -> tuple[tuple[str, str], ...]:
    """A package data file of ``key|value`` lines."""
    pairs = []
    for line in data_lines(filename):
        key, _, value = line.partition("|")
        pairs.append((key.strip(), value.strip()))
    return tuple(pairs)


@cache
def data_table(filename: str, columns: tuple[str, ...]) -> pl.DataFrame:
    """A package data file of ``a|b|...`` lines as a frame of text `columns`, ``#``
    comment lines and blank lines skipped. Values are taken as written (no trimming,
    no quoting): for generated tables."""
    source = resources.files(_PACKAGE).joinpath(filename).read_bytes()
    table = pl.read_csv(
        source,
        separator="|",
        has_header=False,
        comment_prefix="#",
        quote_char=None,
        schema=dict.fromkeys(columns, pl.String),
    )
    # Polars reads a blank line as a row of nulls.
    return table.filter(pl.any_horizontal(pl.all().is_not_null()))
