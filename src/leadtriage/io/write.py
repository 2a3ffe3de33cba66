"""Atomic, formula-safe, deterministic writers.

All files of a run are written into a staging folder beside the output folder,
which then replaces the output folder in one swap (see `output_set`): a crash
leaves the previous complete set or the new one, never a mix.
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from leadtriage.errors import OutputError
from leadtriage.io.output_set import REVIEW_COPY, replacing_set
from leadtriage.io.safe_cells import safe_frame, text_frame
from leadtriage.io.sheet_xml import (
    MAX_CELL_UTF16,
    SHEET_MAX_COLUMNS,
    SHEET_MAX_ROWS,
    splice_rows,
)

SUMMARY_NAME = "summary.json"
# The table a person edits in place when it is a workbook (see REVIEW_COPY).
_EDITED_IN_PLACE = "review"
# xlsxwriter stamps the creation time into the file; a fixed one keeps outputs
# byte-identical across runs.
_FIXED_XLSX_TIME = datetime(2000, 1, 1)
# Rows of a CSV output made into text cells at a time.
CSV_SLICE_ROWS = 50_000
# The rows of a worksheet below its header.
SHEET_MAX_DATA_ROWS = SHEET_MAX_ROWS - 1
_MIN_WIDTH = 8
_MAX_WIDTH = 50


class OutputFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    PARQUET = "parquet"


@dataclass(frozen=True)
class WriteOptions:
    format: OutputFormat = OutputFormat.CSV
    excel_bom: bool = False  # a UTF-8 BOM so Excel shows accents in CSV files
    # Tables written with exact values even as CSV (a CRM profile's accepted file):
    # importers do not evaluate formulas, and an apostrophe would reach the CRM.
    exact_tables: frozenset[str] = frozenset()


def existing_outputs(out_dir: Path, tables: list[str], fmt: OutputFormat) -> list[str]:
    """The outputs of an earlier run that this run would replace."""
    if not out_dir.is_dir():
        return []
    return sorted(name for name in _output_names(tables) if (out_dir / name).exists())


def inputs_among_outputs(out_dir: Path, tables: list[str], sources: Sequence[str]) -> list[str]:
    """The `sources` that are files this run's outputs would replace (an earlier
    run's accepted.csv cleaned again into its own folder): --force must not
    destroy an input."""
    if not out_dir.is_dir():
        return []
    outputs = [out_dir / name for name in _output_names(tables)]
    return [
        source
        for source in sources
        if source != "-" and any(_same_file(Path(source), output) for output in outputs)
    ]


def _output_names(tables: list[str]) -> set[str]:
    return {f"{t}.{f.value}" for t in tables for f in OutputFormat} | {SUMMARY_NAME, REVIEW_COPY}


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:  # either is missing: nothing to replace
        return False


def write_table(
    df: pl.DataFrame, path: Path, *, options: WriteOptions, exact: bool = False
) -> None:
    """One table in the chosen format, formula-safe where a spreadsheet opens it: CSV
    cells neutralised unless `exact`, xlsx cells as text, Parquet exact."""
    if options.format is OutputFormat.XLSX:
        write_text_xlsx(df, path)
    elif options.format is OutputFormat.CSV:
        write_csv_in_slices(df, path, exact=exact, bom=options.excel_bom)
    else:
        text_frame(df).write_parquet(path, statistics=False)


def write_csv_in_slices(df: pl.DataFrame, path: Path, *, exact: bool, bom: bool) -> None:
    """The text cells made and written `CSV_SLICE_ROWS` rows at a time, never a second
    copy of the whole table. Slices, not `sink_csv`: the streaming engine's buffers
    took about 200 MB more at a million rows, at the run's peak (issue 15)."""
    cells: Callable[[pl.DataFrame], pl.DataFrame] = text_frame if exact else safe_frame
    with path.open("wb") as handle:
        if bom:
            handle.write(codecs.BOM_UTF8)
        for start in range(0, max(df.height, 1), CSV_SLICE_ROWS):
            part = cells(df.slice(start, CSV_SLICE_ROWS))
            part.write_csv(handle, include_header=start == 0, null_value="")


def column_widths(cells: pl.DataFrame) -> list[int]:
    """One width per column from its longest value or header, measured by Polars:
    wide enough to read a typical value, never wider than a screen."""
    if cells.height:
        longest = cells.select(pl.all().cast(pl.String).str.len_chars().max().fill_null(0)).row(0)
    else:
        longest = (0,) * cells.width
    return [
        min(max(len(name), length, _MIN_WIDTH), _MAX_WIDTH) + 2
        for name, length in zip(cells.columns, longest, strict=True)
    ]


def write_text_xlsx(
    df: pl.DataFrame,
    path: Path,
    *,
    sheet: str = "contacts",
    widths: Sequence[int] | None = None,
    choices: Mapping[int, dict[str, Any]] | None = None,
    properties: Mapping[str, str] | None = None,
) -> None:
    """Every cell a text cell with its exact value: phones keep `+` and leading zeros,
    and a text cell is never run as a formula.

    Frozen header, autofilter, column widths; `choices` maps a column index to an
    xlsxwriter data validation for it (e.g. a drop-down list); `properties` become
    custom document properties (Excel and LibreOffice keep them when saving).
    """
    cells = text_frame(df)
    # xlsxwriter writes the header and everything around the cells; Polars makes
    # the rows (see sheet_xml), spliced in while the package is copied to `path`.
    template = path.with_name(f".{path.name}.header")
    workbook = xlsxwriter.Workbook(
        str(template), {"constant_memory": True, "strings_to_numbers": False}
    )
    try:
        workbook.set_properties({"created": _FIXED_XLSX_TIME})
        for name, value in (properties or {}).items():
            workbook.set_custom_property(name, value)
        worksheet = workbook.add_worksheet(sheet)
        header = workbook.add_format({"bold": True})
        text = workbook.add_format({"num_format": "@"})
        # A column format makes cells a person fills in later text too.
        for col, width in enumerate(widths or column_widths(cells)):
            worksheet.set_column(col, col, width, text)
        for col, name in enumerate(cells.columns):
            worksheet.write_string(0, col, name, header)
        last_row = max(cells.height, 1)
        for col, validation in (choices or {}).items():
            worksheet.data_validation(1, col, last_row, col, validation)
        worksheet.freeze_panes(1, 0)
        if cells.width:
            worksheet.autofilter(0, 0, last_row, cells.width - 1)
    finally:
        workbook.close()
    try:
        splice_rows(template, path, cells)
    finally:
        template.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str) -> None:
    """A whole text file or none: written beside its target, then renamed."""
    temporary: str | None = None
    try:
        # Inside the try: a missing folder fails here, and the error must name the
        # file asked for, not this temporary one.
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path())
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {path}: {exc.strerror}",
            hint="check the path: its folder must exist and be writable, the name not a folder",
        ) from None


def write_outputs(
    out_dir: Path,
    tables: Mapping[str, pl.DataFrame],
    summary: Mapping[str, Any],
    options: WriteOptions,
    *,
    extra: Mapping[str, Callable[[Path], None]] | None = None,
) -> list[Path]:
    """Write each table as `<name>.<format>` and the summary as one set, all or nothing.

    `extra` maps more file names to functions writing them (the review workbook);
    one named like a table's file replaces that table's default writer. With
    --format xlsx the review rows are also written, exact, as `REVIEW_COPY`: the
    person edits review.xlsx itself, and only this copy says what the run wrote.
    Outputs of an earlier run that this set does not rewrite (another format, a
    workbook, a copy) are gone afterwards; files the tool did not write stay (see
    `output_set`).
    """
    writers: dict[str, Callable[[Path], None]] = {
        f"{name}.{options.format.value}": partial(
            write_table, df, options=options, exact=name in options.exact_tables
        )
        for name, df in tables.items()
    }
    writers.update(extra or {})
    if options.format is OutputFormat.XLSX:
        for name, df in tables.items():
            _check_fits_a_sheet(f"{name}.xlsx", df)
        if _EDITED_IN_PLACE in tables:
            writers[REVIEW_COPY] = partial(
                write_csv_in_slices, tables[_EDITED_IN_PLACE], exact=True, bom=False
            )
    summary_text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    with replacing_set(out_dir) as stage:
        for filename, write in writers.items():
            write(stage / filename)
        _write_summary(stage / SUMMARY_NAME, summary_text)
    return [out_dir / filename for filename in [*writers, SUMMARY_NAME]]


def _check_fits_a_sheet(filename: str, df: pl.DataFrame) -> None:
    """Refuse, before anything is written, a table a worksheet cannot hold whole. The
    xlsx writer cuts a cell at Excel's limit, as Excel would: fine for the review
    workbook beside CSV outputs (`review apply` takes the exact value from the CSV),
    but with --format xlsx the workbooks are the outputs, and a cut value is lost."""
    if df.height > SHEET_MAX_DATA_ROWS:
        raise OutputError(
            f"{filename}: {df.height:,} rows, more than a worksheet holds "
            f"({SHEET_MAX_DATA_ROWS:,} below the header)",
            hint="write --format csv or parquet, which hold any number of rows",
        )
    # xlsxwriter skips a header past the last column without a word, and the rows'
    # cells there make a file Excel repairs by dropping them (the traceability last).
    if df.width > SHEET_MAX_COLUMNS:
        raise OutputError(
            f"{filename}: {df.width:,} columns, more than a worksheet holds "
            f"({SHEET_MAX_COLUMNS:,})",
            hint="write --format csv or parquet, which hold any number of columns",
        )
    # Only text can be that long, and its UTF-8 bytes are never fewer than its UTF-16
    # units: most columns end here, without a copy of the table.
    strings = df.select(pl.col(pl.String))
    longest = strings.select(pl.all().str.len_bytes().max()).row(0) if df.height else ()
    wide = [c for c, n in zip(strings.columns, longest, strict=False) if (n or 0) > MAX_CELL_UTF16]
    if not wide:
        return
    # A character beyond the BMP (an emoji) takes two units, as Excel counts.
    too_long = df.select(
        (
            pl.col(c).str.len_chars() + pl.col(c).str.count_matches(r"[\x{10000}-\x{10FFFF}]")
            > MAX_CELL_UTF16
        ).fill_null(False)
        for c in wide
    )
    count = int(too_long.select(pl.sum_horizontal(pl.all()).sum()).item())
    if not count:
        return
    first = int(too_long.select(pl.any_horizontal(pl.all()).arg_true().first()).item())
    column = next(c for c in wide if too_long[c][first])
    where = (
        f" of {df['source_file'][first]} row {df['source_row'][first]}"
        if {"source_file", "source_row"} <= set(df.columns)
        else f" of row {first + 1}"
    )
    values, them = ("value", "it") if count == 1 else ("values", "them")
    raise OutputError(
        f"{filename}: {count} {values} longer than a spreadsheet cell holds "
        f"({MAX_CELL_UTF16:,} characters), the first in column {column!r}{where}; "
        f"--format xlsx would cut {them}",
        hint="write --format csv or parquet, which keep every value whole",
    )


def _write_summary(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
