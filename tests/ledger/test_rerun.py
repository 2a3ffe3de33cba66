"""Rerunning the same inputs and rules changes nothing, and is reported as the first time."""

from __future__ import annotations

from pathlib import Path

from polars.testing import assert_frame_equal

from leadtriage.ledger import Ledger, ledger_runs

from .helpers import Contact, night_frame, route_all, run_info, run_night
from .snapshot import ledger_content
from .test_two_nights import NIGHT_1, NIGHT_2


def test_rerun_changes_nothing_and_reports_as_first_time(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    night_2 = run_info("night2.csv", b"night 2", day=8)
    with Ledger.open(path) as ledger:
        run_night(ledger, NIGHT_1, run_info("night1.csv", b"night 1", day=1))
        first_time, _ = run_night(ledger, NIGHT_2, night_2)
    before = ledger_content(path)
    # The cron retries the next morning: same bytes, same rules, another day.
    retry = run_info("night2.csv", b"night 2", day=9)
    with Ledger.open(path) as ledger:
        again, record = run_night(ledger, NIGHT_2, retry)
    assert record is None
    assert ledger_content(path) == before
    assert_frame_equal(again, first_time)


def test_rerun_after_a_later_night_is_still_reported_as_first_time(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    night_2 = run_info("night2.csv", b"night 2", day=8)
    # Night 3 adds what would change the answer if the rerun were matched against
    # today's ledger: new addresses and phones for night 2's new people.
    night_3 = [
        Contact("mary.smith@initech.com", "Mary", "Smith", "Initech", "+14155550177", "webinar"),
        Contact("pepper.potts@gmail.com", "Pepper", "Potts", "Stark Industries", None, "event"),
    ]
    with Ledger.open(path) as ledger:
        run_night(ledger, NIGHT_1, run_info("night1.csv", b"night 1", day=1))
        first_time, _ = run_night(ledger, NIGHT_2, night_2)
        _, night_3_record = run_night(ledger, night_3, run_info("night3.csv", b"night 3", day=15))
    assert night_3_record is not None
    assert night_3_record.people_seen == 2
    before = ledger_content(path)
    with Ledger.open(path) as ledger:
        again = route_all(ledger.identify(night_frame(NIGHT_2), run=night_2))
        assert ledger.commit(again, run=night_2) is None
    assert_frame_equal(again, first_time)
    assert ledger_content(path) == before


def test_renamed_copy_of_same_bytes_is_a_rerun(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    with Ledger.open(path) as ledger:
        run_night(ledger, NIGHT_1, run_info("night1.csv", b"night 1", day=1))
        _, record = run_night(ledger, NIGHT_1, run_info("copy of night1.csv", b"night 1", day=2))
    assert record is None
    assert len(ledger_runs(path)) == 1


def test_other_rules_make_another_run(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    strict = run_info("night1.csv", b"night 1", day=2)
    strict = type(strict)(inputs=strict.inputs, rules_hash="strict", started_at=strict.started_at)
    with Ledger.open(path) as ledger:
        run_night(ledger, NIGHT_1, run_info("night1.csv", b"night 1", day=1))
        rows, record = run_night(ledger, NIGHT_1, strict)
    assert record is not None
    assert rows["flag.seen.before"].all()
    assert record.people_new == 0
