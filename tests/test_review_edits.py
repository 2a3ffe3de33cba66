"""Edits a person makes in review.xlsx beyond the decision: applied, or refused whole.

An edit `review apply` does not take must never vanish: a probe set consent to no and
a country on a row, accepted it, and got "0 edited" with the row imported as before;
with the HubSpot profile a typed Record ID and a "no" were dropped and the row was
created as a new contact with consent. Each test types into a workbook as a person
would (openpyxl), applies it, and reads the outputs back.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any, Final

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.errors import ExitStatus, UsageError
from leadtriage.review import apply_review

LEADS_HEADER: Final = ["First Name", "Last Name", "Email", "Company", "Country", "Email Opt Out"]
LEADS: Final = [
    ["Sarah", "Connor", "sarah.connor@gmial.com", "Cyberdyne", "US", "0"],  # 1 email.typo
    ["Tom", "Kern", "tom.kern@kern.com", "Kern", "US", "see notes"],  # 2 unclear
    ["Jo", "Bloggs", "jo@acme-corp.con", "Acme Corp", "GB", "0"],  # 3 email.typo
]
SARAH: Final = "1"
TOM: Final = "2"
JO: Final = "3"

CRM_LEADS_HEADER: Final = ["First Name", "Last Name", "Email", "Phone", "Company", "Opt-in"]
CRM_LEADS: Final = [
    ["J.", "Miller", "john.miller@acme.com", "+1 212 555 3333", "Acme", "yes"],
    ["Kate", "Bates", "k.bates@orbit.com", "+1 212 555 9999", "Orbit", "yes"],
    ["Rob", "Stone", "robert.stone@yahoo.com", "", "Stone", "yes"],
    ["M.", "Perez", "maria@perez.es", "", "Perez", "yes"],
    ["Paul", "Adams", "paul@adams.com", "", "Adams", "yes"],
]
CRM: Final = [
    ["Record ID", "First Name", "Last Name", "Email", "Phone", "Company Name", "Email Opt Out"],
    ["C1", "John", "Miller", "jmiller@acme.com", "+1 212 555 1111", "Acme Inc", "1"],
    ["C2", "Katherine", "Bates", "kate.bates@orbit.com", "+1 212 555 2222", "Orbit LLC", "1"],
    ["C3", "Robert", "Stone", "rstone@gmail.com", "", "Stone LLC", "1"],
    ["C4", "Maria", "Perez", "m.perez@perez.es", "+34 612 345 678", "Perez SL", "1"],
    ["C5", "Paul", "Adams", "paul.adams@adams.com", "", "Adams Inc", "1"],
    ["C6", "Paul", "Adams", "p.adams@adams.com", "", "Adams Inc", "0"],
]
MILLER: Final = "1"
BATES: Final = "2"
LEGAL_BASIS: Final = "Legal basis for processing contact's data"


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _clean(folder: Path, source: Path, *options: str) -> Path:
    out = folder / "out"
    result = CliRunner().invoke(app, ["clean", str(source), "-o", str(out), "-q", *options])
    assert result.exit_code == 0, result.stderr
    return out


def _generic_run(folder: Path) -> Path:
    """Three rows in review: two email typos and an opt-out nobody can read."""
    leads = folder / "leads.csv"
    _write(leads, [LEADS_HEADER, *LEADS])
    return _clean(folder, leads)


def _crm_run(folder: Path, profile: str) -> Path:
    """Rows 1-4 may be CRM records C1 ... C4 (crm.possible), row 5 is C5 or C6
    (crm.ambiguous); all but C6 opted out."""
    leads, crm = folder / "leads.csv", folder / "crm.csv"
    _write(leads, [CRM_LEADS_HEADER, *CRM_LEADS])
    _write(crm, CRM)
    return _clean(folder, leads, "--crm", str(crm), "--profile", profile)


def _edit(out: Path, edits: dict[str, dict[str, str | None]], name: str = "edited.xlsx") -> Path:
    """Type into the cells of the rows (by source_row), as a person does in Excel."""
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        named = dict(zip(header, row, strict=True))
        for column, value in edits.get(str(named["source_row"].value), {}).items():
            named[column].value = value
            named[column].data_type = "s"
    saved = out.parent / name
    book.save(saved)
    return saved


def _rows(out: Path, name: str) -> dict[str, dict[str, Any]]:
    table = pl.read_csv(out / f"{name}.csv", infer_schema=False)
    return {str(r["source_row"]): r for r in table.iter_rows(named=True)}


def _reasons(row: dict[str, Any]) -> list[str]:
    return str(row["reasons"]).split(";")


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _apply(out: Path, workbook: Path) -> Any:
    return CliRunner().invoke(app, ["review", "apply", str(out), str(workbook)])


# --- never dropped: refused whole ----------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("email_suggestion", "tom@kern.de"),  # a finding, not a value the CRM gets
        ("Email Opt Out", "1"),  # the input as it arrived is a record, not a field
        ("reasons", "checked by Ann"),
    ],
)
def test_an_edit_review_apply_does_not_take_refuses_the_whole_apply(
    tmp_path: Path, column: str, value: str
) -> None:
    out = _generic_run(tmp_path)
    workbook = _edit(
        out,
        {
            TOM: {"decision": "accept", column: value},
            SARAH: {"decision": "accept", "email": "sarah.connor@gmail.com"},
        },
    )
    before = _digest(out)
    with pytest.raises(UsageError) as caught:
        apply_review(out, workbook)
    message = caught.value.message
    # The sheet row a person finds, the file row the tool names elsewhere, the column.
    assert "row 3" in message and "leads.csv row 2" in message and repr(column) in message
    assert "nothing was applied" in message
    hint = caught.value.hint or ""
    assert "email" in hint and "consent" in hint and "country_code" in hint
    assert _digest(out) == before


def test_the_refusal_is_a_usage_error_and_never_echoes_the_value(tmp_path: Path) -> None:
    out = _generic_run(tmp_path)
    workbook = _edit(out, {TOM: {"decision": "accept", "Email": "tom@elsewhere.org"}})
    before = _digest(out)
    result = _apply(out, workbook)
    assert result.exit_code == ExitStatus.USAGE
    assert "'Email'" in result.stderr
    assert "elsewhere" not in result.stderr + result.stdout
    assert _digest(out) == before


def test_an_unedited_sorted_workbook_applies_as_before(tmp_path: Path) -> None:
    out = _generic_run(tmp_path)
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    rows = [[(c.value, c.data_type) for c in r] for r in sheet.iter_rows(min_row=2)]
    rows.reverse()
    for index, cells in enumerate(rows, start=2):
        for col, (value, data_type) in enumerate(cells, start=1):
            sheet.cell(index, col).value = value
            sheet.cell(index, col).data_type = data_type
    sheet.cell(2, 1).value = "accept"
    book.save(tmp_path / "sorted.xlsx")
    outcome = apply_review(out, tmp_path / "sorted.xlsx")
    assert (outcome.accepted, outcome.edited) == (1, 0)


# --- consent -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["no", "No", "opted out", "Unsubscribed", "n"])
def test_consent_lowered_to_no_is_applied_as_an_opt_out(tmp_path: Path, typed: str) -> None:
    out = _generic_run(tmp_path)
    workbook = _edit(out, {TOM: {"decision": "accept", "consent": typed}})
    result = _apply(out, workbook)
    assert result.exit_code == 0, result.stderr
    assert "1 edited" in result.stderr and "leads.csv row 2: consent" in result.stderr
    tom = _rows(out, "accepted")[TOM]
    assert tom["consent"] == "no"
    assert {"consent.no", "review.edited", "review.accepted"} <= set(_reasons(tom))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["consent"]["by_output"]["accepted"].get("no", 0) >= 1


def test_consent_raised_by_an_edit_is_refused(tmp_path: Path) -> None:
    """The tool cannot record where a yes typed in a workbook came from, and a CRM
    profile would claim a legal basis for it."""
    out = _generic_run(tmp_path)
    workbook = _edit(out, {TOM: {"decision": "accept", "consent": "yes"}})
    before = _digest(out)
    with pytest.raises(UsageError) as caught:
        apply_review(out, workbook)
    assert "'consent'" in caught.value.message and "leads.csv row 2" in caught.value.message
    assert "lowered" in (caught.value.hint or "")
    assert _digest(out) == before


def test_hubspot_legal_basis_follows_an_edited_consent(tmp_path: Path) -> None:
    out = _crm_run(tmp_path, "hubspot")
    workbook = _edit(out, {BATES: {"decision": "accept", "consent": "no"}})
    apply_review(out, workbook)
    bates = _rows(out, "accepted")[BATES]
    assert bates["consent"] == "no"
    assert bates[LEGAL_BASIS] is None


def test_salesforce_opt_out_flag_follows_an_edited_consent(tmp_path: Path) -> None:
    out = _crm_run(tmp_path, "salesforce")
    workbook = _edit(out, {BATES: {"decision": "accept", "consent": "no"}})
    apply_review(out, workbook)
    bates = _rows(out, "accepted")[BATES]
    assert (bates["consent"], bates["HasOptedOutOfEmail"]) == ("no", "true")


# --- the CRM record a possible match is ----------------------------------------------


def test_a_typed_candidate_id_with_consent_no_links_the_row(tmp_path: Path) -> None:
    """The record's opt-out is not in the workbook; with the row's own consent no
    there is nothing for it to lower, so the link is what a match would have made."""
    out = _crm_run(tmp_path, "hubspot")
    workbook = _edit(out, {MILLER: {"decision": "accept", "Record ID": "C1", "consent": "no"}})
    apply_review(out, workbook)
    miller = _rows(out, "accepted")[MILLER]
    assert miller["Record ID"] == "C1"
    assert miller["Lead Status"] is None  # an update leaves the CRM's status alone
    assert (miller["consent"], miller[LEGAL_BASIS]) == ("no", None)
    assert "crm.existing" in _reasons(miller) and "crm.possible" not in _reasons(miller)


def test_a_typed_candidate_id_without_the_records_opt_out_is_refused(tmp_path: Path) -> None:
    out = _crm_run(tmp_path, "hubspot")
    workbook = _edit(out, {MILLER: {"decision": "accept", "Record ID": "C1"}})
    before = _digest(out)
    with pytest.raises(UsageError) as caught:
        apply_review(out, workbook)
    assert "'Record ID'" in caught.value.message
    assert "opt-out" in caught.value.message
    assert _digest(out) == before


def test_a_record_id_that_is_not_a_candidate_is_refused(tmp_path: Path) -> None:
    out = _crm_run(tmp_path, "generic")
    workbook = _edit(out, {MILLER: {"decision": "accept", "crm_record_id": "C2", "consent": "no"}})
    with pytest.raises(UsageError) as caught:
        apply_review(out, workbook)
    assert "crm_candidates" in caught.value.message


# --- country -------------------------------------------------------------------------


def test_a_country_edit_is_normalised_like_a_run(tmp_path: Path) -> None:
    out = _generic_run(tmp_path)
    workbook = _edit(out, {TOM: {"decision": "accept", "country_code": "Germany"}})
    outcome = apply_review(out, workbook)
    assert outcome.edited == 1
    tom = _rows(out, "accepted")[TOM]
    assert tom["country_code"] == "DE" and "review.edited" in _reasons(tom)


def test_an_unknown_country_keeps_the_row_in_review(tmp_path: Path) -> None:
    out = _generic_run(tmp_path)
    workbook = _edit(out, {TOM: {"decision": "accept", "country_code": "Narnia"}})
    outcome = apply_review(out, workbook)
    assert (outcome.accepted, outcome.held) == (0, 1)
    tom = _rows(out, "review")[TOM]
    assert tom["country_code"] == "Narnia" and "country.unknown" in _reasons(tom)


def test_a_hubspot_country_edit_is_written_as_the_country_name(tmp_path: Path) -> None:
    out = _crm_run(tmp_path, "hubspot")
    workbook = _edit(out, {BATES: {"decision": "accept", "Country/Region": "DE"}})
    assert apply_review(out, workbook).edited == 1
    assert _rows(out, "accepted")[BATES]["Country/Region"] == "Germany"


# --- reasons follow the edited value -------------------------------------------------


def test_a_fixed_email_loses_its_typo_reason(tmp_path: Path) -> None:
    out = _generic_run(tmp_path)
    workbook = _edit(out, {SARAH: {"decision": "accept", "email": "sarah.connor@gmail.com"}})
    apply_review(out, workbook)
    sarah = _rows(out, "accepted")[SARAH]
    assert "email.typo" not in _reasons(sarah)
    assert "email.free" in _reasons(sarah)  # what the new address is, as a run says


def test_an_invalid_email_edit_says_invalid(tmp_path: Path) -> None:
    out = _generic_run(tmp_path)
    workbook = _edit(out, {JO: {"decision": "accept", "email": "jo(at)acme-corp"}})
    apply_review(out, workbook)
    jo = _rows(out, "review")[JO]
    assert "email.invalid" in _reasons(jo) and "email.typo" not in _reasons(jo)


# --- applying again ------------------------------------------------------------------


def test_applying_the_same_edits_again_changes_nothing(tmp_path: Path) -> None:
    """Rows an application changed stay in review undecided; the workbook they came
    from no longer matches them where the tool wrote (reasons, Lead Status, the
    legal basis, the country name), and that is no edit."""
    out = _crm_run(tmp_path, "hubspot")
    workbook = _edit(
        out,
        {
            MILLER: {"Record ID": "C1", "consent": "No"},
            BATES: {"consent": "unsubscribed", "Country/Region": "de"},
        },
    )
    assert apply_review(out, workbook).edited == 4
    before = _digest(out)
    assert not apply_review(out, workbook).changed
    assert _digest(out) == before


def test_a_note_in_the_reasons_of_an_edited_row_is_still_refused(tmp_path: Path) -> None:
    out = _generic_run(tmp_path)
    apply_review(out, _edit(out, {TOM: {"consent": "no"}}))
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        named = dict(zip(header, row, strict=True))
        if named["source_row"].value == TOM:
            named["reasons"].value = f"{named['reasons'].value};called him"
    book.save(tmp_path / "note.xlsx")
    with pytest.raises(UsageError) as caught:
        apply_review(out, tmp_path / "note.xlsx")
    assert "'reasons'" in caught.value.message


def test_a_row_copied_in_the_sheet_with_other_edits_is_refused(tmp_path: Path) -> None:
    """Only one copy's cells can be applied; which one the person meant is unknown."""
    out = _generic_run(tmp_path)
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    tom = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("source_row")].value == TOM)
    copy = [c.value for c in tom]
    copy[header.index("email")] = "tom@kern.de"
    sheet.append(copy)
    book.save(tmp_path / "copied.xlsx")
    with pytest.raises(UsageError) as caught:
        apply_review(out, tmp_path / "copied.xlsx")
    assert "row 5" in caught.value.message and "'email'" in caught.value.message
