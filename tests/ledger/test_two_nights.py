"""Night 2 brings back people from night 1 with the usual variations; the ledger knows them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from leadtriage.frame import flag
from leadtriage.ledger import Ledger, ledger_runs, ledger_stats

from .helpers import Contact, night_frame, run_info, run_night

SEEN = flag("seen.before")
SUPPRESSED = flag("suppressed")

NIGHT_1 = [
    Contact("Jane.Doe@gmail.com", "Jane", "Doe", "Acme Corp", "+14155550132", "tradeshow"),
    Contact("robert.smith@initech.com", "Robert", "Smith", "Initech", "+13125550187", "tradeshow"),
    Contact("l.chen@globex.com", "Li", "Chen", "Globex", "+442079460123", "tradeshow"),
    Contact(
        "katherine.oconnor@umbrella.com", "Katherine", "OConnor", "Umbrella", None, "whitepaper"
    ),
    Contact("pat.kim@hooli.com", "Patricia", "Kim", "Hooli", "+4930901820", "whitepaper"),
    Contact("office@stark.com", "Tony", "Stark", "Stark Industries", "+12125550100", "whitepaper"),
    Contact("john.smith@gmail.com", "John", "Smith", "Initech", None, "tradeshow"),
]

# Index in NIGHT_1 of the person each returning row of night 2 must be found as.
RETURNING = {
    0: 0,  # case and gmail dots: JANEDOE@GMAIL.COM
    # nickname at the same company, new address, same phone: Bob Smith @ initech (without
    # the phone, dedupe calls a new address at one domain with a nickname a possible pair)
    1: 1,
    2: 2,  # same address, a new phone
    3: 3,  # typo in the last name, same company domain: Katherine OConnro
    4: 4,  # same phone, nickname, new free-mail address: Pat Kim
}
NIGHT_2 = [
    Contact("JANEDOE@GMAIL.COM", "Jane", "Doe", None, None, "webinar"),
    Contact("bob.s@initech.com", "Bob", "Smith", "Initech", "+13125550187", "webinar"),
    Contact("L.Chen@globex.com", "Li", "Chen", "Globex", "+442079460999", "webinar"),
    Contact("kath.o@umbrella.com", "Katherine", "OConnro", "Umbrella", None, "webinar"),
    Contact("patkim77@yahoo.com", "Pat", "Kim", None, "+4930901820", "webinar"),
    # Traps: look alike, are someone else.
    Contact("mary.smith@initech.com", "Mary", "Smith", "Initech", None, "webinar"),
    Contact("pepper@stark.com", "Pepper", "Potts", "Stark Industries", "+12125550100", "webinar"),
    Contact("john.smith77@outlook.com", "John", "Smith", None, None, "webinar"),
    Contact("lu.chen@gmail.com", "Lu", "Chen", None, None, "webinar"),
]
NEW_IN_NIGHT_2 = range(5, len(NIGHT_2))


@pytest.fixture
def two_nights(tmp_path: Path) -> tuple[Path, pl.DataFrame, pl.DataFrame]:
    path = tmp_path / "ledger.duckdb"
    with Ledger.open(path) as ledger:
        first, _ = run_night(ledger, NIGHT_1, run_info("night1.csv", b"night 1", day=1))
        second, _ = run_night(ledger, NIGHT_2, run_info("night2.csv", b"night 2", day=8))
    return path, first, second


def test_night_one_people_are_all_new_with_distinct_ids(
    two_nights: tuple[Path, pl.DataFrame, pl.DataFrame],
) -> None:
    _, first, _ = two_nights
    assert first[SEEN].to_list() == [False] * len(NIGHT_1)
    assert first["person_id"].n_unique() == len(NIGHT_1)
    assert first["first_seen"].to_list() == [date(2026, 11, 1)] * len(NIGHT_1)
    assert first["person_id"].str.contains(r"^p_[0-9a-f]{20}$").all()


@pytest.mark.parametrize(("row", "night_1_row"), RETURNING.items())
def test_returning_person_gets_night_one_id(
    two_nights: tuple[Path, pl.DataFrame, pl.DataFrame], row: int, night_1_row: int
) -> None:
    _, first, second = two_nights
    assert second["person_id"][row] == first["person_id"][night_1_row]
    assert second[SEEN][row] is True
    assert second["first_seen"][row] == date(2026, 11, 1)


@pytest.mark.parametrize("row", NEW_IN_NIGHT_2)
def test_lookalike_is_a_new_person(
    two_nights: tuple[Path, pl.DataFrame, pl.DataFrame], row: int
) -> None:
    _, first, second = two_nights
    assert second["person_id"][row] not in set(first["person_id"])
    assert second[SEEN][row] is False
    assert second["first_seen"][row] == date(2026, 11, 8)


def test_new_people_of_one_night_get_distinct_ids(
    two_nights: tuple[Path, pl.DataFrame, pl.DataFrame],
) -> None:
    _, _, second = two_nights
    new_ids = second["person_id"].gather(list(NEW_IN_NIGHT_2))
    assert new_ids.n_unique() == len(NEW_IN_NIGHT_2)


def test_flags_are_false_not_null(two_nights: tuple[Path, pl.DataFrame, pl.DataFrame]) -> None:
    _, _, second = two_nights
    assert second[SEEN].null_count() == 0
    assert second[SUPPRESSED].null_count() == 0
    assert not second[SUPPRESSED].any()


def test_rows_columns_and_order_are_kept(
    two_nights: tuple[Path, pl.DataFrame, pl.DataFrame],
) -> None:
    _, _, second = two_nights
    original = night_frame(NIGHT_2).collect()
    assert_frame_equal(second.select(original.columns), original)
    assert second["person_id"].null_count() == 0


def test_ledger_records_people_runs_and_sources(
    two_nights: tuple[Path, pl.DataFrame, pl.DataFrame],
) -> None:
    path, _, _ = two_nights
    stats = ledger_stats(path)
    assert stats.people == len(NIGHT_1) + len(NEW_IN_NIGHT_2)
    assert stats.runs == 2
    assert stats.sources == {"webinar": len(NIGHT_2), "tradeshow": 4, "whitepaper": 3}
    runs = ledger_runs(path)
    assert [(run.run_id, run.rows, run.people_new, run.people_seen) for run in runs] == [
        (1, len(NIGHT_1), len(NIGHT_1), 0),
        (2, len(NIGHT_2), len(NEW_IN_NIGHT_2), len(RETURNING)),
    ]
    assert runs[1].inputs[0].name == "night2.csv"
    assert stats.last_run == runs[1]


def test_cluster_shares_one_person_id(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    night_2 = [
        # Dedupe tied these two rows; only the first carries a key the ledger knows.
        Contact("jane.doe@gmail.com", "Jane", "Doe", None, None, "webinar", cluster_id="c1"),
        Contact(None, "J", "Doe", None, "+33142685300", "webinar", cluster_id="c1"),
        # A new person seen twice tonight.
        Contact("ana@newco.io", "Ana", "Lima", "Newco", None, "webinar", cluster_id="c2"),
        Contact("ana.lima@newco.io", "Ana", "Lima", "Newco", None, "webinar", cluster_id="c2"),
        Contact("solo@newco.io", "Solo", "Han", "Newco", None, "webinar"),
    ]
    with Ledger.open(path) as ledger:
        first, _ = run_night(ledger, NIGHT_1, run_info("night1.csv", b"night 1", day=1))
        second, record = run_night(ledger, night_2, run_info("night2.csv", b"night 2c", day=8))
    ids = second["person_id"].to_list()
    assert ids[0] == ids[1] == first["person_id"][0]
    assert second[SEEN].to_list()[:2] == [True, True]
    assert ids[2] == ids[3]
    assert len({ids[0], ids[2], ids[4]}) == 3
    assert record is not None
    assert (record.people_new, record.people_seen) == (2, 1)


def test_same_input_against_same_ledger_gives_same_ids(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    run = run_info("night1.csv", b"night 1", day=1)
    with Ledger.open(path) as ledger:
        once = ledger.identify(night_frame(NIGHT_1), run=run).collect()
        twice = ledger.identify(night_frame(NIGHT_1), run=run).collect()
        other_run = ledger.identify(
            night_frame(NIGHT_1), run=run_info("x.csv", b"other bytes", day=1)
        ).collect()
    assert_frame_equal(once, twice)
    assert set(once["person_id"]).isdisjoint(other_run["person_id"])
