"""Country values -> ISO 3166-1 alpha-2 codes, without guessing.

The lookup is built once from pycountry (names, official and common names, alpha-2
and alpha-3 codes, and its gettext translations in the languages exports come in)
plus the curated variants in ``data/country_variants.txt``. Both the lookup and the
column are keyed by the same Polars expression (casefolded, accents, punctuation,
spaces and the word "the" dropped), so "U.K.", "uk" and "The United Kingdom" meet.

A value that matches no key is not matched fuzzily: it gets a null code and
``flag.country.unknown``. Placeholders ("N/A", "none", "-") count as blank; so does
a bare "NA", which in a country column means "not available" far more often than
Namibia (spelled "Namibia" or "NAM" it is matched).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Iterator
from functools import cache

import polars as pl
import pycountry

from leadtriage import frame
from leadtriage.normalize.text import data_pairs, on_distinct, squish, strip_accents

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
    names, codes, then translations."""
    tiers = (
        _keyed(data_pairs("country_variants.txt")),
        _keyed(_pycountry_names()),
        _keyed(_pycountry_codes()),
        _keyed(_pycountry_translations()),
    )
    lookup: dict[str, str] = {}
    for tier in tiers:
        for key, code in tier.items():
            lookup.setdefault(key, code)
    return lookup


def _country_columns(values: pl.LazyFrame) -> pl.LazyFrame:
    value = squish(pl.col(frame.raw("country")).cast(pl.String))
    key = country_key(value)
    given = (
        value.is_not_null()
        & ~value.str.to_lowercase().is_in(list(PLACEHOLDERS))
        & (key.str.len_bytes() > 0)
    )
    code = key.replace_strict(country_lookup(), default=None, return_dtype=pl.String)
    return values.with_columns(
        pl.when(given).then(code).alias("country_code"),
        (given & code.is_null()).fill_null(False).alias(frame.flag("country.unknown")),
    )


def normalize_country(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``country_code`` (alpha-2, null when blank or unknown) and
    ``flag.country.unknown`` (a non-blank value that matches no country)."""
    return on_distinct(
        lf,
        [frame.raw("country")],
        _country_columns,
        ["country_code", frame.flag("country.unknown")],
    )
