"""What a rule may test: the clean columns, the raw input fields, the seniority levels.

The one place that lists them, so validation, did-you-mean and the docs agree.
"""

from __future__ import annotations

from typing import Final

from leadtriage.frame import FIELDS, raw

SENIORITY: Final = "seniority"
SCORE: Final = "score"

# Highest first: when a title names several levels, the first one here wins.
SENIORITY_LEVELS: Final[tuple[str, ...]] = (
    "c_level",
    "vp",
    "director",
    "manager",
    "individual",
    "student",
)

# The clean columns the stages write, plus the two this package computes.
CLEAN_FIELDS: Final[tuple[str, ...]] = (
    "email",
    "email_domain",
    "email_key",
    "phone_e164",
    "phone_type",
    "first_name",
    "last_name",
    "full_name",
    "company",
    "company_key",
    "company_domain",
    "job_title",
    SENIORITY,
    "website",
    "country_code",
    "state",
    "city",
    "postcode",
    "address",
    "consent",
    "source",
    "created_at",
    SCORE,
    "source_file",
)

# Names a marketer reaches for first, mapped to the column they mean.
FIELD_ALIASES: Final[dict[str, str]] = {"country": "country_code"}

CONDITION_FIELDS: Final[tuple[str, ...]] = (
    *CLEAN_FIELDS,
    *FIELD_ALIASES,
    *(raw(field) for field in FIELDS),
)


def column_of(field: str) -> str:
    """The frame column a condition field names (aliases resolved)."""
    return FIELD_ALIASES.get(field, field)
