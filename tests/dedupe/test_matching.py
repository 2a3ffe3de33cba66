"""Every variation of one person merges; every hard negative stays apart."""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage.dedupe import DedupeConfig
from leadtriage.frame import flag

from .helpers import contact, dedupe_rows, merged

PHONE = "+14155550132"
SWITCHBOARD = "+442079460000"


def _apart(out: pl.DataFrame) -> bool:
    return out["cluster_id"].null_count() == out.height and not out[flag("duplicate")].any()


def _evidence(out: pl.DataFrame) -> list[str]:
    return out.filter(pl.col(flag("duplicate")))["match_evidence"].to_list()


def _levels(out: pl.DataFrame) -> list[list[str]]:
    """The comparison levels each duplicate's evidence lists, weights left out:
    "email +10.1, name +7.0" -> ["email", "name"]."""
    return [[part.rsplit(" ", 1)[0] for part in text.split(", ")] for text in _evidence(out)]


# --- variations of one person -------------------------------------------------


def test_same_email_key_merges_whatever_else_differs() -> None:
    out = dedupe_rows(
        contact("Anna", "Schmidt", email="anna.schmidt@gmail.com"),
        contact(None, None, email="anna.schmidt@gmail.com", phone=PHONE),
    )
    assert merged(out)
    assert _levels(out) == [["email"]]


def test_case_of_email_and_names_does_not_matter() -> None:
    out = dedupe_rows(
        contact("Anna", "Schmidt", email="anna.schmidt@acme.de"),
        contact("ANNA", "schmidt", email="ANNA.SCHMIDT@ACME.DE"),
    )
    assert merged(out)


def test_gmail_dots_and_tags_meet_through_the_email_key() -> None:
    # The email stage removes gmail dots and +tags from the key; dedupe uses the key.
    key = "annaschmidt@gmail.com"
    out = dedupe_rows(
        contact("Anna", "Schmidt", email="anna.schmidt@gmail.com", email_key=key),
        contact("Anna", "Schmidt", email="annaschmidt+webinar@gmail.com", email_key=key),
    )
    assert merged(out)
    assert _levels(out) == [["email", "name"]]


def test_nickname_bob_meets_robert_on_a_shared_phone() -> None:
    out = dedupe_rows(
        contact("Robert", "Miller", phone=PHONE, email="robert.miller@acme.com"),
        contact("Bob", "Miller", phone=PHONE, email="bobmiller@gmail.com"),
    )
    assert merged(out)
    assert _levels(out) == [["email~personal", "phone", "name~nick"]]


def test_nickname_bill_meets_william_at_the_same_company() -> None:
    out = dedupe_rows(
        contact("William", "Turner", company="Acme Inc"),
        contact("Bill", "Turner", company="ACME"),
    )
    assert merged(out)
    assert _levels(out) == [["name~nick", "company"]]


def test_two_addresses_at_one_domain_merge_when_name_and_phone_agree() -> None:
    # One person registering twice at work (issue 13's first miss): no veto.
    out = dedupe_rows(
        contact("Katherine", "Jones", email="katherine.jones@acme.com", phone=PHONE),
        contact("Kate", "Jones", email="kjones@acme.com", phone=PHONE),
    )
    assert merged(out)
    assert _levels(out) == [["email≠", "phone", "name~nick", "domain"]]


def test_typo_in_the_family_name_still_merges_at_the_same_company() -> None:
    out = dedupe_rows(
        contact("Katherine", "Johnson", company="Acme"),
        contact("Katherine", "Jonhson", company="Acme"),
    )
    assert merged(out)
    assert _levels(out) == [["name~close", "company"]]


def test_first_and_last_name_swapped() -> None:
    out = dedupe_rows(
        contact("Gregg", "Juarez", phone=PHONE),
        contact("Juarez", "Gregg", phone=PHONE),
    )
    assert merged(out)


def test_swapped_names_with_several_words() -> None:
    out = dedupe_rows(
        contact("Arthur", "de Koning", company="Robertson Systems"),
        contact("de Koning", "Arthur", company="Robertson Systems"),
    )
    assert merged(out)


def test_full_name_in_one_column() -> None:
    out = dedupe_rows(
        contact("Raven", "Li", company="Hopkins"),
        contact("Raven Li", None, company="Hopkins"),
    )
    assert merged(out)


def test_new_phone_same_company() -> None:
    out = dedupe_rows(
        contact("Falk", "Weber", company="Nerger Labs", phone=PHONE),
        contact("Falk", "Weber", company="Nerger Labs", phone="+4915112345678"),
    )
    assert merged(out)


def test_work_and_personal_email_meet_on_the_phone() -> None:
    out = dedupe_rows(
        contact("Louise", "Monnier", email="louise.monnier@bahr.de", phone=PHONE),
        contact("Louise", "Monnier", email="louise.monnier@gmail.com", phone=PHONE),
    )
    assert merged(out)


def test_accents_dropped_meet_through_the_transliterated_keys() -> None:
    out = dedupe_rows(
        contact("José", "Müller", first_key="jose", last_key="mueller", company="Acme"),
        contact("Jose", "Muller", first_key="jose", last_key="muller", company="Acme"),
    )
    assert merged(out)


# --- hard negatives -----------------------------------------------------------


def test_namesakes_at_different_companies_stay_apart() -> None:
    out = dedupe_rows(
        contact("John", "Smith", company="Acme", email="john.smith@acme.com"),
        contact("John", "Smith", company="Globex", email="john.smith@globex.com"),
    )
    assert _apart(out)
    assert not out[flag("duplicate.possible")].any()


def test_colleagues_sharing_a_first_name_are_not_even_possible() -> None:
    out = dedupe_rows(
        contact("Luca", "OBrien", company="Kestrel Analytics", email="luca.obrien@kestrel.co.uk"),
        contact("Luca", "Marino", company="Kestrel Analytics", email="luca.marino@kestrel.co.uk"),
    )
    assert _apart(out)
    assert not out[flag("duplicate.possible")].any()


def test_colleagues_sharing_a_switchboard_stay_apart() -> None:
    out = dedupe_rows(
        contact("Sara", "Stokes", company="Curtis Group", phone=SWITCHBOARD),
        contact("Falk", "Jaekel", company="Curtis Group", phone=SWITCHBOARD),
        contact("Judith", "Stark", company="Curtis Group", phone=SWITCHBOARD),
    )
    assert _apart(out)


def test_colleagues_sharing_info_address_stay_apart() -> None:
    out = dedupe_rows(
        contact("Niek", "Kloppert", email="info@kelley.com"),
        contact("Pepijn", "Westra", email="info@kelley.com"),
    )
    assert _apart(out)
    assert not out[flag("duplicate.possible")].any()


def test_same_person_on_info_address_merges_only_with_matching_names() -> None:
    out = dedupe_rows(
        contact("Niek", "Kloppert", email="info@kelley.com"),
        contact("Niek", "Kloppert", email="info@kelley.com"),
    )
    # A role address is no evidence of a person: the names and the employer are.
    assert merged(out)
    assert _levels(out) == [["name", "domain"]]


def test_family_sharing_a_personal_email_stays_apart() -> None:
    out = dedupe_rows(
        contact("John", "Miller", email="millers@gmail.com"),
        contact("Mary", "Miller", email="millers@gmail.com"),
    )
    assert _apart(out)


def test_one_work_address_with_a_misspelt_given_name_is_one_person() -> None:
    """Families share a personal mailbox; firstname.lastname@employer is one
    person's: the same family name and a loosely similar given name merge there."""
    out = dedupe_rows(
        contact("Cathrin", "Rädel", email="cathrin.radel@vanvoorst.nl", company="van Voorst BV"),
        contact(
            "Cathryon", "Rädel", email="cathrin.radel@vanvoorst.nl", company="van Voorst Holding"
        ),
    )
    assert merged(out)


def test_one_work_address_with_another_given_name_is_still_not_merged() -> None:
    out = dedupe_rows(
        contact("John", "Miller", email="j.miller@acme-corp.com"),
        contact("Mary", "Miller", email="j.miller@acme-corp.com"),
    )
    assert _apart(out)


def test_a_loosely_similar_given_name_at_one_personal_address_stays_apart() -> None:
    out = dedupe_rows(
        contact("John", "Miller", email="millers@gmail.com"),
        contact("Joan", "Miller", email="millers@gmail.com"),
    )
    assert _apart(out)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Dan", "Dana"), ("Eric", "Erica"), ("Jan", "Jana"), ("Ian", "Ivan"), ("Mario", "Maria")],
)
def test_two_given_names_a_letter_apart_at_one_shared_contact_are_a_family(
    one: str, other: str
) -> None:
    """Dan and Dana are two names, not one name mistyped: at a shared mailbox or
    phone they are two people of one family (reviewed, never merged)."""
    for shared in ({"email": "bergs@outlook.com"}, {"phone": PHONE}):
        out = dedupe_rows(contact(one, "Berg", **shared), contact(other, "Berg", **shared))
        assert _apart(out), (one, other, shared)


@pytest.mark.parametrize(("one", "other"), [("Rosie", "Roxie"), ("Jeremy", "Jeremi")])
def test_two_given_names_alike_at_one_work_address_spelt_from_the_name_merge(
    one: str, other: str
) -> None:
    out = dedupe_rows(
        contact(one, "Hyde", email="rosie.hyde@wood-plc.co.uk", company="Wood PLC"),
        contact(other, "Hyde", email="rosie.hyde@wood-plc.co.uk", company="Wood PLC"),
    )
    assert merged(out)


def test_family_sharing_a_phone_stays_apart() -> None:
    out = dedupe_rows(
        contact("Daniel", "Rossi", phone=PHONE),
        contact("Giulia", "Rossi", phone=PHONE),
    )
    assert _apart(out)


def test_business_emails_at_different_domains_veto_a_name_and_phone_match() -> None:
    out = dedupe_rows(
        contact("Tom", "Berg", email="tom.berg@acme.com", phone=PHONE),
        contact("Tom", "Berg", email="tom.berg@globex.com", phone=PHONE),
    )
    assert _apart(out)


def test_similar_first_names_sharing_an_email_go_to_review() -> None:
    # John or Joan? A typo or a relative: a person should look.
    out = dedupe_rows(
        contact("John", "Miller", email="millers@gmail.com"),
        contact("Joan", "Miller", email="millers@gmail.com"),
    )
    assert _apart(out)
    assert out[flag("duplicate.possible")].all()
    notes = out["match_evidence"].to_list()
    assert notes[0] is not None and notes[0].startswith("possible email +")
    assert notes[0].endswith("with export.csv:2")
    assert "name~loose" in notes[0]


def test_evidence_left_out_of_the_config_does_not_merge() -> None:
    rows = (
        contact("Robert", "Miller", phone=PHONE),
        contact("Robert", "Miller", phone=PHONE),
    )
    assert merged(dedupe_rows(*rows))
    assert _apart(dedupe_rows(*rows, config=DedupeConfig(evidence=("email", "company"))))


def test_a_loose_swapped_reading_does_not_merge() -> None:
    # Read swapped, "Norman Cole" is "Cole Norman", close to "Nicole Norman": no.
    out = dedupe_rows(
        contact("Norman", "Cole", company="Vaillant"),
        contact("Nicole", "Norman", company="Vaillant"),
    )
    assert _apart(out)


def test_nickname_groups_do_not_join_different_names() -> None:
    out = dedupe_rows(
        contact("Christine", "Weber", company="Descamps"),
        contact("Kristina", "Weber", company="Descamps"),
    )
    assert not out[flag("duplicate")].any()


def test_swapped_names_with_a_typo_still_merge_on_a_shared_email() -> None:
    out = dedupe_rows(
        contact("Daniel", "Hyde", email="daniel.hyde@leveque.fr", company="Leveque"),
        contact("Hnde", "Daniel", email="daniel.hyde@leveque.fr"),
    )
    assert merged(out)


def test_swapped_names_with_a_given_name_cut_to_what_the_address_spells_merge() -> None:
    # "Vi" is a given name of its own (Violet's), but the shared address spells Victor.
    out = dedupe_rows(
        contact("Victor", "Verdier", email="victor.verdier@houdijk.nl", phone=PHONE),
        contact("Verdier", "Vi", email="victor.verdier@houdijk.nl", phone=PHONE),
    )
    assert merged(out)
    assert "name~initial(swapped)" in _evidence(out)[0]


def test_two_letters_read_as_victor_do_not_bring_in_his_family() -> None:
    # Vi at Victor's address is Victor; Violet, at the family's phone, stays apart.
    out = dedupe_rows(
        contact("Victor", "Verdier", email="victor.verdier@gmail.com", phone=PHONE),
        contact("Verdier", "Vi", email="victor.verdier@gmail.com", phone=PHONE),
        contact("Violet", "Verdier", email="violet.v@gmail.com", phone=PHONE),
    )
    ids = out["cluster_id"].to_list()
    assert ids[0] is not None and ids[0] == ids[1] and ids[2] != ids[0]


def test_one_name_and_phone_at_two_employers_goes_to_review() -> None:
    # A job change: the mobile and the full name came along, the address did not.
    # Two business domains still veto the merge; a person should look.
    out = dedupe_rows(
        contact("Tom", "Berg", email="tom.berg@acme.com", phone=PHONE, company="Acme"),
        contact("Tom", "Berg", email="tberg@globex.com", phone=PHONE, company="Globex"),
    )
    assert _apart(out)
    assert out[flag("duplicate.possible")].all()


def test_one_given_name_and_address_under_two_family_names_goes_to_review() -> None:
    # A married name: the address and the given name stayed, the family name changed.
    out = dedupe_rows(
        contact("Maria", "Keller", email="maria.k1984@gmail.com", company="Acme"),
        contact("Maria", "Schmidt", email="maria.k1984@gmail.com", company="Globex"),
    )
    assert _apart(out)
    assert out[flag("duplicate.possible")].all()
