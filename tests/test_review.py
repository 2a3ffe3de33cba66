"""The review round trip as a person does it.

`leadtriage clean` writes review.xlsx; a person opens it, sorts the sheet, types
decisions (in their own spelling), saves; `apply_review` moves the decided rows into
accepted / rejected and leaves the rest in review. The traps: the sheet sorted so
positions mean nothing, two input files with the same row numbers, a key cell Excel
turned into a number, phones with `+` and leading zeros, a formula-looking cell, a
second application of the same workbook, a bad decision value.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

import fastexcel
import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.errors import ConservationError, InputError, UsageError
from leadtriage.frame import raw
from leadtriage.io.workbook import SHEET_ROW, ReviewSheet
from leadtriage.io.write import OutputFormat, WriteOptions, write_outputs
from leadtriage.normalize.presence import is_blank
from leadtriage.pipeline import triage
from leadtriage.review import (
    ACCEPT_WORDS,
    REJECT_WORDS,
    apply_review,
    parse_decisions,
    review_workbook_frame,
    write_review_workbook,
)
from leadtriage.rules import RuleSet, load_rules
from leadtriage.rules.routing import Action, Rule

HEADER: Final = ["Email", "First Name", "Last Name", "Company", "Phone"]
FORMULA: Final = '=HYPERLINK("http://evil.example","click")'
# Two exports whose row numbers collide: only (source_file, source_row) tells rows apart.
EVENT_ROWS: Final = [
    ["jane.doe@acme.com", "Jane", "Doe", "Acme", "+14155550132"],  # 1 accepted
    ["", "Omar", "Haddad", "Haddad GmbH", "01234"],  # 2 review: leading zero, not a valid phone
    ["", "Li", "Wei", "Wei Trading", "+14156920133"],  # 3 review: E.164 phone
    ["", "", "", "", ""],  # 4 rejected: empty row
]
WEBINAR_ROWS: Final = [
    ["", "Eve", "Mallory", FORMULA, "+442079460000"],  # 1 review: formula cell
    ["", "Ana", "Souza", "Souza Ltda", "+5511987654321"],  # 2 review
    ["bob@northwind.com", "Bob", "Stone", "Northwind", ""],  # 3 accepted
    ["", "Nina", "Nocontact", "Cortado", ""],  # 4 rejected: no contact
]


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])


def _review_email_missing() -> RuleSet:
    # The built-in rules plus one a rules file could hold, so rows land in review.
    review_rule = Rule("email.missing", is_blank(pl.col(raw("email"))), Action.REVIEW)
    defaults = load_rules(None)
    return replace(defaults, rules=[*defaults.rules, review_rule])


def _make_run(folder: Path, fmt: OutputFormat = OutputFormat.CSV, *, bom: bool = False) -> Path:
    """What `leadtriage clean event.csv webinar.csv -o out` leaves behind."""
    event = folder / "event.csv"
    webinar = folder / "webinar.csv"
    _write_csv(event, EVENT_ROWS)
    _write_csv(webinar, WEBINAR_ROWS)
    result = triage([str(event), str(webinar)], rules=_review_email_missing())
    out = folder / "out"
    summary = {"out_dir": str(out), **result.summary.as_dict()}
    write_outputs(out, result.tables(), summary, WriteOptions(format=fmt, excel_bom=bom))
    # The lead wires this into write_outputs; written here so the test stands alone.
    write_review_workbook(result.review, out / "review.xlsx")
    return out


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return (Path(row["source_file"]).name, str(row["source_row"]))


def _decide(workbook: Path, decisions: dict[tuple[str, str], Any], save_as: Path) -> None:
    """Sort the sheet by last name, descending, then type the decisions by key."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    rows.sort(key=lambda r: str(r[header.index("Last Name")]), reverse=True)
    for index, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            sheet.cell(index, col).value = value
        row = dict(zip(header, values, strict=True))
        if _key(row) in decisions:
            sheet.cell(index, header.index("decision") + 1).value = decisions[_key(row)]
    book.save(save_as)


def _table(out: Path, name: str, fmt: OutputFormat = OutputFormat.CSV) -> pl.DataFrame:
    path = out / f"{name}.{fmt.value}"
    if fmt is OutputFormat.CSV:
        return pl.read_csv(path, infer_schema=False)
    if fmt is OutputFormat.PARQUET:
        return pl.read_parquet(path)
    return fastexcel.read_excel(path).load_sheet(0, dtypes="string").to_polars()


def _keys(df: pl.DataFrame) -> list[tuple[str, str]]:
    return [_key(r) for r in df.iter_rows(named=True)]


def _reasons(df: pl.DataFrame) -> dict[tuple[str, str], str]:
    return {_key(r): r["reasons"] for r in df.iter_rows(named=True)}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _summary(out: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return loaded


HADDAD: Final = ("event.csv", "2")
WEI: Final = ("event.csv", "3")
MALLORY: Final = ("webinar.csv", "1")
SOUZA: Final = ("webinar.csv", "2")
ALL_KEYS: Final = {(f, str(n)) for f in ("event.csv", "webinar.csv") for n in range(1, 5)}


def test_the_example_setup_puts_four_rows_in_review(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    assert set(_keys(_table(out, "review"))) == {HADDAD, WEI, MALLORY, SOUZA}


# --- the workbook as written ----------------------------------------------------------


def test_workbook_columns_are_ordered_for_a_person() -> None:
    review = pl.DataFrame(
        {
            "email": ["jane@gmial.com"],
            "Company": ["Acme"],
            "match_evidence": ["email"],
            "email_suggestion": ["jane@gmail.com"],
            "source_file": ["a.csv"],
            "source_row": ["1"],
            "reasons": ["email.typo"],
            "cluster_id": ["c1"],
        }
    )
    laid_out = review_workbook_frame(review)
    assert laid_out.columns == [
        "decision",
        "reasons",
        "email_suggestion",
        "cluster_id",
        "match_evidence",
        "email",
        "Company",
        "source_file",
        "source_row",
    ]
    assert laid_out["decision"].to_list() == [None]
    assert laid_out["email_suggestion"].to_list() == ["jane@gmail.com"]


def test_workbook_without_suggestions_leads_with_decision_and_reasons() -> None:
    review = pl.DataFrame({"email": ["x"], "reasons": ["email.invalid"], "source_row": ["3"]})
    assert review_workbook_frame(review).columns == ["decision", "reasons", "email", "source_row"]


def test_workbook_cells_are_text_and_formulas_stay_neutralised(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    sheet = openpyxl.load_workbook(out / "review.xlsx")["review"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["decision", "reasons"]
    phones = {}
    for row in sheet.iter_rows(min_row=2):
        named = dict(zip(header, row, strict=True))
        phones[named["Last Name"].value] = named["Phone"]
        if named["Last Name"].value == "Mallory":
            assert named["Company"].value == "'" + FORMULA
            assert named["Company"].data_type == "s"
    assert phones["Haddad"].value == "01234"
    assert phones["Wei"].value == "+14156920133"
    assert all(cell.data_type == "s" for cell in phones.values())
    assert all(cell.number_format == "@" for cell in phones.values())


def test_workbook_has_frozen_header_filter_and_decision_list(tmp_path: Path) -> None:
    review = pl.DataFrame(
        {"reasons": ["a", "b", "c"], "email": ["x", "y", "z"], "source_row": ["1", "2", "3"]}
    )
    write_review_workbook(review, tmp_path / "review.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "review.xlsx")["review"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D4"
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref) == "A2:A4"
    assert validation.formula1 == '"accept,reject"'
    assert sheet.column_dimensions["A"].width > 0
    assert sheet.column_dimensions["C"].width >= len("email")


def test_workbook_column_width_follows_the_longest_value_up_to_a_limit(tmp_path: Path) -> None:
    review = pl.DataFrame(
        {
            "reasons": ["x"],
            "Notes": ["n" * 300],
            "company": ["Northwind Traders International"],
        }
    )
    write_review_workbook(review, tmp_path / "review.xlsx")
    widths = openpyxl.load_workbook(tmp_path / "review.xlsx")["review"].column_dimensions
    assert widths["C"].width < 60  # 300 characters would not fit a screen
    assert widths["D"].width > len("Northwind Traders International")
    assert widths["D"].width < widths["C"].width


def test_workbook_bytes_are_deterministic(tmp_path: Path) -> None:
    review = pl.DataFrame({"reasons": ["email.missing"], "Phone": ["01234"]})
    write_review_workbook(review, tmp_path / "one.xlsx")
    write_review_workbook(review, tmp_path / "two.xlsx")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()


def test_workbook_of_an_empty_review_still_has_its_header(tmp_path: Path) -> None:
    review = pl.DataFrame(schema={"reasons": pl.String, "source_file": pl.String})
    write_review_workbook(review, tmp_path / "review.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "review.xlsx")["review"]
    assert [c.value for c in sheet[1]] == ["decision", "reasons", "source_file"]
    assert sheet.max_row == 1


def test_a_decision_column_already_in_review_is_refused() -> None:
    with pytest.raises(ValueError, match="decision"):
        review_workbook_frame(pl.DataFrame({"decision": ["x"], "reasons": ["y"]}))


# --- reading decisions ---------------------------------------------------------------


def _sheet(values: list[str | None]) -> ReviewSheet:
    rows = pl.DataFrame(
        {
            "decision": values,
            "source_file": ["a.csv"] * len(values),
            "source_row": [str(i) for i in range(1, len(values) + 1)],
            SHEET_ROW: list(range(2, len(values) + 2)),
        },
        schema_overrides={"decision": pl.String},
    )
    return ReviewSheet(Path("review.xlsx"), "review", rows)


@pytest.mark.parametrize("word", sorted(ACCEPT_WORDS))
def test_every_accept_spelling_in_any_case_and_spacing(word: str) -> None:
    for spelling in (word, word.upper(), f"  {word.title()} "):
        assert parse_decisions(_sheet([spelling]))["decision"].to_list() == ["accepted"]


@pytest.mark.parametrize("word", sorted(REJECT_WORDS))
def test_every_reject_spelling_in_any_case_and_spacing(word: str) -> None:
    for spelling in (word, word.upper(), f"\t{word.title()}  "):
        assert parse_decisions(_sheet([spelling]))["decision"].to_list() == ["rejected"]


def test_blank_decisions_are_undecided() -> None:
    parsed = parse_decisions(_sheet([None, "", "   ", "accept"]))
    assert parsed["decision"].to_list() == [None, None, None, "accepted"]


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("maybe", "m***"),
        ("1", "1***"),
        ("accept!", "a***!"),
        ("yes please", "y*** p***"),
        ("Jane Doe", "J*** D***"),
        ("jane.doe@acme.com", "j***@a***.com"),
        ("+44 7700 900123", "+•• •••• ••••23"),
    ],
)
def test_other_values_name_workbook_row_and_value_masked(value: str, masked: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_decisions(_sheet(["accept", None, value, "maybe"]))
    message = caught.value.message
    assert "review.xlsx" in message and "'review'" in message
    assert "row 4" in message  # the third data row sits in sheet row 4
    assert f"row 4: {masked!r} is not a decision" in message
    assert caught.value.hint and "accept or reject" in caught.value.hint


def test_a_pasted_contact_in_the_decision_cell_is_not_echoed_whole() -> None:
    pasted = "jane.doe@acme.com, +14155550132, 1 Main Street"
    with pytest.raises(InputError) as caught:
        parse_decisions(_sheet([pasted]))
    assert pasted not in caught.value.message
    assert "+14155550132" not in caught.value.message


# --- applying: the round trip -------------------------------------------------------


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_round_trip_moves_decided_rows_and_keeps_the_rest(
    tmp_path: Path, fmt: OutputFormat
) -> None:
    out = _make_run(tmp_path, fmt)
    before = {name: _table(out, name, fmt) for name in ("accepted", "review", "rejected")}
    _decide(
        out / "review.xlsx",
        {WEI: " Yes ", MALLORY: "REJECT"},
        save_as=out / "review.xlsx",  # edited in place, as Excel saves
    )

    outcome = apply_review(out, out / "review.xlsx")

    assert (outcome.accepted, outcome.rejected, outcome.left) == (1, 1, 2)
    assert outcome.already_applied == 0 and outcome.changed
    accepted, review, rejected = (
        _table(out, name, fmt) for name in ("accepted", "review", "rejected")
    )
    # Appended after the rows already there, the files' own columns kept.
    assert _keys(accepted) == [*_keys(before["accepted"]), WEI]
    assert _keys(rejected) == [*_keys(before["rejected"]), MALLORY]
    assert _keys(review) == [k for k in _keys(before["review"]) if k not in (WEI, MALLORY)]
    assert accepted.columns == before["accepted"].columns
    assert rejected.columns == before["rejected"].columns
    assert review.columns == before["review"].columns
    assert _reasons(accepted)[WEI] == "email.missing;review.accepted"
    assert _reasons(rejected)[MALLORY] == "email.missing;review.rejected"
    assert _reasons(review) == {HADDAD: "contact.invalid;email.missing", SOUZA: "email.missing"}
    # The values a person saw travel with the row, phones and formulas as they were.
    moved = accepted.row(_keys(accepted).index(WEI), named=True)
    assert moved["phone_e164"] == "+14156920133" and moved["last_name"] == "Wei"
    evil = rejected.row(_keys(rejected).index(MALLORY), named=True)
    assert evil["Company"] == "'" + FORMULA
    # Every input row once, in exactly one output.
    every = _keys(accepted) + _keys(review) + _keys(rejected)
    assert sorted(every) == sorted(ALL_KEYS)


def test_moved_rows_take_the_columns_of_the_file_they_join(tmp_path: Path) -> None:
    """accepted keeps exactly its header (what the CRM imports); rejected keeps its
    own and gains the review-only columns at the end, so nothing seen is lost."""
    keys: dict[str, list[str | None]] = {
        "source_file": ["a.csv"],
        "reasons": ["email.typo"],
        "cluster_id": [None],
    }
    accepted = pl.DataFrame(
        {"email": ["bob@acme.com"], "crm_record_id": ["0031"], "source_row": ["1"], **keys}
    )
    review = pl.DataFrame(
        {
            "email": ["ann@gmial.com", "eve@yaho.com"],
            "email_suggestion": ["ann@gmail.com", "eve@yahoo.com"],
            "E-mail (input)": [" Ann@Gmial.com", "eve@yaho.com "],
            "source_row": ["2", "3"],
            **{k: v * 2 for k, v in keys.items()},
        }
    )
    rejected = pl.DataFrame(
        {"email": ["x@test.com"], "E-mail (input)": ["x@test.com"], "source_row": ["4"], **keys}
    )
    out = tmp_path / "out"
    summary = {"rows_in": 4, "outputs": {"accepted": 1, "review": 2, "rejected": 1}}
    tables = {"accepted": accepted, "review": review, "rejected": rejected}
    write_outputs(out, tables, summary, WriteOptions())
    write_review_workbook(review, out / "review.xlsx")
    _decide_by_email(out / "review.xlsx", {"ann@gmial.com": "accept", "eve@yaho.com": "reject"})

    apply_review(out, out / "review.xlsx")

    after_accepted = _table(out, "accepted")
    assert after_accepted.columns == accepted.columns
    assert after_accepted.row(1, named=True) == {
        "email": "ann@gmial.com",
        "crm_record_id": None,
        "source_row": "2",
        "source_file": "a.csv",
        "reasons": "email.typo;review.accepted",
        "cluster_id": None,
    }
    after_rejected = _table(out, "rejected")
    assert after_rejected.columns == [*rejected.columns, "email_suggestion"]
    assert after_rejected["email_suggestion"].to_list() == [None, "eve@yahoo.com"]
    assert after_rejected["E-mail (input)"].to_list() == ["x@test.com", "eve@yaho.com "]
    assert _table(out, "review").height == 0


def _decide_by_email(workbook: Path, decisions: dict[str, str]) -> None:
    book = openpyxl.load_workbook(workbook)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        email = row[header.index("email")].value
        if email in decisions:
            row[header.index("decision")].value = decisions[email]
    book.save(workbook)


def test_summary_counts_and_review_applied_entry(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    before = _summary(out)
    _decide(out / "review.xlsx", {WEI: "a", MALLORY: "n"}, save_as=out / "review.xlsx")
    apply_review(out, out / "review.xlsx")
    summary = _summary(out)
    assert summary["outputs"] == {"accepted": 3, "review": 2, "rejected": 3}
    assert sum(summary["outputs"].values()) == summary["rows_in"] == 8
    assert summary["review_applied"] == {
        "accepted": 1,
        "rejected": 1,
        "left": 2,
        "applications": 1,
    }
    assert summary["reasons"]["review.accepted"] == 1
    assert summary["reasons"]["review.rejected"] == 1
    # Moving rows adds review.* reasons and keeps the others' counts.
    assert summary["reasons"]["email.missing"] == before["reasons"]["email.missing"]
    assert {k: v for k, v in summary.items() if k not in ("outputs", "reasons")} == {
        **{k: v for k, v in before.items() if k not in ("outputs", "reasons")},
        "review_applied": summary["review_applied"],
    }


def test_review_workbook_is_regenerated_without_decided_rows(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {WEI: "accept", MALLORY: "reject"}, save_as=out / "review.xlsx")
    apply_review(out, out / "review.xlsx")
    sheet = openpyxl.load_workbook(out / "review.xlsx")["review"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert [_key({k: c.value for k, c in r.items()}) for r in rows] == [HADDAD, SOUZA]
    assert all(r["decision"].value is None for r in rows)
    haddad_phone = rows[0]["Phone"]
    assert haddad_phone.value == "01234" and haddad_phone.data_type == "s"
    assert "review.xlsx" in {p.name for p in out.iterdir()}
    assert not [p for p in out.iterdir() if p.name.startswith(".leadtriage-")]


def test_a_second_decision_round_moves_the_rest(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {WEI: "accept"}, save_as=out / "review.xlsx")
    apply_review(out, out / "review.xlsx")
    _decide(out / "review.xlsx", {HADDAD: "reject", SOUZA: "ok"}, save_as=out / "review.xlsx")
    outcome = apply_review(out, out / "review.xlsx")
    assert (outcome.accepted, outcome.rejected, outcome.left) == (1, 1, 1)
    assert _keys(_table(out, "review")) == [MALLORY]
    assert _summary(out)["review_applied"] == {
        "accepted": 2,
        "rejected": 1,
        "left": 1,
        "applications": 2,
    }


def test_applying_the_same_workbook_twice_is_a_no_op(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    decided = tmp_path / "decided.xlsx"
    _decide(out / "review.xlsx", {WEI: "accept", MALLORY: "reject"}, save_as=decided)
    apply_review(out, decided)
    after_first = _digest(out)

    again = apply_review(out, decided)

    assert not again.changed and again.written == ()
    assert (again.accepted, again.rejected, again.already_applied, again.left) == (0, 0, 2, 2)
    assert _digest(out) == after_first


def test_the_person_may_save_a_copy_anywhere(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    copy = tmp_path / "Downloads" / "my review.xlsx"
    copy.parent.mkdir()
    _decide(out / "review.xlsx", {SOUZA: "accepted"}, save_as=copy)
    outcome = apply_review(out, copy)
    assert outcome.accepted == 1
    assert SOUZA in _keys(_table(out, "accepted"))


def test_same_row_number_in_another_file_is_not_confused(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    # event.csv row 2 and webinar.csv row 2 are both in review.
    _decide(out / "review.xlsx", {SOUZA: "reject"}, save_as=out / "review.xlsx")
    apply_review(out, out / "review.xlsx")
    assert SOUZA in _keys(_table(out, "rejected"))
    assert HADDAD in _keys(_table(out, "review"))


def test_decisions_in_rows_a_filter_hides_still_count(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {WEI: "reject", SOUZA: "accept"}, save_as=out / "review.xlsx")
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    sheet.auto_filter.ref = sheet.dimensions
    for row in range(2, sheet.max_row + 1):
        sheet.row_dimensions[row].hidden = row % 2 == 0  # Wei (row 2) hidden
    book.save(out / "review.xlsx")
    outcome = apply_review(out, out / "review.xlsx")
    assert (outcome.accepted, outcome.rejected) == (1, 1)
    assert WEI in _keys(_table(out, "rejected"))


def test_a_key_excel_turned_into_a_number_still_matches(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {WEI: "accept"}, save_as=out / "review.xlsx")
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    column = header.index("source_row") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, column).value = float(sheet.cell(row, column).value)
    book.save(out / "review.xlsx")
    assert apply_review(out, out / "review.xlsx").accepted == 1
    assert WEI in _keys(_table(out, "accepted"))


def test_csv_written_for_excel_keeps_its_byte_order_mark(tmp_path: Path) -> None:
    out = _make_run(tmp_path, bom=True)
    _decide(out / "review.xlsx", {WEI: "accept", MALLORY: "reject"}, save_as=out / "review.xlsx")
    apply_review(out, out / "review.xlsx")
    for name in ("accepted", "review", "rejected"):
        assert (out / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_undecided_workbook_changes_nothing(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    before = _digest(out)
    outcome = apply_review(out, out / "review.xlsx")
    assert not outcome.changed and outcome.left == 4
    assert _digest(out) == before


# --- applying: errors change nothing -------------------------------------------------


def test_bad_decision_value_is_an_error_and_changes_nothing(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {WEI: "accept", MALLORY: "maybe"}, save_as=out / "review.xlsx")
    before = _digest(out)
    with pytest.raises(InputError) as caught:
        apply_review(out, out / "review.xlsx")
    message = caught.value.message
    assert "review.xlsx" in message and "'m***'" in message
    # Sorted by last name descending: Wei, Souza, Mallory, Haddad -> Mallory in row 4.
    assert "row 4" in message
    for contact in ("Mallory", "Eve", "+442079460000", "webinar"):
        assert contact not in message
    assert _digest(out) == before


def test_rows_inserted_above_the_header_keep_row_numbers_true(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {SOUZA: "perhaps"}, save_as=out / "review.xlsx")
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    sheet.insert_rows(1, amount=2)
    sheet.insert_cols(1)
    sheet["A1"] = "Webinar follow-up, decide by Friday"
    book.save(out / "review.xlsx")
    # Sorted: Wei, Souza, ... -> Souza was row 3, now row 5 below the inserted rows.
    with pytest.raises(InputError, match=r"row 5: 'p\*\*\*'"):
        apply_review(out, out / "review.xlsx")


def test_rows_not_in_review_are_an_error(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {WEI: "accept", MALLORY: "reject"}, save_as=out / "review.xlsx")
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("source_row") + 1).value = "999"  # an edited key
    book.save(out / "review.xlsx")
    before = _digest(out)
    with pytest.raises(InputError, match="1 rows are not in the review file"):
        apply_review(out, out / "review.xlsx")
    assert _digest(out) == before


def test_a_workbook_of_another_run_is_an_error(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    other = pl.DataFrame({"reasons": ["x"], "source_file": ["elsewhere.csv"], "source_row": ["1"]})
    write_review_workbook(other, tmp_path / "other.xlsx")
    before = _digest(out)
    with pytest.raises(InputError) as caught:
        apply_review(out, tmp_path / "other.xlsx")
    assert "other.xlsx" in caught.value.message and "1 rows" in caught.value.message
    assert _digest(out) == before


def test_changing_an_applied_decision_is_an_error(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    first = tmp_path / "first.xlsx"
    _decide(out / "review.xlsx", {WEI: "accept"}, save_as=first)
    _decide(out / "review.xlsx", {WEI: "reject"}, save_as=tmp_path / "second.xlsx")
    apply_review(out, first)
    before = _digest(out)
    with pytest.raises(InputError, match="already applied with the other decision"):
        apply_review(out, tmp_path / "second.xlsx")
    assert _digest(out) == before


def test_the_same_row_twice_with_different_decisions_is_an_error(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {WEI: "accept"}, save_as=out / "review.xlsx")
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    copied = [c.value for c in sheet[2]]  # Wei sorts first
    copied[0] = "reject"
    sheet.append(copied)
    book.save(out / "review.xlsx")
    with pytest.raises(InputError, match="more than once with different decisions"):
        apply_review(out, out / "review.xlsx")


def test_the_same_row_twice_with_the_same_decision_moves_once(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {WEI: "accept"}, save_as=out / "review.xlsx")
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    copied = [c.value for c in sheet[2]]  # Wei sorts first
    copied[0] = "yes"
    sheet.append(copied)
    book.save(out / "review.xlsx")
    assert apply_review(out, out / "review.xlsx").accepted == 1
    assert _keys(_table(out, "accepted")).count(WEI) == 1
    assert _summary(out)["outputs"]["accepted"] == 3


def test_a_decision_without_its_key_is_an_error(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {WEI: "accept"}, save_as=out / "review.xlsx")
    book = openpyxl.load_workbook(out / "review.xlsx")
    book["review"].cell(9, 1).value = "reject"  # a stray decision below the rows
    book.save(out / "review.xlsx")
    with pytest.raises(InputError, match="first at sheet row 9"):
        apply_review(out, out / "review.xlsx")


def test_counts_that_do_not_add_up_raise_and_change_nothing(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    summary = _summary(out)
    summary["rows_in"] += 1
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    _decide(out / "review.xlsx", {WEI: "accept"}, save_as=out / "review.xlsx")
    before = _digest(out)
    with pytest.raises(ConservationError):
        apply_review(out, out / "review.xlsx")
    assert _digest(out) == before


def test_a_folder_without_outputs_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        apply_review(tmp_path / "missing", tmp_path / "review.xlsx")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match=r"summary\.json"):
        apply_review(tmp_path / "empty", tmp_path / "review.xlsx")


def test_outputs_in_two_formats_are_ambiguous(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    for name in ("accepted", "rejected"):
        shutil.copy(out / f"{name}.csv", out / f"{name}.parquet")
    shutil.copy(out / "review.csv", out / "review.parquet")
    with pytest.raises(UsageError, match="several formats"):
        apply_review(out, out / "review.xlsx")


def test_a_workbook_that_is_not_one_is_an_input_error(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        apply_review(out, out / "review.csv")
    with pytest.raises(InputError, match="no such workbook"):
        apply_review(out, tmp_path / "nowhere.xlsx")


def test_a_sheet_without_the_key_columns_is_an_input_error(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    book = openpyxl.Workbook()
    book.active.append(["decision", "email"])
    book.active.append(["accept", "x@example.com"])
    book.save(tmp_path / "hand-made.xlsx")
    with pytest.raises(InputError, match="no 'source_file', 'source_row' column"):
        apply_review(out, tmp_path / "hand-made.xlsx")


# --- the command line ----------------------------------------------------------------


def test_review_apply_command(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    _decide(out / "review.xlsx", {WEI: "accept", MALLORY: "bogus"}, save_as=out / "review.xlsx")
    runner = CliRunner()
    failed = runner.invoke(app, ["review", "apply", str(out), str(out / "review.xlsx")])
    assert failed.exit_code == 1
    assert "leadtriage: error:" in failed.stderr and "'b***'" in failed.stderr
    _decide(out / "review.xlsx", {WEI: "accept", MALLORY: "reject"}, save_as=out / "review.xlsx")
    done = runner.invoke(app, ["review", "apply", str(out), str(out / "review.xlsx")])
    assert done.exit_code == 0, done.stderr
    assert _summary(out)["outputs"] == {"accepted": 3, "review": 2, "rejected": 3}
