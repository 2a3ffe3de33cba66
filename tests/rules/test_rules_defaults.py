"""The built-in rules: what they decide, how a rules file extends or replaces them."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from leadtriage.pipeline import triage
from leadtriage.reasons import REASONS
from leadtriage.rules import (
    apply_rules,
    default_rules_text,
    load_rules,
    starter_rules_text,
)
from leadtriage.rules.routing import Action
from leadtriage.rules.schema import parse_document

FrameMaker = Callable[[dict[str, Any]], pl.LazyFrame]
WriteRules = Callable[[str], Path]

OK_EMAIL = "ann@acme.example"


def decide(lf: pl.LazyFrame, path: Path | None = None) -> list[tuple[str, str]]:
    out = apply_rules(lf, load_rules(path)).collect()
    return list(zip(out.get_column("decision"), out.get_column("reasons"), strict=True))


@pytest.mark.parametrize(
    ("slug", "decision"),
    [
        ("email.fake", "rejected"),
        ("name.fake", "rejected"),
        ("phone.fake", "accepted"),  # a junk phone beside a valid email: tagged
        ("duplicate", "rejected"),
        ("email.disposable", "review"),
        ("email.role", "review"),
        ("email.typo", "review"),
        ("duplicate.possible", "review"),
        ("crm.ambiguous", "review"),
        ("email.free", "accepted"),
        ("phone.invalid", "accepted"),
        ("phone.mangled", "accepted"),
        ("crm.existing", "accepted"),
        ("seen.before", "accepted"),
        ("country.unknown", "accepted"),
        ("date.invalid", "accepted"),
    ],
)
def test_each_built_in_finding(slug: str, decision: str, make_frame: FrameMaker) -> None:
    lf = make_frame(
        {
            "email": [OK_EMAIL, OK_EMAIL],
            "raw.email": [OK_EMAIL, OK_EMAIL],
            f"flag.{slug}": [True, False],
        }
    )
    assert decide(lf) == [(decision, slug), ("accepted", "")]


def test_findings_no_stage_wrote_count_as_false(make_frame: FrameMaker) -> None:
    lf = make_frame({"email": [OK_EMAIL], "raw.email": [OK_EMAIL]})
    assert decide(lf) == [("accepted", "")]


def test_empty_rows_and_rows_without_contact_are_computed_when_absent(
    make_frame: FrameMaker,
) -> None:
    lf = make_frame(
        {
            "raw.email": [None, " ", None, "  ", OK_EMAIL],
            "raw.phone": [None, None, None, "", None],
            "raw.company": [None, "  ", "Acme", None, None],
            "raw.full_name": [None, None, "Ann Lee", "Bob", "Ann"],
        }
    )
    assert decide(lf) == [
        ("rejected", "row.empty"),
        ("rejected", "row.empty"),
        ("rejected", "contact.missing"),
        ("rejected", "contact.missing"),
        ("accepted", ""),
    ]


def test_presence_flags_from_the_pipeline_are_used_as_they_are(make_frame: FrameMaker) -> None:
    # An input column outside the canonical fields made this row not empty.
    lf = make_frame({"flag.row.empty": [False], "flag.contact.missing": [True]})
    assert decide(lf) == [("rejected", "contact.missing")]


def test_contact_invalid_reviews_rows_whose_only_contact_details_are_invalid(
    make_frame: FrameMaker,
) -> None:
    lf = make_frame(
        {
            "raw.email": ["ann@", "ann@", "bob@acme.example", None],
            "email": ["ann@", "ann@", "bob@acme.example", None],
            "flag.email.invalid": [True, True, False, False],
            "raw.phone": ["123", "+44 1632 960001", "123", "123"],
            "phone_e164": [None, "+441632960001", None, None],
            "flag.phone.invalid": [True, False, True, True],
        }
    )
    assert decide(lf) == [
        ("review", "contact.invalid"),
        ("accepted", "email.invalid"),
        ("accepted", "phone.invalid"),
        ("review", "contact.invalid"),
    ]


def test_a_rules_file_extends_the_defaults(make_frame: FrameMaker, write_rules: WriteRules) -> None:
    path = write_rules(
        '[[rules]]\nname = "gmail"\nwhen = { field = "email_domain", equals = "gmail.com" }\n'
        'action = "review"\n'
    )
    lf = make_frame(
        {
            "email": ["a@gmail.com", "b@acme.example"],
            "raw.email": ["a@gmail.com", "b@acme.example"],
            "email_domain": ["gmail.com", "acme.example"],
            "flag.email.free": [True, False],
            "flag.duplicate": [False, True],
        }
    )
    assert decide(lf, path) == [("review", "rule.gmail;email.free"), ("rejected", "duplicate")]


def test_defaults_false_keeps_only_the_file(
    make_frame: FrameMaker, write_rules: WriteRules
) -> None:
    path = write_rules('[settings]\ndefaults = false\nundecided = "review"\n')
    lf = make_frame({"flag.duplicate": [True], "email": [OK_EMAIL]})
    assert decide(lf, path) == [("review", "")]
    # Only suppression stays: a do-not-contact request is not a rule one opts out of.
    assert [rule.name for rule in load_rules(path).rules] == ["suppressed"]


def test_a_rule_named_like_a_built_in_replaces_it(
    make_frame: FrameMaker, write_rules: WriteRules
) -> None:
    path = write_rules(
        '[[rules]]\nname = "email.free"\nwhen = { flag = "email.free" }\naction = "review"\n'
    )
    names = [rule.name for rule in load_rules(path).rules]
    assert names.count("email.free") == 1
    lf = make_frame({"email": [OK_EMAIL], "raw.email": [OK_EMAIL], "flag.email.free": [True]})
    assert decide(lf, path) == [("review", "email.free")]


def test_precedence_reject_then_review_then_accept(
    make_frame: FrameMaker, write_rules: WriteRules
) -> None:
    path = write_rules(
        '[settings]\nundecided = "review"\n'
        '[[rules]]\nname = "ok"\nwhen = { field = "company", present = true }\naction = "accept"\n'
        '[[rules]]\nname = "look"\nwhen = { field = "city", present = true }\naction = "review"\n'
        '[[rules]]\nname = "no"\nwhen = { field = "state", present = true }\naction = "reject"\n'
    )
    lf = make_frame(
        {
            "email": [OK_EMAIL] * 4,
            "raw.email": [OK_EMAIL] * 4,
            "company": ["A", "A", "A", None],
            "city": [None, "Leeds", "Leeds", None],
            "state": [None, None, "X", None],
        }
    )
    assert decide(lf, path) == [
        ("accepted", "rule.ok"),
        ("review", "rule.look;rule.ok"),
        ("rejected", "rule.no;rule.look;rule.ok"),
        ("review", ""),
    ]
    actions = [rule.action for rule in load_rules(path).rules]
    order = [Action.REJECT, Action.REVIEW, Action.ACCEPT, Action.TAG]
    assert actions == sorted(actions, key=order.index)


def test_settings_reach_the_rule_set(write_rules: WriteRules) -> None:
    path = write_rules(
        '[settings]\ndefault_region = "de"\ndate_order = "mdy"\n'
        '[columns]\nemail = "E-Mail"\n[dedupe]\nevidence = ["email"]\n'
        '[output]\nprofile = "hubspot"\n'
    )
    rules = load_rules(path)
    assert rules.settings.default_region == "DE"
    assert rules.settings.date_order == "mdy"
    assert rules.settings.undecided is Action.ACCEPT
    assert rules.columns == {"email": "E-Mail"}
    assert rules.dedupe == {"evidence": ["email"]}
    assert rules.output == {"profile": "hubspot"}
    assert rules.source == path


def test_built_in_rules_are_named_by_catalogue_slugs() -> None:
    rules = load_rules(None)
    assert rules.source is None
    assert all(rule.name in REASONS for rule in rules.rules)
    data = tomllib.loads(default_rules_text())
    # suppression is always first and not a rule of the file
    assert ["suppressed", *(r["name"] for r in data["rules"])] == [r.name for r in rules.rules]


def test_the_shipped_texts_load_clean() -> None:
    assert parse_document(default_rules_text(), "defaults", None)[1] == []
    assert parse_document(starter_rules_text(), "starter", None)[1] == []
    assert starter_rules_text().count("\n#") > 50  # mostly comments a user can enable


def test_placeholders_in_every_contact_field_are_no_contact(tmp_path: Path) -> None:
    """An export writes "n/a" or Excel's "#N/A" where it has no address or phone: the
    row has no contact, as with blank cells (rejected), not an invalid one (review)."""
    export = tmp_path / "export.csv"
    export.write_text(
        "First Name,Last Name,Email,Phone,Mobile\n"
        "Ann,Lee,#N/A,#N/A,\n"
        "Bob,Ray,n/a,-,none\n"
        "Cid,Moe,,,\n"
        "Dan,Poe,dan@,n/a,\n",
        encoding="utf-8",
    )
    result = triage([str(export)])
    rejected = result.rejected.select("first_name", "reasons").rows()
    assert rejected == [
        ("Ann", "contact.missing"),
        ("Bob", "contact.missing"),
        ("Cid", "contact.missing"),
    ]
    assert result.review.select("first_name", "reasons").rows() == [("Dan", "contact.invalid")]
