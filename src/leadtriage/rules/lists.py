"""Named value lists (``[lists]``): inline arrays or files, compared normalised.

Normalised means trimmed and lowercased by Polars itself, the same expression the
conditions apply to the frame's columns, so a list value and a cell agree exactly
(Python's ``str.lower`` and Rust's differ on a few letters).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from leadtriage.rules.problems import KeyPath, Problems

LIST_KEYS = ("file",)


def normalised(expr: pl.Expr) -> pl.Expr:
    """A cell as lists and text tests compare it: text, trimmed, lowercased."""
    return expr.cast(pl.String).str.strip_chars().str.to_lowercase()


def normalise_values(values: Iterable[str]) -> tuple[str, ...]:
    """Distinct non-blank values, normalised as `normalised` does, in first-seen order."""
    series = pl.Series("value", list(values), dtype=pl.String)
    cleaned = series.to_frame().select(normalised(pl.col("value"))).to_series()
    return tuple(dict.fromkeys(v for v in cleaned.to_list() if v))


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


def load_list_file(
    problems: Problems, path: KeyPath, name: object, base: Path | None
) -> ListFile | None:
    """The list file `name` (a key at `path`), or None after a problem."""
    if not problems.expect(path, name, str, "a file path (string)"):
        return None
    assert isinstance(name, str)
    file = resolve(base, name)
    if not file.is_file():
        problems.add(path, f"file '{name}' not found (looked for {file})")
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
) -> dict[str, tuple[str, ...]]:
    """``[lists]``: name = [values] or name = { file = "path" }, normalised."""
    lists: dict[str, tuple[str, ...]] = {}
    for name, value in table.items():
        path: KeyPath = ("lists", name)
        values: list[str] | None
        if isinstance(value, dict):
            problems.unknown_keys(path, value, LIST_KEYS)
            if "file" not in value:
                problems.add(path, 'a list table needs file = "path" (or give an array)')
                continue
            values = load_file_values(problems, (*path, "file"), value["file"], base)
        else:
            values = parse_value_array(problems, path, value)
        # A list that failed still exists, so the rules naming it add no follow-on problems.
        lists[name] = normalise_values(values) if values is not None else ()
    return lists
