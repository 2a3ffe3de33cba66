"""Findings about reaching the person at all: ``row.empty``, ``contact.missing``,
``contact.invalid``.

The pipeline's presence stage writes the first two; a finding the frame lacks (a
library caller, a test) is computed here from the raw fields. ``contact.invalid``:
something to reach the person by was given, yet there is no valid email and no
valid phone.
"""

from __future__ import annotations

import polars as pl

from leadtriage.frame import FIELDS, flag, raw
from leadtriage.normalize.presence import is_blank
from leadtriage.schema import Col, Field

CONTACT_FIELDS = (Field.EMAIL, Field.PHONE, Field.MOBILE)


def _flag_or_false(schema: pl.Schema, slug: str) -> pl.Expr:
    return pl.col(flag(slug)).fill_null(False) if flag(slug) in schema else pl.lit(False)


def _blank(schema: pl.Schema, column: str) -> pl.Expr:
    return is_blank(pl.col(column)) if column in schema else pl.lit(True)


def has_valid_email(schema: pl.Schema) -> pl.Expr:
    given = Col.EMAIL if Col.EMAIL in schema else raw(Field.EMAIL)
    return ~_blank(schema, given) & ~_flag_or_false(schema, "email.invalid")


def has_valid_phone(schema: pl.Schema) -> pl.Expr:
    """A converted phone counts; without a phone stage, any phone not flagged invalid."""
    if Col.PHONE_E164 in schema:
        return ~_blank(schema, Col.PHONE_E164)
    given = ~pl.all_horizontal(_blank(schema, raw(f)) for f in ("phone", "mobile"))
    return given & ~_flag_or_false(schema, "phone.invalid")


def contact_flags(schema: pl.Schema) -> list[pl.Expr]:
    """The contact findings the frame does not hold yet, as named expressions."""
    row_empty = (
        pl.col(flag("row.empty")).fill_null(False)
        if flag("row.empty") in schema
        else pl.all_horizontal(_blank(schema, raw(f)) for f in FIELDS)
    )
    contact_missing = (
        pl.col(flag("contact.missing")).fill_null(False)
        if flag("contact.missing") in schema
        else pl.all_horizontal(_blank(schema, raw(f)) for f in CONTACT_FIELDS) & ~row_empty
    )
    invalid = (
        pl.col(flag("contact.invalid")).fill_null(False)
        if flag("contact.invalid") in schema
        else ~row_empty & ~contact_missing & ~has_valid_email(schema) & ~has_valid_phone(schema)
    )
    return [
        row_empty.alias(flag("row.empty")),
        contact_missing.alias(flag("contact.missing")),
        invalid.alias(flag("contact.invalid")),
    ]
