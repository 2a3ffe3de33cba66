"""Routing: reasons in rule order, reject > review > accept > undecided."""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage.rules.routing import Action, Rule, route


def _route(flags: dict[str, list[bool | None]], rules: list[Rule], **kw: Action) -> pl.DataFrame:
    return route(pl.LazyFrame(flags), rules, **kw).collect()


def test_precedence_reject_review_accept() -> None:
    rules = [
        Rule("ok", pl.col("a"), Action.ACCEPT),
        Rule("look", pl.col("b"), Action.REVIEW),
        Rule("bad", pl.col("c"), Action.REJECT),
    ]
    out = _route(
        {
            "a": [True, True, True, False],
            "b": [True, True, False, False],
            "c": [True, False, False, False],
        },
        rules,
        undecided=Action.REVIEW,
    )
    assert out["decision"].to_list() == ["rejected", "review", "accepted", "review"]
    assert out["reasons"].to_list() == ["ok;look;bad", "ok;look", "ok", ""]


def test_tags_add_reasons_without_deciding() -> None:
    out = _route({"a": [True, None]}, [Rule("email.free", pl.col("a"), Action.TAG)])
    assert out["decision"].to_list() == ["accepted", "accepted"]
    assert out["reasons"].to_list() == ["email.free", ""]


def test_undecided_must_decide() -> None:
    with pytest.raises(ValueError, match="undecided"):
        _route({"a": [True]}, [], undecided=Action.TAG)


def test_no_rules_accepts_everything() -> None:
    out = _route({"a": [True, False]}, [])
    assert out["decision"].to_list() == ["accepted", "accepted"]
    assert out["reasons"].to_list() == ["", ""]
