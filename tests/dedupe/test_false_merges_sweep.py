"""False merges found by a sweep of B2B and B2C situations the generator does not
make: each merged two real people into one CRM contact, which loses one of them."""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage.dedupe.clustering import Pair, cluster_rows
from leadtriage.frame import flag

from .helpers import contact, dedupe_rows

SWITCHBOARD = "+14158620100"
DIRECT = "+16172840142"
OTHER_DIRECT = "+16172840199"


def _clusters(out: pl.DataFrame) -> list[set[str]]:
    """The given names of every cluster of two rows or more."""
    grouped = out.filter(pl.col("cluster_id").is_not_null()).group_by("cluster_id")
    return [set(names) for names in grouped.agg("first_name")["first_name"].to_list()]


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


def test_an_initial_matching_two_given_names_does_not_join_them() -> None:
    # J. Smith at the switchboard matches Jane and John Smith alike: whichever row
    # survives, Jane and John are two people and must not share a cluster.
    out = dedupe_rows(
        contact(
            "J.",
            "Smith",
            email="j.smith@initech.com",
            phone=SWITCHBOARD,
            company="Initech",
            first_key="j",
        ),
        contact("Jane", "Smith", phone=SWITCHBOARD, company="Initech"),
        contact("John", "Smith", phone=SWITCHBOARD, company="Initech"),
    )
    assert not any({"Jane", "John"} <= names for names in _clusters(out)), _clusters(out)


def test_a_surviving_initial_does_not_take_two_people_matched_on_it() -> None:
    # Row 0 (J. Smith) ranks best and matched Jane (1) and John (2) on its initial;
    # they did not match each other and cannot be one person. A full given name
    # matched to two typos of it (no initial) keeps them: the chain guard decides.
    def jane_and_john_differ(pairs: list[Pair]) -> list[bool]:
        return [pair != (1, 2) for pair in pairs]

    on_initial = pl.DataFrame(
        [(0, 1, "phone +6.1, name~initial +4.2"), (0, 2, "phone +6.1, name~initial +4.2")],
        schema={"i": pl.UInt32, "j": pl.UInt32, "evidence": pl.String},
        orient="row",
    )
    clusters = cluster_rows(on_initial, pl.Series([0, 1, 2]), jane_and_john_differ)
    assert clusters.survivor_of == {}
    assert clusters.split_pairs == [(0, 1), (0, 2)]
    on_typos = on_initial.with_columns(pl.lit("phone +6.1, name~close +5.0").alias("evidence"))
    clusters = cluster_rows(on_typos, pl.Series([0, 1, 2]), jane_and_john_differ)
    assert set(clusters.survivor_of) == {0, 1, 2}


def test_numbered_namesakes_are_not_joined_through_a_third_address() -> None:
    # john.smith2@ is how the employer told its second John Smith from the first;
    # jsmith@ may be either, so it must not carry one into the other's cluster.
    out = dedupe_rows(
        contact("John", "Smith", email="john.smith@ibm.com", company="IBM"),
        contact("John", "Smith", email="john.smith2@ibm.com", company="IBM"),
        contact("John", "Smith", email="jsmith@ibm.com", company="IBM"),
    )
    rows = out.select("email", "cluster_id").rows()
    ids = dict(rows)
    assert (
        ids["john.smith@ibm.com"] is None or ids["john.smith@ibm.com"] != ids["john.smith2@ibm.com"]
    )


HOME = "+442079460011"


@pytest.mark.parametrize(
    ("short", "full"), [("Chris", "Christine"), ("Alex", "Alexandra"), ("Sam", "Samantha")]
)
@pytest.mark.parametrize("emails", [("cw@gmail.com", "walker.family@yahoo.co.uk"), (None, None)])
def test_a_short_form_men_and_women_go_by_at_one_home_phone_is_reviewed(
    short: str, full: str, emails: tuple[str | None, str | None]
) -> None:
    # Chris at the home phone Christine Walker gives may be Christine, or her husband
    # Christopher: a couple as often as one person, so a person looks.
    out = dedupe_rows(
        contact(short, "Walker", email=emails[0], phone=HOME),
        contact(full, "Walker", email=emails[1], phone=HOME),
    )
    assert not out[flag("duplicate")].any(), out["match_evidence"].to_list()
    assert out[flag("duplicate.possible")].all()


def test_a_short_form_men_and_women_go_by_merges_on_a_second_key() -> None:
    # One phone and one employer: the same person, whichever name they go by.
    out = dedupe_rows(
        contact("Chris", "Walker", phone=DIRECT, company="Acme"),
        contact("Christine", "Walker", phone=DIRECT, company="Acme"),
    )
    assert out[flag("duplicate")].sum() == 1


def test_a_short_form_of_one_name_only_still_merges_at_one_phone() -> None:
    # Bob is Robert's, never a woman's name: the nickname beside one phone stands.
    out = dedupe_rows(
        contact("Bob", "Walker", email="bob.w@gmail.com", phone=HOME),
        contact("Robert", "Walker", email="robert.walker@yahoo.co.uk", phone=HOME),
    )
    assert out[flag("duplicate")].sum() == 1


def test_a_short_form_the_full_names_own_address_spells_still_merges() -> None:
    # pat.kim@ says Patricia Kim goes by Pat: Pat Kim at her phone is she.
    out = dedupe_rows(
        contact("Patricia", "Kim", email="pat.kim@hooli.com", phone=HOME),
        contact("Pat", "Kim", email="patkim77@yahoo.com", phone=HOME),
    )
    assert out[flag("duplicate")].sum() == 1


def test_a_short_form_at_an_address_spelling_the_full_name_still_merges() -> None:
    # Jackie at jacquelinedyer@ is Jacqueline: her address says whose the name is.
    out = dedupe_rows(
        contact("Jacqueline", "Dyer", email="jacquelinedyer@hotmail.co.uk"),
        contact("Jackie", "Dyer", email="jacquelinedyer@hotmail.co.uk"),
    )
    assert out[flag("duplicate")].sum() == 1


def test_a_short_form_the_full_names_own_address_runs_into_the_family_name_merges() -> None:
    # patkim77@: Patricia Kim writes herself Pat Kim; Pat Kim at her phone is she.
    out = dedupe_rows(
        contact("Patricia", "Kim", email="patkim77@yahoo.com", phone=HOME),
        contact("Pat", "Kim", email="pat.k@gmail.com", phone=HOME),
    )
    assert out[flag("duplicate")].sum() == 1
