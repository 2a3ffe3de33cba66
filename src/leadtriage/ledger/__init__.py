"""The ledger of nightly runs: remembers the people earlier runs triaged (issue 7).

An embedded DuckDB file, created on first use, beside a lock file. See `store` for the
life of a run and how a rerun is reported, `erasure` for forgetting a person.
"""

from leadtriage.ledger.erasure import forget, forget_many
from leadtriage.ledger.errors import LedgerBusyError, LedgerError
from leadtriage.ledger.keys import email_hash
from leadtriage.ledger.records import (
    InputFile,
    LedgerStats,
    RunInfo,
    RunRecord,
    bytes_sha256,
    file_sha256,
)
from leadtriage.ledger.reports import ledger_runs, ledger_stats
from leadtriage.ledger.store import Ledger

__all__ = [
    "InputFile",
    "Ledger",
    "LedgerBusyError",
    "LedgerError",
    "LedgerStats",
    "RunInfo",
    "RunRecord",
    "bytes_sha256",
    "email_hash",
    "file_sha256",
    "forget",
    "forget_many",
    "ledger_runs",
    "ledger_stats",
]
