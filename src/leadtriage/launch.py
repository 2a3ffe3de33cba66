"""The command's entry point: settings of the whole process, then the CLI.

Polars allocates through jemalloc, which keeps the pages a stage frees for reuse and
gives them back to the system only after a delay (about ten seconds by default). A
run frees hundreds of MB between its stages (pair features, scored pairs, copies made
while normalising); kept, they counted in the next stage's peak. The command asks
jemalloc to give freed pages back within a second, on a background thread, as Apache
Arrow configures its own jemalloc: a million-row run's peak fell by about 50 MB
(2,003 to 1,952 MiB, the median of three runs) at no measurable cost in time
(bench/README.md).

Only the command does this, and before Polars is imported (jemalloc reads its
setting once, when the library loads): a process that imports leadtriage as a
library keeps its own allocator settings, and a setting already in the environment
wins.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType
from typing import Final, NoReturn

# jemalloc's settings as Polars' copy of it reads them (its symbols carry this prefix).
ALLOCATOR_SETTINGS: Final = "_RJEM_MALLOC_CONF"
GIVE_BACK_FREED_PAGES: Final = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0"
# The signals `_terminate` turned into Terminated: how `main` knows a library's own
# exception around it was a stop, not a failure.
_terminated: list[int] = []


def configure_process() -> None:
    """Process-level settings the command wants, unless the environment has its own;
    and SIGTERM turned into an exception, so that a run stopped by timeout, systemd or
    docker cleans up after itself as an interrupted one does (Python's default for
    SIGTERM ends the process at once: its temporary copy of the inputs' columns
    stayed in TMPDIR)."""
    os.environ.setdefault(ALLOCATOR_SETTINGS, GIVE_BACK_FREED_PAGES)
    signal.signal(signal.SIGTERM, _terminate)


def _terminate(_signal: int, _frame: FrameType | None) -> None:
    # Imported here: importing errors is cheap, but this module imports nothing of the
    # package before the allocator setting is made.
    from leadtriage.errors import Terminated  # noqa: PLC0415

    _terminated.append(_signal)
    raise Terminated


def main() -> None:
    configure_process()
    from leadtriage.errors import ExitStatus, Terminated  # noqa: PLC0415

    # Each command turns a signal into its one line and status; this says the same for
    # one that lands before a command runs (importing the CLI takes a second or more),
    # which otherwise ended in a traceback.
    try:
        # Imported here: importing the CLI imports Polars, which must come after.
        from leadtriage.cli import main as cli_main  # noqa: PLC0415

        cli_main()
    except KeyboardInterrupt:
        _stop("interrupted", ExitStatus.INTERRUPTED)
    except Terminated:
        _stop("terminated", ExitStatus.TERMINATED)
    except SystemExit:
        raise
    except BaseException:
        # A library may turn the handler's Terminated into its own BaseException
        # (Polars panics when a Python callback it runs raises): the process was
        # stopped all the same, and a traceback there is noise in a cron log.
        if not _terminated:
            raise
        _stop("terminated", ExitStatus.TERMINATED)


def _stop(how: str, status: int) -> NoReturn:
    if sys.stderr is not None:
        print(f"leadtriage: {how}", file=sys.stderr)
    raise SystemExit(status)
