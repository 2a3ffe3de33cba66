"""Formula-safe cells (CWE-1236) that keep exact values.

Where a cell is neutralised, and where not (DESIGN 6, README "Formula safety"):

- CSV files a person opens (review, rejected, the generic accepted file): a cell a
  spreadsheet would run gets a leading apostrophe, which spreadsheets show as text.
  A cell runs when its first character, after any blanks (spaces, NBSP, tabs, line
  breaks), is ``=``, ``+``, ``-`` or ``@`` (or their fullwidth forms), or it starts
  with a tab or CR. Plainly numbers or phone numbers (no letters, no operator but a
  leading sign) and a lone sign (``-``, the stdin ``source_file``) run nothing and
  stay as they are, so ``+14155550132`` reaches its reader intact. One Excel can
  work out as a sum (a sign, then numbers joined by ``-`` or ``/``: ``+1-415-555-0132``
  showed as -1101, ``-2-3`` as -5) is neutralised like any formula.
- xlsx cells are written as text cells with the exact value: a text cell never runs.
- CRM-profile accepted files and Parquet carry exact values: importers and
  programs do not evaluate formulas, and an apostrophe would reach the CRM.

Neutralising is exact in reverse (`restore`): a value that already starts with
apostrophes before a runnable cell gets one more, so taking one away gives it back.

Apart from where it is written, a value that is really a formula payload (``=...``,
a function call such as ``@SUM(``, DDE such as ``=cmd|' /C calc'!A0``, a cell
reference sum such as ``+A1+B2``) is flagged ``cell.formula`` by `flag_formula_cells`,
a pure stage, and goes to review. ``@Home Realty`` and ``+Plus Dental Ltd`` are not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, TypeVar

import polars as pl

from leadtriage.frame import flag

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

NEUTRALISER: Final = "'"
FORMULA_FLAG: Final = flag("cell.formula")

# Blanks a spreadsheet skips before it looks for a formula sign.
_BLANKS: Final = "[ \\t\\r\\n\\u00a0\\u2007\\u202f\\u3000]*"
_SIGNS: Final = "=+\\-@\\uff1d\\uff0b\\uff0d\\uff20"
_TRIGGER: Final = f"(?:{_BLANKS}[{_SIGNS}]|[\\t\\r])"
# A leading sign, then only digits and the punctuation phone numbers are written with.
_PLAIN_NUMBER: Final = "[+\\-]?[0-9 ().\\-/]*[0-9][0-9 ().\\-/]*"
_LONE_SIGNS: Final = "[+\\-]+"
# A plain number Excel still works out as a sum: after the sign, numbers (maybe in
# brackets) joined by `-` or `/`. Numbers side by side with only a blank between
# ("+1 (415) 555") are no sum and stay as they are. Blanks and brackets share one
# class on each side of a number, so no two runs of blanks meet and Python's
# backtracking stays linear on a long cell.
_OPERAND: Final = "[ (]*[0-9]+(?:\\.[0-9]+)?[ )]*"
_SUM: Final = f"[ ]*[+\\-]{_OPERAND}(?:[-/]{_OPERAND})+"
# Anchored for Polars (Rust regex: `$` is the very end, unlike Python's `$`).
FORMULA_TRIGGER: Final = "^" + _TRIGGER
PLAIN_VALUE: Final = f"^(?:{_PLAIN_NUMBER}|{_LONE_SIGNS})$"
SUM_VALUE: Final = f"^(?:{_SUM})$"

# Formula payloads: after blanks, `=` (or fullwidth `＝`) and anything; or a sign
# then a function call, a DDE link (`app|topic!item`), or a cell reference sum.
_PAYLOAD: Final = (
    f"^{_BLANKS}(?:"
    "[=\\uff1d]"
    f"|[{_SIGNS}]{_BLANKS}[A-Za-z_][A-Za-z0-9_.]*{_BLANKS}\\("
    f"|[{_SIGNS}][^|]*[A-Za-z0-9_]\\|[^!]*!"
    "|[+\\-\\uff0b\\uff0d]\\$?[A-Za-z]{1,3}\\$?[0-9]+[ ]*(?:[-+*/^&]|$)"
    ")"
)
FORMULA_PAYLOAD: Final = _PAYLOAD

_trigger = re.compile(_TRIGGER)
_plain = re.compile(f"{_PLAIN_NUMBER}|{_LONE_SIGNS}")
_sum = re.compile(_SUM)
_payload = re.compile(_PAYLOAD.replace("$)", "\\Z)"))


def _runs(value: str) -> bool:
    kept = bool(_plain.fullmatch(value)) and not _sum.fullmatch(value)
    return bool(_trigger.match(value)) and not kept


def is_unsafe(value: str) -> bool:
    """Whether a spreadsheet would run `value`, or it is one neutralised already (so
    that neutralising stays reversible)."""
    return _runs(value.lstrip(NEUTRALISER))


def neutralise(value: str) -> str:
    """The reference for one value; `neutralise_expr` must agree with it."""
    return NEUTRALISER + value if is_unsafe(value) else value


def restore(value: str) -> str:
    """The exact value behind a neutralised one; `restore_expr` must agree."""
    if value.startswith(NEUTRALISER) and is_unsafe(value[1:]):
        return value[1:]
    return value


def _runs_expr(text: pl.Expr) -> pl.Expr:
    kept = text.str.contains(PLAIN_VALUE) & ~text.str.contains(SUM_VALUE)
    return text.str.contains(FORMULA_TRIGGER) & ~kept


def neutralise_expr(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String)
    unsafe = _runs_expr(text.str.strip_chars_start(NEUTRALISER))
    return pl.when(unsafe).then(pl.lit(NEUTRALISER) + text).otherwise(text).alias(column)


def restore_expr(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String)
    rest = text.str.slice(1)
    neutralised = text.str.starts_with(NEUTRALISER) & _runs_expr(
        rest.str.strip_chars_start(NEUTRALISER)
    )
    return pl.when(neutralised).then(rest).otherwise(text).alias(column)


def safe_frame(df: Frame) -> Frame:
    """Every cell and header as text, none of them runnable as a formula (a LazyFrame
    for a writer that streams it)."""
    columns = df.collect_schema().names()
    cells = df.select(neutralise_expr(name) for name in columns)
    return cells.rename({name: neutralise(name) for name in columns if is_unsafe(name)})


def text_frame(df: Frame) -> Frame:
    """Every cell as text with its exact value (for files nobody's spreadsheet runs)."""
    return df.select(pl.all().cast(pl.String))


def restored_frame(df: pl.DataFrame) -> pl.DataFrame:
    """A neutralised table read back with its exact values and headers."""
    cells = df.select(restore_expr(name) for name in df.columns)
    return cells.rename({name: restore(name) for name in df.columns if restore(name) != name})


def is_formula_payload(value: str) -> bool:
    """The reference for one value; `formula_payload_expr` must agree with it."""
    return bool(_payload.match(value))


def formula_payload_expr(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.contains(FORMULA_PAYLOAD).fill_null(False)


def flag_formula_cells(lf: pl.LazyFrame, data_columns: Sequence[str]) -> pl.LazyFrame:
    """Add ``flag.cell.formula``: some input cell of the row is a formula payload."""
    if not data_columns:
        return lf.with_columns(pl.lit(False).alias(FORMULA_FLAG))
    return lf.with_columns(
        pl.any_horizontal(formula_payload_expr(c) for c in data_columns).alias(FORMULA_FLAG)
    )
