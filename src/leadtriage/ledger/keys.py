"""The match keys the ledger reads from the frame, and the hash of an address.

The normalisation stages make the keys; this module only picks them out, turns blanks
into nulls, and fills in null columns for stages that did not run, so the ledger works
on whatever the pipeline produced.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from leadtriage.dedupe.blocking import email_alias
from leadtriage.frame import CLUSTER_ID, DECISION, SOURCE_FILE, flag
from leadtriage.normalize.presence import blank_to_null
from leadtriage.rules.suppress import normalised_address, sha256_hex

EMAIL: Final = "email"
EMAIL_KEY: Final = "email_key"
EMAIL_DOMAIN: Final = "email_domain"
PHONE: Final = "phone_e164"
FIRST_NAME_KEY: Final = "first_name_key"
LAST_NAME_KEY: Final = "last_name_key"
COMPANY_KEY: Final = "company_key"
SOURCE: Final = "source"

PERSON_ID: Final = "person_id"
FIRST_SEEN: Final = "first_seen"
SEEN_BEFORE: Final = flag("seen.before")
SUPPRESSED: Final = flag("suppressed")
EMAIL_FREE: Final = flag("email.free")
EMAIL_ROLE: Final = flag("email.role")

# Internal names of the key frame pushed into DuckDB.
ROW_NR: Final = "row_nr"
# The same position in the pipeline's frame, whose input columns may be called anything.
FRAME_ROW: Final = "meta.ledger_row"
CLUSTER: Final = "cluster"
EMAIL_NORM: Final = "email_norm"
WORK_DOMAIN: Final = "work_domain"
# What the shared matcher reads of a stored address besides its key.
EMAIL_ALIAS: Final = "email_alias"
IS_FREE: Final = "email_free"
IS_ROLE: Final = "email_role"

_TEXT_INPUTS: Final = (
    EMAIL,
    EMAIL_KEY,
    EMAIL_DOMAIN,
    PHONE,
    FIRST_NAME_KEY,
    LAST_NAME_KEY,
    COMPANY_KEY,
    SOURCE,
    SOURCE_FILE,
    CLUSTER_ID,
    DECISION,
    PERSON_ID,
)


def email_hash(email: str) -> str:
    """SHA-256 (hex) of the normalised email (trimmed, lowercased), by the normaliser
    and the hash the suppression stage applies to whole columns."""
    normalised = pl.select(normalised_address(pl.lit(email, dtype=pl.String))).to_series()
    digest: str = sha256_hex(normalised).item()
    return digest


def _blank_to_null(name: str) -> pl.Expr:
    # A column of nulls alone may arrive typed Null rather than String: blank_to_null casts.
    return blank_to_null(pl.col(name))


def with_missing_columns(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add as null every key column an earlier stage did not make."""
    present = set(lf.collect_schema().names())
    missing = [
        pl.lit(None, dtype=pl.String).alias(name) for name in _TEXT_INPUTS if name not in present
    ]
    missing.extend(
        pl.lit(False).alias(name) for name in (EMAIL_FREE, EMAIL_ROLE) if name not in present
    )
    return lf.with_columns(missing) if missing else lf


def key_columns() -> list[pl.Expr]:
    """The ledger's view of a row's keys (expects `with_missing_columns` applied)."""
    email_key = _blank_to_null(EMAIL_KEY)
    domain = _blank_to_null(EMAIL_DOMAIN).str.to_lowercase()
    return [
        normalised_address(_blank_to_null(EMAIL)).alias(EMAIL_NORM),
        normalised_address(email_key).alias(EMAIL_KEY),
        _blank_to_null(PHONE).alias(PHONE),
        _blank_to_null(FIRST_NAME_KEY).alias(FIRST_NAME_KEY),
        _blank_to_null(LAST_NAME_KEY).alias(LAST_NAME_KEY),
        _blank_to_null(COMPANY_KEY).alias(COMPANY_KEY),
        pl.when(pl.col(EMAIL_FREE).fill_null(False))
        .then(None)
        .otherwise(domain)
        .alias(WORK_DOMAIN),
        email_alias(normalised_address(email_key)).alias(EMAIL_ALIAS),
        pl.col(EMAIL_FREE).fill_null(False).alias(IS_FREE),
        pl.col(EMAIL_ROLE).fill_null(False).alias(IS_ROLE),
    ]
