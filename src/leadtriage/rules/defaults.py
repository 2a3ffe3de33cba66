"""The two rules texts shipped as package data: the built-in rules and the starter.

``rules_defaults.toml`` is what applies without --rules (``leadtriage rules show``);
``rules_starter.toml`` is the commented file ``leadtriage rules init`` writes.
"""

from __future__ import annotations

from leadtriage.data_files import data_text

DEFAULTS_FILE = "rules_defaults.toml"
STARTER_FILE = "rules_starter.toml"
DEFAULTS_SOURCE = "<built-in rules>"


def default_rules_text() -> str:
    """The built-in rules, as TOML a user can copy."""
    return data_text(DEFAULTS_FILE)


def starter_rules_text() -> str:
    """A commented rules file to start from."""
    return data_text(STARTER_FILE)
