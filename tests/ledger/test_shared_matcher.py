"""The ledger finds people with dedupe's matcher: its alias key, its veto, its guards."""

from __future__ import annotations

from pathlib import Path

from leadtriage.frame import flag
from leadtriage.ledger import Ledger

from .helpers import Contact, run_info, run_night

SEEN = flag("seen.before")


def _second_night(tmp_path: Path, first: list[Contact], second: list[Contact]) -> list[bool]:
    with Ledger.open(tmp_path / "ledger.duckdb") as ledger:
        run_night(ledger, first, run_info("night1.csv", b"1", day=1))
        routed, _ = run_night(ledger, second, run_info("night2.csv", b"2", day=8))
    return [bool(seen) for seen in routed[SEEN]]


def test_two_business_domains_veto_a_namesake_at_one_company(tmp_path: Path) -> None:
    # The old SQL tiers matched names + company whatever the domains; dedupe vetoes.
    first = [Contact("anna.weber@initech.com", "Anna", "Weber", "Initech", None, "fair")]
    second = [Contact("anna.weber@globex.com", "Anna", "Weber", "Initech", None, "fair")]
    assert _second_night(tmp_path, first, second) == [False]


def test_an_alias_at_one_domain_with_the_same_name_is_the_same_person(tmp_path: Path) -> None:
    first = [Contact("anna.weber@initech.com", "Anna", "Weber", None, None, "fair")]
    second = [Contact("anna_weber@initech.com", "Anna", "Weber", None, None, "fair")]
    assert _second_night(tmp_path, first, second) == [True]


def test_a_shared_phone_with_another_first_name_is_a_family_not_a_return(
    tmp_path: Path,
) -> None:
    first = [Contact("anna.weber@gmail.com", "Anna", "Weber", None, "+4930901820", "fair")]
    second = [Contact("tom.weber@gmail.com", "Tom", "Weber", None, "+4930901820", "fair")]
    assert _second_night(tmp_path, first, second) == [False]


def test_initials_typed_as_two_capitals_are_known_as_initials_nights_later(
    tmp_path: Path,
) -> None:
    # "EM Briones" on a badge: the ledger keeps that the two letters were initials
    # (Em is a name of its own), so Emiliana Briones at the same address returns.
    first = [Contact("e.briones@vaillant.fr", "EM", "Briones", None, "+33612510073", "fair")]
    second = [Contact("e.briones@vaillant.fr", "Emiliana", "Briones", None, None, "fair")]
    assert _second_night(tmp_path, first, second) == [True]


def test_the_words_of_a_stored_name_are_compared_as_typed(tmp_path: Path) -> None:
    # A second family name and a middle initial: the name stage's keys run the words
    # together ("cardenasbray", "haleyg"); the ledger keeps the names as written.
    first = [
        Contact("h.bray@gmail.com", "Haley G.", "Cardenas Bray", None, "+447409417147", "fair")
    ]
    second = [Contact("haley.bray@brown.co.uk", "Haley", "Bray", None, "+447409417147", "fair")]
    assert _second_night(tmp_path, first, second) == [True]


def test_a_company_typed_without_its_spaces_anchors_a_return(tmp_path: Path) -> None:
    first = [Contact("henry_t@icloud.com", "Henry", "Terrell", "Long Logistics", None, "fair")]
    second = [Contact("h.terrell77@gmail.com", "Henry", "Terrell", "longlogistics", None, "fair")]
    assert _second_night(tmp_path, first, second) == [True]


def test_an_address_typed_with_one_slip_is_a_return(tmp_path: Path) -> None:
    # Nothing else is shared: the half of the address left intact reaches the person.
    first = [Contact("mauricemarsh@gmail.com", "Maurice", "Marsh", None, None, "fair")]
    second = [Contact("maruicemarsh@gmail.com", "Maurice", "Marsh", None, None, "fair")]
    assert _second_night(tmp_path, first, second) == [True]


def test_numbered_addresses_one_digit_apart_are_no_return(tmp_path: Path) -> None:
    first = [Contact("john.smith7@gmail.com", "John", "Smith", None, None, "fair")]
    second = [Contact("john.smith8@gmail.com", "John", "Smith", None, None, "fair")]
    assert _second_night(tmp_path, first, second) == [False]
