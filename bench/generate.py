"""Write a realistic messy export of N rows x 10 columns, fast and deterministic.

    python bench/generate.py 1000000 bench/data/export_1m.csv

Values are drawn from pools with Polars' own sampling (no per-row Python), with the
mix of trouble real exports carry: free-mail and role addresses, typos, invalid
addresses, phones in national and international formats, blanks, accents.
"""

from __future__ import annotations

import importlib
import sys
from functools import cache
from pathlib import Path

import polars as pl

SEED = 20261127

FIRST = [
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Felix",
    "Grace",
    "Hugo",
    "Inès",
    "Jonas",
    "Karin",
    "Luca",
    "Marta",
    "Niels",
    "Olivia",
    "Pablo",
    "Rafael",
    "Sofia",
    "Tomás",
    "Ursula",
    "Victor",
    "Yara",
    "Zoë",
    "Amélie",
    "Björn",
    "Jürgen",
    "Kenji",
    "Priya",
    "JOHN",
    "mary",
    "Jean-Luc",
    "Søren",
    "Fatima",
    "Wei",
    "Olga",
    "Ahmed",
    "Lucía",
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
    "Müller",
    "SMITH",
    "mcdonald",
    "van der Berg",
    "Fernández",
    "Ricci",
    "Bakker",
    "Walsh",
    "Hoffmann",
    "López",
    "Kelly",
    "Nguyen",
]
DOMAINS = [
    "acme.com",
    "brightlane.de",
    "solvane.fr",
    "kestrel.co.uk",
    "iberia-log.es",
    "veldhoven.nl",
    "lumen.io",
    "gmail.com",
    "outlook.com",
    "yahoo.fr",
    "gmx.de",
    "mailinator.com",
    "gmial.com",
    "hotmial.com",
    "web.de",
    "t-online.de",
]
# Real lists are mostly distinct addresses: the numbered templates make them so here.
LOCALS = [
    "{f}.{l}{n3}",
    "{f}{l}{n4}",
    "{f}.{l}",
    "{f}{n4}",
    "info",
    "sales",
    "{f}_{l}{n2}",
    "{l}.{f}{n3}",
    "{f}.{l}.{n4}",
]
PHONES = [
    "+1 415 555 {n4}",
    "(212) 555-{n4}",
    "+49 30 {n7}",
    "030 {n7}",
    "+33 6 12 {n2} {n2} {n2}",
    "06 {n2} {n2} {n2} {n2}",
    "020 7946 {n4}",
    "+44 20 7946 {n4}",
    "555-{n4}",
    "",
    "4.47911E+11",
    "+34 91 {n3} {n4}",
    "0000000000",
]
COMPANIES = [
    "Acme, Inc.",
    "Brightlane GmbH",
    "Solvane SAS",
    "Kestrel Analytics Ltd",
    "Iberia Logística S.L.",
    "Veldhoven B.V.",
    "Lumen Robotics LLC",
    "",
    "n/a",
    "ACME INC",
    "Cortado S.r.l.",
]
TITLES = [
    "Marketing Manager",
    "Head of Sales",
    "CEO",
    "Software Engineer",
    "VP Marketing",
    "Geschäftsführer",
    "Directeur commercial",
    "Student",
    "Intern",
    "",
    "CTO",
    "Gerente de ventas",
    "Data Analyst",
]
COUNTRIES = [
    "United States",
    "USA",
    "Germany",
    "Deutschland",
    "France",
    "UK",
    "England",
    "Spain",
    "España",
    "Netherlands",
    "Holland",
    "",
    "Narnia",
    "DE",
    "US",
    "GB",
]
CREATED = ["2026-03-04 14:05:00", "03/04/2026", "2026-11-01", "4 Mar 2026", ""]
OPTIN = ["Yes", "No", "", "TRUE", "unsubscribed", "ja", "oui", "1"]
SOURCES = ["Webinar", "Trade show Berlin", "White paper", "Google Ads", ""]


LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL"]
LEGAL_FORMS = ["Inc.", "GmbH", "SAS", "Ltd", "S.L.", "B.V.", "LLC", "AG", "S.r.l.", "& Co."]


@cache
def _faker_pool(attribute: str) -> list[str]:
    """Faker's own name lists for several locales (about 4,000 given names and 5,000
    family names): a realistic spread, so namesakes are as rare as in life."""
    names: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names.update(getattr(provider, attribute, ()))
    return sorted(names)


def _pick(pool: list[str], n: int, seed: int) -> pl.Series:
    idx = pl.int_range(0, n, eager=True).sample(n, with_replacement=True, seed=seed) % len(pool)
    return pl.Series(pool).gather(idx)


def _digits(n: int, width: int, seed: int) -> pl.Series:
    values = pl.int_range(0, n, eager=True).sample(n, with_replacement=True, seed=seed)
    return ((values * 7919) % (10**width)).cast(pl.String).str.zfill(width)


def generate(n: int) -> pl.DataFrame:
    df = pl.DataFrame(
        {
            "first": pl.concat(
                [_pick(_faker_pool("first_names"), n - n // 20, SEED), _pick(FIRST, n // 20, SEED)]
            ),
            "last": pl.concat(
                [
                    _pick(_faker_pool("last_names"), n - n // 20, SEED + 1),
                    _pick(LAST, n // 20, SEED + 1),
                ]
            ),
            "domain": _pick(DOMAINS, n, SEED + 2),
            "local": _pick(LOCALS, n, SEED + 3),
            "phone": _pick(PHONES, n, SEED + 4),
            "n2": _digits(n, 2, SEED + 5),
            "n3": _digits(n, 3, SEED + 6),
            "n4": _digits(n, 4, SEED + 7),
            "n7": _digits(n, 7, SEED + 8),
        }
    )
    ascii_first = pl.col("first").str.to_lowercase().str.replace_all(r"[^a-z]", "")
    ascii_last = pl.col("last").str.to_lowercase().str.replace_all(r"[^a-z]", "")
    local = (
        pl.col("local")
        .str.replace("{f}", ascii_first, literal=True)
        .str.replace("{l}", ascii_last, literal=True)
        .str.replace("{n2}", pl.col("n2"), literal=True)
        .str.replace("{n3}", pl.col("n3"), literal=True)
        .str.replace("{n4}", pl.col("n4"), literal=True)
    )
    phone = (
        pl.col("phone")
        .str.replace_all("{n2}", pl.col("n2"), literal=True)
        .str.replace("{n3}", pl.col("n3"), literal=True)
        .str.replace("{n4}", pl.col("n4"), literal=True)
        .str.replace("{n7}", pl.col("n7"), literal=True)
    )
    return df.select(
        pl.col("first").alias("First Name"),
        pl.col("last").alias("Last Name"),
        (local + "@" + pl.col("domain")).alias("Email"),
        phone.alias("Phone Number"),
        pl.when(pl.col("n2").cast(pl.Int64) < 90)
        .then(pl.col("last") + " " + _pick(LEGAL_FORMS, n, SEED + 15))
        .otherwise(_pick(COMPANIES, n, SEED + 9))
        .alias("Company Name"),
        _pick(TITLES, n, SEED + 10).alias("Job Title"),
        _pick(COUNTRIES, n, SEED + 11).alias("Country/Region"),
        _pick(CREATED, n, SEED + 12).alias("Created"),
        _pick(OPTIN, n, SEED + 13).alias("Opt-in"),
        _pick(SOURCES, n, SEED + 14).alias("Lead Source"),
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"bench/data/export_{n}.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    generate(n).write_csv(out)
    print(out)


if __name__ == "__main__":
    main()
