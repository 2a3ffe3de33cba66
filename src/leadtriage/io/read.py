"""Read one input (a file, or stdin given as ``-``) into a table of text columns.

Every value comes out as text, exactly as the file holds it (leading zeros, spaces
and all), with one exception: a blank cell (an empty string) becomes null, in every
format, so "no value" has one spelling. Rows are never dropped, reordered or
trimmed, except blank lines after the last row of a CSV file, which are an editor's
habit, not data. `source_file` and `source_row` (1-based data row) follow the data
columns.

CSV text takes the fast path, Polars' reader on the UTF-8 bytes (other encodings
are transcoded first). Long rows make Polars read again with room for the extra
fields, which are kept in added columns with a warning naming the physical line.
Python's csv module, the exact path, reads only what Polars cannot read faithfully:
stray quotes inside unquoted values, lone CRs, old Mac line ends.

Exports in a tool's own shape are recognised here (see `io.adapters`): a Zoom
report yields its attendee section, a zip (a Mailchimp audience export) one table
per CSV inside, and Mailchimp's unsubscribed and cleaned members are marked as
suppressions.
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import mmap
import os
import re
import select
import shlex
import stat
import sys
import zipfile
import zlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import zip_longest
from pathlib import Path
from typing import BinaryIO, Final

import polars as pl

from leadtriage.errors import InputError, UsageError
from leadtriage.frame import SOURCE_FILE, SOURCE_ROW, is_internal
from leadtriage.io import adapters
from leadtriage.io import encoding as enc
from leadtriage.io.blank import EMPTY_HINT, STDIN_EMPTY_HINT, blank_file, blank_stdin, is_blank
from leadtriage.io.formats import (
    Parsed,
    read_json,
    read_ndjson,
    read_parquet,
    read_xlsx,
)
from leadtriage.io.header import (
    HEADER_SEARCH_LINES,
    NOT_DATA,
    above_header_warnings,
    fields_by_content,
    header_index,
    headerless_warning,
    is_person,
    mark_footer,
    under_group_titles,
)
from leadtriage.io.limits import (
    DEFAULT_LIMITS,
    OPTION,
    VALUE_SHARE,
    Limits,
    format_size,
    too_big,
)
from leadtriage.io.lines import line_end
from leadtriage.io.own_outputs import OWN_OUTPUT, own_derived_columns
from leadtriage.io.safe_cells import neutralise
from leadtriage.io.sheet_extent import SheetExtent, ods_extents, sheet_extents
from leadtriage.io.sheet_xml import SHEET_MAX_ROWS

STDIN: Final = "-"
# Preference order when two delimiters explain the sample equally well.
DELIMITERS: Final[tuple[str, ...]] = (",", ";", "\t", "|")
_SNIFF_RECORDS: Final = 50
_MAX_RAGGED_WARNINGS: Final = 20
_RESERVED_SUFFIX: Final = " (input)"
_INTERNAL_LOOKALIKE: Final = "input "
# How Polars says a row has more fields than the header; it then reads again wider.
_TOO_MANY_FIELDS: Final = "more fields than defined"
_MAX_FIELDS: Final = 4096
_LONE_CR: Final = re.compile(r"\r(?!\n)")
# Excel writes, and honours, a first line naming the delimiter.
_SEPARATOR_HINT: Final = re.compile(r"sep=([,;\t|])(?:\r\n|\n|\r)")
# Enough of the file's end to count the blank lines after the last row.
_TAIL_BYTES: Final = 4096
# How long a named pipe may stay without a writer before it is refused.
PIPE_WAIT_SECONDS: Final = 10.0
_HINT_TEXT: Final = "save it as CSV (UTF-8) or .xlsx and try again"


@dataclass(frozen=True)
class Table:
    """One input read as text.

    `frame` holds every column as String under its cleaned header name, then
    `source_file` (the name as given) and `source_row` (Int64, 1-based data row).
    `warnings` are one line each, naming file and line, never contact data.
    `suppression` marks rows that are not leads but addresses to suppress
    (Mailchimp's unsubscribed and cleaned members). `adapter` names the tool whose
    export was recognised (``zoom``, ``mailchimp``, ``eventbrite`` ...). `header` is
    the header as the file spells it (before names were made unique);
    `extra_columns` are the columns added for the values of rows longer than it.
    """

    frame: pl.DataFrame
    source: str
    format: str
    encoding: str | None
    delimiter: str | None
    warnings: tuple[str, ...]
    suppression: bool = False
    adapter: str | None = None
    header: tuple[str, ...] = ()
    extra_columns: tuple[str, ...] = ()
    # A file without a header row: canonical field -> column, judged by content.
    fields_by_content: dict[str, str] = field(default_factory=dict)

    @property
    def data_columns(self) -> list[str]:
        return [c for c in self.frame.columns if c not in (SOURCE_FILE, SOURCE_ROW, NOT_DATA)]


@dataclass(frozen=True)
class _Read:
    """What a reader returns: the table, its text encoding and delimiter (None where
    they do not apply), the header's width as written, and the adapter it took."""

    parsed: Parsed
    encoding: str | None
    delimiter: str | None
    width: int | None = None
    adapter: str | None = None


def read_table(
    source: str,
    *,
    sheet: str | None = None,
    input_format: str | None = None,
    stdin: BinaryIO | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """Read `source` (a path, or ``-`` for stdin) as a table of text.

    The format is `input_format`, else the file extension, else sniffed from the
    content. Blank cells become null; all other text is kept byte for byte.
    Raises UsageError for a missing file or a directory, InputError for content
    that cannot be read as a table, or for a zip holding more than one table (read
    it with `read_tables`, which keeps its suppressions apart), or for an input
    over `limits` (checked before reading it).
    """
    tables = read_tables(source, sheet=sheet, input_format=input_format, stdin=stdin, limits=limits)
    if len(tables) > 1:
        raise InputError(
            f"{source}: the archive holds {len(tables)} tables",
            hint="unzip it and name its files; from Python, read_tables() reads them all",
        )
    return tables[0]


def read_tables(
    source: str,
    *,
    sheet: str | None = None,
    input_format: str | None = None,
    stdin: BinaryIO | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Table]:
    """Read `source` as one table, or a zip (a Mailchimp audience export) as one
    table per CSV inside it, each named ``<zip>:<member>``.

    Rows of Mailchimp's unsubscribed and cleaned member files come back in tables
    with `suppression` set. Errors as for `read_table`.
    """
    data = _open(source, stdin, limits)
    chosen = _choose_format(data, input_format)
    if chosen.parse is None:
        return _read_zip(data)
    return [_read_one(data, chosen, sheet)]


def _read_one(data: _Input, chosen: InputFormat, sheet: str | None) -> Table:
    assert chosen.parse is not None
    try:
        read = chosen.parse(data, sheet)
        frame = _finish(read.parsed, data.name)
    except (pl.exceptions.PolarsError, csv.Error, ValueError, OSError):
        # Our readers turn every failure they expect into an InputError; this is the
        # net under them. The library's message may quote cell text, so it is dropped.
        raise InputError(
            f"{data.name}: could not be read as {chosen.name}", hint=_HINT_TEXT
        ) from None
    _check_values(frame, data.name, data.limits)
    header = tuple(str(h or "") for h in read.parsed.header)
    width = min(read.width or len(header), len(header))
    names = frame.columns[: len(header)]
    if chosen.has_footer:
        frame = mark_footer(frame, names)
    warnings = list(read.parsed.warnings)
    named_as = _BY_EXTENSION.get(Path(data.name).suffix.lower(), chosen)
    if named_as.magic is not None and chosen.magic is None:
        warnings.insert(0, f"{data.name}: not {named_as.hint} but {chosen.name} text; read as such")
    adapter = read.adapter or adapters.recognise_export(names)
    derived = own_derived_columns(names)
    if derived:
        # One of our own outputs cleaned again: what the last run derived is made anew.
        frame, names, header, width = _dropped(frame, names, header, width, derived)
        adapter = OWN_OUTPUT
    spacers = [] if read.parsed.headerless else _spacer_columns(frame, header[:width], names)
    if spacers:
        # A column with neither a name nor a value (a spacer, a stray far cell's
        # stretch) carries nothing to any output.
        frame, names, header, width = _dropped(frame, names, header, width, spacers)
    status = adapters.mailchimp_status(data.name, names) if chosen is CSV else None
    if status is not None:
        adapter = adapters.MAILCHIMP
        note = adapters.mailchimp_warning(data.name, status, frame.height)
        warnings.extend([note] if note else [])
    return Table(
        frame=frame,
        source=data.name,
        format=chosen.name,
        encoding=read.encoding,
        delimiter=read.delimiter,
        warnings=tuple(warnings),
        suppression=status in adapters.MAILCHIMP_SUPPRESSED,
        adapter=adapter,
        header=header[:width],
        extra_columns=tuple(names[width:]),
        fields_by_content=fields_by_content(frame, names) if read.parsed.headerless else {},
    )


def _dropped(
    frame: pl.DataFrame,
    names: Sequence[str],
    header: tuple[str, ...],
    width: int,
    dropped: Collection[str],
) -> tuple[pl.DataFrame, list[str], tuple[str, ...], int]:
    """`frame` without the columns `dropped`, and its names, header and header width
    kept in step."""
    kept = [i for i, name in enumerate(names) if name not in dropped]
    header = tuple(header[i] for i in kept if i < len(header))
    return frame.drop(dropped), [names[i] for i in kept], header, min(width, len(header))


def _spacer_columns(frame: pl.DataFrame, header: Sequence[str], names: Sequence[str]) -> list[str]:
    """The columns without a header whose every value is blank."""
    unnamed = [name for title, name in zip(header, names, strict=False) if not title.strip()]
    if not unnamed:
        return []
    filled = frame.select(
        (pl.col(name).str.strip_chars().str.len_chars() > 0).any().alias(name) for name in unnamed
    ).row(0)
    return [name for name, any_value in zip(unnamed, filled, strict=True) if not any_value]


def _read_zip(data: _Input) -> list[Table]:
    """One table per table file in the archive (CSV, workbook, JSON, Parquet), each
    read like a file of its own."""
    tables = []
    try:
        with zipfile.ZipFile(data.path or io.BytesIO(data.read_all())) as archive:
            kind = _opendocument_kind(archive)
            if kind == _ODS_KIND:  # named a zip with --input-format
                return [_read_one(data, ODS, None)]
            if kind is not None:
                raise InputError(
                    f"{data.name}: {kind}, which is not read",
                    hint="open it in LibreOffice or Excel and save it as .xlsx or CSV",
                )
            members = _table_members(archive)
            unread = adapters.unread_spreadsheets(archive.namelist())
            named = ", ".join(repr(n) for n in unread)
            if not members and unread:
                raise InputError(
                    f"{data.name}: the zip archive holds only spreadsheets that are not "
                    f"read: {named}",
                    hint="open them in Excel or LibreOffice, save them as .xlsx or CSV "
                    "and name those files",
                )
            if not members:
                raise InputError(
                    f"{data.name}: the zip archive holds no CSV, Excel, JSON or Parquet file",
                    hint="unzip it and name the table files inside",
                )
            _check_archive(data, members, "the archive's tables")
            # One member in memory at a time.
            for member, info in members:
                name = f"{data.name}:{member}"
                content = _member_bytes(archive, info, name)
                if not content:
                    raise InputError(f"{name}: the file is empty (0 bytes)", hint="export it again")
                inner = _Input(name=name, path=None, data=content, limits=data.limits)
                member_format = _BY_EXTENSION.get(Path(info.filename).suffix.lower(), CSV)
                tables.append(_read_one(inner, member_format, None))
            if unread:
                # Said once, with the first table read, so it reaches the summary.
                note = (
                    f"{data.name}: skipped {named}: .xls, .xlsb, .fods and .numbers files "
                    "are not read; save them as .xlsx or CSV and name them to include them"
                )
                tables[0] = replace(tables[0], warnings=(note, *tables[0].warnings))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise InputError(
            f"{data.name}: not a readable zip archive", hint="download the export again"
        ) from None
    return tables


_OPENDOCUMENT: Final = b"application/vnd.oasis.opendocument."
_ODS_KIND: Final = "an OpenDocument spreadsheet (.ods)"


def _opendocument_kind(archive: zipfile.ZipFile) -> str | None:
    """What an OpenDocument file is (LibreOffice's, or Google Sheets' .ods download):
    a zip whose ``mimetype`` member names its kind; None for any other zip."""
    try:
        info = archive.getinfo("mimetype")
    except KeyError:
        return None
    if info.file_size > 256:
        return None
    mimetype = archive.read(info)
    if not mimetype.startswith(_OPENDOCUMENT):
        return None
    if mimetype.removeprefix(_OPENDOCUMENT).startswith(b"spreadsheet"):
        return _ODS_KIND
    return "an OpenDocument document, not a table"


def _table_members(archive: zipfile.ZipFile) -> list[tuple[str, zipfile.ZipInfo]]:
    """The table members by name, each entry its own, so two members of one name
    (an archive appended to) are both read: the second as ``<name>#2``."""
    wanted = set(adapters.table_members(archive.namelist()))
    infos = sorted((i for i in archive.infolist() if i.filename in wanted), key=_member_name)
    seen: dict[str, int] = {}
    members = []
    for info in infos:
        seen[info.filename] = seen.get(info.filename, 0) + 1
        copy = seen[info.filename]
        members.append((info.filename if copy == 1 else f"{info.filename}#{copy}", info))
    return members


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """A member's bytes; a password-protected or damaged member is the user's to fix."""
    if info.flag_bits & _ENCRYPTED:
        raise InputError(
            f"{name}: the file is password-protected in the zip archive",
            hint="unzip it with its password and name the table file inside",
        )
    try:
        return archive.read(info)
    except (zlib.error, RuntimeError, NotImplementedError) as error:
        raise InputError(
            f"{name}: the zip archive's data is damaged ({error})",
            hint="download the export again",
        ) from None


# The general purpose flag bit of an encrypted zip member.
_ENCRYPTED: Final = 0x1


def _member_name(info: zipfile.ZipInfo) -> str:
    return info.filename


def _check_archive(data: _Input, members: Sequence[tuple[str, zipfile.ZipInfo]], what: str) -> None:
    """Refuse an archive by the sizes its central directory states, before any member
    is inflated (zipfile never inflates a member past its stated size)."""
    for member, info in members:
        data.limits.check_size(data.name, f"{member} uncompressed", info.file_size)
        data.limits.check_expansion(data.name, member, info.file_size, info.compress_size)
    total = sum(info.file_size for _, info in members)
    data.limits.check_size(data.name, f"{what} uncompressed", total)


def _check_workbook(
    data: _Input, extents_of: Callable[[zipfile.ZipFile], list[SheetExtent]] = sheet_extents
) -> None:
    """The parts of an xlsx or ods (shared strings, sheets, content) are bounded like
    a zip's members, and its sheets by the cells they span (see sheet_extent)."""
    try:
        with zipfile.ZipFile(data.path or io.BytesIO(data.read_all())) as archive:
            parts = [(info.filename, info) for info in archive.infolist()]
            _check_archive(data, parts, "the workbook's parts")
            extents = extents_of(archive)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return  # not a zip: the workbook reader says what is wrong with it
    limit = data.limits.max_sheet_cells
    for extent in extents:
        if extent.cells > limit:
            raise InputError(
                f"{data.name}: sheet {extent.name!r} spans {extent.range} "
                f"({extent.cells:,} cells, over the limit of {limit:,}): a cell far "
                "outside the list, even a blank or formatted one, stretches it",
                hint="in Excel or LibreOffice, Ctrl+End goes to the last cell: delete "
                "the rows and columns past the list and save, or export the sheet as CSV",
            )
        if extent.rows > SHEET_MAX_ROWS:
            # The workbook reader stops at a spreadsheet's last row: the rest would be
            # lost without a word.
            raise InputError(
                f"{data.name}: sheet {extent.name!r} reaches row {extent.rows:,}, past a "
                f"spreadsheet's last row ({SHEET_MAX_ROWS:,}); the rows below it "
                "cannot be read",
                hint="export the sheet as CSV, or split it into sheets of fewer rows",
            )


def _check_values(frame: pl.DataFrame, name: str, limits: Limits) -> None:
    """Refuse a value over the value limit (whatever format it came in), naming its
    data row: the longest value per column, in Polars; the row only when refused."""
    columns = [c for c in frame.columns if c not in (SOURCE_FILE, SOURCE_ROW)]
    if not columns or frame.height == 0:
        return
    longest = frame.select(pl.max_horizontal(pl.col(columns).str.len_bytes().max())).item()
    if longest is None or longest <= limits.max_value_size:
        return
    row = frame.select(pl.max_horizontal(pl.col(columns).str.len_bytes()).arg_max()).item()
    raise too_big(
        name, f"data row {row + 1}: a value", longest, limits.max_value_size, scale=VALUE_SHARE
    )


def clean_headers(header: Sequence[str | None]) -> list[str]:
    """Usable, unique column names: BOM and surrounding whitespace stripped, a blank
    name becomes ``column_<n>`` (its 1-based position), a repeated name gets
    ``_2``, ``_3`` ..., and a name the reader adds itself or Polars would read as a
    pattern gets `` (input)``.

    Names are unique also as a people-facing file writes them (formula-safe), so
    ``=x`` and ``'=x`` in one header do not become one column there."""
    stripped = [(name or "").replace("\ufeff", "").strip() for name in header]
    wanted = [name or f"column_{position}" for position, name in enumerate(stripped, start=1)]
    wanted = [f"{name}{_RESERVED_SUFFIX}" if _is_reserved(name) else name for name in wanted]
    # The tool's working columns start raw., flag. and meta. and never reach an output.
    wanted = [f"{_INTERNAL_LOOKALIKE}{name}" if is_internal(name) else name for name in wanted]
    explicit = {neutralise(name) for name in wanted}
    taken: set[str] = set()
    names: list[str] = []
    for name in wanted:
        unique = name
        copy = 2
        while neutralise(unique) in taken or (unique != name and neutralise(unique) in explicit):
            unique = f"{name}_{copy}"
            copy += 1
        taken.add(neutralise(unique))
        names.append(unique)
    return names


def _is_reserved(name: str) -> bool:
    """A name the reader adds itself, or one Polars reads as a pattern rather than a
    column (``pl.col("*")`` is every column, ``^...$`` a regex)."""
    return name in (SOURCE_FILE, SOURCE_ROW, "*") or (name.startswith("^") and name.endswith("$"))


# --- the input -------------------------------------------------------------------


@dataclass(frozen=True)
class _Input:
    """A file on disk (read lazily, so Polars can map it) or stdin's bytes."""

    name: str
    path: Path | None
    data: bytes | None
    limits: Limits = DEFAULT_LIMITS

    def head(self, size: int) -> bytes:
        if self.data is not None:
            return self.data[:size]
        assert self.path is not None
        with self.path.open("rb") as handle:
            return handle.read(size)

    def tail(self, size: int) -> bytes:
        if self.data is not None:
            return self.data[-size:]
        assert self.path is not None
        with self.path.open("rb") as handle:
            handle.seek(max(0, self.size - size))
            return handle.read()

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def read_all(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


# What makes a name a pattern (glob's own test of "magic").
_PATTERN: Final = re.compile(r"[*?\[]")


def expand_patterns(sources: Sequence[str]) -> list[str]:
    """The sources with each pattern no file is named after ('exports/*.csv', handed
    over unexpanded by a script's subprocess call or a Windows shell) replaced by the
    files it matches, in name order as a shell gives them."""
    expanded: list[str] = []
    for source in sources:
        if source == STDIN or not _PATTERN.search(source) or Path(source).exists():
            expanded.append(source)
            continue
        matches = sorted(p for p in glob.glob(source) if Path(p).is_file())
        if not matches:
            raise UsageError(
                f"{source}: no file matches this pattern",
                hint="check the folder and the pattern; a name holding * ? [ is read as one",
            )
        expanded.extend(matches)
    return expanded


def _open(source: str, stdin: BinaryIO | None, limits: Limits) -> _Input:
    if source == STDIN:
        if stdin is None and sys.stdin is None:
            # Closed when Python started (`<&-`): nothing to read, and no object to ask.
            raise InputError(
                "standard input is closed", hint="pipe a file into it, or name the file"
            )
        try:
            data = _read_bounded(stdin or sys.stdin.buffer, "standard input", limits)
        except OSError:
            raise InputError("standard input could not be read", hint=_HINT_TEXT) from None
        if not data:
            raise InputError("standard input is empty (0 bytes)", hint=STDIN_EMPTY_HINT)
        return _Input(name=source, path=None, data=data, limits=limits)
    if not source:
        # Path("") is the current folder: said so, it points nowhere near the cause.
        raise UsageError(
            "'': an empty file name",
            hint="a shell variable meant to name the file may be unset or empty",
        )
    path = Path(source)
    if path.is_dir():
        raise UsageError(
            f"{source}: is a directory, not a file",
            # Quoted as a shell needs it ("my exports/*.csv" would be two words).
            hint=f"name the files inside it, e.g. {shlex.quote(source.rstrip('/'))}/*.csv",
        )
    if not path.exists():
        if path.is_symlink():
            raise UsageError(
                f"{source}: a symbolic link to nothing (its target is missing or loops)",
                hint="name the file the link should point to",
            )
        raise UsageError(f"{source}: no such file", hint="check the path and the spelling")
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return _open_stream(source, path, limits)
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError:
        raise InputError(
            f"{source}: cannot be opened for reading", hint="check the file's permissions"
        ) from None
    if size == 0:
        raise InputError(
            f"{source}: the file is empty (0 bytes)",
            hint=EMPTY_HINT,
        )
    limits.check_size(source, "the file", size)
    return _Input(name=source, path=path, data=None, limits=limits)


def _read_bounded(stream: BinaryIO, name: str, limits: Limits) -> bytes:
    """All of a stream, refused once it passes the limit (read one byte past it to
    know), never held beyond that."""
    data = stream.read(limits.max_input_size + 1)
    limits.check_size(name, "the input", len(data))
    return data


def _open_stream(source: str, path: Path, limits: Limits) -> _Input:
    """A named pipe (``<(zcat x.gz)``, mkfifo) or device, read once as a stream.

    Opened without blocking, then given a while for a writer to show up, so a pipe
    nobody writes to is refused instead of waited on forever."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        poller = select.poll()
        poller.register(descriptor, select.POLLIN)
        if not poller.poll(PIPE_WAIT_SECONDS * 1000):
            raise InputError(
                f"{source}: nothing was written to the pipe within {PIPE_WAIT_SECONDS:g} s",
                hint="start the program writing to the pipe first, or save the export to a file",
            )
        os.set_blocking(descriptor, True)
        data = _read_bounded(handle, source, limits)
    if not data:
        raise InputError(
            f"{source}: the file is empty (0 bytes)",
            hint=EMPTY_HINT,
        )
    return _Input(name=source, path=None, data=data, limits=limits)


def _choose_format(data: _Input, input_format: str | None) -> InputFormat:
    if input_format is not None:
        wanted = input_format.strip().lower().lstrip(".")
        if wanted not in _BY_NAME:
            raise UsageError(
                f"--input-format: unknown input format {input_format!r}",
                hint=f"use one of: {', '.join(FORMATS)}",
            )
        return _BY_NAME[wanted]
    # A workbook saved as "report.csv" is still a workbook: binary formats are
    # known by their first bytes whatever the name says.
    head = data.head(8)
    if head.startswith(_OLE_MAGIC):
        raise _ole_error(data)
    by_magic = next((f for f in INPUT_FORMATS if f.magic and f.magic(data, head)), None)
    if by_magic is not None:
        return by_magic
    suffix = Path(data.name).suffix if data.name != STDIN else ""
    if suffix:
        by_extension = _BY_EXTENSION.get(suffix.lower())
        if by_extension is None:
            raise UsageError(
                f"{data.name}: unknown file type {suffix!r}",
                hint=f"inputs are {' '.join(_BY_EXTENSION)}; "
                "if it is one of these, say so with --input-format",
            )
        if by_extension is CSV and _is_json_text(data):
            # An API's JSON saved as "leads.csv" read as CSV gave no rows at all.
            return _sniff_text_format(data)
        if by_extension.magic is None:
            return by_extension
        # Named as a binary format without its first bytes: text some tool saved
        # under that name (a CSV named .xlsx).
    return _sniff_text_format(data)


_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
# Excel saves a workbook with a password as an OLE file whose package is one encrypted
# stream; a directory entry is a 64-byte UTF-16 name, then the name's byte length,
# 128-byte aligned in the file.
_ENCRYPTED_STREAM: Final = "EncryptedPackage\0".encode("utf-16-le")
_DIRECTORY_ENTRY: Final = 128
_NAME_FIELD: Final = 64


def _ole_error(data: _Input) -> InputError:
    """What an OLE file is, for its refusal: a workbook with a password, else an old
    .xls (or another Office document)."""
    if _is_encrypted_package(data):
        return InputError(
            f"{data.name}: a password-protected Excel workbook: it is encrypted and cannot be read",
            hint="open it in Excel, remove the password (File > Info > Protect Workbook) "
            "and save it, or save a copy as CSV",
        )
    return InputError(
        f"{data.name}: an old-style Excel (.xls) or other OLE document",
        hint="open it in Excel and save it as .xlsx or CSV",
    )


def _is_encrypted_package(data: _Input) -> bool:
    if data.data is not None:
        return _holds_encrypted_stream(data.data)
    assert data.path is not None
    with (
        data.path.open("rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view,
    ):
        return _holds_encrypted_stream(view)


def _holds_encrypted_stream(content: bytes | mmap.mmap) -> bool:
    length = len(_ENCRYPTED_STREAM).to_bytes(2, "little")
    found = content.find(_ENCRYPTED_STREAM)
    while found >= 0:
        field = content[found + _NAME_FIELD : found + _NAME_FIELD + 2]
        if found % _DIRECTORY_ENTRY == 0 and field == length:
            return True
        found = content.find(_ENCRYPTED_STREAM, found + 1)
    return False


def _is_workbook(data: _Input) -> bool:
    try:
        with zipfile.ZipFile(data.path or io.BytesIO(data.read_all())) as archive:
            return adapters.is_workbook_zip(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        # Not a readable zip: the reader its name points to says what is wrong.
        return Path(data.name).suffix.lower() != ".zip"


# An array of objects, or an object a line: JSON whatever the file is called. A CSV
# header never starts so (`[Email],Name` does not).
_JSON_START: Final = re.compile(r'^\ufeff?\s*(?:\[\s*\{|\{\s*")')


def _is_json_text(data: _Input) -> bool:
    return _JSON_START.match(data.head(256).decode("utf-8", errors="ignore")) is not None


def _sniff_text_format(data: _Input) -> InputFormat:
    head = data.head(enc.SAMPLE_BYTES)
    text, _ = _sample_text(data, head)
    first = text.lstrip("\ufeff \t\r\n")[:1]
    return next((f for f in INPUT_FORMATS if f.text_start and f.text_start == first), CSV)


# --- CSV -------------------------------------------------------------------------


_MARKUP: Final = re.compile(r"\s*<(\?xml|!doctype\s+html|html|head|body|table)\b", re.IGNORECASE)


def _sample_text(data: _Input, head: bytes) -> tuple[str, str]:
    """The decoded start of a text file and its encoding; InputError when not text."""
    complete = data.size <= len(head)
    try:
        encoding = enc.detect_encoding(head, complete=complete)
        try:
            text = head.decode(encoding, errors="strict" if complete else "ignore")
        except UnicodeDecodeError:
            if not encoding.startswith("utf-8"):
                raise
            # A UTF-8 mark before another encoding's bytes (an export re-saved by a
            # tool that adds the mark): read as a larger file of mixed lines is.
            text = head.decode(encoding, errors="ignore")
        enc.check_is_text(text)
    except (enc.NotTextError, UnicodeDecodeError, LookupError):
        raise InputError(
            f"{data.name}: not a text table (binary or unknown content)", hint=_HINT_TEXT
        ) from None
    # A PDF starts in plain ASCII and would be read as rows of its own source.
    if text.lstrip("\ufeff").startswith("%PDF-"):
        raise InputError(f"{data.name}: a PDF document, not a table", hint=_HINT_TEXT)
    # So would markup: an HTML or XML table "saved as Excel" by a web app, or the login
    # or error page a download returned instead of the export.
    markup = _MARKUP.match(text.lstrip("\ufeff"))
    if markup is not None:
        kind = "an XML document" if markup.group(1).startswith("?") else "an HTML page"
        raise InputError(
            f"{data.name}: {kind}, not a table",
            hint="if it opens as a table in Excel, save it from there as .xlsx or CSV; "
            "a download can return a login or error page instead of the export",
        )
    return text, encoding


def _read_csv(data: _Input) -> _Read:
    head = data.head(enc.SAMPLE_BYTES)
    sample, encoding = _sample_text(data, head)
    unmarked = _without_end_of_file_mark(data, encoding)
    if unmarked is not data:
        data, head = unmarked, unmarked.head(enc.SAMPLE_BYTES)
        sample, encoding = _sample_text(data, head)
    if _is_blank(data, head, sample, encoding):
        raise blank_stdin() if data.name == STDIN else blank_file(data.name)
    if adapters.looks_like_zoom_report(sample):
        return _read_zoom_report(data, encoding)
    if _SEPARATOR_HINT.match(sample) is None:
        lines = sample.split(line_end(sample))[:HEADER_SEARCH_LINES]
        first = header_index([[_first_record(line, d) for line in lines] for d in DELIMITERS])
        if first > 0:
            return _read_after_preamble(data, encoding, first)
        delimiter = sniff_delimiter(sample, complete=data.size <= enc.SAMPLE_BYTES)
        if is_person(_first_record(sample, delimiter)):
            return _read_headerless(data, encoding, delimiter, sample)
    return _read_csv_text(data, encoding, sample)


# DOS ended a text file with Ctrl-Z, and old tools (copy /a, FoxPro, some POS and
# badge-scanner exports) still write it: read, it becomes a last row of one value.
_END_OF_FILE_MARK: Final = re.compile(rb"\x1a[\r\n]*\Z")


def _without_end_of_file_mark(data: _Input, encoding: str) -> _Input:
    """`data` without one Ctrl-Z (and the line ends after it) at its very end; `data`
    itself when it has none. In UTF-16 and UTF-32 a 0x1A byte is part of a character."""
    if encoding.startswith(("utf-16", "utf-32")):
        return data
    mark = _END_OF_FILE_MARK.search(data.tail(_TAIL_BYTES))
    if mark is None:
        return data
    kept = data.size - (mark.end() - mark.start())
    return _Input(name=data.name, path=None, data=data.head(kept), limits=data.limits)


def _is_blank(data: _Input, head: bytes, sample: str, encoding: str) -> bool:
    """Only blanks; the whole file is decoded only when its start is blank."""
    if not is_blank(sample):
        return False
    return data.size <= len(head) or is_blank(_decode(data.read_all(), encoding, data.name)[0])


def _read_after_preamble(data: _Input, encoding: str, header_line: int) -> _Read:
    """A CSV whose header is on line `header_line` + 1: the lines above it are
    read as empty, so line numbers in warnings still count from the file's top."""
    text, encoding, notes = _decode(data.read_all(), encoding, data.name)
    end = line_end(text)
    lines = text.split(end)
    utf8 = (end * header_line + end.join(lines[header_line:])).encode("utf-8")
    inner = _Input(name=data.name, path=None, data=utf8, limits=data.limits)
    sample = utf8[: enc.SAMPLE_BYTES].decode("utf-8", errors="ignore")
    read = _read_csv_text(inner, "utf-8", sample, preamble=header_line)
    titles = _first_record(lines[header_line - 1], read.delimiter or ",")
    grouped = under_group_titles(titles, read.parsed.header)
    above = above_header_warnings(data.name, header_line, grouped is not None)
    read.parsed.warnings[:0] = [*above, *notes]
    parsed = read.parsed if grouped is None else replace(read.parsed, header=grouped)
    return _Read(parsed, encoding, read.delimiter, read.width)


def _read_headerless(data: _Input, encoding: str, delimiter: str, sample: str) -> _Read:
    """A CSV whose first line is a person: read under a header of neutral names
    (``column_<n>``) put above it, so that line is data row 1."""
    width = max(len(r) for r in _records(sample, delimiter, complete=True))
    text, encoding, notes = _decode(data.read_all(), encoding, data.name)
    names = delimiter.join(f"column_{i}" for i in range(1, width + 1))
    utf8 = f"{names}{line_end(text)}{text}".encode()
    inner = _Input(name=data.name, path=None, data=utf8, limits=data.limits)
    sample = utf8[: enc.SAMPLE_BYTES].decode("utf-8", errors="ignore")
    read = _read_csv_text(inner, "utf-8", sample, added=1)
    parsed = Parsed(
        [None] * len(read.parsed.header),
        read.parsed.frame,
        [headerless_warning(data.name, width), *notes, *read.parsed.warnings],
        headerless=True,
    )
    return _Read(parsed, encoding, read.delimiter, read.width)


def _read_zoom_report(data: _Input, encoding: str) -> _Read:
    """The attendee (else registrant) section of a Zoom report, read as a CSV whose
    lines before the section's header are blank, so warnings keep the file's lines."""
    text, encoding, notes = _decode(data.read_all(), encoding, data.name)
    section = adapters.find_zoom_section(text, data.name)
    utf8 = adapters.zoom_section_text(text, section).encode("utf-8")
    inner = _Input(name=data.name, path=None, data=utf8, limits=data.limits)
    sample = utf8[: enc.SAMPLE_BYTES].decode("utf-8", errors="ignore")
    read = _read_csv_text(inner, "utf-8", sample, preamble=section.header_line)
    read.parsed.warnings[:0] = [section.warning, *notes]
    return _Read(read.parsed, encoding, read.delimiter, read.width, adapters.ZOOM)


def _read_csv_text(
    data: _Input, encoding: str, sample: str, preamble: int = 0, added: int = 0
) -> _Read:
    """A CSV file whose first `preamble` lines are empty and not part of the table;
    its first `added` lines are the reader's own (a header put above a headerless
    file), so line numbers count them out."""
    sample = sample[preamble:]
    hint = _SEPARATOR_HINT.match(sample)
    skip = preamble + (1 if hint else 0)
    if hint:
        delimiter, sample = hint.group(1), sample[hint.end() :]
    else:
        delimiter = sniff_delimiter(sample, complete=data.size <= enc.SAMPLE_BYTES)
    header = _first_record(sample, delimiter)
    # Polars drops a lone CR ending an unquoted field and cannot split old Mac lines;
    # nor does it read a quoted value after a space that follows the delimiter, which
    # splits where the value holds the delimiter (`a, "Foo, Inc", b`). Only then is
    # the space read as no part of the value: elsewhere every cell stays as typed.
    spaced = _quote_opened_after_a_space(sample, delimiter)
    polars_is_faithful = _LONE_CR.search(sample) is None and not spaced
    if encoding in enc.UTF8_NAMES and polars_is_faithful and not _may_hold_double_encoding(data):
        source: str | bytes = str(data.path) if data.path is not None else data.read_all()
        tail = data.tail(_TAIL_BYTES)
        parsed = _polars_csv(source, delimiter, header, tail, data.name, skip, added)
        # No rows may be a header whose quote never closes (Polars reads it all into
        # the header): the exact path, cheap for a file of no rows, says so.
        if parsed is not None and parsed.frame.height > 0:
            return _Read(parsed, encoding, delimiter, len(header))
    raw = data.read_all()
    text, encoding, notes = _decode(raw, encoding, data.name)
    if notes:  # the header may have been mended too
        body = text[preamble:]
        header = _first_record(_SEPARATOR_HINT.sub("", body, count=1) if hint else body, delimiter)
    if (encoding not in enc.UTF8_NAMES or notes) and polars_is_faithful:
        utf8 = text.encode("utf-8")
        parsed = _polars_csv(utf8, delimiter, header, utf8[-_TAIL_BYTES:], data.name, skip, added)
        if parsed is not None and parsed.frame.height > 0:
            parsed.warnings[:0] = notes
            return _Read(parsed, encoding, delimiter, len(header))
    text = text[preamble:]
    if hint:
        text = _SEPARATOR_HINT.sub("", text, count=1)
    limit = data.limits.max_value_size
    parsed = _python_csv(text, delimiter, data.name, skip - added, limit, spaced)
    parsed.warnings[:0] = notes
    return _Read(parsed, encoding, delimiter, len(header))


def _quote_opened_after_a_space(sample: str, delimiter: str) -> bool:
    """A value whose quote opens after a space that follows the delimiter, split by the
    delimiter inside it (`a, "Foo, Inc", b`): read without skipping spaces, one
    of its parts starts with spaces and a quote never closed. A quote closing after a
    comma and a space (`", "`) opens nothing."""
    opened = re.compile(r' +"[^"]*')
    try:
        return any(
            opened.fullmatch(value)
            for row in csv.reader(io.StringIO(sample), delimiter=delimiter)
            for value in row[1:]
        )
    except csv.Error:  # a sample the stdlib reader cannot walk: the text says
        d = re.escape(delimiter)
        return re.search(rf'{d} +"[^"\n]*{d}[^"\n]*"', sample) is not None


def _decode(raw: bytes, encoding: str, name: str) -> tuple[str, str, list[str]]:
    """The whole file as text, its encoding, and warnings on what was mended.

    A file whose start looked like UTF-8 but whose rest is not is judged again on
    its non-ASCII lines. A file of a single-byte code page may hold UTF-8 lines too
    (exports concatenated): each line is read in the encoding it is valid in. Lines
    of double-encoded UTF-8 (``RÃ¶mer``) are turned back. Never silently: each
    mend is counted in a warning."""
    legacy_lines = utf8_lines = 0
    try:
        if encoding in enc.UTF8_NAMES:
            text = raw.decode(encoding)
        else:
            text, legacy_lines, utf8_lines = enc.decode_mixed(raw, encoding)
    except UnicodeDecodeError:
        if encoding not in enc.UTF8_NAMES:
            raise _undecodable(name) from None
        try:
            encoding = enc.detect_legacy_encoding(raw)
            body = raw.removeprefix(codecs.BOM_UTF8)
            text, legacy_lines, utf8_lines = enc.decode_mixed(body, encoding)
        except (enc.NotTextError, UnicodeDecodeError, LookupError):
            raise _undecodable(name) from None
    text, repaired = enc.repair_double_encoded(text)
    notes = []
    if legacy_lines and utf8_lines:
        notes.append(
            f"{name}: the file mixes encodings: {legacy_lines} lines read as {encoding}, "
            f"{utf8_lines} as UTF-8"
        )
    if repaired:
        notes.append(
            f"{name}: {repaired} lines held double-encoded UTF-8 (such as 'Ã¶' for 'ö') "
            "and were repaired"
        )
    return text, encoding, notes


def _undecodable(name: str) -> InputError:
    return InputError(
        f"{name}: the text cannot be decoded (not UTF-8, UTF-16 or a known code page)",
        hint="save it as CSV UTF-8 from Excel or your export tool",
    )


def _may_hold_double_encoding(data: _Input) -> bool:
    if data.data is not None:
        return enc.may_hold_double_encoding(data.data)
    assert data.path is not None
    with (
        data.path.open("rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view,
    ):
        return enc.may_hold_double_encoding(view)


def sniff_delimiter(sample: str, *, complete: bool = True) -> str:
    """The delimiter among , ; tab | that splits the header into the most fields
    with the data rows agreeing on that count; quote-aware, so a comma inside
    "Acme, Inc." does not count."""
    best = DELIMITERS[0]
    best_score = (0.0, 0)
    for delimiter in DELIMITERS:
        records = [r for r in _records(sample, delimiter, complete=complete) if r]
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        rows = records[1:]
        agreeing = sum(1 for r in rows if len(r) == width) / len(rows) if rows else 1.0
        score = (agreeing, width)
        if score > best_score:
            best, best_score = delimiter, score
    if best_score[1] == 0:
        # One column: pick a delimiter that never occurs, so no value gets split.
        return next((d for d in DELIMITERS if d not in sample), DELIMITERS[0])
    return best


def _records(sample: str, delimiter: str, *, complete: bool) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > _SNIFF_RECORDS:
                break
    except csv.Error:
        pass
    if not complete and len(records) <= _SNIFF_RECORDS and records:
        records.pop()  # the sample may end inside the last record
    return records


def _first_record(sample: str, delimiter: str) -> list[str]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
    try:
        return next(reader, [])
    except csv.Error:
        return []


def _polars_csv(
    source: str | bytes,
    delimiter: str,
    header: Sequence[str | None],
    tail: bytes,
    name: str,
    skip: int = 0,
    added: int = 0,
) -> Parsed | None:
    """Polars' reader, or None when it cannot read the file faithfully.

    `skip` lines before the header (Excel's ``sep=;`` line) are passed over; the
    first `added` lines are no lines of the file, so warnings do not count them.
    Short rows Polars pads itself. Long rows make it fail; then it reads again with
    room for more fields than the header names and no header, and the extra values
    go to added columns, as on the exact path.
    """
    if not header:
        return None
    try:
        frame = _polars_read(source, delimiter, None, skip)
    except pl.exceptions.PolarsError as error:
        if _TOO_MANY_FIELDS not in str(error):
            return None
        return _polars_wide_csv(source, delimiter, header, tail, name, skip, added)
    except OSError:
        return None
    if frame.width != len(header):
        return None
    frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    return Parsed(header, _drop_blank_tail(frame, _blank_tail_lines(tail)))


def _polars_wide_csv(
    source: str | bytes,
    delimiter: str,
    header: Sequence[str | None],
    tail: bytes,
    name: str,
    skip: int,
    added: int,
) -> Parsed | None:
    room = max(2 * len(header), len(header) + 8)
    while room <= _MAX_FIELDS:
        try:
            frame = _polars_read(source, delimiter, room, skip)
        except pl.exceptions.PolarsError as error:
            if _TOO_MANY_FIELDS not in str(error):
                return None
            room *= 4
            continue
        except OSError:
            return None
        data = _drop_blank_tail(frame.slice(1), _blank_tail_lines(tail))
        header_lines = skip - added + 1 + sum(value.count("\n") for value in header if value)
        return _with_extra_columns(
            header, data, name, partial(_start_lines, header_lines=header_lines)
        )
    return None


def _polars_read(source: str | bytes, delimiter: str, room: int | None, skip: int) -> pl.DataFrame:
    """All text; with `room`, no header and that many columns (short rows padded)."""
    return pl.read_csv(
        source,
        has_header=room is None,
        infer_schema=False,
        schema=None if room is None else {f"c{i}": pl.String for i in range(room)},
        # Columns past the first row's fields are the room made for long rows.
        missing_columns=None if room is None else "insert",
        separator=delimiter,
        quote_char='"',
        glob=False,
        raise_if_empty=False,
        skip_lines=skip,
    )


def _start_lines(frame: pl.DataFrame, header_lines: int) -> pl.Series:
    """The physical line each row starts on: one line per row before it, plus the
    line breaks inside its quoted values (CRLF inside a value counts once)."""
    breaks = pl.sum_horizontal(
        pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in frame.columns
    )
    return frame.select(
        (header_lines + 1 + pl.int_range(pl.len()) + breaks.cum_sum() - breaks).alias("line")
    ).to_series()


def _with_extra_columns(
    header: Sequence[str | None],
    frame: pl.DataFrame,
    name: str,
    start_lines: Callable[[pl.DataFrame], pl.Series],
) -> Parsed:
    """Keep the values of long rows in added columns (nameless, so they become
    ``column_<n>``) up to the last that holds a value, and warn once per such row,
    naming the physical line `start_lines` gives for it (asked only if needed)."""
    width = len(header)
    extra = frame.columns[width:]
    filled = [pl.col(c).is_not_null() & (pl.col(c) != "") for c in extra]
    used = frame.select(pl.any_horizontal(f.any()) for f in filled).row(0) if extra else ()
    keep = max((i + 1 for i, any_value in enumerate(used) if any_value), default=0)
    frame = frame.select(frame.columns[: width + keep])
    full_header = [*header, *([None] * keep)]
    if not keep:
        return Parsed(full_header, frame)
    last_filled = pl.max_horizontal(
        pl.when(f).then(width + i + 1) for i, f in enumerate(filled[:keep])
    )
    long_rows = (
        frame.with_columns(line=start_lines(frame), fields=last_filled)
        .filter(pl.col("fields").is_not_null())
        .select("line", "fields")
    )
    names = clean_headers(full_header)
    return Parsed(full_header, frame, _ragged_warnings(name, width, names, long_rows.rows()))


def _blank_tail_lines(tail: bytes) -> int:
    """Empty lines after the last line break of the last row (\\n or \\r\\n ends)."""
    body = tail.removesuffix(b"\n").removesuffix(b"\r")
    count = 0
    while body.endswith(b"\n"):
        body = body.removesuffix(b"\n").removesuffix(b"\r")
        count += 1
    return count


def _drop_blank_tail(frame: pl.DataFrame, count: int) -> pl.DataFrame:
    if count == 0:
        return frame
    last = frame.tail(count)
    if last.height == count and last.null_count().sum_horizontal().item() == count * frame.width:
        return frame.head(frame.height - count)
    return frame


def _python_csv(
    text: str,
    delimiter: str,
    name: str,
    skip: int = 0,
    max_value: int = DEFAULT_LIMITS.max_value_size,
    spaced: bool = False,
) -> Parsed:
    """The exact path: Python's csv module, keeping every field of ragged rows.
    `skip` lines were cut from the start of `text`; line numbers count them; `spaced`:
    see `_csv_records`."""
    text, sentinel = _protect_lone_cr(text)
    header, rows, starts = _csv_records(text, delimiter, name, skip, max_value, spaced)
    if not header:
        raise InputError(f"{name}: no header row", hint="the first line must hold column names")
    while rows and not rows[-1]:
        rows.pop()
        starts.pop()
    last, last_start = (rows[-1], starts[-1]) if rows else (header, skip + 1)
    if _may_hold_unclosed_quote(text, last):
        _check_quotes_close(text, delimiter, name, last_start, skip, spaced)
    if sentinel is not None:
        rows = [[value.replace(sentinel, "\r") for value in row] for row in rows]
    full_width = max([len(header), *(len(r) for r in rows)])
    columns = list(zip_longest(*rows, fillvalue=None))
    # Rows may all be shorter than the header: its last columns then hold nothing.
    missing = [None] * len(rows)
    frame = pl.DataFrame(
        {f"c{i}": list(columns[i]) if i < len(columns) else missing for i in range(full_width)},
        schema={f"c{i}": pl.String for i in range(full_width)},
    )
    lines = pl.Series(starts, dtype=pl.Int64)
    return _with_extra_columns(header, frame, name, lambda _: lines)


def _csv_records(
    text: str, delimiter: str, name: str, skip: int, max_value: int, spaced: bool = False
) -> tuple[list[str], list[list[str]], list[int]]:
    """The header, the rows, and the physical line each row starts on; `spaced`: a
    space after each delimiter is no part of the next value (`a, "b, c"`)."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, strict=False, skipinitialspace=spaced
    )
    rows: list[list[str]] = []
    starts: list[int] = []
    previous_end = skip
    # The csv module counts characters; a character is at most 4 bytes of UTF-8, and
    # the byte limit is checked exactly on the frame afterwards.
    previous_limit = csv.field_size_limit(max_value)
    try:
        header = next(reader, [])
        previous_end = skip + reader.line_num
        for record in reader:
            starts.append(previous_end + 1)
            rows.append(record)
            previous_end = skip + reader.line_num
    except csv.Error:
        raise InputError(
            f"{name}:{previous_end + 1}: a value starting on this line is over the limit "
            f"of {format_size(max_value)}",
            hint="a closing quote may be missing on this line; if the value is genuine, "
            f"raise the limit with {OPTION}",
        ) from None
    finally:
        csv.field_size_limit(previous_limit)
    return header, rows, starts


def _may_hold_unclosed_quote(text: str, last_record: list[str]) -> bool:
    """An unclosed quote leaves a line break inside the last record's values (or the
    file ends without one); checking only then spares a second pass over the text."""
    return not text.endswith(("\n", "\r")) or any(
        "\n" in value or "\r" in value for value in last_record
    )


def _check_quotes_close(
    text: str, delimiter: str, name: str, last_start: int, skip: int, spaced: bool
) -> None:
    """A quote opened in the last record (the header, when there are no rows) and never
    closed swallows the rest of the file into one value: rows would vanish into it
    without a word, as the lenient reader accepts it. Refused, naming its line."""
    offset = 0
    for line_number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if line_number + skip == last_start:
            break
        offset += len(line)
    if _ends_inside_quotes(text, offset, delimiter, spaced):
        raise InputError(
            f"{name}:{last_start}: a quoted value opened on this line is never closed",
            hint='add the closing quote (") on that line or remove the stray one; as it is, '
            "every line below it would be read into that one value",
        )


def _ends_inside_quotes(text: str, start: int, delimiter: str, spaced: bool) -> bool:
    """Whether the csv module's lenient reader, reading `text` from `start` (where a
    record starts), reaches the end inside a quoted value. Walked field by field, as
    it reads: a quote opens a value only at a field's start (after spaces when
    `spaced`), "" inside is a quote, and after the closing quote the rest of the
    field is plain text, quotes and all. The strict reader cannot tell this: it stops
    at the first stray character after a closing quote (`"Acme" Inc`)."""
    plain = re.compile(rf"[^{re.escape(delimiter)}\r\n]*")
    position = start
    while position < len(text):
        if spaced:
            while text.startswith(" ", position):
                position += 1
        if text.startswith('"', position):
            position += 1
            while True:
                closing = text.find('"', position)
                if closing < 0:
                    return True
                position = closing + 1
                if not text.startswith('"', position):
                    break
                position += 1
        match = plain.match(text, position)
        assert match is not None  # the pattern matches the empty string
        position = match.end() + 1  # past the delimiter or line end
    return False


def _protect_lone_cr(text: str) -> tuple[str, str | None]:
    """In a file whose lines end in LF, a lone CR is part of a value (Python's own
    csv writer leaves it unquoted), but the csv module would end the row there.
    Polars keeps it, so the exact path hides it behind a character the text lacks."""
    if "\n" not in text or _LONE_CR.search(text) is None:
        return text, None
    sentinel = next(chr(code) for code in range(0xE000, 0xF900) if chr(code) not in text)
    return _LONE_CR.sub(sentinel, text), sentinel


def _ragged_warnings(
    name: str, width: int, names: list[str], long_rows: list[tuple[int, int]]
) -> list[str]:
    warnings = [
        f"{name}:{line}: {fields} fields where the header has {width}; "
        f"extra values kept in {', '.join(names[width:fields])}"
        for line, fields in long_rows[:_MAX_RAGGED_WARNINGS]
    ]
    if len(long_rows) > _MAX_RAGGED_WARNINGS:
        warnings.append(
            f"{name}: {len(long_rows) - _MAX_RAGGED_WARNINGS} more rows with more fields "
            "than the header"
        )
    return warnings


# --- the finished frame ----------------------------------------------------------


def _finish(parsed: Parsed, source: str) -> pl.DataFrame:
    names = clean_headers(parsed.header)
    frame = parsed.frame
    return frame.select(
        *(
            pl.when(pl.col(old) != "").then(pl.col(old).cast(pl.String)).alias(new)
            for old, new in zip(frame.columns, names, strict=True)
        ),
        pl.lit(source, dtype=pl.String).alias(SOURCE_FILE),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(SOURCE_ROW),
    )


# --- the formats: one entry each ---------------------------------------------------


def _parse_csv(data: _Input, _sheet: str | None) -> _Read:
    return _read_csv(data)


def _parse_xlsx(data: _Input, sheet: str | None) -> _Read:
    if data.head(len(_OLE_MAGIC)) == _OLE_MAGIC:
        raise _ole_error(data)  # named as a workbook with --input-format
    _check_workbook(data)
    source = _workbook_source(data, (".xlsx", ".xlsm"))
    return _Read(read_xlsx(source, data.name, sheet), None, None)


def _parse_ods(data: _Input, sheet: str | None) -> _Read:
    _check_workbook(data, ods_extents)
    source = _workbook_source(data, (".ods",))
    return _Read(read_xlsx(source, data.name, sheet, opendocument=True), None, None)


def _workbook_source(data: _Input, suffixes: tuple[str, ...]) -> Path | bytes:
    """What the workbook library reads: the path when its extension is one of
    `suffixes`, else the bytes. It picks its reader by a path's extension (.xls: the
    old format); bytes it judges by content."""
    if data.path is not None and data.path.suffix.lower() in suffixes:
        return data.path
    return data.read_all()


def _parse_json(data: _Input, _sheet: str | None) -> _Read:
    return _Read(read_json(data.read_all(), data.name), "utf-8", None)


def _parse_ndjson(data: _Input, _sheet: str | None) -> _Read:
    return _Read(read_ndjson(data.read_all(), data.name, data.limits), "utf-8", None)


def _parse_parquet(data: _Input, _sheet: str | None) -> _Read:
    return _Read(read_parquet(data.path or data.read_all(), data.name, data.limits), None, None)


def _zip_head(_data: _Input, head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _workbook_head(data: _Input, head: bytes) -> bool:
    return _zip_head(data, head) and _is_workbook(data)


def _ods_head(data: _Input, head: bytes) -> bool:
    """A zip whose ``mimetype`` member says OpenDocument spreadsheet."""
    if not _zip_head(data, head):
        return False
    try:
        with zipfile.ZipFile(data.path or io.BytesIO(data.read_all())) as archive:
            return _opendocument_kind(archive) == _ODS_KIND
    except (zipfile.BadZipFile, OSError, EOFError):
        return False


def _parquet_head(_data: _Input, head: bytes) -> bool:
    return head.startswith(b"PAR1")


@dataclass(frozen=True)
class InputFormat:
    """One input format: its names, how it is known, how it is read.

    Adding a format is one entry in `INPUT_FORMATS` and its reader: the extensions,
    --input-format's choices, the sniffing and the help text derive from the list.
    """

    name: str
    extensions: tuple[str, ...]  # file name endings, lower case, with the dot
    hint: str  # what it is, for help texts and messages
    # One table from the input; None for an archive, read as one table per member.
    parse: Callable[[_Input, str | None], _Read] | None
    # A binary format known by its first bytes (given `head`, the first 8), whatever
    # the name says.
    magic: Callable[[_Input, bytes], bool] | None = None
    # A text format known by its first character when neither name nor bytes tell.
    text_start: str | None = None
    aliases: tuple[str, ...] = ()  # other names --input-format takes
    has_footer: bool = False  # reports in it may end in footer lines (row.not_data)


CSV: Final = InputFormat(
    "csv",
    (".csv", ".tsv", ".txt"),
    "CSV/TSV (any encoding)",
    _parse_csv,
    aliases=("tsv", "txt"),
    has_footer=True,
)
ODS: Final = InputFormat(
    "ods",
    (".ods",),
    "an OpenDocument spreadsheet (.ods)",
    _parse_ods,
    magic=_ods_head,
    has_footer=True,
)
# Sniffing by first bytes follows this order (a workbook is a zip too).
INPUT_FORMATS: Final[tuple[InputFormat, ...]] = (
    CSV,
    InputFormat(
        "xlsx",
        (".xlsx", ".xlsm", ".xls"),
        "an Excel workbook (.xlsx)",
        _parse_xlsx,
        magic=_workbook_head,
        has_footer=True,
    ),
    ODS,
    InputFormat("json", (".json",), "JSON (an array of objects)", _parse_json, text_start="["),
    InputFormat(
        "ndjson",
        (".ndjson", ".jsonl"),
        "NDJSON (an object a line)",
        _parse_ndjson,
        text_start="{",
        aliases=("jsonl",),
    ),
    InputFormat("parquet", (".parquet",), "Parquet", _parse_parquet, magic=_parquet_head),
    InputFormat("zip", (".zip",), "a zip of CSV and other table files", None, magic=_zip_head),
)
FORMATS: Final[tuple[str, ...]] = tuple(f.name for f in INPUT_FORMATS)
_BY_NAME: Final[dict[str, InputFormat]] = {
    name: f for f in INPUT_FORMATS for name in (f.name, *f.aliases)
}
_BY_EXTENSION: Final[dict[str, InputFormat]] = {
    extension: f for f in INPUT_FORMATS for extension in f.extensions
}


def formats_help() -> str:
    """The formats for a help text: ``CSV/TSV (any encoding), an Excel ...``."""
    return ", ".join(f.hint for f in INPUT_FORMATS)
