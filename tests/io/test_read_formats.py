"""The same contacts, saved in every format, read to the same frame."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.errors import InputError, UsageError
from leadtriage.io.read import FORMATS, INPUT_FORMATS, read_table

if TYPE_CHECKING:
    from conftest import ContactList

FORMAT_OF = {
    "utf8.csv": ("csv", "utf-8", ","),
    "utf8-bom.csv": ("csv", "utf-8-sig", ","),
    "cp1252-semicolon-crlf.csv": ("csv", "cp1252", ";"),
    "excel-unicode.txt": ("csv", "utf-16", "\t"),
    "workbook.xlsx": ("xlsx", None, None),
    "sheet.ods": ("ods", None, None),
    "json.json": ("json", "utf-8", None),
    "ndjson.ndjson": ("ndjson", "utf-8", None),
    "table.parquet": ("parquet", None, None),
}


@pytest.mark.parametrize("label", sorted(FORMAT_OF))
def test_every_format_reads_to_the_same_rows(
    contacts: type[ContactList], saved: dict[str, Path], label: str
) -> None:
    source = str(saved[label])
    table = read_table(source)
    assert_frame_equal(table.frame, contacts.expected_frame(source))
    assert (table.format, table.encoding, table.delimiter) == FORMAT_OF[label]
    assert table.warnings == ()


def test_leading_zeros_and_formula_text_survive(saved: dict[str, Path]) -> None:
    frame = read_table(str(saved["cp1252-semicolon-crlf.csv"])).frame
    jose = frame.row(1, named=True)
    assert jose["Phone"] == "0044 20 7946 0958"
    assert jose["Postcode"] == "01234"
    assert jose["Company"] == "Acme, Inc."
    assert jose["Address"] == "Calle Mayor 1\nPiso 2"
    assert frame.row(5, named=True)["Company"] == '=HYPERLINK("http://x","y")'
    assert frame.row(3, named=True)["Last Name"] == "Ærø"


def test_blank_row_is_kept_as_nulls_and_numbered(
    contacts: type[ContactList], saved: dict[str, Path]
) -> None:
    for label in FORMAT_OF:
        frame = read_table(str(saved[label])).frame
        blank = frame.filter(pl.col("source_row") == 5).drop("source_file", "source_row")
        assert blank.null_count().row(0) == (1,) * len(contacts.header), label


def test_excel_numbers_are_plain_digits_and_dates_iso(tmp_path: Path) -> None:
    path = tmp_path / "numbers.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(0, 0, ["Phone", "Signed up", "Seen", "Score", "Opted in", "Note"])
    sheet.write_number(1, 0, 447911123456)
    sheet.write_datetime(1, 1, dt.datetime(2024, 3, 1), day)
    sheet.write_datetime(1, 2, dt.datetime(2024, 3, 1, 13, 5, 7), stamp)
    sheet.write_number(1, 3, 1.5)
    sheet.write_boolean(1, 4, True)
    sheet.write_string(1, 5, "2024-03-01 00:00:00")  # text that looks like a date stays
    sheet.write_number(2, 0, 1e20)
    sheet.write_datetime(2, 2, dt.datetime(2024, 12, 31, 0, 0, 0), stamp)
    sheet.write_number(2, 3, -3)
    sheet.write_boolean(2, 4, False)
    workbook.close()

    frame = read_table(str(path)).frame.drop("source_file", "source_row")

    assert frame.rows() == [
        ("447911123456", "2024-03-01", "2024-03-01T13:05:07", "1.5", "true", "2024-03-01 00:00:00"),
        ("100000000000000000000", None, "2024-12-31T00:00:00", "-3", "false", None),
    ]


def test_date_cells_stay_in_their_column_when_the_sheet_starts_right_of_a(
    tmp_path: Path,
) -> None:
    # A margin column A left empty: the typed pass counts columns from A, the text pass
    # from the first one used. Read one off, registration dates became opt-out dates.
    path = tmp_path / "margin.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 1, ["Email", "Registered", "Opt-out date", "Company"])
    sheet.write_string(1, 1, "anna@acme.com")
    sheet.write_datetime(1, 2, dt.datetime(2024, 3, 1), day)
    sheet.write_string(1, 4, "Acme")
    sheet.write_string(2, 1, "ben@acme.com")
    sheet.write_datetime(2, 2, dt.datetime(2024, 3, 13), day)
    sheet.write_datetime(2, 3, dt.datetime(2024, 6, 30), day)
    sheet.write_string(2, 4, "Acme")
    workbook.close()

    frame = read_table(str(path)).frame.drop("source_file", "source_row")

    assert frame.rows() == [
        ("anna@acme.com", "2024-03-01", None, "Acme"),
        ("ben@acme.com", "2024-03-13", "2024-06-30", "Acme"),
    ]


def test_sheet_is_chosen_by_name(saved: dict[str, Path]) -> None:
    frame = read_table(str(saved["workbook.xlsx"]), sheet="Notes").frame
    assert frame.columns == ["not the contacts", "source_file", "source_row"]
    assert frame.height == 0


def test_json_nested_values_become_json_text_and_numbers_keep_their_text(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nested.json"
    path.write_text(
        '[{"email": "a@x.com", "tags": ["vip", 2], "meta": {"score": 1.10, "ok": true},'
        ' "phone": 447911123456, "opt": false, "none": null, "blank": ""},'
        ' {"email": "b@x.com", "extra": "late key"}]'
    )
    frame = read_table(str(path)).frame
    assert frame.columns[:-2] == ["email", "tags", "meta", "phone", "opt", "none", "blank", "extra"]
    assert frame.row(0)[:-2] == (
        "a@x.com",
        '["vip",2]',
        '{"score":1.10,"ok":true}',
        "447911123456",
        "false",
        None,
        None,
        None,
    )
    assert frame.row(1)[:-2] == ("b@x.com", None, None, None, None, None, None, "late key")
    assert json.loads(frame.row(0, named=True)["meta"]) == {"score": 1.1, "ok": True}


def test_parquet_typed_columns_become_text(tmp_path: Path) -> None:
    path = tmp_path / "typed.parquet"
    pl.DataFrame(
        {
            "phone": [447911123456, None],
            "day": [dt.date(2024, 3, 1), dt.date(2024, 12, 31)],
            "ok": [True, False],
            "tags": [["a", "b"], []],
        }
    ).write_parquet(path)
    frame = read_table(str(path)).frame.drop("source_file", "source_row")
    assert frame.schema == pl.Schema({c: pl.String for c in ["phone", "day", "ok", "tags"]})
    assert frame.rows() == [
        ("447911123456", "2024-03-01", "true", '["a","b"]'),
        (None, "2024-12-31", "false", "[]"),
    ]


def test_parquet_whole_floats_are_their_digits_as_in_a_workbook(tmp_path: Path) -> None:
    """pandas saves a spreadsheet's number column as floats (a blank makes an int
    column float): 1234.0 is the 1234 a workbook cell reads as, not a postcode
    "1234.0"; fractions and values past an integer's range keep their float text."""
    path = tmp_path / "floats.parquet"
    pl.DataFrame(
        {
            "phone": [447911123456.0, 4.47911e11, None, -0.0],
            "zip": [1234.0, 2134.5, float("nan"), 1e20],
            "score": pl.Series([3.0, 0.25, float("inf"), None], dtype=pl.Float32),
        }
    ).write_parquet(path)
    frame = read_table(str(path)).frame.drop("source_file", "source_row")
    assert frame.rows() == [
        ("447911123456", "1234", "3"),
        ("447911000000", "2134.5", "0.25"),
        (None, "NaN", "inf"),
        ("0", "1e+20", None),
    ]


def test_parquet_zoned_timestamps_keep_their_offset(tmp_path: Path) -> None:
    """Without it, 10:00 in Paris was read as a bare 10:00: another instant."""
    path = tmp_path / "signups.parquet"
    signed_up = [dt.datetime(2024, 1, 2, 10, 0), dt.datetime(2024, 7, 2, 23, 30, 5), None]
    pl.DataFrame(
        {
            "Email": ["a@acme.com", "b@acme.com", "c@acme.com"],
            "Paris": pl.Series(signed_up).dt.replace_time_zone("Europe/Paris"),
            "Local": signed_up,
        }
    ).write_parquet(path)
    frame = read_table(str(path)).frame
    assert frame["Paris"].to_list() == [
        "2024-01-02T10:00:00+01:00",
        "2024-07-02T23:30:05+02:00",
        None,
    ]
    assert frame["Local"].to_list() == ["2024-01-02T10:00:00", "2024-07-02T23:30:05", None]


def test_parquet_duration_is_read_as_iso_8601_text(tmp_path: Path) -> None:
    """It was "could not be read as parquet": a duration has no cast to text."""
    path = tmp_path / "calls.parquet"
    pl.DataFrame(
        {
            "Email": ["a@acme.com", "b@acme.com", "c@acme.com"],
            "Call length": [dt.timedelta(seconds=1), dt.timedelta(hours=30, minutes=2), None],
        }
    ).write_parquet(path)
    frame = read_table(str(path)).frame
    assert frame["Call length"].to_list() == ["PT1S", "P1DT6H2M", None]


def test_parquet_binary_column_of_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "leads.parquet"
    pl.DataFrame({"Email": ["a@acme.com"], "Name": ["Zoë".encode()]}).write_parquet(path)
    assert read_table(str(path)).frame["Name"].to_list() == ["Zoë"]


def test_parquet_binary_column_of_bytes_is_refused_naming_it(tmp_path: Path) -> None:
    """It was "could not be read as parquet", naming no column."""
    path = tmp_path / "leads.parquet"
    pl.DataFrame({"Email": ["a@acme.com"], "Photo": [b"\x89PNG\xff"]}).write_parquet(path)
    with pytest.raises(InputError) as caught:
        read_table(str(path))
    assert caught.value.message == f"{path}: column 'Photo' holds binary data, not text"
    assert caught.value.hint == "write the column as text (UTF-8 strings), or leave it out"


def test_parquet_repeated_column_names_are_read_as_a_csvs_are(tmp_path: Path) -> None:
    """It was "not a readable Parquet file"; a CSV's repeated header gets _2."""
    path = tmp_path / "leads.parquet"
    table = pa.table([pa.array(["a@acme.com"]), pa.array(["b@acme.com"])], names=["Email"] * 2)
    pq.write_table(table, path)
    read = read_table(str(path))
    assert read.header == ("Email", "Email")
    assert read.frame.drop("source_file", "source_row").rows(named=True) == [
        {"Email": "a@acme.com", "Email_2": "b@acme.com"}
    ]


@pytest.mark.parametrize("label", sorted(FORMAT_OF))
def test_stdin_with_format_given(
    contacts: type[ContactList], saved: dict[str, Path], label: str
) -> None:
    kind = FORMAT_OF[label][0]
    table = read_table("-", input_format=kind, stdin=io.BytesIO(saved[label].read_bytes()))
    assert_frame_equal(table.frame, contacts.expected_frame("-"))
    assert table.source == "-"


@pytest.mark.parametrize("label", sorted(FORMAT_OF))
def test_stdin_format_detected_from_content(
    contacts: type[ContactList], saved: dict[str, Path], label: str
) -> None:
    table = read_table("-", stdin=io.BytesIO(saved[label].read_bytes()))
    assert table.format == FORMAT_OF[label][0]
    assert_frame_equal(table.frame, contacts.expected_frame("-"))


def test_a_name_without_extension_is_sniffed(
    contacts: type[ContactList], tmp_path: Path, saved: dict[str, Path]
) -> None:
    for label, (kind, _, _) in FORMAT_OF.items():
        path = tmp_path / label.replace(".", "_")
        path.write_bytes(saved[label].read_bytes())
        table = read_table(str(path))
        assert table.format == kind, label
        assert_frame_equal(table.frame, contacts.expected_frame(str(path)))


def test_workbook_and_parquet_are_known_by_content_whatever_the_name(
    contacts: type[ContactList], tmp_path: Path, saved: dict[str, Path]
) -> None:
    for label, kind in (("workbook.xlsx", "xlsx"), ("table.parquet", "parquet")):
        path = tmp_path / f"{kind}-saved-as.csv"
        path.write_bytes(saved[label].read_bytes())
        table = read_table(str(path))
        assert table.format == kind
        assert_frame_equal(table.frame, contacts.expected_frame(str(path)))


def test_header_only_file_gives_zero_rows_with_its_columns(tmp_path: Path) -> None:
    for name, content in [
        ("h.csv", b"Email,Phone\r\n"),
        ("h2.csv", b"Email;Phone"),
        ("h.json", b"[]"),
        ("h.ndjson", b"\n"),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        frame = read_table(str(path)).frame
        assert frame.height == 0, name
    frame = read_table(str(tmp_path / "h.csv")).frame
    assert frame.columns == ["Email", "Phone", "source_file", "source_row"]
    assert frame.schema["source_row"] == pl.Int64


def test_csv_written_in_memory_matches_the_list(
    contacts: type[ContactList],
) -> None:
    table = read_table("-", stdin=io.BytesIO(contacts.csv_bytes("|")))
    assert table.delimiter == "|"
    assert table.frame.height == len(contacts.rows)


# --- the registry: one entry per format drives names, sniffing and help ------------


def test_every_registered_extension_and_name_reads_its_format(saved: dict[str, Path]) -> None:
    by_format = {
        "csv": saved["utf8.csv"],
        "xlsx": saved["workbook.xlsx"],
        "ods": saved["sheet.ods"],
        "json": saved["json.json"],
        "ndjson": saved["ndjson.ndjson"],
        "parquet": saved["table.parquet"],
    }
    for entry in INPUT_FORMATS:
        if entry.parse is None:
            continue  # an archive: one table per member, tested with the zips
        content = by_format[entry.name].read_bytes()
        for extension in entry.extensions:
            path = by_format[entry.name].with_name(f"renamed{extension}")
            path.write_bytes(content)
            assert read_table(str(path)).format == entry.name, extension
        for name in (entry.name, *entry.aliases):
            table = read_table("-", input_format=name, stdin=io.BytesIO(content))
            assert table.format == entry.name, name


def test_help_and_hints_list_the_registered_formats(tmp_path: Path) -> None:
    shown = CliRunner().invoke(app, ["clean", "--help"], env={"COLUMNS": "400"}).stdout
    assert all(name in shown for name in FORMATS)
    unknown = tmp_path / "leads.pdf"
    unknown.write_bytes(b"%PDF")
    with pytest.raises(UsageError) as caught:
        read_table(str(unknown))
    assert all(e in (caught.value.hint or "") for f in INPUT_FORMATS for e in f.extensions)
