"""Workbook cells read as the text Excel shows for them, whatever the workbook's
settings: its date system (Mac Excel's 1904 dates) and its number formats."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import xlsxwriter
from typer.testing import CliRunner

from leadtriage.cli import app
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
