"""Progress for a person watching a long run: stages with counts on a terminal's
stderr, never with -q, --json or when stderr is not a terminal."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from rich.progress import Progress as RichProgress
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.normalize import NormalizeSettings
from leadtriage.normalize import stages as normalise_stages
from leadtriage.pipeline import (
    FIELDS_NORMALISED,
    PAIRS_SCORED,
    ROWS_READ,
    ROWS_WRITTEN,
    clean,
)
from leadtriage.render import ProgressDisplay

EXAMPLE = Path(__file__).parents[1] / "examples" / "campaign.csv"
runner = CliRunner()
TERMINAL = {"TTY_COMPATIBLE": "1", "TERM": "xterm-256color", "COLUMNS": "120"}


def test_the_pipeline_reports_each_counted_stage(tmp_path: Path) -> None:
    calls: list[tuple[str, int | None, int | None]] = []

    def record(stage: str, done: int | None = None, total: int | None = None, /) -> None:
        calls.append((stage, done, total))

    _, summary = clean([str(EXAMPLE)], tmp_path / "out", progress=record)
    rows = summary["rows_in"]
    pairs = summary["dedupe"]["candidate_pairs"]  # type: ignore[index]
    assert isinstance(rows, int) and rows > 0 and pairs > 0
    fields = len(normalise_stages(NormalizeSettings()))
    finals = {stage: (done, total) for stage, done, total in calls if total is not None}
    assert finals == {
        ROWS_READ: (rows, rows),
        FIELDS_NORMALISED: (fields, fields),
        PAIRS_SCORED: (pairs, pairs),
        ROWS_WRITTEN: (rows, rows),
    }
    # Normalisation counts every field as it is done, so a person sees it move.
    normalising = [(done, total) for stage, done, total in calls if stage == FIELDS_NORMALISED]
    assert normalising == [(done, fields) for done in range(fields + 1)]
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages.index(ROWS_READ) < stages.index(PAIRS_SCORED) < stages.index(ROWS_WRITTEN)
    assert (ROWS_WRITTEN, 0, rows) in calls  # started before the write, done after


def test_a_stage_alone_still_works_and_ends_when_the_next_starts() -> None:
    bars = RichProgress(console=Console(file=io.StringIO()), auto_refresh=False)
    display = ProgressDisplay(bars)
    display("matching the CRM export")  # the old call, stage name only
    [crm] = bars.tasks
    assert not crm.finished and not crm.fields["counted"]
    display(FIELDS_NORMALISED, 0, 9)
    assert crm.finished  # a stage without counts ends when another starts
    display("applying rules")
    normalised = bars.tasks[1]
    assert not normalised.finished  # a counted stage ends with its count
    display(FIELDS_NORMALISED, 9, 9)
    assert normalised.finished and normalised.fields["counted"]


def test_progress_is_drawn_on_a_terminal(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    result = runner.invoke(app, ["clean", str(EXAMPLE), "-o", out], env=TERMINAL)
    assert result.exit_code == 0, result.stderr
    assert "rows read" in result.stderr and "rows written" in result.stderr
    assert "174/174" in result.stderr


@pytest.mark.parametrize(
    ("flags", "env"),
    [(["-q"], TERMINAL), (["--json"], TERMINAL), ([], {"TTY_COMPATIBLE": "0"})],
    ids=["quiet", "json", "not-a-terminal"],
)
def test_no_progress_when_quiet_json_or_not_a_terminal(
    tmp_path: Path, flags: list[str], env: dict[str, str]
) -> None:
    result = runner.invoke(
        app, ["clean", str(EXAMPLE), "-o", str(tmp_path / "out"), *flags], env=env
    )
    assert result.exit_code == 0, result.stderr
    assert "rows read" not in result.stderr and "rows read" not in result.stdout
    if "--json" in flags:
        assert json.loads(result.stdout)["rows_in"] == 174
