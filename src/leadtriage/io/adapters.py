"""Exports that tools write in their own shape, recognised so nobody prepares them.

- Zoom webinar reports hold several CSV sections in one file, each a title line
  ("Host Details", "Attendee Details" ...) then its own header and rows: the
  attendee section (else the registrants) is the table.
- Mailchimp audience exports put the subscription status in the file name
  (``unsubscribed_members_export_<id>.csv``); unsubscribed and cleaned members are
  suppressions, not leads. The export comes as a zip of such files or one alone.
- Eventbrite, Google Forms and Typeform write ordinary CSVs, recognised by their
  headers only to name the source; their columns are mapped by `columns`.

This module decides; `io.read` reads. Nothing here sees cell values except the
section titles of a Zoom report.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

from leadtriage.errors import InputError
from leadtriage.io.lines import line_end

ZOOM: Final = "zoom"
MAILCHIMP: Final = "mailchimp"
EVENTBRITE: Final = "eventbrite"
GOOGLE_FORMS: Final = "google_forms"
TYPEFORM: Final = "typeform"

# --- Zoom ------------------------------------------------------------------------

# Section titles in the order of preference for the table; the rest are skipped.
_ZOOM_TABLE_SECTIONS: Final[tuple[str, ...]] = ("attendee details", "registrant details")
_ZOOM_OTHER_SECTIONS: Final = frozenset(
    {"host details", "panelist details", "other attended", "other registrants"}
)
_ZOOM_SECTIONS: Final = frozenset(_ZOOM_TABLE_SECTIONS) | _ZOOM_OTHER_SECTIONS
_ZOOM_REPORT_TITLE: Final = re.compile(r"^(?:webinar |meeting )?(?:attendee|registration) report$")
_ZOOM_GENERATED: Final = "report generated"
# Physical lines, split on LF only, as Polars counts them when it skips lines; on
# CR in a file of classic Mac OS line ends (see `line_end`).
_LINE: Final = re.compile(r"[^\n]*\n|[^\n]+$")
_MAC_LINE: Final = re.compile(r"[^\r]*\r|[^\r]+$")


@dataclass(frozen=True)
class ZoomSection:
    """Where the chosen section's header and rows lie (0-based physical lines,
    `end` exclusive) and a one-line account of what was taken and skipped."""

    title: str
    header_line: int
    end_line: int
    warning: str


def _lines(text: str) -> list[str]:
    """The physical lines of `text`, each with its line end."""
    pattern = _MAC_LINE if line_end(text) == "\r" else _LINE
    return [m.group(0) for m in pattern.finditer(text)]


def _single_field(line: str) -> str | None:
    """The text of a line holding one non-blank field (trailing commas allowed)."""
    stripped = line.replace("\ufeff", "").strip()
    if not stripped:
        return None
    try:
        fields = next(csv.reader([stripped]), [])
    except csv.Error:
        return None
    values = [f.strip() for f in fields if f.strip()]
    if len(values) != 1 or not fields[0].strip():
        return None
    return values[0]


def looks_like_zoom_report(sample: str) -> bool:
    """A first line titling a Zoom attendee or registration report, followed by the
    "Report Generated:" line or a known section title."""
    lines = _lines(sample[:65536])
    first = next((line for line in lines if line.strip("\ufeff \t\r\n,")), None)
    title = _single_field(first) if first is not None else None
    if title is None or not _ZOOM_REPORT_TITLE.match(title.casefold()):
        return False
    for line in lines[1:6]:
        if line.replace("\ufeff", "").strip().casefold().startswith(_ZOOM_GENERATED):
            return True
    return any((_single_field(line) or "").casefold() in _ZOOM_SECTIONS for line in lines)


def _is_blank_line(line: str) -> bool:
    return not line.strip(" \t\r\n,;")


def find_zoom_section(text: str, name: str) -> ZoomSection:
    """The attendee section of a Zoom report (else the registrant section).

    Raises InputError when the report has neither, naming the sections it has.
    """
    lines = _lines(text)
    titles: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        title = _single_field(line)
        if title is not None and title.casefold() in _ZOOM_SECTIONS:
            titles.append((number, title))
    wanted = next(
        (
            (position, title)
            for preferred in _ZOOM_TABLE_SECTIONS
            for position, (_, title) in enumerate(titles)
            if title.casefold() == preferred
        ),
        None,
    )
    if wanted is None:
        found = ", ".join(repr(title) for _, title in titles) or "none"
        raise InputError(
            f"{name}: a Zoom report without an attendee or registrant section "
            f"(sections found: {found})",
            hint="export the webinar's attendee report or registration report from Zoom",
        )
    position, title = wanted
    header_line = titles[position][0] + 1
    while header_line < len(lines) and _is_blank_line(lines[header_line]):
        header_line += 1
    end_line = titles[position + 1][0] if position + 1 < len(titles) else len(lines)
    while end_line > header_line and _is_blank_line(lines[end_line - 1]):
        end_line -= 1
    if end_line <= header_line:
        raise InputError(
            f"{name}:{header_line}: the Zoom section {title!r} has no header row",
            hint="export the report from Zoom again",
        )
    skipped = [
        f"{other!r} ({_data_rows(lines, start + 2, _next_title(titles, index, len(lines)))} rows)"
        for index, (start, other) in enumerate(titles)
        if index != position
    ]
    rows = end_line - header_line - 1
    warning = (
        f"{name}: Zoom report: read section {title!r} "
        f"(lines {header_line + 1}-{end_line}, {rows} rows); skipped the report header"
        + (f" and {', '.join(skipped)}" if skipped else "")
    )
    return ZoomSection(title, header_line, end_line, warning)


def _next_title(titles: Sequence[tuple[int, str]], index: int, total: int) -> int:
    return titles[index + 1][0] if index + 1 < len(titles) else total


def _data_rows(lines: Sequence[str], start: int, end: int) -> int:
    return sum(1 for line in lines[start:end] if not _is_blank_line(line))


def zoom_section_text(text: str, section: ZoomSection) -> str:
    """The section's header and rows, after one empty line for every line before
    its header, so line numbers (and Polars' line skipping) still count from the
    top of the file."""
    lines = _lines(text)
    end = line_end(text)
    return end * section.header_line + "".join(lines[section.header_line : section.end_line])


# --- Mailchimp ---------------------------------------------------------------------

_MAILCHIMP_FILE: Final = re.compile(
    r"^(subscribed|unsubscribed|cleaned|nonsubscribed)_(?:members_)?export_[0-9a-z]+\.csv$",
    re.IGNORECASE,
)
# Status of the members in a file -> whether they are suppressions rather than leads.
MAILCHIMP_SUPPRESSED: Final = frozenset({"unsubscribed", "cleaned"})
# System columns every Mailchimp audience export has; a renamed random file has not.
_MAILCHIMP_COLUMNS: Final = frozenset({"MEMBER_RATING", "OPTIN_TIME", "LEID", "EUID"})


def mailchimp_status(file_name: str, headers: Sequence[str]) -> str | None:
    """``subscribed``, ``unsubscribed``, ``cleaned`` or ``nonsubscribed`` for a
    Mailchimp audience export (known by its file name and its system columns)."""
    # The last part of a path, or of a zip member named "<zip>:<member>".
    match = _MAILCHIMP_FILE.match(re.split(r"[/\\:]", file_name)[-1])
    if match is None or "Email Address" not in headers:
        return None
    if not _MAILCHIMP_COLUMNS & set(headers):
        return None
    return match.group(1).lower()


def mailchimp_warning(name: str, status: str, rows: int) -> str | None:
    if status in MAILCHIMP_SUPPRESSED:
        return f"{name}: Mailchimp {status} members: {rows} rows read as suppressions, not leads"
    if status == "nonsubscribed":
        return f"{name}: Mailchimp nonsubscribed members: they never opted in to marketing"
    return None


# --- zip archives ------------------------------------------------------------------

_TABLE_MEMBER: Final = re.compile(
    r"\.(?:csv|tsv|txt|xlsx|xlsm|ods|json|ndjson|jsonl|parquet)$", re.IGNORECASE
)
# Spreadsheets an export may bundle that are not read: old and binary Excel, flat
# OpenDocument, Apple Numbers. They likely hold contacts, so they are named.
_UNREAD_SPREADSHEET: Final = re.compile(r"\.(?:xls|xlsb|fods|numbers)$", re.IGNORECASE)


# What an export bundles beside its data: a readme, a licence, a change log. A .txt
# is read as a table (a TSV often is one), so these are known by name.
_DOCUMENTATION: Final = re.compile(
    r"(?:read[ _-]?me|licen[cs]e|change[ _-]?log|changes)(?:\.(?:txt|md))?", re.IGNORECASE
)


def table_members(names: Sequence[str]) -> list[str]:
    """The table files in a zip (CSV, workbooks, JSON, Parquet), in name order (a
    stable order, whatever the zip's); folders, hidden files and folders (macOS's
    ``__MACOSX/`` and ``._x.csv``, an editor's ``.x.csv``) and a readme, licence or
    change log are not tables."""
    return sorted(
        n for n in names if _TABLE_MEMBER.search(n) and _is_file(n) and not _is_documentation(n)
    )


def unread_spreadsheets(names: Sequence[str]) -> list[str]:
    """The spreadsheets in a zip that are not read (.xls, .numbers ...), in name order."""
    return sorted(n for n in names if _UNREAD_SPREADSHEET.search(n) and _is_file(n))


def _is_file(name: str) -> bool:
    return (
        not name.endswith("/")
        and not name.startswith("__MACOSX/")
        # ".." is no hidden folder: reading a member never writes it anywhere.
        and not any(part.startswith(".") and part != ".." for part in PurePosixPath(name).parts)
    )


def _is_documentation(name: str) -> bool:
    return _DOCUMENTATION.fullmatch(PurePosixPath(name).name) is not None


def is_workbook_zip(names: Sequence[str]) -> bool:
    """An xlsx is a zip too; its part list says so."""
    return "[Content_Types].xml" in names


# --- exports recognised by their headers -------------------------------------------


def recognise_export(headers: Sequence[str]) -> str | None:
    """Which tool wrote an ordinary CSV, from header signatures only those tools write."""
    present = set(headers)
    if {"Order #", "Attendee #"} <= present or {"Order #", "Ticket Type"} <= present:
        return EVENTBRITE
    if headers and headers[0] == "#" and present & {"Submit Date (UTC)", "Network ID"}:
        return TYPEFORM
    if headers and headers[0] == "Timestamp" and len(headers) > 1:
        return GOOGLE_FORMS
    return None
