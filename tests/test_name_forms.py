"""One person whose name two exports write differently, through the whole pipeline
(read, the name stage's split, dedupe, the CRM match): a third name word in one of
them, an umlaut that the address spells without its e."""

from __future__ import annotations

import csv
from pathlib import Path

from leadtriage.pipeline import TriageOptions, triage

HEADER = ["Email", "First Name", "Last Name", "Company", "Phone", "Country"]
CRM_HEADER = ["Record ID", *HEADER]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> str:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *rows])
    return str(path)


def _crm_ids(tmp_path: Path, leads: list[list[str]], records: list[list[str]]) -> list[str | None]:
    """Each lead's matched CRM record id, in the leads' order."""
    export = _write(tmp_path / "leads.csv", HEADER, leads)
    crm = _write(tmp_path / "crm.csv", CRM_HEADER, records)
    routed = triage([export], options=TriageOptions(crm=crm)).routed
    assert routed is not None
    ids: list[str | None] = routed.sort("source_row")["crm_record_id"].to_list()
    return ids


def _clusters(tmp_path: Path, leads: list[list[str]]) -> list[str | None]:
    export = _write(tmp_path / "leads.csv", HEADER, leads)
    routed = triage([export]).routed
    assert routed is not None
    clusters: list[str | None] = routed.sort("source_row")["cluster_id"].to_list()
    return clusters


def test_a_record_with_a_second_family_name_in_the_one_name_column_is_found(
    tmp_path: Path,
) -> None:
    leads = [
        [
            "emmanuelle.marchal@pineausystems.fr",
            "Emmanuelle",
            "Marchal",
            "Pineau Systems SARL",
            "+33617987321",
            "FR",
        ]
    ]
    records = [
        [
            "003000000002121",
            "",
            "Emmanuelle Marchal Nguyen",
            "",
            "Pineau Systems SARL",
            "+33 6 17 98 73 21",
            "FR",
        ]
    ]
    assert _crm_ids(tmp_path, leads, records) == ["003000000002121"]


def test_a_lead_whose_whole_name_carries_a_second_family_name_finds_the_record(
    tmp_path: Path,
) -> None:
    leads = [["", "Henriette Richmond Conrad", "", "Anglada Consulting", "+12012908879", "US"]]
    records = [
        [
            "003000000001261",
            "henriette.richmond@angladaconsulting.es",
            "Henriette",
            "Richmond",
            "Anglada Consulting",
            "001 201 290 8879",
            "US",
        ]
    ]
    assert _crm_ids(tmp_path, leads, records) == ["003000000001261"]


def test_one_person_with_and_without_a_second_family_name_is_one_cluster(
    tmp_path: Path,
) -> None:
    clusters = _clusters(
        tmp_path,
        [
            ["", "Leopoldo Clemente Reina", "", "Rolland Logistics", "+34617622107", "ES"],
            [
                "leopoldo.clemente@rollandlogistics.fr",
                "Leopoldo",
                "Clemente",
                "Rolland Logistics",
                "+34 617 62 21 07",
                "ES",
            ],
        ],
    )
    assert clusters[0] is not None and clusters[0] == clusters[1]


def test_another_given_name_beside_the_second_family_name_is_another_person(
    tmp_path: Path,
) -> None:
    # One office line, one family: Emmanuelle Marchal Nguyen and her sister Louise.
    clusters = _clusters(
        tmp_path,
        [
            ["", "Emmanuelle Marchal Nguyen", "", "Pineau Systems", "+33617987321", "FR"],
            ["", "Louise", "Marchal", "Pineau Systems", "+33617987321", "FR"],
        ],
    )
    assert clusters == [None, None]


def test_an_initial_whose_address_spells_the_umlaut_without_its_e_is_that_name(
    tmp_path: Path,
) -> None:
    # The name stage folds Sükrü to suekrue; the address writes sukru. K at keith@
    # against Kathleen is another person; S at sukru@ against Sükrü is not.
    address = "sukru.heidrich@davisonlogistics.co.uk"
    leads = [[address, "S", "Heidrich", "Davison Logistics Limited", "+4915127067769", "DE"]]
    records = [
        [
            "003000000001756",
            address,
            "Sükrü",
            "Heidrich",
            "Davison Logistics Limited",
            "004915127067769",
            "DE",
        ]
    ]
    assert _crm_ids(tmp_path, leads, records) == ["003000000001756"]


def test_the_names_compared_are_the_ones_the_name_stage_made(tmp_path: Path) -> None:
    # What the cases above rest on: the whole name in one column is split into given
    # names and one family name, and the umlaut is folded.
    export = _write(
        tmp_path / "leads.csv",
        HEADER,
        [
            ["", "Emmanuelle Marchal Nguyen", "", "", "", "FR"],
            ["", "Sükrü", "Heidrich", "", "", "DE"],
        ],
    )
    routed = triage([export]).routed
    assert routed is not None
    names = routed.sort("source_row").select("first_name", "last_name")
    assert names.rows() == [("Emmanuelle Marchal", "Nguyen"), ("Sükrü", "Heidrich")]
