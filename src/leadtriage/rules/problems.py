"""Problems found in a rules file, each with its line, key path and a suggestion.

Every problem is collected, none raised on sight, so the user fixes them all in one
pass. The shape is fixed: ``rules.toml:14: rules[2].when: unknown field 'contry'
(did you mean 'country'?)``. Array indices in key paths count from 1, like the
``[[rules]]`` tables a person reads in the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sized
from dataclasses import dataclass, field

KeyPath = tuple[str | int, ...]


def format_path(path: KeyPath) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else part
    return text


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, else the options when few."""
    choices = list(options)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    if 0 < len(choices) <= 8:
        return " (expected one of: " + ", ".join(choices) + ")"
    return ""


def problem_count(problems: Sized) -> str:
    """``1 problem`` / ``3 problems``: the headline of a rules file's problems."""
    return f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")


def type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return "a date"
    return type(value).__name__


@dataclass
class Problems:
    """Collects problems for one rules file; `lines` maps key paths to their line."""

    source: str
    lines: Mapping[KeyPath, int] = field(default_factory=dict)
    _found: list[tuple[int, int, str]] = field(default_factory=list)

    def line_of(self, path: KeyPath) -> int:
        """The line of `path`, or of its nearest ancestor the file spells out."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1

    def where(self, path: KeyPath, *, at: KeyPath | None = None) -> str:
        """``rules.toml:14: rules[2].when``: the file, line and key of `path` (the line
        taken from `at` when given)."""
        return self._where(self.line_of(at if at is not None else path), path)

    def _where(self, line: int, path: KeyPath) -> str:
        key = format_path(path)
        return f"{self.source}:{line}: {key}" if key else f"{self.source}:{line}"

    def add(self, path: KeyPath, message: str, *, at: KeyPath | None = None) -> None:
        """A problem at key `path`; `at` is a more precise key to take the line from."""
        line = self.line_of(at if at is not None else path)
        text = f"{self._where(line, path)}: {message}"
        # One list read by several rules would otherwise report its value once a rule.
        if all(found != text for _, _, found in self._found):
            self._found.append((line, len(self._found), text))

    def expect(
        self, path: KeyPath, value: object, kind: type | tuple[type, ...], what: str
    ) -> bool:
        """True when `value` is of `kind` (bool is never an int here); else a problem."""
        kinds = kind if isinstance(kind, tuple) else (kind,)
        is_bool = isinstance(value, bool)
        if isinstance(value, kinds) and (bool in kinds or not is_bool):
            return True
        self.add(path, f"expected {what}, got {type_name(value)}")
        return False

    def unknown_keys(
        self, path: KeyPath, table: Mapping[str, object], known: Iterable[str], what: str = "key"
    ) -> None:
        allowed = list(known)
        for key in table:
            if key not in allowed:
                self.add(
                    path, f"unknown {what} '{key}'" + did_you_mean(key, allowed), at=(*path, key)
                )

    def __bool__(self) -> bool:
        return bool(self._found)

    def messages(self) -> list[str]:
        return [text for _, _, text in sorted(self._found)]
