"""Findings about what a row holds at all: ``row.empty`` and ``contact.missing``."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from leadtriage.frame import flag, raw
from leadtriage.normalize.email_lists import missing_values as email_missing_values
from leadtriage.normalize.phone import missing_values as phone_missing_values
from leadtriage.schema import Field


def is_blank(expr: pl.Expr) -> pl.Expr:
    """Null, empty or only white space (any column, read as text)."""
    text = expr.cast(pl.String)
    return text.is_null() | (text.str.strip_chars() == "")


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """The text trimmed, or null where `is_blank`."""
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(text)


def _nothing_given(field: str, placeholders: frozenset[str]) -> pl.Expr:
    """The field's cell is blank, or a placeholder its stage reads as nothing given
    ("n/a", Excel's "#N/A"): such a row has no contact, not an invalid one."""
    text = pl.col(raw(field)).cast(pl.String).str.strip_chars().str.to_lowercase()
    return is_blank(text) | text.is_in(sorted(placeholders)).fill_null(False)


def flag_presence(lf: pl.LazyFrame, data_columns: Sequence[str]) -> pl.LazyFrame:
    """`row.empty`: every input cell blank. `contact.missing`: no email, phone or mobile."""
    row_empty = (
        pl.all_horizontal(is_blank(pl.col(c)) for c in data_columns)
        if data_columns
        else pl.lit(True)
    )
    contact_missing = pl.all_horizontal(
        _nothing_given(field, placeholders)
        for field, placeholders in (
            (Field.EMAIL, email_missing_values()),
            (Field.PHONE, phone_missing_values()),
            (Field.MOBILE, phone_missing_values()),
        )
    )
    return lf.with_columns(
        row_empty.alias(flag("row.empty")),
        (contact_missing & ~row_empty).alias(flag("contact.missing")),
    )
