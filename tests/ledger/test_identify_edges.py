"""Frames the pipeline may hand over: empty, missing whole stages, odd input headers."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from leadtriage.ledger import Ledger

from .helpers import night_frame, route_all, run_info, run_night
from .test_two_nights import NIGHT_1, SEEN, SUPPRESSED


def test_empty_night_is_recorded_with_no_people(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    with Ledger.open(path) as ledger:
        rows, record = run_night(ledger, [], run_info("empty.csv", b"", day=1))
    assert rows.height == 0
    assert {"person_id", "first_seen", SEEN, SUPPRESSED} <= set(rows.columns)
    assert record is not None
    assert (record.rows, record.people_new) == (0, 0)


def test_only_emails_known_when_other_stages_did_not_run(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    with Ledger.open(path) as ledger:
        first, _ = run_night(ledger, NIGHT_1, run_info("night1.csv", b"night 1", day=1))
        bare = pl.LazyFrame(
            {
                "source_file": ["bare.csv", "bare.csv"],
                "source_row": [1, 2],
                "email": ["JANE.DOE@gmail.com", "someone@else.org"],
                "email_key": ["janedoe@gmail.com", "someone@else.org"],
                # An input header the ledger's internal names must not clash with.
                "row_nr": ["a", "b"],
            }
        )
        rows = route_all(ledger.identify(bare, run=run_info("bare.csv", b"bare", day=2)))
    assert rows["person_id"][0] == first["person_id"][0]
    assert rows[SEEN].to_list() == [True, False]
    assert rows["row_nr"].to_list() == ["a", "b"]
    assert rows.columns[:5] == ["source_file", "source_row", "email", "email_key", "row_nr"]


def test_recorded_run_tells_a_rerun(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    night_1 = run_info("night1.csv", b"night 1", day=1)
    with Ledger.open(path) as ledger:
        assert ledger.recorded_run(night_1) is None
        routed = route_all(ledger.identify(night_frame(NIGHT_1), run=night_1))
        committed = ledger.commit(routed, run=night_1)
        assert committed is not None
        assert ledger.recorded_run(night_1) == committed
