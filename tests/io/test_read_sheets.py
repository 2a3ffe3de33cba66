"""Which sheet of a workbook is read when no --sheet is given: the contacts, not a
cover, a hidden lookup table or an empty first sheet, and never silently one of two
sheets that both hold contacts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from leadtriage.errors import InputError
from leadtriage.io.read import read_table

HEADER = ["Email", "First Name", "Last Name", "Phone"]


def _contacts(sheet: Worksheet, email: str = "ann.lee@acme-corp.com") -> None:
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, [email, "Ann", "Lee", "+44 20 7946 0958"])


def _workbook(tmp_path: Path, build: Callable[[xlsxwriter.Workbook], None]) -> str:
    path = tmp_path / "book.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    build(workbook)
    workbook.close()
    return str(path)


def test_a_cover_sheet_before_the_contacts_is_passed_over_and_said(tmp_path: Path) -> None:
    def build(book: xlsxwriter.Workbook) -> None:
        cover = book.add_worksheet("Read me")
        cover.write(0, 0, "Trade show leads, exported by the badge scanner")
        cover.write(1, 0, "Questions: events team")
        _contacts(book.add_worksheet("Leads"))

    table = read_table(_workbook(tmp_path, build))
    assert table.frame.get_column("Email").to_list() == ["ann.lee@acme-corp.com"]
    assert any("'Leads'" in w and "'Read me'" in w for w in table.warnings), table.warnings


def test_an_empty_first_sheet_is_passed_over(tmp_path: Path) -> None:
    def build(book: xlsxwriter.Workbook) -> None:
        book.add_worksheet("Sheet1")
        _contacts(book.add_worksheet("Export"))

    table = read_table(_workbook(tmp_path, build))
    assert table.frame.get_column("Email").to_list() == ["ann.lee@acme-corp.com"]


def test_a_hidden_sheet_is_not_the_one_read(tmp_path: Path) -> None:
    def build(book: xlsxwriter.Workbook) -> None:
        lookup = book.add_worksheet("Lookup")
        _contacts(lookup, email="hidden.row@acme-corp.com")
        visible = book.add_worksheet("Contacts")
        _contacts(visible)
        visible.activate()  # the active sheet cannot be hidden
        lookup.hide()

    table = read_table(_workbook(tmp_path, build))
    assert table.frame.get_column("Email").to_list() == ["ann.lee@acme-corp.com"]


def test_a_second_sheet_of_contacts_is_named_in_a_warning(tmp_path: Path) -> None:
    def build(book: xlsxwriter.Workbook) -> None:
        _contacts(book.add_worksheet("March"))
        _contacts(book.add_worksheet("April"), email="bob@globex.example.com")

    table = read_table(_workbook(tmp_path, build))
    assert table.frame.get_column("Email").to_list() == ["ann.lee@acme-corp.com"]
    assert any("'April'" in w and "--sheet" in w for w in table.warnings), table.warnings


def test_a_named_sheet_is_read_without_a_word(tmp_path: Path) -> None:
    def build(book: xlsxwriter.Workbook) -> None:
        _contacts(book.add_worksheet("March"))
        _contacts(book.add_worksheet("April"), email="bob@globex.example.com")

    table = read_table(_workbook(tmp_path, build), sheet="April")
    assert table.frame.get_column("Email").to_list() == ["bob@globex.example.com"]
    assert table.warnings == ()


def test_a_sheet_of_people_without_a_header_counts_as_contacts(tmp_path: Path) -> None:
    def build(book: xlsxwriter.Workbook) -> None:
        book.add_worksheet("Notes").write(0, 0, "nothing to see")
        book.add_worksheet("Scans").write_row(0, 0, ["ann.lee@acme-corp.com", "Ann Lee"])

    table = read_table(_workbook(tmp_path, build))
    assert table.frame.height == 1


def _chart_first(book: xlsxwriter.Workbook) -> None:
    chart_sheet = book.add_chartsheet("Chart")
    data = book.add_worksheet("Data")
    _contacts(data)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Data!$A$2:$A$2"})
    chart_sheet.set_chart(chart)


def test_a_chart_sheet_is_passed_over_without_a_library_message(tmp_path: Path) -> None:
    """The workbook reader logged "'chartsheet' not a valid worksheet", which Python
    printed on stderr even with -q."""
    source = _workbook(tmp_path, _chart_first)
    run = subprocess.run(
        [sys.executable, "-m", "leadtriage", "clean", source, "-o", str(tmp_path / "out"), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stderr) == (0, "")
    table = read_table(source)
    assert table.frame.get_column("Email").to_list() == ["ann.lee@acme-corp.com"]
    assert any("read sheet 'Data'" in w and "'Chart'" in w for w in table.warnings)


def test_a_chart_sheet_asked_for_is_refused_as_a_chart(tmp_path: Path) -> None:
    source = _workbook(tmp_path, _chart_first)
    with pytest.raises(InputError) as caught:
        read_table(source, sheet="Chart")
    assert caught.value.message == f"{source}: sheet 'Chart' is a chart, not a table"
    assert caught.value.hint == "the sheets of cells are 'Data': name one with --sheet"
