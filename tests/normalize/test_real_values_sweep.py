"""Values real exports hold that the normalise stages once read wrong.

Each test names the export habit behind its values: a spreadsheet's text marker, a
cell quoted twice, a legal form written without a space. They sit together because
they were found together, by feeding each stage what contact lists really carry.
"""

from __future__ import annotations

import pytest

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
