"""Build frames with the clean and key columns the normalisation stages produce."""

from __future__ import annotations

from typing import Any

import polars as pl

from leadtriage.dedupe import DedupeConfig, deduplicate
from leadtriage.frame import SOURCE_FILE, flag, raw
from leadtriage.schema import COLUMNS, Col, Stage

FREE_DOMAINS = frozenset({"gmail.com", "web.de", "orange.fr", "yahoo.com", "outlook.com"})
ROLE_LOCALS = frozenset({"info", "sales", "contact", "hello"})

# Every text column the normalisation stages make (from the schema), as dedupe sees them.
STRING_COLUMNS = (
    *(c.name for c in COLUMNS if c.stage is Stage.NORMALIZE and c.dtype == pl.String()),
    SOURCE_FILE,
    raw("record_id"),
    raw(Col.FIRST_NAME),
    raw(Col.LAST_NAME),
)


def contact(
    first: str | None = None,
    last: str | None = None,
    *,
    email: str | None = None,
    phone: str | None = None,
    company: str | None = None,
    first_key: str | None = None,
    last_key: str | None = None,
    **other: Any,
) -> dict[str, Any]:
    """One row as the normalisation stages leave it. Keys are lowercased as the
    stages make them unless given (``first_key="mueller"``)."""
    domain = email.split("@")[1].lower() if email else None
    local = email.split("@")[0].lower() if email else None
    row: dict[str, Any] = {
        Col.EMAIL: email,
        Col.EMAIL_KEY: email.lower() if email else None,
        Col.EMAIL_DOMAIN: domain,
        Col.PHONE_E164: phone,
        Col.FIRST_NAME: first,
        Col.LAST_NAME: last,
        Col.FIRST_NAME_KEY: first_key or (first.lower() if first else None),
        Col.LAST_NAME_KEY: last_key or (last.lower() if last else None),
        Col.COMPANY: company,
        Col.COMPANY_KEY: company.lower().replace(" inc", "").replace(" gmbh", "")
        if company
        else None,
        flag("email.free"): domain in FREE_DOMAINS if domain else False,
        flag("email.role"): local in ROLE_LOCALS if local else False,
    }
    row.update(other)
    return row


def frame(*rows: dict[str, Any], source_file: str = "export.csv") -> pl.LazyFrame:
    """Rows numbered 1.. in `source_file` (unless a row names its own)."""
    filled = []
    for number, row in enumerate(rows, start=1):
        full: dict[str, Any] = dict.fromkeys(STRING_COLUMNS)
        full.update({"source_file": source_file, "source_row": number})
        full.update(row)
        filled.append(full)
    schema: dict[str, pl.DataType] = {c: pl.String() for c in STRING_COLUMNS}
    schema.update(
        {
            "source_row": pl.Int64(),
            flag("email.free"): pl.Boolean(),
            flag("email.role"): pl.Boolean(),
        }
    )
    return pl.DataFrame(filled, schema=schema).lazy()


def dedupe_rows(*rows: dict[str, Any], config: DedupeConfig | None = None) -> pl.DataFrame:
    """The rows (numbered 1.. in export.csv) through deduplication."""
    out, _ = deduplicate(frame(*rows), config or DedupeConfig())
    return out.collect()


def merged(out: pl.DataFrame) -> bool:
    """Every row in one cluster."""
    ids = out["cluster_id"]
    return ids.null_count() == 0 and ids.n_unique() == 1
