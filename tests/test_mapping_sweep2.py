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
from leadtriage.columns import header_synonym, map_columns
from leadtriage.frame import OPT_IN, OPT_OUT

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


# --- consent


DYNAMICS_LEADS = (
    "(Do Not Modify) Lead,(Do Not Modify) Row Checksum,(Do Not Modify) Modified On,Topic,"
    "First Name,Last Name,Company Name,Business Phone,Mobile Phone,Email,"
    "Do not allow Bulk Emails,Do not allow Emails,Marketing Consent,Status Reason,"
    "Lead Source,Country/Region\n"
    "3f2a1c4e-8d7b-ee11-8179-000d3a4b5c6d,kX9mQ2vLp8RtY3nB+f1A==,2024-03-14 09:12:44,"
    "Webinar follow-up,Anna,Kowalski,Fabrikam Ltd,+44 20 7946 0123,+44 7700 900123,"
    "anna.kowalski@fabrikam.co.uk,Allow,Allow,Yes,New,Web,United Kingdom\n"
    "4a3b2d5f-9e8c-ee11-8179-000d3a4b5c6d,Pq7wE4rT1yU6iO9p+a2B==,2024-03-15 11:03:10,"
    "Trade show,Jens,Müller,Contoso GmbH,+49 30 1234567,+49 151 23456789,"
    "jens.mueller@contoso.de,Do Not Allow,Allow,Yes,Contacted,Trade Show,Germany\n"
    "5b4c3e6a-af9d-ee11-8179-000d3a4b5c6d,Zx5cV8bN2mA4sD7f+g3C==,2024-03-16 16:45:02,"
    "Pricing request,Claire,Dubois,Northwind SA,+33 1 42 68 53 00,+33 6 12 34 56 78,"
    "claire.dubois@northwind.fr,Allow,Do Not Allow,,New,Advertisement,France\n"
)


def test_dynamics_do_not_modify_columns_are_no_consent_question() -> None:
    # Before: "(Do Not Modify) Row Checksum" read as a consent question ("do not"), so
    # its value beside every yes made the yes unclear.
    mapping = map_columns(DYNAMICS_LEADS.partition("\n")[0].split(","))
    assert mapping.unclear == ()
    assert mapping.polarity == {
        "Do not allow Bulk Emails": OPT_OUT,
        "Do not allow Emails": OPT_OUT,
        "Marketing Consent": OPT_IN,
    }


def test_dynamics_allow_is_no_consent_and_do_not_allow_a_refusal(tmp_path: Path) -> None:
    rows = clean_rows(tmp_path, DYNAMICS_LEADS)
    assert {n: row["consent"] for n, row in rows.items()} == {"1": "yes", "2": "no", "3": "no"}
    assert "consent.unclear" not in (rows["1"]["reasons"] or "")


@pytest.mark.parametrize(
    "header",
    [
        "Unsubscribed from Emails",  # Intercom
        "Is Do Not Email",  # Pardot's API name
        "EMAIL_BLACKLISTED",  # Brevo
        "Email Blacklisted",
    ],
)
def test_opt_out_flags_of_intercom_pardot_and_brevo(header: str) -> None:
    mapping = map_columns(["Email", header])
    assert mapping.fields["consent"] == header
    assert mapping.polarity == {header: OPT_OUT}


@pytest.mark.parametrize(
    "header",
    ["Email Status", "Email Verified", "Email Confirmed", "Phone Extension", "SMS_BLACKLISTED"],
)
def test_a_fact_about_a_contact_point_is_not_the_point(header: str) -> None:
    mapping = map_columns(["Full Name", header])
    assert header not in mapping.fields.values()


def test_brevo_blacklisted_flags_are_refusals(tmp_path: Path) -> None:
    rows = clean_rows(
        tmp_path,
        "EMAIL,FIRSTNAME,LASTNAME,OPT_IN,EMAIL_BLACKLISTED,BLACKLISTED\n"
        "camille.martin@lumiere-conseil.fr,Camille,Martin,Yes,false,0\n"
        "chloe.petit@petit-design.fr,Chloé,Petit,Yes,false,1\n"
        "hugo.leroy@leroy-avocats.fr,Hugo,Leroy,Yes,true,0\n",
    )
    assert {n: row["consent"] for n, row in rows.items()} == {"1": "yes", "2": "no", "3": "no"}


# --- localised CRM labels and platform columns that were lost or only guessed


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # German
        ("Telefon geschäftlich", "phone"),
        ("Telefon (geschäftlich)", "phone"),
        ("Unternehmensname", "company"),
        ("Handynummer", "mobile"),
        # French
        ("Téléphone professionnel", "phone"),
        ("Téléphone mobile", "mobile"),
        ("Téléphone fixe", "phone"),
        ("Nom de l'entreprise", "company"),
        ("Titre du poste", "job_title"),
        # Spanish
        ("Teléfono móvil", "mobile"),
        ("Teléfono del trabajo", "phone"),
        ("Teléfono fijo", "phone"),
        ("Nombre de la empresa", "company"),
        # Italian
        ("Telefono ufficio", "phone"),
        ("Numero di telefono", "phone"),
        ("Telefono cellulare", "mobile"),
        ("Sito web", "website"),
        # Dutch
        ("Mobiele nummer", "mobile"),
        ("Telefoonnummer werk", "phone"),
        ("Woonplaats", "city"),
        ("Provincie", "state"),
        ("Straat", "address"),
        # Portuguese
        ("Cidade", "city"),
        ("Morada", "address"),
        ("Endereço", "address"),
        ("Nome da empresa", "company"),
        ("Telefone comercial", "phone"),
        ("Data de criação", "created_at"),
        # Polish
        ("Imię", "first_name"),
        ("Nazwisko", "last_name"),
        ("Nazwa firmy", "company"),
        ("Numer telefonu", "phone"),
        ("Stanowisko", "job_title"),
        ("Kraj", "country"),
        ("Miasto", "city"),
        ("Kod pocztowy", "postcode"),
        ("Ulica", "address"),
        ("Województwo", "state"),
        ("Strona www", "website"),
        ("Data utworzenia", "created_at"),
        # Brevo: the number its SMS go to, and the landline
        ("SMS", "mobile"),
        ("LANDLINE_NUMBER", "phone"),
        # Dynamics 365's second and third address
        ("Email Address 2", "email"),
        ("Email Address 3", "email"),
        # Pipedrive
        ("Person - First name", "first_name"),
        ("Person - Last name", "last_name"),
        ("Person - Job title", "job_title"),
        ("Person - Phone - Home", "phone"),
        ("Person - Phone - Other", "phone"),
        # Google Ads lead forms
        ("Submission time", "created_at"),
    ],
)
def test_localised_and_platform_headers_are_synonyms(header: str, field: str) -> None:
    synonym = header_synonym(header)
    assert synonym is not None and synonym.field == field


@pytest.mark.parametrize(
    ("headers", "field", "lost"),
    [
        # a Spanish export with both: the mobile column not named as a synonym was lost
        (["Correo electrónico", "Teléfono móvil", "Celular"], "mobile", "Teléfono móvil"),
        # Dynamics' second address beside the first
        (["Email", "Email Address 2"], "email", "Email Address 2"),
        # Italian: the mobile beside "Cellulare"
        (["Cellulare", "Telefono cellulare"], "mobile", "Telefono cellulare"),
    ],
)
def test_a_second_column_of_a_field_fills_its_blanks_and_is_not_lost(
    headers: list[str], field: str, lost: str
) -> None:
    mapping = map_columns(headers)
    assert lost in mapping.value_headers_of(field)
    assert lost not in mapping.unmapped


def test_a_company_phone_is_never_the_persons_phone() -> None:
    for header in ("Company Phone", "Teléfono de la empresa", "Organization - Phone"):
        assert header_synonym(header) is None
        assert header not in map_columns([header]).fields.values()


def test_google_ads_lead_form_columns_are_read_as_their_answers() -> None:
    # Google Ads heads each answer "User Column Data - <question>": before, they were
    # only guessed, and the work address beside the email was lost.
    headers = [
        "Lead ID",
        "User Column Data - Full Name",
        "User Column Data - Email",
        "User Column Data - Work Email",
        "User Column Data - Phone Number",
        "User Column Data - Company Name",
        "User Column Data - Postal Code",
        "Campaign ID",
        "Submission time",
    ]
    mapping = map_columns(headers)
    assert mapping.guessed == ()
    assert mapping.value_headers_of("email") == (
        "User Column Data - Email",
        "User Column Data - Work Email",
    )
    assert mapping.fields["full_name"] == "User Column Data - Full Name"
    assert mapping.fields["postcode"] == "User Column Data - Postal Code"
    assert mapping.unmapped == ("Campaign ID",)
