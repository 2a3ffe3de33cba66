"""Conditions: TOML tables -> a small typed tree -> one Polars boolean expression.

The forms a marketer writes (one per table)::

    { field = "email_domain", in = "competitors" }     # a [lists] name, or ["a", "b"]
    { field = "email_domain", equals = "acme.com" }
    { field = "job_title", matches = "(?i)\\bintern" }  # Rust regex syntax
    { field = "company", contains = "university" }      # or starts_with / ends_with,
                                                       # a string or an array (any of)
    { field = "phone_e164", missing = true }            # or present = true; consent
                                                       # "unknown" counts as missing
    { field = "created_at", before = 2024-01-01 }       # or after; a TOML date
    { field = "score", at_least = 50 }                  # or at_most
    { flag = "email.free" }                             # a finding (reasons.py slug)
    { all = [ ... ] }   { any = [ ... ] }   { not = { ... } }

Text tests (equals, in, contains, starts_with, ends_with) compare normalised values on
both sides (trimmed, Unicode NFC, case-folded: `lists.normalised`), and the column side
is the clean value (country: the ISO code; email_domain: the registrable domain), so a
text test on the country takes only letters of a code; `matches` sees
the value as it is (write ``(?i)`` to ignore case). A missing value passes no test, so
``not`` of a test holds for it, and a test against nothing (``equals = ""``, ``in =
[]``) is refused, as is a text test on a domain column with a needle no domain holds
("@acme.com", ".acme.com" on a registrable domain). Nothing runs per row in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import polars as pl

from leadtriage.frame import flag
from leadtriage.normalize.consent import UNKNOWN
from leadtriage.normalize.presence import is_blank
from leadtriage.reasons import REASONS
from leadtriage.rules.fields import CONDITION_FIELDS, column_of
from leadtriage.rules.lists import (
    Lists,
    Written,
    normalise_values,
    normalised,
    parse_value_array,
)
from leadtriage.rules.problems import KeyPath, Problems, did_you_mean, type_name
from leadtriage.rules.values import field_values, never_in_domain
from leadtriage.schema import Col

TEXT_OPERATORS: Final = ("contains", "starts_with", "ends_with")
DATE_OPERATORS: Final = ("before", "after")
NUMBER_OPERATORS: Final = ("at_least", "at_most")
PRESENCE_OPERATORS: Final = ("missing", "present")
OPERATORS: Final[tuple[str, ...]] = (
    "equals",
    "in",
    "matches",
    *TEXT_OPERATORS,
    *PRESENCE_OPERATORS,
    *DATE_OPERATORS,
    *NUMBER_OPERATORS,
)
COMBINATORS: Final = ("all", "any", "not")
CONDITION_KEYS: Final[tuple[str, ...]] = ("field", *OPERATORS, "flag", *COMBINATORS)
FORMS_HINT: Final = "a condition needs field = ... with a test, flag = ..., all, any or not"
# all / any / not inside each other; a person's rule needs a handful. The limit keeps
# parsing and compiling (both recursive) far from Python's stack limit.
MAX_DEPTH: Final = 32
NOTHING_MEETS_A_BLANK: Final = (
    "a blank matches no row (a missing value passes no test); for blanks use missing = true"
)


@dataclass(frozen=True)
class FieldTest:
    field: str
    operator: str
    value: str | float | bool | dt.date | tuple[str, ...]


@dataclass(frozen=True)
class FlagTest:
    slug: str


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    part: Condition


Condition = FieldTest | FlagTest | AllOf | AnyOf | Not


# --- parsing -----------------------------------------------------------------------


def parse_condition(
    problems: Problems,
    path: KeyPath,
    value: object,
    lists: Lists,
    depth: int = 0,
) -> Condition | None:
    """The condition at `path`, or None after recording every problem in it."""
    if depth > MAX_DEPTH:
        problems.add(
            path,
            f"conditions nested more than {MAX_DEPTH} deep; "
            "flatten them (all = [...] and any = [...] take many parts)",
        )
        return None
    if not isinstance(value, dict):
        problems.add(path, f"expected a condition table, got {type_name(value)}; {FORMS_HINT}")
        return None
    problems.unknown_keys(path, value, CONDITION_KEYS)
    forms = [key for key in ("field", "flag", *COMBINATORS) if key in value]
    if len(forms) != 1:
        problems.add(
            path,
            FORMS_HINT
            if not forms
            else (
                f"one condition per table, found {', '.join(forms)}; combine them with all = [...]"
            ),
        )
        return None
    form = forms[0]
    if form == "flag":
        return _parse_flag(problems, path, value)
    if form == "field":
        return _parse_field_test(problems, path, value, lists)
    extra = [key for key in value if key in OPERATORS]
    if extra:
        problems.add(path, f"'{extra[0]}' needs a field = ... in the same table")
    if form == "not":
        inner = parse_condition(problems, (*path, "not"), value["not"], lists, depth + 1)
        return Not(inner) if inner is not None else None
    return _parse_group(problems, path, form, value[form], lists, depth)


def _parse_flag(problems: Problems, path: KeyPath, table: Mapping[str, object]) -> Condition | None:
    slug = table["flag"]
    at = (*path, "flag")
    if not problems.expect(at, slug, str, "a finding slug (string)"):
        return None
    assert isinstance(slug, str)
    extra = [key for key in table if key in OPERATORS]
    if extra:
        problems.add(path, f"'{extra[0]}' tests a field, not a flag", at=(*path, extra[0]))
    if slug not in REASONS:
        problems.add(path, f"unknown flag '{slug}'" + did_you_mean(slug, REASONS), at=at)
        return None
    return FlagTest(slug)


def _parse_group(
    problems: Problems,
    path: KeyPath,
    form: str,
    items: object,
    lists: Lists,
    depth: int,
) -> Condition | None:
    at = (*path, form)
    if not problems.expect(at, items, list, "an array of conditions"):
        return None
    assert isinstance(items, list)
    if not items:
        problems.add(at, "needs at least one condition")
        return None
    parts = [
        parse_condition(problems, (*at, i), item, lists, depth + 1) for i, item in enumerate(items)
    ]
    if any(part is None for part in parts):
        return None
    valid = tuple(part for part in parts if part is not None)
    return AllOf(valid) if form == "all" else AnyOf(valid)


def _parse_field_test(
    problems: Problems,
    path: KeyPath,
    table: Mapping[str, object],
    lists: Lists,
) -> Condition | None:
    name = table["field"]
    at = (*path, "field")
    ok = problems.expect(at, name, str, "a field name (string)")
    if ok and name not in CONDITION_FIELDS:
        assert isinstance(name, str)
        problems.add(path, f"unknown field '{name}'" + did_you_mean(name, CONDITION_FIELDS), at=at)
        ok = False
    operators = [key for key in table if key in OPERATORS]
    if not operators and any(key not in CONDITION_KEYS for key in table):
        return None  # the unknown key, already reported, is most likely the test misspelt
    if len(operators) != 1:
        problems.add(
            path,
            "a field test needs one test: " + ", ".join(OPERATORS)
            if not operators
            else f"one test per table, found {', '.join(operators)}; combine them with all = [...]",
        )
        return None
    operator = operators[0]
    # An unknown field has no form to read the values into: they are read as text.
    field = name if ok and isinstance(name, str) else ""
    value = _parse_operand(problems, (*path, operator), operator, table[operator], lists, field)
    if not ok or value is None:
        return None
    assert isinstance(name, str)
    return FieldTest(column_of(name), operator, value)


def _parse_operand(
    problems: Problems,
    path: KeyPath,
    operator: str,
    value: object,
    lists: Lists,
    field: str,
) -> str | float | bool | dt.date | tuple[str, ...] | None:
    if operator == "in":
        return _parse_in(problems, path, value, lists, field)
    if operator == "equals":
        if not problems.expect(
            path, value, (str, int, float, bool), "a string, number or true/false"
        ):
            return None
        assert isinstance(value, str | int | float | bool)
        if isinstance(value, str):
            if not value.strip():
                problems.add(path, f"compares with nothing: {NOTHING_MEETS_A_BLANK}")
                return None
            read = field_values(problems, field, [Written(value, path)])
            return read[0] if read else None
        return value if isinstance(value, bool) else float(value)
    if operator == "matches":
        return _parse_regex(problems, path, value)
    if operator in TEXT_OPERATORS:
        texts = [value] if isinstance(value, str) else parse_value_array(problems, path, value)
        if texts is None:
            return None
        needles = normalise_values(texts)
        if not needles:
            problems.add(path, "needs a non-empty text")
            return None
        if column_of(field) == Col.COUNTRY_CODE and not _fit_a_code(problems, path, field, texts):
            return None
        for text in texts:
            why = never_in_domain(column_of(field), operator, text)
            if why is not None:
                problems.add(path, f"{field} holds {why}")
                return None
        return needles
    if operator in PRESENCE_OPERATORS:
        if not problems.expect(path, value, bool, "true or false"):
            return None
        assert isinstance(value, bool)
        return value
    if operator in DATE_OPERATORS:
        return _parse_date(problems, path, value)
    if not problems.expect(path, value, (int, float), "a number"):
        return None
    assert isinstance(value, int | float)
    return float(value)


# Any part of an ISO 3166-1 alpha-2 code, the only text a country column holds.
_CODE_PART: Final = re.compile(r"[a-z]{1,2}")


def _fit_a_code(problems: Problems, path: KeyPath, field: str, texts: list[str]) -> bool:
    """Whether every text of a text test on the country can be part of a code: a name
    ("Ger") never is, and the rule would silently never fire."""
    for text in texts:
        if text.strip() and not _CODE_PART.fullmatch(text.strip().casefold()):
            problems.add(
                path,
                f"{field} holds ISO codes like DE, so {text!r} never matches: test "
                f"raw.country for the text as typed, or use in = [...] with names",
            )
            return False
    return True


def _parse_in(
    problems: Problems, path: KeyPath, value: object, lists: Lists, field: str
) -> tuple[str, ...] | None:
    if isinstance(value, str):
        if value not in lists:
            problems.add(path, f"no list named '{value}' in [lists]" + did_you_mean(value, lists))
            return None
        return field_values(problems, field, lists[value].written())
    texts = parse_value_array(problems, path, value)
    if texts is None:
        return None
    if not any(text.strip() for text in texts):
        # A named list may stay empty until someone fills it; an inline one is a slip.
        problems.add(path, f"needs at least one value: {NOTHING_MEETS_A_BLANK}")
        return None
    return field_values(problems, field, [Written(t, (*path, i)) for i, t in enumerate(texts)])


def _parse_regex(problems: Problems, path: KeyPath, value: object) -> str | None:
    if not problems.expect(path, value, str, "a regular expression (string)"):
        return None
    assert isinstance(value, str)
    error = regex_error(value)
    if error is not None:
        problems.add(path, f"bad regex: {error}")
        return None
    return value


def regex_error(pattern: str) -> str | None:
    """Polars' own complaint about `pattern` (Rust regex syntax), or None when it compiles."""
    empty = pl.DataFrame({"text": []}, schema={"text": pl.String})
    try:
        empty.select(pl.col("text").str.contains(pattern))
    except pl.exceptions.PolarsError as error:
        lines = [line.strip() for line in str(error).splitlines()]
        reasons = [
            line.removeprefix("error:").strip() for line in lines if line.startswith("error:")
        ]
        return reasons[0] if reasons else (lines[0] if lines else "invalid pattern")
    return None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_date(problems: Problems, path: KeyPath, value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.add(path, f"expected a date like 2024-01-31, got {type_name(value)}")
    return None


def tested_fields(condition: Condition) -> tuple[str, ...]:
    """The columns the field tests in `condition` read, in order, each once."""
    if isinstance(condition, FieldTest):
        return (condition.field,)
    if isinstance(condition, FlagTest):
        return ()
    parts = (condition.part,) if isinstance(condition, Not) else condition.parts
    return tuple(dict.fromkeys(column for part in parts for column in tested_fields(part)))


# --- compiling -----------------------------------------------------------------------


def compile_condition(condition: Condition) -> pl.Expr:
    """A boolean expression that is never null: a missing value passes no test."""
    if isinstance(condition, FlagTest):
        return pl.col(flag(condition.slug)).fill_null(False)
    if isinstance(condition, AllOf):
        return pl.all_horizontal(compile_condition(part) for part in condition.parts)
    if isinstance(condition, AnyOf):
        return pl.any_horizontal(compile_condition(part) for part in condition.parts)
    if isinstance(condition, Not):
        return ~compile_condition(condition.part)
    return _compile_field_test(condition).fill_null(False)


def as_date(expr: pl.Expr) -> pl.Expr:
    """A Date, a Datetime or an ISO text (``2024-01-31...``) as a Date; else null."""
    return expr.cast(pl.String).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)


def _compile_field_test(test: FieldTest) -> pl.Expr:
    column = pl.col(test.field)
    value = test.value
    match test.operator:
        case "missing" | "present":
            # missing = true and present = false both ask for a blank value.
            wants_missing = (test.operator == "missing") == value
            return _is_missing(test.field) if wants_missing else ~_is_missing(test.field)
        case "in":
            assert isinstance(value, tuple)
            return normalised(column).is_in(pl.Series(value, dtype=pl.String).implode())
        case "equals":
            if isinstance(value, bool):
                return normalised(column) == ("true" if value else "false")
            if isinstance(value, float):
                return column.cast(pl.Float64, strict=False) == value
            return normalised(column).eq(value)
        case "matches":
            assert isinstance(value, str)
            return column.cast(pl.String).str.contains(value)
        case "contains" | "starts_with" | "ends_with":
            assert isinstance(value, tuple)
            text = normalised(column)
            tests = [_text_test(text, test.operator, needle) for needle in value]
            return pl.any_horizontal(tests)
        case "before" | "after":
            assert isinstance(value, dt.date)
            date = as_date(column)
            return date < value if test.operator == "before" else date > value
        case "at_least" | "at_most":
            assert isinstance(value, float)
            number = column.cast(pl.Float64, strict=False)
            return number >= value if test.operator == "at_least" else number <= value
    raise AssertionError(f"unhandled operator {test.operator}")


def _is_missing(field: str) -> pl.Expr:
    """Blank, or (consent) ``unknown``: the consent stage writes ``unknown`` for a blank
    or unreadable answer and for no consent column at all, and conservative consent
    treats it as no answer, never as consent given."""
    blank = is_blank(pl.col(field))
    if field == Col.CONSENT:
        return blank | (normalised(pl.col(field)) == UNKNOWN)
    return blank


def _text_test(text: pl.Expr, operator: str, needle: str) -> pl.Expr:
    if operator == "contains":
        return text.str.contains(needle, literal=True)
    if operator == "starts_with":
        return text.str.starts_with(needle)
    return text.str.ends_with(needle)
