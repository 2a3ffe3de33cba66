"""What a rule may test: the clean columns, the raw input fields, the seniority levels.

The one place that lists them, so validation, did-you-mean and the docs agree.
"""

from __future__ import annotations

from typing import Final

from leadtriage.frame import FIELDS, SOURCE_FILE, raw
from leadtriage.schema import RULE_COLUMNS, Col

SENIORITY: Final = Col.SENIORITY
SCORE: Final = Col.SCORE

# Highest first: when a title names several levels, the first one here wins.
SENIORITY_LEVELS: Final[tuple[str, ...]] = (
    "c_level",
    "vp",
    "director",
    "manager",
    "individual",
    "student",
)

# The clean columns rules may test (schema.RULE_COLUMNS), then the row's file.
CLEAN_FIELDS: Final[tuple[str, ...]] = (*RULE_COLUMNS, SOURCE_FILE)

# Names a marketer reaches for first, mapped to the column they mean.
FIELD_ALIASES: Final[dict[str, str]] = {"country": Col.COUNTRY_CODE}

CONDITION_FIELDS: Final[tuple[str, ...]] = (
    *CLEAN_FIELDS,
    *FIELD_ALIASES,
    *(raw(field) for field in FIELDS),
)


def column_of(field: str) -> str:
    """The frame column a condition field names (aliases resolved)."""
    return FIELD_ALIASES.get(field, field)
