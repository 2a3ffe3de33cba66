"""One list of contacts, saved in every format the reader takes.

The same rows written as UTF-8 CSV, CSV with a BOM, Windows-1252 with `;` and CRLF,
Excel's UTF-16 "Unicode text", .xlsx, .ods, JSON, NDJSON and Parquet must all read back
to the same frame. The traps: accents in several languages, a delimiter and quotes
inside values, an embedded newline, leading zeros, a formula-looking cell, a blank
row, and a phone Excel stores as a number.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final
from xml.sax.saxutils import escape

import polars as pl
import pytest
import xlsxwriter

HEADER: Final = ["Email", "First Name", "Last Name", "Company", "Phone", "Address", "Postcode"]

CONTACTS: Final[list[list[str]]] = [
    [
        "anna.mueller@example.de",
        "Anna",
        "Müller",
        "Müller & Söhne GmbH",
        "+49 30 1234567",
        "Hauptstraße 5",
        "10115",
    ],
    [
        "jose@example.es",
        "José",
        "García",
        "Acme, Inc.",
        "0044 20 7946 0958",
        "Calle Mayor 1\nPiso 2",
        "01234",
    ],
    [
        "zoe@example.co.uk",
        "Zoë",
        "Smith",
        'The "Best" Company',
        "447911123456",
        "1 High St",
        "SW1A 1AA",
    ],
    ["lars@example.dk", "Lars", "Ærø", "Ærø Fisk A/S", "4520123456", "Havnegade 3", "5970"],
    ["", "", "", "", "", "", ""],
    [
        "bob@example.com",
        "Bob",
        "Jones",
        '=HYPERLINK("http://x","y")',
        "+1 415 555 0132",
        "500 Main St; Suite 2",
        "02134",
    ],
    [
        "chloe@example.fr",
        "Chloé",
        "Lefèvre",
        "Société Générale",
        "01 42 34 56 78",
        "12 rue de la Paix",
        "75002",
    ],
    ["", "Nobody", "", "", "", "", ""],
    ["li@example.com", "Li", "Wei", "Tab\tCorp", "13800138000", "Pipe | Road 7", "100000"],
    ["  spaced@example.com ", " Ann ", "O'Neil", "  ", "0207 946 0000", "Flat 1, 2 Rd", "00501"],
    ["sam@example.org", "Sam", "Øster", "Café Noir", "12345", "Åboulevard 9", "2100"],
    ["a@b.c", "Ünal", "Çelik", "Çelik Ltd", "905321234567", "Köln", "34710"],
    [
        "maria@example.it",
        "Maria",
        "Rossi",
        "Rossi S.p.A.",
        "+39 06 1234 5678",
        "Via Roma 1\r\nScala B",
        "00184",
    ],
    ["x@y.z", "Émile", "Zola", "€uro Ltd – Europe", "0", "Rue 1", "01000"],
    ["p@q.r", "Pat", "Lee", 'Quote "inside"', "447700900123", "Line one\n\nLine three", "09999"],
    ["jan@example.nl", "Jan", "de Vries", "De Vries B.V.", "0612345678", "Kerkstraat 1", "1012 AB"],
    ["ola@example.no", "Ola", "Nordmann", "Nordmann AS", "4791234567", "Storgata 1", "0155"],
    ["anne@example.ie", "Anne", "Ó Briain", "Ó Briain Ltd", "353861234567", "Main St", "D02 X285"],
    ["kim@example.se", "Kim", "Åström", "Åström AB", "46701234567", "Drottninggatan 1", "111 51"],
    ["end@example.com", "End", "Row", "Last, Co", "123", "Last St", "99999"],
]
# Cells Excel users typically have as numbers: all digits, no leading zero.
_NUMERIC_IN_EXCEL: Final = frozenset({"Phone"})


def expected_frame(source: str) -> pl.DataFrame:
    """What every format must read to: blank cells null, all else byte-exact."""
    data = {name: [row[index] or None for row in CONTACTS] for index, name in enumerate(HEADER)}
    return pl.DataFrame(data, schema={name: pl.String for name in HEADER}).with_columns(
        pl.lit(source).alias("source_file"),
        pl.int_range(1, len(CONTACTS) + 1, dtype=pl.Int64).alias("source_row"),
    )


def csv_bytes(delimiter: str = ",", line_end: str = "\n", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(HEADER)
    writer.writerows(CONTACTS)
    return buffer.getvalue().encode(encoding)


def write_all_formats(folder: Path) -> dict[str, Path]:
    """Every format, as the tools people use write it; keyed by a readable label."""
    files = {
        "utf8.csv": csv_bytes(),
        "utf8-bom.csv": csv_bytes(encoding="utf-8-sig"),
        "cp1252-semicolon-crlf.csv": csv_bytes(";", "\r\n", "cp1252"),
        # Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated, CRLF.
        "excel-unicode.txt": csv_bytes("\t", "\r\n", "utf-16"),
        "ndjson.ndjson": "".join(
            json.dumps(_record(r), ensure_ascii=False) + "\n" for r in CONTACTS
        ).encode(),
        "json.json": json.dumps([_record(r) for r in CONTACTS], indent=2).encode(),
    }
    paths: dict[str, Path] = {}
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content)
        paths[name] = path
    paths["workbook.xlsx"] = _write_xlsx(folder / "workbook.xlsx")
    paths["sheet.ods"] = folder / "sheet.ods"
    paths["sheet.ods"].write_bytes(ods([HEADER, *([v or None for v in r] for r in CONTACTS)]))
    paths["table.parquet"] = folder / "table.parquet"
    expected_frame("x").drop("source_file", "source_row").write_parquet(paths["table.parquet"])
    return paths


def _record(row: list[str]) -> dict[str, str | None]:
    return {name: value or None for name, value in zip(HEADER, row, strict=True)}


def _write_xlsx(path: Path) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Contacts")
    workbook.add_worksheet("Notes").write_string(0, 0, "not the contacts")
    sheet.write_row(0, 0, HEADER)
    for row_index, row in enumerate(CONTACTS, start=1):
        for column_index, value in enumerate(row):
            if not value:
                continue  # a blank cell, as a person leaves it
            numeric = HEADER[column_index] in _NUMERIC_IN_EXCEL and value.isdigit()
            if numeric and not value.startswith("0"):
                sheet.write_number(row_index, column_index, int(value))
            else:
                sheet.write_string(row_index, column_index, value)
    workbook.close()
    return path


_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type='
    '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
    'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)

Cell = str | int | float | None


def _cell(value: Cell) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if value.startswith("date:"):
        day = value.removeprefix("date:")
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{day}">'
            f"<text:p>{day}</text:p></table:table-cell>"
        )
    # A line break starts a new paragraph, as LibreOffice writes it.
    # XML reads a bare CR as a line end: a CR in a value is written as a reference.
    cr = {"\r": "&#13;"}
    lines = "".join(f"<text:p>{escape(line, cr)}</text:p>" for line in value.split("\n"))
    return f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'


def ods(rows: Sequence[Sequence[Cell]], *, tail: str = "", sheet: str = "Leads") -> bytes:
    """A spreadsheet as LibreOffice saves one: `rows`, then the XML `tail` (the empty
    rows LibreOffice repeats to the sheet's end, say)."""
    body = "".join(
        "<table:table-row>" + "".join(map(_cell, row)) + "</table:table-row>" for row in rows
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NAMESPACES} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="{sheet}">{body}{tail}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # The first member, stored: how OpenDocument says what it is.
        archive.writestr("mimetype", _MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def make_ods() -> Callable[..., bytes]:
    """`ods(rows, tail=..., sheet=...)`: an OpenDocument spreadsheet's bytes."""
    return ods


class ContactList:
    """The list and its writers, handed to tests as a fixture (pytest's importlib
    mode does not let test modules import helper modules)."""

    header = HEADER
    rows = CONTACTS
    expected_frame = staticmethod(expected_frame)
    csv_bytes = staticmethod(csv_bytes)


@pytest.fixture(scope="session")
def contacts() -> type[ContactList]:
    return ContactList


@pytest.fixture(scope="session")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The contacts saved in every format, keyed by a label naming format and flavour."""
    return write_all_formats(tmp_path_factory.mktemp("formats"))
