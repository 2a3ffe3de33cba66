"""Errors of the ledger. Messages name the ledger file, never a person."""

from __future__ import annotations

from leadtriage.errors import LeadtriageError


class LedgerError(LeadtriageError):
    """A ledger that cannot be used: not a ledger, from a newer version, missing."""


class LedgerBusyError(LedgerError):
    """Another run holds the ledger; raised after waiting, so cron runs do not pile up."""
