"""The review round trip with ``--format xlsx``, where review.xlsx is both the review
output and the sheet a person edits. The run keeps the review rows as written beside
it (`REVIEW_COPY`), so what a person types is checked as it is with CSV outputs: the
same edits and decisions give the same outputs in both formats."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any, Final

import fastexcel
import openpyxl
import polars as pl
import pytest

from leadtriage.errors import InputError
from leadtriage.io.output_set import REVIEW_COPY
from leadtriage.io.safe_cells import restored_frame
from leadtriage.io.write import OutputFormat, WriteOptions
from leadtriage.pipeline import clean
from leadtriage.review import ReviewOutcome, apply_review
from leadtriage.rules import load_rules

RULES: Final = """
[[rules]]
name = "look"
when = { field = "email", present = true }
action = "review"
"""
ROWS: Final = [
    ["Email", "First Name", "Last Name", "Company"],
    ["jane@acme.com", "Jane", "Doe", "Acme"],
    ["bob@northwind.com", "Bob", "Stone", "Northwind"],
    ["li@wei-trading.com", "Li", "Wei", "Wei Trading"],
]


def _run(folder: Path, fmt: OutputFormat = OutputFormat.XLSX) -> Path:
    """`leadtriage clean leads.csv -o out-<format>`: both formats from one input file,
    so their rows have the same keys."""
    source = folder / "leads.csv"
    if not source.exists():
        with source.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(ROWS)
    rules = folder / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    out = folder / f"out-{fmt.value}"
    clean([str(source)], out, rules=load_rules(rules), write_options=WriteOptions(format=fmt))
    return out


def _xlsx_run(folder: Path) -> Path:
    return _run(folder, OutputFormat.XLSX)


def _edit(
    workbook: Path,
    *,
    drop: str | None = None,
    cells: dict[str, dict[str, str]],
    sort: bool = False,
) -> None:
    """Set `cells` (email -> column -> value), delete the row of email `drop`, and
    with `sort` first sort the sheet by email, descending, as a person would."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    email = header.index("email") + 1
    if sort:
        rows = sorted(
            ([c.value for c in r] for r in sheet.iter_rows(min_row=2)),
            key=lambda r: str(r[email - 1]),
            reverse=True,
        )
        for index, values in enumerate(rows, start=2):
            for col, value in enumerate(values, start=1):
                sheet.cell(index, col).value = value
    for index in range(sheet.max_row, 1, -1):
        row_email = sheet.cell(index, email).value
        for column, value in cells.get(str(row_email), {}).items():
            sheet.cell(index, header.index(column) + 1).value = value
        if row_email == drop:
            sheet.delete_rows(index)
    book.save(workbook)


def _emails(out: Path, table: str) -> list[str]:
    frame = fastexcel.read_excel(out / f"{table}.xlsx").load_sheet(0, dtypes="string").to_polars()
    return [str(v) for v in frame.get_column("email").to_list()]


def _outputs(out: Path, fmt: OutputFormat) -> dict[str, pl.DataFrame]:
    """accepted and rejected as an importer reads them (exact values), and the review
    rows as the workbook a person opens next shows them (both formats write it)."""
    tables: dict[str, pl.DataFrame] = {}
    for name in ("accepted", "rejected"):
        path = out / f"{name}.{fmt.value}"
        if fmt is OutputFormat.CSV:
            tables[name] = restored_frame(pl.read_csv(path, infer_schema=False))
        else:
            tables[name] = fastexcel.read_excel(path).load_sheet(0, dtypes="string").to_polars()
    workbook = fastexcel.read_excel(out / "review.xlsx").load_sheet("review", dtypes="string")
    tables["review"] = workbook.to_polars()
    return tables


def _summary(out: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return loaded


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _counts(outcome: ReviewOutcome) -> tuple[int, int, int, int, int]:
    return outcome.accepted, outcome.rejected, outcome.left, outcome.edited, outcome.held


def _row(table: pl.DataFrame, email: str) -> dict[str, Any]:
    rows = table.filter(pl.col("email") == email).to_dicts()
    assert len(rows) == 1, f"{email}: {len(rows)} rows"
    return rows[0]


def _apply_in_both_formats(
    folder: Path, cells: dict[str, dict[str, str]]
) -> tuple[dict[OutputFormat, ReviewOutcome], pl.DataFrame]:
    """The same person's work on the review.xlsx of a CSV run and of an xlsx run,
    applied to each (the xlsx sheet sorted first, as it may be); and the xlsx run's
    review rows as its sheet showed them before."""
    outcomes = {}
    shown = pl.DataFrame()
    for fmt in (OutputFormat.CSV, OutputFormat.XLSX):
        out = _run(folder, fmt)
        shown = _outputs(out, fmt)["review"].drop("decision")
        _edit(out / "review.xlsx", cells=cells, sort=fmt is OutputFormat.XLSX)
        outcomes[fmt] = apply_review(out, out / "review.xlsx")
    return outcomes, shown


def _same_in_both_formats(folder: Path, outcomes: dict[OutputFormat, ReviewOutcome]) -> None:
    csv_out, xlsx_out = (folder / f"out-{f.value}" for f in (OutputFormat.CSV, OutputFormat.XLSX))
    assert _counts(outcomes[OutputFormat.XLSX]) == _counts(outcomes[OutputFormat.CSV])
    assert outcomes[OutputFormat.XLSX].edits == outcomes[OutputFormat.CSV].edits
    written = _outputs(xlsx_out, OutputFormat.XLSX)
    for name, table in _outputs(csv_out, OutputFormat.CSV).items():
        assert written[name].to_dicts() == table.to_dicts(), name
    csv_summary, xlsx_summary = _summary(csv_out), _summary(xlsx_out)
    assert xlsx_summary["review_applied"] == csv_summary["review_applied"]
    assert xlsx_summary["reasons"] == csv_summary["reasons"]
    assert xlsx_summary["outputs"] == csv_summary["outputs"]


def test_an_invalid_email_typed_into_the_xlsx_review_is_not_accepted(tmp_path: Path) -> None:
    out = _xlsx_run(tmp_path)
    _edit(
        out / "review.xlsx", cells={"jane@acme.com": {"decision": "accept", "email": "jane@acme"}}
    )
    try:
        apply_review(out, out / "review.xlsx")
    except InputError:
        return  # refused: as good as held
    assert "jane@acme" not in _emails(out, "accepted")


def test_an_invalid_email_typed_into_the_xlsx_review_is_held_as_with_csv(tmp_path: Path) -> None:
    outcomes, _ = _apply_in_both_formats(
        tmp_path,
        {
            "jane@acme.com": {"decision": "accept", "email": "jane@acme"},
            "li@wei-trading.com": {"decision": "reject"},
        },
    )
    _same_in_both_formats(tmp_path, outcomes)
    out = tmp_path / "out-xlsx"
    # accepted, left, edited, held: the row stays in review with the value as typed.
    assert _counts(outcomes[OutputFormat.XLSX]) == (0, 1, 2, 0, 1)
    assert "jane@acme" not in _emails(out, "accepted")
    jane = _row(_outputs(out, OutputFormat.XLSX)["review"], "jane@acme")
    assert jane["reasons"] == "rule.look;email.invalid;review.held" and jane["decision"] is None
    assert _summary(out)["review_applied"]["changes"] == [
        {"source_file": jane["source_file"], "source_row": "1", "column": "email", "applied": False}
    ]


def test_an_uppercased_email_in_the_xlsx_review_is_normalised_as_with_csv(
    tmp_path: Path,
) -> None:
    outcomes, _ = _apply_in_both_formats(
        tmp_path, {"bob@northwind.com": {"decision": "accept", "email": "BOB@NORTHWIND.COM"}}
    )
    _same_in_both_formats(tmp_path, outcomes)
    out = tmp_path / "out-xlsx"
    assert _counts(outcomes[OutputFormat.XLSX]) == (1, 0, 2, 1, 0)
    # The email normaliser lowers the domain, never the mailbox.
    bob = _row(_outputs(out, OutputFormat.XLSX)["accepted"], "BOB@northwind.com")
    assert bob["reasons"] == "rule.look;review.edited;review.accepted"
    summary = _summary(out)["review_applied"]
    assert summary["edited"] == 1
    assert summary["changes"] == [
        {"source_file": bob["source_file"], "source_row": "2", "column": "email", "applied": True}
    ]


def test_an_untouched_xlsx_review_applies_its_decisions_as_before(tmp_path: Path) -> None:
    outcomes, shown = _apply_in_both_formats(
        tmp_path,
        {"jane@acme.com": {"decision": "accept"}, "bob@northwind.com": {"decision": "no"}},
    )
    _same_in_both_formats(tmp_path, outcomes)
    out = tmp_path / "out-xlsx"
    assert _counts(outcomes[OutputFormat.XLSX]) == (1, 1, 1, 0, 0)
    tables = _outputs(out, OutputFormat.XLSX)
    # The run's values, as the sheet showed them; only the decision's reason is new.
    jane = _row(tables["accepted"], "jane@acme.com")
    assert jane["reasons"] == "rule.look;review.accepted"
    written = _row(shown, "jane@acme.com")
    assert {k: v for k, v in jane.items() if k != "reasons"} == {
        k: v for k, v in written.items() if k in jane and k != "reasons"
    }
    assert _row(tables["rejected"], "bob@northwind.com")["reasons"] == "rule.look;review.rejected"
    assert _summary(out)["review_applied"]["edited"] == 0


def test_a_row_deleted_from_the_xlsx_review_stays_in_review_as_with_csv(tmp_path: Path) -> None:
    # The sheet is no longer the only record of the review rows: a row the person
    # deleted is as undecided as one left blank, and nothing is lost.
    outcomes = {}
    for fmt in (OutputFormat.CSV, OutputFormat.XLSX):
        out = _run(tmp_path, fmt)
        _edit(
            out / "review.xlsx",
            drop="bob@northwind.com",
            cells={"jane@acme.com": {"decision": "accept", "email": "jane@acme"}},
        )
        outcomes[fmt] = apply_review(out, out / "review.xlsx")
    _same_in_both_formats(tmp_path, outcomes)
    out = tmp_path / "out-xlsx"
    tables = _outputs(out, OutputFormat.XLSX)
    assert sorted(tables["review"]["email"].to_list()) == [
        "bob@northwind.com",
        "jane@acme",
        "li@wei-trading.com",
    ]
    keys = pl.concat([t.select("source_file", "source_row") for t in tables.values()])
    assert keys.height == keys.n_unique() == _summary(out)["rows_in"] == len(ROWS) - 1


def test_applying_the_edited_xlsx_workbook_again_changes_nothing(tmp_path: Path) -> None:
    # The copy is rewritten with the rows left (an edit applied to an undecided row
    # too), so the same workbook applied again holds no edit and no new decision.
    out = _xlsx_run(tmp_path)
    _edit(
        out / "review.xlsx",
        cells={
            "li@wei-trading.com": {"email": "LI@WEI-TRADING.COM"},
            "bob@northwind.com": {"decision": "accept", "email": "BOB@NORTHWIND.COM"},
        },
    )
    kept = tmp_path / "kept.xlsx"
    shutil.copy(out / "review.xlsx", kept)
    apply_review(out, out / "review.xlsx")
    before = _digest(out)
    again = apply_review(out, kept)
    assert not again.changed and again.already_applied == 1
    assert _digest(out) == before


def test_an_xlsx_output_folder_without_the_copy_is_refused_and_left_as_it_was(
    tmp_path: Path,
) -> None:
    # Outputs of a version that kept no copy: applied, an edit would go unchecked into
    # accepted (the bug this copy fixes), so nothing is applied and the person is told
    # how to get a folder that can be.
    out = _xlsx_run(tmp_path)
    (out / REVIEW_COPY).unlink()
    _edit(
        out / "review.xlsx", cells={"jane@acme.com": {"decision": "accept", "email": "jane@acme"}}
    )
    before = _digest(out)
    with pytest.raises(InputError) as raised:
        apply_review(out, out / "review.xlsx")
    assert REVIEW_COPY in raised.value.message
    assert "cannot be checked" in raised.value.message
    assert "nothing was applied" in raised.value.message
    assert "run leadtriage clean again" in (raised.value.hint or "")
    assert _digest(out) == before
