"""The stage order, in one place.

    read -> map -> normalise -> dedupe -> CRM match -> ledger -> rules -> split

`triage()` runs them and returns the three outputs and the summary; `clean()` also
writes the outputs and then records the run in the ledger, in that order. The CLI
only parses options, calls `clean()` and renders the summary.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import polars as pl

from leadtriage.columns import ColumnMapping, add_raw_fields, free_name, map_columns
from leadtriage.dedupe import DedupeConfig, deduplicate, match_crm
from leadtriage.errors import ConfigError, UsageError
from leadtriage.frame import DECISION, META_PREFIX, ROW_ID, SOURCE_FILE, SOURCE_ROW, flag
from leadtriage.io.layout import GENERATED_COLUMNS
from leadtriage.io.profiles import OutputLayout, Profile, profile_rules
from leadtriage.io.read import Table, read_tables
from leadtriage.io.workbook import workbook_files
from leadtriage.io.write import WriteOptions, write_outputs
from leadtriage.ledger import Ledger, RunInfo
from leadtriage.normalize import NormalizeSettings, normalise_notes, normalize
from leadtriage.normalize.presence import flag_presence
from leadtriage.report import InputReport, Summary, build_summary, check_conservation
from leadtriage.rules import RuleSet, apply_rules, load_rules
from leadtriage.triage import DECISIONS, Decision

# How the dates stage read each file's slashed dates (day or month first).
DATE_ORDER = META_PREFIX + "date_order"
# Marks the rows of inputs that list people not to contact.
SUPPRESSION_SOURCE = META_PREFIX + "suppression_source"

# Told which stage runs, for a person watching a long run.
Progress = Callable[[str], None]


def _silent(_stage: str) -> None:
    """No progress to show (a script, a test)."""


@dataclass(frozen=True)
class ReadSettings:
    sheet: str | None = None
    input_format: str | None = None


@dataclass(frozen=True)
class TriageOptions:
    """What the command line adds to the rules file."""

    read: ReadSettings = ReadSettings()
    check_mx: bool = False
    crm: str | None = None  # a CRM export to match against
    profile: Profile | None = None  # None: the rules file's [output] profile, else generic


@dataclass(frozen=True)
class TriageResult:
    """The three routed frames, ready to write, and the summary."""

    accepted: pl.DataFrame
    review: pl.DataFrame
    rejected: pl.DataFrame
    summary: Summary
    routed: pl.DataFrame  # every row with its working columns, for the ledger

    def tables(self) -> dict[str, pl.DataFrame]:
        return {
            Decision.ACCEPTED.value: self.accepted,
            Decision.REVIEW.value: self.review,
            Decision.REJECTED.value: self.rejected,
        }


@dataclass(frozen=True)
class Combined:
    """All inputs in one frame, with the names of their data columns."""

    frame: pl.DataFrame
    data_columns: tuple[str, ...]
    renamed: dict[str, str] = field(default_factory=dict)


def read_inputs(
    sources: Sequence[str], settings: ReadSettings, stdin: BinaryIO | None = None
) -> list[Table]:
    """Every table of every source (a Mailchimp zip holds several)."""
    duplicates = sorted({s for s in sources if sources.count(s) > 1})
    if duplicates:
        raise UsageError(
            f"{duplicates[0]} is given more than once",
            hint="name each input once; its rows would otherwise be counted twice",
        )
    return [
        table
        for source in sources
        for table in read_tables(
            source, sheet=settings.sheet, input_format=settings.input_format, stdin=stdin
        )
    ]


def _rename_reserved(data_columns: Sequence[str]) -> dict[str, str]:
    """Input headers that collide with a column the tool adds, and their new names."""
    taken = set(GENERATED_COLUMNS) | set(data_columns)
    renamed: dict[str, str] = {}
    for name in data_columns:
        if free_name(name, GENERATED_COLUMNS) != name:
            renamed[name] = free_name(name, taken)
            taken.add(renamed[name])
    return renamed


def combine(tables: Sequence[Table]) -> Combined:
    """Union the inputs' columns (first-seen order) and rename headers the tool owns."""
    seen: dict[str, None] = {}
    for table in tables:
        seen.update(
            dict.fromkeys(c for c in table.frame.columns if c not in (SOURCE_FILE, SOURCE_ROW))
        )
    renamed = _rename_reserved(list(seen))
    columns = [renamed.get(c, c) for c in seen]
    frames = [
        t.frame.rename(renamed, strict=False).with_columns(
            pl.lit(t.suppression).alias(SUPPRESSION_SOURCE)
        )
        for t in tables
    ]
    combined = pl.concat(frames, how="diagonal").select(
        *columns, SOURCE_FILE, SOURCE_ROW, SUPPRESSION_SOURCE
    )
    return Combined(combined.with_row_index(ROW_ID), tuple(columns), renamed)


def normalized(
    combined: Combined, mapping: ColumnMapping, rules: RuleSet, options: TriageOptions
) -> pl.LazyFrame:
    """Mapped input with every field's clean values, keys and findings."""
    lf = add_raw_fields(combined.frame.lazy(), mapping)
    lf = flag_presence(lf, combined.data_columns)
    return normalize(
        lf,
        NormalizeSettings(
            default_region=rules.settings.default_region,
            date_order=rules.settings.date_order,
            check_mx=options.check_mx,
        ),
    )


def suppress_listed_people(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Rows of suppression inputs (Mailchimp's unsubscribed and cleaned members), and
    every row sharing an email key with one of them, are suppressed; a suppression an
    earlier stage found (the ledger's erasures) stays."""
    listed = pl.col("email_key").filter(pl.col(SUPPRESSION_SOURCE)).unique().implode()
    earlier = flag("suppressed")
    already = pl.col(earlier) if earlier in lf.collect_schema() else pl.lit(False)
    return lf.with_columns(
        (
            already
            | pl.col(SUPPRESSION_SOURCE)
            | pl.col("email_key").is_in(listed).fill_null(False)
        ).alias(earlier)
    )


def read_crm(source: str, rules: RuleSet, options: TriageOptions) -> pl.LazyFrame:
    """A CRM export through the same read, map and normalise stages as the leads."""
    tables = read_inputs([source], options.read)
    combined = combine(tables)
    mapping = map_columns(combined.data_columns, rules.columns)
    if "record_id" not in mapping.fields:
        raise UsageError(
            f"{source}: no record id column found (looked for 'Record ID', 'Id', "
            "'Contact ID', 'Lead ID' ...)",
            hint='name it in the rules file: [columns] record_id = "Your Header"',
        )
    return normalized(combined, mapping, rules, replace(options, check_mx=False))


def resolve_profile(rules: RuleSet, options: TriageOptions) -> Profile:
    if options.profile is not None:
        return options.profile
    configured = rules.output.get("profile", Profile.GENERIC.value)
    try:
        return Profile(str(configured))
    except ValueError:
        raise ConfigError(
            f"{rules.source}: output.profile: unknown profile {configured!r}",
            hint=f"use one of: {', '.join(p.value for p in Profile)}",
        ) from None


def split(routed: pl.DataFrame, layout: OutputLayout) -> dict[str, pl.DataFrame]:
    """The three outputs, each with its columns; conservation checked first."""
    parts = {d.value: routed.filter(pl.col(DECISION) == d.value) for d in DECISIONS}
    check_conservation(routed.height, parts)
    return {
        name: layout.select(part, with_inputs=name != Decision.ACCEPTED.value)
        for name, part in parts.items()
    }


def triage(
    sources: Sequence[str],
    *,
    rules: RuleSet | None = None,
    options: TriageOptions = TriageOptions(),
    stdin: BinaryIO | None = None,
    ledger: Ledger | None = None,
    run: RunInfo | None = None,
    progress: Progress = _silent,
) -> TriageResult:
    """Read `sources`, triage every row, and return the three outputs and a summary.

    With a `ledger` (and the `run` it records), rows are matched against the people
    earlier runs saw; the caller commits the run after writing the outputs.
    """
    rules = rules or load_rules(None)
    dedupe_config = DedupeConfig.from_table(rules.dedupe)
    progress("reading")
    tables = read_inputs(sources, options.read, stdin)
    combined = combine(tables)
    mapping = map_columns(combined.data_columns, rules.columns)
    notes: dict[str, object] = {}

    progress(f"normalising {combined.frame.height:,} rows")
    lf = normalized(combined, mapping, rules, options)
    progress("finding duplicates")
    lf, dedupe_stats = deduplicate(lf, dedupe_config)
    notes["dedupe"] = asdict(dedupe_stats)
    if options.crm is not None:
        progress("matching the CRM export")
        lf, crm_stats = match_crm(lf, read_crm(options.crm, rules, options), dedupe_config)
        notes["crm"] = {"file": options.crm, **asdict(crm_stats)}
    if ledger is not None and run is not None:
        progress("looking up earlier runs")
        lf = ledger.identify(lf.collect().lazy(), run=run, config=dedupe_config)
    lf = suppress_listed_people(lf)
    profile = resolve_profile(rules, options)
    progress("applying rules")
    routed = apply_rules(lf, replace(rules, rules=[*rules.rules, *profile_rules(profile)]))
    routed_df = routed.collect()

    layout = OutputLayout(profile, mapping, combined.data_columns)
    parts = split(routed_df, layout)
    inputs = [
        InputReport(
            t.source,
            t.format,
            t.frame.height,
            t.encoding,
            t.delimiter,
            t.warnings,
            adapter=t.adapter,
            suppression=t.suppression,
        )
        for t in tables
    ]
    notes["profile"] = profile.value
    if combined.renamed:
        notes["renamed_columns"] = combined.renamed
    orders = _date_orders(routed_df)
    if orders:
        notes["date_order"] = orders
    notes.update(normalise_notes(routed_df))
    summary = build_summary(inputs, parts, mapping, notes)
    return TriageResult(
        accepted=parts[Decision.ACCEPTED.value],
        review=parts[Decision.REVIEW.value],
        rejected=parts[Decision.REJECTED.value],
        summary=summary,
        routed=routed_df,
    )


def _date_orders(routed: pl.DataFrame) -> dict[str, str]:
    """How slashed dates were read, per input file (day or month first)."""
    if DATE_ORDER not in routed.columns:
        return {}
    pairs = (
        routed.filter(pl.col(DATE_ORDER).is_not_null())
        .select(SOURCE_FILE, DATE_ORDER)
        .unique(maintain_order=True)
        .iter_rows()
    )
    return dict(pairs)


def clean(
    sources: Sequence[str],
    out_dir: Path,
    *,
    rules: RuleSet | None = None,
    options: TriageOptions = TriageOptions(),
    write_options: WriteOptions = WriteOptions(),
    ledger_path: Path | None = None,
    stdin: BinaryIO | None = None,
    progress: Progress = _silent,
) -> tuple[TriageResult, dict[str, object]]:
    """Triage, write the outputs, then record the run in the ledger: in that order, so
    a run that fails before its outputs exist leaves the ledger as it was.

    Returns the result and the summary as written to summary.json.
    """
    rules = rules or load_rules(None)
    with ExitStack() as stack:
        ledger, run = None, None
        if ledger_path is not None:
            if "-" in sources:
                raise UsageError(
                    "--ledger needs input files, not standard input",
                    hint="save the export to a file; the ledger records each input's hash",
                )
            run = RunInfo.for_files([Path(s) for s in sources], rules_hash=_rules_hash(rules))
            ledger = stack.enter_context(Ledger.open(ledger_path))
        result = triage(
            sources,
            rules=rules,
            options=options,
            stdin=stdin,
            ledger=ledger,
            run=run,
            progress=progress,
        )
        summary: dict[str, object] = {"out_dir": str(out_dir), **result.summary.as_dict()}
        if ledger is not None and run is not None:
            recorded = ledger.recorded_run(run)
            summary["ledger"] = {
                "path": str(ledger_path),
                "rerun_of": recorded.run_id if recorded else None,
            }
        progress("writing")
        write_outputs(
            out_dir, result.tables(), summary, write_options, extra=workbook_files(result.review)
        )
        if ledger is not None and run is not None:
            ledger.commit(result.routed, run=run)
    return result, summary


def _rules_hash(rules: RuleSet) -> str:
    text = rules.source.read_bytes() if rules.source is not None else b"defaults"
    return hashlib.sha256(text).hexdigest()
