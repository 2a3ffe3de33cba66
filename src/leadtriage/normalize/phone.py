"""Phone numbers: E.164, type and extension, with phonenumbers as the authority.

Vectorised: blanks and placeholders, extensions, ``tel:`` prefixes, spreadsheet
damage (scientific notation), made-up digit patterns, and the reduction of every
cell to a lookup key (``+`` and digits, or the text itself for vanity numbers such as
``1-800-FLOWERS``). Validity is never guessed by a pattern of ours: phonenumbers'
metadata decides, once per distinct (key, region) pair. Where the library's reading
of a key is plain (written with "+", an international prefix, or nationally with a
plain trunk prefix), its patterns are run in Polars over all such numbers at once and
settle the valid ones (``phone_patterns``, held to ``check_number`` by differential
tests); every other key is one library call, and on a large file half of those go to
a helper process on the second core (``phone_split``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

import phonenumbers
import polars as pl
from phonenumbers import (
    REGION_CODE_FOR_NON_GEO_ENTITY,
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberType,
)
from phonenumbers.phonenumberutil import (
    COUNTRY_CODE_TO_REGION_CODE,
    _number_desc_by_type,
    _number_type_helper,
)
from phonenumbers.re_util import re_compile

from leadtriage import frame
from leadtriage.normalize.phone_patterns import (
    calling_codes,
    read_as_national,
    read_as_plus,
    settled_with_plus,
)
from leadtriage.normalize.phone_split import checked_on_two_cores
from leadtriage.normalize.text import blank_placeholders, data_lines
from leadtriage.schema import Col

# Keep phonenumbers' compiled metadata patterns instead of going through the re
# module's cache on every match (a tenth of the library's time on a large file).
phonenumbers.enable_pattern_cache()


# Where the region a phone was read with came from, in the order they are tried.
# An explicit +/00 prefix needs no region; "calling_code" is a number without "+"
# that already starts with the calling code of the row's country, or with another
# country's written apart ("44 7911 123458" in a German row: `_with_foreign_code`).
REGION_SOURCES: Final = (
    "prefix",
    "country",
    "calling_code",
    "email_domain",
    "file_country",
    "default_region",
)
# Regions that are guesses about the person, not facts the row states.
GUESSED_SOURCES: Final = ("email_domain", "file_country")
# A file's dominant country must hold more than this share of its rows with a country.
_DOMINANT_SHARE: Final = 0.5

_INVISIBLE: Final = " \t\r\n\u00a0\u2007\u200b\u200c\u200d\u2060\u202f\u3000\ufeff"

# "ext. 45", "x123", "#12", "extension 7", "poste 12" (fr), "Durchwahl 3" / "DW 3" (de).
_EXTENSION_PATTERN: Final = (
    r"(?i)[\s,;]*(?:ext\.?|extn\.?|extension|x|#|poste|durchwahl|dw\.?)\s*[:.=]?\s*(\d{1,7})$"
)
# The same words with no digits after them ("+1 415 555 2671 ext.", a form's empty
# extension box): phonenumbers would read their letters as a vanity number's digits.
# Only as a word of its own, after a space or a comma.
_EMPTY_EXTENSION: Final = r"(?i)[\s,;]+(?:ext\.?|extn\.?|extension|poste|durchwahl|dw\.?)\s*[:.=]?$"
# Excel's rendering of a long number: 4.47911E+11, 4,47911E+11 (European decimals).
# ... and that rendering saved back as a number: 447911000000, its last digits lost.
# Only bare digits (how a spreadsheet stores a number) with six zeros or more at the
# end: a typed number ending in zeros has its "+" or its spaces.
_SCIENTIFIC_PATTERN: Final = r"^[+-]?\d+(?:[.,]\d+)?[eE][+]?\d+$|^[1-9]\d{4,}0{6,}(?:\.0+)?$"
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
        "how": pl.String,
    }
)

# Temporary columns of this stage, dropped before it returns.
_REGION: Final = "_phone.region"
_REGION_SOURCE: Final = "_phone.region_source"
_PHONE_CELL: Final = "_phone.phone_cell"
_MOBILE_CELL: Final = "_phone.mobile_cell"
_PHONE_CHECKED: Final = "_phone.phone_checked"
_MOBILE_CHECKED: Final = "_phone.mobile_checked"
_CELL: Final = "_phone.cell"
_CHECKED_COL: Final = "_phone.checked"
_TEMPORARY: Final = (
    _REGION,
    _REGION_SOURCE,
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
    """Placeholders that mean no phone was given (``n/a``, ``-``, ``none`` ...), and
    Excel's ``#N/A`` (its other errors are a number that failed, ``phone.invalid``)."""
    return frozenset(blank_placeholders("phone_missing_values.txt"))


@cache
def generic_cctlds() -> frozenset[str]:
    """Country-code TLDs sold as generic names (``.io``, ``.co``, ``.me`` ...): they
    say nothing about where the person is."""
    return frozenset(line.casefold() for line in data_lines("phone_generic_cctlds.txt"))


def normalize_phone(lf: pl.LazyFrame, default_region: str | None = None) -> pl.LazyFrame:
    """Add ``phone_e164``, ``phone_type``, ``phone_extension``, ``mobile_e164``,
    ``phone_region_source`` and the ``flag.phone.*`` findings, reading ``raw.phone``,
    ``raw.mobile``, ``country_code`` and ``email_domain``.

    The region a number is read with is, in this order (``phone_region_source``
    names the one that decided): an explicit ``+``, ``00`` or ``011`` prefix (no
    region needed); the row's ``country_code``; a number without ``+`` that already
    starts with that country's calling code (``4915118674829`` in Germany is
    ``+4915118674829``, never ``+494915118674829``), or with another country's
    calling code written apart where the row's country writes a trunk prefix
    (``44 7911 123458`` in Germany is ``+447911123458``: `_with_foreign_code`); the
    country of the email's domain (``.de``, ``.co.uk``, ``.com.br``); the dominant
    country of the row's file; ``default_region``. A number valid only under a
    guessed region (email domain, file) is converted and flagged
    ``phone.region_guessed``.

    ``phone_e164`` and ``phone_type`` are set only for valid numbers. When
    ``raw.phone`` is blank and ``raw.mobile`` is not, the phone columns and findings
    come from the mobile value. A number that is valid only once a leading zero lost
    in a spreadsheet is restored is converted and flagged ``phone.mangled``;
    scientific notation (``4.47911E+11``, or saved back as ``447911000000``) is
    flagged ``phone.mangled`` and never converted: its digits are gone.
    """
    with_cells = _with_cells(
        _with_region(lf, default_region),
        {frame.raw("phone"): _PHONE_CELL, frame.raw("mobile"): _MOBILE_CELL},
    )
    return (
        with_cells.with_columns(
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
            pl.col(_CHECKED_COL).struct.field("e164").alias(Col.PHONE_E164),
            pl.col(_CHECKED_COL).struct.field("type").alias(Col.PHONE_TYPE),
            pl.coalesce(
                pl.col(_CELL).struct.field(_EXT), pl.col(_CHECKED_COL).struct.field("extension")
            ).alias(Col.PHONE_EXTENSION),
            pl.col(_MOBILE_CHECKED).struct.field("e164").alias(Col.MOBILE_E164),
            _region_source(pl.col(_CELL), pl.col(_CHECKED_COL)).alias(Col.PHONE_REGION_SOURCE),
            *_flags(pl.col(_CELL), pl.col(_CHECKED_COL)),
        )
        .drop(_TEMPORARY)
    )


@cache
def _supported_regions() -> dict[str, str]:
    """Region code, as the country stage writes it or in lower case -> the code."""
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    return {**{r: r for r in regions}, **{r.lower(): r for r in regions}}


@cache
def _cctld_regions() -> dict[str, str]:
    """ ".de" -> "DE" for every country-code TLD that names a phone region (".uk" is
    GB), except those sold as generic names."""
    tlds = {r.lower(): r for r in phonenumbers.SUPPORTED_REGIONS} | {"uk": "GB"}
    return {f".{tld}": region for tld, region in tlds.items() if tld not in generic_cctlds()}


def _with_region(lf: pl.LazyFrame, default_region: str | None) -> pl.LazyFrame:
    """Add ``_REGION`` and ``_REGION_SOURCE``: each row's region before the number is
    read, and where it came from. Lookups (``replace_strict``), not string work, per
    row; the file's dominant country from a small aggregate joined back."""
    schema = lf.collect_schema()
    default = default_region.upper() if default_region else None
    nothing = pl.lit(None, dtype=pl.String)
    country, email, dominant = "_phone.by_country", "_phone.by_email", "_phone.by_file"
    with_candidates = lf.with_columns(
        (
            pl.col(Col.COUNTRY_CODE).replace_strict(_supported_regions(), default=None)
            if Col.COUNTRY_CODE in schema
            else nothing
        ).alias(country),
        (
            pl.col(Col.EMAIL_DOMAIN)
            .str.slice(-3)
            .replace_strict(_cctld_regions(), default=None, return_dtype=pl.String)
            if Col.EMAIL_DOMAIN in schema
            else nothing
        ).alias(email),
    )
    if frame.SOURCE_FILE in schema:
        # Not elementwise: the shares are the whole frame's. Joined inside, on the two
        # columns: a join of the frame itself gathered every column it carries.
        by_file = pl.struct(
            pl.col(frame.SOURCE_FILE).alias("file"), pl.col(country).alias("country")
        )
        with_candidates = with_candidates.with_columns(
            by_file.map_batches(_dominant_by_file, return_dtype=pl.String).alias(dominant)
        )
    else:
        share = pl.len().over(country) / pl.col(country).is_not_null().sum()
        with_candidates = with_candidates.with_columns(
            pl.when(pl.col(country).is_not_null() & (share > _DOMINANT_SHARE))
            .then(pl.col(country))
            .max()
            .alias(dominant)
        )
    default_expr = pl.lit(
        default if default in phonenumbers.SUPPORTED_REGIONS else None, dtype=pl.String
    )
    candidates = (
        ("country", pl.col(country)),
        ("email_domain", pl.col(email)),
        ("file_country", pl.col(dominant)),
        ("default_region", default_expr),
    )
    source: pl.Expr = nothing
    for name, expr in reversed(candidates):
        source = pl.when(expr.is_not_null()).then(pl.lit(name)).otherwise(source)
    return with_candidates.with_columns(
        pl.coalesce([expr for _, expr in candidates]).alias(_REGION), source.alias(_REGION_SOURCE)
    ).drop(country, email, dominant)


def _dominant_by_file(rows: pl.Series) -> pl.Series:
    """Per row of (file, country) structs: the country that holds more than
    `_DOMINANT_SHARE` of its file's rows with a country, else null."""
    pairs = rows.struct.unnest()
    shares = (
        pairs.group_by("file", "country")
        .len()
        .filter(pl.col("country").is_not_null())
        .with_columns(pl.col("len") / pl.col("len").sum().over("file"))
        .filter(pl.col("len") > _DOMINANT_SHARE)
        .select("file", pl.col("country").alias("dominant"))
    )
    joined = pairs.join(shares, on="file", how="left", maintain_order="left", nulls_equal=True)
    return joined.get_column("dominant").alias(rows.name)


def _region_source(cell: pl.Expr, checked: pl.Expr) -> pl.Expr:
    """Which step decided the region of the row's number (null without a number)."""
    how = checked.struct.field("how")
    written_prefix = cell.struct.field(_KEY).str.starts_with("+")
    return (
        pl.when(cell.struct.field(_NUMBER).is_null())
        .then(None)
        .when((how == "prefix") | written_prefix)
        .then(pl.lit("prefix"))
        .when(how == "calling_code")
        .then(pl.lit("calling_code"))
        .otherwise(pl.col(_REGION_SOURCE))
    )


def _with_cells(lf: pl.LazyFrame, cells: dict[str, str]) -> pl.LazyFrame:
    """For each ``raw column: cell column`` pair, what the cell holds, as a struct: the
    number text (null when blank or a placeholder), its lookup key, the extension
    digits, and whether it is scientific notation.

    Built in steps, each intermediate a temporary column: as one nested expression,
    every use of the number text would repeat the clean-up that produces it."""
    text, number, extension, scientific = ".text", ".number", ".extension", ".scientific"
    temporary = [cell + part for cell in cells.values() for part in (text, number, extension)]
    temporary += [cell + scientific for cell in cells.values()]

    def stripped(raw: str) -> pl.Expr:
        trimmed = pl.col(raw).cast(pl.String).str.strip_chars(_INVISIBLE)
        unmarked = trimmed.str.replace(_TEXT_MARKERS, "$quoted$marked").str.strip_chars(_INVISIBLE)
        untagged = (
            unmarked.str.replace(r"(?i)^tel:(?://)?", "")
            .str.replace_all(_WORDS_IN_BRACKETS, "")
            .str.replace(_BRACKETED_COUNTRY_CODE, "+$1 ")
            .str.replace(_EXCEL_DECIMAL, "$1")
        )
        return _first_of_several(untagged.str.strip_chars(_INVISIBLE))

    def without_extension(cell: str) -> pl.Expr:
        written = pl.col(cell + text)
        found = pl.col(cell + extension)
        number = (
            pl.when(found.is_not_null())
            .then(written.str.replace(_EXTENSION_PATTERN, ""))
            .otherwise(written.str.replace(_EMPTY_EXTENSION, ""))
            .str.strip_chars(_INVISIBLE)
        )
        placeholder = number.str.to_lowercase().is_in(list(missing_values()))
        return pl.when((number.str.len_bytes() > 0) & ~placeholder).then(number)

    def cell_struct(cell: str) -> pl.Expr:
        number_col = pl.col(cell + number)
        is_scientific = pl.col(cell + scientific)
        return pl.struct(
            number_col.alias(_NUMBER),
            pl.when(~is_scientific).then(_lookup_key(number_col)).alias(_KEY),
            pl.when(number_col.is_not_null()).then(pl.col(cell + extension)).alias(_EXT),
            is_scientific.alias(_SCIENTIFIC),
        )

    return (
        lf.with_columns(stripped(raw).alias(cell + text) for raw, cell in cells.items())
        .with_columns(
            pl.col(cell + text).str.extract(_EXTENSION_PATTERN, 1).alias(cell + extension)
            for cell in cells.values()
        )
        .with_columns(without_extension(cell).alias(cell + number) for cell in cells.values())
        .with_columns(
            pl.col(cell + number)
            .str.contains(_SCIENTIFIC_PATTERN)
            .fill_null(False)
            .alias(cell + scientific)
            for cell in cells.values()
        )
        .with_columns(cell_struct(cell).alias(cell) for cell in cells.values())
        .drop(temporary)
    )


# What a spreadsheet or an export wraps around a number to keep it text: the cell in
# quotes (a CSV quoted twice, Excel's ="..."), or a leading apostrophe (Excel's text
# marker, and what exports safe from formula injection put before a "+"). Left in,
# it hides the "+" and the number is read in the row's country ("'+44 20 7946 0958"
# in a German row became +49 44...).
_TEXT_MARKERS: Final = r"^(?:=?\"(?P<quoted>.*)\"|['‘’](?P<marked>.*?)['‘’]?)$"
# A note in brackets beside a number, "(mobile)", "[Handy]": phonenumbers would read
# its letters as a vanity number's digits. Brackets holding digits ("(0)") stay.
_WORDS_IN_BRACKETS: Final = r"\s*[(\[]\s*\p{L}[\p{L}\s.'’-]*[)\]]"
# "(+44) 7911 123468": the country code in brackets (the library reads no number).
_BRACKETED_COUNTRY_CODE: Final = r"^\(\s*\+\s*(\d{1,3})\s*\)\s*"
# "447911123456.0": a spreadsheet's number saved as text, its digits all there.
_EXCEL_DECIMAL: Final = r"^(\+?[\d\s]+\d)\.0$"
# Between two numbers in one cell: "/", ";", "|", "," or a word for "or".
_NUMBER_SEPARATOR: Final = r"\s*(?:/|;|\||,|\s(?:or|oder|ou|o)\s)\s*"
# Each side of a separator needs this many digits to be a number of its own: a slash
# inside one number ("030/1234567", "+49 151/12345678") leaves a side shorter.
_MIN_NUMBER_DIGITS: Final = 7


def _first_of_several(text: pl.Expr) -> pl.Expr:
    """The first of two numbers written in one cell ("030 1234567 / 0151 12345678"):
    the cell as a whole is no number. Anything else as it is."""
    first = text.str.extract(rf"^(.+?){_NUMBER_SEPARATOR}", 1)
    rest = text.str.replace(rf"^(.+?){_NUMBER_SEPARATOR}", "")

    def digits(part: pl.Expr) -> pl.Expr:
        return part.str.count_matches(r"\d")

    several = (digits(first) >= _MIN_NUMBER_DIGITS) & (digits(rest) >= _MIN_NUMBER_DIGITS)
    return pl.when(several.fill_null(False)).then(first).otherwise(text)


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
    """phonenumbers' verdict per row, computed once per distinct (key, region, lead)."""
    key = cell.struct.field(_KEY)
    lead = _calling_code_apart(cell.struct.field(_NUMBER), region)
    # A key written with "+" reads the same under every region (`check_number` uses
    # the region only for keys without it): one call per such key, not one per
    # (key, region) pair (bench/generate.py's million rows: 373k calls, not 439k).
    region = pl.when(~key.str.starts_with("+")).then(region)
    # Not elementwise: the streaming engine would hand over morsels, and a pair
    # repeated across morsels would go to the library once per morsel.
    return pl.struct(key.alias("key"), region.alias("region"), lead.alias("lead")).map_batches(
        _check_distinct, return_dtype=_CHECKED
    )


# A cell's first group of one to three digits, written apart from the rest:
# "44 7911 123458", "(44) 7911 123458", "44-7911-123458".
_GROUP_APART: Final = r"^\(?(\d{1,3})(?:\)|[\s./-])"


def _calling_code_apart(number: pl.Expr, region: pl.Expr) -> pl.Expr:
    """The ``lead`` `check_number` takes: the cell's first group of digits when it is
    a calling code written apart and the row's country writes a trunk prefix; else
    null, so that cells which cannot use it are looked up together whatever their
    spacing (a "+" or a leading 0 never starts such a group)."""
    group = number.str.extract(_GROUP_APART, 1)
    usable = region.is_in(sorted(_trunk_regions())) & group.is_in(calling_codes())
    return pl.when(usable).then(group)


def _check_distinct(pairs: pl.Series) -> pl.Series:
    rows = pairs.struct.unnest()
    distinct = rows.filter(pl.col("key").is_not_null()).unique()
    settled = _settled_without_the_library(distinct)
    rest = distinct.join(settled, on=["key", "region", "lead"], how="anti", nulls_equal=True)
    lookup = pl.concat([settled, rest.with_columns(check_numbers(rest).alias("checked"))])
    joined = rows.join(
        lookup,
        on=["key", "region", "lead"],
        how="left",
        maintain_order="left",
        nulls_equal=True,
    )
    return joined.get_column("checked")


def _settled_without_the_library(distinct: pl.DataFrame) -> pl.DataFrame:
    """(key, region, lead, checked) for the keys read as a number written with "+"
    (`read_as_plus`) or as a national number of the row's region (`read_as_national`)
    whose verdict the library's patterns settle (phone_patterns): what `check_number`
    gives them."""
    read = pl.concat(
        [
            read_as_plus(distinct).with_columns(how=pl.lit("prefix")),
            read_as_national(distinct).with_columns(how=pl.lit("region")),
        ]
    )
    settled = settled_with_plus(read["plus"].unique(), _TYPE_NAMES)
    return read.join(settled, left_on="plus", right_on="key").select(
        "key",
        "region",
        "lead",
        pl.struct(
            "e164",
            "type",
            "possible",
            pl.lit(False).alias("lost_zero"),
            "national",
            pl.lit(None, dtype=pl.String).alias("extension"),
            "how",
        ).alias("checked"),
    )


def check_numbers(pairs: pl.DataFrame) -> pl.Series:
    """``check_number`` for each row of ``pairs`` (columns ``key``, ``region`` and
    optionally ``lead``), in order (on two cores when there are many)."""
    return checked_on_two_cores(pairs, check_numbers_here)


# Verdicts are made as Python dicts, about half a kilobyte each with their strings:
# a slice at a time becomes a Polars column, so ten million distinct numbers never
# hold gigabytes of dicts at once.
_CHECK_SLICE: Final = 50_000


def check_numbers_here(pairs: pl.DataFrame) -> pl.Series:
    """``check_number`` for each row of ``pairs``, in order, in this process."""
    if "lead" not in pairs.columns:
        pairs = pairs.with_columns(pl.lit(None, dtype=pl.String).alias("lead"))
    slices = [
        pl.Series(
            "checked",
            [check_number(key, region, lead) for key, region, lead in part.iter_rows()],
            dtype=_CHECKED,
        )
        for part in pairs.select("key", "region", "lead").iter_slices(_CHECK_SLICE)
    ]
    return pl.concat(slices) if slices else pl.Series("checked", [], dtype=_CHECKED)


def check_number(
    key: str, region: str | None, lead: str | None = None
) -> dict[str, str | bool | None]:
    """One lookup key through phonenumbers: ``e164`` and ``type`` (valid numbers only),
    ``possible`` (only for keys that phonenumbers does not read as valid as written,
    else null: the stage reads it only for numbers left invalid), ``lost_zero`` (valid
    only with a leading zero restored), the ``national`` significant number, any
    ``extension`` phonenumbers found, and ``how`` it was read: ``prefix`` (``+``,
    ``00``, ``011``), ``calling_code`` (digits that start with the region's calling
    code, or with another country's written apart as ``lead``, read as if ``+`` were
    written: `_with_foreign_code`) or ``region``."""
    parsed = _parse(key, region)
    verdict = _verdict(parsed) if parsed is not None else None
    how: str | None = None
    possible: bool | None = None
    if verdict is not None:
        how = "prefix" if _written_international(key, verdict) else "region"
    else:
        possible = parsed is not None and phonenumbers.is_possible_number(parsed)
    with_code = _with_calling_code(key, region)
    if with_code is not None and (verdict is None or not _same_number(verdict, with_code)):
        verdict, how = with_code, "calling_code"
    if verdict is None:
        verdict = _with_international_prefix(key)
        how = "prefix" if verdict is not None else None
    if verdict is None and region is None:
        verdict = _with_its_plus_lost(key)
        how = "calling_code" if verdict is not None else None
    lost_zero = False
    if verdict is None and region is not None and key.isdigit() and not key.startswith("0"):
        restored = _parse("0" + key, region)
        verdict = _verdict(restored) if restored is not None else None
        lost_zero = verdict is not None
        how = "region" if lost_zero else None
    if lead is not None and how in (None, "region") and not lost_zero:
        foreign = _with_foreign_code(key, region, lead, verdict)
        if foreign is not None:
            verdict, how = foreign, "calling_code"
    result: dict[str, str | bool | None] = {
        "e164": None,
        "type": None,
        "possible": possible,
        "lost_zero": lost_zero,
        "national": None,
        "extension": None,
        "how": how,
    }
    if verdict is not None:
        valid, national, kind = verdict
        result["e164"] = _e164(verdict)
        result["type"] = _TYPE_NAMES.get(kind)
        result["national"] = national
        result["extension"] = valid.extension
    elif parsed is not None:
        result["national"] = phonenumbers.national_significant_number(parsed)
        result["extension"] = parsed.extension
    return result


def _e164(verdict: tuple[PhoneNumber, str, int]) -> str:
    return phonenumbers.format_number(verdict[0], phonenumbers.PhoneNumberFormat.E164)


def _same_number(a: tuple[PhoneNumber, str, int], b: tuple[PhoneNumber, str, int]) -> bool:
    """Equal E.164 forms, compared without formatting: the calling code and the
    national significant number."""
    return a[0].country_code == b[0].country_code and a[1] == b[1]


def _written_international(key: str, verdict: tuple[PhoneNumber, str, int]) -> bool:
    """The key spells the whole number after ``+``, ``00`` or ``011``: its writer gave
    the country, whatever the row's region."""
    if key.startswith("+"):
        return True
    digits = f"{verdict[0].country_code}{verdict[1]}"
    return any(key.startswith(prefix) and key[len(prefix) :] == digits for prefix in ("00", "011"))


def _with_calling_code(key: str, region: str | None) -> tuple[PhoneNumber, str, int] | None:
    """Digits that start with the calling code of ``region`` (and not with a trunk
    ``0``), read as an international number, when that is a valid number of a region
    sharing the calling code: ``4915118674829`` in DE is ``+49 1511 8674829``.
    Loose national plans (Germany's) would otherwise accept the digits as a national
    number and double the code."""
    if region is None or not key.isdigit() or key.startswith("0"):
        return None
    calling_code = str(phonenumbers.country_code_for_region(region))
    if calling_code == "0" or not key.startswith(calling_code):
        return None
    parsed = _parse("+" + key, None)
    return _verdict(parsed) if parsed is not None else None


# A kind of number admitting this many lengths or more is an open numbering plan's
# (German and Austrian fixed lines: ten or eleven lengths); closed plans admit one to
# three (British 9 or 10, Swedish 7 to 9 digits).
_OPEN_PLAN_LENGTHS: Final = 5


def _with_foreign_code(
    key: str,
    region: str | None,
    lead: str,
    national: tuple[PhoneNumber, str, int] | None,
) -> tuple[PhoneNumber, str, int] | None:
    """Digits that start with another country's calling code written apart (``lead``),
    read as an international number when that is valid there and the row's reading
    is no evidence against it: ``44 7911 123458`` in a German row is
    ``+44 7911 123458``, not ``+49 4479 11123458``.

    Only where the row's country writes its numbers with a trunk prefix the digits
    lack: a subscriber typing their own number types the 0, and one who leaves it
    out starts with an area code, not a calling code set apart. The row's own reading
    (``national``) stands when it is valid in a closed plan: there a valid number is
    evidence (London's ``20 3123 4567`` is also Egyptian, Zurich's ``43 123 45 67``
    Austrian), while Germany's and Austria's open plans take most foreign numbers
    with their codes as numbers of their own. Mobiles are a closed plan in Germany
    too, which keeps ``1 512 345 6789`` (also +1 512 ...) the German mobile it is.
    Unspaced digits give no lead: a German number whose 0 a spreadsheet dropped looks
    the same as a foreign one whose ``+`` it dropped."""
    if region is None or not key.isdigit() or not key.startswith(lead):
        return None
    trunk = _trunk_prefix(region)
    if trunk is None or key.startswith(trunk):
        return None
    if lead == str(phonenumbers.country_code_for_region(region)):
        return None
    if national is not None and not _open_plan(region, national[2]):
        return None
    parsed = _parse("+" + key, None)
    verdict = _verdict(parsed) if parsed is not None else None
    if verdict is None or str(verdict[0].country_code) != lead:
        return None
    return verdict


@cache
def _trunk_prefix(region: str) -> str | None:
    """The trunk prefix the region's numbers are written with (``0`` in Germany, ``8``
    in Russia), None where it has none (Italy, Poland, Spain) or its numbers are
    written without it (the NANP's ``1``, Brazil's ``0``): the national format of
    its example fixed-line and mobile numbers says which."""
    metadata = PhoneMetadata.metadata_for_region(region, None)
    prefix = metadata.national_prefix if metadata is not None else None
    if not prefix:
        return None
    examples = [
        example
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE)
        if (example := phonenumbers.example_number_for_type(region, kind)) is not None
    ]
    written = [
        phonenumbers.normalize_digits_only(
            phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
        )
        for example in examples
    ]
    if not written or not all(digits.startswith(prefix) for digits in written):
        return None
    return str(prefix)


@cache
def _trunk_regions() -> frozenset[str]:
    return frozenset(r for r in phonenumbers.SUPPORTED_REGIONS if _trunk_prefix(r) is not None)


@cache
def _open_plan(region: str, kind: int) -> bool:
    """Numbers of ``kind`` in ``region`` come in many lengths (`_OPEN_PLAN_LENGTHS`)."""
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return False
    own = _number_desc_by_type(metadata, kind)
    # A kind without lengths of its own has the region's.
    desc = own if own is not None and own.possible_length else metadata.general_desc
    lengths = desc.possible_length if desc is not None else ()
    return len([length for length in lengths if length > 0]) >= _OPEN_PLAN_LENGTHS


def _verdict(number: PhoneNumber) -> tuple[PhoneNumber, str, int] | None:
    """``(number, national significant number, type)`` when phonenumbers'
    ``is_valid_number`` holds, else None; the type is what ``number_type`` returns.

    Follows ``is_valid_number`` step by step (``region_code_for_number``, then
    ``is_valid_number_for_region``) but works out the type patterns at most once:
    ``is_valid_number`` computes the type and keeps only whether it is known,
    ``number_type`` then repeats the region lookup and the patterns, and the region
    lookup itself matches the patterns of the country's main region when a calling code
    is shared (+1, +44, +7). The differential tests compare this with the public
    functions.
    """
    country_code = number.country_code
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code) if country_code is not None else None
    if country_code is None or not regions:
        return None
    national = phonenumbers.national_significant_number(number)
    region, kind = _region_and_type(national, regions)
    if region is None:
        return None
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region.upper())
    if metadata is None or (
        region != REGION_CODE_FOR_NON_GEO_ENTITY
        and country_code != phonenumbers.country_code_for_valid_region(region)
    ):
        return None
    if kind is None:
        kind = _number_type_helper(national, metadata)
    if kind == PhoneNumberType.UNKNOWN:
        return None
    return number, national, kind


def _region_and_type(national: str, regions: tuple[str, ...]) -> tuple[str | None, int | None]:
    """``region_code_for_number`` over the regions of the calling code, with the type
    when finding the region took matching the type patterns (that region's metadata
    is the one ``is_valid_number_for_region`` then uses)."""
    if len(regions) == 1:
        return regions[0], None
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is None:
            continue
        if metadata.leading_digits is not None:
            if re_compile(metadata.leading_digits).match(national):
                return region, None
        else:
            kind = _number_type_helper(national, metadata)
            if kind != PhoneNumberType.UNKNOWN:
                return region, kind
    return None, None


def _parse(key: str, region: str | None) -> PhoneNumber | None:
    try:
        return phonenumbers.parse(key, None if key.startswith("+") else region)
    except NumberParseException:
        return None


def _with_international_prefix(key: str) -> tuple[PhoneNumber, str, int] | None:
    """``0044 ...`` or ``011 44 ...`` read as ``+44 ...`` when the row's region does not
    use that prefix (or there is no region): the writer's prefix wins."""
    for prefix in ("00", "011"):
        if key.startswith(prefix) and key.isdigit():
            parsed = _parse("+" + key[len(prefix) :], None)
            verdict = _verdict(parsed) if parsed is not None else None
            if verdict is not None:
                return verdict
    return None


# Digits read as if "+" were written when no country is known at all: an
# international number a spreadsheet stored as a number (447911123456). Eleven
# digits or more, so no national number of ten; never a leading 1, which is as
# often a German mobile without its 0 (151...) as a North American number.
_PLUS_LOST: Final = re.compile(r"[2-9]\d{10,14}")


def _with_its_plus_lost(key: str) -> tuple[PhoneNumber, str, int] | None:
    if _PLUS_LOST.fullmatch(key) is None:
        return None
    parsed = _parse("+" + key, None)
    return _verdict(parsed) if parsed is not None else None


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

    guessed = (
        valid
        & pl.col(_REGION_SOURCE).is_in(GUESSED_SOURCES)
        & checked.struct.field("how").is_in(("region", "calling_code"))
    )
    return [
        missing.alias(frame.flag("phone.missing")),
        finding(guessed, "phone.region_guessed"),
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
    # A run is the stretch of the ascending (descending) sequence that starts at its
    # first digit: compared as text, so the cell is never read as a pattern (a
    # five-million-digit cell made a column-valued `str.contains` overflow the
    # regex compiler even with literal=True).
    first = digits.str.slice(0, 1).cast(pl.Int64, strict=False)
    ascending = pl.lit(_ASCENDING).str.slice(first, length)
    descending = pl.lit(_DESCENDING).str.slice(9 - first, length)
    run = (length >= _MIN_FAKE_RUN) & ((digits == ascending) | (digits == descending))
    return (repeated | run).fill_null(False)
