"""Nickname groups: Bob and Robert, Bill and William, Kate and Katherine."""

from __future__ import annotations

from functools import cache
from importlib import resources

NICKNAMES_FILE = "dedupe_nicknames.txt"


@cache
def nickname_groups() -> dict[str, tuple[int, ...]]:
    """Each known given name -> the ids of the groups it belongs to (sorted)."""
    text = resources.files("leadtriage.data").joinpath(NICKNAMES_FILE).read_text("utf-8")
    groups: dict[str, list[int]] = {}
    lines = (line.strip() for line in text.splitlines())
    names_per_group = [line.split() for line in lines if line and not line.startswith("#")]
    for group_id, names in enumerate(names_per_group):
        for name in names:
            if group_id not in groups.setdefault(name, []):
                groups[name].append(group_id)
    return {name: tuple(ids) for name, ids in groups.items()}
