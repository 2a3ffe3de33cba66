"""Atomic, formula-safe, deterministic writers.

All files of a run are written into a hidden staging folder inside the output
folder, then renamed into place, ``summary.json`` last: a crash leaves either no
new outputs or the complete set, never a half-written file.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from leadtriage.errors import OutputError
from leadtriage.io.safe_cells import safe_frame

SUMMARY_NAME = "summary.json"
# xlsxwriter stamps the creation time into the file; a fixed one keeps outputs
# byte-identical across runs.
_FIXED_XLSX_TIME = datetime(2000, 1, 1)
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


def existing_outputs(out_dir: Path, tables: list[str], fmt: OutputFormat) -> list[str]:
    """The outputs of an earlier run that this run would replace."""
    if not out_dir.is_dir():
        return []
    candidates = {f"{t}.{f.value}" for t in tables for f in OutputFormat} | {SUMMARY_NAME}
    return sorted(name for name in candidates if (out_dir / name).exists())


def write_table(df: pl.DataFrame, path: Path, *, options: WriteOptions) -> None:
    """One table in the chosen format, formula-safe."""
    if options.format is OutputFormat.XLSX:
        write_text_xlsx(df, path)  # neutralises its cells itself
        return
    safe = safe_frame(df)
    if options.format is OutputFormat.CSV:
        safe.write_csv(path, include_bom=options.excel_bom, null_value="")
    else:
        safe.write_parquet(path, statistics=False)


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
) -> None:
    """Every cell a text cell: phones keep `+` and leading zeros, formulas cannot run.

    Frozen header, autofilter, column widths; `choices` maps a column index to an
    xlsxwriter data validation for it (e.g. a drop-down list).
    """
    cells = safe_frame(df)
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False}
    )
    try:
        workbook.set_properties({"created": _FIXED_XLSX_TIME})
        worksheet = workbook.add_worksheet(sheet)
        header = workbook.add_format({"bold": True})
        text = workbook.add_format({"num_format": "@"})
        # A column format makes cells a person fills in later text too.
        for col, width in enumerate(widths or column_widths(cells)):
            worksheet.set_column(col, col, width, text)
        for col, name in enumerate(cells.columns):
            worksheet.write_string(0, col, name, header)
        for row_index, row in enumerate(cells.iter_rows(), start=1):
            for col, value in enumerate(row):
                if value is not None:
                    worksheet.write_string(row_index, col, str(value), text)
        last_row = max(cells.height, 1)
        for col, validation in (choices or {}).items():
            worksheet.data_validation(1, col, last_row, col, validation)
        worksheet.freeze_panes(1, 0)
        if cells.width:
            worksheet.autofilter(0, 0, last_row, cells.width - 1)
    finally:
        workbook.close()


def write_text_atomically(path: Path, text: str) -> None:
    """A whole text file or none: written beside its target, then renamed."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path())
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None


@contextmanager
def _staging(out_dir: Path) -> Iterator[Path]:
    stage = Path(tempfile.mkdtemp(prefix=".leadtriage-", dir=out_dir))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def write_outputs(
    out_dir: Path,
    tables: Mapping[str, pl.DataFrame],
    summary: Mapping[str, Any],
    options: WriteOptions,
    *,
    extra: Mapping[str, Callable[[Path], None]] | None = None,
) -> list[Path]:
    """Write each table as `<name>.<format>` and the summary, all or nothing.

    `extra` maps more file names to functions writing them (the review workbook);
    one named like a table's file replaces that table's default writer.
    """
    extra = dict(extra or {})
    writers: dict[str, Callable[[Path], None]] = {
        f"{name}.{options.format.value}": partial(write_table, df, options=options)
        for name, df in tables.items()
    }
    writers.update(extra)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create output folder {out_dir}: {exc.strerror}",
            hint="choose another folder with --out-dir",
        ) from None
    written: list[Path] = []
    try:
        with _staging(out_dir) as stage:
            for filename, write in writers.items():
                write(stage / filename)
            summary_text = json.dumps(summary, indent=2, ensure_ascii=False)
            (stage / SUMMARY_NAME).write_text(summary_text + "\n", encoding="utf-8")
            for filename in [*writers, SUMMARY_NAME]:
                os.replace(stage / filename, out_dir / filename)
                written.append(out_dir / filename)
    except OSError as exc:
        raise OutputError(
            f"cannot write outputs in {out_dir}: {exc.strerror or type(exc).__name__}",
            hint="check the folder's permissions and free space",
        ) from None
    return written
