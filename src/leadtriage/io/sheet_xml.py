"""The rows of an xlsx sheet built by Polars, not cell by cell in Python.

xlsxwriter writes one cell per Python call (200,000 rows x 22 columns took 96 s
against 1.3 s for the same table as CSV). Here xlsxwriter writes the workbook with
its header row and everything around the cells (styles, column formats, frozen
header, filter, validations, properties); the data rows are then made as XML text by
Polars string expressions, a chunk of rows at a time, and spliced into the sheet's
``<sheetData>`` while the package is copied. Cells are inline strings (``t="inlineStr"``)
with the column's text style, escaped as xlsxwriter's constant-memory mode escapes
them (control characters as ``_xHHHH_``, a literal ``_xHHHH_`` as ``_x005F_xHHHH_``,
``&``, ``<``, ``>``), and cut to Excel's 32,767 UTF-16 units as xlsxwriter cuts them.
Unlike xlsxwriter, a value that looks like rich-text XML (``<r>...</r>``) is escaped
too, never written raw. Differential tests compare both writers cell by cell.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO, Final

import polars as pl
from xlsxwriter.utility import xl_col_to_name

# Excel's longest cell text, in UTF-16 code units.
MAX_CELL_UTF16: Final = 32_767
# Excel's last row (and the workbook reader's), and its last column (XFD).
SHEET_MAX_ROWS: Final = 1_048_576
SHEET_MAX_COLUMNS: Final = 16_384
# A chunk is built as XML text several times over (cells, rows, the joined chunk,
# its bytes): 5,000 rows keep that under 50 MB for a wide review table.
_ROWS_PER_CHUNK: Final = 5_000
_SHEET_COMPRESS_LEVEL: Final = 1
_SHEET_DATA_END: Final = b"</sheetData>"
_CONTROL: Final = "[\\x00-\\x08\\x0b-\\x1f\\ufffe\\uffff]"
_CONTROL_CHARS: Final = [*map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20)]), "\ufffe", "\uffff"]
_EDGE_BLANK: Final = "^\\s|\\s$"
_ENTITIES: Final = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_DIMENSION: Final = re.compile(rb'<dimension ref="[A-Z0-9:]+"/>')
_COLUMN_STYLE: Final = re.compile(rb'<col [^>]*style="(\d+)"')


def splice_rows(template: Path, target: Path, cells: pl.DataFrame, *, sheet: int = 1) -> None:
    """Copy the xlsx package `template` (header row only) to `target`, with the rows
    of `cells` (all text) after the header of worksheet `sheet`."""
    part = f"xl/worksheets/sheet{sheet}.xml"
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as package,
    ):
        for info in source.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            data = source.read(info)
            if info.filename != part or not cells.height:
                package.writestr(copy, data)
                continue
            head, tail = _split_sheet(data, cells)
            # The sheet is most of the package: the fastest deflate level costs ~15% in
            # size and saves ~75% of the compression time. ZipFile.open takes the level
            # from the ZipInfo (named `compress_level` from Python 3.13).
            level = "compress_level" if hasattr(copy, "compress_level") else "_compresslevel"
            setattr(copy, level, _SHEET_COMPRESS_LEVEL)
            with package.open(copy, "w", force_zip64=True) as stream:
                stream.write(head)
                _write_rows(stream, cells, _text_style(data))
                stream.write(tail)


def _split_sheet(sheet: bytes, cells: pl.DataFrame) -> tuple[bytes, bytes]:
    end = sheet.index(_SHEET_DATA_END)
    head, tail = sheet[:end], sheet[end:]
    if cells.height and cells.width:
        last = f"{xl_col_to_name(cells.width - 1)}{cells.height + 1}"
        head = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>'.encode(), head, count=1)
    return head, tail


def _text_style(sheet: bytes) -> int:
    """The style index of the columns' text format (the data cells take it)."""
    found = _COLUMN_STYLE.search(sheet)
    return int(found.group(1)) if found else 0


def _write_rows(stream: IO[bytes], cells: pl.DataFrame, style: int) -> None:
    letters = [xl_col_to_name(col) for col in range(cells.width)]
    for start in range(0, cells.height, _ROWS_PER_CHUNK):
        chunk = cells.slice(start, _ROWS_PER_CHUNK)
        number = pl.int_range(start + 2, start + 2 + chunk.height, dtype=pl.Int64).cast(pl.String)
        row = pl.concat_str(
            [
                pl.lit('<row r="'),
                number,
                pl.lit('">'),
                *(
                    _cell(chunk, name, letter, number, style)
                    for name, letter in zip(chunk.columns, letters, strict=True)
                ),
                pl.lit("</row>"),
            ]
        )
        stream.write(chunk.select(row.str.join("")).item().encode("utf-8"))


def _cell(chunk: pl.DataFrame, name: str, letter: str, number: pl.Expr, style: int) -> pl.Expr:
    value = pl.col(name).cast(pl.String)
    column = chunk[name].cast(pl.String)
    text = _escaped(value, column)
    opening = pl.lit("<t>")
    # As xlsxwriter: leading or trailing blanks need xml:space="preserve" to survive.
    if column.str.contains(_EDGE_BLANK).any():
        opening = (
            pl.when(value.str.contains(_EDGE_BLANK))
            .then(pl.lit('<t xml:space="preserve">'))
            .otherwise(opening)
        )
    cell = pl.concat_str(
        [
            pl.lit(f'<c r="{letter}'),
            number,
            pl.lit(f'" s="{style}" t="inlineStr"><is>'),
            opening,
            text,
            pl.lit("</t></is></c>"),
        ]
    )
    return pl.when(value.is_null()).then(pl.lit("")).otherwise(cell)


def _escaped(value: pl.Expr, column: pl.Series) -> pl.Expr:
    """`value` as xlsxwriter writes it; the rare passes run only where the column
    needs them (`column` holds the chunk's values)."""
    text = value
    longest = column.str.len_chars().max()
    if isinstance(longest, int) and longest > MAX_CELL_UTF16 // 2:
        text = text.map_elements(_truncated, return_dtype=pl.String)
    if column.str.contains("_x", literal=True).any():
        text = text.str.replace_all("(_x[0-9a-fA-F]{4}_)", "_x005F$1")
    if column.str.contains(_CONTROL).any():
        for char in _CONTROL_CHARS:
            text = text.str.replace_all(char, f"_x{ord(char):04X}_", literal=True)
    for char, entity in _ENTITIES:
        if column.str.contains(char, literal=True).any():
            text = text.str.replace_all(char, entity, literal=True)
    return text


def _truncated(value: str) -> str:
    """Cut to Excel's limit in UTF-16 units, never inside a surrogate pair."""
    units = value.encode("utf-16-le")
    if len(units) <= 2 * MAX_CELL_UTF16:
        return value
    return units[: 2 * MAX_CELL_UTF16].decode("utf-16-le", errors="ignore")
