"""Findings a CRM profile adds: rows its import would refuse.

Salesforce refuses a Lead whose value is longer than its field allows, or whose
required field is empty. These are findings like any other (``flag.crm.*``); the
built-in rules of the same name send them to review, and a rules file may replace
those rules by name (a tag instead, or a reject). Profiles without such checks leave
the flags False. The limits themselves belong to the profile (io/profiles.py).
"""

from __future__ import annotations

import polars as pl

from leadtriage.frame import flag
from leadtriage.io.profiles import SALESFORCE_LIMITS, SALESFORCE_REQUIRED, Profile
from leadtriage.normalize.presence import is_blank

FIELD_TOO_LONG = "crm.field_too_long"
REQUIRED_MISSING = "crm.required_missing"


def profile_flags(schema: pl.Schema, profile: Profile) -> list[pl.Expr]:
    """``flag.crm.field_too_long`` and ``flag.crm.required_missing`` for `profile`."""
    if profile is not Profile.SALESFORCE:
        return [
            pl.lit(False).alias(flag(FIELD_TOO_LONG)),
            pl.lit(False).alias(flag(REQUIRED_MISSING)),
        ]

    def text(column: str) -> pl.Expr:
        # A field the input lacked is empty, as the profile writes it.
        return pl.col(column).cast(pl.String) if column in schema else pl.lit(None, pl.String)

    too_long = pl.any_horizontal(
        (text(column).str.len_chars() > limit).fill_null(False)
        for column, limit in SALESFORCE_LIMITS.values()
    )
    missing = pl.any_horizontal(is_blank(text(column)) for column in SALESFORCE_REQUIRED.values())
    return [too_long.alias(flag(FIELD_TOO_LONG)), missing.alias(flag(REQUIRED_MISSING))]
