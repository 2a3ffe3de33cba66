"""What a CRM export given by --crm counts as records, and what a run says of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
from typer.testing import CliRunner

from leadtriage.cli import app

runner = CliRunner()

LEADS = "First Name,Last Name,Email\nJürgen,Möller,juergen.moeller@moeller-bau.de\n"
HEADER = '"Kontakt-ID";"Vorname";"Nachname";"E-Mail";"E-Mail-Opt-out"\n'
RECORD = '"0035g00000AbC01";"Jürgen";"Möller";"juergen.moeller@moeller-bau.de";"1"\n'
# A Salesforce report's lines under its table: a count and the legal notices.
FOOTER = (
    '\n"Gesamt";"1"\n"Vertrauliche Informationen - nicht weitergeben"\n'
    '"Copyright (c) 2000-2026 salesforce.com, inc. Alle Rechte vorbehalten."\n'
)


def _clean(tmp_path: Path, crm_text: str, rules_text: str | None = None) -> dict[str, Any]:
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    crm = tmp_path / "crm.csv"
    crm.write_text(crm_text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["clean", str(leads), "--crm", str(crm), "--json", "-o", str(out), "--force"]
    if rules_text is not None:
        rules = tmp_path / "rules.toml"
        rules.write_text(rules_text, encoding="utf-8")
        args += ["--rules", str(rules)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def test_a_reports_footer_lines_are_no_records(tmp_path: Path) -> None:
    summary = _clean(tmp_path, HEADER + RECORD + FOOTER)
    assert summary["crm"]["records"] == 1
    assert summary["crm"]["existing"] == 1
    assert not any("CRM" in w for w in summary.get("warnings", []))


def test_a_crm_export_without_records_is_warned_of(tmp_path: Path) -> None:
    summary = _clean(tmp_path, HEADER)
    assert summary["crm"]["records"] == 0
    assert any("holds no record" in w for w in summary["warnings"]), summary.get("warnings")


def test_crm_rows_without_a_record_id_are_counted_in_a_warning(tmp_path: Path) -> None:
    blank_id = '"";"Lena";"Vogt";"lena.vogt@vogt-it.de";"0"\n'
    summary = _clean(tmp_path, HEADER + RECORD + blank_id + blank_id)
    assert summary["crm"]["records"] == 1
    assert any("2 rows without a record id" in w for w in summary["warnings"]), summary.get(
        "warnings"
    )


def test_a_record_id_on_two_rows_is_warned_of(tmp_path: Path) -> None:
    other = '"0035g00000AbC01";"Lena";"Vogt";"lena.vogt@vogt-it.de";"0"\n'
    summary = _clean(tmp_path, HEADER + RECORD + other)
    assert summary["crm"]["repeated_ids"] == 1
    assert summary["crm"]["existing"] == 0 and summary["crm"]["ambiguous"] == 1
    assert any("'0035g00000AbC01'" in w for w in summary["warnings"]), summary.get("warnings")


def test_a_record_id_header_the_crm_export_lacks_is_warned_of(tmp_path: Path) -> None:
    """The rules name the id column; this export has another, taken by its name: said,
    as a leads' column named in the rules and absent is (it was silent)."""
    summary = _clean(tmp_path, HEADER + RECORD, '[columns]\nrecord_id = "CRM Key"\n')
    assert summary["crm"]["existing"] == 1
    crm = tmp_path / "crm.csv"
    assert [w for w in summary["warnings"] if "record_id" in w] == [
        f"{tmp_path / 'rules.toml'}: columns.record_id: the CRM export {crm} has no column "
        "'CRM Key'; record_id comes from 'Kontakt-ID'"
    ]


def test_a_record_id_header_the_crm_export_has_warns_nothing(tmp_path: Path) -> None:
    summary = _clean(tmp_path, HEADER + RECORD, '[columns]\nrecord_id = "Kontakt-ID"\n')
    assert summary["crm"]["existing"] == 1
    assert not summary.get("warnings"), summary.get("warnings")


def _run(tmp_path: Path, crm_text: str, *extra: str) -> Any:
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    crm = tmp_path / "crm.csv"
    crm.write_text(crm_text, encoding="utf-8")
    out = tmp_path / "out"
    return runner.invoke(
        app, ["clean", str(leads), "--crm", str(crm), "-o", str(out), "--force", *extra]
    )


HUBSPOT_HEADER = "Record ID,First Name,Last Name,Email,Unsubscribed from all email\n"


def test_record_ids_a_spreadsheet_rounded_are_refused_naming_the_file(tmp_path: Path) -> None:
    """Excel saves a 12-digit HubSpot id as 1.23457E+11: no update could name its
    record (the import would fail or create a duplicate), so the run stops and says
    which file and row (the id was written back as it was, an update to nothing)."""
    rounded = "1.23457E+11,Jürgen,Möller,juergen.moeller@moeller-bau.de,false\n"
    result = _run(tmp_path, HUBSPOT_HEADER + rounded)
    assert result.exit_code == 1, result.stderr
    crm = tmp_path / "crm.csv"
    assert result.stderr.startswith(f"leadtriage: error: {crm}: data row 1: "), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_record_id_written_as_a_float_reaches_the_profile_exact(tmp_path: Path) -> None:
    """An id column with blanks comes out of pandas as floats (98765432101.0); the
    update must carry the CRM's id, not one with ".0" the CRM never issued."""
    floated = "98765432101.0,Jürgen,Möller,juergen.moeller@moeller-bau.de,false\n"
    result = _run(tmp_path, HUBSPOT_HEADER + floated, "--profile", "hubspot")
    assert result.exit_code == 0, result.stderr
    accepted = (tmp_path / "out" / "accepted.csv").read_text(encoding="utf-8").splitlines()
    header = accepted[0].split(",")
    assert accepted[1].split(",")[header.index("Record ID")] == "98765432101"


def test_an_opt_out_reaches_the_row_matched_to_a_record_whose_id_was_a_float(
    tmp_path: Path,
) -> None:
    """The row meets the record by phone, not by address: only the record id ties
    the CRM's opt-out to it, so both sides must read the id alike."""
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "First Name,Last Name,Email,Phone,Marketing Consent\n"
        "Jürgen,Möller,j.moeller@gmail.com,+49 30 1234567,yes\n",
        encoding="utf-8",
    )
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "Record ID,First Name,Last Name,Email,Phone Number,Unsubscribed from all email\n"
        "98765432101.0,Jürgen,Möller,juergen.moeller@moeller-bau.de,+49301234567,true\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["clean", str(leads), "--crm", str(crm), "-o", str(out), "--force", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    rows = (out / "accepted.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    row = dict(zip(header, rows[1].split(","), strict=False))
    assert row["crm_record_id"] == "98765432101"
    assert row["consent"] == "no"


OUTPUTS = ("accepted", "review", "rejected")


def test_an_opt_out_reaches_a_lead_at_the_records_second_address(tmp_path: Path) -> None:
    """Dynamics keeps a second address in Email Address 2: a lead there is the record,
    and its "Do not allow Bulk Emails" is hers."""
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "First Name,Last Name,Email,Company,Marketing Consent\n"
        "Anna,Schmidt,anna.schmidt@acme.com,Acme GmbH,yes\n",
        encoding="utf-8",
    )
    crm = tmp_path / "crm.csv"
    crm.write_text(
        '"(Do Not Modify) Contact","First Name","Last Name","Email","Email Address 2",'
        '"Company Name","Do not allow Bulk Emails"\n'
        '"5f2b1a6e-3c1d-ee11-9cbd-000d3a4b1234","Anna","Schmidt","a.schmidt@acme-old.com",'
        '"anna.schmidt@acme.com","Acme GmbH","Do Not Allow"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(leads), "--crm", str(crm), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    every_row = pl.concat(
        [pl.read_csv(out / f"{name}.csv", infer_schema=False) for name in OUTPUTS],
        how="diagonal",
    )
    anna = every_row.row(0, named=True)
    assert every_row.height == 1
    assert anna["crm_record_id"] == "5f2b1a6e-3c1d-ee11-9cbd-000d3a4b1234"
    assert anna["consent"] == "no"
