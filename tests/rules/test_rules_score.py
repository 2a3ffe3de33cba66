"""[score]: points, seniority points, and the thresholds that decide."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from leadtriage.rules import apply_rules, load_rules

FrameMaker = Callable[[dict[str, Any]], pl.LazyFrame]
WriteRules = Callable[[str], Path]

SCORE_RULES = """
[settings]
defaults = false

[lists]
targets = ["GB", "DE"]

[score]
accept = 40
reject = 10
seniority = { c_level = 30, director = 20, manager = 10, student = -15 }

[[score.points]]
name = "target country"
when = { field = "country_code", in = "targets" }
points = 20

[[score.points]]
when = { not = { flag = "email.free" } }
points = 5
"""


def test_score_sums_points_and_thresholds_decide(
    make_frame: FrameMaker, write_rules: Callable[[str], Path]
) -> None:
    lf = make_frame(
        {
            "job_title": ["CEO", "Director of IT", "Manager", "Student", None, "CEO"],
            "country_code": ["GB", None, "FR", "DE", "gb", "US"],
            "flag.email.free": [False, False, True, True, False, True],
        }
    )
    out = apply_rules(lf, load_rules(write_rules(SCORE_RULES))).collect()
    assert out.schema["score"] == pl.Int64
    # 30+20+5, 20+5, 10, -15+20, 20+5, 30
    assert out.get_column("score").to_list() == [55, 25, 10, 5, 25, 30]
    assert out.get_column("reasons").to_list() == [
        "",
        "score.review",
        "score.review",
        "score.low",
        "score.review",
        "score.review",
    ]
    assert out.get_column("decision").to_list() == [
        "accepted",
        "review",
        "review",
        "rejected",
        "review",
        "review",
    ]


def test_exactly_on_a_threshold_passes_it(
    make_frame: FrameMaker, write_rules: Callable[[str], Path]
) -> None:
    rules = write_rules(
        "[settings]\ndefaults = false\n[score]\naccept = 20\nreject = 10\n"
        '[[score.points]]\nwhen = { field = "company", present = true }\npoints = 10\n'
        '[[score.points]]\nwhen = { field = "phone_e164", present = true }\npoints = 10\n'
    )
    lf = make_frame({"company": ["A", "A", None], "phone_e164": ["+441632960001", None, None]})
    out = apply_rules(lf, load_rules(rules)).collect()
    assert out.get_column("score").to_list() == [20, 10, 0]
    assert out.get_column("decision").to_list() == ["accepted", "review", "rejected"]


def test_a_score_without_thresholds_decides_nothing(
    make_frame: FrameMaker, write_rules: Callable[[str], Path]
) -> None:
    rules = write_rules("[settings]\ndefaults = false\n[score]\nseniority = { vp = 7 }\n")
    out = apply_rules(make_frame({"job_title": ["VP Sales", "Intern"]}), load_rules(rules))
    collected = out.collect()
    assert collected.get_column("score").to_list() == [7, 0]
    assert collected.get_column("decision").to_list() == ["accepted", "accepted"]


def test_rules_can_test_the_score(
    make_frame: FrameMaker, write_rules: Callable[[str], Path]
) -> None:
    rules = write_rules(
        "[settings]\ndefaults = false\n[score]\nseniority = { c_level = 50 }\n"
        '[[rules]]\nname = "hot"\nwhen = { field = "score", at_least = 50 }\naction = "tag"\n'
    )
    out = apply_rules(make_frame({"job_title": ["CEO", "Engineer"]}), load_rules(rules)).collect()
    assert out.get_column("reasons").to_list() == ["rule.hot", ""]


def test_no_score_table_no_score_column(
    make_frame: FrameMaker, write_rules: Callable[[str], Path]
) -> None:
    out = apply_rules(make_frame({"email": ["a@b.example"]}), load_rules(None)).collect()
    assert "score" not in out.columns


def test_rules_can_test_the_score_findings(make_frame: FrameMaker, write_rules: WriteRules) -> None:
    rules = write_rules(
        "[settings]\ndefaults = false\n[score]\naccept = 20\nreject = 10\n"
        "seniority = { c_level = 30, manager = 15 }\n"
        '[[rules]]\nname = "nurture"\nwhen = { flag = "score.review" }\naction = "tag"\n'
    )
    lf = make_frame({"job_title": ["CEO", "Manager", "Intern"]})
    out = apply_rules(lf, load_rules(rules)).collect()
    assert out.get_column("reasons").to_list() == ["", "score.review;rule.nurture", "score.low"]
