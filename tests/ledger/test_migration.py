"""A ledger written by schema version 1 is migrated in place, then matched as a new one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from leadtriage.frame import LEDGER_REFUSED_ON
from leadtriage.ledger import Ledger
from leadtriage.ledger.errors import LedgerError
from leadtriage.ledger.schema import (
    _MIGRATIONS,
    SCHEMA_VERSION,
    _email_facts_v2,
    _names_as_written_v3,
    connect,
)

from .helpers import Contact, run_info, run_night

# The version 1 tables as leadtriage wrote them (person_emails held only the key).
_V1_TABLES = {
    "schema_version": "(version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)",
    "runs": """(run_id INTEGER NOT NULL, run_hash VARCHAR NOT NULL UNIQUE,
        seen_on DATE NOT NULL, committed_at TIMESTAMP NOT NULL, rules_hash VARCHAR NOT NULL,
        inputs VARCHAR NOT NULL, row_count BIGINT NOT NULL, accepted BIGINT NOT NULL,
        review BIGINT NOT NULL, rejected BIGINT NOT NULL, people_new BIGINT NOT NULL,
        people_seen BIGINT NOT NULL, rows_suppressed BIGINT NOT NULL)""",
    "people": """(person_id VARCHAR NOT NULL, first_run_id INTEGER NOT NULL,
        first_seen DATE NOT NULL)""",
    "person_emails": """(email_key VARCHAR NOT NULL, email_norm VARCHAR,
        person_id VARCHAR NOT NULL, run_id INTEGER NOT NULL)""",
    "person_phones": """(phone_e164 VARCHAR NOT NULL, person_id VARCHAR NOT NULL,
        run_id INTEGER NOT NULL)""",
    "person_names": """(person_id VARCHAR NOT NULL, first_name_key VARCHAR, last_name_key VARCHAR,
        company_key VARCHAR, work_domain VARCHAR, run_id INTEGER NOT NULL)""",
    "sightings": """(person_id VARCHAR NOT NULL, run_id INTEGER NOT NULL, source VARCHAR,
        decision VARCHAR NOT NULL, row_count INTEGER NOT NULL)""",
    "suppressions": "(email_sha256 VARCHAR NOT NULL, added_at TIMESTAMP NOT NULL)",
}

_V1_PEOPLE = (
    # person, email key, email as typed, phone, first, last, company, work domain
    ("p_old1", "anna.weber@initech.com", "Anna.Weber@initech.com", None, "anna", "weber",
     "initech", "initech.com"),
    ("p_old2", "info@globex.com", "info@globex.com", "+442079460123", "li", "chen", "globex",
     "globex.com"),
    ("p_old3", "patkim77@yahoo.com", "patkim77@yahoo.com", "+4930901820", "patricia", "kim",
     None, None),
)  # fmt: skip


def _v1_ledger(path: Path) -> None:
    with duckdb.connect(str(path)) as connection:
        for name, columns in _V1_TABLES.items():
            connection.execute(f"CREATE TABLE {name} {columns}")
        connection.execute("INSERT INTO schema_version VALUES (1, TIMESTAMP '2026-10-01')")
        connection.execute(
            """INSERT INTO runs VALUES (1, 'run-v1', DATE '2026-10-01', TIMESTAMP '2026-10-01',
               'rules', '[]', 3, 3, 0, 0, 3, 0, 0)"""
        )
        for person, key, typed, phone, first, last, company, domain in _V1_PEOPLE:
            connection.execute(
                "INSERT INTO people VALUES ($p, 1, DATE '2026-10-01')", {"p": person}
            )
            connection.execute(
                "INSERT INTO person_emails VALUES ($k, $t, $p, 1)",
                {"k": key, "t": typed, "p": person},
            )
            if phone:
                connection.execute(
                    "INSERT INTO person_phones VALUES ($ph, $p, 1)", {"ph": phone, "p": person}
                )
            connection.execute(
                "INSERT INTO person_names VALUES ($p, $f, $l, $c, $d, 1)",
                {"p": person, "f": first, "l": last, "c": company, "d": domain},
            )
            connection.execute(
                "INSERT INTO sightings VALUES ($p, 1, 'fair', 'accepted', 1)", {"p": person}
            )


def test_a_version_1_ledger_is_migrated_and_its_people_found(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _v1_ledger(path)
    night = [
        # An alias of the stored address (first_last@ vs first.last@), same name.
        Contact("anna_weber@initech.com", "Anna", "Weber", "Initech", None, "webinar"),
        # The stored address is a role address: it is nobody's alias, no match on it alone.
        Contact("info@globex.com", "Maria", "Lopez", None, None, "webinar"),
        # Same phone, nickname, a new free-mail address.
        Contact("pat.k@gmail.com", "Pat", "Kim", None, "+4930901820", "webinar"),
    ]
    with Ledger.open(path) as ledger:
        routed, record = run_night(ledger, night, run_info("night.csv", b"night", day=8))
    assert record is not None
    assert routed["person_id"].to_list()[0] == "p_old1"
    assert routed["person_id"].to_list()[2] == "p_old3"
    assert routed["person_id"].to_list()[1] not in {"p_old1", "p_old2", "p_old3"}

    with duckdb.connect(str(path), read_only=True) as connection:
        assert connection.execute("SELECT max(version) FROM schema_version").fetchone() == (
            SCHEMA_VERSION,
        )
        migrated = connection.execute(
            "SELECT person_id, email_alias, email_free, email_role FROM person_emails "
            "WHERE run_id = 1 ORDER BY person_id"
        ).fetchall()
    assert migrated == [
        ("p_old1", "annaweber@initech.com", False, False),
        ("p_old2", "info@globex.com", False, True),
        ("p_old3", "patkim77@yahoo.com", True, False),
    ]


def test_a_version_1_ledger_opened_read_only_says_how_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _v1_ledger(path)
    with pytest.raises(LedgerError) as raised:
        connect(path, read_only=True)
    assert "schema version 1" in str(raised.value)
    assert "upgrades it" in (raised.value.hint or "")


def test_a_ledger_of_a_newer_version_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    _v1_ledger(path)
    with duckdb.connect(str(path)) as connection:
        connection.execute("INSERT INTO schema_version VALUES (99, TIMESTAMP '2027-01-01')")
    with pytest.raises(LedgerError, match="schema version 99"):
        connect(path, read_only=False)


def test_a_version_2_ledger_gains_the_names_as_written(tmp_path: Path) -> None:
    path = tmp_path / "v2.duckdb"
    _v1_ledger(path)
    with duckdb.connect(str(path)) as connection:
        # Version 2 as its own migration left it.
        _email_facts_v2(connection)
        connection.execute("INSERT INTO schema_version VALUES (2, TIMESTAMP '2026-10-02')")
    night = [
        Contact("anna_weber@initech.com", "Anna", "Weber", "Initech", None, "webinar"),
        Contact("pat.k@gmail.com", "Pat", "Kim", None, "+4930901820", "webinar"),
    ]
    with Ledger.open(path) as ledger:
        routed, _ = run_night(ledger, night, run_info("night.csv", b"night", day=8))
    assert routed["person_id"].to_list() == ["p_old1", "p_old3"]
    with duckdb.connect(str(path), read_only=True) as connection:
        assert connection.execute("SELECT max(version) FROM schema_version").fetchone() == (
            SCHEMA_VERSION,
        )
        names = connection.execute(
            "SELECT person_id, first_name, last_name, first_initials FROM person_names "
            "ORDER BY run_id, person_id"
        ).fetchall()
    # The old rows keep no names as written; tonight's rows carry theirs.
    assert names[:3] == [(p, None, None, None) for p in ("p_old1", "p_old2", "p_old3")]
    assert ("p_old1", "Anna", "Weber", False) in names[3:]


def test_a_version_3_ledger_gains_a_place_for_refusals(tmp_path: Path) -> None:
    path = tmp_path / "v3.duckdb"
    _v1_ledger(path)
    with duckdb.connect(str(path)) as connection:
        # Version 3 as its own migrations left it.
        _email_facts_v2(connection)
        _names_as_written_v3(connection)
        connection.execute("INSERT INTO schema_version VALUES (3, TIMESTAMP '2026-10-03')")
    night = [
        Contact(
            "anna.weber@initech.com", "Anna", "Weber", "Initech", None, "webinar", consent="no"
        ),
        Contact("patkim77@yahoo.com", "Pat", "Kim", None, "+4930901820", "webinar"),
    ]
    with Ledger.open(path) as ledger:
        routed, _ = run_night(ledger, night, run_info("night.csv", b"night", day=8))
        assert routed[LEDGER_REFUSED_ON].to_list() == [None, None]
    assert routed["person_id"].to_list() == ["p_old1", "p_old3"]
    with duckdb.connect(str(path), read_only=True) as connection:
        assert connection.execute("SELECT max(version) FROM schema_version").fetchone() == (
            SCHEMA_VERSION,
        )
        refusals = connection.execute(
            "SELECT person_id, run_id, refused_on FROM consent_refusals"
        ).fetchall()
    # The old ledger never kept consent: tonight's refusal is the first it knows.
    assert refusals == [("p_old1", 2, date(2026, 11, 8))]
    with Ledger.open(path) as ledger:
        later, _ = run_night(
            ledger,
            [Contact("anna.weber@initech.com", "Anna", "Weber", "Initech", None, "event")],
            run_info("later.csv", b"later", day=15),
        )
    assert later[LEDGER_REFUSED_ON].to_list() == [date(2026, 11, 8)]


def test_every_older_version_is_brought_to_this_one() -> None:
    assert set(_MIGRATIONS) == set(range(1, SCHEMA_VERSION))
