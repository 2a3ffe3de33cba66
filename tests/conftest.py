"""Fixtures shared by more than one test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from leadtriage import spill
from leadtriage.spill import SetAside, Spill


@pytest.fixture
def spilled_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[Path]]:
    """Every run spills (spill.py's thresholds at 0: the frame parked while the matcher
    works too) into a folder under tmp_path/spill; the list gathers the folders the
    runs wrote their set-aside columns to."""
    parent = tmp_path / "spill"
    parent.mkdir()
    monkeypatch.setattr(spill, "MIN_CELLS", 0)
    monkeypatch.setattr(spill, "PARK_MIN_ROWS", 0)
    seen: list[Path] = []
    original = Spill.set_aside

    def recording(
        self: Spill, frame: pl.DataFrame, names: list[str]
    ) -> tuple[pl.DataFrame, SetAside]:
        narrow, aside = original(self, frame, names)
        if aside.path is not None:
            assert aside.path.is_file()
            seen.append(aside.path.parent)
        return narrow, aside

    monkeypatch.setattr(Spill, "set_aside", recording)
    monkeypatch.setenv("TMPDIR", str(parent))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    yield seen
