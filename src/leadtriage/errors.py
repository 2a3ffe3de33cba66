"""The error hierarchy and the exit codes, mapped in one place.

Library code raises these; only the CLI turns them into a one-line message and an
exit status. Messages name the file and line (or the rules key path) and never
carry contact data.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    FAILURE = 1
    USAGE = 2
    INTERRUPTED = 130
    TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process it ended


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM: timeout, systemd, docker stop). Raised
    from the signal handler the command installs (launch.py) so that every open
    context closes: temporary folders are removed, partial outputs never swapped in."""


class LeadtriageError(Exception):
    """A problem the user can fix; `hint` says how."""

    exit_status: ExitStatus = ExitStatus.FAILURE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(LeadtriageError):
    """Bad options or arguments on the command line."""

    exit_status = ExitStatus.USAGE


class ConfigError(LeadtriageError):
    """A rules file that cannot be used. `problems` lists every one found."""

    exit_status = ExitStatus.USAGE

    def __init__(
        self, message: str, *, problems: list[str] | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.problems = problems or []


class InputError(LeadtriageError):
    """An input file that cannot be read (missing, unreadable, not a table)."""

    exit_status = ExitStatus.FAILURE


class OutputError(LeadtriageError):
    """Outputs that cannot or must not be written."""

    exit_status = ExitStatus.FAILURE


class ConservationError(LeadtriageError):
    """The counts do not add up: a bug, never written out."""

    exit_status = ExitStatus.FAILURE
