"""Golden outputs per kind of input (csvkit style): each folder of examples/golden/ is
a case, its inputs shaped like the real tool's export, a `case.toml` naming the
commands a user types, and `expected/`, what those commands write.

A case runs in a fresh copy of its folder with relative paths, so the summary holds no
machine's paths and nothing needs masking. CSV and JSON outputs are compared byte for
byte; workbooks by their cells, since their bytes follow the xlsxwriter version. Every
case runs twice and both runs must write the same bytes.

When an intended change alters outputs, regenerate them all with

    python tests/golden_regenerate.py            (or name cases: ... zoom_webinar)

and read the diff of examples/golden/*/expected before committing it.

case.toml holds `[[step]]` tables, run in order:
- `run = [...]`: a `leadtriage` command line; `today = 2026-11-02` sets the clock the
  ledger stamps `first_seen` and runs with, so night 2 is a day after night 1;
  `stdin = "file"` pipes that file's bytes to the command (for `-`).
- `decide = "out/review.xlsx"`: fill in the workbook as a person would, through
  openpyxl: `decisions` maps a `source_row` to what is typed in the decision column,
  `edits` maps a `source_row` to {column: new value}.
`outputs` (default "out") names the folder compared with `expected/`.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import shutil
import tomllib
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any
from unittest import mock

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.io.profiles import Profile
from leadtriage.io.read import FORMATS
from leadtriage.ledger import records

GOLDEN = Path(__file__).parents[1] / "examples" / "golden"
CASE_FILE = "case.toml"
EXPECTED = "expected"
REGENERATE = "python tests/golden_regenerate.py"
_DIFF_LINES = 40


def case_names() -> list[str]:
    return sorted(path.parent.name for path in GOLDEN.glob(f"*/{CASE_FILE}"))


def load_case(case: str) -> dict[str, Any]:
    return tomllib.loads((GOLDEN / case / CASE_FILE).read_text(encoding="utf-8"))


# --- running a case -----------------------------------------------------------------


def run_case(case: str, work: Path) -> Path:
    """Copy the case's inputs to `work`, run its steps there; the outputs folder."""
    spec = load_case(case)
    shutil.copytree(GOLDEN / case, work, ignore=shutil.ignore_patterns(EXPECTED, CASE_FILE))
    with contextlib.chdir(work):
        for number, step in enumerate(spec["step"], start=1):
            where = f"{case} step {number}"
            if "run" in step:
                stdin = Path(step["stdin"]).read_bytes() if "stdin" in step else None
                _run(step["run"], today=step.get("today"), stdin=stdin, where=where)
            else:
                _decide(
                    Path(step["decide"]),
                    decisions=step.get("decisions", {}),
                    edits=step.get("edits", {}),
                    where=where,
                )
    return work / spec.get("outputs", "out")


def _run(args: list[str], *, today: date | None, stdin: bytes | None, where: str) -> None:
    with _clock(today):
        result = CliRunner().invoke(app, args, input=stdin)
    if result.exit_code != 0:
        raise AssertionError(
            f"{where}: leadtriage {' '.join(args)} exited {result.exit_code}\n{result.stderr}"
        )


@contextlib.contextmanager
def _clock(today: date | None) -> Iterator[None]:
    """The ledger dates a run by `datetime.now`; a case may fix that day."""
    if today is None:
        yield
        return

    class _Fixed(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> _Fixed:
            return cls(today.year, today.month, today.day, 2, 15, tzinfo=tz or UTC)

    with mock.patch.object(records, "datetime", _Fixed):
        yield


def _decide(
    workbook: Path,
    *,
    decisions: Mapping[str, str],
    edits: Mapping[str, Mapping[str, str]],
    where: str,
) -> None:
    """Type decisions and corrections into review.xlsx, found by source_row."""
    book = openpyxl.load_workbook(workbook)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    row_of = {
        str(sheet.cell(r, header.index("source_row") + 1).value): r
        for r in range(2, sheet.max_row + 1)
    }
    for source_row in {*decisions, *edits}:
        if source_row not in row_of:
            raise AssertionError(f"{where}: no row with source_row {source_row} in {workbook}")
    for source_row, decision in decisions.items():
        sheet.cell(row_of[source_row], header.index("decision") + 1).value = decision
    for source_row, values in edits.items():
        for column, value in values.items():
            sheet.cell(row_of[source_row], header.index(column) + 1).value = value
    book.save(workbook)


# --- comparing outputs --------------------------------------------------------------


def differences(written: Path, expected: Path) -> list[str]:
    """What differs between two output folders, one entry per file."""
    found: list[str] = []
    names = {p.name for p in written.iterdir()}
    wanted = {p.name for p in expected.iterdir()} if expected.is_dir() else set()
    found += [f"{name}: written but not expected" for name in sorted(names - wanted)]
    found += [f"{name}: expected but not written" for name in sorted(wanted - names)]
    for name in sorted(names & wanted):
        if name.endswith(".xlsx"):
            before, after = _cells(expected / name), _cells(written / name)
            if before == after:
                continue
        elif (expected / name).read_bytes() == (written / name).read_bytes():
            continue
        else:
            before, after = _lines(expected / name), _lines(written / name)
        diff = difflib.unified_diff(before, after, f"expected/{name}", name, lineterm="")
        found.append("\n".join(list(diff)[:_DIFF_LINES]))
    return found


def _lines(path: Path) -> list[str]:
    # repr keeps a changed line ending or BOM visible in the diff.
    return [repr(line) for line in path.read_bytes().splitlines(keepends=True)]


def _cells(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [
            f"{sheet.title}!{r}: {list(row)!r}"
            for sheet in book.worksheets
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _same_bytes(first: Path, second: Path) -> list[str]:
    names = sorted(p.name for p in first.iterdir())
    if names != sorted(p.name for p in second.iterdir()):
        return ["the two runs wrote different files"]
    return [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()]


# --- the tests ----------------------------------------------------------------------


@pytest.mark.parametrize("case", case_names())
def test_golden_case_writes_the_expected_outputs(case: str, tmp_path: Path) -> None:
    written = run_case(case, tmp_path / "first")
    problems = differences(written, GOLDEN / case / EXPECTED)
    assert not problems, (
        f"examples/golden/{case}: outputs differ from expected/. If the change is "
        f"intended, regenerate them (`{REGENERATE}`, or `{REGENERATE} {case}` for this "
        "case alone) and review `git diff examples/golden`.\n\n" + "\n\n".join(problems)
    )
    again = run_case(case, tmp_path / "second")
    assert _same_bytes(written, again) == [], f"{case}: two runs wrote different bytes"


def _clean_runs(case: str) -> list[list[str]]:
    return [s["run"] for s in load_case(case)["step"] if s.get("run", [""])[0] == "clean"]


def test_every_profile_and_input_format_has_a_golden_case() -> None:
    """A profile or input format added later needs its golden case too."""
    suffixes = {
        path.suffix.lstrip(".")
        for case in case_names()
        for path in (GOLDEN / case).iterdir()
        if path.is_file() and path.name != CASE_FILE
    }
    profiles = {
        args[args.index("--profile") + 1] if "--profile" in args else Profile.GENERIC.value
        for case in case_names()
        for args in _clean_runs(case)
    }
    assert set(FORMATS) - suffixes == set()
    assert {p.value for p in Profile} - profiles == set()


def test_a_crm_export_without_consent_keeps_the_leads_opt_in(tmp_path: Path) -> None:
    out = run_case("crm_match", tmp_path / "run")  # crm.csv has no consent column
    accepted = pl.read_csv(out / "accepted.csv", infer_schema=False)
    john = accepted.filter(pl.col("crm_record_id") == "0031")  # "Marketing opt-in" = yes
    assert john["consent"].to_list() == ["yes"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["consent"]["lowered_to_unknown"] == 0


@pytest.mark.parametrize("case", case_names())
def test_golden_case_through_the_spill_writes_the_same_bytes(
    case: str, tmp_path: Path, spilled_folders: list[Path]
) -> None:
    """Set-aside columns (spill.py) change no output byte; the folder goes after the run."""
    written = run_case(case, tmp_path / "run")
    assert spilled_folders, f"{case}: the run did not spill, so this test proves nothing"
    problems = differences(written, GOLDEN / case / EXPECTED)
    assert not problems, f"{case}: the spilled path wrote other outputs\n\n" + "\n\n".join(problems)
    assert not any(folder.exists() for folder in spilled_folders)
    assert list((tmp_path / "spill").iterdir()) == []
