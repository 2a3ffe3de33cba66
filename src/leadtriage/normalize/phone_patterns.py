"""Phone numbers whose verdict phonenumbers' own patterns settle, in Polars.

Most of the phone stage's time was one phonenumbers call per distinct number. For
most numbers the library's reading is short: written with "+" (or an international
prefix the row's region dials with), the calling code is the first one to three
digits that name a country and the rest is the national number; written nationally,
the region's calling code goes in front and a plain national prefix ("0") comes off.
The number is valid when the national number matches the patterns of the code's
region. Those patterns are the library's metadata, run here as Polars regular
expressions over all numbers of one calling code at once.

Only what a pattern proves valid is settled here, and only where the library's
reading is the one above: everything else (an unknown or non-geographic calling
code, a national prefix written after the calling code, digits starting with the
region's own calling code, a calling code written apart, a national prefix with
alternatives, a number no type pattern matches, a pattern Polars cannot compile)
goes to the library as before. The steps follow ``phonenumbers.parse`` and
``_verdict`` (phone.py); tests/normalize/test_phone_patterns.py holds every settled
verdict to ``check_number``'s on 330,000 numbers of every region, written the ways
people write them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Final

import polars as pl
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    REGION_CODE_FOR_NON_GEO_ENTITY,
    PhoneMetadata,
    PhoneNumberDesc,
    PhoneNumberType,
)

# The number types in the order phonenumbers' `_number_type_helper` tries them, with
# the metadata attribute describing each; fixed lines and mobiles come after.
_TYPES_IN_ORDER: Final = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)
# phonenumbers' bounds: more than two digits after "+", national numbers of two to
# seventeen digits.
_MIN_NATIONAL: Final = 2
_MAX_NATIONAL: Final = 17
_MAX_CODE_DIGITS: Final = 3

_NATIONAL = "_national"
_CODE = "_code"
# `possible` of a key the library first parsed as the very number it reads (phone.py's
# `check_number` reports it only for a parse that was not valid).
_POSSIBLE_AS_READ: Final = pl.lit(None, pl.Boolean).alias("possible")


def settled_with_plus(keys: pl.Series, type_names: dict[int, str]) -> pl.DataFrame:
    """(key, e164, type, national) for each of the distinct `keys` written as ``+`` and
    ASCII digits that phonenumbers reads as a valid number of a geographic calling
    code's region without stripping a national prefix; the other keys are left out.
    `type_names` names the library's number types (phone.py's)."""
    written = (
        keys.to_frame("key")
        .filter(pl.col("key").str.contains(r"^\+[0-9]{3,}$"))
        .with_columns(_calling_code(pl.col("key").str.slice(1)).alias(_CODE))
        .filter(pl.col(_CODE).is_not_null())
        .with_columns(pl.col("key").str.slice(1 + pl.col(_CODE).str.len_bytes()).alias(_NATIONAL))
        .filter(pl.col(_NATIONAL).str.len_bytes().is_between(_MIN_NATIONAL, _MAX_NATIONAL))
    )
    parts = [
        _settled_for_code(numbers, code, type_names)
        for (code,), numbers in written.group_by(_CODE)
        if isinstance(code, str)
    ]
    settled = pl.concat(parts) if parts else _nothing_settled()
    return settled.select(
        "key",
        (pl.lit("+") + pl.col(_CODE) + pl.col(_NATIONAL)).alias("e164"),
        "type",
        pl.col(_NATIONAL).alias("national"),
    )


# International prefixes a key may start with, as `check_number` reads them when the
# row's region does not (`_with_international_prefix`).
_WRITTEN_PREFIXES: Final = ("00", "011")


def read_as_plus(distinct: pl.DataFrame) -> pl.DataFrame:
    """(key, region, lead, plus, possible) for the rows of `distinct` (key, region, lead)
    whose key `check_number` reads as the number `plus` written with "+", and nothing
    else; `possible` is what it reports of the key as the library first parsed it
    (null when that parse was the number itself, False when it was not possible):

    - a key written with "+" (its row's region dropped and no lead: phone.py's
      `_checked`);
    - ``00`` or ``011`` and digits not starting with 0, where the row's region dials
      abroad with exactly that prefix (phonenumbers strips it and reads the rest as
      after "+"), or the row has no region (the library cannot parse it, and
      `check_number` reads the prefix itself), or the row's region dials abroad with
      another prefix and the digits are too long for any of its numbers (the library
      reads an invalid national number, not possible, and `check_number` then the
      prefix). Anything else is left to the library.
    """
    key, region = pl.col("key"), pl.col("region")
    plus = distinct.filter(
        key.str.contains(r"^\+[0-9]+$") & region.is_null() & pl.col("lead").is_null()
    )
    not_possible = pl.lit(False).alias("possible")
    found = [plus.with_columns(key.alias("plus"), _POSSIBLE_AS_READ)]
    for prefix in _WRITTEN_PREFIXES:
        written = distinct.filter(key.str.contains(rf"^{prefix}[1-9][0-9]*$")).with_columns(
            (pl.lit("+") + key.str.slice(len(prefix))).alias("plus")
        )
        found.append(written.filter(region.is_null()).with_columns(not_possible))
        for (row_region,), rows in written.filter(region.is_not_null()).group_by("region"):
            if isinstance(row_region, str):
                stripped, too_long = _read_in_dialling_region(rows, row_region, prefix)
                found.append(stripped.with_columns(_POSSIBLE_AS_READ))
                found.append(too_long.with_columns(not_possible))
    return pl.concat(found).select("key", "region", "lead", "plus", "possible")


def _read_in_dialling_region(
    rows: pl.DataFrame, region: str, prefix: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Of `rows` (keys starting with `prefix`, all of `region`): those from which
    phonenumbers strips exactly `prefix` as the region's international prefix, and
    those it reads as a national number too long for every region of the calling
    code (no international prefix of the region and no national prefix at their
    start)."""
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None or metadata.country_code is None:
        return rows.clear(), rows.clear()
    key, idd = pl.col("key"), metadata.international_prefix
    abroad = _starts_with(key, idd)
    national_prefix = _starts_with(key, metadata.national_prefix_for_parsing)
    if not idd or abroad is None or national_prefix is None:
        return rows.clear(), rows.clear()
    stripped = rows.filter(key.str.extract(f"^({idd})", 1) == prefix)
    longest = _longest_number(metadata.country_code)
    if longest is None:
        return stripped, rows.clear()
    too_long = rows.filter(~abroad & ~national_prefix & (key.str.len_bytes() > longest))
    return stripped, too_long


@cache
def _longest_number(code: int) -> int | None:
    """The most digits any number of a region of calling code `code` may have, locally
    possible ones included; None when a region of it says nothing."""
    lengths: list[int] = []
    for region in COUNTRY_CODE_TO_REGION_CODE.get(code, ()):
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
        general = metadata.general_desc if metadata is not None else None
        if general is None or not general.possible_length:
            return None
        lengths.extend(general.possible_length)
        lengths.extend(general.possible_length_local_only or ())
    return max(lengths) if lengths else None


def read_as_national(distinct: pl.DataFrame) -> pl.DataFrame:
    """(key, region, lead, plus, possible) for the rows of `distinct` (key, region,
    lead) whose key phonenumbers parses under the row's region as one national number,
    written as `plus` ("+", the region's calling code, the national number): the
    reading `check_number` keeps when it is valid (`possible` null). Digits only, no
    lead (a calling code written apart, which `check_number` may read instead), no
    international prefix (`read_as_plus`, or the library), not starting with the
    region's calling code (read both ways by the library and by `check_number`), and
    a plain national prefix the region writes (``0``, ``8``) taken off where it is
    written. Anything else is left to the library."""
    key, region = pl.col("key"), pl.col("region")
    written = distinct.filter(
        key.str.contains(r"^[0-9]{3,17}$")
        & region.is_not_null()
        & pl.col("lead").is_null()
        & ~pl.any_horizontal(key.str.starts_with(prefix) for prefix in _WRITTEN_PREFIXES)
    )
    found = [
        _read_in_region(rows, row_region)
        for (row_region,), rows in written.group_by("region")
        if isinstance(row_region, str)
    ]
    return pl.concat([_nothing_read(distinct), *found])


def _read_in_region(rows: pl.DataFrame, region: str) -> pl.DataFrame:
    """`read_as_national` of `rows`, all of `region`."""
    metadata = PhoneMetadata.metadata_for_region(region, None)
    empty = _nothing_read(rows)
    if metadata is None or metadata.country_code is None:
        return empty
    key, code = pl.col("key"), str(metadata.country_code)
    abroad = _starts_with(key, metadata.international_prefix)
    prefix = metadata.national_prefix_for_parsing
    written_prefix = _starts_with(key, prefix)
    if abroad is None or written_prefix is None:
        return empty
    national = key
    if prefix and (not prefix.isdigit() or metadata.national_prefix_transform_rule):
        # A prefix of alternatives or with a transformation: its readings are the
        # library's to make.
        rows = rows.filter(~written_prefix)
    elif prefix:
        # parse takes a plain prefix off unless the digits with it match the region's
        # numbers and the rest does not, or the rest has a length possible only
        # locally: then the rest is no valid number, which is all that is settled.
        national = pl.when(written_prefix).then(key.str.slice(len(prefix))).otherwise(key)
    return rows.filter(~abroad & ~key.str.starts_with(code)).select(
        "key",
        "region",
        "lead",
        (pl.lit("+" + code) + national).alias("plus"),
        _POSSIBLE_AS_READ,
    )


def _nothing_read(rows: pl.DataFrame) -> pl.DataFrame:
    """No row of `rows`, with the columns a reading adds."""
    return rows.clear().with_columns(plus=pl.lit(None, pl.String), possible=_POSSIBLE_AS_READ)


def _nothing_settled() -> pl.DataFrame:
    return pl.DataFrame(
        schema={"key": pl.String, _CODE: pl.String, _NATIONAL: pl.String, "type": pl.String}
    )


def _calling_code(digits: pl.Expr) -> pl.Expr:
    """The first one, two or three digits that are a calling code (as phonenumbers'
    `_extract_country_code` takes the shortest); null when none is."""
    codes = calling_codes()
    found = pl.lit(None, dtype=pl.String)
    for length in range(_MAX_CODE_DIGITS, 0, -1):
        head = digits.str.slice(0, length)
        found = pl.when(head.is_in(codes)).then(head).otherwise(found)
    return found


@cache
def calling_codes() -> list[str]:
    """Every country calling code phonenumbers knows, as text, sorted."""
    return sorted(str(code) for code in COUNTRY_CODE_TO_REGION_CODE)


def _settled_for_code(numbers: pl.DataFrame, code: str, type_names: dict[int, str]) -> pl.DataFrame:
    """The valid numbers among `numbers` (all of calling code `code`) and their types."""
    regions: Sequence[str] = COUNTRY_CODE_TO_REGION_CODE[int(code)]
    if REGION_CODE_FOR_NON_GEO_ENTITY in regions:
        return _nothing_settled()
    main = PhoneMetadata.metadata_for_region(regions[0], None)
    if main is None:
        return _nothing_settled()
    national = pl.col(_NATIONAL)
    # parse strips a national prefix it finds after the calling code: left to it.
    prefix = _starts_with(national, main.national_prefix_for_parsing)
    if prefix is None:
        return _nothing_settled()
    undecided = numbers.filter(~prefix)
    found: list[pl.DataFrame] = []
    # `_verdict`'s region: the only one, else the first whose leading digits start
    # the number or, for a region without them, whose types include it.
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region(region, None)
        if metadata is None or undecided.height == 0:
            continue
        kind = _number_type(national, metadata)
        if kind is None:
            return pl.concat([_nothing_settled(), *found])
        if len(regions) == 1:
            here = pl.lit(True)
        elif metadata.leading_digits is not None:
            leading = _starts_with(national, metadata.leading_digits)
            if leading is None:
                return pl.concat([_nothing_settled(), *found])
            here = leading
        else:
            here = kind.is_not_null()
        typed = undecided.with_columns(here.alias("_here"), kind.alias("_kind"))
        found.append(
            typed.filter(pl.col("_here") & pl.col("_kind").is_not_null()).select(
                "key",
                _CODE,
                _NATIONAL,
                pl.col("_kind").replace_strict(type_names, return_dtype=pl.String).alias("type"),
            )
        )
        # A number whose region is found but no type matches there is invalid: the
        # library says so (and whether it is possible).
        undecided = typed.filter(~pl.col("_here")).drop("_here", "_kind")
    return pl.concat([_nothing_settled(), *found])


def _starts_with(national: pl.Expr, pattern: str | None) -> pl.Expr | None:
    """Whether `pattern` matches at the start of the number (Python's ``re.match``);
    False throughout for no pattern; None when Polars cannot compile it."""
    if not pattern:
        return pl.lit(False)
    return _compiled(national, f"^(?:{pattern})")


def _compiled(national: pl.Expr, pattern: str) -> pl.Expr | None:
    if not _compiles(pattern):
        return None
    return national.str.contains(pattern)


@cache
def _compiles(pattern: str) -> bool:
    try:
        pl.select(pl.lit("0").str.contains(pattern))
    except pl.exceptions.PolarsError:
        return False
    return True


def _matching(national: pl.Expr, desc: PhoneNumberDesc | None) -> pl.Expr | None:
    """phonenumbers' `_is_number_matching_desc`: one of the possible lengths (when
    the description lists any) and the whole number matching its pattern."""
    if desc is None or not desc.national_number_pattern:
        return pl.lit(False)
    matched = _compiled(national, f"^(?:{desc.national_number_pattern})$")
    if matched is None:
        return None
    lengths = list(desc.possible_length or ())
    if lengths:
        matched = matched & national.str.len_bytes().is_in(lengths)
    return matched


def _number_type(national: pl.Expr, metadata: PhoneMetadata) -> pl.Expr | None:
    """phonenumbers' `_number_type_helper`, null for UNKNOWN; None when a pattern
    does not compile."""
    general = _matching(national, metadata.general_desc)
    fixed = _matching(national, metadata.fixed_line)
    mobile = _matching(national, metadata.mobile)
    special = [
        (_matching(national, getattr(metadata, name)), kind) for name, kind in _TYPES_IN_ORDER
    ]
    if general is None or fixed is None or mobile is None:
        return None
    same = bool(metadata.same_mobile_and_fixed_line_pattern)
    either, fixed_only = PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.FIXED_LINE
    # The first test that holds, in the library's order, gives the type.
    tests: list[tuple[pl.Expr, pl.Expr]] = [(~general, pl.lit(None, dtype=pl.Int64))]
    for matched, kind in special:
        if matched is None:
            return None
        tests.append((matched, pl.lit(kind, dtype=pl.Int64)))
    fixed_kind = pl.lit(either) if same else pl.when(mobile).then(either).otherwise(fixed_only)
    tests.append((fixed, fixed_kind.cast(pl.Int64)))
    if not same:
        tests.append((mobile, pl.lit(PhoneNumberType.MOBILE, dtype=pl.Int64)))
    kind_of: pl.Expr = pl.lit(None, dtype=pl.Int64)
    for matched, value in reversed(tests):
        kind_of = pl.when(matched).then(value).otherwise(kind_of)
    return kind_of
