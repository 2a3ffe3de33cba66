"""The curated lists (``data/company_*``, ``country_*``, ``email_free_domains.txt``)
against values real exports hold that they once missed, and text typed decomposed
(NFD), as macOS file names and some web forms hand it over.

Each test runs the real normalise stage on a small frame, so a value that leaves its
list, or a list that stops being read, fails here.
"""

from __future__ import annotations

import unicodedata

import polars as pl
import pycountry
import pytest

from leadtriage import frame
from leadtriage.data_files import data_lines, data_pairs
from leadtriage.dedupe.features import build_features
from leadtriage.normalize.company import normalize_company
from leadtriage.normalize.country import normalize_country
from leadtriage.normalize.email import normalize_email
from leadtriage.normalize.name import normalize_name
from leadtriage.normalize.text import TEXT_FIELDS, match_key, normalize_text


def _company_rows(values: list[str]) -> list[dict[str, object]]:
    lf = pl.LazyFrame({frame.raw("company"): values}, schema={frame.raw("company"): pl.String})
    return list(normalize_company(lf).collect().iter_rows(named=True))


@pytest.mark.parametrize(
    "raw",
    [
        # A form's required field passed with a zero, or with its own label.
        "0",
        "Company Name",
        # "None", "not stated", "not applicable" in the languages exports come in.
        "Keine",
        "keine Angabe",
        "k.A.",
        "k. A.",
        "Aucune",
        "Aucun",
        "Ninguna",
        "Ninguno",
        "Sin empresa",
        "Nessuna",
        "Nessuno",
        "n.v.t.",
        "Geen",
    ],
)
def test_a_no_answer_value_in_another_language_gives_no_company(raw: str) -> None:
    """Keyed, every row with one of these was grouped as one company."""
    (row,) = _company_rows([raw])
    assert (row["company"], row["company_key"]) == (None, None)
    assert row["flag.company.missing"]


@pytest.mark.parametrize(
    "raw",
    [
        "Stay at home mom",
        "Stay-at-home mum",
        "Stay at home parent",
        # German: retired, self-employed, freelance, student, private person.
        "Rentner",
        "Rentnerin",
        "Pensionär",
        "Pensionärin",
        "Selbstständig",
        "Selbständig",
        "selbststaendig",
        "Freiberufler",
        "Freiberuflerin",
        "Student/in",
        "Studentin",
        "Privat",
        "Privatperson",
        # French: student, retired, self-employed, private individual.
        "Étudiant",
        "Étudiante",
        "Etudiant",
        "Retraité",
        "Retraitée",
        "Indépendant",
        "Indépendante",
        "Particulier",
        "Auto-entrepreneur",
        # Spanish.
        "Estudiante",
        "Estudiantes",
        "Jubilado",
        "Jubilada",
        "Autónomo",
        "Autónoma",
        "Autonomo",
        # Italian.
        "Pensionato",
        "Pensionata",
        "Studente",
        "Studentessa",
        "Libero professionista",
        # Dutch: self-employed without staff, sole proprietorship, retired.
        "ZZP",
        "ZZP'er",
        "zzp-er",
        "Zelfstandige",
        "Eenmanszaak",
        "Gepensioneerd",
    ],
)
def test_a_no_employer_value_in_another_language_is_kept_without_a_key(raw: str) -> None:
    """Kept for a person to read, but no one is matched or grouped by "Rentner"."""
    (row,) = _company_rows([raw])
    assert (row["company"], row["company_key"]) == (raw, None)
    assert row["flag.company.missing"]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        # Real companies a loose list would catch: each keeps its key.
        ("Zero", "zero"),
        ("0815 Software GmbH", "0815 software"),
        ("Student Loan Company Ltd", "student loan"),
        ("Rentner Service GmbH", "rentner service"),
        ("Particulier Conseil SARL", "particulier conseil"),
        ("NVT", "nvt"),
        ("Keine Sorgen GmbH", "keine sorgen"),
    ],
)
def test_a_company_that_only_contains_a_placeholder_keeps_its_key(raw: str, key: str) -> None:
    (row,) = _company_rows([raw])
    assert (row["company"], row["company_key"]) == (raw, key)


def _country_rows(values: list[str]) -> list[dict[str, object]]:
    lf = pl.LazyFrame({frame.raw("country"): values}, schema={frame.raw("country"): pl.String})
    return list(normalize_country(lf).collect().iter_rows(named=True))


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        # The World Bank's country names, as exports joined with its indicators carry
        # them: abbreviated and inverted.
        ("Lao PDR", "LA"),
        ("Korea, Rep.", "KR"),
        ("Korea Rep.", "KR"),
        ("Korea, Dem. People's Rep.", "KP"),
        ("Korea, Dem. Rep.", "KP"),
        ("Congo, Dem. Rep.", "CD"),
        ("Congo, Rep.", "CG"),
        ("Egypt, Arab Rep.", "EG"),
        ("Venezuela, RB", "VE"),
        ("Iran, Islamic Rep.", "IR"),
        ("Yemen, Rep.", "YE"),
        ("Micronesia, Fed. Sts.", "FM"),
        ("West Bank and Gaza", "PS"),
        # Read already; pinned beside the others.
        ("Gambia, The", "GM"),
        ("Bahamas, The", "BS"),
        ("Hong Kong SAR, China", "HK"),
        ("Macao SAR, China", "MO"),
        ("Slovak Republic", "SK"),
        ("Kyrgyz Republic", "KG"),
        ("Turkiye", "TR"),
        ("Virgin Islands (U.S.)", "VI"),
        ("St. Martin (French part)", "MF"),
        # Short names people type.
        ("BVI", "VG"),
        ("Turks and Caicos", "TC"),
        ("Turks & Caicos", "TC"),
        ("Antigua", "AG"),
        ("West Bank", "PS"),
        ("Gaza", "PS"),
        ("Gaza Strip", "PS"),
        # Parts of a country with no ISO 3166-1 code of their own: the country.
        ("Canary Islands", "ES"),
        ("Islas Canarias", "ES"),
        ("Canarias", "ES"),
        ("Azores", "PT"),
        ("Açores", "PT"),
        ("Madeira", "PT"),
        # An island of a territory that has its own code: the territory.
        ("Tahiti", "PF"),
    ],
)
def test_world_bank_names_and_short_names_read_as_their_country(raw: str, code: str) -> None:
    (row,) = _country_rows([raw])
    assert row["country_code"] == code
    assert not row["flag.country.unknown"]


def test_sa_is_saudi_arabia_as_iso_says() -> None:
    """Not South Africa, which people also shorten so: ISO is the one reading a
    machine can defend, and South Africa is "ZA" or "RSA"."""
    assert [row["country_code"] for row in _country_rows(["SA", "sa", "S.A.", "RSA"])] == [
        "SA",
        "SA",
        "SA",
        "ZA",
    ]


def test_every_curated_country_variant_names_an_iso_country() -> None:
    """A typo in a code would send a country's rows to another country silently.
    Kosovo's XK is the one code in use that ISO has not assigned."""
    iso = {country.alpha_2 for country in pycountry.countries} | {"XK"}
    assert {code for code, _ in data_pairs("country_variants.txt")} - iso == set()


# Consumer mail of the big ISPs and mobile carriers (Canada, Australia, New Zealand,
# Japan, the US, the UK, France, Italy, Spain), and mailbox or relay services: an
# address there says nothing about an employer.
CONSUMER_DOMAINS = [
    "rogers.com", "sympatico.ca", "bell.net", "videotron.ca", "cogeco.ca",
    "optusnet.com.au", "bigpond.net.au", "iinet.net.au", "tpg.com.au", "internode.on.net",
    "westnet.com.au", "xtra.co.nz",
    "docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "i.softbank.jp",
    "optonline.net", "juno.com", "netzero.net", "roadrunner.com", "frontiernet.net",
    "windstream.net", "centurylink.net", "embarqmail.com", "mindspring.com", "prodigy.net",
    "pacbell.net", "swbell.net", "ameritech.net",
    "btopenworld.com", "tiscali.co.uk", "virgin.net",
    "club-internet.fr", "aliceadsl.fr", "fastwebnet.it", "terra.es",
    "hey.com", "privaterelay.appleid.com", "duck.com",
]  # fmt: skip


def _email_features(addresses: list[str]) -> pl.DataFrame:
    lf = pl.LazyFrame(
        {frame.raw("email"): addresses, frame.SOURCE_ROW: list(range(len(addresses)))},
        schema={frame.raw("email"): pl.String, frame.SOURCE_ROW: pl.Int64},
    )
    normalised = normalize_email(lf).collect()
    return normalised.with_columns(build_features(normalised).select("business_domain"))


@pytest.mark.parametrize("domain", CONSUMER_DOMAINS)
def test_a_consumer_mail_domain_is_free_mail_and_no_business_domain(domain: str) -> None:
    """Two strangers at rogers.com share no employer: as a business domain it was
    evidence that they were one person, or of one company."""
    (row,) = _email_features([f"jane.doe@{domain}"]).iter_rows(named=True)
    assert row["flag.email.free"]
    assert row["business_domain"] is None


def test_a_company_domain_is_still_a_business_domain() -> None:
    (row,) = _email_features(["jane.doe@acme-logistics.com"]).iter_rows(named=True)
    assert not row["flag.email.free"]
    assert row["business_domain"] == "acme-logistics.com"


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _nfd_or_none(text: str | None) -> str | None:
    return None if text is None else _nfd(text)


def _nfc_or_none(value: object) -> bool:
    return value is None or (isinstance(value, str) and unicodedata.is_normalized("NFC", value))


def _name_rows(
    first: list[str | None], last: list[str | None], full: list[str | None]
) -> list[dict[str, object]]:
    columns = {
        frame.raw("first_name"): first,
        frame.raw("last_name"): last,
        frame.raw("full_name"): full,
        frame.raw("email"): [None] * len(first),
        "email": [None] * len(first),
    }
    lf = pl.LazyFrame(columns, schema=dict.fromkeys(columns, pl.String))
    return list(normalize_name(lf).collect().iter_rows(named=True))


NAME_OUTPUTS = ("first_name", "last_name", "full_name", "first_name_key", "last_name_key")


@pytest.mark.parametrize(
    ("first", "last", "full"),
    [
        ("José", "Müller", None),
        ("JOSÉ", "MÜLLER", None),
        ("Zoë", "Brontë-Ångström", None),
        (None, None, "José Müller"),
        (None, None, "Müller, José"),
        (None, None, "Françoise d'Orléans"),
        ("Mary Ann", "Łukasiewicz-Pérez", None),
    ],
)
def test_a_decomposed_name_gives_the_composed_name_and_the_same_keys(
    first: str | None, last: str | None, full: str | None
) -> None:
    """Written NFD (a letter, then its accent as a combining mark), a name looked
    the same but was other bytes: a CRM took it as another person's, the name regexes
    read the accent as no letter, and "Müller" keyed "muller" beside the composed
    "mueller"."""
    assert any(_nfd_or_none(text) != text for text in (first, last, full))
    composed, typed_nfd = _name_rows(
        [first, _nfd_or_none(first)], [last, _nfd_or_none(last)], [full, _nfd_or_none(full)]
    )
    assert [typed_nfd[column] for column in NAME_OUTPUTS] == [
        composed[column] for column in NAME_OUTPUTS
    ]
    assert all(_nfc_or_none(typed_nfd[column]) for column in NAME_OUTPUTS)


@pytest.mark.parametrize(
    "typed", ["Société Générale SA", "Müller GmbH", "Crédit Agricole", "Nestlé S.A.", "Étudiant"]
)
def test_a_decomposed_company_gives_the_composed_company_and_the_same_key(typed: str) -> None:
    assert _nfd(typed) != typed
    composed, decomposed = _company_rows([typed, _nfd(typed)])
    assert decomposed["company"] == typed
    assert decomposed["company_key"] == composed["company_key"]
    assert decomposed["flag.company.missing"] == composed["flag.company.missing"]


def test_decomposed_free_text_fields_are_composed() -> None:
    typed = {
        "job_title": "Directrice générale",
        "state": "Île-de-France",
        "city": "Orléans",
        "postcode": "75001",
        "address": "12 Rue de l'Église\nBâtiment B",
        "source": "Salon Numérique",
    }
    assert set(typed) == {str(field) for field in TEXT_FIELDS}
    raw = {frame.raw(field): [_nfd(text)] for field, text in typed.items()}
    row = normalize_text(pl.LazyFrame(raw, schema=dict.fromkeys(raw, pl.String))).collect()
    cleaned = row.row(0, named=True)
    assert cleaned["job_title"] == "Directrice générale"
    assert cleaned["state"] == "Île-de-France"
    assert cleaned["city"] == "Orléans"
    assert cleaned["address"] == "12 Rue de l'Église, Bâtiment B"
    assert cleaned["source"] == "Salon Numérique"
    assert all(_nfc_or_none(cleaned[field]) for field in typed)


def test_the_matching_key_of_a_decomposed_umlaut_is_the_composed_ones() -> None:
    """German rules spell ü as ue: they must see the ü written either way."""
    typed = ["Müller", _nfd("Müller"), "Mueller", "Jürgen Groß", _nfd("Jürgen Groß")]
    keys = pl.DataFrame({"typed": typed}).select(match_key(pl.col("typed"))).to_series()
    assert keys.to_list() == ["mueller"] * 3 + ["juergen gross"] * 2


@pytest.mark.parametrize(
    "filename",
    ["company_blank_values.txt", "company_no_employer_values.txt", "country_variants.txt"],
)
def test_the_lists_compared_with_clean_text_are_written_composed(filename: str) -> None:
    """Cells are compared with these lines as typed (lowercased) once composed: a line
    saved decomposed would never meet one."""
    assert [
        line for line in data_lines(filename) if not unicodedata.is_normalized("NFC", line)
    ] == []
