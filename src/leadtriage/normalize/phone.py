"""Phone numbers: E.164, type and extension, with phonenumbers as the authority.

Vectorised: blanks and placeholders, extensions, ``tel:`` prefixes, spreadsheet
damage (scientific notation), made-up digit patterns, and the reduction of every
cell to a lookup key (``+`` and digits, or the text itself for vanity numbers such as
``1-800-FLOWERS``). Validity is never guessed by a pattern: phonenumbers decides,
once per distinct (key, region) pair. Contact lists rarely repeat a phone number, so
this stage costs about one library call per row with a phone; the email stage is the
one where a fast path pays.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import phonenumbers
import polars as pl
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType

from leadtriage import frame
from leadtriage.normalize.text import data_lines

PHONE_E164: Final = "phone_e164"
PHONE_TYPE: Final = "phone_type"
PHONE_EXTENSION: Final = "phone_extension"
MOBILE_E164: Final = "mobile_e164"
COUNTRY_CODE: Final = "country_code"

_INVISIBLE: Final = " \t\r\n\u00a0\u2007\u200b\u200c\u200d\u2060\u202f\u3000\ufeff"

# "ext. 45", "x123", "#12", "extension 7", "poste 12" (fr), "Durchwahl 3" / "DW 3" (de).
_EXTENSION_PATTERN: Final = (
    r"(?i)[\s,;]*(?:ext\.?|extn\.?|extension|x|#|poste|durchwahl|dw\.?)\s*[:.=]?\s*(\d{1,7})$"
)
# Excel's rendering of a long number: 4.47911E+11, 4,47911E+11 (European decimals).
_SCIENTIFIC_PATTERN: Final = r"^[+-]?\d+(?:[.,]\d+)?[eE][+]?\d+$"
_FICTIONAL_NANP_PATTERN: Final = r"^\+1\d{3}55501\d{2}$"
_ASCENDING: Final = "01234567890123456789"
_DESCENDING: Final = "98765432109876543210"
# Shorter runs (12345) are too likely to sit inside a real number's digits.
_MIN_FAKE_RUN: Final = 6
_MIN_REPEATED: Final = 5

_TYPE_NAMES: Final[dict[int, str]] = {
    value: name.lower()
    for name, value in vars(PhoneNumberType).items()
    if name.isupper() and isinstance(value, int)
}

_CHECKED: Final = pl.Struct(
    {
        "e164": pl.String,
        "type": pl.String,
        "possible": pl.Boolean,
        "lost_zero": pl.Boolean,
        "national": pl.String,
        "extension": pl.String,
    }
)

# Temporary columns of this stage, dropped before it returns.
_REGION: Final = "_phone.region"
_PHONE_CELL: Final = "_phone.phone_cell"
_MOBILE_CELL: Final = "_phone.mobile_cell"
_PHONE_CHECKED: Final = "_phone.phone_checked"
_MOBILE_CHECKED: Final = "_phone.mobile_checked"
_CELL: Final = "_phone.cell"
_CHECKED_COL: Final = "_phone.checked"
_TEMPORARY: Final = (
    _REGION,
    _PHONE_CELL,
    _MOBILE_CELL,
    _PHONE_CHECKED,
    _MOBILE_CHECKED,
    _CELL,
    _CHECKED_COL,
)

# Fields of the vectorised cell struct.
_NUMBER = "number"
_KEY = "key"
_EXT = "extension"
_SCIENTIFIC = "scientific"


@cache
def missing_values() -> frozenset[str]:
    """Placeholders that mean no phone was given (``n/a``, ``-``, ``none`` ...)."""
    return frozenset(line.casefold() for line in data_lines("phone_missing_values.txt"))


def normalize_phone(lf: pl.LazyFrame, default_region: str | None = None) -> pl.LazyFrame:
    """Add ``phone_e164``, ``phone_type``, ``phone_extension``, ``mobile_e164`` and the
    ``flag.phone.*`` findings, reading ``raw.phone``, ``raw.mobile`` and
    ``country_code``.

    A row's region is its ``country_code``, else ``default_region``, else none; an
    explicit ``+``, ``00`` or ``011`` international prefix wins over it. ``phone_e164``
    and ``phone_type`` are set only for valid numbers. When ``raw.phone`` is blank and
    ``raw.mobile`` is not, the phone columns and findings come from the mobile value.
    A number that is valid only once a leading zero lost in a spreadsheet is restored
    is converted and flagged ``phone.mangled``; scientific notation (``4.47911E+11``)
    is flagged ``phone.mangled`` and never converted: its digits are gone.
    """
    region = _row_region(lf, default_region)
    return (
        lf.with_columns(
            region.alias(_REGION),
            _cell(pl.col(frame.raw("phone"))).alias(_PHONE_CELL),
            _cell(pl.col(frame.raw("mobile"))).alias(_MOBILE_CELL),
        )
        .with_columns(
            _checked(pl.col(_PHONE_CELL), pl.col(_REGION)).alias(_PHONE_CHECKED),
            _checked(pl.col(_MOBILE_CELL), pl.col(_REGION)).alias(_MOBILE_CHECKED),
        )
        .with_columns(
            _phone_or_mobile(_PHONE_CELL, _MOBILE_CELL).alias(_CELL),
            _phone_or_mobile(_PHONE_CHECKED, _MOBILE_CHECKED, when_blank=_PHONE_CELL).alias(
                _CHECKED_COL
            ),
        )
        .with_columns(
            pl.col(_CHECKED_COL).struct.field("e164").alias(PHONE_E164),
            pl.col(_CHECKED_COL).struct.field("type").alias(PHONE_TYPE),
            pl.coalesce(
                pl.col(_CELL).struct.field(_EXT), pl.col(_CHECKED_COL).struct.field("extension")
            ).alias(PHONE_EXTENSION),
            pl.col(_MOBILE_CHECKED).struct.field("e164").alias(MOBILE_E164),
            *_flags(pl.col(_CELL), pl.col(_CHECKED_COL)),
        )
        .drop(_TEMPORARY)
    )


def _row_region(lf: pl.LazyFrame, default_region: str | None) -> pl.Expr:
    """The row's ``country_code`` if phonenumbers knows it, else ``default_region``."""
    supported = sorted(phonenumbers.SUPPORTED_REGIONS)
    default = default_region.upper() if default_region else None
    fallback = pl.lit(default if default in supported else None, dtype=pl.String)
    if COUNTRY_CODE not in lf.collect_schema().names():
        return fallback
    country = pl.col(COUNTRY_CODE).cast(pl.String).str.strip_chars().str.to_uppercase()
    return pl.when(country.is_in(supported)).then(country).otherwise(fallback)


def _cell(raw: pl.Expr) -> pl.Expr:
    """What the cell holds, as a struct: the number text (null when blank or a
    placeholder), its lookup key, the extension digits, and whether it is scientific
    notation."""
    trimmed = raw.cast(pl.String).str.strip_chars(_INVISIBLE)
    without_scheme = trimmed.str.replace(r"(?i)^tel:(?://)?", "").str.strip_chars(_INVISIBLE)
    extension = without_scheme.str.extract(_EXTENSION_PATTERN, 1)
    number = (
        pl.when(extension.is_not_null())
        .then(without_scheme.str.replace(_EXTENSION_PATTERN, ""))
        .otherwise(without_scheme)
        .str.strip_chars(_INVISIBLE)
    )
    placeholder = number.str.to_lowercase().is_in(list(missing_values()))
    number = pl.when((number.str.len_bytes() > 0) & ~placeholder).then(number)
    scientific = number.str.contains(_SCIENTIFIC_PATTERN).fill_null(False)
    return pl.struct(
        number.alias(_NUMBER),
        pl.when(~scientific).then(_lookup_key(number)).alias(_KEY),
        pl.when(number.is_not_null()).then(extension).alias(_EXT),
        scientific.alias(_SCIENTIFIC),
    )


def _lookup_key(number: pl.Expr) -> pl.Expr:
    """``+`` (if written) and the digits; vanity numbers with letters keep their text,
    which phonenumbers reads (``1-800-FLOWERS``). Null when there is no digit: nothing
    for phonenumbers to read."""
    plus = pl.when(number.str.contains(r"^[+＋]")).then(pl.lit("+")).otherwise(pl.lit(""))
    digits = number.str.replace_all(r"\D", "")
    key = (
        pl.when(number.str.contains(r"\p{L}"))
        .then(number.str.replace_all(r"\s+", " "))
        .otherwise(plus + digits)
    )
    return pl.when(number.str.contains(r"\d")).then(key)


def _checked(cell: pl.Expr, region: pl.Expr) -> pl.Expr:
    """phonenumbers' verdict per row, computed once per distinct (key, region)."""
    key = cell.struct.field(_KEY)
    # Not elementwise: the streaming engine would hand over morsels, and a pair
    # repeated across morsels would go to the library once per morsel.
    return pl.struct(key.alias("key"), region.alias("region")).map_batches(
        _check_distinct, return_dtype=_CHECKED
    )


def _check_distinct(pairs: pl.Series) -> pl.Series:
    rows = pairs.struct.unnest()
    distinct = rows.filter(pl.col("key").is_not_null()).unique()
    checked = [check_number(key, region) for key, region in distinct.iter_rows()]
    lookup = distinct.with_columns(pl.Series("checked", checked, dtype=_CHECKED))
    joined = rows.join(
        lookup, on=["key", "region"], how="left", maintain_order="left", nulls_equal=True
    )
    return joined.get_column("checked")


def check_number(key: str, region: str | None) -> dict[str, str | bool | None]:
    """One lookup key through phonenumbers: ``e164`` and ``type`` (valid numbers only),
    ``possible``, ``lost_zero`` (valid only with a leading zero restored), the
    ``national`` significant number and any ``extension`` phonenumbers found."""
    parsed = _parse(key, region)
    valid = parsed if parsed is not None and phonenumbers.is_valid_number(parsed) else None
    if valid is None:
        valid = _with_international_prefix(key)
    lost_zero = False
    if valid is None and region is not None and key.isdigit() and not key.startswith("0"):
        restored = _parse("0" + key, region)
        if restored is not None and phonenumbers.is_valid_number(restored):
            valid, lost_zero = restored, True
    result: dict[str, str | bool | None] = {
        "e164": None,
        "type": None,
        "possible": parsed is not None and phonenumbers.is_possible_number(parsed),
        "lost_zero": lost_zero,
        "national": None,
        "extension": None,
    }
    shown = valid if valid is not None else parsed
    if shown is None:
        return result
    result["national"] = phonenumbers.national_significant_number(shown)
    result["extension"] = shown.extension
    if valid is not None:
        result["e164"] = phonenumbers.format_number(valid, phonenumbers.PhoneNumberFormat.E164)
        result["type"] = _TYPE_NAMES.get(phonenumbers.number_type(valid))
    return result


def _parse(key: str, region: str | None) -> PhoneNumber | None:
    try:
        return phonenumbers.parse(key, None if key.startswith("+") else region)
    except NumberParseException:
        return None


def _with_international_prefix(key: str) -> PhoneNumber | None:
    """``0044 ...`` or ``011 44 ...`` read as ``+44 ...`` when the row's region does not
    use that prefix (or there is no region): the writer's prefix wins."""
    for prefix in ("00", "011"):
        if key.startswith(prefix) and key.isdigit():
            parsed = _parse("+" + key[len(prefix) :], None)
            if parsed is not None and phonenumbers.is_valid_number(parsed):
                return parsed
    return None


def _phone_or_mobile(phone: str, mobile: str, when_blank: str | None = None) -> pl.Expr:
    """Column ``phone``, or ``mobile`` where the phone cell (``when_blank``, by default
    ``phone`` itself) holds no number."""
    blank = pl.col(when_blank or phone).struct.field(_NUMBER).is_null()
    return pl.when(blank).then(pl.col(mobile)).otherwise(pl.col(phone))


def _flags(cell: pl.Expr, checked: pl.Expr) -> list[pl.Expr]:
    missing = cell.struct.field(_NUMBER).is_null()
    scientific = cell.struct.field(_SCIENTIFIC)
    valid = checked.struct.field("e164").is_not_null()
    possible_only = ~valid & checked.struct.field("possible").fill_null(False) & ~scientific
    mangled = scientific | checked.struct.field("lost_zero").fill_null(False)
    fake = _looks_fake(cell.struct.field(_KEY), checked)

    def finding(condition: pl.Expr, slug: str) -> pl.Expr:
        return (~missing & condition).fill_null(False).alias(frame.flag(slug))

    return [
        missing.alias(frame.flag("phone.missing")),
        finding(~valid & ~possible_only & ~scientific, "phone.invalid"),
        finding(possible_only, "phone.possible_only"),
        finding(mangled, "phone.mangled"),
        finding(fake, "phone.fake"),
    ]


def _looks_fake(key: pl.Expr, checked: pl.Expr) -> pl.Expr:
    """Made-up numbers: one digit repeated, a run of consecutive digits (in the cell or
    in the national number), or the NANP 555-01xx range reserved for fiction."""
    digits = key.str.replace_all(r"\D", "")
    national = checked.struct.field("national")
    return (
        _fake_digits(digits)
        | _fake_digits(national)
        | checked.struct.field("e164").str.contains(_FICTIONAL_NANP_PATTERN)
    ).fill_null(False)


def _fake_digits(digits: pl.Expr) -> pl.Expr:
    length = digits.str.len_chars()
    repeated = (length >= _MIN_REPEATED) & (
        digits.str.strip_chars(digits.str.slice(0, 1)).str.len_chars() == 0
    )
    run = (length >= _MIN_FAKE_RUN) & (
        pl.lit(_ASCENDING).str.contains(digits, literal=True)
        | pl.lit(_DESCENDING).str.contains(digits, literal=True)
    )
    return (repeated | run).fill_null(False)
