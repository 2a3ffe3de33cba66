"""Differential tests: numbers written with "+" settled by the library's patterns in
Polars (phone_patterns) against `check_number`, which calls the library.

Every number the fast path settles must get exactly the verdict `check_number` gives
it; numbers it leaves go to the library as before. The numbers: example numbers of
every type of every region the library knows, with their last digits redrawn, a
digit dropped or added, a national prefix written after the calling code, and digit
strings drawn at random after "+".
"""

from __future__ import annotations

import random
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


@pytest.fixture(scope="module")
def settled() -> pl.DataFrame:
    """The stage's verdicts for the keys the patterns settle, as it uses them."""
    distinct = pl.DataFrame(
        {"key": KEYS, "region": None, "lead": None},
        schema={"key": pl.String, "region": pl.String, "lead": pl.String},
    )
    return phone_module._settled_without_the_library(distinct)


def test_every_number_the_patterns_settle_gets_the_librarys_verdict(
    settled: pl.DataFrame,
) -> None:
    differing = [
        (key, checked, expected)
        for key, checked in settled.select("key", "checked").iter_rows()
        if checked != (expected := check_number(key, None))
    ]
    assert differing == []


def test_the_patterns_settle_most_numbers_the_library_finds_valid(
    settled: pl.DataFrame,
) -> None:
    valid = {key for key in KEYS if check_number(key, None)["e164"] is not None}
    assert len(valid) > 10_000
    assert set(settled["key"]) <= valid
    # What is left: a national prefix written after the calling code, the
    # non-geographic codes, regions whose patterns Polars cannot compile.
    assert len(set(settled["key"])) > 0.9 * len(valid)


def test_each_key_is_settled_once(settled: pl.DataFrame) -> None:
    assert settled["key"].is_unique().all()


def test_keys_not_written_as_plus_and_ascii_digits_are_left_to_the_library() -> None:
    keys = pl.Series(["4915112345678", "+49 151 12345678", "+４９15112345678", "1-800-FLOWERS"])
    assert settled_with_plus(keys, _TYPE_NAMES).height == 0


def test_settled_keys_stand_without_region_or_lead_as_a_plus_key_is_looked_up(
    settled: pl.DataFrame,
) -> None:
    assert settled["region"].null_count() == settled["lead"].null_count() == settled.height


def test_the_stage_gives_the_same_columns_with_and_without_the_patterns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(_SEED)
    cells = [rng.choice(KEYS) for _ in range(3_000)]
    # The same numbers as people type them, beside the "+" keys themselves.
    cells += [f"{key[:3]} {key[3:7]} {key[7:]}" for key in cells[:500]]
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
