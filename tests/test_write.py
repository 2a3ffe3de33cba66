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
from leadtriage.io.output_set import REVIEW_COPY
from leadtriage.io.write import (
    OutputFormat,
    WriteOptions,
    existing_outputs,
    write_outputs,
    write_text_atomically,
)

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
    # An xlsx review is edited in place, so its rows as written are kept beside it.
    copy = [REVIEW_COPY] if fmt is OutputFormat.XLSX else []
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(
        [f"accepted.{fmt.value}", f"review.{fmt.value}", "summary.json", *copy]
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


def _with_notes(notes: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "email": [f"p{i}@acme.com" for i in range(len(notes))],
            "Notes": notes,
            "source_file": ["leads.csv"] * len(notes),
            "source_row": list(range(1, len(notes) + 1)),
        }
    )


def test_xlsx_refuses_a_value_longer_than_a_cell_holds(tmp_path: Path) -> None:
    """Excel's cell holds 32,767 characters: a longer Notes value was cut in
    accepted.xlsx, without a word, the rest of it lost to the import."""
    earlier = tmp_path / "out"
    write_outputs(earlier, TABLES, {"run": 1}, WriteOptions(format=OutputFormat.XLSX))
    before = _digest(earlier)
    tables = {"accepted": _with_notes(["short", "x" * 40_000, "y" * 32_768])}
    with pytest.raises(OutputError) as caught:
        write_outputs(earlier, tables, {"run": 2}, WriteOptions(format=OutputFormat.XLSX))
    assert caught.value.message == (
        "accepted.xlsx: 2 values longer than a spreadsheet cell holds (32,767 characters), "
        "the first in column 'Notes' of leads.csv row 2; --format xlsx would cut them"
    )
    assert caught.value.hint == "write --format csv or parquet, which keep every value whole"
    assert _digest(earlier) == before


def test_xlsx_cell_limit_counts_utf16_units(tmp_path: Path) -> None:
    """An emoji takes two of Excel's units: 16,384 of them are one unit too many."""
    fits = _with_notes(["é" * 32_767, "😀" * 16_383])
    write_outputs(tmp_path / "a", {"accepted": fits}, {}, WriteOptions(format=OutputFormat.XLSX))
    sheet = openpyxl.load_workbook(tmp_path / "a" / "accepted.xlsx").active
    assert sheet is not None and sheet["B2"].value == "é" * 32_767
    too_long = {"review": _with_notes(["😀" * 16_384])}
    with pytest.raises(OutputError, match=r"^review\.xlsx: 1 value longer"):
        write_outputs(tmp_path / "b", too_long, {}, WriteOptions(format=OutputFormat.XLSX))
    assert not (tmp_path / "b").exists()


def test_xlsx_refuses_more_rows_than_a_sheet_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worksheet ends at row 1,048,576: rows past it were written where Excel never
    shows them. The limit is lowered here to keep the test small."""
    monkeypatch.setattr(write_module, "SHEET_MAX_DATA_ROWS", 2, raising=False)
    tables = {"accepted": _with_notes(["a", "b", "c"])}
    with pytest.raises(OutputError) as caught:
        write_outputs(tmp_path / "out", tables, {}, WriteOptions(format=OutputFormat.XLSX))
    assert caught.value.message == (
        "accepted.xlsx: 3 rows, more than a worksheet holds (2 below the header)"
    )
    assert not (tmp_path / "out").exists()
    write_outputs(tmp_path / "csv", tables, {}, WriteOptions(format=OutputFormat.CSV))


@pytest.mark.parametrize("where", ["missing/sub", "a_file"], ids=["no-folder", "under-a-file"])
def test_a_text_file_that_cannot_be_made_is_named_not_its_temporary(
    tmp_path: Path, where: str
) -> None:
    """`rules init nodir/rules.toml` named '.rules.toml.k5mum8yx', the temporary file
    the write starts with, which the person never asked for."""
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    target = tmp_path / where / "rules.toml"
    with pytest.raises(OutputError) as caught:
        write_text_atomically(target, "text")
    assert caught.value.message.startswith(f"cannot write {target}: ")
    assert ".rules.toml." not in caught.value.message
