"""Random CSV bytes and random header sets through the whole triage (issue 11).

Whatever the bytes, a run either fails with one of our own errors (a clear line for
the user) or succeeds and conserves rows: every data row the reader found lands in
exactly one output, once.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadtriage.errors import LeadtriageError
from leadtriage.pipeline import ReadSettings, read_inputs, triage

# Headers the exports people feed in really carry, with the hostile ones seen.
KNOWN_HEADERS = [
    "Email",
    "Email Address",
    "E-mail",
    "Phone",
    "Mobile Phone",
    "First Name",
    "Last Name",
    "Full Name",
    "Company",
    "Company / Account",
    "Country",
    "Email Opt Out",
    "Created Date",
    "source_file",
    "source_row",
    "reasons",
    "=x",
    "'=x",
    "+SUM(A1)",
    "",
    " ",
    "\ufeffEmail",
    "Report Generated:",
    "Total",
]
CELL_TEXT = st.text(
    alphabet=st.sampled_from(list("ab@.,;\t|\"'\r\n =+-0123456789éÖ€\u2028x")), max_size=12
)
CELLS = st.one_of(
    CELL_TEXT,
    st.sampled_from(["ann@example.com", "+44 20 7946 0958", "Müller", "", "=1+1", "N/A"]),
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV-ish file: a header drawn from real and hostile names, rows of any
    length, any line end and delimiter, in UTF-8 or Windows-1252."""
    header = draw(
        st.lists(st.one_of(st.sampled_from(KNOWN_HEADERS), CELL_TEXT), min_size=1, max_size=6)
    )
    rows = draw(st.lists(st.lists(CELLS, max_size=8), max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    line_end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote = draw(st.booleans())

    def field(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if quote else value

    text = line_end.join(delimiter.join(field(v) for v in row) for row in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding, errors="replace")


def _run(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "fuzz.csv"
    source.write_bytes(content)
    try:
        tables = read_inputs([str(source)], ReadSettings())
        result = triage([str(source)])
    except LeadtriageError:
        return  # refused with a clear line: allowed
    read_rows = sum(t.frame.height for t in tables)
    outputs = [result.accepted, result.review, result.rejected]
    assert sum(frame.height for frame in outputs) == read_rows == result.routed.height
    rows = result.routed.get_column("source_row").sort()
    assert rows.to_list() == list(range(1, read_rows + 1))
    assert result.summary.as_dict()  # the summary is whole too
    assert all(isinstance(frame, pl.DataFrame) for frame in outputs)


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(content=csv_files())
def test_random_csv_files_run_or_fail_cleanly_and_conserve_rows(
    tmp_path: Path, content: bytes
) -> None:
    _run(tmp_path, content)


@FUZZ
@given(content=st.binary(min_size=1, max_size=300))
def test_random_bytes_run_or_fail_cleanly_and_conserve_rows(tmp_path: Path, content: bytes) -> None:
    _run(tmp_path, content)
