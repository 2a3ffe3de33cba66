"""Nickname groups merged from our multilingual file and the `nicknames` package."""

from __future__ import annotations

import csv

import nicknames
import pytest

from leadtriage.data_files import data_lines
from leadtriage.dedupe.nicknames import NICKNAMES_FILE, nickname_groups

from .helpers import contact, dedupe_rows, merged
from .test_matching import PHONE, _levels


def _share_a_group(a: str, b: str) -> bool:
    groups = nickname_groups()
    return bool(set(groups.get(a, ())) & set(groups.get(b, ())))


def test_every_pair_of_the_package_shares_a_group() -> None:
    # Differential: the merged groups answer as the package's own CSV does.
    with nicknames.with_names_csv_path() as path, path.open(encoding="utf-8") as f:
        pairs = [
            (row["name1"], row["name2"])
            for row in csv.DictReader(f)
            if row["relationship"] == "has_nickname" and row["name2"].isalpha()
        ]
    assert len(pairs) > 2000
    assert all(_share_a_group(formal, nick) for formal, nick in pairs)


def test_every_group_of_our_file_is_kept() -> None:
    for line in data_lines(NICKNAMES_FILE):
        first, *others = line.split()
        assert all(_share_a_group(first, other) for other in others), line


def test_initials_are_spelt_as_the_name_features_spell_them() -> None:
    # The package writes "k.c."; name features drop the dots.
    assert _share_a_group("casey", "kc")


@pytest.mark.parametrize(
    ("formal", "nickname"),
    [("Sarah", "Sally"), ("Mary", "Polly"), ("Patricia", "Patsy"), ("Cornelius", "Neil")],
)
def test_a_nickname_only_the_package_knows_merges_on_a_shared_phone(
    formal: str, nickname: str
) -> None:
    out = dedupe_rows(
        contact(formal, "Whitfield", phone=PHONE, email=f"{formal.lower()}.whitfield@acme.com"),
        contact(nickname, "Whitfield", phone=PHONE, email=f"{nickname.lower()}w@gmail.com"),
    )
    assert merged(out)
    assert _levels(out) == [["email~personal", "phone", "name~nick"]]


def test_a_formal_name_does_not_meet_another_formal_name_through_a_shared_nickname() -> None:
    # Ron is short for Ronald and for Aaron; Ronald and Aaron stay different names.
    assert _share_a_group("ron", "ronald") and _share_a_group("ron", "aaron")
    assert not _share_a_group("ronald", "aaron")
