"""Which columns each output file carries, in which order.

accepted: the clean values of the mapped fields, the results of matching and
scoring, the input's unmapped columns unchanged, then traceability.
review / rejected: the same, plus suggestions and the mapped input columns as
they arrived, so a person sees what came in beside what the tool made of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from leadtriage.columns import ColumnMapping
from leadtriage.frame import TRACEABILITY, is_internal

# The clean columns each canonical field produces, in output order.
CLEAN_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "email": ("email",),
    "phone": ("phone_e164", "phone_type", "phone_extension"),
    "mobile": ("mobile_e164",),
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "full_name": ("first_name", "last_name"),
    "company": ("company",),
    "job_title": ("job_title", "seniority"),
    "website": ("website",),
    "country": ("country_code",),
    "state": ("state",),
    "city": ("city",),
    "postcode": ("postcode",),
    "address": ("address",),
    "consent": ("consent",),
    "source": ("source",),
    "created_at": ("created_at",),
}

# Results of later stages, written whenever the stage ran.
RESULT_COLUMNS: Final[tuple[str, ...]] = (
    "score",
    "crm_record_id",
    "person_id",
    "first_seen",
    "duplicate_count",
    "sources",
    "match_evidence",
    "crm_match_evidence",
)

# Shown only where a person decides: review and rejected.
SUGGESTION_COLUMNS: Final[tuple[str, ...]] = ("email_suggestion",)

# Every name the pipeline may add; an input header equal to one is renamed.
GENERATED_COLUMNS: Final[frozenset[str]] = frozenset(
    {c for cols in CLEAN_COLUMNS.values() for c in cols}
    | set(RESULT_COLUMNS)
    | set(SUGGESTION_COLUMNS)
    | set(TRACEABILITY)
    | {
        "decision",
        "email_key",
        "email_domain",
        "first_name_key",
        "last_name_key",
        "full_name",
        "company_key",
        "company_domain",
        "mobile_e164",
        "phone_region_source",
    }
)


def output_columns(
    schema_names: Sequence[str],
    mapping: ColumnMapping,
    data_columns: Sequence[str],
    *,
    with_inputs: bool,
) -> list[str]:
    """The ordered columns of one output file."""
    present = set(schema_names)
    chosen: list[str] = []

    def take(name: str) -> None:
        if name in present and name not in chosen and not is_internal(name):
            chosen.append(name)

    # Input columns whose values the clean columns replace in accepted.
    cleaned_headers = {
        header
        for field in mapping.fields
        if any(c in present for c in CLEAN_COLUMNS.get(field, ()))
        for header in mapping.headers_of(field)
    }
    for field in CLEAN_COLUMNS:
        if field in mapping.fields:
            for name in CLEAN_COLUMNS[field]:
                take(name)
    for name in RESULT_COLUMNS:
        take(name)
    if with_inputs:
        for name in SUGGESTION_COLUMNS:
            take(name)
    for name in data_columns:
        if with_inputs or name not in cleaned_headers:
            take(name)
    for name in TRACEABILITY:
        take(name)
    return chosen
