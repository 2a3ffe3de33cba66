"""Help, version and completion as people expect from csvkit, httpie and pip-tools."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer
import typer.completion
from typer.core import TyperOption
from typer.testing import CliRunner

from leadtriage import __version__
from leadtriage.cli import app

runner = CliRunner()


def _command_paths() -> Iterator[tuple[str, ...]]:
    """Every command and group, the top one included, as the words that call it."""
    stack: list[tuple[tuple[str, ...], object]] = [((), typer.main.get_command(app))]
    while stack:
        path, command = stack.pop()
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            stack.append(((*path, name), sub))


COMMANDS = sorted(_command_paths())


def _help(path: tuple[str, ...], flag: str = "--help") -> str:
    result = runner.invoke(app, [*path, flag], prog_name="leadtriage")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_command_is_covered() -> None:
    assert ("clean",) in COMMANDS and ("review", "apply") in COMMANDS and () in COMMANDS
    assert len(COMMANDS) >= 12


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "leadtriage")
def test_dash_h_is_help_everywhere(path: tuple[str, ...]) -> None:
    assert _help(path, "-h") == _help(path, "--help")


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "leadtriage")
def test_help_has_no_type_noise_and_no_stray_full_stops(path: tuple[str, ...]) -> None:
    text = _help(path)
    assert text.startswith(f"Usage: leadtriage {' '.join(path)}".rstrip() + " ")
    assert not re.search(r"<[a-z_\[\]|, ]+>", text), text  # <bool>, <list[str]>, <path>
    assert " ." not in text and " ," not in text, text
    assert "{FILE" not in text and "[[" not in text, text  # Typer's braces around arguments
    assert "[b]" not in text and "\x1b[" not in text, text  # markup or colour in plain help


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "leadtriage")
def test_every_command_shows_examples_of_itself(path: tuple[str, ...]) -> None:
    text = _help(path)
    examples = text.split("Examples:\n", 1)[1]
    assert re.search(rf"^\s+(.*\| )?leadtriage {' '.join(path)}".rstrip(), examples, re.M), text


def test_every_option_says_what_it_does() -> None:
    def options(command: object) -> Iterator[TyperOption]:
        for param in getattr(command, "params", []):
            if isinstance(param, TyperOption):
                yield param
        for sub in getattr(command, "commands", {}).values():
            yield from options(sub)

    for option in options(typer.main.get_command(app)):
        assert option.help and not option.help.rstrip().endswith(" ."), option.opts


def test_clean_help_shows_the_defaults_people_ask_about() -> None:
    text = " ".join(_help(("clean",)).split())  # undo the wrapping
    assert "Folder for the outputs. [default: <first input's name>_triage]" in text
    assert "-p, --profile {generic,hubspot,salesforce}" in text
    assert "-f, --format {csv,xlsx,parquet}" in text
    assert "[default: csv]" in text
    assert "Usage: leadtriage clean [OPTIONS] FILE..." in text


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_short_and_long_and_eager(flag: str) -> None:
    result = runner.invoke(app, [flag, "clean", "no-such-file.csv"])
    assert result.exit_code == 0
    assert result.stdout == f"leadtriage {__version__}\n"


def test_shell_completion_is_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _help(())
    assert "--install-completion" in text and "--show-completion" in text
    # Typer finds the shell from the process tree (its option takes no value): under a
    # job whose parent shell has gone, it finds none and exits 1.
    monkeypatch.setattr(typer.completion, "_get_shell_name", lambda: "bash")
    shown = runner.invoke(app, ["--show-completion"], prog_name="leadtriage")
    assert shown.exit_code == 0
    assert "_LEADTRIAGE_COMPLETE" in shown.stdout
