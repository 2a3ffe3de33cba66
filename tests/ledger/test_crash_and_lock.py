"""A killed run leaves the ledger as it was; a second run at once waits, then fails cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from leadtriage.errors import ExitStatus, LeadtriageError
from leadtriage.ledger import Ledger, LedgerBusyError, forget, ledger_runs, ledger_stats

from .helpers import run_info, run_night
from .snapshot import ledger_content
from .test_two_nights import NIGHT_2

HERE = Path(__file__).parent

# A run of night 2 in a child process; it says where it is on stdout, then stalls there.
# It imports this test package by its folder name, as pytest does.
CHILD_RUN = """
import sys, time
sys.path.insert(0, {here!r})
from pathlib import Path
from ledger.helpers import route_all, night_frame, run_info
from ledger.test_two_nights import NIGHT_2
from leadtriage.ledger import Ledger
from leadtriage.ledger.store import Ledger as Store

stage = {stage!r}
original_write_run = Store._write_run

def write_then_stall(self, *args, **kwargs):
    original_write_run(self, *args, **kwargs)
    print("inside-transaction", flush=True)
    time.sleep(120)

Store._write_run = write_then_stall
run = run_info("night2.csv", b"night 2", day=8)
with Ledger.open(Path({path!r}), wait_seconds={wait}) as ledger:
    print("opened", flush=True)
    if stage == "hold":
        time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 120)
        raise SystemExit(0)
    routed = route_all(ledger.identify(night_frame(NIGHT_2), run=run))
    print("identified", flush=True)
    if stage == "before-commit":
        time.sleep(120)
    ledger.commit(routed, run=run)
"""


@contextmanager
def child_run(
    path: Path, stage: str, *args: str, wait: float = 5.0
) -> Iterator[subprocess.Popen[str]]:
    script = textwrap.dedent(CHILD_RUN).format(
        here=str(HERE.parent), path=str(path), stage=stage, wait=wait
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()


def wait_for_line(child: subprocess.Popen[str], expected: str) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == expected:
            return
    _, stderr = child.communicate()
    pytest.fail(f"child ended before {expected!r}: {stderr}")


@pytest.mark.parametrize(
    ("stage", "signal_after"),
    [
        ("before-commit", "identified"),
        ("in-commit", "inside-transaction"),
    ],
)
def test_killed_run_leaves_ledger_as_it_was(
    ledger_after_night_1: Path, stage: str, signal_after: str
) -> None:
    path = ledger_after_night_1
    before = ledger_content(path)
    with child_run(path, stage) as child:
        wait_for_line(child, signal_after)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert ledger_content(path) == before
    # The kernel dropped the dead run's lock: the next run proceeds and commits.
    with Ledger.open(path, wait_seconds=0) as ledger:
        _, record = run_night(ledger, NIGHT_2, run_info("night2.csv", b"night 2", day=8))
    assert record is not None
    assert record.run_id == 2


def test_second_run_fails_cleanly_while_first_holds_ledger(ledger_after_night_1: Path) -> None:
    path = ledger_after_night_1
    before = ledger_content(path)
    with child_run(path, "hold") as child:
        wait_for_line(child, "opened")
        with pytest.raises(LedgerBusyError) as caught:
            Ledger.open(path, wait_seconds=0.3)
        with pytest.raises(LedgerBusyError):
            ledger_stats(path, wait_seconds=0.1)
    error = caught.value
    assert isinstance(error, LeadtriageError)
    assert error.exit_status is ExitStatus.FAILURE
    assert str(path) in error.message
    assert error.hint
    assert ledger_content(path) == before


def test_second_run_proceeds_when_first_finishes_within_the_wait(
    ledger_after_night_1: Path,
) -> None:
    path = ledger_after_night_1
    with child_run(path, "hold", "0.5") as child:
        wait_for_line(child, "opened")
        with Ledger.open(path, wait_seconds=30) as ledger:
            _, record = run_night(ledger, NIGHT_2, run_info("night2.csv", b"night 2", day=8))
        assert child.wait() == 0
    assert record is not None


def test_duckdb_holder_without_lock_file_is_reported_busy(ledger_after_night_1: Path) -> None:
    # Someone poking at the ledger with the duckdb CLI: DuckDB's own single-writer rule.
    path = ledger_after_night_1
    script = (
        "import duckdb, sys, time\n"
        f"connection = duckdb.connect({str(path)!r})\n"
        "print('opened', flush=True)\n"
        "time.sleep(120)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        wait_for_line(child, "opened")
        with pytest.raises(LedgerBusyError):
            Ledger.open(path, wait_seconds=0)
    finally:
        child.kill()
        child.communicate()


def test_other_duckdb_database_is_not_taken_for_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "crm.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute("CREATE TABLE contacts (email VARCHAR)")
    connection.close()
    with pytest.raises(LeadtriageError, match="not a leadtriage ledger"):
        Ledger.open(path)


def test_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("email\njane@example.com\n")
    with pytest.raises(LeadtriageError) as caught:
        Ledger.open(path)
    assert "jane@example.com" not in caught.value.message
    assert path.read_text() == "email\njane@example.com\n"


def test_ledger_from_a_newer_version_is_refused(ledger_after_night_1: Path) -> None:
    connection = duckdb.connect(str(ledger_after_night_1))
    connection.execute("INSERT INTO schema_version VALUES (99, now()::TIMESTAMP)")
    connection.close()
    with pytest.raises(LeadtriageError, match="schema version 99"):
        Ledger.open(ledger_after_night_1)


def test_stats_of_missing_ledger_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LeadtriageError, match="no ledger at") as caught:
        ledger_stats(tmp_path / "nothing.duckdb")
    assert not (tmp_path / "nothing.duckdb").exists()
    # A missing file is a usage error (exit 2), as the README's exit table says.
    assert caught.value.exit_status == ExitStatus.USAGE


def test_a_folder_given_as_the_ledger_is_said_to_be_a_folder(tmp_path: Path) -> None:
    """It said "not a DuckDB database" (and left a lock file beside the folder), or
    for `ledger stats`, "no ledger at" a folder that is there."""
    folder = tmp_path / "ledgers"
    folder.mkdir()
    for use in (Ledger.open, ledger_stats, ledger_runs, lambda p: forget(p, "a@example.com")):
        with pytest.raises(LeadtriageError) as caught:
            use(folder)
        assert caught.value.message == f"ledger {folder} is a folder, not a file"
        assert caught.value.hint == (
            f"name the ledger file itself, such as {folder / 'leads.ledger'}; "
            "a run with --ledger creates it"
        )
        assert caught.value.exit_status == ExitStatus.USAGE
    assert sorted(tmp_path.iterdir()) == [folder]


@pytest.mark.parametrize("reason", ["Permission denied", "Operation not permitted"])
def test_a_ledger_the_run_may_not_write_is_said_so(
    ledger_after_night_1: Path, monkeypatch: pytest.MonkeyPatch, reason: str
) -> None:
    """A read-only (chmod 444) or immutable ledger was called "not a DuckDB database".
    DuckDB's refusal is simulated: a test running as root may open any file."""
    path = ledger_after_night_1

    def refuse(database: str, read_only: bool = False) -> None:
        raise duckdb.IOException(f'IO Error: Cannot open file "{database}": {reason}')

    monkeypatch.setattr(duckdb, "connect", refuse)
    with pytest.raises(LeadtriageError) as caught:
        Ledger.open(path, wait_seconds=0)
    assert caught.value.message == f"cannot open ledger {path} to record this run: {reason}"
    assert caught.value.hint is not None and "writable" in caught.value.hint


def test_a_ledger_path_with_lock_in_its_name_is_not_taken_for_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The word lock was looked for in DuckDB's whole message, the path too."""
    folder = tmp_path / "blocklists"
    folder.mkdir()
    path = folder / "leads.ledger"

    def refuse(database: str, read_only: bool = False) -> None:
        raise duckdb.IOException(f'IO Error: Cannot open file "{database}": Permission denied')

    monkeypatch.setattr(duckdb, "connect", refuse)
    with pytest.raises(LeadtriageError) as caught:
        Ledger.open(path, wait_seconds=0)
    assert not isinstance(caught.value, LedgerBusyError)
    assert caught.value.message.endswith("Permission denied")


def test_a_ledger_in_a_missing_folder_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    """A mistyped folder is the user's to fix, like a missing input (exit 2): it was a
    runtime failure (exit 1) without a hint."""
    path = tmp_path / "nightly" / "leads.ledger"
    with pytest.raises(LeadtriageError) as caught:
        Ledger.open(path, wait_seconds=0)
    assert caught.value.message == f"folder of ledger {path} does not exist"
    assert caught.value.exit_status == ExitStatus.USAGE
    assert caught.value.hint is not None and str(path.parent) in caught.value.hint
    assert not path.parent.exists()
