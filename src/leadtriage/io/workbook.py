"""The review workbook: the review rows laid out for a person to decide, and read back.

A person opens ``review.xlsx``, types accept or reject into the first column, may
sort and filter the sheet, and saves it. Writing lays the columns out for that
(decision, reasons, the suggested fix, then the rest as in the review file); reading
takes back only the decision and the row's key (``source_file``, ``source_row``)
with the sheet row number, so errors can point at the cell to fix.

A workbook belongs to one run: it carries the run's id (also in ``summary.json``)
as a document property, so a decision is never applied to another run's rows that
happen to have the same keys.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Final

import fastexcel
import openpyxl
import polars as pl

from leadtriage.errors import InputError, UsageError
from leadtriage.frame import CLUSTER_ID, DECISION, REASONS, SOURCE_FILE, SOURCE_ROW
from leadtriage.io.layout import SUGGESTION_COLUMNS
from leadtriage.io.sheet_xml import SHEET_MAX_COLUMNS
from leadtriage.io.write import column_widths, write_text_xlsx
from leadtriage.normalize.presence import is_blank
from leadtriage.schema import Col

SHEET_NAME: Final = "review"
WORKBOOK_NAME: Final = "review.xlsx"
# Nobody reviews more rows by hand, and xlsx is slow to write: past this many rows
# the review stays in review.csv only and the summary says so.
WORKBOOK_MAX_ROWS: Final = 50_000
# Shown in Excel's drop-down; the reader takes more spellings (see review.py).
DECISION_CHOICES: Final[tuple[str, ...]] = ("accept", "reject")
# What a person needs beside the decision to fix or judge a row, when present.
PAIR_ID: Final = Col.PAIR_ID
# A possible duplicate's pair and partner, a CRM match's candidates, come first so a
# person compares the two rows without scrolling.
FIX_COLUMNS: Final[tuple[str, ...]] = (
    *SUGGESTION_COLUMNS,
    PAIR_ID,
    Col.POSSIBLE_PARTNER,
    Col.CRM_CANDIDATES,
    CLUSTER_ID,
    Col.MATCH_EVIDENCE,
)
KEY_COLUMNS: Final[tuple[str, str]] = (SOURCE_FILE, SOURCE_ROW)
# The column in the frame `read_review_sheet` returns: where the row sits in the sheet.
SHEET_ROW: Final = "sheet_row"

# The document property holding the run id (kept by Excel and LibreOffice on save).
RUN_ID_PROPERTY: Final = "leadtriage_run_id"
_RUN_ID_LENGTH: Final = 16
# Rows of an output written at once while its digest is taken (run_id).
_DIGEST_SLICE_ROWS: Final = 100_000

# A header pushed down by rows a person inserted above it is still found.
_HEADER_SEARCH_ROWS: Final = 20
_DECISION_WIDTH: Final = 12


def review_workbook_frame(review: pl.DataFrame) -> pl.DataFrame:
    """The review rows with an empty `decision` column first, then `reasons`, the
    suggested fix, and the other columns in their order in the review file.

    Rows keep their order, except that the rows of a possible-duplicate pair (one
    `pair_id`) sit together where the first of them was."""
    if DECISION in review.columns:
        raise ValueError(
            f"the review table already has a {DECISION!r} column; the workbook adds its own"
        )
    leading = [REASONS, *FIX_COLUMNS]
    front = [name for name in leading if name in review.columns]
    rest = [name for name in review.columns if name not in front]
    laid_out = review.select(pl.lit(None, dtype=pl.String).alias(DECISION), *front, *rest)
    if PAIR_ID not in review.columns:
        return laid_out
    order = "__pair_order"
    with_position = laid_out.with_row_index(order)
    first_of_pair = (
        pl.when(pl.col(PAIR_ID).is_null())
        .then(pl.col(order))
        .otherwise(pl.col(order).min().over(PAIR_ID))
    )
    return (
        with_position.with_columns(first_of_pair.alias(order))
        .sort(order, maintain_order=True)
        .drop(order)
    )


def run_id(tables: Mapping[str, pl.DataFrame]) -> str:
    """The id of a run's outputs: a digest of every row's key, decision and reasons,
    and of the whole review table (what the workbook shows). Deterministic, so the
    same inputs and rules give byte-identical outputs; another run's rows give
    another id even where their keys are the same."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        table = tables[name]
        if name != "review":
            table = table.select(c for c in (*KEY_COLUMNS, REASONS) if c in table.columns)
        # The table's CSV is made twice, a slice at a time, rather than held whole
        # (its length comes first): at a million rows the whole text was a hundred
        # MB on top of the outputs, at the run's peak.
        length = sum(len(chunk) for chunk in _csv_slices(table))
        digest.update(f"{name}\n{length}\n".encode())
        for chunk in _csv_slices(table):
            digest.update(chunk)
    return digest.hexdigest()[:_RUN_ID_LENGTH]


def _csv_slices(table: pl.DataFrame) -> Iterator[bytes]:
    """`table.write_csv()`'s bytes, in pieces of at most `_DIGEST_SLICE_ROWS` rows."""
    for start in range(0, max(table.height, 1), _DIGEST_SLICE_ROWS):
        buffer = io.BytesIO()
        table.slice(start, _DIGEST_SLICE_ROWS).write_csv(buffer, include_header=start == 0)
        yield buffer.getvalue()


def workbook_files(
    review: pl.DataFrame, *, run_id: str | None
) -> dict[str, Callable[[Path], None]]:
    """The review workbook as an extra output of `write_outputs`, when it is of a size
    a person can work through and a sheet holds."""
    # One column more than the review (the decision): wider than a sheet, its keys
    # (source_file, source_row, the last columns) would fall off the sheet.
    if review.height > WORKBOOK_MAX_ROWS or review.width + 1 > SHEET_MAX_COLUMNS:
        return {}
    return {WORKBOOK_NAME: partial(write_review_workbook, review, run_id=run_id)}


def write_review_workbook(review: pl.DataFrame, path: Path, *, run_id: str | None = None) -> None:
    """Write `review` (rows as in the review file) to `path` as the review workbook.

    Every cell is text and formula-safe, the header is frozen and filtered, and the
    decision column offers accept / reject; `run_id` ties it to its run's outputs.
    The same rows give the same bytes.
    """
    cells = review_workbook_frame(review)
    widths = column_widths(cells)
    widths[0] = _DECISION_WIDTH
    write_text_xlsx(
        cells,
        path,
        sheet=SHEET_NAME,
        widths=widths,
        choices={
            0: {
                "validate": "list",
                "source": list(DECISION_CHOICES),
                "input_title": "Decision",
                "input_message": "accept or reject; leave blank to decide later",
                # A warning, not a stop: the reader takes other spellings (yes, no ...)
                # and checks every value itself.
                "error_type": "warning",
                "error_title": "Decision",
                "error_message": "Use accept or reject, or leave the cell blank.",
            }
        },
        properties={RUN_ID_PROPERTY: run_id} if run_id else None,
    )


@dataclass(frozen=True)
class ReviewSheet:
    """What a person's review workbook says: `rows` holds `decision`, `source_file`,
    `source_row` (all text, null where blank) and `sheet_row` (the 1-based row number
    Excel shows), one row per non-blank sheet row below the header. `run_id` is the
    id of the run that wrote it, None when the workbook carries none."""

    path: Path
    sheet: str
    rows: pl.DataFrame
    run_id: str | None = None


def read_review_sheet(path: Path, *, editable: Sequence[str] = ()) -> ReviewSheet:
    """The decisions and keys of the review sheet (or the first sheet) of `path`, and
    the cells of the `editable` columns the sheet has (text, stripped, null if blank).

    fastexcel reads the cells (fast, every value as text); openpyxl, reading only up
    to the header, says which sheet row the header is in, because fastexcel's table
    starts at the first row holding a value and would shift every row number.
    """
    if path.is_dir():
        raise UsageError(
            f"{path}: is a folder, not a workbook", hint="give the review.xlsx you edited"
        )
    if not path.is_file():
        raise UsageError(f"{path}: no such workbook", hint="give the review.xlsx you edited")
    try:
        reader = fastexcel.read_excel(path)
        name = SHEET_NAME if SHEET_NAME in reader.sheet_names else reader.sheet_names[0]
        cells = reader.load_sheet(name, header_row=None, dtypes="string").to_polars()
        header_row, written_by = _header_row_and_run(path, name)
    except (fastexcel.FastExcelError, IndexError, OSError, ValueError, KeyError):
        raise InputError(
            f"{path}: not a readable Excel workbook",
            hint="give the review.xlsx leadtriage wrote, saved from Excel as .xlsx",
        ) from None
    rows = _decision_rows(cells, header_row, path, name, editable)
    return ReviewSheet(path, name, rows, written_by)


def _header_row_and_run(path: Path, sheet_name: str) -> tuple[int | None, str | None]:
    """The 1-based sheet row of the header (the first row with a `decision` cell),
    and the run id the workbook carries."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        written_by = next(
            (_text(p.value) for p in workbook.custom_doc_props if p.name == RUN_ID_PROPERTY),
            None,
        )
        rows = workbook[sheet_name].iter_rows(min_row=1, values_only=True)
        for number, row in enumerate(rows, start=1):
            if DECISION in (_text(value) for value in row):
                return number, written_by
            if number >= _HEADER_SEARCH_ROWS:
                break
        return None, written_by
    finally:
        workbook.close()


def _decision_rows(
    cells: pl.DataFrame, header_row: int | None, path: Path, name: str, editable: Sequence[str]
) -> pl.DataFrame:
    header_index = next(
        (
            i
            for i in range(min(cells.height, _HEADER_SEARCH_ROWS))
            if DECISION in (_text(v) for v in cells.row(i))
        ),
        None,
    )
    header = [] if header_index is None else [_text(v) for v in cells.row(header_index)]
    wanted = (DECISION, *KEY_COLUMNS)
    missing = [column for column in wanted if column not in header]
    if missing or header_row is None or header_index is None:
        raise InputError(
            f"{path}, sheet {name!r}: no {', '.join(repr(m) for m in missing or wanted)} "
            "column in the header row",
            hint="keep the header row and the decision, source_file and source_row "
            "columns of the review.xlsx leadtriage wrote",
        )
    edited = [c for c in dict.fromkeys(editable) if c in header and c not in wanted]
    picked = cells.slice(header_index + 1).select(
        pl.col(cells.columns[header.index(column)]).alias(column) for column in (*wanted, *edited)
    )
    blank = [is_blank(pl.col(c)) for c in wanted]
    return (
        picked.with_columns(
            pl.when(~b).then(pl.col(c)).alias(c) for b, c in zip(blank, wanted, strict=True)
        )
        .with_row_index(SHEET_ROW, offset=header_row + 1)
        .with_columns(pl.col(SHEET_ROW).cast(pl.Int64))
        .filter(~pl.all_horizontal(blank))
        .select(*wanted, SHEET_ROW, *edited)
    )


def _text(value: object) -> str | None:
    """A cell as the text a person sees, blank as None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None
