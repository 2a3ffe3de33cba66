"""Formula-safe cells (CWE-1236).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or CR as a
formula. Such cells get a leading apostrophe, which spreadsheets show as text and
CRMs import verbatim, except values that are plainly numbers or phone numbers:
without letters or operators other than a leading sign there is no formula to run,
and ``+14155550132`` must reach the CRM intact.
"""

from __future__ import annotations

import re
from typing import Final

import polars as pl

_TRIGGER_CHARS: Final = r"[=+\-@\t\r]"
# A leading sign, then only digits and the punctuation phone numbers are written with.
_PLAIN_NUMBER_BODY: Final = r"[+\-]?[0-9 ().\-/]*[0-9][0-9 ().\-/]*"
# Anchored for Polars (Rust regex: `$` is the very end, unlike Python's `$`).
FORMULA_TRIGGER: Final = "^" + _TRIGGER_CHARS
PLAIN_NUMBER: Final = "^" + _PLAIN_NUMBER_BODY + "$"
NEUTRALISER: Final = "'"

_trigger = re.compile(_TRIGGER_CHARS)
_plain_number = re.compile(_PLAIN_NUMBER_BODY)


def is_unsafe(value: str) -> bool:
    return bool(_trigger.match(value)) and not _plain_number.fullmatch(value)


def neutralise(value: str) -> str:
    """The reference for one value; `neutralise_expr` must agree with it."""
    return NEUTRALISER + value if is_unsafe(value) else value


def neutralise_expr(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String)
    unsafe = text.str.contains(FORMULA_TRIGGER) & ~text.str.contains(PLAIN_NUMBER)
    return pl.when(unsafe).then(pl.lit(NEUTRALISER) + text).otherwise(text).alias(column)


def safe_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Every cell and header as text, none of them runnable as a formula."""
    cells = df.select(neutralise_expr(name) for name in df.columns)
    return cells.rename({name: neutralise(name) for name in df.columns if is_unsafe(name)})
