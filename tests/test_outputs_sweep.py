"""The outputs as a CRM importer and a person opening them receive them.

Each test names one way a written file misled its reader: a phone number Excel
turned into a sum, an update that cleared a Salesforce opt-out, a workbook with
cells past Excel's last column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage import render as render_module
from leadtriage.cli import app
from leadtriage.errors import OutputError
from leadtriage.io import workbook as workbook_module
from leadtriage.io.safe_cells import neutralise, neutralise_expr, restore
from leadtriage.io.workbook import workbook_files
from leadtriage.io.write import OutputFormat, WriteOptions, write_outputs

runner = CliRunner()


def _clean(source: Path, out: Path, *options: str) -> None:
    result = runner.invoke(app, ["clean", str(source), "-o", str(out), "-q", *options])
    assert result.exit_code == 0, result.stderr


def _csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


# Excel reads a cell that opens with a sign as a formula: these are sums it can work
# out, so a person opening the CSV saw -1101 where the export said +1-415-555-0132.
COMPUTED: Final = [
    "+1-415-555-0132",
    "+44-20-7946-0958",
    "-2-3",
    "+1/2",
    "+1 - 2",
    "-1-(415)-555",
    " -1-2",
]
# Nothing Excel computes: a number, or a phone it cannot read as a formula.
NOT_COMPUTED: Final = [
    "+14155550132",
    "+44 20 7946 0958",
    "+1 (415) 555-0132",
    "-12.5",
    "-",
    "+1.415.555.0132",
    "0044-20-7946-0958",
    "415-555-0132",
]


@pytest.mark.parametrize("cell", COMPUTED)
def test_a_sum_excel_would_work_out_is_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert restore(neutralise(cell)) == cell
    assert pl.DataFrame({"c": [cell]}).select(neutralise_expr("c")).item() == "'" + cell


@pytest.mark.parametrize("cell", NOT_COMPUTED)
def test_numbers_and_phones_excel_keeps_stay_exact(cell: str) -> None:
    assert neutralise(cell) == cell
    assert pl.DataFrame({"c": [cell]}).select(neutralise_expr("c")).item() == cell


def test_dashed_phones_reach_the_crm_exact_and_people_as_text(tmp_path: Path) -> None:
    source = tmp_path / "badge-scans.csv"
    source.write_text(
        "First Name,Last Name,Email,Company,Phone,Fax\n"
        "Ann,Lee,ann.lee@northwind-traders.com,Northwind Traders,+1-212-736-0142,"
        "+1-212-736-0199\n",
        encoding="utf-8",
    )
    _clean(source, tmp_path / "generic")
    # A person opens the generic accepted file: the fax column passes through as it came.
    generic = (tmp_path / "generic" / "accepted.csv").read_text(encoding="utf-8")
    assert ",'+1-212-736-0199," in generic
    _clean(source, tmp_path / "sf", "--profile", "salesforce")
    accepted = _csv(tmp_path / "sf" / "accepted.csv")
    assert accepted["Fax"].to_list() == ["+1-212-736-0199"]  # the importer gets it exact


# A CRM export without an opt-out column says nothing of its records' opt-outs.
CRM: Final = (
    "Id,FirstName,LastName,Email,Company\n"
    "00Q000000000001,Ann,Lee,ann.lee@northwind-traders.com,Northwind Traders\n"
    "00Q000000000002,Ben,Okafor,ben.okafor@contoso-pharma.com,Contoso Pharma\n"
    "00Q000000000003,Cara,Diaz,cara.diaz@fabrikam-bank.com,Fabrikam Bank\n"
)
LEADS: Final = (
    "First Name,Last Name,Email,Company,Email Opt In,Email Opt Out\n"
    "Ann,Lee,ann.lee@northwind-traders.com,Northwind Traders,,\n"
    "Ben,Okafor,ben.okafor@contoso-pharma.com,Contoso Pharma,yes,0\n"
    "Cara,Diaz,cara.diaz@fabrikam-bank.com,Fabrikam Bank,,1\n"
    "Dev,Rao,dev.rao@tailspin-toys.com,Tailspin Toys,,\n"
)


def test_a_salesforce_update_never_clears_an_opt_out_nobody_gave(tmp_path: Path) -> None:
    """HasOptedOutOfEmail=false on a row with an Id unticks the Lead's opt-out on
    import; where the consent is unknown the cell stays blank, which Data Loader and
    the Data Import Wizard leave alone on an update and default to false on an insert."""
    crm = tmp_path / "crm.csv"
    crm.write_text(CRM, encoding="utf-8")
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    _clean(leads, tmp_path / "out", "--profile", "salesforce", "--crm", str(crm))
    rows = _csv(tmp_path / "out" / "accepted.csv").select(
        "Email", "Id", "consent", "HasOptedOutOfEmail"
    )
    by_email = {r[0]: r[1:] for r in rows.iter_rows()}
    assert by_email == {
        "ann.lee@northwind-traders.com": ("00Q000000000001", "unknown", None),
        "ben.okafor@contoso-pharma.com": ("00Q000000000002", "yes", "false"),
        "cara.diaz@fabrikam-bank.com": ("00Q000000000003", "no", "true"),
        "dev.rao@tailspin-toys.com": (None, "unknown", "false"),
    }


# Excel's last column is XFD, the 16,384th.
_TOO_WIDE: Final = 16_385


def _wide(columns: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            **{f"c{i}": ["v"] for i in range(columns - 2)},
            "source_file": ["wide.parquet"],
            "source_row": ["1"],
        }
    )


def test_xlsx_refuses_more_columns_than_a_sheet_holds(tmp_path: Path) -> None:
    """Cells past XFD were written into accepted.xlsx, headers left out: Excel repairs
    such a file by dropping them, source_file and source_row among them."""
    with pytest.raises(OutputError) as caught:
        write_outputs(
            tmp_path / "out",
            {"accepted": _wide(_TOO_WIDE)},
            {},
            WriteOptions(format=OutputFormat.XLSX),
        )
    assert caught.value.message == (
        "accepted.xlsx: 16,385 columns, more than a worksheet holds (16,384)"
    )
    assert caught.value.hint == "write --format csv or parquet, which hold any number of columns"
    assert not (tmp_path / "out").exists()


def test_no_review_workbook_wider_than_a_sheet(tmp_path: Path) -> None:
    """The workbook adds a decision column: a review of 16,384 columns does not fit,
    and its keys (the last columns) would be out of the sheet."""
    assert workbook_files(_wide(16_383), run_id=None)
    assert workbook_files(_wide(16_384), run_id=None) == {}


def test_a_run_too_wide_for_a_workbook_says_why_it_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Said "over 50,000 rows" of a one-row review. A sheet's width is lowered here: a
    run over 16,384 real columns takes more than a minute."""
    monkeypatch.setattr(workbook_module, "SHEET_MAX_COLUMNS", 12, raising=False)
    monkeypatch.setattr(render_module, "SHEET_MAX_COLUMNS", 12, raising=False)
    source = tmp_path / "leads.csv"
    source.write_text(
        "Email,Last Name,Company,Notes,Fax,Title\n=1+1,Lee,Northwind Traders,,,\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["clean", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert not (tmp_path / "out" / "review.xlsx").exists()
    assert "no review workbook: more columns than a worksheet holds, 12" in result.stderr
