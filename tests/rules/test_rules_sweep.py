"""Rules a marketer writes from the example that load fine and then never fire.

A test whose operand no cell of its column can hold is a rule that silently does
nothing: each such spelling is either read into the column's form or refused with the
file, line and key, never taken as written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from leadtriage.rules import check_rules

FrameMaker = Callable[[dict[str, Any]], pl.LazyFrame]
Fires = Callable[..., list[bool]]


def _check(tmp_path: Path, when: str) -> list[str]:
    path = tmp_path / "rules.toml"
    path.write_text(f'[[rules]]\nname = "a"\nwhen = {when}\naction = "reject"\n', encoding="utf-8")
    return [p.removeprefix(f"{path}:") for p in check_rules(path)]


# --- text tests on a domain or host column ------------------------------------------


@pytest.mark.parametrize(
    ("when", "needle"),
    [
        ('{ field = "email_domain", ends_with = "@acme.com" }', "@acme.com"),
        ('{ field = "email_domain", ends_with = ["rival.de", "@Acme.com"] }', "@Acme.com"),
        ('{ field = "company_domain", contains = "acme.com/" }', "acme.com/"),
        ('{ field = "website", starts_with = "https://www.acme" }', "https://www.acme"),
        ('{ field = "email_domain", ends_with = "acme.com." }', "acme.com."),
        ('{ field = "website", starts_with = "www.acme" }', "www.acme"),
    ],
)
def test_a_domain_text_test_no_domain_can_meet_is_a_problem(
    tmp_path: Path, when: str, needle: str
) -> None:
    # email_domain is "acme.com" for jane@acme.com: "@acme.com" never ends it, and a
    # rule meant to reject a competitor would let every row of it through.
    problems = _check(tmp_path, when)
    assert len(problems) == 1, problems
    assert problems[0].startswith("3: rules[1].when.")
    assert repr(needle) in problems[0]
    assert "never matches" in problems[0]


def test_a_subdomain_suffix_on_a_registrable_domain_is_a_problem(tmp_path: Path) -> None:
    # email_domain of ann@mail.acme.com is "acme.com": ".acme.com" never ends it.
    problems = _check(tmp_path, '{ field = "email_domain", ends_with = ".acme.com" }')
    assert len(problems) == 1, problems
    assert "'.acme.com' never matches" in problems[0]
    assert "in = ['acme.com']" in problems[0]


@pytest.mark.parametrize(
    "when",
    [
        '{ field = "email_domain", ends_with = [".edu", ".ac.uk", "acme.com", "uni-wien.at"] }',
        '{ field = "website", starts_with = "shop." }',
        '{ field = "email_domain", contains = "acme" }',
        '{ field = "email", ends_with = "@acme.com" }',
        '{ field = "raw.email", contains = "www." }',
    ],
)
def test_domain_text_tests_that_can_match_still_load(tmp_path: Path, when: str) -> None:
    assert _check(tmp_path, when) == []


def test_a_public_suffix_ending_still_fires(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"email_domain": ["ox.ac.uk", "harvard.edu", "acme.com", None]})
    assert fires('{ field = "email_domain", ends_with = [".ac.uk", ".edu"] }', lf) == [
        True,
        True,
        False,
        False,
    ]


# --- blank operands --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "key"),
    [
        ('{ field = "company", equals = "" }', "equals"),
        ('{ field = "company", equals = "   " }', "equals"),
        ('{ field = "email_domain", in = [] }', "in"),
        ('{ field = "company", in = ["", " "] }', "in"),
    ],
)
def test_a_test_against_nothing_is_a_problem(tmp_path: Path, when: str, key: str) -> None:
    # A blank cell passes no test, so equals "" and in = [] hold on no row; the author
    # meant missing = true, or forgot the values.
    problems = _check(tmp_path, when)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"3: rules[1].when.{key}: ")
    assert "missing = true" in problems[0]


def test_an_empty_named_list_is_still_allowed(tmp_path: Path) -> None:
    # A list file kept empty until someone fills it is a plan, not a mistake.
    (tmp_path / "competitors.txt").write_text("# one domain a line\n", encoding="utf-8")
    path = tmp_path / "rules.toml"
    path.write_text(
        '[lists]\ncompetitors = { file = "competitors.txt" }\n\n[[rules]]\nname = "a"\n'
        'when = { field = "email_domain", in = "competitors" }\naction = "reject"\n',
        encoding="utf-8",
    )
    assert check_rules(path) == []
