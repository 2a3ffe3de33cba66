"""Fixtures the ledger's test modules share."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadtriage.ledger import Ledger

from .helpers import run_info, run_night
from .test_two_nights import NIGHT_1


@pytest.fixture
def ledger_after_night_1(tmp_path: Path) -> Path:
    """A ledger that has recorded night 1 (NIGHT_1) and nothing else."""
    path = tmp_path / "ledger.duckdb"
    with Ledger.open(path) as ledger:
        run_night(ledger, NIGHT_1, run_info("night1.csv", b"night 1", day=1))
    return path
