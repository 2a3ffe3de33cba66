"""The ledger's whole content as plain Python values, to compare before and after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

TABLES = (
    "schema_version",
    "runs",
    "people",
    "person_emails",
    "person_phones",
    "person_names",
    "sightings",
    "suppressions",
    "consent_refusals",
)


def ledger_content(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return {
            table: sorted(connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in TABLES
        }
    finally:
        connection.close()
