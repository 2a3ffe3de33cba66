"""Right to erasure: forget a person, keep only a hash so they are not imported again.

`forget` removes every trace of the people the address belongs to (keys, names,
sightings, consent refusals) and stores the SHA-256 of both forms of the typed address
and of each of their stored addresses (see rules/suppress.py) as a suppression. The
suppression stage flags later rows whose address hashes to one (`Ledger.erased_hashes`);
the rules turn that into a rejection, and `commit` never stores a suppressed person
again.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Final

import duckdb

from leadtriage.errors import UsageError
from leadtriage.ledger.errors import LedgerMissingError, duckdb_errors, refuse_folder
from leadtriage.ledger.lock import LedgerLock, lock_path
from leadtriage.ledger.schema import connect
from leadtriage.rules.suppress import address_hashes

# Only what is plainly no address is refused: forgetting must never turn a real one away.
_ADDRESS_SHAPE: Final = re.compile(r"[^@\s]+@[^@\s]+")
_OF_PEOPLE: Final = "person_id IN (SELECT unnest($people::VARCHAR[]))"
_OF_HASHES: Final = "(SELECT unnest($hashes::VARCHAR[]))"
_PERSON_TABLES: Final = (
    "person_emails",
    "person_phones",
    "person_names",
    "sightings",
    "consent_refusals",
    "people",
)


def forget(path: Path, email: str, *, wait_seconds: float = 5.0) -> int:
    """Remove the people with this address; return how many. Suppresses it either way."""
    return forget_many(path, [email], wait_seconds=wait_seconds)


def forget_many(path: Path, emails: Iterable[str], *, wait_seconds: float = 5.0) -> int:
    """`forget` for several addresses at once: one transaction and one file rewrite, which
    is what costs (the whole ledger is copied; about a minute and a half at 10 million
    people on a busy two-core machine)."""
    emails = list(emails)
    for position, email in enumerate(emails, start=1):
        if not _ADDRESS_SHAPE.fullmatch(email.strip()):
            # The value itself is not echoed: it may be contact data all the same.
            raise UsageError(
                f"--email number {position} is not an email address (local@domain)",
                hint="give the person's address exactly; nothing was forgotten",
            )
    refuse_folder(path)
    if not path.is_file():
        raise LedgerMissingError(
            f"no ledger at {path}", hint="check the path: nothing was forgotten"
        )
    hashes = sorted(address_hashes(emails))
    # The file to rewrite is the real one: replacing a symlink would leave the address's
    # bytes in the ledger it points at, which later runs keep using.
    real = path.resolve()
    with ExitStack() as locks:
        # A run given the link locks beside the link, one given the target beside it;
        # a path that is no link names the target's lock (taken twice, flock waits on
        # itself).
        by_lock = {lock_path(named).parent.resolve() / lock_path(named).name: named
                   for named in (real, path)}  # fmt: skip
        for named in by_lock.values():
            locks.enter_context(LedgerLock(named, exclusive=True, wait_seconds=wait_seconds))
        return _forget_locked(real, hashes)


# The erasure is committed before the rewrite: a forget that fails there has
# suppressed the addresses, and one run again (finding no one) still rewrites the file.
_REWRITE_HINT: Final = (
    "the person is erased and suppressed, but their old bytes stay in the file until "
    "it is rewritten: fix this, then run the same forget again"
)


def _forget_locked(path: Path, hashes: list[str]) -> int:
    with duckdb_errors(path, doing="erase from"):
        connection = connect(path, read_only=False)
    try:
        with duckdb_errors(path, doing="erase from", hint="nothing was forgotten"):
            connection.begin()
            try:
                removed = _erase(connection, hashes)
                connection.commit()
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    connection.rollback()
                raise
        with duckdb_errors(path, doing="finish erasing in", hint=_REWRITE_HINT):
            # Nothing of the old file may wait in a WAL that would outlive the swap.
            connection.execute("CHECKPOINT")
            _write_fresh_copy(connection, _fresh_path(path))
    finally:
        with contextlib.suppress(duckdb.Error):
            connection.close()
    _fresh_path(path).replace(path)
    return removed


def _erase(connection: duckdb.DuckDBPyConnection, hashes: list[str]) -> int:
    # Compared by hash so the address itself never reaches the database.
    people = [
        row[0]
        for row in connection.execute(
            f"SELECT DISTINCT person_id FROM person_emails "
            f"WHERE sha256(email_norm) IN {_OF_HASHES} OR sha256(email_key) IN {_OF_HASHES}",
            {"hashes": hashes},
        ).fetchall()
    ]
    connection.execute(
        f"""INSERT INTO suppressions
           SELECT DISTINCT hash, now()::TIMESTAMP FROM (
               SELECT unnest($hashes::VARCHAR[]) AS hash
               UNION SELECT sha256(email_norm) FROM person_emails
                     WHERE {_OF_PEOPLE} AND email_norm IS NOT NULL
               UNION SELECT sha256(email_key) FROM person_emails WHERE {_OF_PEOPLE}
           ) WHERE hash NOT IN (SELECT email_sha256 FROM suppressions)""",
        {"hashes": hashes, "people": people},
    )
    for table in _PERSON_TABLES:
        connection.execute(f"DELETE FROM {table} WHERE {_OF_PEOPLE}", {"people": people})
    return len(people)


def _fresh_path(path: Path) -> Path:
    return path.with_name(path.name + ".erasing")


def _write_fresh_copy(connection: duckdb.DuckDBPyConnection, fresh: Path) -> None:
    """Copy the live rows into a new file that then replaces the ledger.

    DuckDB marks deleted rows and frees blocks but does not overwrite them: the erased
    person's bytes would stay readable in the file. A copy holds only live rows. The
    erasure itself is already committed; a crash here leaves a stale ``.erasing`` file
    (removed by the next forget) and the old bytes until then.
    """
    fresh.unlink(missing_ok=True)
    found = connection.execute("SELECT current_database()").fetchall()
    live = found[0][0]
    connection.execute("ATTACH $fresh AS ledger_fresh", {"fresh": str(fresh)})
    try:
        connection.execute(f'COPY FROM DATABASE "{live}" TO ledger_fresh')
    finally:
        connection.execute("DETACH ledger_fresh")
