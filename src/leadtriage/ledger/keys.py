"""The match keys the ledger reads from the frame, and the hash of an address.

The normalisation stages make the keys; this module only picks them out, turns blanks
into nulls, and fills in null columns for stages that did not run, so the ledger works
on whatever the pipeline produced.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from leadtriage.dedupe.blocking import email_alias
from leadtriage.dedupe.features import TYPED_INITIALS, typed_as_initials
from leadtriage.frame import CLUSTER_ID, DECISION, SOURCE_FILE, flag, raw
from leadtriage.normalize.presence import blank_to_null
from leadtriage.rules.suppress import normalised_address, sha256_hex
from leadtriage.schema import Col

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
    Col.EMAIL,
    Col.EMAIL_KEY,
    Col.EMAIL_DOMAIN,
    Col.PHONE_E164,
    Col.FIRST_NAME_KEY,
    Col.LAST_NAME_KEY,
    Col.FIRST_NAME,
    Col.LAST_NAME,
    raw(Col.FIRST_NAME),
    raw(Col.LAST_NAME),
    Col.COMPANY_KEY,
    Col.SOURCE,
    SOURCE_FILE,
    CLUSTER_ID,
    DECISION,
    Col.PERSON_ID,
    Col.CONSENT,
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
    email_key = _blank_to_null(Col.EMAIL_KEY)
    domain = _blank_to_null(Col.EMAIL_DOMAIN).str.to_lowercase()
    return [
        normalised_address(_blank_to_null(Col.EMAIL)).alias(EMAIL_NORM),
        normalised_address(email_key).alias(Col.EMAIL_KEY),
        _blank_to_null(Col.PHONE_E164).alias(Col.PHONE_E164),
        _blank_to_null(Col.FIRST_NAME_KEY).alias(Col.FIRST_NAME_KEY),
        _blank_to_null(Col.LAST_NAME_KEY).alias(Col.LAST_NAME_KEY),
        _blank_to_null(Col.COMPANY_KEY).alias(Col.COMPANY_KEY),
        pl.when(pl.col(EMAIL_FREE).fill_null(False))
        .then(None)
        .otherwise(domain)
        .alias(WORK_DOMAIN),
        email_alias(normalised_address(email_key)).alias(EMAIL_ALIAS),
        pl.col(EMAIL_FREE).fill_null(False).alias(IS_FREE),
        pl.col(EMAIL_ROLE).fill_null(False).alias(IS_ROLE),
        # The names as written (their words: a second family name, a middle initial)
        # and whether the given name was typed as initials, for the shared matcher.
        _blank_to_null(Col.FIRST_NAME).alias(Col.FIRST_NAME),
        _blank_to_null(Col.LAST_NAME).alias(Col.LAST_NAME),
        typed_as_initials().alias(TYPED_INITIALS),
    ]
