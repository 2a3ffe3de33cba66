"""Workbook cells read as the text Excel shows for them, whatever the workbook's
settings: its date system (Mac Excel's 1904 dates) and its number formats."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.io.number_formats import digit_template
from leadtriage.io.read import read_table

runner = CliRunner()


def _data(path: Path) -> list[tuple[str | None, ...]]:
    return read_table(str(path)).frame.drop("source_file", "source_row").rows()


def _dated_leads(path: Path, *, date_1904: bool) -> Path:
    """One list of leads with date cells: an opt-out date column holding a lookup's
    zero (Excel shows 00/01/1900, or 01/01/1904 in the 1904 system), a real opt-out
    date and a blank; a created column with dates and a time of day alone."""
    book = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
    sheet = book.add_worksheet("Leads")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    clock = book.add_format({"num_format": "hh:mm"})
    sheet.write_row(0, 0, ["Email", "First Name", "Created Date", "Unsubscribed On"])
    sheet.write_row(1, 0, ["ann@acme.com", "Ann"])
    sheet.write_datetime(1, 2, dt.datetime(2024, 3, 1), day)
    sheet.write_formula(1, 3, "=IFERROR(VLOOKUP(A2,Z:Z,1,0),0)", day, 0)
    sheet.write_row(2, 0, ["ben@acme.com", "Ben"])
    sheet.write_datetime(2, 2, dt.time(9, 30), clock)
    sheet.write_datetime(2, 3, dt.datetime(2024, 2, 2), day)
    sheet.write_row(3, 0, ["cy@acme.com", "Cy"])
    sheet.write_datetime(3, 2, dt.datetime(2023, 1, 15), day)
    sheet.write_number(3, 3, 0, day)
    sheet.write_row(4, 0, ["dee@acme.com", "Dee"])
    sheet.write_datetime(4, 2, dt.datetime(1904, 1, 2), day)
    book.close()
    return path


def test_a_1904_workbook_reads_the_same_dates_as_its_1900_twin(tmp_path: Path) -> None:
    # Mac Excel's 1904 date system counts from 1904-01-01: its zero date (a lookup's
    # 0 in an opt-out date column) read as 1904-01-01 and opted the person out, and a
    # time alone became a created date, where the same sheet in the 1900 system reads
    # both as blank.
    dates_1900 = _data(_dated_leads(tmp_path / "pc.xlsx", date_1904=False))
    dates_1904 = _data(_dated_leads(tmp_path / "mac.xlsx", date_1904=True))

    assert dates_1904 == dates_1900
    assert dates_1900 == [
        ("ann@acme.com", "Ann", "2024-03-01", None),
        ("ben@acme.com", "Ben", None, "2024-02-02"),
        ("cy@acme.com", "Cy", "2023-01-15", None),
        ("dee@acme.com", "Dee", "1904-01-02", None),
    ]
    warnings = read_table(str(tmp_path / "mac.xlsx")).warnings
    notes = [w for w in warnings if "no date" in w]
    assert len(notes) == 1, warnings
    assert "3 date cells" in notes[0] and "01/01/1904" in notes[0]


def test_a_1904_workbook_gives_the_same_consent_as_its_1900_twin(tmp_path: Path) -> None:
    consents = []
    for date_1904 in (False, True):
        source = _dated_leads(tmp_path / f"leads_{date_1904}.xlsx", date_1904=date_1904)
        out = tmp_path / f"out_{date_1904}"
        args = ["clean", str(source), "-o", str(out), "--force", "--json"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["rows_in"] == 4
        rows = pl.concat(
            pl.read_csv(out / f"{name}.csv", infer_schema=False).select("email", "consent")
            for name in ("accepted", "review", "rejected")
        )
        consents.append(dict(rows.sort("email").iter_rows()))

    assert consents[1] == consents[0]
    assert consents[0] == {
        "ann@acme.com": "unknown",
        "ben@acme.com": "no",
        "cy@acme.com": "unknown",
        "dee@acme.com": "unknown",
    }


def test_numbers_shown_zero_padded_read_as_excel_shows_them(tmp_path: Path) -> None:
    # A US ZIP code typed as a number with the format 00000 (Excel's "Zip Code") shows
    # 02134; a phone stored as a number with 0000000000 shows its leading zero. Read as
    # the bare number, the ZIP lost its zero and the phone its trunk prefix.
    path = tmp_path / "padded.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Leads")
    zip_code = book.add_format({"num_format": "00000"})
    zip_plus_four = book.add_format({"num_format": "00000-0000"})
    phone = book.add_format({"num_format": "0000000000"})
    spaced = book.add_format({"num_format": '"+"00 0000 000000'})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, ["Email", "Zip", "Zip4", "Phone", "Mobile", "Budget", "Note"])
    sheet.write_string(1, 0, "ann@acme.com")
    sheet.write_number(1, 1, 2134, zip_code)
    sheet.write_number(1, 2, 21340123, zip_plus_four)
    sheet.write_number(1, 3, 612345678, phone)
    sheet.write_number(1, 4, 491701234567, spaced)
    sheet.write_number(1, 5, 2500, money)
    sheet.write_string(1, 6, "7", zip_code)
    sheet.write_string(2, 0, "ben@acme.com")
    sheet.write_number(2, 1, 90210, zip_code)
    sheet.write_number(2, 2, 123456789, zip_plus_four)
    sheet.write_number(2, 3, 12.5, phone)
    sheet.write_number(2, 4, 1234567890123, spaced)
    sheet.write_string(2, 5, "n/a", money)
    sheet.write_number(2, 6, 7)
    book.close()

    assert _data(path) == [
        ("ann@acme.com", "02134", "02134-0123", "0612345678", "+49 1701 234567", "2500", "7"),
        ("ben@acme.com", "90210", "12345-6789", "12.5", "+123 4567 890123", "n/a", "7"),
    ]


def test_zero_padded_cells_are_found_in_a_sheet_that_starts_right_of_a_and_below_1(
    tmp_path: Path,
) -> None:
    path = tmp_path / "offset.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Leads")
    zip_code = book.add_format({"num_format": "00000"})
    sheet.write_string(0, 2, "Leads from the fair")
    sheet.write_row(2, 2, ["Email", "First Name", "Postcode"])
    for row, (email, name, code) in enumerate(
        [("ann@acme.com", "Ann", 2134), ("ben@acme.com", "Ben", 501)], start=3
    ):
        sheet.write_row(row, 2, [email, name])
        sheet.write_number(row, 4, code, zip_code)
    book.close()

    assert _data(path) == [("ann@acme.com", "Ann", "02134"), ("ben@acme.com", "Ben", "00501")]


@pytest.mark.parametrize(
    ("code", "template"),
    [
        ("00000", (None,) * 5),
        ("00000-0000", (*(None,) * 5, "-", *(None,) * 4)),
        ('"+"00 0000;-0', ("+", None, None, " ", None, None, None, None)),
        ("000\\-00\\-0000", (None,) * 3 + ("-",) + (None,) * 2 + ("-",) + (None,) * 4),
        ("0", None),  # no padding: the number as it is
        ("#,##0", None),
        ("0.00", None),
        ("00/00", None),  # a fraction
        ("[Red]00000", None),
        ("[<=9999999]###-####;(###) ###-####", None),
        ("00000_)", None),
        ("dd/mm/yyyy", None),
        ("@", None),
    ],
)
def test_only_formats_of_zeros_and_literal_text_pad(
    code: str, template: tuple[str | None, ...] | None
) -> None:
    assert digit_template(code) == template
