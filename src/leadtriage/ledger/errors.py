"""Errors of the ledger. Messages name the ledger file, never a person."""

from __future__ import annotations

import shlex
from pathlib import Path

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
