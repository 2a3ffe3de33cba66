"""Two different addresses at one business domain: one person's aliases, or two
colleagues. What the addresses and names say decides which (scoring's guards)."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from leadtriage.dedupe import DedupeConfig
from leadtriage.frame import flag

from .helpers import contact, dedupe_rows, merged

PHONE = "+31618987940"
OTHER_PHONE = "+31613108379"
# Whatever the weights say, every pair merges unless a guard holds it back: a run of
# two rows has too little data for a switchboard's weight to show.
GUARDS_ONLY = DedupeConfig(match_probability=0, possible_probability=0)


def _at(local: str, first: str, last: str, phone: str | None = PHONE) -> dict[str, Any]:
    return contact(first, last, email=f"{local}@korstman.nl", phone=phone, company="Korstman")


def _reviewed(out: pl.DataFrame) -> bool:
    return out["cluster_id"].null_count() == out.height and out[flag("duplicate.possible")].all()


def test_two_spellings_of_one_full_name_at_one_employer_merge_despite_other_phones() -> None:
    # An office and a mobile number; first.last@ and f.last@ are both spelt from the
    # one name the rows carry.
    out = dedupe_rows(
        _at("kate.bates", "Kate", "Bates"), _at("k.bates", "Kate", "Bates", OTHER_PHONE)
    )
    assert merged(out)
    assert "email≠" in out["match_evidence"][1] and "phone≠" in out["match_evidence"][1]


def test_a_swapped_full_name_at_one_employer_merges_despite_other_phones() -> None:
    out = dedupe_rows(
        _at("olivia.hensley", "Olivia", "Hensley"),
        _at("oliviah", "Hensley", "Olivia", OTHER_PHONE),
    )
    assert merged(out)


@pytest.mark.parametrize(
    "other",
    [
        # "K." may be Kate or a colleague Kevin: only the full name lifts the doubt.
        _at("kbates", "K.", "Bates", OTHER_PHONE),
        # jsmith2@: the employer's second K. Bates as often as the same Kate Bates.
        _at("kbates2", "Kate", "Bates", OTHER_PHONE),
    ],
)
def test_namesakes_at_one_employer_with_other_phones_stay_in_review(
    other: dict[str, Any],
) -> None:
    assert _reviewed(dedupe_rows(_at("kate.bates", "Kate", "Bates"), other, config=GUARDS_ONLY))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # john.smith@ and john.smith4018@: the employer numbered its second namesake,
        # without phones or through one switchboard.
        (
            _at("louis.miles", "Louis", "Miles", None),
            _at("louis.miles4018", "Louis", "Miles", None),
        ),
        (_at("louis.miles", "Louis", "Miles"), _at("louis_miles4551", "Louis", "Miles")),
        # Each address spells its own family name; the office phone is everybody's.
        (_at("glenn.scott", "Glenn", "Scott"), _at("glen.norman", "Glen", "Norman")),
    ],
)
def test_colleagues_at_one_employer_are_never_merged_nor_reviewed(
    one: dict[str, Any], other: dict[str, Any]
) -> None:
    out = dedupe_rows(one, other, config=GUARDS_ONLY)
    assert out["cluster_id"].null_count() == 2
    assert not out[flag("duplicate.possible")].any()


def test_one_address_with_two_family_names_still_merges() -> None:
    # One inbox: a married name beside the maiden name.
    assert merged(
        dedupe_rows(_at("glenn.scott", "Glenn", "Scott"), _at("glenn.scott", "Glenn", "Norman"))
    )


def test_numbered_personal_addresses_are_no_namesake_sign() -> None:
    # A free-mail provider numbers everybody; the other fields decide there.
    out = dedupe_rows(
        contact("Louis", "Miles", email="louis.miles@gmail.com", phone=PHONE, company="Vig"),
        contact("Louis", "Miles", email="louis.miles4551@gmail.com", phone=PHONE, company="Vig"),
    )
    assert merged(out)
