"""Command-line conventions Typer does not follow by itself.

Help reads like argparse's (csvkit, pip): arguments and values by name (FILE...,
{csv,xlsx,parquet}), no type labels such as <bool> or <list[str]>. Usage errors
(an unknown option, a missing argument, a bad value) come out as every other
error does, in one `leadtriage: error:` line with a hint, exit 2. Choices name the
valid values when a value is not one of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Final, TypeGuard, TypeVar

import typer

# Typer's bundled Click: the types its classes take and the usage errors they raise.
from typer._click import Context, HelpFormatter
from typer._click.exceptions import BadParameter, MissingParameter, NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


def examples(*commands: str) -> str:
    """An epilog of example commands; the \\b keeps the help formatter from joining
    them into one paragraph."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {command}" for command in commands)


class PlainHelpCommand(TyperCommand):
    """Arguments shown by their names alone (FILE..., [FILE]), as argparse shows them:
    Typer's help would add type labels (<list[str]>, <path>) and braces."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [_argument_usage(p) for p in self.get_params(ctx) if _is_argument(p)]

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        params = self.get_params(ctx)
        arguments = [(_argument_name(p), p.help or "") for p in params if _is_argument(p)]
        options = [
            record
            for p in params
            if isinstance(p, TyperOption) and (record := p.get_help_record(ctx)) is not None
        ]
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _is_argument(param: object) -> TypeGuard[TyperArgument]:
    return isinstance(param, TyperArgument) and not param.hidden


def _argument_name(argument: TyperArgument) -> str:
    name = argument.metavar or (argument.name or "").upper()
    return f"{name}..." if argument.nargs != 1 else name


def _argument_usage(argument: TyperArgument) -> str:
    name = _argument_name(argument)
    return name if argument.required else f"[{name}]"


class _OneLineUsageError(ClickUsageError):
    """A usage error said as every other error is: one `leadtriage: error:` line, and
    with --json on the command line the same JSON object on stdout as the command's
    own errors (Click refuses the line before the command could say it)."""

    def __init__(self, original: ClickUsageError, *, as_json: bool) -> None:
        super().__init__(_usage_message(original), original.ctx)
        self.as_json = as_json

    def show(self, file: IO[Any] | None = None) -> None:
        command = self.ctx.command_path if self.ctx else "leadtriage"
        hint = f"see '{command} --help'"
        typer.echo(f"leadtriage: error: {self.message}", err=True)
        typer.echo(f"hint: {hint}", err=True)
        if self.as_json:
            error = {"message": self.message, "hint": hint, "exit_status": self.exit_code}
            typer.echo(json.dumps({"error": {**error, "problems": []}}, indent=2))


def _usage_message(error: ClickUsageError) -> str:
    param = error.param if isinstance(error, BadParameter) else None
    if param is not None and _is_argument(param) and not isinstance(error, MissingParameter):
        return f"{_argument_name(param)}: {error.message}"
    if param is not None and param.opts and not isinstance(error, MissingParameter):
        return f"{max(param.opts, key=len)}: {error.message}"
    message = error.format_message().rstrip(".")
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


_JSON_ASKED: Final = "leadtriage.json_asked"


def _asks_for_json(args: list[str]) -> bool:
    """--json among the options; after `--` it would be a file's name."""
    options = args[: args.index("--")] if "--" in args else args
    return "--json" in options


@contextmanager
def _usage_errors_in_one_line(*, as_json: bool) -> Iterator[None]:
    try:
        yield
    except (_OneLineUsageError, NoArgsIsHelpError):
        raise  # said already, or help to print
    except ClickUsageError as error:
        raise _OneLineUsageError(error, as_json=as_json) from error


class OneLineErrorsGroup(TyperGroup):
    """Parses the command line; its usage errors come out in one line."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        # Read before parsing, which consumes `args`; a subcommand's context shares
        # `meta` with this one, so the top-level line decides for every level.
        as_json = parent.meta.get(_JSON_ASKED, False) if parent else _asks_for_json(args)
        with _usage_errors_in_one_line(as_json=as_json):
            ctx = super().make_context(info_name, args, parent, **extra)
        ctx.meta[_JSON_ASKED] = as_json
        return ctx

    def invoke(self, ctx: Context) -> Any:
        with _usage_errors_in_one_line(as_json=ctx.meta.get(_JSON_ASKED, False)):
            return super().invoke(ctx)


Choice = TypeVar("Choice", bound=StrEnum)


def choice_parser(values: type[Choice], what: str) -> Callable[[str], Choice]:
    """A parser naming the valid values when a value is not one of them."""

    def parse(text: str) -> Choice:
        try:
            return values(text.lower())
        except ValueError:
            valid = ", ".join(v.value for v in values)
            raise typer.BadParameter(f"unknown {what} {text!r} (use one of: {valid})") from None

    return parse


def path_parser(value: str | Path) -> Path:
    """A path, never an empty one: Typer turns '' into '.', so `-o "$OUT"` with OUT
    unset named the current folder, and the error spoke of a folder nobody gave."""
    if isinstance(value, Path):  # a default, converted as a given value is
        return value
    if not value:
        raise typer.BadParameter(
            "an empty path (a shell variable meant to name it may be unset or empty)"
        )
    return Path(value)


def choices_metavar(values: type[StrEnum]) -> str:
    """The values an option takes, as argparse shows them: {csv,xlsx,parquet}."""
    return "{" + ",".join(v.value for v in values) + "}"
