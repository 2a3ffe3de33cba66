"""The misses issue 13 lists, each as the rows a real export carries, and the guard
that keeps each fix from merging a look-alike."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from leadtriage.dedupe.features import build_features
from leadtriage.frame import flag, raw
from leadtriage.normalize.company import normalize_company

from .helpers import contact, dedupe_rows, frame, merged

PHONE = "+447700900123"
OTHER_PHONE = "+447700900456"


def _apart(out: pl.DataFrame) -> bool:
    return out["cluster_id"].null_count() == out.height


def test_an_alias_at_one_business_domain_merges_when_name_and_phone_agree() -> None:
    out = dedupe_rows(
        contact("Karen", "Shaffer", email="karen.shaffer@acme.com", phone=PHONE),
        contact("Karen", "Shaffer", email="karen_shaffer@acme.com", phone=PHONE),
    )
    assert merged(out)
    assert out["match_evidence"][1].startswith("email~alias +")
    assert out["possible_partner"].null_count() == out["pair_id"].null_count() == 2


def test_a_typo_in_the_local_part_merges_when_name_and_phone_agree() -> None:
    out = dedupe_rows(
        contact("Karen", "Shaffer", email="karen.shaffer@acme.com", phone=PHONE),
        contact("Karen", "Shaffer", email="karen.shafer@acme.com", phone=PHONE),
    )
    assert merged(out)
    assert out["match_evidence"][1].startswith("email~1edit +")


def test_work_and_personal_addresses_merge_when_name_and_phone_agree() -> None:
    out = dedupe_rows(
        contact("Karen", "Shaffer", email="karen.shaffer@acme.com", phone=PHONE),
        contact("Karen", "Shaffer", email="kshaffer77@gmail.com", phone=PHONE),
    )
    assert merged(out)


def test_namesakes_at_one_domain_with_other_phones_go_to_review() -> None:
    # Two addresses at one domain are no veto any more; another phone as well makes
    # two John Smiths of one company as likely as one: a person should look.
    out = dedupe_rows(
        contact("John", "Smith", email="john.smith@acme.com", phone=PHONE, company="Acme"),
        contact("John", "Smith", email="jsmith2@acme.com", phone=OTHER_PHONE, company="Acme"),
    )
    assert _apart(out)
    assert out[flag("duplicate.possible")].all()
    # Each row names the other, and both carry one pair id for the review workbook.
    assert out["possible_partner"].to_list() == ["export.csv:2", "export.csv:1"]
    assert out["pair_id"].n_unique() == 1 and out["pair_id"][0].startswith("p")


def test_a_nickname_without_email_merges_on_phone_and_company() -> None:
    out = dedupe_rows(
        contact("Amanda", "Price", email="amanda.price@acme.com", phone=PHONE, company="Acme"),
        contact("Mandy", "Price", phone=PHONE, company="Acme"),
    )
    assert merged(out)
    assert "name~nick" in out["match_evidence"][1]


def test_first_and_last_swapped_with_an_alias_merge() -> None:
    out = dedupe_rows(
        contact("Colton", "Burgess", email="colton.burgess@milesgroup.co.uk", company="Miles"),
        contact("Burgess", "Colton", email="colton_burgess@milesgroup.co.uk", phone=PHONE),
    )
    assert merged(out)
    assert "name(swapped)" in out["match_evidence"][1]


def test_a_full_name_in_one_column_with_an_email_typo_merges() -> None:
    out = dedupe_rows(
        contact("Karen", "Shaffer", email="karen.shaffer@acme.com", phone=PHONE, company="Acme"),
        contact(
            "Shaffer, Karen",
            None,
            email="karen.shafer@acme.com",
            company="Acme",
            first_key="shaffer karen",
        ),
    )
    assert merged(out)
    # The comma says which part is the family name: no swapped reading needed.
    assert "name +" in out["match_evidence"][1] and "swapped" not in out["match_evidence"][1]


def test_one_row_carrying_both_addresses_links_the_halves_of_a_person() -> None:
    out = dedupe_rows(
        contact("Maja", "Cuijck", email="maja.cuijck@acme.com", phone=PHONE, company="Acme"),
        contact("Maja", "Cuijck", email="mcuijck12@gmail.com", phone=PHONE),
        contact("Maja", "Cuijck", email="mcuijck12@gmail.com"),
    )
    assert merged(out)
    assert out["match_evidence"][2].endswith("via export.csv:2")


def test_a_family_sharing_a_phone_is_not_merged_even_at_one_company() -> None:
    out = dedupe_rows(
        contact("Daniel", "Rossi", phone=PHONE, company="Rossi Srl"),
        contact("Giulia", "Rossi", phone=PHONE, company="Rossi Srl"),
    )
    assert _apart(out)


def test_a_switchboard_weighs_less_than_a_direct_line() -> None:
    """Term frequency: a number on many rows is a switchboard; agreeing on it is
    worth fewer bits than agreeing on a number two rows share."""
    colleagues = [
        contact(first, last, phone=PHONE, company="Curtis")
        for first, last in [("Sara", "Stokes"), ("Falk", "Jaekel"), ("Judith", "Stark")]
        + [("Paul", f"Name{n}") for n in range(6)]
    ]
    direct = [
        contact("Anna", "Berg", phone=OTHER_PHONE),
        contact("Anna", "Berg", phone=OTHER_PHONE),
        contact("Sara", "Stokes", phone=PHONE, company="Curtis"),
    ]
    out = dedupe_rows(*colleagues, *direct)
    evidence = [e for e in out["match_evidence"].to_list() if e and "phone +" in e]
    weights = {float(e.split("phone +")[1].split(",")[0]) for e in evidence}
    assert len(weights) == 2  # the direct line and the switchboard differ
    switchboard_row = out.filter(pl.col("first_name") == "Sara")["match_evidence"][1]
    assert switchboard_row is not None
    switchboard = float(switchboard_row.split("phone +")[1].split(",")[0])
    assert switchboard == min(weights)


def test_swapped_names_with_a_typo_merge_on_a_shared_phone_and_company() -> None:
    # "Pores Georgia": first and last swapped, and the i of Pires struck as an o.
    out = dedupe_rows(
        contact("Georgia", "Pires", email="georgia.pires@reid.co.uk", phone=PHONE, company="Reid"),
        contact("Pores", "Georgia", email="georgia_p@gmail.com", phone=PHONE, company="Reid"),
    )
    assert merged(out)
    assert "(swapped)" in out["match_evidence"][1]


def test_swapped_names_with_a_typo_merge_on_an_alias_of_the_email() -> None:
    out = dedupe_rows(
        contact("Chase", "Lara", email="chase.lara@tello.es", company="Tello"),
        contact("Lara", "Cnase", email="chase_lara@tello.es"),
    )
    assert merged(out)


def test_a_swapped_reading_with_a_typo_needs_a_shared_key() -> None:
    # Only the employer is shared: colleagues, not a swapped name with a typo.
    out = dedupe_rows(
        contact("Georgia", "Pires", phone=PHONE, company="Reid"),
        contact("Pores", "Georgia", phone=OTHER_PHONE, company="Reid"),
    )
    assert not out[flag("duplicate")].any()


def test_a_personal_address_and_another_phone_merge_on_name_and_employer() -> None:
    # The work address and a personal one, a new mobile: one person at one employer.
    out = dedupe_rows(
        contact(
            "Glenda", "McIntosh", email="glenda.mcintosh@girard.fr", phone=PHONE, company="Girard"
        ),
        contact(
            "Glenda",
            "McIntosh",
            email="mcintosh.glenda@gmail.com",
            phone=OTHER_PHONE,
            company="Girard",
        ),
    )
    assert merged(out)


def test_a_given_name_spelt_by_ear_merges_on_a_shared_address() -> None:
    # Joly for Jolie, Kym for Kim: one sound, another spelling; too far apart by letters.
    for typed, heard in (("Jolie", "Joly"), ("Kim", "Kym")):
        out = dedupe_rows(
            contact(typed, "Wendt", email="j.wendt@french.co.uk", phone=PHONE),
            contact(heard, "Wendt", email="j.wendt@french.co.uk", phone=PHONE),
        )
        assert merged(out), (typed, heard)


def test_names_that_sound_alike_only_in_part_stay_apart() -> None:
    # Christine and Kristina differ in sound as in spelling: colleagues.
    out = dedupe_rows(
        contact("Christine", "Weber", company="Descamps"),
        contact("Kristina", "Weber", company="Descamps"),
    )
    assert not out[flag("duplicate")].any()


def test_a_name_typed_with_one_key_slipped_merges_on_a_shared_address() -> None:
    """Amalia typed Amakia (k beside l): one person's typo, not a relative's name."""
    out = dedupe_rows(
        contact("Amalia", "Viñas", email="amalia.vinas@yahoo.es"),
        contact("Amakia", "Viñas", email="amalia.vinas@yahoo.es"),
    )
    assert merged(out)


def test_two_known_names_a_key_apart_sharing_an_address_stay_a_family() -> None:
    """Karen and Karin, Jake and Jane are one key apart too, but both are names."""
    for first, other in (("Karen", "Karwn"), ("Jake", "Jane")):
        out = dedupe_rows(
            contact(first, "Miller", email="millers@gmail.com"),
            contact(other, "Miller", email="millers@gmail.com"),
        )
        if other == "Karwn":
            assert merged(out)  # Karwn is no name: a slip of Karen
        else:
            assert not merged(out)


# --- issue 13, second round: initials, compound family names ------------------------


def test_a_given_name_cut_to_initials_merges_on_a_shared_address() -> None:
    # Badge scanners and short form fields: "NO" or "Ow" for the given name.
    for short in ("NO", "No", "N"):
        out = dedupe_rows(
            contact("Norman", "Aarden", email="norman.aarden@morris.co.uk", company="Morris"),
            contact(short, "Aarden", email="norman.aarden@morris.co.uk", company="Morris"),
        )
        assert merged(out), short
        assert "name~initial" in out["match_evidence"][1]


def test_an_initial_of_another_letter_is_a_conflict() -> None:
    # "A Rossi" at Daniel Rossi's phone: a family member, as with a whole given name.
    out = dedupe_rows(
        contact("Daniel", "Rossi", phone=PHONE, company="Rossi Srl"),
        contact("A", "Rossi", phone=PHONE, company="Rossi Srl"),
    )
    assert _apart(out)


def test_initials_in_a_swapped_name_merge_on_a_shared_phone() -> None:
    out = dedupe_rows(
        contact("Nicolas", "Pasquier", email="nicolas.pasquier@duhamel.fr", phone=PHONE),
        contact("Pasquier", "NP", email="nicolaspasquier@duhamel.fr", phone=PHONE),
    )
    assert merged(out)


def test_a_middle_initial_is_no_part_of_the_given_name() -> None:
    # The name stage's key runs the words together ("rhondaf"); the given name
    # compared is Rhonda, so a personal address, the phone and the name decide.
    out = dedupe_rows(
        contact("Rhonda F.", "Haley", email="rhonda_h@gmail.com", phone=PHONE, first_key="rhondaf"),
        contact("Rhonda", "Haley", email="rhonda.haley@zahn.de", phone=PHONE),
    )
    assert merged(out)
    assert out["match_evidence"][1].split(", ")[2].startswith("name +")


def test_a_middle_initial_before_a_second_given_name_is_no_part_of_the_first() -> None:
    # "Thijmen N. Cadorna" keys as "thijmenncadorna": the given name compared must
    # still be Thijmen, or one address and one phone are kept apart as a family's.
    out = dedupe_rows(
        contact(
            "Thijmen N. Cadorna",
            "Badoglio",
            email="thijmen.badoglio@oestrovsky.de",
            phone=PHONE,
            first_key="thijmenncadorna",
        ),
        contact("Thijmen", "Badoglio", email="thijmen.badoglio@oestrovsky.de", phone=PHONE),
    )
    assert merged(out)


def test_a_whole_name_with_a_middle_initial_in_one_column_keeps_its_family_name() -> None:
    # No family name column: "Mary J. Blige" is given name, initial and family name.
    out = dedupe_rows(
        contact("Mary J. Blige", None, phone=PHONE, first_key="maryjblige"),
        contact("Mary", "Blige", phone=PHONE),
    )
    assert merged(out)


def test_a_second_family_name_before_the_first_merges_on_phone_and_employer() -> None:
    # A maiden name (or a particle) written before the family name.
    for compound in ("Camacho Forster", "von Forster"):
        out = dedupe_rows(
            contact(
                "Thomas",
                "Forster",
                email="thomas.forster@williamson.co.uk",
                phone=PHONE,
                company="Williamson",
            ),
            # The name stage's key runs the words together.
            contact(
                "Thomas",
                compound,
                phone=PHONE,
                company="Williamson",
                last_key=compound.lower().replace(" ", ""),
            ),
        )
        assert merged(out), compound


def test_a_family_name_inside_another_is_no_match_alone() -> None:
    # "Lind" inside "Lindqvist" is a prefix of a longer name, not a second family name:
    # colleagues at one employer stay apart.
    out = dedupe_rows(
        contact("Anna", "Lind", phone=PHONE, company="Acme"),
        contact("Anna", "Lindqvist", phone=OTHER_PHONE, company="Acme"),
    )
    assert not out[flag("duplicate")].any()


def test_an_initial_and_a_second_family_name_at_once_still_pair() -> None:
    # "Me de Dobson" for Melanie Dobson: no three letters of either part are shared,
    # only the initial and the family name's ending.
    out = dedupe_rows(
        contact("Melanie", "Dobson", email="melanie.dobson@charles.fr", phone=PHONE),
        contact("Me", "de Dobson", email="melanied@charles.fr", phone=PHONE, last_key="dedobson"),
    )
    assert out["match_evidence"][1] is not None


def test_a_colleagues_address_made_from_her_own_name_keeps_the_names_apart() -> None:
    out = dedupe_rows(
        contact("John", "Smith", email="john.smith@acme.com", phone=PHONE, company="Acme"),
        contact("Jane", "Smith", email="jsmith@acme.com", phone=OTHER_PHONE, company="Acme"),
    )
    assert not out[flag("duplicate")].any()


def test_a_space_typed_inside_a_given_name_is_no_middle_initial() -> None:
    # FEBRL's "jessic a" is Jessica with a stray space: only "F." is an initial.
    features = build_features(
        frame(
            contact("jessic a", "Baker", first_key="jessica"),
            contact("Rhonda F.", "Haley", first_key="rhondaf"),
        ).collect()
    )
    assert features["first"].to_list() == ["jessica", "rhonda"]


def test_two_letters_that_are_a_name_of_their_own_are_no_initial() -> None:
    """Ed and Edna Miller at one phone and employer: Ed is a name (Edward's), not
    Edna's initial, so the two stay apart as a family would."""
    out = dedupe_rows(
        contact("Edna", "Miller", phone=PHONE, company="Miller Farms"),
        contact("Ed", "Miller", phone=PHONE, company="Miller Farms"),
    )
    assert not merged(out)


# --- issue 13, CRM recall: initials the nickname list spells as names -----------------


def test_two_letters_without_a_vowel_are_initials_whatever_the_nickname_list_says() -> None:
    # The nickname list carries initials people go by (J.R., K.C., L.R., Mc): two
    # letters without a vowel are never a given name of their own.
    for given, short in (("Jay", "JR"), ("Katarzyna", "Kc"), ("Leszek", "lr")):
        out = dedupe_rows(
            contact(given, "Amat", email="j.amat@seguin.fr", phone=PHONE),
            contact(short, "Amat", email="j.amat@seguin.fr", phone=PHONE),
        )
        assert merged(out), short
        assert "name~initial" in out["match_evidence"][1]


def test_two_capitals_beside_a_family_name_typed_otherwise_are_initials() -> None:
    # "EM Briones" on a badge: the name stage re-cases it ("Em"), the typed value says
    # it was two initials. Typed "Em", or in a row typed all in capitals, it is a name.
    def row(typed_first: str, typed_last: str) -> dict[str, Any]:
        return contact(
            typed_first.title(),
            "Briones",
            email="e.briones@vaillant.fr",
            phone=PHONE,
            **{raw("first_name"): typed_first, raw("last_name"): typed_last},
        )

    emiliana = contact("Emiliana", "Briones", email="e.briones@vaillant.fr", phone=PHONE)
    out = dedupe_rows(emiliana, row("EM", "Briones"))
    assert merged(out)
    assert "name~initial" in out["match_evidence"][1]
    for typed in (("Em", "Briones"), ("EM", "BRIONES")):
        assert not merged(dedupe_rows(emiliana, row(*typed))), typed


def test_a_second_given_name_on_one_side_is_close() -> None:
    # "Rebecca Pennington Valenzuela" in one column: the name stage splits it into
    # "Rebecca Pennington" and Valenzuela and runs the given names' key together.
    # The first given name is compared; the second makes the names close, not other.
    out = dedupe_rows(
        contact(
            "Rebecca Pennington",
            "Valenzuela",
            email="rebeccavalenzuela@yahoo.com",
            phone=PHONE,
            first_key="rebeccapennington",
        ),
        contact("Rebecca", "Valenzuela", email="rebeccavalenzuela@yahoo.com", phone=PHONE),
    )
    assert merged(out)
    assert "name~close" in out["match_evidence"][1]


def test_given_names_written_apart_or_together_are_the_same() -> None:
    features = build_features(
        frame(
            contact("Jean-Pierre", "Dupont", first_key="jeanpierre"),
            contact("Jeanpierre", "Dupont"),
            contact("José Carlos L.", "Cortese", first_key="josecarlosl"),
        ).collect()
    )
    assert features["first"].to_list() == ["jean", "jeanpierre", "josecarlosl"]
    assert features["first_all"].to_list() == ["jeanpierre", "jeanpierre", "josecarlosl"]
    out = dedupe_rows(
        contact("Jean-Pierre", "Dupont", phone=PHONE, first_key="jeanpierre"),
        contact("Jeanpierre", "Dupont", phone=PHONE),
    )
    assert merged(out)
    assert out["match_evidence"][1].split(", ")[1].startswith("name +")


def test_an_alias_of_the_address_is_the_second_key_a_loose_given_name_needs() -> None:
    # Cathryon for Cathrin: a phone alone is a family's, the phone and an alias of
    # the address (the same but for punctuation) are one person's.
    cathrin = contact("Cathrin", "Radel", email="cathrin.radel@web.de", phone=PHONE)
    alias = contact("Cathryon", "Radel", email="cathrin_radel@web.de", phone=PHONE)
    assert merged(dedupe_rows(cathrin, alias))
    other = contact("Cathryon", "Radel", email="c.radel77@web.de", phone=PHONE)
    assert not merged(dedupe_rows(cathrin, other))


def test_one_typo_in_a_name_of_five_letters_or_more_is_close() -> None:
    # Ralssa for Raissa (l is no neighbour of i), Obrieg for Obrien, Rossana for
    # Rosanna (two letters swapped): one edit, a typo, not a family member.
    email = "r.cichorius@web.de"
    for typed in ("Ralssa", "Raisas", "Raisa"):
        out = dedupe_rows(
            contact("Raissa", "Cichorius", email=email),
            contact(typed, "Cichorius", email=email),
        )
        assert merged(out), typed
        assert "name~close" in out["match_evidence"][1], typed
    out = dedupe_rows(
        contact("Yvonne", "Obrien", email="yvonne.obrien@brownfoods.com"),
        contact("Yvonne", "Obrieg", email="yvonne.obrien@brownfoods.com"),
    )
    assert "name~close" in out["match_evidence"][1]


def test_names_a_final_vowel_apart_sharing_an_address_stay_a_family() -> None:
    # Mario and Maria Rossi share the family's address: one edit, but no typo.
    out = dedupe_rows(
        contact("Mario", "Rossi", email="rossi.family@web.de"),
        contact("Maria", "Rossi", email="rossi.family@web.de"),
    )
    assert not merged(out)


def test_a_family_name_of_two_words_in_the_given_name_column_still_reads_swapped() -> None:
    # "Chavez Lane" typed as the given name and Melvin as the family name: read
    # swapped, Lane is the second of Chavez Lane's words, as in the straight reading.
    out = dedupe_rows(
        contact("Melvin", "Lane", email="melvin.lane@ochoa.com", phone=PHONE),
        contact(
            "Chavez Lane",
            "Melvin",
            email="melvin_lane@ochoa.com",
            phone=PHONE,
            first_key="chavezlane",
        ),
    )
    assert merged(out)
    assert "name~close(swapped)" in out["match_evidence"][1]


# A given name cut to two letters and a longer one starting with them, one phone or one
# address between them: read as two given names, they are a family, never merged.
# Where the address of the row that typed the two letters spells the longer name, it
# says whose name they are short for: an address both rows share ("Jo Altera" at
# jocelynaltera@) or the row's own ("Jo Dupuy" at josetted@). An address that spells
# no given name (Ed and Edna at millers@, Jo at joe.dupuy@) says nothing.
@pytest.mark.parametrize(
    ("whole", "spelt", "unspelt"),
    [
        (
            contact("Jocelyn", "Altera", email="jocelyn.altera@davids.de", phone=PHONE),
            contact("Jo", "Altera", email="jocelynaltera@davids.de", phone=PHONE),
            (
                contact("Edna", "Miller", email="millers@gmail.com"),
                contact("Ed", "Miller", email="millers@gmail.com"),
            ),
        ),
        (
            contact("Josette", "Dupuy", email="josette.dupuy@boutin.fr", phone=PHONE),
            contact("Jo", "Dupuy", email="josetted@boutin.fr", phone=PHONE),
            (
                contact("Josette", "Dupuy", email="josette.dupuy@boutin.fr", phone=PHONE),
                contact("Jo", "Dupuy", email="joe.dupuy@boutin.fr", phone=PHONE),
            ),
        ),
        # An address spells an umlaut as the bare vowel (jorn@ for Jörn), the name's
        # key as the vowel and e (joern).
        (
            contact("Jörn", "Stephens", email="jorn.stephens@t-online.de"),
            contact("Jo", "Stephens", email="jorn.stephens@t-online.de"),
            (
                contact("Jörn", "Stephens", email="stephens@t-online.de"),
                contact("Jo", "Stephens", email="stephens@t-online.de"),
            ),
        ),
    ],
)
def test_a_given_name_cut_to_two_letters_is_read_whole_where_an_address_spells_it(
    whole: dict[str, Any], spelt: dict[str, Any], unspelt: tuple[dict[str, Any], ...]
) -> None:
    out = dedupe_rows(whole, spelt)
    assert merged(out)
    assert "name~initial" in out["match_evidence"][1]
    assert not merged(dedupe_rows(*unspelt))


def test_a_personal_address_beside_a_work_one_counts_less_against_than_another_work_one() -> None:
    # People have a work and a personal address; two work addresses at one employer
    # are as often two colleagues. Both differ, but not alike.
    out = dedupe_rows(
        contact("Karen", "Shaffer", email="karen.shaffer@acme.com", phone=PHONE, company="Acme"),
        contact("Karen", "Shaffer", email="kshaffer77@gmail.com", phone=PHONE, company="Acme"),
        contact("Karen", "Shaffer", email="k.shaffer@acme.com", phone=PHONE, company="Acme"),
    )
    assert merged(out)
    personal = out["match_evidence"][1].split(", ")[0]
    work = out["match_evidence"][2].split(", ")[0]
    assert personal.startswith("email~personal ") and work.startswith("email≠ ")
    assert float(personal.split()[1]) > float(work.split()[1])


def test_two_capitals_before_a_family_name_in_one_column_are_initials() -> None:
    # "EB Nolan" typed whole in one column: its first word is the given name.
    out = dedupe_rows(
        contact("Elaine", "Nolan", email="e.nolan@vega.com", phone=PHONE),
        contact(
            None,
            "EB Nolan",
            email="e.nolan@vega.com",
            phone=PHONE,
            **{raw("first_name"): None, raw("last_name"): "EB Nolan"},
        ),
    )
    assert merged(out)
    assert "name~initial" in out["match_evidence"][1]


def test_a_company_name_typed_without_its_spaces_is_the_same_company() -> None:
    # "longlogistics" (the web address's spelling) for Long Logistics Corp.
    out = dedupe_rows(
        contact("Henry", "Terrell", company="Long Logistics", email="henry_t@icloud.com"),
        contact("Henry", "Terrell", company="longlogistics", email="h.terrell77@gmail.com"),
    )
    assert merged(out)
    assert "company +" in out["match_evidence"][1]


def test_an_address_typed_with_one_slip_at_a_free_mail_provider_merges_on_the_full_name() -> None:
    # Nothing else is shared (no phone, no company): the two addresses a letter
    # apart at one provider are the key, as an alias of the address is.
    for typed in ("maruicemarsh@gmail.com", "mauricemarh@gmail.com", "mauricemarsch@gmail.com"):
        out = dedupe_rows(
            contact("Maurice", "Marsh", email="mauricemarsh@gmail.com"),
            contact("Maurice", "Marsh", email=typed),
        )
        assert merged(out), typed
        assert out["match_evidence"][1].startswith("email~1edit +")


def test_numbered_addresses_at_a_free_mail_provider_are_namesakes_not_a_slip() -> None:
    out = dedupe_rows(
        contact("John", "Smith", email="john.smith7@gmail.com"),
        contact("John", "Smith", email="john.smith8@gmail.com"),
    )
    assert _apart(out)
    assert not out[flag("duplicate.possible")].any()


def test_a_slip_of_the_address_needs_full_names_on_both_rows() -> None:
    out = dedupe_rows(
        contact("Maurice", "Marsh", email="mauricemarsh@gmail.com"),
        contact(None, "Marsh", email="maruicemarsh@gmail.com"),
    )
    assert _apart(out)


def test_a_slip_of_a_short_address_is_no_key() -> None:
    # jo.smith@ and jo.smoth@: too short for either half to say much.
    out = dedupe_rows(
        contact("Jo", "Smith", email="jo.smith@gmail.com"),
        contact("Jo", "Smith", email="jo.smoth@gmail.com"),
    )
    assert _apart(out)


def test_a_company_typed_as_its_web_address_is_the_same_company() -> None:
    typed = ["George Systems LLC", "www.georgesystems.com"]
    companies = pl.LazyFrame({raw("company"): typed})
    keys = normalize_company(companies).collect()["company_key"].to_list()
    out = dedupe_rows(
        contact(
            "Rodrigo",
            "Blasco",
            email="rodrigo.blasco@georgesystems.com",
            company=typed[0],
            company_key=keys[0],
        ),
        contact("Rodrigo", "Blasco", company=typed[1], company_key=keys[1]),
    )
    assert merged(out)
    assert "company +" in out["match_evidence"][1]


@pytest.mark.parametrize("whole", ["Isabel Bryan Wilcox", "Isabel María Bryan Wilcox"])
def test_a_whole_name_in_one_column_with_a_second_family_name_is_the_same_person(
    whole: str,
) -> None:
    # "Isabel Bryan Wilcox" typed into one column: Bryan may be her first family
    # name (a Spanish double surname: García López), not a second given name.
    out = dedupe_rows(
        contact("Isabel", "Bryan", email="isabel.bryan@peukert.de", company="Peukert"),
        contact(whole, None, email="isabel.bryan@peukert.de", company="Peukert"),
    )
    assert merged(out)


def test_a_second_word_of_a_whole_name_read_as_a_family_name_keeps_given_names_apart() -> None:
    out = dedupe_rows(
        contact("Paul", "Smith", email="smith.family@gmail.com"),
        contact("John Paul Smith", None, email="smith.family@gmail.com"),
    )
    assert _apart(out)


def test_a_whole_name_the_name_stage_split_may_end_in_two_family_names() -> None:
    # The name stage split "Isabel Bryan Wilcox" (one column) into Isabel Bryan and
    # Wilcox; Bryan Wilcox may be the family name.
    split = contact(
        "Isabel Bryan",
        "Wilcox",
        email="isabel.bryan@peukert.de",
        **{raw("first_name"): "Isabel Bryan Wilcox"},
    )
    out = dedupe_rows(contact("Isabel", "Bryan", email="isabel.bryan@peukert.de"), split)
    assert merged(out)
    # Typed in two columns, the same words are given names and a family name.
    typed = {**split, raw("last_name"): "Wilcox"}
    out = dedupe_rows(contact("Isabel", "Bryan", email="isabel.bryan@peukert.de"), typed)
    assert _apart(out)


def test_a_slip_of_the_address_that_mirrors_a_slip_of_the_name_is_no_key() -> None:
    # Brenda and Brendan Ponce spell their addresses a letter apart because their
    # names are: the address says nothing the names do not.
    out = dedupe_rows(
        contact("Brenda", "Ponce", email="brenda.ponce@gmail.com"),
        contact("Brendan", "Ponce", email="brendan.ponce@gmail.com"),
    )
    assert _apart(out)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            ("Carlo", "Morirs", "caalomorris@gmail.com"),
            ("Carlo", "Morris", "carlomorris@gmail.com"),
        ),
        (
            ("Kirsten", "Hethur", "kirsten.hethur@web.de"),
            ("Kirsten", "Heihur", "kisrten.hethur@web.de"),
        ),
        (
            ("Isabelle", "Delannoy", "isabelle.delannoy@gregoire.fr"),
            ("Isabbelle", "Delannoy", "isabelle.delanoy@gregoire.fr"),
        ),
    ],
)
def test_a_slip_of_the_address_beside_a_slip_of_the_name_elsewhere_merges(
    one: tuple[str, str, str], other: tuple[str, str, str]
) -> None:
    # Two slips that are not one: the addresses differ where the names do not (or
    # one address does not spell its own row's name), so one of them is a typo.
    out = dedupe_rows(
        contact(one[0], one[1], email=one[2]), contact(other[0], other[1], email=other[2])
    )
    assert merged(out)
    assert out["match_evidence"][1].startswith("email~1edit +")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            ("Jonathan", "Peterson", "jonathan.peterson@gmail.com"),
            ("Jonathan", "Petersen", "jonathan.petersen@gmail.com"),
        ),
        (
            ("Daniela", "Rossetti", "daniela.rossetti@gmail.com"),
            ("Daniella", "Rossetti", "daniella.rossetti@gmail.com"),
        ),
    ],
)
def test_addresses_a_slip_apart_that_each_spell_their_own_name_do_not_merge(
    one: tuple[str, str, str], other: tuple[str, str, str]
) -> None:
    out = dedupe_rows(
        contact(one[0], one[1], email=one[2]), contact(other[0], other[1], email=other[2])
    )
    assert _apart(out)


def test_a_slip_of_the_address_beside_an_initial_of_the_given_name_merges() -> None:
    out = dedupe_rows(
        contact("Théophile", "Faure", email="theophile.faure@laposte.net"),
        contact("T", "Faure", email="theophlie.faure@laposte.net"),
    )
    assert merged(out)


def test_an_initial_whose_address_carries_a_typo_of_the_name_is_still_its_initial() -> None:
    # erin.cohen@ is eric.cohen@ with one letter slipped: E is still Eric's initial
    # (only an address spelling another name refuses it: keith.yates@ for Kathleen).
    out = dedupe_rows(
        contact("Eric", "Cohen", email="eric.cohen@goncalves.fr", phone=PHONE, company="Goncalves"),
        contact("E", "Cohen", email="erin.cohen@goncalves.fr", phone=PHONE, company="Goncalves"),
    )
    assert merged(out)
    assert "name~initial" in out["match_evidence"][1]


def test_a_family_name_of_two_letters_with_a_second_one_merges_on_phone_and_employer() -> None:
    # Ho, Li, Wu, Ng: short family names take a second one as the long ones do.
    out = dedupe_rows(
        contact(
            "Annette", "Ho", email="annette.ho@smithconsulting.com", phone=PHONE, company="Smith"
        ),
        contact(
            "Annette", "Ho-Ball", email="aho@smithconsulting.com", phone=PHONE, company="Smith"
        ),
    )
    assert merged(out)


def test_a_particle_is_no_family_name_of_its_own() -> None:
    # "de" is how "de Souza" begins, not a second family name beside Souza.
    out = dedupe_rows(
        contact("Ana", "de", phone=PHONE, company="Acme"),
        contact("Ana", "de Souza", phone=OTHER_PHONE, company="Acme"),
    )
    assert not out[flag("duplicate")].any()


def test_a_second_family_name_typed_with_a_slip_merges_on_phone_and_company() -> None:
    # Meister at marco.meister@, "Meeister-Leopardi" at mmeister@: a typo and a second
    # family name at once, one phone, one employer.
    out = dedupe_rows(
        contact(
            "Marco", "Meister", email="marco.meister@ramseymc.com", phone=PHONE, company="Ramsey"
        ),
        contact(
            "Marco",
            "Meeister-Leopardi",
            email="mmeister@ramseymc.com",
            phone=PHONE,
            company="Ramsey",
        ),
    )
    assert merged(out)


@pytest.mark.parametrize(
    ("typed", "email"),
    [
        (("Jsoe", "Clarke"), "jose.clarrke.clarke@yahoo.com"),  # the held-out miss
        (("Jose", "Clrake"), "jose.clarke.clarke@yahoo.com"),
    ],
)
def test_two_letters_swapped_in_a_four_letter_name_is_a_typo(
    typed: tuple[str, str], email: str
) -> None:
    """Jose typed Jsoe, one address a letter off, one phone: one person. Two neighbours
    swapped was a typo only from five letters (as a letter for another is: Iris and
    Iros are two names), so the pair stayed "possible"."""
    out = dedupe_rows(
        contact("Jose", "Clarke", email="jose.clarke.clarke@yahoo.com", phone=PHONE),
        contact(*typed, email=email, phone=PHONE),
    )
    assert merged(out)


@pytest.mark.parametrize(("first", "other"), [("Lisa", "Lias"), ("Dina", "Dian"), ("Noel", "Nole")])
def test_two_given_names_we_know_two_letters_swapped_apart_are_not_merged_on_a_phone(
    first: str, other: str
) -> None:
    """Two names we know beside one phone are a family's, however alike."""
    out = dedupe_rows(
        contact(first, "Clarke", email=f"{first.lower()}.clarke@yahoo.com", phone=PHONE),
        contact(other, "Clarke", email=f"{other.lower()}.clarke@gmail.com", phone=PHONE),
    )
    assert _apart(out)
