"""The README documents what users rely on: every reason slug, the contract columns."""

from __future__ import annotations

from pathlib import Path

from leadtriage.frame import TRACEABILITY
from leadtriage.reasons import REASONS

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_reason_slug_is_documented_with_an_example() -> None:
    for slug in REASONS:
        row = next((line for line in README.splitlines() if line.startswith(f"| `{slug}` |")), "")
        assert row.count("|") == 4 and row.split("|")[3].strip(), slug


def test_contract_columns_are_documented() -> None:
    for column in TRACEABILITY:
        assert f"| `{column}` |" in README, column


def test_readme_opens_with_the_two_commands_ci_runs() -> None:
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    blocks = README.split("```sh\n")
    install_and_run, tests = blocks[1].split("\n```")[0], blocks[2].split("\n```")[0]
    assert "leadtriage clean examples/campaign.csv" in install_and_run
    assert tests in ci
