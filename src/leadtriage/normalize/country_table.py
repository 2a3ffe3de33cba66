"""Builds the country lookup that ships as ``data/country_keys.txt``.

Building it reads pycountry (names, official and common names, alpha-2 and alpha-3
codes, its gettext translations in the languages exports come in), the curated
variants in ``data/country_variants.txt``, the Olympic / FIFA codes in
``data/country_sport_codes.txt`` and CLDR's territory names in every language babel
ships: about a second, too much to pay on every run, so it is built here once and
`leadtriage.normalize.country` only reads the result. After editing one of those
files, or upgrading pycountry, babel or Polars (whose folding makes the keys):

    python -m leadtriage.normalize.country_table > src/leadtriage/data/country_keys.txt

``tests/normalize/test_country_table.py`` rebuilds the table and fails while the
shipped file differs, so it cannot drift from its sources.

Two tables, one file: ``main`` is matched against every value; ``cldr`` is read only
for values the main table does not know (see `leadtriage.normalize.country`). Keys
already in ``main`` are left out of ``cldr``: the main table answers them first.
"""

from __future__ import annotations

import gettext
import sys
from collections.abc import Iterable, Iterator

import polars as pl
import pycountry
from babel import localedata

from leadtriage.normalize.country import CLDR_TABLE, MAIN_TABLE, country_key
from leadtriage.normalize.text import data_pairs

# Languages whose pycountry translations are trusted as input spellings.
TRANSLATION_LANGUAGES: tuple[str, ...] = (
    "de", "fr", "es", "it", "pt", "pt_BR", "nl", "ru", "uk", "pl", "cs", "sk", "sv",
    "da", "nb_NO", "fi", "hu", "ro", "tr", "el", "ja", "ko", "zh_CN", "zh_TW", "zh_HK",
    "ar", "he", "id", "vi", "th", "hi", "ca", "hr", "bg",
)  # fmt: skip

_UMLAUTS_SPELLED_OUT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)

HEADER = """\
# Folded country keys -> ISO 3166-1 alpha-2. Generated, do not edit: built by
#     python -m leadtriage.normalize.country_table > src/leadtriage/data/country_keys.txt
# from pycountry (names, codes, translations), country_variants.txt,
# country_sport_codes.txt and CLDR's territory names (babel); see that module.
# Format: key|ALPHA2|table. Table "main": matched against every value; "cldr": read
# only for the values the main table does not know.
"""


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


def main_lookup() -> dict[str, str]:
    """Folded key -> alpha-2 code. Earlier tiers win: curated variants, English
    names, ISO codes, sport codes, then translations. (``BRN`` is Brunei as ISO
    alpha-3, not Bahrain as the IOC writes it.)"""
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


def cldr_lookup(main: dict[str, str]) -> dict[str, str]:
    """Folded key -> alpha-2 from CLDR's territory names: keys naming two countries
    left out, and keys `main` holds (it is consulted first)."""
    return {key: code for key, code in _keyed(_cldr_names()).items() if key not in main}


def build() -> list[tuple[str, str, str]]:
    """(key, alpha-2, table) rows, each table sorted by key."""
    main = main_lookup()
    cldr = cldr_lookup(main)
    return [
        *((key, main[key], MAIN_TABLE) for key in sorted(main)),
        *((key, cldr[key], CLDR_TABLE) for key in sorted(cldr)),
    ]


def render() -> str:
    """The text of ``data/country_keys.txt`` as the sources give it now."""
    return HEADER + "".join(f"{key}|{code}|{table}\n" for key, code, table in build())


if __name__ == "__main__":
    # Bytes: the same file on every platform (no newline or code page translation).
    sys.stdout.buffer.write(render().encode("utf-8"))
