"""Package data: one reader, and files whose shape the code relies on."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from leadtriage.data_files import data_lines, data_pairs, data_text
from leadtriage.io.profiles import _COMPUTED, PROFILE_COLUMNS_FILE, Profile
from leadtriage.io.workbook import DECISION_CHOICES
from leadtriage.normalize.dates import MONTHS
from leadtriage.review import ACCEPT_WORDS, REJECT_WORDS

SOURCE = Path(__file__).parents[1] / "src" / "leadtriage"
DATA = SOURCE / "data"


def test_only_the_loader_opens_package_data() -> None:
    openers = re.compile(r"importlib\.resources|from importlib import resources|\bresources\.files")
    found = sorted(
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if openers.search(path.read_text(encoding="utf-8"))
    )
    assert found == ["data_files.py"]


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir() if p.suffix == ".txt"))
def test_every_data_file_reads_as_lines(name: str) -> None:
    lines = data_lines(name)  # may be empty: email_disposable_extra.txt only extends
    assert all(line == line.strip() and not line.startswith("#") for line in lines)
    assert data_text(name).startswith("#"), f"{name} should say what it is and where from"


def test_month_names_cover_twelve_months_each_name_once() -> None:
    names = [name for _, spelled in data_pairs("date_month_names.txt") for name in spelled.split()]
    assert [name for name, count in Counter(names).items() if count > 1] == []
    assert sorted(set(MONTHS.values())) == list(range(1, 13))
    assert all(name == name.lower() for name in MONTHS)


def test_decision_words_are_apart_and_cover_the_drop_down() -> None:
    assert not ACCEPT_WORDS & REJECT_WORDS
    assert set(DECISION_CHOICES) <= ACCEPT_WORDS | REJECT_WORDS


def test_crm_profile_columns_name_known_profiles_and_computed_values() -> None:
    rows = [(name, *spec.rsplit("|", 1)) for name, spec in data_pairs(PROFILE_COLUMNS_FILE)]
    assert {name for name, _, _ in rows} == {p.value for p in Profile} - {"generic"}
    computed = {source[1:] for _, _, source in rows if source.startswith("=")}
    assert computed == set(_COMPUTED)
    for profile in {name for name, _, _ in rows}:
        headers = [header for name, header, _ in rows if name == profile]
        assert len(headers) == len(set(headers)), f"{profile} names a header twice"
