"""Values real exports hold that the normalise stages once read wrong.

Each test names the export habit behind its values: a spreadsheet's text marker, a
cell quoted twice, a legal form written without a space. They sit together because
they were found together, by feeding each stage what contact lists really carry.
"""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage import frame
from leadtriage.normalize.company import normalize_company
from leadtriage.normalize.country import normalize_country
from leadtriage.normalize.dates import normalize_dates
from leadtriage.normalize.email import normalize_email
from leadtriage.normalize.name import normalize_name

from .phone_frames import phone_stage


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        # Exports made safe against CSV formula injection put an apostrophe before a
        # cell starting with "+": the "+" still says the country.
        ("'+44 20 7946 0958", "DE", "+442079460958"),
        ("'+44 7911 123456", "DE", "+447911123456"),
        ("'+33 6 12 34 56 78", "IT", "+33612345678"),
        ("'+1 415 555 2671", "DE", "+14155552671"),
        # A cell quoted once more than the CSV needed, and Excel's ="..." text idiom.
        ('"+44 7911 123456"', "DE", "+447911123456"),
        ("'+44 7911 123456'", "DE", "+447911123456"),
        ('="+44 7911 123456"', "DE", "+447911123456"),
    ],
)
def test_a_plus_behind_a_text_marker_or_quotes_still_gives_the_country(
    raw: str, region: str, e164: str
) -> None:
    row = phone_stage([raw], [region]).row(0, named=True)
    assert row["phone_e164"] == e164
    assert row["phone_region_source"] == "prefix"


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        # The national numbers of the same habits: the marker is no part of them.
        ("'030 1234567", "DE", "+49301234567"),
        ('"07911 123456"', "GB", "+447911123456"),
    ],
)
def test_a_national_number_behind_a_text_marker_reads_as_before(
    raw: str, region: str, e164: str
) -> None:
    assert phone_stage([raw], [region]).row(0, named=True)["phone_e164"] == e164


def test_scientific_notation_behind_a_text_marker_is_still_mangled() -> None:
    # Its digits are gone whatever stands before them.
    row = phone_stage(["'4.47911E+11"], ["GB"]).row(0, named=True)
    assert row["phone_e164"] is None
    assert row["flag.phone.mangled"]


@pytest.mark.parametrize(
    "raw",
    [
        # A form's "ext. ___" left empty, or a CRM's extension field joined on blank.
        "+1 415 555 2671 ext.",
        "+1 415 555 2671 Ext:",
        "+1 415 555 2671, extension",
        "+33 1 42 68 53 00 poste",
    ],
)
def test_an_extension_marker_without_digits_leaves_the_number(raw: str) -> None:
    row = phone_stage([raw]).row(0, named=True)
    assert row["phone_e164"] is not None
    assert row["phone_extension"] is None
    assert not row["flag.phone.invalid"]


def _email_row(raw: str) -> dict[str, object]:
    lf = pl.LazyFrame(
        {frame.raw("email"): [raw], frame.SOURCE_ROW: [1]},
        schema={frame.raw("email"): pl.String, frame.SOURCE_ROW: pl.Int64},
    )
    return normalize_email(lf).collect().row(0, named=True)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # A CSV quoted twice, an SQL dump's string literal: the cell is the address in
        # quotes, and no address ends in a quote, so the quotes are the wrapping.
        ('"jane@acme.com"', "jane@acme.com"),
        ("'jane@acme.com'", "jane@acme.com"),
        (" 'Jane.Doe@Acme.com' ", "Jane.Doe@acme.com"),
        ('"O\'Brien@acme.ie"', "O'Brien@acme.ie"),
        ("'o'brien@acme.ie'", "o'brien@acme.ie"),
        ('"<jane@acme.com>"', "jane@acme.com"),
    ],
)
def test_an_address_wrapped_in_quotes_is_the_address(raw: str, clean: str) -> None:
    row = _email_row(raw)
    assert row["email"] == clean
    assert not row["flag.email.invalid"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # Outlook's recipient list, copied one recipient a cell: "Name <address>;".
        ("Jane Doe <jane@acme.com>;", "jane@acme.com"),
        ("Doe, Jane <Jane@Acme.com>;", "Jane@acme.com"),
        ("<jane@acme.com>,", "jane@acme.com"),
        ('"jane@acme.com";', "jane@acme.com"),
    ],
)
def test_list_punctuation_after_a_bracketed_or_quoted_address_goes(raw: str, clean: str) -> None:
    row = _email_row(raw)
    assert row["email"] == clean
    assert not row["flag.email.invalid"]


@pytest.mark.parametrize(
    "raw",
    [
        # A quoted local part is the address's own syntax, not wrapping.
        '"jane doe"@acme.com',
        # One quote only, or a quote inside: nothing wraps the cell.
        '"jane@acme.com',
        "jane@acme.com'",
    ],
)
def test_quotes_that_do_not_wrap_the_cell_stay(raw: str) -> None:
    assert _email_row(raw)["email"] is None


def _company_keys(values: list[str]) -> list[str | None]:
    lf = pl.LazyFrame({frame.raw("company"): values}, schema={frame.raw("company"): pl.String})
    return normalize_company(lf).collect()["company_key"].to_list()


@pytest.mark.parametrize(
    "spellings",
    [
        # Chinese, Japanese, Korean and Thai registrations write "Co.,Ltd." unspaced.
        ["Acme Co., Ltd.", "Acme Co.,Ltd.", "ACME CO.,LTD", "Acme Co.,Ltd", "Acme"],
        ["Acme, Inc.", "Acme,Inc.", "Acme"],
        # South Africa's private companies are written "(Pty) Ltd".
        ["Acme (Pty) Ltd", "Acme (Pty) Ltd.", "Acme Pty Ltd", "Acme"],
    ],
)
def test_legal_forms_glued_or_bracketed_come_off_like_the_spaced_ones(
    spellings: list[str],
) -> None:
    assert set(_company_keys(spellings)) == {"acme"}


@pytest.mark.parametrize(
    "spellings",
    [
        # "and Co" is "& Co" written out, in English as in German.
        ["Acme & Co.", "Acme and Co.", "Acme and Co", "ACME AND CO, INC.", "Acme"],
        ["Acme & Co. KG", "Acme und Co. KG", "Acme"],
    ],
)
def test_and_co_written_out_comes_off_like_ampersand_co(spellings: list[str]) -> None:
    assert set(_company_keys(spellings)) == {"acme"}


def test_and_before_a_word_that_is_no_legal_form_stays() -> None:
    assert _company_keys(["Acme and Coffee", "Smith and Cole"]) == [
        "acme and coffee",
        "smith and cole",
    ]


def _company_rows(values: list[str]) -> list[dict[str, object]]:
    lf = pl.LazyFrame({frame.raw("company"): values}, schema={frame.raw("company"): pl.String})
    return list(normalize_company(lf).collect().iter_rows(named=True))


@pytest.mark.parametrize("raw", ["none.", "N / A", "N.A", "Unknown.", "n/a."])
def test_a_no_answer_value_typed_with_other_punctuation_gives_no_company(raw: str) -> None:
    """Spaced, dotted or with a full stop after it, "n/a" is still no answer: keyed, it
    grouped every such row as one company."""
    (row,) = _company_rows([raw])
    assert (row["company"], row["company_key"]) == (None, None)
    assert row["flag.company.missing"]


@pytest.mark.parametrize("raw", ["Self-Employed.", "SELF - EMPLOYED", "Student.", "Self Employed!"])
def test_a_no_employer_value_typed_with_other_punctuation_gives_no_key(raw: str) -> None:
    (row,) = _company_rows([raw])
    assert (row["company"], row["company_key"]) == (raw, None)
    assert row["flag.company.missing"]


def test_a_name_holding_a_placeholder_word_is_still_a_company() -> None:
    rows = _company_rows(["N.A. Holdings", "Student Loans Company", "Unknown Worlds Ltd"])
    assert [row["company_key"] for row in rows] == [
        "n a holdings",
        "student loans",
        "unknown worlds",
    ]


def test_an_article_left_alone_once_the_legal_form_is_gone_keys_no_company() -> None:
    """With only the article left nothing is left, as for "Inc." alone: otherwise
    "The Company" and "The Corporation" would meet on the key "the"."""
    values = ["The Company", "The Co.", "The Corporation", "The Inc", "THE LTD"]
    lf = pl.LazyFrame({frame.raw("company"): values}, schema={frame.raw("company"): pl.String})
    out = normalize_company(lf).collect()
    assert out["company_key"].to_list() == [None] * len(values)
    assert out["flag.company.missing"].to_list() == [True] * len(values)


def test_a_name_after_the_article_keeps_its_key() -> None:
    assert _company_keys(["The Acme Company", "The Boring Company", "The The"]) == [
        "acme",
        "boring",
        "the",
    ]


def _created_at(values: list[str]) -> list[str | None]:
    lf = pl.LazyFrame(
        {
            frame.raw("created_at"): values,
            frame.SOURCE_FILE: ["a.csv"] * len(values),
            frame.SOURCE_ROW: list(range(1, len(values) + 1)),
        },
        schema={
            frame.raw("created_at"): pl.String,
            frame.SOURCE_FILE: pl.String,
            frame.SOURCE_ROW: pl.Int64,
        },
    )
    return normalize_dates(lf).collect()["created_at"].to_list()


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        # French writes the first of the month as an ordinal, "1er"; Spanish and Italian
        # "1º" or "1°".
        ("1er mars 2024", "2024-03-01"),
        ("le 1er janvier 2024", "2024-01-01"),
        ("1º de marzo de 2024", "2024-03-01"),
        ("1° marzo 2024", "2024-03-01"),
        # Event platforms and mail clients put a word between the date and the time.
        ("Mar 4, 2024 at 10:00 AM", "2024-03-04T10:00:00"),
        ("4 March 2024 at 10:00", "2024-03-04T10:00:00"),
        ("4 mars 2024 à 10:00", "2024-03-04T10:00:00"),
        ("4. März 2024 um 10:00", "2024-03-04T10:00:00"),
    ],
)
def test_dates_written_out_as_people_write_them_are_read(raw: str, iso: str) -> None:
    assert _created_at([raw]) == [iso]


def test_a_word_that_is_no_time_separator_still_makes_the_value_unreadable() -> None:
    assert _created_at(["4 March 2024 about 10:00"]) == [None]


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        # JavaScript's Date.toString(), as web apps write a date into a sheet.
        (
            "Mon Mar 04 2024 10:00:00 GMT+0100 (Central European Standard Time)",
            "2024-03-04T10:00:00+01:00",
        ),
        (
            "Mon Mar 04 2024 10:00:00 GMT+0000 (Coordinated Universal Time)",
            "2024-03-04T10:00:00+00:00",
        ),
        # Chinese and Japanese exports write year, month and day with their signs;
        # Korean ones with its signs or with dots and spaces.
        ("2024年3月4日", "2024-03-04"),
        ("2024年03月04日 10:00", "2024-03-04T10:00:00"),
        ("2024년 3월 4일", "2024-03-04"),
        ("2024. 3. 4.", "2024-03-04"),
        ("2024. 03. 04. 10:00", "2024-03-04T10:00:00"),
    ],
)
def test_dates_as_other_software_and_scripts_write_them_are_read(raw: str, iso: str) -> None:
    assert _created_at([raw]) == [iso]


def test_a_bracketed_note_that_is_no_zone_name_after_no_time_stays_unreadable() -> None:
    assert _created_at(["2024-03-04 (approx.)"]) == [None]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        # "St." for "Saint", as forms and CRMs abbreviate it.
        ("St. Kitts and Nevis", "KN"),
        ("St Kitts and Nevis", "KN"),
        ("St. Vincent and the Grenadines", "VC"),
        ("ST. PIERRE AND MIQUELON", "PM"),
    ],
)
def test_saint_abbreviated_names_its_country(raw: str, code: str) -> None:
    lf = pl.LazyFrame({frame.raw("country"): [raw]}, schema={frame.raw("country"): pl.String})
    assert normalize_country(lf).collect()["country_code"].to_list() == [code]


def test_a_saint_that_names_no_country_stays_unknown() -> None:
    lf = pl.LazyFrame(
        {frame.raw("country"): ["St. Gallen"]}, schema={frame.raw("country"): pl.String}
    )
    out = normalize_country(lf).collect()
    assert out["country_code"].to_list() == [None]
    assert out["flag.country.unknown"].to_list() == [True]


def _names(first: str | None, last: str | None) -> dict[str, object]:
    columns = [frame.raw(f) for f in ("first_name", "last_name", "full_name")]
    lf = pl.LazyFrame([[first], [last], [None]], schema=dict.fromkeys(columns, pl.String))
    return normalize_name(lf).collect().row(0, named=True)


@pytest.mark.parametrize(
    ("first", "last", "clean_first", "clean_last"),
    [
        # Event badges and CRM imports put the employer or a nickname beside the name
        # in its own column, as they do in a whole name.
        ("Jane (Acme)", "Smith", "Jane", "Smith"),
        ("Jane", "Smith (Acme Inc)", "Jane", "Smith"),
        ('Robert "Bob"', "Smith", "Robert", "Smith"),
        ("JANE [ACME]", "SMITH", "Jane", "Smith"),
    ],
)
def test_a_part_in_brackets_or_quotes_beside_a_given_name_is_dropped(
    first: str, last: str, clean_first: str, clean_last: str
) -> None:
    row = _names(first, last)
    assert (row["first_name"], row["last_name"]) == (clean_first, clean_last)
    assert (row["first_name_key"], row["last_name_key"]) == (
        clean_first.lower(),
        clean_last.lower(),
    )
