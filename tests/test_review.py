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
from leadtriage.errors import ConservationError, ExitStatus, InputError, UsageError
from leadtriage.frame import REASONS, raw
from leadtriage.io import workbook as workbook_module
from leadtriage.io.workbook import SHEET_ROW, ReviewSheet, read_review_sheet
from leadtriage.io.write import OutputFormat, WriteOptions, write_outputs
from leadtriage.normalize.presence import is_blank
from leadtriage.pipeline import clean
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
    out = folder / "out"
    clean(
        [str(event), str(webinar)],
        out,
        rules=_review_email_missing(),
        write_options=WriteOptions(format=fmt, excel_bom=bom),
    )
    return out


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return (Path(row["source_file"]).name, str(row["source_row"]))


def _decide(workbook: Path, decisions: dict[tuple[str, str], Any], save_as: Path) -> None:
    """Sort the sheet by last name, descending, then type the decisions by key."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    cells = [[(c.value, c.data_type) for c in r] for r in sheet.iter_rows(min_row=2)]
    cells.sort(key=lambda r: str(r[header.index("Last Name")][0]), reverse=True)
    for index, typed in enumerate(cells, start=2):
        for col, (value, data_type) in enumerate(typed, start=1):
            sheet.cell(index, col).value = value
            if data_type == "s":  # as Excel sorts: a text cell stays text, never a formula
                sheet.cell(index, col).data_type = "s"
        values = [value for value, _ in typed]
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


def test_workbook_cells_are_text_with_exact_values(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    sheet = openpyxl.load_workbook(out / "review.xlsx")["review"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["decision", "reasons"]
    phones = {}
    for row in sheet.iter_rows(min_row=2):
        named = dict(zip(header, row, strict=True))
        phones[named["Last Name"].value] = named["Phone"]
        if named["Last Name"].value == "Mallory":
            assert named["Company"].value == FORMULA  # exact, in a text cell
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


@pytest.mark.parametrize(
    ("word", "decision"),
    [
        ("approve", "accepted"),
        ("Approved", "accepted"),
        ("okay", "accepted"),
        ("decline", "rejected"),
        ("DECLINED", "rejected"),
    ],
)
def test_approval_words_reviewers_bring_from_other_tools_are_decisions(
    word: str, decision: str
) -> None:
    # Refused, they made a person retype a whole sheet of decisions that were clear.
    assert parse_decisions(_sheet([word]))["decision"].to_list() == [decision]


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
    assert _reasons(rejected)[MALLORY] == "cell.formula;email.missing;review.rejected"
    assert _reasons(review) == {HADDAD: "contact.invalid;email.missing", SOUZA: "email.missing"}
    # The values a person saw travel with the row, phones and formulas as they were.
    moved = accepted.row(_keys(accepted).index(WEI), named=True)
    assert moved["phone_e164"] == "+14156920133" and moved["last_name"] == "Wei"
    evil = rejected.row(_keys(rejected).index(MALLORY), named=True)
    # Neutralised only in a CSV a person opens; xlsx and Parquet hold the exact value.
    assert evil["Company"] == ("'" + FORMULA if fmt is OutputFormat.CSV else FORMULA)
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
        "edited": 0,
        "changes": [],
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
        "edited": 0,
        "changes": [],
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
    # Even under this run's id, rows that are not in its review are refused.
    write_review_workbook(other, tmp_path / "other.xlsx", run_id=_summary(out)["run_id"])
    write_review_workbook(other, tmp_path / "no-id.xlsx")
    before = _digest(out)
    with pytest.raises(InputError) as caught:
        apply_review(out, tmp_path / "other.xlsx")
    assert "other.xlsx" in caught.value.message and "1 rows" in caught.value.message
    with pytest.raises(InputError, match=r"another run \(no run id\)"):
        apply_review(out, tmp_path / "no-id.xlsx")
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


def test_the_two_arguments_swapped_are_said_as_such(tmp_path: Path) -> None:
    """`review apply out/review.xlsx out`: the file given as the folder was answered
    with a hint about --out-dir, an option review apply does not have."""
    out = _make_run(tmp_path)
    with pytest.raises(UsageError, match="a file, not the folder") as caught:
        apply_review(out / "review.xlsx", out)
    assert "--out-dir" not in (caught.value.hint or "")
    assert "OUT_DIR WORKBOOK" in (caught.value.hint or "")


def test_a_folder_given_as_the_workbook_is_named_a_folder(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    with pytest.raises(UsageError, match="is a folder, not a workbook"):
        apply_review(out, out)


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
    with pytest.raises(UsageError, match="no such workbook") as caught:
        apply_review(out, tmp_path / "nowhere.xlsx")
    assert caught.value.exit_status == ExitStatus.USAGE  # a missing file: exit 2


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


# --- a workbook belongs to one run ---------------------------------------------------

# The same two exports, re-exported: other people now sit at the same row numbers.
EVENT_ROWS_LATER: Final = [
    ["", "Paul", "Klee", "Klee AG", "01999"],
    ["", "Rosa", "Lux", "Lux Verlag", "+14155550177"],
    ["", "Karl", "Valentin", "Valentin KG", "+14155550178"],
    ["", "Lotte", "Lenya", "Lenya Music", "+14155550179"],
]


def _rerun(folder: Path, out: Path, rows: list[list[str]], *, workbook_limit: int | None) -> None:
    """A second `leadtriage clean ... --force` into the same folder."""
    _write_csv(folder / "event.csv", rows)
    with pytest.MonkeyPatch.context() as patch:
        if workbook_limit is not None:
            patch.setattr(workbook_module, "WORKBOOK_MAX_ROWS", workbook_limit)
        clean(
            [str(folder / "event.csv"), str(folder / "webinar.csv")],
            out,
            rules=_review_email_missing(),
        )


def test_summary_and_workbook_carry_the_same_run_id(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    run_id = _summary(out)["run_id"]
    assert isinstance(run_id, str) and len(run_id) >= 12
    assert read_review_sheet(out / "review.xlsx").run_id == run_id
    book = openpyxl.load_workbook(out / "review.xlsx", read_only=True)
    assert book.custom_doc_props["leadtriage_run_id"].value == run_id


def _whole_text_run_id(tables: dict[str, pl.DataFrame]) -> str:
    """run_id as its first form took it: each table's whole CSV text at once."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        table = tables[name]
        if name != "review":
            table = table.select(
                c for c in (*workbook_module.KEY_COLUMNS, REASONS) if c in table.columns
            )
        text = table.write_csv().encode()
        digest.update(f"{name}\n{len(text)}\n".encode())
        digest.update(text)
    return digest.hexdigest()[:16]


@pytest.mark.parametrize("slice_rows", [1, 2, 3, 7, 100_000])
def test_run_id_taken_a_slice_at_a_time_is_the_whole_texts_digest(
    monkeypatch: pytest.MonkeyPatch, slice_rows: int
) -> None:
    monkeypatch.setattr(workbook_module, "_DIGEST_SLICE_ROWS", slice_rows)
    rows = [
        {"email": f"p{i}@x.com", "source_file": "a.csv", "source_row": i, REASONS: "r;s" * (i % 2)}
        for i in range(7)
    ]
    tables = {
        "accepted": pl.DataFrame(rows[:5]),
        "review": pl.DataFrame(rows[5:]).with_columns(pl.lit('say "hi", then\nbye').alias("note")),
        "rejected": pl.DataFrame(rows[:0]),
    }
    assert workbook_module.run_id(tables) == _whole_text_run_id(tables)


def test_a_workbook_of_an_earlier_run_is_refused_naming_both_runs(tmp_path: Path) -> None:
    """The issue's case: the second run's review is too long for a workbook, so only
    the first run's workbook exists; applying it must not touch the new outputs."""
    out = _make_run(tmp_path)
    first_run = _summary(out)["run_id"]
    decided = tmp_path / "decided.xlsx"
    _decide(out / "review.xlsx", {HADDAD: "reject", WEI: "reject", SOUZA: "accept"}, decided)
    _rerun(tmp_path, out, EVENT_ROWS_LATER, workbook_limit=1)
    second_run = _summary(out)["run_id"]
    assert second_run != first_run
    assert not (out / "review.xlsx").exists()
    before = _digest(out)
    with pytest.raises(InputError) as caught:
        apply_review(out, decided)
    assert first_run in caught.value.message and second_run in caught.value.message
    assert _digest(out) == before


def test_a_saved_copy_of_an_earlier_workbook_is_refused(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    decided = tmp_path / "decided.xlsx"
    _decide(out / "review.xlsx", {HADDAD: "reject"}, decided)
    _rerun(tmp_path, out, EVENT_ROWS_LATER, workbook_limit=None)
    assert (out / "review.xlsx").exists()
    before = _digest(out)
    with pytest.raises(InputError, match="another run"):
        apply_review(out, decided)
    assert _digest(out) == before


def test_the_run_id_is_the_same_for_the_same_inputs(tmp_path: Path) -> None:
    first = _make_run(tmp_path)
    again = tmp_path / "again"
    clean(
        [str(tmp_path / "event.csv"), str(tmp_path / "webinar.csv")],
        again,
        rules=_review_email_missing(),
    )
    assert _summary(first)["run_id"] == _summary(again)["run_id"]
    assert (first / "review.xlsx").read_bytes() == (again / "review.xlsx").read_bytes()


def test_applying_keeps_the_run_id_so_the_first_workbook_applies_again(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    run_id = _summary(out)["run_id"]
    decided = tmp_path / "decided.xlsx"
    _decide(out / "review.xlsx", {WEI: "accept"}, decided)
    apply_review(out, decided)
    assert _summary(out)["run_id"] == run_id
    assert read_review_sheet(out / "review.xlsx").run_id == run_id
    assert not apply_review(out, decided).changed


# --- pairs and candidates ---------------------------------------------------------------


def _pairs_review() -> pl.DataFrame:
    """Review rows as the matcher leaves them: two duplicate.possible pairs, one row
    without a partner, one crm.ambiguous row with its candidate records."""
    return pl.DataFrame(
        {
            "email": [
                "kate@acme.com",
                "x@y.com",
                "li@wei.com",
                "katherine@acme.com",
                "l.wei@wei.com",
            ],
            "possible_partner": ["a.csv:4", None, "a.csv:5", "a.csv:1", "a.csv:3"],
            "pair_id": ["p1", None, "p2", "p1", "p2"],
            "crm_candidates": [None, "0031;0032", None, None, None],
            "source_file": ["a.csv"] * 5,
            "source_row": ["1", "2", "3", "4", "5"],
            "reasons": ["duplicate.possible", "crm.ambiguous", *["duplicate.possible"] * 3],
        }
    )


def test_a_possible_pair_sits_side_by_side_in_the_workbook() -> None:
    laid_out = review_workbook_frame(_pairs_review())
    assert laid_out["source_row"].to_list() == ["1", "4", "2", "3", "5"]
    assert laid_out.columns[:5] == [
        "decision",
        "reasons",
        "pair_id",
        "possible_partner",
        "crm_candidates",
    ]


def test_partner_and_candidates_reach_the_written_workbook(tmp_path: Path) -> None:
    write_review_workbook(_pairs_review(), tmp_path / "review.xlsx", run_id="r1")
    sheet = openpyxl.load_workbook(tmp_path / "review.xlsx")["review"]
    rows = [
        dict(zip([c.value for c in sheet[1]], r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert [r["pair_id"] for r in rows] == ["p1", "p1", None, "p2", "p2"]
    assert rows[0]["possible_partner"] == "a.csv:4" and rows[1]["possible_partner"] == "a.csv:1"
    assert rows[2]["crm_candidates"] == "0031;0032"


# --- a person's edits ------------------------------------------------------------------


def _edit(
    workbook: Path, edits: dict[tuple[str, str], dict[str, str | None]], save_as: Path
) -> None:
    """Type into cells of the keyed rows, as a person fixes values in Excel."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        named = dict(zip(header, row, strict=True))
        key = (Path(str(named["source_file"].value)).name, str(named["source_row"].value))
        for column, value in edits.get(key, {}).items():
            named[column].value = value
            named[column].data_type = "s"
    book.save(save_as)


def test_edits_are_revalidated_applied_and_tagged(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    decided = tmp_path / "decided.xlsx"
    _decide(out / "review.xlsx", {HADDAD: "accept", WEI: "accept"}, decided)
    _edit(
        decided,
        {
            HADDAD: {"phone_e164": "+44 20 7946 0958"},  # fixed, then accepted
            SOUZA: {"email": " Ana.Souza@SouzaLtda.com.br "},  # fixed, left for later
            WEI: {"email": "li.wei(at)weitrading"},  # still invalid: stays in review
        },
        decided,
    )
    outcome = apply_review(out, decided)
    accepted, review = _table(out, "accepted"), _table(out, "review")
    haddad = accepted.row(_keys(accepted).index(HADDAD), named=True)
    assert haddad["phone_e164"] == "+442079460958"
    assert "review.edited" in haddad["reasons"].split(";")
    souza = review.row(_keys(review).index(SOUZA), named=True)
    assert souza["email"] == "Ana.Souza@souzaltda.com.br"  # the local part keeps its case
    assert "review.edited" in souza["reasons"].split(";")
    # An edit that is still invalid keeps the row in review, decision or not.
    assert WEI in _keys(review) and WEI not in _keys(accepted)
    wei = review.row(_keys(review).index(WEI), named=True)
    assert "review.edited" not in wei["reasons"].split(";")
    assert (outcome.accepted, outcome.edited, outcome.held) == (1, 2, 1)
    changes = _summary(out)["review_applied"]["changes"]
    assert {(c["source_row"], c["column"], c["applied"]) for c in changes} == {
        ("2", "phone_e164", True),
        ("2", "email", True),
        ("3", "email", False),
    }
    # The summary names cells, never their values.
    text = (out / "summary.json").read_text(encoding="utf-8")
    assert "souzaltda" not in text.lower() and "weitrading" not in text


def test_applying_the_same_edits_again_changes_nothing(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    decided = tmp_path / "decided.xlsx"
    _edit(out / "review.xlsx", {SOUZA: {"email": "ana.souza@souzaltda.com.br"}}, decided)
    assert apply_review(out, decided).edited == 1
    before = _digest(out)
    assert not apply_review(out, decided).changed
    assert _digest(out) == before


def test_a_workbook_with_a_still_invalid_edit_applies_again_as_a_no_op(tmp_path: Path) -> None:
    """The first application holds the row and works its findings out again; the
    same workbook applied again is no edit of the reasons, and still no decision."""
    out = _make_run(tmp_path)
    decided = tmp_path / "decided.xlsx"
    _decide(out / "review.xlsx", {WEI: "accept"}, decided)
    _edit(decided, {WEI: {"email": "li.wei(at)weitrading"}}, decided)
    assert apply_review(out, decided).held == 1
    before = _digest(out)
    again = apply_review(out, decided)
    assert (again.accepted, again.changed) == (0, False)
    assert _digest(out) == before


def test_a_held_row_stays_held_until_its_value_is_valid(tmp_path: Path) -> None:
    """The rewritten workbook shows the invalid value: deciding the row there without
    fixing it must not move it, fixing it must."""
    out = _make_run(tmp_path)
    decided = tmp_path / "decided.xlsx"
    _decide(out / "review.xlsx", {WEI: "accept"}, decided)
    _edit(decided, {WEI: {"email": "li.wei(at)weitrading"}}, decided)
    apply_review(out, decided)
    wei = _table(out, "review").row(_keys(_table(out, "review")).index(WEI), named=True)
    assert "review.held" in wei["reasons"].split(";")

    undecided_fix = tmp_path / "again.xlsx"
    _decide(out / "review.xlsx", {WEI: "accept"}, undecided_fix)
    assert apply_review(out, undecided_fix).accepted == 0
    assert WEI in _keys(_table(out, "review"))

    fixed = tmp_path / "fixed.xlsx"
    _decide(out / "review.xlsx", {WEI: "accept"}, fixed)
    _edit(fixed, {WEI: {"email": "li.wei@weitrading.com"}}, fixed)
    assert apply_review(out, fixed).accepted == 1
    accepted = _table(out, "accepted")
    reasons = accepted.row(_keys(accepted).index(WEI), named=True)["reasons"].split(";")
    assert "review.held" not in reasons and "review.edited" in reasons


def test_review_apply_command_lists_edited_cells_without_values(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    decided = tmp_path / "decided.xlsx"
    _edit(out / "review.xlsx", {SOUZA: {"email": "ana.souza@souzaltda.com.br"}}, decided)
    result = CliRunner().invoke(app, ["review", "apply", str(out), str(decided)])
    assert result.exit_code == 0, result.stderr
    assert "1 edited" in result.stderr
    assert "webinar.csv row 2: email" in result.stderr
    assert "souzaltda" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("acept", "accept"),
        ("rejcet", "reject"),
        ("Acepted", "accepted"),
        ("aprove", "approve"),
        ("delined", "declined"),
    ],
)
def test_a_mistyped_decision_is_shown_with_the_word_meant(typo: str, meant: str) -> None:
    """'a***' is not a decision: the person could not see what they had typed. A
    word a slip or two from a decision is no contact data: shown whole, with the
    decision it was probably meant to be."""
    with pytest.raises(InputError) as caught:
        parse_decisions(_sheet(["accept", typo]))
    assert f"row 3: {typo!r} is not a decision (did you mean {meant!r}?)" in caught.value.message


def test_applying_again_counts_one_row_as_a_row(tmp_path: Path) -> None:
    out = _make_run(tmp_path)
    decided = tmp_path / "decided.xlsx"
    _decide(out / "review.xlsx", {HADDAD: "accept"}, decided)
    runner = CliRunner()
    assert runner.invoke(app, ["review", "apply", str(out), str(decided)]).exit_code == 0
    again = runner.invoke(app, ["review", "apply", str(out), str(decided)])
    assert again.exit_code == 0, again.stderr
    assert "(1 row applied before," in again.stderr
