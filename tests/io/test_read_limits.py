"""Readers check sizes before they allocate (issue 11): bombs are refused in one line.

The hostile files are small real files whose metadata claims big sizes (a zip's
central directory, a Parquet footer), so the tests stay fast and never allocate
what the files claim.
"""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.errors import InputError, UsageError
from leadtriage.io.limits import GIB, KIB, MIB, Limits, format_size, parse_size
from leadtriage.io.read import read_table, read_tables

SMALL = Limits(max_input_size=64 * KIB)  # values up to 1 KiB


def _load_maker() -> ModuleType:
    """The corpus script's builders (tests are not a package, so loaded by path)."""
    path = Path(__file__).parents[1] / "make_bad_inputs.py"
    spec = importlib.util.spec_from_file_location("make_bad_inputs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_maker = _load_maker()
claim_size = _maker.claim_size
workbook_bytes = _maker.workbook_bytes


def zip_bytes(members: dict[str, bytes]) -> bytes:
    return bytes(_maker.zip_bytes(list(members.items())))


def test_zip_expanding_to_5_gib_is_refused_from_its_directory(tmp_path: Path) -> None:
    bomb = tmp_path / "export.zip"
    archive = zip_bytes({"contacts.csv": b"Email\n" + b"a@example.com\n" * 1000})
    bomb.write_bytes(claim_size(archive, "contacts.csv", 0xFFFF_FFFE))
    with pytest.raises(InputError, match=r"export\.zip.*over the limit of 1 GiB") as caught:
        read_tables(str(bomb))
    assert "--max-input-size" in (caught.value.hint or "")


def test_zip_member_expanding_too_far_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "export.zip"
    # Really 2 MiB of one character in a few KiB: 500 times smaller.
    source.write_bytes(zip_bytes({"contacts.csv": b"Email\n" + b"a" * (2 * MIB)}))
    with pytest.raises(InputError, match=r"contacts\.csv expands .* over the limit of 200 times"):
        read_tables(str(source), limits=Limits(max_input_size=64 * MIB))


def test_zip_within_the_limits_reads(tmp_path: Path) -> None:
    source = tmp_path / "export.zip"
    source.write_bytes(zip_bytes({"contacts.csv": b"Email\na@example.com\n"}))
    assert read_tables(str(source), limits=SMALL)[0].frame.height == 1


def test_workbook_with_a_3_gib_shared_string_part_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "leads.xlsx"
    source.write_bytes(claim_size(workbook_bytes(), "xl/sharedStrings.xml", 3 * GIB))
    with pytest.raises(InputError, match=r"leads\.xlsx: xl/sharedStrings\.xml .*3 GiB"):
        read_table(str(source))


def test_workbook_within_the_limits_reads(tmp_path: Path) -> None:
    source = tmp_path / "leads.xlsx"
    source.write_bytes(workbook_bytes())
    assert read_table(str(source), limits=SMALL).frame["Email"].to_list() == [
        "ann.lee@acme-corp.com"
    ]


def test_parquet_of_100_million_rows_is_refused_from_its_metadata(tmp_path: Path) -> None:
    source = tmp_path / "leads.parquet"
    pq.write_table(pa.table({"Email": pa.nulls(100_000_000)}), source)
    assert source.stat().st_size < MIB
    with pytest.raises(InputError, match=r"leads\.parquet: 100,000,000 rows .* over the limit"):
        read_table(str(source))


def test_parquet_within_the_limits_reads(tmp_path: Path) -> None:
    source = tmp_path / "leads.parquet"
    pq.write_table(pa.table({"Email": ["a@example.com"]}), source)
    assert read_table(str(source), limits=SMALL).frame["Email"].to_list() == ["a@example.com"]


def test_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    source.write_bytes(b"Email\n" + b"a@example.com\n" * 5000)
    with pytest.raises(InputError, match=r"big\.csv: the file is 68.* over the limit of 64 KiB"):
        read_table(str(source), limits=SMALL)


def test_stdin_over_the_limit_is_refused() -> None:
    stdin = io.BytesIO(b"Email\n" + b"a@example.com\n" * 5000)
    with pytest.raises(InputError, match=r"standard input.* over the limit of 64 KiB"):
        read_table("-", stdin=stdin, limits=SMALL)


def test_ndjson_line_over_the_value_limit_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "leads.ndjson"
    long_line = json.dumps({"Email": "a@example.com", "Note": "x" * 2000})
    source.write_text(json.dumps({"Email": "b@example.com"}) + "\n" + long_line + "\n")
    with pytest.raises(
        InputError, match=r"leads\.ndjson:2: the line is .* over the limit of 1 KiB"
    ):
        read_table(str(source), limits=SMALL)


@pytest.mark.parametrize("line_end", [b"\n", b"\r"])
def test_csv_field_over_the_value_limit_is_refused(tmp_path: Path, line_end: bytes) -> None:
    # LF files take the fast path, CR-only ones the exact path: both are bounded.
    source = tmp_path / "leads.csv"
    source.write_bytes(
        line_end.join([b"Email,Note", b"a@example.com,ok", b"b@x.com," + b"y" * 2000, b""])
    )
    with pytest.raises(
        InputError, match=r"leads\.csv:(3| data row 2): a value .*over the limit of 1 KiB"
    ):
        read_table(str(source), limits=SMALL)


@pytest.mark.parametrize("depth", [101, 600, 100_000])
def test_deep_json_is_refused_without_recursion_error(tmp_path: Path, depth: int) -> None:
    source = tmp_path / "deep.json"
    source.write_text('[{"Email": "a@example.com", "Tags": ' + "[" * depth + "]" * depth + "}]")
    with pytest.raises(InputError, match=r"deep\.json: nested deeper than 100 levels"):
        read_table(str(source))


def test_deep_ndjson_is_refused_without_recursion_error(tmp_path: Path) -> None:
    source = tmp_path / "deep.ndjson"
    source.write_text('{"Email": "a@example.com"}\n{"Tags": ' + "[" * 600 + "]" * 600 + "}\n")
    with pytest.raises(InputError, match=r"deep\.ndjson:2: nested deeper than 100 levels"):
        read_table(str(source))


def test_json_with_brackets_inside_strings_is_not_deep(tmp_path: Path) -> None:
    source = tmp_path / "flat.json"
    source.write_text(json.dumps([{"Email": "a@example.com", "Note": "[[[[" * 200 + '\\"{'}]))
    assert read_table(str(source)).frame.height == 1


@pytest.mark.parametrize(
    ("text", "size"),
    [("4096", 4096), ("500MB", 500 * MIB), ("1.5GiB", 3 * GIB // 2), ("2 gb", 2 * GIB)],
)
def test_sizes_read_as_people_write_them(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "5 parsecs", "0", "-1GB"])
def test_a_size_that_is_not_one_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="--max-input-size"):
        parse_size(text)


def test_format_size() -> None:
    assert [format_size(s) for s in (17, 64 * KIB, 3 * GIB, 3 * GIB // 2)] == [
        "17 bytes",
        "64 KiB",
        "3 GiB",
        "1.5 GiB",
    ]


runner = CliRunner()


@pytest.mark.parametrize("command", ["clean", "inspect"])
def test_cli_refuses_in_one_line_and_the_option_raises_the_limit(
    tmp_path: Path, command: str
) -> None:
    source = tmp_path / "big.csv"
    source.write_bytes(b"Email\n" + b"a@example.com\n" * 200)
    out = ["--out-dir", str(tmp_path / "out")] if command == "clean" else []
    refused = runner.invoke(app, [command, str(source), *out, "--max-input-size", "1KB"])
    assert refused.exit_code == 1
    lines = refused.stderr.splitlines()
    assert lines[0].startswith(f"leadtriage: error: {source}: the file is 2.7 KiB")
    assert "over the limit of 1 KiB" in lines[0]
    assert "--max-input-size 4KiB" in lines[1]
    assert not (tmp_path / "out").exists()
    raised = runner.invoke(
        app,
        [command, str(source), *out, "--max-input-size", "4KiB", "-q"]
        if command == "clean"
        else [command, str(source), "--max-input-size", "4KiB"],
    )
    assert raised.exit_code == 0, raised.stderr


def test_cli_bad_size_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    source.write_bytes(b"Email\na@example.com\n")
    result = runner.invoke(app, ["clean", str(source), "--max-input-size", "lots"])
    assert result.exit_code == 2
    assert "not a size" in result.stderr
