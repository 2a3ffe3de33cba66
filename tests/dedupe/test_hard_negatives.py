"""Two people that must never be merged into one, whatever the model's weights say:
each pair was merged by a small file of real-looking exports (two rows are enough)."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from leadtriage.frame import flag

from .helpers import contact, dedupe_rows

SWITCHBOARD = "+34912840000"
HOME = "+16172840142"


def _never_merged(*rows: dict[str, Any]) -> None:
    out = dedupe_rows(*rows)
    assert not out[flag("duplicate")].any(), out.select("first_name", "match_evidence").rows()


@pytest.mark.parametrize(
    ("one", "other", "family"),
    [("Sophie", "Paul", "Martin"), ("Oscar", "Chiara", "Leroy"), ("Lena", "Laura", "Walsh")],
)
def test_colleagues_of_one_family_name_whose_given_names_differ(
    one: str, other: str, family: str
) -> None:
    # smartin@ and pmartin@ are one slip apart: two colleagues' addresses, not a typo.
    domain = "solvane.fr"
    _never_merged(
        contact(one, family, email=f"{one[0]}{family}@{domain}".lower(), company="Solvane"),
        contact(other, family, email=f"{other[0]}{family}@{domain}".lower(), company="Solvane"),
    )


def test_a_name_and_its_feminine_form_at_one_employer_are_two_people() -> None:
    _never_merged(
        contact("Maria", "Esposito", email="mesposito@navitalia.it", company="Navitalia"),
        contact("Mario", "Esposito", email="m.esposito@navitalia.it", company="Navitalia"),
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [("Smith Jr", "Smith Sr"), ("Smith Jr.", "Smith Sr."), ("Smith II", "Smith III")],
)
def test_a_father_and_his_son_of_one_name_are_two_people(one: str, other: str) -> None:
    _never_merged(
        contact("John", one, email="smithfamily@comcast.net", phone=HOME),
        contact("John", other, email="smithfamily@comcast.net", phone=HOME),
    )


def test_people_of_two_family_names_behind_one_shared_address_and_phone() -> None:
    # A shared info@ address and the office phone: two people someone signed up.
    _never_merged(
        contact("Jan", "de Vries", email="info@dijkstra.nl", phone=SWITCHBOARD, company="Dijkstra"),
        contact("Jan", "Jansen", email="info@dijkstra.nl", phone=SWITCHBOARD, company="Dijkstra"),
    )


def test_a_married_name_at_one_personal_address_still_merges() -> None:
    out = dedupe_rows(
        contact("Anna", "Berg", email="anna.b@gmail.com", phone=HOME),
        contact("Anna", "Lindqvist", email="anna.b@gmail.com", phone=HOME),
    )
    assert out[flag("duplicate")].sum() == 1
    assert isinstance(out, pl.DataFrame)
