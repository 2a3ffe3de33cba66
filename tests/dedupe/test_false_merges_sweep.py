"""False merges found by a sweep of B2B and B2C situations the generator does not
make: each merged two real people into one CRM contact, which loses one of them."""

from __future__ import annotations

import pytest

from leadtriage.frame import flag

from .helpers import contact, dedupe_rows

DIRECT = "+16172840142"
OTHER_DIRECT = "+16172840199"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("John", "john.smith"), ("Jon", "jon.smith")),
        (("Katherine", "katherine.lee"), ("Kathrine", "kathrine.lee")),
    ],
)
def test_colleagues_whose_addresses_a_slip_apart_spell_their_own_names_are_reviewed(
    one: tuple[str, str], other: tuple[str, str]
) -> None:
    # john.smith@ and jon.smith@ at one employer, each spelling its own row's name:
    # the addresses differ because the names do, so the slip is no typo of one
    # address; with no phone in common two colleagues are as likely as one person.
    family = one[1].split(".")[1].title()
    out = dedupe_rows(
        contact(one[0], family, email=f"{one[1]}@acme.com", phone=DIRECT, company="Acme"),
        contact(other[0], family, email=f"{other[1]}@acme.com", phone=OTHER_DIRECT, company="Acme"),
    )
    assert not out[flag("duplicate")].any(), out["match_evidence"].to_list()
    assert out[flag("duplicate.possible")].all()


def test_a_nickname_at_its_own_address_beside_one_phone_still_merges() -> None:
    # The guard above is for other phones: one direct line is one person's.
    out = dedupe_rows(
        contact("John", "Smith", email="john.smith@acme.com", phone=DIRECT, company="Acme"),
        contact("Jon", "Smith", email="jon.smith@acme.com", phone=DIRECT, company="Acme"),
    )
    assert out[flag("duplicate")].sum() == 1
