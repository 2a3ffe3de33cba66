"""Comparison levels of candidate pairs, computed in bulk.

Every comparison turns a pair of rows into one small integer, its *level*: 0 when
either side lacks the field (a null level, which weighs nothing), then the levels
from the closest agreement to plain disagreement. The scoring model
(``dedupe.model``) learns a weight per level from the run's own data; this module
only says how alike two rows are, never whether they are one person.

Names are compared part by part in the better of two orientations: as typed, or
first and last swapped (both parts must then be close: loose swapped readings mostly
pair different people, Norman Cole / Nicole Norman).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Hamming

from leadtriage.data_files import data_lines
from leadtriage.dedupe.blocking import (
    EMAIL_ALIAS,
    MIN_HALF_LENGTH,
    MOBILE_TAIL,
    PHONE_TAIL,
    email_alias,
    split_email,
)
from leadtriage.dedupe.features import (
    COMPARE_PREFIX,
    FIRST_SPELT,
    MOBILE,
    SOUNDED_PARTS,
    TYPED_INITIALS,
)
from leadtriage.dedupe.nicknames import nickname_groups
from leadtriage.normalize.text import german_folded, strip_accents
from leadtriage.schema import Col

COMPARE_KINDS: Final[tuple[str, ...]] = ("exact", "name", "text", "date", "number")

_SWAPPED_PART_FLOOR: Final = 0.82
_CLOSE: Final = 0.85
_LOOSE: Final = 0.70


@dataclass(frozen=True)
class Comparison:
    """One field's comparison: ``labels[k - 1]`` names level ``k`` (level 0 is
    null); ``tf_column`` is the feature whose value frequency adjusts the weight of
    level 1 (exact agreement), so that a switchboard or a common name weighs less;
    ``m_prior`` / ``u_prior`` are the level probabilities among true and unrelated
    candidate pairs before the run's data speaks (they decide alone in a tiny run;
    rounded from what EM found on the generator's tuning half at 10,000 rows);
    ``key`` the feature columns whose equality is (about) level 1, so that the share
    of all pairs at level 1 can be counted from value counts instead of sampled."""

    name: str
    labels: tuple[str, ...]
    m_prior: tuple[float, ...]
    u_prior: tuple[float, ...]
    tf_column: str | None = None
    key: tuple[str, ...] = ()

    @property
    def column(self) -> str:
        return f"lvl.{self.name}"


# A personal (free-mail) address beside a work one is its own level: people have both,
# while two other addresses at one employer are as often two colleagues.
EMAIL = Comparison(
    "email",
    ("email", "email~alias", "email~1edit", "email~personal", "email≠"),
    m_prior=(0.55, 0.15, 0.05, 0.15, 0.10),
    u_prior=(0.005, 0.001, 0.001, 0.40, 0.593),
    tf_column=Col.EMAIL_KEY,
    key=(Col.EMAIL_KEY,),
)
PHONE = Comparison(
    "phone",
    ("phone", "phone~last8", "phone≠"),
    m_prior=(0.75, 0.01, 0.24),
    u_prior=(0.01, 0.001, 0.989),
    tf_column="phone",
    key=("phone",),
)
# The phone level of two numbers whose last eight digits agree (and no more).
PHONE_LAST_DIGITS: Final = 2
# The name parts are compared one by one (``lvl.first``, ``lvl.last``, which the
# guards read) and weighed together: agreement on the given name and on the family
# name are far from independent among unrelated candidates (colleagues blocked on a
# name token), so weighing them apart double-counted a shared family name.
FIRST = Comparison(
    "first",
    ("first", "first~nick", "first~close", "first~loose", "first~initial", "first≠"),
    m_prior=(0.88, 0.05, 0.03, 0.01, 0.02, 0.01),
    u_prior=(0.09, 0.05, 0.02, 0.04, 0.01, 0.79),
)
LAST = Comparison(
    "last",
    ("last", "last~close", "last~loose", "last≠"),
    m_prior=(0.93, 0.04, 0.02, 0.01),
    u_prior=(0.01, 0.005, 0.02, 0.965),
)
NAME = Comparison(
    "name",
    (
        "name",
        "name~nick",
        "name~close",
        "name~loose",
        "name~initial",
        "name~first≠",
        "name~last≠",
        "name~part",
        "name≠",
    ),
    m_prior=(0.83, 0.05, 0.05, 0.01, 0.02, 0.01, 0.005, 0.025, 0.005),
    u_prior=(1e-4, 1e-4, 2e-4, 0.002, 0.002, 0.015, 0.19, 0.01, 0.7806),
    tf_column="last",
    key=("first", "last"),
)
COMPANY = Comparison(
    "company",
    ("company", "company~close", "company≠"),
    m_prior=(0.85, 0.05, 0.10),
    u_prior=(0.60, 0.02, 0.38),
    tf_column=Col.COMPANY_KEY,
    key=(Col.COMPANY_KEY,),
)
# Only compared when the emails differ (or are a shared role address): a shared
# personal address already says the domain.
DOMAIN = Comparison(
    "domain",
    ("domain", "domain≠"),
    m_prior=(0.85, 0.15),
    u_prior=(0.60, 0.40),
    tf_column="business_domain",
    key=("business_domain",),
)
CORE: Final[tuple[Comparison, ...]] = (EMAIL, PHONE, NAME, COMPANY, DOMAIN)

_EXTRA_LEVELS: Final[Mapping[str, tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]]] = {
    "exact": (("", "≠"), (0.85, 0.15), (0.02, 0.98)),
    "name": (("", "~close", "~loose", "≠"), (0.85, 0.08, 0.04, 0.03), (0.005, 0.01, 0.05, 0.935)),
    "text": (("", "~close", "~loose", "≠"), (0.80, 0.10, 0.05, 0.05), (0.01, 0.01, 0.05, 0.93)),
    "date": (("", "~1part", "≠"), (0.85, 0.10, 0.05), (0.001, 0.02, 0.979)),
    "number": (("", "~1", "≠"), (0.85, 0.07, 0.08), (0.01, 0.02, 0.97)),
}


def extra_comparison(column: str, kind: str) -> Comparison:
    """The comparison of a ``[dedupe] compare`` column of `kind` (COMPARE_KINDS)."""
    labels, m_prior, u_prior = _EXTRA_LEVELS[kind]
    feature = COMPARE_PREFIX + column
    return Comparison(
        f"{kind}:{column}",
        tuple(column + suffix for suffix in labels),
        m_prior,
        u_prior,
        tf_column=feature if kind in ("exact", "name", "text") else None,
        key=(feature,),
    )


def comparisons_for(compare: Mapping[str, str]) -> tuple[Comparison, ...]:
    return CORE + tuple(extra_comparison(column, kind) for column, kind in compare.items())


def aligned(left: pl.DataFrame, right: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """The features of both sides of every pair, as ``<name>_l`` and ``<name>_r``."""
    i, j = pairs["i"], pairs["j"]
    return pl.concat(
        [
            pairs.select("i", "j"),
            left.select(pl.col(c).gather(i).alias(f"{c}_l") for c in left.columns),
            right.select(pl.col(c).gather(j).alias(f"{c}_r") for c in right.columns),
        ],
        how="horizontal",
    )


# --- similarities -------------------------------------------------------------


def _pairwise(left: pl.Series, right: pl.Series, scorer: Any, dtype: Any) -> np.ndarray:
    """`scorer` on each aligned pair, in bulk (rapidfuzz, both cores); a null compares
    as an empty text. Pairs of one text are not handed to rapidfuzz: every scorer
    here gives a text against itself what it gives "" against "" (a ratio of 100, no
    edits), and most candidate pairs share their names, whose copy into Python lists
    took as long as the scoring (tests/dedupe/test_pairwise.py checks this against
    rapidfuzz on every pair)."""
    lefts, rights = left.fill_null(""), right.fill_null("")
    scores = np.full(len(lefts), scorer("", ""), dtype=dtype)
    rows = (lefts != rights).arg_true()
    if len(rows):
        scores[rows.to_numpy()] = process.cpdist(
            lefts.gather(rows).to_list(),
            rights.gather(rows).to_list(),
            scorer=scorer,
            workers=-1,
            dtype=dtype,
        )
    return scores


def similarity(left: pl.Series, right: pl.Series) -> pl.Series:
    return pl.Series(_pairwise(left, right, fuzz.ratio, np.float32), dtype=pl.Float32) / 100


def within_one_edit(left: pl.Series, right: pl.Series) -> pl.Series:
    """Per pair: at most one edit apart (optimal string alignment: a swap of two
    letters is one edit); a null is "". Only pairs whose lengths allow it are handed to
    rapidfuzz: most candidate pairs' emails differ by more than a letter."""
    lefts, rights = left.fill_null(""), right.fill_null("")
    a, b = lefts.str.len_chars().cast(pl.Int32), rights.str.len_chars().cast(pl.Int32)
    could = ((a - b).abs() <= 1).fill_null(False)
    close = np.zeros(len(lefts), dtype=bool)
    rows = could.arg_true()
    if len(rows):
        apart = _pairwise(lefts.gather(rows), rights.gather(rows), OSA.distance, np.int32)
        close[rows.filter(pl.Series(apart <= 1)).to_numpy()] = True
    return pl.Series(close, dtype=pl.Boolean)


def shared_group(a: str, b: str) -> pl.Expr:
    return pl.col(a).list.set_intersection(pl.col(b)).list.len() > 0


def _banded(similarity: pl.Expr, known: pl.Expr, exact: pl.Expr, bands: int) -> pl.Expr:
    """Level 1 exact, then close, then loose (``bands`` = 3) or straight to different."""
    close = pl.when(exact).then(1).when(similarity >= _CLOSE).then(2)
    level: pl.Expr = (
        close.when(similarity >= _LOOSE).then(3).otherwise(4) if bands == 3 else close.otherwise(3)
    )
    return pl.when(known).then(level).otherwise(0).cast(pl.UInt8)


def _both(column: str) -> pl.Expr:
    return pl.col(f"{column}_l").is_not_null() & pl.col(f"{column}_r").is_not_null()


def _same(column: str) -> pl.Expr:
    return (pl.col(f"{column}_l") == pl.col(f"{column}_r")).fill_null(False)


def _one_number(frame: pl.DataFrame, number: str, second: str) -> pl.Expr:
    """A number of one row is a number of the other: the phone or the second number
    (a mobile beside an office line) of each, either against either; where no row of
    `frame` has a second number (an export with one phone column), the phones."""
    if not _second_numbers(frame):
        return _same(number)
    sides = [(a, b) for a in (number, second) for b in (number, second)]
    return pl.any_horizontal(
        (pl.col(f"{a}_l") == pl.col(f"{b}_r")).fill_null(False) for a, b in sides
    )


def _second_numbers(frame: pl.DataFrame) -> bool:
    """Whether a pair of `frame` holds a second number on either side."""
    columns = [f"{MOBILE}_{side}" for side in "lr"]
    return all(c in frame.columns for c in columns) and any(
        frame[c].null_count() < frame.height for c in columns
    )


def _same_phone(frame: pl.DataFrame) -> pl.Expr:
    return _one_number(frame, "phone", MOBILE)


def _same_or_alias_email() -> pl.Expr:
    """The same address, or the same but for punctuation in the local part (an alias
    at one domain: first.last@ and first_last@; the ``email_alias`` feature)."""
    return _same(Col.EMAIL_KEY) | _same(EMAIL_ALIAS)


# QWERTY's letter rows and how far each is shifted right (in key widths).
_KEY_ROWS: Final = (("qwertyuiop", 0.0), ("asdfghjkl", 0.25), ("zxcvbnm", 0.75))
# One slipped key in a word of this many letters or more; a shorter one (Tom, Tim) is
# as often another name as a typo.
_SLIP_MIN_LETTERS: Final = 4
_SLIP_MAX_LETTERS: Final = 6


@cache
def _key_neighbours() -> dict[str, frozenset[str]]:
    """Each letter's neighbouring keys: beside it, or touching it in the row above or
    below."""
    place = {
        key: (row, column + shift)
        for row, (keys, shift) in enumerate(_KEY_ROWS)
        for column, key in enumerate(keys)
    }
    return {
        key: frozenset(
            other
            for other, (other_row, other_x) in place.items()
            if other != key
            and abs(other_row - row) <= 1
            and (abs(other_x - x) == 1 if other_row == row else abs(other_x - x) < 1)
        )
        for key, (row, x) in place.items()
    }


def _one_slip(left: str, right: str) -> bool:
    """The same word but for one letter typed with a neighbouring key."""
    differ = [(a, b) for a, b in zip(left, right, strict=True) if a != b]
    return len(differ) == 1 and differ[0][1] in _key_neighbours().get(differ[0][0], ())


def keyboard_slip(left: pl.Series, right: pl.Series) -> pl.Series:
    """Per pair: the two name parts are one word with one key slipped (Amalia typed
    Amakia, Glenn typed Glebn), and not two given names we know (Karen and Karin are
    two people's names, whatever the keyboard says). Only words of four to six
    letters: from seven on, one letter off is close by spelling already. The keys are
    looked at in Python only for pairs one letter apart (Hamming distance, in bulk)."""
    known = _known_given_names()
    length = left.str.len_chars()
    candidate = (
        (length == right.str.len_chars())
        & length.is_between(_SLIP_MIN_LETTERS, _SLIP_MAX_LETTERS)
        & (left != right)
        & ~(left.is_in(known) & right.is_in(known))
    ).fill_null(False)
    rows = candidate.arg_true()
    slipped = np.zeros(len(left), dtype=bool)
    if len(rows):
        lefts, rights = left.gather(rows), right.gather(rows)
        one_apart = _pairwise(lefts, rights, Hamming.distance, np.int32) == 1
        rows, lefts, rights = (
            rows.filter(one_apart),
            lefts.filter(one_apart),
            rights.filter(one_apart),
        )
        pairs = zip(lefts.to_list(), rights.to_list(), strict=True)
        slipped[rows.to_numpy()] = [_one_slip(a, b) for a, b in pairs]
    return pl.Series(slipped, dtype=pl.Boolean)


# One edit in a word of this many letters or more is a typo; in a shorter one (Iris,
# Iros) as often another name.
_TYPO_MIN_LETTERS: Final = 5
# Two neighbours swapped is a typo from this many letters (Jsoe, Jnes): it rarely makes
# another name, and the names we know it makes (Lisa, Lias) are left out.
_SWAP_MIN_LETTERS: Final = 4


# A vowel of a name's key (y counts as one).
VOWEL: Final = "[aeiouy]"
# Names that differ only in a final vowel are one name's forms for two people (Mario
# and Maria, Paolo and Paola, Louis and Louise, Daniel and Daniela), not a typo.
FINAL_VOWEL: Final = VOWEL + "$"
# A generation written after a family name: Jr and Sr, II and III are two people.
_GENERATION: Final = r"(?:^| )(jr|sr|junior|senior|ii|iii|iv)$"
# The ending that makes a given name's feminine (or masculine) form.
_GENDER_ENDING: Final = "[ao]$"
# Endings a feminine form adds to a name: Stefan / Stefanie, Louis / Louise, Paul /
# Pauline, Henri / Henriette, Michel / Michelle.
_FEMININE_ADDED: Final = ("e", "ie", "ne", "le", "ine", "ina", "ette")
# Per pair: the given names are two names, however alike their spelling, and the
# family names end with two generations (Jr, Sr), in name_levels.
OTHER_GIVEN_NAME: Final = "other_given_name"
OTHER_GENERATION: Final = "other_generation"
# Per pair: a generation (Jr, Sr, III) after the family name on one side only.
ONE_GENERATION: Final = "one_generation"
SLIP_MIRRORS_NAMES: Final = "slip_mirrors_names"
# Per pair: one given name is the other's initial, but the initial's own address
# spells it out as another name (K at keith.yates@ against Kathleen).
INITIAL_SPELT_OTHERWISE: Final = "initial_spelt_otherwise"
# Per pair: the given names meet through a short form men and women both go by
# (Chris for Christine or Christopher), in name_levels.
SHORT_FORM_OF_EITHER: Final = "short_form_of_either"
UNISEX_SHORT_FORMS_FILE: Final = "dedupe_unisex_short_forms.txt"


def one_edit(left: pl.Series, right: pl.Series) -> pl.Series:
    """Per pair: the two name parts are one word with one typo in it (a letter for
    another, one left out or added, two neighbours swapped: Ralssa, Raisa, Rossana for
    Raissa, Raissa and Rosanna), the shorter of five letters or more (four for a swap:
    Jsoe for Jose), not two given names we know (Brian and Bryan) nor two that differ
    only in a final vowel (Mario and Maria). Only pairs whose lengths allow it are
    looked at further, and the edits counted only for those left (in bulk)."""
    a, b = left.str.len_chars().cast(pl.Int32), right.str.len_chars().cast(pl.Int32)
    shorter = pl.min_horizontal(a, b)
    long_enough = (shorter >= _TYPO_MIN_LETTERS) | ((shorter >= _SWAP_MIN_LETTERS) & (a == b))
    could = pl.select(
        (long_enough & ((a - b).abs() <= 1) & (left != right)).fill_null(False)
    ).to_series()
    rows = could.arg_true()
    typo = np.zeros(len(left), dtype=bool)
    if not len(rows):
        return pl.Series(typo, dtype=pl.Boolean)
    lefts, rights = left.gather(rows), right.gather(rows)
    known = _known_given_names()
    kept = ~(lefts.is_in(known) & rights.is_in(known)) & (
        lefts.str.replace(FINAL_VOWEL, "") != rights.str.replace(FINAL_VOWEL, "")
    )
    rows, lefts, rights = rows.filter(kept), lefts.filter(kept), rights.filter(kept)
    if len(rows):
        one = _pairwise(lefts, rights, OSA.distance, np.int32) <= 1
        # Below the typo length only a swap counts: one edit that changes two letters
        # (the two words are of one length there).
        short = (lefts.str.len_chars() < _TYPO_MIN_LETTERS).arg_true()
        if len(short):
            differ = _pairwise(
                lefts.gather(short), rights.gather(short), Hamming.distance, np.int32
            )
            one[short.to_numpy()] &= differ == 2
        typo[rows.filter(pl.Series(one)).to_numpy()] = True
    return pl.Series(typo, dtype=pl.Boolean)


@cache
def _known_given_names() -> pl.Series:
    """The names of the nickname list, imploded: the one collection `is_in` tests
    membership in."""
    return pl.Series(list(nickname_groups()), dtype=pl.String).implode()


@cache
def _unisex_short_forms() -> pl.Series:
    """The short forms of UNISEX_SHORT_FORMS_FILE, imploded for `is_in`."""
    return pl.Series(data_lines(UNISEX_SHORT_FORMS_FILE), dtype=pl.String).implode()


def _short_forms_of_either(frame: pl.DataFrame) -> pl.Series:
    """`_short_form_of_either` either way round, worked out only for the pairs where a
    given name is one of the short forms (a few in a hundred)."""
    forms = _unisex_short_forms()
    could = pl.col("first_l").is_in(forms) | pl.col("first_r").is_in(forms)
    return where_it_could(
        frame,
        could,
        lambda pairs: pairs.select(
            _short_form_of_either("l", "r") | _short_form_of_either("r", "l")
        ).to_series(),
    )


def _short_form_of_either(side: str, other: str) -> pl.Expr:
    """The given name of `side` ("l" or "r") is a short form men and women both go
    by, and neither address says whose it is: the other row's does not spell the short
    form (pat.kim@ or patkim77@ say Patricia Kim goes by Pat), nor this row's the
    other's given name (Jackie at jacquelinedyer@ is Jacqueline)."""
    short, full = pl.col(f"first_{side}"), pl.col(f"first_{other}")
    own_email, other_email = pl.col(f"{Col.EMAIL_KEY}_{side}"), pl.col(f"{Col.EMAIL_KEY}_{other}")
    other_letters = other_email.str.extract(r"^([^@]*)").str.replace_all(r"[^a-z]", "")
    goes_by_it = (other_email.str.extract(r"^([a-z]+)") == short) | other_letters.str.starts_with(
        pl.concat_str(short, pl.col(f"last_{other}"))
    )
    spells_the_full_name = own_email.str.starts_with(full)
    told = (goes_by_it | spells_the_full_name).fill_null(False)
    return short.is_in(_unisex_short_forms()) & ~told


def _sound_alike(left: str, right: str) -> pl.Expr:
    """The name parts `left` and `right` (aligned feature names) sound alike: their
    per-row sound keys (``features.sounded``, hashed) are equal."""
    return (pl.col(SOUND_OF[left]) == pl.col(SOUND_OF[right])).fill_null(False)


# The sound-key feature of each aligned name part.
SOUND_OF: Final[Mapping[str, str]] = {
    f"{part}_{side}": f"{part}_sound_{side}" for part in SOUNDED_PARTS for side in ("l", "r")
}


def _initial_of(short: str, full: str, typed: pl.Expr) -> pl.Expr:
    """`short` is `full`'s initial, or two letters starting with it: a given name cut
    short on a badge or a form (N, No or NO for Norman; NO may be two initials). Two
    letters that are a given name of their own (Ed, Jo, Al) are that name, compared
    as names are (nickname groups): Ed is not Edna's initial. They are initials all
    the same when they hold no vowel (the nickname list spells initials people go by
    as names: J.R., K.C., Mc) or were typed as two capitals (`typed`: "EM Briones")."""
    s, f = pl.col(short), pl.col(full)
    a_name = (
        (s.str.len_chars() == 2) & s.is_in(_known_given_names()) & s.str.contains(VOWEL) & ~typed
    )
    return (
        (s.str.len_chars() <= 2)
        & ~a_name
        & (f.str.len_chars() > s.str.len_chars())
        & (s.str.slice(0, 1) == f.str.slice(0, 1))
    ).fill_null(False)


def _typed_initials(column: str) -> pl.Expr:
    """A given name's side typed it as two capitals (``first_initials``); a family
    name never counts as typed initials."""
    if not column.startswith("first"):
        return pl.lit(False)
    return pl.col(TYPED_INITIALS + column[-2:]).fill_null(False)


def _initials(a: str, b: str) -> pl.Expr:
    return _initial_of(a, b, _typed_initials(a)) | _initial_of(b, a, _typed_initials(b))


def _address_spellings(name: pl.Expr) -> list[pl.Expr]:
    """How an address may spell a name: as it is, without its accents (jorn@ for
    Jörn), with German umlauts as the vowel and e (joern@), and a vowel and e as the
    bare vowel: the name stage folds Sükrü to suekrue, which sukru@ spells without
    the e's."""
    return [
        name,
        strip_accents(name),
        german_folded(name),
        name.str.replace_many(["ae", "oe", "ue"], ["a", "o", "u"]),
    ]


def where_it_could(
    frame: pl.DataFrame, could: pl.Expr, test: Callable[[pl.DataFrame], pl.Series]
) -> pl.Series:
    """Per pair, `test` (a boolean per row of the frame it is given) on the pairs
    `could` holds for, False elsewhere: a test of a few pairs in a hundred, worked
    out on those only (a null `could` is False)."""
    found = np.zeros(frame.height, dtype=bool)
    rows = frame.select(could.fill_null(False)).to_series().arg_true()
    if len(rows):
        found[rows.filter(test(frame[rows]).fill_null(False)).to_numpy()] = True
    return pl.Series(found, dtype=pl.Boolean)


def _spelt_by_the_address(frame: pl.DataFrame, short: str, full: str) -> pl.Series:
    """Per pair: `short`, two letters, begins `full` (accents aside: Jo, Jörn), which
    the address of `short`'s row (shared with the other row or its own) spells in its
    local part: the address says whose name it is short for (Jo at jocelynaltera@ is
    Jocelyn's). A role address (info@) is nobody's. Names and local parts are read
    only for the pairs whose lengths allow it (a few in a million)."""
    s, f = pl.col(short), pl.col(full)
    side = short[-2:]
    own = pl.col(f"{Col.EMAIL_KEY}{side}").is_not_null() & ~pl.col(f"email_role{side}")
    local = email_alias(pl.col(f"{Col.EMAIL_KEY}{side}")).str.split("@").list.first()
    begins = strip_accents(f).str.starts_with(strip_accents(s))
    spells = pl.any_horizontal(
        local.str.contains(spelling, literal=True) for spelling in _address_spellings(f)
    )
    return where_it_could(
        frame,
        own & (s.str.len_chars() == 2) & (f.str.len_chars() > 2),
        lambda could: could.select(begins & spells).to_series(),
    )


def _address_spells_another_name(frame: pl.DataFrame, side: str, other: str) -> pl.Series:
    """Per pair: the one-letter given name of side `side` is, by its own address, a
    given name unlike the other side's (K at keith.yates@ against Kathleen): the
    initial is not hers. Alike is the same, one a beginning of the other (Will,
    William) or one edit apart (a typo in the address: erin.cohen@ for Eric), as an
    address may spell the name (accents aside, umlauts as the vowel and e)."""
    spelt, full = frame[f"{FIRST_SPELT}_{side}"], frame[f"first_{other}"]
    could = (spelt.is_not_null() & (full.str.len_chars() > 1)).fill_null(False)
    otherwise = np.zeros(frame.height, dtype=bool)
    rows = could.arg_true()
    if len(rows):
        s, f = pl.col("s"), pl.col("f")
        candidates = pl.DataFrame({"s": spelt.gather(rows), "full": full.gather(rows)})
        alike = pl.Series(np.zeros(len(rows), dtype=bool))
        for spelling in _address_spellings(pl.col("full")):
            pair = candidates.select(s, spelling.alias("f"))
            one_begins_the_other = pair.select(
                (s == f) | s.str.starts_with(f) | f.str.starts_with(s)
            ).to_series()
            alike = alike | one_begins_the_other | within_one_edit(pair["s"], pair["f"])
        otherwise[rows.filter(~alike.fill_null(False)).to_numpy()] = True
    return pl.Series(otherwise, dtype=pl.Boolean)


def _initial_or_spelt(frame: pl.DataFrame, a: str, b: str) -> pl.Series:
    """One of the parts `a` and `b` is the other's initial, or two letters that the
    address of their row spells the other part from. Only a part of two letters or
    fewer can be either."""

    def initial_or_spelt(short: pl.DataFrame) -> pl.Series:
        spelt = _spelt_by_the_address(short, a, b) | _spelt_by_the_address(short, b, a)
        return short.select(_initials(a, b) | pl.lit(spelt)).to_series()

    one_short = pl.min_horizontal(pl.col(a).str.len_chars(), pl.col(b).str.len_chars()) <= 2
    return where_it_could(frame, one_short, initial_or_spelt)


def _given_names_similarity(frame: pl.DataFrame) -> pl.Series:
    """The first given names' similarity, or all given names' where one side has
    several and they are closer (the better of the two). All of them are compared
    only for those pairs: for the rest the two are the same words."""
    first = similarity(frame["first_l"], frame["first_r"])
    several = frame.select(
        pl.col("first_all_l").ne_missing(pl.col("first_l"))
        | pl.col("first_all_r").ne_missing(pl.col("first_r"))
    ).to_series()
    rows = several.arg_true()
    if not len(rows):
        return first
    chosen = frame[rows]
    every = similarity(chosen["first_all_l"], chosen["first_all_r"])
    better = pl.select(pl.max_horizontal(first.gather(rows), every)).to_series()
    return first.scatter(rows, better)


def _generation(column: str) -> pl.Expr:
    """The generation a family name ends with (``smith jr`` -> ``jr``), or null."""
    return pl.col(column).str.extract(_GENERATION, 1)


def _feminine_form(name: str, other: str) -> pl.Expr:
    """`other` is `name` with a feminine ending added (Stefan, Stefanie); not a
    letter typed twice (Renée, Renéee)."""
    added = pl.col(other).str.strip_prefix(pl.col(name))
    return (
        (pl.col(other).str.len_chars() > pl.col(name).str.len_chars())
        & pl.col(other).str.starts_with(pl.col(name))
        & added.is_in(_FEMININE_ADDED)
        & ~((added.str.len_chars() == 1) & (pl.col(name).str.ends_with(added)))
    )


@cache
def family_particles() -> frozenset[str]:
    """The words of family-name particles (van, der, de, la ...), lower case."""
    return frozenset(word for line in data_lines("name_particles.txt") for word in line.split())


def _second_family_name(part: str, whole: str) -> pl.Expr:
    """`part` (a family name, its words spaced) is the first or the last words of
    `whole`, a family name of more words: Forster or van Asten in Camacho Forster or
    Proctor van Asten, Ho in Ho-Ball, never a piece of a word (Lind in Lindqvist)
    nor a particle alone (de in de Souza)."""
    a, b = pl.col(part), pl.col(whole)
    return (
        (a.str.len_chars() >= 2)
        & ~a.is_in(pl.Series(sorted(family_particles()), dtype=pl.String).implode())
        & (b.str.len_chars() > a.str.len_chars())
        & (
            (pl.lit(" ") + b).str.ends_with(pl.lit(" ") + a)
            | (b + pl.lit(" ")).str.starts_with(a + pl.lit(" "))
        )
    ).fill_null(False)


def _a_second_family_name(frame: pl.DataFrame, one: str, other: str) -> pl.Series:
    """Per pair, either family name (its words spaced) is the first or the last words
    of the other (`_second_family_name`); looked at only where one begins or ends the
    other, a few pairs in a hundred."""
    a, b = pl.col(one), pl.col(other)
    could = (a != b) & (
        b.str.starts_with(a) | b.str.ends_with(a) | a.str.starts_with(b) | a.str.ends_with(b)
    )

    def either(pairs: pl.DataFrame) -> pl.Series:
        either_way = _second_family_name(one, other) | _second_family_name(other, one)
        return pairs.select(either_way).to_series()

    return where_it_could(frame, could, either)


# Under this many letters one edit makes too many family names alike (Ho, Hu, Wu).
_SLIPPED_FAMILY_NAME_MIN: Final = 4


def _a_second_family_name_slipped(
    frame: pl.DataFrame, one: str, other: str, wanted: pl.Series
) -> pl.Series:
    """Per pair, one family name (one word) is a typo away from the first or the last
    word of the other, a family name of two words or more: Meister and "Meeister
    Leopardi", Pohl and "Phl Schlosser": a typo and a second family name at once.
    Looked at only where `wanted` holds and exactly one side has several words."""
    a, b = pl.col(one), pl.col(other)
    a_several = a.str.contains(" ", literal=True)
    could = pl.lit(wanted) & (a != b) & (a_several != b.str.contains(" ", literal=True))

    def slipped(pairs: pl.DataFrame) -> pl.Series:
        several = pl.when(a_several).then(a).otherwise(b)
        words = pairs.select(
            pl.when(a_several).then(b).otherwise(a).alias("single"),
            several.str.extract(r"^(\S+)").alias("head"),
            several.str.extract(r"(\S+)$").alias("tail"),
        )
        single = words["single"]
        return (single.str.len_chars() >= _SLIPPED_FAMILY_NAME_MIN) & (
            within_one_edit(single, words["head"]) | within_one_edit(single, words["tail"])
        )

    return where_it_could(frame, could, slipped)


def name_levels(frame: pl.DataFrame) -> pl.DataFrame:
    """``lvl.first``, ``lvl.last`` in the better orientation, ``swapped`` (that
    orientation is first/last swapped), and ``name_score`` (mean part similarity)."""
    sims = frame.select(
        pl.lit(_given_names_similarity(frame)).alias("_ff"),
        similarity(frame["last_l"], frame["last_r"]).alias("_ll"),
        similarity(frame["first_all_l"], frame["last_r"]).alias("_fl"),
        similarity(frame["last_l"], frame["first_all_r"]).alias("_lf"),
        _sound_alike("first_l", "first_r").alias("_ff_sound"),
        _sound_alike("last_l", "last_r").alias("_ll_sound"),
        _sound_alike("first_all_l", "last_r").alias("_fl_sound"),
        _sound_alike("last_l", "first_all_r").alias("_lf_sound"),
        shared_group("first_groups_l", "first_groups_r").alias("_nick"),
        shared_group("first_groups_l", "last_groups_r").alias("_nick_fl"),
        shared_group("last_groups_l", "first_groups_r").alias("_nick_lf"),
        pl.lit(_short_forms_of_either(frame)).alias("_short_form_of_either"),
        # Given names agree when all of them do ("Jean Pierre", "Jeanpierre"); the same
        # first given name beside a second one on one side only is close.
        (pl.col("first_all_l") == pl.col("first_all_r")).fill_null(False).alias("_first_eq"),
        # Father and son of one name: John Smith Jr and John Smith Sr (II, III).
        # Null unless both name one (a missing suffix may be either).
        (_generation("last_spaced_l") != _generation("last_spaced_r")).alias("_other_generation"),
        (_generation("last_spaced_l").is_null() != _generation("last_spaced_r").is_null()).alias(
            "_one_generation"
        ),
        # One name and its feminine form (Dan, Dana; Mario, Maria), or two names we
        # know. Not a final i or y: Jeremi and Shelbi are spellings of one name.
        (
            (
                pl.col("first_l").str.replace(_GENDER_ENDING, "")
                == pl.col("first_r").str.replace(_GENDER_ENDING, "")
            )
            | _feminine_form("first_l", "first_r")
            | _feminine_form("first_r", "first_l")
        ).alias("_ff_gender"),
        (
            pl.col("first_l").is_in(_known_given_names())
            & pl.col("first_r").is_in(_known_given_names())
        ).alias("_ff_known"),
        (
            (pl.col("first_l") == pl.col("first_r"))
            & (pl.col("first_all_l") != pl.col("first_all_r"))
        )
        .fill_null(False)
        .alias("_ff_second"),
        (pl.col("last_l") == pl.col("last_r")).fill_null(False).alias("_last_eq"),
        (pl.col("first_all_l") == pl.col("last_r")).fill_null(False).alias("_fl_eq"),
        (pl.col("last_l") == pl.col("first_all_r")).fill_null(False).alias("_lf_eq"),
        (_both("first") & _both("last")).alias("_full"),
        _both("first").alias("_first_known"),
        _both("last").alias("_last_known"),
        _same(Col.EMAIL_KEY).alias("_same_email"),
        _same_or_alias_email().alias("_alias_email"),
        _same_phone(frame).alias("_same_phone"),
        pl.lit(_initial_or_spelt(frame, "first_l", "first_r")).alias("_ff_init"),
        pl.lit(
            _address_spells_another_name(frame, "l", "r")
            | _address_spells_another_name(frame, "r", "l")
        ).alias("_ff_init_spelt_otherwise"),
        # Across as well: "Verdier, Vi" at victor.verdier@ is Victor Verdier's.
        pl.lit(_initial_or_spelt(frame, "first_all_l", "last_r")).alias("_fl_init"),
        pl.lit(_initial_or_spelt(frame, "last_l", "first_all_r")).alias("_lf_init"),
        pl.lit(_a_second_family_name(frame, "last_spaced_l", "last_spaced_r")).alias(
            "_ll_compound"
        ),
        # The same across, for a family name typed in the given name's column.
        pl.lit(_a_second_family_name(frame, "first_spaced_l", "last_spaced_r")).alias(
            "_fl_compound"
        ),
        pl.lit(_a_second_family_name(frame, "last_spaced_l", "first_spaced_r")).alias(
            "_lf_compound"
        ),
    )
    sims = sims.with_columns(
        (keyboard_slip(frame[left], frame[right]) | one_edit(frame[left], frame[right])).alias(
            f"_{part}_slip"
        )
        for part, left, right in (
            ("ff", "first_l", "first_r"),
            ("ll", "last_l", "last_r"),
            ("fl", "first_all_l", "last_r"),
            ("lf", "last_l", "first_all_r"),
        )
    )
    # A part spelt another way for one sound, typed with one key slipped or with one
    # typo in a longer word, is close however far apart its letters.
    close = pl.lit(_CLOSE, dtype=pl.Float32)
    sims = sims.with_columns(
        pl.col("_fl").alias("_fl_spelling"), pl.col("_lf").alias("_lf_spelling")
    )
    heard = {
        part: pl.when(pl.col(f"_{part}_sound") | pl.col(f"_{part}_slip"))
        .then(pl.max_horizontal(pl.col(f"_{part}"), close))
        .otherwise(pl.col(f"_{part}"))
        for part in ("ff", "ll", "fl", "lf")
    }
    # A second family name on one side (Camacho Forster, Forster) is close too.
    for part in ("ll", "fl", "lf"):
        heard[part] = (
            pl.when(pl.col(f"_{part}_compound"))
            .then(pl.max_horizontal(heard[part], close))
            .otherwise(heard[part])
        )
    heard["ff"] = pl.when(pl.col("_ff_second")).then(close).otherwise(heard["ff"])
    sims = sims.with_columns(expr.alias(f"_{part}") for part, expr in heard.items())
    # With a typo as well (Meeister Leopardi, Meister) it is loose: two slips, which
    # namesakes make too (Hall Baxter, Hale). Looked for only where the family names
    # are not loosely alike already.
    loose = pl.lit(_LOOSE, dtype=pl.Float32)
    slipped = _a_second_family_name_slipped(
        frame, "last_spaced_l", "last_spaced_r", sims["_ll"] < _LOOSE
    )
    sims = sims.with_columns(
        pl.when(pl.lit(slipped)).then(loose).otherwise(pl.col("_ll")).alias("_ll")
    )
    one = pl.lit(1.0, dtype=pl.Float32)
    ff = pl.when(pl.col("_nick")).then(one).otherwise(pl.col("_ff"))
    fl = pl.when(pl.col("_nick_fl")).then(one).otherwise(pl.col("_fl"))
    lf = pl.when(pl.col("_nick_lf")).then(one).otherwise(pl.col("_lf"))
    straight = (ff + pl.col("_ll")) / 2
    swapped_mean = (fl + lf) / 2
    # A shared email is strong enough to take a swapped reading with a typo in it.
    # A swap read through a nickname ("Norman Cole" as Cole, short for Nicole) is two
    # guesses stacked: it needs a shared phone; else the parts must agree by spelling.
    # One part the same across and the other a typo away ("Pores Georgia" for Georgia
    # Pires) is one guess: a shared phone or an alias of the address carries it.
    one_typo = (pl.col("_fl_eq") | pl.col("_lf_eq")) & (
        pl.min_horizontal(pl.col("_fl"), pl.col("_lf")) >= _LOOSE
    )
    # One part the same across and the other an initial of it ("Pasquier NP" for
    # Nicolas Pasquier) is one guess as well, read with the initial counted as agreeing.
    shared_key = pl.col("_same_phone") | pl.col("_alias_email")
    init_b = pl.col("_fl_eq") & pl.col("_lf_init")
    init_a = pl.col("_lf_eq") & pl.col("_fl_init")
    as_one = {
        part: pl.when(pl.col(f"_{part}_init")).then(one).otherwise(pl.col(f"_{part}"))
        for part in ("ff", "fl", "lf")
    }
    swapped_by_initial = (
        (init_a | init_b)
        & shared_key
        & ((as_one["fl"] + as_one["lf"]) / 2 > (as_one["ff"] + pl.col("_ll")) / 2)
    )
    # "By spelling" is the parts' letters: a typo, a slip or one sound lifts a part
    # to close (`heard`), which would let "Pores Georgia" pass for Georgia Pires on
    # the employer alone, a guess on a guess.
    spelt_fl = pl.when(pl.col("_nick_fl")).then(one).otherwise(pl.col("_fl_spelling"))
    spelt_lf = pl.when(pl.col("_nick_lf")).then(one).otherwise(pl.col("_lf_spelling"))
    swapped = pl.col("_full") & (
        (
            (
                (
                    pl.min_horizontal(pl.col("_fl_spelling"), pl.col("_lf_spelling"))
                    >= _SWAPPED_PART_FLOOR
                )
                | (
                    (pl.min_horizontal(spelt_fl, spelt_lf) >= _SWAPPED_PART_FLOOR)
                    & pl.col("_same_phone")
                )
                | (one_typo & shared_key)
                | pl.col("_same_email")
            )
            & (swapped_mean > straight)
        )
        | swapped_by_initial
    )
    # Read swapped with the initial in the other side's given name: the parts trade
    # places, so that the initial is the given name's level.
    trade = swapped & init_b & ~pl.col("_lf_eq")

    # In the swapped reading the given name is compared with the other side's family
    # name, so its nickname group is the one that was checked across.
    def oriented(traded: pl.Expr, across: pl.Expr, straight: pl.Expr) -> pl.Expr:
        return pl.when(trade).then(traded).when(swapped).then(across).otherwise(straight)

    col = pl.col
    first_sim = oriented(lf, fl, ff)
    last_sim = oriented(fl, lf, col("_ll"))
    first_exact = oriented(col("_lf_eq"), col("_fl_eq"), col("_first_eq"))
    first_nick = oriented(col("_nick_lf"), col("_nick_fl"), col("_nick") & ~col("_ff_second"))
    first_initial = oriented(col("_lf_init"), col("_fl_init"), col("_ff_init"))
    last_exact = oriented(col("_fl_eq"), col("_lf_eq"), col("_last_eq"))
    first_level = (
        pl.when(~pl.col("_first_known"))
        .then(0)
        .when(first_exact)
        .then(1)
        .when(first_nick)
        .then(2)
        .when(first_initial)
        .then(5)
        .when(first_sim >= _CLOSE)
        .then(3)
        .when(first_sim >= _LOOSE)
        .then(4)
        .otherwise(6)
        .cast(pl.UInt8)
    )
    last_level = _banded(last_sim, pl.col("_last_known"), last_exact, bands=3)
    # Two given names a letter or two apart may still be two names: Dan and Dana,
    # Eric and Erica (one name and its feminine form), Ian and Ivan (two names we
    # know that sound apart). Similar spellings, but two people where they share a
    # mailbox or a phone (scoring's family guard).
    other_given_name = (
        pl.col("_first_known")
        & ~swapped
        & ~pl.col("_first_eq")
        & ~pl.col("_ff_second")
        & ~pl.col("_nick")
        & ~pl.col("_ff_init")
        & (pl.col("_ff_gender") | (pl.col("_ff_known") & ~pl.col("_ff_sound")))
    ).fill_null(False)
    return sims.select(
        first_level.alias(FIRST.column),
        last_level.alias(LAST.column),
        swapped.alias("swapped"),
        other_given_name.alias(OTHER_GIVEN_NAME),
        pl.col("_other_generation").fill_null(False).alias(OTHER_GENERATION),
        pl.col("_one_generation").fill_null(False).alias(ONE_GENERATION),
        ((first_level == 5) & pl.col("_ff_init_spelt_otherwise")).alias(INITIAL_SPELT_OTHERWISE),
        ((first_level == 2) & ~swapped & pl.col("_short_form_of_either"))
        .fill_null(False)
        .alias(SHORT_FORM_OF_EITHER),
        pl.when(pl.col("_full"))
        .then(pl.max_horizontal(straight, pl.when(swapped).then(swapped_mean).otherwise(0.0)))
        .alias("name_score"),
    )


def _joint_name_level() -> pl.Expr:
    """The two parts' levels as one (see NAME's labels)."""
    first, last = pl.col(FIRST.column), pl.col(LAST.column)
    level = (
        pl.when((first == 0) & (last == 0))
        .then(0)
        .when((first == 1) & (last == 1))
        .then(1)
        .when((first == 2) & (last == 1))
        .then(2)
        .when(first.is_in([1, 2, 3]) & last.is_in([1, 2]))
        .then(3)
        .when(first.is_in([1, 2, 3, 4]) & last.is_in([1, 2, 3]))
        .then(4)
        .when((first == 5) & last.is_in([1, 2]))
        .then(5)
        .when((first == 6) & last.is_in([1, 2]))
        .then(6)
        .when(first.is_in([1, 2, 3]) & (last == 4))
        .then(7)
        .when(((first == 0) & last.is_in([1, 2])) | (first.is_in([1, 2, 3]) & (last == 0)))
        .then(8)
        .otherwise(9)
    )
    return level.cast(pl.UInt8).alias(NAME.column)


def _one_letter_slip(left: pl.Series, right: pl.Series) -> pl.Series:
    """Per pair: at most one edit apart with the same digits (jsmith7@ and jsmith8@
    are two numbered namesakes, not a slip). Digits are read only for the pairs of two
    addresses one edit apart (not for the many of one address, or of none)."""
    close = within_one_edit(left, right)
    rows = (close & (left != right)).fill_null(False).arg_true()
    if len(rows):
        pairs = pl.DataFrame({"l": left.gather(rows), "r": right.gather(rows)})
        same = pairs.select(_digits(pl.col("l")) == _digits(pl.col("r"))).to_series()
        close = close.scatter(rows, same.fill_null(True))
    return close


def _digits(text: pl.Expr) -> pl.Expr:
    return text.str.replace_all(r"[^0-9]", "")


def _email_levels(frame: pl.DataFrame) -> pl.Series:
    known = _both(Col.EMAIL_KEY) & ~pl.col("email_role_l") & ~pl.col("email_role_r")
    # One slip of a letter: jsmith7@ and jsmith8@ are two numbered namesakes.
    slip = _one_letter_slip(frame["email_key_l"], frame["email_key_r"])
    alias = _same_or_alias_email()
    level = (
        pl.when(~known)
        .then(0)
        .when(_same(Col.EMAIL_KEY))
        .then(1)
        .when(alias)
        .then(2)
        .when(pl.lit(slip))
        .then(3)
        .when(pl.col("business_domain_l").is_null() != pl.col("business_domain_r").is_null())
        .then(4)
        .otherwise(5)
    )
    return frame.select(level.cast(pl.UInt8).alias(EMAIL.column)).to_series()


# ``numbered``: what the numbers in two addresses at one business domain say.
# john.smith@ and john.smith4018@ is how an employer tells its second John Smith from
# the first (NUMBERED_NAMESAKE); jsmith2@ beside john.smith@ may be either
# (OTHER_NUMBER). Free-mail providers number everybody, so there it says nothing.
OTHER_NUMBER: Final = 1
NUMBERED_NAMESAKE: Final = 2


def _address_numbers(frame: pl.DataFrame) -> pl.Series:
    """Per pair, 0, OTHER_NUMBER or NUMBERED_NAMESAKE (see above). The local parts are
    taken apart only for the pairs of two addresses at one business domain with a
    digit in either (most work addresses have none)."""
    local_l = pl.col(f"{Col.EMAIL_KEY}_l").str.split("@").list.first()
    local_r = pl.col(f"{Col.EMAIL_KEY}_r").str.split("@").list.first()
    numbered_at_one_employer = frame.select(
        (
            _same("business_domain")
            & ~_same(Col.EMAIL_KEY)
            & ~pl.col("email_role_l")
            & ~pl.col("email_role_r")
            & (local_l.str.contains(r"\d") | local_r.str.contains(r"\d"))
        )
        .fill_null(False)
        .alias("numbered")
    ).to_series()
    numbered = np.zeros(frame.height, dtype=np.uint8)
    rows = numbered_at_one_employer.arg_true()
    if len(rows):

        def letters(local: pl.Expr) -> pl.Expr:
            return local.str.replace_all(r"[^\p{L}]", "")

        level = (
            pl.when(_digits(local_l) == _digits(local_r))
            .then(0)
            .when(letters(local_l) == letters(local_r))
            .then(NUMBERED_NAMESAKE)
            .otherwise(OTHER_NUMBER)
        )
        emails = frame.select(f"{Col.EMAIL_KEY}_l", f"{Col.EMAIL_KEY}_r")[rows]
        numbered[rows.to_numpy()] = emails.select(level.cast(pl.UInt8)).to_series().to_numpy()
    return pl.Series("numbered", numbered, dtype=pl.UInt8)


def _phone_levels(frame: pl.DataFrame) -> pl.Expr:
    """Exact, the last eight digits alike, or different, between two numbers the phone
    stage read; a number it could not read (a national one under another country)
    meets another only by its last eight digits, and says nothing where they differ:
    what it is typed as may be anything."""
    last8 = _one_number(frame, PHONE_TAIL, MOBILE_TAIL)
    # A row whose Phone cell could not be read may still have a mobile.
    known = [
        pl.col(f"phone_{side}").is_not_null() | pl.col(f"{MOBILE}_{side}").is_not_null()
        for side in "lr"
    ]
    level = pl.when(known[0] & known[1]).then(
        pl.when(_same_phone(frame)).then(1).when(last8).then(PHONE_LAST_DIGITS).otherwise(3)
    )
    return level.when(last8).then(PHONE_LAST_DIGITS).otherwise(0).cast(pl.UInt8).alias(PHONE.column)


def _company_levels(frame: pl.DataFrame) -> pl.Series:
    alike = similarity(frame["company_key_l"], frame["company_key_r"])
    level = _banded(pl.lit(alike), _both(Col.COMPANY_KEY), _same(Col.COMPANY_KEY), bands=2)
    return frame.select(level.alias(COMPANY.column)).to_series()


def _domain_levels(_frame: pl.DataFrame) -> pl.Expr:
    level = (
        pl.when(
            ~_both("business_domain")
            | (_same(Col.EMAIL_KEY) & ~pl.col("email_role_l") & ~pl.col("email_role_r"))
        )
        .then(0)
        .when(_same("business_domain"))
        .then(1)
        .otherwise(2)
    )
    return level.cast(pl.UInt8).alias(DOMAIN.column)


def _date_parts(column: str) -> pl.Expr:
    """Digits of a date, split into its parts ("1984-07-03" -> [1984, 7, 3])."""
    return pl.col(column).str.extract_all(r"\d+")


def _extra_levels(frame: pl.DataFrame, comparison: Comparison) -> pl.Series:
    kind, column = comparison.name.split(":", 1)
    feature = COMPARE_PREFIX + column
    known, same = _both(feature), _same(feature)
    left, right = f"{feature}_l", f"{feature}_r"
    if kind == "exact":
        level = pl.when(~known).then(0).when(same).then(1).otherwise(2)
    elif kind in ("name", "text"):
        alike = similarity(frame[left], frame[right])
        banded = _banded(pl.lit(alike), known, same, bands=3)
        return frame.select(banded.alias(comparison.column)).to_series()
    elif kind == "date":
        parts_l, parts_r = _date_parts(left), _date_parts(right)
        digits = frame.select(parts_l.list.join("").alias("l"), parts_r.list.join("").alias("r"))
        # One digit off (a typo in the day) or day and month transposed.
        close = pl.lit(within_one_edit(digits["l"], digits["r"])) | (
            parts_l.list.sort() == parts_r.list.sort()
        )
        level = pl.when(~known).then(0).when(same).then(1).when(close).then(2).otherwise(3)
    else:
        number_l = pl.col(left).cast(pl.Float64, strict=False)
        number_r = pl.col(right).cast(pl.Float64, strict=False)
        known = known & number_l.is_not_null() & number_r.is_not_null()
        gap = (number_l - number_r).abs()
        level = pl.when(~known).then(0).when(gap == 0).then(1).when(gap <= 1).then(2).otherwise(3)
    return frame.select(level.cast(pl.UInt8).alias(comparison.column)).to_series()


_SIMPLE: Final[Mapping[str, Callable[[pl.DataFrame], pl.Expr]]] = {
    PHONE.name: _phone_levels,
    DOMAIN.name: _domain_levels,
}


def comparison_levels(frame: pl.DataFrame, comparisons: tuple[Comparison, ...]) -> pl.DataFrame:
    """The level of every comparison for every aligned pair (``lvl.<name>``), with
    the name parts' levels, ``swapped``, ``name_score``, ``other_given_name``,
    ``other_generation``, ``one_generation``, ``initial_spelt_otherwise``,
    ``short_form_of_either``,
    ``numbered``, ``work_address``, ``slip_keyed`` and ``slip_mirrors_names``."""
    names = name_levels(frame)
    columns: list[pl.Series] = []
    for comparison in comparisons:
        if comparison is NAME:
            columns.append(names.select(_joint_name_level()).to_series())
        elif comparison.name in _SIMPLE:
            columns.append(frame.select(_SIMPLE[comparison.name](frame)).to_series())
        elif comparison is EMAIL:
            columns.append(_email_levels(frame))
        elif comparison is COMPANY:
            columns.append(_company_levels(frame))
        else:
            columns.append(_extra_levels(frame, comparison))
    parts = [
        names[FIRST.column],
        names[LAST.column],
        names["swapped"],
        names["name_score"],
        names[OTHER_GIVEN_NAME],
        names[OTHER_GENERATION],
        names[ONE_GENERATION],
        names[INITIAL_SPELT_OTHERWISE],
        names[SHORT_FORM_OF_EITHER],
    ]
    work_address = frame.select(_shared_work_address()).to_series()
    levels = pl.DataFrame(columns)
    slips = levels[EMAIL.column] == 3 if EMAIL in comparisons else None
    slip_keyed = _slip_keyed(frame, slips)
    # Two addresses a slip apart, or other ones at one business domain whose names
    # are alike (a wholly other given or family name keeps them apart already: at a
    # million rows, more than half the candidate pairs are such colleagues).
    other_addresses = None
    if EMAIL in comparisons:
        email, first, last = levels[EMAIL.column], names[FIRST.column], names[LAST.column]
        one_domain = frame.select(_same("business_domain")).to_series()
        alike = first.is_between(1, 5) & last.is_between(1, 3)
        other_addresses = (email == 3) | ((email == 5) & one_domain & alike)
    mirrored = _slip_mirrors_the_names(
        frame, other_addresses, slips, names[FIRST.column], names[LAST.column]
    )
    return levels.hstack([*parts, _address_numbers(frame), work_address, slip_keyed, mirrored])


def _slip_keyed(frame: pl.DataFrame, slips: pl.Series | None) -> pl.Series:
    """``slip_keyed``, per pair: a slip of the address (`slips`) whose two addresses
    could share a block of blocking's `email_halves` key: both local parts long
    enough that each keeps its halves, and the same initials of the full name (either
    order). It is what lets addresses a letter apart stand as a shared key, so a
    merge never depends on which pairs happened to be candidates. Worked out only
    for the slips."""
    if slips is None:
        return pl.Series("slip_keyed", np.zeros(frame.height, dtype=bool), dtype=pl.Boolean)
    keyed = where_it_could(
        frame, pl.lit(slips), lambda could: could.select(_could_share_a_half()).to_series()
    )
    return keyed.alias("slip_keyed")


def _slip_mirrors_the_names(
    frame: pl.DataFrame,
    addresses: pl.Series | None,
    slips: pl.Series | None,
    first: pl.Series,
    last: pl.Series,
) -> pl.Series:
    """``slip_mirrors_names``, per pair: two addresses (where `addresses` holds: a
    slip apart, where `slips` holds, or other ones) whose names differ in a part that
    each row's address spells as its own row does (brenda.ponce@ for Brenda,
    brendan.ponce@ for Brendan; cpark@ and cparks@; philip.miles@ and philip.miller@):
    the addresses differ because the names do, so the slip says nothing the names do
    not, and two such other addresses at one employer are two people's (if neither
    spells the other's part as well). Where an address does not spell its own row's
    differing part (caalomorris@ beside Carlo Morirs), one of two typos is in the
    address: one person. Names that agree mirror nothing. Worked out only where
    `addresses` holds."""
    mirrored = np.zeros(frame.height, dtype=bool)
    if addresses is None or slips is None:
        return pl.Series(SLIP_MIRRORS_NAMES, mirrored, dtype=pl.Boolean)
    rows = (addresses & ((first != 1) | (last != 1))).arg_true()
    if len(rows):
        slip = pl.lit(slips.gather(rows))
        chosen = frame[rows].with_columns(
            # A second given name on one side (Eugene, Eugene Parks) leaves the first
            # the same: nothing for an address to spell.
            _first_differs=~first.gather(rows).is_in([1, 5])
            & (pl.col("first_l") != pl.col("first_r")).fill_null(True),
            _last_differs=last.gather(rows) != 1,
        )
        differs_first, differs_last = pl.col("_first_differs"), pl.col("_last_differs")

        def spells(side: str, whose: str) -> pl.Expr:
            """The address of `side` spells each differing part of `whose` name."""
            local = pl.col(f"{Col.EMAIL_KEY}{side}").str.split("@").list.first()
            letters = local.str.replace_all(r"[^\p{L}]", "")

            def spelt(part: str) -> pl.Expr:
                name = pl.col(f"{part}{whose}").str.replace_all(r"[^\p{L}]", "")
                return pl.any_horizontal(
                    letters.str.contains(spelling, literal=True)
                    for spelling in _address_spellings(name)
                )

            return (~differs_first | spelt("first")) & (~differs_last | spelt("last"))

        # Other addresses tell two names apart only where neither also spells the
        # other's part: emma.d@ spells Em's given name and Emma's.
        either_spells_both = ~slip & (spells("_l", "_r") | spells("_r", "_l"))
        found = chosen.select(
            (
                (differs_first | differs_last)
                & spells("_l", "_l")
                & spells("_r", "_r")
                & ~either_spells_both
            ).fill_null(False)
        ).to_series()
        mirrored[rows.filter(found).to_numpy()] = True
    return pl.Series(SLIP_MIRRORS_NAMES, mirrored, dtype=pl.Boolean)


def _could_share_a_half() -> pl.Expr:
    def long_enough(side: str) -> pl.Expr:
        local, _ = split_email(pl.col(f"{Col.EMAIL_KEY}{side}"))
        return local.str.len_chars() >= 2 * MIN_HALF_LENGTH + 1

    def initials(side: str) -> pl.Expr:
        first = pl.col(f"first{side}").str.slice(0, 1)
        last = pl.col(f"last{side}").str.slice(0, 1)
        return pl.concat_str(pl.min_horizontal(first, last), pl.max_horizontal(first, last))

    same_initials = initials("_l") == initials("_r")
    return (long_enough("_l") & long_enough("_r") & same_initials).fill_null(False)


def _shared_work_address() -> pl.Expr:
    """``work_address``: both rows give one address at a business domain, not a role's.
    The domain level leaves such a pair at 0 (the address already weighs it), but a
    guard must know it: families share personal mailboxes, rarely a work one."""
    return (
        _same(Col.EMAIL_KEY)
        & _both("business_domain")
        & ~pl.col("email_role_l").fill_null(False)
        & ~pl.col("email_role_r").fill_null(False)
    ).alias("work_address")
