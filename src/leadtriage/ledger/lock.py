"""The lock file beside a ledger: one writer, or any number of readers, at a time.

DuckDB also refuses a second writer, but only with an error at once; the lock file lets a
second run wait a little (a cron overlap of a few seconds is normal) and then fail with a
clear message. The kernel drops an flock when its holder dies, so a killed run never
leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from leadtriage.ledger.errors import (
    LedgerBusyError,
    LedgerError,
    refuse_folder,
    refuse_missing_folder,
)

_POLL_SECONDS = 0.05


def lock_path(ledger_path: Path) -> Path:
    return ledger_path.with_name(ledger_path.name + ".lock")


class LedgerLock:
    """An flock on ``<ledger>.lock``, exclusive for writers and shared for readers."""

    def __init__(self, ledger_path: Path, *, exclusive: bool, wait_seconds: float) -> None:
        self._ledger_path = ledger_path
        self._exclusive = exclusive
        self._wait_seconds = wait_seconds
        self._fd: int | None = None

    def acquire(self) -> None:
        refuse_folder(self._ledger_path)
        refuse_missing_folder(self._ledger_path)
        try:
            fd = os.open(lock_path(self._ledger_path), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise LedgerError(
                f"cannot create the lock file beside ledger {self._ledger_path}: {error.strerror}"
            ) from None
        mode = (fcntl.LOCK_EX if self._exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + self._wait_seconds
        while True:
            try:
                fcntl.flock(fd, mode)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LedgerBusyError(
                        f"ledger {self._ledger_path} is in use by another run "
                        f"(waited {self._wait_seconds:g} s)",
                        hint="wait for the other run to finish, then run again",
                    ) from None
                time.sleep(_POLL_SECONDS)
            else:
                self._fd = fd
                return

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> LedgerLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
