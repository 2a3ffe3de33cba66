"""One key slipped: the neighbours of every letter on a QWERTY keyboard."""

from __future__ import annotations

import polars as pl

from leadtriage.dedupe.comparisons import _key_neighbours, keyboard_slip, one_edit


def test_neighbours_are_mutual_and_every_letter_has_some() -> None:
    neighbours = _key_neighbours()
    assert sorted(neighbours) == [chr(c) for c in range(ord("a"), ord("z") + 1)]
    for key, around in neighbours.items():
        assert 2 <= len(around) <= 6, key
        assert all(key in neighbours[other] for other in around), key
    assert neighbours["g"] == frozenset("tyfhvb")
    assert neighbours["q"] == frozenset("wa")


def test_a_slip_is_one_neighbouring_letter_in_a_word_of_four_or_more() -> None:
    left = pl.Series(["amalia", "glenn", "tom", "simon", "simon", "karen", "anna", None])
    right = pl.Series(["amakia", "glebn", "tim", "sihon", "siomn", "karwn", "anna", "anna"])
    assert keyboard_slip(left, right).to_list() == [
        True,  # k beside l
        True,  # b beside n
        False,  # three letters: as often another name
        False,  # h is not beside m
        False,  # two letters swapped: not a slip (the similarity sees it)
        True,
        False,  # the same word
        False,
    ]


def test_one_edit_is_a_typo_in_words_of_five_letters_or_more() -> None:
    left = pl.Series(["raissa", "rosanna", "obrien", "iris", "brian", "mario", "daniel", "anna"])
    right = pl.Series(["ralssa", "rosnana", "obrie", "iros", "bryan", "maria", "daniela", "anna"])
    assert one_edit(left, right).to_list() == [
        True,  # one letter for another
        True,  # two letters swapped
        True,  # one letter left out
        False,  # four letters: as often another name
        False,  # two given names we know
        False,  # one name's forms for two people: a final vowel apart
        False,
        False,  # the same word
    ]
