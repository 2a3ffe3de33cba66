"""Header mapping of exports the first sweeps did not cover: Meta and Google lead ads,
Dynamics 365, Zoho, Pipedrive, Pardot, Intercom, Brevo, webinar and badge-scan apps,
and the CRMs' German, French, Spanish, Italian, Dutch, Portuguese and Polish labels.

A mapping mistake is silent: a column of someone else's (the booth's scanner, an
assistant) taken as the person's, or a column lost.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.columns import map_columns

runner = CliRunner()


def clean_rows(tmp_path: Path, csv: str) -> dict[str, dict[str, str | None]]:
    """`csv` run through `clean`: each output row by its source row (1-based)."""
    path = tmp_path / "export.csv"
    path.write_text(csv, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(path), "-o", str(out), "-q", "--force"])
    assert result.exit_code == 0, result.stderr
    frames = [
        pl.read_csv(out / f"{name}.csv", infer_schema=False)
        for name in ("accepted", "review", "rejected")
    ]
    rows = pl.concat(frames, how="diagonal").to_dicts()
    return {str(row["source_row"]): row for row in rows}


def summary_columns(tmp_path: Path) -> dict[str, object]:
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    columns: dict[str, object] = summary["columns"]
    return columns


# --- someone else's contact point is not the person's


@pytest.mark.parametrize(
    "header",
    [
        # badge-scan apps: the exhibitor's staff who scanned the badge
        "Scanner Email",
        "Staff Email",
        "Rep Email",
        "Sales Rep Email",
        # CRMs: the record's owner, the person's assistant or manager
        "Owner Email",
        "Lead Owner Email",
        "Assistant Email",
        "Manager Email",
        "Assistant Phone",
        "Manager Phone",
        # referral forms
        "Referrer Email",
        "Referrer's email address",
        "Your manager's email",
        "Partner Email",
        "Emergency Contact Phone",
        # Zoho's "Created By": a user, no date
        "Created By",
    ],
)
def test_someone_elses_contact_point_is_never_guessed_as_the_persons(header: str) -> None:
    mapping = map_columns(["Full Name", header])
    assert header not in mapping.fields.values()
    assert header in mapping.unmapped


@pytest.mark.parametrize(
    "header",
    [
        # an organisation's switchboard, not the person's line
        "Main Phone",
        "Telefon Zentrale",
        "Switchboard Phone",
    ],
)
def test_a_company_switchboard_is_not_the_persons_phone(header: str) -> None:
    mapping = map_columns(["Full Name", header])
    assert header not in mapping.fields.values()


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("What's your email address?", "email"),
        ("Your phone number (optional)", "phone"),
        ("Your mobile number", "mobile"),
        ("Company / Organisation", "company"),
        ("Which country are you based in?", "country"),
        ("What is your role?", "job_title"),
        ("What's your name?", "full_name"),
    ],
)
def test_form_questions_about_the_person_are_still_guessed(header: str, field: str) -> None:
    assert map_columns([header]).fields == {field: header}


def test_a_badge_scan_export_keeps_the_scanners_address_out_of_the_leads(
    tmp_path: Path,
) -> None:
    # Before: "Scanner Email" was guessed as the email, so every lead one rep scanned
    # carried the rep's address (and deduplicated into one).
    rows = clean_rows(
        tmp_path,
        "Scanned At,Scanned By,Scanner Email,Lead Rating,Badge ID,First Name,Last Name,"
        "Company,Phone,Country\n"
        "2024-05-14 10:02,Ben Carter,ben.carter@ourco.com,Hot,B-10234,Olivia,Brown,"
        "Kestrel Aero,+44 161 496 0000,United Kingdom\n"
        "2024-05-14 10:15,Ben Carter,ben.carter@ourco.com,Warm,B-10977,Raj,Patel,"
        "Orbital Foods,+44 121 496 0123,United Kingdom\n",
    )
    assert [row.get("email") for row in rows.values()] == [None, None]
    assert "email" not in summary_columns(tmp_path)["fields"]  # type: ignore[operator]


def test_assistant_email_and_main_phone_are_not_the_persons(tmp_path: Path) -> None:
    rows = clean_rows(
        tmp_path,
        "Full Name,Assistant Email,Main Phone,Country\n"
        "Daniel Kim,assistant.kim@hanriver.kr,+82 2 1234 0000,South Korea\n",
    )
    assert rows["1"].get("email") is None
    assert rows["1"].get("phone_e164") is None
    assert rows["1"]["Assistant Email"] == "assistant.kim@hanriver.kr"  # passed through


# --- a company's billing address is not the person's


def test_the_persons_country_wins_over_a_billing_country_before_it() -> None:
    mapping = map_columns(["Full Name", "Billing Country", "Country"])
    assert mapping.fields["country"] == "Country"
    assert "Billing Country" not in mapping.fallbacks.get("country", ())


def test_a_billing_country_alone_is_only_a_guess() -> None:
    mapping = map_columns(["Full Name", "Billing Country"])
    assert mapping.fields["country"] == "Billing Country"
    assert "country" in mapping.guessed
