"""The summary's counts (report.py)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import polars as pl

from leadtriage.frame import REASON_SEPARATOR, REASONS
from leadtriage.pipeline import triage
from leadtriage.report import count_reasons

EXAMPLE = Path(__file__).parents[1] / "examples" / "campaign.csv"


def test_reasons_are_counted_per_row_and_slug_whatever_the_cell() -> None:
    rng = random.Random(11)
    slugs = ["email.free", "duplicate", "phone.invalid", "email.role"]
    frames, expected = [], Counter[str]()
    for _ in range(3):
        cells: list[str | None] = []
        for _ in range(2_000):
            picked = rng.sample(slugs, rng.randint(0, 3))
            cell = rng.choice([None, REASON_SEPARATOR.join(picked)])
            cells.append(cell)
            expected.update(s for s in (cell or "").split(REASON_SEPARATOR) if s)
        frames.append(pl.DataFrame({REASONS: cells}, schema={REASONS: pl.String}))
    counted = count_reasons(frames)
    assert counted == dict(expected)
    assert list(counted.values()) == sorted(counted.values(), reverse=True)


def test_a_run_that_does_not_keep_its_working_rows_makes_the_same_outputs() -> None:
    kept = triage([str(EXAMPLE)])
    freed = triage([str(EXAMPLE)], keep_routed=False)
    assert kept.routed is not None and freed.routed is None
    for name, table in kept.tables().items():
        assert table.equals(freed.tables()[name]), name
    assert kept.summary == freed.summary
