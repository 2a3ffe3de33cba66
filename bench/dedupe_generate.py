"""Labelled generator for the dedupe benchmark: a messy export and a CRM export.

    .venv/bin/python bench/dedupe_generate.py --rows 10000 --crm 100000 --out bench/data/10k

    .venv/bin/python bench/dedupe_generate.py --families heldout --seed 11 --out /tmp/dd/ho

writes ``export.csv`` (headers as real exports have them, plus ``gen_person_id``,
the true person, passed through untouched) and ``crm.csv`` (``Record ID`` and
``gen_person_id``). Persons come from Faker's name lists of seven locales (each
locale's own lists plus, one time in five, another locale's: mixed teams, and a
larger pool than any one list). Duplicate rows of a person carry the variations
people produce: case, gmail dots and +tags, nicknames, one-letter typos, first/last
swapped, the full name in one column, a new phone, work vs personal email, accents
dropped, blank fields. Hard negatives are planted on purpose: namesakes at other
companies, colleagues sharing the switchboard or info@, family members sharing a
personal email or a phone.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import itertools
import random
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import phonenumbers
from faker import Faker

LOCALES = {  # locale -> (weight, region, tld, free-mail domains)
    "en_US": (30, "US", "com", ("gmail.com", "yahoo.com", "outlook.com", "icloud.com")),
    "en_GB": (15, "GB", "co.uk", ("gmail.com", "hotmail.co.uk", "btinternet.com")),
    "de_DE": (15, "DE", "de", ("gmail.com", "web.de", "gmx.de", "t-online.de")),
    "fr_FR": (12, "FR", "fr", ("gmail.com", "orange.fr", "free.fr", "laposte.net")),
    "es_ES": (10, "ES", "es", ("gmail.com", "hotmail.es", "yahoo.es")),
    "it_IT": (10, "IT", "it", ("gmail.com", "libero.it", "virgilio.it")),
    "nl_NL": (8, "NL", "nl", ("gmail.com", "ziggo.nl", "kpnmail.nl")),
}
LEGAL_FORMS = {
    "US": ("Inc", "Inc.", "LLC", "Corp"),
    "GB": ("Ltd", "Limited", "PLC"),
    "DE": ("GmbH", "AG", "GmbH & Co. KG"),
    "FR": ("SARL", "SA", "SAS"),
    "ES": ("S.L.", "S.A."),
    "IT": ("S.p.A.", "S.r.l."),
    "NL": ("B.V.", "N.V."),
}
NICKNAMES = {
    "robert": "bob",
    "william": "bill",
    "katherine": "kate",
    "elizabeth": "liz",
    "james": "jim",
    "michael": "mike",
    "richard": "rick",
    "thomas": "tom",
    "christopher": "chris",
    "jennifer": "jen",
    "margaret": "peggy",
    "joseph": "joe",
    "daniel": "dan",
    "anthony": "tony",
    "matthew": "matt",
    "patricia": "pat",
    "alexander": "alex",
    "benjamin": "ben",
    "nicholas": "nick",
    "samuel": "sam",
    "edward": "ed",
    "jonathan": "jon",
    "timothy": "tim",
    "stephen": "steve",
    "catherine": "cathy",
    "rebecca": "becky",
    "susan": "sue",
    "andrew": "andy",
    "amanda": "mandy",
    "deborah": "debbie",
    "jessica": "jess",
    "victoria": "vicky",
    "kimberly": "kim",
    "jacqueline": "jackie",
}
JOB_TITLES = (
    "Marketing Manager",
    "CTO",
    "Head of Sales",
    "Data Analyst",
    "CEO",
    "Procurement Lead",
    "Software Engineer",
    "HR Director",
    "Consultant",
)
SOURCES = ("Webinar", "White paper", "Trade show", "Website", "Partner", "Event")
HEADERS = [
    "Email",
    "First Name",
    "Last Name",
    "Company",
    "Phone",
    "Country",
    "Job Title",
    "Created",
    "Lead Source",
    "gen_person_id",
]
CRM_HEADERS = [
    "Record ID",
    "Email",
    "First Name",
    "Last Name",
    "Company",
    "Phone",
    "Country",
    "Job Title",
    "Created",
    "gen_person_id",
]


def _mobile_example(region: str) -> tuple[str, str]:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert example is not None, f"phonenumbers has no mobile example for {region}"
    return str(example.country_code), str(example.national_number)


_MOBILE_EXAMPLES = {region: _mobile_example(region) for _, region, _, _ in LOCALES.values()}
_COUNTRY_CODES = sorted({code for code, _ in _MOBILE_EXAMPLES.values()}, key=len, reverse=True)


@dataclass(frozen=True)
class Company:
    name: str
    domain: str
    switchboard: str
    region: str


@dataclass(frozen=True)
class Person:
    pid: str
    locale: str
    first: str
    last: str
    company: Company | None
    work_email: str | None
    personal_email: str | None
    phone: str | None
    job_title: str


def _names(locale: str) -> tuple[list[str], list[str]]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    firsts = list(dict.fromkeys([*provider.first_names_male, *provider.first_names_female]))
    return firsts, list(dict.fromkeys(provider.last_names))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", _ascii(text).lower())


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pools = {loc: _names(loc) for loc in LOCALES}
        self.fakers = {loc: Faker(loc) for loc in LOCALES}
        for n, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed + n)
        self.locales = list(LOCALES)
        self.weights = [LOCALES[loc][0] for loc in self.locales]
        self.used_phones: set[str] = set()
        self.used_emails: set[str] = set()
        self.used_domains: set[str] = set()
        self.second_addresses: dict[str, str] = {}
        self.next_pid = 0

    # --- building blocks -------------------------------------------------
    def locale(self) -> str:
        return self.rng.choices(self.locales, self.weights)[0]

    def name(self, locale: str) -> tuple[str, str]:
        first_pool = self.pools[locale if self.rng.random() > 0.2 else self.locale()][0]
        last_pool = self.pools[locale if self.rng.random() > 0.2 else self.locale()][1]
        return self.rng.choice(first_pool), self.rng.choice(last_pool)

    def phone(self, region: str) -> str:
        """A new mobile number: the region's example number with its last seven
        digits drawn at random. The example's range keeps it valid (2,100 drawn
        numbers, 300 per region, all passed phonenumbers.is_valid_number), so no
        per-number check (40 us each) slows the generator."""
        code, national = _MOBILE_EXAMPLES[region]
        keep = max(2, len(national) - 7)
        while True:
            tail = str(self.rng.randrange(2_000_000, 10_000_000))[: len(national) - keep]
            e164 = f"+{code}{national[:keep]}{tail}"
            if e164 not in self.used_phones:
                self.used_phones.add(e164)
                return e164

    def company(self) -> Company:
        locale = self.locale()
        region, tld = LOCALES[locale][1], LOCALES[locale][2]
        while True:
            base = self.fakers[locale].last_name() + self.rng.choice(
                [
                    "",
                    " " + self.fakers[locale].last_name(),
                    " Systems",
                    " Group",
                    " Labs",
                    " Consulting",
                    " Partners",
                    " Solutions",
                    " Logistics",
                    " Foods",
                ]
            )
            domain = f"{_slug(base)}.{tld}"
            if domain not in self.used_domains:
                self.used_domains.add(domain)
                break
        name = f"{base} {self.rng.choice(LEGAL_FORMS[region])}"
        return Company(name, domain, self.phone(region), region)

    def person(
        self,
        company: Company | None,
        locale: str | None = None,
        name: tuple[str, str] | None = None,
    ) -> Person:
        locale = locale or self.locale()
        first, last = name or self.name(locale)
        region, free = LOCALES[locale][1], LOCALES[locale][3]
        self.next_pid += 1
        pid = f"p{self.next_pid:07d}"
        local = f"{_slug(first)}.{_slug(last)}"
        work = None
        if company is not None:
            work = self._unique_email(local, company.domain)
        personal = None
        if company is None or self.rng.random() < 0.5:
            personal = self._unique_email(
                self.rng.choice([local, _slug(first) + _slug(last), local + "." + _slug(last)]),
                self.rng.choice(free),
            )
        phone = self.phone(region) if self.rng.random() < 0.7 else None
        return Person(
            pid, locale, first, last, company, work, personal, phone, self.rng.choice(JOB_TITLES)
        )

    def _second_address(self, person: Person) -> str:
        """Another personal address of the person, the same one every time."""
        if person.pid not in self.second_addresses:
            free = LOCALES[person.locale][3]
            local = f"{_slug(person.first)[:1]}{_slug(person.last)}{self.rng.randrange(1, 99)}"
            self.second_addresses[person.pid] = self._unique_email(local, self.rng.choice(free))
        return self.second_addresses[person.pid]

    def _unique_email(self, local: str, domain: str) -> str:
        email = f"{local}@{domain}"
        while _mailbox(email) in self.used_emails:
            email = f"{local}{self.rng.randrange(10, 9999)}@{domain}"
        self.used_emails.add(_mailbox(email))
        return email

    # --- rows -------------------------------------------------------------
    def row(self, person: Person, variations: tuple[str, ...] = ()) -> dict[str, str]:
        rng = self.rng
        email = person.work_email or person.personal_email
        if "switch_email" in variations:
            email = person.personal_email if email == person.work_email else person.work_email
        if "second_address" in variations:
            email = self._second_address(person)
        if email and "email_alias" in variations:
            local, domain = email.split("@")
            email = f"{local.replace('.', rng.choice(['_', '', '-']))}@{domain}"
        if email and "email_typo" in variations:
            local, domain = email.split("@")
            email = f"{_typo(local, rng)}@{domain}"
        if "drop_email" in variations:
            email = None
        first, last = person.first, person.last
        phone = person.phone
        company = person.company.name if person.company else ""
        if "company_variant" in variations and person.company:
            company = re.sub(r"\s+\S+$", "", company).upper()
        if "nickname" in variations and first.lower() in NICKNAMES:
            first = NICKNAMES[first.lower()].title()
        if "typo" in variations:
            if rng.random() < 0.5:
                first = _typo(first, rng)
            else:
                last = _typo(last, rng)
        if "accents" in variations:
            first, last, company = _ascii(first), _ascii(last), _ascii(company)
        if "new_phone" in variations and person.company:
            phone = self.phone(person.company.region)
        if email and "gmail" in variations and email.endswith("@gmail.com"):
            local, domain = email.split("@")
            local = local.replace(".", "") if "." in local else ".".join(local)
            email = f"{local}+{rng.choice(['news', 'events', 'webinar'])}@{domain}"
        if email and "case" in variations:
            email = email.upper() if rng.random() < 0.5 else email.title()
            first, last = first.upper(), last.lower()
        if "drop_phone" in variations:
            phone = None
        if "drop_company" in variations:
            company = ""
        if "swap" in variations:
            first, last = last, first
        if "comma_name" in variations:
            first, last = f"{last}, {first}", ""
        if "one_column" in variations and last:
            first, last = f"{first} {last}", ""
        return {
            "Email": email or "",
            "First Name": first,
            "Last Name": last,
            "Company": company,
            "Phone": _format_phone(phone, rng) if phone else "",
            "Country": LOCALES[person.locale][1],
            "Job Title": person.job_title,
            "Created": f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            f"T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z",
            "Lead Source": rng.choice(SOURCES),
            "gen_person_id": person.pid,
        }


# Variation families of a duplicate row, in two halves: defaults are tuned on the
# first, and the second is held out to check that they generalise (the held-out
# half is never looked at while tuning). Each half has a name, a contact-point and
# an email family of its own; the families the issue lists as misses are split too.
TUNING_FAMILIES = (
    "case",
    "nickname",
    "swap",
    "new_phone",
    "accents",
    "drop_company",
    "email_alias",  # first_last@ vs first.last@ at the same domain, names and phone agree
    "swap_alias",  # first and last swapped, plus an alias
    "bridged",  # rows with different addresses, linked by one row carrying both keys
)
HELDOUT_FAMILIES = (
    "gmail",
    "typo",
    "one_column",
    "switch_email",
    "drop_phone",
    "company_variant",
    "email_typo",  # a typo in the local part, names and phone agree
    "nickname_no_email",  # Mandy / Amanda, no email, same phone and company
    "comma_name_typo",  # "Shaffer, Karen" in one column plus an email typo
)
FAMILIES = {
    "tuning": TUNING_FAMILIES,
    "heldout": HELDOUT_FAMILIES,
    "all": TUNING_FAMILIES + HELDOUT_FAMILIES,
}
# Families that stand for several row variations at once.
_COMPOUND = {
    "swap_alias": ("swap", "email_alias"),
    "nickname_no_email": ("nickname", "drop_email"),
    "comma_name_typo": ("comma_name", "email_typo"),
}
VARIATIONS = FAMILIES["all"]


def _mailbox(email: str) -> str:
    """The mailbox an address reaches: gmail ignores dots."""
    local, domain = email.split("@")
    return (local.replace(".", "") if domain == "gmail.com" else local) + "@" + domain


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    k = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double", "replace"])
    if kind == "swap":
        return word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    if kind == "drop":
        return word[:k] + word[k + 1 :]
    if kind == "double":
        return word[:k] + word[k] + word[k:]
    return word[:k] + rng.choice("aeiourstnl") + word[k + 1 :]


def _format_phone(e164: str, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.4:  # "+49 1512 1031834": the country code, then groups
        code = next(c for c in _COUNTRY_CODES if e164[1:].startswith(c))
        rest = e164[1 + len(code) :]
        return f"+{code} {rest[:-7]} {rest[-7:-4]} {rest[-4:]}".replace("  ", " ")
    if style < 0.7:
        return e164
    return "00" + e164[1:]


def _duplicate_variations(
    rng: random.Random, families: tuple[str, ...] = VARIATIONS
) -> tuple[str, ...]:
    chosen = rng.sample([f for f in families if f != "bridged"], rng.randrange(1, 4))
    # A duplicate that changes email, phone and company at once is undetectable by
    # anyone; keep one of them stable.
    if "switch_email" in chosen and "new_phone" in chosen and "drop_company" in chosen:
        chosen.remove("drop_company")
    if "nickname_no_email" in chosen:
        # Only the phone and the company link this row: keep them.
        chosen = [c for c in chosen if c not in ("new_phone", "drop_phone", "drop_company")]
    expanded = [v for c in chosen for v in _COMPOUND.get(c, (c,))]
    return tuple(dict.fromkeys(expanded))


@dataclass
class Dataset:
    export: list[dict[str, str]]
    crm: list[dict[str, str]]


def generate(rows: int, crm_rows: int, seed: int, families: str = "all") -> Dataset:
    gen = Generator(seed)
    rng = gen.rng
    companies = [gen.company() for _ in range(max(10, rows // 12))]
    # A few companies are large, most are small (a heavy-tailed size distribution).
    company_weights = list(itertools.accumulate(rng.paretovariate(1.2) for _ in companies))
    export: list[dict[str, str]] = []
    persons: list[Person] = []

    def pick_company() -> Company | None:
        return (
            None if rng.random() < 0.15 else rng.choices(companies, cum_weights=company_weights)[0]
        )

    while len(export) < rows:
        roll = rng.random()
        if roll < 0.02 and persons:  # a namesake at another company
            twin = rng.choice(persons)
            company = pick_company()
            while company is not None and company == twin.company:
                company = pick_company()
            person = gen.person(company, twin.locale, (twin.first, twin.last))
        elif roll < 0.04 and persons:  # a family member sharing email or phone
            relative = rng.choice(persons)
            person = gen.person(
                None, relative.locale, (gen.name(relative.locale)[0], relative.last)
            )
            if relative.personal_email and rng.random() < 0.5:
                person = replace(person, personal_email=relative.personal_email)
            elif relative.phone:
                person = replace(person, phone=relative.phone)
        else:
            person = gen.person(pick_company())
            if person.company and rng.random() < 0.08:  # the switchboard, not a direct line
                person = replace(person, phone=person.company.switchboard)
            if person.company and rng.random() < 0.03:  # the shared info@ address
                person = replace(person, work_email=f"info@{person.company.domain}")
        persons.append(person)
        export.append(gen.row(person))
        if rng.random() < 0.25:
            chosen = FAMILIES[families]
            if "bridged" in chosen and rng.random() < 1 / len(chosen):
                # One row carries the second address and the phone, one only the
                # second address: it reaches the first row only through the bridge.
                export.append(gen.row(person, ("second_address",)))
                export.append(gen.row(person, ("second_address", "drop_phone", "drop_company")))
                continue
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                export.append(gen.row(person, _duplicate_variations(rng, chosen)))
    export = export[:rows]
    rng.shuffle(export)
    crm: list[dict[str, str]] = []
    in_export = list({p.pid: p for p in persons}.values())
    for person in rng.sample(in_export, k=min(int(0.3 * len(in_export)), crm_rows)):
        crm.append(_crm_row(gen, person, len(crm), FAMILIES[families]))
    while len(crm) < crm_rows:
        crm.append(_crm_row(gen, gen.person(pick_company()), len(crm), FAMILIES[families]))
    rng.shuffle(crm)
    return Dataset(export, crm)


def _crm_row(gen: Generator, person: Person, n: int, families: tuple[str, ...]) -> dict[str, str]:
    variations = _duplicate_variations(gen.rng, families) if gen.rng.random() < 0.3 else ()
    row = gen.row(person, variations)
    return {"Record ID": f"003{n:012d}", **{k: row[k] for k in CRM_HEADERS if k != "Record ID"}}


def write(path: Path, headers: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--crm", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--families",
        choices=sorted(FAMILIES),
        default="all",
        help="which half of the duplicate variation families to draw from",
    )
    parser.add_argument("--out", type=Path, default=Path("bench/data/dedupe"))
    args = parser.parse_args()
    data = generate(args.rows, args.crm, args.seed, args.families)
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "export.csv", HEADERS, data.export)
    write(args.out / "crm.csv", CRM_HEADERS, data.crm)
    print(f"{len(data.export)} export rows, {len(data.crm)} CRM records -> {args.out}")


if __name__ == "__main__":
    main()
