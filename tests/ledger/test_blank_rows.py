"""A blank row (no email, phone, name or company) is nobody: no person_id, and it is
not counted as a new person (issue 10, "smaller things seen")."""

from __future__ import annotations

from pathlib import Path

from leadtriage.ledger import Ledger, ledger_stats

from .helpers import Contact, run_info, run_night


def test_blank_rows_get_no_person_id_and_are_not_new_people(tmp_path: Path) -> None:
    night = [
        Contact("ana@newco.io", "Ana", "Lima", "Newco", None, "webinar"),
        Contact(None, None, None, None, None, "webinar"),
        Contact(None, "  ", None, None, None, "webinar"),
    ]
    with Ledger.open(tmp_path / "ledger.duckdb") as ledger:
        routed, record = run_night(ledger, night, run_info("night.csv", b"blank rows"))
    ids = routed["person_id"].to_list()
    assert ids[0] is not None
    assert ids[1:] == [None, None]
    assert routed["flag.seen.before"].to_list() == [False, False, False]
    assert record is not None
    assert (record.rows, record.people_new, record.people_seen) == (3, 1, 0)
    assert ledger_stats(tmp_path / "ledger.duckdb").people == 1
