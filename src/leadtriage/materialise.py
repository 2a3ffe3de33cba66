"""Collecting a stage's plan beside the wide frame instead of through it.

A stage adds columns to the one wide frame (src/leadtriage/frame.py). When its plan
joins something back (values computed once per distinct key, a narrow key frame), a
plain `collect()` gathers every column of the wide frame into a new copy: at a
million rows that is a gigabyte per join. Selecting only the columns the stage
writes lets Polars prune the join to the columns those need; the frame's other
columns stay the buffers they were.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def collect_beside(
    frame: pl.DataFrame, staged: pl.LazyFrame, rewritten: Sequence[str] = ()
) -> pl.DataFrame:
    """`staged` (a plan over `frame.lazy()`) collected: the columns it adds, and the
    `rewritten` ones it changes, are computed; every other column is `frame`'s own.
    Right only while the stage changes no column but `rewritten` (each caller's tests
    check its stages)."""
    names = staged.collect_schema().names()
    kept = set(frame.columns) - set(rewritten)
    written = staged.select(c for c in names if c not in kept).collect()
    return frame.with_columns(written.get_columns()).select(names)
