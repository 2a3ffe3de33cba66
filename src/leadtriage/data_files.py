"""The one reader of package data (``leadtriage/data/``): word lists, maps, tables.

Data lives in files so a contributor adds a synonym, a month name or a decision word
without touching code, and every file is read the same way: UTF-8, once per process.
Line files: one entry a line, blank lines and ``#`` comment lines skipped, each line
trimmed. Pair files: ``key|value`` lines. Whole texts (the rules TOML files) as they
are.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

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
