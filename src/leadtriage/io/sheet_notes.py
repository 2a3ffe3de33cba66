"""What a worksheet's XML says that the workbook reader does not hand over.

calamine (under fastexcel) gives each cell's value and nothing more. Two things a
person sees in Excel are lost that way: a merged cell shows its value over every row
it covers, yet only its top-left cell holds it (a company-wide opt-out merged over
three people reached the first of them only); and a formula never calculated (a
workbook written by a script, never opened in Excel) has no saved result, so it
reads as blank. The merged ranges (``<mergeCell ref="A2:A4"/>``, written after
``<sheetData>``) and the formulas without ``<v>`` are read here from the sheet's XML,
with the row the reader's frame starts on (its first row holding a value), which
places the ranges on the frame's rows. The workbook's date system (Mac Excel's 1904
dates) is read from ``xl/workbook.xml``: calamine converts dates by it, but says
nothing of it, and Excel's zero date is a different day in each system.

The sheet part is streamed a chunk at a time and only searched for those few tags:
a sheet of a million rows costs its decompression and a few byte searches.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

import numpy as np
import polars as pl

from leadtriage.io.number_formats import Template, padded_styles, shown
from leadtriage.io.sheet_extent import column_number, sheet_names

_CHUNK_BYTES: Final = 1 << 20
_SHEET_DATA_END: Final = b"</sheetData>"
_CELL_END: Final = b"</c>"
# A row's start tag; its number when it states one (rows may leave it out).
_ROW: Final = re.compile(rb"<row\b([^>]*)>")
_ROW_NUMBER: Final = re.compile(rb'\br="(\d+)"')
_CELL_ROW: Final = re.compile(rb'\br="[A-Z]+(\d+)"')
# A cell value as calamine counts one: a <v> with text, or an inline string.
_VALUE: Final = re.compile(rb"<v\b[^>/]*>[^<]|<is\b")
_MERGE: Final = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
# A formula followed by no value, or an empty one, then the cell's end.
_FORMULA_WITHOUT_VALUE: Final = re.compile(
    rb"<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
)
# Excel saves a formula whose result is the empty string as t="str" and an empty <v>.
_STRING_RESULT: Final = re.compile(rb'\bt="str"')
_STYLES: Final = "xl/styles.xml"
# A numeric cell's value, after the formula that gave it if any.
_NUMBER_VALUE: Final = rb"\s*(?:<f\b[^>]*?(?:/>|>[^<]*</f>)\s*)?<v>(\d+)</v>"
# A cell's place and its type (number when not said), in its attributes.
_PLACE: Final = r'\br="([A-Z]+)(\d+)"'
_TYPE: Final = r'\bt="([^"]*)"'
# The workbook's properties; some writers prefix the element (``<x:workbookPr``).
_DATE_1904: Final = re.compile(
    rb"<(?:\w+:)?workbookPr\b[^>]*?\bdate1904\s*=\s*[\"'](?:1|true)[\"']"
)


@dataclass(frozen=True)
class Merge:
    """A merged range, 0-based (column A and row 1 are 0), bounds included."""

    ref: str
    first_row: int
    last_row: int
    first_column: int
    last_column: int


@dataclass(frozen=True)
class PaddedCells:
    """The whole numbers of cells whose format pads them with zeros (see
    number_formats), as found: for each, its attributes (its place, its type), its
    style index and its digits, as the XML spells them; and the template of each
    such style."""

    cells: tuple[tuple[bytes, bytes, bytes], ...] = ()
    templates: tuple[tuple[int, Template], ...] = ()


@dataclass(frozen=True)
class SheetNotes:
    """`first_row`: the sheet row (0-based) of the reader's first frame row, None
    when not known (then `merges` and `padded` cannot be placed);
    `uncached_formulas`: formula cells without a saved result."""

    first_row: int | None = None
    merges: tuple[Merge, ...] = ()
    uncached_formulas: int = 0
    padded: PaddedCells = PaddedCells()


def sheet_notes(source: Path | bytes, sheet: str) -> SheetNotes:
    """What the XML of the worksheet named `sheet` says; nothing when the workbook is
    not a readable xlsx package (its reader says what is wrong)."""
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as book:
            part = _part_of(book, sheet)
            if part is None:
                return SheetNotes()
            padded = _padded_styles(book)
            with book.open(part) as stream:
                return _scan(stream, padded)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error):
        return SheetNotes()


def uses_1904_dates(source: Path | bytes) -> bool:
    """Whether the workbook counts dates from 1904 (``<workbookPr date1904="1"/>``,
    Mac Excel's old default); False when it is not a readable xlsx package."""
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as book:
            info = book.getinfo("xl/workbook.xml")
            with book.open(info) as stream:
                # The properties come before the sheets' list: the head holds them.
                return _DATE_1904.search(stream.read(_CHUNK_BYTES)) is not None
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error):
        return False


def chart_sheets(source: Path | bytes) -> set[str]:
    """The names of the workbook's chart sheets (tabs holding one chart, no cells);
    none when it is not a readable xlsx package."""
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as book:
            parts = sheet_names(book)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error):
        return set()
    return {name for part, name in parts.items() if part.lower().startswith(_CHART_SHEETS)}


_CHART_SHEETS: Final = "xl/chartsheets/"


def _padded_styles(book: zipfile.ZipFile) -> dict[int, Template]:
    try:
        return padded_styles(book.read(_STYLES))
    except KeyError:
        return {}


def _part_of(book: zipfile.ZipFile, sheet: str) -> zipfile.ZipInfo | None:
    wanted = next((part for part, name in sheet_names(book).items() if name == sheet), None)
    if wanted is None:
        return None
    # Part names are matched without case, as the reader matches them.
    return next((i for i in book.infolist() if i.filename.lower() == wanted.lower()), None)


class _Scan:
    def __init__(self, padded: dict[int, Template]) -> None:
        self.row = -1  # the last row started, 0-based
        self.first_row: int | None = None
        self.merges: list[Merge] = []
        self.uncached = 0
        self.padded: list[tuple[bytes, bytes, bytes]] = []
        # Only the cells of a padded style holding a whole number are looked at, by
        # one regex (a column of ZIP codes is many cells); most sheets have none.
        styles = b"|".join(str(index).encode() for index in sorted(padded))
        self.styled = (
            re.compile(rb'<c\b([^>]*\bs="(' + styles + rb')"[^>]*)(?<!/)>' + _NUMBER_VALUE)
            if padded
            else None
        )

    def feed(self, piece: bytes, cells_only: bool) -> None:
        if self.first_row is None:
            self._find_first_row(piece)
        self.uncached += sum(
            1
            for found in _FORMULA_WITHOUT_VALUE.finditer(piece)
            if not _STRING_RESULT.search(_cell_tag(piece, found.start()))
        )
        if self.styled is not None:
            self.padded.extend(self.styled.findall(piece))
        # The merged ranges follow the cells.
        if not cells_only:
            self.merges.extend(_merge(found) for found in _MERGE.finditer(piece))

    def _find_first_row(self, piece: bytes) -> None:
        value = _VALUE.search(piece)
        end = len(piece) if value is None else value.start()
        for row in _ROW.finditer(piece, 0, end):
            number = _ROW_NUMBER.search(row.group(1))
            self.row = int(number.group(1)) - 1 if number else self.row + 1
        if value is None:
            return
        cell = _CELL_ROW.search(_cell_tag(piece, value.start()))
        self.first_row = int(cell.group(1)) - 1 if cell else max(self.row, 0)


def _cell_tag(piece: bytes, position: int) -> bytes:
    """The start tag of the cell holding `position`; empty when not in `piece`, or
    when the last cell started before `position` has ended (no cell holds it)."""
    start = piece.rfind(b"<c", 0, position)
    while start >= 0 and piece[start + 2 : start + 3] not in (b" ", b">"):
        start = piece.rfind(b"<c", 0, start)  # <col>, <cols>, <customSheetView> ...
    if start < 0:
        return b""
    end = piece.find(b">", start, position)
    if end < 0 or piece[end - 1 : end] == b"/" or _CELL_END in piece[end:position]:
        return b""
    return piece[start:end]


def _merge(found: re.Match[bytes]) -> Merge:
    first_column, first_row, last_column, last_row = found.groups()
    last_column, last_row = last_column or first_column, last_row or first_row
    ref = found.group(0).split(b'"')[1].decode()
    return Merge(
        ref,
        int(first_row) - 1,
        int(last_row) - 1,
        column_number(first_column.decode()) - 1,
        column_number(last_column.decode()) - 1,
    )


def _scan(stream: IO[bytes], padded: dict[int, Template]) -> SheetNotes:
    scan = _Scan(padded)
    for piece, cells_only in _pieces(stream):
        scan.feed(piece, cells_only)
    cells = PaddedCells(tuple(scan.padded), tuple(sorted(padded.items())))
    return SheetNotes(scan.first_row, tuple(scan.merges), scan.uncached, cells)


def _pieces(stream: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    """The part in pieces that each end where a tag starts, cells kept whole (a
    piece of the cells ends after a cell's end tag), each with whether it holds
    nothing past the cells."""
    carry = b""
    in_cells = True
    while chunk := stream.read(_CHUNK_BYTES):
        buffer = carry + chunk
        in_cells = in_cells and _SHEET_DATA_END not in buffer
        cut = buffer.rfind(_CELL_END) + len(_CELL_END) if in_cells else buffer.rfind(b"<")
        if cut <= len(_CELL_END):
            carry = buffer
            continue
        yield buffer[:cut], in_cells
        carry = buffer[cut:]
    if carry:
        yield carry, False


# --- the notes applied to the frame as read -----------------------------------------


def repeat_merged(
    frame: pl.DataFrame,
    merges: Sequence[Merge],
    first_row: int,
    columns: Sequence[int],
) -> tuple[pl.DataFrame, list[str]]:
    """`frame` with the value of each merged range that lies in it repeated down the
    rows the range covers, in its first column (Excel shows it on each; the other
    columns of a wide range stay as read), and the ranges so filled.

    `first_row` is the sheet row (0-based) of the frame's first row, `columns` each
    frame column's sheet column (A is 0). A range whose covered cells hold values of
    their own is left alone: it is not what it seems, and no value is overwritten."""
    where = {sheet_column: index for index, sheet_column in enumerate(columns)}
    filled: dict[int, list[tuple[int, int]]] = {}
    refs = []
    for merge in merges:
        column = where.get(merge.first_column)
        top = merge.first_row - first_row
        if column is None or top < 0 or top >= frame.height or merge.last_row == merge.first_row:
            continue
        length = min(merge.last_row - first_row, frame.height - 1) - top
        values = frame.to_series(column)
        if length <= 0 or values[top] is None:
            continue
        if values.slice(top + 1, length).null_count() < length:
            continue
        filled.setdefault(column, []).append((top, length))
        refs.append(merge.ref)
    if not filled:
        return frame, []
    replaced = []
    for column, spans in filled.items():
        values = frame.to_series(column)
        covered = np.zeros(frame.height, dtype=np.bool_)
        for top, length in spans:
            covered[top + 1 : top + 1 + length] = True
        replaced.append(
            pl.when(pl.Series(covered))
            .then(values.forward_fill())
            .otherwise(values)
            .alias(values.name)
        )
    return frame.with_columns(replaced), refs


def show_padded(
    frame: pl.DataFrame, cells: PaddedCells, first_row: int, columns: Sequence[int]
) -> pl.DataFrame:
    """`frame` with each zero-padded number shown as Excel shows it. `first_row` and
    `columns` place the cells as for `repeat_merged`; a cell whose value in the frame
    is not the number the sheet holds there is left alone (it is not that cell)."""
    if not cells.cells:
        return frame
    names = ("attributes", "style", "number")
    found = pl.DataFrame(
        dict(zip(names, zip(*cells.cells, strict=True), strict=True)),
        schema=dict.fromkeys(names, pl.Binary),
    ).select(pl.col(name).cast(pl.String) for name in names)
    place = pl.col("attributes").str.extract_groups(_PLACE)
    # Column letters to the frame's columns, once per letters (a column has many cells).
    letters = found.select(pl.col("attributes").str.extract(_PLACE).unique()).to_series()
    by_letters = {sheet_column: index for index, sheet_column in enumerate(columns)}
    where = {
        text: by_letters.get(column_number(text) - 1) for text in letters.drop_nulls().to_list()
    }
    placed = (
        found.filter(pl.col("attributes").str.extract(_TYPE).fill_null("n") == "n")
        .with_columns(
            # As the reader hands the number over: no leading zeros.
            pl.col("number").str.strip_chars_start("0").replace("", "0"),
            (place.struct[1].cast(pl.Int64) - 1 - first_row).alias("row"),
            place.struct[0]
            .replace_strict(where, default=None, return_dtype=pl.Int64)
            .alias("column"),
        )
        .filter(pl.col("row").is_between(0, frame.height - 1) & pl.col("column").is_not_null())
        .with_columns(
            pl.coalesce(
                pl.when(pl.col("style") == str(style)).then(shown(pl.col("number"), template))
                for style, template in cells.templates
            ).alias("text")
        )
    )
    replaced = []
    for (column,), group in placed.group_by("column"):
        assert isinstance(column, int)
        values = frame.to_series(column)
        rows = group["row"]
        same = (values.gather(rows) == group["number"]).fill_null(False)
        replaced.append(values.clone().scatter(rows.filter(same), group["text"].filter(same)))
    return frame.with_columns(replaced) if replaced else frame
