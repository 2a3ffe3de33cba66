"""This tool's own outputs fed back in: what the last run derived is made anew.

A person cleans an accepted.csv again (after editing it, or to apply other rules):
its clean fields (email, phone_e164, first_name ...) are the values to read, but the
columns the last run derived from them (phone_type, seniority, reasons, cluster_id,
source_file ...) would each pass through as "... (input)" beside the new ones, pass
after pass. An output is known by its traceability columns, all three; of the
columns the tool writes, those no field maps are dropped at reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from leadtriage.columns import map_columns
from leadtriage.frame import REASONS, SOURCE_FILE, SOURCE_ROW
from leadtriage.io.layout import GENERATED_COLUMNS
from leadtriage.schema import Col

OWN_OUTPUT: Final = "leadtriage"
# The reader renames the columns it adds itself when an input has them.
_RENAMED: Final = " (input)"
_SIGNATURE: Final = frozenset({f"{SOURCE_FILE}{_RENAMED}", f"{SOURCE_ROW}{_RENAMED}", REASONS})


def own_derived_columns(names: Sequence[str]) -> list[str]:
    """The columns of `names` (a table's cleaned headers) that one of this tool's
    outputs derived and no field maps; none unless the table is such an output."""
    if not set(names) >= _SIGNATURE:
        return []
    mapping = map_columns(names)
    mapped = {h for field in mapping.fields for h in mapping.headers_of(field)}
    return [
        name for name in names if name.removesuffix(_RENAMED) in _DERIVED and name not in mapped
    ]


# The CRM record a row was matched to is kept: a run without --crm cannot make it again.
_DERIVED: Final = GENERATED_COLUMNS - {Col.CRM_RECORD_ID}
