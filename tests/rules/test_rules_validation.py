"""Every kind of mistake in a rules file, each with its exact message and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadtriage.errors import ConfigError, ExitStatus
from leadtriage.rules import check_rules, load_rules

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


def test_a_missing_rules_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    assert check_rules(path) == [f"{path}: no such rules file"]
    with pytest.raises(ConfigError):
        load_rules(path)


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
