"""Postcodes whose leading zeros a spreadsheet dropped.

Excel reads ``01067`` (Dresden) or ``02134`` (Boston) as a number and writes it back as
``1067`` and ``2134``; a CRM then holds a postcode that exists nowhere. Where the
country's postcodes are all digits of one length, a value of digits that is short of
it by no more zeros than the country's codes can start with gets them back. Before
that, what a spreadsheet wraps around a value to keep it text (``="01067"``,
``'01067``) or writes after a whole number (``1067.0``) is taken off. Every other
value is kept as typed (the text stage only trims it).
"""

from __future__ import annotations

from typing import Final

import polars as pl

# Country -> (digits in every postcode, most leading zeros one can start with).
# "00501" (Holtsville, NY), "00100" (Rome, Helsinki), "0001" (Oslo, Pretoria); German,
# French, Spanish and Mexican codes start 01-, Australian, Danish and New Zealand ones 0[1-9].
FIXED_LENGTH_POSTCODES: Final[dict[str, tuple[int, int]]] = {
    "US": (5, 2),
    "PR": (5, 2),
    "DE": (5, 1),
    "FR": (5, 1),
    "IT": (5, 2),
    "ES": (5, 1),
    "FI": (5, 2),
    "MX": (5, 1),
    "NO": (4, 3),
    "DK": (4, 1),
    "AU": (4, 1),
    "NZ": (4, 1),
    "ZA": (4, 3),
}


# How a spreadsheet keeps a cell text: Excel's ="01067" in a CSV, its leading
# apostrophe (also an export's guard against formulas).
_TEXT_MARKERS: Final = r"^(?:=\"(?P<quoted>.*)\"|'(?P<marked>.*))$"
# A number column saved as text by pandas or a script: 1067.0 (its digits all there).
_WHOLE_DECIMAL: Final = r"^(\d+)\.0+$"


def unwrapped(postcode: pl.Expr) -> pl.Expr:
    """`postcode` without a spreadsheet's wrapping (``="01067"``, ``'01067``,
    ``1067.0``): no postcode is spelled so, and the digits left may be short of their
    zeros (see `with_leading_zeros`)."""
    marked = postcode.str.replace(_TEXT_MARKERS, "${quoted}${marked}").str.strip_chars()
    return marked.str.replace(_WHOLE_DECIMAL, "${1}").replace("", None)


def with_leading_zeros(postcode: pl.Expr, country_code: pl.Expr) -> pl.Expr:
    """`postcode` with the zeros a spreadsheet dropped put back (see the module)."""
    lengths = {country: length for country, (length, _) in FIXED_LENGTH_POSTCODES.items()}
    zeros = {country: most for country, (_, most) in FIXED_LENGTH_POSTCODES.items()}
    length = country_code.replace_strict(lengths, default=None, return_dtype=pl.Int64)
    most = country_code.replace_strict(zeros, default=None, return_dtype=pl.Int64)
    missing = length - postcode.str.len_chars().cast(pl.Int64)
    dropped = postcode.str.contains(r"^[0-9]+$") & (missing >= 1) & (missing <= most)
    return pl.when(dropped.fill_null(False)).then(postcode.str.zfill(length)).otherwise(postcode)
