"""CSV specifics: ragged rows, headers, delimiters, line ends, quoting."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from leadtriage.errors import InputError
from leadtriage.io import read as read_module
from leadtriage.io.encoding import repair_double_encoded
from leadtriage.io.header import mark_footer
from leadtriage.io.read import (
    _polars_csv,
    _python_csv,
    clean_headers,
    read_table,
    sniff_delimiter,
)


def _read(
    tmp_path: Path, content: bytes, name: str = "campaign.csv"
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    path = tmp_path / name
    path.write_bytes(content)
    table = read_table(str(path))
    return table.frame.drop("source_file", "source_row"), table.warnings


def test_short_rows_are_padded_with_nulls(tmp_path: Path) -> None:
    frame, warnings = _read(tmp_path, b"Email,Phone,City\na@x.com,0123\nb@x.com\n")
    assert frame.rows() == [("a@x.com", "0123", None), ("b@x.com", None, None)]
    assert warnings == ()


def test_long_rows_keep_their_extra_values_and_warn_with_the_line(tmp_path: Path) -> None:
    content = (
        b"Email,Company,Address\n"
        b'a@x.com,"Acme, Inc.","1 Main St\nSuite 2\nFloor 3"\n'  # lines 2-4
        b"b@x.com,Beta,Road 1,EXTRA1,EXTRA2\n"  # line 5
        b"c@x.com,Gamma,Road 2\n"
        b"d@x.com,Delta,Road 3,EXTRA3\n"  # line 7
    )
    frame, warnings = _read(tmp_path, content)
    assert frame.columns == ["Email", "Company", "Address", "column_4", "column_5"]
    assert frame.rows() == [
        ("a@x.com", "Acme, Inc.", "1 Main St\nSuite 2\nFloor 3", None, None),
        ("b@x.com", "Beta", "Road 1", "EXTRA1", "EXTRA2"),
        ("c@x.com", "Gamma", "Road 2", None, None),
        ("d@x.com", "Delta", "Road 3", "EXTRA3", None),
    ]
    source = tmp_path / "campaign.csv"
    assert warnings == (
        f"{source}:5: 5 fields where the header has 3; extra values kept in column_4, column_5",
        f"{source}:7: 4 fields where the header has 3; extra values kept in column_4",
    )


def test_warning_never_carries_cell_values(tmp_path: Path) -> None:
    _, warnings = _read(tmp_path, b"Email,Name\nsecret@x.com,Secret Person,oops\n")
    assert len(warnings) == 1
    assert "secret" not in warnings[0].lower().replace(str(tmp_path).lower(), "")


def test_trailing_delimiters_add_no_empty_columns(tmp_path: Path) -> None:
    frame, warnings = _read(tmp_path, b"Email,Phone\na@x.com,0123,\nb@x.com,,,\n")
    assert frame.rows() == [("a@x.com", "0123"), ("b@x.com", None)]
    assert warnings == ()


def test_headers_named_like_the_readers_columns_are_kept_apart(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"source_row,Email\n17,a@x.com\n")
    frame = read_table(str(path)).frame
    assert frame.columns == ["source_row (input)", "Email", "source_file", "source_row"]
    assert frame.row(0) == ("17", "a@x.com", str(path), 1)


def test_many_long_rows_give_a_bounded_number_of_warnings(tmp_path: Path) -> None:
    content = b"a,b\n" + b"1,2,3\n" * 100
    frame, warnings = _read(tmp_path, content)
    assert frame.height == 100
    assert len(warnings) == 21
    assert warnings[-1].endswith("80 more rows with more fields than the header")


def test_duplicate_and_blank_headers_are_made_unique(tmp_path: Path) -> None:
    content = "\ufeff Email ,Phone,Email,,Email, ,Email_2\n1,2,3,4,5,6,7\n".encode()
    frame, _ = _read(tmp_path, content)
    assert frame.columns == [
        "Email",
        "Phone",
        "Email_3",
        "column_4",
        "Email_4",
        "column_6",
        "Email_2",
    ]
    assert frame.row(0) == ("1", "2", "3", "4", "5", "6", "7")


def test_clean_headers_reserves_the_readers_own_columns() -> None:
    assert clean_headers(["source_file", "source_row", None, "x", "x"]) == [
        "source_file (input)",
        "source_row (input)",
        "column_3",
        "x",
        "x_2",
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    rows = [
        ["Email", "Company", "Notes"],
        ["a@x.com", "Acme, Inc.", "semi; colon"],
        ["b@x.com", "Pipe | Co", "tab\there"],
    ]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path = tmp_path / "d.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    table = read_table(str(path))
    assert table.delimiter == delimiter
    assert table.frame.drop("source_file", "source_row").rows() == [tuple(r) for r in rows[1:]]


def test_excel_separator_line_names_the_delimiter(tmp_path: Path) -> None:
    content = b'sep=;\r\nEmail;Company\r\na@x.com;"Acme, Inc."\r\nb@x.com;B;extra\r\n'
    for name, data in (("fast.csv", content), ("exact.csv", content.replace(b"Acme", b'A"cme'))):
        frame, warnings = _read(tmp_path, data, name)
        assert frame.columns == ["Email", "Company", "column_3"]
        assert frame.row(1) == ("b@x.com", "B", "extra")
        assert warnings == (
            f"{tmp_path / name}:4: 3 fields where the header has 2; extra values kept in column_3",
        )


def test_european_semicolon_file_with_decimal_commas() -> None:
    sample = "Name;Betrag;Stadt\nMüller;1,50;Köln\nSchmidt;2,75;Bonn\n"
    assert sniff_delimiter(sample) == ";"


def test_single_column_file_keeps_commas_inside_values(tmp_path: Path) -> None:
    frame, warnings = _read(tmp_path, b"Company\nAcme, Inc.\nBeta\n")
    assert frame.rows() == [("Acme, Inc.",), ("Beta",)]
    assert warnings == ()


def test_crlf_and_old_mac_line_ends(tmp_path: Path) -> None:
    for line_end in (b"\r\n", b"\r"):
        content = line_end.join([b"a,b", b'1,"x' + line_end + b'y"', b"3,4", b""])
        frame, _ = _read(tmp_path, content)
        assert frame.rows() == [("1", "x" + line_end.decode() + "y"), ("3", "4")]


def test_lone_carriage_return_inside_a_value_is_kept(tmp_path: Path) -> None:
    # Python's own csv writer leaves a lone CR unquoted in a file of LF lines.
    frame, _ = _read(tmp_path, b"a,b\nx\r,y\nz,old\rmac\n")
    assert frame.rows() == [("x\r", "y"), ("z", "old\rmac")]


def test_blank_cells_become_null_but_whitespace_is_kept(tmp_path: Path) -> None:
    frame, _ = _read(tmp_path, b'a,b,c\n,"", \n"  x ",\t, "q"\n')
    assert frame.rows() == [(None, None, " "), ("  x ", "\t", ' "q"')]


@pytest.mark.parametrize(
    "content",
    [
        b"Email,Name\na@x.com,Ann\nb@x.com,Bo\n\x1a",  # read as a third row of "\x1a"
        b"Email,Name\r\na@x.com,Ann\r\nb@x.com,Bo\r\n\x1a\r\n",
        b"Email,Name\na@x.com,Ann\nb@x.com,Bo\x1a",  # read as "Bo\x1a"
        b"Email,Name\na@x.com,Ann\nb@x.com,Bo\n\x1a\n\n",
        "Email;Name\na@x.com;Ann\nb@x.com;Bo\n\x1a".encode("cp1252"),
    ],
)
def test_a_dos_end_of_file_mark_is_no_row(tmp_path: Path, content: bytes) -> None:
    frame, _ = _read(tmp_path, content)
    assert frame.rows() == [("a@x.com", "Ann"), ("b@x.com", "Bo")]


def test_ctrl_z_anywhere_else_is_data(tmp_path: Path) -> None:
    frame, _ = _read(tmp_path, b"Email,Name\na@x.com,A\x1an\n\x1a,Bo\n\x1a\x1a")
    assert frame.rows() == [("a@x.com", "A\x1an"), ("\x1a", "Bo"), ("\x1a", None)]


def test_a_utf16_file_ending_in_a_0x1a_byte_keeps_its_last_character(tmp_path: Path) -> None:
    # "К" (U+041A) is the bytes 04 1A in UTF-16 BE: no end-of-file mark.
    frame, _ = _read(tmp_path, "\ufeffName,City\nAnn,К".encode("utf-16-be"))
    assert frame.rows() == [("Ann", "К")]


def test_a_file_of_only_an_end_of_file_mark_is_empty(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        _read(tmp_path, b"\x1a\r\n")


def test_blank_lines_inside_are_rows_but_trailing_ones_are_not(tmp_path: Path) -> None:
    for content in (b"a,b\n1,2\n\n3,4\n\n\n", b"a,b\r\n1,2\r\n\r\n3,4\r\n\r\n"):
        frame, _ = _read(tmp_path, content)
        assert frame.rows() == [("1", "2"), (None, None), ("3", "4")]


def test_stray_quotes_are_read_as_text_by_the_exact_path(tmp_path: Path) -> None:
    frame, _ = _read(tmp_path, b'Name,Nick\nBob,Rob "the boss" R\nAnn,5" tall\n')
    assert frame.rows() == [("Bob", 'Rob "the boss" R'), ("Ann", '5" tall')]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        # Read leniently, rows 4,5 and 6,7 became one value of row 3, exit 0.
        (b'a,b\n1,2\n3,"never closed\n4,5\n6,7\n', 3),
        (b'a,b\r\n1,2\r\n3,"never closed\r\n4,5\r\n6,7', 3),
        (b'a,b\r1,2\r3,"never closed\r4,5\r', 3),
        ('a;b\n1;é\n3;"never closed\n4;5\n'.encode("cp1252"), 3),
        ('a,b\n1,2\n3,"never closed\n4,5\n'.encode("utf-16"), 3),
        (b'a,b\n1,2\n3,"closed" then,"never closed\n4,5\n', 3),
        (b'a,b\n1,"two\nlines"\n3,"never closed\n4,5\n', 4),
        (b'a,b\n1,2\n"', 3),
        # The header's quote: read as a header holding the rest and no rows, exit 0.
        (b'"', 1),
        (b'"\n', 1),
        (b'a,"b\n1,2\n3,4\n', 1),
        (b'sep=,\na,"b\n1,2\n', 2),
        (b'Report\nfilters\n\nEmail,Name\nann@x.com,Ann\nbob@x.com,"Bob\ncat@x.com,Cat\n', 6),
        (b'ann@x.com,Ann\nbob@x.com,"Bob\ncat@x.com,Cat\n', 2),
    ],
)
def test_a_quote_never_closed_is_refused_naming_the_line_it_opens_on(
    tmp_path: Path, content: bytes, line: int
) -> None:
    with pytest.raises(InputError) as caught:
        _read(tmp_path, content)
    assert caught.value.message == (
        f"{tmp_path / 'campaign.csv'}:{line}: a quoted value opened on this line is never closed"
    )
    assert caught.value.hint


@pytest.mark.parametrize(
    ("content", "rows"),
    [
        (b'a,b\n1,"two\nlines"\n', [("1", "two\nlines")]),
        (b'a,b\n1,"two\nlines"', [("1", "two\nlines")]),
        (b'a,b\n1,"quoted" then more\n', [("1", "quoted then more")]),
        (b'a,"b\nc"\n', []),
        (b'a,b\n1,5" tall\n', [("1", '5" tall')]),
    ],
)
def test_quotes_that_close_are_read(
    tmp_path: Path, content: bytes, rows: list[tuple[str, str]]
) -> None:
    frame, _ = _read(tmp_path, content)
    assert frame.rows() == rows


def test_plain_files_take_the_polars_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_exact_path(*_: object) -> None:
        raise AssertionError("the exact path was used")

    monkeypatch.setattr(read_module, "_python_csv", no_exact_path)
    for encoding, line_end in (("utf-8", "\n"), ("utf-8-sig", "\r\n"), ("cp1252", "\r\n")):
        text = line_end.join(["Email;Name", "a@x.com;Zoë", '"b@x.com";"Ærø; ""Co"""', ""])
        frame, _ = _read(tmp_path, text.encode(encoding))
        assert frame.rows() == [("a@x.com", "Zoë"), ("b@x.com", 'Ærø; "Co"')]


def test_utf8_file_with_a_late_cp1252_byte_is_read_as_cp1252(tmp_path: Path) -> None:
    content = b"Name,City\n" + b"Ann,Leeds\n" * 20_000 + "Zoë,Zürich\n".encode("cp1252")
    path = tmp_path / "late.csv"
    path.write_bytes(content)
    table = read_table(str(path))
    assert table.encoding == "cp1252"
    assert table.frame.row(-1)[:2] == ("Zoë", "Zürich")


def test_cyrillic_windows_1251_is_not_taken_for_western(tmp_path: Path) -> None:
    text = "Имя;Город;Email\nИван;Москва;ivan@x.ru\nПётр;Санкт-Петербург;petr@x.ru\n"
    path = tmp_path / "ru.csv"
    path.write_bytes(text.encode("cp1251"))
    table = read_table(str(path))
    assert table.frame.row(1)[:2] == ("Пётр", "Санкт-Петербург")


def test_utf16_big_endian_and_without_bom(tmp_path: Path) -> None:
    text = "Email\tName\r\na@x.com\tZoë\r\n"
    for encoding, content in (
        ("utf-16", b"\xfe\xff" + text.encode("utf-16-be")),
        ("utf-16-le", text.encode("utf-16-le")),
    ):
        path = tmp_path / "u.txt"
        path.write_bytes(content)
        table = read_table(str(path))
        assert table.encoding == encoding
        assert table.frame.row(0)[:2] == ("a@x.com", "Zoë")


# --- the fast path against the exact one -------------------------------------

_HOSTILE = [
    "",
    " ",
    "a",
    "Acme, Inc.",
    'say "hi"',
    '"',
    '""',
    "semi;colon",
    "tab\there",
    "pipe|x",
    "line\nbreak",
    "crlf\r\nbreak",
    "\n",
    "0044 20 7946 0958",
    "01234",
    "=1+2",
    "@sum",
    "Zoë Ærø",
    "José Müller",
    "日本語",
    "emoji 🎉",
    "\u200b",
    " lead ",
    "\ufeffbom",
    "'",
    "\\",
    "a,b,c",
    ",",
    ";",
    "\t",
]


def _random_value(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(_HOSTILE)
    alphabet = 'ab,;|\t\n" éÆ🎉01 '
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def _blank_as_null(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in frame.columns)


@pytest.mark.parametrize("ragged", [False, True], ids=["rectangular", "ragged"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_polars_path_agrees_with_the_csv_module(delimiter: str, ragged: bool) -> None:
    rng = random.Random(f"{delimiter}{ragged}")
    header = [f"h{i}" for i in range(6)]
    lengths = [rng.choice([2, 5, 6, 6, 6, 6, 7, 9]) if ragged else 6 for _ in range(3000)]
    rows = [[_random_value(rng) for _ in range(n)] for n in lengths]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=rng.choice(["\n", "\r\n"]))
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()

    fast = _polars_csv(text.encode(), delimiter, header, b"", "d.csv")
    exact = _python_csv(text, delimiter, "d.csv")

    assert fast is not None
    assert_frame_equal(_blank_as_null(fast.frame), _blank_as_null(exact.frame))
    assert fast.header == exact.header
    assert fast.warnings == exact.warnings
    assert bool(fast.warnings) == ragged
    if not ragged:
        assert exact.frame.rows() == [tuple(r) for r in rows]


# --- written by Python's csv module, read back exactly ------------------------

_ONE_CHAR_PUNCTUATION = [*",;|\t\n\r\"' =+-@", "\u00a0"]
_any_cell = st.text(
    alphabet=st.sampled_from(_ONE_CHAR_PUNCTUATION)
    | st.characters(exclude_categories=("Cs", "Cc")),
    max_size=15,
)
# Windows-1252 text is only told from UTF-8 and from other code pages by how real
# words look, so its cells mix punctuation with Western words, each with an ASCII letter.
_WESTERN_WORDS = ["Zoë", "Müller", "Ærø", "José", "Straße", "Ångström", "a", "0"]
_cp1252_cell = st.lists(
    st.sampled_from([*_ONE_CHAR_PUNCTUATION, "\r\n", *_WESTERN_WORDS]), max_size=6
).map("".join)


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[list[str]], str]:
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    cell = _cp1252_cell if encoding == "cp1252" else _any_cell
    rows = draw(st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=8))
    return rows, encoding


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=_tables(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_hostile_tables_read_back_exactly(
    table: tuple[list[list[str]], str], delimiter: str, line_end: str
) -> None:
    rows, encoding = table
    # Python's writer leaves a lone CR unquoted: one ending a row, before an LF line
    # end, is a CRLF that no reader can tell from one.
    assume(not any(row[-1].endswith("\r") for row in rows))
    # Double-encoded UTF-8 (Ã¶) is mended on purpose (tests/io/test_read_encodings.py),
    # and a trailing footer line (Total, Copyright ...) is marked, not a plain row.
    assume(not any(repair_double_encoded(value)[1] for row in rows for value in row))
    cells = pl.DataFrame(
        [[value or None for value in row] for row in rows],
        schema=dict.fromkeys("abc", pl.String),
        orient="row",
    )
    assume(mark_footer(cells, "abc").width == 3)
    header = ["Email", "Company", "Notes"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    content = buffer.getvalue().encode(encoding)

    read = read_table("-", input_format="csv", stdin=io.BytesIO(content))

    assert read.delimiter == delimiter
    assert read.frame.columns == [*header, "source_file", "source_row"]
    expected = [tuple(value or None for value in row) for row in rows]
    assert read.frame.drop("source_file", "source_row").rows() == expected


def test_a_space_after_the_delimiter_before_a_quote_keeps_the_quoted_value_whole(
    tmp_path: Path,
) -> None:
    """Hand-written CSV ('a, "Foo, Inc", b'): the quote was read as text, the comma in
    it split the value, and the phone landed in an extra column."""
    path = tmp_path / "leads.csv"
    path.write_bytes(
        b'Email, Company, Phone\na@acme.com, "Foo, Inc", +49 30 1234567\n'
        b"b@acme.com, Bar GmbH, +49 30 7654321\n"
    )
    table = read_table(str(path))
    assert table.data_columns == ["Email", "Company", "Phone"]
    assert table.frame["Company"].to_list() == ["Foo, Inc", "Bar GmbH"]
    assert table.frame["Phone"].to_list() == ["+49 30 1234567", "+49 30 7654321"]
    assert not table.warnings


def test_a_closing_quote_after_a_comma_and_a_space_keeps_every_cell_as_typed(
    tmp_path: Path,
) -> None:
    """`", "` ends a quoted value holding a comma and a space: it is no quote opened
    after a space, so no cell loses its spaces (a lone space stayed a space, not a
    blank; found by test_hostile_tables_read_back_exactly)."""
    path = tmp_path / "leads.csv"
    path.write_bytes('Email,Company,Notes\n ,", ",","\nx@acme.com, lead ,"a, b"\n'.encode("cp1252"))
    table = read_table(str(path))
    assert table.frame.select("Email", "Company", "Notes").rows() == [
        (" ", ", ", ","),
        ("x@acme.com", " lead ", "a, b"),
    ]


def test_a_column_without_a_name_or_a_value_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "spacer.csv"
    path.write_text("Email,,Company,\na@x.com,,Acme,\nb@x.com, ,Bolt,kept\n")

    table = read_table(str(path))

    assert table.frame.columns == ["Email", "Company", "column_4", "source_file", "source_row"]
    assert table.frame["column_4"].to_list() == [None, "kept"]


def test_a_lone_space_before_a_quoted_tab_in_a_tab_separated_file_stays() -> None:
    # A tab is no space before a quote: the skip of spaces after a delimiter is for
    # hand-written 'a, "Foo, Inc"' only, and here it blanked the cell " ".
    content = 'Email\tCompany\tNotes\n\t \t"\t"\n'.encode("cp1252")
    read = read_table("-", input_format="csv", stdin=io.BytesIO(content))
    assert read.frame.drop("source_file", "source_row").rows() == [(None, " ", "\t")]
