"""Apply a `RuleSet` to the frame: seniority, contact findings, the output profile's
findings, suppression, score, then `routing.route` adds ``reasons`` and ``decision``.

A column a rule names that the frame lacks (``flag.duplicate`` before deduplication,
``flag.crm.existing`` without --crm, a clean field no stage wrote) counts as False or
missing: it is added for routing and dropped again, so the frame keeps only the
columns this stage owns.
"""

from __future__ import annotations

import polars as pl

from leadtriage.frame import FLAG_PREFIX, flag, raw
from leadtriage.io.profiles import Profile
from leadtriage.rules.contact import contact_flags
from leadtriage.rules.fields import SCORE, SENIORITY
from leadtriage.rules.load import RuleSet
from leadtriage.rules.profile_checks import profile_flags
from leadtriage.rules.routing import route
from leadtriage.rules.score import score_expr, score_flags
from leadtriage.rules.seniority import with_seniority
from leadtriage.rules.suppress import suppressed_expr
from leadtriage.schema import Col, Field


def apply_rules(
    lf: pl.LazyFrame, rules: RuleSet, profile: Profile = Profile.GENERIC
) -> pl.LazyFrame:
    """Add ``seniority``, the contact flags, the flags of `profile`'s import checks,
    ``flag.suppressed``, ``score`` and its flags (with [score]), ``reasons`` and
    ``decision``."""
    schema = lf.collect_schema()
    title = Col.JOB_TITLE if Col.JOB_TITLE in schema else raw(Field.JOB_TITLE)
    if title in schema:
        lf = with_seniority(lf, title, SENIORITY)
    else:
        lf = lf.with_columns(pl.lit(None, pl.String).alias(SENIORITY))
    lf = lf.with_columns(
        *contact_flags(schema),
        *profile_flags(schema, profile),
        suppressed_expr(schema, rules.suppress).alias(flag("suppressed")),
    )
    produced = set(lf.collect_schema().names())
    if rules.score is not None:
        produced |= {SCORE, *(expr.meta.output_name() for expr in score_flags(rules.score))}
    placeholders = _placeholders(rules, produced)
    lf = lf.with_columns(placeholders)
    if rules.score is not None:
        lf = lf.with_columns(score_expr(rules.score).alias(SCORE))
        lf = lf.with_columns(score_flags(rules.score))
    routed = route(lf, rules.rules, rules.settings.undecided)
    return routed.drop([p.meta.output_name() for p in placeholders])


def _placeholders(rules: RuleSet, present: set[str]) -> list[pl.Expr]:
    """A False flag or a null field for every column the rules read but nobody wrote."""
    needed: set[str] = set()
    for rule in rules.rules:
        needed.update(rule.when.meta.root_names())
    if rules.score is not None:
        needed.update(score_expr(rules.score).meta.root_names())
    return [
        (pl.lit(False) if name.startswith(FLAG_PREFIX) else pl.lit(None, pl.String)).alias(name)
        for name in sorted(needed - present)
    ]
