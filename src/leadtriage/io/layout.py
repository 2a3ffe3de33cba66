"""Which columns each output file carries, in which order.

accepted: the clean values of the mapped fields, the results of matching and
scoring, the input's unmapped columns unchanged, then traceability.
review / rejected: the same, plus suggestions and the mapped input columns as
they arrived, so a person sees what came in beside what the tool made of it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from enum import StrEnum
from typing import Final

from leadtriage.columns import ColumnMapping
from leadtriage.frame import DECISION, TRACEABILITY, is_internal
from leadtriage.schema import COLUMNS, Col, Field, Role, with_role, written_from

# The clean columns each canonical field produces, in output order.
CLEAN_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    field: written_from(field) for field in Field if written_from(field)
}

# Why rows were matched: in every profile's outputs, when present.
EVIDENCE_COLUMNS: Final[tuple[str, ...]] = with_role(Role.EVIDENCE)
# With whom, where a person decides (review, rejected): `possible_partner` names a
# duplicate.possible row's partner ("source_file:source_row"), `pair_id` is shared by
# both rows of such a pair, `crm_candidates` lists the ";"-joined record ids a
# crm.ambiguous row matches or a crm.possible row may be. Always empty in accepted,
# so left out of it.
PAIR_COLUMNS: Final[tuple[str, ...]] = with_role(Role.PAIR)
MATCH_COLUMNS: Final[tuple[str, ...]] = (*EVIDENCE_COLUMNS, *PAIR_COLUMNS)

# The tool's own columns a CRM profile writes right after the CRM columns. `consent`
# (yes / no / unknown) is no CRM field (the import wizard skips it), but reading the
# file back gives every consent again: HubSpot's legal basis says only yes and
# Salesforce's HasOptedOutOfEmail only no.
PROFILE_OWN_COLUMNS: Final[tuple[str, ...]] = (Col.CONSENT,)

# Results of later stages, written whenever the stage ran.
RESULT_COLUMNS: Final[tuple[str, ...]] = with_role(Role.RESULT, Role.EVIDENCE, Role.PAIR)

# Shown only where a person decides: review and rejected.
SUGGESTION_COLUMNS: Final[tuple[str, ...]] = with_role(Role.HINT)

# Every name the pipeline may add; an input header equal to one is renamed.
GENERATED_COLUMNS: Final[frozenset[str]] = frozenset(
    {c.name for c in COLUMNS} | set(TRACEABILITY) | {DECISION}
)


class Unmapped(StrEnum):
    """`[output] unmapped`: what the accepted file does with input columns no field
    maps (review and rejected always keep them: a person looks at those rows)."""

    KEEP = "keep"
    DROP = "drop"


def unmapped_columns(mapping: ColumnMapping, data_columns: Sequence[str]) -> list[str]:
    """The input columns no canonical field maps, in input order."""
    mapped = {h for field in mapping.fields for h in mapping.headers_of(field)}
    return [c for c in data_columns if c not in mapped]


def output_columns(
    schema_names: Sequence[str],
    mapping: ColumnMapping,
    data_columns: Sequence[str],
    *,
    with_inputs: bool,
    unmapped: Unmapped = Unmapped.KEEP,
    untaken: Collection[str] = (),
    carried: Collection[str] = (),
) -> list[str]:
    """The ordered columns of one output file. `untaken`: mapped input columns holding
    values their field did not take (`columns.untaken_columns`): passed on in
    accepted like unmapped ones. `carried`: clean columns whose field no input
    mapped but that hold values from elsewhere (a CRM's opt-outs in `consent`)."""
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
        if header not in untaken
    }
    for field in CLEAN_COLUMNS:
        for name in CLEAN_COLUMNS[field]:
            if field in mapping.fields or name in carried:
                take(name)
    for name in RESULT_COLUMNS:
        if with_inputs or name not in PAIR_COLUMNS:
            take(name)
    if with_inputs:
        for name in SUGGESTION_COLUMNS:
            take(name)
    dropped = set() if with_inputs or unmapped is Unmapped.KEEP else set(data_columns)
    for name in data_columns:
        if (with_inputs or name not in cleaned_headers) and name not in dropped:
            take(name)
    for name in TRACEABILITY:
        take(name)
    return chosen
