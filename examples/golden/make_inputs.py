"""Write the inputs of the golden cases in examples/golden/<case>/.

Every row is written out here by hand (no random data), so a reader can see which
trouble each case carries and the files come out byte-identical on every run: the
ledger case relies on that, since a run is known by its inputs' hashes. The shape of
each file follows the tool that exports it: its headers, encoding, delimiter, preamble.

    python examples/golden/make_inputs.py

After changing an input, regenerate the expected outputs:
`python tests/golden_regenerate.py`.
"""

# ruff: noqa: E501  (the rows below read best as one line each, like the files they become)
from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
import xlsxwriter

HERE = Path(__file__).parent
# Fixed timestamps inside zip and xlsx containers, so their bytes do not follow the clock.
_ZIP_TIME = (2026, 11, 2, 9, 30, 0)
_XLSX_TIME = datetime(2026, 11, 2, 9, 30, 0)

Rows = Sequence[Sequence[str]]


def _csv_text(header: Sequence[str], rows: Rows, *, delimiter: str = ",", quote_all: bool = False) -> str:
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write(path: Path, text: str, encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


# --- hubspot_profile: a German trade-show badge scan, Excel "CSV (Trennzeichen-getrennt)"
# Windows-1252, semicolons, German headers; imported into HubSpot.

BADGE_HEADER = [
    "Vorname",
    "Nachname",
    "E-Mail",
    "Telefon",
    "Firma",
    "Position",
    "Land",
    "Einwilligung",
    "Erfasst am",
    "Notizen",
]
BADGE_ROWS = [
    ["Jürgen", "Weiß", "juergen.weiss@alpenglas.de", "089 1234567", "Alpenglas GmbH", "Einkaufsleiter", "Deutschland", "ja", "04.11.2026 09:12", "Interesse an Demo"],
    ["Anke", "Schröder", "a.schroeder@nordlicht-logistik.de", "+49 40 9876543", "Nordlicht Logistik AG", "Geschäftsführerin", "Deutschland", "ja", "04.11.2026 09:30", ""],
    ["Lukas", "Brenner", "LUKAS.BRENNER@ALPENGLAS.DE", "0049 89 1234568", "Alpenglas GmbH", "IT-Leiter", "DE", "nein", "04.11.2026 10:01", ""],
    ["Marie", "Dubois", "marie.dubois@gmail.com", "06 12 34 56 78", "", "Beraterin", "Frankreich", "ja", "04.11.2026 10:15", "Freelancerin"],
    ["Jürgen", "Weiss", "juergen.weiss@alpenglas.de", "+49 89 1234567", "Alpenglas", "Einkaufsleiter", "Deutschland", "ja", "05.11.2026 14:40", "zweiter Scan"],
    ["Test", "Test", "test@test.de", "0000000", "Test GmbH", "Test", "Deutschland", "ja", "05.11.2026 15:00", ""],
    ["Sabine", "Krüger", "sabine.krueger@stadtwerke-ulm", "0731 166 0", "Stadtwerke Ulm", "Referentin", "Deutschland", "ja", "05.11.2026 15:20", ""],
    ["Thomas", "Maier", "info@maier-bau.de", "07531 12345", "Maier Bau GmbH & Co. KG", "Inhaber", "Deutschland", "ja", "05.11.2026 16:05", ""],
    ["Petra", "Vogt", "petra.vogt@gmx.de", "4,91761E+11", "Vogt Consulting", "Beraterin", "Deutschland", "ja", "06.11.2026 09:00", "Telefon in Excel zerstört"],
    ["Ömer", "Yilmaz", "oemer.yilmaz@rheinmetallbau.de", "+49 211 5550123", "=HYPERLINK(\"http://evil.example\",\"Rheinmetallbau\")", "Vertrieb", "Deutschland", "ja", "06.11.2026 09:45", ""],
    ["", "", "", "", "", "", "", "", "", ""],
    ["Claudia", "Hoffmann", "claudia.hoffmann@mailinator.com", "", "Hoffmann & Söhne", "Marketing", "Österreich", "ja", "06.11.2026 11:30", ""],
    ["Stefan", "Lang", "stefan.lang@bodensee-it.ch", "+41 71 623 01 23", "Bodensee IT AG", "CTO", "Schweiz", "unbekannt", "06.11.2026 12:10", ""],
    ["Nina", "Becker", "nina.becker@gmial.com", "0171 2345678", "Becker Events", "Inhaberin", "Deutschland", "ja", "06.11.2026 13:00", ""],
]


def make_hubspot_profile() -> None:
    text = _csv_text(BADGE_HEADER, BADGE_ROWS, delimiter=";")
    _write(HERE / "hubspot_profile" / "messe_scans.csv", text, "cp1252")


# --- salesforce_profile: a HubSpot contacts export (UTF-8 with BOM), imported into
# Salesforce as leads: long names, a missing company, unsubscribed contacts.

HUBSPOT_HEADER = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Mobile Phone Number",
    "Company Name",
    "Job Title",
    "Country/Region",
    "Unsubscribed from all email",
    "Marketing contact status",
    "Original Source",
    "Create Date",
]
_LONG_SURNAME = "Wolfeschlegelsteinhausenbergerdorff-Vonautomaticalcompanionship-Heritagetrustfundholder"
HUBSPOT_ROWS = [
    ["7101", "Maria", "González", "maria.gonzalez@northwind.com", "(206) 623-0142", "", "Northwind Traders", "VP Sales", "United States", "false", "Marketing contact", "Organic Search", "2026-10-20 13:01"],
    ["7102", "Kwame", "Mensah", "kwame.mensah@wingtip.com", "+233 30 123 4567", "+233 24 412 3456", "Wingtip Toys", "Founder", "Ghana", "false", "Marketing contact", "Paid Social", "2026-10-21 09:30"],
    ["7103", "Hubert", _LONG_SURNAME, "hubert@longname.com", "+1 212 623 0199", "", "Longname Holdings", "Director", "United States", "false", "Marketing contact", "Offline Sources", "2026-10-21 10:00"],
    ["7104", "Aiko", "Tanaka", "aiko.tanaka@gmail.com", "", "+81 90 1234 5678", "", "Designer", "Japan", "false", "Marketing contact", "Direct Traffic", "2026-10-22 08:15"],
    ["7105", "Sofia", "Andersson", "sofia.andersson@proseware.com", "+46 8 123 456 78", "", "Proseware", "Head of Ops", "Sweden", "true", "Non-marketing contact", "Email Marketing", "2026-10-22 11:45"],
    ["7106", "maria", "gonzalez", "Maria.Gonzalez@Northwind.com", "206-623-0142", "", "Northwind Traders Inc.", "VP of Sales", "USA", "false", "Marketing contact", "Referrals", "2026-10-23 16:20"],
    ["7107", "", "Okafor", "c.okafor@zenith-energy.com", "+234 1 623 0101", "", "Zenith Energy", "Engineer", "Nigeria", "false", "Marketing contact", "Organic Search", "2026-10-24 07:05"],
    ["7108", "Mickey", "Mouse", "mickey@disneyfans.com", "", "", "Fan Club", "", "United States", "false", "Marketing contact", "Direct Traffic", "2026-10-24 09:00"],
    ["7109", "Lars", "Nilsen", "lars.nilsen@fjord-data", "+47 22 12 34 56", "", "Fjord Data AS", "Analyst", "Norway", "false", "Marketing contact", "Organic Search", "2026-10-25 12:00"],
    ["7110", "Emma", "Clarke", "emma.clarke@bluepeak.com", "+44 20 7123 0958", "", "+Plus Dental Ltd", "Office Manager", "United Kingdom", "false", "Marketing contact", "Paid Search", "2026-10-25 14:30"],
    ["7111", "Raj", "Patel", "sales@bluepeak.com", "+44 20 7123 0000", "", "Bluepeak", "Sales", "United Kingdom", "false", "Marketing contact", "Offline Sources", "2026-10-26 10:10"],
    ["7112", "Chen", "Wei", "chen.wei@harbor-freight.com", "+86 21 5623 0101", "", "Harbor Freight Shanghai Co., Ltd.", "Purchasing Manager", "China", "true", "Non-marketing contact", "Email Marketing", "2026-10-26 18:40"],
]


def make_salesforce_profile() -> None:
    text = "\ufeff" + _csv_text(HUBSPOT_HEADER, HUBSPOT_ROWS)
    _write(HERE / "salesforce_profile" / "hubspot-crm-exports-all-contacts-2026-11-02.csv", text, "utf-8")


# --- xlsx_input: a hand-kept lead sheet with a cover sheet first, read with --sheet.
# Phones typed as numbers, dates as Excel dates, a formula-looking company.

XLSX_HEADER = ["Name", "Email Address", "Mobile", "Organisation", "Role", "Country", "Date", "Consent"]
XLSX_ROWS: list[list[object]] = [
    ["Olivia Bennett", "olivia.bennett@harbourline.co.uk", 447700900123, "Harbourline Ltd", "Operations Director", "UK", datetime(2026, 10, 5), "Yes"],
    ["Bennett, Olivia", "Olivia.Bennett@harbourline.co.uk", "+44 7700 900123", "Harbourline", "Ops Director", "United Kingdom", datetime(2026, 10, 19), "yes"],
    ["Dr. Samuel O'Neill", "sam.oneill@eircom.net", "087 123 4567", "O'Neill Surveying", "Owner", "Ireland", datetime(2026, 10, 6), "Y"],
    ["Grace Ho", "grace.ho@hotmial.com", 6591234567, "Ho & Partners", "Partner", "Singapore", datetime(2026, 10, 7), "No"],
    ["Ahmed Khan", "ahmed.khan@khan-textiles.pk", "", "@SUM(A1:A9)", "CEO", "Pakistan", datetime(2026, 10, 8), "Yes"],
    ["asdf asdf", "asdf@asdf.com", 123, "asdf", "asdf", "", datetime(2026, 10, 9), ""],
    ["Lucía Fernández", "lucia.fernandez@iberia-logistica.es", "+34 612 34 56 78", "Iberia Logística S.L.", "Gerente de ventas", "España", datetime(2026, 10, 10), "sí"],
    ["Noah Fischer", "", "", "Fischer Analytics", "Analyst", "Germany", datetime(2026, 10, 11), "Yes"],
    ["Isabelle Martin", "isabelle.martin@yopmail.com", "+33 6 98 76 54 32", "Martin Conseil", "Consultante", "France", datetime(2026, 10, 12), "Yes"],
    ["Tom Rival", "tom.rival@rivalsoft.com", "+1 415 623 0177", "RivalSoft", "Product Manager", "USA", datetime(2026, 10, 13), "Yes"],
    ["Hannah Lee", "hannah.lee@student.uva.nl", "+31 6 1234 5678", "University of Amsterdam", "Student", "Netherlands", datetime(2026, 10, 14), "Yes"],
    ["Mohammed Al-Farsi", "m.alfarsi@gulfports.ae", 971501234567, "Gulf Ports LLC", "Procurement", "UAE", datetime(2026, 10, 15), "Yes"],
]


def make_xlsx_input() -> None:
    path = HERE / "xlsx_input" / "leads_october.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": _XLSX_TIME, "author": "Events team"})
    cover = book.add_worksheet("Read me")
    cover.write(0, 0, "October leads, typed in by the events team. Sheet 'Leads' holds the list.")
    leads = book.add_worksheet("Leads")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    leads.write_row(0, 0, XLSX_HEADER)
    for r, row in enumerate(XLSX_ROWS, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                leads.write_datetime(r, c, value, date_format)
            elif isinstance(value, int):
                leads.write_number(r, c, value)
            elif value != "":
                leads.write_string(r, c, str(value))
    book.close()


# --- ods_input: a sign-up sheet kept in LibreOffice Calc (.ods): phones typed as
# numbers, dates as dates, a postcode with its leading zero as text, and the block of
# empty rows Calc writes down to the sheet's end.

ODS_HEADER = ["First name", "Last name", "E-mail", "Phone", "Company", "Postcode", "Country", "Signed up", "Newsletter"]
ODS_ROWS: list[list[object]] = [
    ["Chiara", "Ricci", "chiara.ricci@trattoria-ricci.it", 393471234567, "Trattoria Ricci", "00184", "Italy", "2026-10-03", "Sì"],
    ["Jonas", "Berg", "jonas.berg@bergbau-consult.de", "+49 151 23456789", "Bergbau Consult GmbH", "01067", "Germany", "2026-10-04", "ja"],
    ["Jonas", "Berg", "Jonas.Berg@bergbau-consult.de", 4915123456789, "Bergbau Consult", "01067", "Deutschland", "2026-10-11", "nein"],
    ["Aoife", "Byrne", "aoife.byrne@gmial.com", "087 765 4321", "Byrne Design", "D02 X285", "Ireland", "2026-10-05", "yes"],
    ["Pieter", "de Vries", "", "", "De Vries Bouw B.V.", "1012 AB", "Netherlands", "2026-10-06", "yes"],
    ["Marta", "Nowak", "marta.nowak@mailinator.com", "+48 601 234 567", "Nowak Sp. z o.o.", "00-950", "Poland", "2026-10-07", "tak"],
]


def _ods_cell(value: object) -> str:
    if value == "":
        return "<table:table-cell/>"
    if isinstance(value, int):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        return f'<table:table-cell office:value-type="date" office:date-value="{text}"><text:p>{text}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(text)}</text:p></table:table-cell>'


def make_ods_input() -> None:
    path = HERE / "ods_input" / "signups_october.ods"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = "".join("<table:table-row>" + "".join(map(_ods_cell, row)) + "</table:table-row>" for row in [ODS_HEADER, *ODS_ROWS])
    empty = '<table:table-row table:number-rows-repeated="1048569"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        '<office:body><office:spreadsheet><table:table table:name="Sign-ups">'
        f'<table:table-column table:number-columns-repeated="1024"/>{rows}{empty}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        # The first member, stored: how OpenDocument says what it is.
        members = [("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED), ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED), ("content.xml", content, zipfile.ZIP_DEFLATED)]
        for name, text, compression in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = compression
            archive.writestr(info, text)


# --- mailchimp_zip: an audience export as Mailchimp's "Export Audience" zip.

MAILCHIMP_BASE = [
    "Email Address", "First Name", "Last Name", "Phone Number", "Company",
    "MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP",
    "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION",
    "LAST_CHANGED", "LEID", "EUID", "NOTES", "TAGS",
]  # fmt: skip
_UNSUB_EXTRA = ["UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_CAMPAIGN_ID", "UNSUB_REASON", "UNSUB_REASON_OTHER"]
_CLEAN_EXTRA = ["CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID"]


def _member(email: str, first: str, last: str, phone: str, company: str, n: int, tags: str = "") -> list[str]:
    return [
        email, first, last, phone, company, str(1 + n % 5),
        f"2026-0{1 + n % 9}-1{n % 10} 10:0{n % 10}:00", "203.0.113.7", f"2026-0{1 + n % 9}-1{n % 10} 10:1{n % 10}:00",
        "203.0.113.7", "", "", "", "", "", "", "", f"2026-10-0{1 + n % 9} 09:00:00",
        str(220394800 + n), f"e{n:04d}abcd", "", tags,
    ]  # fmt: skip


SUBSCRIBED = [
    _member("jane.doe@acme.com", "Jane", "Doe", "+1 415 623 0132", "Acme Corp", 1, '"Webinar Q4","Newsletter"'),
    _member("joerg.mueller@mueller-maschinenbau.de", "Jörg", "Müller", "", "Müller Maschinenbau", 2, '"Newsletter"'),
    _member("sam.ortiz@ortizstudio.com", "Sam", "Ortiz", "", "Ortiz Studio", 3),
    _member("JANE.DOE@ACME.COM ", "Jane", "Doe", "", "ACME", 4),
    _member("li.wang@sinotrade.com", "Li", "Wang", "+86 10 5623 0123", "SinoTrade", 5),
    _member("noreply@newsletter-bounce.com", "", "", "", "", 6),
    _member("ana.lima@limadesign.com.br", "Ana", "Lima", "+55 11 91234-5678", "Lima Design", 7),
    _member("kofi.boateng@accra-agro.com", "Kofi", "Boateng", "+233 24 123 4567", "=1+2", 8),
    _member("fatima.zahra@casablanca-tech.com", "Fatima", "Zahra", "", "Casablanca Tech", 9),
    _member("old.address@defunct-company.com", "Olga", "Vance", "", "Defunct Co", 10),
    _member("pieter.devries@hotmail.com", "Pieter", "de Vries", "06-12345678", "", 11),
]
UNSUBSCRIBED = [
    [*_member("sam.ortiz@ortizstudio.com", "Sam", "Ortiz", "", "Ortiz Studio", 12), "2026-09-14 17:20:00", "September Newsletter", "8d7e6f5a4b", "I no longer want to receive these emails", ""],
    [*_member("ana.lima@limadesign.com.br", "Ana", "Lima", "", "", 13), "2026-10-20 08:45:00", "Q4 Webinar Invite", "9c8b7a6f5e", "Other", "too many mails, sorry"],
]  # fmt: skip
CLEANED = [
    [*_member("old.address@defunct-company.com", "Olga", "Vance", "", "Defunct Co", 14), "2026-02-02 02:02:02", "February Newsletter", "1a2b3c4d5e"],
]  # fmt: skip


def make_mailchimp_zip() -> None:
    path = HERE / "mailchimp_zip" / "members_export_3f2a91c0de.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    members = {
        "subscribed_members_export_3f2a91c0de.csv": _csv_text(MAILCHIMP_BASE, SUBSCRIBED),
        "unsubscribed_members_export_3f2a91c0de.csv": _csv_text(MAILCHIMP_BASE + _UNSUB_EXTRA, UNSUBSCRIBED),
        "cleaned_members_export_3f2a91c0de.csv": _csv_text(MAILCHIMP_BASE + _CLEAN_EXTRA, CLEANED),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))


# --- zoom_webinar: Zoom's attendee report: a preamble, host and panelist sections,
# then the attendees, one row per join (rejoins repeat a person).

ZOOM_ATTENDEE_HEADER = [
    "Attended", "User Name (Original Name)", "First Name", "Last Name", "Email", "Phone",
    "Organization", "Job Title", "Registration Time", "Approval Status", "Join Time",
    "Leave Time", "Time in Session (minutes)", "Is Guest", "Country/Region Name",
]  # fmt: skip
ZOOM_ATTENDEES = [
    ["Yes", "Jane Doe", "Jane", "Doe", "jane.doe@acme.com", "+1 415 623 0132", "Acme Corp", "Data Lead", "11/02/2026 08:14:55 AM", "approved", "11/18/2026 10:01:12 AM", "11/18/2026 10:20:40 AM", "20", "Yes", "United States"],
    ["Yes", "Jane Doe", "Jane", "Doe", "jane.doe@acme.com", "+1 415 623 0132", "Acme Corp", "Data Lead", "11/02/2026 08:14:55 AM", "approved", "11/18/2026 10:25:03 AM", "11/18/2026 11:01:10 AM", "37", "Yes", "United States"],
    ["Yes", "Müller, Jörg (Jörg M.)", "Jörg", "Müller", "joerg.mueller@mueller-maschinenbau.de", "", "Müller Maschinenbau", "Konstrukteur", "11/05/2026 03:40:12 PM", "approved", "11/18/2026 10:00:58 AM", "11/18/2026 11:02:10 AM", "62", "Yes", "Germany"],
    ["Yes", "iPhone", "", "", "", "", "", "", "", "", "11/18/2026 10:12:30 AM", "11/18/2026 10:40:00 AM", "28", "Yes", "Unknown"],
    ["No", "Sam Ortiz", "Sam", "Ortiz", "sam.ortiz@ortizstudio.com", "4.47911E+11", "Ortiz Studio", "Owner", "11/10/2026 11:02:33 AM", "approved", "--", "--", "--", "--", ""],
    ["Yes", "Priya S", "Priya", "Sharma", "priya.sharma@infosys-partner.com", "+91 98765 43210", "Infosys Partner", "Architect", "11/09/2026 06:30:00 AM", "approved", "11/18/2026 10:03:00 AM", "11/18/2026 10:59:59 AM", "57", "Yes", "India"],
    ["Yes", "Carlos", "Carlos", "", "carlos@tienda-online.mx", "", "", "", "11/12/2026 07:45:10 PM", "approved", "11/18/2026 10:04:40 AM", "11/18/2026 10:15:00 AM", "10", "Yes", "Mexico"],
    ["Yes", "webinar test", "webinar", "test", "test@example.com", "", "", "", "11/17/2026 09:00:00 AM", "approved", "11/18/2026 09:58:00 AM", "11/18/2026 10:00:30 AM", "3", "No", "United States"],
    ["No", "Mei Chen", "Mei", "Chen", "mei.chen@outlook.com", "+65 9123 4567", "", "Student", "11/14/2026 02:10:00 AM", "approved", "--", "--", "--", "--", "Singapore"],
    ["Yes", "Oskar Nowak", "Oskar", "Nowak", "oskar.nowak@wp.pl", "+48 601 234 567", "Nowak Sp. z o.o.", "Prezes", "11/15/2026 12:00:00 PM", "approved", "11/18/2026 10:00:05 AM", "11/18/2026 11:00:00 AM", "60", "Yes", "Poland"],
    ["Yes", "J. Doe (Acme)", "J.", "Doe", "jdoe@acme.com", "415-623-0132", "ACME Corp.", "Data Lead", "11/16/2026 04:20:00 PM", "approved", "11/18/2026 10:30:00 AM", "11/18/2026 10:45:00 AM", "15", "Yes", "United States"],
]  # fmt: skip


def make_zoom_webinar() -> None:
    lines = [
        "Attendee Report\r\n",
        'Report Generated:,"11/20/2026 02:13 PM"\r\n',
        "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,Total Users,Max Concurrent Views\r\n",
        'Q4 Product Launch,"913 2456 7781","11/18/2026 10:00 AM",62,11,0,9,10,8\r\n',
        "Host Details,\r\n",
        "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Country/Region Name\r\n",
        'Yes,Dana Host,dana.host@example.com,"11/18/2026 09:51:02 AM","11/18/2026 11:03:40 AM",73,United States\r\n',
        "Panelist Details,\r\n",
        "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Country/Region Name\r\n",
        'Yes,Marc Speaker,marc@partner.example,"11/18/2026 09:56:44 AM","11/18/2026 11:01:30 AM",65,France\r\n',
        "Attendee Details,\r\n",
    ]
    text = "".join(lines) + _csv_text(ZOOM_ATTENDEE_HEADER, ZOOM_ATTENDEES)
    _write(HERE / "zoom_webinar" / "83124567781_AttendeeReport.csv", "\ufeff" + text, "utf-8")


# --- crm_match: a webinar sign-up sheet against a HubSpot CRM export (Record ID).

SIGNUP_HEADER = ["First Name", "Last Name", "Email", "Phone", "Company", "Job Title", "Country", "Marketing opt-in"]
SIGNUPS = [
    ["John", "Smith", "john.smith@lumenrobotics.com", "+1 617 623 0101", "Lumen Robotics", "CTO", "US", "yes"],
    ["Priya", "Nair", "PRIYA.NAIR@kestrel-analytics.co.uk", "020 7123 0123", "Kestrel Analytics", "Head of Data", "UK", "yes"],
    ["Hélène", "Other", "", "+33 1 44 55 66 77", "Solvane", "DAF", "France", "oui"],
    ["Bob", "Turner", "bob.turner@granite-ins.com", "+1 312 623 0188", "Granite Insurance", "Broker", "US", "yes"],
    ["Robert", "Turner", "rob.turner@granite-ins.com", "+1 312 623 0199", "Granite Insurance", "Senior Broker", "US", "yes"],
    ["Kim", "Park", "kim.park@seoul-bio.com", "+82 2 623 0123", "Seoul Bio", "Researcher", "KR", "no"],
    ["Elif", "Demir", "elif.demir@anatolia-tex.com", "+90 212 623 0101", "Anatolia Tex", "Designer", "TR", "yes"],
    ["Elif", "Demir", "elif.demir@anatolia-tex.com", "", "Anatolia Textiles", "Designer", "Turkey", "yes"],
    ["Ravi", "Kumar", "ravi.kumar@tatvam.com", "+91 80 5623 0101", "Tatvam", "CFO", "India", "yes"],
    ["Laura", "Rossi", "laura.rossi@venezia-vetri.com", "+39 041 623 0101", "Venezia Vetri", "Titolare", "Italia", "sì"],
]
CRM_HEADER = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name", "Country/Region", "Lifecycle Stage"]
CRM_ROWS = [
    ["0031", "John", "Smith", "john.smith@lumenrobotics.com", "", "Lumen Robotics", "US", "customer"],
    ["0032", "Priya", "Nair", "priya.nair@kestrel-analytics.co.uk", "+44 20 7123 0123", "Kestrel Analytics", "GB", "lead"],
    ["0033", "Hélène", "Other", "helene.other@solvane.fr", "+33 1 44 55 66 77", "Solvane", "FR", "opportunity"],
    ["0034", "Bob", "Turner", "bob.turner@granite-ins.com", "", "Granite Insurance", "US", "lead"],
    ["0035", "Bobby", "Turner", "bob.turner@granite-ins.com", "", "Granite Insurance Co", "US", "lead"],
    ["0036", "Laura", "Rossi", "laura.rossi@venezia-vetri.com", "", "Venezia Vetri", "IT", "customer"],
]


def make_crm_match() -> None:
    folder = HERE / "crm_match"
    _write(folder / "webinar_signups.csv", _csv_text(SIGNUP_HEADER, SIGNUPS), "utf-8")
    _write(folder / "crm.csv", _csv_text(CRM_HEADER, CRM_ROWS), "utf-8")


# --- ledger_night2: two nightly exports of one web form; night 2 has returning people
# (same address, or a new address with the same phone and name), new ones and a repeat.

FORM_HEADER = ["Submitted At", "First Name", "Last Name", "Email", "Phone", "Company", "Job Title", "Country", "Consent"]
NIGHT1 = [
    ["2026-11-01 08:12:00", "Anna", "Kowalski", "anna.kowalski@baltic-shipping.com", "+48 58 623 0101", "Baltic Shipping", "Logistics Manager", "Poland", "yes"],
    ["2026-11-01 09:40:00", "Ben", "Carter", "ben.carter@carter-legal.com", "+44 161 623 0102", "Carter Legal", "Partner", "UK", "yes"],
    ["2026-11-01 10:05:00", "Chloé", "Moreau", "chloe.moreau@lumiere-media.com", "+33 4 72 55 01 03", "Lumière Media", "Directrice", "France", "oui"],
    ["2026-11-01 11:30:00", "Diego", "Ruiz", "diego.ruiz@gmail.com", "+34 600 555 104", "", "Freelance", "Spain", "sí"],
    ["2026-11-01 12:00:00", "Eva", "Svensson", "eva.svensson@nordic-health.com", "+46 8 623 0105", "Nordic Health", "CIO", "Sweden", "no"],
    ["2026-11-01 13:15:00", "Farid", "Haddad", "farid.haddad@levant-foods.com", "+961 1 555 106", "Levant Foods", "Owner", "Lebanon", "yes"],
    ["2026-11-01 14:20:00", "Anna", "Kowalski", "Anna.Kowalski@baltic-shipping.com", "", "Baltic Shipping S.A.", "Logistics Mgr", "PL", "yes"],
    ["2026-11-01 15:45:00", "Greta", "Lind", "greta.lind@mailinator.com", "", "Lind AB", "Buyer", "Sweden", "yes"],
]
NIGHT2 = [
    ["2026-11-02 08:01:00", "Ben", "Carter", "ben.carter@carter-legal.com", "+44 161 623 0102", "Carter Legal LLP", "Managing Partner", "UK", "yes"],
    ["2026-11-02 08:30:00", "Chloe", "Moreau", "c.moreau@lumiere-media.com", "+33 4 72 55 01 03", "Lumière Media", "Directrice", "France", "oui"],
    ["2026-11-02 09:10:00", "Hiro", "Sato", "hiro.sato@kansai-robotics.com", "+81 6 5623 0107", "Kansai Robotics", "Engineer", "Japan", "yes"],
    ["2026-11-02 09:55:00", "Ingrid", "Berg", "ingrid.berg@", "+47 22 55 01 08", "Berg Consult", "Owner", "Norway", "yes"],
    ["2026-11-02 10:40:00", "Diego", "Ruiz", "diego.ruiz+webinar@gmail.com", "+34 600 555 104", "", "Freelance", "Spain", "sí"],
    ["2026-11-02 11:00:00", "Hiro", "Sato", "hiro.sato@kansai-robotics.com", "", "Kansai Robotics", "Engineer", "JP", "yes"],
    ["2026-11-02 12:30:00", "Eva", "Svensson", "eva.svensson@nordic-health.com", "+46 8 623 0105", "Nordic Health", "CIO", "Sweden", "yes"],
    ["2026-11-02 13:05:00", "Jack", "O'Brien", "jack.obrien@dublin-brewing.com", "+353 1 623 0109", "Dublin Brewing", "Head Brewer", "Ireland", "yes"],
]


def make_ledger_night2() -> None:
    folder = HERE / "ledger_night2"
    _write(folder / "form_2026-11-01.csv", _csv_text(FORM_HEADER, NIGHT1), "utf-8")
    _write(folder / "form_2026-11-02.csv", _csv_text(FORM_HEADER, NIGHT2), "utf-8")


# --- review_round_trip: an Eventbrite attendee report with rows a person must decide.

EVENTBRITE_HEADER = [
    "Order #", "Order Date", "First Name", "Last Name", "Email", "Quantity", "Ticket Type",
    "Attendee #", "Group", "Order Type", "Currency", "Total Paid", "Fees Paid",
    "Eventbrite Fees", "Eventbrite Payment Processing", "Attendee Status",
    "Home Address 1", "Home City", "Home State", "Home Zip", "Home Country",
    "Cell Phone", "Job Title", "Company",
]  # fmt: skip


def _attendee(n: int, first: str, last: str, email: str, phone: str, title: str, company: str, city: str = "Austin") -> list[str]:
    return [
        str(5012340000 + n), f"2026-10-{10 + n:02d} 09:{n:02d}:00", first, last, email, "1",
        "General Admission", str(880000 + n), "", "Eventbrite Completed", "USD", "49.00",
        "4.50", "3.20", "1.30", "Attending", f"{100 + n} Main St", city, "TX", f"787{n:02d}",
        "US", phone, title, company,
    ]  # fmt: skip


EVENTBRITE_ROWS = [
    _attendee(1, "Ava", "Johnson", "ava.johnson@lonestar-energy.com", "(512) 623-0101", "Engineer", "Lone Star Energy"),
    _attendee(2, "Liam", "Brown", "liam.brown@mailinator.com", "(512) 623-0102", "Analyst", "Brown Analytics"),
    _attendee(3, "Mia", "Garcia", "info@garcia-catering.com", "(512) 623-0103", "Owner", "Garcia Catering"),
    _attendee(4, "Noah", "Miller", "noah.miller@yahooo.com", "(512) 623-0104", "Student", "UT Austin"),
    _attendee(5, "Emma", "Davis", "emma.davis@hillcountry-bank.com", "(512) 623-0105", "VP Finance", "Hill Country Bank"),
    _attendee(6, "Em", "Davis", "emma.d@hillcountry-bank.com", "(512) 623-0199", "VP, Finance", "Hill Country Bank"),
    _attendee(7, "Oliver", "Wilson", "oliver.wilson@gmial.com", "(512) 623-0107", "Designer", "Wilson Design"),
    _attendee(8, "Sophia", "Martinez", "sophia.martinez@austin-labs.com", "(512) 623-0108", "CTO", "=cmd|' /C calc'!A0"),
    _attendee(9, "James", "Anderson", "james.anderson@tejas-tools.com", "(512) 623-0109", "Buyer", "Tejas Tools"),
    _attendee(10, "Isabella", "Thomas", "isabella.thomas@10minutemail.com", "(512) 623-0110", "Marketing", "Thomas Media"),
    _attendee(11, "Lucas", "Taylor", "lucas.taylor@colorado-river.com", "623-0111", "Manager", "Colorado River Co"),
    _attendee(12, "Test", "User", "test@test.com", "(000) 000-0000", "Tester", "Test Inc"),
]


def make_review_round_trip() -> None:
    folder = HERE / "review_round_trip"
    _write(folder / "report-attendees-20261104.csv", _csv_text(EVENTBRITE_HEADER, EVENTBRITE_ROWS), "utf-8")


# --- json_input: a landing-page tool's lead export, a JSON array of flat objects
# (values typed: numbers, booleans, nulls, a nested object nobody maps).

UNBOUNCE_LEADS: list[dict[str, object]] = [
    {"date_submitted": "2026-11-03T09:14:22Z", "page_name": "Data Quality Checklist", "first_name": "Aisha", "last_name": "Bello", "email": "aisha.bello@lagos-fintech.com", "phone_number": "+234 803 123 4567", "company_name": "Lagos Fintech", "consent_given": True, "utm": {"source": "linkedin", "campaign": "q4-checklist"}},
    {"date_submitted": "2026-11-03T10:02:10Z", "page_name": "Data Quality Checklist", "first_name": "Marco", "last_name": "Bianchi", "email": "marco.bianchi@@milano-design.it", "phone_number": 390212345678, "company_name": "Milano Design", "consent_given": True, "utm": None},
    {"date_submitted": "2026-11-03T11:45:00Z", "page_name": "Data Quality Checklist", "first_name": "Aisha", "last_name": "Bello", "email": "AISHA.BELLO@LAGOS-FINTECH.COM", "phone_number": None, "company_name": "Lagos Fintech Ltd", "consent_given": False, "utm": {"source": "newsletter", "campaign": "q4-checklist"}},
    {"date_submitted": "2026-11-03T12:30:00Z", "page_name": "Pricing", "first_name": "", "last_name": "", "email": "purchasing@tallinn-wood.ee", "phone_number": "", "company_name": "Tallinn Wood OÜ", "consent_given": None, "utm": None},
    {"date_submitted": "2026-11-04T08:05:31Z", "page_name": "Pricing", "first_name": "Sven", "last_name": "Olsen", "email": "sven.olsen@guerrillamail.com", "phone_number": "+45 32 12 34 56", "company_name": "Olsen ApS", "consent_given": True, "utm": None},
    {"date_submitted": "2026-11-04T09:00:00Z", "page_name": "Pricing", "first_name": "Nora", "last_name": "Quinn", "email": "nora.quinn@quinn-architects.ie", "phone_number": "+353 1 234 5678", "company_name": "-", "consent_given": True, "utm": None},
    {"date_submitted": "2026-11-04T09:30:00Z", "page_name": "Data Quality Checklist", "first_name": "Ivan", "last_name": "Petrov", "email": "ivan.petrov@yandex.ru", "phone_number": "8 (495) 123-45-67", "company_name": "Petrov & Co", "consent_given": True, "utm": None},
    {"date_submitted": "2026-11-04T10:10:10Z", "page_name": "Data Quality Checklist", "first_name": "Zara", "last_name": "Ahmed", "email": "zara.ahmed@dubai-retail.ae", "phone_number": "+971 4 123 4567", "company_name": "@Dubai Retail Group", "consent_given": True, "utm": None},
]


def make_json_input() -> None:
    text = json.dumps(UNBOUNCE_LEADS, ensure_ascii=False, indent=2) + "\n"
    _write(HERE / "json_input" / "unbounce_leads_2026-11-04.json", text, "utf-8")


# --- ndjson_input: a CDP's "identify" events, one JSON object a line, camelCase keys.

IDENTIFY_EVENTS: list[dict[str, object]] = [
    {"receivedAt": "2026-11-05T07:01:00.000Z", "userId": "u_1001", "email": "kenji.watanabe@osaka-steel.jp", "firstName": "Kenji", "lastName": "Watanabe", "phone": "+81 6 1234 5678", "company": "Osaka Steel", "title": "Plant Manager", "country": "JP"},
    {"receivedAt": "2026-11-05T07:03:00.000Z", "userId": "u_1002", "email": "laura.schmidt@web.de", "firstName": "Laura", "lastName": "Schmidt", "phone": None, "company": None, "title": "Freelancer", "country": "DE"},
    {"receivedAt": "2026-11-05T07:04:00.000Z", "userId": "u_1001", "email": "kenji.watanabe@osaka-steel.jp", "firstName": "Kenji", "lastName": "Watanabe", "phone": "06-1234-5678", "company": "Osaka Steel Co., Ltd.", "title": "Plant Manager", "country": "Japan"},
    {"receivedAt": "2026-11-05T07:10:00.000Z", "userId": "u_1003", "email": "no-reply@notifications.bigcorp.com", "firstName": None, "lastName": None, "phone": None, "company": "BigCorp", "title": None, "country": "US"},
    {"receivedAt": "2026-11-05T07:12:00.000Z", "userId": "u_1004", "email": "tomas.novak@brno-auto.cz", "firstName": "Tomáš", "lastName": "Novák", "phone": "+420 541 123 456", "company": "Brno Auto s.r.o.", "title": "Jednatel", "country": "CZ"},
    {"receivedAt": "2026-11-05T07:20:00.000Z", "userId": "u_1005", "email": "donald.duck@duckburg.com", "firstName": "Donald", "lastName": "Duck", "phone": "+1 305 623 0142", "company": "Duckburg Inc", "title": "CEO", "country": "US"},
    {"receivedAt": "2026-11-05T07:25:00.000Z", "userId": "u_1006", "email": "maya.cohen@telaviv-cyber.co.il", "firstName": "Maya", "lastName": "Cohen", "phone": "+972 3 123 4567", "company": "Tel Aviv Cyber", "title": "VP R&D", "country": "IL"},
]


def make_ndjson_input() -> None:
    text = "".join(json.dumps(event, ensure_ascii=False) + "\n" for event in IDENTIFY_EVENTS)
    _write(HERE / "ndjson_input" / "identifies_2026-11-05.ndjson", text, "utf-8")


# --- parquet_input: a warehouse extract with typed columns (timestamps, booleans,
# integers), snake_case names, as dbt or a BI tool writes it.


def make_parquet_input() -> None:
    frame = pl.DataFrame(
        {
            "contact_id": [9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008],
            "email_address": ["grace.kim@seoul-logistics.kr", "ali.rahimi@tehran-trade.com", "grace.kim@seoul-logistics.kr", None, "beatriz.souza@sp-varejo.com.br", "admin@localhost", "ole.hansen@bergen-fisk.no", "paula.reyes@bogota-salud.co"],
            "given_name": ["Grace", "Ali", "Grace", "Rui", "Beatriz", "Admin", "Ole", "Paula"],
            "family_name": ["Kim", "Rahimi", "Kim", "Costa", "Souza", "Admin", "Hansen", "Reyes"],
            "phone_number": ["+82 2 123 4567", None, "02-123-4567", "+351 21 123 4567", "+55 11 3123-4567", None, "+47 55 12 34 56", "+57 601 1234567"],
            "account_name": ["Seoul Logistics", "Tehran Trade", "Seoul Logistics Co.", "Costa Vinhos", "SP Varejo", "Localhost", "Bergen Fisk AS", "Bogotá Salud"],
            "country": ["KR", "IR", "KR", "PT", "BR", None, "NO", "CO"],
            "email_opt_out": [False, False, True, False, False, None, False, False],
            "created_at": [datetime(2026, 9, 1, 8, 0), datetime(2026, 9, 2, 9, 30), datetime(2026, 10, 1, 8, 0), datetime(2026, 9, 3, 10, 0), datetime(2026, 9, 4, 11, 15), None, datetime(2026, 9, 6, 12, 0), datetime(2026, 9, 7, 13, 45)],
        }
    )
    path = HERE / "parquet_input" / "dim_contacts_extract.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path, compression="zstd", statistics=False)


# --- excel_unicode_text: a list saved from Excel as "Unicode Text": UTF-16 with BOM,
# tab-separated, a quoted note with a line break, a ragged row with an extra field;
# the user wants xlsx outputs back (--format xlsx).

UNICODE_TEXT_HEADER = ["Nom", "Prénom", "Courriel", "Téléphone", "Société", "Fonction", "Pays", "Remarques"]
UNICODE_TEXT_ROWS = [
    ["Lefèvre", "Zoë", "zoe.lefevre@solvane.fr", "06 12 34 56 78", "Solvane SAS", "Chargée de mission", "France", ""],
    ["Nguyễn", "Thị Lan", "lan.nguyen@saigon-export.vn", "+84 28 3823 4567", "Saigon Export", "Giám đốc", "Việt Nam", ""],
    ["李", "伟", "wei.li@shenzhen-tech.cn", "+86 755 8612 3456", "深圳科技有限公司", "经理", "中国", "salon Paris"],
    ["Dupont", "Jean-Luc", "jl.dupont@orange.fr", "01 23 45 67 89", "Dupont & Fils", "Gérant", "France", "rappeler après\nle 15 novembre"],
    ["Ben Ali", "Youssef", "y.benali@tunis-soft.tn", "+216 71 123 456", "Tunis Soft", "CTO", "Tunisie", "", "stand B12"],
    ["Lefevre", "Zoe", "ZOE.LEFEVRE@SOLVANE.FR", "+33 6 12 34 56 78", "Solvane", "Chargée de mission", "FR", "doublon"],
    ["Moreau", "Camille", "camille.moreau@", "", "Moreau Conseil", "Consultante", "Belgique", ""],
    ["Martin", "Léa", "lea.martin@yopmail.fr", "07 98 76 54 32", "Martin SARL", "Assistante", "France", ""],
    ["Svoboda", "Petr", "petr.svoboda@praha-bank.cz", "+420 224 123 456", "=2+3", "Analytik", "Česko", ""],
]


def make_excel_unicode_text() -> None:
    text = "\ufeff" + _csv_text(UNICODE_TEXT_HEADER, UNICODE_TEXT_ROWS, delimiter="\t")
    _write(HERE / "excel_unicode_text" / "contacts_salon.txt", text, "utf-16-le")


# --- stdin_pipe: a Pardot prospects export piped in (`cat ... | leadtriage clean -`):
# two opt-out columns, Pardot's own ids, an address on two prospects.

PARDOT_HEADER = ["Id", "Email", "First Name", "Last Name", "Company", "Job Title", "Phone", "Country", "Opted Out", "Do Not Email", "Created Date", "Source"]
PARDOT_ROWS = [
    ["58231", "akira.sato@tailspin-toys.jp", "Akira", "Sato", "Tailspin Toys", "Engineer", "+81 3 1234 5678", "Japan", "0", "0", "2026-09-30 14:02:11", "Website"],
    ["58232", "ines.costa@woodgrove-bank.pt", "Ines", "Costa", "Woodgrove Bank", "Analyst", "", "Portugal", "0", "1", "2026-10-01 09:45:00", "Webinar"],
    ["58233", "omar.haddad@litware.jo", "Omar", "Haddad", "Litware", "CFO", "+962 6 555 0123", "Jordan", "1", "0", "2026-10-02 11:15:30", "Website"],
    ["58234", "akira.sato@tailspin-toys.jp", "Akira", "Satō", "Tailspin Toys KK", "Senior Engineer", "03-1234-5678", "JP", "0", "0", "2026-10-15 08:00:00", "Trade Show"],
    ["58235", "", "Nadia", "Rahman", "Dhaka Garments", "Merchandiser", "+880 2 5566 7788", "Bangladesh", "0", "0", "2026-10-16 10:30:00", "Trade Show"],
    ["58236", "webmaster@contoso-shop.com", "", "", "Contoso Shop", "", "", "United States", "0", "0", "2026-10-17 12:00:00", "Website"],
    ["58237", "k.oconnor@cork-harbour.ie", "Kevin", "O'Connor", "Cork Harbour Ltd", "Harbour Master", "+353 21 427 3125", "Ireland", "false", "false", "2026-10-18 15:45:00", "Paid Search"],
    ["58238", "lin.zhou@qq.com", "Lin", "Zhou", "", "", "+86 138 0013 8000", "China", "0", "0", "2026-10-19 03:20:00", "Website"],
]


def make_stdin_pipe() -> None:
    _write(HERE / "stdin_pipe" / "pardot_prospects.csv", _csv_text(PARDOT_HEADER, PARDOT_ROWS), "utf-8")


def main() -> None:
    make_hubspot_profile()
    make_salesforce_profile()
    make_xlsx_input()
    make_ods_input()
    make_mailchimp_zip()
    make_zoom_webinar()
    make_crm_match()
    make_ledger_night2()
    make_review_round_trip()
    make_json_input()
    make_ndjson_input()
    make_parquet_input()
    make_excel_unicode_text()
    make_stdin_pipe()


if __name__ == "__main__":
    main()
