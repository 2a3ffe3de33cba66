"""The stage order, in one place: read -> map -> normalise -> route -> split.

`triage()` is the library's entry point; the CLI only parses options, calls it,
writes the result and renders the summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

import polars as pl

from leadtriage.columns import ColumnMapping, add_raw_fields, free_name, map_columns
from leadtriage.errors import UsageError
from leadtriage.frame import CLUSTER_ID, DECISION, ROW_ID, SOURCE_FILE, SOURCE_ROW, flag
from leadtriage.io.layout import GENERATED_COLUMNS, output_columns
from leadtriage.io.read import Table, read_table
from leadtriage.normalize.presence import flag_presence
from leadtriage.report import InputReport, Summary, build_summary, check_conservation
from leadtriage.triage import DECISIONS, Action, Decision, Rule, route


@dataclass(frozen=True)
class ReadSettings:
    sheet: str | None = None
    input_format: str | None = None


@dataclass(frozen=True)
class TriageResult:
    """The three routed frames, ready to write, and the summary."""

    accepted: pl.DataFrame
    review: pl.DataFrame
    rejected: pl.DataFrame
    summary: Summary

    def tables(self) -> dict[str, pl.DataFrame]:
        return {
            Decision.ACCEPTED.value: self.accepted,
            Decision.REVIEW.value: self.review,
            Decision.REJECTED.value: self.rejected,
        }


@dataclass(frozen=True)
class Combined:
    """All inputs in one frame, with the names of their data columns."""

    frame: pl.DataFrame
    data_columns: tuple[str, ...]
    renamed: dict[str, str] = field(default_factory=dict)


def builtin_rules() -> list[Rule]:
    return [
        Rule("row.empty", pl.col(flag("row.empty")), Action.REJECT),
        Rule("contact.missing", pl.col(flag("contact.missing")), Action.REJECT),
    ]


def read_inputs(
    sources: Sequence[str], settings: ReadSettings, stdin: BinaryIO | None = None
) -> list[Table]:
    duplicates = sorted({s for s in sources if sources.count(s) > 1})
    if duplicates:
        raise UsageError(
            f"{duplicates[0]} is given more than once",
            hint="name each input once; its rows would otherwise be counted twice",
        )
    return [
        read_table(s, sheet=settings.sheet, input_format=settings.input_format, stdin=stdin)
        for s in sources
    ]


def _rename_reserved(data_columns: Sequence[str]) -> dict[str, str]:
    """Input headers that collide with a column the tool adds, and their new names."""
    taken = set(GENERATED_COLUMNS) | set(data_columns)
    renamed: dict[str, str] = {}
    for name in data_columns:
        if free_name(name, GENERATED_COLUMNS) != name:
            renamed[name] = free_name(name, taken)
            taken.add(renamed[name])
    return renamed


def combine(tables: Sequence[Table]) -> Combined:
    """Union the inputs' columns (first-seen order) and rename headers the tool owns."""
    seen: dict[str, None] = {}
    for table in tables:
        seen.update(
            dict.fromkeys(c for c in table.frame.columns if c not in (SOURCE_FILE, SOURCE_ROW))
        )
    renamed = _rename_reserved(list(seen))
    columns = [renamed.get(c, c) for c in seen]
    frames = [t.frame.rename(renamed, strict=False) for t in tables]
    combined = pl.concat(frames, how="diagonal").select(*columns, SOURCE_FILE, SOURCE_ROW)
    return Combined(combined.with_row_index(ROW_ID), tuple(columns), renamed)


def build_plan(combined: Combined, mapping: ColumnMapping, rules: Sequence[Rule]) -> pl.LazyFrame:
    """The lazy plan from mapped input to routed rows; nothing runs until collected."""
    lf = add_raw_fields(combined.frame.lazy(), mapping)
    lf = flag_presence(lf, combined.data_columns)
    # The contract column exists from the start; deduplication fills it.
    lf = lf.with_columns(pl.lit(None, dtype=pl.String).alias(CLUSTER_ID))
    return route(lf, rules)


def split(
    routed: pl.DataFrame, mapping: ColumnMapping, data_columns: Sequence[str]
) -> dict[str, pl.DataFrame]:
    parts = {d.value: routed.filter(pl.col(DECISION) == d.value) for d in DECISIONS}
    check_conservation(routed.height, parts)
    return {
        name: part.select(
            output_columns(
                part.columns,
                mapping,
                data_columns,
                with_inputs=name != Decision.ACCEPTED.value,
            )
        )
        for name, part in parts.items()
    }


def triage(
    sources: Sequence[str],
    *,
    rules: Sequence[Rule] | None = None,
    column_overrides: dict[str, str] | None = None,
    read_settings: ReadSettings = ReadSettings(),
    stdin: BinaryIO | None = None,
) -> TriageResult:
    """Read `sources`, triage every row, and return the three outputs and a summary."""
    tables = read_inputs(sources, read_settings, stdin)
    combined = combine(tables)
    mapping = map_columns(combined.data_columns, column_overrides)
    routed = build_plan(combined, mapping, builtin_rules() if rules is None else rules).collect()
    parts = split(routed, mapping, combined.data_columns)
    inputs = [
        InputReport(t.source, t.format, t.frame.height, t.encoding, t.delimiter, t.warnings)
        for t in tables
    ]
    notes = {"renamed_columns": combined.renamed} if combined.renamed else {}
    summary = build_summary(inputs, parts, mapping, notes)
    return TriageResult(
        accepted=parts[Decision.ACCEPTED.value],
        review=parts[Decision.REVIEW.value],
        rejected=parts[Decision.REJECTED.value],
        summary=summary,
    )
