"""The command line: options in, library call, summary out, errors to exit codes.

No data logic lives here. Every error the library raises is a `LeadtriageError`
and is turned into one line on stderr and an exit status in `_errors_to_exit`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from leadtriage import __version__
from leadtriage.errors import ConfigError, ExitStatus, LeadtriageError, OutputError
from leadtriage.io.workbook import workbook_files
from leadtriage.io.write import OutputFormat, WriteOptions, existing_outputs, write_outputs
from leadtriage.pipeline import ReadSettings, triage
from leadtriage.render import render_summary
from leadtriage.review import apply_review
from leadtriage.triage import DECISIONS

app = typer.Typer(
    name="leadtriage",
    help=(
        "Clean and triage contact lists before they enter a CRM.\n\n"
        "Reads campaign exports, maps their columns, validates and deduplicates the "
        "contacts and writes accepted, review and rejected files, each row with the "
        "reasons for its fate."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _stderr() -> Console:
    # Made per run so NO_COLOR and the terminal's width are read when it runs.
    return Console(stderr=True, highlight=False)


def _fail(console: Console, message: str, hint: str | None, status: ExitStatus) -> NoReturn:
    console.print(f"leadtriage: error: {message}", markup=False, soft_wrap=True)
    if hint:
        console.print(f"hint: {hint}", markup=False, soft_wrap=True)
    raise typer.Exit(int(status))


@contextmanager
def _errors_to_exit(console: Console, debug: bool) -> Iterator[None]:
    """The one place exceptions become messages and exit codes."""
    try:
        yield
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        console.print("leadtriage: interrupted; no outputs were written", markup=False)
        raise typer.Exit(int(ExitStatus.INTERRUPTED)) from None
    except ConfigError as exc:
        if debug:
            raise
        for problem in exc.problems:
            console.print(problem, markup=False, soft_wrap=True)
        _fail(console, exc.message, exc.hint, exc.exit_status)
    except LeadtriageError as exc:
        if debug:
            raise
        _fail(console, exc.message, exc.hint, exc.exit_status)
    except Exception as exc:
        if debug:
            raise
        # The message of an unexpected error may quote a cell: name the type only.
        _fail(
            console,
            f"unexpected {type(exc).__name__}; no outputs were written",
            "run again with --debug for the traceback, and please report it",
            ExitStatus.FAILURE,
        )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"leadtriage {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Clean and triage contact lists before they enter a CRM."""


def _default_out_dir(first_input: str) -> Path:
    stem = "stdin" if first_input == "-" else Path(first_input).stem
    return Path(f"{stem}_triage")


CLEAN_EPILOG = (
    "[b]Examples[/b]\n\n"
    "  leadtriage clean campaign.csv\n\n"
    "  leadtriage clean exports/*.csv --rules rules.toml --crm crm.csv --json\n\n"
    "  cat export.csv | leadtriage clean - --input-format csv --out-dir today\n\n"
    "Exit status: 0 success (even with rejected rows), 1 runtime failure, "
    "2 usage or rules error, 130 interrupted."
)


@app.command(epilog=CLEAN_EPILOG)
def clean(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Exports to read: CSV/TSV (any encoding), xlsx, JSON, NDJSON, Parquet; "
            "'-' reads standard input.",
            show_default=False,
        ),
    ],
    rules: Annotated[
        Path | None, typer.Option("--rules", "-r", help="Rules file (TOML).", show_default=False)
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            "-o",
            help="Folder for the outputs [default: <first input's name>_triage].",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Format of the three outputs.")
    ] = OutputFormat.CSV,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="Start CSV outputs with a UTF-8 byte-order mark so Excel shows accents. "
            "Without it CSV outputs are plain UTF-8, as CRMs and scripts expect.",
        ),
    ] = False,
    sheet: Annotated[
        str | None, typer.Option(help="Sheet of an xlsx input [default: the first].")
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format", help="Format of the inputs: csv, xlsx, json, ndjson, parquet."
        ),
    ] = None,
    json_summary: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON on stdout.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the outputs of an earlier run.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> None:
    """Triage contact exports into accepted, review and rejected files."""
    console = _stderr()
    with _errors_to_exit(console, debug):
        target = out_dir or _default_out_dir(inputs[0])
        names = [d.value for d in DECISIONS]
        clashes = existing_outputs(target, names, output_format)
        if clashes and not force:
            raise OutputError(
                f"{target} already holds outputs ({', '.join(clashes)})",
                hint="add --force to replace them, or choose another --out-dir",
            )
        result = triage(
            inputs,
            read_settings=ReadSettings(sheet=sheet, input_format=input_format),
        )
        summary = {"out_dir": str(target), **result.summary.as_dict()}
        write_outputs(
            target,
            result.tables(),
            summary,
            WriteOptions(format=output_format, excel_bom=excel),
            extra=workbook_files(result.review),
        )
        if json_summary:
            typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        elif not quiet:
            render_summary(console, result.summary, target)


review_app = typer.Typer(help="Apply a person's decisions from review.xlsx.", no_args_is_help=True)
app.add_typer(review_app, name="review")


@review_app.command("apply")
def review_apply(
    out_dir: Annotated[Path, typer.Argument(help="The folder leadtriage clean wrote.")],
    workbook: Annotated[Path, typer.Argument(help="The review.xlsx with decisions typed in.")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> None:
    """Move the rows decided in review.xlsx into accepted / rejected.

    Type accept or reject in the decision column of review.xlsx (sorting and
    filtering the sheet is fine), save it, then run this. Undecided rows stay in
    review; applying the same workbook twice changes nothing.
    """
    console = _stderr()
    with _errors_to_exit(console, debug):
        outcome = apply_review(out_dir, workbook)
        if quiet:
            return
        if outcome.changed:
            message = (
                f"review: {outcome.accepted} accepted, {outcome.rejected} rejected, "
                f"{outcome.left} left in review"
            )
        else:
            message = (
                f"review: nothing to apply ({outcome.already_applied} rows applied before, "
                f"{outcome.left} left in review)"
            )
        console.print(message, markup=False)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="leadtriage")


if __name__ == "__main__":  # pragma: no cover
    main()
