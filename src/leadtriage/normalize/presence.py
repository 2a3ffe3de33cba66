"""Findings about what a row holds at all: ``row.empty`` and ``contact.missing``."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from leadtriage.frame import flag, raw
from leadtriage.schema import Field


def is_blank(expr: pl.Expr) -> pl.Expr:
    """Null, empty or only white space (any column, read as text)."""
    text = expr.cast(pl.String)
    return text.is_null() | (text.str.strip_chars() == "")


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """The text trimmed, or null where `is_blank`."""
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(text)


def flag_presence(lf: pl.LazyFrame, data_columns: Sequence[str]) -> pl.LazyFrame:
    """`row.empty`: every input cell blank. `contact.missing`: no email, phone or mobile."""
    row_empty = (
        pl.all_horizontal(is_blank(pl.col(c)) for c in data_columns)
        if data_columns
        else pl.lit(True)
    )
    contact_missing = pl.all_horizontal(
        is_blank(pl.col(raw(field))) for field in (Field.EMAIL, Field.PHONE, Field.MOBILE)
    )
    return lf.with_columns(
        row_empty.alias(flag("row.empty")),
        (contact_missing & ~row_empty).alias(flag("contact.missing")),
    )
