"""Know a file before you run it: what it is, how its columns map, what is wrong.

`inspect_files` reads each input the way `clean` would (same reader, same
adapters, same mapping) and measures it with Polars expressions over whole
columns: fill rates, and counts of the problems already visible (Excel-mangled
phones, dates whose day/month order no value decides, duplicate headers, ragged,
blank and contactless rows). It writes nothing. Sample values of personal fields
are masked unless asked otherwise; so are headers that are really a first data row.

Given the rules of a run, it maps columns with their ``[columns]`` and takes their
``[settings] date_order``, so it shows what that run would see. A problem a row can
have carries the reason catalogue's slug (reasons.py); only problems of a whole file
have slugs of their own (`FILE_PROBLEMS`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from leadtriage.columns import ColumnMapping, map_columns, override_warnings
from leadtriage.io.limits import DEFAULT_LIMITS, Limits
from leadtriage.io.read import Table, read_tables
from leadtriage.masking import mask_email, mask_name, mask_phone, mask_shaped
from leadtriage.normalize.presence import is_blank
from leadtriage.rules import RuleSet
from leadtriage.schema import Field
from leadtriage.wording import count_of

SAMPLE_SIZE: Final = 3
# Problems only a whole file shows. Row problems (row.empty, contact.missing,
# phone.mangled) use the reason catalogue's slugs, so the inspector and a run agree.
FILE_PROBLEMS: Final[dict[str, str]] = {
    "header.duplicate": "a header name used more than once",
    "header.looks_like_data": "headers that look like an email or phone: no header row?",
    "row.ragged": "rows with more fields than the header",
    "date.ambiguous_order": "slashed dates whose day/month order no value decides",
}
# Samples come from the first rows only: enough to show the shape, cheap on 1M rows.
_SAMPLE_WINDOW: Final = 50_000
# Date columns are found from their first rows, then measured in full.
_DATE_PROBE_ROWS: Final = 1_000
_EXCEL_NUMBER: Final = r"^\s*[+-]?\d+(?:[.,]\d+)?[eE][+]?\d+\s*$"
_SLASHED_DATE: Final = r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b"
_DIGIT_FIELDS: Final = (Field.PHONE, Field.MOBILE, Field.POSTCODE, "record_id")
_CHANNEL_FIELDS: Final = (Field.EMAIL, Field.PHONE, Field.MOBILE)


# --- masking ---------------------------------------------------------------------

_MASKS: Final[Mapping[str, Callable[[str], str]]] = {
    Field.EMAIL: mask_email,
    Field.PHONE: mask_phone,
    Field.MOBILE: mask_phone,
    Field.FIRST_NAME: mask_name,
    Field.LAST_NAME: mask_name,
    Field.FULL_NAME: mask_name,
    Field.ADDRESS: mask_name,
}


def mask_header(name: str) -> str:
    """A header shown as it is, or masked when it is really an email or a phone (the
    first row of a file without a header row)."""
    return mask_shaped(name) or name


def _looks_like_data(name: str) -> bool:
    return mask_shaped(name) is not None


# --- results ---------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A problem seen in the file: a stable slug, how many cells or rows, and a line
    saying what and where (column names, never values)."""

    slug: str
    count: int
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "count": self.count, "detail": self.detail}


@dataclass(frozen=True)
class ColumnProfile:
    name: str
    field: str | None
    guessed: bool
    fill_rate: float
    samples: tuple[str, ...] = ()
    polarity: str | None = None  # a consent column's: opt_in or opt_out
    particle: bool = False  # goes before the field's value ("van den" + "Berg")

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "field": self.field,
            "polarity": self.polarity,
            "particle": self.particle,
            "guessed": self.guessed,
            "fill_rate": round(self.fill_rate, 4),
            "samples": list(self.samples),
        }


@dataclass(frozen=True)
class FileInspection:
    """What one input holds. Column names are as shown (masked where a header is
    really data and masking is on)."""

    source: str
    format: str
    encoding: str | None
    delimiter: str | None
    rows: int
    adapter: str | None
    suppression: bool
    columns: tuple[ColumnProfile, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[str, ...]
    masked: bool = True
    mapping: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "adapter": self.adapter,
            "suppression": self.suppression,
            "masked": self.masked,
            "mapping": self.mapping,
            "columns": [c.as_dict() for c in self.columns],
            "problems": [p.as_dict() for p in self.problems],
            "warnings": list(self.warnings),
        }


# --- inspecting ------------------------------------------------------------------


def inspect_files(
    sources: Sequence[str],
    *,
    sheet: str | None = None,
    input_format: str | None = None,
    unmask: bool = False,
    column_overrides: Mapping[str, str] | None = None,
    rules: RuleSet | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[FileInspection]:
    """One inspection per table read from `sources` (a zip gives one per member).

    With `rules` (``load_rules(path)``) columns map as that run maps them, by its
    ``[columns]``, and its ``date_order`` settles slashed dates. `column_overrides`
    (field -> header) map on top. Reads only; writes nothing.
    """
    overrides = {**(rules.columns if rules else {}), **(column_overrides or {})}
    date_order = rules.settings.date_order if rules else None
    where = str(rules.source) if rules and rules.source else "rules"
    return [
        inspect_table(
            table,
            unmask=unmask,
            column_overrides=overrides,
            date_order=date_order,
            overrides_from=where,
        )
        for source in sources
        for table in read_tables(source, sheet=sheet, input_format=input_format, limits=limits)
    ]


def inspect_table(
    table: Table,
    *,
    unmask: bool = False,
    column_overrides: Mapping[str, str] | None = None,
    date_order: str | None = None,
    overrides_from: str = "rules",
) -> FileInspection:
    """`date_order` (``dmy`` / ``mdy``, a rules setting): slashed dates are read so, and
    none is ambiguous. An override naming a header the table lacks is a warning
    (`overrides_from` names where the overrides came from)."""
    columns = table.data_columns
    mapping = map_columns(columns, {**table.fields_by_content, **(column_overrides or {})})
    unused = override_warnings(overrides_from, column_overrides or {}, [mapping])
    frame = table.frame.select(columns)
    shown = {c: c if unmask else mask_header(c) for c in columns}
    # Every header feeding a field, not only the first: all consent columns are read.
    field_of = {h: f for f in mapping.fields for h in mapping.headers_of(f)}
    fill = _fill_rates(frame) if columns else {}
    profiles = tuple(
        ColumnProfile(
            name=shown[c],
            field=field_of.get(c),
            guessed=field_of.get(c) in mapping.guessed,
            fill_rate=fill.get(c, 0.0),
            samples=_samples(frame, c, field_of.get(c), unmask),
            polarity=mapping.polarity.get(c),
            particle=any(c in headers for headers in mapping.particles.values()),
        )
        for c in columns
    )
    return FileInspection(
        source=table.source,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        rows=table.frame.height,
        adapter=table.adapter,
        suppression=table.suppression,
        columns=profiles,
        problems=tuple(_problems(table, frame, mapping, shown, date_order)),
        warnings=(*table.warnings, *unused),
        masked=not unmask,
        mapping=_shown_mapping(mapping, shown),
    )


def _shown_mapping(mapping: ColumnMapping, shown: Mapping[str, str]) -> dict[str, Any]:
    return {
        "fields": {f: shown.get(h, h) for f, h in mapping.fields.items()},
        "guessed": list(mapping.guessed),
        "overridden": list(mapping.overridden),
        "unmapped": [shown.get(h, h) for h in mapping.unmapped],
        "consent_polarity": {shown.get(h, h): p for h, p in mapping.polarity.items()},
        "consent_unclear": [shown.get(h, h) for h in mapping.unclear],
    }


def _filled(column: str) -> pl.Expr:
    """A cell holding more than whitespace."""
    return ~is_blank(pl.col(column))


def _fill_rates(frame: pl.DataFrame) -> dict[str, float]:
    if frame.height == 0:
        return dict.fromkeys(frame.columns, 0.0)
    rates = frame.select(_filled(c).mean().alias(c) for c in frame.columns).row(0, named=True)
    return {c: float(rate) for c, rate in rates.items()}


def _samples(frame: pl.DataFrame, column: str, field: str | None, unmask: bool) -> tuple[str, ...]:
    if field is None:
        return ()
    values = (
        frame.head(_SAMPLE_WINDOW)
        .select(column)
        .filter(_filled(column))
        .unique(maintain_order=True)
        .head(SAMPLE_SIZE)
        .get_column(column)
        .to_list()
    )
    mask = None if unmask else _MASKS.get(field)
    return tuple(mask(v) if mask else v for v in values)


# --- problems --------------------------------------------------------------------


def _problems(
    table: Table,
    frame: pl.DataFrame,
    mapping: ColumnMapping,
    shown: Mapping[str, str],
    date_order: str | None,
) -> list[Problem]:
    problems = [*_header_problems(table, shown), *_row_problems(table, frame, mapping)]
    problems.extend(_excel_number_problems(frame, mapping, shown))
    if date_order is None:
        problems.extend(_date_order_problems(frame, shown))
    return [p for p in problems if p.count]


def _header_problems(table: Table, shown: Mapping[str, str]) -> list[Problem]:
    header = [h.strip() for h in table.header] or list(table.data_columns)
    copies = Counter(h for h in header if h)
    repeated = sorted(h for h, n in copies.items() if n > 1)
    problems = [
        Problem(
            "header.duplicate",
            sum(copies[h] - 1 for h in repeated),
            "header names used more than once: " + ", ".join(repr(h) for h in repeated),
        )
    ]
    as_data = [c for c in table.data_columns if _looks_like_data(c)]
    problems.append(
        Problem(
            "header.looks_like_data",
            len(as_data),
            "headers that look like an email or phone: the file may have no header row ("
            + ", ".join(repr(shown.get(c, c)) for c in as_data)
            + ")",
        )
    )
    return problems


def _row_problems(table: Table, frame: pl.DataFrame, mapping: ColumnMapping) -> list[Problem]:
    if not frame.columns:
        return []
    any_filled = pl.any_horizontal(_filled(c) for c in frame.columns)
    channels = [mapping.fields[f] for f in _CHANNEL_FIELDS if f in mapping.fields]
    has_channel = pl.any_horizontal(_filled(c) for c in channels) if channels else pl.lit(False)
    extra = list(table.extra_columns)
    ragged = pl.any_horizontal(_filled(c) for c in extra) if extra else pl.lit(False)
    counts = frame.select(
        blank=(~any_filled).sum(),
        contactless=(any_filled & ~has_channel).sum(),
        ragged=ragged.sum(),
    ).row(0, named=True)
    return [
        Problem("row.empty", int(counts["blank"]), "rows with no value at all"),
        Problem(
            "contact.missing",
            int(counts["contactless"]),
            "rows with no email, phone or mobile"
            + ("" if channels else " (no such column was recognised)"),
        ),
        Problem(
            "row.ragged",
            int(counts["ragged"]),
            "rows with more fields than the header (extra values kept in " + ", ".join(extra) + ")",
        ),
    ]


def _excel_number_problems(
    frame: pl.DataFrame, mapping: ColumnMapping, shown: Mapping[str, str]
) -> list[Problem]:
    columns = [mapping.fields[f] for f in _DIGIT_FIELDS if f in mapping.fields]
    if not columns:
        return []
    counts = frame.select(
        pl.col(c).str.contains(_EXCEL_NUMBER).fill_null(False).sum().alias(c) for c in columns
    ).row(0, named=True)
    hit = {c: int(n) for c, n in counts.items() if n}
    return [
        Problem(
            "phone.mangled",
            sum(hit.values()),
            "numbers Excel turned into scientific notation (e.g. 4.47911E+11), digits lost, in "
            + ", ".join(repr(shown.get(c, c)) for c in hit),
        )
    ]


def _date_order_problems(frame: pl.DataFrame, shown: Mapping[str, str]) -> list[Problem]:
    """Slashed dates (03/04/2026) in columns where no value has a part above 12, so
    nothing says which part is the day; also columns where values say both."""
    probe = frame.head(_DATE_PROBE_ROWS).select(
        pl.col(c).str.contains(_SLASHED_DATE).fill_null(False).any().alias(c) for c in frame.columns
    )
    found = probe.row(0, named=True) if probe.width else {}
    candidates = [c for c, seen in found.items() if seen]
    if not candidates:
        return []
    stats = frame.select(expression for c in candidates for expression in _date_order_stats(c)).row(
        0, named=True
    )
    ambiguous: dict[str, int] = {}
    for c in candidates:
        day_first, month_first = stats[f"{c}\0day"], stats[f"{c}\0month"]
        if day_first != month_first:
            continue  # the values settle the order one way
        ambiguous[c] = int(stats[f"{c}\0open"])
    hit = {c: n for c, n in ambiguous.items() if n}
    return [
        Problem(
            "date.ambiguous_order",
            sum(hit.values()),
            "dates like 03/04/2026 where no value decides day/month order, in "
            + ", ".join(repr(shown.get(c, c)) for c in hit),
        )
    ]


def _date_order_stats(column: str) -> list[pl.Expr]:
    parts = pl.col(column).str.extract_groups(_SLASHED_DATE)
    first = parts.struct.field("1").cast(pl.Int32)
    second = parts.struct.field("2").cast(pl.Int32)
    return [
        ((first > 12) & (second <= 12)).fill_null(False).any().alias(f"{column}\0day"),
        ((second > 12) & (first <= 12)).fill_null(False).any().alias(f"{column}\0month"),
        ((first <= 12) & (second <= 12) & (first != second))
        .fill_null(False)
        .sum()
        .alias(f"{column}\0open"),
    ]


# --- rendering -------------------------------------------------------------------


def render_inspection(console: Console, inspections: Sequence[FileInspection]) -> None:
    """Each file as a heading line, a table of its columns and its problems. Every
    piece of file text goes in as plain Text, so a header like "[red]" stays text."""
    for number, inspection in enumerate(inspections):
        if number:
            console.print()
        console.print(_heading(inspection))
        console.print(_columns_table(inspection))
        if inspection.problems:
            console.print(Text("Problems seen:", style="bold"))
            for problem in inspection.problems:
                console.print(Text(f"  {problem.count:>8,}  {problem.detail}"), soft_wrap=True)
        elif inspection.warnings:
            console.print(Text("No problems seen in the values; read the warnings below."))
        else:
            console.print(Text("No problems seen.", style="green"))
        for warning in inspection.warnings:
            console.print(Text(f"warning: {warning}", style="yellow"), soft_wrap=True)
        if inspection.masked:
            console.print(Text("Personal data in samples is masked; --unmask shows it.", "dim"))


def _heading(inspection: FileInspection) -> Text:
    facts = [inspection.format]
    if inspection.encoding:
        facts.append(inspection.encoding)
    if inspection.delimiter:
        facts.append(f"delimiter {inspection.delimiter!r}")
    facts.append(count_of(inspection.rows, "row", "rows"))
    facts.append(f"read as {inspection.adapter} export" if inspection.adapter else "generic table")
    if inspection.suppression:
        facts.append("suppression list (not leads)")
    heading = Text(inspection.source, style="bold")
    heading.append(f"  {', '.join(facts)}")
    return heading


def _columns_table(inspection: FileInspection) -> RichTable:
    table = RichTable(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("column")
    table.add_column("field")
    table.add_column("filled", justify="right")
    table.add_column("samples")
    for column in inspection.columns:
        field_text = Text(column.field or "-", style="" if column.field else "dim")
        if column.polarity:
            field_text.append(f" ({column.polarity.replace('_', '-')})")
        if column.particle:
            field_text.append(" (particle, goes first)")
        if column.guessed:
            field_text.append(" (guess)", style="yellow")
        table.add_row(
            Text(column.name),
            field_text,
            Text(f"{column.fill_rate:.0%}"),
            Text(" | ".join(column.samples)),
        )
    return table
