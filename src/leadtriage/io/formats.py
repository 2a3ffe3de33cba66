"""Readers for the structured formats: Excel workbooks, JSON, NDJSON and Parquet.

Each returns a `Parsed`: the header as found (names cleaned later, in one place) and
the data as text columns in header order. Every value becomes text the way a person
would read it: numbers as their digits, dates as ISO 8601, nested values as JSON.
Error messages name the file and the line or item, never a value.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import shlex
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from warnings import catch_warnings, simplefilter

import fastexcel
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from leadtriage.errors import InputError, UsageError
from leadtriage.io.blank import blank_file, is_blank
from leadtriage.io.header import (
    HEADER_SEARCH_LINES,
    above_header_warnings,
    header_index,
    headerless_warning,
    is_person,
    recognised,
    under_group_titles,
)
from leadtriage.io.limits import (
    BYTES_PER_CELL,
    DEFAULT_LIMITS,
    MAX_JSON_DEPTH,
    VALUE_SHARE,
    Limits,
    too_big,
)
from leadtriage.io.sheet_notes import (
    chart_sheets,
    repeat_merged,
    sheet_notes,
    show_padded,
    uses_1904_dates,
)

_HINT_JSON: Final = "JSON input must be an array of objects, one object per contact"
_HINT_NDJSON: Final = "NDJSON input must hold one JSON object per line"
# How calamine writes a date-time cell when asked for text.
_EXCEL_DATETIME_TEXT: Final = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"


@dataclass(frozen=True)
class Parsed:
    """A table as read: `header` holds one entry per column of `frame`, in order
    (None for a column without a name); `frame` holds text columns under any unique
    placeholder names."""

    header: Sequence[str | None]
    frame: pl.DataFrame
    warnings: list[str] = field(default_factory=list)
    # No header row in the file: `header` holds no names and every row is data.
    headerless: bool = False


# --- Excel -----------------------------------------------------------------------


def read_xlsx(
    source: Path | bytes, name: str, sheet: str | None, *, opendocument: bool = False
) -> Parsed:
    """The first sheet (or `sheet`): first row the header, every cell as text. The
    same reader reads an OpenDocument spreadsheet (`opendocument`: said in errors)."""
    try:
        with _quiet_fastexcel():
            workbook = fastexcel.read_excel(source)
    except fastexcel.FastExcelError:
        if opendocument:
            raise InputError(
                f"{name}: not a readable OpenDocument spreadsheet",
                hint="open it in LibreOffice and save it again, or save it as .xlsx or CSV",
            ) from None
        raise InputError(
            f"{name}: not a readable Excel workbook",
            hint="open it in Excel and save it again as .xlsx, or export it as CSV",
        ) from None
    if sheet is None:
        sheet_index, warnings = _default_sheet(workbook, name)
    else:
        sheet_index, warnings = _sheet_index(workbook.sheet_names, sheet, name), []
    try:
        with _quiet_fastexcel():
            text_sheet = workbook.load_sheet(
                sheet_index, header_row=None, dtypes="string", skip_whitespace_tail_rows=True
            )
            text, errors = _text_and_errors(text_sheet)
            if text.height == 0:
                _refuse_a_chart(source, name, workbook.sheet_names, sheet_index)
                raise InputError(
                    f"{name}: sheet {workbook.sheet_names[sheet_index]!r} is empty",
                    hint="the first row of the sheet must hold the column names",
                )
            first_rows = [list(row) for row in text.head(HEADER_SEARCH_LINES).iter_rows()]
            header_row: int | None = header_index([first_rows])
            if header_row == 0 and is_person(first_rows[0]):
                header_row = None
                warnings.append(headerless_warning(name, text.width))
            grouped = None
            if header_row:
                grouped = under_group_titles(first_rows[header_row - 1], first_rows[header_row])
                warnings.extend(above_header_warnings(name, header_row, grouped is not None))
            if errors:
                warnings.append(_errors_warning(name, errors, header_row))
            if header_row is None:
                header: list[str | None] = [None] * text.width
                data = text
            else:
                header = grouped or [None if v is None else str(v) for v in text.row(header_row)]
                data = text.slice(header_row + 1)
            # The typed pass counts columns from A, the text pass from the first used.
            absolute = [info.absolute_index for info in text_sheet.available_columns()]
            system = _MAC_1904 if uses_1904_dates(source) else _PC_1900
            data, dateless = _without_dateless_dates(data, system)
            if dateless:
                warnings.append(_dateless_warning(name, dateless, system))
            data = _dates_as_iso(workbook, sheet_index, data, header_row, absolute, system)
        data, notes = _with_sheet_notes(
            source, name, workbook.sheet_names[sheet_index], data, header_row, absolute
        )
        warnings.extend(notes)
    except fastexcel.FastExcelError:
        raise InputError(
            f"{name}: sheet {workbook.sheet_names[sheet_index]!r} could not be read",
            hint="open it in Excel and save it again as .xlsx, or export it as CSV",
        ) from None
    return Parsed(header, data, warnings, headerless=header_row is None)


def _refuse_a_chart(source: Path | bytes, name: str, sheets: list[str], index: int) -> None:
    """A chart sheet (a tab holding one chart) reads as no cells: said as what it is,
    not as an empty sheet. Only a sheet asked for by name gets here."""
    charts = chart_sheets(source)
    if sheets[index] not in charts:
        return
    tables = ", ".join(repr(sheet) for sheet in sheets if sheet not in charts)
    raise InputError(
        f"{name}: sheet {sheets[index]!r} is a chart, not a table",
        hint=f"the sheets of cells are {tables}: name one with --sheet"
        if tables
        else "the workbook holds only charts: export the list itself",
    )


# How calamine names an error cell's kind, and how Excel shows it.
_ERROR_KIND: Final = re.compile(r"\bError\((\w+)\)")
_ERROR_TEXT: Final = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}


@dataclass(frozen=True)
class _ErrorCell:
    row: int  # in the frame as read, header and all
    text: str


def _text_and_errors(sheet: fastexcel.ExcelSheet) -> tuple[pl.DataFrame, list[_ErrorCell]]:
    """Every cell as text, error cells as Excel shows them (``#N/A``): the reader
    hands them over as null, and a ``#VALUE!`` email read as blank passed as a row
    without an email, with no reason given."""
    batch, errors = sheet.to_arrow_with_errors()
    text = pl.from_arrow(batch)
    assert isinstance(text, pl.DataFrame)
    by_column: dict[int, tuple[list[int], list[str]]] = {}
    cells = []
    for error in errors.errors if errors is not None else []:
        kind = _ERROR_KIND.search(error.detail)
        shown = _ERROR_TEXT.get(kind.group(1)) if kind else None
        if shown is None:
            continue
        row, column = error.position
        rows, texts = by_column.setdefault(column, ([], []))
        rows.append(row)
        texts.append(shown)
        cells.append(_ErrorCell(row, shown))
    replaced = []
    for column, (rows, texts) in by_column.items():
        values = text.to_series(column).clone()
        values.scatter(rows, texts)
        replaced.append(values)
    return (text.with_columns(replaced) if replaced else text), cells


def _errors_warning(name: str, errors: Sequence[_ErrorCell], header_row: int | None) -> str:
    kinds = ", ".join(dict.fromkeys(e.text for e in errors))
    first_data = 0 if header_row is None else header_row + 1
    rows = [e.row - first_data + 1 for e in errors if e.row >= first_data]
    where = _data_rows(rows)
    count = f"{len(errors)} cell holds" if len(errors) == 1 else f"{len(errors)} cells hold"
    return (
        f"{name}: {count} an Excel error ({kinds}){where}: kept as that text; "
        "correct the formulas in Excel to read their values"
    )


def _with_sheet_notes(
    source: Path | bytes,
    name: str,
    sheet: str,
    data: pl.DataFrame,
    header_row: int | None,
    columns: Sequence[int],
) -> tuple[pl.DataFrame, list[str]]:
    """What the sheet's XML says beyond its values (see sheet_notes): numbers shown
    zero-padded as shown, merged values repeated down the data rows they cover, and
    warnings."""
    notes = sheet_notes(source, sheet)
    warnings = []
    if notes.first_row is not None:
        first_data_row = notes.first_row + (0 if header_row is None else header_row + 1)
        data = show_padded(data, notes.padded, first_data_row, columns)
        data, merged = repeat_merged(data, notes.merges, first_data_row, columns)
        if merged:
            warnings.append(_merged_warning(name, merged))
    if notes.uncached_formulas:
        warnings.append(_uncached_warning(name, notes.uncached_formulas))
    return data, warnings


def _uncached_warning(name: str, count: int) -> str:
    cells, read = (
        ("1 formula cell has", "it reads")
        if count == 1
        else (
            f"{count} formula cells have",
            "they read",
        )
    )
    return (
        f"{name}: {cells} no saved result (the workbook was never opened and saved in "
        f"Excel): {read} as blank; open it in Excel and save it again"
    )


def _data_rows(rows: Sequence[int]) -> str:
    """`` in data rows 2, 3 ...`` for a warning (empty for none)."""
    distinct = sorted(set(rows))
    if not distinct:
        return ""
    shown = ", ".join(map(str, distinct[:_MAX_REFS_SHOWN]))
    more = " ..." if len(distinct) > _MAX_REFS_SHOWN else ""
    return f" in data row{'s' if len(distinct) > 1 else ''} {shown}{more}"


def _merged_warning(name: str, refs: Sequence[str]) -> str:
    shown = ", ".join(refs[:_MAX_REFS_SHOWN]) + (" ..." if len(refs) > _MAX_REFS_SHOWN else "")
    return (
        f"{name}: {len(refs)} merged cells in data rows ({shown}): their value was "
        "repeated on each row they cover"
    )


_MAX_REFS_SHOWN: Final = 5


def _default_sheet(workbook: fastexcel.ExcelReader, name: str) -> tuple[int, list[str]]:
    """The sheet read when none is named, and what to say about it: the first visible
    sheet that holds contacts (a header naming two known columns, or a person on its
    first line), else the first visible one with cells, else the first. A workbook
    often opens on a cover, notes or a hidden lookup table: read blindly, those pass
    for a list without contacts. Other sheets that hold contacts are named, never
    left out in silence."""
    if len(workbook.sheet_names) <= 1:
        return _sheet_index(workbook.sheet_names, None, name), []
    with_cells: list[int] = []
    with_contacts: list[int] = []
    hidden_contacts: list[int] = []
    for index in range(len(workbook.sheet_names)):
        try:
            with _quiet_fastexcel():
                head = workbook.load_sheet(
                    index, header_row=None, n_rows=HEADER_SEARCH_LINES, dtypes="string"
                )
                rows = [list(row) for row in head.to_polars().iter_rows()]
        except fastexcel.FastExcelError:
            continue  # unreadable: chosen only if nothing else is, and then it says so
        if not rows:
            continue
        holds_contacts = max(map(recognised, rows)) >= _MIN_CONTACT_COLUMNS or is_person(rows[0])
        if head.visible != "visible":
            hidden_contacts.extend([index] if holds_contacts else [])
            continue
        with_cells.append(index)
        with_contacts.extend([index] if holds_contacts else [])
    chosen = (with_contacts or with_cells or [0])[0]
    names = workbook.sheet_names
    warnings = []
    if chosen != 0:
        passed = ", ".join(repr(n) for n in names[:chosen])
        before = f"the sheets before it ({passed}) are" if chosen > 1 else f"{passed} before it is"
        warnings.append(
            f"{name}: read sheet {names[chosen]!r}; {before} hidden, empty or without "
            "contact columns (--sheet NAME reads another)"
        )
    others = [repr(names[i]) for i in with_contacts if i != chosen]
    if others:
        which = ", ".join(others)
        unread = (
            f"sheets {which} hold contacts too and were not read"
            if len(others) > 1
            else f"sheet {which} holds contacts too and was not read"
        )
        warnings.append(
            f"{name}: read sheet {names[chosen]!r} only; {unread} (--sheet NAME reads another)"
        )
    if chosen not in with_contacts and hidden_contacts:
        # A list kept on a hidden sheet behind a cover read as "0 rows", said nowhere.
        hidden = [names[i] for i in hidden_contacts]
        which = (
            f"hidden sheet {hidden[0]!r} does"
            if len(hidden) == 1
            else f"hidden sheets {', '.join(repr(n) for n in hidden)} do"
        )
        warnings.append(
            f"{name}: read sheet {names[chosen]!r}, which holds no contacts; {which} "
            f"(--sheet {shlex.quote(hidden[0])} reads it)"
        )
    return chosen, warnings


# Known column names a sheet's header must show to count as a contact list (one alone
# may be a cover's "Company: ..." line).
_MIN_CONTACT_COLUMNS: Final = 2


def _sheet_index(sheets: list[str], wanted: str | None, name: str) -> int:
    if not sheets:
        raise InputError(f"{name}: the workbook has no sheets", hint="export the list again")
    if wanted is None:
        return 0
    if wanted in sheets:
        return sheets.index(wanted)
    listed = ", ".join(repr(s) for s in sheets)
    raise UsageError(
        f"{name}: no sheet named {wanted!r}; the sheets are {listed}",
        hint="pass one of those names with --sheet",
    )


def _dates_as_iso(
    workbook: fastexcel.ExcelReader,
    sheet_index: int,
    data: pl.DataFrame,
    header_row: int | None,
    absolute: Sequence[int],
    system: _DateSystem,
) -> pl.DataFrame:
    """Date cells come through the text pass as ``2024-03-01 00:00:00``; a typed pass
    over just the columns that look like that tells real dates from text that happens
    to, so only real date cells are rewritten (``2024-03-01``, ``2024-03-01T13:05:07``).
    `absolute` holds each of `data`'s columns' index in the sheet (A is 0)."""
    candidates = [
        index
        for index, column in enumerate(data.columns)
        if data[column].str.contains(_EXCEL_DATETIME_TEXT).any()
    ]
    if not candidates:
        return data
    typed = workbook.load_sheet(
        sheet_index,
        header_row=header_row,
        use_columns=[absolute[index] for index in candidates],
        schema_sample_rows=None,
        skip_whitespace_tail_rows=True,
    ).to_polars()
    if typed.height != data.height:
        return data
    replacements = []
    for index, typed_column in zip(candidates, typed.columns, strict=True):
        values = typed[typed_column]
        if values.dtype not in (pl.Datetime, pl.Date):
            continue
        # Before the first day is Excel's zero or a time alone: blanked in the text already.
        values = typed.select(
            pl.when(pl.col(typed_column).cast(pl.Date) >= system.first_day).then(
                pl.col(typed_column)
            )
        ).to_series()
        text_column = data.columns[index]
        replacements.append(
            pl.coalesce(_iso_text(values).alias(text_column), pl.col(text_column)).alias(
                text_column
            )
        )
    return data.with_columns(replacements) if replacements else data


@dataclass(frozen=True)
class _DateSystem:
    """Where a workbook's dates start: a serial under 1 (Excel's zero date, a lookup's
    "not found", or a time of day alone) falls before `first_day`; Excel shows the
    zero as `zero_shown` and calamine writes it as `zero_read`."""

    first_day: dt.date
    zero_shown: str
    zero_read: str


_PC_1900: Final = _DateSystem(dt.date(1900, 1, 1), "00/01/1900", "1899-12-31")
# Mac Excel's 1904 system counts from 1904-01-01, which is its zero.
_MAC_1904: Final = _DateSystem(dt.date(1904, 1, 2), "01/01/1904", "1904-01-01")


def _without_dateless_dates(
    data: pl.DataFrame, system: _DateSystem
) -> tuple[pl.DataFrame, list[int]]:
    """`data` with its date cells that hold no date blanked, and their data rows
    (1-based, one per cell). Read as 1899-12-31 (1904-01-01 in the 1904 system), a
    zero opt-out date opted the person out and a time alone became a created date:
    blank says nothing, which is the conservative reading."""
    # calamine's date text sorts as the dates do.
    first_day = system.first_day.isoformat()
    dateless = [
        (pl.col(c).str.contains(_EXCEL_DATETIME_TEXT) & (pl.col(c) < first_day)).fill_null(False)
        for c in data.columns
    ]
    counts = data.select(pl.sum_horizontal(d.cast(pl.UInt32) for d in dateless)).to_series()
    if not counts.sum():
        return data, []
    rows = [row for row, n in enumerate(counts.to_list(), start=1) for _ in range(n)]
    blanked = data.with_columns(
        pl.when(~d).then(pl.col(c)).alias(c) for c, d in zip(data.columns, dateless, strict=True)
    )
    return blanked, rows


def _dateless_warning(name: str, rows: Sequence[int], system: _DateSystem) -> str:
    cells = "1 date cell holds" if len(rows) == 1 else f"{len(rows)} date cells hold"
    return (
        f"{name}: {cells} no date (Excel's zero date, shown as {system.zero_shown}, or a "
        f"time of day alone){_data_rows(rows)}: read as blank, not as {system.zero_read}"
    )


def _iso_text(values: pl.Series) -> pl.Series:
    if values.dtype == pl.Date:
        return values.dt.strftime("%Y-%m-%d")
    times = values.drop_nulls().dt.time()
    only_dates = bool((times == dt.time(0)).all()) if len(times) else True
    return values.dt.strftime("%Y-%m-%d" if only_dates else "%Y-%m-%dT%H:%M:%S")


# fastexcel logs a warning naming any all-blank column, and calamine, the reader
# under it, one for each sheet it does not read as cells ("'chartsheet' not a valid
# worksheet"): Python prints them on stderr, even with -q. What the user needs to
# know our messages say; nothing else of ours logs through these.
_LIBRARY_LOGGERS: Final = ("fastexcel", "calamine")


@contextmanager
def _quiet_fastexcel() -> Iterator[None]:
    """The workbook reader's logging and warnings silenced while it reads."""
    loggers = [logging.getLogger(name) for name in _LIBRARY_LOGGERS]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with catch_warnings():
            simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, previous, strict=True):
            logger.setLevel(level)


# --- JSON and NDJSON -------------------------------------------------------------


class _JsonNumber(str):
    """A JSON number kept as the text it was written as (1.10 stays 1.10)."""

    __slots__ = ()


def _loads(text: str) -> object:
    return json.loads(text, parse_int=_JsonNumber, parse_float=_JsonNumber)


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return str(value)
    return _to_json(value)


def _to_json(value: object) -> str:
    if isinstance(value, _JsonNumber):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        items = (f"{_to_json(str(key))}:{_to_json(item)}" for key, item in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_to_json(v) for v in value) + "]"
    # Values from Parquet (dates, decimals inside structs) have no JSON form of their own.
    return json.dumps(value, ensure_ascii=False, default=str)


def json_text(data: bytes, name: str) -> str:
    """JSON text is UTF-8 (RFC 8259); a BOM, or UTF-16 from old Windows tools, is
    tolerated."""
    for encoding, bom in (("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff"), ("utf-8-sig", b"")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    raise InputError(f"{name}: JSON that is not UTF-8 text", hint="save it as UTF-8")


def read_json(data: bytes, name: str) -> Parsed:
    text = json_text(data, name)
    if is_blank(text):
        raise blank_file(name)
    _check_depth(text, name)
    try:
        document = _loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name}:{exc.lineno}: not valid JSON ({exc.msg})", hint=_HINT_JSON
        ) from None
    if not isinstance(document, list):
        raise InputError(f"{name}: the JSON is not an array", hint=_HINT_JSON)
    for position, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            raise InputError(
                f"{name}: item {position} of the array is not an object", hint=_HINT_JSON
            )
    return _records_to_parsed(document)


def read_ndjson(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Parsed:
    _check_line_lengths(data, name, limits)
    # Split on LF only: str.splitlines would also split at U+2028, which JSON
    # strings may hold unescaped.
    lines = [
        (number, line)
        for number, line in enumerate(json_text(data, name).split("\n"), start=1)
        if line.strip()
    ]
    if json_depth(data) > MAX_JSON_DEPTH:
        for number, line in lines:
            _check_depth(line, f"{name}:{number}")
    try:
        # One parse of the whole file runs at C speed; per-line parsing only
        # locates a problem.
        records = _loads("[" + ",".join(line for _, line in lines) + "]")
    except json.JSONDecodeError:
        records = None
    if not isinstance(records, list) or len(records) != len(lines):
        records = [_ndjson_line(line, number, name) for number, line in lines]
    objects: list[dict[str, object]] = []
    for (number, _), record in zip(lines, records, strict=True):
        if not isinstance(record, dict):
            raise InputError(f"{name}:{number}: not a JSON object", hint=_HINT_NDJSON)
        objects.append(record)
    return _records_to_parsed(objects)


def _check_line_lengths(data: bytes, name: str, limits: Limits) -> None:
    lengths = [len(line) for line in data.split(b"\n")]
    longest = max(lengths)
    if longest > limits.max_value_size:
        number = lengths.index(longest) + 1
        raise too_big(
            f"{name}:{number}", "the line", longest, limits.max_value_size, scale=VALUE_SHARE
        )


# JSON strings (escapes included) hide brackets that do not nest.
_JSON_STRING: Final = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET: Final = re.compile(rb"[^\[\]{}]+")


def json_depth(text: str | bytes) -> int:
    """How deep arrays and objects nest, found without parsing (so without recursion):
    strings removed, then a running sum over the brackets, in numpy."""
    raw = text.encode() if isinstance(text, str) else text
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", raw))
    if not brackets:
        return 0
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


def _check_depth(text: str, name: str) -> None:
    """Refuse JSON nested too deep for a contact before the recursive parser sees it."""
    if json_depth(text) > MAX_JSON_DEPTH:
        raise InputError(
            f"{name}: nested deeper than {MAX_JSON_DEPTH} levels, not a list of contacts",
            hint="flatten the records (one object per contact, plain values)",
        )


def _ndjson_line(line: str, number: int, name: str) -> object:
    try:
        return _loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name}:{number}: not valid JSON ({exc.msg})", hint=_HINT_NDJSON
        ) from None


def _records_to_parsed(records: list[dict[str, object]]) -> Parsed:
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    header = list(keys)
    columns = {
        f"c{index}": [
            value if type(value) is str else _as_text(value)
            for value in (record.get(key) for record in records)
        ]
        for index, key in enumerate(header)
    }
    return Parsed(header, pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String)))


# --- Parquet ---------------------------------------------------------------------


def read_parquet(source: Path | bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Parsed:
    stated = _check_parquet_size(source, name, limits)
    names = [column for column, _ in stated]
    repeated = len(set(names)) < len(names)
    try:
        frame = _parquet_by_position(source) if repeated else pl.read_parquet(source)
    except (pl.exceptions.PolarsError, pa.ArrowException, OSError):
        raise InputError(
            f"{name}: not a readable Parquet file", hint="write it again, or export it as CSV"
        ) from None
    header = names if repeated else frame.columns
    types = dict(stated)
    text = frame.select(
        _parquet_column_text(frame[column], name, title, types.get(title)).alias(f"c{index}")
        for index, (column, title) in enumerate(zip(frame.columns, header, strict=True))
    )
    return Parsed(header, text)


def _parquet_by_position(source: Path | bytes) -> pl.DataFrame:
    """A file whose columns repeat a name (Polars refuses it) under the names ``c0``,
    ``c1`` ...; the header keeps its names and gets ``_2`` as a CSV's does."""
    table = pq.ParquetFile(pa.BufferReader(source) if isinstance(source, bytes) else source).read()
    frame = pl.from_arrow(table.rename_columns([f"c{i}" for i in range(table.num_columns)]))
    assert isinstance(frame, pl.DataFrame)  # a table gives a frame
    return frame


def _check_parquet_size(
    source: Path | bytes, name: str, limits: Limits
) -> list[tuple[str, pa.DataType]]:
    """What reading the file as text would take, from its footer alone: the data's
    stated size, and a string cell per value (a file of 100M nulls is tiny on disk).
    Returns the columns' names and types as the file states them."""
    try:
        metadata = pq.read_metadata(
            pa.BufferReader(source) if isinstance(source, bytes) else source
        )
        schema = metadata.schema.to_arrow_schema()
    except (pa.ArrowException, OSError):
        raise InputError(
            f"{name}: not a readable Parquet file", hint="write it again, or export it as CSV"
        ) from None
    stated = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    cells = metadata.num_rows * metadata.num_columns
    what = f"{metadata.num_rows:,} rows x {metadata.num_columns} columns read as text"
    limits.check_size(name, what, max(stated, cells * BYTES_PER_CELL))
    return [(column.name, column.type) for column in schema]


_HINT_PARQUET_COLUMN: Final = "write the column as text (UTF-8 strings), or leave it out"


def _parquet_column_text(
    values: pl.Series, name: str, column: str, stated: pa.DataType | None
) -> pl.Series:
    """`_parquet_text`, or an error naming the column and its type (a library's
    message would quote a value)."""
    try:
        return _parquet_text(values)
    except pl.exceptions.PolarsError:
        if values.dtype == pl.Binary:
            raise InputError(
                f"{name}: column {column!r} holds binary data, not text",
                hint=_HINT_PARQUET_COLUMN,
            ) from None
        raise InputError(
            f"{name}: column {column!r} of type {stated or values.dtype} cannot be read as text",
            hint=_HINT_PARQUET_COLUMN,
        ) from None


def _parquet_text(values: pl.Series) -> pl.Series:
    dtype = values.dtype
    if dtype == pl.String:
        return values
    if dtype == pl.Date:
        return values.dt.strftime("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        # A zoned value is written in its zone's wall time: without the offset it
        # would name another instant (the date stage keeps an offset it is given).
        zone = "%:z" if dtype.time_zone is not None else ""
        return values.dt.strftime(f"%Y-%m-%dT%H:%M:%S%.f{zone}")
    if dtype == pl.Duration:
        # Polars has no cast from a duration to text; ISO 8601 ("PT1M30S") is exact.
        return values.dt.to_string("iso")
    if dtype.is_nested() or dtype == pl.Object:
        return pl.Series(
            [None if v is None else _to_json(v) for v in values.to_list()], dtype=pl.String
        )
    if dtype == pl.Binary:
        return values.cast(pl.String)  # refused unless every value is UTF-8 text
    if dtype.is_float():
        return _float_text(values)
    return values.cast(pl.String)


# Past this a float's whole values have no Int64 to be written through.
_INT64_BOUND: Final = 2.0**63


def _float_text(values: pl.Series) -> pl.Series:
    """A whole float as its digits (1234.0 as ``1234``), as a workbook's number cell
    reads: pandas saves a spreadsheet's numbers as floats (an integer column with a
    blank too), and ``1234.0`` is a postcode no one typed. Anything else keeps its
    float text (``2134.5``, ``NaN``, ``1e+20``)."""
    whole = values.is_finite() & (values == values.floor()) & (values.abs() < _INT64_BOUND)
    digits = values.cast(pl.Int64, strict=False).cast(pl.String)
    return digits.zip_with(whole.fill_null(False), values.cast(pl.String))
