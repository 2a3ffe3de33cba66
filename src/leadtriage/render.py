"""Human rendering of a run's summary on stderr (rich). Data stays in report.py."""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress
from rich.table import Column, Table
from rich.text import Text

from leadtriage.io import workbook as workbooks
from leadtriage.io.sheet_xml import SHEET_MAX_COLUMNS
from leadtriage.io.workbook import WORKBOOK_NAME
from leadtriage.io.write import SUMMARY_NAME
from leadtriage.ledger import LedgerStats, RunRecord
from leadtriage.reasons import REASONS as REASON_TEXTS
from leadtriage.report import CONSENT_KEY, RULES_KEY, Summary
from leadtriage.rules import applied_rules, load_rules
from leadtriage.triage import Decision
from leadtriage.wording import count_of

TOP_REASONS = 5  # in the short summary; --verbose and summary.json list them all
STYLES = {"accepted": "green", "review": "yellow", "rejected": "red"}


class _CountColumn(ProgressColumn):
    """'12,000/50,000' for a stage that reports counts; nothing for one that does not."""

    def render(self, task: Task) -> Text:
        if not task.fields.get("counted"):
            return Text("")
        total = f"/{int(task.total):,}" if task.total is not None else ""
        return Text(f"{int(task.completed):,}{total}", style="progress.download")


class _TimeLeftColumn(TimeRemainingColumn):
    """The estimate while a counted stage runs; nothing once it is done."""

    def render(self, task: Task) -> Text:
        return Text("") if task.finished else super().render(task)


class ProgressDisplay:
    """A `pipeline.Progress` drawing each stage on its own line: a spinner while it
    runs, with its counts, a bar and the time left once it reports counts. A stage
    without counts ends when the next one starts; a counted one when its count does."""

    def __init__(self, progress: RichProgress) -> None:
        self._progress = progress
        self._tasks: dict[str, TaskID] = {}
        self._uncounted: set[str] = set()

    def __call__(self, stage: str, done: int | None = None, total: int | None = None, /) -> None:
        if stage not in self._tasks:
            for earlier in self._uncounted:
                self._progress.update(self._tasks[earlier], total=1, completed=1)
            self._uncounted.clear()
            self._tasks[stage] = self._progress.add_task(stage, total=None, counted=False)
            self._uncounted.add(stage)
        if done is None and total is None:
            return
        self._uncounted.discard(stage)
        self._progress.update(self._tasks[stage], total=total, completed=done or 0, counted=True)


@contextmanager
def progress_display(console: Console) -> Iterator[ProgressDisplay]:
    """Progress lines on `console` while the block runs; gone when it ends (the
    summary follows)."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}", table_column=Column(min_width=16)),
        BarColumn(bar_width=24),
        _CountColumn(),
        TimeElapsedColumn(),
        _TimeLeftColumn(),
    )
    with RichProgress(*columns, console=console, transient=True, refresh_per_second=4) as bars:
        yield ProgressDisplay(bars)


def render_warnings(console: Console, summary: Summary) -> None:
    for source in summary.inputs:
        for warning in source.warnings:
            console.print(f"leadtriage: warning: {warning}", markup=False, soft_wrap=True)
    for warning in summary.notes.get("warnings", ()):
        console.print(f"leadtriage: warning: {warning}", markup=False, soft_wrap=True)


def render_summary(
    console: Console,
    summary: Summary,
    out_dir: Path,
    *,
    output_format: str = "csv",
    verbose: bool = False,
) -> None:
    """What a person needs after a run: rows per output, the main reasons, what waits
    for them. `verbose` adds the inputs, the column mapping and every reason, which
    summary.json always holds."""
    render_warnings(console, summary)
    sources = [i.source for i in summary.inputs]
    named = sources[0] if len(sources) == 1 else f"{len(sources)} files"
    rows = count_of(summary.rows_in, "row", "rows")
    console.print(Text(f"leadtriage: {rows} from {named}"), soft_wrap=True)
    if verbose:
        _render_inputs(console, summary)
    counts = Table.grid(padding=(0, 2))
    counts.add_column()
    counts.add_column(justify="right")
    counts.add_column()
    for name, count in summary.outputs.items():
        # Text(), not markup: paths come from users and may hold brackets.
        path = Text(str(out_dir / f"{name}.{output_format}"))
        counts.add_row(Text(f"  {name}", style=STYLES.get(name, "")), f"{count:,}", path)
    console.print(counts)
    _render_matching(console, summary, verbose=verbose)
    if verbose:
        _render_consent(console, summary)
        _render_all_reasons(console, summary)
        _render_mapping(console, summary)
    elif summary.reasons:
        top = list(summary.reasons.items())[:TOP_REASONS]
        more = len(summary.reasons) - len(top)
        shown = ", ".join(f"{reason} {count:,}" for reason, count in top)
        line = f"top reasons: {shown}" + (f" (+{more} more)" if more else "")
        console.print(Text(line), soft_wrap=True)
    _render_needs_a_person(console, summary, out_dir, output_format)
    if not verbose:
        console.print(
            Text(f"everything else: {out_dir / SUMMARY_NAME}, or run again with --verbose"),
            style="dim",
            soft_wrap=True,
        )


def _render_consent(console: Console, summary: Summary) -> None:
    consent = summary.notes.get(CONSENT_KEY)
    by_output = consent.get("by_output") if isinstance(consent, dict) else None
    accepted = by_output.get("accepted") if isinstance(by_output, dict) else None
    if isinstance(accepted, dict) and accepted:
        shown = ", ".join(f"{accepted.get(k, 0):,} {k}" for k in ("yes", "no", "unknown"))
        console.print(Text(f"consent in accepted: {shown}"), soft_wrap=True)


def _render_needs_a_person(
    console: Console, summary: Summary, out_dir: Path, output_format: str
) -> None:
    in_review = summary.outputs.get(Decision.REVIEW.value, 0)
    if not in_review:
        console.print("needs a person: nothing", markup=False)
        return
    workbook = out_dir / WORKBOOK_NAME
    rows = count_of(in_review, "row", "rows")
    if workbook.exists():
        command = shlex.join(["leadtriage", "review", "apply", str(out_dir), str(workbook)])
        console.print(
            Text(
                f"needs a person: {rows} in review; type accept or reject in "
                f"{workbook}, then run\n  {command}"
            ),
            soft_wrap=True,
        )
    else:
        review = out_dir / f"{Decision.REVIEW.value}.{output_format}"
        why = (
            f"over {workbooks.WORKBOOK_MAX_ROWS:,} rows; sort them by their reasons, or "
            "tighten the rules so fewer need a look"
            if in_review > workbooks.WORKBOOK_MAX_ROWS
            else f"more columns than a worksheet holds, {SHEET_MAX_COLUMNS:,}"
        )
        console.print(
            Text(f"needs a person: {rows} in {review} (no review workbook: {why})"),
            soft_wrap=True,
        )


def _render_inputs(console: Console, summary: Summary) -> None:
    table = Table(title="inputs", title_justify="left", show_edge=False)
    table.add_column("file", overflow="fold")
    for column in ("rows", "format", "encoding", "delimiter", "export of"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for i in summary.inputs:
        table.add_row(
            Text(i.source),
            f"{i.rows:,}",
            i.format,
            i.encoding or "",
            repr(i.delimiter) if i.delimiter else "",
            Text((i.adapter or "") + (" (do not contact)" if i.suppression else "")),
        )
    console.print(table)


def _counts_table(title: str, names: tuple[str, str], counts: Mapping[str, int]) -> Table:
    """A titled two-column table: a name and its count (reasons, sources)."""
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column(names[0])
    table.add_column(names[1], justify="right")
    for name, count in counts.items():
        table.add_row(Text(name), f"{count:,}")
    return table


def _render_all_reasons(console: Console, summary: Summary) -> None:
    if summary.reasons:
        reasons = Table(title="reasons", title_justify="left", show_edge=False)
        reasons.add_column("reason")
        reasons.add_column("rows", justify="right")
        reasons.add_column("meaning")
        messages = summary.notes.get("rule_messages", {})
        for reason, count in summary.reasons.items():
            meaning = messages.get(reason) or REASON_TEXTS.get(reason, "")
            reasons.add_row(Text(reason), f"{count:,}", Text(meaning))
        console.print(reasons)


def _render_mapping(console: Console, summary: Summary) -> None:
    mapping = Table(title="columns", title_justify="left", show_edge=False)
    mapping.add_column("field")
    mapping.add_column("from header")
    for field, header in summary.mapping.fields.items():
        guess = " (guessed)" if field in summary.mapping.guessed else ""
        also = "".join(f", then {h}" for h in summary.mapping.fallbacks.get(field, ()))
        before = "".join(f"{h} + " for h in summary.mapping.particles.get(field, ()))
        mapping.add_row(field, Text(before + header + also + guess))
    console.print(mapping)
    if summary.mapping.unmapped:
        console.print(
            Text("passed through unchanged: " + ", ".join(summary.mapping.unmapped)),
            soft_wrap=True,
        )
    renamed = summary.notes.get("renamed_columns")
    if isinstance(renamed, dict):
        for header, name in renamed.items():
            console.print(Text(f"input column {header} kept as {name}"), soft_wrap=True)
    console.print(Text(f"output profile: {summary.notes.get('profile', 'generic')}"))


def _action_of(summary: Summary, slug: str) -> str | None:
    """The action of the rule that adds `slug` in this run, None when none ran. A
    summary that does not say which rules ran had the built-in ones."""
    ran = summary.notes.get(RULES_KEY)
    if not isinstance(ran, dict):
        ran = applied_rules(load_rules(None))
    applied = ran.get("applied")
    action = applied.get(slug) if isinstance(applied, dict) else None
    return action if isinstance(action, str) else None


def _slug_if_ran(summary: Summary, slug: str) -> str:
    """`` (slug)``, the reason to filter the outputs on, when a rule added it."""
    return f" ({slug})" if _action_of(summary, slug) is not None else ""


def _fate_of_repeats(summary: Summary) -> str:
    """What became of the repeats, as the ``duplicate`` rule of this run says: the
    built-in one rejects them, a file may replace it or, without the built-in
    rules, leave them in."""
    action = _action_of(summary, "duplicate")
    if action == "reject":
        return " kept once (duplicate)"
    if action == "review":
        return ", sent to review (duplicate)"
    if action is None:
        return ", not removed: no rule acts on duplicate"
    return ", not removed (duplicate)"


def _render_matching(console: Console, summary: Summary, *, verbose: bool) -> None:
    """Duplicates, CRM updates, returning people, date orders: one line each, when
    they ran."""
    dedupe = summary.notes.get("dedupe")
    if isinstance(dedupe, dict) and (dedupe.get("duplicates") or dedupe.get("possible")):
        repeats, people = int(dedupe.get("duplicates", 0)), int(dedupe.get("clusters", 0))
        line = (
            f"duplicates: {count_of(repeats, 'row repeats', 'rows repeat')} "
            f"{count_of(people, 'person', 'people')}{_fate_of_repeats(summary)}"
        )
        if dedupe.get("possible"):
            possible = int(dedupe["possible"])
            line += f"; {count_of(possible, 'row', 'rows')} may be repeats"
            line += _slug_if_ran(summary, "duplicate.possible")
        console.print(line, markup=False, soft_wrap=True)
    if isinstance(dedupe, dict) and verbose:
        pairs = int(dedupe.get("candidate_pairs", 0))
        console.print(
            f"duplicates: {count_of(pairs, 'candidate pair', 'candidate pairs')} compared, "
            f"{dedupe.get('matched_pairs', 0):,} matched",
            markup=False,
            soft_wrap=True,
        )
    crm = summary.notes.get("crm")
    if isinstance(crm, dict):
        ambiguous, possible = int(crm.get("ambiguous", 0)), int(crm.get("possible", 0))
        several = ""
        if ambiguous:
            several += f"; {count_of(ambiguous, 'matches', 'match')} several"
            several += _slug_if_ran(summary, "crm.ambiguous")
        if possible:
            several += f"; {count_of(possible, 'may be a record', 'may be records')}"
            several += _slug_if_ran(summary, "crm.possible")
        existing, records = int(crm.get("existing", 0)), int(crm.get("records", 0))
        console.print(
            f"CRM updates: {count_of(existing, 'row matches', 'rows match')} one of "
            f"{count_of(records, 'record', 'records')}{_slug_if_ran(summary, 'crm.existing')}"
            + several,
            markup=False,
            soft_wrap=True,
        )
    seen = summary.reasons.get("seen.before")
    if seen:
        console.print(f"seen in earlier runs: {count_of(seen, 'row', 'rows')}", markup=False)
    orders = summary.notes.get("date_order")
    if isinstance(orders, dict):
        for source, order in orders.items():
            console.print(Text(f"dates in {source} read as {order}"), soft_wrap=True)


def render_ledger_stats(console: Console, stats: LedgerStats) -> None:
    table = Table(title=Text(f"ledger {stats.path}"), title_justify="left", show_edge=False)
    table.add_column("")
    table.add_column("", justify="right")
    table.add_row("people", f"{stats.people:,}")
    table.add_row("runs", f"{stats.runs:,}")
    table.add_row("suppressed addresses", f"{stats.suppressions:,}")
    table.add_row("size on disk", f"{stats.size_bytes / 2**20:,.1f} MiB")
    if stats.last_run is not None:
        table.add_row("last run", f"#{stats.last_run.run_id} on {stats.last_run.seen_on}")
    console.print(table)
    if stats.sources:
        console.print(_counts_table("people per source", ("source", "people"), stats.sources))


def render_ledger_runs(console: Console, runs: list[RunRecord]) -> None:
    table = Table(title="runs", title_justify="left", show_edge=False)
    # Dates and counts stay whole in a narrow terminal; the file names wrap.
    table.add_column("run", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("inputs", overflow="fold")
    for column in ("rows", "accepted", "review", "rejected", "new", "seen\nbefore"):
        table.add_column(column, justify="right", no_wrap=True)
    for run in runs:
        table.add_row(
            f"#{run.run_id}",
            str(run.seen_on),
            Text(", ".join(i.name for i in run.inputs)),
            *(
                f"{n:,}"
                for n in (
                    run.rows,
                    run.accepted,
                    run.review,
                    run.rejected,
                    run.people_new,
                    run.people_seen,
                )
            ),
        )
    console.print(table)
