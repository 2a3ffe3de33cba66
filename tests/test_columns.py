"""Header mapping against the exports people really feed in."""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage.columns import add_raw_fields, fold_header, free_name, map_columns, synonyms
from leadtriage.frame import FIELDS, raw


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # HubSpot
        ("Email", "email"),
        ("Phone Number", "phone"),
        ("Company Name", "company"),
        ("Country/Region", "country"),
        ("Record ID", "record_id"),
        # Salesforce
        ("FirstName", "first_name"),
        ("LastName", "last_name"),
        ("Title", "job_title"),
        ("Company", "company"),
        ("LeadSource", "source"),
        # Mailchimp
        ("Email Address", "email"),
        ("OPTIN_TIME", "created_at"),
        # Zoom
        ("User Name (Original Name)", "full_name"),
        ("Registration Time", "created_at"),
        ("Country/Region Name", "country"),
        # Eventbrite, Google Forms
        ("Home Country", "country"),
        ("Job Title", "job_title"),
        ("Timestamp", "created_at"),
        # variants and other languages
        ("E-mail", "email"),
        ("e_mail", "email"),
        ("Work Email", "email"),
        ("Business Phone", "phone"),
        ("Mobile", "mobile"),
        ("Organisation", "company"),
        ("Organization", "company"),
        ("Firma", "company"),
        ("Société", "company"),
        ("Nom", "last_name"),
        ("Vorname", "first_name"),
        ("Nachname", "last_name"),
        ("Telefon", "phone"),
        ("País", "country"),
        ("  E-MAIL  ", "email"),
        ("Zip/Postal Code", "postcode"),
        ("Opt-In", "consent"),
    ],
)
def test_real_export_headers_map(header: str, field: str) -> None:
    assert map_columns([header]).fields == {field: header}


def test_synonyms_are_unambiguous() -> None:
    claimed: dict[str, str] = {}
    for field, listed in synonyms().items():
        for synonym in (field, *listed):
            folded = fold_header(synonym)
            assert claimed.setdefault(folded, field) == field, synonym
    assert set(synonyms()) <= set(FIELDS)


def test_first_header_wins_and_later_synonyms_fill_its_blanks() -> None:
    mapping = map_columns(["Email", "E-mail Address", "Shoe size"])
    assert mapping.fields == {"email": "Email"}
    assert mapping.fallbacks == {"email": ("E-mail Address",)}
    assert mapping.unmapped == ("Shoe size",)
    lf = pl.LazyFrame(
        {"Email": ["a@x.co", None], "E-mail Address": ["b@x.co", "c@x.co"], "Shoe size": ["9", "8"]}
    )
    assert add_raw_fields(lf, mapping).collect()[raw("email")].to_list() == ["a@x.co", "c@x.co"]


def test_several_exports_with_different_headers_land_in_one_field() -> None:
    """A webinar export says "Email", a Mailchimp export "Email Address": after the
    union each file's rows have only their own column filled."""
    webinar = pl.DataFrame({"Email": ["kim@acme.com"]})
    mailchimp = pl.DataFrame({"Email Address": ["sam@ortiz.co"]})
    union = pl.concat([webinar, mailchimp], how="diagonal")
    mapping = map_columns(union.columns)
    out = add_raw_fields(union.lazy(), mapping).collect()
    assert out[raw("email")].to_list() == ["kim@acme.com", "sam@ortiz.co"]


def test_overrides_win_over_synonyms() -> None:
    mapping = map_columns(["Email", "Contact mail"], {"email": "Contact mail"})
    assert mapping.fields == {"email": "Contact mail"}
    assert mapping.unmapped == ("Email",)
    assert mapping.overridden == ("email",)


def test_override_of_an_absent_header_falls_back_to_synonyms() -> None:
    assert map_columns(["Email"], {"email": "Nope"}).fields == {"email": "Email"}


def test_raw_fields_exist_for_every_field() -> None:
    lf = pl.LazyFrame({"Email": ["a@b.co"], "Other": ["x"]})
    out = add_raw_fields(lf, map_columns(["Email", "Other"])).collect()
    assert out[raw("email")].to_list() == ["a@b.co"]
    assert out[raw("phone")].to_list() == [None]
    assert all(raw(f) in out.columns for f in FIELDS)


def test_colliding_names_get_an_input_suffix() -> None:
    assert free_name("email", {"email"}) == "email (input)"
    assert free_name("email", {"email", "email (input)"}) == "email (input 2)"
    assert free_name("flag.x", set()) == "flag.x (input)"
    assert free_name("Email", {"email"}) == "Email"
