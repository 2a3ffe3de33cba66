"""Company names: display value, legal-form-free key, missing flag."""

from __future__ import annotations

import polars as pl
import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtriage import frame
from leadtriage.normalize.company import normalize_company

MISSING = frame.flag("company.missing")


def _run(values: list[str | None]) -> pl.DataFrame:
    lf = pl.LazyFrame({frame.raw("company"): values}, schema={frame.raw("company"): pl.String})
    return normalize_company(lf).collect()


def _keys(values: list[str | None]) -> list[str | None]:
    return _run(values)["company_key"].to_list()


def test_display_value_is_trimmed_and_collapsed_with_casing_kept() -> None:
    out = _run(["  ACME,   Inc. ", "acme gmbh", "McKinsey & Company"])
    assert out["company"].to_list() == ["ACME, Inc.", "acme gmbh", "McKinsey & Company"]


@pytest.mark.parametrize(
    "spellings",
    [
        ["ACME, Inc.", "Acme Incorporated", "acme", "Acme Inc", "ACME LLC", "Acme L.L.C.",
         "Acme Corp.", "Acme Corporation", "Acme Ltd.", "Acme Limited", "Acme GmbH",
         "Acme GmbH & Co. KG", "Acme AG", "Acme S.A.", "Acme SAS", "Acme S.A.S.", "Acme SARL",
         "Acme S.r.l.", "Acme SpA", "Acme B.V.", "Acme BV", "Acme NV", "Acme Oy", "Acme AB",
         "Acme AS", "Acme ApS", "Acme Pty Ltd", "Acme PLC", "Acme LLP", "Acme K.K.",
         "Acme SE", "Acme KG", "The Acme Company", "Acme Co.", "Acme Co., Ltd.", " ACME  inc "],
        ["Müller GmbH", "Mueller AG", "MÜLLER"],
        ["Procter & Gamble", "Procter and Gamble Co", "PROCTER & GAMBLE COMPANY"],
        ["Société Générale SA", "Societe Generale"],
        ["O'Reilly Media, Inc.", "OReilly Media"],
        # A CRM's "Company (domain)": the web address beside the name is no part of it.
        ["King Group Inc.", "King Group Inc. (kinggroup.com)", "King Group (www.kinggroup.com)",
         "King Group"],
        ["Schuchhardt Foods GmbH", "Schuchhardt Foods GmbH (schuchhardtfoods.de)"],
    ],
)  # fmt: skip
def test_spellings_of_one_company_share_a_key(spellings: list[str]) -> None:
    keys = _keys(list(spellings))
    assert len(set(keys)) == 1, dict(zip(spellings, keys, strict=True))
    assert keys[0]


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("www.georgesystems.com", "georgesystems"),
        ("https://www.shepherdbooth.co.uk/", "shepherdbooth"),
        ("estebanroman.es", "estebanroman"),
        ("Amazon.com", "amazon"),
        ("mail.pimenta.com.br", "pimenta"),
    ],
)
def test_a_company_typed_as_its_web_address_is_keyed_by_the_name_in_it(
    typed: str, key: str
) -> None:
    # The key dedupe runs together without spaces: "George Systems LLC" is
    # "georgesystems" there too.
    out = _run([typed])
    assert out["company_key"].to_list() == [key]
    assert out["company"].to_list() == [typed]


@pytest.mark.parametrize("typed", ["Booking.com B.V.", "J.P. Morgan", "Node.js", "St.Gallen AG"])
def test_a_name_with_a_dot_is_no_web_address(typed: str) -> None:
    assert _keys([typed])[0] != typed.split(".", maxsplit=1)[0].lower()


def test_keys_are_ascii_casefolded_words() -> None:
    assert _keys(["ACME, Inc.", "Nestlé S.A.", "株式会社トヨタ", "AT&T Inc."]) == [
        "acme",
        "nestle",
        "zhushihuishetoyota",
        "at and t",
    ]


def test_distinct_companies_keep_distinct_keys() -> None:
    keys = _keys(["Acme", "Acme Widgets", "Globex", "Initech Ltd", "Johnson & Johnson"])
    assert len(set(keys)) == 5


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "n/a", "N/A", "none", "NULL", "xxx", "?"])
def test_no_answer_values_give_no_company(raw: str | None) -> None:
    out = _run([raw])
    assert out["company"].to_list() == [None]
    assert out["company_key"].to_list() == [None]
    assert out[MISSING].to_list() == [True]


@pytest.mark.parametrize("raw", ["#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#SPILL!"])
def test_an_excel_error_gives_no_company(raw: str) -> None:
    """A lookup formula that failed ("#REF!" in a CSV saved from Excel, or an error
    cell of a workbook) holds no company a CRM should get."""
    out = _run([raw])
    assert out["company"].to_list() == [None]
    assert out[MISSING].to_list() == [True]


@pytest.mark.parametrize("raw", ["Value", "REF", "Name"])
def test_a_company_spelled_like_an_excel_errors_word_is_kept(raw: str) -> None:
    assert _run([raw])["company"].to_list() == [raw]


@pytest.mark.parametrize("raw", ["Self-employed", "self employed", "Student", "RETIRED",
                                 "Private", "Freelance", "Self"])  # fmt: skip
def test_no_employer_values_are_kept_but_give_no_key(raw: str) -> None:
    """So no one is matched or grouped with strangers by "Student"."""
    out = _run([raw])
    assert out["company"].to_list() == [raw]
    assert out["company_key"].to_list() == [None]
    assert out[MISSING].to_list() == [True]


def test_a_bare_legal_form_is_no_company_name() -> None:
    out = _run(["Inc.", "GmbH"])
    assert out["company_key"].to_list() == [None, None]
    assert out[MISSING].to_list() == [True, True]


def test_a_real_company_is_not_missing() -> None:
    assert _run(["Acme GmbH"])[MISSING].to_list() == [False]


def _faker_companies() -> list[str]:
    names: list[str] = []
    for locale in ("en_US", "de_DE", "fr_FR", "nl_NL", "sv_SE", "it_IT"):
        fake = Faker(locale)
        fake.seed_instance(5)
        names.extend(fake.company() for _ in range(40))
    return names


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(_faker_companies()), st.text(max_size=25)),
                min_size=1, max_size=30))  # fmt: skip
def test_company_stage_is_idempotent_and_keeps_rows(values: list[str | None]) -> None:
    out = _run(values)
    assert out[frame.raw("company")].to_list() == values
    again = _run(out["company"].to_list())
    assert again["company"].to_list() == out["company"].to_list()
    assert again["company_key"].to_list() == out["company_key"].to_list()
