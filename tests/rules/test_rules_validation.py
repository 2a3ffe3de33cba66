"""Every kind of mistake in a rules file, each with its exact message and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.errors import ConfigError, ExitStatus
from leadtriage.rules import check_rules, load_rules
from leadtriage.rules.routing import route

CASES: list[tuple[str, str, list[str]]] = [
    (
        "toml-syntax",
        '[settings]\nundecided = "accept"\n[[rules]]\nname = "x"\n'
        'when = { flag = "email.free" \naction = "tag"\n',
        ["rules.toml:5: invalid TOML: Unclosed inline table"],
    ),
    (
        "toml-syntax-at-the-end",
        '[lists]\nnames = [\n  "a",\n',
        ["rules.toml:4: invalid TOML: Invalid value"],
    ),
    (
        "unknown-table",
        '[settings]\nundecided = "accept"\n\n[setings]\nundecided = "accept"\n',
        ["rules.toml:4: setings: unknown table '[setings]' (did you mean 'settings'?)"],
    ),
    (
        "unknown-key",
        '[settings]\nundecide = "accept"\n',
        ["rules.toml:2: settings: unknown key 'undecide' (did you mean 'undecided'?)"],
    ),
    (
        "unknown-field",
        '[[rules]]\nname = "a"\nwhen = { flag = "email.free" }\naction = "tag"\n\n'
        '[[rules]]\nname = "b"\nwhen = { field = "contry", equals = "GB" }\naction = "tag"\n',
        ["rules.toml:8: rules[2].when: unknown field 'contry' (did you mean 'country'?)"],
    ),
    (
        "unknown-flag-inside-a-multiline-any",
        '[[rules]]\nname = "a"\nwhen.any = [\n  { flag = "duplicate" },\n'
        '  { flag = "email.fre" },\n]\naction = "tag"\n',
        [
            "rules.toml:5: rules[1].when.any[2]: unknown flag 'email.fre'"
            " (did you mean 'email.free'?)"
        ],
    ),
    (
        "unknown-action",
        '[[rules]]\nname = "a"\nwhen = { flag = "email.free" }\naction = "rejekt"\n',
        ["rules.toml:4: rules[1].action: unknown action 'rejekt' (did you mean 'reject'?)"],
    ),
    (
        "bad-regex-look-behind",
        '[[rules]]\nname = "a"\nwhen = { field = "job_title", matches = "(?<=x)y" }\n'
        'action = "tag"\n',
        [
            "rules.toml:3: rules[1].when.matches: bad regex: look-around, including look-ahead"
            " and look-behind, is not supported"
        ],
    ),
    (
        "bad-regex-unclosed-class",
        '[[rules]]\nname = "a"\naction = "tag"\n\n[rules.when]\nfield = "job_title"\n'
        'matches = "[a-z"\n',
        ["rules.toml:7: rules[1].when.matches: bad regex: unclosed character class"],
    ),
    (
        "list-name-that-does-not-exist",
        '[lists]\ncompetitors = ["a.example"]\n\n[[rules]]\nname = "a"\n'
        'when = { field = "email_domain", in = "competitor" }\naction = "reject"\n',
        [
            "rules.toml:6: rules[1].when.in: no list named 'competitor' in [lists]"
            " (did you mean 'competitors'?)"
        ],
    ),
    (
        "list-file-that-does-not-exist",
        '[lists]\ncompetitors = { file = "nope.txt" }\n',
        ["rules.toml:2: lists.competitors.file: file 'nope.txt' not found (looked for nope.txt)"],
    ),
    (
        "list-file-that-is-a-folder",
        '[lists]\ncompetitors = { file = "." }\n',
        ["rules.toml:2: lists.competitors.file: '.' is a folder, not a file (.)"],
    ),
    (
        "duplicate-rule-name",
        '[[rules]]\nname = "a"\nwhen = { flag = "email.free" }\naction = "tag"\n\n'
        '[[rules]]\nname = "a"\nwhen = { flag = "email.role" }\naction = "tag"\n',
        ["rules.toml:7: rules[2].name: duplicate rule name 'a' (first at line 2)"],
    ),
    (
        "wrong-value-types",
        '[settings]\nundecided = 3\n\n[[rules]]\nname = "a"\nwhen = "email.free"\n'
        'action = "tag"\nmessage = 5\n',
        [
            "rules.toml:2: settings.undecided: expected a string, got an integer",
            "rules.toml:6: rules[1].when: expected a condition table, got a string; a condition"
            " needs field = ... with a test, flag = ..., all, any or not",
            "rules.toml:8: rules[1].message: expected a string, got an integer",
        ],
    ),
    (
        "true-is-not-a-number",
        "[score]\naccept = true\n",
        ["rules.toml:2: score.accept: expected an integer, got true/false"],
    ),
    (
        "bad-threshold-order",
        "[score]\naccept = 20\nreject = 50\n",
        [
            "rules.toml:3: score.reject: bad threshold order: reject (50) must not be above"
            " accept (20)"
        ],
    ),
    (
        "unknown-column-field",
        '[columns]\nemial = "E-Mail"\n',
        ["rules.toml:2: columns.emial: unknown field 'emial' (did you mean 'email'?)"],
    ),
    (
        "misspelt-opt-out-column-key",
        '[columns]\nconsent_optout = "Baja"\n',
        [
            "rules.toml:2: columns.consent_optout: unknown field 'consent_optout' (did you mean"
            " 'consent_opt_out'?)"
        ],
    ),
    (
        "misspelt-test",
        '[[rules]]\nname = "a"\nwhen = { field = "company", equal = "x" }\naction = "tag"\n',
        ["rules.toml:3: rules[1].when: unknown key 'equal' (did you mean 'equals'?)"],
    ),
    (
        "two-tests-in-one-table",
        '[[rules]]\nname = "a"\nwhen = { field = "company", equals = "x", contains = "y" }\n'
        'action = "tag"\n',
        [
            "rules.toml:3: rules[1].when: one test per table, found equals, contains;"
            " combine them with all = [...]"
        ],
    ),
    (
        "settings-values",
        '[settings]\ndefault_region = "UK"\ndate_order = "ymd"\nundecided = "tag"\n',
        [
            "rules.toml:2: settings.default_region: unknown region 'UK' (did you mean 'GB'?)",
            "rules.toml:3: settings.date_order: unknown date order 'ymd' (did you mean 'mdy'?)",
            "rules.toml:4: settings.undecided: unknown undecided 'tag' (expected one of:"
            " accept, review, reject)",
        ],
    ),
    (
        "missing-keys",
        '[[rules]]\nname = "a"\n',
        ["rules.toml:1: rules[1]: missing 'when'", "rules.toml:1: rules[1]: missing 'action'"],
    ),
    (
        "reserved-name",
        '[[rules]]\nname = "suppressed"\nwhen = { flag = "email.free" }\naction = "tag"\n',
        ["rules.toml:2: rules[1].name: 'suppressed' is reserved: [suppress] adds it"],
    ),
    (
        "suppress-mistakes",
        '[suppress]\nemail = ["a@b.example"]\nmailchimp = ["x.csv"]\nsha256 = ["abc"]\n',
        [
            "rules.toml:2: suppress: unknown key 'email' (did you mean 'emails'?)",
            "rules.toml:3: suppress.mailchimp[1]: file 'x.csv' not found (looked for x.csv)",
            "rules.toml:4: suppress.sha256[1]: not a SHA-256 hex digest (64 characters 0-9,"
            " a-f, of the normalised email)",
        ],
    ),
    (
        "unknown-seniority-level",
        '[score]\nseniority = { cxo = 5, manager = "ten" }\n',
        [
            "rules.toml:2: score.seniority: unknown seniority level 'cxo' (expected one of:"
            " c_level, vp, director, manager, individual, student)",
            "rules.toml:2: score.seniority.manager: expected an integer, got a string",
        ],
    ),
    (
        "dedupe-keys-and-values",
        '[settings]\nundecided = "accept"\n\n[dedupe]\nmatch_probabilty = 0.9\n'
        'evidence = ["email", "phnoe"]\nmax_block_size = 1\n',
        [
            "rules.toml:5: dedupe.match_probabilty: unknown key"
            " (did you mean 'match_probability'?)",
            "rules.toml:6: dedupe.evidence: unknown value 'phnoe' (did you mean 'phone'?)",
            "rules.toml:7: dedupe.max_block_size: must be a whole number of at least 2",
        ],
    ),
    (
        "dedupe-not-a-table",
        'dedupe = "on"\n',
        ["rules.toml:1: dedupe: expected a [dedupe] table, got a string"],
    ),
    (
        "output-profile-and-keys",
        '[output]\nprofile = "hubspott"\nunmapped = "lose"\nunmaped = "drop"\n',
        [
            "rules.toml:2: output.profile: unknown profile 'hubspott' (did you mean 'hubspot'?)",
            "rules.toml:3: output.unmapped: unknown unmapped 'lose' (expected one of: keep, drop)",
            "rules.toml:4: output: unknown key 'unmaped' (did you mean 'unmapped'?)",
        ],
    ),
    (
        "output-profile-not-a-string",
        "[output]\nprofile = 1\n",
        ["rules.toml:2: output.profile: expected a string, got an integer"],
    ),
    (
        "conditions-nested-400-deep-inline",
        '[[rules]]\nname = "deep"\naction = "tag"\nwhen = '
        + "{ not = " * 400
        + '{ flag = "email.free" }'
        + " }" * 400
        + "\n",
        [
            "rules.toml:4: arrays and tables nested more than 64 deep; flatten the condition"
            " (all = [...] and any = [...] take many parts)"
        ],
    ),
    (
        "conditions-nested-400-deep-as-arrays",
        '[[rules]]\nname = "deep"\naction = "tag"\nwhen = '
        + "{ all = [" * 400
        + '{ flag = "email.free" }'
        + "] }" * 400
        + "\n",
        [
            "rules.toml:4: arrays and tables nested more than 64 deep; flatten the condition"
            " (all = [...] and any = [...] take many parts)"
        ],
    ),
    (
        "conditions-nested-400-deep-as-dotted-keys",
        '[[rules]]\nname = "deep"\naction = "tag"\nwhen' + ".not" * 400 + '.flag = "email.free"\n',
        [
            "rules.toml:4: rules[1].when" + ".not" * 33 + ": conditions nested more than 32"
            " deep; flatten them (all = [...] and any = [...] take many parts)"
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_has_its_line_key_path_and_suggestion(
    text: str, expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("rules.toml").write_text(text, encoding="utf-8")
    assert check_rules(Path("rules.toml")) == expected


def test_load_raises_one_config_error_listing_every_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("rules.toml").write_text(
        '[setings]\n\n[[rules]]\nname = "a"\nwhen = { field = "contry", in = "nowhere" }\n'
        'action = "rejekt"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_rules(Path("rules.toml"))
    assert raised.value.problems == [
        "rules.toml:1: setings: unknown table '[setings]' (did you mean 'settings'?)",
        "rules.toml:5: rules[1].when: unknown field 'contry' (did you mean 'country'?)",
        "rules.toml:5: rules[1].when.in: no list named 'nowhere' in [lists]",
        "rules.toml:6: rules[1].action: unknown action 'rejekt' (did you mean 'reject'?)",
    ]
    assert raised.value.message == "rules.toml: 4 problems in the rules file"
    assert raised.value.exit_status is ExitStatus.USAGE


def test_a_single_problem_is_the_error_message(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[settings]\nundecided = "maybe"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_rules(path)
    assert raised.value.message == (
        f"{path}:2: settings.undecided: unknown undecided 'maybe' (expected one of: accept,"
        " review, reject)"
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "absent.toml", "no such rules file"),
        (lambda tmp: tmp, "is a folder, not a rules file"),
    ],
    ids=["missing", "folder"],
)
def test_a_path_that_is_no_rules_file_is_one_plain_error(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    path = make(tmp_path)
    for read in (check_rules, load_rules):
        with pytest.raises(ConfigError) as raised:
            read(path)
        assert raised.value.message == f"{path}: {message}"
        assert raised.value.problems == []
        assert raised.value.exit_status is ExitStatus.USAGE


def test_conditions_nested_to_the_limit_still_work(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        '[[rules]]\nname = "deep"\naction = "tag"\nwhen' + ".not" * 32 + '.flag = "email.free"\n',
        encoding="utf-8",
    )
    assert check_rules(path) == []
    frame = pl.LazyFrame({"flag.email.free": [True, False]})
    routed = route(frame, load_rules(path).rules[-1:]).collect()
    # 32 nots of a flag: the flag itself.
    assert routed["reasons"].to_list() == ["rule.deep", ""]


def test_problem_messages_never_echo_list_file_contents(tmp_path: Path) -> None:
    (tmp_path / "hashes.txt").write_text(
        "# opt-outs\n" + "a" * 64 + "\nann.private@example.com\n", encoding="utf-8"
    )
    path = tmp_path / "rules.toml"
    path.write_text('[suppress]\nsha256_files = ["hashes.txt"]\n', encoding="utf-8")
    problems = check_rules(path)
    assert problems == [
        f"{path}:2: suppress.sha256_files[1]: 'hashes.txt' line 3: not a SHA-256 hex digest"
        " (64 characters 0-9, a-f, of the normalised email)"
    ]
    assert "ann.private" not in problems[0]


def test_clean_refuses_bad_dedupe_and_output_tables_before_reading_data(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[dedupe]\nmatch_probabilty = 0.9\n[output]\nprofile = "hubspott"\n', "utf-8")
    # The input does not exist: the rules fail first, so no data was read.
    result = CliRunner().invoke(
        app, ["clean", str(tmp_path / "leads.csv"), "--rules", str(rules), "-o", str(tmp_path)]
    )
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr.splitlines()[:3] == [
        f"{rules}:2: dedupe.match_probabilty: unknown key (did you mean 'match_probability'?)",
        f"{rules}:4: output.profile: unknown profile 'hubspott' (did you mean 'hubspot'?)",
        f"leadtriage: error: {rules}: 2 problems in the rules file",
    ]


@pytest.mark.parametrize("command", [["rules", "check"], ["clean", "leads.csv", "--rules"]])
def test_a_folder_given_as_rules_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("leads.csv").write_text("Email\nann@acme.com\n", encoding="utf-8")
    Path("dir").mkdir()
    result = CliRunner().invoke(app, [*command, "dir"])
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr.splitlines() == [
        "leadtriage: error: dir: is a folder, not a rules file",
        "hint: give the path of a .toml rules file",
    ]
