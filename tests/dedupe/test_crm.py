"""Matching a run against a CRM export."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from leadtriage.dedupe import DedupeConfig, deduplicate, match_crm
from leadtriage.dedupe.crm import crm_keys
from leadtriage.dedupe.deduplicate import match_keys
from leadtriage.dedupe.features import build_features
from leadtriage.errors import InputError
from leadtriage.frame import flag, raw
from leadtriage.schema import Col

from .helpers import contact, frame

PHONE = "+14155550132"


def _record(record_id: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    return {**contact(*args, **kwargs), raw("record_id"): record_id}


def _crm(*records: dict[str, Any]) -> pl.LazyFrame:
    return frame(*records, source_file="crm.csv")


def _match(rows: pl.LazyFrame, crm: pl.LazyFrame) -> pl.DataFrame:
    out, _ = match_crm(rows, crm)
    return out.collect()


CRM = _crm(
    _record("003A", "Robert", "Miller", email="robert.miller@acme.com", company="Acme"),
    _record("003B", "Anna", "Berg", phone=PHONE),
    _record("003C", "John", "Smith", company="Globex", email="john.smith@globex.com"),
    _record("003D", "John", "Smith", company="Globex", email="jsmith@gmail.com"),
)


def test_a_known_person_gets_the_record_id_as_an_update() -> None:
    out = _match(
        frame(
            contact("Bob", "Miller", email="Robert.Miller@acme.com"),
            contact("Anna", "Berg", phone=PHONE, email="anna@new.de"),
            contact("Zoe", "Quinn", email="zoe@quinn.io"),
        ),
        CRM,
    )
    assert out["crm_record_id"].to_list() == ["003A", "003B", None]
    assert out[flag("crm.existing")].to_list() == [True, True, False]
    assert out[flag("crm.ambiguous")].to_list() == [False, False, False]
    assert out["crm_candidates"].to_list() == [None, None, None]
    evidence = out["crm_match_evidence"].to_list()
    assert evidence[0].startswith("email +") and "name~nick" in evidence[0]
    assert evidence[1].startswith("phone +") and "name +" in evidence[1]
    assert evidence[2] is None


def test_a_row_matching_two_records_equally_is_ambiguous() -> None:
    out = _match(frame(contact("John", "Smith", company="Globex")), CRM)
    assert out["crm_record_id"].to_list() == [None]
    assert out[flag("crm.ambiguous")].to_list() == [True]
    assert out[flag("crm.existing")].to_list() == [False]
    # The reviewer sees which records to choose from.
    assert out["crm_candidates"].to_list() == ["003C;003D"]


def test_stronger_evidence_decides_between_records() -> None:
    # The email names 003C; a name and company match with 003D too is weaker.
    out = _match(
        frame(contact("John", "Smith", company="Globex", email="john.smith@globex.com")), CRM
    )
    assert out["crm_record_id"].to_list() == ["003C"]


def test_namesake_at_another_company_is_not_the_crm_record() -> None:
    out = _match(frame(contact("Robert", "Miller", company="Initech")), CRM)
    assert out["crm_record_id"].to_list() == [None]
    assert not out[flag("crm.ambiguous")].any()


def test_crm_records_are_never_merged_or_changed() -> None:
    rows = frame(contact("John", "Smith", email="john.smith@globex.com"))
    out, stats = match_crm(rows, CRM)
    collected = out.collect()
    # Two CRM records of one John Smith stay two; the row keeps to its own record.
    assert collected.height == 1
    assert collected["crm_record_id"].to_list() == ["003C"]
    assert stats.records == 4
    assert CRM.collect()[raw("record_id")].to_list() == ["003A", "003B", "003C", "003D"]


def test_each_row_gets_at_most_one_record_and_rows_keep_their_order() -> None:
    rows = frame(
        contact("Anna", "Berg", phone=PHONE),
        contact("Robert", "Miller", email="robert.miller@acme.com"),
        contact("Anna", "Berg", phone=PHONE),
    )
    out = _match(rows, CRM)
    assert out["source_row"].to_list() == [1, 2, 3]
    assert out["crm_record_id"].to_list() == ["003B", "003A", "003B"]


def test_a_cluster_shares_the_record_its_duplicate_matched() -> None:
    # The survivor's work address is new to the CRM; its duplicate's phone is known.
    deduped, _ = deduplicate(
        frame(
            contact("Anna", "Berg", email="anna.berg@berg.de", company="Berg", city="Kiel"),
            contact("Anna", "Berg", email="anna.berg@berg.de", phone=PHONE),
        )
    )
    out = _match(deduped, CRM)
    assert out["crm_record_id"].to_list() == ["003B", "003B"]


def test_the_features_dedupe_built_serve_the_crm_but_for_the_survivors_filled_blanks() -> None:
    rows = frame(
        contact("Zoe", "Quinn", email="zoe@quinn.io"),
        contact("Anna", "Berg", email="anna.berg@berg.de", company="Berg", city="Kiel"),
        contact("Lena", "Vogel", email="lena@vogel.de", phone="+4930123456"),
        contact("Anna", "Berg", email="anna.berg@berg.de", phone=PHONE),
        contact("Lena", "Vogel", email="lena@vogel.de", company="Vogel AG", city="Bonn"),
        contact("Ravi", "Shah", email="ravi.shah@gmail.com"),
    ).collect()
    before = match_keys(rows).features
    marked = deduplicate(rows.lazy())[0].collect()
    rebuilt = build_features(marked)
    # The survivors took a phone or a company from their duplicates: their features
    # differ from the ones dedupe built.
    assert marked[Col.PHONE_E164].null_count() < rows[Col.PHONE_E164].null_count()
    assert not before.equals(rebuilt)
    reused = crm_keys(marked, features=before)
    assert_frame_equal(reused.features, rebuilt)
    assert_frame_equal(reused.groups, crm_keys(marked).groups)


def test_records_without_an_id_are_not_matched() -> None:
    crm = _crm(_record("  ", "Anna", "Berg", phone=PHONE))
    out = _match(frame(contact("Anna", "Berg", phone=PHONE)), crm)
    assert out["crm_record_id"].to_list() == [None]
    assert out[flag("crm.existing")].to_list() == [False]


def test_a_crm_export_without_record_ids_is_refused() -> None:
    crm = frame(contact("Anna", "Berg", phone=PHONE), source_file="crm.csv").drop(raw("record_id"))
    with pytest.raises(InputError, match="no record id column"):
        match_crm(frame(contact("Anna", "Berg", phone=PHONE)), crm)


def test_the_crm_record_with_the_rows_work_address_is_found_despite_a_typo() -> None:
    """The CRM holds cathrin.radel@: a row at that very address whose given name is
    misspelt is that record, not a new contact (a CRM import would make a duplicate)."""
    crm = _crm(
        _record("003R", "Cathrin", "Rädel", email="cathrin.radel@vanvoorst.nl", company="VV BV")
    )
    rows = frame(
        contact("Cathryon", "Rädel", email="cathrin.radel@vanvoorst.nl", company="VV Holding")
    )
    assert _match(rows, crm)["crm_record_id"].to_list() == ["003R"]


def test_a_record_that_may_be_the_row_is_named_for_a_person_to_decide() -> None:
    """Joan and John Miller share a personal mailbox: maybe one person, maybe a
    family. Not matched (no update of a record on a guess), but not silently new
    either: crm.possible, with the record named in crm_candidates."""
    crm = _crm(_record("003M", "John", "Miller", email="millers@gmail.com"))
    out = _match(frame(contact("Joan", "Miller", email="millers@gmail.com")), crm)
    assert out["crm_record_id"].to_list() == [None]
    assert out[flag("crm.existing")].to_list() == [False]
    assert out[flag("crm.possible")].to_list() == [True]
    assert out["crm_candidates"].to_list() == ["003M"]
    assert out["crm_match_evidence"][0].startswith("email +")


def test_another_given_name_at_the_records_mailbox_is_not_that_record() -> None:
    """Dana Berg at the mailbox of CRM record Dan Berg: a family's address. Linked,
    the import would overwrite Dan's record with Dana's name."""
    crm = _crm(_record("701", "Dan", "Berg", email="bergs@outlook.com"))
    out = _match(frame(contact("Dana", "Berg", email="bergs@outlook.com")), crm)
    assert out["crm_record_id"].to_list() == [None]
    assert out[flag("crm.possible")].to_list() == [True]


def test_a_matched_row_is_not_also_possible() -> None:
    crm = _crm(
        _record("003M", "John", "Miller", email="millers@gmail.com"),
        _record("003N", "Joan", "Miller", email="joan.miller@acme.com"),
    )
    out = _match(frame(contact("Joan", "Miller", email="joan.miller@acme.com")), crm)
    assert out["crm_record_id"].to_list() == ["003N"]
    assert out[flag("crm.possible")].to_list() == [False]


def test_an_address_typed_with_one_slip_finds_the_record_at_a_free_mail_provider() -> None:
    crm = _crm(_record("003X", "Tabitha", "Keller", email="tabitha.keller@outlook.com"))
    out = _match(frame(contact("Tabitha", "Keller", email="tabttha.keller@outlook.com")), crm)
    assert out["crm_record_id"].to_list() == ["003X"]
    assert out["crm_match_evidence"][0].startswith("email~1edit +")


def test_a_cluster_holding_an_initial_its_address_spells_out_is_not_a_namesakes_record() -> None:
    # Keith Yates registered twice, once as K Yates at keith.yates@. The CRM knows
    # Kathleen Yates at the same company: K is Keith's initial, not hers.
    crm = _crm(
        _record(
            "003K",
            "Kathleen",
            "Yates",
            email="kathleen.yates@wielochgroup.de",
            company="Wieloch Group",
        )
    )
    rows, _ = deduplicate(
        frame(
            contact("Keith", "Yates", email="keith.yates@wielochgroup.de", phone=PHONE),
            contact("K", "Yates", email="keith.yates@wielochgroup.de", company="Wieloch Group"),
        )
    )
    # A threshold well below the default: what the evidence alone says.
    matched, _ = match_crm(rows, crm, DedupeConfig(match_probability=0.5, possible_probability=0.2))
    out = matched.collect()
    assert out["crm_record_id"].to_list() == [None, None]
    assert not out[flag("crm.ambiguous")].any()


def test_a_record_id_two_crm_rows_carry_is_never_an_update() -> None:
    # One id on two people (a broken export): importing under it could overwrite
    # the other person, so the match is for a person to decide.
    crm = _crm(
        _record("1", "Carla", "Smit", email="carla.smit@iberia.es"),
        _record("1", "Karin", "Conti", email="karin.conti@northwind.com"),
        _record("2", "Jonas", "Garcia", email="jonas.garcia@northwind.com"),
    )
    rows = frame(
        contact("Carla", "Smit", email="carla.smit@iberia.es"),
        contact("Jonas", "Garcia", email="jonas.garcia@northwind.com"),
    )
    out, stats = match_crm(rows, crm)
    matched = out.collect()
    assert matched["crm_record_id"].to_list() == [None, "2"]
    assert matched[flag("crm.ambiguous")].to_list() == [True, False]
    assert matched["crm_candidates"].to_list() == ["1", None]
    assert (stats.repeated_ids, stats.repeated_examples) == (1, ("1",))


OTHER_EMAIL = "Person - Email - Other"


def test_a_record_is_found_by_any_of_its_addresses() -> None:
    """Pipedrive's Person - Email - Other, Dynamics' Email Address 2, Zoho's Secondary
    Email: the address the row came with may be the record's second one, and the
    record (with its opt-out) is that person all the same. Each record counts once."""
    crm = _crm(
        _record("1042", "Quinn", "Hart", email="q.hart@hooli.com"),
        _record("1043", "Rita", "Moss", email="rita@vandelay.com"),
    ).with_columns(
        pl.Series(raw("email"), ["q.hart@hooli.com", "rita@vandelay.com"]),
        pl.Series(OTHER_EMAIL, [" Quinn@Hooli.com ", None]),
    )
    rows = frame(
        contact(email="quinn@hooli.com"),
        contact("Rita", "Moss", email="rita@vandelay.com"),
    )
    out, stats = match_crm(rows, crm, other_emails=(OTHER_EMAIL,))
    found = out.collect()
    assert found["crm_record_id"].to_list() == ["1042", "1043"]
    assert found["crm_match_evidence"][0].startswith("email +")
    assert (stats.records, stats.repeated_ids, stats.existing) == (2, 0, 2)
