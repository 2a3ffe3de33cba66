"""How many cells each sheet of an xlsx spans, read from the package before loading.

The workbook reader (calamine, under fastexcel) holds a sheet as one dense block from
its first used cell to its last. One stray cell far from the list (a space typed at
XFD1048576, a format dragged to the last row) makes that block billions of cells: the
reader asks for hundreds of GiB and the process aborts with no message. Each sheet
states its extent in its ``<dimension ref="A1:XFD1048576"/>`` (written before the
cells by Excel, LibreOffice, openpyxl and xlsxwriter), so the extent is known from the
first bytes of the sheet's XML, before anything is loaded.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import Final

# The dimension comes before the cells; the head of the sheet's XML holds it.
_HEAD_BYTES: Final = 64 * 1024
_DIMENSION: Final = re.compile(rb'<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
# Elements and their attributes, in whatever order a writer put them.
_SHEET: Final = re.compile(rb"<sheet\b[^>]*>")
_RELATION: Final = re.compile(rb"<Relationship\b[^>]*>")
_ATTRIBUTE: Final = re.compile(rb'([\w:]+)="([^"]*)"')


@dataclass(frozen=True)
class SheetExtent:
    """A sheet's name (its part's path when the workbook does not name it), its
    stated range (``A1:XFD1048576``) and the cells that range holds."""

    name: str
    range: str
    cells: int


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
        extents.append(SheetExtent(names.get(part, part), stated, max(columns, 1) * max(rows, 1)))
    return extents


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
