"""Header names that are really contact data (a headerless file's first row) never
reach stderr or summary.json: they are masked as `inspect` masks them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from leadtriage.cli import app

runner = CliRunner()
PERSON = ("jane.doe@acme.example", "+1 415 555 0132")


def _headerless(tmp_path: Path) -> Path:
    """A badge-scanner CSV saved without its header row: the first line is a person."""
    path = tmp_path / "badge_scans.csv"
    path.write_text(
        f"{PERSON[0]},{PERSON[1]},Jane Doe,Acme Inc\n"
        "raj.patel@acme.example,+1 415 555 0199,Raj Patel,Acme Inc\n",
        encoding="utf-8",
    )
    return path


def test_contact_data_in_headers_is_masked_in_the_summary_and_on_stderr(tmp_path: Path) -> None:
    path = _headerless(tmp_path)
    out = tmp_path / "out"
    json_run = runner.invoke(app, ["clean", str(path), "--json", "-o", str(out)])
    assert json_run.exit_code == 0, json_run.stderr
    shown = runner.invoke(app, ["clean", str(path), "-o", str(out), "--force"])
    assert shown.exit_code == 0, shown.stderr
    written = (out / "summary.json").read_text(encoding="utf-8")
    for text in (json_run.stdout, json_run.stderr, shown.stderr, written):
        for value in PERSON:
            assert value not in text
    # the reader keeps the first line as a person, under neutral column names
    assert '"rows_in": 2' in written
