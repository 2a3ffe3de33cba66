"""Reading the tool's own CRM-profile output back gives the same consent.

The first run reads a lead list with an opt-in and an opt-out column; its accepted
file, written for Salesforce or HubSpot, is then cleaned again as an input. Each
profile writes the tool's own `consent` column after the CRM columns, so every consent
comes back; the CRM's own column alone (Salesforce "HasOptedOutOfEmail", HubSpot
"Legal basis for processing contact's data", what a CRM export holds) says less, but
never more than was given.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.io.profiles import Profile, crm_headers

runner = CliRunner()
LEADS = (
    "First Name,Last Name,Email,Company,Job Title,Email Opt In,Email Opt Out\r\n"
    "Ann,Lee,ann.lee@northwind-traders.com,Northwind Traders,Buyer,yes,0\r\n"
    "Ben,Okafor,ben.okafor@contoso-pharma.com,Contoso Pharma,CTO,yes,1\r\n"
    "Cara,Diaz,cara.diaz@fabrikam-bank.com,Fabrikam Bank,Analyst,,0\r\n"
)
ORIGINAL = {
    "ann.lee@northwind-traders.com": "yes",
    "ben.okafor@contoso-pharma.com": "no",
    "cara.diaz@fabrikam-bank.com": "unknown",
}
# What each profile can say: Salesforce's Lead has an opt-out flag and no opt-in;
# HubSpot's import has a consent basis and no per-row opt-out.
CARRIED = {"salesforce": ("no", "unknown"), "hubspot": ("yes", "unknown")}


def _clean(*args: str) -> None:
    result = runner.invoke(app, ["clean", *args, "-q", "--force"])
    assert result.exit_code == 0, result.stderr


def _consent(accepted: Path) -> dict[str, str]:
    df = pl.read_csv(accepted, infer_schema=False)
    return dict(df.select("email", "consent").iter_rows())


def _round_trip(
    tmp_path: Path, profile: str, *, crm_columns_only: bool = False
) -> tuple[dict[str, str], dict[str, str]]:
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    _clean(str(leads), "-o", str(tmp_path / "first"))
    _clean(str(leads), "-o", str(tmp_path / "crm"), "--profile", profile)
    written = tmp_path / "crm" / "accepted.csv"
    if crm_columns_only:  # as the CRM would export the records it imported
        written = tmp_path / "crm_export.csv"
        crm_file = pl.read_csv(tmp_path / "crm" / "accepted.csv", infer_schema=False)
        crm_file.select(crm_headers(Profile(profile))).write_csv(written)
    # read back as a generic list: the consent is the same
    _clean(str(written), "-o", str(tmp_path / "back"))
    return _consent(tmp_path / "first" / "accepted.csv"), _consent(
        tmp_path / "back" / "accepted.csv"
    )


@pytest.mark.parametrize("profile", ["salesforce", "hubspot"])
def test_the_crm_columns_alone_keep_the_consent_they_carry(tmp_path: Path, profile: str) -> None:
    first, back = _round_trip(tmp_path, profile, crm_columns_only=True)
    assert first == ORIGINAL
    carried = {e: c for e, c in first.items() if c in CARRIED[profile]}
    assert {e: back[e] for e in carried} == carried
    # what a profile cannot carry comes back as unknown: never as consent
    assert all(back[e] == "unknown" for e in first if e not in carried)


@pytest.mark.parametrize("profile", ["salesforce", "hubspot"])
def test_reading_a_profile_output_back_gives_every_consent(tmp_path: Path, profile: str) -> None:
    first, back = _round_trip(tmp_path, profile)
    assert back == first


@pytest.mark.parametrize("profile", ["salesforce", "hubspot"])
def test_a_profile_carries_the_tools_consent_right_after_its_crm_columns(
    tmp_path: Path, profile: str
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    _clean(str(leads), "-o", str(tmp_path / "crm"), "--profile", profile)
    written = pl.read_csv(tmp_path / "crm" / "accepted.csv", infer_schema=False)
    crm = crm_headers(Profile(profile))
    assert written.columns[: len(crm) + 1] == [*crm, "consent"]
    assert dict(written.select("Email", "consent").iter_rows()) == ORIGINAL
    if profile == "salesforce":  # the CRM's flag stays exact: set only for an opt-out
        opted_out = dict(written.select("Email", "HasOptedOutOfEmail").iter_rows())
        assert opted_out == {e: str(c == "no").lower() for e, c in ORIGINAL.items()}
