"""The ledger's tables, created on first use, and the checks made when one is opened.

Every table the matching reads is append-only and stamped with the `run_id` that wrote
the row. "The ledger as it was before run R" is then just ``run_id < R``, which is how a
rerun is matched exactly as it was the first time, whatever later runs added.

No PRIMARY KEY or UNIQUE constraints on the big tables: in DuckDB they build ART indexes
that cost memory and load time at 10 million people, and the code already keeps the keys
unique (anti-joins at commit, one writer at a time under the lock).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import duckdb
import polars as pl

from leadtriage.dedupe.features import TYPED_INITIALS
from leadtriage.ledger.errors import (
    LedgerBusyError,
    LedgerError,
    LedgerMissingError,
    duckdb_errors,
    is_damage,
    ledger_failure,
    refuse_missing_folder,
)
from leadtriage.normalize.email_lists import free_domains, role_locals
from leadtriage.schema import Col

# 2: person_emails carries what the shared matcher reads of an address (its alias
# without punctuation, free-mail and role flags); a version 1 ledger is migrated.
# 3: person_names carries the names as written beside their keys (their words, a
# middle initial) and whether the given name was typed as initials ("EM Briones").
# 4: consent_refusals remembers who refused consent on which night, so a later night
# that says nothing about consent does not lose the opt-out.
SCHEMA_VERSION: Final = 4

# Where every DuckDB database file says what it is.
_MAGIC: Final = b"DUCK"
_MAGIC_START: Final = 8
_MAGIC_END: Final = 12

_TABLES: Final[dict[str, str]] = {
    "schema_version": """(
        version INTEGER NOT NULL,
        applied_at TIMESTAMP NOT NULL
    )""",
    # inputs: JSON list of {"name", "sha256"}; file names only, never contact data.
    "runs": """(
        run_id INTEGER NOT NULL,
        run_hash VARCHAR NOT NULL UNIQUE,
        seen_on DATE NOT NULL,
        committed_at TIMESTAMP NOT NULL,
        rules_hash VARCHAR NOT NULL,
        inputs VARCHAR NOT NULL,
        row_count BIGINT NOT NULL,
        accepted BIGINT NOT NULL,
        review BIGINT NOT NULL,
        rejected BIGINT NOT NULL,
        people_new BIGINT NOT NULL,
        people_seen BIGINT NOT NULL,
        rows_suppressed BIGINT NOT NULL
    )""",
    "people": """(
        person_id VARCHAR NOT NULL,
        first_run_id INTEGER NOT NULL,
        first_seen DATE NOT NULL
    )""",
    # email_norm: the address lowercased and trimmed, so `forget` finds it as typed.
    # email_alias: the key without punctuation in its local part (dedupe's alias key).
    "person_emails": """(
        email_key VARCHAR NOT NULL,
        email_norm VARCHAR,
        person_id VARCHAR NOT NULL,
        run_id INTEGER NOT NULL,
        email_alias VARCHAR,
        email_free BOOLEAN,
        email_role BOOLEAN
    )""",
    "person_phones": """(
        phone_e164 VARCHAR NOT NULL,
        person_id VARCHAR NOT NULL,
        run_id INTEGER NOT NULL
    )""",
    # work_domain: the email domain when it is not a free-mail one (an anchor like company).
    # first_name, last_name: the clean names, whose words the keys run together;
    # first_initials: the given name was typed as two capitals (initials).
    "person_names": """(
        person_id VARCHAR NOT NULL,
        first_name_key VARCHAR,
        last_name_key VARCHAR,
        company_key VARCHAR,
        work_domain VARCHAR,
        run_id INTEGER NOT NULL,
        first_name VARCHAR,
        last_name VARCHAR,
        first_initials BOOLEAN
    )""",
    # One row per person, run and source; decision is the best the person got there.
    "sightings": """(
        person_id VARCHAR NOT NULL,
        run_id INTEGER NOT NULL,
        source VARCHAR,
        decision VARCHAR NOT NULL,
        row_count INTEGER NOT NULL
    )""",
    "suppressions": """(
        email_sha256 VARCHAR NOT NULL,
        added_at TIMESTAMP NOT NULL
    )""",
    # One row per person and run whose rows refused consent that night (an opt-out, a
    # "no"); a person's last refusal is the one of their latest run. refused_on is the
    # run's seen_on, kept beside it as people keeps first_seen beside first_run_id.
    "consent_refusals": """(
        person_id VARCHAR NOT NULL,
        run_id INTEGER NOT NULL,
        refused_on DATE NOT NULL
    )""",
}


# DuckDB's words when the system refuses the file: 'Cannot open file "<path>": <why>'.
_QUOTED: Final = re.compile(r'"[^"]*"')
_CANNOT_OPEN: Final = re.compile(r'Cannot open file "": (.+)$')


def connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open (creating when writable) and check a ledger; the caller holds the lock file."""
    if read_only and not path.exists():
        raise LedgerMissingError(f"no ledger at {path}", hint="a run with --ledger creates it")
    refuse_missing_folder(path)
    if not _is_empty_or_duckdb(path):
        raise LedgerError(
            f"{path} is not a DuckDB database", hint="--ledger names the ledger file, not an input"
        )
    try:
        connection = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        # The path is quoted in the message: a "lock" in it (blocklists/) is no lock.
        said = _QUOTED.sub('""', str(error))
        if is_damage(error):
            # The header said DuckDB above: a copy cut short, a bad block.
            raise ledger_failure(path, error, doing="open") from None
        if "lock" in said.lower():
            raise LedgerBusyError(
                f"ledger {path} is open in another program", hint="close it, then run again"
            ) from None
        refused = _CANNOT_OPEN.search(said)
        if refused:
            # The header said DuckDB above: the system refused the file (chmod 444,
            # chattr +i, a read-only mount), which "not a DuckDB database" hid.
            if read_only:
                raise LedgerError(
                    f"cannot open ledger {path}: {refused.group(1)}",
                    hint="check the permissions of the file and its folder",
                ) from None
            raise LedgerError(
                f"cannot open ledger {path} to record this run: {refused.group(1)}",
                hint="a run writes to its ledger: make the file and its folder writable "
                "by the user the run runs as",
            ) from None
        raise LedgerError(f"cannot open ledger {path}: not a DuckDB database") from None
    except duckdb.Error as error:
        if is_damage(error):
            raise ledger_failure(path, error, doing="open") from None
        raise LedgerError(f"cannot open ledger {path}: not a DuckDB database") from None
    try:
        with duckdb_errors(path, doing="open"):
            _check_or_create(connection, path, read_only=read_only)
    except BaseException:
        connection.close()
        raise
    return connection


def _is_empty_or_duckdb(path: Path) -> bool:
    # DuckDB 2.0 opens a file of any content without complaint (and would then write
    # its tables into it): check the magic bytes of its file header first.
    if path.is_dir():
        return False
    if not path.exists() or path.stat().st_size == 0:
        return True
    with path.open("rb") as handle:
        return handle.read(_MAGIC_END)[_MAGIC_START:] == _MAGIC


def _check_or_create(connection: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
    tables = {
        row[0] for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    if not tables and not read_only:
        _create(connection)
        return
    if "schema_version" not in tables:
        raise LedgerError(f"{path} is a DuckDB database but not a leadtriage ledger")
    found = first_row(connection, "SELECT max(version) FROM schema_version")
    version = found[0] if found else None
    if version in _MIGRATIONS and not read_only:
        _migrate(connection, version)
        return
    if version in _MIGRATIONS:
        raise LedgerError(
            f"ledger {path} has schema version {version}; this leadtriage reads {SCHEMA_VERSION}",
            hint="a run with --ledger upgrades it in place",
        )
    if version != SCHEMA_VERSION:
        raise LedgerError(
            f"ledger {path} has schema version {version}; this leadtriage reads {SCHEMA_VERSION}",
            hint="use the leadtriage version that wrote it",
        )


def _create(connection: duckdb.DuckDBPyConnection) -> None:
    # One transaction: a run killed while creating leaves an empty database, which the
    # next open simply creates again.
    connection.begin()
    for name, columns in _TABLES.items():
        connection.execute(f"CREATE TABLE {name} {columns}")
    connection.execute(
        "INSERT INTO schema_version VALUES ($version, now()::TIMESTAMP)",
        {"version": SCHEMA_VERSION},
    )
    connection.commit()


def _email_facts_v2(connection: duckdb.DuckDBPyConnection) -> None:
    """Version 1 stored only the key: derive the alias and flags from it, with the
    email stage's own lists (the role test on the key's local part, which has lost
    only a +tag or gmail dots)."""
    connection.register("_free_domains", pl.DataFrame({"domain": sorted(free_domains())}))
    connection.register("_role_locals", pl.DataFrame({"local": sorted(role_locals())}))
    try:
        for column, kind in (
            ("email_alias", "VARCHAR"),
            ("email_free", "BOOLEAN"),
            ("email_role", "BOOLEAN"),
        ):
            connection.execute(f"ALTER TABLE person_emails ADD COLUMN {column} {kind}")
        connection.execute(
            r"""UPDATE person_emails SET
                email_alias = regexp_replace(local, '[._+\-]', '', 'g') || '@' || domain,
                email_free = domain IN (SELECT domain FROM _free_domains),
                email_role = local IN (SELECT local FROM _role_locals)
            FROM (
                SELECT DISTINCT email_key AS key, regexp_extract(email_key, '^[^@]*') AS local,
                       regexp_extract(email_key, '[^@]*$') AS domain
                FROM person_emails
            ) parts
            WHERE person_emails.email_key = parts.key
            """
        )
    finally:
        connection.unregister("_free_domains")
        connection.unregister("_role_locals")


def _names_as_written_v3(connection: duckdb.DuckDBPyConnection) -> None:
    """Version 2 stored only the names' keys: the names as written stay unknown (null)
    for the people it holds, whose keys match as before."""
    for column, kind in (
        (Col.FIRST_NAME, "VARCHAR"),
        (Col.LAST_NAME, "VARCHAR"),
        (TYPED_INITIALS, "BOOLEAN"),
    ):
        connection.execute(f"ALTER TABLE person_names ADD COLUMN {column} {kind}")


def _consent_refusals_v4(connection: duckdb.DuckDBPyConnection) -> None:
    """Version 3 kept no consent: its people have no refusal on record (the CRM
    export, given with --crm, still carries the opt-outs it holds)."""
    connection.execute(f"CREATE TABLE consent_refusals {_TABLES['consent_refusals']}")


# version -> the steps that bring it to SCHEMA_VERSION, in order.
_MIGRATIONS: Final = {
    1: (_email_facts_v2, _names_as_written_v3, _consent_refusals_v4),
    2: (_names_as_written_v3, _consent_refusals_v4),
    3: (_consent_refusals_v4,),
}


def _migrate(connection: duckdb.DuckDBPyConnection, version: int) -> None:
    # One transaction: a run killed while migrating leaves the old ledger as it was.
    connection.begin()
    try:
        for step in _MIGRATIONS[version]:
            step(connection)
        connection.execute(
            "INSERT INTO schema_version VALUES ($version, now()::TIMESTAMP)",
            {"version": SCHEMA_VERSION},
        )
        connection.commit()
    except BaseException:
        connection.rollback()
        raise


def first_row(
    connection: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> tuple[Any, ...] | None:
    """The first row of a query, or None; reads the whole result, as DuckDB requires
    before the connection does anything else."""
    rows = connection.execute(sql, params or {}).fetchall()
    return tuple(rows[0]) if rows else None


def schema_version(connection: duckdb.DuckDBPyConnection) -> int:
    found = first_row(connection, "SELECT max(version) FROM schema_version")
    return int(found[0]) if found and found[0] is not None else 0
