"""Write the corpus of broken and hostile inputs (issue 11) into a folder.

    python tests/make_bad_inputs.py tests/data/bad            # the small files
    python tests/make_bad_inputs.py /tmp/bad --generated      # and the big ones

The small files are committed in tests/data/bad/. The hostile big ones (bombs, a
100M-row Parquet file, a 17 MiB field) are made on the fly, cheaply: small real
files whose metadata claims big sizes, or one repeated byte that compresses well.
Each file's name says what it is; tests/test_bad_inputs.py says what each must give.
"""

from __future__ import annotations

import io
import json
import random
import struct
import sys
import warnings
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

MIB = 1024 * 1024
HEADER = "Email,First Name,Last Name,Company\n"
ROW = "ann.lee@acme-corp.com,Ann,Lee,Acme Corp\n"


def zip_bytes(members: list[tuple[str, str | bytes]]) -> bytes:
    """A zip of `members` (names may repeat), byte for byte the same every time."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": on purpose
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 30, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def claim_size(archive: bytes, member: str, size: int) -> bytes:
    """`archive` with `member`'s uncompressed size in the central directory set to
    `size` (what a bomb's directory says); the data itself stays small."""
    data = bytearray(archive)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length].decode() == member:
            struct.pack_into("<I", data, position + 24, size)
            return bytes(data)
        position = data.find(b"PK\x01\x02", position + 4)
    raise ValueError(f"{member} not in the archive")


def workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Email", "Name"])
    sheet.write_row(1, 0, ["ann.lee@acme-corp.com", "Ann"])
    workbook.close()
    return buffer.getvalue()


def small_files() -> dict[str, bytes]:
    duplicate_members = zip_bytes(
        [("members.csv", HEADER + ROW), ("members.csv", HEADER + ROW.replace("ann.lee", "bob"))]
    )
    mangled = "b@example.de,Anna,Römer,Müller\n".encode().decode("cp1252").encode()
    return {
        "empty.csv": b"",
        "blank_lines.csv": b"\n\n\n",
        "bom_only.csv": b"\xef\xbb\xbf",
        "binary.csv": random.Random(11).randbytes(2048),
        "nul_bytes.csv": b"Email,Name\na@example.com\x00\x00,Ann\n",
        "only_header.csv": HEADER.encode(),
        "cr_only_short_rows.csv": b"Email,Name,Phone\ra@example.com\rb@example.com\r",
        "unbalanced_quote.csv": b'Email,Name\na@example.com,"Ann\nb@example.com,Bob\n',
        "unbalanced_quote_cr.csv": b'Email,Name,Phone\ra@example.com,"Ann\rb@example.com\r',
        "formula_headers.csv": b"=x,'=x,Email\n1,2,a@example.com\n",
        "pattern_headers.csv": b"*,^Email$,Email\n1,2,a@example.com\n",
        "reserved_headers.csv": b"source_file,source_row,reasons,Email\n1,2,3,a@example.com\n",
        "duplicate_headers.csv": b"Email,Email,email\na@example.com,b@example.com,c@example.com\n",
        "ragged_rows.csv": b"Email,Name\na@example.com,Ann,extra,more\nb@example.com\n",
        "sep_hint.csv": b"sep=;\nEmail;Name\na@example.com;Ann\n",
        "mixed_encoding.csv": (HEADER + "a@example.de,Anna,Römer,X\n").encode()
        + "c@example.fr,Chloé,Lefèvre,Société\n".encode("cp1252"),
        "mojibake.csv": HEADER.encode() + mangled,
        "utf16_excel.txt": (HEADER + ROW).replace(",", "\t").encode("utf-16"),
        "csv_named.xlsx": (HEADER + ROW).encode(),
        "old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "broken.xlsx": b"PK\x03\x04 not really a zip",
        "not_a_zip.zip": b"PK\x03\x04 truncated",
        "zip_without_csv.zip": zip_bytes([("readme.md", b"# nothing here\n")]),
        "duplicate_members.zip": duplicate_members,
        "truncated.parquet": b"PAR1 truncated",
        "deep.json": b'[{"Email": "a@example.com", "Tags": ' + b"[" * 600 + b"]" * 600 + b"}]",
        "deep.ndjson": b'{"Email": "a@example.com"}\n{"Tags": ' + b"[" * 600 + b"]" * 600 + b"}\n",
        "object.json": json.dumps({"Email": "a@example.com"}).encode(),
        "salesforce_report.csv": (
            b'"First Name","Last Name","Email","Company / Account"\n'
            b'"Ann","Lee","ann.lee@acme-corp.com","Acme Corp"\n'
            b'""\n'
            b'"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
            b'"Confidential Information - Do Not Distribute"\n'
            b'"Generated By:  Dana Admin  11/30/2026 9:12 AM"\n'
        ),
        "report_preamble.csv": b"Leads Report\nReport Generated: 11/30/2026\n\n"
        + (HEADER + ROW).encode(),
        "headerless.csv": (
            b"ann.lee@acme-corp.com,Ann,Lee,+44 20 7946 0958\nbob@globex.example.com,Bob,Stone,\n"
        ),
        "unknown_type.pdf": b"%PDF-1.7\n",
    }


def generated_files() -> dict[str, bytes]:
    """The big hostile files, made in well under a second each."""
    bomb = zip_bytes([("members.csv", (HEADER + ROW * 1000).encode())])
    ratio_bomb = zip_bytes([("members.csv", HEADER.encode() + b"a" * (20 * MIB))])
    parquet = io.BytesIO()
    pq.write_table(pa.table({"Email": pa.nulls(100_000_000)}), parquet)
    return {
        "bomb_5gib.zip": claim_size(bomb, "members.csv", 0xFFFF_FFFE),
        "bomb_ratio.zip": ratio_bomb,
        "shared_string_3gib.xlsx": claim_size(workbook_bytes(), "xl/sharedStrings.xml", 3 << 30),
        "rows_100m.parquet": parquet.getvalue(),
        "huge_field.csv": HEADER.encode() + b"a@example.com,Ann,Lee," + b"x" * (17 * MIB) + b"\n",
        "long_line.ndjson": b'{"Email": "a@example.com", "Note": "' + b"x" * (17 * MIB) + b'"}\n',
    }


def write(folder: Path, *, generated: bool) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {**small_files(), **(generated_files() if generated else {})}
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return [folder / name for name in files]


if __name__ == "__main__":
    write(Path(sys.argv[1]), generated="--generated" in sys.argv[2:])
