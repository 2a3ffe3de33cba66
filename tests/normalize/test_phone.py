"""The phone stage: E.164 only for valid numbers, type, extension, and findings."""

from __future__ import annotations

from collections.abc import Sequence

import phonenumbers
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from leadtriage import frame
from leadtriage.normalize import phone as phone_module
from leadtriage.normalize.phone import (
    check_number,
    normalize_phone,
)
from leadtriage.schema import Col

from .phone_frames import phone_stage as _run

FLAGS = ("missing", "invalid", "possible_only", "mangled", "fake")


def _one(phone: str | None, region: str | None = None) -> dict[str, object]:
    return _run([phone], [region]).row(0, named=True)


def _raised(row: dict[str, object]) -> set[str]:
    return {name for name in FLAGS if row[frame.flag(f"phone.{name}")]}


@pytest.mark.parametrize(
    ("raw", "region", "e164", "kind"),
    [
        ("(415) 555-2671", "US", "+14155552671", "fixed_line_or_mobile"),
        ("+1 415-555-2671", None, "+14155552671", "fixed_line_or_mobile"),
        ("tel:+14155552671", None, "+14155552671", "fixed_line_or_mobile"),
        ("0044 20 7946 0958", None, "+442079460958", "fixed_line"),
        ("0044 20 7946 0958", "GB", "+442079460958", "fixed_line"),
        ("020 7946 0958", "GB", "+442079460958", "fixed_line"),
        ("07911 123456", "GB", "+447911123456", "mobile"),
        ("+49 (0)30 1234567", None, "+49301234567", "fixed_line"),
        ("030 1234567", "DE", "+49301234567", "fixed_line"),
        ("06 12 34 56 78", "FR", "+33612345678", "mobile"),
        ("+33 6 12 34 56 78", None, "+33612345678", "mobile"),
        ("91 123 45 67", "ES", "+34911234567", "fixed_line"),
        ("06 1234 5678", "IT", "+390612345678", "fixed_line"),
        ("020 123 4567", "NL", "+31201234567", "fixed_line"),
        ("098765 43210", "IN", "+919876543210", "mobile"),
        ("(11) 96123-4567", "BR", "+5511961234567", "mobile"),
        ("0412 345 678", "AU", "+61412345678", "mobile"),
        ("03-1234-5678", "JP", "+81312345678", "fixed_line"),
        ("1-800-FLOWERS", "US", "+18003569377", "toll_free"),
        ("１ ４１５ ５５５ ２６７１", "US", "+14155552671", "fixed_line_or_mobile"),
    ],
)
def test_valid_numbers_become_e164(raw: str, region: str | None, e164: str, kind: str) -> None:
    row = _one(raw, region)
    assert (row["phone_e164"], row["phone_type"]) == (e164, kind)
    assert not row[frame.flag("phone.invalid")]
    assert not row[frame.flag("phone.possible_only")]


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        # The explicit prefix wins over the row's region.
        ("+44 20 7946 0958", "US"),
        ("0044 20 7946 0958", "US"),
        ("011 44 20 7946 0958", "US"),
        ("+44 20 7946 0958", "DE"),
    ],
)
def test_international_prefix_wins_over_region(raw: str, region: str) -> None:
    assert _one(raw, region)["phone_e164"] == "+442079460958"


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("+49 151 1234 5678 (mobile)", None, "+4915112345678"),
        ("+49 151 1234 5678 [Handy]", None, "+4915112345678"),
        ("Mobile: 07911 123456", "GB", "+447911123456"),
        ("Tél. : 06 12 34 56 78", "FR", "+33612345678"),
        ("M: +44 7911 123456", None, "+447911123456"),
        ("(work) 020 7946 0958", "GB", "+442079460958"),
        # Two numbers in one cell: the first is the phone (it was none before).
        ("030 1234567 / 0151 12345678", "DE", "+49301234567"),
        ("+44 20 7946 0958; +44 7911 123456", None, "+442079460958"),
        ("020 7946 0958 or 07911 123456", "GB", "+442079460958"),
        # A slash inside one number is no second number.
        ("030/1234567", "DE", "+49301234567"),
        ("+49 151/12345678", None, "+4915112345678"),
    ],
)
def test_labels_and_a_second_number_leave_the_phone_readable(
    raw: str, region: str | None, e164: str
) -> None:
    row = _one(raw, region)
    assert row["phone_e164"] == e164
    assert not row[frame.flag("phone.invalid")]


def test_region_comes_from_country_code_then_default() -> None:
    out = _run(["020 7946 0958", "020 7946 0958", "030 1234567"], ["GB", None, "de"], None, "GB")
    assert out.get_column("phone_e164").to_list() == [
        "+442079460958",
        "+442079460958",
        "+49301234567",
    ]


def test_national_number_without_any_region_is_invalid_not_guessed() -> None:
    row = _one("415 555 2671", None)
    assert row["phone_e164"] is None
    assert _raised(row) == {"invalid"}


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("447911123456", "+447911123456"),
        ("4915123456789", "+4915123456789"),
        ("33612345678", "+33612345678"),
        ("447911123456.0", "+447911123456"),
    ],
)
def test_without_any_region_long_digits_are_read_as_if_plus_were_written(
    raw: str, e164: str
) -> None:
    # A spreadsheet ate the "+"; nothing in the row or the file names a country.
    assert _one(raw, None)["phone_e164"] == e164


@pytest.mark.parametrize("raw", ["15123456789", "14155552671", "4155552671", "7911123456"])
def test_without_any_region_digits_that_may_be_national_stay_invalid(raw: str) -> None:
    # 151... is a German mobile without its 0 as often as +1 512...; ten digits are
    # a national number somewhere.
    assert _one(raw, None)["phone_e164"] is None


def test_unknown_country_code_falls_back_to_default_region() -> None:
    out = _run(["415 555 2671"], ["ZZ"], default_region="US")
    assert out.item(0, "phone_e164") == "+14155552671"


def test_frame_without_country_code_uses_default_region() -> None:
    lf = pl.LazyFrame({frame.raw("phone"): ["020 7946 0958"], frame.raw("mobile"): [None]})
    out = normalize_phone(lf, "GB").collect()
    assert out.item(0, "phone_e164") == "+442079460958"


def test_possible_only_number_is_never_converted() -> None:
    row = _one("555-1234", "US")
    assert row["phone_e164"] is None
    assert row["phone_type"] is None
    assert _raised(row) == {"possible_only"}


@pytest.mark.parametrize(
    ("raw", "region"),
    [("12", "US"), ("call me", "US"), ("+44 20 7946 09581234", None), ("+999 1234567", None)],
)
def test_invalid_numbers(raw: str, region: str | None) -> None:
    row = _one(raw, region)
    assert row["phone_e164"] is None
    assert _raised(row) == {"invalid"}


@pytest.mark.parametrize(
    ("raw", "extension"),
    [
        ("+1 415 555 2671 ext. 45", "45"),
        ("+1 415 555 2671 x123", "123"),
        ("+1 415-555-2671x7", "7"),
        ("+1 415 555 2671 #12", "12"),
        ("+1 415 555 2671, Ext: 300", "300"),
        ("+1 415 555 2671 extension 9", "9"),
        ("tel:+1-415-555-2671;ext=12", "12"),
    ],
)
def test_extension_is_kept_apart(raw: str, extension: str) -> None:
    row = _one(raw)
    assert row["phone_extension"] == extension
    assert row["phone_e164"] == "+14155552671"


@pytest.mark.parametrize(
    "raw",
    [None, "", "  ", "n/a", "N/A", "-", "none", "None", "null", "tel:", "#N/A", " #n/a "],
)
def test_missing_raises_only_the_missing_flag(raw: str | None) -> None:
    row = _one(raw, "US")
    assert row["phone_e164"] is None
    assert _raised(row) == {"missing"}


@pytest.mark.parametrize("raw", ["4.47911E+11", "4,47911E+11", "4.47911e+11", "4.4791112345E+11"])
def test_scientific_notation_is_mangled_and_never_converted(raw: str) -> None:
    row = _one(raw, "GB")
    assert row["phone_e164"] is None
    assert _raised(row) == {"mangled"}


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("447911000000", "GB"),
        ("4915120000000", "DE"),
        ("447911000000.0", "GB"),
        ("33612000000", None),
    ],
)
def test_digits_rounded_away_by_a_spreadsheet_are_mangled_and_never_converted(
    raw: str, region: str | None
) -> None:
    # 4.47911E+11 saved back as a number: six zeros where the digits were.
    row = _one(raw, region)
    assert row["phone_e164"] is None
    assert _raised(row) == {"mangled"}


@pytest.mark.parametrize("raw", ["+44 20 7946 0000", "020 7000 0000", "+4930200000"])
def test_a_number_ending_in_zeros_as_typed_is_no_rounding(raw: str) -> None:
    assert _one(raw, "GB" if raw.startswith("0") else None)["phone_e164"] is not None


def test_lost_leading_zero_is_mangled_and_restored() -> None:
    # An Italian landline typed into a numeric cell: 06 1234 5678 -> 612345678.
    row = _one("612345678", "IT")
    assert row["phone_e164"] == "+390612345678"
    assert _raised(row) == {"mangled"}


def test_number_valid_as_typed_is_not_mangled() -> None:
    # UK numbers are valid without their trunk zero: nothing was lost.
    row = _one("7911123456", "GB")
    assert row["phone_e164"] == "+447911123456"
    assert _raised(row) == set()


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("0000000000", "US"),
        ("000000", None),
        ("1234567", "US"),
        ("123456789", "DE"),
        ("1234567890", "US"),
        ("9876543210", "IN"),
        ("5555555555", "US"),
        ("+44 1111 111111", None),
        ("(415) 555-0132", "US"),  # NANP 555-01xx: reserved for fiction
        ("+1 212 555 0199", None),
    ],
)
def test_fake_numbers(raw: str, region: str | None) -> None:
    assert "fake" in _raised(_one(raw, region))


def test_fictional_range_is_still_converted_but_flagged() -> None:
    row = _one("(415) 555-0132", "US")
    assert row["phone_e164"] == "+14155550132"
    assert _raised(row) == {"fake"}


@pytest.mark.parametrize(
    ("raw", "region"),
    [("(415) 555-2671", "US"), ("+1 212 555 0200", None), ("020 7946 0958", "GB"), ("12345", "US")],
)
def test_real_numbers_are_not_fake(raw: str, region: str | None) -> None:
    assert "fake" not in _raised(_one(raw, region))


def test_mobile_column_gets_its_own_e164_without_flags() -> None:
    out = _run(["020 7946 0958"], ["GB"], ["07911 123456"])
    row = out.row(0, named=True)
    assert (row["phone_e164"], row["mobile_e164"]) == ("+442079460958", "+447911123456")
    assert "flag.mobile.invalid" not in out.columns


def test_blank_phone_takes_the_mobile_value() -> None:
    out = _run([None, "", "n/a", "020 7946 0958"], ["GB"] * 4, ["07911 123456"] * 4)
    assert out.get_column("phone_e164").to_list() == ["+447911123456"] * 3 + ["+442079460958"]
    assert out.get_column("phone_type").to_list() == ["mobile"] * 3 + ["fixed_line"]
    assert not out.get_column(frame.flag("phone.missing")).any()


def test_invalid_phone_does_not_fall_back_to_the_mobile() -> None:
    row = _run(["12"], ["GB"], ["07911 123456"]).row(0, named=True)
    assert row["phone_e164"] is None
    assert row["mobile_e164"] == "+447911123456"
    assert _raised(row) == {"invalid"}


def test_every_flag_is_boolean_and_never_null() -> None:
    out = _run([None, "x", "555-1234", "4.47911E+11", "+14155552671"], ["US"] * 5)
    for name in FLAGS:
        column = out.get_column(frame.flag(f"phone.{name}"))
        assert column.dtype == pl.Boolean
        assert column.null_count() == 0


def test_rows_keep_their_order_and_only_columns_are_added() -> None:
    phones = ["020 7946 0958", None, "07911 123456", "020 7946 0958"] * 5
    out = _run(phones, ["GB"] * 20)
    assert out.get_column(frame.raw("phone")).to_list() == phones
    assert out.get_column(frame.SOURCE_ROW).to_list() == list(range(1, 21))
    assert not [c for c in out.columns if c.startswith("_")]


def test_same_digits_in_different_regions_are_looked_up_apart() -> None:
    out = _run(["0612345678", "0612345678"], ["FR", "NL"])
    assert out.get_column("phone_e164").to_list() == ["+33612345678", "+31612345678"]


def test_check_number_agrees_with_phonenumbers_on_a_plain_number() -> None:
    parsed = phonenumbers.parse("+442079460958")
    checked = check_number("+442079460958", "US")
    assert checked["e164"] == phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.E164
    )
    assert checked["type"] == "fixed_line"


def test_library_is_called_once_per_distinct_key_and_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, str | None]] = []

    def counting(
        key: str, region: str | None, lead: str | None = None
    ) -> dict[str, str | bool | None]:
        calls.append((key, region))
        return check_number(key, region, lead)

    monkeypatch.setattr(phone_module, "check_number", counting)
    phones = ["020 7946 0958", "020-7946-0958", "(020) 7946 0958", "4.47911E+11", None]
    _run(phones * 4, ["GB", "GB", "GB", "GB", "GB"] * 3 + ["FR"] * 5)
    assert sorted(calls) == [("02079460958", "FR"), ("02079460958", "GB")]


def test_a_number_written_with_plus_is_looked_up_once_whatever_the_rows_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A "+" key reads the same under every region (test_phone_library_agreement
    holds check_number to that), so the stage asks once; "00" keys still depend on it.
    (The national prefix after the calling code leaves these numbers to the library:
    phone_patterns settles plain ones without a call.)"""
    calls: list[tuple[str, str | None]] = []

    def counting(
        key: str, region: str | None, lead: str | None = None
    ) -> dict[str, str | bool | None]:
        calls.append((key, region))
        return check_number(key, region, lead)

    monkeypatch.setattr(phone_module, "check_number", counting)
    phones = ["+44 (0)20 7946 0958"] * 3 + ["0044 (0)20 7946 0958"] * 2
    out = _run(phones, ["GB", "FR", None, "GB", "FR"])
    assert out.get_column("phone_e164").to_list() == ["+442079460958"] * 5
    assert sorted(calls, key=str) == [
        ("+4402079460958", None),
        ("004402079460958", "FR"),
        ("004402079460958", "GB"),
    ]


def test_whole_frame_example() -> None:
    out = _run(
        ["+1 415 555 2671 ext. 45", "555-1234", "4.47911E+11", None],
        ["US", "US", "GB", "GB"],
        [None, None, None, "+44 7911 123456"],
    ).select("phone_e164", "phone_type", "phone_extension", "mobile_e164")
    expected = pl.DataFrame(
        {
            "phone_e164": ["+14155552671", None, None, "+447911123456"],
            "phone_type": ["fixed_line_or_mobile", None, None, "mobile"],
            "phone_extension": ["45", None, None, None],
            "mobile_e164": [None, None, None, "+447911123456"],
        }
    )
    assert_frame_equal(out, expected)


def test_a_huge_digit_field_is_read_as_data_never_as_a_pattern() -> None:
    # A cell of five million digits (a corrupt export) once became a regular
    # expression in the made-up-number check and crashed the run.
    huge = "49" + "3" * 5_000_000
    rows = _run([huge, "+49 30 901820"], ["DE", "DE"])
    assert rows.height == 2
    assert rows.row(0, named=True)[frame.flag("phone.invalid")] is True
    assert rows.row(1, named=True)[Col.PHONE_E164] == "+4930901820"


def test_made_up_runs_agree_with_a_plain_substring_check() -> None:
    ascending, descending = "01234567890123456789", "98765432109876543210"
    samples = [ascending[i : i + n] for i in range(20) for n in range(1, 21 - i)]
    samples += [descending[i : i + n] for i in range(20) for n in range(1, 21 - i)]
    samples += ["0123456780", "1234567899", "3456789012", "9876543211", "4915118674829"]
    found = (
        pl.DataFrame({"digits": samples})
        .select(phone_module._fake_digits(pl.col("digits")))
        .to_series()
        .to_list()
    )
    expected = [
        (len(s) >= 5 and len(set(s)) == 1) or (len(s) >= 6 and (s in ascending or s in descending))
        for s in samples
    ]
    assert found == expected


def _with_context(
    rows: Sequence[tuple[str, str | None, str | None, str]], default_region: str | None = None
) -> pl.DataFrame:
    """rows: (phone, country_code, email_domain, source_file)."""
    phones, countries, domains, files = (list(column) for column in zip(*rows, strict=True))
    lf = pl.LazyFrame(
        {
            frame.raw("phone"): phones,
            frame.raw("mobile"): [None] * len(rows),
            "country_code": countries,
            "email_domain": domains,
            frame.SOURCE_FILE: files,
        },
        schema={
            frame.raw("phone"): pl.String,
            frame.raw("mobile"): pl.String,
            "country_code": pl.String,
            "email_domain": pl.String,
            frame.SOURCE_FILE: pl.String,
        },
    )
    return normalize_phone(lf, default_region).collect()


def _decided(out: pl.DataFrame) -> list[tuple[str | None, str | None, bool]]:
    return list(
        zip(
            out.get_column(Col.PHONE_E164).to_list(),
            out.get_column("phone_region_source").to_list(),
            out.get_column(frame.flag("phone.region_guessed")).to_list(),
            strict=True,
        )
    )


def test_a_number_that_already_carries_its_countrys_code_is_not_doubled() -> None:
    """``calling_code`` is the source only where reading the digits as a national
    number would have given another number or none; phonenumbers itself strips a
    code it recognises (``49 30 901820``)."""
    out = _with_context(
        [
            ("4915118674829", "DE", None, "a.csv"),  # never +494915118674829
            ("49 30 901820", "DE", None, "a.csv"),
            ("33 6 12 34 56 78", "FR", None, "a.csv"),
            ("030 901820", "DE", None, "a.csv"),  # a trunk 0: national, read as written
        ]
    )
    assert _decided(out) == [
        ("+4915118674829", "calling_code", False),
        ("+4930901820", "country", False),
        ("+33612345678", "country", False),
        ("+4930901820", "country", False),
    ]


def test_region_order_prefix_country_email_file_default() -> None:
    out = _with_context(
        [
            ("+44 20 7946 0958", "DE", "acme.fr", "a.csv"),
            ("0044 20 7946 0958", None, None, "b.csv"),
            ("020 7946 0958", "GB", "acme.de", "d.csv"),
            ("030 901820", None, "acme.de", "b.csv"),
            ("020 7946 0958", None, "pimenta.co.uk", "b.csv"),
            ("(11) 98765-4321", None, "pimenta.com.br", "b.csv"),
            ("030 901820", None, "gmail.com", "a.csv"),  # a.csv: mostly DE
            ("030 901820", None, "startup.io", "a.csv"),  # .io says nothing
            ("020 7946 0958", None, None, "c.csv"),  # c.csv names no country
        ],
        default_region="GB",
    )
    assert _decided(out) == [
        ("+442079460958", "prefix", False),
        ("+442079460958", "prefix", False),
        ("+442079460958", "country", False),
        ("+4930901820", "email_domain", True),
        ("+442079460958", "email_domain", True),
        ("+5511987654321", "email_domain", True),
        ("+4930901820", "file_country", True),
        ("+4930901820", "file_country", True),
        ("+442079460958", "default_region", False),
    ]


def test_file_country_needs_a_majority_of_the_file() -> None:
    out = _with_context(
        [
            ("030 901820", "DE", None, "a.csv"),
            ("020 7946 0958", "GB", None, "a.csv"),
            ("030 901820", None, None, "a.csv"),
        ]
    )
    assert _decided(out)[2] == (None, None, False)


def test_region_guessed_only_when_the_guess_made_the_number_valid() -> None:
    out = _with_context([("12", None, "acme.de", "a.csv"), ("+4930901820", None, "x.de", "a.csv")])
    assert out.get_column(frame.flag("phone.region_guessed")).to_list() == [False, False]
    assert out.get_column("phone_region_source").to_list() == ["email_domain", "prefix"]


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("(+44) 7911 123468", "GB", "+447911123468"),  # the country code in brackets
        ("(+49) 151 1234 5678", None, "+4915112345678"),
        ("447911123456.0", "GB", "+447911123456"),  # an Excel number saved as text
        ("+44 7911 123456.0", None, "+447911123456"),
        ("0151 12345678.0", "DE", "+4915112345678"),
    ],
)
def test_a_bracketed_country_code_and_an_excel_decimal_are_read(
    raw: str, region: str | None, e164: str
) -> None:
    """Both were phone.invalid, and the number was gone from the accepted file."""
    row = _one(raw, region)
    assert row[Col.PHONE_E164] == e164
    assert "invalid" not in _raised(row)


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        # Germany's open plan reads all of these as German numbers of its own.
        ("44 7911 123458", "DE", "+447911123458"),
        ("33 6 12 34 56 78", "DE", "+33612345678"),
        ("48 48 123 45 67", "DE", "+48481234567"),
        ("(44) 7911 123458", "DE", "+447911123458"),
        ("44-7911-123458", "DE", "+447911123458"),
        # Invalid as the row's own number: the calling code makes them valid.
        ("33 6 12 34 56 78", "GB", "+33612345678"),
        ("49 151 23456789", "FR", "+4915123456789"),
        ("41 79 123 45 67", "AT", "+41791234567"),
    ],
)
def test_a_foreign_calling_code_written_apart_without_plus_is_international(
    raw: str, region: str, e164: str
) -> None:
    """The "+" is missing, not the country: in a country whose numbers are written with
    a trunk 0, digits without it that start with another country's calling code,
    written apart, are that country's number."""
    row = _one(raw, region)
    assert (row[Col.PHONE_E164], row[Col.PHONE_REGION_SOURCE]) == (e164, "calling_code")
    assert _raised(row) == set()


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        # Typed with the trunk 0: the row's country's number, however long.
        ("04479 11123458", "DE", "+49447911123458"),
        # A German mobile without its 0 is also +1 512 ...: a closed plan's own
        # reading (mobiles have two lengths) stands, whatever the first group.
        ("151 23456789", "DE", "+4915123456789"),
        ("1 512 345 6789", "DE", "+4915123456789"),
        # Unspaced digits may be a German number whose 0 a spreadsheet dropped.
        ("447911123458", "DE", "+49447911123458"),
        # Closed plans: a London and a Zurich number without the 0 are also Egyptian
        # and Austrian numbers written with their codes.
        ("20 3123 4567", "GB", "+442031234567"),
        ("43 123 45 67", "CH", "+41431234567"),
        # No trunk prefix written in the country: the number is left as it was.
        ("44 7911 123458", "US", None),
        ("44 7911 123458", "IT", None),
        ("33 6 12 34 56 78", "BR", None),
    ],
)
def test_the_rows_own_reading_stands_without_evidence_of_a_missing_plus(
    raw: str, region: str, e164: str | None
) -> None:
    assert _one(raw, region)[Col.PHONE_E164] == e164


@pytest.mark.parametrize("raw", ["48 48 123 45 67", "48 123 45 67", "48481234567", "481234567"])
def test_a_polish_number_in_the_area_that_shares_the_calling_code_keeps_it(raw: str) -> None:
    """Radom's area code is 48, Poland's calling code: "48 48 ..." carries the code,
    "48 123 45 67" is the national number; both are +48 48 123 45 67."""
    assert _one(raw, "PL")[Col.PHONE_E164] == "+48481234567"
