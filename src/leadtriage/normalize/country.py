"""Country values -> ISO 3166-1 alpha-2 codes, without guessing.

The lookup is built once from pycountry (names, official and common names, alpha-2
and alpha-3 codes, and its gettext translations in the languages exports come in),
the curated variants in ``data/country_variants.txt`` and the Olympic / FIFA codes
in ``data/country_sport_codes.txt``. Both the lookup and the column are keyed by the
same Polars expression (casefolded, accents, punctuation, spaces and the word "the"
dropped), so "U.K.", "uk" and "The United Kingdom" meet.

Precedence where one key names two countries in two systems: curated variants,
then English names, then ISO 3166-1 codes, then sport codes, then translations
(``BRN`` is Brunei as ISO alpha-3, not Bahrain as the IOC writes it). A key that
names two countries within one tier is left out of that tier.

Distinct values the lookup does not know are read again, in Python and only once
each: without a part in brackets ("Germany (DE)", "United Kingdom (UK)"), the part
in brackets, the two halves of "Korea, Republic of" swapped, each side of
"DE - Germany"; then every candidate against CLDR's territory names in every
language babel ships (own scripts included: "Deutschland", "日本", "Ελλάδα").
CLDR is loaded only when such a value turns up (it takes about half a second).

A value that matches no key is not matched fuzzily: it gets a null code and
``flag.country.unknown``. Placeholders ("N/A", "none", "-") count as blank; so does
a bare "NA", which in a country column means "not available" far more often than
Namibia (spelled "Namibia" or "NAM" it is matched).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Iterator
from functools import cache

import polars as pl
import pycountry
from babel import localedata

from leadtriage import frame
from leadtriage.normalize.text import data_pairs, on_distinct, squish, strip_accents
from leadtriage.schema import Col

# Languages whose pycountry translations are trusted as input spellings.
TRANSLATION_LANGUAGES: tuple[str, ...] = (
    "de", "fr", "es", "it", "pt", "pt_BR", "nl", "ru", "uk", "pl", "cs", "sk", "sv",
    "da", "nb_NO", "fi", "hu", "ro", "tr", "el", "ja", "ko", "zh_CN", "zh_TW", "zh_HK",
    "ar", "he", "id", "vi", "th", "hi", "ca", "hr", "bg",
)  # fmt: skip

_UMLAUTS_SPELLED_OUT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)

PLACEHOLDERS: frozenset[str] = frozenset(
    {"-", "--", "---", ".", "?", "n/a", "n.a.", "n.a", "na", "none", "null", "nil", "unknown",
     "not applicable", "not specified", "other", "select", "select country", "please select",
     "choose", "-- select --", "xx", "x"}
)  # fmt: skip


def country_key(expr: pl.Expr) -> pl.Expr:
    """The folded matching key of a country value ('' when nothing is left)."""
    return (
        strip_accents(expr.str.to_lowercase())
        .str.replace_all(r"\bthe\b", "")
        .str.replace_all(r"[^\p{L}\p{N}]", "")
    )


def _pycountry_names() -> Iterator[tuple[str, str]]:
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                yield country.alpha_2, name


def _pycountry_codes() -> Iterator[tuple[str, str]]:
    for country in pycountry.countries:
        yield country.alpha_2, country.alpha_3
        yield country.alpha_2, country.alpha_2


def _pycountry_translations() -> Iterator[tuple[str, str]]:
    english = list(_pycountry_names())
    for language in TRANSLATION_LANGUAGES:
        try:
            catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
        for code, name in english:
            translated = catalog.gettext(name)
            if translated != name:
                yield code, translated


def _with_german_spellings(pairs: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """Each pair, plus its umlauts written out ("Oesterreich" beside "Österreich")."""
    for code, variant in pairs:
        yield code, variant
        spelled_out = variant.translate(_UMLAUTS_SPELLED_OUT)
        if spelled_out != variant:
            yield code, spelled_out


def _keyed(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """key -> code for one tier; keys that name two countries are left out."""
    codes, variants = zip(*_with_german_spellings(pairs), strict=True)
    keys = (
        pl.Series("variant", variants, dtype=pl.String)
        .to_frame()
        .select(country_key(pl.col("variant")))
        .to_series()
        .to_list()
    )
    seen: dict[str, set[str]] = {}
    for key, code in zip(keys, codes, strict=True):
        if key:
            seen.setdefault(key, set()).add(code)
    return {key: next(iter(found)) for key, found in seen.items() if len(found) == 1}


@cache
def country_lookup() -> dict[str, str]:
    """Folded key -> alpha-2 code. Earlier tiers win: curated variants, English
    names, ISO codes, sport codes, then translations."""
    tiers = (
        _keyed(data_pairs("country_variants.txt")),
        _keyed(_pycountry_names()),
        _keyed(_pycountry_codes()),
        _keyed(data_pairs("country_sport_codes.txt")),
        _keyed(_pycountry_translations()),
    )
    lookup: dict[str, str] = {}
    for tier in tiers:
        for key, code in tier.items():
            lookup.setdefault(key, code)
    return lookup


def _cldr_names() -> Iterator[tuple[str, str]]:
    """(alpha-2, name) for every ISO country in every language CLDR has."""
    iso = {country.alpha_2 for country in pycountry.countries}
    for identifier in localedata.locale_identifiers():
        # Regional variants ("de_AT") repeat their language's names.
        if "_" in identifier:
            continue
        # A language's own data, without the root merged in: the same names as
        # Locale(...).territories, in half the time.
        own = localedata.load(identifier, merge_inherited=False)
        for code, name in own.get("territories", {}).items():
            if code in iso:
                yield code, name


@cache
def cldr_lookup() -> dict[str, str]:
    """Folded key -> alpha-2 from CLDR's territory names (keys naming two
    countries left out); consulted after `country_lookup`."""
    return _keyed(_cldr_names())


_BRACKETED = re.compile(r"[(\[]([^)\]]*)[)\]]")
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


def _country_columns(values: pl.LazyFrame) -> pl.LazyFrame:
    value = squish(pl.col(frame.raw("country")).cast(pl.String))
    key = country_key(value)
    given = (
        value.is_not_null()
        & ~value.str.to_lowercase().is_in(list(PLACEHOLDERS))
        & (key.str.len_bytes() > 0)
    )
    known = key.replace_strict(country_lookup(), default=None, return_dtype=pl.String)
    residue = pl.when(given & known.is_null()).then(value)
    code = pl.coalesce(known, residue.map_batches(_unknown_values, return_dtype=pl.String))
    return values.with_columns(
        pl.when(given).then(code).alias(Col.COUNTRY_CODE),
        (given & code.is_null()).fill_null(False).alias(frame.flag("country.unknown")),
    )


def normalize_country(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``country_code`` (alpha-2, null when blank or unknown) and
    ``flag.country.unknown`` (a non-blank value that matches no country)."""
    return on_distinct(
        lf,
        [frame.raw("country")],
        _country_columns,
        [Col.COUNTRY_CODE, frame.flag("country.unknown")],
    )
