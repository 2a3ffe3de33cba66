"""Human rendering of a run's summary on stderr (rich). Data stays in report.py."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from leadtriage.ledger import LedgerStats, RunRecord
from leadtriage.report import Summary

TOP_REASONS = 10


def render_warnings(console: Console, summary: Summary) -> None:
    for source in summary.inputs:
        for warning in source.warnings:
            console.print(f"leadtriage: warning: {warning}", markup=False, soft_wrap=True)
    for warning in summary.notes.get("warnings", ()):
        console.print(f"leadtriage: warning: {warning}", markup=False, soft_wrap=True)


def render_summary(console: Console, summary: Summary, out_dir: Path) -> None:
    render_warnings(console, summary)
    counts = Table(title="leadtriage", title_justify="left", show_edge=False)
    counts.add_column("rows")
    counts.add_column("count", justify="right")
    counts.add_column("file")
    # Text(), not markup: file names and headers come from users and may hold brackets.
    counts.add_row("in", f"{summary.rows_in:,}", Text(", ".join(i.source for i in summary.inputs)))
    styles = {"accepted": "green", "review": "yellow", "rejected": "red"}
    for name, count in summary.outputs.items():
        counts.add_row(
            Text(name, style=styles.get(name, "")), f"{count:,}", Text(str(out_dir / f"{name}.*"))
        )
    console.print(counts)
    _render_matching(console, summary)

    if summary.reasons:
        reasons = Table(title="top reasons", title_justify="left", show_edge=False)
        reasons.add_column("reason")
        reasons.add_column("rows", justify="right")
        for reason, count in list(summary.reasons.items())[:TOP_REASONS]:
            reasons.add_row(Text(reason), f"{count:,}")
        console.print(reasons)

    mapping = Table(title="columns", title_justify="left", show_edge=False)
    mapping.add_column("field")
    mapping.add_column("from header")
    for field, header in summary.mapping.fields.items():
        guess = " (guessed)" if field in summary.mapping.guessed else ""
        also = "".join(f", then {h}" for h in summary.mapping.fallbacks.get(field, ()))
        mapping.add_row(field, Text(header + also + guess))
    console.print(mapping)
    if summary.mapping.unmapped:
        console.print(
            "passed through unchanged: " + ", ".join(summary.mapping.unmapped),
            markup=False,
            soft_wrap=True,
        )


def _render_matching(console: Console, summary: Summary) -> None:
    """Duplicates merged, CRM updates, returning people: one line each, when they ran."""
    dedupe = summary.notes.get("dedupe")
    if isinstance(dedupe, dict):
        console.print(
            f"duplicates merged: {dedupe.get('duplicates', 0):,} rows into "
            f"{dedupe.get('clusters', 0):,} people; {dedupe.get('possible', 0):,} possible "
            f"(review); {dedupe.get('candidate_pairs', 0):,} candidate pairs compared",
            markup=False,
        )
    crm = summary.notes.get("crm")
    if isinstance(crm, dict):
        console.print(
            f"CRM updates: {crm.get('existing', 0):,} rows match a record "
            f"({crm.get('ambiguous', 0):,} ambiguous) of {crm.get('records', 0):,}",
            markup=False,
        )
    seen = summary.reasons.get("seen.before")
    if seen:
        console.print(f"seen in earlier runs: {seen:,} rows", markup=False)
    orders = summary.notes.get("date_order")
    if isinstance(orders, dict):
        for source, order in orders.items():
            console.print(f"dates in {source} read as {order}", markup=False, soft_wrap=True)


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
        sources = Table(title="people per source", title_justify="left", show_edge=False)
        sources.add_column("source")
        sources.add_column("people", justify="right")
        for source, people in stats.sources.items():
            sources.add_row(Text(source), f"{people:,}")
        console.print(sources)


def render_ledger_runs(console: Console, runs: list[RunRecord]) -> None:
    table = Table(title="runs", title_justify="left", show_edge=False)
    for column in (
        "run",
        "date",
        "inputs",
        "rows",
        "accepted",
        "review",
        "rejected",
        "new",
        "seen before",
    ):
        table.add_column(column, justify="left" if column in ("date", "inputs") else "right")
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
