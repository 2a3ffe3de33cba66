"""Rules that test a field no input has: a warning naming the rule, not silence.

A rule written for another export (``job_title`` on a file without a title column)
still loads and runs, but its test sees no value on any row, so it never fires (or,
under ``not``, always does). The run says so in the summary, naming the rule by its
file, line and key path, and goes on: the rules file is not wrong, only this input
lacks the column.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from leadtriage.frame import RAW_PREFIX
from leadtriage.rules.conditions import Condition, tested_fields
from leadtriage.rules.problems import KeyPath, Problems
from leadtriage.schema import BY_NAME


@dataclass(frozen=True)
class FieldUse:
    """A field a rules file's condition tests: where (``rules.toml:4: rules[1].when``),
    whose (``rule 'student'``) and which column."""

    where: str
    label: str
    column: str


def field_uses(
    problems: Problems, path: KeyPath, condition: Condition, label: str
) -> list[FieldUse]:
    where = problems.where(path)
    return [FieldUse(where, label, column) for column in tested_fields(condition)]


def absent_field_warnings(uses: Iterable[FieldUse], mapped: Collection[str]) -> list[str]:
    """One line per field test whose column is made from input fields none of which
    any input maps (`mapped`: the run's mapped fields)."""
    warnings = []
    for use in uses:
        needs = _input_fields(use.column)
        if needs and not any(field in mapped for field in needs):
            warnings.append(
                f"{use.where}: {use.label} tests {use.column}, but no input has a "
                f"{' or '.join(needs)} column: the test sees no value on any row"
            )
    return warnings


def _input_fields(column: str) -> tuple[str, ...]:
    """The input fields `column` is made from (any one will do); empty for a column
    that is no input's (``score``, ``source_file``)."""
    if column.startswith(RAW_PREFIX):
        return (column.removeprefix(RAW_PREFIX),)
    known = BY_NAME.get(column)
    return tuple(known.sources) if known is not None else ()


def absent_compare_warnings(
    where: str, compared: Iterable[str], headers: Collection[str], mapped: Collection[str]
) -> list[str]:
    """One line per ``[dedupe] compare`` column no input has, neither as a header
    (`headers`) nor as the clean column of a field an input maps: it compares
    nothing, so the rows are matched as without it."""
    warnings = []
    for column in compared:
        needs = _input_fields(column)
        if column in headers or any(field in mapped for field in needs):
            continue
        warnings.append(
            f"{where}: [dedupe] compare names {column!r}, but no input has that column: "
            "it compares nothing"
        )
    return warnings
