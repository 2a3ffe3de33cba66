"""Each condition form, compiled to Polars and run on a frame built by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from leadtriage.pipeline import TriageResult, triage
from leadtriage.rules import apply_rules, load_rules

FrameMaker = Callable[[dict[str, Any]], pl.LazyFrame]

Fires = Callable[..., list[bool]]


def test_equals_ignores_case_and_outer_spaces_but_not_inner_text(
    make_frame: FrameMaker, fires: Fires
) -> None:
    lf = make_frame({"company": ["ACME Ltd ", "acme ltd", "Acme Ltd.", None, "  "]})
    assert fires('{ field = "company", equals = "Acme Ltd" }', lf) == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_equals_a_number_compares_numerically(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"score": [50, 49, None]})
    assert fires('{ field = "score", equals = 50 }', lf) == [True, False, False]


def test_in_an_inline_array(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"country_code": ["gb", "IE", "FR", None]})
    assert fires('{ field = "country_code", in = ["GB", " ie "] }', lf) == [
        True,
        True,
        False,
        False,
    ]


def test_in_a_named_inline_list(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"email_domain": ["rival.example", "RIVAL.EXAMPLE", "sub.rival.example"]})
    result = fires(
        '{ field = "email_domain", in = "competitors" }',
        lf,
        lists='competitors = ["Rival.example", "other.example"]',
    )
    assert result == [True, True, False]


def test_in_a_list_file_relative_to_the_rules_file(
    make_frame: FrameMaker, fires: Fires, tmp_path: Path
) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "staff.txt").write_text(
        "# our own domains\nOurCompany.example  \n\n   # indented comment\nour-events.example\n",
        encoding="utf-8",
    )
    lf = make_frame(
        {
            "email_domain": [
                "ourcompany.example",
                "our-events.example",
                "# our own domains",
                "indented comment",
                "x.example",
            ]
        }
    )
    result = fires(
        '{ field = "email_domain", in = "staff" }', lf, lists='staff = { file = "lists/staff.txt" }'
    )
    assert result == [True, True, False, False, False]


def test_matches_uses_the_regex_as_written(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"raw.full_name": ["Test User", "test user", "Contest Winner", None]})
    assert fires('{ field = "raw.full_name", matches = "^Test\\\\b" }', lf) == [
        True,
        False,
        False,
        False,
    ]
    assert fires('{ field = "raw.full_name", matches = "(?i)^test\\\\b" }', lf) == [
        True,
        True,
        False,
        False,
    ]


def test_contains_starts_with_ends_with(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"company": ["University of Leeds", "Technische UNIVERSITÄT", "Acme", None]})
    assert fires('{ field = "company", contains = ["university", "universität"] }', lf) == [
        True,
        True,
        False,
        False,
    ]
    assert fires('{ field = "company", starts_with = "univ" }', lf) == [True, False, False, False]
    assert fires('{ field = "company", ends_with = "ität" }', lf) == [False, True, False, False]


def test_contains_is_literal_not_a_regex(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"company": ["a.b", "axb"]})
    assert fires('{ field = "company", contains = "a.b" }', lf) == [True, False]


def test_missing_and_present_treat_blank_text_as_missing(
    make_frame: FrameMaker, fires: Fires
) -> None:
    lf = make_frame({"phone_e164": ["+441632960001", "", "   ", None]})
    assert fires('{ field = "phone_e164", missing = true }', lf) == [False, True, True, True]
    assert fires('{ field = "phone_e164", present = true }', lf) == [True, False, False, False]
    assert fires('{ field = "phone_e164", present = false }', lf) == [False, True, True, True]


def test_before_and_after_on_a_date_column(make_frame: FrameMaker, fires: Fires) -> None:
    dates = [dt.date(2023, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 6, 1), None]
    lf = make_frame({"created_at": dates})
    assert fires('{ field = "created_at", before = 2024-01-01 }', lf) == [
        True,
        False,
        False,
        False,
    ]
    assert fires('{ field = "created_at", after = "2024-01-01" }', lf) == [
        False,
        False,
        True,
        False,
    ]


def test_before_on_iso_text_and_datetimes(make_frame: FrameMaker, fires: Fires) -> None:
    text = make_frame({"raw.created_at": ["2023-05-01", "2023-05-01T10:00:00", "01/05/2023"]})
    assert fires('{ field = "raw.created_at", before = 2024-01-01 }', text) == [
        True,
        True,
        False,
    ]
    stamps = make_frame({"created_at": [dt.datetime(2023, 5, 1, 23, 59), dt.datetime(2025, 1, 1)]})
    assert fires('{ field = "created_at", before = 2024-01-01T00:00:00 }', stamps) == [
        True,
        False,
    ]


def test_at_least_and_at_most(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"score": [10, 50, 70, None]})
    assert fires('{ field = "score", at_least = 50 }', lf) == [False, True, True, False]
    assert fires('{ field = "score", at_most = 10 }', lf) == [True, False, False, False]


def test_flag_true_false_null_and_absent(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"flag.email.free": [True, False, None]})
    assert fires('{ flag = "email.free" }', lf) == [True, False, False]
    assert fires('{ flag = "duplicate" }', lf) == [False, False, False]
    assert fires('{ not = { flag = "duplicate" } }', lf) == [True, True, True]


def test_all_any_not(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame(
        {
            "flag.email.free": [True, True, False, False],
            "company": [None, "Acme", None, "Acme"],
        }
    )
    assert fires(
        '{ all = [{ flag = "email.free" }, { field = "company", missing = true }] }', lf
    ) == [True, False, False, False]
    assert fires(
        '{ any = [{ flag = "email.free" }, { field = "company", missing = true }] }', lf
    ) == [True, True, True, False]
    assert fires(
        '{ not = { any = [{ flag = "email.free" }, { field = "company", present = true }] } }', lf
    ) == [False, False, True, False]


def test_not_of_a_test_holds_for_a_missing_value(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"country_code": ["GB", "US", None]})
    assert fires('{ not = { field = "country_code", in = ["GB"] } }', lf) == [False, True, True]


def test_dotted_when_keys_and_multiline_arrays(
    make_frame: FrameMaker, write_rules: Callable[[str], Path], routed: Callable[..., pl.DataFrame]
) -> None:
    path = write_rules(
        '[settings]\ndefaults = false\n\n[[rules]]\nname = "both"\nwhen.all = [\n'
        '    { flag = "email.free" },  # free mail\n'
        '    { field = "company", missing = true },\n]\naction = "review"\n'
    )
    lf = make_frame({"flag.email.free": [True, True], "company": [None, "Acme"]})
    out = routed(lf, load_rules(path))
    assert out.get_column("decision").to_list() == ["review", "accepted"]
    assert out.get_column("reasons").to_list() == ["rule.both", ""]


def test_country_is_an_alias_of_country_code(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"country_code": ["DE", "FR"]})
    assert fires('{ field = "country", equals = "de" }', lf) == [True, False]


def test_seniority_is_computed_from_the_job_title_and_testable(
    make_frame: FrameMaker, fires: Fires
) -> None:
    lf = make_frame({"job_title": ["Geschäftsführer", "Werkstudentin Marketing", None]})
    assert fires('{ field = "seniority", in = ["c_level", "vp"] }', lf) == [True, False, False]
    assert fires('{ field = "seniority", equals = "student" }', lf) == [False, True, False]


def test_seniority_falls_back_to_the_raw_title(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"raw.job_title": ["VP Sales", "Intern"]})
    assert fires('{ field = "seniority", equals = "vp" }', lf) == [True, False]


def test_a_field_no_stage_wrote_counts_as_missing(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"email": ["a@b.example"]})
    assert fires('{ field = "company_key", missing = true }', lf) == [True]
    assert fires('{ field = "company_key", equals = "x" }', lf) == [False]


def test_apply_adds_columns_and_keeps_rows_in_order(
    make_frame: FrameMaker, write_rules: Callable[[str], Path]
) -> None:
    lf = make_frame(
        {
            "email": [f"p{i}@example.com" for i in range(50)],
            "note": [str(i) for i in range(50)],
            "job_title": [["CEO", None, "Intern", "Nurse", "CEO"][i % 5] for i in range(50)],
        }
    )
    before = lf.collect()
    path = write_rules(
        '[[rules]]\nname = "x"\nwhen = { field = "company_key", present = true }\n'
        'action = "reject"\n'
    )
    after = apply_rules(lf, load_rules(path)).collect()
    assert after.select(before.columns).equals(before)
    added = [c for c in after.columns if c not in before.columns]
    assert "company_key" not in added
    assert {"seniority", "reasons", "decision", "flag.suppressed"} <= set(added)
    assert after.schema["flag.contact.invalid"] == pl.Boolean
    levels = ["c_level", None, "student", "individual", "c_level"]
    assert after.get_column("seniority").to_list() == [levels[i % 5] for i in range(50)]


def test_consent_unknown_is_missing_consent(make_frame: FrameMaker, fires: Fires) -> None:
    # Conservative consent: "unknown" is no answer, so a rule asking for missing
    # consent must catch it, and present consent means a real yes or no.
    lf = make_frame({"consent": ["yes", "no", "unknown", None]})
    assert fires('{ field = "consent", missing = true }', lf) == [False, False, True, True]
    assert fires('{ field = "consent", present = true }', lf) == [True, True, False, False]


def _triage_csv(tmp_path: Path, csv: str, rules: Path) -> TriageResult:
    """A whole run over `csv` with the rules at `rules`."""
    source = tmp_path / "leads.csv"
    source.write_text(csv, encoding="utf-8")
    return triage([str(source)], rules=load_rules(rules))


def test_missing_consent_fires_on_blank_and_unrecognised_answers_in_a_run(
    tmp_path: Path, write_rules: Callable[[str], Path]
) -> None:
    rules = write_rules(
        '[[rules]]\nname = "ask"\nwhen = { field = "consent", missing = true }\naction = "review"\n'
    )
    result = _triage_csv(
        tmp_path,
        "Email,Opt-in\nann@acme.com,yes\nbob@globex.com,\n"
        "cat@initech.com,maybe\ndan@umbrella.com,no\n",
        rules,
    )
    assert sorted(result.review.get_column("email").to_list()) == [
        "bob@globex.com",
        "cat@initech.com",
    ]


def test_prefix_tests_see_the_iso_code_and_the_registrable_lower_case_domain(
    tmp_path: Path, write_rules: Callable[[str], Path]
) -> None:
    # What a rule sees is the normalised value: "Deutschland" is DE, and an address at
    # MAIL.Globex.CO.UK has the email_domain globex.co.uk (so "mail." never starts it).
    probes = {
        "code": '{ field = "country", starts_with = "d" }',
        "domain": '{ field = "email_domain", starts_with = "GLOBEX." }',
        "host": '{ field = "email_domain", starts_with = "mail." }',
        "raw": '{ field = "raw.country", starts_with = "ger" }',
    }
    rules = write_rules(
        "".join(
            f'[[rules]]\nname = "{name}"\nwhen = {when}\naction = "tag"\n'
            for name, when in probes.items()
        )
    )
    csv = "Email,Country\nann@MAIL.Globex.CO.UK,Deutschland\nbob@initech.com,Germany\n"
    routed = _triage_csv(tmp_path, csv + "cat@acme.de,France\n", rules).routed
    assert routed is not None
    fired = {
        row: sorted(r.removeprefix("rule.") for r in reasons.split(";") if r.startswith("rule."))
        for row, reasons in zip(routed["source_row"], routed["reasons"], strict=True)
    }
    assert fired == {1: ["code", "domain"], 2: ["code", "raw"], 3: []}
