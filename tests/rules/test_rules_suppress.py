"""[suppress]: every source, precedence over other rules, and a differential test of
the vectorised match against a plain Python reference."""

from __future__ import annotations

import hashlib
import random
import string
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from faker import Faker

from leadtriage.frame import FIELDS, flag, raw
from leadtriage.rules import apply_rules, check_rules, load_rules
from leadtriage.rules.suppress import SUPPRESSION_SOURCE, Suppression, suppressed_expr

FrameMaker = Callable[[dict[str, Any]], pl.LazyFrame]
WriteRules = Callable[[str], Path]


def suppressed(lf: pl.LazyFrame, rules_path: Path) -> list[bool]:
    out = apply_rules(lf, load_rules(rules_path)).collect()
    return out.get_column(flag("suppressed")).to_list()


def test_plain_email_list_inline_and_from_a_file(
    make_frame: FrameMaker, write_rules: WriteRules, tmp_path: Path
) -> None:
    (tmp_path / "dnc.txt").write_text("# do not contact\n  Bob@Example.COM \n", encoding="utf-8")
    rules = write_rules('[suppress]\nemails = ["ann@example.com"]\nemail_files = ["dnc.txt"]\n')
    lf = make_frame(
        {
            "email": ["ANN@example.com ", "bob@example.com", "bob+x@example.com", None],
        }
    )
    assert suppressed(lf, rules) == [True, True, False, False]


def test_the_clean_email_is_preferred_and_the_raw_text_is_the_fallback(
    make_frame: FrameMaker, write_rules: WriteRules
) -> None:
    rules = write_rules('[suppress]\nemails = ["ann@example.com"]\n')
    lf = make_frame(
        {
            "email": ["ann@example.com", None, "", "other@example.com"],
            "raw.email": [
                "mailto:ann@example.com",
                " Ann@Example.com",
                "ann@example.com",
                "ann@example.com",
            ],
        }
    )
    assert suppressed(lf, rules) == [True, True, True, False]
    only_raw = make_frame({"raw.email": ["ann@example.com", "x@example.com"]})
    assert suppressed(only_raw, rules) == [True, False]


def test_domains_match_subdomains_but_not_look_alikes(
    make_frame: FrameMaker, write_rules: WriteRules, tmp_path: Path
) -> None:
    (tmp_path / "domains.txt").write_text("press.example\n", encoding="utf-8")
    rules = write_rules(
        '[suppress]\ndomains = ["@Rival.example"]\ndomain_files = ["domains.txt"]\n'
    )
    lf = make_frame(
        {
            "email": [
                "a@rival.example",
                "a@mail.eu.rival.example",
                "a@evilrival.example",
                "a@rival.example.org",
                "rival.example@gmail.com",
                "x@PRESS.example",
            ],
        }
    )
    assert suppressed(lf, rules) == [True, True, False, False, False, True]


def test_sha256_of_the_normalised_email(
    make_frame: FrameMaker, write_rules: WriteRules, tmp_path: Path
) -> None:
    def recipe(address: str) -> str:  # the one-liner the docs give
        return hashlib.sha256(address.strip().lower().encode()).hexdigest()

    (tmp_path / "hashes.txt").write_text(
        f"# opt-outs, hashed\n{recipe('Carol@Example.com').upper()}\n", encoding="utf-8"
    )
    rules = write_rules(
        f'[suppress]\nsha256 = ["{recipe("dave@example.com")}"]\nsha256_files = ["hashes.txt"]\n'
    )
    lf = make_frame(
        {
            "email": [
                "carol@example.com",
                " DAVE@example.com",
                "dave@example.com",
                None,
                "carol@example.com",
                "eve@example.com",
            ],
        }
    )
    assert suppressed(lf, rules) == [True, True, True, False, True, False]


def test_crm_export_opt_out_column(
    make_frame: FrameMaker, write_rules: WriteRules, tmp_path: Path
) -> None:
    (tmp_path / "crm.csv").write_text(
        "Record ID,Email Address,Email Opt Out\n"
        "1,out@example.com,TRUE\n2,in@example.com,false\n3,maybe@example.com,\n"
        "4,yes@example.com, Yes \n",
        encoding="utf-8",
    )
    rules = write_rules(
        '[[suppress.crm]]\nfile = "crm.csv"\ncolumn = "email opt out"\n'
        'opted_out = ["true", "yes"]\n'
    )
    lf = make_frame(
        {"email": ["out@example.com", "in@example.com", "maybe@example.com", "yes@example.com"]}
    )
    assert suppressed(lf, rules) == [True, False, False, True]


def test_crm_column_that_is_not_in_the_file(write_rules: WriteRules, tmp_path: Path) -> None:
    (tmp_path / "crm.csv").write_text("Email,Opt Out\nout@example.com,1\n", encoding="utf-8")
    rules = write_rules('[suppress.crm]\nfile = "crm.csv"\ncolumn = "Opt-Out"\n')
    assert check_rules(rules) == [
        f"{rules}:3: suppress.crm.column: no column 'Opt-Out' in the file (did you mean 'Opt Out'?)"
    ]


def test_mailchimp_unsubscribed_and_cleaned_exports(
    make_frame: FrameMaker, write_rules: WriteRules, tmp_path: Path
) -> None:
    (tmp_path / "unsubscribed_members_export_1a2b.csv").write_text(
        "Email Address,First Name,Last Name,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE\n"
        "gone@example.com,Gone,Person,2024-02-01 10:00:00,Spring newsletter\n",
        encoding="utf-8",
    )
    (tmp_path / "cleaned_members_export_1a2b.csv").write_text(
        "Email Address,First Name,CLEAN_TIME\nbounced@example.com,Bo,2024-03-01 10:00:00\n",
        encoding="utf-8",
    )
    rules = write_rules(
        '[suppress]\nmailchimp = ["unsubscribed_members_export_1a2b.csv",\n'
        '             "cleaned_members_export_1a2b.csv"]\n'
    )
    lf = make_frame({"email": ["gone@example.com", "bounced@example.com", "kept@example.com"]})
    assert suppressed(lf, rules) == [True, True, False]


def test_suppression_beats_an_accept_rule_and_comes_first_in_reasons(
    make_frame: FrameMaker, write_rules: WriteRules
) -> None:
    rules = write_rules(
        '[suppress]\nemails = ["vip@example.com"]\n\n'
        '[[rules]]\nname = "vip"\nwhen = { field = "email", ends_with = "@example.com" }\n'
        'action = "accept"\n'
    )
    lf = make_frame(
        {
            "email": ["vip@example.com", "other@example.com"],
            "raw.email": ["vip@example.com", "other@example.com"],
        }
    )
    out = apply_rules(lf, load_rules(rules)).collect()
    assert out.get_column("decision").to_list() == ["rejected", "accepted"]
    assert out.get_column("reasons").to_list() == ["suppressed;rule.vip", "rule.vip"]
    assert load_rules(rules).rules[0].name == "suppressed"


def test_without_suppress_nothing_is_suppressed(make_frame: FrameMaker) -> None:
    lf = make_frame({"email": ["a@example.com"]})
    out = apply_rules(lf, load_rules(None)).collect()
    assert out.get_column(flag("suppressed")).to_list() == [False]


# --- differential: the vectorised match against a plain Python reference -------------


def reference(address: str | None, suppression: Suppression) -> bool:
    if address is None or not address.strip():
        return False
    key = address.strip().lower()
    if key in suppression.emails:
        return True
    if hashlib.sha256(key.encode()).hexdigest() in suppression.sha256:
        return True
    if "@" not in key:
        return False
    labels = key.rsplit("@", 1)[1].split(".")
    suffixes = (".".join(labels[depth:]) for depth in range(len(labels)))
    return any(suffix and suffix in suppression.domains for suffix in suffixes)


def addresses(count: int) -> list[str | None]:
    fake = Faker(["en_GB", "de_DE", "fr_FR", "es_ES"])
    Faker.seed(5)
    rng = random.Random(5)
    realistic = [fake.email() for _ in range(count)]
    deep = [
        f"{fake.user_name()}@{'.'.join(fake.word() for _ in range(rng.randint(1, 6)))}"
        f".{rng.choice(['example', 'com', 'de'])}"
        for _ in range(count)
    ]
    alphabet = string.ascii_letters + string.digits + "@.+-_ \t" + "ÄÖÜäöüßéÉİı"
    noise = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(count)]
    hostile: list[str | None] = [
        None,
        "",
        " ",
        "@",
        "@@",
        "a@",
        "@b",
        "a@@b.example",
        "a@b@c.example",
        "a@.",
        "a@b.",
        ".@.",
        "A@B.EXAMPLE",
        "\ta@b.example\n",
        "a@b..example",
        "ß@straße.example",
        "İ@example.com",
        "=cmd|' /C calc'!A0@x.example",
        "a@" + "sub." * 50 + "example",
    ]
    return [*realistic, *deep, *noise, *hostile]


def test_vectorised_suppression_agrees_with_the_python_reference() -> None:
    values = addresses(1500)
    rng = random.Random(7)
    picked = [v.strip().lower() for v in rng.sample([v for v in values if v], 400) if v.strip()]
    domains = {v.rsplit("@", 1)[1] for v in picked[:150] if "@" in v}
    parents = {d.split(".", 1)[1] for d in list(domains)[:50] if "." in d}
    suppression = Suppression(
        emails=frozenset(picked[150:250]),
        domains=frozenset(domains | parents),
        sha256=frozenset(hashlib.sha256(v.encode()).hexdigest() for v in picked[250:]),
    )
    frame = pl.DataFrame({raw("email"): values}, schema={raw("email"): pl.String})
    for field in FIELDS:
        if raw(field) not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(raw(field)))
    fast = frame.select(suppressed_expr(frame.schema, suppression)).to_series().to_list()
    expected = [reference(v, suppression) for v in values]
    mismatches = [v for v, a, b in zip(values, fast, expected, strict=True) if a != b]
    assert mismatches == []
    assert sum(expected) > 300  # the test covers hits of every kind, not only misses


@pytest.mark.parametrize("address", ["Ann@Example.com", "  bob.smith+news@Example.co.uk "])
def test_the_documented_hash_recipe_matches(address: str) -> None:
    key = pl.Series([address]).str.strip_chars().str.to_lowercase()[0]
    assert key == address.strip().lower()


def test_ledger_hashes_and_suppression_input_rows_suppress_in_the_same_stage() -> None:
    lf = pl.LazyFrame(
        {
            "email": ["kept@acme.com", "gone@acme.com", "ann@acme.com", "ann@acme.com"],
            SUPPRESSION_SOURCE: [False, False, True, False],
        }
    )
    erased = Suppression().with_hashes([hashlib.sha256(b"gone@acme.com").hexdigest()])
    rules = replace(load_rules(None), suppress=erased)
    out = apply_rules(lf, rules).collect()
    assert out[flag("suppressed")].to_list() == [False, True, True, True]
    assert [r.split(";")[0] for r in out["reasons"].to_list()[1:]] == ["suppressed"] * 3
    assert out["decision"].to_list()[1:] == ["rejected"] * 3
