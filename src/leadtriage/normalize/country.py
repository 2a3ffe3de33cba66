"""Country values -> ISO 3166-1 alpha-2 codes, without guessing.

The lookup ships as package data (``data/country_keys.txt``: folded key -> alpha-2),
built by `leadtriage.normalize.country_table` from pycountry (names, official and
common names, alpha-2 and alpha-3 codes, and its gettext translations in the
languages exports come in), the curated variants in ``data/country_variants.txt``,
the Olympic / FIFA codes in ``data/country_sport_codes.txt`` and CLDR's territory
names; a test rebuilds it and compares. Both the lookup and the column are keyed by
the same Polars expression (`country_key`: casefolded, accents, punctuation, spaces
and the word "the" dropped), so "U.K.", "uk" and "The United Kingdom" meet.

Precedence where one key names two countries in two systems: curated variants,
then English names, then ISO 3166-1 codes, then sport codes, then translations
(``BRN`` is Brunei as ISO alpha-3, not Bahrain as the IOC writes it). A key that
names two countries within one tier is left out of that tier.

Distinct values the lookup does not know are read again, in Python and only once
each: without a part in brackets ("Germany (DE)", "United Kingdom (UK)"), the part
in brackets, the two halves of "Korea, Republic of" swapped, each side of
"DE - Germany", each of these with "St." spelt "Saint" ("St. Kitts and Nevis"); then
every candidate against CLDR's territory names in every language babel ships (own
scripts included: "Deutschland", "日本", "Ελλάδα"), the file's second table.

US lists often hold the state in the country column. With `by_file` (the stage
does so; the rules' values are read one by one), a state's name that names no
country ("California", "Texas"; not "Georgia") reads as US anywhere, and a file
whose column holds US states throughout, at least one of them no country's
name or code (TX, NY), reads all of them as US: there "CA" is California, not
Canada, and "DE" Delaware. Elsewhere a code stays what the lookup says ("CA":
Canada) and a state code that is no country ("TX") stays unknown, for a person.

A value that matches no key is not matched fuzzily: it gets a null code and
``flag.country.unknown``. Placeholders ("N/A", "none", "-") count as blank; so does
a bare "NA", which in a country column means "not available" far more often than
Namibia (spelled "Namibia" or "NAM" it is matched).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, partial
from typing import Final

import polars as pl

from leadtriage import frame
from leadtriage.data_files import data_pairs, data_table
from leadtriage.normalize.text import EXCEL_ERRORS_FOLDED, on_distinct, squish, strip_accents
from leadtriage.schema import Col

COUNTRY_KEYS_FILE: Final = "country_keys.txt"
US_STATES_FILE: Final = "us_states.txt"
US: Final = "US"
# Rows whose country value is a US state read as US (see `normalize_country`).
US_STATE: Final = frame.META_PREFIX + "country_us_state"
# The file's two tables: "main" meets every value, "cldr" only the values main misses.
MAIN_TABLE: Final = "main"
CLDR_TABLE: Final = "cldr"

PLACEHOLDERS: frozenset[str] = frozenset(
    {"-", "--", "---", ".", "?", "n/a", "n.a.", "n.a", "na", "none", "null", "nil", "unknown",
     "not applicable", "not specified", "other", "select", "select country", "please select",
     "choose", "-- select --", "xx", "x"}
)  # fmt: skip

# Excel's "#N/A" folds to the key "na" (Namibia, were it not a placeholder).
_NOT_GIVEN: Final = sorted(PLACEHOLDERS.union(EXCEL_ERRORS_FOLDED))


def country_key(expr: pl.Expr) -> pl.Expr:
    """The folded matching key of a country value ('' when nothing is left)."""
    return (
        strip_accents(expr.str.to_lowercase())
        .str.replace_all(r"\bthe\b", "")
        .str.replace_all(r"[^\p{L}\p{N}]", "")
    )


@cache
def _country_keys(table: str) -> pl.DataFrame:
    """(key, code) rows of one table of ``country_keys.txt``."""
    keys = data_table(COUNTRY_KEYS_FILE, ("key", "code", "table"))
    return keys.filter(pl.col("table") == table).drop("table")


@cache
def country_lookup() -> dict[str, str]:
    """Folded key -> alpha-2 code: the main table."""
    return dict(_country_keys(MAIN_TABLE).iter_rows())


@cache
def cldr_lookup() -> dict[str, str]:
    """Folded key -> alpha-2 from CLDR's territory names (keys naming two
    countries, and keys of the main table, left out); consulted after
    `country_lookup`."""
    return dict(_country_keys(CLDR_TABLE).iter_rows())


@dataclass(frozen=True)
class _StateKeys:
    """Folded keys of the US states (data/us_states.txt): all (codes and names), the
    names no country is read from, and all those no country is read from (the
    proof that a column holds states)."""

    every: frozenset[str]
    names: frozenset[str]
    proof: frozenset[str]


@cache
def _state_keys() -> _StateKeys:
    pairs = data_pairs(US_STATES_FILE)
    texts = pl.Series("text", [text for pair in pairs for text in pair], dtype=pl.String)
    keys = texts.to_frame().select(country_key(pl.col("text"))).to_series().to_list()
    codes, names = set(keys[0::2]), set(keys[1::2])
    countries = country_lookup().keys() | cldr_lookup().keys()
    return _StateKeys(
        frozenset(codes | names),
        frozenset(names - countries),
        frozenset((codes | names) - countries),
    )


def _us_state(key: pl.Expr, given: pl.Expr, by_file: str) -> pl.Expr:
    """Whether a value is a US state read as the US (see the module docstring)."""
    states = _state_keys()
    state = key.is_in(list(states.every))
    states_throughout = (state | ~given).all().over(by_file) & key.is_in(
        list(states.proof)
    ).any().over(by_file)
    return given & (key.is_in(list(states.names)) | (state & states_throughout))


_BRACKETED = re.compile(r"[(\[]([^)\]]*)[)\]]")
# "St." and "St" for "Saint" ("St. Kitts and Nevis"): the tables hold only some
# abbreviated names, the ones their sources happen to spell so.
_SAINT = re.compile(r"(?i)\bst\b\.?\s*")
_SEPARATORS = re.compile(r"\s+[-–—|/]\s+|\s*/\s*")


def _candidates(value: str) -> list[str]:
    """The readings of a value the lookup did not know, most specific first."""
    outside = _BRACKETED.sub(" ", value).strip()
    inside = [part.strip() for part in _BRACKETED.findall(value)]
    candidates = [outside, *inside]
    for text in (value, outside):
        head, comma, tail = text.partition(",")
        if comma and tail.strip():
            candidates.append(f"{tail.strip()} {head.strip()}")
        candidates.extend(part for part in _SEPARATORS.split(text) if part != text)
    candidates.extend(_SAINT.sub("Saint ", c) for c in list(candidates) if _SAINT.search(c))
    return [c for c in dict.fromkeys(candidates) if c]


def _read_again(values: list[str]) -> dict[str, str]:
    """value -> code for values the main lookup missed (see the module docstring)."""
    readings = [(value, candidate) for value in values for candidate in _candidates(value)]
    if not readings:
        return {}
    keys = (
        pl.Series("candidate", [candidate for _, candidate in readings], dtype=pl.String)
        .to_frame()
        .select(country_key(pl.col("candidate")))
        .to_series()
        .to_list()
    )
    found: dict[str, str] = {}
    for lookup in (country_lookup(), cldr_lookup()):
        for (value, _), key in zip(readings, keys, strict=True):
            if value not in found and key in lookup:
                found[value] = lookup[key]
    return found


def _unknown_values(values: pl.Series) -> pl.Series:
    """Codes for the distinct values the main lookup did not know (null if none)."""
    distinct = values.drop_nulls().unique().to_list()
    if not distinct:
        return pl.Series(values.name, [None] * values.len(), dtype=pl.String)
    return values.replace_strict(_read_again(distinct), default=None, return_dtype=pl.String)


def _country_columns(values: pl.LazyFrame, by_file: str | None) -> pl.LazyFrame:
    value = squish(pl.col(frame.raw("country")).cast(pl.String))
    key = country_key(value)
    given = (
        value.is_not_null()
        & ~value.str.to_lowercase().is_in(_NOT_GIVEN)
        & (key.str.len_bytes() > 0)
    )
    main = _country_keys(MAIN_TABLE)
    known = key.replace_strict(
        main.get_column("key"), main.get_column("code"), default=None, return_dtype=pl.String
    )
    state = _us_state(key, given, by_file) if by_file is not None else pl.lit(False)
    known = pl.when(state).then(pl.lit(US)).otherwise(known)
    residue = pl.when(given & known.is_null()).then(value)
    code = pl.coalesce(known, residue.map_batches(_unknown_values, return_dtype=pl.String))
    return values.with_columns(
        pl.when(given).then(code).alias(Col.COUNTRY_CODE),
        (given & code.is_null()).fill_null(False).alias(frame.flag("country.unknown")),
        state.fill_null(False).alias(US_STATE),
    )


def normalize_country(lf: pl.LazyFrame, by_file: str | None = None) -> pl.LazyFrame:
    """Add ``country_code`` (alpha-2, null when blank or unknown) and
    ``flag.country.unknown`` (a non-blank value that matches no country).

    `by_file`: the column naming each row's file, whose country values are read
    together (US states, see the module docstring; ``meta.country_us_state`` says
    which rows were read so); without it each value alone."""
    return on_distinct(
        lf,
        [*([by_file] if by_file else []), frame.raw("country")],
        partial(_country_columns, by_file=by_file),
        [Col.COUNTRY_CODE, frame.flag("country.unknown"), US_STATE],
    )
