"""Differential tests: the phone stage against phonenumbers on the raw cells.

The stage reduces each cell to a lookup key (``+`` and digits, extension apart) and
settles digitless cells without the library. Here thousands of numbers per region,
written the ways people write them, go through both the stage and a plain
``phonenumbers.parse(cell, region)``: where the library finds a valid number the stage
must give the same E.164; where it does not, the stage may convert only by its two
documented rules (an international prefix the region does not use, a lost leading
zero, which is flagged mangled).
"""

from __future__ import annotations

import random
import string

import phonenumbers
import polars as pl
import pytest
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from leadtriage import frame
from leadtriage.normalize.phone import normalize_phone

REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "IN", "BR", "AU", "JP")
_SEED = 20261127
_TYPES = (
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.VOIP,
)
_FORMATS = (
    PhoneNumberFormat.NATIONAL,
    PhoneNumberFormat.INTERNATIONAL,
    PhoneNumberFormat.E164,
    PhoneNumberFormat.RFC3966,
)


def _numbers_for(region: str, count: int) -> list[str]:
    """Example numbers of the region with their last digits redrawn (so some are valid,
    some merely possible, some neither), in the formats people type."""
    rng = random.Random(f"{_SEED}-{region}")
    examples = [
        example
        for kind in _TYPES
        if (example := phonenumbers.example_number_for_type(region, kind)) is not None
    ]
    cells = []
    for _ in range(count):
        number = phonenumbers.PhoneNumber()
        number.merge_from(rng.choice(examples))
        national = str(number.national_number)
        tail = rng.randint(1, min(6, len(national) - 1))
        redrawn = national[:-tail] + "".join(rng.choice(string.digits) for _ in range(tail))
        number.national_number = int(redrawn)
        cell = phonenumbers.format_number(number, rng.choice(_FORMATS))
        shape = rng.random()
        if shape < 0.1:
            cell = cell.replace(" ", "")
        elif shape < 0.2:
            cell = cell.replace(" ", "-")
        elif shape < 0.25:
            cell = f"{cell} ext. {rng.randint(1, 9999)}"
        elif shape < 0.3:
            cell = cell[: -rng.randint(1, 3)]
        elif shape < 0.35:
            cell = cell + rng.choice(string.digits)
        cells.append(cell)
    return cells


def _library_e164(cell: str, region: str) -> str | None:
    try:
        parsed = phonenumbers.parse(cell, region)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def _stage(cells: list[str], region: str) -> pl.DataFrame:
    lf = pl.LazyFrame(
        {frame.raw("phone"): cells, frame.raw("mobile"): [None] * len(cells)},
        schema={frame.raw("phone"): pl.String, frame.raw("mobile"): pl.String},
    )
    return normalize_phone(lf, region).collect()


@pytest.mark.parametrize("region", REGIONS)
def test_stage_agrees_with_phonenumbers(region: str) -> None:
    cells = _numbers_for(region, 800)
    out = _stage(cells, region)
    disagreements: list[tuple[str, str | None, str | None]] = []
    for cell, e164, mangled in zip(
        cells,
        out.get_column("phone_e164").to_list(),
        out.get_column(frame.flag("phone.mangled")).to_list(),
        strict=True,
    ):
        expected = _library_e164(cell, region)
        if expected is not None and e164 != expected:
            disagreements.append((cell, e164, expected))
        documented_rescue = mangled or cell.startswith(("00", "011"))
        if expected is None and e164 is not None and not documented_rescue:
            disagreements.append((cell, e164, expected))
    assert disagreements == []


@pytest.mark.parametrize("region", REGIONS)
def test_generated_numbers_cover_valid_and_invalid(region: str) -> None:
    """Guards the test above: it must see both verdicts in every region."""
    verdicts = [_library_e164(cell, region) is not None for cell in _numbers_for(region, 800)]
    assert 10 <= sum(verdicts) <= len(verdicts) - 10


def test_digitless_cells_are_never_numbers_to_phonenumbers() -> None:
    """The stage settles cells without a digit as invalid without the library."""
    rng = random.Random(_SEED)
    alphabet = string.ascii_letters + "+-()./#*x ext.,;:'\"" + "äöüéÉ名字ー－（）"
    cells = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 20))) for _ in range(3000)]
    cells += ["FLOWERS", "CALL-ME-NOW", "+ABC DEF GHIJ", "tel:+ONE"]
    for region in REGIONS:
        out = _stage(cells, region)
        assert out.get_column("phone_e164").null_count() == len(cells)
        for cell in cells:
            assert _library_e164(cell, region) is None, cell


def test_unicode_digits_still_reach_the_library() -> None:
    out = _stage(["４１５ ５５５ ２６７１", "٤١٥٥٥٥٢٦٧١"], "US")
    assert out.get_column("phone_e164").to_list() == ["+14155552671", "+14155552671"]
