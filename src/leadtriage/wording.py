"""How counts are written for a person: one place, so every message agrees."""

from __future__ import annotations


def count_of(number: int, one: str, many: str) -> str:
    """`number` with the word for one or for many: "1 row", "2,500 rows"."""
    return f"{number:,} {one if number == 1 else many}"
