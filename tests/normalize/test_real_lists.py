"""The curated lists (``data/company_*``, ``country_*``, ``email_free_domains.txt``)
against values real exports hold that they once missed.

Each test runs the real normalise stage on a small frame, so a value that leaves its
list, or a list that stops being read, fails here.
"""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage import frame
from leadtriage.normalize.company import normalize_company


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
