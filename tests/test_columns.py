"""Header mapping against the exports people really feed in."""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage.columns import (
    PARTICLE_KEY,
    SYNONYMS_FILE,
    add_raw_fields,
    fold_header,
    free_name,
    header_synonym,
    map_columns,
    override_warnings,
    synonyms,
)
from leadtriage.frame import FIELDS, raw
from leadtriage.normalize.consent import normalize_consent
from leadtriage.normalize.text import data_pairs


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
        # when the form was sent: WordPress forms, Typeform, German CRMs
        ("date_submitted", "created_at"),
        ("Submission Date", "created_at"),
        ("Erfasst am", "created_at"),
        ("Erstellt am", "created_at"),
        ("Anmeldedatum", "created_at"),
        ("Date d'inscription", "created_at"),
        ("Fecha de registro", "created_at"),
        ("Data di registrazione", "created_at"),
        ("Aangemaakt op", "created_at"),
        # phones in Dutch, Belgian, Portuguese, Polish, Nordic exports
        ("Mobiel", "mobile"),
        ("Mobiel nummer", "mobile"),
        ("GSM", "mobile"),
        ("Telemóvel", "mobile"),
        ("Mobilnummer", "mobile"),
        ("Telefon komórkowy", "mobile"),
        ("Telefoon", "phone"),
        ("Telefoonnummer", "phone"),
        ("Telefone", "phone"),
        ("Puhelin", "phone"),
        # Italian, French, Spanish, German and Dutch contact lists
        ("Nazione", "country"),
        ("Land/regio", "country"),
        ("Ragione sociale", "company"),
        ("Raison sociale", "company"),
        ("Razón social", "company"),
        ("Nome azienda", "company"),
        ("Firmenname", "company"),
        ("Bedrijfsnaam", "company"),
        ("Organisatie", "company"),
        ("Qualifica", "job_title"),
        ("Puesto de trabajo", "job_title"),
        ("Functietitel", "job_title"),
        ("Jobtitel", "job_title"),
        ("Position im Unternehmen", "job_title"),  # was guessed as the company
        ("Adresse mail", "email"),
        ("Mail-Adresse", "email"),
        # badge scans: Cvent LeadCapture, iCapture
        ("Scan Date/Time", "created_at"),
        ("Capture Date", "created_at"),
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
    mapping = map_columns(["Email"], {"email": "Nope"})
    assert mapping.fields == {"email": "Email"}
    assert mapping.overridden == ()  # the synonym chose it, not the override


@pytest.mark.parametrize("written", ["baja", " BAJA ", "Bája"])
def test_an_override_meets_its_header_as_the_synonyms_do(written: str) -> None:
    mapping = map_columns(["Email", "Nombre", "Baja"], {"consent_opt_out": written})
    assert mapping.fields["consent"] == "Baja"
    assert mapping.polarity == {"Baja": "opt_out"}
    assert mapping.overridden == ("consent_opt_out",)
    assert override_warnings("rules.toml", {"consent_opt_out": written}, [mapping]) == []


def test_an_override_prefers_the_header_written_exactly() -> None:
    mapping = map_columns(["company", "Company"], {"company": "Company"})
    assert mapping.fields["company"] == "Company"


def test_an_override_matching_no_header_warns_with_the_close_ones() -> None:
    mapping = map_columns(["Email", "Bajas"], {"consent_opt_out": "Baja"})
    assert override_warnings("rules.toml", {"consent_opt_out": "Baja"}, [mapping]) == [
        "rules.toml: columns.consent_opt_out: no input has a column 'Baja'; consent stays"
        " unmapped (did you mean 'Bajas'?)"
    ]
    mapping = map_columns(["Email"], {"company": "Firma XY"})
    assert override_warnings("rules.toml", {"company": "Firma XY"}, [mapping]) == [
        "rules.toml: columns.company: no input has a column 'Firma XY'; company stays unmapped"
    ]


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


# --- consent polarity ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "polarity"),
    [
        # opt-out flags as the tools spell them
        ("Email Opt Out", "opt_out"),  # Salesforce report label
        ("HasOptedOutOfEmail", "opt_out"),  # Salesforce API name (our profile's column)
        ("Unsubscribed", "opt_out"),  # Marketo
        ("Marketing Suspended", "opt_out"),  # Marketo
        ("Opted Out", "opt_out"),  # Pardot
        ("Do Not Email", "opt_out"),  # Pardot
        ("Unsubscribed from all email", "opt_out"),  # HubSpot
        ("Opted out of email: Marketing Information", "opt_out"),  # HubSpot, per type
        ("Do not allow Emails", "opt_out"),  # Dynamics 365
        ("donotemail", "opt_out"),  # Dynamics logical name
        ("E-Mail-Opt-Out", "opt_out"),  # Salesforce, German
        ("Von allen E-Mails abgemeldet", "opt_out"),  # HubSpot, German
        ("Refus de recevoir des e-mails", "opt_out"),  # Salesforce, French
        ("Désabonné de tous les e-mails", "opt_out"),  # HubSpot, French
        ("No permitir correo electrónico", "opt_out"),  # Dynamics, Spanish
        ("Dado de baja", "opt_out"),
        ("Rinuncia email", "opt_out"),  # Salesforce, Italian
        ("Non consentire posta elettronica", "opt_out"),  # Dynamics, Italian
        ("Afgemeld voor alle e-mail", "opt_out"),  # HubSpot, Dutch
        ("UNSUB_TIME", "opt_out_date"),  # Mailchimp's unsubscribed members
        ("Email Opt Out Date", "opt_out_date"),
        ("E-mail niet toestaan", "opt_out"),  # Dynamics, Dutch
        ("Newsletter abbestellt", "opt_out"),  # a German shop's export
        ("Désinscrit newsletter", "opt_out"),
        ("Baja newsletter", "opt_out"),
        ("Nieuwsbrief afgemeld", "opt_out"),
        ("Unsubscribed from newsletter", "opt_out"),
        # "do not contact", "unsubscribe" and the date of it in five languages
        ("Ne pas contacter", "opt_out"),
        ("No contactar", "opt_out"),
        ("Afmelden", "opt_out"),
        ("Date de désinscription", "opt_out_date"),
        ("Abbestellt am", "opt_out_date"),
        ("Fecha de baja", "opt_out_date"),
        ("Afgemeld op", "opt_out_date"),
        ("Data di disiscrizione", "opt_out_date"),
        ("Newsletter abbestellt am", "opt_out_date"),
        # the same opt-ins with their words the other way round
        ("Einwilligung Newsletter", "opt_in"),
        ("Einwilligung E-Mail", "opt_in"),
        ("Consentement newsletter", "opt_in"),
        ("Consentimiento newsletter", "opt_in"),
        ("Consenso newsletter", "opt_in"),
        ("Toestemming nieuwsbrief", "opt_in"),
        # opt-ins
        ("consent", "opt_in"),  # our own generic output
        ("Legal basis for processing contact's data", "opt_in"),  # our hubspot output
        ("Opt-In", "opt_in"),
        ("Email Opt In", "opt_in"),
        ("Einwilligung", "opt_in"),
        ("Consentement", "opt_in"),
        ("Consenso marketing", "opt_in"),
        ("Toestemming", "opt_in"),
        ("Can we email you about future events?", "opt_in"),  # a form question
        ("Consentement RGPD", "opt_in"),
        ("consent_given", "opt_in"),  # Unbounce's JSON export
        ("Consent given?", "opt_in"),
        ("DSGVO-Einwilligung", "opt_in"),
        ("Consent Withdrawn", "opt_out"),
        ("Einwilligung widerrufen", "opt_out"),
        ("Unsubscribed Time", "opt_out_date"),  # Zoho
        ("Person - Marketing status", "opt_in"),  # Pipedrive: Subscribed / Unsubscribed
        ("Marketing status", "opt_in"),
        ("Nieuwsbrief", "opt_in"),
        ("Cancelada la suscripción a todos los correos", "opt_out"),  # HubSpot, Spanish
        ("Aceito receber comunicações de marketing", "opt_in"),
        ("Não desejo receber newsletters", "opt_out"),
        ("Desejo receber novidades por e-mail", "opt_in"),
        # a negatively worded form question was guessed as the email column
        ("Tick this box if you do NOT want to receive marketing emails from us", "opt_out"),
        ("Please don't send me marketing emails", "opt_out"),
        ("Don't email me", "opt_out"),
        ("I'd prefer not to receive marketing emails", "opt_out"),
        ("I agree to receive marketing emails from us", "opt_in"),
        # answer options after the header say how it is answered, not what it asks
        ("Email opt-in (Y/N)", "opt_in"),
        ("Unsubscribed (true/false)", "opt_out"),
        ("Do not email [yes/no]", "opt_out"),
        # a label before a form question
        ("Consent: I agree to receive marketing communications", "opt_in"),
        ("Question 4: Would you like to receive our newsletter?", "opt_in"),
        ("GDPR: Opt out of marketing emails", "opt_out"),
        # exports of shops, CRMs and form tools
        ("Accepts Email Marketing", "opt_in"),  # Shopify customers: yes / no
        ("Accepts Marketing", "opt_in"),  # Shopify, older exports
        ("Is Unsubscribed", "opt_out"),
        ("Marketing Emails Opt-Out", "opt_out"),
        ("Contact Opt-Out", "opt_out"),
        ("GDPR Consent Given", "opt_in"),
        ("Consent to Marketing", "opt_in"),
        ("Newsletter Subscriber", "opt_in"),
        ("Subscribed to Newsletter", "opt_in"),
        ("Permission to Contact", "opt_in"),
    ],
)
def test_consent_headers_carry_their_polarity(header: str, polarity: str) -> None:
    mapping = map_columns(["Email", header])
    assert mapping.fields["consent"] == header
    assert mapping.polarity == {header: polarity}
    assert mapping.guessed == ()


@pytest.mark.parametrize(
    "header",
    [
        "Baja",
        "DSGVO",
        "RGPD",
        "Status Abmeldung",
        "Unsubscribe reason",
        "Abmeldegrund",
        "Ne pas démarcher",  # French "do not canvass": passed through without a word
        "Afmeldreden",
        # README's own example of a header that only looks like consent
        "Marketing preferences",
        "Communication Preferences",
    ],
)
def test_consent_like_headers_no_synonym_names_are_left_for_a_person(header: str) -> None:
    """A keyword guess never decides which way a consent column points: the header is
    reported as unclear (a warning) and its values are not read as consent."""
    mapping = map_columns(["Email", header])
    assert "consent" not in mapping.fields
    assert mapping.unclear == (header,)


@pytest.mark.parametrize("header", ["Phone (Y/N)", "Marketing: Email", "Newsletter: Company"])
def test_answers_or_a_label_taken_off_name_only_a_consent_question(header: str) -> None:
    """ "Phone (Y/N)" asks whether there is a phone; "Marketing: Email" is no email
    column by its synonym: only consent synonyms are looked up past them."""
    assert header_synonym(header) is None


def test_every_consent_column_of_a_file_is_read_with_its_polarity() -> None:
    mapping = map_columns(["Email", "Email Opt In", "Email Opt Out", "Do Not Email"])
    assert mapping.headers_of("consent") == ("Email Opt In", "Email Opt Out", "Do Not Email")
    assert mapping.polarity == {
        "Email Opt In": "opt_in",
        "Email Opt Out": "opt_out",
        "Do Not Email": "opt_out",
    }
    lf = pl.LazyFrame(
        {
            "Email": ["a@x.co", "b@x.co", "c@x.co", "d@x.co"],
            "Email Opt In": ["yes", "yes", None, "no"],
            "Email Opt Out": ["0", "1", "0", "0"],
            "Do Not Email": ["false", "false", None, None],
        }
    )
    consent = normalize_consent(add_raw_fields(lf, mapping)).collect()["consent"]
    # a cleared opt-out says nothing, so the opt-in decides; a set one always wins
    assert consent.to_list() == ["yes", "no", "unknown", "no"]


def test_an_override_keeps_the_polarity_its_header_names_and_other_consent_columns() -> None:
    mapping = map_columns(["Email", "Opt-In", "Email Opt Out"], {"consent": "Email Opt Out"})
    assert mapping.fields["consent"] == "Email Opt Out"
    assert mapping.polarity == {"Email Opt Out": "opt_out", "Opt-In": "opt_in"}
    assert mapping.headers_of("consent") == ("Email Opt Out", "Opt-In")
    assert map_columns(["Status"], {"consent": "Status"}).polarity == {"Status": "opt_in"}


@pytest.mark.parametrize(
    "header",
    [
        "Marketing preferences (opt in / opt out)",
        "GDPR",
        "I agree to the terms and privacy policy",
        "Consent / opt-out",
        # a label names no polarity of its own, and what follows it none either
        "Consent: yes or no",
        "Opt-in / opt-out (Y/N)",
    ],
)
def test_a_keyword_guess_never_decides_consent_polarity(header: str) -> None:
    mapping = map_columns(["Email", header])
    assert "consent" not in mapping.fields
    assert mapping.unclear == (header,)
    assert header in mapping.unmapped
    assert mapping.as_dict()["consent_unclear"] == [header]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("CC", "country"),  # Mailchimp audience export: the country code
        ("Scan Time", "created_at"),  # badge scanners
        ("Scanned At", "created_at"),
        ("Date Scanned", "created_at"),
        ("Organization", "company"),  # Zoom registration report
        ("Company / Account", "company"),  # Salesforce report
        ("Person Source", "source"),  # Marketo
        ("Address One", "address"),  # Pardot
        ("Address 1: Street 1", "address"),  # Dynamics 365
        ("Address 1: City", "city"),
        ("Address 1: State/Province", "state"),
        ("Address 1: ZIP/Postal Code", "postcode"),
        ("Address 1: Country/Region", "country"),
        ("Home Address 1", "address"),  # Eventbrite
        ("Work Address 1", "address"),  # Eventbrite, Cvent
        ("Work City", "city"),
        ("Work State/Prov.", "state"),  # Cvent
        ("Work Postal Code", "postcode"),
        ("Work Country", "country"),
        ("Registered at", "created_at"),  # Hopin
        ("Submitted On", "created_at"),  # LinkedIn Lead Gen forms
        ("created_time", "created_at"),  # Facebook / Instagram lead ads
        ("phone_number", "phone"),
        ("Your work email address", "email"),  # Google Forms
        ("Secondary Email", "email"),  # Zoho
        ("Person - Email - Home", "email"),  # Pipedrive
        ("Person - Name", "full_name"),
        ("Organization - Name", "company"),
        ("Name des Unternehmens", "company"),  # HubSpot in German
        ("Land/Region", "country"),
        ("Mobiltelefonnummer", "mobile"),
        ("Erstellungsdatum", "created_at"),
        ("Erstelldatum", "created_at"),
        ("Datensatz-ID", "record_id"),
        ("Leadquelle", "source"),
        ("Intitulé du poste", "job_title"),  # HubSpot in French
        ("État/Région", "state"),
        ("Numéro de portable", "mobile"),
        ("Adresse électronique", "email"),
        ("Fecha de creación", "created_at"),  # HubSpot in Spanish
        ("Apelido", "last_name"),  # Portugal
        ("Sobrenome", "last_name"),  # Brazil
        ("Nome completo", "full_name"),
        ("CEP", "postcode"),
        ("Localidade", "city"),
        ("Data de registo", "created_at"),
        ("Scan-Datum", "created_at"),  # badge scanners
        ("Date de scan", "created_at"),
        ("Data registrazione", "created_at"),
        ("(Do Not Modify) Contact", "record_id"),  # Dynamics 365
        ("Person - ID", "record_id"),  # Pipedrive
        ("Kontakt-ID", "record_id"),  # Salesforce in German
    ],
)
def test_headers_found_missing_in_real_exports_map(header: str, field: str) -> None:
    mapping = map_columns([header])
    assert mapping.fields == {field: header}
    assert mapping.guessed == ()


def test_a_form_consent_question_with_yes_or_no_thanks_is_read() -> None:
    question = "Can we email you about future events?"
    mapping = map_columns(["Email address", question])
    assert (mapping.fields["consent"], mapping.polarity[question]) == (question, "opt_in")
    lf = pl.LazyFrame({"Email address": ["a@x.co", "b@x.co"], question: ["Yes", "No thanks"]})
    consent = normalize_consent(add_raw_fields(lf, mapping)).collect()["consent"]
    assert consent.to_list() == ["yes", "no"]


def test_every_synonym_line_names_a_field_or_a_consent_polarity() -> None:
    keys = {key for key, _ in data_pairs(SYNONYMS_FILE)}
    assert keys <= {*FIELDS, "consent.opt_out", "consent.opt_out_date", PARTICLE_KEY}
    assert "consent.opt_out" in keys


def test_a_rules_file_names_an_opt_out_column_its_header_does_not_explain() -> None:
    """ "Baja" (Spanish: unsubscribed) says no polarity: [columns] consent_opt_out reads
    it as a refusal, beside the file's own opt-in."""
    overrides = {"consent_opt_out": "Baja"}
    mapping = map_columns(["Email", "Baja", "Consentimiento"], overrides)
    assert mapping.headers_of("consent") == ("Baja", "Consentimiento")
    assert mapping.polarity == {"Baja": "opt_out", "Consentimiento": "opt_in"}
    assert mapping.overridden == ("consent_opt_out",)
    assert mapping.unclear == ()
    lf = pl.LazyFrame(
        {"Email": ["a@x.co", "b@x.co"], "Baja": ["sí", "no"], "Consentimiento": ["sí", "sí"]}
    )
    consent = normalize_consent(add_raw_fields(lf, mapping)).collect()["consent"]
    assert consent.to_list() == ["no", "yes"]


def test_an_opt_out_date_column_named_by_the_rules_is_a_refusal_when_dated() -> None:
    mapping = map_columns(["Email", "Abbestellt am"], {"consent_opt_out_date": "Abbestellt am"})
    assert mapping.polarity == {"Abbestellt am": "opt_out_date"}
    lf = pl.LazyFrame({"Email": ["a@x.co", "b@x.co"], "Abbestellt am": ["2026-01-02", None]})
    consent = normalize_consent(add_raw_fields(lf, mapping)).collect()["consent"]
    assert consent.to_list() == ["no", "unknown"]


@pytest.mark.parametrize("header", ["Tussenvoegsel", "Tussenv.", "Voorvoegsel", "Surname prefix"])
def test_a_dutch_surname_particle_column_goes_before_the_last_name(header: str) -> None:
    """Dutch exports keep "van den" apart from "Berg"; the family name is both."""
    headers = ["Voornaam", header, "Achternaam"]
    mapping = map_columns(headers)
    assert mapping.fields["last_name"] == "Achternaam"
    assert mapping.particles == {"last_name": (header,)}
    assert header not in mapping.unmapped
    assert header in mapping.headers_of("last_name")
    lf = pl.LazyFrame(
        {
            "Voornaam": ["Jan", "Anna", "Piet", "Els", "Kees"],
            header: ["van den", None, "  de ", "van", "van der"],
            "Achternaam": ["Berg", "Jansen", "Vries", None, "van der Meer"],
        }
    )
    out = add_raw_fields(lf, mapping).collect()
    assert out[raw("last_name")].to_list() == [
        "van den Berg",
        "Jansen",
        "de Vries",
        None,  # a particle is no family name on its own
        "van der Meer",  # typed twice, kept once
    ]


def test_a_particle_column_without_a_last_name_column_passes_through() -> None:
    mapping = map_columns(["Naam", "Tussenvoegsel"])
    assert "last_name" not in mapping.fields
    assert mapping.particles == {}
    assert "Tussenvoegsel" in mapping.unmapped


@pytest.mark.parametrize(
    "header",
    [
        "Werbung per E-Mail erlaubt",
        "E-Mail-Werbung erlaubt",
        "Email Subscription",
        "J'accepte de recevoir des offres de nos partenaires",  # partners' offers
        "I agree to receive offers from selected third parties",
        "Consenso privacy",  # the privacy notice read, not marketing consent
    ],
)
def test_a_consent_question_is_never_the_email_column_nor_read_by_a_guess(header: str) -> None:
    """A negatively worded question guessed as the email column hid the real email
    column and lost every opt-out; a partner's or the privacy notice's consent is not
    the person's marketing consent. Left for a person, with a warning."""
    mapping = map_columns(["Your work email address", header])
    assert mapping.fields.get("email") == "Your work email address"
    assert "consent" not in mapping.fields
    assert mapping.unclear == (header,)


@pytest.mark.parametrize(
    "header",
    [
        # a form's consent text mentioning time ("at any time") but also the privacy
        # policy, or in no words a synonym starts with (LinkedIn Lead Gen, Typeform)
        "I agree to receive marketing communications from Fabrikam. You may unsubscribe"
        " at any time. See our Privacy Policy.",
        "Yes, keep me posted by email from time to time (unsubscribe anytime)",
        # when someone opted out, in a spelling no synonym has: it may hold refusals
        "Unsubscribe date (UTC)",
        "Opt-out logged (timestamp)",
    ],
)
def test_a_consent_like_header_with_a_time_word_is_warned_not_passed_through(
    header: str,
) -> None:
    """A consent-like header with "time" or "date" in it was dropped as a consent
    date without a warning: a consent question saying "unsubscribe at any time", and
    the date of an opt-out, whose values are refusals. Left for a person, warned."""
    mapping = map_columns(["Email", header])
    assert mapping.fields == {"email": "Email"}
    assert mapping.unclear == (header,)


@pytest.mark.parametrize("header", ["GDPR Consent Timestamp", "Opt-in date", "Consent time"])
def test_when_someone_consented_is_neither_consent_nor_warned(header: str) -> None:
    """The time of an opt-in says neither yes nor no: no warning to read it."""
    mapping = map_columns(["Email", header])
    assert (mapping.fields, mapping.unclear) == ({"email": "Email"}, ())


@pytest.mark.parametrize(
    "header", ["GDPR Consent Timestamp", "Consent Timestamp", "LinkedIn Profile URL", "Twitter URL"]
)
def test_headers_about_another_thing_are_not_guessed(header: str) -> None:
    """A consent's time is no sign-up date; a social profile is no company website
    (the website stage blanks social hosts, so the URL was lost)."""
    mapping = map_columns([header])
    assert mapping.fields == {}
    assert header in mapping.unmapped


@pytest.mark.parametrize("header", ["Role in Purchase Process", "Buying Role"])
def test_a_buying_role_is_no_job_title(header: str) -> None:
    """Zoom's registration question "Role in Purchase Process" (Decision Maker,
    Influencer ...) was guessed as the job title when the form asked for none."""
    mapping = map_columns(["Email", header])
    assert mapping.fields == {"email": "Email"}
    assert header in mapping.unmapped


@pytest.mark.parametrize(
    "header",
    [
        "First and last name",  # Google Forms, Typeform questions
        "First & Last Name",
        "Name and surname",
        "Prénom et nom",
        "Nom et prénom",
        "Nom Prénom",
        "Vor- und Nachname",
        "Vorname Nachname",
        "Name, Vorname",
        "Nombre y apellidos",
        "Nome e cognome",
        "Cognome e nome",
        "Voor- en achternaam",
        "Naam",
        "Volledige naam",
    ],
)
def test_a_header_naming_both_names_is_the_full_name(header: str) -> None:
    """ "First and last name" was guessed as the last name and "Prénom et nom" as the
    first name: the whole name landed in one half of it."""
    assert map_columns(["Email", header]).fields == {"email": "Email", "full_name": header}


def test_japanese_headers_map() -> None:
    """A Japanese export (Salesforce, HubSpot, Sansan, Eight labels) mapped nothing,
    so every row was rejected as contact.missing."""
    mapping = map_columns(
        ["氏名", "メールアドレス", "会社名", "電話番号", "携帯電話", "役職", "都道府県", "郵便番号"]
    )
    assert mapping.fields == {
        "full_name": "氏名",
        "email": "メールアドレス",
        "company": "会社名",
        "phone": "電話番号",
        "mobile": "携帯電話",
        "job_title": "役職",
        "state": "都道府県",
        "postcode": "郵便番号",
    }
    assert map_columns(["姓", "名", "Eメール"]).fields == {
        "last_name": "姓",
        "first_name": "名",
        "email": "Eメール",
    }
    # The reading of a name (its kana) is no name: it passes through unmapped.
    assert map_columns(["氏名", "氏名（カナ）", "メール"]).unmapped == ("氏名（カナ）",)


@pytest.mark.parametrize(
    "header",
    [
        "Email Bounced",
        "Email Invalid",
        "Email Valid",
        "Hard Bounce Email",
        "Email Deliverability",
        "Email Domain",
        "Email Type",
        "Phone Type",
        "Email Format",
    ],
)
def test_a_fact_about_an_address_or_a_number_is_not_that_field(header: str) -> None:
    """In a file without an email column, "Email Bounced" (true / false) was guessed
    as the email column: every row went to review as contact.invalid. ("Company
    Domain" is the website's synonym, read as a web address.)"""
    mapping = map_columns(["First Name", "Last Name", header])
    assert set(mapping.fields) == {"first_name", "last_name"}
    assert header in mapping.unmapped


@pytest.mark.parametrize("header", ["Consent Type", "Valid Consent"])
def test_a_consent_like_header_with_such_a_word_is_still_warned_of(header: str) -> None:
    """The words that keep "Email Bounced" from the email column keep nothing from
    consent: such a header is still left for a person, and warned of."""
    mapping = map_columns(["Email", header])
    assert mapping.unclear == (header,)
