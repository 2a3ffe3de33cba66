"""The CLI as users run it: exit codes, stdout carries data only, errors in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage import __version__, cli
from leadtriage.cli import app

EXAMPLE = Path(__file__).parents[1] / "examples" / "campaign.csv"
runner = CliRunner()


def _clean(*args: str) -> object:
    return runner.invoke(app, ["clean", *args])


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_version_is_eager() -> None:
    result = runner.invoke(app, ["--version", "clean"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"leadtriage {__version__}"


def test_clean_writes_three_files_workbook_and_summary_in_default_out_dir(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean", str(EXAMPLE), "-q"])
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "campaign_triage"
    assert sorted(p.name for p in out.iterdir()) == [
        "accepted.csv",
        "rejected.csv",
        "review.csv",
        "review.xlsx",
        "summary.json",
    ]
    assert result.stdout == ""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert sum(summary["outputs"].values()) == summary["rows_in"]


def test_json_summary_on_stdout_matches_summary_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean", str(EXAMPLE), "--json", "-o", "out"])
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed == json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert printed["columns"]["fields"]["email"] == "E-mail Address"


def test_every_output_row_carries_the_traceability_columns(tmp_path: Path) -> None:
    assert runner.invoke(app, ["clean", str(EXAMPLE), "-q", "-o", "out"]).exit_code == 0
    for name in ("accepted", "review", "rejected"):
        df = pl.read_csv(tmp_path / "out" / f"{name}.csv", infer_schema=False)
        for column in ("source_file", "source_row", "reasons", "cluster_id"):
            assert column in df.columns, (name, column)


def test_existing_outputs_are_refused_without_force(tmp_path: Path) -> None:
    assert runner.invoke(app, ["clean", str(EXAMPLE), "-q", "-o", "out"]).exit_code == 0
    before = (tmp_path / "out" / "accepted.csv").stat().st_mtime_ns
    again = runner.invoke(app, ["clean", str(EXAMPLE), "-q", "-o", "out"])
    assert again.exit_code == 1
    assert again.stderr.startswith("leadtriage: error: out already holds outputs")
    assert "--force" in again.stderr
    assert (tmp_path / "out" / "accepted.csv").stat().st_mtime_ns == before
    forced = runner.invoke(app, ["clean", str(EXAMPLE), "-q", "-o", "out", "--force"])
    assert forced.exit_code == 0


def test_runs_are_byte_identical(tmp_path: Path) -> None:
    for out in ("a", "b"):
        assert runner.invoke(app, ["clean", str(EXAMPLE), "-q", "-o", out]).exit_code == 0
    for name in ("accepted.csv", "review.csv", "rejected.csv", "summary.json"):
        a = (tmp_path / "a" / name).read_bytes()
        b = (tmp_path / "b" / name).read_bytes()
        if name == "summary.json":  # names its own out_dir
            a = a.replace(b'"out_dir": "a"', b'"out_dir": "b"')
        assert a == b, name


@pytest.mark.parametrize(
    ("make", "status", "fragment"),
    [
        (lambda p: p / "missing.csv", 2, "missing.csv"),
        (lambda p: p, 2, "directory"),
        (lambda p: _write(p / "empty.csv", ""), 1, "empty.csv"),
        (lambda p: _write(p / "notes.docx", "hello"), 2, "unknown file type"),
    ],
)
def test_bad_inputs_give_one_clear_line_and_no_outputs(
    tmp_path: Path, make: object, status: int, fragment: str
) -> None:
    target = make(tmp_path)  # type: ignore[operator]
    result = _clean(str(target), "-o", "out")
    assert result.exit_code == status, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("leadtriage: error: ")
    assert fragment in first
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_binary_garbage_is_refused_cleanly(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(os.urandom(4096) + b"\x00\x00\xff\xfe" * 64)
    result = _clean(str(garbage), "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.startswith("leadtriage: error: ")
    assert "garbage.csv" in result.stderr.splitlines()[0]
    assert not (tmp_path / "out").exists()


def test_header_only_file_is_a_run_with_zero_rows(tmp_path: Path) -> None:
    source = _write(tmp_path / "header.csv", "Email,Phone\n")
    result = _clean(str(source), "--json", "-o", "out")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["rows_in"] == 0
    assert pl.read_csv(tmp_path / "out" / "accepted.csv").height == 0


def test_stdin_is_read_with_dash(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["clean", "-", "--json", "-o", "out"], input="Email,Phone\njane@acme.com,\n"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outputs"]["accepted"] == 1


def test_unexpected_errors_name_only_their_type(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("jane@acme.com leaked")

    monkeypatch.setattr(cli, "clean_files", explode)
    result = _clean(str(EXAMPLE), "-o", "out")
    assert result.exit_code == 1
    assert "RuntimeError" in result.stderr
    assert "jane@acme.com" not in result.stderr
    debug = _clean(str(EXAMPLE), "-o", "out", "--debug")
    assert isinstance(debug.exception, RuntimeError)


def test_interrupt_exits_130_without_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "clean_files", interrupted)
    result = _clean(str(EXAMPLE), "-o", "out")
    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    assert not (tmp_path / "out").exists()


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "leadtriage", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"leadtriage {__version__}"


def test_a_reader_that_goes_away_gets_no_error_message(tmp_path: Path) -> None:
    """`leadtriage clean ... | head`: the summary cannot be shown, but the outputs are
    complete: no traceback and no false claim that nothing was written."""
    script = (
        "import sys\n"
        "from leadtriage import cli\n"
        "def gone(*_, **__):\n"
        "    raise BrokenPipeError(32, 'Broken pipe')\n"
        "cli.render_summary = gone\n"
        "sys.argv = ['leadtriage', 'clean', *sys.argv[1:]]\n"
        "cli.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(EXAMPLE), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == ""
    assert (tmp_path / "out" / "summary.json").exists()


def test_standard_input_is_named_stdin_in_sources(tmp_path: Path) -> None:
    """Read from '-', sources began with '-' and reached the CRM as a formula-escaped
    "'-;White paper: CRM hygiene"."""
    result = runner.invoke(
        app, ["clean", "-", "-o", str(tmp_path / "out"), "-q"], input=EXAMPLE.read_bytes()
    )
    assert result.exit_code == 0, result.stderr
    sources = pl.read_csv(tmp_path / "out" / "accepted.csv", infer_schema=False)["sources"]
    assert not sources.str.starts_with("'").any()
    assert sources.str.contains("stdin", literal=True).all()


def test_an_input_among_the_outputs_is_refused_even_with_force(tmp_path: Path) -> None:
    # An earlier run's accepted.csv cleaned again into its own folder: --force would
    # replace the very file being read.
    folder = tmp_path / "out"
    folder.mkdir()
    source = folder / "accepted.csv"
    source.write_bytes(EXAMPLE.read_bytes())
    result = runner.invoke(app, ["clean", str(source), "-o", str(folder), "--force", "-q"])
    assert result.exit_code == 2
    assert "is one of the outputs" in result.stderr
    assert source.read_bytes() == EXAMPLE.read_bytes()
    # Another file in the same folder is no output: it is read and kept.
    other = folder / "mine.csv"
    other.write_bytes(EXAMPLE.read_bytes())
    kept = runner.invoke(app, ["clean", str(other), "-o", str(folder), "--force", "-q"])
    assert kept.exit_code == 0, kept.stderr
    assert other.read_bytes() == EXAMPLE.read_bytes()


def test_a_symbolic_link_that_loops_is_named_not_a_crash(tmp_path: Path) -> None:
    one, other = tmp_path / "one.csv", tmp_path / "other.csv"
    one.symlink_to(other)
    other.symlink_to(one)
    result = runner.invoke(app, ["clean", str(one), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr and "unexpected" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    ("args", "status", "said"),
    [
        (["rules", "show"], 1, "standard output: "),
        (["inspect", str(EXAMPLE), "--json"], 1, "standard output: "),
        (["clean", str(EXAMPLE), "--json", "-o", "out"], 1, "standard output: "),
        # The error's JSON copy is lost too; the error itself is still the one said.
        (["ledger", "runs", "no.ledger", "--json"], 2, "no ledger at no.ledger"),
    ],
    ids=["rules-show", "inspect-json", "clean-json", "ledger-error-json"],
)
def test_a_full_standard_output_is_one_error_line_not_a_traceback(
    tmp_path: Path, args: list[str], status: int, said: str
) -> None:
    """stdout on a full disk (`... --json > /mnt/full/summary.json` in a cron job):
    the data did not arrive, so the run fails, in one line naming standard output."""
    # The package under test, wherever the test runs from.
    package_root = str(Path(cli.__file__).parents[1])
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "leadtriage", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": package_root},
        )
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr
    assert done.stderr.startswith(f"leadtriage: error: {said}"), done.stderr
    assert len(done.stderr.splitlines()) == 2, done.stderr  # the error and its hint


@pytest.mark.parametrize(
    "args",
    [["rules", "show"], ["inspect", str(EXAMPLE), "--json"]],
    ids=["rules-show", "inspect-json"],
)
def test_a_closed_standard_output_is_an_error_not_silence(tmp_path: Path, args: list[str]) -> None:
    """`leadtriage ... --json >&-`: Python makes sys.stdout None and Click's echo then
    wrote nothing and said nothing, exit 0, the data gone."""
    done = _with_closed(1, args, tmp_path)  # as the shell's `>&-` does
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("leadtriage: error: standard output: closed"), done.stderr


def _with_closed(descriptor: int, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """leadtriage `args` with `descriptor` closed in the child before Python starts."""
    package_root = str(Path(cli.__file__).parents[1])
    return subprocess.run(
        [sys.executable, "-m", "leadtriage", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": package_root},
        preexec_fn=lambda: os.close(descriptor),
    )


@pytest.mark.parametrize("command", ["clean", "inspect"])
def test_a_closed_standard_input_is_said_not_an_unexpected_error(
    tmp_path: Path, command: str
) -> None:
    """`leadtriage clean - <&-` in a cron line: Python makes sys.stdin None."""
    done = _with_closed(0, [command, "-"], tmp_path)  # as the shell's `<&-` does
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("leadtriage: error: standard input is closed"), done.stderr
