"""Names of the columns the pipeline adds to the frame: the contract between stages.

One frame flows through every stage. It holds:

- the input's own columns, all text, under their header names (renamed with an
  `` (input)`` suffix only where a header collides with a name below);
- ``source_file`` and ``source_row`` (1-based data row of that file);
- ``raw.<field>`` for every canonical field: the mapped input column, or null where
  the input has no such column (internal, never written);
- ``flag.<slug>``: one boolean column per finding of a stage, e.g.
  ``flag.email.invalid`` (internal, never written; the rules turn them into reasons);
- ``meta.<name>``: per-row facts for the summary (internal, never written);
- the clean values under their output names (``email``, ``phone_e164``, ...);
- ``reasons``, ``decision`` and ``cluster_id`` from the last stages.
"""

from __future__ import annotations

from typing import Final

from leadtriage.schema import Field

# Canonical fields, in the order clean outputs list them (owned by the schema).
FIELDS: Final[tuple[str, ...]] = tuple(Field)

SOURCE_FILE: Final = "source_file"
SOURCE_ROW: Final = "source_row"
REASONS: Final = "reasons"
DECISION: Final = "decision"
CLUSTER_ID: Final = "cluster_id"
# The row's position in the combined input: the conservation check's key.
ROW_ID: Final = "meta.row_id"

# The day a returning person last refused consent, as the ledger remembers it
# (Ledger.identify; null for a person it holds no refusal of), and whether a row's
# ``no`` is only that memory (the consent stage), not a refusal made tonight.
LEDGER_REFUSED_ON: Final = "meta.ledger_refused_on"
CONSENT_FROM_LEDGER: Final = "meta.consent_from_ledger"

TRACEABILITY: Final[tuple[str, ...]] = (SOURCE_FILE, SOURCE_ROW, REASONS, CLUSTER_ID)

RAW_PREFIX: Final = "raw."
FLAG_PREFIX: Final = "flag."
# Per-row facts a stage hands to the summary (e.g. the date order chosen for a file).
META_PREFIX: Final = "meta."
INTERNAL_PREFIXES: Final[tuple[str, ...]] = (RAW_PREFIX, FLAG_PREFIX, META_PREFIX)

REASON_SEPARATOR: Final = ";"


# Consent headers carry a polarity: an opt-in ("yes" is consent), an opt-out flag
# ("yes" is a refusal) or an opt-out date (any date is a refusal: Mailchimp's
# UNSUB_TIME). A row's answers from the headers of one polarity sit in one internal
# list column (a file may have several consent columns; all are read).
OPT_IN: Final = "opt_in"
OPT_OUT: Final = "opt_out"
OPT_OUT_DATE: Final = "opt_out_date"
POLARITIES: Final[tuple[str, ...]] = (OPT_IN, OPT_OUT, OPT_OUT_DATE)
# ``[columns]`` keys naming a consent column and its polarity, for headers that do not
# say it themselves ("consent" names an opt-in, unless its header says otherwise).
CONSENT_POLARITY_KEYS: Final[dict[str, str]] = {
    "consent_opt_out": OPT_OUT,
    "consent_opt_out_date": OPT_OUT_DATE,
}


# The internal list column of a row's values in consent-like columns whose polarity
# nobody could tell (`ColumnMapping.unclear`: Spanish "Baja", "Marketing preferences"):
# unread, but a value there may be a refusal beside a yes elsewhere.
UNCLEAR_CONSENT: Final = f"{RAW_PREFIX}consent.unclear"


def raw_consent(polarity: str) -> str:
    """The internal list column of a row's answers from consent headers of `polarity`."""
    return f"{RAW_PREFIX}consent.{polarity}"


def raw(field: str) -> str:
    """The internal column holding the raw input text of a canonical field."""
    return f"{RAW_PREFIX}{field}"


def flag(slug: str) -> str:
    """The internal boolean column of a finding, e.g. ``flag("email.invalid")``."""
    return f"{FLAG_PREFIX}{slug}"


def is_internal(column: str) -> bool:
    return column.startswith(INTERNAL_PREFIXES)
