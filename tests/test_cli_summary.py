"""The summary a person reads after a run: short by default, everything with
--verbose or in summary.json; no styling under NO_COLOR."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.columns import ColumnMapping
from leadtriage.io import workbook
from leadtriage.render import render_summary
from leadtriage.report import Summary

EXAMPLE = Path(__file__).parents[1] / "examples" / "campaign.csv"
CRM = EXAMPLE.with_name("crm.csv")
runner = CliRunner()
SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour, bold, italic, dim ...


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _run(*args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, ["clean", str(EXAMPLE), "-o", "out", "--force", *args], env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # the summary is for people: stderr
    return result.stderr


def test_default_summary_is_short_and_says_what_needs_a_person() -> None:
    text = _run()
    summary = json.loads(Path("out/summary.json").read_text(encoding="utf-8"))
    lines = text.splitlines()
    assert lines[0] == f"leadtriage: {summary['rows_in']} rows from {EXAMPLE}"
    for name, count in summary["outputs"].items():
        assert re.search(rf"^\s+{name}\s+{count}\s+out/{name}\.csv\s*$", text, re.M), name
    top = next(line for line in lines if line.startswith("top reasons: "))
    assert top.startswith("top reasons: email.free 28, consent.no 16, ")
    assert top.count(",") == 4 and top.endswith(f"(+{len(summary['reasons']) - 5} more)")
    assert (
        f"needs a person: {summary['outputs']['review']} rows in review; "
        "type accept or reject in out/review.xlsx, then run" in lines
    )
    assert "  leadtriage review apply out out/review.xlsx" in lines
    # the mapping, the pass-through list and the pair counts wait for --verbose
    assert "E-mail Address" not in text and "passed through" not in text
    assert "candidate pairs" not in text and "into" not in text
    assert len(lines) <= 12


def test_duplicates_line_says_rows_repeat_people() -> None:
    text = _run()
    assert "duplicates: 3 rows repeat 3 people kept once (duplicate)\n" in text


def test_the_summary_names_the_rules_that_ran() -> None:
    _run()
    ran = json.loads(Path("out/summary.json").read_text(encoding="utf-8"))["rules"]
    assert ran["file"] is None and ran["defaults"] is True
    assert ran["applied"]["duplicate"] == "reject"
    assert ran["applied"]["email.free"] == "tag"


def test_without_the_built_in_rules_no_built_in_is_said_to_have_run(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[settings]\ndefaults = false\n\n[[rules]]\nname = "unasked"\n'
        'when = { field = "consent", equals = "unknown" }\naction = "review"\n',
        encoding="utf-8",
    )
    text = _run("--rules", str(rules))
    ran = json.loads(Path("out/summary.json").read_text(encoding="utf-8"))["rules"]
    assert ran == {
        "file": str(rules),
        "defaults": False,
        # [suppress] and do-not-contact inputs still apply: suppression is no default.
        "applied": {"suppressed": "reject", "rule.unasked": "review"},
    }
    # No duplicate rule ran: the repeats were found, not removed.
    assert "kept once" not in text
    assert "duplicates: 3 rows repeat 3 people, not removed: no rule acts on duplicate\n" in text


def test_a_duplicate_rule_replaced_by_the_file_says_where_repeats_went(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rules]]\nname = "duplicate"\nwhen = { flag = "duplicate" }\naction = "review"\n',
        encoding="utf-8",
    )
    text = _run("--rules", str(rules))
    assert "duplicates: 3 rows repeat 3 people, sent to review (duplicate)\n" in text


def test_duplicates_line_counts_possible_repeats_in_plain_words(tmp_path: Path) -> None:
    """One exact repeat, and a namesake at the same company with another, numbered
    address and another phone: a merge for the first, a person's look for the second."""
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "First Name,Last Name,Email,Phone,Company\n"
        "Anna,Schmidt,anna.schmidt@acme.de,+49 30 1234567,Acme GmbH\n"
        "Anna,Schmidt,aschmidt2@acme.de,+49 30 7654321,Acme GmbH\n"
        "Anna,Schmidt,anna.schmidt@acme.de,+49 30 1234567,Acme GmbH\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["clean", str(leads), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert (
        "duplicates: 1 row repeats 1 person kept once (duplicate); "
        "2 rows may be repeats (duplicate.possible)"
    ) in result.stderr


def test_verbose_adds_inputs_mapping_every_reason_and_pairs() -> None:
    text = _run("--verbose", "--crm", str(CRM))
    summary = json.loads(Path("out/summary.json").read_text(encoding="utf-8"))
    assert "E-mail Address" in text and "passed through unchanged: Notes" in text
    for reason in summary["reasons"]:
        assert re.search(rf"^\s*{re.escape(reason)}\s", text, re.M), reason
    assert "candidate pairs compared" in text and "output profile: generic" in text
    assert "CRM updates: 3 rows match one of 3 records (crm.existing)\n" in text
    assert "top reasons" not in text


def test_summary_json_keeps_everything_whatever_is_shown() -> None:
    _run()
    short = json.loads(Path("out/summary.json").read_text(encoding="utf-8"))
    _run("-v")
    assert json.loads(Path("out/summary.json").read_text(encoding="utf-8")) == short
    assert short["columns"]["unmapped"] == ["Notes"]
    assert short["dedupe"]["candidate_pairs"] > 0 and len(short["reasons"]) > 5


def test_no_reasons_means_no_reasons_heading() -> None:
    clean = Path("one.csv")  # relative: the temporary folder's name holds 'reasons'
    clean.write_text(
        "Email,First Name,Last Name,Company,Phone\njane.doe@acme.com,Jane,Doe,Acme,"
        "+1 415 692 0101\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["clean", str(clean), "-o", "one"])
    assert result.exit_code == 0, result.stderr
    assert "reasons" not in result.stderr
    assert result.stderr.startswith("leadtriage: 1 row from one.csv\n")
    assert "needs a person: nothing" in result.stderr


TERMINAL = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "120"}


def test_styles_on_a_terminal_and_none_at_all_with_no_color() -> None:
    styled = _run(env={**TERMINAL, "NO_COLOR": ""})  # empty: not set, says no-color.org
    assert SGR.search(styled)  # the check below can see styling
    plain = _run(env={**TERMINAL, "NO_COLOR": "1"})
    assert not SGR.search(plain), plain
    assert SGR.sub("", styled).splitlines()[-4:] == plain.splitlines()[-4:]


def test_no_color_reaches_the_other_commands_tables() -> None:
    """inspect's tables have bold headers: rich's NO_COLOR alone would keep them."""
    args = ["inspect", str(EXAMPLE)]
    styled = runner.invoke(app, args, env={**TERMINAL, "NO_COLOR": ""})
    assert styled.exit_code == 0 and SGR.search(styled.stderr)
    plain = runner.invoke(app, args, env={**TERMINAL, "NO_COLOR": "1"})
    assert plain.exit_code == 0 and not SGR.search(plain.stderr)


def test_the_readme_shows_the_summary_as_it_is(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("prints a short summary on stderr:\n\n```text\n")[1].split("\n```")[0]
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "campaign.csv").write_bytes(EXAMPLE.read_bytes())
    result = runner.invoke(app, ["clean", "examples/campaign.csv"])
    assert result.exit_code == 0, result.stderr
    assert [line.rstrip() for line in result.stderr.splitlines()] == shown.splitlines()


def test_one_row_in_review_is_one_row(tmp_path: Path) -> None:
    leads = tmp_path / "one.csv"
    leads.write_text("Email,Name\nnot-an-address,Ann Lee\nb@acme.com,Bo Ng\n", encoding="utf-8")
    result = runner.invoke(app, ["clean", str(leads), "-o", "out", "--force"])
    assert "needs a person: 1 row in review;" in result.stderr


def test_a_review_too_long_for_a_workbook_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "WORKBOOK_MAX_ROWS", 2)
    text = _run()
    assert re.search(r"needs a person: \d+ rows in out/review\.csv \(no review workbook", text)
    assert "over 2 rows" in text


def test_a_rerun_on_the_ledger_says_nothing_was_recorded_again() -> None:
    first = _run("--ledger", "leads.ledger")
    assert "already recorded" not in first
    again = _run("--ledger", "leads.ledger")
    assert "ledger: these inputs were recorded by run 1; nothing recorded again" in again


def test_summary_counts_consent_per_output() -> None:
    """A consent column read wrongly or not at all was invisible in the summary: every
    accepted row 'unknown' now shows as such."""
    _run()
    summary = json.loads(Path("out/summary.json").read_text(encoding="utf-8"))
    by_output = summary["consent"]["by_output"]
    assert set(by_output) == {"accepted", "review", "rejected"}
    for name, count in summary["outputs"].items():
        assert sum(by_output[name].values()) == count
        assert set(by_output[name]) <= {"yes", "no", "unknown"}
    assert by_output["accepted"]["no"] == 16  # the example's refusals, tagged consent.no
    verbose = _run("--verbose")
    assert re.search(r"consent in accepted: \d+ yes, 16 no, \d+ unknown", verbose)


def test_counts_of_one_read_in_the_singular(tmp_path: Path) -> None:
    summary = Summary(
        rows_in=1,
        outputs={"accepted": 1, "review": 0, "rejected": 0},
        reasons={"crm.existing": 1, "seen.before": 1},
        mapping=ColumnMapping(fields={}, unmapped=()),
        inputs=(),
        notes={
            "dedupe": {"candidate_pairs": 1, "matched_pairs": 1},
            "crm": {"existing": 1, "records": 1, "ambiguous": 1, "possible": 1},
        },
    )
    buffer = io.StringIO()
    render_summary(
        Console(file=buffer, width=300, color_system=None), summary, tmp_path, verbose=True
    )
    text = buffer.getvalue()
    assert "duplicates: 1 candidate pair compared, 1 matched\n" in text
    assert (
        "CRM updates: 1 row matches one of 1 record (crm.existing); "
        "1 matches several (crm.ambiguous); 1 may be a record (crm.possible)\n"
    ) in text
    assert "seen in earlier runs: 1 row\n" in text
