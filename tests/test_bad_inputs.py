"""The corpus of broken and hostile inputs (issue 11): each runs and keeps every
row, or is refused with one clear line, exit 1 or 2, no traceback, no
"unexpected" internal error and no partial output.

The small files are in tests/data/bad/; the big hostile ones are made by
tests/make_bad_inputs.py into a temporary folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadtriage.cli import app

HERE = Path(__file__).parent
SMALL = HERE / "data" / "bad"
runner = CliRunner()

# What each file must give: 0 (runs, conserves rows) or the refusal's exit status
# and a phrase of its one line.
EXPECTED: dict[str, tuple[int, str]] = {
    "empty.csv": (1, "the file is empty"),
    "blank_lines.csv": (1, "the file is empty"),
    "bom_only.csv": (1, "the file is empty"),
    "binary.csv": (1, "not a text table"),
    "nul_bytes.csv": (0, ""),  # a damaged export: its rows are read
    "only_header.csv": (0, ""),
    "cr_only_short_rows.csv": (0, ""),
    "unbalanced_quote.csv": (1, ":2: a quoted value opened on this line is never closed"),
    "unbalanced_quote_cr.csv": (1, ":2: a quoted value opened on this line is never closed"),
    "formula_headers.csv": (0, ""),
    "pattern_headers.csv": (0, ""),
    "reserved_headers.csv": (0, ""),
    "duplicate_headers.csv": (0, ""),
    "ragged_rows.csv": (0, ""),
    "sep_hint.csv": (0, ""),
    "mixed_encoding.csv": (0, ""),
    "mojibake.csv": (0, ""),
    "utf16_excel.txt": (0, ""),
    "csv_named.xlsx": (0, ""),
    "old_excel.xls": (1, "old-style Excel"),
    "broken.xlsx": (1, "not a readable Excel workbook"),
    "not_a_zip.zip": (1, "not a readable zip archive"),
    "zip_without_csv.zip": (1, "holds no CSV, Excel, JSON or Parquet file"),
    "duplicate_members.zip": (0, ""),
    "truncated.parquet": (1, "not a readable Parquet file"),
    "deep.json": (1, "nested deeper than 100 levels"),
    "deep.ndjson": (1, "nested deeper than 100 levels"),
    "object.json": (1, "not an array"),
    "salesforce_report.csv": (0, ""),
    "report_preamble.csv": (0, ""),
    "headerless.csv": (0, ""),
    "unknown_type.pdf": (2, "unknown file type"),
    "bomb_5gib.zip": (1, "over the limit of 1 GiB"),
    "bomb_ratio.zip": (1, "over the limit of 200 times"),
    "shared_string_3gib.xlsx": (1, "xl/sharedStrings.xml uncompressed is 3 GiB"),
    "rows_100m.parquet": (1, "100,000,000 rows"),
    "huge_field.csv": (1, "a value is 17 MiB, over the limit of 16 MiB"),
    "long_line.ndjson": (1, "the line is 17 MiB, over the limit of 16 MiB"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    subprocess.run(
        [sys.executable, str(HERE / "make_bad_inputs.py"), str(folder), "--generated"],
        check=True,
        capture_output=True,
    )
    return folder


def test_the_committed_corpus_is_what_the_script_writes(corpus: Path) -> None:
    committed = sorted(p.name for p in SMALL.iterdir())
    assert committed and set(committed) <= set(EXPECTED)
    for name in committed:
        assert (SMALL / name).read_bytes() == (corpus / name).read_bytes(), name


def test_every_file_of_the_corpus_is_expected(corpus: Path) -> None:
    assert sorted(p.name for p in corpus.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_runs_whole_or_is_refused_in_one_line(
    corpus: Path, tmp_path: Path, name: str
) -> None:
    status, phrase = EXPECTED[name]
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(corpus / name), "--out-dir", str(out), "--json"])
    assert result.exit_code == status, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    if status:
        first, *rest = result.stderr.splitlines()
        assert first.startswith(f"leadtriage: error: {corpus / name}"), first
        assert phrase in first
        assert all(line.startswith("hint: ") for line in rest)
        assert not out.exists()
        return
    summary = json.loads(result.stdout)
    assert sum(summary["outputs"].values()) == summary["rows_in"]
    assert summary["rows_in"] == sum(i["rows"] for i in summary["inputs"])
