"""Named value lists (``[lists]``): inline arrays or files, compared normalised.

A list keeps its values as written, with where each was written: a rule comparing a
field of a fixed form (a country code, a domain) reads them into that form first
(`rules.values`), and names a value it cannot read by its place in the file.

Normalised means trimmed, in Unicode NFC and case-folded, by Polars itself: the same
expression the conditions apply to the frame's columns, so a list value and a cell
agree exactly. NFC, because a macOS export writes "Universität" decomposed; case
folding rather than lowercasing, because "STRASSE" and "straße" are one word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from leadtriage.rules.problems import KeyPath, Problems

LIST_KEYS = ("file",)


def normalised(expr: pl.Expr) -> pl.Expr:
    """A cell as lists and text tests compare it: text, trimmed, in NFC, case-folded
    (what ``str.casefold`` gives of the NFC form)."""
    composed = expr.cast(pl.String).str.strip_chars().str.normalize("NFC")
    # Polars can only lowercase; case folding is lowercasing and then a fixed set of
    # characters folded apart, as ß to ss and final ς to σ.
    return composed.str.to_lowercase().str.replace_many(_folds_beyond_lowercase())


@cache
def _folds_beyond_lowercase() -> dict[str, str]:
    """Each character lowercasing keeps but case folding changes, and its fold.

    Only the Basic Multilingual Plane is scanned: every such character of the Unicode
    version Python ships lies in it (the last is U+FB17); a test checks every plane.
    """
    chars = (chr(point) for point in range(0x10000) if not 0xD800 <= point < 0xE000)
    return {char: char.casefold() for char in chars if char.lower() == char != char.casefold()}


def normalise_values(values: Iterable[str]) -> tuple[str, ...]:
    """Distinct non-blank values, normalised as `normalised` does, in first-seen order."""
    series = pl.Series("value", list(values), dtype=pl.String)
    cleaned = series.to_frame().select(normalised(pl.col("value"))).to_series()
    return tuple(dict.fromkeys(v for v in cleaned.to_list() if v))


@dataclass(frozen=True)
class Written:
    """A value as the rules file gives it, and where: `at` is its key path; a value of a
    list file also has the file's name (as the rules file gives it) and its line there.
    `listed`: it is in ``[lists]``, so a problem with it names the list, not a rule."""

    text: str
    at: KeyPath
    file: str | None = None
    line: int = 0
    listed: bool = False


@dataclass(frozen=True)
class NamedList:
    """A ``[lists]`` entry: its values as written, in order, and where they came from."""

    name: str
    values: tuple[str, ...] = ()
    file: str | None = None
    lines: tuple[int, ...] = ()

    def written(self) -> list[Written]:
        if self.file is not None:
            at: KeyPath = ("lists", self.name, "file")
            return [
                Written(value, at, self.file, line, listed=True)
                for value, line in zip(self.values, self.lines, strict=True)
            ]
        return [
            Written(value, ("lists", self.name, index), listed=True)
            for index, value in enumerate(self.values)
        ]


Lists = Mapping[str, NamedList]


@dataclass(frozen=True)
class ListFile:
    """The lines of a list file that count (no blanks, no ``#`` comment lines), trimmed,
    with their 1-based line numbers."""

    path: Path
    values: tuple[str, ...]
    lines: tuple[int, ...]


def read_list_file(path: Path) -> ListFile:
    """One value a line; a line whose first non-blank character is ``#`` is a comment."""
    kept = [
        (number, line.strip())
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
        if line.strip() and not line.strip().startswith("#")
    ]
    return ListFile(path, tuple(v for _, v in kept), tuple(n for n, _ in kept))


def resolve(base: Path | None, name: str) -> Path:
    """A path from a rules file, relative to the folder of that file."""
    path = Path(name).expanduser()
    return path if path.is_absolute() or base is None else base / path


def not_a_file(name: str, file: Path) -> str:
    """The problem with a list file `name` (found at `file`) that is no file."""
    if file.is_dir():
        return f"'{name}' is a folder, not a file ({file})"
    return f"file '{name}' not found (looked for {file})"


def load_list_file(
    problems: Problems, path: KeyPath, name: object, base: Path | None
) -> ListFile | None:
    """The list file `name` (a key at `path`), or None after a problem."""
    if not problems.expect(path, name, str, "a file path (string)"):
        return None
    assert isinstance(name, str)
    file = resolve(base, name)
    if not file.is_file():
        problems.add(path, not_a_file(name, file))
        return None
    try:
        return read_list_file(file)
    except (OSError, UnicodeDecodeError) as error:
        problems.add(path, f"cannot read '{name}': {type(error).__name__}")
        return None


def load_file_values(
    problems: Problems, path: KeyPath, name: object, base: Path | None
) -> list[str] | None:
    """The values of the list file `name` (a key at `path`), or None after a problem."""
    listed = load_list_file(problems, path, name, base)
    return None if listed is None else list(listed.values)


def parse_value_array(problems: Problems, path: KeyPath, value: object) -> list[str] | None:
    """An inline array of strings or numbers, as text; None after a problem."""
    if not problems.expect(path, value, list, "an array of values"):
        return None
    assert isinstance(value, list)
    texts: list[str] = []
    for index, item in enumerate(value):
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            texts.append(str(item))
        else:
            problems.expect((*path, index), item, (str, int, float), "a string or number")
    return texts


def parse_lists(
    problems: Problems, table: Mapping[str, object], base: Path | None
) -> dict[str, NamedList]:
    """``[lists]``: name = [values] or name = { file = "path" }, as written."""
    lists: dict[str, NamedList] = {}
    for name, value in table.items():
        path: KeyPath = ("lists", name)
        if isinstance(value, dict):
            problems.unknown_keys(path, value, LIST_KEYS)
            if "file" not in value:
                problems.add(path, 'a list table needs file = "path" (or give an array)')
                continue
            listed = load_list_file(problems, (*path, "file"), value["file"], base)
            # A list that failed still exists, so the rules naming it add no follow-on
            # problems.
            lists[name] = (
                NamedList(name)
                if listed is None
                else NamedList(name, listed.values, str(value["file"]), listed.lines)
            )
        else:
            values = parse_value_array(problems, path, value)
            lists[name] = NamedList(name, tuple(values or ()))
    return lists
