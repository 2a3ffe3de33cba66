"""``[score]``: points for conditions and seniority, thresholds that decide.

    [score]
    accept = 50        # at or above: no score reason
    reject = 20        # under: score.low (reject); from reject to under accept: score.review
    seniority = { c_level = 30, vp = 25, director = 20, manager = 10, student = -20 }

    [[score.points]]
    when = { field = "country_code", in = "target_countries" }
    points = 20

The row's ``score`` is an integer, 0 plus every matching entry's points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from leadtriage.frame import flag
from leadtriage.rules.conditions import Condition, compile_condition, parse_condition
from leadtriage.rules.coverage import FieldUse, field_uses
from leadtriage.rules.fields import SCORE, SENIORITY, SENIORITY_LEVELS
from leadtriage.rules.lists import Lists
from leadtriage.rules.problems import KeyPath, Problems
from leadtriage.rules.routing import Action, Rule

SCORE_KEYS = ("accept", "reject", "seniority", "points")
POINTS_KEYS = ("name", "when", "points")


@dataclass(frozen=True)
class ScorePoints:
    when: Condition
    points: int
    name: str | None = None


@dataclass(frozen=True)
class Score:
    points: tuple[ScorePoints, ...] = ()
    seniority: Mapping[str, int] = field(default_factory=dict)
    accept: int | None = None
    reject: int | None = None


def parse_score(
    problems: Problems, table: Mapping[str, object], lists: Lists, uses: list[FieldUse]
) -> Score:
    path: KeyPath = ("score",)
    problems.unknown_keys(path, table, SCORE_KEYS)
    accept = _threshold(problems, table, "accept")
    reject = _threshold(problems, table, "reject")
    if accept is not None and reject is not None and reject > accept:
        problems.add(
            (*path, "reject"),
            f"bad threshold order: reject ({reject}) must not be above accept ({accept})",
        )
    return Score(
        points=_parse_points(problems, table.get("points", []), lists, uses),
        seniority=_parse_seniority(problems, table.get("seniority", {})),
        accept=accept,
        reject=reject,
    )


def _threshold(problems: Problems, table: Mapping[str, object], key: str) -> int | None:
    value = table.get(key)
    if value is None or not problems.expect(("score", key), value, int, "an integer"):
        return None
    assert isinstance(value, int)
    return value


def _parse_seniority(problems: Problems, value: object) -> dict[str, int]:
    path: KeyPath = ("score", "seniority")
    if not problems.expect(path, value, dict, "a table of level = points"):
        return {}
    assert isinstance(value, dict)
    problems.unknown_keys(path, value, SENIORITY_LEVELS, what="seniority level")
    points: dict[str, int] = {}
    for level, amount in value.items():
        if level in SENIORITY_LEVELS and problems.expect((*path, level), amount, int, "an integer"):
            points[level] = amount
    return points


def _parse_points(
    problems: Problems, value: object, lists: Lists, uses: list[FieldUse]
) -> tuple[ScorePoints, ...]:
    path: KeyPath = ("score", "points")
    if not problems.expect(path, value, list, "an array of [[score.points]] tables"):
        return ()
    assert isinstance(value, list)
    entries: list[ScorePoints] = []
    for index, entry in enumerate(value):
        at = (*path, index)
        if not problems.expect(at, entry, dict, "a table with when and points"):
            continue
        assert isinstance(entry, dict)
        problems.unknown_keys(at, entry, POINTS_KEYS)
        for required in ("when", "points"):
            if required not in entry:
                problems.add(at, f"missing '{required}'")
        name = entry.get("name")
        if name is not None and not problems.expect((*at, "name"), name, str, "a string"):
            name = None
        amount = entry.get("points")
        if amount is not None and not problems.expect((*at, "points"), amount, int, "an integer"):
            amount = None
        when = (
            parse_condition(problems, (*at, "when"), entry["when"], lists)
            if ("when" in entry)
            else None
        )
        if when is not None and isinstance(amount, int):
            label = f"score points '{name}'" if isinstance(name, str) else "score points"
            uses.extend(field_uses(problems, (*at, "when"), when, label))
            entries.append(ScorePoints(when, amount, name if isinstance(name, str) else None))
    return tuple(entries)


def score_expr(score: Score) -> pl.Expr:
    """The row's score (Int64): the sum of the points of every entry that holds."""
    terms = [
        pl.when(compile_condition(entry.when)).then(pl.lit(entry.points)).otherwise(pl.lit(0))
        for entry in score.points
    ]
    if score.seniority:
        terms.append(
            pl.col(SENIORITY).replace_strict(
                dict(score.seniority), default=0, return_dtype=pl.Int64
            )
        )
    return pl.sum_horizontal(pl.lit(0), *terms).cast(pl.Int64)


def score_flags(score: Score) -> list[pl.Expr]:
    """``flag.score.low`` under the reject threshold; ``flag.score.review`` from the reject
    threshold up to under the accept one (so a rule can test them like any finding)."""
    total = pl.col(SCORE)
    flags: list[pl.Expr] = []
    if score.reject is not None:
        flags.append((total < score.reject).alias(flag("score.low")))
    if score.accept is not None:
        under_accept = total < score.accept
        if score.reject is not None:
            under_accept = under_accept & (total >= score.reject)
        flags.append(under_accept.alias(flag("score.review")))
    return flags


def score_rules(score: Score) -> list[Rule]:
    """The rules acting on `score_flags`: score.low rejects, score.review reviews."""
    rules: list[Rule] = []
    if score.reject is not None:
        rules.append(Rule("score.low", pl.col(flag("score.low")), Action.REJECT))
    if score.accept is not None:
        rules.append(Rule("score.review", pl.col(flag("score.review")), Action.REVIEW))
    return rules
