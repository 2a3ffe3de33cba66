"""The command line: options in, library call, summary out, errors to exit codes.

No data logic lives here. Every error the library raises is a `LeadtriageError`
and is turned into one line on stderr and an exit status in `_errors_to_exit`.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, is_dataclass
from datetime import date
from functools import partial
from io import UnsupportedOperation
from pathlib import Path
from typing import IO, Annotated, NoReturn

import typer
from rich.console import Console

from leadtriage import __version__
from leadtriage.cli_conventions import (
    OneLineErrorsGroup,
    PlainHelpCommand,
    choice_parser,
    choices_metavar,
    examples,
    path_parser,
)
from leadtriage.errors import (
    ConfigError,
    ExitStatus,
    LeadtriageError,
    OutputError,
    Terminated,
    UsageError,
)
from leadtriage.inspect import inspect_files, render_inspection
from leadtriage.io.limits import DEFAULT_MAX_INPUT_SIZE_TEXT, Limits, parse_size
from leadtriage.io.output_set import check_output_folder
from leadtriage.io.profiles import Profile
from leadtriage.io.read import FORMATS, STDIN, expand_patterns, formats_help
from leadtriage.io.write import (
    OutputFormat,
    WriteOptions,
    existing_outputs,
    inputs_among_outputs,
    write_text_atomically,
)
from leadtriage.ledger import forget_many, ledger_runs, ledger_stats
from leadtriage.pipeline import Progress, ReadSettings, TriageOptions
from leadtriage.pipeline import clean as clean_files
from leadtriage.render import (
    progress_display,
    render_ledger_runs,
    render_ledger_stats,
    render_summary,
)
from leadtriage.review import apply_review
from leadtriage.rules import check_rules, default_rules_text, load_rules, starter_rules_text
from leadtriage.rules.problems import problem_count
from leadtriage.triage import DECISIONS
from leadtriage.wording import count_of

EXIT_STATUS = (
    "Exit status: 0 success (even with rejected rows), 1 runtime failure, "
    "2 usage or rules error, 130 interrupted, 143 terminated."
)

app = typer.Typer(
    name="leadtriage",
    help=(
        "Clean and triage contact lists before they enter a CRM.\n\n"
        "Reads campaign exports, maps their columns, validates and deduplicates the "
        "contacts and writes accepted, review and rejected files, each row with the "
        "reasons for its fate."
    ),
    epilog=examples(
        "leadtriage inspect campaign.csv",
        "leadtriage clean campaign.csv",
        "leadtriage clean exports/*.csv --rules rules.toml --crm crm.csv --json",
        "leadtriage review apply campaign_triage campaign_triage/review.xlsx",
    )
    + "\n\n"
    + EXIT_STATUS,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help, as csvkit's and pip's: each option with the name of its value, no
    # colour and no type names such as <bool>.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=OneLineErrorsGroup,
)


def _stderr() -> Console:
    """Made per run so NO_COLOR and the terminal's width are read when it runs."""
    # no-color.org: set and not empty means no styling at all. Rich's own NO_COLOR
    # support drops colours but keeps bold and italic; without a colour system it
    # writes no escape codes.
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(stderr=True, highlight=False, color_system=None if plain else "auto")


def _fail(
    console: Console,
    message: str,
    hint: str | None,
    status: ExitStatus,
    *,
    as_json: bool,
    problems: Sequence[str] = (),
) -> NoReturn:
    console.print(f"leadtriage: error: {message}", markup=False, soft_wrap=True)
    if hint:
        console.print(f"hint: {hint}", markup=False, soft_wrap=True)
    if as_json:
        # A script reading stdout with a JSON parser gets an answer on failure too, and
        # every problem of a rules file: "3 problems in the rules file" alone says none.
        error = {"message": message, "hint": hint, "exit_status": int(status)}
        # Said on stderr already: a stdout that refuses this copy changes nothing.
        with suppress(_StdoutError):
            _print_json({"error": {**error, "problems": list(problems)}})
    raise typer.Exit(int(status))


class _StdoutError(OutputError):
    """Standard output refused the data (a full disk, an I/O error): the run failed to
    deliver what a script reads there."""


def _to_stdout(text: str, *, nl: bool = True) -> None:
    """Data on stdout, the one place scripts read."""
    if sys.stdout is None:
        # Closed when Python started (`>&-`): Click's echo would drop the data unsaid.
        raise _StdoutError("standard output: closed", hint="send it to a file, e.g. > summary.json")
    try:
        typer.echo(text, nl=nl)
    except BrokenPipeError:
        raise  # the reader went away: quiet, as pipes expect
    except OSError as exc:
        # The text stays in stdout's buffer; Python would try it again at exit and
        # print its own error after ours.
        _write_to_devnull(sys.stdout)
        raise _StdoutError(
            f"standard output: {exc.strerror or type(exc).__name__}",
            hint="check the free space of the file or device standard output goes to",
        ) from None


def _write_to_devnull(*streams: IO[str]) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in streams:
        # A stream with no descriptor of its own (a test's capture) needs no silencing.
        with suppress(OSError, ValueError, UnsupportedOperation):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


_REPORT_HINT = "run again with --debug for the traceback, and please report it"


@contextmanager
def _errors_to_exit(console: Console, debug: bool, *, as_json: bool = False) -> Iterator[None]:
    """The one place exceptions become messages and exit codes; with `as_json` (the
    command's --json) the error is also a JSON object on stdout."""
    fail = partial(_fail, as_json=as_json)
    try:
        yield
    except typer.Exit:
        raise
    except BrokenPipeError:
        # The reader of stdout/stderr went away (`leadtriage ... | head`): nothing is
        # left to tell, and the outputs, if any, are complete. Quiet, as pipes expect.
        _write_to_devnull(sys.stdout, sys.stderr)
        raise typer.Exit(int(ExitStatus.FAILURE)) from None
    except KeyboardInterrupt:
        # Outputs are all-or-nothing, so a folder holds a complete earlier set or a
        # complete new one; which, depends on when the interrupt came.
        console.print("leadtriage: interrupted", markup=False)
        raise typer.Exit(int(ExitStatus.INTERRUPTED)) from None
    except Terminated:
        console.print("leadtriage: terminated", markup=False)
        raise typer.Exit(int(ExitStatus.TERMINATED)) from None
    except _StdoutError as exc:
        # Not again as JSON: standard output is what failed.
        fail(console, exc.message, exc.hint, exc.exit_status, as_json=False)
    except ConfigError as exc:
        if debug:
            raise
        for problem in exc.problems:
            if problem != exc.message:  # a lone problem is the message itself
                console.print(problem, markup=False, soft_wrap=True)
        fail(console, exc.message, exc.hint, exc.exit_status, problems=exc.problems)
    except LeadtriageError as exc:
        if debug:
            raise
        fail(console, exc.message, exc.hint, exc.exit_status)
    except OSError as exc:
        if debug:
            raise
        if exc.filename is None or not exc.strerror:
            fail(console, f"unexpected {type(exc).__name__}", _REPORT_HINT, ExitStatus.FAILURE)
        # A path the system refused (a name too long, a folder that is a file) is the
        # user's to fix, not a bug: said with the path and the system's reason.
        fail(
            console,
            f"{exc.filename}: {exc.strerror}",
            "check the path: its name, its folders and their permissions",
            ExitStatus.FAILURE,
        )
    except Exception as exc:
        if debug:
            raise
        # The message of an unexpected error may quote a cell: name the type only.
        fail(console, f"unexpected {type(exc).__name__}", _REPORT_HINT, ExitStatus.FAILURE)


@contextmanager
def _progress(console: Console, *, shown: bool) -> Iterator[Progress]:
    """Progress lines on a terminal only: a cron job's log and a pipe get nothing."""
    if not (shown and console.is_terminal):
        yield lambda _stage, _done=None, _total=None: None
        return
    with progress_display(console) as display:
        yield display


def _version(value: bool) -> None:
    if value:
        typer.echo(f"leadtriage {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Clean and triage contact lists before they enter a CRM."""


# Options several commands share. Every help text is one line: what the option does,
# then its default in brackets when it has one.
SheetOption = Annotated[
    str | None,
    typer.Option(
        metavar="NAME", help="Sheet of xlsx inputs. [default: the first visible one with contacts]"
    ),
]
InputFormatOption = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        metavar="FORMAT",
        help=f"Format of the inputs: {', '.join(FORMATS)}. [default: detected]",
    ),
]
MaxInputSizeOption = Annotated[
    str,
    typer.Option(
        "--max-input-size",
        metavar="SIZE",
        help="Refuse an input holding or expanding to more than this (500MB, 4GB); one value "
        f"or line may hold a 64th of it. [default: {DEFAULT_MAX_INPUT_SIZE_TEXT}]",
        show_default=False,
    ),
]
RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        "-r",
        metavar="FILE",
        parser=path_parser,
        help="Rules file (TOML). [default: the built-in rules, see 'leadtriage rules show']",
    ),
]
DebugFlag = Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")]
QuietFlag = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]


def _default_out_dir(first_input: str) -> Path:
    # A pipe named by the shell (`<(zcat export.csv.gz)`: /dev/fd/63) is standard
    # input to the person who typed it, not a file called "63".
    piped = first_input == "-" or re.fullmatch(r"/(?:dev|proc/self)/fd/\d+", first_input)
    stem = "stdin" if piped else Path(first_input).stem
    return Path(f"{stem}_triage")


@app.command(
    cls=PlainHelpCommand,
    epilog=examples(
        "leadtriage clean campaign.csv",
        "leadtriage clean exports/*.csv --rules rules.toml --crm crm.csv --json",
        "leadtriage clean leads.xlsx --sheet Leads --profile hubspot -o today",
        "cat export.csv | leadtriage clean - --input-format csv --out-dir today",
    )
    + "\n\n"
    + EXIT_STATUS,
)
def clean(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE",
            help=f"Exports to read: {formats_help()}; '-' reads standard input.",
            show_default=False,
        ),
    ],
    rules: RulesOption = None,
    profile: Annotated[
        Profile | None,
        typer.Option(
            "--profile",
            "-p",
            metavar=choices_metavar(Profile),
            parser=choice_parser(Profile, "profile"),
            help="Column layout for a CRM's import. "
            "[default: the rules' [output] profile, else generic]",
            show_default=False,
        ),
    ] = None,
    crm_exports: Annotated[
        list[str] | None,
        typer.Option(
            "--crm",
            metavar="FILE",
            help="CRM export to match against: matching rows are imported as updates.",
            show_default=False,
        ),
    ] = None,
    ledger: Annotated[
        Path | None,
        typer.Option(
            "--ledger",
            metavar="FILE",
            parser=path_parser,
            help="Ledger of earlier runs (created if missing): returning people keep "
            "their person_id.",
            show_default=False,
        ),
    ] = None,
    check_mx: Annotated[
        bool,
        typer.Option(
            "--check-mx",
            help="Ask DNS whether each email domain takes mail; a failed lookup only tags the row.",
        ),
    ] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            "-o",
            metavar="DIR",
            parser=path_parser,
            help="Folder for the outputs. [default: <first input's name>_triage]",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            metavar=choices_metavar(OutputFormat),
            parser=choice_parser(OutputFormat, "format"),
            help="Format of the three outputs. [default: csv]",
            show_default=False,
        ),
    ] = OutputFormat.CSV,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="Start CSV outputs with a byte-order mark so Excel shows accents."
        ),
    ] = False,
    sheet: SheetOption = None,
    input_format: InputFormatOption = None,
    max_input_size: MaxInputSizeOption = DEFAULT_MAX_INPUT_SIZE_TEXT,
    json_summary: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON on stdout.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the outputs of an earlier run.")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Also show the inputs, the column mapping and every reason."
        ),
    ] = False,
    quiet: QuietFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Triage exports into accepted, review and rejected files."""
    console = _stderr()
    with _errors_to_exit(console, debug, as_json=json_summary):
        if out_dir is not None and out_dir.name == "-":
            # Three outputs and a workbook cannot share standard output.
            raise UsageError(
                "--out-dir -: the outputs are several files and need a folder",
                hint="name a folder with --out-dir DIR; for the summary on stdout add --json",
            )
        if excel and output_format is not OutputFormat.CSV:
            raise UsageError(
                f"--excel applies to CSV outputs, not --format {output_format.value}",
                hint="drop --excel, or write CSV",
            )
        if quiet and verbose:
            raise UsageError("--quiet and --verbose ask for opposite things", hint="choose one")
        inputs = expand_patterns(inputs)
        crm = _one_crm_export(crm_exports or [])
        if crm == STDIN and STDIN in inputs:
            # The inputs are read first and take it all: the CRM would find it empty.
            raise UsageError(
                "--crm -: standard input is already read as an input",
                hint="save the CRM export to a file and name it with --crm",
            )
        rule_set = load_rules(rules)  # every problem reported before any data is read
        target = out_dir or _default_out_dir(inputs[0])
        names = [d.value for d in DECISIONS]
        check_output_folder(target)
        overwritten = inputs_among_outputs(target, names, [*inputs, *([crm] if crm else [])])
        if overwritten:
            raise UsageError(
                f"{overwritten[0]} is one of the outputs this run writes to {target}",
                hint="copy it elsewhere first, or choose another --out-dir",
            )
        clashes = existing_outputs(target, names, output_format)
        if clashes and not force:
            raise OutputError(
                f"{target} already holds outputs ({', '.join(clashes)})",
                hint="add --force to replace them, or choose another --out-dir",
            )
        with _progress(console, shown=not (quiet or json_summary)) as progress:
            result, summary = clean_files(
                inputs,
                target,
                rules=rule_set,
                options=TriageOptions(
                    read=ReadSettings(
                        sheet=sheet,
                        input_format=input_format,
                        limits=Limits(parse_size(max_input_size)),
                    ),
                    check_mx=check_mx,
                    profile=profile,
                    crm=crm,
                ),
                write_options=WriteOptions(format=output_format, excel_bom=excel),
                ledger_path=ledger,
                progress=progress,
            )
        if json_summary:
            _print_json(summary)
        elif not quiet:
            render_summary(
                console,
                result.summary,
                target,
                output_format=output_format.value,
                verbose=verbose,
            )
            _say_if_a_rerun(console, summary)


@app.command(
    "inspect",
    cls=PlainHelpCommand,
    epilog=examples(
        "leadtriage inspect campaign.csv",
        "leadtriage inspect campaign.csv --rules rules.toml   # preview [columns]",
        "leadtriage inspect audience.zip --json",
    ),
)
def inspect_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE",
            help=f"Files to look at: {formats_help()}; '-' reads standard input.",
            show_default=False,
        ),
    ],
    rules: RulesOption = None,
    sheet: SheetOption = None,
    input_format: InputFormatOption = None,
    max_input_size: MaxInputSizeOption = DEFAULT_MAX_INPUT_SIZE_TEXT,
    json_output: JsonFlag = False,
    unmask: Annotated[
        bool, typer.Option("--unmask", help="Show sample values as they are, not masked.")
    ] = False,
    debug: DebugFlag = False,
) -> None:
    """Show what a file holds: format, columns, fill, problems.

    Writes nothing. Sample values are masked unless --unmask.
    """
    console = _stderr()
    with _errors_to_exit(console, debug, as_json=json_output):
        rule_set = load_rules(rules)  # [columns] and date_order apply as in a run
        inspections = inspect_files(
            expand_patterns(inputs),
            sheet=sheet,
            input_format=input_format,
            unmask=unmask,
            rules=rule_set,
            limits=Limits(parse_size(max_input_size)),
        )
        if json_output:
            _print_json([i.as_dict() for i in inspections])
        else:
            render_inspection(console, inspections)


rules_app = typer.Typer(
    cls=OneLineErrorsGroup,
    help="Show, start or check a rules file.",
    epilog=examples(
        "leadtriage rules init rules.toml",
        "leadtriage rules check rules.toml",
        "leadtriage rules show",
    ),
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")


@rules_app.command(
    "show", cls=PlainHelpCommand, epilog=examples("leadtriage rules show > defaults.toml")
)
def rules_show() -> None:
    """Print the built-in rules (what applies without --rules), as TOML."""
    with _errors_to_exit(_stderr(), debug=False):
        _to_stdout(default_rules_text(), nl=False)


@rules_app.command(
    "init",
    cls=PlainHelpCommand,
    epilog=examples("leadtriage rules init", "leadtriage rules init config/rules.toml"),
)
def rules_init(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            parser=path_parser,
            help="Where to write the starter file. [default: rules.toml]",
            show_default=False,
        ),
    ] = Path("rules.toml"),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented starter rules file to edit."""
    console = _stderr()
    with _errors_to_exit(console, debug=False):
        if path.exists() and not force:
            raise OutputError(f"{path} already exists", hint="add --force to replace it")
        write_text_atomically(path, starter_rules_text())
        console.print(f"wrote {path}; check it with: leadtriage rules check {path}", markup=False)


@rules_app.command(
    "check", cls=PlainHelpCommand, epilog=examples("leadtriage rules check rules.toml")
)
def rules_check(
    path: Annotated[
        Path, typer.Argument(metavar="FILE", parser=path_parser, help="The rules file to check.")
    ],
) -> None:
    """Check a rules file and report every problem, each with its line and key."""
    console = _stderr()
    with _errors_to_exit(console, debug=False):
        problems = check_rules(path)
        if problems:
            raise ConfigError(
                f"{path}: {problem_count(problems)} in the rules file",
                problems=problems,
                hint="fix the lines named and check again",
            )
        console.print(f"{path}: ok", markup=False)


ledger_app = typer.Typer(
    cls=OneLineErrorsGroup,
    help="Look into or erase from the ledger of earlier runs (--ledger).",
    epilog=examples(
        "leadtriage ledger stats leads.ledger",
        "leadtriage ledger runs leads.ledger --json",
        "leadtriage ledger forget leads.ledger --email jane@acme.com",
    ),
    no_args_is_help=True,
)
app.add_typer(ledger_app, name="ledger")
LedgerPath = Annotated[
    Path,
    typer.Argument(
        metavar="LEDGER", parser=path_parser, help="The ledger file given to clean --ledger."
    ),
]


def _print_json(value: object) -> None:
    _to_stdout(json.dumps(_jsonable(value), indent=2, ensure_ascii=False))


def _jsonable(value: object) -> object:
    """Dataclasses, paths and dates as JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path | date):
        return str(value) if isinstance(value, Path) else value.isoformat()
    return value


@ledger_app.command(
    "stats",
    cls=PlainHelpCommand,
    epilog=examples(
        "leadtriage ledger stats leads.ledger", "leadtriage ledger stats leads.ledger --json"
    ),
)
def ledger_stats_command(path: LedgerPath, json_output: JsonFlag = False) -> None:
    """People, runs, sources and the last run of a ledger."""
    console = _stderr()
    with _errors_to_exit(console, debug=False, as_json=json_output):
        stats = ledger_stats(path)
        if json_output:
            _print_json(stats)
            return
        render_ledger_stats(console, stats)


@ledger_app.command(
    "runs",
    cls=PlainHelpCommand,
    epilog=examples(
        "leadtriage ledger runs leads.ledger", "leadtriage ledger runs leads.ledger --json"
    ),
)
def ledger_runs_command(path: LedgerPath, json_output: JsonFlag = False) -> None:
    """Every run the ledger recorded, oldest first."""
    console = _stderr()
    with _errors_to_exit(console, debug=False, as_json=json_output):
        runs = ledger_runs(path)
        if json_output:
            _print_json(runs)
            return
        render_ledger_runs(console, runs)


@ledger_app.command(
    "forget",
    cls=PlainHelpCommand,
    epilog=examples(
        "leadtriage ledger forget leads.ledger --email jane@acme.com",
        "leadtriage ledger forget leads.ledger --email jane@acme.com --email j.doe@acme.com",
    ),
)
def ledger_forget_command(
    path: LedgerPath,
    email: Annotated[
        list[str],
        typer.Option(
            "--email",
            metavar="ADDRESS",
            help="The person's email address (repeat for several).",
        ),
    ],
) -> None:
    """Erase a person (right to erasure): keeps only a SHA-256 of the address, so the
    person is suppressed, not re-imported, when they come back."""
    console = _stderr()
    with _errors_to_exit(console, debug=False):
        removed = forget_many(path, email)
        if removed:
            message = f"forgot {removed} person(s); their addresses stay suppressed as hashes"
        else:
            # An erasure request may come before the person is ever imported: the
            # address is suppressed all the same, which "forgot 0" did not say.
            which = "that address" if len(email) == 1 else "these addresses"
            message = (
                f"no one in the ledger has {which}; suppressed as hashes all the same, "
                "so they are never imported"
            )
        console.print(message, markup=False)


REVIEW_EXAMPLES = examples("leadtriage review apply campaign_triage campaign_triage/review.xlsx")
review_app = typer.Typer(
    cls=OneLineErrorsGroup,
    help="Apply a person's decisions from review.xlsx.",
    epilog=REVIEW_EXAMPLES,
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")


@review_app.command("apply", cls=PlainHelpCommand, epilog=REVIEW_EXAMPLES)
def review_apply(
    out_dir: Annotated[
        Path,
        typer.Argument(
            metavar="OUT_DIR", parser=path_parser, help="The folder leadtriage clean wrote."
        ),
    ],
    workbook: Annotated[
        Path,
        typer.Argument(
            metavar="WORKBOOK", parser=path_parser, help="The review.xlsx with decisions typed in."
        ),
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print what was applied as JSON on stdout.")
    ] = False,
    quiet: QuietFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Move the rows decided in review.xlsx to accepted or rejected.

    Type accept or reject in the decision column of review.xlsx (sorting and
    filtering the sheet is fine), save it, then run this. Undecided rows stay in
    review; applying the same workbook twice changes nothing.
    """
    console = _stderr()
    with _errors_to_exit(console, debug, as_json=json_output):
        outcome = apply_review(out_dir, workbook)
        if json_output:
            _print_json({**asdict(outcome), "changed": outcome.changed})
            return
        if quiet:
            return
        if outcome.changed:
            message = (
                f"review: {outcome.accepted} accepted, {outcome.rejected} rejected, "
                f"{outcome.edited} edited, {outcome.left} left in review"
            )
            for edit in outcome.edits:  # cells, never their values
                kept = "" if edit.applied else " (still invalid: row kept in review)"
                message += f"\n  {edit.source_file} row {edit.source_row}: {edit.column}{kept}"
        else:
            applied = count_of(outcome.already_applied, "row", "rows")
            message = (
                f"review: nothing to apply ({applied} applied before, "
                f"{outcome.left} left in review)"
            )
        console.print(message, markup=False, soft_wrap=True)


def _say_if_a_rerun(console: Console, summary: dict[str, object]) -> None:
    """A run of inputs the ledger already recorded records nothing: a person reading a
    cron job's output should see it."""
    ledger = summary.get("ledger")
    rerun_of = ledger.get("rerun_of") if isinstance(ledger, dict) else None
    if rerun_of is not None:
        console.print(
            f"ledger: these inputs were recorded by run {rerun_of}; nothing recorded again",
            markup=False,
        )


def _one_crm_export(given: list[str]) -> str | None:
    """The CRM export of a run. Given twice, the option would keep the last: the
    first export's people would come out as new leads."""
    if len(given) > 1:
        raise UsageError(
            f"--crm is given twice ({', '.join(given)}); a run matches one CRM export",
            hint="join the exports into one file with one header (the same record id "
            "column), or run once per CRM",
        )
    return given[0] if given else None


def main() -> None:
    """Console-script entry point."""
    app(prog_name="leadtriage")


if __name__ == "__main__":  # pragma: no cover
    main()
