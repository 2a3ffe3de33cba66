"""Several inputs in one run are each mapped as they would be alone.

Mapping the union of every file's headers lost columns: a Google Forms question
("Phone number (optional)") is only a guess, and a guess never takes a field another
file's synonym names, so every Forms row came out without a phone.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from leadtriage.frame import FIELDS, POLARITIES, SOURCE_FILE, SOURCE_ROW, raw, raw_consent
from leadtriage.pipeline import triage
from leadtriage.rules import load_rules

REPO = Path(__file__).parents[1]
DATA = REPO / "tests" / "data"
# Every bundled example and adapter file, and the real-shaped exports: each a lead
# list as a user would feed it (crm.csv is also a plain contact list).
INPUTS: tuple[Path, ...] = (
    REPO / "examples" / "campaign.csv",
    REPO / "examples" / "crm.csv",
    *sorted((REPO / "examples" / "suppress").glob("*.csv")),
    *sorted((DATA / "adapters").glob("*.csv")),
    *sorted((DATA / "adapters" / "mailchimp").glob("*.csv")),
    *sorted((DATA / "exports").glob("*.csv")),
)
MAPPED = [SOURCE_FILE, SOURCE_ROW, *(raw(f) for f in FIELDS), *map(raw_consent, POLARITIES)]


def _mapped(paths: tuple[Path, ...], columns: dict[str, str] | None = None) -> pl.DataFrame:
    rules = replace(load_rules(None), columns=columns or {})
    routed = triage([str(p) for p in paths], rules=rules).routed
    return routed.select(MAPPED).sort(SOURCE_FILE, SOURCE_ROW)


def test_every_input_is_mapped_together_as_it_is_alone() -> None:
    together = _mapped(INPUTS)
    for path in INPUTS:
        alone = _mapped((path,))
        assert alone.height > 0, path
        mine = together.filter(pl.col(SOURCE_FILE) == str(path))
        assert_frame_equal(mine, alone, check_dtypes=False), path


def test_forms_salesforce_and_zoom_keep_their_columns_beside_other_exports() -> None:
    exports = DATA / "exports"
    together = _mapped(
        (
            exports / "hubspot_contacts.csv",
            exports / "google_forms_event_signup.csv",
            exports / "salesforce_leads_report.csv",
            exports / "zoom_registration_report.csv",
        )
    )

    def rows(name: str) -> pl.DataFrame:
        return together.filter(pl.col(SOURCE_FILE) == str(exports / name))

    forms = rows("google_forms_event_signup.csv")
    assert forms[raw("full_name")].to_list() == ["Lena Fischer", "Pierre Martin"]
    assert forms[raw("phone")].to_list() == ["+49 30 9876543", "+33 1 23 45 67 89"]
    assert rows("salesforce_leads_report.csv")[raw("company")].to_list() == [
        "Northwind Traders",
        "Contoso Ltd",
    ]
    assert rows("zoom_registration_report.csv")[raw("company")].to_list() == [
        "Wingtip Toys",
        "Fabrikam Inc",
    ]


def test_a_columns_override_applies_to_each_file_that_has_the_header() -> None:
    exports = DATA / "exports"
    paths = (exports / "marketo_people_export.csv", exports / "pardot_prospects.csv")
    together = _mapped(paths, {"source": "Person Source"})
    marketo = together.filter(pl.col(SOURCE_FILE) == str(paths[0]))
    pardot = together.filter(pl.col(SOURCE_FILE) == str(paths[1]))
    assert marketo[raw("source")].to_list() == ["Webinar", "Trade Show"]
    # Pardot has no "Person Source": its own "Source" column still maps
    assert pardot[raw("source")].to_list() == ["Website", "Webinar", "Website"]


def test_a_columns_override_no_input_has_is_a_warning_naming_the_key() -> None:
    """A rules file written for another export: its header is in none of the inputs,
    and the run says so instead of reporting the field as overridden."""
    exports = DATA / "exports"
    paths = (exports / "marketo_people_export.csv", exports / "pardot_prospects.csv")
    rules = replace(load_rules(None), columns={"source": "Person Source", "email": "E-Mail Addr"})
    summary = triage([str(p) for p in paths], rules=rules).summary
    warnings = [str(w) for w in summary.notes.get("warnings", ())]
    assert any("columns.email" in w and "'E-Mail Addr'" in w for w in warnings), warnings
    assert not any("columns.source" in w for w in warnings), warnings  # Marketo has it
    assert "email" not in summary.mapping.overridden


def test_a_dutch_export_with_a_particle_column_lands_beside_one_without(tmp_path: Path) -> None:
    dutch = tmp_path / "beurs.csv"
    dutch.write_text(
        "Voornaam;Tussenvoegsel;Achternaam;E-mailadres\n"
        "Jan;van den;Berg;jan@berg-bv.nl\n"
        "Anna;;Jansen;anna@jansen.nl\n",
        encoding="utf-8",
    )
    english = tmp_path / "webinar.csv"
    english.write_text("First Name,Last Name,Email\nJohn,Smith,john@smith.co\n", encoding="utf-8")
    together = _mapped((dutch, english))
    assert together[raw("last_name")].to_list() == ["van den Berg", "Jansen", "Smith"]


def test_a_second_column_of_a_field_whose_values_were_not_taken_reaches_accepted(
    tmp_path: Path,
) -> None:
    """LinkedIn lead forms give "Email Address" (often personal) and "Work Email": the
    work address filled no blank, and the accepted file lost it. A second column of a
    field is passed on where it holds a value the field did not take; where it only
    filled blanks (another export's header for the same field) it is not."""
    linkedin = tmp_path / "linkedin.csv"
    linkedin.write_text(
        "First Name,Last Name,Email Address,Work Email\n"
        "John,Smith,john0@gmail.com,john.smith@lumenrobotics.com\n"
        "Ann,Lee,,ann.lee@acme.io\n",
        encoding="utf-8",
    )
    accepted = triage([str(linkedin)]).accepted
    assert accepted["Work Email"].to_list() == ["john.smith@lumenrobotics.com", "ann.lee@acme.io"]
    assert accepted["email"].to_list() == ["john0@gmail.com", "ann.lee@acme.io"]

    other = tmp_path / "webinar.csv"
    other.write_text("First Name,Last Name,Email\nMia,Ford,mia@ford.co\n", encoding="utf-8")
    forms = tmp_path / "forms.csv"
    forms.write_text("First Name,Last Name,Email Address\nLeo,Hart,leo@hart.co\n", encoding="utf-8")
    together = triage([str(other), str(forms)]).accepted
    assert "Email Address" not in together.columns
    assert together["email"].to_list() == ["mia@ford.co", "leo@hart.co"]


def test_headers_spelt_like_the_tools_own_columns_pass_through(tmp_path: Path) -> None:
    """An input column named meta.x, raw.note or flag.note was dropped from every
    output (the tool's own columns start so); meta.not_data stopped the run."""
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "Email,Name,meta.x,raw.note,flag.note,meta.not_data\na@acme.com,Ann Lee,m,r,f,n\n",
        encoding="utf-8",
    )
    accepted = triage([str(leads)]).accepted
    row = accepted.row(0, named=True)
    assert [row[f"input {c}"] for c in ("meta.x", "raw.note", "flag.note", "meta.not_data")] == [
        "m",
        "r",
        "f",
        "n",
    ]


def test_cleaning_an_output_again_makes_its_derived_columns_again(tmp_path: Path) -> None:
    """Cleaning accepted.csv again kept every row, but each pass added the previous
    pass's derived columns as 'phone_type (input)', 'reasons (input)' ... and a
    second pass 'source_file (input)_2' beside them."""
    first = triage([str(REPO / "examples" / "campaign.csv")]).accepted
    once = tmp_path / "accepted.csv"
    first.write_csv(once)
    again = triage([str(once)]).accepted
    assert not [c for c in again.columns if c.endswith("(input)")]
    assert again.columns == first.columns
    assert again.height == first.height
    kept = ["email", "phone_e164", "first_name", "last_name", "company", "consent", "Notes"]
    assert again.select(kept).sort("email").equals(first.select(kept).sort("email"))


def test_a_survivor_takes_the_unmapped_values_of_its_duplicates_from_other_files(
    tmp_path: Path,
) -> None:
    """The badge scan's row survives; the webinar's row, its duplicate, held a note
    under a column only the webinar export has. Accepted must not lose it."""
    webinar = tmp_path / "webinar.csv"
    webinar.write_text(
        "First Name,Last Name,Email,Notes\n"
        "Julia,Becker,julia.becker@lindwerk.de,asked for pricing\n",
        encoding="utf-8",
    )
    badge = tmp_path / "badge.csv"
    badge.write_text(
        "First Name,Last Name,Email Address,Phone,Company,Job Title,Booth Notes\n"
        "Julia,Becker,julia.becker@lindwerk.de,+49 30 9018200,Lindwerk GmbH,CMO,\n",
        encoding="utf-8",
    )
    result = triage([str(webinar), str(badge)])
    survivor = result.accepted.row(0, named=True)
    assert result.accepted.height == 1
    assert survivor["Notes"] == "asked for pricing"
    assert survivor["Booth Notes"] is None
    # The duplicate keeps its own values as they came.
    assert result.rejected.row(0, named=True)["Notes"] == "asked for pricing"
