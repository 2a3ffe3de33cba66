"""Exports in a tool's own shape read without the user preparing them.

Fixtures in tests/data/adapters/ are shaped like the real exports: a Zoom attendee
report (host, panelist and attendee sections, repeated joins, an Excel-mangled phone),
a Zoom registration report, a Mailchimp audience export (subscribed, unsubscribed and
cleaned member files), and Eventbrite, Google Forms and Typeform CSVs whose question
headers only the keyword fallback can map.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.columns import guess_field, map_columns
from leadtriage.errors import InputError
from leadtriage.io.read import read_table, read_tables

DATA = Path(__file__).parents[1] / "data" / "adapters"
ZOOM_ATTENDEES = DATA / "zoom_webinar_attendee_report.csv"
ZOOM_REGISTRANTS = DATA / "zoom_webinar_registration_report.csv"
MAILCHIMP = DATA / "mailchimp"
SUBSCRIBED = "subscribed_members_export_3f2a91c0de.csv"
UNSUBSCRIBED = "unsubscribed_members_export_3f2a91c0de.csv"
CLEANED = "cleaned_members_export_3f2a91c0de.csv"
runner = CliRunner()


def _clean_json(path: Path, out_dir: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["clean", str(path), "--json", "-o", str(out_dir)])
    assert result.exit_code == 0, result.stderr
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


# --- Zoom --------------------------------------------------------------------------


def test_zoom_attendee_report_cli_maps_the_attendee_section(tmp_path: Path) -> None:
    summary = _clean_json(ZOOM_ATTENDEES, tmp_path / "out")
    assert summary["rows_in"] == 5  # five joins; the host and panelists are not leads
    assert summary["columns"]["fields"] == {
        "email": "Email",
        "phone": "Phone",
        "first_name": "First Name",
        "last_name": "Last Name",
        "full_name": "User Name (Original Name)",
        "country": "Country/Region Name",
        "created_at": "Registration Time",
    }
    assert "Attended" in summary["columns"]["unmapped"]
    assert "Time in Session (minutes)" in summary["columns"]["unmapped"]
    (warning,) = summary["inputs"][0]["warnings"]
    assert "'Attendee Details'" in warning
    assert "'Host Details' (1 rows)" in warning
    assert "'Panelist Details' (2 rows)" in warning


def test_zoom_source_row_counts_the_sections_data_rows() -> None:
    table = read_table(str(ZOOM_ATTENDEES))
    assert table.adapter == "zoom"
    assert table.frame["source_row"].to_list() == [1, 2, 3, 4, 5]
    emails = table.frame["Email"].to_list()
    assert emails[:2] == ["jane.doe@acme.example", "jane.doe@acme.example"]  # two joins
    assert "dana.host@example.com" not in emails
    assert "priya.panel@partner.example" not in emails
    # Values are kept as written: the quoted comma, the Excel-mangled phone, Zoom's "--".
    assert table.frame["User Name (Original Name)"][2] == "Müller, Jörg (Jörg M.)"
    assert table.frame["Phone"][4] == "4.47911E+11"
    assert table.frame["Join Time"][4] == "--"


def test_zoom_registration_report_takes_the_registrant_section() -> None:
    table = read_table(str(ZOOM_REGISTRANTS))
    assert table.adapter == "zoom"
    assert table.frame.height == 3  # the trailing blank line is no row
    assert table.frame["Organization"].to_list() == ["Acme Inc", "Müller GmbH", "Harbour Ltd"]
    assert "'Registrant Details'" in table.warnings[0]
    assert map_columns(table.data_columns).fields["company"] == "Organization"


def test_zoom_report_as_excel_saves_it_reads_the_same(tmp_path: Path) -> None:
    """Saved again from Excel: a byte-order mark and CRLF line ends."""
    text = ZOOM_ATTENDEES.read_text(encoding="utf-8")
    resaved = tmp_path / "report.csv"
    resaved.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    expected = read_table(str(ZOOM_ATTENDEES)).frame.drop("source_file")
    table = read_table(str(resaved))
    assert table.adapter == "zoom"
    assert table.frame.drop("source_file").equals(expected)


def test_zoom_report_saved_as_macintosh_csv_reads_the_same(tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR: the report was one
    line to the Zoom check and read as a plain table under its title."""
    text = ZOOM_ATTENDEES.read_text(encoding="utf-8")
    resaved = tmp_path / "report.csv"
    resaved.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    expected = read_table(str(ZOOM_ATTENDEES))
    table = read_table(str(resaved))
    assert table.adapter == "zoom"
    assert table.frame.drop("source_file").equals(expected.frame.drop("source_file"))
    assert table.warnings[0] == expected.warnings[0].replace(str(ZOOM_ATTENDEES), str(resaved))


def test_zoom_report_in_windows_1252_is_transcoded(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes(ZOOM_REGISTRANTS.read_text(encoding="utf-8").encode("cp1252"))
    table = read_table(str(path))
    assert table.encoding == "cp1252"
    assert table.frame["Last Name"].to_list() == ["Doe", "Müller", "Chan"]


def test_zoom_ragged_row_warning_names_the_line_in_the_file(tmp_path: Path) -> None:
    lines = ZOOM_ATTENDEES.read_text(encoding="utf-8").splitlines()
    lines[14] += ",stray"  # the second attendee row, line 15 of the file
    path = tmp_path / "report.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(str(path))
    assert table.frame.height == 5
    assert any(w.startswith(f"{path}:15: 14 fields") for w in table.warnings), table.warnings
    assert table.extra_columns == ("column_14",)


def test_zoom_report_without_attendees_or_registrants_is_an_input_error(tmp_path: Path) -> None:
    text = ZOOM_ATTENDEES.read_text(encoding="utf-8")
    path = tmp_path / "report.csv"
    path.write_text(text[: text.index("Attendee Details")], encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_table(str(path))
    assert "'Host Details', 'Panelist Details'" in raised.value.message
    assert "@" not in raised.value.message


def test_a_plain_csv_that_mentions_a_report_is_not_zoom(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Name,Notes\nAnn,Attendee Report\nBob,Attendee Details\n", encoding="utf-8")
    table = read_table(str(path))
    assert table.adapter is None
    assert table.frame.height == 2


# --- Mailchimp ---------------------------------------------------------------------


def _mailchimp_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name in (UNSUBSCRIBED, SUBSCRIBED, CLEANED):
            archive.write(MAILCHIMP / name, name)
        # What macOS adds when a person re-zips the export.
        archive.writestr(f"__MACOSX/._{SUBSCRIBED}", b"\x00\x05\x16\x07")
    return path


def test_mailchimp_zip_gives_one_table_per_member_file_with_suppressions(
    tmp_path: Path,
) -> None:
    export = _mailchimp_zip(tmp_path / "export.zip")
    tables = read_tables(str(export))
    assert [(t.source, t.suppression, t.frame.height) for t in tables] == [
        (f"{export}:{CLEANED}", True, 1),
        (f"{export}:{SUBSCRIBED}", False, 3),
        (f"{export}:{UNSUBSCRIBED}", True, 2),
    ]
    assert {t.adapter for t in tables} == {"mailchimp"}
    assert sum(t.frame.height for t in tables if t.suppression) == 3
    suppressed = pl.concat([t.frame for t in tables if t.suppression], how="diagonal")
    assert sorted(suppressed["Email Address"].to_list()) == [
        "ana.lima@example.br",
        "old.address@defunct-company.example",
        "sam.ortiz@example.com",
    ]
    assert all(t.frame["source_file"].unique().to_list() == [t.source] for t in tables)


def test_mailchimp_zip_from_stdin(tmp_path: Path) -> None:
    data = _mailchimp_zip(tmp_path / "export.zip").read_bytes()
    tables = read_tables("-", stdin=io.BytesIO(data))
    assert [t.source for t in tables] == [f"-:{CLEANED}", f"-:{SUBSCRIBED}", f"-:{UNSUBSCRIBED}"]


def test_read_table_refuses_a_zip_of_several_tables(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds 3 tables"):
        read_table(str(_mailchimp_zip(tmp_path / "export.zip")))


def test_a_zip_reads_its_data_file_not_the_readme_and_hidden_files_beside_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("contacts.csv", "Email\nann@example.com\nbob@example.com\n")
        for name in ("readme.txt", "docs/README.TXT", "Read Me.txt", "LICENSE.txt"):
            archive.writestr(name, "Exported from the CRM on Monday.\n")
        archive.writestr("CHANGELOG.md", "# 2.1\n")
        archive.writestr(".contacts.csv", "Email\nold@example.com\n")  # an editor's copy
        archive.writestr(".cache/contacts.csv", "Email\nold@example.com\n")
        archive.writestr("__MACOSX/._contacts.csv", b"\x00\x05\x16\x07")
    table = read_table(str(path))
    assert table.source == f"{path}:contacts.csv"
    assert table.frame["Email"].to_list() == ["ann@example.com", "bob@example.com"]


def test_a_zip_of_several_data_files_beside_a_readme_reads_each(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", "Email\nann@example.com\n")
        archive.writestr("sub/b.csv", "Email\nbob@example.com\n")
        archive.writestr("notes.txt", "Email\tName\ncat@example.com\tCat\n")
        archive.writestr("readme.txt", "hello\n")
    assert [t.source for t in read_tables(str(path))] == [
        f"{path}:a.csv",
        f"{path}:notes.txt",
        f"{path}:sub/b.csv",
    ]


def test_a_zip_without_csv_files_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("badge.png", b"\x89PNG")
    with pytest.raises(InputError, match="no CSV"):
        read_tables(str(path))


def test_an_xlsx_is_still_a_workbook_not_a_zip(saved: dict[str, Path]) -> None:
    (table,) = read_tables(str(saved["workbook.xlsx"]))
    assert table.format == "xlsx"


@pytest.mark.parametrize(
    ("name", "suppressed"), [(SUBSCRIBED, False), (UNSUBSCRIBED, True), (CLEANED, True)]
)
def test_a_single_mailchimp_file_takes_its_status_from_its_name(
    name: str, suppressed: bool
) -> None:
    (table,) = read_tables(str(MAILCHIMP / name))
    assert table.adapter == "mailchimp"
    assert table.suppression is suppressed
    assert any("suppressions" in w for w in table.warnings) is suppressed


def test_a_file_named_like_mailchimp_without_its_columns_is_a_plain_list(
    tmp_path: Path,
) -> None:
    path = tmp_path / UNSUBSCRIBED
    path.write_text("Email,Name\nann@example.com,Ann\n", encoding="utf-8")
    (table,) = read_tables(str(path))
    assert (table.adapter, table.suppression) == (None, False)


def test_mailchimp_subscribed_cli_maps_the_columns(tmp_path: Path) -> None:
    summary = _clean_json(MAILCHIMP / SUBSCRIBED, tmp_path / "out")
    assert summary["rows_in"] == 3
    fields = summary["columns"]["fields"]
    assert fields["email"] == "Email Address"
    assert fields["first_name"] == "First Name"
    assert fields["created_at"] == "OPTIN_TIME"
    assert "consent" not in fields  # OPTIN_IP is an address, not a consent answer
    assert summary["columns"]["guessed"] == []


# --- Eventbrite, Google Forms, Typeform ------------------------------------------


def test_eventbrite_cli_maps_cell_and_work_phone(tmp_path: Path) -> None:
    summary = _clean_json(DATA / "eventbrite_attendee_report.csv", tmp_path / "out")
    assert summary["rows_in"] == 4
    fields = summary["columns"]["fields"]
    assert (fields["mobile"], fields["phone"]) == ("Cell Phone", "Work Phone")
    assert fields["country"] == "Home Country"
    assert "full_name" not in fields  # "Attendee #" is a ticket number
    unmapped = summary["columns"]["unmapped"]
    assert {"Attendee #", "Attendee Status", "Order #", "Ticket Type"} <= set(unmapped)
    assert read_table(str(DATA / "eventbrite_attendee_report.csv")).adapter == "eventbrite"


def test_google_forms_cli_guesses_question_headers(tmp_path: Path) -> None:
    summary = _clean_json(DATA / "google_forms_responses.csv", tmp_path / "out")
    assert summary["rows_in"] == 3
    columns = summary["columns"]
    assert columns["fields"] == {
        "email": "Email Address",
        "phone": "Phone number (optional)",
        "full_name": "What is your name?",
        "company": "Company / Organization",
        "job_title": "What is your job title?",
        "country": "Which country are you based in?",
        "consent": "I agree to receive marketing emails from us",
        "created_at": "Timestamp",
    }
    # Synonyms matched these exactly (the consent question by its opening words, an
    # opt-in); only the other questions are guesses.
    assert columns["guessed"] == ["phone", "full_name", "job_title", "country"]
    assert columns["consent_polarity"] == {"I agree to receive marketing emails from us": "opt_in"}


def test_typeform_cli_guesses_question_headers(tmp_path: Path) -> None:
    summary = _clean_json(DATA / "typeform_responses.csv", tmp_path / "out")
    assert summary["rows_in"] == 3
    fields = summary["columns"]["fields"]
    assert fields["email"] == "What's your email address?"
    assert fields["first_name"] == "And your first name?"
    assert fields["company"] == "What company do you work for?"
    assert fields["created_at"] == "Submit Date (UTC)"  # not when the form was opened
    assert {"#", "Start Date (UTC)", "Network ID", "Response Type"} <= set(
        summary["columns"]["unmapped"]
    )
    assert read_table(str(DATA / "typeform_responses.csv")).adapter == "typeform"


# --- the keyword fallback ----------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("What's your email address?", "email"),
        ("Your e-mail, please", "email"),
        ("Correo de contacto", "email"),
        ("Phone number (optional)", "phone"),
        ("Telefonnummer (geschäftlich)", "phone"),
        ("Mobile phone number (for SMS reminders)", "mobile"),
        ("Your cell", "mobile"),
        ("And your first name?", "first_name"),
        ("Surname / family name", "last_name"),
        ("What is your name?", "full_name"),
        ("Full name (as on your badge)", "full_name"),
        ("Which organisation are you with?", "company"),
        ("Current employer", "company"),
        ("What's your role?", "job_title"),
        ("Country of residence", "country"),
        ("Submit Date (UTC)", "created_at"),
    ],
)
def test_question_headers_are_guessed(header: str, field: str) -> None:
    assert guess_field(header) == field
    mapping = map_columns([header])
    assert mapping.fields == {field: header}
    assert mapping.guessed == (field,)


@pytest.mark.parametrize(
    "header",
    [
        "Your role at the company",  # job title or company: a person decides
        "Company email",
        "OPTIN_IP",
        "Company ID",
        "Email confirmed date",
        "Start Date (UTC)",
        "Mailing list",
        "Email address or phone",
        "Campaign title",
        "Attendee #",
        "#",
    ],
)
def test_headers_that_point_nowhere_or_two_ways_stay_unmapped(header: str) -> None:
    assert map_columns([header]).fields == {}


def test_a_guess_never_takes_a_field_a_synonym_names() -> None:
    # The question comes first in the file, the exact synonym later: the synonym wins.
    mapping = map_columns(["What is your email?", "Email Address", "Mobile phone (work)"])
    assert mapping.fields == {"email": "Email Address", "mobile": "Mobile phone (work)"}
    assert mapping.unmapped == ("What is your email?",)
    assert mapping.guessed == ("mobile",)


def test_overrides_still_win_over_guesses() -> None:
    mapping = map_columns(["Your e-mail, please", "Contact"], {"email": "Contact"})
    assert mapping.fields == {"email": "Contact"}
    assert mapping.guessed == ()
    assert mapping.unmapped == ("Your e-mail, please",)


def test_a_zip_of_a_csv_a_workbook_and_json_reads_every_table(tmp_path: Path) -> None:
    """A workbook beside a CSV in one zip was skipped in silence: its people lost."""
    workbook = io.BytesIO()
    pl.DataFrame({"Email": ["x@acme.com"], "Name": ["Xu Li"]}).write_excel(workbook)
    path = tmp_path / "event.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", "Email,Name\na@acme.com,Ann Lee\n")
        archive.writestr("leads.xlsx", workbook.getvalue())
        archive.writestr("api.json", json.dumps([{"Email": "j@acme.com", "Name": "Jo"}]))
    tables = read_tables(str(path))
    emails = sorted(e for t in tables for e in t.frame["Email"].to_list())
    assert emails == ["a@acme.com", "j@acme.com", "x@acme.com"]
