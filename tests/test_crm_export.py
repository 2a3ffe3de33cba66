"""What a CRM export given by --crm counts as records, and what a run says of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
