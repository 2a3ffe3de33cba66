"""Property: every input row lands in exactly one output, once, whatever the cells hold."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadtriage.io.write import WriteOptions, write_outputs
from leadtriage.pipeline import triage

HEADERS = ["Email", "Phone", "First Name", "Company", "Country", "Notes"]
HOSTILE = st.sampled_from(
    [
        '=HYPERLINK("http://x","y")',
        "+14155550132",
        "@SUM(1)",
        "-1",
        "a,b",
        'q"uote',
        "line\nbreak",
        "  ",
        "",
        "Zoë",
        "jane@acme.com",
        "not an email",
        "\t=cmd",
        "null",
        "NaN",
        "0044 20 7946 0958",
        "4.47911E+11",
        "😀",
        "\u200b",
    ]
)
# Control characters are left out: a file full of them is refused as binary, which
# is a clear error, not a lost row (tests/io cover that refusal).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
CELL = st.one_of(HOSTILE, TEXT)
ROW = st.lists(CELL, min_size=len(HEADERS), max_size=len(HEADERS))


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(ROW, max_size=25), min_size=1, max_size=3),
)
def test_every_row_lands_in_exactly_one_output(files: list[list[list[str]]]) -> None:
    # Cells with NUL or lone surrogates cannot be written as UTF-8 text.
    files = [[[c.replace("\x00", "") for c in row] for row in rows] for rows in files]
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for index, rows in enumerate(files):
            path = Path(tmp) / f"in{index}.csv"
            _write_csv(path, rows)
            paths.append(str(path))
        result = triage(paths)
        outputs = result.tables()
        keys = pl.concat([df.select("source_file", "source_row") for df in outputs.values()])
        expected = pl.DataFrame(
            {
                "source_file": [p for p, rows in zip(paths, files, strict=True) for _ in rows],
                "source_row": [i + 1 for rows in files for i in range(len(rows))],
            },
            schema={"source_file": pl.String, "source_row": pl.Int64},
        )
        assert keys.sort(pl.all()).equals(expected.sort(pl.all()))
        assert sum(result.summary.outputs.values()) == result.summary.rows_in == expected.height

        out = Path(tmp) / "out"
        write_outputs(out, outputs, result.summary.as_dict(), WriteOptions())
        for name in outputs:
            text = (out / f"{name}.csv").read_text(encoding="utf-8")
            for record in csv.reader(io.StringIO(text)):
                for cell in record:
                    assert not cell.startswith(("=", "@", "\t", "\r")), cell
