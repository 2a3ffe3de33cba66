"""The review round trip with ``--format xlsx``, where review.xlsx is both the review
output and the sheet a person edits: what the person does to the sheet is done to
the output itself."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Final

import fastexcel
import openpyxl
import pytest

from leadtriage.errors import InputError
from leadtriage.io.write import OutputFormat, WriteOptions
from leadtriage.pipeline import clean
from leadtriage.review import apply_review
from leadtriage.rules import load_rules

RULES: Final = """
[[rules]]
name = "look"
when = { field = "email", present = true }
action = "review"
"""
ROWS: Final = [
    ["Email", "First Name", "Last Name", "Company"],
    ["jane@acme.com", "Jane", "Doe", "Acme"],
    ["bob@northwind.com", "Bob", "Stone", "Northwind"],
    ["li@wei-trading.com", "Li", "Wei", "Wei Trading"],
]


def _xlsx_run(folder: Path) -> Path:
    source = folder / "leads.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(ROWS)
    rules = folder / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    out = folder / "out"
    clean(
        [str(source)],
        out,
        rules=load_rules(rules),
        write_options=WriteOptions(format=OutputFormat.XLSX),
    )
    return out


def _edit(workbook: Path, *, drop: str | None = None, cells: dict[str, dict[str, str]]) -> None:
    """Set `cells` (email -> column -> value) and delete the row of email `drop`."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    email = header.index("email") + 1
    for index in range(sheet.max_row, 1, -1):
        row_email = sheet.cell(index, email).value
        for column, value in cells.get(str(row_email), {}).items():
            sheet.cell(index, header.index(column) + 1).value = value
        if row_email == drop:
            sheet.delete_rows(index)
    book.save(workbook)


def _emails(out: Path, table: str) -> list[str]:
    frame = fastexcel.read_excel(out / f"{table}.xlsx").load_sheet(0, dtypes="string").to_polars()
    return [str(v) for v in frame.get_column("email").to_list()]


def test_a_row_deleted_from_the_xlsx_review_is_named_not_called_a_mixed_run(
    tmp_path: Path,
) -> None:
    # With --format xlsx the sheet is the review output: a deleted row is gone from
    # the outputs. Nothing may be applied, and the person must learn what to undo.
    out = _xlsx_run(tmp_path)
    _edit(
        out / "review.xlsx",
        drop="bob@northwind.com",
        cells={"jane@acme.com": {"decision": "accept"}},
    )
    with pytest.raises(InputError) as raised:
        apply_review(out, out / "review.xlsx")
    message = raised.value.message
    assert "review.xlsx" in message
    assert "1 row" in message and "deleted" in message
    assert "nothing was applied" in message
    assert _emails(out, "accepted") == []


@pytest.mark.xfail(
    strict=True,
    reason="with --format xlsx no copy of the review rows as written is kept, so an edit "
    "cannot be told from the run's value and goes unchecked into accepted; needs the "
    "run (pipeline / io.workbook) to keep the written review rows beside review.xlsx",
)
def test_an_invalid_email_typed_into_the_xlsx_review_is_not_accepted(tmp_path: Path) -> None:
    out = _xlsx_run(tmp_path)
    _edit(
        out / "review.xlsx", cells={"jane@acme.com": {"decision": "accept", "email": "jane@acme"}}
    )
    try:
        apply_review(out, out / "review.xlsx")
    except InputError:
        return  # refused: as good as held
    assert "jane@acme" not in _emails(out, "accepted")
