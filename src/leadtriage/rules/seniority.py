"""Job title -> seniority level, by keyword tables, vectorised on word boundaries.

The tables (``data/rules_seniority.txt``) cover English, German, French and
Spanish titles. Each level is one case-insensitive regex over the lowercased title,
tried highest level first, so "VP and Director of Sales" is ``vp``. A title that
names no level is null: unknown, not guessed. Applied to a frame, the regexes run
once per distinct title.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl

from leadtriage.data_files import data_text
from leadtriage.rules.fields import SENIORITY_LEVELS

_TABLE_FILE = "rules_seniority.txt"
_REWRITE = "rewrite"
_ARROW = " => "


@dataclass(frozen=True)
class SeniorityTable:
    rewrites: tuple[tuple[str, str], ...]
    patterns: dict[str, str]  # level -> one regex, highest level first


def parse_table(text: str) -> SeniorityTable:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    rewrites = tuple(
        (pattern.strip(), replacement.strip())
        for pattern, replacement in (line.split(_ARROW, 1) for line in sections.get(_REWRITE, []))
    )
    patterns = {
        level: r"(?i)\b(?:" + "|".join(sections[level]) + r")\b"
        for level in SENIORITY_LEVELS
        if sections.get(level)
    }
    return SeniorityTable(rewrites, patterns)


@cache
def seniority_table() -> SeniorityTable:
    return parse_table(data_text(_TABLE_FILE))


def with_seniority(lf: pl.LazyFrame, title: str, output: str) -> pl.LazyFrame:
    """`lf` with the seniority of its `title` column as `output`, computed once per
    distinct title and joined back (titles repeat; the regexes are the cost)."""
    levels = lf.select(title).unique().with_columns(seniority_expr(pl.col(title)).alias(output))
    return lf.drop(output, strict=False).join(
        levels, on=title, how="left", nulls_equal=True, maintain_order="left"
    )


def seniority_expr(title: pl.Expr, table: SeniorityTable | None = None) -> pl.Expr:
    """The seniority level of each title (String), null when no keyword matches."""
    table = table or seniority_table()
    text = title.cast(pl.String).str.to_lowercase()
    for pattern, replacement in table.rewrites:
        text = text.str.replace_all(pattern, replacement)
    levels = list(table.patterns.items())
    result = pl.lit(None, dtype=pl.String)
    # Built from the lowest level up, so the highest level's test is outermost and wins.
    for level, pattern in reversed(levels):
        result = pl.when(text.str.contains(pattern)).then(pl.lit(level)).otherwise(result)
    return result
