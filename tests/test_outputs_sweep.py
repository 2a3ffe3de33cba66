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

from leadtriage.cli import app
from leadtriage.io.safe_cells import neutralise, neutralise_expr, restore

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
