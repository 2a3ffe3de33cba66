"""The chain guard's lenient reading of two names (dedupe.name_agreement)."""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage.dedupe.features import build_features
from leadtriage.dedupe.name_agreement import names_could_agree

from .helpers import contact, frame


def _agree(left: tuple[str, str], right: tuple[str, str]) -> bool:
    features = build_features(frame(contact(*left), contact(*right)).collect())
    pairs = pl.DataFrame({"i": [0], "j": [1]}, schema={"i": pl.UInt32, "j": pl.UInt32})
    return bool(names_could_agree(features, pairs)[0])


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("Joanne", "de Mows"), ("Joanne", "Moss")),  # particle and a slipped key
        (("Iain", "Dixon Davei"), ("Iain", "Davey")),  # second family name and a typo
        (("De Olyveira", "Margaret"), ("Margaret", "Chrétien De Oliveira")),  # swapped
        (("Al", "Mitchell"), ("Alexa", "Mitchell")),  # a given name cut to two letters
        (("Sk", "Verdone"), ("Sj", "Verdone")),  # two initials typed two ways
        (("Chang", "Km"), ("Kevin", "Chang")),  # initials, swapped
        (("Gt", "Perkins"), ("Glenda", "Perkins")),  # initials of a given and a middle name
        (("Bob", "Miller"), ("Robert", "Miller")),  # a nickname
        (("Katie", "Hawkins"), ("Katie", None)),  # a part unknown says nothing
    ],
)
def test_two_spellings_of_one_name_could_agree(
    left: tuple[str, str], right: tuple[str, str]
) -> None:
    assert _agree(left, right)
    assert _agree(right, left)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("Matthieu", "Ribeiro"), ("Marianne", "Ribeiro")),  # a family
        (("Tom", "Baker"), ("Tim", "Baker")),  # one edit in a short name is another name
        (("Mario", "Rossi"), ("Maria", "Rossi")),  # two given names one letter apart
        (("Sara", "Stokes"), ("Judith", "Stark")),  # colleagues at one switchboard
        (("Jane", "Smith"), ("John", "Smith")),
        (("Anna", "Berg"), ("Anna", "Lindqvist")),  # namesakes by given name only
        (("Al", "Berg"), ("Anna", "Berg")),  # a given name of its own, not Anna's initial
        (("Km", "Chang"), ("Lisa", "Chang")),  # initials of another given name
    ],
)
def test_two_peoples_names_do_not(left: tuple[str, str], right: tuple[str, str]) -> None:
    assert not _agree(left, right)
    assert not _agree(right, left)
