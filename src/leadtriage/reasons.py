"""The catalogue of reason slugs: stable names, documented in the README.

A finding a stage records as ``flag.<slug>`` and a built-in rule acting on it share
the slug. Rules from a rules file add ``rule.<name>``. Renaming a slug breaks users'
rules and downstream filters: add new ones, never rename.
"""

from __future__ import annotations

from typing import Final

REASONS: Final[dict[str, str]] = {
    "row.empty": "every cell of the row is blank",
    "contact.missing": "neither an email nor a phone value",
    "contact.invalid": "the only contact details given are invalid",
    "email.missing": "no email value",
    "email.invalid": (
        "not a valid address by its syntax (email-validator), or a domain that cannot "
        "receive mail (.local, .onion)"
    ),
    "email.disposable": "a throw-away mailbox domain",
    "email.role": "a role address (info@, sales@, noreply@ ...)",
    "email.free": "a free-mail provider (gmail.com, outlook.com ...)",
    "email.typo": "a likely typo of a consumer domain; see email_suggestion",
    "email.fake": (
        "a test or made-up address (test@test.com, asdf@asdf.com, example.com, .test, .invalid ...)"
    ),
    "email.mx_unknown": "--check-mx could not confirm the domain receives mail",
    "phone.missing": "no phone value",
    "phone.invalid": "not a valid number for its region",
    "phone.possible_only": "the right length but not a valid number; not converted",
    "phone.mangled": "damaged by a spreadsheet (scientific notation, lost leading zero)",
    "phone.fake": "a made-up number (000000, 1234567, repeated digits)",
    "phone.region_guessed": (
        "valid only under a guessed region (the email's country domain or the file's "
        "main country); see phone_region_source"
    ),
    "name.missing": "no first or last name",
    "name.fake": "a made-up name (Mickey Mouse, test test, the email's local part)",
    "company.missing": "no company name",
    "country.unknown": "a country value that matches no known country",
    "date.invalid": "a date that could not be read",
    "consent.no": "the person declined or withdrew marketing consent (opted out)",
    "duplicate": "another row stands for the same person; see cluster_id",
    "duplicate.possible": "maybe the same person as another row; a person should look",
    "crm.existing": "already in the CRM; see crm_record_id (imported as an update)",
    "crm.ambiguous": "matches several CRM records",
    "suppressed": "on a do-not-contact list",
    "seen.before": "triaged by an earlier run; see person_id",
    "score.low": "the qualification score is under the reject threshold",
    "score.review": "the qualification score is under the accept threshold",
    "crm.field_too_long": "a value longer than the CRM profile allows",
    "crm.required_missing": "a field the CRM profile requires is empty",
    "review.accepted": "accepted by a person in the review workbook",
    "review.rejected": "rejected by a person in the review workbook",
}
