"""Free-text cleanup shared by the normalise stages, and the free-text fields stage.

Owns two ideas that every field needs: *squishing* a cell (trim, collapse inner
whitespace, blank -> null, Unicode NFC) and *folding* text into an ASCII matching key
(transliterate, casefold). Folding is vectorised for ASCII and accented Latin; only
the distinct values left with other scripts (Cyrillic, CJK, ``ł``, ``ø`` ...) go to
anyascii, once each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Final

import polars as pl
from anyascii import anyascii

from leadtriage import frame

# The package data reader moved to leadtriage.data_files; the normalise stages (and
# work in flight elsewhere) still import it from here.
from leadtriage.data_files import data_lines as data_lines  # noqa: PLC0414 (re-export)
from leadtriage.data_files import data_pairs as data_pairs  # noqa: PLC0414 (re-export)
from leadtriage.normalize.postcode import unwrapped, with_leading_zeros
from leadtriage.schema import Col, Field

# The struct of several `on_distinct` keys, while it groups and joins.
_PACKED_KEY = "_distinct.key"


# What Excel shows, and writes into a CSV it saves, for a formula that failed; the
# workbook reader writes an error cell the same way. None is a value a person typed.
EXCEL_ERRORS: Final = (
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
)  # fmt: skip
EXCEL_ERRORS_FOLDED: Final = [error.casefold() for error in EXCEL_ERRORS]
# The one error that says "no value" (a lookup that found nothing), casefolded; the
# others are a formula that broke, whose value is unknown.
_NO_VALUE: Final = "#n/a"


def unless_excel_error(text: pl.Expr) -> pl.Expr:
    """`text`, or null where it is an Excel error (``#REF!``, any case, blanks around
    it), which a CRM would take for a city or a name."""
    folded = text.str.strip_chars().str.to_lowercase()
    return pl.when(~folded.is_in(EXCEL_ERRORS_FOLDED).fill_null(False)).then(text)


@cache
def blank_placeholders(filename: str) -> list[str]:
    """The casefolded lines of a data file of blank placeholders ("n/a", "-"), and
    Excel's "#N/A", which no data file can hold: there "#" starts a comment. Not
    Excel's other errors: in an opt-out date a broken formula may have held a date
    (`unless_excel_error` blanks them where a value is no answer)."""
    return [_NO_VALUE, *(line.casefold() for line in data_lines(filename))]


def unless_placeholder(text: pl.Expr, filename: str) -> pl.Expr:
    """`text`, or null where it is one of the blank placeholders listed in `filename`
    (compared lowercased)."""
    return pl.when(~text.str.to_lowercase().is_in(blank_placeholders(filename))).then(text)


# What a free-text field holds when a form had no value for it ("n/a", "-").
TEXT_BLANK_FILE: Final = "text_blank_values.txt"

TEXT_FIELDS: tuple[Field, ...] = (
    Field.JOB_TITLE,
    Field.STATE,
    Field.CITY,
    Field.POSTCODE,
    Field.ADDRESS,
    Field.SOURCE,
)

# German umlauts transliterate by German rules so that "Müller" and "Mueller" meet.
_GERMAN_FOLDS: dict[str, str] = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
    "ß": "ss",
    "ẞ": "SS",
}


# The characters NFC may change, alone or after another: combining marks, the
# Hangul vowels and finals that join a syllable, and those NFC replaces (the Ångström
# sign, CJK compatibility ideographs, Greek oxia forms). A superset in places, checked
# against unicodedata over every code point (tests/normalize/test_text.py).
NFC_MAY_CHANGE: Final = (
    r"[\p{M}\x{0340}-\x{0387}\x{0900}-\x{0FFF}\x{1100}-\x{11FF}\x{1F00}-\x{1FFF}"
    r"\x{2000}\x{2001}\x{2126}-\x{212B}\x{2329}\x{232A}\x{2ADC}\x{F900}-\x{FB4F}"
    r"\x{1D15E}-\x{1D1C0}\x{2F800}-\x{2FA1D}]"
)


def _nfc_where_needed(values: pl.Series) -> pl.Series:
    """NFC for the values of a batch that hold a character it may change, the rest as
    they are: composing every value costs twice the rest of `squish`, and ASCII, and
    accented text typed composed (nearly all of it), is NFC already."""
    non_ascii = (values.str.len_bytes() != values.str.len_chars()).arg_true()
    if non_ascii.len() == 0:
        return values
    rows = non_ascii.filter(values.gather(non_ascii).str.contains(NFC_MAY_CHANGE))
    if rows.len() == 0:
        return values
    # A copy: the batch handed in may be another expression's column.
    return values.clone().scatter(rows, values.gather(rows).str.normalize("NFC"))


def nfc(expr: pl.Expr) -> pl.Expr:
    """Unicode NFC: "José" typed as "Jose" and a combining acute (macOS, some web
    forms) is the one-character "é" a CRM and the name regexes (``\\p{L}``) expect."""
    return expr.map_batches(_nfc_where_needed, return_dtype=pl.String, is_elementwise=True)


def squish(expr: pl.Expr) -> pl.Expr:
    """Trimmed, inner whitespace collapsed to one space, blank -> null, and NFC: the
    clean value of every text cell the stages write."""
    squished = expr.str.replace_all(r"\s+", " ").str.strip_chars()
    # One reference to `expr`: callers pass long chains that must not run twice.
    return nfc(squished.replace("", None))


def _anyascii_distinct(values: pl.Series) -> pl.Series:
    """anyascii over the distinct non-ASCII values of a batch, mapped back."""
    residue = values.filter(values.str.contains(r"[^\x00-\x7f]")).unique()
    if residue.len() == 0:
        return values
    mapping = {value: anyascii(value) for value in residue.to_list()}
    return values.replace(mapping)


def latin_fold(expr: pl.Expr) -> pl.Expr:
    """The vectorised part of `ascii_fold`: German umlauts as ae/oe/ue/ss, then
    accents dropped (NFKD without combining marks). Leaves other scripts as they are,
    and values with spacing accents ("´", "¨", "¸"), which NFKD turns into spaces."""
    # Composed first: an ü typed as u and a combining diaeresis would lose its mark
    # to `strip_accents` and key "muller" beside the composed "mueller".
    composed = nfc(expr)
    folded = strip_accents(german_folded(composed))
    return pl.when(composed.str.contains(r"\p{Sk}")).then(composed).otherwise(folded)


def german_folded(expr: pl.Expr) -> pl.Expr:
    """German umlauts and ß by German rules ("Müller" -> "Mueller"), nothing else.
    Composed ü only: `latin_fold` composes first."""
    return expr.str.replace_many(_GERMAN_FOLDS)


def strip_accents(expr: pl.Expr) -> pl.Expr:
    """Accents dropped: NFKD, then no combining marks (``é`` -> ``e``, ``ﬁ`` -> ``fi``).
    The one accent fold of the normalise stages; `latin_fold` adds German rules."""
    return expr.str.normalize("NFKD").str.replace_all(r"\p{Mn}", "")


def ascii_fold(expr: pl.Expr) -> pl.Expr:
    """Transliterate to ASCII: `latin_fold`, then anyascii for what is still not
    ASCII (once per distinct value). Case is kept."""
    return latin_fold(expr).map_batches(
        _anyascii_distinct, return_dtype=pl.String, is_elementwise=True
    )


def match_key(expr: pl.Expr) -> pl.Expr:
    """ASCII-folded, casefolded, letters and digits only (single spaces kept between
    words); null when nothing is left."""
    words = (
        ascii_fold(expr)
        .str.to_lowercase()
        .str.replace_all(r"['’`´]", "")
        .str.replace_all(r"[^a-z0-9]+", " ")
    )
    return squish(words)


def on_distinct(
    lf: pl.LazyFrame,
    keys: Sequence[str],
    compute: Callable[[pl.LazyFrame], pl.LazyFrame],
    outputs: Sequence[str],
    *,
    row_count: str | None = None,
) -> pl.LazyFrame:
    """Run `compute` once per distinct combination of the `keys` columns and set its
    `outputs` beside every row (order and row count kept; `outputs` must be new
    columns).

    Contact lists repeat their values (countries, companies, date formats, names):
    string work per distinct value instead of per row is what keeps a million rows
    in seconds. With `row_count`, the distinct frame carries how many rows each
    combination stands for, for computations that weigh rows (majorities)."""
    # The frame is read three times (distinct values, keys, the frame): cached, its plan is
    # shared instead of copied, or each stage would double the plan of all before it.
    shared = lf.cache()
    rows = row_count or "_distinct.rows"
    if len(keys) == 1 and not shared.collect_schema()[keys[0]].is_nested():
        key = pl.col(keys[0])
        distinct = shared.group_by(key).agg(pl.len().alias(rows))
    else:
        # Several keys, or list keys (consent answers): grouped and joined as one
        # struct column. The same rows meet, in a fraction of the time of a
        # multi-column or list join (consent's three answer lists at 1M rows: 0.1 s
        # against 0.6 s).
        key = pl.struct(keys).alias(_PACKED_KEY)
        distinct = shared.group_by(key).agg(pl.len().alias(rows)).unnest(_PACKED_KEY)
    computed = compute(distinct).select(key, *outputs)
    # Joined onto the key alone and set beside the frame: joined onto the frame
    # itself, the join would gather every column the frame carries.
    found = shared.select(key).join(
        computed,
        on=key.meta.output_name(),
        how="left",
        nulls_equal=True,
        validate="m:1",
        maintain_order="left",
    )
    return pl.concat([shared, found.select(outputs)], how="horizontal")


def per_distinct(
    values: pl.Expr, compute: Callable[[pl.Expr], pl.Expr], return_dtype: pl.DataType
) -> pl.Expr:
    """`compute(values)` worked out once per distinct value and joined back: for an
    elementwise expression of `values` alone that costs per row (suffix patterns on
    mail domains, a few dozen of them in a million rows)."""

    def run(batch: pl.Series) -> pl.Series:
        rows = batch.rename("value").to_frame()
        distinct = rows.unique().with_columns(compute(pl.col("value")).alias("computed"))
        joined = rows.join(
            distinct, on="value", how="left", nulls_equal=True, maintain_order="left"
        )
        return joined.get_column("computed").alias(batch.name)

    # Not elementwise: the streaming engine would hand over morsels, and a value
    # repeated across morsels would be worked out once per morsel.
    return values.map_batches(run, return_dtype=return_dtype)


def _clean_text(field: str) -> pl.Expr:
    raw = pl.col(frame.raw(field)).cast(pl.String)
    if field == Field.ADDRESS:
        # Multi-line addresses from forms become one line a CRM field can hold.
        raw = raw.str.replace_all(r"[\s,]*[\r\n][\s,]*", ", ").str.strip_chars(" ,")
    cleaned = squish(raw)
    # One test for both lists: each is a lower-casing of every cell.
    blank = cleaned.str.to_lowercase().is_in(_text_blanks())
    return pl.when(~blank).then(cleaned).alias(Col(field))  # spelled as its field


@cache
def _text_blanks() -> list[str]:
    """What a free-text field holds when it holds nothing: its placeholders and every
    Excel error (a formula that broke is no job title either)."""
    return sorted({*blank_placeholders(TEXT_BLANK_FILE), *EXCEL_ERRORS_FOLDED})


def normalize_text(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``job_title``, ``state``, ``city``, ``postcode``, ``address``, ``source``:
    the raw text trimmed, inner whitespace collapsed, blank -> null. Never re-typed, so
    postcodes keep their leading zeros; where ``country_code`` says how long they are,
    the zeros a spreadsheet dropped come back (``normalize.postcode``)."""
    cleaned = lf.with_columns(_clean_text(field) for field in TEXT_FIELDS).with_columns(
        unwrapped(pl.col(Col.POSTCODE)).alias(Col.POSTCODE)
    )
    if Col.COUNTRY_CODE not in lf.collect_schema():
        return cleaned
    postcode = with_leading_zeros(pl.col(Col.POSTCODE), pl.col(Col.COUNTRY_CODE))
    return cleaned.with_columns(postcode.alias(Col.POSTCODE))
