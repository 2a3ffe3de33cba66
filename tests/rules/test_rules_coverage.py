"""A rule that tests a field no input has is a warning in the summary, not silence."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.pipeline import triage
from leadtriage.rules import load_rules

STUDENT = (
    '[[rules]]\nname = "student"\nwhen = { field = "job_title", contains = "student" }\n'
    'action = "review"\n'
)


def _leads(tmp_path: Path, header: str = "Email,First Name,Country") -> Path:
    source = tmp_path / "leads.csv"
    source.write_text(
        f"{header}\nann@acme.com,Ann,Germany\nbob@globex.com,Bob,France\n", encoding="utf-8"
    )
    return source


def _warnings(source: Path, rules: Path | None) -> list[str]:
    result = triage([str(source)], rules=load_rules(rules))
    return list(result.summary.notes.get("warnings", []))


def test_a_rule_on_a_field_no_input_has_is_named_in_a_warning(
    tmp_path: Path, write_rules: Callable[[str], Path]
) -> None:
    rules = write_rules("# leads\n" + STUDENT)
    warnings = _warnings(_leads(tmp_path), rules)
    assert [w for w in warnings if "job_title" in w] == [
        f"{rules}:4: rules[1].when: rule 'student' tests job_title, but no input has a "
        "job_title column: the test sees no value on any row"
    ]


def test_a_field_the_input_has_warns_nothing(
    tmp_path: Path, write_rules: Callable[[str], Path]
) -> None:
    rules = write_rules(
        STUDENT
        + '[[rules]]\nname = "de"\nwhen = { field = "country", equals = "DE" }\naction = "tag"\n'
    )
    source = _leads(tmp_path, "Email,Job Title,Country")
    assert _warnings(source, rules) == []


def test_derived_and_raw_fields_warn_by_the_input_field_they_need(
    tmp_path: Path, write_rules: Callable[[str], Path]
) -> None:
    rules = write_rules(
        '[[rules]]\nname = "junior"\nwhen = { not = { field = "seniority", in = ["vp"] } }\n'
        'action = "tag"\n'
        '[[rules]]\nname = "rawphone"\nwhen = { field = "raw.phone", missing = true }\n'
        'action = "tag"\n'
        '[score]\naccept = 0\nreject = 0\n[[score.points]]\nname = "site"\n'
        'when = { field = "website", present = true }\npoints = 5\n'
    )
    warnings = _warnings(_leads(tmp_path), rules)
    assert len(warnings) == 3, warnings
    assert (
        "rules[1].when: rule 'junior' tests seniority, but no input has a job_title"
        in (warnings[0])
    )
    assert (
        "rules[2].when: rule 'rawphone' tests raw.phone, but no input has a phone" in (warnings[1])
    )
    assert (
        "score.points[1].when: score points 'site' tests website, but no input has a website"
        in (warnings[2])
    )


def test_the_built_in_rules_warn_about_no_missing_column(tmp_path: Path) -> None:
    # consent.no tests consent; a badge scan without a consent column is no mistake.
    assert _warnings(_leads(tmp_path), None) == []


def test_the_warning_reaches_stderr_and_the_json_summary(
    tmp_path: Path, write_rules: Callable[[str], Path]
) -> None:
    rules, source = write_rules(STUDENT), _leads(tmp_path)
    args = ["clean", str(source), "-r", str(rules), "-o", str(tmp_path / "o"), "--force"]
    shown = CliRunner().invoke(app, args)
    assert shown.exit_code == 0, shown.stderr
    assert "leadtriage: warning: " in shown.stderr
    assert "rules[1].when: rule 'student' tests job_title" in shown.stderr
    as_json = CliRunner().invoke(app, [*args, "--json"])
    assert as_json.exit_code == 0, as_json.stderr
    warnings = json.loads(as_json.stdout)["warnings"]
    assert any("rules[1].when: rule 'student' tests job_title" in w for w in warnings)


def test_a_compare_column_no_input_has_is_named_in_a_warning(
    tmp_path: Path, write_rules: Callable[[str], Path]
) -> None:
    """`[dedupe] compare` of a column no input has (another export's date of birth,
    a field left unmapped) compares nothing: said, as for a rule's test."""
    rules = write_rules(
        '[dedupe]\ncompare = { date_of_birth = "date", city = "text", "First Name" = "name",'
        ' country_code = "exact" }\n'
    )
    assert _warnings(_leads(tmp_path), rules) == [
        f"{rules}: [dedupe] compare names {column!r}, but no input has that column: "
        "it compares nothing"
        for column in ("date_of_birth", "city")
    ]
