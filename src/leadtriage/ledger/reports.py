"""What `leadtriage ledger stats` and `leadtriage ledger runs` show, as data.

Readers take the lock file shared: any number may read at once, never while a run
writes (they wait `wait_seconds`, then fail with LedgerBusyError).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from leadtriage.ledger.errors import LedgerMissingError, duckdb_errors, refuse_folder
from leadtriage.ledger.lock import LedgerLock
from leadtriage.ledger.records import InputFile, LedgerStats, RunRecord
from leadtriage.ledger.schema import connect, first_row, schema_version

_RUN_COLUMNS = (
    "run_id, run_hash, seen_on, committed_at, rules_hash, inputs, row_count, accepted, review, "
    "rejected, people_new, people_seen, rows_suppressed"
)


def run_records(
    connection: duckdb.DuckDBPyConnection, *, run_id: int | None = None
) -> list[RunRecord]:
    """Every committed run in order, or only `run_id`."""
    where = "" if run_id is None else "WHERE run_id = $run_id"
    params = {} if run_id is None else {"run_id": run_id}
    rows = connection.execute(
        f"SELECT {_RUN_COLUMNS} FROM runs {where} ORDER BY run_id", params
    ).fetchall()
    return [
        RunRecord(
            run_id=row[0],
            run_hash=row[1],
            seen_on=row[2],
            committed_at=row[3],
            rules_hash=row[4],
            inputs=tuple(
                InputFile(name=item["name"], sha256=item["sha256"]) for item in json.loads(row[5])
            ),
            rows=row[6],
            accepted=row[7],
            review=row[8],
            rejected=row[9],
            people_new=row[10],
            people_seen=row[11],
            rows_suppressed=row[12],
        )
        for row in rows
    ]


def _count(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    found = first_row(connection, f"SELECT count(*) FROM {table}")
    return int(found[0]) if found else 0


def _require_ledger(path: Path) -> None:
    refuse_folder(path)
    if not path.is_file():
        raise LedgerMissingError(f"no ledger at {path}", hint="a run with --ledger creates it")


def ledger_stats(path: Path, *, wait_seconds: float = 5.0) -> LedgerStats:
    _require_ledger(path)
    with (
        LedgerLock(path, exclusive=False, wait_seconds=wait_seconds),
        duckdb_errors(path, doing="read"),
    ):
        connection = connect(path, read_only=True)
        try:
            sources = connection.execute(
                "SELECT coalesce(source, ''), count(DISTINCT person_id) FROM sightings "
                "GROUP BY ALL ORDER BY 2 DESC, 1"
            ).fetchall()
            last_run = first_row(connection, "SELECT max(run_id) FROM runs")
            last_run_id = last_run[0] if last_run else None
            return LedgerStats(
                path=path,
                schema_version=schema_version(connection),
                size_bytes=path.stat().st_size,
                people=_count(connection, "people"),
                runs=_count(connection, "runs"),
                suppressions=_count(connection, "suppressions"),
                sources={str(source): int(people) for source, people in sources},
                last_run=None
                if last_run_id is None
                else run_records(connection, run_id=last_run_id)[0],
            )
        finally:
            connection.close()


def ledger_runs(path: Path, *, wait_seconds: float = 5.0) -> list[RunRecord]:
    _require_ledger(path)
    with (
        LedgerLock(path, exclusive=False, wait_seconds=wait_seconds),
        duckdb_errors(path, doing="read"),
    ):
        connection = connect(path, read_only=True)
        try:
            return run_records(connection)
        finally:
            connection.close()
