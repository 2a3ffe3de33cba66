"""What the ledger says about a run and about itself: plain data for the CLI to render.

A run is known by its content: the SHA-256 of every input file's bytes, in input order,
and the hash of the rules it ran with. Two runs with the same `run_hash` are the same run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

_READ_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks so big exports stay out of memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def bytes_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class InputFile:
    """One input of a run: `name` is the `source_file` value its rows carry."""

    name: str
    sha256: str


@dataclass(frozen=True)
class RunInfo:
    """The identity of a run, built before it starts and handed to `identify` and `commit`.

    `rules_hash` is any stable digest of the rules in force (e.g. ``bytes_sha256`` of the
    rules file, or of the defaults' description): a rerun with other rules is another run.
    """

    inputs: tuple[InputFile, ...]
    rules_hash: str
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def for_files(
        cls, paths: Iterable[Path], *, rules_hash: str, started_at: datetime | None = None
    ) -> RunInfo:
        inputs = tuple(InputFile(name=str(path), sha256=file_sha256(path)) for path in paths)
        return cls(inputs=inputs, rules_hash=rules_hash, started_at=started_at or datetime.now(UTC))

    @property
    def run_hash(self) -> str:
        # File names are left out on purpose: a renamed copy of the same bytes is a rerun.
        digest = hashlib.sha256()
        for item in self.inputs:
            digest.update(f"input:{item.sha256}\n".encode())
        digest.update(f"rules:{self.rules_hash}\n".encode())
        return digest.hexdigest()

    @property
    def seen_on(self) -> date:
        return self.started_at.astimezone(UTC).date()


@dataclass(frozen=True)
class RunRecord:
    """A committed run as the ledger remembers it."""

    run_id: int
    run_hash: str
    seen_on: date
    committed_at: datetime
    rules_hash: str
    inputs: tuple[InputFile, ...]
    rows: int
    accepted: int
    review: int
    rejected: int
    people_new: int
    people_seen: int
    rows_suppressed: int


@dataclass(frozen=True)
class LedgerStats:
    path: Path
    schema_version: int
    size_bytes: int
    people: int
    runs: int
    suppressions: int
    # People per source (a person seen through several sources counts in each).
    sources: dict[str, int]
    last_run: RunRecord | None
