"""rules.example.toml: loads clean, uses every feature, and routes as it says."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from leadtriage.rules import apply_rules, check_rules, load_rules
from leadtriage.rules.conditions import COMBINATORS, OPERATORS
from leadtriage.rules.schema import SETTINGS_KEYS, TOP_LEVEL
from leadtriage.rules.suppress import CRM_KEYS, SUPPRESS_KEYS

FrameMaker = Callable[[dict[str, Any]], pl.LazyFrame]

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "rules.example.toml"
# The list and suppression files the example names, under examples/ (paths are
# relative to the rules file, which sits at the repository root).
EXAMPLE_FILES = ("examples/lists", "examples/suppress")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    for folder in EXAMPLE_FILES:
        shutil.copytree(REPO / folder, tmp_path / folder)
    return Path(shutil.copy(EXAMPLE, tmp_path / "rules.toml"))


def conditions(node: object) -> Iterator[dict[str, Any]]:
    """Every condition table under `node` (the values of when / all / any / not)."""
    if isinstance(node, list):
        for item in node:
            yield from conditions(item)
    elif isinstance(node, dict):
        yield node
        for key in COMBINATORS:
            if key in node:
                yield from conditions(node[key])


def test_the_example_loads_clean(example: Path) -> None:
    assert check_rules(example) == []
    load_rules(example)


def test_the_example_uses_every_section_and_condition_form() -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert set(data) == set(TOP_LEVEL)
    assert set(data["settings"]) == set(SETTINGS_KEYS)
    assert set(data["suppress"]) == set(SUPPRESS_KEYS)
    assert set(data["suppress"]["crm"][0]) == set(CRM_KEYS)
    assert set(data["score"]) == {"accept", "reject", "seniority", "points"}
    whens = [rule["when"] for rule in data["rules"]] + [p["when"] for p in data["score"]["points"]]
    used = {key for table in conditions(whens) for key in table}
    assert used >= {*OPERATORS, "flag", *COMBINATORS, "field"}
    in_values = [t["in"] for t in conditions(whens) if "in" in t]
    assert any(isinstance(v, str) for v in in_values)  # a [lists] name
    assert any(isinstance(v, list) for v in in_values)  # an inline array
    lists = data["lists"].values()
    assert any(isinstance(v, dict) for v in lists) and any(isinstance(v, list) for v in lists)
    assert any(rule["name"] == "email.free" for rule in data["rules"])  # replaces a built-in


def test_the_example_routes_a_small_campaign(example: Path, make_frame: FrameMaker) -> None:
    emails = [
        "jane@rival.example",  # competitor
        "dnc.person@example.com",  # on the do-not-contact file
        "optout.person@example.com",  # opted out in the CRM export
        "ceo@goodco.example",  # a CEO in a target country
        "student@gmail.com",  # student on free mail
        "old@goodco.example",  # signed up long ago
        "hashed.person@example.net",  # hashed opt-out
    ]
    lf = make_frame(
        {
            "email": emails,
            "raw.email": emails,
            "email_domain": [e.split("@")[1] for e in emails],
            "job_title": [
                "CEO",
                "CEO",
                "CEO",
                "Chief Executive Officer",
                "Student",
                "Manager",
                "CEO",
            ],
            "country_code": ["GB", "GB", "GB", "DE", "GB", "FR", "GB"],
            "company": ["Rival", "X", "X", "GoodCo", None, "GoodCo", "X"],
            "created_at": [dt.date(2025, 1, 1)] * 5 + [dt.date(2023, 1, 1), dt.date(2025, 1, 1)],
            "flag.email.free": [False, False, False, False, True, False, False],
        }
    )
    out = apply_rules(lf, load_rules(example)).collect()
    decisions = out.get_column("decision").to_list()
    reasons = [r.split(";") for r in out.get_column("reasons").to_list()]
    assert decisions == [
        "rejected",
        "rejected",
        "rejected",
        "accepted",
        "review",
        "review",
        "rejected",
    ]
    assert reasons[0][0] == "rule.competitor"
    assert [reasons[i][0] for i in (1, 2, 6)] == ["suppressed"] * 3
    assert reasons[3] == ["rule.hot-lead"]
    # The student: -10 (seniority) + 20 (GB) = 10, under accept (40), over reject (0).
    assert out.get_column("score").to_list()[4] == 10
    assert {"rule.student", "rule.no-company", "email.free", "score.review"} <= set(reasons[4])
    assert "rule.old-signup" in reasons[5]
