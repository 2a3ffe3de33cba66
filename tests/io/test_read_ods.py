"""OpenDocument spreadsheets (.ods: LibreOffice's own format, Google Sheets' and
Numbers' export) are read like Excel workbooks; they used to be refused."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.errors import InputError
from leadtriage.io.limits import Limits
from leadtriage.io.read import read_table, read_tables

runner = CliRunner()
MakeOds = Callable[..., bytes]
LEADS: list[list[str | int | None]] = [
    ["Email", "First Name", "Zip", "Registered"],
    ["ann.lee@northwind.com", "Ann", "02134", "date:2024-03-01"],
    ["ben.ong@contoso.com", "Ben", 90210, "date:2024-03-02T10:11:12"],
]


def test_an_ods_file_is_read_like_a_workbook(tmp_path: Path, make_ods: MakeOds) -> None:
    path = tmp_path / "leads.ods"
    path.write_bytes(make_ods(LEADS))

    table = read_table(str(path))

    assert table.format == "ods"
    assert table.frame.drop("source_file", "source_row").rows() == [
        ("ann.lee@northwind.com", "Ann", "02134", "2024-03-01"),
        ("ben.ong@contoso.com", "Ben", "90210", "2024-03-02T10:11:12"),
    ]


def test_an_ods_file_is_cleaned_like_any_other_input(tmp_path: Path, make_ods: MakeOds) -> None:
    path = tmp_path / "leads.ods"
    path.write_bytes(make_ods(LEADS))
    out = tmp_path / "out"

    result = runner.invoke(app, ["clean", str(path), "-o", str(out), "--force", "--json"])

    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["rows_in"] == 2
    assert sum(summary["outputs"].values()) == 2


def test_an_ods_file_is_known_by_its_content_whatever_its_name(
    tmp_path: Path, make_ods: MakeOds
) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(make_ods(LEADS))

    assert read_table(str(path)).frame.height == 2


def test_an_ods_file_in_a_zip_is_read_as_a_member(tmp_path: Path, make_ods: MakeOds) -> None:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("leads.ods", make_ods(LEADS))

    tables = read_tables(str(path))

    assert [t.source for t in tables] == [f"{path}:leads.ods"]
    assert tables[0].frame.height == 2


def test_libreoffices_empty_rows_to_the_sheets_end_are_no_rows(
    tmp_path: Path, make_ods: MakeOds
) -> None:
    path = tmp_path / "leads.ods"
    empty = (
        '<table:table-row table:number-rows-repeated="1048573">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    path.write_bytes(make_ods(LEADS, tail=empty))

    assert read_table(str(path)).frame.height == 2


@pytest.mark.parametrize(
    "stretched",
    [
        pytest.param(  # a value repeated down and across
            '<table:table-row table:number-rows-repeated="10000">'
            '<table:table-cell table:number-columns-repeated="1000" office:value-type="string">'
            "<text:p>x</text:p></table:table-cell></table:table-row>",
            id="repeated-value",
        ),
        pytest.param(  # one stray value far below and right of the list
            '<table:table-row table:number-rows-repeated="100000">'
            '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
            '<table:table-row><table:table-cell table:number-columns-repeated="200"/>'
            '<table:table-cell office:value-type="string"><text:p>x</text:p>'
            "</table:table-cell></table:table-row>",
            id="stray-far-value",
        ),
    ],
)
def test_a_sheet_stretched_to_millions_of_cells_is_refused_before_it_is_loaded(
    tmp_path: Path, make_ods: MakeOds, stretched: str
) -> None:
    # A few hundred bytes that the reader would expand into millions of cells.
    path = tmp_path / "stretched.ods"
    path.write_bytes(make_ods(LEADS, tail=stretched))

    with pytest.raises(InputError) as caught:
        read_table(str(path), limits=Limits(max_input_size=64 * 1024 * 1024))

    assert str(path) in str(caught.value) and "cells" in str(caught.value)


def test_rows_past_a_spreadsheets_last_row_are_refused_not_dropped(
    tmp_path: Path, make_ods: MakeOds
) -> None:
    # Two million copies of one filled row: the reader stops at row 1,048,576 and
    # would drop the rest without a word.
    path = tmp_path / "long.ods"
    repeated = (
        '<table:table-row table:number-rows-repeated="2000000">'
        '<table:table-cell office:value-type="string"><text:p>a@b.com</text:p>'
        "</table:table-cell></table:table-row>"
    )
    path.write_bytes(make_ods(LEADS, tail=repeated))

    with pytest.raises(InputError) as caught:
        read_table(str(path))

    assert str(path) in str(caught.value) and "2,000,003" in str(caught.value)


def test_a_damaged_ods_file_is_refused_naming_the_file(tmp_path: Path, make_ods: MakeOds) -> None:
    path = tmp_path / "leads.ods"
    whole = make_ods(LEADS)
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(whole)) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            if info.filename != "content.xml":
                target.writestr(info, source.read(info))
    path.write_bytes(damaged.getvalue())

    with pytest.raises(InputError) as caught:
        read_table(str(path))

    assert str(path) in str(caught.value)
    assert ".xlsx" in (caught.value.hint or "")
