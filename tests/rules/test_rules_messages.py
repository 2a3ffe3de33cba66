"""A rule's `message` says what its reason means: in summary.json and the summary table."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from leadtriage.cli import app


def test_messages_of_rules_that_fired_reach_the_summary(tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "Email,First Name,Last Name,Company\nann@rival.example.com,Ann,Lee,Rival\n"
        "bo@acme.com,Bo,Park,Acme\n",
        encoding="utf-8",
    )
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rules]]\nname = "competitor"\nwhen = { field = "company", equals = "rival" }\n'
        'action = "review"\nmessage = "works for a competitor"\n\n'
        '[[rules]]\nname = "never"\nwhen = { field = "company", equals = "nobody" }\n'
        'action = "reject"\nmessage = "not seen in this run"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["clean", str(leads), "--rules", str(rules), "-o", str(out), "--verbose"]
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rule_messages"] == {"rule.competitor": "works for a competitor"}
    line = next(row for row in result.stderr.splitlines() if "rule.competitor" in row)
    assert "works for a competitor" in line
