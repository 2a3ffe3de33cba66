"""Rules -> decision: route every row to accepted, review or rejected.

A `Rule` is a named boolean Polars expression with an action. Built-in rules are
named by the finding they act on (``email.invalid``); rules from a rules file by
``rule.<name>``. Every rule that fires adds its name to the row's reasons, so every
routed row can say why. Precedence is fixed: reject beats review beats accept; a
row no rule decides gets the undecided action. Suppression rules are reject rules
listed first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from leadtriage.frame import DECISION, REASON_SEPARATOR, REASONS
from leadtriage.triage import Decision


class Action(StrEnum):
    REJECT = "reject"
    REVIEW = "review"
    ACCEPT = "accept"
    TAG = "tag"  # adds the reason only


_ACTION_DECISION = {
    Action.ACCEPT: Decision.ACCEPTED,
    Action.REVIEW: Decision.REVIEW,
    Action.REJECT: Decision.REJECTED,
}


@dataclass(frozen=True)
class Rule:
    """`name` is the reason slug the rule adds; `when` a boolean expression."""

    name: str
    when: pl.Expr
    action: Action
    message: str | None = None


def route(
    lf: pl.LazyFrame, rules: Sequence[Rule], undecided: Action = Action.ACCEPT
) -> pl.LazyFrame:
    """Add ``reasons`` (fired rule names, in rule order, `;`-joined) and ``decision``."""
    if undecided is Action.TAG:
        raise ValueError("the undecided action must decide: accept, review or reject")
    fired = [rule.when.fill_null(False) for rule in rules]
    # concat_str skips the nulls of rules that did not fire: far faster than lists.
    reasons = (
        pl.concat_str(
            [pl.when(f).then(pl.lit(rule.name)) for f, rule in zip(fired, rules, strict=True)],
            separator=REASON_SEPARATOR,
            ignore_nulls=True,
        )
        if rules
        else pl.lit("")
    )

    def any_of(action: Action) -> pl.Expr:
        chosen = [f for f, rule in zip(fired, rules, strict=True) if rule.action is action]
        return pl.any_horizontal(chosen) if chosen else pl.lit(False)

    decision = (
        pl.when(any_of(Action.REJECT))
        .then(pl.lit(Decision.REJECTED.value))
        .when(any_of(Action.REVIEW))
        .then(pl.lit(Decision.REVIEW.value))
        .when(any_of(Action.ACCEPT))
        .then(pl.lit(Decision.ACCEPTED.value))
        .otherwise(pl.lit(_ACTION_DECISION[undecided].value))
    )
    return lf.with_columns(reasons.alias(REASONS), decision.alias(DECISION))
