"""`inspect`: what a file is, how it maps, what is visibly wrong, personal data masked.

The traps: a badge-scan export saved by Excel (Windows-1252, `;`) with a repeated
header, blank and whitespace-only rows, a row longer than the header, phones Excel
turned into 4.47911E+11, one date column whose values never say which part is the
day and one whose values do; a file without a header row (its first contact becomes
the header); a header that looks like rich markup.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from rich.console import Console

from leadtriage.inspect import (
    FILE_PROBLEMS,
    FileInspection,
    inspect_files,
    mask_email,
    mask_name,
    mask_phone,
    render_inspection,
)
from leadtriage.masking import mask_value
from leadtriage.reasons import REASONS
from leadtriage.rules import load_rules

ADAPTERS = Path(__file__).parent / "data" / "adapters"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

BADGE_SCANS = (
    "Email;Name;Phone;Phone;Scan Date;Signup;Notes\r\n"
    "ann@example.com;Ann Smith;4.47911E+11;;03/04/2026;25/03/2026;\r\n"
    ";;;;;;\r\n"
    ";Bob;;;05/06/2026;01/02/2026;walked past\r\n"
    "carl@example.org;Carl Östberg;+44 7911 123456;;07/08/2026;02/03/2026;;extra;value\r\n"
    "   ;  ;  ;;  ;;\r\n"
    "dee@example.net;Dee;1.2E+10;;11/12/2026;13/12/2026;\r\n"
)


@pytest.fixture
def badge_scans(tmp_path: Path) -> Path:
    path = tmp_path / "badge_scans.csv"
    path.write_bytes(BADGE_SCANS.encode("cp1252"))
    return path


def _problems(inspection: FileInspection) -> dict[str, int]:
    return {p.slug: p.count for p in inspection.problems}


def _detail(inspection: FileInspection, slug: str) -> str:
    return next(p.detail for p in inspection.problems if p.slug == slug)


def _rendered(inspections: list[FileInspection]) -> str:
    buffer = io.StringIO()
    render_inspection(Console(file=buffer, width=200, color_system=None), inspections)
    return buffer.getvalue()


def test_badge_scans_facts_and_problems(badge_scans: Path) -> None:
    (inspection,) = inspect_files([str(badge_scans)])
    assert (inspection.format, inspection.encoding, inspection.delimiter) == ("csv", "cp1252", ";")
    assert inspection.rows == 6
    assert inspection.adapter is None
    assert _problems(inspection) == {
        "header.duplicate": 1,
        "row.empty": 2,  # the empty row and the whitespace-only one
        "contact.missing": 1,  # Bob: a name, no email, no phone
        "row.ragged": 1,
        "phone.mangled": 2,
        "date.ambiguous_order": 4,  # every Scan Date; Signup is settled by 25/03 and 13/12
    }
    assert "'Phone'" in _detail(inspection, "header.duplicate")
    assert "'Scan Date'" in _detail(inspection, "date.ambiguous_order")
    assert "Signup" not in _detail(inspection, "date.ambiguous_order")
    assert any("extra values kept" in w for w in inspection.warnings)


def test_badge_scans_mapping_and_fill_rates(badge_scans: Path) -> None:
    (inspection,) = inspect_files([str(badge_scans)])
    assert inspection.mapping["fields"] == {
        "email": "Email",
        "phone": "Phone",
        "full_name": "Name",
        "created_at": "Scan Date",  # when the badge was scanned
    }
    assert "Phone_2" in inspection.mapping["unmapped"]
    fill = {c.name: c.fill_rate for c in inspection.columns}
    assert fill["Email"] == pytest.approx(3 / 6)
    assert fill["Name"] == pytest.approx(4 / 6)  # whitespace is not a value
    assert fill["Phone_2"] == 0.0
    assert fill["Signup"] == pytest.approx(4 / 6)


def test_samples_are_masked_by_default_and_shown_with_unmask(badge_scans: Path) -> None:
    (masked,) = inspect_files([str(badge_scans)])
    samples = {c.field: c.samples for c in masked.columns if c.field}
    assert samples["email"] == ("a***@e***.com", "c***@e***.org", "d***@e***.net")
    assert samples["full_name"] == ("A*** S***", "B***", "C*** Ö***")
    assert samples["phone"] == ("•.•••••E+11", "+•• •••• ••••56", "•.•E+10")
    (unmasked,) = inspect_files([str(badge_scans)], unmask=True)
    samples = {c.field: c.samples for c in unmasked.columns if c.field}
    assert samples["email"] == ("ann@example.com", "carl@example.org", "dee@example.net")
    assert unmasked.masked is False


def _all_fixture_emails() -> set[str]:
    found: set[str] = set()
    for path in ADAPTERS.rglob("*.csv"):
        found.update(EMAIL.findall(path.read_text(encoding="utf-8")))
    return found


def test_no_email_appears_unmasked_in_json_or_table_unless_asked() -> None:
    sources = sorted(str(p) for p in ADAPTERS.rglob("*.csv"))
    emails = _all_fixture_emails()
    assert len(emails) > 10
    inspections = inspect_files(sources)
    for output in (json.dumps([i.as_dict() for i in inspections]), _rendered(inspections)):
        assert not [e for e in emails if e in output]
    shown = json.dumps([i.as_dict() for i in inspect_files(sources, unmask=True)])
    assert "jane.doe@acme.example" in shown


def test_a_file_without_header_row_is_flagged_and_its_first_contact_masked(
    tmp_path: Path,
) -> None:
    path = tmp_path / "no_header.csv"
    path.write_text(
        "ann@example.com,Ann Smith,+1 415 555 0132\nbob@example.com,Bob Lee,+1 415 555 0199\n",
        encoding="utf-8",
    )
    (inspection,) = inspect_files([str(path)])
    # The reader sees the missing header: the first contact is data row 1.
    assert inspection.rows == 2
    assert any("no header row" in warning for warning in inspection.warnings)
    output = json.dumps(inspection.as_dict()) + _rendered([inspection])
    assert "ann@example.com" not in output
    assert "415 555 0132" not in output
    assert "a***@e***.com" in output
    (shown,) = inspect_files([str(path)], unmask=True)
    assert "ann@example.com" in json.dumps(shown.as_dict())


def test_zoom_report_inspection() -> None:
    (inspection,) = inspect_files([str(ADAPTERS / "zoom_webinar_attendee_report.csv")])
    assert (inspection.adapter, inspection.rows) == ("zoom", 5)
    assert _problems(inspection) == {
        "contact.missing": 1,  # the guest who joined from an "iPhone"
        "phone.mangled": 1,
        # Registration Time never passes the 12th; Join Time does ("11/18/2026").
        "date.ambiguous_order": 4,
    }
    assert "Join Time" not in _detail(inspection, "date.ambiguous_order")
    assert "'Attendee Details'" in inspection.warnings[0]


def test_typeform_inspection_shows_guesses() -> None:
    (inspection,) = inspect_files([str(ADAPTERS / "typeform_responses.csv")])
    guessed = {c.name for c in inspection.columns if c.guessed}
    assert "What's your email address?" in guessed
    assert "Last name?" not in guessed  # a synonym, not a guess
    assert "email (guess)" in _rendered([inspection])


def test_mailchimp_zip_inspects_every_member(tmp_path: Path) -> None:
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for member in sorted((ADAPTERS / "mailchimp").iterdir()):
            archive.write(member, member.name)
    inspections = inspect_files([str(export)])
    assert [(i.source.rsplit(":", 1)[1].split("_")[0], i.suppression) for i in inspections] == [
        ("cleaned", True),
        ("subscribed", False),
        ("unsubscribed", True),
    ]
    assert {i.adapter for i in inspections} == {"mailchimp"}
    assert "suppression list" in _rendered(inspections)


def test_header_text_is_not_rich_markup(tmp_path: Path) -> None:
    path = tmp_path / "markup.csv"
    path.write_text("Email,[red]Status[/red]\nann@example.com,ok\n", encoding="utf-8")
    assert "[red]Status[/red]" in _rendered(inspect_files([str(path)]))


def test_one_row_is_counted_as_a_row(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("Email\nann@example.com\n", encoding="utf-8")
    rendered = _rendered(inspect_files([str(path)]))
    assert "1 row" in rendered and "1 rows" not in rendered


def test_inspect_writes_nothing(badge_scans: Path) -> None:
    before = {p: p.read_bytes() for p in badge_scans.parent.iterdir()}
    inspect_files([str(badge_scans)])
    assert {p: p.read_bytes() for p in badge_scans.parent.iterdir()} == before


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("jane.doe@acme.example", "j***@a***.example"),
        ("joerg@mueller.co.uk", "j***@m***.uk"),
        ("not-an-email", "n***"),
    ],
)
def test_mask_email(value: str, masked: str) -> None:
    assert mask_email(value) == masked


def test_mask_phone_keeps_only_the_last_two_digits() -> None:
    assert mask_phone("+1 (415) 555-0132") == "+• (•••) •••-••32"
    assert mask_phone("07911 123456") == "••••• ••••56"


def test_mask_name_keeps_initials() -> None:
    assert mask_name("Jörg Müller-Lüdenscheidt") == "J*** M***"
    assert mask_name("O'Neil, Ann") == "O***, A***"


def test_every_consent_column_shows_its_polarity() -> None:
    pardot = Path(__file__).parent / "data" / "exports" / "pardot_prospects.csv"
    (inspection,) = inspect_files([str(pardot)])
    consent = {c.name: (c.field, c.polarity) for c in inspection.columns if c.field == "consent"}
    assert consent == {"Opted Out": ("consent", "opt_out"), "Do Not Email": ("consent", "opt_out")}
    assert inspection.mapping["consent_polarity"] == {
        "Opted Out": "opt_out",
        "Do Not Email": "opt_out",
    }
    assert "consent (opt-out)" in _rendered([inspection])


# --- slugs and the rules of a run ----------------------------------------------------


def test_row_problems_use_the_catalogue_slugs(badge_scans: Path) -> None:
    (inspection,) = inspect_files([str(badge_scans)])
    slugs = set(_problems(inspection))
    assert slugs <= set(REASONS) | set(FILE_PROBLEMS)
    assert slugs - set(FILE_PROBLEMS) == {"row.empty", "contact.missing", "phone.mangled"}
    assert not set(FILE_PROBLEMS) & set(REASONS)


def test_the_rules_columns_and_date_order_apply(badge_scans: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[settings]\ndate_order = "dmy"\n\n[columns]\nphone = "Notes"\n', encoding="utf-8"
    )
    (plain,) = inspect_files([str(badge_scans)])
    (ruled,) = inspect_files([str(badge_scans)], rules=load_rules(rules))
    assert plain.mapping["fields"]["phone"] == "Phone"
    assert ruled.mapping["fields"]["phone"] == "Notes"
    assert ruled.mapping["overridden"] == ["phone"]
    # Bob's "walked past" now counts as a phone; the mangled phones are no longer mapped.
    assert "contact.missing" not in _problems(ruled)
    assert "phone.mangled" not in _problems(ruled)
    # With the order given, no slashed date is ambiguous.
    assert "date.ambiguous_order" in _problems(plain)
    assert "date.ambiguous_order" not in _problems(ruled)


def test_a_columns_override_the_file_lacks_is_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "leads.csv"
    source.write_text("Email,Name\nann@acme-corp.com,Ann\n", encoding="utf-8")
    (inspection,) = inspect_files([str(source)], column_overrides={"email": "E-Mail Addr"})
    assert any("columns.email" in w and "'E-Mail Addr'" in w for w in inspection.warnings)
    assert inspection.mapping["overridden"] == []


@pytest.mark.parametrize(
    "value",
    ["jane@acme.com,Bob", "jane@acme.com;Bob Stone", "a@acme.com\nb@acme.com,Bob", "x@y.Bob"],
)
def test_a_value_holding_an_address_and_more_masks_all_of_it(value: str) -> None:
    """A quote never closed reads the next row into one cell: 'j***@a***.com,Bob' let
    the next person's name through."""
    masked = mask_value(value)
    assert "Bob" not in masked and "Stone" not in masked


def test_a_file_with_warnings_is_not_said_to_have_no_problems(tmp_path: Path) -> None:
    # A quote never closed was the example; it is refused now (test_read_csv).
    ragged = tmp_path / "ragged.csv"
    ragged.write_bytes(b"Email,Name\na@acme.com,Ann,Lee\nb@acme.com,Bob\n")
    text = _rendered(inspect_files([str(ragged)]))
    assert "No problems seen." not in text
    assert "3 fields where the header has 2" in text
