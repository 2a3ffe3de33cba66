"""The output profile's import checks are ordinary built-in rules, replaceable by name."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from leadtriage.cli import app

runner = CliRunner()

LEADS = (
    "Email,First Name,Last Name,Company\n"
    "ok@acme.com,Ann,Lee,Acme\n"
    f"long@acme.com,{'A' * 41},Lee,Acme\n"
    "nocompany@acme.com,Bo,Lee,\n"
)


def _decisions(tmp_path: Path, *args: str) -> dict[str, tuple[str, str]]:
    source = tmp_path / "leads.csv"
    source.write_text(LEADS, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(source), "-o", str(out), "-q", "--force", *args])
    assert result.exit_code == 0, result.stderr
    found: dict[str, tuple[str, str]] = {}
    for decision in ("accepted", "review", "rejected"):
        frame = pl.read_csv(out / f"{decision}.csv", infer_schema=False)
        email = "Email" if "Email" in frame.columns else "email"
        reasons = frame["reasons"] if "reasons" in frame.columns else [None] * frame.height
        for address, reason in zip(frame[email], reasons, strict=True):
            found[address] = (decision, reason or "")
    return found


def test_a_rules_file_replaces_a_profile_check_by_name(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rules]]\nname = "crm.required_missing"\n'
        'when = { flag = "crm.required_missing" }\naction = "tag"\n',
        encoding="utf-8",
    )
    found = _decisions(tmp_path, "--profile", "salesforce", "--rules", str(rules))
    assert found["nocompany@acme.com"] == ("accepted", "crm.required_missing")
    # The other check is still the built-in one.
    assert found["long@acme.com"] == ("review", "crm.field_too_long")


def test_profiles_without_import_checks_never_flag(tmp_path: Path) -> None:
    found = _decisions(tmp_path, "--profile", "hubspot")
    assert all("crm.required_missing" not in r for _, r in found.values())
    assert found["nocompany@acme.com"][0] == "accepted"
