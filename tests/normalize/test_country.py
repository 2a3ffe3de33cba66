"""Country values -> ISO 3166-1 alpha-2, and unknown countries flagged."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtriage import frame
from leadtriage.normalize.country import country_lookup, normalize_country
from leadtriage.normalize.text import data_pairs
from leadtriage.pipeline import triage

UNKNOWN = frame.flag("country.unknown")


def _run(values: Sequence[str | None]) -> pl.DataFrame:
    lf = pl.LazyFrame(
        {frame.raw("country"): list(values)}, schema={frame.raw("country"): pl.String}
    )
    return normalize_country(lf).collect()


def _codes(values: Sequence[str | None]) -> list[str | None]:
    return _run(values)["country_code"].to_list()


VARIANTS = {
    "GB": ["UK", "U.K.", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland",
           "United Kingdom", "GBR", "gb", "The United Kingdom"],
    # D, A, FL: the vehicle codes German-speaking badge scanners write in "Land"
    "DE": ["Deutschland", "Allemagne", "Alemania", "Germany", "GERMANY", "DEU", "de", "D"],
    "LI": ["Liechtenstein", "FL"],
    "NL": ["Holland", "The Netherlands", "Netherlands, The", "Nederland", "Pays-Bas", "NLD"],
    "US": ["USA", "U.S.A.", "US", "U.S.", "United States of America", "United States",
           "America", "Vereinigte Staaten", "États-Unis", "Etats-Unis", "EEUU", "EE.UU."],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Cote d Ivoire", "Cote d'Ivoire", "CÔTE D’IVOIRE"],
    "RU": ["Россия", "Russian Federation", "Russia"],
    "ES": ["España", "Espagne", "Spanien", "Spain", "espana"],
    "CH": ["Schweiz", "Suisse", "Svizzera", "Switzerland"],
    "AT": ["Österreich", "Oesterreich", "Osterreich", "Austria", "A"],
    "IT": ["Italia", "Italy"],
    "MX": ["México", "Mexico"],
    "BR": ["Brasil", "Brazil"],
    "CN": ["中国", "China"],
    "JP": ["日本", "Japan"],
    "KR": ["South Korea", "Korea, Republic of", "Republic of Korea", "KOR"],
    "CZ": ["Czechia", "Czech Republic"],
    "TR": ["Türkiye", "Turkey", "Turkiye"],
    "AE": ["UAE", "U.A.E.", "United Arab Emirates", "الإمارات"],
    "HK": ["Hong Kong", "HK", "Hong Kong, China"],
    "FR": ["France", "Frankreich", "fr", " FRANCE "],
    "NA": ["Namibia", "NAM"],
    # left unknown until a probe of international values found them
    "XK": ["Kosovo", "XK", "Kosova"],
    "TW": ["Chinese Taipei", "Taiwan ROC"],
    "BA": ["Bosnia"],
    "VA": ["Holy See"],
}  # fmt: skip
CASES = [(value, code) for code, values in VARIANTS.items() for value in values]


@pytest.mark.parametrize(("raw", "code"), CASES)
def test_names_codes_and_variants_give_the_alpha2_code(raw: str, code: str) -> None:
    out = _run([raw])
    assert out["country_code"].to_list() == [code]
    assert out[UNKNOWN].to_list() == [False]


@pytest.mark.parametrize("raw", ["Narnia", "Atlantis", "Europe", "Earth", "123", "Untied States"])
def test_a_value_matching_no_country_is_flagged_not_guessed(raw: str) -> None:
    out = _run([raw])
    assert out["country_code"].to_list() == [None]
    assert out[UNKNOWN].to_list() == [True]


@pytest.mark.parametrize(
    "raw",
    [None, "", "   ", "-", "N/A", "n/a", "NA", "none", "Unknown", "?", "#N/A", "#VALUE!", "#ref!"],
)
def test_blanks_and_placeholders_are_null_without_a_flag(raw: str | None) -> None:
    """A bare "NA" is a placeholder here: Namibia is matched as "Namibia" or "NAM";
    so is Excel's "#N/A" (its key, without the punctuation, is "na")."""
    out = _run([raw])
    assert out["country_code"].to_list() == [None]
    assert out[UNKNOWN].to_list() == [False]


def test_every_pycountry_country_is_found_by_name_and_codes() -> None:
    countries = list(pycountry.countries)
    names = [c.name for c in countries] + [c.alpha_3 for c in countries]
    expected = [c.alpha_2 for c in countries] * 2
    assert _codes(names) == expected


def test_the_lookup_has_translations_from_pycountry() -> None:
    lookup = country_lookup()
    # Keys are folded: casefolded, accents and punctuation dropped.
    assert lookup["vereinigtestaaten"] == "US"  # German
    assert lookup["etatsunis"] == "US"  # French
    assert lookup["paisesbajos"] == "NL"  # Spanish


CODES = sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 != "NA")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(CODES + [v for v, _ in CASES]),
                          st.text(max_size=15)), min_size=1, max_size=40))  # fmt: skip
def test_country_stage_is_idempotent_and_keeps_rows(values: list[str | None]) -> None:
    """Normalising a code gives the code back (except "NA", a placeholder here)."""
    out = _run(values)
    assert out[frame.raw("country")].to_list() == values
    codes = out["country_code"].to_list()
    again = _codes([c for c in codes if c is not None and c != "NA"])
    assert again == [c for c in codes if c is not None and c != "NA"]


GERMAN_SPELLED_OUT = [("Oesterreich", "AT"), ("Tuerkei", "TR"), ("Daenemark", "DK"),
                      ("Grossbritannien", "GB")]  # fmt: skip


@pytest.mark.parametrize(("raw", "code"), GERMAN_SPELLED_OUT)
def test_german_names_typed_without_umlauts_are_found(raw: str, code: str) -> None:
    assert _codes([raw]) == [code]


# As sports registrations, badge scans and multilingual forms write them.
EXPORT_SPELLINGS = {
    "DE": ["GER", "Germany (DE)", "DE - Germany", "Niemcy", "Tyskland", "Saksa", "Германия",
           "ドイツ", "德国", "Німеччина", "Γερμανία", "ألمانيا", "Duitsland (NL: DE)"],
    "GB": ["United Kingdom (UK)", "Vereinigtes Königreich", "Royaume-Uni", "Wielka Brytania",
           "Regno Unito", "英国", "ENG", "SCO", "WAL", "NIR"],
    "CH": ["SUI", "Schweiz/Suisse", "Suíça", "Zwitserland", "Szwajcaria", "スイス"],
    "NL": ["NED", "Nederland (NL)", "Países Bajos", "Holandia", "Нидерланды"],
    "ZA": ["RSA", "South Africa (ZA)", "Südafrika", "Afrique du Sud"],
    "PT": ["POR", "Portugal (PT)", "Portogallo", "Portugalia"],
    "DK": ["DEN", "Dänemark", "Danemark", "Dania"],
    "KR": ["Korea, Republic of", "Korea (South)", "Korea, South", "대한민국", "Corea del Sud"],
    "IR": ["Iran, Islamic Republic of", "IRI", "ایران"],
    "GR": ["GRE", "EL", "Ελλάδα", "Griechenland"],
    "PL": ["Rzeczpospolita Polska", "Polonia", "Польша"],
    "SA": ["KSA", "Saudi Arabia", "المملكة العربية السعودية"],
    "TW": ["TPE", "Taiwan, Province of China"],
    "BN": ["BRN", "BRU", "Brunei Darussalam"],
}  # fmt: skip
EXPORT_CASES = [(value, code) for code, values in EXPORT_SPELLINGS.items() for value in values]


@pytest.mark.parametrize(("raw", "code"), EXPORT_CASES)
def test_sport_codes_bracketed_codes_and_names_in_every_language(raw: str, code: str) -> None:
    out = _run([raw])
    assert out["country_code"].to_list() == [code]
    assert out[UNKNOWN].to_list() == [False]


def test_an_iso_code_wins_over_a_sport_code_spelled_the_same() -> None:
    """BRN: Brunei in ISO 3166-1 alpha-3, Bahrain at the Olympics. ISO wins (README)."""
    sport = dict((code, alpha2) for alpha2, code in data_pairs("country_sport_codes.txt"))
    alpha3 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    clashes = {code for code in sport if code in alpha3 and alpha3[code] != sport[code]}
    assert clashes == set()  # none listed: the file holds only codes ISO does not use
    assert _codes(["BRN", "BHR"]) == ["BN", "BH"]


def test_every_sport_code_reaches_its_country() -> None:
    pairs = data_pairs("country_sport_codes.txt")
    assert _codes([code for _, code in pairs]) == [alpha2 for alpha2, _ in pairs]


def _by_file(files: dict[str, list[str | None]]) -> dict[str, list[str | None]]:
    """Country codes per file when the stage reads each file's column as a whole."""
    rows = [(name, value) for name, values in files.items() for value in values]
    lf = pl.LazyFrame(
        {frame.SOURCE_FILE: [n for n, _ in rows], frame.raw("country"): [v for _, v in rows]},
        schema={frame.SOURCE_FILE: pl.String, frame.raw("country"): pl.String},
    )
    out = normalize_country(lf, by_file=frame.SOURCE_FILE).collect()
    return {
        name: out.filter(pl.col(frame.SOURCE_FILE) == name)["country_code"].to_list()
        for name in files
    }


def test_a_us_state_name_in_the_country_column_is_the_us() -> None:
    """ "California" matched no country and was flagged unknown; no country is named
    so. "Georgia" is a country too and stays one outside a file of US states."""
    codes = _by_file({"mixed.csv": ["California", "Texas", "new york", "Georgia", "Germany"]})
    assert codes["mixed.csv"] == ["US", "US", "US", "GE", "DE"]


def test_state_codes_throughout_a_file_read_as_us_states() -> None:
    """CA, DE, IN, PA, GA are also country codes (FL Liechtenstein's vehicle code):
    in a column of US states throughout (TX and NY prove it) they are states."""
    us = ["CA", "TX", "NY", "FL", "DE", "IN", "PA", "GA", "California", None, "n/a"]
    codes = _by_file(
        {"us.csv": us, "canada.csv": ["CA", "CA"], "world.csv": ["CA", "TX", "Germany"]}
    )
    assert codes["us.csv"] == ["US"] * 9 + [None, None]
    # Without proof, or beside a country that is no state, a code keeps its country;
    # a state code that is no country stays unknown for a person to see.
    assert codes["canada.csv"] == ["CA", "CA"]
    assert codes["world.csv"] == ["CA", None, "DE"]


def test_without_files_no_value_is_read_as_a_state() -> None:
    # The rules file's values are read one by one: "CA" in a rule is Canada.
    assert _codes(["CA", "TX", "NY", "California"]) == ["CA", None, None, None]


def test_a_file_read_as_us_states_says_so(tmp_path: Path) -> None:
    """ "CA" read as California changes a value: the summary names the file and how
    many rows were read so (no value itself: summaries carry no contact data)."""
    path = tmp_path / "us.csv"
    path.write_text(
        "Email,Country\nann@acme-corp.com,CA\nbob@acme-corp.com,TX\ncy@acme-corp.com,CA\n"
    )
    result = triage([str(path)])
    assert result.routed["country_code"].to_list() == ["US", "US", "US"]
    warnings = result.summary.notes["warnings"]
    assert f"{path}: 3 rows hold a US state in the country column, read as US" in warnings
