"""Qualification rules: a TOML file -> typed, validated config -> Polars expressions.

from leadtriage.rules import load_rules, apply_rules
routed = apply_rules(lf, load_rules(Path("rules.toml")))   # None: built-in rules
"""

from leadtriage.rules.apply import apply_rules
from leadtriage.rules.defaults import default_rules_text, starter_rules_text
from leadtriage.rules.load import (
    RuleSet,
    Settings,
    applied_rules,
    check_rules,
    load_rules,
    rule_messages,
)

__all__ = [
    "RuleSet",
    "Settings",
    "applied_rules",
    "apply_rules",
    "check_rules",
    "default_rules_text",
    "load_rules",
    "rule_messages",
    "starter_rules_text",
]
