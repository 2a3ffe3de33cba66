"""Frames built by hand (clean columns and flags set directly) and rules files on disk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from leadtriage.frame import FIELDS, SOURCE_FILE, SOURCE_ROW, raw
from leadtriage.rules import RuleSet, apply_rules, load_rules

FrameMaker = Callable[[dict[str, Sequence[Any]]], pl.LazyFrame]


def build_frame(columns: dict[str, Sequence[Any]]) -> pl.LazyFrame:
    """A frame as the stages leave it: the given clean, ``raw.`` and ``flag.`` columns,
    every other ``raw.<field>`` null, and ``source_file`` / ``source_row``."""
    height = len(next(iter(columns.values())))
    data = {name: pl.Series(name, list(values)) for name, values in columns.items()}
    for field in FIELDS:
        data.setdefault(raw(field), pl.Series(raw(field), [None] * height, dtype=pl.String))
    data[SOURCE_FILE] = pl.Series(SOURCE_FILE, ["in.csv"] * height)
    data[SOURCE_ROW] = pl.Series(SOURCE_ROW, range(1, height + 1), dtype=pl.Int64)
    return pl.DataFrame(data).lazy()


@pytest.fixture
def make_frame() -> FrameMaker:
    return build_frame


@pytest.fixture
def write_rules(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str, name: str = "rules.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def routed() -> Callable[[pl.LazyFrame, RuleSet], pl.DataFrame]:
    def run(lf: pl.LazyFrame, rules: RuleSet) -> pl.DataFrame:
        return apply_rules(lf, rules).collect()

    return run


@pytest.fixture
def fires(write_rules: Callable[[str], Path]) -> Callable[..., list[bool]]:
    """Whether a single tag rule with condition `when` fires on each row of `lf`."""

    def run(when: str, lf: pl.LazyFrame, *, lists: str = "") -> list[bool]:
        path = write_rules(
            f"[settings]\ndefaults = false\n\n[lists]\n{lists}\n\n"
            f'[[rules]]\nname = "probe"\nwhen = {when}\naction = "tag"\n'
        )
        reasons = apply_rules(lf, load_rules(path)).collect().get_column("reasons")
        return ["rule.probe" in r.split(";") for r in reasons.to_list()]

    return run
