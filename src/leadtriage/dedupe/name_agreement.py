"""Whether two rows' names could be one person's: the chain guard's lenient reading.

A row reached through other rows of a cluster joins the survivor only when nothing
says the two are different people (``clustering``). The comparison levels read names
strictly, because they weigh evidence: a swapped reading needs a shared key, and a
second family name must be spelt as the other side spells it. Two variants of one
person's name then read as two people's: the survivor "De Olyveira, Margaret" and the
member "Margaret Chrétien De Oliveira", each matched directly to a third row of the
cluster, or "Joanne de Mows" beside "Joanne Moss". Splitting them off cost about a
quarter of the true pairs the matcher missed on its tuning data.

Here two names conflict only when, as typed and first/last swapped alike, some part
has no word close to a word of the other side's part: what a family sharing an
address (Matthieu and Marianne Ribeiro) or colleagues sharing a switchboard look
like. A word is close to another when it is the same, a typo away (one edit in
words of four letters or more, or 85% alike; never two given names we know, nor two
a final vowel apart: Mario and Maria), or in a nickname group with it; a given name
of one or two letters is close to a name it starts (Jo for Josefine, Al for Alexa)
and, as initials, to one with its first letter ("Km" for Kevin M.).
This never makes a merge: the member was matched directly to a row of the cluster.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from leadtriage.dedupe.comparisons import FINAL_VOWEL, VOWEL, family_particles
from leadtriage.dedupe.nicknames import nickname_groups

# One edit apart is a typo in a word this long (Mows, Moss); shorter words one edit
# apart are as often other names (Tom, Tim). A letter shorter than the comparisons'
# one-edit level asks (`comparisons.one_edit`): this reading only keeps a row that
# matched in its cluster, it never makes a match.
_LENIENT_TYPO_MIN_LETTERS: Final = 4
_ALIKE: Final = 85.0
# The comparisons' spelling of a vowel and of two names a final vowel apart.
_FINAL_VOWEL: Final = re.compile(FINAL_VOWEL)
_VOWEL: Final = re.compile(VOWEL)
# A given name typed as this many letters or fewer may stand for a longer one.
_SHORT_GIVEN: Final = 2

_NAME_COLUMNS: Final = ("first", "first_spaced", "last", "last_spaced")


def _words(spaced: str | None, whole: str | None, *, family: bool) -> list[str]:
    """A name part's words (its particles dropped from a family name of more words)."""
    words = spaced.split() if spaced else [whole] if whole else []
    if family and len(words) > 1:
        kept = [w for w in words if w not in family_particles()]
        return kept or words
    return words


def _close(a: str, b: str, *, given: bool) -> bool:
    if a == b:
        return True
    groups = nickname_groups()
    if given and a in groups and b in groups:
        # Two given names we know are one name only through a nickname group: Brian
        # and Bryan are one letter apart and two names.
        return bool(set(groups[a]) & set(groups[b]))
    if given and _FINAL_VOWEL.sub("", a) == _FINAL_VOWEL.sub("", b):
        return False  # one name's forms for two people: Mario and Maria, Louis and Louise
    if min(len(a), len(b)) >= _LENIENT_TYPO_MIN_LETTERS and OSA.distance(a, b) <= 1:
        return True
    return fuzz.ratio(a, b) >= _ALIKE


def _short_for(short: str, whole: str) -> bool:
    """`short`, a given name of one or two letters, could stand for `whole`: it starts
    it (Jo for Josefine), or it is initials whose first letter is the name's ("Km" for
    Kevin M.). Two letters that are a given name of their own (Al, Jo, Ed) stand only
    for names they start, as the comparison levels read them."""
    if len(short) > _SHORT_GIVEN:
        return False
    if whole.startswith(short):
        return True
    a_name = short in nickname_groups() and _VOWEL.search(short) is not None
    return not a_name and short[0] == whole[0]


def _part_agrees(left: list[str], right: list[str], *, given: bool) -> bool:
    """Some word of one side is close to some word of the other; an unknown part
    agrees (it says nothing)."""
    if not left or not right:
        return True
    if given and (
        (len(left) == 1 and any(_short_for(left[0], w) for w in right))
        or (len(right) == 1 and any(_short_for(right[0], w) for w in left))
    ):
        return True
    return any(_close(a, b, given=given) for a in left for b in right)


def _could_agree(left: Sequence[str | None], right: Sequence[str | None]) -> bool:
    first_l, spaced_first_l, last_l, spaced_last_l = left
    first_r, spaced_first_r, last_r, spaced_last_r = right
    given_l = _words(spaced_first_l, first_l, family=False)
    given_r = _words(spaced_first_r, first_r, family=False)
    family_l = _words(spaced_last_l, last_l, family=True)
    family_r = _words(spaced_last_r, last_r, family=True)
    straight = _part_agrees(given_l, given_r, given=True) and _part_agrees(
        family_l, family_r, given=False
    )
    if straight:
        return True
    # Swapped: each side's given name is the other's family name. Both parts of both
    # sides must be known, or "swapped" is a guess about nothing.
    if not (given_l and given_r and family_l and family_r):
        return False
    return _part_agrees(given_l, family_r, given=True) and _part_agrees(
        family_l, given_r, given=True
    )


def names_could_agree(features: pl.DataFrame, pairs: pl.DataFrame) -> pl.Series:
    """Per pair of rows (``i``, ``j`` into `features`, ``dedupe.features``): nothing in
    their names says they are two people (module doc). Called for the few pairs the
    chain guard checks, so per pair in Python."""
    names = features.select(_NAME_COLUMNS)
    left = names[pairs["i"]].rows()
    right = names[pairs["j"]].rows()
    return pl.Series(
        "names_could_agree",
        [_could_agree(a, b) for a, b in zip(left, right, strict=True)],
        dtype=pl.Boolean,
    )
