"""Writers: all-or-nothing, deterministic, formula-safe in every format."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from leadtriage.errors import OutputError
from leadtriage.io import write as write_module
from leadtriage.io.write import OutputFormat, WriteOptions, existing_outputs, write_outputs

TABLES = {
    "accepted": pl.DataFrame(
        {"email": ["jane@acme.com", "zoë@acme.de"], "phone": ["+14155550132", "0049301234"]}
    ),
    "review": pl.DataFrame({"email": ['=HYPERLINK("http://x","y")'], "phone": ["01234"]}),
}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_outputs_are_byte_identical_across_runs(tmp_path: Path, fmt: OutputFormat) -> None:
    write_outputs(tmp_path / "a", TABLES, {"n": 1}, WriteOptions(format=fmt))
    write_outputs(tmp_path / "b", TABLES, {"n": 1}, WriteOptions(format=fmt))
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(
        [f"accepted.{fmt.value}", f"review.{fmt.value}", "summary.json"]
    )


def test_csv_is_plain_utf8_and_bom_only_for_excel(tmp_path: Path) -> None:
    write_outputs(tmp_path / "plain", TABLES, {}, WriteOptions())
    write_outputs(tmp_path / "excel", TABLES, {}, WriteOptions(excel_bom=True))
    plain = (tmp_path / "plain" / "accepted.csv").read_bytes()
    assert plain.startswith(b"email,phone\n")
    assert "zoë".encode() in plain
    assert (tmp_path / "excel" / "accepted.csv").read_bytes() == b"\xef\xbb\xbf" + plain


def test_formula_cells_neutralised_and_phones_intact_in_csv(tmp_path: Path) -> None:
    write_outputs(tmp_path, TABLES, {}, WriteOptions())
    review = (tmp_path / "review.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in review
    assert "\n=HYPERLINK" not in review and ',"=HYPERLINK' not in review
    assert "+14155550132" in (tmp_path / "accepted.csv").read_text(encoding="utf-8")


def test_xlsx_cells_are_text(tmp_path: Path) -> None:
    write_outputs(tmp_path, TABLES, {}, WriteOptions(format=OutputFormat.XLSX))
    sheet = openpyxl.load_workbook(tmp_path / "review.xlsx").active
    assert sheet is not None
    assert sheet["A2"].value == '=HYPERLINK("http://x","y")'  # exact: a text cell never runs
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "01234"
    assert sheet["B2"].data_type == "s"
    assert sheet.freeze_panes == "A2"


def test_summary_is_written_last_as_json(tmp_path: Path) -> None:
    write_outputs(tmp_path, TABLES, {"rows_in": 3, "name": "Zoë"}, WriteOptions())
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8")) == {
        "rows_in": 3,
        "name": "Zoë",
    }


def test_a_failure_midway_leaves_no_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    real = write_module.write_table

    def fail_on_second(
        df: pl.DataFrame, path: Path, *, options: WriteOptions, exact: bool = False
    ) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(28, "No space left on device")
        real(df, path, options=options, exact=exact)

    monkeypatch.setattr(write_module, "write_table", fail_on_second)
    with pytest.raises(OutputError, match="No space left"):
        write_outputs(tmp_path / "out", TABLES, {}, WriteOptions())
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []


def test_existing_outputs_are_found_in_any_format(tmp_path: Path) -> None:
    assert existing_outputs(tmp_path / "missing", ["accepted"], OutputFormat.CSV) == []
    (tmp_path / "accepted.parquet").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("mine")
    assert existing_outputs(tmp_path, ["accepted"], OutputFormat.CSV) == ["accepted.parquet"]


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("rows", [5_000, 0])
def test_csv_in_slices_equals_the_whole_frame_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exact: bool, bom: bool, rows: int
) -> None:
    """write_table writes CSV a slice of rows at a time; it must write what write_csv of
    the whole frame writes, byte for byte: one header, one BOM, every row once."""
    monkeypatch.setattr(write_module, "CSV_SLICE_ROWS", 700)  # a last slice shorter
    values = ["=SUM(A1)", "plain", None, 'a "quoted", value', "two\nlines", "Zoë", " -1+2", ""]
    df = pl.DataFrame(
        {
            "=cmd": [values[i % len(values)] for i in range(rows)],
            "row": list(range(rows)),
            "flag": [i % 3 == 0 for i in range(rows)],
        },
        schema={"=cmd": pl.String, "row": pl.Int64, "flag": pl.Boolean},
    )
    path = tmp_path / "out.csv"
    options = WriteOptions(excel_bom=bom)
    write_module.write_table(df, path, options=options, exact=exact)
    cells = write_module.text_frame(df) if exact else write_module.safe_frame(df)
    assert path.read_bytes() == cells.write_csv(include_bom=bom, null_value="").encode()
