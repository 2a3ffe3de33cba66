"""What a workbook's sheet says beyond the values a reader hands over: merged cells
over data rows, error cells, formulas never calculated. Each used to vanish in
silence (a company-wide opt-out merged over three people reached one of them)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.io import sheet_notes as sheet_notes_module
from leadtriage.io.read import read_table
from leadtriage.io.sheet_notes import sheet_notes

HEADER = ["Company", "Country", "First Name", "Last Name", "Email", "Email Opt Out"]


def _data(path: Path) -> list[tuple[str | None, ...]]:
    return read_table(str(path)).frame.drop("source_file", "source_row").rows()


def test_a_value_merged_down_over_data_rows_reaches_every_row(tmp_path: Path) -> None:
    # A report layout: the company, its country and a company-wide opt-out merged
    # down over its people. Read as-is, only the first person was opted out.
    path = tmp_path / "merged.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Leads")
    sheet.write_row(0, 0, HEADER)
    sheet.merge_range(1, 0, 3, 0, "Muster GmbH")
    sheet.merge_range(1, 1, 3, 1, "Germany")
    sheet.merge_range(1, 5, 3, 5, "Yes")
    for row, (first, email) in enumerate(
        [("Jana", "jana@muster.de"), ("Timo", "timo@muster.de"), ("Uwe", "uwe@muster.de")],
        start=1,
    ):
        sheet.write_row(row, 2, [first, "Kraus", email])
    sheet.write_row(4, 0, ["Acme", "UK", "Ann", "Lee", "ann@acme.com", "No"])
    book.close()

    table = read_table(str(path))

    assert table.frame.drop("source_file", "source_row").rows() == [
        ("Muster GmbH", "Germany", "Jana", "Kraus", "jana@muster.de", "Yes"),
        ("Muster GmbH", "Germany", "Timo", "Kraus", "timo@muster.de", "Yes"),
        ("Muster GmbH", "Germany", "Uwe", "Kraus", "uwe@muster.de", "Yes"),
        ("Acme", "UK", "Ann", "Lee", "ann@acme.com", "No"),
    ]
    notes = [w for w in table.warnings if "merged" in w]
    assert len(notes) == 1, table.warnings
    assert "3 merged cells in data rows" in notes[0]
    assert "repeated on each row they cover" in notes[0]


def test_merged_cells_land_on_their_rows_when_the_sheet_starts_below_and_right_of_a1(
    tmp_path: Path,
) -> None:
    # A1 holds only a style and the list starts at B3: the reader's frame starts at
    # the first cell with a value, so sheet rows and frame rows differ by two.
    path = tmp_path / "offset.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Leads")
    sheet.write_blank(0, 0, None, book.add_format({"bold": True}))
    sheet.write_row(2, 1, ["Company", "Email", "First Name", "Opt Out"])
    sheet.merge_range(3, 1, 4, 1, "Acme")
    sheet.write_row(3, 2, ["ann@acme.com", "Ann"])
    sheet.write_row(4, 2, ["bob@acme.com", "Bob"])
    # Two columns wide: the value is repeated down its first column only.
    sheet.merge_range(5, 3, 6, 4, "Cy")
    sheet.write_row(5, 1, ["Bolt", "cy@bolt.com"])
    sheet.write_row(6, 1, ["Bolt", "dee@bolt.com"])
    book.close()

    assert _data(path) == [
        ("Acme", "ann@acme.com", "Ann", None),
        ("Acme", "bob@acme.com", "Bob", None),
        ("Bolt", "cy@bolt.com", "Cy", None),
        ("Bolt", "dee@bolt.com", "Cy", None),
    ]


def test_merges_in_the_title_and_header_rows_are_left_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "grouped.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Leads")
    sheet.merge_range(0, 0, 0, 2, "Trade show leads")  # a title across the list
    sheet.merge_range(1, 0, 2, 0, "Email")  # a header cell two rows tall
    sheet.write_row(2, 1, ["First Name", "Last Name"])
    sheet.write_row(3, 0, ["ann@acme.com", "Ann", "Lee"])
    sheet.write_row(4, 0, ["bob@acme.com", "Bob", "Ray"])
    book.close()

    table = read_table(str(path))

    assert table.frame.drop("source_file", "source_row").rows() == [
        ("ann@acme.com", "Ann", "Lee"),
        ("bob@acme.com", "Bob", "Ray"),
    ]
    assert not [w for w in table.warnings if "merged" in w], table.warnings


def test_error_cells_keep_their_error_text_and_are_counted(tmp_path: Path) -> None:
    # Read as blank, a #VALUE! email let the row through with no reason at all.
    path = tmp_path / "errors.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Leads")
    sheet.write_row(0, 0, ["First Name", "Email", "Phone"])
    sheet.write_row(1, 0, ["Ann", "ann@acme.com", "+44 20 7946 0001"])
    sheet.write_string(2, 0, "Ben")
    sheet.write_formula(2, 1, "=A3+1", None, "#VALUE!")
    sheet.write_formula(2, 2, "=1/0", None, "#DIV/0!")
    sheet.write_string(3, 0, "Cy")
    sheet.write_formula(3, 1, "=NA()", None, "#N/A")
    sheet.write_string(3, 2, "+44 20 7946 0003")
    book.close()

    table = read_table(str(path))

    assert table.frame.drop("source_file", "source_row").rows() == [
        ("Ann", "ann@acme.com", "+44 20 7946 0001"),
        ("Ben", "#VALUE!", "#DIV/0!"),
        ("Cy", "#N/A", "+44 20 7946 0003"),
    ]
    notes = [w for w in table.warnings if "error" in w]
    assert len(notes) == 1, table.warnings
    assert "3 cells hold an Excel error" in notes[0]
    assert "data rows 2, 3" in notes[0]


def test_an_error_email_is_flagged_not_accepted_clean(tmp_path: Path) -> None:
    path = tmp_path / "errors.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Leads")
    sheet.write_row(0, 0, ["First Name", "Email", "Phone"])
    sheet.write_string(1, 0, "Eve")
    sheet.write_formula(1, 1, "=A2+1", None, "#VALUE!")
    sheet.write_string(1, 2, "+44 20 7946 0005")
    book.close()
    out = tmp_path / "out"

    result = CliRunner().invoke(app, ["clean", str(path), "-o", str(out)])

    assert result.exit_code == 0, result.output
    rows = pl.read_csv(out / "accepted.csv", infer_schema=False).rows(named=True)
    rows += pl.read_csv(out / "review.csv", infer_schema=False).rows(named=True)
    rows += pl.read_csv(out / "rejected.csv", infer_schema=False).rows(named=True)
    assert len(rows) == 1
    assert "email.invalid" in (rows[0]["reasons"] or ""), rows


def test_formulas_without_a_saved_result_are_said_not_read_as_blank_in_silence(
    tmp_path: Path,
) -> None:
    # A workbook written by a script (openpyxl) and never opened in Excel holds the
    # formulas but no results: every such cell reads as blank.
    path = tmp_path / "script.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["First Name", "Email", "Company"])
    sheet.append(["anna", '=A2&"@acme.com"', "Acme"])
    sheet.append(["ben", '=A3&"@acme.com"', '=UPPER("acme")'])
    book.save(path)

    table = read_table(str(path))

    assert table.frame.get_column("Email").to_list() == [None, None]
    notes = [w for w in table.warnings if "formula" in w]
    assert len(notes) == 1, table.warnings
    assert "3 formula cells have no saved result" in notes[0]
    assert "open it in Excel and save it again" in notes[0]


def test_a_formula_saved_with_an_empty_text_result_is_not_said(tmp_path: Path) -> None:
    # Excel saves =IFERROR(...,"") that came out empty as t="str" with an empty <v>:
    # a result, not a missing one.
    written = tmp_path / "written.xlsx"
    book = xlsxwriter.Workbook(str(written))
    sheet = book.add_worksheet("Leads")
    sheet.write_row(0, 0, ["Email", "Company"])
    sheet.write_string(1, 0, "ann@acme.com")
    sheet.write_formula(1, 1, '=IFERROR(VLOOKUP(A2,Z:Z,1,0),"")', None, "")
    book.close()
    path = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<c r="B2">' in data
                data = data.replace(b'<c r="B2">', b'<c r="B2" t="str">')
            target.writestr(info, data)

    table = read_table(str(path))

    assert table.frame.get_column("Company").to_list() == [None]
    assert not [w for w in table.warnings if "formula" in w], table.warnings


def test_excel_zero_dates_and_times_alone_are_no_dates_and_read_as_blank(
    tmp_path: Path,
) -> None:
    # A lookup's 0 in a date-formatted opt-out column shows as 00/01/1900: read as
    # 1899-12-31 it opted the person out. A time alone (09:30) became a created date of
    # 1899-12-31. Neither says a date; blank says nothing, with a warning.
    path = tmp_path / "zero.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Leads")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    clock = book.add_format({"num_format": "hh:mm"})
    sheet.write_row(0, 0, ["Email", "Email Opt Out Date", "Created Date"])
    sheet.write_string(1, 0, "ann@acme.com")
    sheet.write_formula(1, 1, "=IFERROR(VLOOKUP(A2,Z:Z,1,0),0)", day, 0)
    sheet.write_datetime(1, 2, dt.datetime(2024, 3, 1), day)
    sheet.write_string(2, 0, "ben@acme.com")
    sheet.write_datetime(2, 1, dt.datetime(2024, 6, 30), day)
    sheet.write_datetime(2, 2, dt.time(9, 30), clock)
    sheet.write_string(3, 0, "cy@acme.com")
    sheet.write_number(3, 1, 0, day)
    sheet.write_string(3, 2, "n/a")
    book.close()

    table = read_table(str(path))

    assert table.frame.drop("source_file", "source_row").rows() == [
        ("ann@acme.com", None, "2024-03-01"),
        ("ben@acme.com", "2024-06-30", None),
        ("cy@acme.com", None, "n/a"),
    ]
    notes = [w for w in table.warnings if "no date" in w]
    assert len(notes) == 1, table.warnings
    assert "3 date cells" in notes[0] and "data rows 1, 2, 3" in notes[0]


def test_the_sheet_scan_finds_the_same_in_small_pieces_as_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sheet part is read a piece at a time: a tag or a cell cut at a piece's end
    # must be neither lost nor counted twice.
    path = tmp_path / "pieces.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Leads"
    sheet["C4"] = "Email"
    for row in range(5, 65):
        sheet.cell(row, 3, f"p{row}@acme.com")
        sheet.cell(row, 4, f'=C{row}&"!"' if row % 3 else "x")
    for row in range(5, 60, 5):
        sheet.merge_cells(f"E{row}:E{row + 2}")
    book.save(path)

    whole = sheet_notes(path, "Leads")
    for size in (7, 64, 331):
        monkeypatch.setattr(sheet_notes_module, "_CHUNK_BYTES", size)
        assert sheet_notes(path, "Leads") == whole, size
    assert whole.first_row == 3
    assert whole.uncached_formulas == 40
    assert sorted(m.first_row + 1 for m in whole.merges) == list(range(5, 60, 5))


def test_a_merged_range_over_cells_with_values_of_their_own_is_left_alone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "odd.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Leads")
    sheet.write_row(0, 0, ["Email", "Company"])
    sheet.write_row(1, 0, ["ann@acme.com", "Acme"])
    sheet.write_row(2, 0, ["bob@bolt.com", "Bolt"])
    book.close()
    # Merged over B2:B3 after the fact, as some writers leave it: B3 keeps its value.
    merged = tmp_path / "merged.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(merged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b"</sheetData>" in data
                data = data.replace(
                    b"</sheetData>",
                    b'</sheetData><mergeCells count="1"><mergeCell ref="B2:B3"/></mergeCells>',
                )
            target.writestr(info, data)

    table = read_table(str(merged))

    assert table.frame.get_column("Company").to_list() == ["Acme", "Bolt"]
    assert not [w for w in table.warnings if "merged" in w], table.warnings
