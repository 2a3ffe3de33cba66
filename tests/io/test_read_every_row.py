"""Every row and every archive member of an odd but valid input is read (issue 11)."""

from __future__ import annotations

import os
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from leadtriage.errors import InputError, UsageError
from leadtriage.io.read import read_table, read_tables
from leadtriage.io.safe_cells import neutralise
from leadtriage.pipeline import ReadSettings, read_inputs, triage


@pytest.fixture
def deadline() -> Iterator[None]:
    """A read that hangs fails the test instead of the whole run."""

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError("the read hung")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_cr_only_file_whose_rows_are_all_short_keeps_every_row(tmp_path: Path) -> None:
    # Old Mac line ends; the export left the optional columns off every row.
    source = _write(tmp_path, "mac.csv", b"Email,Name,Phone\ra@example.com\rb@example.com\r")
    frame = read_table(source).frame
    assert frame["Email"].to_list() == ["a@example.com", "b@example.com"]
    assert frame["Phone"].to_list() == [None, None]
    assert frame["source_row"].to_list() == [1, 2]


def test_unbalanced_quote_in_a_cr_only_file_is_refused_not_read_into_one_row(
    tmp_path: Path,
) -> None:
    source = _write(tmp_path, "quote.csv", b'Email,Name,Phone\ra@example.com,"Ann\rb@example.com\r')
    with pytest.raises(InputError, match=r"quote\.csv:2: a quoted value .* never closed"):
        read_table(source)


def test_headers_equal_after_neutralising_get_distinct_names(tmp_path: Path) -> None:
    # "=x" is written as "'=x" in a people-facing file: it must not meet "'=x" there.
    source = _write(tmp_path, "formula.csv", b"=x,'=x,Email\n1,2,a@example.com\n")
    names = read_table(source).data_columns
    assert len({neutralise(name) for name in names}) == len(names) == 3
    assert names[0] == "=x"


def _zip_with_duplicate_members(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive, pytest.warns(UserWarning, match="Duplicate"):
        archive.writestr("contacts.csv", "Email\nfirst@example.com\n")
        archive.writestr("contacts.csv", "Email\nsecond@example.com\nthird@example.com\n")
    return path


def test_zip_members_of_one_name_are_each_read(tmp_path: Path) -> None:
    archive = _zip_with_duplicate_members(tmp_path / "export.zip")
    tables = read_tables(str(archive))
    assert [t.source for t in tables] == [
        f"{archive}:contacts.csv",
        f"{archive}:contacts.csv#2",
    ]
    assert [t.frame["Email"].to_list() for t in tables] == [
        ["first@example.com"],
        ["second@example.com", "third@example.com"],
    ]


def test_one_file_named_two_ways_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "c.csv", b"Email\na@example.com\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="more than once"):
        read_inputs(["c.csv", "./c.csv"], ReadSettings())
    (tmp_path / "link.csv").symlink_to(tmp_path / "c.csv")
    with pytest.raises(UsageError, match="more than once"):
        read_inputs(["c.csv", str(tmp_path / "link.csv")], ReadSettings())


def test_fifo_is_read_as_a_stream(tmp_path: Path, deadline: None) -> None:
    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("wb") as handle:
            handle.write(b"Email\na@example.com\nb@example.com\n")

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        frame = read_table(str(fifo)).frame
    finally:
        writer.join(5)
    assert frame["Email"].to_list() == ["a@example.com", "b@example.com"]


def test_fifo_without_a_writer_is_refused_in_bounded_time(
    tmp_path: Path, deadline: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)
    monkeypatch.setattr("leadtriage.io.read.PIPE_WAIT_SECONDS", 0.2)
    with pytest.raises(InputError, match="nothing was written to the pipe"):
        read_table(str(fifo))


def test_fifo_whose_writer_comes_late_is_read(tmp_path: Path, deadline: None) -> None:
    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)

    def feed_late() -> None:
        time.sleep(0.5)
        with fifo.open("wb") as handle:
            handle.write(b"Email\na@example.com\n")

    writer = threading.Thread(target=feed_late)
    writer.start()
    try:
        assert read_table(str(fifo)).frame.height == 1
    finally:
        writer.join(5)


@pytest.mark.parametrize("header", ["*", "^Email$", "^.*$"])
def test_headers_polars_reads_as_patterns_are_renamed_and_rows_kept(
    tmp_path: Path, header: str
) -> None:
    # pl.col("*") or pl.col("^...$") would select every column, not this one.
    source = _write(tmp_path, "odd.csv", f"{header},Email\nx,a@example.com\n".encode())
    table = read_table(source)
    assert table.data_columns == [f"{header} (input)", "Email"]
    assert table.header == (header, "Email")
    result = triage([source])
    assert result.routed.height == 1
