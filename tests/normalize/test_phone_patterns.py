"""Differential tests: phone numbers settled by the library's patterns in Polars
(phone_patterns) against `check_number`, which calls the library.

Every number the fast path settles must get exactly the verdict `check_number` gives
it; numbers it leaves go to the library as before. The numbers: example numbers of
every type of every region the library knows, with their last digits redrawn, a
digit dropped or added, a national prefix written after the calling code, and digit
strings drawn at random after "+"; some of them written with "00" or "011" in rows
of no region and of regions dialling abroad in many ways; and every region's
examples written nationally (with and without the trunk prefix, slips, the calling
code in front) under that region and under another.
"""

from __future__ import annotations

import random
import re
import string

import phonenumbers
import polars as pl
import pytest
from phonenumbers import PhoneNumberType

from leadtriage.normalize import phone as phone_module
from leadtriage.normalize.phone import _TYPE_NAMES, check_number
from leadtriage.normalize.phone_patterns import settled_with_plus

from .phone_frames import phone_stage

_SEED = 20261203
_TYPES = [value for name, value in vars(PhoneNumberType).items() if name.isupper()]


def _variants(national: str, rng: random.Random) -> list[str]:
    """A national number as written, with slips and redrawn digits."""
    found = [national, national[:-1], national + rng.choice(string.digits)]
    # A digit or two before it, as a national prefix is written after the calling
    # code ("+44 (0)20 ...", "+7 8 ...", "+54 9 ..."): the library may strip them.
    found += [digit + national for digit in string.digits]
    found += [rng.choice(string.digits) + rng.choice(string.digits) + national]
    for _ in range(30):
        tail = rng.randint(1, min(6, len(national)))
        found.append(national[:-tail] + "".join(rng.choice(string.digits) for _ in range(tail)))
    return found


def _keys() -> list[str]:
    rng = random.Random(_SEED)
    keys: set[str] = set()
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    for region in regions:
        code = phonenumbers.country_code_for_region(region)
        for kind in _TYPES:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            national = phonenumbers.national_significant_number(example)
            keys.update(f"+{code}{variant}" for variant in _variants(national, rng))
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        example = phonenumbers.example_number_for_non_geo_entity(code)
        if example is not None:
            national = phonenumbers.national_significant_number(example)
            keys.update(f"+{code}{variant}" for variant in _variants(national, rng))
    for _ in range(20_000):
        keys.add("+" + "".join(rng.choice(string.digits) for _ in range(rng.randint(1, 19))))
    return sorted(keys)


KEYS = _keys()
# Regions dialling abroad with 00, 011 (the NANP), 010 (Japan), 0011 or 001x
# (Australia), 00 and a carrier (Brazil, Colombia, Korea), 810 (Russia), and more.
ROW_REGIONS = (
    None, "DE", "GB", "FR", "US", "CA", "JP", "AU", "BR", "CO", "KR", "RU", "IN", "CN",
    "SG", "HK", "IL", "NG", "ZA", "MX", "AR", "CL", "TH", "ID", "KE", "IT", "BY", "UZ",
)  # fmt: skip


def _rows() -> pl.DataFrame:
    """(key, region, lead): every key with "+" alone, and a sample written with an
    international prefix under each row region, some with a calling code written
    apart (`lead`)."""
    rng = random.Random(_SEED + 1)
    rows: list[tuple[str, str | None, str | None]] = [(key, None, None) for key in KEYS]
    for region in ROW_REGIONS:
        for key in rng.sample(KEYS, 2_000):
            prefix = rng.choice(("00", "011", "0011", "010"))
            lead = rng.choice((None, None, key[1:3]))
            rows.append((prefix + key[1:], region, lead if region is not None else None))
    rows.extend(_national_rows(rng))
    return pl.DataFrame(
        rows, schema={"key": pl.String, "region": pl.String, "lead": pl.String}, orient="row"
    ).unique()


def _national_rows(rng: random.Random) -> list[tuple[str, str | None, str | None]]:
    """Every region's example numbers as its people write them (nationally, with the
    trunk prefix where the region writes one), with the prefix left out, digits
    redrawn, dropped or added, and the calling code in front, under that region and
    under a neighbour sharing or not sharing its calling code."""
    rows: list[tuple[str, str | None, str | None]] = []
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    for region in regions:
        code = str(phonenumbers.country_code_for_region(region))
        for kind in _TYPES:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            written = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
            digits = re.sub(r"\D", "", written)
            national = phonenumbers.national_significant_number(example)
            for variant in {*_variants(digits, rng), *_variants(national, rng), code + national}:
                if variant:
                    rows.append((variant, region, None))
                    rows.append((variant, rng.choice(regions), None))
    return rows


@pytest.fixture(scope="module")
def settled() -> pl.DataFrame:
    """The stage's verdicts for the keys the patterns settle, as it uses them."""
    return phone_module._settled_without_the_library(_rows())


def test_every_number_the_patterns_settle_gets_the_librarys_verdict(
    settled: pl.DataFrame,
) -> None:
    differing = [
        (key, region, lead, checked, expected)
        for key, region, lead, checked in settled.iter_rows()
        if checked != (expected := check_number(key, region, lead))
    ]
    assert differing == []


def test_national_numbers_are_settled_as_their_region_reads_them(settled: pl.DataFrame) -> None:
    national = settled.filter(
        ~pl.col("key").str.contains(r"^(?:\+|00|011)") & pl.col("region").is_not_null()
    )
    assert national.height > 20_000
    assert set(national["checked"].struct.field("how")) == {"region"}


def test_numbers_written_with_an_international_prefix_are_settled_too(
    settled: pl.DataFrame,
) -> None:
    written = settled.filter(pl.col("checked").struct.field("how") == "prefix").filter(
        ~pl.col("key").str.starts_with("+")
    )
    assert written.filter(pl.col("region").is_null()).height > 300
    assert written.filter(pl.col("region").is_not_null()).height > 3_000
    # In a region dialling abroad with another prefix, digits too long to be one of its
    # numbers: the library first reads them as one, not possible.
    at_home = written.filter(pl.col("region").is_not_null())["checked"].struct.field("possible")
    assert (at_home == False).sum() > 1_000  # noqa: E712
    assert set(written["key"].str.slice(0, 3)) == {
        "001",
        "002",
        "003",
        "004",
        "005",
        "006",
        "007",
        "008",
        "009",
        "011",
    }


def test_the_patterns_settle_most_numbers_the_library_finds_valid(
    settled: pl.DataFrame,
) -> None:
    valid = {key for key in KEYS if check_number(key, None)["e164"] is not None}
    assert len(valid) > 10_000
    with_plus = set(settled.filter(pl.col("key").str.starts_with("+"))["key"])
    assert with_plus <= valid
    # What is left: a national prefix written after the calling code, the
    # non-geographic codes, regions whose patterns Polars cannot compile.
    assert len(with_plus) > 0.9 * len(valid)


def test_each_row_is_settled_once(settled: pl.DataFrame) -> None:
    assert not settled.select("key", "region", "lead").is_duplicated().any()


def test_keys_not_written_as_plus_and_ascii_digits_are_left_to_the_library() -> None:
    keys = pl.Series(["4915112345678", "+49 151 12345678", "+４９15112345678", "1-800-FLOWERS"])
    assert settled_with_plus(keys, _TYPE_NAMES).height == 0


def test_settled_keys_with_plus_stand_without_region_or_lead_as_they_are_looked_up(
    settled: pl.DataFrame,
) -> None:
    with_plus = settled.filter(pl.col("key").str.starts_with("+"))
    assert with_plus["region"].null_count() == with_plus["lead"].null_count() == with_plus.height


def test_the_stage_gives_the_same_columns_with_and_without_the_patterns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(_SEED)
    cells = [rng.choice(KEYS) for _ in range(3_000)]
    # The same numbers as people type them, beside the "+" keys themselves.
    cells += [f"{key[:3]} {key[3:7]} {key[7:]}" for key in cells[:500]]
    cells += [f"00{key[1:]}" for key in cells[:500]] + [f"011 {key[1:]}" for key in cells[:500]]
    regions = [rng.choice(["DE", "US", "GB", None]) for _ in cells]
    fast = phone_stage(cells, regions)
    monkeypatch.setattr(
        phone_module, "settled_with_plus", lambda keys, names: settled_with_plus(keys[:0], names)
    )
    assert fast.equals(phone_stage(cells, regions))


def test_a_number_the_patterns_settle_is_never_handed_to_the_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def counting(key: str, region: str | None, lead: str | None = None) -> object:
        calls.append(key)
        return check_number(key, region, lead)

    monkeypatch.setattr(phone_module, "check_number", counting)
    out = phone_stage(["+44 20 7946 0958", "+44 (0)20 7946 0958"], ["GB", None])
    assert out["phone_e164"].to_list() == ["+442079460958", "+442079460958"]
    assert calls == ["+4402079460958"]
