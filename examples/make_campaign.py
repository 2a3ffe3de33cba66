"""Regenerate examples/campaign.csv and examples/crm.csv: a messy webinar export.

Deterministic (fixed seed, hand-made pools) so the expected outputs beside it stay
valid. The trouble in it is deliberate and named in ``TRAPS`` below.

    python examples/make_campaign.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).parent
HEADER = [
    "First Name",
    "Last Name",
    "E-mail Address",
    "Phone Number",
    "Company Name",
    "Job Title",
    "Country/Region",
    "Registration Time",
    "Opt-in",
    "Lead Source",
    "Notes",
]

FIRST = [
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Felix",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Karin",
    "Luca",
    "Marta",
    "Niels",
    "Olivia",
    "Pablo",
    "Queenie",
    "Rafael",
    "Sofia",
    "Tomás",
    "Ursula",
    "Victor",
    "Wiebke",
    "Xavier",
    "Yara",
    "Zoltán",
    "Amélie",
    "Björn",
    "Chloé",
    "Dörte",
    "Émile",
    "Fátima",
    "Gustav",
    "Hélène",
    "Ilse",
    "Jürgen",
    "Kenji",
    "Léa",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Ramón",
    "Søren",
    "Thea",
    "Ulrich",
]
LAST = [
    "Schmidt",
    "Garcia",
    "Rossi",
    "Dubois",
    "Jansen",
    "Novak",
    "Kowalski",
    "Silva",
    "Andersson",
    "Murphy",
    "Weber",
    "Lefèvre",
    "Martínez",
    "Bianchi",
    "de Vries",
    "Horvath",
    "Nielsen",
    "O'Brien",
    "Papadopoulos",
    "Fischer",
    "Moreau",
    "Fernández",
    "Ricci",
    "Bakker",
    "Svensson",
    "Walsh",
    "Hoffmann",
    "Laurent",
    "López",
    "Conti",
    "Visser",
    "Berg",
    "Kelly",
    "Schäfer",
    "Girard",
    "Ruiz",
    "Marino",
    "Smit",
    "Lund",
]
COMPANIES = [
    ("Northwind Traders", "northwind-traders.com", "US", "+1 415 692 {:04d}"),
    ("Brightlane GmbH", "brightlane.de", "DE", "+49 30 {:07d}"),
    ("Solvane SAS", "solvane.fr", "FR", "01 42 {:02d} {:02d} {:02d}"),
    ("Kestrel Analytics Ltd", "kestrel-analytics.co.uk", "GB", "020 7946 {:04d}"),
    ("Iberia Logística S.L.", "iberialogistica.es", "ES", "+34 91 {:03d} {:04d}"),
    ("Veldhoven B.V.", "veldhoven.nl", "NL", "+31 20 {:03d} {:04d}"),
    ("Lumen Robotics, Inc.", "lumenrobotics.com", "US", "(212) 736-{:04d}"),
    ("Alpenblick AG", "alpenblick.ch", "Switzerland", "+41 44 {:03d} {:02d} {:02d}"),
    ("Fjordline AS", "fjordline.no", "Norway", "+47 22 {:02d} {:02d} {:02d}"),
    ("Cortado Software S.r.l.", "cortado.it", "Italia", "+39 02 {:04d} {:04d}"),
]
COUNTRY_SPELLINGS = {
    "US": ["United States", "USA", "U.S.A.", "US"],
    "DE": ["Germany", "Deutschland", "DE"],
    "FR": ["France", "FR"],
    "GB": ["United Kingdom", "UK", "Great Britain", "England"],
    "ES": ["Spain", "España"],
    "NL": ["Netherlands", "Holland", "The Netherlands"],
}
TITLES = [
    "Marketing Manager",
    "Head of Sales",
    "CEO",
    "Software Engineer",
    "VP Marketing",
    "Geschäftsführer",
    "Directeur commercial",
    "Data Analyst",
    "Product Owner",
    "Director of Operations",
    "Teamleiter Einkauf",
    "Responsable marketing",
    "CTO",
    "Account Executive",
    "Gerente de ventas",
]
SOURCES = ["Webinar: Data Quality 101", "Trade show Berlin", "White paper: CRM hygiene"]
OPT_IN = ["Yes", "yes", "Y", "TRUE", "1", "opted in", "ja", "oui", "", "No"]

# Rows that each show one kind of trouble: (first, last, email, phone, company,
# title, country, opt-in, notes)
TRAPS: list[list[str]] = [
    [
        "José",
        "Müller",
        "jose.mueller@brightlane.de",
        "+49 30 1234567",
        "Brightlane GmbH",
        "Leiter Vertrieb",
        "Deutschland",
        "ja",
        "accents",
    ],
    [
        "JOHN",
        "SMITH",
        "John.Smith@Lumenrobotics.com",
        "(212) 736-0142",
        "Lumen Robotics, Inc.",
        "CFO",
        "USA",
        "Yes",
        "all caps, quoted comma in company",
    ],
    [
        "john",
        "smith",
        "john.smith@lumenrobotics.com ",
        "212-736-0142",
        "Lumen Robotics Inc",
        "CFO",
        "United States",
        "yes",
        "duplicate of the row above, other spelling",
    ],
    [
        "Robert",
        "Kelly",
        "bob.kelly@gmail.com",
        "+353 87 123 4567",
        "Kelly Consulting",
        "Owner",
        "Ireland",
        "Yes",
        "free mail",
    ],
    [
        "Bob",
        "Kelly",
        "b.o.b.kelly+webinar@gmail.com",
        "087 123 4567",
        "Kelly Consulting",
        "Owner",
        "Ireland",
        "Yes",
        "duplicate: nickname, gmail dots and +tag",
    ],
    [
        "Zoë",
        "Lefèvre",
        "zoe.lefevre@mailinator.com",
        "06 12 34 56 78",
        "Solvane SAS",
        "Chargée de mission",
        "France",
        "oui",
        "disposable address",
    ],
    [
        "",
        "",
        "info@veldhoven.nl",
        "+31 20 555 0199",
        "Veldhoven B.V.",
        "",
        "Holland",
        "Yes",
        "role address, no name",
    ],
    [
        "Sarah",
        "Connor",
        "sarah.connor@gmial.com",
        "",
        "Cyberdyne",
        "Security lead",
        "US",
        "Yes",
        "typo in a free-mail domain",
    ],
    ["Test", "Test", "test@test.com", "1234567", "Test", "Test", "", "", "fake entry"],
    ["Mickey", "Mouse", "mickey@disney-fans.example.com", "", "", "", "", "", "fake name"],
    [
        "Karl",
        "Berg",
        "karl.berg@",
        "+49 89 9876543",
        "Alpenblick AG",
        "Einkauf",
        "Schweiz",
        "ja",
        "invalid email, valid phone",
    ],
    [
        "Maria",
        "Santos",
        "maria.santos at iberialogistica.es",
        "",
        "Iberia Logística S.L.",
        "Becaria",
        "España",
        "sí",
        "invalid email and no phone",
    ],
    [
        "Priya",
        "Nair",
        "priya.nair@kestrel-analytics.co.uk",
        "4.47911E+11",
        "Kestrel Analytics Ltd",
        "Data Scientist",
        "UK",
        "Yes",
        "phone mangled by Excel",
    ],
    [
        "Evil",
        "Cell",
        "evil.cell@northwind-traders.com",
        "+14155550132",
        '=HYPERLINK("http://x","y")',
        "Intern",
        "US",
        "Yes",
        "formula in a cell",
    ],
    [
        "Lena",
        "Vogel",
        "lena.vogel@uni-heidelberg.de",
        "",
        "Universität Heidelberg",
        "Student",
        "Germany",
        "Yes",
        "student",
    ],
    [
        "Tom",
        "Rival",
        "tom.rival@rivalsoft.com",
        "+1 650 253 0100",
        "RivalSoft Inc.",
        "Product Marketing",
        "US",
        "Yes",
        "competitor domain (see rules.example.toml)",
    ],
    [
        "Chris",
        "Leaving",
        "chris.leaving@fjordline.no",
        "+47 22 33 44 55",
        "Fjordline AS",
        "Sales Manager",
        "Norway",
        "unsubscribed",
        "unsubscribed",
    ],
    [
        "Nina",
        "Nocontact",
        "",
        "",
        "Cortado Software S.r.l.",
        "Designer",
        "Italia",
        "",
        "no email, no phone",
    ],
    [
        "Hans",
        "Peter",
        "hans.peter@brightlane.de",
        "030 12345678",
        "Brightlane GmbH",
        "Leiter\nEinkauf",
        "Germany",
        "ja",
        "line break inside a quoted cell",
    ],
    [
        "Ana",
        "García",
        "ana.garcia@iberialogistica.es",
        "555-1234",
        "Iberia Logística S.L.",
        "Gerente de ventas",
        "Spain",
        "sí",
        "possible-only phone",
    ],
]


def _phone(pattern: str, rng: random.Random) -> str:
    fields = pattern.count("{")
    if fields == 1:
        width = int(pattern.split("{:0")[1][0])
        return pattern.format(rng.randrange(10 ** (width - 1), 10**width))
    return pattern.format(*(rng.randrange(10, 99) for _ in range(fields)))


def _ascii(text: str) -> str:
    table = str.maketrans("áéíóúàèìòùäëïöüâêîôûçñøåæšžčćőűÿ", "aeiouaeiouaeiouaeioucnoaeszccouy")
    return text.lower().translate(table).replace("'", "").replace(" ", "")


def _filler(rng: random.Random, count: int) -> list[list[str]]:
    rows = []
    for _ in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company, domain, country, phone_pattern = rng.choice(COMPANIES)
        country_text = rng.choice(COUNTRY_SPELLINGS.get(country, [country]))
        if rng.random() < 0.15:
            email = f"{_ascii(first)}.{_ascii(last)}{rng.randrange(1, 99)}@gmail.com"
        else:
            email = f"{_ascii(first)}.{_ascii(last)}@{domain}"
        if rng.random() < 0.1:
            email = email.upper()
        phone = _phone(phone_pattern, rng) if rng.random() < 0.8 else ""
        rows.append(
            [
                first,
                last,
                email,
                phone,
                company,
                rng.choice(TITLES),
                country_text,
                rng.choice(OPT_IN),
                "",
            ]
        )
    return rows


def _timestamp(rng: random.Random) -> str:
    return (
        f"2026-{rng.randrange(1, 11):02d}-{rng.randrange(1, 28):02d} "
        f"{rng.randrange(8, 20):02d}:{rng.randrange(0, 60):02d}:00"
    )


def main() -> None:
    rng = random.Random(20261127)
    people = _filler(rng, 150)
    # Trouble spread through the file, as it arrives in real exports.
    for offset, trap in enumerate(TRAPS):
        people.insert(5 + offset * 7, trap)
    blank = [""] * len(HEADER)
    rows: list[list[str]] = []
    for index, (first, last, email, phone, company, title, country, opt, notes) in enumerate(
        people
    ):
        rows.append(
            [
                first,
                last,
                email,
                phone,
                company,
                title,
                country,
                _timestamp(rng),
                opt,
                rng.choice(SOURCES),
                notes,
            ]
        )
        if index in (40, 41, 120):
            rows.append(blank)
    # A registrant who came twice with the same address.
    rows.append(list(rows[10]))
    with (HERE / "campaign.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)

    crm_rows = [
        ["0031", "John", "Smith", "john.smith@lumenrobotics.com", "Lumen Robotics", "US"],
        ["0032", "Priya", "Nair", "priya.nair@kestrel-analytics.co.uk", "Kestrel Analytics", "GB"],
        ["0033", "Hélène", "Other", "helene.other@solvane.fr", "Solvane", "FR"],
    ]
    with (HERE / "crm.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Record ID", "First Name", "Last Name", "Email", "Company Name", "Country/Region"]
        )
        writer.writerows(crm_rows)


if __name__ == "__main__":
    main()
