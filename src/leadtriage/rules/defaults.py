"""The two rules texts shipped as package data: the built-in rules and the starter.

``rules_defaults.toml`` is what applies without --rules (``leadtriage rules show``);
``rules_starter.toml`` is the commented file ``leadtriage rules init`` writes.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

DEFAULTS_FILE = "rules_defaults.toml"
STARTER_FILE = "rules_starter.toml"
DEFAULTS_SOURCE = "<built-in rules>"


@cache
def _data_text(name: str) -> str:
    return resources.files("leadtriage").joinpath("data", name).read_text("utf-8")


def default_rules_text() -> str:
    """The built-in rules, as TOML a user can copy."""
    return _data_text(DEFAULTS_FILE)


def starter_rules_text() -> str:
    """A commented rules file to start from."""
    return _data_text(STARTER_FILE)
