"""The ``[dedupe]`` table of the rules file: thresholds and which evidence counts.

Merging is decided by a match probability the model learns from each run
(``dedupe.model``); the two probability thresholds were set on the tuning half of
``bench/dedupe_generate.py`` and checked on its held-out half and on FEBRL. False
merges cost more than misses, so merging needs a high probability and the band
below it goes to review: 0.9 (on the tuning half, 0.99 left right CRM links undone and
0.7 began to make wrong ones), and from 0.2, so that the band holds the pairs truly in
doubt, not mostly merges the tool did not dare to make.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Final

from leadtriage.dedupe.comparisons import COMPARE_KINDS
from leadtriage.errors import ConfigError

EVIDENCE_KINDS: Final[tuple[str, ...]] = ("email", "phone", "company", "domain")
SURVIVOR_CRITERIA: Final[tuple[str, ...]] = ("complete", "newest", "first_seen")


@dataclass(frozen=True)
class DedupeConfig:
    """How rows are matched, clustered and merged.

    - ``evidence``: which kinds of evidence may merge rows: ``email`` (same email
      match key), ``phone`` (same E.164 number and similar names), ``company`` (similar
      names and the same company key), ``domain`` (similar names and the same business
      email domain).
    - ``match_probability``: pairs at or above this probability of being one
      person merge; ``possible_probability``: from this up to it they are flagged
      ``duplicate.possible`` for review.
    - ``compare``: more columns to compare, each with a kind (``exact``, ``name``,
      ``text``, ``date``, ``number``): ``{ city = "text", postcode = "exact" }``. Rows
      sharing one of their values and a name token become candidate pairs.
    - ``max_block_size``: blocks (rows sharing one blocking key) larger than this are
      skipped: a key that many rows share (a switchboard, a conference address) is no
      evidence, and comparing all its pairs would be quadratic.
    - ``survivor_order``: the criteria that pick a cluster's survivor, in order.
    - ``household_guard``: rows that share only compared columns (a postal address)
      and whose first names differ are a household, never merged (the guard a shared
      email or phone has); false for lists whose records an address identifies
      whatever their names say (census-like data such as FEBRL).
    """

    enabled: bool = True
    evidence: tuple[str, ...] = EVIDENCE_KINDS
    match_probability: float = 0.9
    possible_probability: float = 0.2
    compare: Mapping[str, str] = field(default_factory=dict)
    max_block_size: int = 1000
    survivor_order: tuple[str, ...] = SURVIVOR_CRITERIA
    household_guard: bool = True

    @classmethod
    def from_table(cls, table: Mapping[str, object], key_path: str = "dedupe") -> DedupeConfig:
        """Read the ``[dedupe]`` table; every problem is reported at once with its key
        path (``dedupe.match_probability``) and, for unknown keys, a did-you-mean."""
        known = {f.name for f in fields(cls)}
        problems: list[str] = []
        values: dict[str, object] = {}
        for key, value in table.items():
            path = f"{key_path}.{key}"
            if key not in known:
                problems.append(_unknown_key(path, key, known))
                continue
            checked = _check_value(key, value, path, problems)
            if checked is not None:
                values[key] = checked
        if not problems:
            config = cls(**values)  # type: ignore[arg-type]
            problems.extend(_check_consistency(config, key_path))
        if problems:
            raise ConfigError(
                f"invalid [{key_path}] table in the rules file",
                problems=problems,
                hint="see the dedupe section of the README for the keys and their ranges",
            )
        return cls(**values)  # type: ignore[arg-type]


DEFAULT_CONFIG: Final = DedupeConfig()

_THRESHOLDS: Final = ("match_probability", "possible_probability")


# Keys of older versions -> the key that now does their job, suggested in their error:
# the ledger's name tiers were the last users of the name thresholds.
_REPLACED: Final = {"name_match": "match_probability", "name_part_floor": "match_probability"}


def _unknown_key(path: str, key: str, known: set[str]) -> str:
    close = (
        [_REPLACED[key]] if key in _REPLACED else difflib.get_close_matches(key, sorted(known), n=1)
    )
    suggestion = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{path}: unknown key{suggestion}"


def _check_value(key: str, value: object, path: str, problems: list[str]) -> object | None:
    if key in ("enabled", "household_guard"):
        if not isinstance(value, bool):
            problems.append(f"{path}: must be true or false")
            return None
        return value
    if key in _THRESHOLDS:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            problems.append(f"{path}: must be a number from 0 to 1")
            return None
        return float(value)
    if key == "compare":
        return _check_compare(value, path, problems)
    if key == "max_block_size":
        if isinstance(value, bool) or not isinstance(value, int) or value < 2:
            problems.append(f"{path}: must be a whole number of at least 2")
            return None
        return value
    allowed = EVIDENCE_KINDS if key == "evidence" else SURVIVOR_CRITERIA
    return _check_choices(value, allowed, path, problems)


def _check_choices(
    value: object, allowed: tuple[str, ...], path: str, problems: list[str]
) -> tuple[str, ...] | None:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        problems.append(f"{path}: must be a list of names from {', '.join(allowed)}")
        return None
    bad = [v for v in value if v not in allowed]
    for name in bad:
        close = difflib.get_close_matches(name, allowed, n=1)
        suggestion = f" (did you mean '{close[0]}'?)" if close else ""
        problems.append(f"{path}: unknown value '{name}'{suggestion}")
    if len(set(value)) != len(value):
        problems.append(f"{path}: lists a name twice")
    return None if bad else tuple(value)


def _check_compare(value: object, path: str, problems: list[str]) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        problems.append(f'{path}: must be a table of column = kind, e.g. {{ city = "text" }}')
        return None
    found = len(problems)
    for column, kind in value.items():
        if not isinstance(kind, str) or kind not in COMPARE_KINDS:
            close = difflib.get_close_matches(str(kind), COMPARE_KINDS, n=1)
            suggestion = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                f"{path}.{column}: unknown kind '{kind}'{suggestion}; "
                f"use one of {', '.join(COMPARE_KINDS)}"
            )
    return None if len(problems) > found else {str(k): str(v) for k, v in value.items()}


def _check_consistency(config: DedupeConfig, key_path: str) -> list[str]:
    problems = []
    if config.possible_probability > config.match_probability:
        problems.append(f"{key_path}.possible_probability: must not exceed match_probability")
    return problems
