"""A rules TOML text -> a typed, validated document, every problem collected.

Sections: ``[settings]``, ``[columns]``, ``[lists]``, ``[[rules]]``, ``[score]``,
``[suppress]``, ``[dedupe]`` (checked by `DedupeConfig.from_table`, which owns its
keys) and ``[output]``. Every table is validated here, before any data is read, so a
misspelt key fails in ``rules check`` and not minutes into a run. Files the document
names (lists, suppression sources) are read here, relative to `base`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import phonenumbers

from leadtriage.dedupe.config import DedupeConfig
from leadtriage.errors import ConfigError
from leadtriage.frame import CONSENT_POLARITY_KEYS, FIELDS
from leadtriage.io.profiles import Profile
from leadtriage.reasons import REASONS
from leadtriage.rules.conditions import compile_condition, parse_condition
from leadtriage.rules.coverage import FieldUse, field_uses
from leadtriage.rules.lists import Lists, NamedList, parse_lists
from leadtriage.rules.locate import key_lines, line_too_deep
from leadtriage.rules.problems import KeyPath, Problems, did_you_mean
from leadtriage.rules.routing import Action, Rule
from leadtriage.rules.score import Score, parse_score
from leadtriage.rules.suppress import Suppression, parse_suppress

TOP_LEVEL: Final = (
    "settings",
    "columns",
    "lists",
    "rules",
    "score",
    "suppress",
    "dedupe",
    "output",
)
SETTINGS_KEYS: Final = ("default_region", "date_order", "undecided", "defaults")
PROFILES: Final = tuple(profile.value for profile in Profile)
# What becomes of input columns no field claims: kept as they came, or left out.
UNMAPPED_CHOICES: Final = ("keep", "drop")
OUTPUT_CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "profile": PROFILES,
    "unmapped": UNMAPPED_CHOICES,
}
# Far deeper than any rule a person writes; deeper nesting would exhaust the stack of
# the recursive TOML reader.
MAX_NESTING: Final = 64
RULE_KEYS: Final = ("name", "when", "action", "message")
DATE_ORDERS: Final = ("dmy", "mdy")
UNDECIDED_ACTIONS: Final = (Action.ACCEPT.value, Action.REVIEW.value, Action.REJECT.value)
RULE_ACTIONS: Final = tuple(action.value for action in Action)
# Slugs only their own section may add.
RESERVED_RULE_NAMES: Final = {
    "suppressed": "[suppress]",
    "score.low": "[score]",
    "score.review": "[score]",
}
_RULE_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_REGION_ALIASES: Final = {"UK": "GB", "EN": "GB"}
_TOML_POSITION: Final = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)\s*$")


@dataclass
class Document:
    """One rules file, validated. `settings` holds only the keys the file sets."""

    settings: dict[str, object] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    lists: dict[str, NamedList] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    score: Score | None = None
    suppress: Suppression = field(default_factory=Suppression)
    dedupe: dict[str, object] = field(default_factory=dict)
    output: dict[str, object] = field(default_factory=dict)
    # The fields its conditions test, for the run to warn of those no input has.
    field_uses: list[FieldUse] = field(default_factory=list)


def reason_of(name: str) -> str:
    """A rule named by a catalogue slug adds that slug; any other adds ``rule.<name>``."""
    return name if name in REASONS else f"rule.{name}"


def parse_document(text: str, source: str, base: Path | None) -> tuple[Document, list[str]]:
    """The document and every problem in it (an empty list when it is usable)."""
    deep = line_too_deep(text, MAX_NESTING)
    if deep is not None:
        return Document(), [
            f"{source}:{deep}: arrays and tables nested more than {MAX_NESTING} deep; "
            "flatten the condition (all = [...] and any = [...] take many parts)"
        ]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = (position.group(1) if position else None) or str(text.count("\n") + 1)
        return Document(), [f"{source}:{line}: invalid TOML: {_TOML_POSITION.sub('', message)}"]
    problems = Problems(source, key_lines(text))
    document = Document()
    for key in data:
        if key not in TOP_LEVEL:
            problems.add((key,), f"unknown table '[{key}]'" + did_you_mean(key, TOP_LEVEL))
    document.settings = _parse_settings(problems, _table(problems, data, "settings"))
    document.columns = _parse_columns(problems, _table(problems, data, "columns"))
    document.lists = parse_lists(problems, _table(problems, data, "lists"), base)
    uses = document.field_uses
    document.rules = _parse_rules(problems, data.get("rules", []), document.lists, uses)
    if "score" in data:
        score_table = _table(problems, data, "score")
        document.score = parse_score(problems, score_table, document.lists, uses)
    document.suppress = parse_suppress(problems, _table(problems, data, "suppress"), base)
    document.dedupe = _parse_dedupe(problems, _table(problems, data, "dedupe"))
    document.output = _parse_output(problems, _table(problems, data, "output"))
    return document, problems.messages()


def _table(problems: Problems, data: Mapping[str, object], key: str) -> Mapping[str, object]:
    value = data.get(key, {})
    if not problems.expect((key,), value, dict, f"a [{key}] table"):
        return {}
    assert isinstance(value, dict)
    return value


def _parse_settings(problems: Problems, table: Mapping[str, object]) -> dict[str, object]:
    problems.unknown_keys(("settings",), table, SETTINGS_KEYS)
    settings: dict[str, object] = {}
    region = table.get("default_region")
    if region is not None and problems.expect(
        ("settings", "default_region"), region, str, 'a region code like "GB" (string)'
    ):
        assert isinstance(region, str)
        code = region.strip().upper()
        regions = sorted(phonenumbers.SUPPORTED_REGIONS)
        if code in phonenumbers.SUPPORTED_REGIONS:
            settings["default_region"] = code
        else:
            hint = (
                f" (did you mean '{_REGION_ALIASES[code]}'?)"
                if code in _REGION_ALIASES
                else did_you_mean(code, regions)
            )
            problems.add(("settings", "default_region"), f"unknown region '{region}'" + hint)
    for key, allowed in (("date_order", DATE_ORDERS), ("undecided", UNDECIDED_ACTIONS)):
        value = table.get(key)
        if value is None or not problems.expect(("settings", key), value, str, "a string"):
            continue
        assert isinstance(value, str)
        if value in allowed:
            settings[key] = Action(value) if key == "undecided" else value
        else:
            problems.add(
                ("settings", key),
                f"unknown {key.replace('_', ' ')} '{value}'" + did_you_mean(value, allowed),
            )
    defaults = table.get("defaults")
    if defaults is not None and problems.expect(
        ("settings", "defaults"), defaults, bool, "true or false"
    ):
        settings["defaults"] = defaults
    return settings


def _parse_dedupe(problems: Problems, table: Mapping[str, object]) -> dict[str, object]:
    """The table as given, once `DedupeConfig` accepts it; its problems get their lines."""
    try:
        DedupeConfig.from_table(table)
    except ConfigError as error:
        for problem in error.problems or [error.message]:
            path, message = _split_key_path(problem, "dedupe")
            problems.add(path, message)
        return {}
    return dict(table)


def _split_key_path(problem: str, table: str) -> tuple[KeyPath, str]:
    """``dedupe.name_mach: unknown key`` -> (("dedupe", "name_mach"), "unknown key")."""
    where, separator, message = problem.partition(": ")
    parts = where.split(".")
    if not separator or parts[0] != table or not all(parts):
        return (table,), problem
    return tuple(parts), message


def _parse_output(problems: Problems, table: Mapping[str, object]) -> dict[str, object]:
    problems.unknown_keys(("output",), table, OUTPUT_CHOICES)
    output: dict[str, object] = {}
    for key, allowed in OUTPUT_CHOICES.items():
        value = table.get(key)
        path: KeyPath = ("output", key)
        if value is None or not problems.expect(path, value, str, "a string"):
            continue
        assert isinstance(value, str)
        if value in allowed:
            output[key] = value
        else:
            problems.add(path, f"unknown {key} '{value}'" + did_you_mean(value, allowed))
    return output


def _parse_columns(problems: Problems, table: Mapping[str, object]) -> dict[str, str]:
    columns: dict[str, str] = {}
    for name, header in table.items():
        path: KeyPath = ("columns", name)
        if name not in FIELDS and name not in CONSENT_POLARITY_KEYS:
            known = (*FIELDS, *CONSENT_POLARITY_KEYS)
            problems.add(path, f"unknown field '{name}'" + did_you_mean(name, known))
        elif problems.expect(path, header, str, "a column header (string)"):
            assert isinstance(header, str)
            if header.strip():
                columns[name] = header
            else:
                problems.add(path, "the header is empty")
    return columns


def _parse_rules(
    problems: Problems, value: object, lists: Lists, uses: list[FieldUse]
) -> list[Rule]:
    if not problems.expect(("rules",), value, list, "[[rules]] tables"):
        return []
    assert isinstance(value, list)
    rules: list[Rule] = []
    first_seen: dict[str, KeyPath] = {}
    for index, entry in enumerate(value):
        path: KeyPath = ("rules", index)
        if not problems.expect(path, entry, dict, "a [[rules]] table"):
            continue
        assert isinstance(entry, dict)
        rule = _parse_rule(problems, path, entry, lists, uses)
        name = entry.get("name")
        if isinstance(name, str):
            if name in first_seen:
                line = problems.line_of((*first_seen[name], "name"))
                problems.add(
                    (*path, "name"), f"duplicate rule name '{name}' (first at line {line})"
                )
                continue
            first_seen[name] = path
        if rule is not None:
            rules.append(rule)
    return rules


def _parse_rule(
    problems: Problems,
    path: KeyPath,
    entry: Mapping[str, object],
    lists: Lists,
    uses: list[FieldUse],
) -> Rule | None:
    problems.unknown_keys(path, entry, RULE_KEYS)
    for required in ("name", "when", "action"):
        if required not in entry:
            problems.add(path, f"missing '{required}'")
    name, action, message = entry.get("name"), entry.get("action"), entry.get("message")
    ok = name is not None and _check_name(problems, (*path, "name"), name)
    if action is not None and problems.expect((*path, "action"), action, str, "a string"):
        assert isinstance(action, str)
        if action not in RULE_ACTIONS:
            problems.add(
                (*path, "action"), f"unknown action '{action}'" + did_you_mean(action, RULE_ACTIONS)
            )
            ok = False
    else:
        ok = False
    if message is not None and not problems.expect((*path, "message"), message, str, "a string"):
        ok = False
    when = (
        parse_condition(problems, (*path, "when"), entry["when"], lists)
        if ("when" in entry)
        else None
    )
    if not ok or when is None:
        return None
    assert isinstance(name, str) and isinstance(action, str)
    uses.extend(field_uses(problems, (*path, "when"), when, f"rule '{name}'"))
    text = message if isinstance(message, str) else None
    return Rule(reason_of(name), compile_condition(when), Action(action), text)


def _check_name(problems: Problems, path: KeyPath, name: object) -> bool:
    if not problems.expect(path, name, str, "a string"):
        return False
    assert isinstance(name, str)
    if name in RESERVED_RULE_NAMES:
        problems.add(path, f"'{name}' is reserved: {RESERVED_RULE_NAMES[name]} adds it")
        return False
    if name not in REASONS and not _RULE_NAME.fullmatch(name):
        hint = did_you_mean(name, REASONS) if "." in name else ""
        problems.add(path, f"bad rule name '{name}': use letters, digits, '-' and '_'{hint}")
        return False
    return True
