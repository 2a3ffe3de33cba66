"""Header -> canonical field mapping.

Headers are compared by a folded form (case, accents, spaces and punctuation
ignored) against synonyms seen in real exports (``data/header_synonyms.txt``):
HubSpot, Salesforce, Marketo, Pardot, Dynamics, Mailchimp, Zoom, Eventbrite, Google
Forms, Typeform, and several languages. Consent headers carry their polarity (an
opt-in, or an opt-out flag). Each input file is mapped on its own. The rules file's
``[columns]`` table overrides any of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from typing import Final

import polars as pl
from rapidfuzz import fuzz, process

from leadtriage.frame import (
    CONSENT_POLARITY_KEYS,
    FIELDS,
    INTERNAL_PREFIXES,
    OPT_IN,
    OPT_OUT,
    OPT_OUT_DATE,
    POLARITIES,
    UNCLEAR_CONSENT,
    raw,
    raw_consent,
)
from leadtriage.normalize.text import data_pairs
from leadtriage.schema import Field

# The header synonyms live in a data file (field|header lines), read once. Consent
# lines name their polarity: "consent|..." an opt-in, "consent.opt_out|..." an opt-out
# flag, "consent.opt_out_date|..." the date of an opt-out. "last_name.particle|..."
# names a column holding the particle of a family name ("van den", Dutch exports'
# Tussenvoegsel): it goes before the family name.
SYNONYMS_FILE: Final = "header_synonyms.txt"
PARTICLE_KEY: Final = "last_name.particle"
# How alike (rapidfuzz ratio of the folded forms, 0-100) an input header must be to
# an override's for the warning to name it ("Bajas" for "Baja"): a hint, never a mapping.
_CLOSE_HEADER_SCORE: Final = 80
_POLARITY_OF_KEY: Final[Mapping[str, str]] = {
    Field.CONSENT: OPT_IN,
    "consent.opt_out": OPT_OUT,
    "consent.opt_out_date": OPT_OUT_DATE,
}


@dataclass(frozen=True)
class Synonym:
    """What a header names: a field, and for a consent header its polarity;
    `particle`: the column holds the particle of the field's value, not the value."""

    field: str
    polarity: str | None = None
    particle: bool = False


@cache
def _synonym_lines() -> tuple[tuple[str, Synonym], ...]:
    lines = []
    for key, header in data_pairs(SYNONYMS_FILE):
        if key not in FIELDS and key not in _POLARITY_OF_KEY and key != PARTICLE_KEY:
            # A misspelt key must not turn an opt-out into a field of no polarity.
            raise ValueError(f"{SYNONYMS_FILE}: unknown field {key!r} for {header!r}")
        field = key.partition(".")[0]
        lines.append((header, Synonym(field, _POLARITY_OF_KEY.get(key), key == PARTICLE_KEY)))
    return tuple(lines)


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """Each field's synonyms as people type them, in the data file's order (consent's
    of both polarities); folded before use. A synonym ending in "*" names the start
    of a header (a form question)."""
    listed: dict[str, list[str]] = {}
    for header, synonym in _synonym_lines():
        listed.setdefault(synonym.field, []).append(header)
    return {field: tuple(headers) for field, headers in listed.items()}


def fold_header(header: str) -> str:
    """Case-, accent-, space- and punctuation-insensitive form of a header.

    "#" reads as "number", so "Phone #" is a phone number while Eventbrite's
    "Attendee #" (a ticket number) is not the "Attendee" name column.
    """
    return re.sub(r"[\W_]+", "", _unaccented(header.casefold().replace("#", " number ")))


def _unaccented(text: str) -> str:
    """NFKD without combining marks, as `normalize.text.strip_accents` does for a
    column, for the one header at a time mapping looks at."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _synonym_index() -> tuple[dict[str, Synonym], tuple[tuple[str, Synonym], ...]]:
    """Folded whole headers, and folded header starts (longest first)."""
    exact = {field: Synonym(field) for field in synonyms() if field != Field.CONSENT}
    exact[Field.CONSENT] = Synonym(Field.CONSENT, OPT_IN)
    starts: list[tuple[str, Synonym]] = []
    for header, synonym in _synonym_lines():
        if header.endswith("*"):
            starts.append((fold_header(header[:-1]), synonym))
        else:
            # A synonym claimed twice is a bug in the table, caught by the tests.
            exact.setdefault(fold_header(header), synonym)
    starts.sort(key=lambda item: -len(item[0]))
    return exact, tuple(starts)


def header_synonym(header: str) -> Synonym | None:
    """The field (and consent polarity) a header is a synonym of, or None. A consent
    question about partners' or third parties' offers, or the privacy notice, names
    no consent of the person to our marketing: None (a person maps it). A consent
    header is also read without the answers a form lists after it ("(Y/N)") and
    without a label before its question ("Consent: I agree to ..."). Google Ads'
    "User Column Data - " before a lead form's question is no part of it."""
    exact, starts = _synonym_index()
    header = _GOOGLE_ADS_ANSWER.sub("", header)
    synonym = None
    for reading in _readings(header):
        folded = fold_header(reading)
        synonym = exact.get(folded) or next(
            (synonym for start, synonym in starts if folded.startswith(start)), None
        )
        # Answers or a label taken off leave a consent question, nothing else ("Phone
        # (Y/N)" asks whether there is one).
        if synonym is not None and (reading == header or synonym.field == Field.CONSENT):
            break
        synonym = None
    if synonym is not None and synonym.field == Field.CONSENT and _not_ours(header):
        return None
    return synonym


# Google Ads lead forms head each answer "User Column Data - Full Name": the question
# after the label is the header.
_GOOGLE_ADS_ANSWER: Final = re.compile(r"^\s*user column data\s*-\s*", re.IGNORECASE)
# Answer options after a header ("Email opt-in (Y/N)", "Unsubscribed [true/false]").
_ANSWERS: Final = re.compile(
    r"\s*[(\[]\s*(?:y|yes|ja|oui|si|sí|true|1|x)\s*/\s*(?:n|no|nein|non|false|0)\s*[)\]]\s*\??\s*$",
    re.IGNORECASE,
)
# A label before a form question ("Consent: I agree to ...", "Question 4: Would you
# like ..."): words that name the topic, not which way the answer points.
_QUESTION_LABEL: Final = re.compile(
    r"^\s*(?:consent|gdpr|dsgvo|rgpd|marketing|newsletter|question\s*\d*|q\s*\d+)\s*:\s+",
    re.IGNORECASE,
)


def _readings(header: str) -> list[str]:
    """The header, then without answer options after it, then also without a label
    before its question."""
    unanswered = _ANSWERS.sub("", header)
    unlabelled = _QUESTION_LABEL.sub("", unanswered)
    return list(dict.fromkeys([header, unanswered, unlabelled]))


# Consent given to someone else, or to something other than marketing.
_NOT_OUR_MARKETING: Final = (
    "partner*", "partenaire*", "third part*", "terzi", "terceros", "dritt*", "privacy",
    "datenschutz*", "privacidad", "confidentialite", "terms", "conditions", "agb",
)  # fmt: skip


def _not_ours(header: str) -> bool:
    words = _header_words(header)
    return any(_phrase_matches(phrase, words) for phrase in _NOT_OUR_MARKETING)


# The fallback for headers no synonym matches (form questions such as "What's your
# email address?"): phrases looked for as whole words in the folded header. A phrase
# ending in "*" also matches the start of a word ("telefon*": "Telefonnummer").
# Kept narrow on purpose: "address" alone would claim "Email address", "title" alone
# "Campaign title", "mail" alone "Mailing list".
KEYWORDS: Mapping[str, tuple[str, ...]] = {
    Field.EMAIL: ("email*", "e mail*", "correo", "courriel"),
    Field.MOBILE: (Field.MOBILE, "cell", "cellphone", "mobil", "movil", "celular", "handynummer"),
    Field.PHONE: ("phone*", "telephone*", "telefon*", "telefono", "tel no"),
    Field.FIRST_NAME: ("first name", "firstname", "given name", "forename", "vorname", "prenom"),
    Field.LAST_NAME: (
        "last name", "lastname", "surname", "family name", "nachname", "apellido*",
    ),
    Field.FULL_NAME: ("your name", "full name", "fullname", "complete name"),
    Field.COMPANY: (
        "company*", "organization*", "organisation*", "employer", "empresa", "firma",
        "unternehmen", "societe", "entreprise",
    ),
    Field.JOB_TITLE: ("job title", "jobtitle", "role", "job function", "designation"),
    Field.WEBSITE: ("website*", "web site", "url", "homepage"),
    Field.COUNTRY: ("country*", "pais", "pays"),
    Field.STATE: (Field.STATE, "province"),
    Field.CITY: (Field.CITY, "town"),
    Field.POSTCODE: ("zip", "zip code", "zipcode", Field.POSTCODE, "post code", "postal code"),
    Field.ADDRESS: ("street", "street address", "postal address", "mailing address"),
    Field.CONSENT: (
        "consent*", "opt in", "optin", "opt out", "agree*", "permission", "gdpr", "rgpd",
        "dsgvo", "unsubscrib*", "abbestell*", "abgemeld*", "abmeld*", "einwillig*",
        "desinscri*", "desabonn*", "desuscri*", "baja", "consenso", "afgemeld*", "afmeld*",
        "uitgeschreven", "toestemming", "disiscri*", "opted out",
        # questions about being mailed: "Don't email me", "Accepts Email Marketing"
        "receive", "recevoir", "recibir", "ricevere", "receber", "ontvangen",
        "email marketing", "marketing email*", "marketing communication*",
        "accepts marketing", "newsletter*", "subscri*", "werbung", "erlaubt", "do not", "don t",
        "dont", "withdraw*", "revoke*", "widerruf*", "send me", "ne pas", "ne plus",
        # a preference centre's answer may be the refusal ("Marketing preferences":
        # Opted out); "Contact preference" (by phone or email) is no consent
        "marketing preference*", "communication preference*", "mailing preference*",
        "subscription preference*",
    ),
    Field.CREATED_AT: (
        "timestamp", "submit date", "submitted at", "submission date", "submission time",
        "registration date", "registration time", "signup date", "created",
    ),
}  # fmt: skip

# Words that make a header a fact about a field rather than the field: "OPTIN_IP" is
# no consent, "Company ID" no company, "Email confirmed date" no email.
_VETO_WORDS: frozenset[str] = frozenset(
    {"ip", "id", "ids", "uuid", "guid", "hash", "count", "rating", "score",
     # a social profile is no company website (the website stage blanks social hosts)
     "linkedin", "twitter", "facebook", "instagram", "xing", "profile",
     # a role in buying ("Role in Purchase Process": Decision Maker) is no job title
     "purchase", "purchasing", "buying"}
)  # fmt: skip
# Words that make a header a fact about a contact point rather than the point itself:
# whether an address works, its domain or kind. "Email Bounced" (true / false) is no
# address, "Phone Type" (Mobile) no number; "Consent Type" may still be consent.
_CONTACT_FACT_WORDS: frozenset[str] = frozenset(
    {"bounce", "bounced", "bounces", "invalid", "valid", "deliverability", "deliverable",
     "undeliverable", "domain", "type", "format",
     # whether it was checked, its state, the extension beside a number; a
     # blocklisted address is an opt-out the synonyms name ("Email Blacklisted")
     "status", "verified", "verification", "confirmed", "extension", "ext", "blacklisted",
     "blocklisted"}
)  # fmt: skip
_CONTACT_POINTS: frozenset[str] = frozenset({Field.EMAIL, Field.PHONE, Field.MOBILE})
# Words naming someone other than the person a row is about: a badge-scan app's
# "Scanner Email" is the exhibitor's rep, a CRM's "Assistant Email" or "Owner Email"
# someone else's, "Created By" a user. Taken as the person's, the rep's address would
# be every lead's he scanned (and merge them). Consent is left to its own checks: a
# consent question may name its sender ("Emails from our partners").
_SOMEONE_ELSE_WORDS: frozenset[str] = frozenset(
    {"assistant", "assistants", "manager", "managers", "referrer", "referrers", "referral",
     "referee", "referred", "owner", "owners", "rep", "reps", "representative", "staff",
     "scanner", "exhibitor", "exhibitors", "partner", "partners", "parent",
     "guardian", "spouse", "emergency", "colleague", "colleagues", "friend", "friends",
     "inviter", "invited", "host", "organizer", "organiser", "speaker", "sender", "by"}
)  # fmt: skip
# Words naming an organisation's own line, not the person's: "Main Phone" (Dynamics'
# account phone), "Switchboard", German "Zentrale".
_COMPANY_LINE_WORDS: frozenset[str] = frozenset(
    {"main", "switchboard", "zentrale", "centrale", "centralino", "centralita", "standard"}
)
_TIME_WORDS: frozenset[str] = frozenset({"date", "time", "timestamp", "utc"})
# A header with a word of each half of a name ("First and last name", "Vorname
# Nachname") asks for the whole name, not the half its words match first.
_FIRST_NAME_WORDS: frozenset[str] = frozenset(
    {"first", "given", "forename", "prenom", "vorname", "voornaam"}
)
_LAST_NAME_WORDS: frozenset[str] = frozenset(
    {"last", "surname", "family", "nom", "nachname", "apellido", "apellidos", "cognome",
     "achternaam"}
)  # fmt: skip
# "time" in a form's consent text ("unsubscribe at any time") names no time of anything.
_TIMELESS_PHRASES: Final = re.compile(r"\b(?:(?:at )?any time|(?:from )?time to time)\b")
# Words of an opting out: the date of one may hold refusals, so it is warned about,
# where the date of a consent (which says neither yes nor no) is not.
_OPT_OUT_WORDS: Final = (
    "opt out", "opted out", "optout", "unsub*", "abbestell*", "abgemeld*", "abmeld*",
    "desinscri*", "desabonn*", "desuscri*", "baja", "afgemeld*", "afmeld*", "uitgeschreven",
    "disiscri*", "withdraw*", "revoke*", "widerruf*",
)  # fmt: skip

# A header naming both fields goes to the first: "Mobile phone" is a mobile, "I agree
# to receive emails" a consent question, not an email column.
_DOMINATES: Mapping[str, frozenset[str]] = {
    Field.MOBILE: frozenset({Field.PHONE}),
    Field.CONSENT: frozenset({Field.EMAIL, Field.PHONE, Field.MOBILE, Field.COMPANY}),
}


def _header_words(header: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\W_]+", _unaccented(header.casefold())) if w)


def _phrase_matches(phrase: str, words: tuple[str, ...]) -> bool:
    wanted = phrase.split()
    prefix = wanted[-1].endswith("*")
    wanted[-1] = wanted[-1].rstrip("*")
    last = len(wanted) - 1
    for start in range(len(words) - last):
        window = words[start : start + len(wanted)]
        if window[:last] == tuple(wanted[:last]) and (
            window[last] == wanted[last] or (prefix and window[last].startswith(wanted[last]))
        ):
            return True
    return False


# Dynamics 365 heads the columns it needs back on re-import "(Do Not Modify) ...": a
# warning to whoever edits the sheet, no "do not" of a consent question.
_DO_NOT_MODIFY: Final = re.compile(r"^\s*\(\s*do\s+not\s+modify\s*\)", re.IGNORECASE)


def guess_field(header: str) -> str | None:
    """The one field a header's words point to, or None when they point to none or
    to several (a header that could be two things is left for a person to map)."""
    words = _header_words(_DO_NOT_MODIFY.sub(" ", header))
    if _VETO_WORDS.intersection(words):
        return None
    if _FIRST_NAME_WORDS.intersection(words) and _LAST_NAME_WORDS.intersection(words):
        return Field.FULL_NAME
    candidates = {
        field
        for field, phrases in KEYWORDS.items()
        if any(_phrase_matches(phrase, words) for phrase in phrases)
    }
    if _CONTACT_FACT_WORDS.intersection(words):
        candidates -= _CONTACT_POINTS
    if _SOMEONE_ELSE_WORDS.intersection(words):
        candidates &= {Field.CONSENT}
    if _COMPANY_LINE_WORDS.intersection(words):
        candidates -= {Field.PHONE, Field.MOBILE}
    if _TIME_WORDS.intersection(_TIMELESS_PHRASES.sub(" ", " ".join(words)).split()):
        # When someone consented (or opted out) is no sign-up date.
        if Field.CONSENT in candidates:
            opted_out = any(_phrase_matches(phrase, words) for phrase in _OPT_OUT_WORDS)
            return Field.CONSENT if opted_out else None
        candidates &= {Field.CREATED_AT}
    for field, beaten in _DOMINATES.items():
        if field in candidates:
            candidates -= beaten
    return candidates.pop() if len(candidates) == 1 else None


@dataclass(frozen=True)
class ColumnMapping:
    """Which input header feeds each canonical field (fields without one are absent).

    `guessed` names the fields whose header matched no synonym, only the keyword
    fallback: the summary shows them as guesses for a person to confirm.
    `fallbacks` holds, per field, the other headers that are synonyms of it: they fill
    the first header's blanks, which is what makes several exports with different
    headers ("Email" in one, "Email Address" in another) land in one field.
    `polarity` gives every consent header's polarity (opt-in or opt-out); all of them
    are read. `unclear` lists consent-like headers left unmapped because only a
    keyword guess pointed at them, and a guess never decides polarity.
    `particles` gives, per field, the headers whose value goes before the field's
    (a Dutch family name's "van den"): mapped to the field, never filling its blanks.
    """

    fields: dict[str, str]
    unmapped: tuple[str, ...]
    overridden: tuple[str, ...] = ()
    guessed: tuple[str, ...] = ()
    fallbacks: dict[str, tuple[str, ...]] = dataclass_field(default_factory=dict)
    polarity: dict[str, str] = dataclass_field(default_factory=dict)
    unclear: tuple[str, ...] = ()
    particles: dict[str, tuple[str, ...]] = dataclass_field(default_factory=dict)

    def all_headers(self) -> tuple[str, ...]:
        """Every input header the mapping saw, mapped or not."""
        mapped = [
            *self.fields.values(),
            *(h for hs in self.fallbacks.values() for h in hs),
            *(h for hs in self.particles.values() for h in hs),
        ]
        return tuple(dict.fromkeys([*mapped, *self.unmapped]))

    def headers_of(self, field: str) -> tuple[str, ...]:
        """Every header feeding `field`, the first one first, its particles last."""
        return (*self.value_headers_of(field), *self.particles.get(field, ()))

    def value_headers_of(self, field: str) -> tuple[str, ...]:
        """The headers holding `field`'s value: the first, then those filling its blanks."""
        if field not in self.fields:
            return ()
        return (self.fields[field], *self.fallbacks.get(field, ()))

    def with_headers_renamed(self, renamed: Mapping[str, str]) -> ColumnMapping:
        """The same mapping after input headers were renamed (`renamed`: old -> new)."""

        def name(header: str) -> str:
            return renamed.get(header, header)

        return ColumnMapping(
            {field: name(h) for field, h in self.fields.items()},
            tuple(map(name, self.unmapped)),
            self.overridden,
            self.guessed,
            {field: tuple(map(name, hs)) for field, hs in self.fallbacks.items()},
            {name(h): polarity for h, polarity in self.polarity.items()},
            tuple(map(name, self.unclear)),
            {field: tuple(map(name, hs)) for field, hs in self.particles.items()},
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "fields": dict(self.fields),
            "fallbacks": {f: list(h) for f, h in self.fallbacks.items()},
            "unmapped": list(self.unmapped),
            "overridden": list(self.overridden),
            "guessed": list(self.guessed),
            "consent_polarity": dict(self.polarity),
            "consent_unclear": list(self.unclear),
            "particles": {f: list(h) for f, h in self.particles.items()},
        }


def map_columns(
    headers: Sequence[str], overrides: Mapping[str, str] | None = None
) -> ColumnMapping:
    """Choose a header for each canonical field.

    `overrides` (field -> header, from the rules file) win; a header named there is
    not considered for any other field. An override naming a header absent from the
    input is ignored here (the input may come from several files) and the field is
    then left to the synonyms. Synonyms are tried on every header before the keyword
    fallback (`guess_field`) is tried on the headers still free, so a guess never
    takes a field a synonym names.
    """
    overrides = _resolved(overrides or {}, headers)
    present = set(headers)
    chosen: dict[str, str] = {
        field: header
        for field, header in overrides.items()
        if header in present and field not in CONSENT_POLARITY_KEYS
    }
    taken = set(chosen.values())
    fallbacks: dict[str, list[str]] = {}
    particles: dict[str, list[str]] = {}
    polarity: dict[str, str] = {}
    if Field.CONSENT in chosen:
        # A named consent header keeps the polarity its name says; else it is an opt-in.
        named = header_synonym(chosen[Field.CONSENT])
        polarity[chosen[Field.CONSENT]] = (named.polarity if named else None) or OPT_IN
    for key, key_polarity in CONSENT_POLARITY_KEYS.items():
        header = overrides.get(key)
        if header is None or header not in present or header in taken:
            continue
        if Field.CONSENT in chosen:
            fallbacks.setdefault(Field.CONSENT, []).append(header)
        else:
            chosen[Field.CONSENT] = header
        taken.add(header)
        polarity[header] = key_polarity
    for header in headers:
        synonym = None if header in taken else header_synonym(header)
        if synonym is None:
            continue
        field = synonym.field
        if synonym.particle:
            particles.setdefault(field, []).append(header)
        elif field not in chosen:
            chosen[field] = header
        # An override names the one header to use, except for consent: every consent
        # column is read, so that no opt-out is ever left out.
        elif field not in overrides or synonym.polarity is not None:
            fallbacks.setdefault(field, []).append(header)
        else:
            continue
        taken.add(header)
        if synonym.polarity is not None:
            polarity[header] = synonym.polarity
    guessed: list[str] = []
    unclear: list[str] = []
    for header in headers:
        if header in taken or header_synonym(header) is not None:
            continue
        guess = guess_field(header)
        if guess == Field.CONSENT:
            unclear.append(header)
        elif guess is not None and guess not in chosen:
            chosen[guess] = header
            taken.add(header)
            guessed.append(guess)
    # A particle with no value to go before is passed through as it came.
    for field in [f for f in particles if f not in chosen]:
        taken.difference_update(particles.pop(field))
    ordered = {field: chosen[field] for field in FIELDS if field in chosen}
    unmapped = tuple(h for h in headers if h not in taken)
    return ColumnMapping(
        ordered,
        unmapped,
        tuple(
            sorted(f for f, header in overrides.items() if _applied(f, header, chosen, fallbacks))
        ),
        tuple(f for f in FIELDS if f in guessed),
        {field: tuple(fallbacks[field]) for field in FIELDS if field in fallbacks},
        polarity,
        tuple(unclear),
        {field: tuple(particles[field]) for field in FIELDS if field in particles},
    )


def _resolved(overrides: Mapping[str, str], headers: Sequence[str]) -> dict[str, str]:
    """`overrides` with each header as the input spells it: a person copies "baja" from
    a file whose header is "Baja", so an override meets a header as a synonym does
    (`fold_header`), the header written exactly first. One that folds like several
    headers is left as written: which one was meant is not known."""
    present = set(headers)
    by_fold: dict[str, list[str]] = {}
    for header in headers:
        by_fold.setdefault(fold_header(header), []).append(header)
    resolved: dict[str, str] = {}
    for field, header in overrides.items():
        alike = by_fold.get(fold_header(header), [])
        resolved[field] = header if header in present or len(alike) != 1 else alike[0]
    return resolved


def _applied(
    key: str, header: str, chosen: Mapping[str, str], fallbacks: Mapping[str, list[str]]
) -> bool:
    """Whether the override `key` = `header` decided a mapping."""
    if key in CONSENT_POLARITY_KEYS:
        return header in (chosen.get(Field.CONSENT), *fallbacks.get(Field.CONSENT, ()))
    return chosen.get(key) == header


def unused_overrides(
    overrides: Mapping[str, str], mappings: Sequence[ColumnMapping], *, crm: bool = False
) -> dict[str, str]:
    """The ``[columns]`` entries (field -> header) whose header none of the inputs
    has: written for another export, or misspelt. ``record_id`` is the CRM export's,
    never the leads': with `crm` (`mappings` are the CRM export's) it is the only
    entry looked at."""
    used = {f for m in mappings for f in m.overridden}
    return {
        field: header
        for field, header in overrides.items()
        if field not in used and (field == Field.RECORD_ID) == crm
    }


def override_warnings(
    where: str,
    overrides: Mapping[str, str],
    mappings: Sequence[ColumnMapping],
    *,
    crm_export: str | None = None,
) -> list[str]:
    """One line per ``[columns]`` entry (`where` names the rules file) whose header no
    input has (or, given `crm_export`, the CRM export lacks), saying where the field
    comes from instead."""
    lacking = f"the CRM export {crm_export} has no" if crm_export else "no input has a"
    warnings = []
    for field, header in unused_overrides(overrides, mappings, crm=bool(crm_export)).items():
        source = Field.CONSENT if field in CONSENT_POLARITY_KEYS else field
        chosen = [m.fields[source] for m in mappings if source in m.fields]
        fate = f"{source} comes from {chosen[0]!r}" if chosen else f"{source} stays unmapped"
        warnings.append(
            f"{where}: columns.{field}: {lacking} column {header!r}; {fate}"
            + _close_header(header, mappings)
        )
    return warnings


def _close_header(header: str, mappings: Sequence[ColumnMapping]) -> str:
    """`` (did you mean 'X'?)`` for the input header most like `header` (compared
    folded, as overrides meet headers), when one is close; else empty."""
    headers = {h: fold_header(h) for m in mappings for h in m.all_headers()}
    close = process.extractOne(
        fold_header(header), headers, scorer=fuzz.ratio, score_cutoff=_CLOSE_HEADER_SCORE
    )
    return f" (did you mean {close[2]!r}?)" if close else ""


def merge_mappings(mappings: Sequence[ColumnMapping]) -> ColumnMapping:
    """The run's mapping of several files, each mapped alone: per field the first
    file's header, then every other header feeding it. A header that some file
    leaves unmapped stays unmapped in the run (passed through), so no file's values
    are dropped from the outputs for another file's sake."""
    unmapped = dict.fromkeys(h for m in mappings for h in m.unmapped)
    headers: dict[str, dict[str, None]] = {}
    particles: dict[str, dict[str, None]] = {}
    for m in mappings:
        for field in m.fields:
            mapped = [h for h in m.value_headers_of(field) if h not in unmapped]
            headers.setdefault(field, {}).update(dict.fromkeys(mapped))
            before = [h for h in m.particles.get(field, ()) if h not in unmapped]
            particles.setdefault(field, {}).update(dict.fromkeys(before))
    fields = {f: next(iter(headers[f])) for f in FIELDS if headers.get(f)}
    guessed = {f for m in mappings for f in m.guessed if m.fields[f] == fields.get(f)}
    return ColumnMapping(
        fields,
        tuple(unmapped),
        tuple(sorted({f for m in mappings for f in m.overridden})),
        tuple(f for f in FIELDS if f in guessed),
        {f: tuple(list(headers[f])[1:]) for f in fields if len(headers[f]) > 1},
        {h: p for m in mappings for h, p in m.polarity.items() if h not in unmapped},
        tuple(dict.fromkeys(h for m in mappings for h in m.unclear)),
        {f: tuple(particles[f]) for f in fields if particles.get(f)},
    )


def free_name(name: str, reserved: Iterable[str]) -> str:
    """`name`, or `name (input)`, `name (input 2)`... when it collides with a reserved name."""
    reserved = set(reserved)
    if name not in reserved and not name.startswith(INTERNAL_PREFIXES):
        return name
    candidate, n = f"{name} (input)", 2
    while candidate in reserved:
        candidate, n = f"{name} (input {n})", n + 1
    return candidate


def add_raw_fields(lf: pl.LazyFrame, mapping: ColumnMapping) -> pl.LazyFrame:
    """Add ``raw.<field>`` for every canonical field: per row the first of its headers
    that holds a value, else null. Consent also gets every consent column's answer,
    per polarity, in a list (`raw_consent`): all of them are read, not the first; and
    the values of the consent-like columns nobody can read (`UNCLEAR_CONSENT`)."""
    consent_headers = mapping.headers_of(Field.CONSENT)
    answers = {
        polarity: [h for h in consent_headers if mapping.polarity.get(h, OPT_IN) == polarity]
        for polarity in POLARITIES
    }
    return lf.with_columns(
        *(
            (
                _with_particle(
                    pl.coalesce(
                        [pl.col(h).cast(pl.String) for h in mapping.value_headers_of(field)]
                    ),
                    mapping.particles.get(field, ()),
                )
                if field in mapping.fields
                else pl.lit(None, dtype=pl.String)
            ).alias(raw(field))
            for field in FIELDS
        ),
        *(
            (
                pl.concat_list([pl.col(h).cast(pl.String) for h in headers])
                if headers
                else pl.lit([], dtype=pl.List(pl.String))
            ).alias(raw_consent(polarity))
            for polarity, headers in answers.items()
        ),
        (
            pl.concat_list([pl.col(h).cast(pl.String) for h in mapping.unclear])
            if mapping.unclear
            else pl.lit([], dtype=pl.List(pl.String))
        ).alias(UNCLEAR_CONSENT),
    )


def _with_particle(value: pl.Expr, particle_headers: Sequence[str]) -> pl.Expr:
    """`value` with the particle its row holds before it ("van den" + "Berg"), unless
    the value already starts with it. A particle alone is no value: it is dropped."""
    if not particle_headers:
        return value
    particle = pl.coalesce(
        [pl.col(h).cast(pl.String).str.strip_chars().replace("", None) for h in particle_headers]
    )
    typed_twice = (
        value.str.strip_chars_start()
        .str.to_lowercase()
        .str.starts_with(particle.str.to_lowercase() + " ")
    )
    nothing_to_add = particle.is_null() | value.is_null() | (value.str.strip_chars() == "")
    return (
        pl.when(nothing_to_add | typed_twice)
        .then(value)
        .otherwise(particle + " " + value.str.strip_chars_start())
    )


def untaken_columns(frame: pl.DataFrame, mapping: ColumnMapping) -> frozenset[str]:
    """The headers filling a field's blanks (`fallbacks`) that hold, on some row, a
    value the field did not take: LinkedIn's "Work Email" beside "Email Address".
    The clean column shows one value per row; the other must not be lost. Consent
    columns are all read, none is untaken."""
    holds_another: list[pl.Expr] = []
    for field, headers in mapping.fallbacks.items():
        if field == Field.CONSENT or raw(field) not in frame.columns:
            continue
        taken = pl.col(raw(field)).cast(pl.String).str.strip_chars()
        for header in (h for h in headers if h in frame.columns):
            value = pl.col(header).cast(pl.String).str.strip_chars()
            other = (value != "") & (taken.is_null() | (value != taken))
            holds_another.append(other.fill_null(False).any().alias(header))
    if not holds_another:
        return frozenset()
    # One pass over the frame for every such column.
    found = frame.select(holds_another).row(0, named=True)
    return frozenset(header for header, holds in found.items() if holds)
