"""Formula safety that does not corrupt real values (issue 10), as a user runs it.

A HubSpot contacts export where two companies start with a formula sign but are
real names (``@Home Realty``, ``+Plus Dental Ltd``), one company cell is a DDE
payload and a notes cell hides a formula behind a non-breaking space.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Final

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.review import apply_review

runner = CliRunner()

# HubSpot's contact export headers.
HEADER: Final = ["First Name", "Last Name", "Email", "Company Name", "Phone Number", "Notes"]
DDE: Final = "=cmd|' /C calc'!A0"
HIDDEN: Final = '\u00a0=HYPERLINK("http://evil.example","click")'
ROWS: Final = [
    ["Jane", "Doe", "jane.doe@homerealty.com", "@Home Realty", "+14155550132", ""],
    ["Omar", "Haddad", "omar@plusdental.co.uk", "+Plus Dental Ltd", "+442079460000", "-"],
    ["Eve", "Mallory", "eve@mallory-consulting.com", DDE, "+14155550133", ""],
    ["Li", "Wei", "li.wei@weitrading.com", "Wei Trading", "+14155550134", HIDDEN],
]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "hubspot-contacts.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    return path


def _clean(export: Path, out: Path, *options: str) -> None:
    result = runner.invoke(app, ["clean", str(export), "-o", str(out), "-q", *options])
    assert result.exit_code == 0, result.stderr


def _csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def test_crm_profile_accepted_file_carries_exact_values(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _clean(export, out, "--profile", "salesforce")
    accepted = _csv(out / "accepted.csv")
    assert sorted(accepted["Company"].to_list()) == ["+Plus Dental Ltd", "@Home Realty"]
    assert "+14155550132" in accepted["Phone"].to_list()


def test_formula_payloads_go_to_review_tagged(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _clean(export, out, "--profile", "salesforce")
    review = _csv(out / "review.csv")
    reasons = dict(zip(review["LastName"].to_list(), review["reasons"].to_list(), strict=True))
    assert set(reasons) == {"Mallory", "Wei"}
    assert all("cell.formula" in r.split(";") for r in reasons.values())
    # People open review.csv: the payload is neutralised there, and only there.
    text = (out / "review.csv").read_text(encoding="utf-8")
    assert "'" + DDE in text
    assert "\n" + DDE not in text and "," + DDE not in text


def test_people_facing_csvs_keep_the_apostrophe(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _clean(export, out)  # generic: a person opens accepted.csv too
    companies = _csv(out / "accepted.csv")["company"].to_list()
    assert sorted(companies) == ["'+Plus Dental Ltd", "'@Home Realty"]


def test_xlsx_outputs_hold_exact_values_as_text_cells(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _clean(export, out, "-f", "xlsx")
    for name in ("accepted.xlsx", "review.xlsx"):
        sheet = openpyxl.load_workbook(out / name).worksheets[0]
        cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
        values = {c.value for c in cells}
        assert all(c.data_type == "s" for c in cells), name
        assert not any(str(v).startswith("'") for v in values), name
        if name == "accepted.xlsx":
            assert {"@Home Realty", "+Plus Dental Ltd"} <= values
        else:
            assert {DDE, HIDDEN} <= values


def test_stdin_source_file_stays_a_dash(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["clean", "-", "--input-format", "csv", "-o", str(out), "-q"],
        input=export.read_bytes(),
    )
    assert result.exit_code == 0, result.stderr
    for name in ("accepted.csv", "review.csv"):
        assert set(_csv(out / name)["source_file"].to_list()) == {"-"}, name


def test_applying_a_review_neither_doubles_nor_drops_the_apostrophe(
    export: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _clean(export, out, "--profile", "salesforce")
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        named = dict(zip(header, row, strict=True))
        named["decision"].value = "reject" if named["LastName"].value == "Mallory" else "accept"
    book.save(tmp_path / "decided.xlsx")
    apply_review(out, tmp_path / "decided.xlsx")
    rejected = (out / "rejected.csv").read_text(encoding="utf-8")
    assert "'" + DDE in rejected and "''" + DDE not in rejected
    accepted = _csv(out / "accepted.csv")
    assert "Wei Trading" in accepted["Company"].to_list()
    assert "@Home Realty" in accepted["Company"].to_list()
