"""Differential tests: the phone stage against phonenumbers on the raw cells.

The stage reduces each cell to a lookup key (``+`` and digits, extension apart) and
settles digitless cells without the library. Here thousands of numbers per region,
written the ways people write them, go through both the stage and a plain
``phonenumbers.parse(cell, region)``: where the library finds a valid number the stage
must give the same E.164; where it does not, the stage may convert only by its two
documented rules (an international prefix the region does not use, a lost leading
zero, which is flagged mangled).

A third rule reads a foreign calling code written apart without "+" ("44 7911 123458"
in a German row) as international even where the library finds the row's country's
number: those cells are generated apart (`_foreign_cells`) and held to
``check_number`` and to a reference written with the public functions.
"""

from __future__ import annotations

import random
import re
import string

import phonenumbers
import polars as pl
import pytest
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from leadtriage import frame
from leadtriage.normalize import phone as phone_module
from leadtriage.normalize.phone import check_number, normalize_phone

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


# Regions that share a calling code with others (+1, +44, +7, +39, +358, +47, +61,
# +212, +262, +590, +599), where the stage's region lookup and type come from one pass.
SHARED_CODE_REGIONS = (
    "US", "CA", "JM", "PR", "BS", "GB", "GG", "IM", "JE", "RU", "KZ", "IT", "VA",
    "FI", "AX", "NO", "SJ", "AU", "CX", "CC", "MA", "EH", "RE", "YT", "GP", "BL",
    "MF", "CW", "BQ",
)  # fmt: skip


def _parsed_numbers(count_per_region: int) -> list[phonenumbers.PhoneNumber]:
    """Numbers around the examples of many regions and of the non-geographic calling
    codes (+800, +882 ...): valid, invalid, and valid in a neighbouring region."""
    rng = random.Random(_SEED)
    cells = [(cell, region) for region in REGIONS for cell in _numbers_for(region, 200)]
    cells += [
        (cell, region) for region in SHARED_CODE_REGIONS for cell in _numbers_for(region, 200)
    ]
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        example = phonenumbers.example_number_for_non_geo_entity(code)
        if example is None:
            continue
        national = str(example.national_number)
        for _ in range(count_per_region):
            tail = rng.randint(1, min(4, len(national) - 1))
            redrawn = national[:-tail] + "".join(rng.choice(string.digits) for _ in range(tail))
            cells.append((f"+{code}{redrawn}", "ZZ"))
    parsed = []
    for cell, region in cells:
        try:
            parsed.append(phonenumbers.parse(cell, region))
        except NumberParseException:
            continue
    return parsed


def test_validity_and_type_agree_with_phonenumbers() -> None:
    """The stage takes validity and type from one pass over phonenumbers' metadata;
    ``is_valid_number`` and ``number_type`` must say the same for every number."""
    numbers = _parsed_numbers(200)
    valid_count = 0
    for number in numbers:
        verdict = phone_module._verdict(number)
        if phonenumbers.is_valid_number(number):
            valid_count += 1
            assert verdict is not None, number
            assert verdict[1] == phonenumbers.national_significant_number(number), number
            assert verdict[2] == phonenumbers.number_type(number), number
        else:
            assert verdict is None, number
    assert 500 <= valid_count <= len(numbers) - 500


def _reference_trunk_prefix(region: str) -> str | None:
    """The region's trunk prefix when its example fixed-line and mobile numbers are
    written with it in national format."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = metadata.national_prefix if metadata is not None else None
    examples = [
        phonenumbers.example_number_for_type(region, kind)
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE)
    ]
    national = [
        re.sub(r"\D", "", phonenumbers.format_number(e, PhoneNumberFormat.NATIONAL))
        for e in examples
        if e is not None
    ]
    if not prefix or not national or not all(n.startswith(prefix) for n in national):
        return None
    return prefix


def _reference_open_plan(region: str, number: phonenumbers.PhoneNumber) -> bool:
    """Numbers of this one's type in ``region`` come in five lengths or more."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    assert metadata is not None
    descs = {
        PhoneNumberType.FIXED_LINE: metadata.fixed_line,
        PhoneNumberType.FIXED_LINE_OR_MOBILE: metadata.fixed_line,
        PhoneNumberType.MOBILE: metadata.mobile,
        PhoneNumberType.TOLL_FREE: metadata.toll_free,
        PhoneNumberType.PREMIUM_RATE: metadata.premium_rate,
        PhoneNumberType.SHARED_COST: metadata.shared_cost,
        PhoneNumberType.VOIP: metadata.voip,
        PhoneNumberType.PERSONAL_NUMBER: metadata.personal_number,
        PhoneNumberType.PAGER: metadata.pager,
        PhoneNumberType.UAN: metadata.uan,
        PhoneNumberType.VOICEMAIL: metadata.voicemail,
    }
    desc = descs.get(phonenumbers.number_type(number))
    if desc is None or not desc.possible_length:
        desc = metadata.general_desc
    assert desc is not None
    return len([n for n in desc.possible_length if n > 0]) >= 5


def _reference_check(
    key: str, region: str | None, lead: str | None = None
) -> dict[str, str | bool | None]:
    """``check_number`` as written with the public functions only (its first version,
    and the foreign calling code written apart as ``lead``)."""

    def parse(text: str, default: str | None) -> phonenumbers.PhoneNumber | None:
        try:
            return phonenumbers.parse(text, None if text.startswith("+") else default)
        except NumberParseException:
            return None

    def e164(number: phonenumbers.PhoneNumber | None) -> str | None:
        return (
            None if number is None else phonenumbers.format_number(number, PhoneNumberFormat.E164)
        )

    parsed = parse(key, region)
    valid = parsed if parsed is not None and phonenumbers.is_valid_number(parsed) else None
    how = None
    if valid is not None:
        digits = e164(valid)[1:]  # type: ignore[index]
        written = key.startswith("+") or key in (f"00{digits}", f"011{digits}")
        how = "prefix" if written else "region"
    if region is not None and key.isdigit() and not key.startswith("0"):
        code = str(phonenumbers.country_code_for_region(region))
        with_code = parse("+" + key, None) if code != "0" and key.startswith(code) else None
        if (
            with_code is not None
            and phonenumbers.is_valid_number(with_code)
            and e164(with_code) != e164(valid)
        ):
            valid, how = with_code, "calling_code"
    if valid is None:
        for prefix in ("00", "011"):
            if valid is None and key.startswith(prefix) and key.isdigit():
                rescued = parse("+" + key[len(prefix) :], None)
                if rescued is not None and phonenumbers.is_valid_number(rescued):
                    valid, how = rescued, "prefix"
    # No country known: eleven digits or more not led by 0 or 1 may have lost a "+".
    if valid is None and region is None and key.isdigit() and 11 <= len(key) <= 15:
        rescued = parse("+" + key, None) if key[0] not in "01" else None
        if rescued is not None and phonenumbers.is_valid_number(rescued):
            valid, how = rescued, "calling_code"
    lost_zero = False
    if valid is None and region is not None and key.isdigit() and not key.startswith("0"):
        restored = parse("0" + key, region)
        if restored is not None and phonenumbers.is_valid_number(restored):
            valid, lost_zero, how = restored, True, "region"
    trunk = _reference_trunk_prefix(region) if region is not None else None
    if (
        lead is not None
        and region is not None
        and trunk is not None
        and how in (None, "region")
        and not lost_zero
        and key.isdigit()
        and key.startswith(lead)
        and not key.startswith(trunk)
        and lead != str(phonenumbers.country_code_for_region(region))
        and (valid is None or _reference_open_plan(region, valid))
    ):
        foreign = parse("+" + key, None)
        if (
            foreign is not None
            and phonenumbers.is_valid_number(foreign)
            and str(foreign.country_code) == lead
        ):
            valid, how = foreign, "calling_code"
    shown = valid if valid is not None else parsed
    type_name = None
    if valid is not None:
        type_name = phone_module._TYPE_NAMES.get(phonenumbers.number_type(valid))
    return {
        "e164": None
        if valid is None
        else phonenumbers.format_number(valid, PhoneNumberFormat.E164),
        "type": type_name,
        "possible": parsed is not None and phonenumbers.is_possible_number(parsed),
        "lost_zero": lost_zero,
        "national": None if shown is None else phonenumbers.national_significant_number(shown),
        "extension": None if shown is None else shown.extension,
        "how": how,
    }


def test_check_number_agrees_with_the_public_functions() -> None:
    """Every field the stage reads, on keys as the stage builds them (``+`` and digits,
    digits only, with international prefixes and lost zeros). ``possible`` is read
    only for numbers left invalid, and only computed for those."""
    rng = random.Random(_SEED)
    pairs: list[tuple[str, str | None]] = []
    for region in REGIONS + SHARED_CODE_REGIONS:
        for cell in _numbers_for(region, 150):
            plus = "+" if cell.lstrip().startswith("+") else ""
            digits = "".join(ch for ch in cell.split(" ext.")[0] if ch.isdigit())
            key = plus + digits
            shape = rng.random()
            if plus and shape < 0.2:
                key = "00" + digits
            elif plus and shape < 0.3:
                key = "011" + digits
            elif not plus and shape < 0.4 and key.startswith("0"):
                key = key[1:]
            pairs.append((key, rng.choice((region, region, None))))
    for key, row_region in pairs:
        expected = _reference_check(key, row_region)
        actual = check_number(key, row_region)
        if actual["possible"] is None:  # only when the key as written is valid
            written = phonenumbers.parse(key, None if key.startswith("+") else row_region)
            assert phonenumbers.is_valid_number(written), (key, row_region)
            assert actual["e164"] == expected["e164"], (key, row_region)
            expected["possible"] = None
        assert actual == expected, (key, row_region)


def test_a_key_written_with_plus_reads_the_same_under_every_region() -> None:
    """The stage looks such a key up once, without the row's region: check_number
    must give the same answer under any region and none (valid, invalid, possible
    only, vanity and shared-calling-code numbers)."""
    keys = ["+18003569377", "+1-800-FLOWERS", "+44", "+0044 20", "+999123456"]
    for region in REGIONS + SHARED_CODE_REGIONS:
        for cell in _numbers_for(region, 40):
            digits = "".join(ch for ch in cell.split(" ext.")[0] if ch.isdigit())
            keys.append("+" + digits)
    for key in keys:
        alone = check_number(key, None)
        for region in (*REGIONS, *SHARED_CODE_REGIONS):
            assert check_number(key, region) == alone, (key, region)


# Rows of countries that write a trunk 0 with open plans (DE, AT, FI) and closed ones
# (GB, FR, CH, NL, SE: 7 to 9 digits), and of countries that write none (US, IT, PL, BR).
ROW_REGIONS = ("DE", "AT", "FI", "GB", "FR", "CH", "NL", "SE", "US", "IT", "PL", "BR")
FOREIGN_REGIONS = ("GB", "FR", "DE", "AT", "CH", "NL", "IT", "PL", "US", "SE", "ES", "IE")
_FOREIGN_COUNT = 150
_FIRST_GROUP = re.compile(r"^\(?(\d{1,3})(?:\)|[\s./-])")


def _foreign_cells(row_region: str, country: str, count: int) -> list[str]:
    """Numbers of ``country`` (valid and not, around its example numbers) written
    with the calling code and no "+": apart as in international format, with
    hyphens, the code in brackets, or unspaced; and the row's own numbers written
    without their trunk prefix, whose first group may be a calling code too."""
    rng = random.Random(f"{_SEED}-{row_region}-{country}")
    cells = []
    for cell in _numbers_for(country, count):
        text = cell.split(" ext.")[0]
        try:
            number = phonenumbers.parse(text.removeprefix("tel:"), country)
        except NumberParseException:
            continue
        number.extension = None
        written = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)[1:]
        shape = rng.random()
        if shape < 0.5:
            cells.append(written)
        elif shape < 0.6:
            cells.append(written.replace(" ", "-"))
        elif shape < 0.7:
            code, _, rest = written.partition(" ")
            cells.append(f"({code}) {rest}")
        else:
            cells.append(written.replace(" ", ""))
    trunk = _reference_trunk_prefix(row_region) or ""
    for cell in _numbers_for(row_region, count // 3):
        text = cell.split(" ext.")[0]
        if trunk and text.startswith(trunk):
            cells.append(text[len(trunk) :].lstrip())
    return cells


def _key_and_lead(cell: str) -> tuple[str, str | None]:
    group = _FIRST_GROUP.match(cell)
    return "".join(ch for ch in cell if ch.isdigit()), group.group(1) if group else None


@pytest.mark.parametrize("row_region", ROW_REGIONS)
def test_a_foreign_calling_code_reads_as_check_number_reads_it(row_region: str) -> None:
    """The stage passes the cell's first group to ``check_number`` only where it can
    matter (a calling code, in a country writing a trunk prefix): its verdict must be
    the one ``check_number`` gives the cell's key and first group, whatever they are,
    and that must be the reference's."""
    cells = [
        c
        for country in FOREIGN_REGIONS
        for c in _foreign_cells(row_region, country, _FOREIGN_COUNT)
    ]
    out = _stage(cells, row_region)
    disagreements = []
    for cell, e164, source in zip(
        cells,
        out.get_column("phone_e164").to_list(),
        out.get_column("phone_region_source").to_list(),
        strict=True,
    ):
        key, lead = _key_and_lead(cell)
        checked = check_number(key, row_region, lead)
        if (e164, source == "calling_code") != (checked["e164"], checked["how"] == "calling_code"):
            disagreements.append((cell, e164, checked["e164"]))
        reference = _reference_check(key, row_region, lead)
        if checked["possible"] is None:
            reference["possible"] = None
        if checked != reference:
            disagreements.append((cell, checked, reference))
    assert disagreements == []


def test_foreign_cells_cover_every_reading() -> None:
    """Guards the test above: the cells take each way through the rule. Read as
    international because the row's reading is invalid, or valid only in an open
    plan; kept as the row's number, valid both ways, because its closed plan reads it
    validly, because the digits are unspaced, or because the country writes no trunk
    prefix."""
    seen: dict[str, int] = {}

    def count(what: str) -> None:
        seen[what] = seen.get(what, 0) + 1

    for row_region in ROW_REGIONS:
        for country in FOREIGN_REGIONS:
            for cell in _foreign_cells(row_region, country, _FOREIGN_COUNT):
                key, lead = _key_and_lead(cell)
                checked = check_number(key, row_region, lead)
                national = _library_e164(key, row_region)
                foreign = _library_e164("+" + key, row_region)
                if checked["how"] == "calling_code" and not key.startswith(
                    str(phonenumbers.country_code_for_region(row_region))
                ):
                    count("foreign, row's invalid" if national is None else "foreign, open plan")
                elif national is not None and foreign is not None and national != foreign:
                    if _reference_trunk_prefix(row_region) is None:
                        count("kept, no trunk prefix")
                    else:
                        count("kept, closed plan" if lead is not None else "kept, unspaced")
    assert set(seen) == {
        "foreign, row's invalid",
        "foreign, open plan",
        "kept, closed plan",
        "kept, unspaced",
        "kept, no trunk prefix",
    }
    assert min(seen.values()) >= 20, seen
