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
