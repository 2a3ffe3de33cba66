"""How many cells each sheet of an xlsx spans, read from the package before loading.

The workbook reader (calamine, under fastexcel) holds a sheet as one dense block from
its first used cell to its last. One stray cell far from the list (a space typed at
XFD1048576, a format dragged to the last row) makes that block billions of cells: the
reader asks for hundreds of GiB and the process aborts with no message. Each sheet
states its extent in its ``<dimension ref="A1:XFD1048576"/>`` (written before the
cells by Excel, LibreOffice, openpyxl and xlsxwriter), so the extent is known from the
first bytes of the sheet's XML, before anything is loaded.

An OpenDocument spreadsheet (.ods) states no extent; instead a row or a cell may say
it repeats (``table:number-rows-repeated="1048576"``), which a few hundred bytes use
to stand for a billion cells. LibreOffice ends a sheet with such a block of empty
rows, which is nothing; a repeated value, or a value after a long repeat, is what
stretches the sheet, and only then is the XML walked to count the cells it spans.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import Final

from xlsxwriter.utility import xl_col_to_name

# The dimension comes before the cells; the head of the sheet's XML holds it.
_HEAD_BYTES: Final = 64 * 1024
_DIMENSION: Final = re.compile(rb'<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
# Elements and their attributes, in whatever order a writer put them.
_SHEET: Final = re.compile(rb"<sheet\b[^>]*>")
_RELATION: Final = re.compile(rb"<Relationship\b[^>]*>")
_ATTRIBUTE: Final = re.compile(rb'([\w:]+)="([^"]*)"')
_ODS_CONTENT: Final = "content.xml"
# A repeat this long may stretch a sheet; shorter ones are bounded by the file's size.
_LONG_REPEAT: Final = re.compile(rb'number-(?:rows|columns)-repeated="\d{4,}"')
_ODS_VALUE: Final = re.compile(rb"office:value-type=|<text:p\b|table:formula=")
_ODS_TABLE_END: Final = b"</table:table>"
# A sheet's start or end, or a row (an empty one may be one tag).
_ODS_PART: Final = re.compile(
    rb"<table:table(?P<table>(?=[\s>])[^>]*)>"
    rb"|<table:table-row(?P<empty_row>(?=[\s/])[^>]*/)>"
    # The row's cells: up to its end tag, unrolled (a lazy .*? is seven times slower).
    rb"|<table:table-row(?P<row>(?=[\s>])[^>]*)>"
    rb"(?P<cells>[^<]*(?:<(?!/table:table-row>)[^<]*)*)</table:table-row>"
    rb"|(?P<table_end></table:table>)"
)
_ODS_CELL: Final = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])([^>]*)>")
_ROWS_REPEATED: Final = re.compile(rb'number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED: Final = re.compile(rb'number-columns-repeated="(\d+)"')
_TABLE_NAME: Final = re.compile(rb'table:name="([^"]*)"')


@dataclass(frozen=True)
class SheetExtent:
    """A sheet's name (its part's path when the workbook does not name it), its
    stated range (``A1:XFD1048576``), the cells that range holds and its last row."""

    name: str
    range: str
    cells: int
    rows: int


def column_number(letters: str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27, ``XFD`` -> 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def sheet_extents(archive: zipfile.ZipFile) -> list[SheetExtent]:
    """The stated extent of every worksheet of `archive` that states one."""
    names = sheet_names(archive)
    extents = []
    for info in archive.infolist():
        part = info.filename
        if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
            continue
        with archive.open(info) as stream:
            head = stream.read(_HEAD_BYTES)
        found = _DIMENSION.search(head)
        if found is None:
            continue
        first_column, first_row, last_column, last_row = found.groups()
        last_column, last_row = last_column or first_column, last_row or first_row
        columns = column_number(last_column.decode()) - column_number(first_column.decode()) + 1
        rows = int(last_row) - int(first_row) + 1
        stated = found.group(0).split(b'"')[1].decode()
        extents.append(
            SheetExtent(
                names.get(part, part), stated, max(columns, 1) * max(rows, 1), int(last_row)
            )
        )
    return extents


def ods_extents(archive: zipfile.ZipFile) -> list[SheetExtent]:
    """The cells each sheet of an OpenDocument spreadsheet spans, from A1 to its last
    value, where a long repeat may stretch it; none where none can."""
    try:
        content = archive.read(_ODS_CONTENT)
    except KeyError:
        return []
    if not any(_stretches(content, found.start()) for found in _LONG_REPEAT.finditer(content)):
        return []
    return _ods_walk(content)


def _stretches(content: bytes, position: int) -> bool:
    """Whether the long repeat at `position` repeats a value or has one after it in
    its sheet (a trailing block of empty rows or cells is nothing)."""
    start = content.rfind(b"<", 0, position)
    end = content.find(_ODS_TABLE_END, position)
    return _ODS_VALUE.search(content, start, len(content) if end < 0 else end) is not None


def _ods_walk(content: bytes) -> list[SheetExtent]:
    """Each sheet's rows up to its last value, times its widest row up to its last
    value. A row without repeats is as wide as its cells, counted without a walk."""
    extents = []
    name, rows, last_row, last_column = "?", 0, 0, 0
    for found in _ODS_PART.finditer(content):
        kind = found.lastgroup
        if kind == "table":
            named = _TABLE_NAME.search(found.group("table"))
            name = xml_unescaped(named.group(1).decode("utf-8", "replace")) if named else "?"
            rows, last_row, last_column = 0, 0, 0
        elif kind == "table_end":
            extents.append(_extent(name, last_row, last_column))
        elif kind == "empty_row":
            rows += _repeat(_ROWS_REPEATED, found.group("empty_row"))
        elif kind == "cells":
            repeat = _repeat(_ROWS_REPEATED, found.group("row"))
            width = _width(found.group("cells"))
            if width:
                last_row, last_column = rows + repeat, max(last_column, width)
            rows += repeat
    return extents


def _width(cells: bytes) -> int:
    """The columns of a row up to its last value; 0 for a row without one."""
    if _ODS_VALUE.search(cells) is None:
        return 0
    if b"-repeated=" not in cells:
        return cells.count(b"<table:table-cell") + cells.count(b"<table:covered-table-cell")
    column = last = 0
    for found in _ODS_CELL.finditer(cells):
        attributes = found.group(1)
        column += _repeat(_COLUMNS_REPEATED, attributes)
        if not attributes.endswith(b"/") or b"office:value-type=" in attributes:
            last = column
    return last


def _extent(name: str, last_row: int, last_column: int) -> SheetExtent:
    rows, columns = max(last_row, 1), max(last_column, 1)
    return SheetExtent(name, f"A1:{xl_col_to_name(columns - 1)}{rows}", rows * columns, rows)


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return int(found.group(1)) if found else 1


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (``xl/worksheets/sheet1.xml``) -> the name its tab shows."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for element in _RELATION.findall(relations):
        attributes = xml_attributes(element)
        if "Id" in attributes and "Target" in attributes:
            targets[attributes["Id"]] = attributes["Target"]
    names = {}
    for element in _SHEET.findall(workbook):
        attributes = xml_attributes(element)
        target = targets.get(attributes.get("r:id", ""))
        if target is not None and "name" in attributes:
            names[_part(target)] = xml_unescaped(attributes["name"])
    return names


def _part(target: str) -> str:
    """A relationship's target as a part's path: relative to ``xl/``, or absolute
    (``/xl/...``); some writers put ``xl/...`` as if it were absolute."""
    if target.startswith("/"):
        return target.lstrip("/")
    return target if target.startswith("xl/") else "xl/" + target


def xml_attributes(element: bytes) -> dict[str, str]:
    """An element's attributes (``b'<sheet name="A" r:id="rId1">'``) by name."""
    return {
        key.decode(): value.decode("utf-8", "replace") for key, value in _ATTRIBUTE.findall(element)
    }


def xml_unescaped(text: str) -> str:
    """An attribute's text with XML's five entities read."""
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")
