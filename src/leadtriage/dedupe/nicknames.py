"""Nickname groups: Bob and Robert, Bill and William, Kate and Katherine.

Two sources, merged: our own multilingual file (German, French, Spanish, Italian and
Dutch diminutives beside English ones) and the `nicknames` package's hand-curated
English list (about 1,100 formal names with their nicknames, bundled as a CSV, so no
network), one group per formal name. A name in several groups keeps every group id,
so Ron meets both Ronald and Aaron, but Ronald does not meet Aaron.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import cache

import nicknames

from leadtriage.data_files import data_lines

NICKNAMES_FILE = "dedupe_nicknames.txt"

# The package writes a few initials with dots ("k.c."); name features drop
# punctuation the same way, so both spell it "kc".
_NOT_A_LETTER = re.compile(r"[^a-z]")


def _package_groups() -> Iterator[list[str]]:
    """The package's names, one group per formal name: [formal, nickname, ...]."""
    groups: dict[str, list[str]] = {}
    with nicknames.with_names_csv_path() as path, path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["relationship"] != "has_nickname":
                continue
            formal = _NOT_A_LETTER.sub("", row["name1"].lower())
            nickname = _NOT_A_LETTER.sub("", row["name2"].lower())
            if formal and nickname:
                groups.setdefault(formal, [formal]).append(nickname)
    yield from groups.values()


@cache
def nickname_groups() -> dict[str, tuple[int, ...]]:
    """Each known given name -> the ids of the groups it belongs to (sorted)."""
    groups: dict[str, list[int]] = {}
    names_per_group = [line.split() for line in data_lines(NICKNAMES_FILE)]
    names_per_group.extend(_package_groups())
    for group_id, names in enumerate(names_per_group):
        for name in names:
            if group_id not in groups.setdefault(name, []):
                groups[name].append(group_id)
    return {name: tuple(ids) for name, ids in groups.items()}
