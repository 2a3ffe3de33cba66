"""Values a rule compares with a field of a fixed form (country codes, seniority levels,
consent answers, domains) are written the way the field holds them when the rules
load; a value that can never match is a rules problem, not a silent no-match."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.errors import ExitStatus
from leadtriage.frame import flag
from leadtriage.rules import apply_rules, check_rules, load_rules

FrameMaker = Callable[[dict[str, Any]], pl.LazyFrame]
Fires = Callable[..., list[bool]]


def _check(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return [p.removeprefix(f"{path}:") for p in check_rules(path)]


# --- countries -------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["country", "country_code"])
def test_country_names_and_aliases_in_a_list_meet_the_iso_codes(
    make_frame: FrameMaker, fires: Fires, field: str
) -> None:
    lf = make_frame({"country_code": ["DE", "GB", "US", "FR", "RU", None]})
    when = f'{{ field = "{field}", in = ["Germany", "Deutschland", "UK", "United States"] }}'
    assert fires(when, lf) == [True, True, True, False, False, False]


def test_country_names_in_a_named_list_meet_the_iso_codes(
    make_frame: FrameMaker, fires: Fires
) -> None:
    lf = make_frame({"country_code": ["DE", "RU", "AT"]})
    result = fires(
        '{ field = "country", in = "denied" }', lf, lists='denied = ["Russia", "Österreich"]'
    )
    assert result == [False, True, True]


def test_country_equals_an_alias(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"country_code": ["GB", "UA", None]})
    assert fires('{ field = "country", equals = "UK" }', lf) == [True, False, False]


def test_an_unknown_country_in_a_rule_is_a_problem(tmp_path: Path) -> None:
    problems = _check(
        tmp_path,
        '[[rules]]\nname = "a"\nwhen = { field = "country", in = ["Germany", "Narnia"] }\n'
        'action = "tag"\n\n[[rules]]\nname = "b"\nwhen = { field = "country_code", '
        'equals = "Atlantis" }\naction = "tag"\n',
    )
    assert problems == [
        "3: rules[1].when.in[2]: 'Narnia' is no country: write its name or its ISO code"
        " (DE, GB, US...)",
        "8: rules[2].when.equals: 'Atlantis' is no country: write its name or its ISO code"
        " (DE, GB, US...)",
    ]


def test_a_country_text_test_longer_than_a_code_is_a_problem(tmp_path: Path) -> None:
    # country holds the ISO code: "Ger" can never start one, so the rule would never fire.
    problems = _check(
        tmp_path,
        '[[rules]]\nname = "a"\nwhen = { field = "country", starts_with = ["D", "Ger"] }\n'
        'action = "tag"\n\n[[rules]]\nname = "b"\nwhen = { field = "country_code", '
        'contains = "E" }\naction = "tag"\n',
    )
    assert problems == [
        "3: rules[1].when.starts_with: country holds ISO codes like DE, so 'Ger' never "
        "matches: test raw.country for the text as typed, or use in = [...] with names",
    ]


def test_an_unknown_country_in_a_named_list_names_the_list_once(tmp_path: Path) -> None:
    problems = _check(
        tmp_path,
        '[lists]\nallowed = ["Germany", "Narnia"]\n\n'
        '[[rules]]\nname = "a"\nwhen = { field = "country", in = "allowed" }\naction = "tag"\n'
        '[[rules]]\nname = "b"\nwhen = { not = { field = "country", in = "allowed" } }\n'
        'action = "tag"\n',
    )
    assert problems == [
        "2: lists.allowed[2]: 'Narnia' is no country: write its name or its ISO code"
        " (DE, GB, US...); a rule compares country with this list",
    ]


def test_an_unknown_country_in_a_list_file_names_its_line_not_its_text(tmp_path: Path) -> None:
    (tmp_path / "countries.txt").write_text("# ours\nGermany\n\nnarnia@private.example\n")
    problems = _check(
        tmp_path,
        '[lists]\nours = { file = "countries.txt" }\n\n'
        '[[rules]]\nname = "a"\nwhen = { field = "country", in = "ours" }\naction = "tag"\n',
    )
    assert problems == [
        "2: lists.ours.file: 'countries.txt' line 4: no country: write its name or its ISO"
        " code (DE, GB, US...); a rule compares country with this list",
    ]


def test_the_same_list_on_a_free_text_field_is_not_read_as_countries(
    make_frame: FrameMaker, fires: Fires
) -> None:
    lf = make_frame({"city": ["Narnia", "Berlin"]})
    assert fires('{ field = "city", in = "places" }', lf, lists='places = ["narnia"]') == [
        True,
        False,
    ]


# --- seniority and consent -------------------------------------------------------------


def test_seniority_spellings_of_a_level_meet_it(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"job_title": ["CEO", "VP Sales", "Engineer"]})
    assert fires('{ field = "seniority", in = ["C-Level", "VP"] }', lf) == [True, True, False]


def test_an_unknown_seniority_level_is_a_problem(tmp_path: Path) -> None:
    problems = _check(
        tmp_path,
        '[[rules]]\nname = "vip"\nwhen = { field = "seniority", in = ["C-Level", "executive"] }\n'
        'action = "tag"\n',
    )
    assert problems == [
        "3: rules[1].when.in[2]: 'executive' is no seniority level (expected one of: c_level,"
        " vp, director, manager, individual, student)"
    ]


def test_an_unknown_consent_value_is_a_problem(tmp_path: Path) -> None:
    problems = _check(
        tmp_path,
        '[[rules]]\nname = "ok"\nwhen = { field = "consent", equals = "granted" }\n'
        'action = "accept"\n',
    )
    assert problems == [
        "3: rules[1].when.equals: 'granted' is no consent value (expected one of: yes, no, unknown)"
    ]


def test_consent_values_ignore_case(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"consent": ["yes", "no", "unknown"]})
    assert fires('{ field = "consent", in = ["Yes", "UNKNOWN"] }', lf) == [True, False, True]


def test_clean_refuses_a_never_matching_country_with_exit_2(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rules]]\nname = "a"\nwhen = { field = "country", equals = "Narnia" }\naction = "tag"\n',
        encoding="utf-8",
    )
    (tmp_path / "leads.csv").write_text("Email,Country\nann@acme.com,DE\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["clean", str(tmp_path / "leads.csv"), "--rules", str(rules), "-o", str(tmp_path / "o")],
    )
    assert result.exit_code == ExitStatus.USAGE
    assert f"{rules}:3: rules[1].when.equals: 'Narnia' is no country" in result.stderr
    assert "Traceback" not in result.output + result.stderr


# --- domains ---------------------------------------------------------------------------


def test_domain_values_are_read_as_the_email_domain_column_holds_them(
    make_frame: FrameMaker, fires: Fires
) -> None:
    lf = make_frame(
        {"email_domain": ["acme.com", "rivalsoft.de", "globex.com", "x.com", "other.com"]}
    )
    result = fires(
        '{ field = "email_domain", in = "competitors" }',
        lf,
        lists='competitors = ["mail.acme.com", "@RivalSoft.de", "www.globex.com", "x.com"]',
    )
    assert result == [True, True, True, True, False]


def test_company_domain_values_are_registrable_domains(
    make_frame: FrameMaker, fires: Fires
) -> None:
    lf = make_frame({"company_domain": ["acme.co.uk", "globex.com", "shop.co.uk"]})
    when = '{ field = "company_domain", in = ["shop.acme.co.uk", "https://Globex.com/about/"] }'
    assert fires(when, lf) == [True, True, False]


def test_website_values_are_hosts_without_scheme_www_or_path(
    make_frame: FrameMaker, fires: Fires
) -> None:
    lf = make_frame({"website": ["acme.com", "mail.acme.com", "globex.com"]})
    when = '{ field = "website", in = ["https://www.acme.com/", "mail.acme.com"] }'
    assert fires(when, lf) == [True, True, False]
    assert fires('{ field = "website", equals = "www.globex.com" }', lf) == [False, False, True]


def test_an_address_or_a_word_where_a_domain_belongs_is_a_problem(tmp_path: Path) -> None:
    problems = _check(
        tmp_path,
        '[[rules]]\nname = "a"\nwhen = { field = "email_domain", in = ["ann@acme.com", "acme"] }\n'
        'action = "reject"\n',
    )
    assert problems == [
        "3: rules[1].when.in[1]: 'ann@acme.com' is no domain: write it like acme.com",
        "3: rules[1].when.in[2]: 'acme' is no domain: write it like acme.com",
    ]


def test_suppressed_domains_are_read_as_hosts(
    make_frame: FrameMaker, write_rules: Callable[[str], Path], tmp_path: Path
) -> None:
    (tmp_path / "dnc.txt").write_text("https://www.press.example/contact\n", encoding="utf-8")
    rules = write_rules(
        '[suppress]\ndomains = ["www.globex.com", "@rival.example"]\ndomain_files = ["dnc.txt"]\n'
    )
    lf = make_frame(
        {"email": ["hank@globex.com", "a@mail.rival.example", "p@press.example", "x@acme.com"]}
    )
    out = apply_rules(lf, load_rules(rules)).collect()
    assert out.get_column(flag("suppressed")).to_list() == [True, True, True, False]


def test_an_unreadable_suppressed_domain_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "dnc.txt").write_text("# legal\nok.example\nann@private.example\n")
    problems = _check(tmp_path, '[suppress]\ndomains = ["globex"]\ndomain_files = ["dnc.txt"]\n')
    assert problems == [
        "2: suppress.domains[1]: 'globex' is no domain: write it like acme.com",
        "3: suppress.domain_files[1]: 'dnc.txt' line 3: no domain: write it like acme.com",
    ]
