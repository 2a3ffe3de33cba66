"""Errors of the ledger. Messages name the ledger file, never a person."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import duckdb

from leadtriage.errors import ExitStatus, LeadtriageError


class LedgerError(LeadtriageError):
    """A ledger that cannot be used: not a ledger, from a newer version, missing."""


class LedgerMissingError(LedgerError):
    """No ledger at the path given to a command that reads one: a missing file, a
    usage error like any other (exit 2)."""

    exit_status = ExitStatus.USAGE


class LedgerBusyError(LedgerError):
    """Another run holds the ledger; raised after waiting, so cron runs do not pile up."""


class LedgerFolderError(LedgerError):
    """A folder where the ledger file belongs: a usage error, like a folder given as an
    input (exit 2)."""

    exit_status = ExitStatus.USAGE


def refuse_folder(path: Path) -> None:
    """Raise when `path` is a folder: said before anything is made beside it (the lock
    file) or the folder is taken for a database that is not one."""
    if path.is_dir():
        raise LedgerFolderError(
            f"ledger {path} is a folder, not a file",
            hint=f"name the ledger file itself, such as {shlex.quote(str(path / 'leads.ledger'))}; "
            "a run with --ledger creates it",
        )


def refuse_missing_folder(path: Path) -> None:
    """Raise when the folder meant to hold the ledger is missing: a mistyped path, said
    before a lock file or a database is made, and never made for the user (a run would
    otherwise start a new, empty ledger beside the real one)."""
    if not path.parent.is_dir():
        raise LedgerMissingError(
            f"folder of ledger {path} does not exist",
            hint=f"check the path, or create the folder {shlex.quote(str(path.parent))} first",
        )


# What of DuckDB's words may be repeated: the system's reason for refusing a file
# ('Could not write file "<path>": No space left on device'). The rest of a message
# may quote a value (a conversion error does), so it is never echoed.
_SYSTEM_REASON: Final = re.compile(r'(?:Could not (?:write|read)|Cannot open) file "[^"]*": (.+?)$')
_DAMAGE: Final = ("Corrupt database file", "Could not read enough bytes")
_DAMAGED_HINT: Final = (
    "restore the ledger from a backup, or move it aside to start a new one; nothing was recorded"
)


def is_damage(error: duckdb.Error) -> bool:
    """Whether DuckDB met a damaged file: a block failing its checksum, a file cut short."""
    return any(words in str(error) for words in _DAMAGE)


def ledger_failure(
    path: Path, error: duckdb.Error, *, doing: str, hint: str | None = None
) -> LedgerError:
    """DuckDB's `error`, met while `doing` something to the ledger at `path`, as one
    line naming the file: a damaged file, or the system's reason (a full disk)."""
    if is_damage(error):
        return LedgerError(f"ledger {path} is damaged: cannot {doing} it", hint=_DAMAGED_HINT)
    reason = _SYSTEM_REASON.search(str(error))
    if reason:
        return LedgerError(f"cannot {doing} ledger {path}: {reason.group(1)}", hint=hint)
    return LedgerError(
        f"cannot {doing} ledger {path}: DuckDB failed ({type(error).__name__})",
        hint=hint or "run again; if it fails again, please report it",
    )


@contextmanager
def duckdb_errors(path: Path, *, doing: str, hint: str | None = None) -> Iterator[None]:
    """Turn DuckDB's errors inside the block into `ledger_failure`."""
    try:
        yield
    except duckdb.Error as error:
        raise ledger_failure(path, error, doing=doing, hint=hint) from None
