"""Usage errors: one `leadtriage: error:` line naming what is wrong, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadtriage.cli import _default_out_dir, app

EXAMPLE = Path(__file__).parents[1] / "examples" / "campaign.csv"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _usage_error(args: list[str]) -> list[str]:
    result = runner.invoke(app, args, prog_name="leadtriage")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("leadtriage: error: "), lines
    return lines


def test_an_unknown_profile_names_the_valid_ones() -> None:
    lines = _usage_error(["clean", str(EXAMPLE), "--profile", "pipedrive", "-o", "out"])
    assert lines[0] == (
        "leadtriage: error: --profile: unknown profile 'pipedrive' "
        "(use one of: generic, hubspot, salesforce)"
    )
    assert "Value error" not in "\n".join(lines)
    assert lines[1] == "hint: see 'leadtriage clean --help'"
    assert not Path("out").exists()


def test_an_unknown_format_names_the_valid_ones() -> None:
    [first, *_] = _usage_error(["clean", str(EXAMPLE), "-f", "docx"])
    assert first.endswith("--format: unknown format 'docx' (use one of: csv, xlsx, parquet)")


def test_choices_ignore_case(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean", str(EXAMPLE), "-p", "HubSpot", "-q", "-o", "out"])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("args", "message", "command"),
    [
        (["clean", "--xyzzy", "a.csv"], "no such option: --xyzzy", "leadtriage clean"),
        (["clean"], "missing argument 'FILE'", "leadtriage clean"),
        (["cleen"], "no such command 'cleen'. Did you mean 'clean'?", "leadtriage"),
        (["ledger", "forget", "x.ledger"], "missing option '--email'", "leadtriage ledger forget"),
    ],
)
def test_parse_errors_read_like_the_others(args: list[str], message: str, command: str) -> None:
    lines = _usage_error(args)
    assert lines == [f"leadtriage: error: {message}", f"hint: see '{command} --help'"]


@pytest.mark.parametrize("folder", ["-", "./-", "-/"])
def test_out_dir_dash_is_refused_and_points_to_json(tmp_path: Path, folder: str) -> None:
    lines = _usage_error(["clean", str(EXAMPLE), "--out-dir", folder])
    assert lines[0].startswith("leadtriage: error: --out-dir -: ")
    assert "--json" in lines[1]
    assert list(tmp_path.iterdir()) == []  # no folder named '-', nor any other


def test_one_file_under_a_second_name_is_refused_hard_links_too(tmp_path: Path) -> None:
    """A hard link is the same file under another path: its rows were counted twice."""
    leads = tmp_path / "leads.csv"
    leads.write_text("Email,Name\na@acme.com,Ann Lee\n", encoding="utf-8")
    (tmp_path / "copy.csv").hardlink_to(leads)
    for second in ("./leads.csv", "copy.csv"):
        lines = _usage_error(["clean", "leads.csv", second, "-o", "out"])
        assert "is given more than once (as leads.csv)" in lines[0], lines


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["clean", "missing.csv", "-o", "out", "--json"], 2),
        (["inspect", "missing.csv", "--json"], 2),
        (["ledger", "stats", "missing.ledger", "--json"], 2),
        (["review", "apply", "out", "missing.xlsx", "--json"], 2),
    ],
)
def test_json_mode_reports_an_error_as_json_on_stdout(args: list[str], status: int) -> None:
    """A script reading stdout with json.load crashed on an error: stdout was empty."""
    result = runner.invoke(app, args, prog_name="leadtriage")
    assert result.exit_code == status
    error = json.loads(result.stdout)["error"]
    assert error["exit_status"] == status
    assert error["message"] and "Traceback" not in result.stderr
    assert result.stderr.startswith("leadtriage: error: ")


@pytest.mark.parametrize(
    ("extra", "phrase"),
    [
        (["--excel", "--format", "parquet"], "--excel applies to CSV outputs"),
        (["-q", "--verbose"], "--quiet and --verbose"),
    ],
)
def test_options_that_cancel_each_other_are_refused(extra: list[str], phrase: str) -> None:
    """They were silently ignored: a script asking for both got one."""
    lines = _usage_error(["clean", str(EXAMPLE), "-o", "out", *extra])
    assert phrase in lines[0]
    assert not Path("out").exists()


def test_a_process_substitution_input_gets_a_readable_default_folder() -> None:
    """clean <(cat campaign.csv) wrote to '63_triage', named after the descriptor."""
    assert _default_out_dir("/dev/fd/63") == Path("stdin_triage")
    assert _default_out_dir("/proc/self/fd/12") == Path("stdin_triage")
    assert _default_out_dir("exports/campaign.csv") == Path("campaign_triage")


def test_json_mode_lists_every_problem_of_a_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[setings]\n[[rules]]\nname = "a"\nwhen = { field = "contry", equals = "x" }\n'
    )
    result = runner.invoke(
        app, ["clean", "missing.csv", "--rules", str(rules), "-o", "out", "--json"]
    )
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["message"] == f"{rules}: 3 problems in the rules file"
    assert error["problems"] == [
        f"{rules}:1: setings: unknown table '[setings]' (did you mean 'settings'?)",
        f"{rules}:2: rules[1]: missing 'action'",
        f"{rules}:4: rules[1].when: unknown field 'contry' (did you mean 'country'?)",
    ]


def test_standard_input_as_an_input_and_as_the_crm_is_refused() -> None:
    """`clean - --crm -` read the rows, then said "standard input is empty" of the CRM,
    naming neither --crm nor the cause."""
    result = runner.invoke(
        app, ["clean", "-", "--crm", "-", "-o", "out"], input=EXAMPLE.read_bytes()
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == (
        "leadtriage: error: --crm -: standard input is already read as an input"
    )
    assert not Path("out").exists()


def test_two_crm_exports_are_refused_not_one_silently_dropped(tmp_path: Path) -> None:
    """`--crm a.csv --crm b.csv` matched against b.csv only: a's people came out as
    new leads, to be imported again beside their records."""
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for crm in (first, second):
        crm.write_text("Record ID,Email\n1,ann@acme.com\n", encoding="utf-8")
    args = ["clean", str(EXAMPLE), "--crm", str(first), "--crm", str(second), "-o", "out"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == (
        f"leadtriage: error: --crm is given twice ({first}, {second}); a run matches one CRM export"
    )
    assert not Path("out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clean", str(EXAMPLE), "-o", "out", "-f", "docx", "--json"], "--format: unknown"),
        (["clean", str(EXAMPLE), "-o", "out", "--xyzzy", "--json"], "no such option: --xyzzy"),
        (["inspect", str(EXAMPLE), "--json", "-p", "x"], "no such option: -p"),
        (["ledger", "stats", "--json"], "missing argument 'LEDGER'"),
    ],
)
def test_json_mode_reports_a_parse_error_as_json_on_stdout(args: list[str], message: str) -> None:
    """An option value Click refused (a typo in a cron line) left stdout empty, so the
    script's json.load failed as it did before errors were JSON."""
    result = runner.invoke(app, args, prog_name="leadtriage")
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert error["exit_status"] == 2
    assert error["message"].startswith(message), error
    assert result.stderr.startswith(f"leadtriage: error: {message}")


def test_a_parse_error_after_double_dash_json_is_no_json() -> None:
    """`-- --json` names a file called --json: the option was not asked for."""
    result = runner.invoke(app, ["clean", "-f", "docx", "--", "--json"], prog_name="leadtriage")
    assert result.exit_code == 2
    assert result.stdout == ""


@pytest.mark.parametrize("option", [[], ["--crm"]])
def test_an_empty_file_name_is_said_to_be_empty(option: list[str]) -> None:
    """`--crm "$CRM"` with CRM unset said ': is a directory, not a file'."""
    args = ["clean", str(EXAMPLE), *option, "", "-o", "out"] if option else ["clean", ""]
    lines = _usage_error(args)
    assert lines[0] == "leadtriage: error: '': an empty file name", lines
    assert "variable" in lines[1]


@pytest.mark.parametrize("where", ["input", "out", "crm", "ledger"])
def test_a_file_name_too_long_is_named_not_reported_as_a_bug(where: str) -> None:
    """A 300-character name ended in 'unexpected OSError ... please report it'."""
    long = "a" * 300
    args = {
        "input": ["clean", f"{long}.csv", "-o", "out"],
        "out": ["clean", str(EXAMPLE), "-o", long],
        "crm": ["clean", str(EXAMPLE), "-o", "out", "--crm", f"{long}.csv"],
        "ledger": ["clean", str(EXAMPLE), "-o", "out", "--ledger", f"{long}.ledger"],
    }[where]
    result = runner.invoke(app, [*args, "--json"], prog_name="leadtriage")
    assert result.exit_code == 1, result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith("leadtriage: error: ") and "File name too long" in first, first
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["error"]["exit_status"] == 1
    assert not Path("out").exists()


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["clean", str(EXAMPLE), "-o", ""], "--out-dir"),
        (["clean", str(EXAMPLE), "-o", "out", "--rules", ""], "--rules"),
        (["clean", str(EXAMPLE), "-o", "out", "--ledger", ""], "--ledger"),
        (["inspect", str(EXAMPLE), "--rules", ""], "--rules"),
        (["rules", "check", ""], "FILE"),
        (["rules", "init", "", "--force"], "FILE"),
        (["ledger", "stats", ""], "LEDGER"),
        (["review", "apply", "", "review.xlsx"], "OUT_DIR"),
    ],
)
def test_an_empty_path_is_named_empty_not_taken_for_the_current_folder(
    args: list[str], named: str
) -> None:
    """`-o "$OUT"` with OUT unset in a cron script: Typer made '' the path '.', and the
    error spoke of a current folder, a folder or a file nobody named."""
    [first, *_] = _usage_error(args)
    assert named in first
    assert "an empty path" in first
    assert "unset or empty" in first
    assert "'.'" not in first and " . " not in first and ".:" not in first
    assert not Path("out").exists()


def test_a_quoted_pattern_is_expanded_in_name_order(tmp_path: Path) -> None:
    """A script's subprocess call (or a Windows shell) hands 'exports/*.csv' over
    unexpanded: the files it matches are read, in a fixed order, as a shell would."""
    exports = tmp_path / "exports"
    exports.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8").splitlines()
    (exports / "b.csv").write_text("\n".join([text[0], *text[1:4]]) + "\n", encoding="utf-8")
    (exports / "a.csv").write_text("\n".join([text[0], *text[4:6]]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["clean", "exports/*.csv", "-o", "out", "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [Path(i["source"]).name for i in summary["inputs"]] == ["a.csv", "b.csv"]
    assert summary["rows_in"] == 5


def test_a_quoted_pattern_matching_nothing_says_so() -> None:
    lines = _usage_error(["clean", "exports/*.csv", "-o", "out"])
    assert lines[0] == "leadtriage: error: exports/*.csv: no file matches this pattern"
    assert not Path("out").exists()
