"""One person whose phone two exports write differently, through the whole pipeline:
a national number under a country it does not belong to (a French mobile typed as
06 ... beside "United Kingdom") reads as no number at all, but its digits are the
other row's."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from leadtriage.pipeline import TriageOptions, triage

HEADER = ["Email", "First Name", "Last Name", "Company", "Phone", "Country"]
CRM_HEADER = ["Record ID", *HEADER]
LEAD = ["steven.osborne@massegroup.fr", "Steven", "Osborne", "Masse Group SARL"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> str:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *rows])
    return str(path)


def _crm_id(tmp_path: Path, lead: list[str], record: list[str]) -> str | None:
    export = _write(tmp_path / "leads.csv", HEADER, [lead])
    crm = _write(tmp_path / "crm.csv", CRM_HEADER, [record])
    routed = triage([export], options=TriageOptions(crm=crm)).routed
    assert routed is not None
    found: str | None = routed["crm_record_id"][0]
    return found


def test_a_national_number_under_another_country_finds_the_record(tmp_path: Path) -> None:
    """The held-out miss: the record's only contact is the phone, read under GB."""
    record = ["003000000001422", "", "Steven", "Osborne Gough", "", "06 12 06 28 02", "GB"]
    assert _crm_id(tmp_path, [*LEAD, "+33612062802", "FR"], record) == "003000000001422"


@pytest.mark.parametrize("phone", ["06 12 06 28 03", "12345678901", "06 12 06 28 0"])
def test_other_digits_or_a_fake_number_find_nothing(tmp_path: Path, phone: str) -> None:
    record = ["003000000001422", "", "Steven", "Osborne Gough", "", phone, "GB"]
    assert _crm_id(tmp_path, [*LEAD, "+33612062802", "FR"], record) is None


def test_a_national_number_under_another_country_merges_a_duplicate(tmp_path: Path) -> None:
    export = _write(
        tmp_path / "leads.csv",
        HEADER,
        [
            [*LEAD, "+33612062802", "FR"],
            ["", "Steven", "Osborne", "", "06 12 06 28 02", "United Kingdom"],
        ],
    )
    routed = triage([export]).routed
    assert routed is not None
    clusters = routed["cluster_id"].to_list()
    assert clusters[0] is not None and clusters[0] == clusters[1]
