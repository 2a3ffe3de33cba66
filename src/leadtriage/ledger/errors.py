"""Errors of the ledger. Messages name the ledger file, never a person."""

from __future__ import annotations

from leadtriage.errors import ExitStatus, LeadtriageError


class LedgerError(LeadtriageError):
    """A ledger that cannot be used: not a ledger, from a newer version, missing."""


class LedgerMissingError(LedgerError):
    """No ledger at the path given to a command that reads one: a missing file, a
    usage error like any other (exit 2)."""

    exit_status = ExitStatus.USAGE


class LedgerBusyError(LedgerError):
    """Another run holds the ledger; raised after waiting, so cron runs do not pile up."""
