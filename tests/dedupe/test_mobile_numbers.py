"""A row may hold two numbers, an office line (Phone) and a mobile (Mobile): the
phone stage keeps the first as ``phone_e164`` and the second as ``mobile_e164``.
Another export, or the CRM, may give either one alone; the same number is one
person's whichever column it came in."""

from __future__ import annotations

from typing import Any

import polars as pl

from leadtriage.dedupe import match_crm
from leadtriage.frame import flag, raw
from leadtriage.schema import Col

from .helpers import contact, dedupe_rows, frame, merged

OFFICE = "+442071234567"
MOBILE = "+447911123456"
OTHER_OFFICE = "+442079460000"


def _apart(out: pl.DataFrame) -> bool:
    return out["cluster_id"].null_count() == out.height


def test_a_mobile_given_alone_meets_the_same_mobile_beside_an_office_line() -> None:
    out = dedupe_rows(
        contact("Jane", "Doe", phone=OFFICE, **{Col.MOBILE_E164: MOBILE}),
        contact("Jane", "Doe", phone=MOBILE, **{Col.MOBILE_E164: MOBILE}),
    )
    assert merged(out)
    assert out["match_evidence"][1].startswith("phone +")


def test_two_rows_each_with_an_office_line_and_one_mobile_merge() -> None:
    # Each export kept another office line (a move of desk); the mobile is the same.
    out = dedupe_rows(
        contact(
            "Jane", "Doe", email="jane.doe@acme.co.uk", phone=OFFICE, **{Col.MOBILE_E164: MOBILE}
        ),
        contact(
            "Jane", "Doe", email="jdoe@gmail.com", phone=OTHER_OFFICE, **{Col.MOBILE_E164: MOBILE}
        ),
    )
    assert merged(out)


def test_a_mobile_shared_by_two_given_names_stays_a_household() -> None:
    # The family guard reads a number matched through the mobile as any shared phone.
    out = dedupe_rows(
        contact("Jane", "Doe", phone=OFFICE, **{Col.MOBILE_E164: MOBILE}),
        contact("John", "Doe", phone=MOBILE, **{Col.MOBILE_E164: MOBILE}),
    )
    assert _apart(out)


def _record(record_id: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    return {**contact(*args, **kwargs), raw("record_id"): record_id}


def test_a_crm_record_is_found_by_its_mobile_when_its_phone_is_the_office() -> None:
    # Salesforce and HubSpot contacts carry Phone and Mobile; a webinar form asks for
    # one number, and people give the mobile.
    crm = frame(
        _record(
            "0031",
            "Jane",
            "Doe",
            email="jane.doe@acme.co.uk",
            phone=OFFICE,
            **{Col.MOBILE_E164: MOBILE},
        ),
        _record("0032", "Omar", "Haddad", phone=OTHER_OFFICE),
        source_file="crm.csv",
    )
    rows = frame(
        contact("Jane", "Doe", email="jdoe@gmail.com", phone=MOBILE, **{Col.MOBILE_E164: MOBILE}),
        contact("Omar", "Haddad", phone=OFFICE, **{Col.MOBILE_E164: OTHER_OFFICE}),
    )
    out, _ = match_crm(rows, crm)
    found = out.collect()
    assert found["crm_record_id"].to_list() == ["0031", "0032"]
    assert found[flag("crm.existing")].all()
    assert all("phone +" in e for e in found["crm_match_evidence"])


def test_a_mobile_beside_a_phone_the_phone_stage_could_not_read_is_compared() -> None:
    # "12345" under Phone reads as no number; the Mobile column beside it is hers.
    out = dedupe_rows(
        contact("Jane", "Doe", **{raw("phone"): "12345", Col.MOBILE_E164: MOBILE}),
        contact("Jane", "Doe", phone=MOBILE),
    )
    assert merged(out)
    # The row with a phone survives; the other carries why it is a duplicate.
    assert out["match_evidence"][0].startswith("phone +")
