"""The key-path -> line scanner on the TOML shapes a rules file uses."""

from __future__ import annotations

import tomllib

from leadtriage.rules.locate import key_lines

TEXT = '''\
# a comment with [brackets] and key = "value"
[settings]
undecided = "accept"   # trailing comment

[lists]
"quoted name" = ["a", "b # not a comment", 'c ] }']
multi = """
line = 1
[not.a.table]
"""

[[rules]]
name = "first"
when = { all = [{ flag = "email.free" }, { field = "company", missing = true }] }
action = "tag"

[[rules]]
name = "second"
when.any = [
    { flag = "duplicate" },   # one
    { not = { field = "country_code", in = [
        "GB",
        "IE",
    ] } },
]
action = "review"

[[rules]]
name = "third"
action = "reject"

[rules.when]
field = "job_title"
matches = 'a\\b'

[score]
seniority = { c_level = 3 }

[[score.points]]
when = { flag = "email.free" }
points = 1

[[score.points]]
points = 2
when.not.flag = "email.role"
'''


def test_the_text_is_valid_toml() -> None:
    tomllib.loads(TEXT)


def test_tables_and_keys() -> None:
    lines = key_lines(TEXT)
    assert lines[("settings",)] == 2
    assert lines[("settings", "undecided")] == 3
    assert lines[("lists", "quoted name")] == 6
    assert lines[("lists", "multi")] == 7


def test_strings_and_comments_hide_look_alike_syntax() -> None:
    lines = key_lines(TEXT)
    assert ("not", "a", "table") not in lines
    assert ("lists", "line") not in lines
    assert ("key",) not in lines


def test_arrays_of_tables_count_from_zero_per_table() -> None:
    lines = key_lines(TEXT)
    assert lines[("rules", 0)] == 12
    assert lines[("rules", 1)] == 17
    assert lines[("rules", 2)] == 28
    assert lines[("rules", 2, "action")] == 30
    assert lines[("score", "points", 0, "points")] == 41
    assert lines[("score", "points", 1, "points")] == 44


def test_inline_tables_and_arrays_inside_values() -> None:
    lines = key_lines(TEXT)
    assert lines[("rules", 0, "when", "all", 1, "field")] == 14
    assert lines[("rules", 1, "when", "any")] == 19
    assert lines[("rules", 1, "when", "any", 0, "flag")] == 20
    assert lines[("rules", 1, "when", "any", 1, "not", "in")] == 21
    assert lines[("rules", 1, "when", "any", 1, "not", "in", 1)] == 23
    assert lines[("rules", 1, "action")] == 26


def test_a_sub_table_of_the_last_array_element() -> None:
    lines = key_lines(TEXT)
    assert lines[("rules", 2, "when")] == 32
    assert lines[("rules", 2, "when", "matches")] == 34
    assert lines[("score", "seniority", "c_level")] == 37


def test_dotted_keys_mark_every_level() -> None:
    lines = key_lines(TEXT)
    assert lines[("score", "points", 1, "when")] == 45
    assert lines[("score", "points", 1, "when", "not", "flag")] == 45
