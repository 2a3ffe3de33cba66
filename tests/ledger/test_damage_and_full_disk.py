"""DuckDB failing after the ledger opened (a damaged block, a full disk) is a one-line
ledger error naming the file, never an "unexpected Error" without it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.errors import ExitStatus, LeadtriageError
from leadtriage.ledger import Ledger, erasure, forget, ledger_stats, store

from .helpers import night_frame, route_all, run_info, run_night
from .snapshot import ledger_content
from .test_two_nights import NIGHT_1, NIGHT_2

# DuckDB's file header: three 4 KiB blocks before the first data block.
_HEADER_BYTES = 3 * 4096
# The address NIGHT_1 and NIGHT_2 share (a returning person).
_ADDRESS = "jane.doe@gmail.com"


def _damage_table(path: Path, table: str) -> None:
    """Overwrite bytes inside a data block of `table`, as a bad disk or a partial copy
    would: the block no longer matches its checksum."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        size = connection.execute("SELECT block_size FROM pragma_database_size()").fetchall()
        blocks = connection.execute(
            f"SELECT DISTINCT block_id FROM pragma_storage_info('{table}') WHERE block_id >= 0"
        ).fetchall()
    finally:
        connection.close()
    assert blocks, f"{table} has no block on disk to damage"
    offset = _HEADER_BYTES + int(blocks[0][0]) * int(size[0][0]) + 64
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xa5" * 64)


def test_a_damaged_block_met_while_matching_names_the_ledger(ledger_after_night_1: Path) -> None:
    path = ledger_after_night_1
    _damage_table(path, "people")
    with pytest.raises(LeadtriageError) as caught, Ledger.open(path) as ledger:
        route_all(ledger.identify(night_frame(NIGHT_2), run=run_info("n2.csv", b"2", day=8)))
    assert str(path) in caught.value.message
    assert "damaged" in caught.value.message
    assert caught.value.hint


def test_a_damaged_ledger_is_a_one_line_error_of_clean(
    ledger_after_night_1: Path, tmp_path: Path
) -> None:
    path = ledger_after_night_1
    _damage_table(path, "people")
    night = tmp_path / "night.csv"
    night.write_text(f"Email,First Name,Last Name\n{_ADDRESS},Jane,Doe\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["clean", str(night), "--ledger", str(path), "-o", str(tmp_path / "out"), "-q"]
    )
    assert result.exit_code == ExitStatus.FAILURE
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"leadtriage: error: ledger {path} is damaged")
    assert "Traceback" not in result.stderr
    assert _ADDRESS not in result.stderr


def test_forget_on_a_damaged_ledger_names_it(ledger_after_night_1: Path) -> None:
    path = ledger_after_night_1
    _damage_table(path, "person_emails")
    with pytest.raises(LeadtriageError) as caught:
        forget(path, _ADDRESS)
    assert str(path) in caught.value.message
    assert "damaged" in caught.value.message


def test_a_commit_the_disk_refuses_says_the_run_is_not_recorded(
    ledger_after_night_1: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ledger_after_night_1
    before = ledger_content(path)

    def disk_full(self: store.Ledger, *args: object) -> None:
        raise duckdb.IOException(
            f'IO Error: Could not write file "{self.path}.wal": No space left on device'
        )

    monkeypatch.setattr(store.Ledger, "_write_run", disk_full)
    with pytest.raises(LeadtriageError) as caught, Ledger.open(path) as ledger:
        run_night(ledger, NIGHT_2, run_info("night2.csv", b"night 2", day=8))
    message = caught.value.message
    assert message == f"cannot record this run in ledger {path}: No space left on device"
    assert caught.value.hint is not None and "again" in caught.value.hint
    assert ledger_content(path) == before


def test_forget_the_disk_refuses_to_compact_says_so_and_can_be_rerun(
    ledger_after_night_1: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rewrite that drops the erased bytes failed (DuckDB's FatalException at the
    checkpoint of a full disk): said as a ledger error, with what to do."""
    path = ledger_after_night_1
    real_copy = erasure._write_fresh_copy

    def disk_full(connection: duckdb.DuckDBPyConnection, fresh: Path) -> None:
        raise duckdb.FatalException(
            "FATAL Error: Failed to create checkpoint because of error: "
            f'Could not write file "{fresh}": File too large'
        )

    monkeypatch.setattr(erasure, "_write_fresh_copy", disk_full)
    with pytest.raises(LeadtriageError) as caught:
        forget(path, _ADDRESS)
    assert caught.value.message.startswith(f"cannot finish erasing in ledger {path}: ")
    assert caught.value.message.endswith("File too large")
    assert caught.value.hint is not None and "forget" in caught.value.hint
    # Run again with room on the disk: the address's bytes leave the file.
    monkeypatch.setattr(erasure, "_write_fresh_copy", real_copy)
    forget(path, _ADDRESS)
    assert _ADDRESS.encode() not in path.read_bytes()
    assert ledger_stats(path).people == len(NIGHT_1) - 1


def test_a_truncated_ledger_is_said_damaged_not_another_kind_of_file(
    ledger_after_night_1: Path,
) -> None:
    """A copy cut short keeps DuckDB's header: it was called "not a DuckDB database"."""
    path = ledger_after_night_1
    with path.open("r+b") as handle:
        handle.truncate(_HEADER_BYTES + 4096)
    for use in (Ledger.open, ledger_stats):
        with pytest.raises(LeadtriageError) as caught:
            use(path)
        assert caught.value.message.startswith(f"ledger {path} is damaged")
        assert caught.value.hint is not None and "backup" in caught.value.hint
