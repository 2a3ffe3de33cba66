"""Human rendering of a run's summary on stderr (rich). Data stays in report.py."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from leadtriage.report import Summary

TOP_REASONS = 10


def render_warnings(console: Console, summary: Summary) -> None:
    for source in summary.inputs:
        for warning in source.warnings:
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
        mapping.add_row(field, Text(header))
    console.print(mapping)
    if summary.mapping.unmapped:
        console.print(
            "passed through unchanged: " + ", ".join(summary.mapping.unmapped),
            markup=False,
            soft_wrap=True,
        )
