"""Clustering: chain guard, survivorship, determinism, conservation."""

from __future__ import annotations

import random

import polars as pl
from polars.testing import assert_frame_equal

from leadtriage.dedupe import DedupeConfig, deduplicate
from leadtriage.dedupe.clustering import Pair, cluster_rows
from leadtriage.dedupe.deduplicate import cluster_id_of
from leadtriage.frame import flag

from .helpers import contact, dedupe_rows, frame

PHONE = "+14155550132"


def _rows() -> list[dict[str, object]]:
    """Three people, two of them with duplicates, plus a family and a switchboard."""
    return [
        contact("Robert", "Miller", email="rob@acme.com", company="Acme", created_at="2025-01-01"),
        contact("Bob", "Miller", email="bobmiller@gmail.com", phone=PHONE, source="Webinar"),
        contact("Robert", "Miller", phone=PHONE, company="Acme", job_title="CTO", source="Event"),
        contact("Anna", "Berg", email="anna@berg.de", city="Berlin"),
        contact("Anna", "Berg", email="anna@berg.de", phone="+4915112345678"),
        contact("John", "Miller", email="bobmiller@gmail.com"),
        contact("Sara", "Stokes", company="Acme", phone="+442079460000"),
        contact("Judith", "Stark", company="Acme", phone="+442079460000"),
    ]


def _run(rows: list[dict[str, object]]) -> pl.DataFrame:
    out, _ = deduplicate(frame(*rows))
    return out.collect()


def test_rows_keep_their_count_and_order() -> None:
    rows = _rows()
    out = _run(rows)
    assert out["source_row"].to_list() == list(range(1, len(rows) + 1))
    assert out.height == len(rows)


def test_a_chain_through_a_weak_link_does_not_glue_two_people() -> None:
    # A ~ B by name and company, B ~ C by name and a shared phone; but A and C have
    # business addresses at different domains: two people. C must not join A.
    out = _run(
        [
            contact("Jon", "Baker", company="Acme", email="jon@acme.com", created_at="2025-06-01"),
            contact("Jon", "Baker", company="Acme", phone=PHONE),
            contact("Jon", "Baker", phone=PHONE, email="jon.baker@globex.com"),
        ]
    )
    ids = out["cluster_id"].to_list()
    assert ids[0] == ids[1] == cluster_id_of("export.csv", 1)
    assert ids[2] is None
    # The link the guard cut is worth a look, on both sides.
    assert out[flag("duplicate.possible")].to_list() == [True, False, True]


def test_a_chain_of_compatible_rows_is_one_cluster() -> None:
    out = _run(
        [
            contact("Robert", "Miller", email="rob@acme.com", company="Acme"),
            contact("Robert", "Miller", company="Acme", phone=PHONE),
            contact("Bob", "Miller", phone=PHONE, email="bobm@gmail.com"),
        ]
    )
    assert out["cluster_id"].n_unique() == 1
    evidence = out.filter(pl.col(flag("duplicate")))["match_evidence"].to_list()
    assert evidence[0].startswith("name +") and "company +" in evidence[0]
    assert evidence[1].startswith("phone +") and evidence[1].endswith(" via export.csv:2")


def test_survivor_is_the_most_complete_row_and_takes_the_others_blanks() -> None:
    out = _run(_rows())
    people = out.head(3)
    survivor = people.filter(~pl.col(flag("duplicate")))
    assert survivor["source_row"].to_list() == [3]  # names, phone, company, job title
    assert survivor["email"].to_list() == ["rob@acme.com"]  # the best-ranked donor
    assert survivor["email_domain"].to_list() == ["acme.com"]  # moved with its email
    assert survivor["duplicate_count"].to_list() == [3]
    assert survivor["sources"].to_list() == ["Event;Webinar;export.csv"]
    duplicates = people.filter(pl.col(flag("duplicate")))
    assert duplicates["duplicate_count"].to_list() == [0, 0]
    assert duplicates["email"].to_list() == ["rob@acme.com", "bobmiller@gmail.com"]


def test_the_survivor_takes_a_mobile_a_lead_source_and_a_date_it_lacks() -> None:
    # The webinar row gave the mobile, the lead source and the sign-up date; the badge
    # row, more complete, survives. Those values must not stay on the duplicate only.
    out = _run(
        [
            contact(
                "Anna",
                "Berg",
                email="anna@berg.de",
                mobile_e164="+4915123456789",
                source="Webinar March",
                created_at="2026-03-01",
            ),
            contact(
                "Anna", "Berg", email="anna@berg.de", phone=PHONE, company="Berg", job_title="CTO"
            ),
        ]
    )
    survivor = out.filter(~pl.col(flag("duplicate"))).row(0, named=True)
    assert survivor["source_row"] == 2
    assert survivor["mobile_e164"] == "+4915123456789"
    assert survivor["source"] == "Webinar March"
    assert survivor["created_at"] == "2026-03-01"


def test_newest_row_survives_a_tie_on_completeness() -> None:
    out = _run(
        [
            contact("Anna", "Berg", email="anna@berg.de", created_at="2024-05-01T10:00:00Z"),
            contact("Anna", "Berg", email="anna@berg.de", created_at="2025-02-01T10:00:00Z"),
        ]
    )
    assert out[flag("duplicate")].to_list() == [True, False]


def test_first_seen_row_survives_when_nothing_else_differs() -> None:
    out = _run([contact("Anna", "Berg", email="anna@berg.de")] * 2)
    assert out[flag("duplicate")].to_list() == [False, True]
    assert out["cluster_id"].to_list() == [cluster_id_of("export.csv", 1)] * 2


def test_singletons_have_no_cluster_and_count_once() -> None:
    out = _run(_rows())
    lone = out.filter(pl.col("cluster_id").is_null())
    assert lone["source_row"].to_list() == [6, 7, 8]
    assert lone["duplicate_count"].to_list() == [1, 1, 1]
    assert out["duplicate_count"].sum() == out.height


def test_shuffled_input_gives_the_same_clusters_survivors_and_ids() -> None:
    rows = _rows()
    expected = _run(rows).sort("source_row")
    order = list(range(len(rows)))
    for seed in range(5):
        random.Random(seed).shuffle(order)
        shuffled = [{**rows[k], "source_row": k + 1} for k in order]
        got = _run(shuffled).sort("source_row")
        assert_frame_equal(got, expected)


def test_disabled_dedupe_adds_the_columns_and_merges_nothing() -> None:
    out, stats = deduplicate(frame(*_rows()), DedupeConfig(enabled=False))
    collected = out.collect()
    assert not collected[flag("duplicate")].any()
    assert stats.candidate_pairs == 0


def test_stats_count_pairs_clusters_and_flags() -> None:
    _, stats = deduplicate(frame(*_rows()))
    assert (stats.rows, stats.clusters, stats.duplicates) == (8, 2, 3)
    assert stats.candidate_pairs >= stats.matched_pairs >= 3


def test_flags_are_false_not_null_where_they_do_not_apply() -> None:
    out = _run(_rows())
    for column in (flag("duplicate"), flag("duplicate.possible")):
        assert out[column].null_count() == 0


def _edges(edges: list[tuple[int, int, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        edges, schema={"i": pl.UInt32, "j": pl.UInt32, "evidence": pl.String}, orient="row"
    )


def test_a_long_chain_is_cut_into_direct_matches_without_checking_every_member() -> None:
    """A chain of 2,000 rows (each matching only its neighbour, as a shared switchboard
    or a hub address makes them) used to be checked member by member against a
    survivor, round after round: about a million checks. A component that large is no
    person: it is cut into survivors and their direct matches, with no check at all."""
    size = 2_000
    edges = [(i, i + 1, "phone") for i in range(size - 1)]
    checked: list[Pair] = []

    def nothing_compatible(pairs: list[Pair]) -> list[bool]:
        checked.extend(pairs)
        return [False] * len(pairs)

    clusters = cluster_rows(_edges(edges), pl.Series(range(size)), nothing_compatible)
    assert len(checked) <= len(edges)
    direct = {(a, b) for a, b, _ in edges} | {(b, a) for a, b, _ in edges}
    for member, survivor in clusters.survivor_of.items():
        assert member == survivor or (member, survivor) in direct
    assert set(clusters.survivor_of) == set(range(size))  # every row of the chain placed
    assert clusters.survivor_of[1] == 0 and clusters.survivor_of[2] == 2


def test_a_small_component_still_meets_the_chain_guard() -> None:
    edges = [(0, 1, "email"), (1, 2, "phone")]
    asked: list[Pair] = []

    def compatible(pairs: list[Pair]) -> list[bool]:
        asked.extend(pairs)
        return [True] * len(pairs)

    clusters = cluster_rows(_edges(edges), pl.Series([0, 1, 2]), compatible)
    assert asked == [(0, 2)]
    assert clusters.survivor_of == {0: 0, 1: 0, 2: 0}


def test_a_lone_rows_sources_are_its_file_and_lead_source_sorted_blanks_left_out() -> None:
    out = _run(
        [
            contact("Ann", "One", email="ann@one.com", source="Webinar"),
            contact("Ben", "Two", email="ben@two.com", source="  "),
            contact("Cat", "Three", email="cat@three.com", source="export.csv"),
            contact("Dan", "Four", email="dan@four.com", source="Zoom"),
            contact("Eve", "Five", email="eve@five.com"),
        ]
    )
    assert out["sources"].to_list() == [
        "Webinar;export.csv",
        "export.csv",
        "export.csv",
        "Zoom;export.csv",  # text order: capitals first
        "export.csv",
    ]


def test_an_initial_is_less_complete_than_the_given_name_it_stands_for() -> None:
    """Jane Doe and "J." Doe, newer, at one phone and employer: the CRM gets Jane."""
    out = _run(
        [
            contact(
                "Jane",
                "Doe",
                email="jane.doe@acme.com",
                phone="+14156230132",
                company="Acme",
                created_at="2026-11-02T08:14:55",
            ),
            contact(
                "J.",
                "Doe",
                email="jdoe@acme.com",
                phone="+14156230132",
                company="Acme",
                created_at="2026-11-16T16:20:00",
            ),
        ]
    )
    assert out["cluster_id"].n_unique() == 1 and out["cluster_id"].null_count() == 0
    survivor = out.filter(~pl.col(flag("duplicate")))
    assert survivor["first_name"].to_list() == ["Jane"]


def test_a_pair_that_matches_no_other_row_is_a_cluster_of_two_under_its_better_row() -> None:
    """Lone pairs are placed without walking the graph; they must come out as the walk
    would place them, beside a chain that does need the walk."""
    rank = [5, 1, 0, 4, 3, 2, 6]
    edges = [(0, 1, "email"), (2, 3, "phone"), (4, 5, "email"), (5, 6, "phone")]
    clusters = cluster_rows(_edges(edges), pl.Series(rank), lambda pairs: [True] * len(pairs))
    assert clusters.survivor_of == {0: 1, 1: 1, 2: 2, 3: 2, 4: 5, 5: 5, 6: 5}
    assert clusters.link == {0: (1, "email"), 3: (2, "phone"), 4: (5, "email"), 6: (5, "phone")}
    assert clusters.split_pairs == []


def test_two_spellings_of_one_name_reached_through_a_third_row_join_its_survivor() -> None:
    # The survivor (most complete) has the names swapped and a typo; the third row
    # carries a second family name. Each matches the middle row directly; read
    # strictly, the two look like different names, and the third row was split off.
    survivor = contact(
        "De Olyveira",
        "Margaret",
        email="margaretdeoliveira@schuchhardt.de",
        phone=PHONE,
        company="Schuchhardt",
        job_title="CFO",
        created_at="2025-06-01",
    )
    out = _run(
        [
            survivor,
            contact(
                "Margaret",
                "De Oliveira",
                email="margaret.deoliveira@schuchhardt.de",
                phone=PHONE,
                company="Schuchhardt",
            ),
            contact(
                "Margaret",
                "Chrétien De Oliveira",
                email="margaretd@schuchhardt.de",
                phone=PHONE,
                first_key="margaret",
                last_key="chretiendeoliveira",
            ),
        ]
    )
    assert out["cluster_id"].to_list() == [cluster_id_of("export.csv", 1)] * 3
    assert out["match_evidence"][2].endswith(" via export.csv:2")


def test_a_family_reached_through_an_initial_stays_apart_from_the_survivor() -> None:
    # Matthieu and Marianne share the family phone; M. Ribeiro matches both. The
    # lenient reading of names still keeps two given names with no word in common apart.
    out = _run(
        [
            contact(
                "Matthieu",
                "Ribeiro",
                email="matthieu.ribeiro@acme.com",
                phone=PHONE,
                company="Acme",
                job_title="CTO",
                created_at="2025-06-01",
            ),
            contact("M", "Ribeiro", email="matthieu.ribeiro@acme.com", phone=PHONE),
            contact("Marianne", "Ribeiro", email="m.ribeiro@gmail.com", phone=PHONE),
        ]
    )
    ids = out["cluster_id"].to_list()
    assert ids[0] == ids[1] == cluster_id_of("export.csv", 1)
    assert ids[2] != ids[0]


def test_of_equally_complete_rows_the_one_spelt_the_common_way_survives() -> None:
    # Thomss and Thonas are typos of Thomas: the newest row (Thonas) took the cluster
    # and Thomss, only loosely like Thonas, was left out of it (no chains). Other
    # people of the run spell their given name Thomas.
    rows = [
        contact("Thomas", "Vaughn", email="thomas_vaughn@jnj.com", phone=PHONE, created_at=day)
        for day in ("2024-01-05", "2024-02-05", "2024-03-05")
    ]
    rows[1] = {**rows[1], "first_name": "Thomss", "first_name_key": "thomss"}
    rows[2] = {**rows[2], "first_name": "Thonas", "first_name_key": "thonas"}
    others = [
        contact("Thomas", family, email=f"t.{family}@gmail.com".lower())
        for family in ("Rey", "Ode")
    ]
    out = dedupe_rows(*rows, *others).head(3)
    assert out["cluster_id"].null_count() == 0 and out["cluster_id"].n_unique() == 1
    survivor = out.filter(~pl.col(flag("duplicate")))
    assert survivor["first_name"].to_list() == ["Thomas"]


def test_of_equally_complete_rows_the_one_whose_address_others_share_survives() -> None:
    # The newest row's address has a typo (vaughm@): the CRM should import the
    # address two other rows of the person give, not the one that would bounce.
    rows = [
        contact("Thomas", "Vaughn", email=address, phone=PHONE, created_at=day)
        for address, day in (
            ("thomas.vaughn@jnj.com", "2024-01-05"),
            ("thomas.vaughn@jnj.com", "2024-02-05"),
            ("thomas.vaughm@jnj.com", "2024-03-05"),
        )
    ]
    out = dedupe_rows(*rows)
    assert out["cluster_id"].null_count() == 0 and out["cluster_id"].n_unique() == 1
    survivor = out.filter(~pl.col(flag("duplicate")))
    assert survivor["email"].to_list() == ["thomas.vaughn@jnj.com"]
