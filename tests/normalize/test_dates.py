"""Creation dates -> ISO 8601, with day/month order decided per file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtriage import frame
from leadtriage.normalize.dates import normalize_dates
from leadtriage.pipeline import triage

INVALID = frame.flag("date.invalid")
ORDER = frame.META_PREFIX + "date_order"


def _run(
    values: Sequence[str | None], files: list[str] | None = None, date_order: str | None = None
) -> pl.DataFrame:
    lf = pl.LazyFrame(
        {
            frame.SOURCE_FILE: files or ["a.csv"] * len(values),
            frame.raw("created_at"): list(values),
        },
        schema={frame.SOURCE_FILE: pl.String, frame.raw("created_at"): pl.String},
    )
    return normalize_dates(lf, date_order).collect()


def _iso(values: Sequence[str | None], date_order: str | None = None) -> list[str | None]:
    return _run(values, date_order=date_order)["created_at"].to_list()


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2026-03-04", "2026-03-04"),
        ("2026-03-04T14:05:00", "2026-03-04T14:05:00"),
        ("2026-03-04T14:05:00Z", "2026-03-04T14:05:00+00:00"),
        ("2026-03-04T14:05:00.123+01:00", "2026-03-04T14:05:00+01:00"),
        ("2026-03-04 14:05:00 +0530", "2026-03-04T14:05:00+05:30"),
        ("2026-03-04 14:05:00", "2026-03-04T14:05:00"),  # Mailchimp
        ("2026-03-04 14:05", "2026-03-04T14:05:00"),
        ("2026/03/04", "2026-03-04"),
        ("04.03.2026", "2026-03-04"),  # German: dots are day-first
        ("4.3.2026 09:15", "2026-03-04T09:15:00"),
        ("4 Mar 2026", "2026-03-04"),
        ("04-Mar-2026", "2026-03-04"),
        ("4th March 2026", "2026-03-04"),
        ("4. März 2026", "2026-03-04"),
        ("March 4, 2026", "2026-03-04"),
        ("Mar 4, 2026 02:05:06 PM", "2026-03-04T14:05:06"),  # Zoom
        ("Mar 4, 2026 12:05:06 AM", "2026-03-04T00:05:06"),
        ("Wed, 4 Mar 2026 14:05:00 +0000", "2026-03-04T14:05:00+00:00"),  # RFC 2822
        ("Wednesday, March 4, 2026", "2026-03-04"),
        ("45355", "2024-03-04"),  # Excel serial
        ("46085.75", "2026-03-04T18:00:00"),
        ("46085,75", "2026-03-04T18:00:00"),  # a European workbook's decimal comma
        ("1772632800", "2026-03-04T14:00:00+00:00"),  # Unix seconds
        ("1772632800000", "2026-03-04T14:00:00+00:00"),  # Unix milliseconds
        ("20260304", "2026-03-04"),  # ISO 8601 basic (SAP, database dumps)
    ],
)
def test_export_formats_become_iso(raw: str, iso: str) -> None:
    out = _run([raw])
    assert out["created_at"].to_list() == [iso]
    assert out[INVALID].to_list() == [False]


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        # The "Download responses (.csv)" of Google Forms: the form owner's time zone
        # as GMT+h, GMT-h, GMT+h:mm; the AM/PM spelled as the owner's locale does.
        ("2026/11/04 10:02:13 AM GMT+1", "2026-11-04T10:02:13+01:00"),
        ("2026/11/04 2:41:33 PM GMT+1", "2026-11-04T14:41:33+01:00"),
        ("2026/11/04 10:02:13 PM GMT-5", "2026-11-04T22:02:13-05:00"),
        ("2026/11/04 10:02:13 AM GMT+10", "2026-11-04T10:02:13+10:00"),
        ("2026/11/04 10:02:13 AM GMT+5:30", "2026-11-04T10:02:13+05:30"),
        ("2026/11/04 10:02:13 AM GMT+05:30", "2026-11-04T10:02:13+05:30"),
        ("2026/11/04 12:02:13 AM GMT", "2026-11-04T00:02:13+00:00"),
        ("2026/11/04 10:02:13 p. m. GMT-5", "2026-11-04T22:02:13-05:00"),  # es
        ("2026/11/04 10:02:13 a.m. UTC+1", "2026-11-04T10:02:13+01:00"),
        # the responses sheet downloaded as CSV (US locale)
        ("11/4/2026 10:02:13", "2026-11-04T10:02:13"),
    ],
)
def test_google_forms_timestamps_become_iso(raw: str, iso: str) -> None:
    out = _run([raw])
    assert out["created_at"].to_list() == [iso]
    assert out[INVALID].to_list() == [False]


def test_google_forms_sheet_timestamps_keep_the_file_s_day_month_order() -> None:
    out = _run(
        ["11/4/2026 10:02:13", "13/11/2026 9:15:00", "11/4/2026 10:02:13", "11/13/2026 9:15:00"],
        files=["uk.csv", "uk.csv", "us.csv", "us.csv"],
    )
    assert out["created_at"].to_list() == [
        "2026-04-11T10:02:13",
        "2026-11-13T09:15:00",
        "2026-11-04T10:02:13",
        "2026-11-13T09:15:00",
    ]
    assert out[ORDER].to_list() == ["dmy", "dmy", "mdy", "mdy"]


@pytest.mark.parametrize(
    "raw",
    ["2026/11/04 10:02:13 AM GMT+15", "2026/11/04 10:02:13 AM GMT+5:75", "2026/11/04 GMT+1"],
)
def test_impossible_offsets_are_flagged(raw: str) -> None:
    out = _run([raw])
    assert out["created_at"].to_list() == [None]
    assert out[INVALID].to_list() == [True]


@pytest.mark.parametrize(
    "raw",
    ["garbage", "2026-02-30", "31/02/2026", "2026-13-01", "25:00", "45355abc", "0",
     "12345", "Mar 44, 2026", "2026-03-04 25:61:00", "13:05 PM", "Foo 4, 2026", "20261304",
     "20260230", "12345678"],
)  # fmt: skip
def test_unreadable_values_are_flagged(raw: str) -> None:
    out = _run([raw])
    assert out["created_at"].to_list() == [None]
    assert out[INVALID].to_list() == [True]


def test_blank_is_null_and_not_flagged() -> None:
    out = _run([None, "", "  "])
    assert out["created_at"].to_list() == [None, None, None]
    assert out[INVALID].to_list() == [False, False, False]


def test_a_first_part_over_12_makes_the_whole_file_day_first() -> None:
    out = _run(["03/04/2026", "13/04/2026", "3/4/2026 14:05:00"])
    assert out["created_at"].to_list() == ["2026-04-03", "2026-04-13", "2026-04-03T14:05:00"]
    assert out[ORDER].to_list() == ["dmy"] * 3


def test_a_second_part_over_12_makes_the_whole_file_month_first() -> None:
    out = _run(["03/04/2026", "12/25/2026", "3/4/2026 14:05:00"])  # Google Forms
    assert out["created_at"].to_list() == ["2026-03-04", "2026-12-25", "2026-03-04T14:05:00"]
    assert out[ORDER].to_list() == ["mdy"] * 3


def test_order_is_decided_per_file_not_per_row() -> None:
    out = _run(
        ["03/04/2026", "25/12/2026", "03/04/2026", "12/25/2026"],
        files=["eu.csv", "eu.csv", "us.csv", "us.csv"],
    )
    assert out["created_at"].to_list() == ["2026-04-03", "2026-12-25", "2026-03-04", "2026-12-25"]
    assert out[ORDER].to_list() == ["dmy", "dmy", "mdy", "mdy"]


def test_without_evidence_the_hint_decides_and_is_reported_as_assumed() -> None:
    assert _iso(["03/04/2026"]) == ["2026-03-04"]
    assert _run(["03/04/2026"])[ORDER].to_list() == ["mdy (assumed)"]
    assert _iso(["03/04/2026"], date_order="dmy") == ["2026-04-03"]
    assert _run(["03/04/2026"], date_order="dmy")[ORDER].to_list() == ["dmy (assumed)"]


def test_evidence_beats_the_hint() -> None:
    assert _iso(["03/04/2026", "12/25/2026"], date_order="dmy") == ["2026-03-04", "2026-12-25"]


def test_conflicting_evidence_follows_the_majority_and_says_mixed() -> None:
    out = _run(["13/01/2026", "14/01/2026", "01/15/2026", "02/03/2026"])
    assert out[ORDER].to_list() == ["dmy (mixed)"] * 4
    # Rows that prove their own order keep it; the undecided row follows the majority.
    assert out["created_at"].to_list() == ["2026-01-13", "2026-01-14", "2026-01-15", "2026-03-02"]


def test_files_without_slashed_dates_have_no_order() -> None:
    out = _run(["2026-03-04", "04.03.2026", None, "x"])
    assert out[ORDER].to_list() == [None] * 4


def test_a_dotted_date_that_proves_day_first_is_evidence_for_the_file() -> None:
    # 13.03.2024 can only be day-first: the file's slashed dates are read so too.
    out = _run(["13.03.2024", "03/04/2024", "04.03.2024"])
    assert out["created_at"].to_list() == ["2024-03-13", "2024-04-03", "2024-03-04"]
    assert out[ORDER].to_list() == ["dmy"] * 3


def test_two_digit_years() -> None:
    assert _iso(["12/25/26", "12/25/99", "4 Mar 26"]) == ["2026-12-25", "1999-12-25", "2026-03-04"]


def test_two_digit_years_follow_the_spreadsheets_window() -> None:
    """Excel, Google Sheets and LibreOffice read 00-29 as 20xx and 30-99 as 19xx, so
    a created date shows the year the marketer saw in the sheet (Python's %y pivot
    at 69 made "3/4/45" 2045 where the sheet shows 1945)."""
    values = ["1/1/00", "3/4/29", "3/4/30", "3/4/45", "12/31/99", "4 Mar 45"]
    assert _iso(values) == [
        "2000-01-01",
        "2029-03-04",
        "1930-03-04",
        "1945-03-04",
        "1999-12-31",
        "1945-03-04",
    ]


def test_date_order_must_be_dmy_or_mdy() -> None:
    with pytest.raises(ValueError, match="date_order"):
        normalize_dates(pl.LazyFrame(), "ymd")


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
            st.sampled_from(["%Y-%m-%d", "%m/%d/%Y", "%d %b %Y", "%B %d, %Y %I:%M:%S %p",
                             "%Y-%m-%d %H:%M:%S", "%d.%m.%Y"]),
        ),
        min_size=1,
        max_size=20,
    )
)  # fmt: skip
def test_written_dates_read_back_and_iso_is_idempotent(
    moments: list[tuple[datetime, str]],
) -> None:
    """Slashed dates here are month-first, the default when a file proves nothing; the
    dotted ones fall on days 1-12 (a 13.03. would prove the file day-first)."""
    moments = [
        (moment.replace(day=min(moment.day, 12)) if "." in fmt else moment, fmt)
        for moment, fmt in moments
    ]
    values = [moment.strftime(fmt) for moment, fmt in moments]
    out = _run(values)
    expected = [
        moment.strftime("%Y-%m-%dT%H:%M:%S") if "%H" in fmt or "%I" in fmt else
        moment.strftime("%Y-%m-%d")
        for moment, fmt in moments
    ]  # fmt: skip
    assert out["created_at"].to_list() == expected
    assert _iso(out["created_at"].to_list()) == expected


def test_excel_serials_agree_with_python_dates_over_decades() -> None:
    serials = list(range(20_000, 80_000, 997))
    expected = [(date(1899, 12, 30) + timedelta(days=n)).isoformat() for n in serials]
    assert _iso([str(n) for n in serials]) == expected


def test_the_majority_counts_rows_not_distinct_values() -> None:
    # One day-first value against the same month-first value on three rows.
    out = _run(["13/01/2026", "01/15/2026", "01/15/2026", "01/15/2026", "02/03/2026"])
    assert out[ORDER].to_list() == ["mdy (mixed)"] * 5
    assert out["created_at"].to_list()[-1] == "2026-02-03"


def test_a_google_forms_export_keeps_its_timestamps() -> None:
    forms = Path(__file__).parents[1] / "data" / "exports" / "google_forms_event_signup.csv"
    result = triage([str(forms)])
    rows = pl.concat([result.accepted, result.review, result.rejected], how="diagonal")
    assert sorted(rows["created_at"].to_list()) == [
        "2026-11-04T10:02:13+01:00",
        "2026-11-04T10:05:41+01:00",
    ]
    assert "date.invalid" not in result.summary.reasons


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2024-03-04 14:05 CET", "2024-03-04T14:05:00+01:00"),
        ("2024-07-04 14:05 CEST", "2024-07-04T14:05:00+02:00"),
        ("03/04/2024 9:30 AM EST", "2024-03-04T09:30:00-05:00"),
        ("2024-03-04 14:05:00 PDT", "2024-03-04T14:05:00-07:00"),
        ("04.03.2024 14:05 MEZ", "2024-03-04T14:05:00+01:00"),
        ("2024-03-04 14:05 BST", "2024-03-04T14:05:00+01:00"),
    ],
)
def test_zone_abbreviations_become_their_offsets(raw: str, iso: str) -> None:
    """Event tools write zones as letters: the date was flagged invalid and dropped."""
    out = _run([raw], date_order="mdy") if raw.startswith("03/") else _run([raw])
    assert out["created_at"].to_list() == [iso]
    assert out[INVALID].to_list() == [False]


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("5 de marzo de 2024", "2024-03-05"),
        ("le 5 mars 2024", "2024-03-05"),
        ("5th of March 2024", "2024-03-05"),
        ("5 de março de 2024", "2024-03-05"),
        ("5 di marzo 2024", "2024-03-05"),
    ],
)
def test_long_dates_with_their_little_words_are_read(raw: str, iso: str) -> None:
    """Spanish, Portuguese and French forms write dates in words: date.invalid before."""
    out = _run([raw])
    assert out["created_at"].to_list() == [iso]
