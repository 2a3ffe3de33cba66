"""Nickname groups: Bob and Robert, Bill and William, Kate and Katherine."""

from __future__ import annotations

from functools import cache

from leadtriage.data_files import data_lines

NICKNAMES_FILE = "dedupe_nicknames.txt"


@cache
def nickname_groups() -> dict[str, tuple[int, ...]]:
    """Each known given name -> the ids of the groups it belongs to (sorted)."""
    groups: dict[str, list[int]] = {}
    names_per_group = [line.split() for line in data_lines(NICKNAMES_FILE)]
    for group_id, names in enumerate(names_per_group):
        for name in names:
            if group_id not in groups.setdefault(name, []):
                groups[name].append(group_id)
    return {name: tuple(ids) for name, ids in groups.items()}
