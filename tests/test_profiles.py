"""CRM import profiles: exactly the headers each CRM's import maps by itself."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.frame import TRACEABILITY
from leadtriage.io.profiles import Profile, crm_headers

REPO = Path(__file__).parents[1]
EXAMPLE = REPO / "examples" / "campaign.csv"
runner = CliRunner()

HUBSPOT = [
    "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
    "Company Name", "Job Title", "Website URL", "Street Address", "City", "State/Region",
    "Postal Code", "Country/Region", "Lead Status",
    "Legal basis for processing contact's data", "Record ID",
]  # fmt: skip
SALESFORCE = [
    "FirstName", "LastName", "Email", "Phone", "MobilePhone", "Company", "Title",
    "LeadSource", "Street", "City", "State", "PostalCode", "Country", "Website",
    "HasOptedOutOfEmail", "Id",
]  # fmt: skip
# The tool's own consent follows the CRM columns (read back, it gives every consent).
OWN = ["consent"]
# The example's columns no field maps: kept after those by default, with the mapped
# columns a profile has no CRM column for (see the pass-through test).
UNMAPPED = ["Notes"]


def _clean(tmp_path: Path, *args: str, source: Path = EXAMPLE) -> Path:
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(source), "-o", str(out), "-q", *args])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.parametrize(
    ("profile", "headers", "passed_on"),
    [
        (Profile.HUBSPOT, HUBSPOT, ["Registration Time", "Lead Source", *UNMAPPED]),
        (Profile.SALESFORCE, SALESFORCE, ["Registration Time", *UNMAPPED]),
    ],
)
def test_accepted_file_has_exactly_the_crm_headers(
    tmp_path: Path, profile: Profile, headers: list[str], passed_on: list[str]
) -> None:
    assert crm_headers(profile) == headers
    out = _clean(tmp_path, "--profile", profile.value, "--crm", str(REPO / "examples" / "crm.csv"))
    accepted = pl.read_csv(out / "accepted.csv", infer_schema=False)
    assert accepted.columns == [
        *headers,
        *OWN,
        *passed_on,
        "match_evidence",
        "crm_match_evidence",
        *TRACEABILITY,
    ]
    review = pl.read_csv(out / "review.csv", infer_schema=False)
    assert review.columns[: len(headers) + len(OWN)] == [*headers, *OWN]
    assert review.columns[-len(TRACEABILITY) :] == list(TRACEABILITY)
    # What arrived stays beside the CRM columns, renamed where a header is spelled alike.
    assert "E-mail Address" in review.columns
    if profile is Profile.HUBSPOT:
        assert "First Name (input)" in review.columns


def test_hubspot_values(tmp_path: Path) -> None:
    out = _clean(tmp_path, "--profile", "hubspot", "--crm", str(REPO / "examples" / "crm.csv"))
    accepted = pl.read_csv(out / "accepted.csv", infer_schema=False)
    john = accepted.filter(pl.col("Email") == "john.smith@lumenrobotics.com").row(0, named=True)
    assert john["Record ID"] == "0031"
    assert john["Lead Status"] is None  # an update leaves the CRM's status alone
    assert john["Country/Region"] == "United States"
    assert john["Phone Number"] == "+12127360142"
    new = accepted.filter(pl.col("Record ID").is_null())
    assert set(new["Lead Status"].to_list()) == {"New"}
    consent = accepted["Legal basis for processing contact's data"].drop_nulls().unique()
    assert consent.to_list() == ["Freely given consent from contact"]


def test_salesforce_updates_carry_the_record_id(tmp_path: Path) -> None:
    out = _clean(tmp_path, "--profile", "salesforce", "--crm", str(REPO / "examples" / "crm.csv"))
    accepted = pl.read_csv(out / "accepted.csv", infer_schema=False)
    john = accepted.filter(pl.col("Email") == "john.smith@lumenrobotics.com").row(0, named=True)
    assert john["Id"] == "0031"


def test_salesforce_limits_and_required_fields_go_to_review(tmp_path: Path) -> None:
    source = tmp_path / "leads.csv"
    source.write_text(
        "Email,First Name,Last Name,Company\n"
        f"ok@acme.com,Ann,Lee,Acme\n"
        f"long@acme.com,{'A' * 41},Lee,Acme\n"
        f"nocompany@acme.com,Bo,Lee,\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["clean", str(source), "-o", str(tmp_path / "out"), "-q", "--profile", "salesforce"]
    )
    assert result.exit_code == 0, result.stderr
    review = pl.read_csv(tmp_path / "out" / "review.csv", infer_schema=False)
    reasons = dict(zip(review["Email"], review["reasons"], strict=True))
    assert "crm.field_too_long" in reasons["long@acme.com"]
    assert "crm.required_missing" in reasons["nocompany@acme.com"]
    accepted = pl.read_csv(tmp_path / "out" / "accepted.csv", infer_schema=False)
    assert accepted["Email"].to_list() == ["ok@acme.com"]
    assert accepted["HasOptedOutOfEmail"].to_list() == ["false"]


def _rules(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("profile", list(Profile))
def test_unmapped_columns_are_kept_in_every_file_by_default(
    tmp_path: Path, profile: Profile
) -> None:
    out = _clean(tmp_path, "--profile", profile.value)
    source = pl.read_csv(EXAMPLE, infer_schema=False).with_row_index("row", offset=1)
    notes = dict(zip(source["row"].cast(pl.String), source["Notes"], strict=True))
    for name in ("accepted", "review", "rejected"):
        table = pl.read_csv(out / f"{name}.csv", infer_schema=False)
        assert "Notes" in table.columns, (profile, name)
        assert "match_evidence" in table.columns, (profile, name)
        for row, value in zip(table["source_row"], table["Notes"], strict=True):
            assert value == notes[row], (profile, name, row)


def test_unmapped_drop_leaves_them_out_of_the_import_file_only(tmp_path: Path) -> None:
    rules = _rules(tmp_path, '[output]\nprofile = "hubspot"\nunmapped = "drop"\n')
    out = _clean(tmp_path, "--rules", str(rules))
    accepted = pl.read_csv(out / "accepted.csv", infer_schema=False)
    assert "Notes" not in accepted.columns
    assert accepted.columns[: len(HUBSPOT)] == HUBSPOT
    # A person still sees them where rows are looked at.
    assert "Notes" in pl.read_csv(out / "review.csv", infer_schema=False).columns


def test_a_bad_unmapped_value_is_a_rules_error_before_any_data_is_read(tmp_path: Path) -> None:
    rules = _rules(tmp_path, '[output]\nunmapped = "dorp"\n')
    result = runner.invoke(
        app, ["clean", str(tmp_path / "missing.csv"), "--rules", str(rules), "-o", "x"]
    )
    assert result.exit_code == 2, result.stderr
    assert "output.unmapped" in result.stderr and "drop" in result.stderr
    assert "rules.toml:2" in result.stderr


def test_traceability_never_goes_into_a_crm_field(tmp_path: Path) -> None:
    out = _clean(tmp_path, "--profile", "salesforce")
    accepted = pl.read_csv(out / "accepted.csv", infer_schema=False)
    assert "Description" not in accepted.columns
    for column in set(accepted.columns) - set(TRACEABILITY):
        values = accepted[column].drop_nulls()
        assert not values.str.contains("campaign.csv", literal=True).any(), column


@pytest.mark.parametrize(
    ("profile", "unplaced"),
    [
        (Profile.HUBSPOT, ["Registration Time", "Lead Source"]),
        (Profile.SALESFORCE, ["Registration Time"]),
    ],
)
def test_mapped_fields_the_crm_has_no_column_for_pass_through(
    tmp_path: Path, profile: Profile, unplaced: list[str]
) -> None:
    """HubSpot's import has no lead source or sign-up date column and Salesforce's no
    sign-up date: those input columns are kept as they came, beside the unmapped ones
    (the wizard maps them to a custom property or skips them), never dropped."""
    out = _clean(tmp_path, "--profile", profile.value)
    source = pl.read_csv(EXAMPLE, infer_schema=False).with_row_index("row", offset=1)
    for name in ("accepted", "review", "rejected"):
        table = pl.read_csv(out / f"{name}.csv", infer_schema=False)
        for column in unplaced:
            assert column in table.columns, (profile, name, column)
            came = dict(zip(source["row"].cast(pl.String), source[column], strict=True))
            for row, value in zip(table["source_row"], table[column], strict=True):
                assert value == came[row], (profile, name, column, row)
    accepted = pl.read_csv(out / "accepted.csv", infer_schema=False)
    # Beside the unmapped columns, in input order.
    kept = [c for c in source.columns if c in {*unplaced, *UNMAPPED}]
    assert [c for c in accepted.columns if c in kept] == kept


def test_kosovo_keeps_its_name_in_a_crm_profile(tmp_path: Path) -> None:
    """XK is no ISO code: the CRM's country column was left blank for Kosovo."""
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "Email,First Name,Last Name,Company,Country\n"
        "arben.krasniqi@prishtina-soft.com,Arben,Krasniqi,Prishtina Soft,Kosovo\n",
        encoding="utf-8",
    )
    out = _clean(tmp_path, "--profile", "hubspot", source=leads)
    accepted = pl.read_csv(out / "accepted.csv", infer_schema=False)
    assert accepted["Country/Region"].to_list() == ["Kosovo"]
