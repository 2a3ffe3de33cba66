"""Inputs that hold contacts the reader does not read are said, never skipped in
silence: spreadsheets in a zip it cannot open, a hidden sheet holding the list, a damaged
OpenDocument file, a password-protected workbook."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from leadtriage.errors import InputError
from leadtriage.io.read import read_table, read_tables

CSV = b"Email,First Name\nann@acme.com,Ann\n"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _zip(path: Path, members: dict[str, bytes]) -> str:
    with zipfile.ZipFile(path, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return str(path)


def _ods() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The first member, stored: how OpenDocument says what it is.
        archive.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>")
    return buffer.getvalue()


def _directory_entry(name: str) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little") + bytes(62)


def _encrypted_workbook() -> bytes:
    """An OLE compound file as Excel writes a workbook with a password: the package
    encrypted in a stream named EncryptedPackage (directory entries are what tells)."""
    header = OLE_MAGIC.ljust(512, b"\0")
    directory = b"".join(
        _directory_entry(n)
        for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")
    )
    return header + directory


def test_spreadsheets_a_zip_holds_but_are_not_read_are_named(tmp_path: Path) -> None:
    source = _zip(
        tmp_path / "bundle.zip",
        {"leads.csv": CSV, "more.xlsb": b"PK\x03\x04", "old.xls": OLE_MAGIC + bytes(600)},
    )

    tables = read_tables(source)

    assert [t.source for t in tables] == [f"{source}:leads.csv"]
    notes = [w for w in tables[0].warnings if "skipped" in w]
    assert len(notes) == 1, tables[0].warnings
    assert "'more.xlsb'" in notes[0] and "'old.xls'" in notes[0]


def test_a_zip_of_only_unread_spreadsheets_names_them(tmp_path: Path) -> None:
    source = _zip(tmp_path / "bundle.zip", {"more.numbers": b"PK\x03\x04", "old.xls": OLE_MAGIC})

    with pytest.raises(InputError) as caught:
        read_tables(source)

    assert "'more.numbers'" in str(caught.value) and "'old.xls'" in str(caught.value)
    assert ".xlsx or CSV" in (caught.value.hint or "")


def test_an_unreadable_opendocument_spreadsheet_is_named_as_such(tmp_path: Path) -> None:
    # Read since .ods is supported; this one has no manifest and no sheet.
    path = tmp_path / "leads.ods"
    path.write_bytes(_ods())

    with pytest.raises(InputError) as caught:
        read_table(str(path))

    assert "OpenDocument spreadsheet" in str(caught.value)
    assert "zip" not in str(caught.value)
    assert ".xlsx or CSV" in (caught.value.hint or "")


def test_a_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "leads.xlsx"
    path.write_bytes(_encrypted_workbook())

    with pytest.raises(InputError) as caught:
        read_table(str(path))

    assert "password-protected" in str(caught.value)


def test_an_old_excel_file_is_still_named_old_excel(tmp_path: Path) -> None:
    path = tmp_path / "leads.xls"
    path.write_bytes(OLE_MAGIC.ljust(512, b"\0") + _directory_entry("Workbook"))

    with pytest.raises(InputError) as caught:
        read_table(str(path))

    assert "old-style Excel" in str(caught.value)


def test_a_hidden_sheet_holding_the_contacts_is_named_when_the_read_one_has_none(
    tmp_path: Path,
) -> None:
    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Cover").write(0, 0, "Cover")
    leads = book.add_worksheet("Leads")
    leads.write_row(0, 0, ["First Name", "Last Name", "Email"])
    leads.write_row(1, 0, ["Anna", "Alpha", "anna@acme.com"])
    leads.hide()
    book.close()

    table = read_table(str(path))

    notes = [w for w in table.warnings if "hidden" in w]
    assert len(notes) == 1, table.warnings
    assert "'Leads'" in notes[0] and "--sheet" in notes[0]
    assert read_table(str(path), sheet="Leads").frame.height == 1
