"""Job titles in English, German, French and Spanish -> seniority, and the traps."""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage.rules.fields import SENIORITY_LEVELS
from leadtriage.rules.seniority import seniority_expr, seniority_table

TITLES: list[tuple[str | None, str | None]] = [
    # c_level
    ("CEO", "c_level"),
    ("Co-CEO", "c_level"),
    ("Chief Marketing Officer", "c_level"),
    ("Chief Information Security Officer", "c_level"),
    ("Founder", "c_level"),
    ("Co-Founder & CTO", "c_level"),
    ("Owner", "c_level"),
    ("Inhaberin", "c_level"),
    ("Geschäftsführer", "c_level"),
    ("GESCHÄFTSFÜHRERIN", "c_level"),
    ("Vorstand Finanzen", "c_level"),
    ("Vorstandsvorsitzender", "c_level"),
    ("PDG", "c_level"),
    ("Directeur général", "c_level"),
    ("Directrice Générale Adjointe", "c_level"),
    ("Director General", "c_level"),
    ("Consejero Delegado", "c_level"),
    ("Consejera delegada", "c_level"),
    ("Managing Director", "c_level"),
    ("President", "c_level"),
    # vp
    ("VP Sales", "vp"),
    ("SVP, Marketing", "vp"),
    ("Vice President of Engineering", "vp"),
    ("Vice-President Sales", "vp"),
    ("Vizepräsidentin Vertrieb", "vp"),
    ("Vice-présidente marketing", "vp"),
    ("Vicepresidente Comercial", "vp"),
    # director
    ("Director of Marketing", "director"),
    ("Head of Growth", "director"),
    ("Leiter Einkauf", "director"),
    ("Abteilungsleiterin IT", "director"),
    ("Directeur commercial", "director"),
    ("Directora de Marketing", "director"),
    ("Direktor Vertrieb", "director"),
    # manager
    ("Marketing Manager", "manager"),
    ("Produktmanagerin", "manager"),
    ("Gerente de Ventas", "manager"),
    ("Responsable marketing", "manager"),
    ("Teamleiter Support", "manager"),
    ("Chef de projet", "manager"),
    ("Team Lead", "manager"),
    # individual
    ("Software Engineer", "individual"),
    ("Marketing Specialist", "individual"),
    ("Sachbearbeiterin", "individual"),
    ("Chargée de communication", "individual"),
    ("Analista de datos", "individual"),
    ("Ingénieur commercial", "individual"),
    # student
    ("Student", "student"),
    ("Intern", "student"),
    ("Praktikant", "student"),
    ("Werkstudentin Marketing", "student"),
    ("Stagiaire", "student"),
    ("Étudiant", "student"),
    ("Becario", "student"),
    ("Estudiante", "student"),
    ("Marketing Trainee", "student"),
]

TRAPS: list[tuple[str | None, str | None]] = [
    # Words inside other words are not keywords.
    ("International Sales", None),
    ("Directory Services", None),
    ("Doctor", None),
    ("VPN Administrator", "individual"),
    ("Headhunter", None),
    # "President" inside "Vice President", "Owner" inside "Product Owner".
    ("Senior Vice President", "vp"),
    ("Product Owner", "individual"),
    # Working for an executive is not being one.
    ("Executive Assistant to the CEO", "individual"),
    ("Assistentin der Geschäftsführung", "individual"),
    ("Assistante de direction du PDG", "individual"),
    # Highest seniority wins.
    ("VP and Director of Sales", "vp"),
    ("Founder / Marketing Manager", "c_level"),
    ("Student Recruitment Manager", "manager"),
    ("Assistant Director", "director"),
    # Nothing to go by.
    ("", None),
    ("   ", None),
    (None, None),
    ("Nurse", "individual"),
    ("Freelance", None),
    # An assistant of a chief is an assistant (seen in real lists, rated c_level).
    ("CEO Assistant", "individual"),
    ("President's Assistant", "individual"),
    ("Chief Executive Assistant", "individual"),
    ("Director's Assistant", "individual"),
    ("Sales Director Assistant", "individual"),
    ("Vorstandsassistentin", "individual"),
    ("Geschäftsführungsassistenz", "individual"),
    # Titles of other languages that named no level.
    ("Vertriebsleiter", "director"),
    ("Marketingleiterin", "director"),
    ("Gérant", "c_level"),
    ("C.E.O.", "c_level"),
    ("Amministratore Delegato", "c_level"),
    ("Direttore Commerciale", "director"),
    ("Diretora de Marketing", "director"),
    ("Subdirector", "director"),
]


def classify(titles: list[str | None]) -> list[str | None]:
    frame = pl.DataFrame({"title": titles}, schema={"title": pl.String})
    return frame.select(seniority_expr(pl.col("title"))).to_series().to_list()


@pytest.mark.parametrize(("title", "level"), TITLES + TRAPS)
def test_title_seniority(title: str | None, level: str | None) -> None:
    assert classify([title]) == [level]


def test_classifying_many_at_once_matches_one_by_one() -> None:
    titles = [t for t, _ in TITLES + TRAPS]
    assert classify(titles) == [level for _, level in TITLES + TRAPS]


def test_every_level_has_keywords_and_compiles() -> None:
    table = seniority_table()
    assert list(table.patterns) == list(SENIORITY_LEVELS)
    covered = {level for _, level in TITLES}
    assert covered == set(SENIORITY_LEVELS)
