"""A labelled export for the normalisation figures: countries, phones, test entries.

    python bench/normalize_generate.py [ROWS] [--out DIR] [--seed N]

Writes DIR/export.csv (what a marketer exports: Email, First Name, Last Name,
Company, Phone, Country) and DIR/labels.csv (per data row: the true E.164, the true
ISO country, whether the row is a test entry, its split and the variants it used).

Every variant (a way to write a country, a way to write a phone, a kind of test
entry) belongs to one of two halves by a stable hash of its name: TUNING or
HELD-OUT. A row is drawn in one half and uses only that half's variants, so the
held-out rows carry spellings, phone forms and test identities the tuning half never
showed. Tune on the tuning figures only; report both (bench/normalize_score.py).

Country spellings come from ISO 3166 (pycountry), the IOC/FIFA codes written here
from the official lists, and CLDR names (babel) in the languages of the people in
the file, plus the shapes exports use ("Germany (DE)", "DE - Germany", upper and
lower case). Phones are real-shaped numbers (phonenumbers' example numbers with
their last digits redrawn, kept only when valid) in national, international, 00,
tel:, "(0)", digits-only and spreadsheet-damaged forms, with the region carried by
the row's country, the email's country domain or the file's main country. People are
Faker names of ten locales, with surnames that are also words (Sales). About one row
in twenty is a test entry. The file is German-led (most rows in Germany), as an
export of a German trade fair would be.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
import polars as pl
import pycountry
from babel import Locale
from faker import Faker
from phonenumbers import PhoneNumberFormat, PhoneNumberType

SPLITS = ("tuning", "held_out")

# Country -> (Faker locale, email country domain, IOC/FIFA code, languages of CLDR names).
COUNTRIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "DE": ("de_DE", "de", "GER", ("de", "en", "fr", "pl", "ja", "ru")),
    "AT": ("de_AT", "at", "AUT", ("de", "en", "it")),
    "CH": ("de_CH", "ch", "SUI", ("de", "fr", "it", "en", "rm")),
    "FR": ("fr_FR", "fr", "FRA", ("fr", "en", "de", "es")),
    "GB": ("en_GB", "co.uk", "GBR", ("en", "de", "fr", "pl")),
    "ES": ("es_ES", "es", "ESP", ("es", "en", "ca", "de")),
    "IT": ("it_IT", "it", "ITA", ("it", "en", "de")),
    "NL": ("nl_NL", "nl", "NED", ("nl", "en", "de", "fr")),
    "PT": ("pt_PT", "pt", "POR", ("pt", "en", "es")),
    "BR": ("pt_BR", "com.br", "BRA", ("pt", "en", "es")),
    "PL": ("pl_PL", "pl", "POL", ("pl", "en", "de")),
    "DK": ("da_DK", "dk", "DEN", ("da", "en", "de", "sv")),
    "ZA": ("en_US", "co.za", "RSA", ("en", "af", "zu")),
    "JP": ("ja_JP", "co.jp", "JPN", ("ja", "en", "zh")),
    "US": ("en_US", "com", "USA", ("en", "es")),
    "GR": ("el_GR", "gr", "GRE", ("el", "en", "de")),
    "KR": ("ko_KR", "co.kr", "KOR", ("ko", "en", "ja")),
    "SE": ("sv_SE", "se", "SWE", ("sv", "en", "de")),
}
# A German trade fair: most people in Germany, the rest spread.
WEIGHTS = {"DE": 40, **{code: 4 for code in COUNTRIES if code != "DE"}}

COMPANIES = ("Lumen", "Grenier", "Pimenta", "Nordlicht", "Vasquez", "Kowal", "Tanaka",
             "Aalto", "Berger", "Costa", "Dijkstra", "Esposito", "Fischer", "Moreau")  # fmt: skip
FREE_MAIL = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com")


def split_of(variant: str) -> str:
    """The half a variant belongs to: a stable hash of its name."""
    digest = hashlib.sha256(variant.encode("utf-8")).digest()
    return SPLITS[digest[0] % 2]


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def country_spellings(code: str) -> list[str]:
    """The ways exports write the country (deduplicated, in a stable order)."""
    country = pycountry.countries.get(alpha_2=code)
    assert country is not None
    names = [country.name, getattr(country, "common_name", None)]
    names.append(getattr(country, "official_name", None))
    for language in COUNTRIES[code][3]:
        names.append(Locale.parse(language).territories.get(code))
    names = [n for n in names if n]
    english = names[0]
    shapes = [code, code.lower(), country.alpha_3, COUNTRIES[code][2]]
    shapes += names + [n.upper() for n in names[:3]] + [_ascii(n) for n in names]
    shapes += [f"{english} ({code})", f"{code} - {english}", f"{names[-1]} ({code})"]
    return list(dict.fromkeys(s for s in shapes if s))


@dataclass(frozen=True)
class PhoneForm:
    name: str
    # (number, region) -> the cell text
    write: Callable[[phonenumbers.PhoneNumber, str], str]
    # where the region comes from: the row's "country", its "email" domain, the "file"
    carried_by: str = "country"


def _national(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


PHONE_FORMS = (
    PhoneForm("e164", lambda n, r: phonenumbers.format_number(n, PhoneNumberFormat.E164)),
    PhoneForm(
        "international",
        lambda n, r: phonenumbers.format_number(n, PhoneNumberFormat.INTERNATIONAL),
    ),
    PhoneForm("double_zero", lambda n, r: "00" + _digits(phonenumbers.format_number(n, 1))),
    PhoneForm("tel_uri", lambda n, r: phonenumbers.format_number(n, PhoneNumberFormat.RFC3966)),
    PhoneForm("national", lambda n, r: _national(n)),
    PhoneForm("national_dashes", lambda n, r: _national(n).replace(" ", "-")),
    PhoneForm("national_digits", lambda n, r: _digits(_national(n))),
    PhoneForm(
        "trunk_in_brackets",
        lambda n, r: f"+{n.country_code} (0) {phonenumbers.national_significant_number(n)}",
    ),
    PhoneForm(
        "code_without_plus",
        lambda n, r: f"{n.country_code}{phonenumbers.national_significant_number(n)}",
    ),
    PhoneForm("national_by_email_domain", lambda n, r: _national(n), carried_by="email"),
    PhoneForm("national_by_file_country", lambda n, r: _national(n), carried_by="file"),
    PhoneForm(
        "lost_leading_zero",
        lambda n, r: (
            _digits(_national(n)).lstrip("0") if _national(n).startswith("0") else _national(n)
        ),
    ),
)


@dataclass(frozen=True)
class TestEntry:
    name: str
    first: str
    last: str
    email: str | None  # None: a plausible address of its own; "{n}" numbers it


TEST_ENTRIES = (
    TestEntry("john_doe", "John", "Doe", None),
    TestEntry("jane_doe", "Jane", "Doe", None),
    TestEntry("max_mustermann", "Max", "Mustermann", None),
    TestEntry("erika_musterfrau", "Erika", "Musterfrau", None),
    TestEntry("erika_mustermann", "Erika", "Mustermann", None),
    TestEntry("otto_normal", "Otto", "Normalverbraucher", None),
    TestEntry("fulano", "Fulano", "de Tal", None),
    TestEntry("ze_ninguem", "Zé", "Ninguém", None),
    TestEntry("jean_untel", "Jean", "Untel", None),
    TestEntry("jan_modaal", "Jan", "Modaal", None),
    TestEntry("yamada_taro", "太郎", "山田", None),
    TestEntry("yamada_hanako", "花子", "山田", None),
    TestEntry("mario_rossi_other", "Mario", "Rossi", "laura.bianchi{n}@acme-eventi.it"),
    TestEntry("jan_kowalski_other", "Jan", "Kowalski", "marketing{n}@firma-kowal.pl"),
    TestEntry("juan_perez_other", "Juan", "Pérez", "lucia.ortega{n}@empresa.es"),
    TestEntry("mickey", "Mickey", "Mouse", None),
    TestEntry("donald_duck", "Donald", "Duck", None),
    TestEntry("homer", "Homer", "Simpson", None),
    TestEntry("sherlock", "Sherlock", "Holmes", None),
    TestEntry("elvis", "Elvis", "Presley", None),
    TestEntry("test_test", "Test", "Test", None),
    TestEntry("test_user", "Test", "User", None),
    TestEntry("asdf", "asdf", "asdf", None),
    TestEntry("qwertz", "Qwertz", "Uiop", None),
    TestEntry("vorname", "Vorname", "Nachname", None),
    TestEntry("prenom", "Prénom", "Nom", None),
    TestEntry("example_de", "Anna", "Becker", "anna.becker{n}@example.de"),
    TestEntry("example_fr", "Claire", "Petit", "claire{n}@example.fr"),
    TestEntry("example_couk", "Tom", "Hughes", "tom.hughes{n}@example.co.uk"),
    TestEntry("test_com", "Lena", "Wolf", "lena{n}@test.com"),
    TestEntry("test_de", "Paul", "Klein", "p.klein{n}@test.de"),
    TestEntry("xxx", "Sven", "Lund", "xxx@xxx.xx"),
    TestEntry("mash_mail", "Nina", "Roth", "asdf{n}@asdf.de"),
    TestEntry("beispiel", "Jonas", "Brandt", "jonas{n}@beispiel.de"),
    TestEntry("exemplo", "Ana", "Souza", "ana{n}@exemplo.com.br"),
    TestEntry("foo_bar", "Kai", "Vogel", "foo{n}@bar.com"),
)

# Real people whose surname is also a word a form-spam list may hold.
WORD_SURNAMES = (
    ("BR", "Alexia", "Sales"),
    ("PT", "João", "Sales"),
    ("BR", "Marcos", "Sales"),
    ("GB", "Lucy", "Office"),
    ("US", "Mark", "Sample"),
    ("IT", "Giulia", "Test"),
)


def _valid_number(region: str, rng: random.Random) -> phonenumbers.PhoneNumber:
    examples = [
        e
        for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE)
        if (e := phonenumbers.example_number_for_type(region, kind)) is not None
    ]
    while True:
        number = phonenumbers.PhoneNumber()
        number.merge_from(rng.choice(examples))
        national = phonenumbers.national_significant_number(number)
        tail = min(4, len(national) - 2)
        redrawn = national[:-tail] + "".join(rng.choice("0123456789") for _ in range(tail))
        candidate = phonenumbers.parse(f"+{number.country_code}{redrawn}", None)
        if phonenumbers.is_valid_number(candidate) and len(set(redrawn)) > 2:
            return candidate


def generate(rows: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = random.Random(seed)
    fakers = {code: Faker(COUNTRIES[code][0]) for code in COUNTRIES}
    for offset, faker in enumerate(fakers.values()):
        faker.seed_instance(seed + offset)
    spellings = {
        split: {code: [s for s in country_spellings(code) if split_of(f"country:{s}") == split]
                for code in COUNTRIES}
        for split in SPLITS
    }  # fmt: skip
    forms = {
        split: [f for f in PHONE_FORMS if split_of(f"phone:{f.name}") == split] for split in SPLITS
    }
    tests = {
        split: [t for t in TEST_ENTRIES if split_of(f"test:{t.name}") == split] for split in SPLITS
    }
    codes, weights = list(WEIGHTS), list(WEIGHTS.values())
    export, labels = [], []
    for n in range(rows):
        split = SPLITS[n % 2]
        code = rng.choices(codes, weights)[0]
        faker = fakers[code]
        first, last = faker.first_name(), faker.last_name()
        if rng.random() < 0.01:
            code, first, last = rng.choice(WORD_SURNAMES)
        tld = COUNTRIES[code][1]
        company = rng.choice(COMPANIES)
        local = _ascii(f"{first}.{last}").lower().replace(" ", "")
        local = "".join(c for c in local if c.isalnum() or c == ".") or "contact"
        email = f"{local}{n}@{company.lower()}.{tld}"
        test = rng.random() < 0.05 and bool(tests[split])
        entry = rng.choice(tests[split]) if test else None
        if entry is not None:
            first, last = entry.first, entry.last
            if entry.email is not None:
                email = entry.email.format(n=n)
        number = _valid_number(code, rng)
        form = rng.choice(forms[split])
        phone = form.write(number, code)
        country_spelling = rng.choice(spellings[split][code] or [code])
        if form.carried_by == "email" and tld == "com":
            # A generic domain carries no country: the number must say it.
            form = next(f for f in PHONE_FORMS if f.name == "international")
            phone = form.write(number, code)
        elif form.carried_by == "email":
            country_spelling = ""
        elif form.carried_by == "file":
            # Only the file's main country can be implied by the file.
            if code == "DE":
                country_spelling = ""
                email = f"{local}{n}@{rng.choice(FREE_MAIL)}"
            else:
                form = next(f for f in PHONE_FORMS if f.name == "international")
                phone = form.write(number, code)
        export.append(
            {"Email": email, "First Name": first, "Last Name": last,
             "Company": f"{company} GmbH" if code == "DE" else company, "Phone": phone,
             "Country": country_spelling}
        )  # fmt: skip
        labels.append(
            {"row": n + 1, "split": split,
             "true_e164": phonenumbers.format_number(number, PhoneNumberFormat.E164),
             "true_country": code, "country_given": country_spelling != "",
             "country_spelling": country_spelling, "phone_form": form.name,
             "is_test": entry is not None, "test_kind": entry.name if entry else None}
        )  # fmt: skip
    return pl.DataFrame(export), pl.DataFrame(labels)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="?", default=10_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/normalize_bench"))
    parser.add_argument("--seed", type=int, default=20261130)
    opts = parser.parse_args()
    export, labels = generate(opts.rows, opts.seed)
    opts.out.mkdir(parents=True, exist_ok=True)
    export.write_csv(opts.out / "export.csv")
    labels.write_csv(opts.out / "labels.csv")
    print(f"{opts.rows:,} rows -> {opts.out / 'export.csv'}, labels in {opts.out / 'labels.csv'}")


if __name__ == "__main__":
    main()
