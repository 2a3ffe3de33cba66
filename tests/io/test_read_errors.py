"""Every input that cannot be read gives one clear error naming the file, no data."""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from leadtriage.errors import InputError, LeadtriageError, UsageError
from leadtriage.io.limits import MIB, Limits
from leadtriage.io.read import read_table

SECRET = "secret.person@example.com"


def _write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def _assert_clean(error: LeadtriageError, source: str) -> None:
    assert source in error.message
    assert error.hint
    assert "secret" not in error.message.lower()
    # A chained library exception would print cell text in a --debug traceback.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    source = str(tmp_path / "nope.csv")
    with pytest.raises(UsageError, match="no such file") as caught:
        read_table(source)
    _assert_clean(caught.value, source)


def test_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a directory") as caught:
        read_table(str(tmp_path))
    _assert_clean(caught.value, str(tmp_path))


def test_unknown_input_format_is_a_usage_error(tmp_path: Path) -> None:
    source = _write(tmp_path, "a.csv", b"a\n1\n")
    with pytest.raises(UsageError, match="--input-format: unknown input format 'xml'"):
        read_table(source, input_format="xml")


def test_a_folder_given_as_input_gets_a_hint_a_shell_can_run(tmp_path: Path) -> None:
    folder = tmp_path / "my exports"
    folder.mkdir()
    with pytest.raises(UsageError) as caught:
        read_table(str(folder))
    assert caught.value.hint == f"name the files inside it, e.g. '{folder}'/*.csv"


def test_unknown_sheet_lists_the_sheets(saved: dict[str, Path]) -> None:
    source = str(saved["workbook.xlsx"])
    with pytest.raises(UsageError, match="'Contacts', 'Notes'") as caught:
        read_table(source, sheet="Leads")
    _assert_clean(caught.value, source)


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx", "empty.json", "empty.dat"])
def test_empty_file_is_an_input_error(tmp_path: Path, name: str) -> None:
    source = _write(tmp_path, name, b"")
    with pytest.raises(InputError, match="empty") as caught:
        read_table(source)
    _assert_clean(caught.value, source)


def test_empty_stdin_is_an_input_error() -> None:
    with pytest.raises(InputError, match="standard input is empty"):
        read_table("-", stdin=io.BytesIO(b""))


def test_binary_garbage_is_an_input_error(tmp_path: Path) -> None:
    garbage = random.Random(7).randbytes(5000)
    for name in ("garbage", "garbage.csv"):
        source = _write(tmp_path, name, garbage)
        with pytest.raises(InputError, match="not a text table") as caught:
            read_table(source)
        _assert_clean(caught.value, source)


def test_unknown_extension_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    source = _write(tmp_path, "notes.docx", b"Email\njane@acme.com\n")
    with pytest.raises(UsageError, match=r"unknown file type '\.docx'") as caught:
        read_table(source)
    assert caught.value.hint is not None and "--input-format" in caught.value.hint
    assert read_table(source, input_format="csv").frame.height == 1


def test_old_excel_file_gets_a_hint_to_save_as_xlsx(tmp_path: Path) -> None:
    source = _write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputError, match=r"\.xls") as caught:
        read_table(source)
    assert caught.value.hint is not None and ".xlsx" in caught.value.hint


def test_undecodable_text_is_an_input_error(tmp_path: Path) -> None:
    # Valid UTF-8 for the first 64 KB, then high bytes no code page makes text of.
    noise = bytes(b for b in random.Random(5).randbytes(400) if b >= 0x80)
    content = b"Email,Name\n" + b"a@x.com,Ann\n" * 6000 + b"b@x.com," + noise + b"\n"
    source = _write(tmp_path, "mixed.csv", content)
    with pytest.raises(InputError, match="cannot be decoded") as caught:
        read_table(source)
    _assert_clean(caught.value, source)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable Excel workbook"),
        ("binary-in-disguise.xlsx", b"\x00\x01\x02\x03" * 64, "not a text table"),
        ("broken.parquet", b"PAR1 truncated", "not a readable Parquet file"),
        ("broken.json", f'[{{"email": "{SECRET}"'.encode(), "not valid JSON"),
        ("object.json", json.dumps({"email": SECRET}).encode(), "not an array"),
        ("scalars.json", json.dumps([SECRET]).encode(), "item 1 of the array is not an object"),
        ("broken.ndjson", f'{{"email": "{SECRET}"}}\n{{"email": \n'.encode(), ":2: not valid"),
        ("list.ndjson", f'["{SECRET}"]\n'.encode(), ":1: not a JSON object"),
        ("latin1.json", f'[{{"name": "Zoë {SECRET}"}}]'.encode("cp1252"), "not UTF-8"),
    ],
)
def test_broken_structured_files_are_input_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    source = _write(tmp_path, name, content)
    with pytest.raises(InputError, match=message) as caught:
        read_table(source)
    _assert_clean(caught.value, source)


def test_empty_sheet_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Empty")
    workbook.close()
    with pytest.raises(InputError, match="'Empty' is empty"):
        read_table(str(path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    source = _write(tmp_path, "locked.csv", b"a\n1\n")
    Path(source).chmod(0)
    with pytest.raises(InputError, match="cannot be opened"):
        read_table(source)


# An NDJSON file of blank lines is zero objects, as "[]" is (test_read_formats).
@pytest.mark.parametrize("name", ["blank.csv", "blank.txt", "blank.json"])
@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf",
        b"\n\n",
        b"\r\n",
        b"   \n\t\n    \n",  # read as two empty rows, exit 0
        b"   ",
        " \r\n\t".encode("utf-16"),
    ],
)
def test_a_file_of_only_blanks_is_empty_like_a_file_of_no_bytes(
    tmp_path: Path, name: str, content: bytes
) -> None:
    source = _write(tmp_path, name, content)
    with pytest.raises(
        InputError, match=r"the file is empty \(only spaces and line breaks\)"
    ) as caught:
        read_table(source)
    _assert_clean(caught.value, source)
    assert caught.value.hint == "export the list again; a header row is needed at least"


def test_stdin_of_only_blanks_is_empty() -> None:
    with pytest.raises(
        InputError, match=r"standard input is empty \(only spaces and line breaks\)"
    ):
        read_table("-", stdin=io.BytesIO(b" \n \n"))


def test_runaway_quoted_value_names_the_line(tmp_path: Path) -> None:
    content = b'a,b\n1,2\n3,"' + f"{SECRET} ".encode() * 20_000 + b"\n"
    source = _write(tmp_path, "runaway.csv", content)
    limits = Limits(max_input_size=4 * MIB)  # values up to 64 KiB
    with pytest.raises(InputError, match=r"runaway\.csv:3: a value .* limit of 64 KiB") as caught:
        read_table(source, limits=limits)
    _assert_clean(caught.value, source)


@pytest.mark.parametrize(
    "content",
    [
        b"Email,Name\na@acme.com,Ann\nb@acme.com,Bo\n\x1a",  # DOS end-of-file mark
        b"Email,Name\na@acme.com,Ann\x0bLee\nb@acme.com,Bo\n",  # FileMaker's line break
        b"Email,Name\n"
        + b"".join(b"p%d@acme.com,P%d\n" % (i, i) for i in range(500))
        + b"x\x00y,Z\n",
    ],
)
def test_a_few_stray_control_characters_do_not_refuse_the_file(
    tmp_path: Path, content: bytes
) -> None:
    """One NUL, a Ctrl-Z or a vertical tab refused the whole file as binary."""
    frame = read_table(_write(tmp_path, "leads.csv", content)).frame
    assert frame.height >= 2
    assert frame["Email"][0] == "a@acme.com" or frame["Email"][0] == "p0@acme.com"


def test_a_pdf_named_csv_is_refused(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        "leads.csv",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    )
    with pytest.raises(InputError, match="a PDF document") as caught:
        read_table(source)
    _assert_clean(caught.value, source)


@pytest.mark.parametrize(
    "content",
    [
        b'[{"Email":"a@acme.com","Name":"Ann Lee"},{"Email":"b@acme.com","Name":"Bo Ng"}]',
        b'[\n  {\n    "Email": "a@acme.com",\n    "Name": "Ann Lee"\n  },\n'
        b'  {\n    "Email": "b@acme.com",\n    "Name": "Bo Ng"\n  }\n]\n',
        b'{"Email":"a@acme.com","Name":"Ann Lee"}\n{"Email":"b@acme.com","Name":"Bo Ng"}\n',
    ],
)
def test_json_saved_as_csv_is_read_as_json(tmp_path: Path, content: bytes) -> None:
    """An array of objects named .csv was read as a CSV of no rows: both people lost."""
    frame = read_table(_write(tmp_path, "leads.csv", content)).frame
    assert frame["Email"].to_list() == ["a@acme.com", "b@acme.com"]


def test_a_csv_whose_header_starts_with_a_bracket_stays_csv(tmp_path: Path) -> None:
    frame = read_table(_write(tmp_path, "leads.csv", b"[Email],Name\na@acme.com,Ann\n")).frame
    assert frame["[Email]"].to_list() == ["a@acme.com"]


def test_a_sheet_spanning_millions_of_cells_is_refused_before_it_is_loaded(
    tmp_path: Path,
) -> None:
    # One stray cell at Excel's last address makes the sheet's range 17 billion cells;
    # loaded densely, the reader asked for 512 GiB and the process aborted.
    path = tmp_path / "stray.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Leads")
    sheet.write_row(0, 0, ["First Name", "Email"])
    sheet.write_row(1, 0, ["Anna", "anna@acme.com"])
    sheet.write_string(1_048_575, 16_383, " ")
    workbook.close()

    with pytest.raises(InputError) as caught:
        read_table(str(path))

    assert "A1:XFD1048576" in caught.value.message
    assert "Leads" in caught.value.message
    assert caught.value.hint is not None and "Ctrl+End" in caught.value.hint


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        (
            "export.xls",
            b'<html><head><meta charset="utf-8"></head><body><table>'
            b"<tr><th>Email</th></tr><tr><td>a@acme.com</td></tr></table></body></html>",
            "an HTML page",
        ),
        ("leads.csv", b"\n<!DOCTYPE html>\n<html><title>Sign in</title>", "an HTML page"),
        (
            "export.xls",
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "an XML document",
        ),
    ],
)
def test_markup_is_refused_not_read_as_rows(
    tmp_path: Path, name: str, content: bytes, kind: str
) -> None:
    source = _write(tmp_path, name, content)
    with pytest.raises(InputError, match=kind) as caught:
        read_table(source)
    _assert_clean(caught.value, source)


def _zip_of_one_csv() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("leads.csv", f"Email,First Name\n{SECRET},Ann\n" * 50)
    return buffer.getvalue()


def test_a_password_protected_zip_member_names_the_archive_and_member(tmp_path: Path) -> None:
    content = bytearray(_zip_of_one_csv())
    # Set the member's "encrypted" flag in its local header and its directory entry,
    # as `zip -P` leaves it.
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = content.index(signature) + flag_at
        content[at] |= 0x1
    source = _write(tmp_path, "leads.zip", bytes(content))
    with pytest.raises(InputError, match="password-protected") as caught:
        read_table(source)
    _assert_clean(caught.value, source)
    assert "leads.csv" in caught.value.message


def test_a_zip_member_whose_data_is_damaged_names_the_archive(tmp_path: Path) -> None:
    content = bytearray(_zip_of_one_csv())
    data_start = content.index(b"leads.csv") + len("leads.csv")
    for at in range(data_start + 10, data_start + 60):
        content[at] ^= 0x5A
    source = _write(tmp_path, "leads.zip", bytes(content))
    with pytest.raises(InputError, match="damaged") as caught:
        read_table(source)
    _assert_clean(caught.value, source)


def test_a_symbolic_link_that_loops_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    one, other = tmp_path / "one.csv", tmp_path / "other.csv"
    one.symlink_to(other)
    other.symlink_to(one)
    with pytest.raises(UsageError, match="symbolic link") as caught:
        read_table(str(one))
    _assert_clean(caught.value, str(one))
