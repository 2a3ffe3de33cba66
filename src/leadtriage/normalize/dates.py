"""Creation dates from the usual export formats -> ISO 8601 text.

Read: ISO ("2026-03-04", "2026-03-04T14:05:00+01:00", "2026/03/04"), Google Forms'
"2026/03/04 2:05:00 PM GMT+1" (any "GMT+h[:mm]", "p. m."), numeric with
slashes or dashes ("03/04/2026", "3/4/2026 14:05:00", "3/4/26 2:05 PM"; two-digit
years as spreadsheets read them, 00-29 -> 20xx, 30-99 -> 19xx), dotted day-first
("04.03.2026"), month names ("4 Mar 2026", "March 4, 2026", Zoom's
"Mar 4, 2026 02:05:06 PM", "Wed, 4 Mar 2026 14:05:00 +0000"), JavaScript's
"Wed Mar 04 2026 14:05:00 GMT+0100 (...)", year-month-day with Chinese, Japanese or
Korean signs ("2026年3月4日") or Korean dots ("2026. 3. 4."), Excel serial numbers
("45355", "45355.5") and Unix epochs in seconds or milliseconds.

Written: "2026-03-04" for a date, "2026-03-04T14:05:00" when a time was given, with
the offset ("+01:00") when one was given (epochs are UTC: "+00:00").

Day or month first ("03/04/2026") is decided per file, never per row: a first part
over 12 proves day-first, a second part over 12 month-first; a file with proof both
ways follows the majority ("dmy (mixed)"); a file without proof follows the
``date_order`` hint, else month-first ("mdy (assumed)"). A row whose own parts prove
its order is read that way whatever the file's. The choice is in
``meta.date_order`` (null for files without such dates). Dots ("04.03.2026") are
always day-first: nobody writes month-first with dots.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

import polars as pl

from leadtriage import frame
from leadtriage.data_files import data_pairs
from leadtriage.normalize.text import on_distinct, squish
from leadtriage.schema import Col, Field

DateOrder = Literal["dmy", "mdy"]

# Offsets: "Z", "UTC", "+0100", "+01:00", and Google Forms' "GMT+1", "GMT-5", "GMT+5:30".
_OFFSET: Final = r"[+-](?P<offset_hours>\d{1,2})(?::?(?P<offset_minutes>\d{2}))?"
# Zones written as letters that name one offset (IST, CST name several: not read).
_ZONE_OFFSETS: Final[dict[str, str]] = {
    "cet": "+01:00", "mez": "+01:00", "cest": "+02:00", "mesz": "+02:00",
    "wet": "+00:00", "west": "+01:00", "bst": "+01:00", "eet": "+02:00", "eest": "+03:00",
    "est": "-05:00", "edt": "-04:00", "mst": "-07:00", "mdt": "-06:00", "pst": "-08:00",
    "pdt": "-07:00", "jst": "+09:00", "aest": "+10:00", "aedt": "+11:00",
}  # fmt: skip
_ZONE_NAMES: Final = "|".join(sorted(_ZONE_OFFSETS, key=len, reverse=True))
_TZ: Final = (
    rf"z|(?:utc|gmt)(?:\s*[+-]\d{{1,2}}(?::?\d{{2}})?)?|[+-]\d{{2}}(?::?\d{{2}})?|{_ZONE_NAMES}"
)
# Between a date and its time: "T", a space, a comma, "@", or the word for "at" of
# event platforms and mail clients ("Mar 4, 2026 at 2:05 PM", "à 14:05", "um 14:05").
_TIME: Final = (
    r"(?:(?:t|\s+(?:at|à|um)\s+|\s+|\s*,\s*|\s*@\s*)"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:[.,]\d+)?\s*(?:(?P<ampm>[ap])(?:\.?\s?m)?\.?)?"
    rf"\s*(?P<tz>{_TZ})?)?"
)
# "4th", "4." and the first of the month as French, Spanish and Italian write it:
# "1er", "1º", "1°" (the degree sign typed for the ordinal one).
_ORDINAL: Final = r"(?:st|nd|rd|th|er|º|°|\.)?"
_PATTERNS: Final[dict[str, str]] = {
    "iso": rf"^(?P<year>\d{{4}})[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}}){_TIME}$",
    "numeric": (
        rf"^(?P<first>\d{{1,2}})(?P<sep>[-/.])(?P<second_part>\d{{1,2}})[-/.]"
        rf"(?P<year>\d{{4}}|\d{{2}}){_TIME}$"
    ),
    "day_month": (
        rf"^(?P<day>\d{{1,2}}){_ORDINAL}[\s\-/.]*(?P<month_name>\p{{L}}+)\.?,?[\s\-/.]+"
        rf"(?P<year>\d{{4}}|\d{{2}}){_TIME}$"
    ),
    "month_day": (
        rf"^(?P<month_name>\p{{L}}+)\.?[\s\-/.]+(?P<day>\d{{1,2}}){_ORDINAL},?[\s\-/.]+"
        rf"(?P<year>\d{{4}}){_TIME}$"
    ),
}
_EXCEL_SERIAL: Final = r"^(\d{5})(?:[.,](\d+))?$"  # European workbooks: 45231,5
# Serial days 20000..80000 are 1954..2119: a created date, not some other number.
_EXCEL_RANGE: Final = (20_000, 80_000)
_EPOCH_SECONDS: Final = r"^\d{10}$"
_EPOCH_MILLISECONDS: Final = r"^\d{13}$"

# Month names and abbreviations in six languages (data/date_month_names.txt).
MONTHS: Final[dict[str, int]] = {
    name: int(number)
    for number, names in data_pairs("date_month_names.txt")
    for name in names.split()
}
_WEEKDAY_PREFIX: Final = (
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.?,?\s+"
)


def _part(struct: pl.Expr, name: str) -> pl.Expr:
    return struct.struct.field(name).cast(pl.Int32, strict=False)


# Two-digit years below this are 20xx, the rest 19xx: the window of Excel, Google
# Sheets and LibreOffice (1930-2029), so a date reads as the sheet showed it.
_CENTURY_PIVOT: Final = 30


def _full_year(year: pl.Expr) -> pl.Expr:
    """Two-digit years: 00-29 are 20xx, 30-99 are 19xx (see `_CENTURY_PIVOT`)."""
    return (
        pl.when(year < _CENTURY_PIVOT)
        .then(year + 2000)
        .when(year < 100)
        .then(year + 1900)
        .otherwise(year)
    )


def _offset(tz: pl.Expr) -> pl.Expr:
    """Offsets as "+hh:mm": "z", "utc", "+0100", "+01", "gmt+1", "gmt+5:30" -> "+00:00",
    "+01:00", "+05:30"; null for no real offset ("gmt+15", "+05:75")."""
    parts = tz.str.replace(r"^(?:utc|gmt)\s*", "").str.extract_groups(rf"^{_OFFSET}$")
    hours = parts.struct.field("offset_hours").cast(pl.Int32, strict=False)
    minutes = parts.struct.field("offset_minutes").cast(pl.Int32, strict=False).fill_null(0)
    numeric = pl.when((hours <= 14) & (minutes < 60)).then(
        pl.format(
            "{}{}:{}",
            tz.str.extract(r"([+-])"),
            hours.cast(pl.String).str.zfill(2),
            minutes.cast(pl.String).str.zfill(2),
        )
    )
    named = tz.replace_strict(_ZONE_OFFSETS, default=None, return_dtype=pl.String)
    return (
        pl.when(tz.is_in(["z", "utc", "gmt"]))
        .then(pl.lit("+00:00"))
        .otherwise(pl.coalesce(named, numeric))
    )


def _iso_text(
    year: pl.Expr,
    month: pl.Expr,
    day: pl.Expr,
    hour: pl.Expr,
    minute: pl.Expr,
    second: pl.Expr,
    ampm: pl.Expr,
    tz: pl.Expr,
) -> pl.Expr:
    """ISO text from parts, or null when the parts are no real date or time."""

    def padded(value: pl.Expr, width: int) -> pl.Expr:
        return value.cast(pl.String).str.zfill(width)

    hour24 = (
        pl.when((ampm == "p") & (hour < 12))
        .then(hour + 12)
        .when((ampm == "a") & (hour == 12))
        .then(0)
        .otherwise(hour)
    )
    valid_clock = ampm.is_null() | ((hour >= 1) & (hour <= 12))
    date_text = pl.format("{}-{}-{}", padded(year, 4), padded(month, 2), padded(day, 2))
    date_ok = date_text.str.to_date("%Y-%m-%d", strict=False).is_not_null()
    time_text = pl.format(
        "{}T{}:{}:{}",
        date_text,
        padded(hour24, 2),
        padded(minute, 2),
        padded(second.fill_null(0), 2),
    )
    time_ok = (
        time_text.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False).is_not_null() & valid_clock
    )
    with_offset = pl.when(tz.is_not_null()).then(time_text + _offset(tz)).otherwise(time_text)
    return (
        pl.when(hour.is_null() & date_ok)
        .then(date_text)
        .when(hour.is_not_null() & time_ok)
        .then(with_offset)
    )


def _excel_serial(text: pl.Expr) -> pl.Expr:
    days = text.str.extract(_EXCEL_SERIAL, 1).cast(pl.Int64, strict=False)
    fraction = pl.concat_str(pl.lit("0."), text.str.extract(_EXCEL_SERIAL, 2)).cast(
        pl.Float64, strict=False
    )
    # Excel counts from 1899-12-30 (its 1900 leap-year bug folded in).
    day = pl.lit(date(1899, 12, 30)) + pl.duration(days=days)
    moment = day.cast(pl.Datetime("us")) + pl.duration(seconds=(fraction * 86_400).round(0))
    in_range = days.is_between(*_EXCEL_RANGE)
    return (
        pl.when(in_range & fraction.is_null())
        .then(day.dt.strftime("%Y-%m-%d"))
        .when(in_range)
        .then(moment.dt.strftime("%Y-%m-%dT%H:%M:%S"))
    )


def _epoch(text: pl.Expr) -> pl.Expr:
    number = text.cast(pl.Int64, strict=False)
    seconds = (
        pl.when(text.str.contains(_EPOCH_SECONDS))
        .then(number)
        .when(text.str.contains(_EPOCH_MILLISECONDS))
        .then(number // 1000)
    )
    # 2000-01-01 .. 2100-01-01: other ten-digit numbers are not timestamps.
    plausible = seconds.is_between(946_684_800, 4_102_444_800)
    moment = pl.from_epoch(seconds, time_unit="s")
    return pl.when(plausible).then(moment.dt.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00")


def _file_order(first: pl.Expr, second: pl.Expr, rows: pl.Expr, hint: DateOrder | None) -> pl.Expr:
    """The per-file order label, e.g. "dmy", "mdy (mixed)", "mdy (assumed)". `rows`
    is how many rows each value stands for, so majorities count rows."""

    def rows_where(condition: pl.Expr) -> pl.Expr:
        return pl.when(condition).then(rows).otherwise(0).sum().over(frame.SOURCE_FILE)

    day_first = rows_where((first > 12) & (second <= 12))
    month_first = rows_where((second > 12) & (first <= 12))
    has_slashed = first.is_not_null().any().over(frame.SOURCE_FILE)
    assumed = f"{hint or 'mdy'} (assumed)"
    majority = (
        pl.when(day_first > month_first)
        .then(pl.lit("dmy (mixed)"))
        .when(day_first < month_first)
        .then(pl.lit("mdy (mixed)"))
        .otherwise(pl.lit(f"{hint or 'mdy'} (mixed)"))
    )
    return (
        pl.when(~has_slashed)
        .then(pl.lit(None, dtype=pl.String))
        .when((day_first > 0) & (month_first > 0))
        .then(majority)
        .when(day_first > 0)
        .then(pl.lit("dmy"))
        .when(month_first > 0)
        .then(pl.lit("mdy"))
        .otherwise(pl.lit(assumed))
    )


def _tmp(name: str) -> str:
    """A working column of this stage, dropped before it returns."""
    return f"_dates.{name}"


_PATTERN_ORDER: Final = ("iso", "numeric", "day_month", "month_day")
_CLOCK_PARTS: Final = ("hour", "minute", "second", "ampm", "tz")


def _clock_part(name: str) -> pl.Expr:
    """A time part from whichever pattern matched (the patterns exclude each other)."""
    fields = [pl.col(_tmp(pattern)).struct.field(name) for pattern in _PATTERN_ORDER]
    merged = pl.coalesce(fields)
    return merged if name in ("ampm", "tz") else merged.cast(pl.Int32, strict=False)


def _month_of(pattern: str) -> pl.Expr:
    name = pl.col(_tmp(pattern)).struct.field("month_name")
    return name.replace_strict(MONTHS, default=None, return_dtype=pl.Int32)


def normalize_dates(lf: pl.LazyFrame, date_order: str | None = None) -> pl.LazyFrame:
    """Add ``created_at`` (ISO 8601 text), ``meta.date_order`` and
    ``flag.date.invalid`` (a non-blank value that could not be read).

    `date_order` ("dmy" or "mdy") is the order to assume for files whose dates do not
    prove one."""
    if date_order not in (None, "dmy", "mdy"):
        raise ValueError("date_order must be 'dmy', 'mdy' or None")
    hint: DateOrder | None = "dmy" if date_order == "dmy" else "mdy" if date_order else None
    return on_distinct(
        lf,
        [frame.SOURCE_FILE, frame.raw(Field.CREATED_AT)],
        lambda values: _date_columns(values, hint),
        [Col.CREATED_AT, frame.META_PREFIX + "date_order", frame.flag("date.invalid")],
        row_count=_tmp("rows"),
    )


def _date_columns(values: pl.LazyFrame, hint: DateOrder | None) -> pl.LazyFrame:
    """The outputs for distinct (file, value) pairs carrying their row counts."""
    # Working columns in steps keep the query plan small: each step refers to the
    # last by name instead of repeating its expression.
    value = squish(pl.col(frame.raw(Field.CREATED_AT)).cast(pl.String))
    text = (
        pl.col(_tmp("value"))
        .str.to_lowercase()
        .str.replace(_WEEKDAY_PREFIX, "")
        # "le 5 mars 2024", "5 de marzo de 2024", "5th of March 2024"
        .str.replace(r"^(?:le|el|il|the|am|den|o)\s+", "")
        .str.replace_all(r"\s(?:de|del|di|of)\s", " ")
        # ISO 8601's basic form (20260304, as SAP and database dumps write it) read as
        # the extended one.
        .str.replace(r"^((?:19|20)\d{2})(\d{2})(\d{2})$", "${1}-${2}-${3}")
        # Year, month and day with the signs Chinese, Japanese and Korean write
        # ("2026年3月4日", "2026년 3월 4일"), or Korean dots and spaces ("2026. 3. 4."):
        # year first, so nothing to decide.
        .str.replace(
            r"^(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]", "${1}-${2}-${3}"
        )
        .str.replace(r"^(\d{4})\.\s+(\d{1,2})\.\s+(\d{1,2})\.?", "${1}-${2}-${3}")
        # JavaScript's Date.toString() names the zone after its offset:
        # "... GMT+0100 (Central European Standard Time)". The offset says it all.
        .str.replace(r"(gmt[+-]\d{4})\s*\([\p{L}\s.]+\)$", "${1}")
    )
    with_text = values.with_columns(value.alias(_tmp("value"))).with_columns(
        text.alias(_tmp("text"))
    )
    with_parts = with_text.with_columns(
        pl.col(_tmp("text")).str.extract_groups(_PATTERNS[pattern]).alias(_tmp(pattern))
        for pattern in _PATTERN_ORDER
    )

    numeric = pl.col(_tmp("numeric"))
    # Dotted dates are day-first; one that could be nothing else (13.03.2024) is
    # evidence for the file's slashed ones too, the others say nothing of them.
    ambiguous = numeric.struct.field("sep") != "."
    first, second = _part(numeric, "first"), _part(numeric, "second_part")
    evidence = ambiguous | (first > 12)
    with_order = with_parts.with_columns(
        pl.when(evidence).then(first).alias(_tmp("first")),
        pl.when(evidence).then(second).alias(_tmp("second_part")),
    ).with_columns(
        _file_order(
            pl.col(_tmp("first")), pl.col(_tmp("second_part")), pl.col(_tmp("rows")), hint
        ).alias(_tmp("order"))
    )

    day_first = (
        ~ambiguous | (first > 12) | ((second <= 12) & pl.col(_tmp("order")).str.starts_with("dmy"))
    ).fill_null(False)
    iso = pl.col(_tmp("iso"))
    day_month, month_day = pl.col(_tmp("day_month")), pl.col(_tmp("month_day"))
    with_fields = with_order.with_columns(
        pl.coalesce(
            _part(iso, "year"),
            _full_year(_part(numeric, "year")),
            _full_year(_part(day_month, "year")),
            _part(month_day, "year"),
        ).alias(_tmp("year")),
        pl.coalesce(
            _part(iso, "month"),
            pl.when(day_first).then(second).otherwise(first),
            _month_of("day_month"),
            _month_of("month_day"),
        ).alias(_tmp("month")),
        pl.coalesce(
            _part(iso, "day"),
            pl.when(day_first).then(first).otherwise(second),
            _part(day_month, "day"),
            _part(month_day, "day"),
        ).alias(_tmp("day")),
        *(_clock_part(name).alias(_tmp(f"clock_{name}")) for name in _CLOCK_PARTS),
    )

    from_parts = _iso_text(
        pl.col(_tmp("year")),
        pl.col(_tmp("month")),
        pl.col(_tmp("day")),
        *(pl.col(_tmp(f"clock_{name}")) for name in _CLOCK_PARTS),
    )
    text_col = pl.col(_tmp("text"))
    created_at = pl.coalesce(from_parts, _excel_serial(text_col), _epoch(text_col))
    return with_fields.with_columns(created_at.alias(Col.CREATED_AT)).with_columns(
        pl.col(_tmp("order")).alias(frame.META_PREFIX + "date_order"),
        (pl.col(_tmp("value")).is_not_null() & pl.col(Col.CREATED_AT).is_null()).alias(
            frame.flag("date.invalid")
        ),
    )
