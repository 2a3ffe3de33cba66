"""The stage order, in one place.

    read -> map -> normalise -> dedupe -> CRM match -> ledger -> rules -> split

`triage()` runs them and returns the three outputs and the summary; `clean()` also
writes the outputs and then records the run in the ledger, in that order. The CLI
only parses options, calls `clean()` and renders the summary.

What each stage adds is declared in the schema (`schema.COLUMNS`: the stage and the
source fields of every clean column; tests/test_schema.py checks a run against it).
The frame is materialised at these points, and nowhere else in this module:
1. `combine`: the inputs, mapped file by file, as one frame with their raw fields;
2. inside `normalize`: each stage's new columns, collected beside the frame
   (`materialise.collect_beside`), so a plan never grows past one stage; the
   normalised frame is collected once, and above a size the columns no whole-run
   stage reads (the inputs' own, the raw fields) are set aside on disk (spill.py);
3. inside `deduplicate` / `match_crm` / `Ledger.identify`: narrow key frames (row id
   and match keys) joined back;
4. `matched`: every row with its match columns, before consent and the rules;
5. `routed_df`: consent and the rules collected beside `matched` (a raw field a rule
   tests is read from the set-aside file), then the set-aside columns read back;
6. `split`: each output's columns chosen, then its rows; CSV outputs written a slice
   of rows at a time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO, Protocol, cast

import polars as pl

from leadtriage.columns import (
    ColumnMapping,
    add_raw_fields,
    free_name,
    map_columns,
    merge_mappings,
    override_warnings,
    untaken_columns,
)
from leadtriage.consent_across import most_restrictive_consent
from leadtriage.dedupe import DedupeConfig
from leadtriage.dedupe.crm import CrmStats, crm_keys, find_crm_records
from leadtriage.dedupe.deduplicate import find_duplicates, mark_duplicates, match_keys
from leadtriage.dedupe.features import INPUT_COLUMNS as MATCHER_INPUTS
from leadtriage.dedupe.survivorship import fill_passed_on
from leadtriage.errors import ConfigError, UsageError
from leadtriage.frame import (
    DECISION,
    FIELDS,
    META_PREFIX,
    POLARITIES,
    RAW_PREFIX,
    ROW_ID,
    SOURCE_FILE,
    SOURCE_ROW,
    UNCLEAR_CONSENT,
    flag,
    raw,
    raw_consent,
)
from leadtriage.io.header import NOT_DATA
from leadtriage.io.layout import GENERATED_COLUMNS, unmapped_columns
from leadtriage.io.limits import DEFAULT_LIMITS, Limits
from leadtriage.io.profiles import (
    OutputLayout,
    Profile,
    exact_tables,
    unmapped_setting,
)
from leadtriage.io.read import Table, read_tables
from leadtriage.io.safe_cells import flag_formula_cells
from leadtriage.io.workbook import WORKBOOK_NAME, run_id, workbook_files
from leadtriage.io.write import WriteOptions, write_outputs
from leadtriage.ledger import Ledger, RunInfo
from leadtriage.materialise import collect_beside
from leadtriage.normalize import NormalizeSettings, normalise_notes, normalize
from leadtriage.normalize.consent import UNKNOWN
from leadtriage.normalize.presence import flag_presence
from leadtriage.report import (
    CONSENT_KEY,
    RULES_KEY,
    InputReport,
    Summary,
    build_summary,
    check_conservation,
    count_consent,
)
from leadtriage.rules import RuleSet, applied_rules, apply_rules, load_rules, rule_messages
from leadtriage.rules.coverage import absent_compare_warnings, absent_field_warnings
from leadtriage.rules.suppress import SUPPRESSION_SOURCE
from leadtriage.schema import Col, Field
from leadtriage.spill import SetAside, Spill, SpillSettings
from leadtriage.triage import DECISIONS, Decision
from leadtriage.wording import count_of

# How the dates stage read each file's slashed dates (day or month first).
DATE_ORDER = META_PREFIX + "date_order"

# The columns the consent stage rewrites (consent_across.py); it and the rules add
# columns and change no other (tests/test_materialise.py).
CONSENT_REWRITES = (Col.CONSENT, Col.SOURCES)

# The stages that report counts (done of total) when they know them. Normalisation
# works field by field on all rows at once: its count is of fields.
ROWS_READ, FIELDS_NORMALISED = "rows read", "fields normalised"
PAIRS_SCORED, ROWS_WRITTEN = "pairs scored", "rows written"


class Progress(Protocol):
    """Told which stage runs, for a person watching a long run; with the counts of its
    units (rows, pairs) when known. `progress(stage)` alone still works."""

    def __call__(self, stage: str, done: int | None = None, total: int | None = None, /) -> None:
        """`done` of `total` units of `stage`; None when not counted (yet)."""


def _silent(_stage: str, _done: int | None = None, _total: int | None = None, /) -> None:
    """No progress to show (a script, a test)."""


@dataclass(frozen=True)
class ReadSettings:
    sheet: str | None = None
    input_format: str | None = None
    limits: Limits = DEFAULT_LIMITS


@dataclass(frozen=True)
class TriageOptions:
    """What the command line adds to the rules file."""

    read: ReadSettings = ReadSettings()
    check_mx: bool = False
    crm: str | None = None  # a CRM export to match against
    profile: Profile | None = None  # None: the rules file's [output] profile, else generic
    spill: SpillSettings = SpillSettings()  # when columns wait on disk (spill.py)


@dataclass(frozen=True)
class TriageResult:
    """The three routed frames, ready to write, and the summary."""

    accepted: pl.DataFrame
    review: pl.DataFrame
    rejected: pl.DataFrame
    summary: Summary
    # Every row with its working columns, for the ledger; None when not kept
    # (`triage(keep_routed=False)`: it is as large as the three outputs together).
    routed: pl.DataFrame | None

    def tables(self) -> dict[str, pl.DataFrame]:
        return {
            Decision.ACCEPTED.value: self.accepted,
            Decision.REVIEW.value: self.review,
            Decision.REJECTED.value: self.rejected,
        }


@dataclass(frozen=True)
class Combined:
    """All inputs in one frame with their raw fields, the names of their data columns,
    each input's own mapping (in input order) and the run's (`merge_mappings`)."""

    frame: pl.DataFrame
    data_columns: tuple[str, ...]
    mapping: ColumnMapping
    mappings: tuple[ColumnMapping, ...]
    renamed: dict[str, str] = field(default_factory=dict)


def read_inputs(
    sources: Sequence[str], settings: ReadSettings, stdin: BinaryIO | None = None
) -> list[Table]:
    """Every table of every source (a Mailchimp zip holds several)."""
    # One file under two spellings (c.csv, ./c.csv, a symlink, a hard link) is one file.
    first_spelling: dict[object, str] = {}
    for source in sources:
        key = _file_identity(source)
        if key in first_spelling:
            same = "" if first_spelling[key] == source else f" (as {first_spelling[key]})"
            raise UsageError(
                f"{source} is given more than once{same}",
                hint="name each input once; its rows would otherwise be counted twice",
            )
        first_spelling[key] = source
    return [
        table
        for source in sources
        for table in read_tables(
            source,
            sheet=settings.sheet,
            input_format=settings.input_format,
            stdin=stdin,
            limits=settings.limits,
        )
    ]


def _file_identity(source: str) -> object:
    """What makes two names one file: its device and inode where it exists (a hard
    link shares them), else its resolved path."""
    if source == "-":
        return source
    path = Path(source)
    try:
        found = path.stat()
    except OSError:
        # The reader says what is wrong with it; a symlink loop cannot be resolved.
        return str(path.absolute())
    return (found.st_dev, found.st_ino)


def _rename_reserved(data_columns: Sequence[str]) -> dict[str, str]:
    """Input headers that collide with a column the tool adds, and their new names."""
    taken = set(GENERATED_COLUMNS) | set(data_columns)
    renamed: dict[str, str] = {}
    for name in data_columns:
        if free_name(name, GENERATED_COLUMNS) != name:
            renamed[name] = free_name(name, taken)
            taken.add(renamed[name])
    return renamed


def combine(tables: Sequence[Table], overrides: Mapping[str, str]) -> Combined:
    """Map each input on its own, as it would be mapped alone (a header only guessed in
    one export must not lose its field to another export's synonym), add its raw
    fields, then union the inputs' columns (first-seen order), renaming headers the
    tool owns. `overrides` (the rules' [columns]) apply to every input holding the
    header they name."""
    seen: dict[str, None] = {}
    for table in tables:
        seen.update(dict.fromkeys(table.data_columns))
    renamed = _rename_reserved(list(seen))
    columns = [renamed.get(c, c) for c in seen]
    # A file without a header row has its columns mapped by what their values look like.
    mappings = tuple(
        map_columns(t.data_columns, {**t.fields_by_content, **overrides}).with_headers_renamed(
            renamed
        )
        for t in tables
    )
    frames = [
        add_raw_fields(t.frame.rename(renamed, strict=False).lazy(), mapping).with_columns(
            pl.lit(t.suppression).alias(SUPPRESSION_SOURCE),
            # The reader marks report footers; the rules reject them as row.not_data.
            (pl.col(NOT_DATA) if NOT_DATA in t.frame.columns else pl.lit(False)).alias(NOT_DATA),
        )
        for t, mapping in zip(tables, mappings, strict=True)
    ]
    raw_fields = [*(raw(f) for f in FIELDS), *map(raw_consent, POLARITIES), UNCLEAR_CONSENT]
    combined = (
        pl.concat(frames, how="diagonal")
        .select(
            *columns,
            SOURCE_FILE,
            SOURCE_ROW,
            SUPPRESSION_SOURCE,
            pl.col(NOT_DATA).alias(flag("row.not_data")),
            *raw_fields,
        )
        .collect()
    )
    return Combined(
        combined.with_row_index(ROW_ID),
        tuple(columns),
        merge_mappings(mappings),
        mappings,
        renamed,
    )


def normalized(
    combined: Combined,
    rules: RuleSet,
    options: TriageOptions,
    on_stage: Callable[[int, int], None] | None = None,
) -> pl.LazyFrame:
    """Mapped input with every field's clean values, keys and findings; `on_stage`
    is told the normalisation stages done of all (see `normalize`)."""
    lf = flag_presence(combined.frame.lazy(), combined.data_columns)
    lf = flag_formula_cells(lf, combined.data_columns)
    return normalize(
        lf,
        NormalizeSettings(
            default_region=rules.settings.default_region,
            date_order=rules.settings.date_order,
            check_mx=options.check_mx,
        ),
        on_stage,
    )


@dataclass(frozen=True)
class CrmExport:
    """A CRM export read, mapped and normalised as the leads are; the headers of the
    addresses its records hold beside the one the email field took (Dynamics' Email
    Address 2, Pipedrive's Person - Email - Home: a lead at any is at the record);
    and what the run says of its columns."""

    records: pl.LazyFrame
    other_emails: tuple[str, ...]
    warnings: list[str]


def read_crm(source: str, rules: RuleSet, options: TriageOptions) -> CrmExport:
    """A CRM export through the same read, map and normalise stages as the leads, and
    what the run says of its columns: a ``[columns] record_id`` it lacks."""
    tables = read_inputs([source], options.read)
    combined = combine(tables, rules.columns)
    where = str(rules.source or "rules")
    warnings = override_warnings(where, rules.columns, combined.mappings, crm_export=source)
    if "record_id" not in combined.mapping.fields:
        raise UsageError(
            f"{source}: no record id column found (looked for 'Record ID', 'Id', "
            "'Contact ID', 'Lead ID' ...)",
            hint='name it in the rules file: [columns] record_id = "Your Header"',
        )
    # A report's footer lines (a count, a legal notice) are no records.
    footer = pl.col(flag("row.not_data"))
    return CrmExport(
        normalized(combined, rules, replace(options, check_mx=False)).filter(~footer),
        combined.mapping.value_headers_of(Field.EMAIL)[1:],
        warnings,
    )


def crm_warnings(source: str, stats: CrmStats) -> list[str]:
    """What a run says of a CRM export that matched less than it seems to hold."""
    if stats.records == 0:
        return [f"{source}: the CRM export holds no record with a record id; no row was matched"]
    warnings = []
    if stats.without_id:
        rows = count_of(stats.without_id, "row", "rows")
        warnings.append(f"{source}: {rows} without a record id left out of CRM matching")
    if stats.repeated_ids:
        count = stats.repeated_ids
        ids = ", ".join(repr(i) for i in stats.repeated_examples)
        more = ", ..." if count > len(stats.repeated_examples) else ""
        warnings.append(
            f"{source}: {count:,} record id{'s' if count > 1 else ''} on more than one row "
            f"({ids}{more}); rows matching them are flagged crm.ambiguous for a person"
        )
    return warnings


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


@dataclass(frozen=True)
class OutputColumns:
    """Each output's columns for every row, and which rows each output takes: the
    outputs before their rows are filtered (`split`)."""

    columns: dict[bool, pl.DataFrame]  # by whether the output carries the inputs' columns
    masks: dict[str, pl.Series]  # by output name

    def split(self) -> dict[str, pl.DataFrame]:
        """The three outputs. Materialisation point: the filter copies each output's
        columns of its rows."""
        return {
            name: self.columns[name != Decision.ACCEPTED.value].filter(mask)
            for name, mask in self.masks.items()
        }


def output_columns_of(routed: pl.DataFrame, layout: OutputLayout) -> OutputColumns:
    """The outputs' columns of every row, conservation checked first.

    Each output's columns are chosen before its rows are filtered (the layout's
    values are per row), so the filter copies only the output's columns; and the
    caller can let the routed frame go before it does: at a million rows the working
    columns no output carries are about a third of a GB, which the filter's copies
    would otherwise come on top of.
    """
    masks = {d.value: routed.get_column(DECISION) == d.value for d in DECISIONS}
    check_conservation(
        routed.height, {name: routed.select(ROW_ID).filter(m) for name, m in masks.items()}
    )
    columns = {inputs: layout.select(routed, with_inputs=inputs) for inputs in (True, False)}
    return OutputColumns(columns, masks)


def triage(
    sources: Sequence[str],
    *,
    rules: RuleSet | None = None,
    options: TriageOptions = TriageOptions(),
    stdin: BinaryIO | None = None,
    ledger: Ledger | None = None,
    run: RunInfo | None = None,
    progress: Progress = _silent,
    keep_routed: bool = True,
) -> TriageResult:
    """Read `sources`, triage every row, and return the three outputs and a summary.

    With a `ledger` (and the `run` it records), rows are matched against the people
    earlier runs saw; the caller commits the run after writing the outputs.
    `keep_routed=False` frees every row's working columns once the outputs are made
    (`TriageResult.routed` is then None): what a run that writes them needs, at a
    million rows a few hundred MB less while they are written.
    """
    rules = rules or load_rules(None)
    dedupe_config = DedupeConfig.from_table(rules.dedupe)
    progress(ROWS_READ)
    tables = read_inputs(sources, options.read, stdin)
    combined = combine(tables, rules.columns)
    rows = combined.frame.height
    progress(ROWS_READ, rows, rows)
    mapping, data_columns = combined.mapping, combined.data_columns
    inputs = _input_reports(tables, combined.mappings)
    renamed = combined.renamed
    notes: dict[str, object] = {}
    where = str(rules.source or "rules")
    warnings = override_warnings(where, rules.columns, combined.mappings)
    warnings.extend(absent_field_warnings(rules.field_uses, mapping.fields))
    warnings.extend(
        absent_compare_warnings(where, dedupe_config.compare, data_columns, mapping.fields)
    )

    # Materialisation point: the normalised frame. The tables as read and the combined
    # frame hold the buffers of the inputs' columns and raw fields: kept, setting those
    # columns aside would free nothing.
    frame = normalized(combined, rules, options, partial(progress, FIELDS_NORMALISED)).collect()
    del tables, combined
    with Spill(options.spill) as spill:
        frame, aside = spill.set_aside(frame, whole_run_spares(frame.columns, data_columns))
        progress(PAIRS_SCORED)
        # The matcher works from its keys: on a large run the frame waits on disk
        # meanwhile, or the working set of blocking and scoring comes on top of it.
        keys = match_keys(frame, dedupe_config)
        frame, parked = spill.park(frame, keep=[ROW_ID])
        duplicates = find_duplicates(keys, dedupe_config)
        # The CRM match compares the same features but for the survivors' filled
        # blanks: they wait on disk while the rows are marked (a tenth of the frame's
        # size, which would add to the marks' peak), or are built again where the
        # frame itself waited there.
        reusable = options.crm is not None and parked.path is None
        reused = _set_aside_whole(spill, keys.features) if reusable else None
        del keys
        frame = mark_duplicates(parked.take_back(frame), duplicates)
        dedupe_stats = duplicates.stats
        del duplicates
        progress(PAIRS_SCORED, dedupe_stats.candidate_pairs, dedupe_stats.candidate_pairs)
        notes["dedupe"] = asdict(dedupe_stats)
        crm = None
        if options.crm is not None:
            progress("matching the CRM export")
            features = reused[1].take_back(reused[0]) if reused is not None else None
            del reused
            crm_match = crm_keys(frame, dedupe_config, features=features)
            del features
            frame, parked = spill.park(frame, keep=[ROW_ID])
            export = read_crm(options.crm, rules, options)
            crm = export.records
            warnings.extend(export.warnings)
            found, crm_stats = find_crm_records(crm_match, crm, dedupe_config, export.other_emails)
            del export
            del crm_match
            frame = parked.take_back(frame).hstack(found)
            notes["crm"] = {"file": options.crm, **asdict(crm_stats)}
            warnings.extend(crm_warnings(options.crm, crm_stats))
        lf = frame.lazy()
        del frame
        if ledger is not None and run is not None:
            progress("looking up earlier runs")
            lf = ledger.identify(lf.collect().lazy(), run=run, config=dedupe_config)
            rules = replace(rules, suppress=rules.suppress.with_hashes(ledger.erased_hashes()))
        # Materialisation point: every row with its match columns; consent and the rules
        # are collected beside this frame, not through it (their joins would copy it).
        matched = lf.collect()
        lf, consent_stats = most_restrictive_consent(matched.lazy(), crm)
        notes[CONSENT_KEY] = asdict(consent_stats)
        profile = resolve_profile(rules, options)
        progress("applying rules")
        # The rules may test a raw field: they read it from the set-aside columns.
        routed = apply_rules(aside.beside(lf), rules, profile)
        staged = routed.select(c for c in routed.collect_schema().names() if c not in aside.names)
        routed_df = aside.restore(collect_beside(matched, staged, rewritten=CONSENT_REWRITES))
        del matched, lf, routed, staged
    # An accepted survivor stands for the person in the import: the unmapped columns
    # other files' rows of the person carried come with it.
    accepted = pl.col(DECISION) == Decision.ACCEPTED.value
    routed_df = fill_passed_on(routed_df, unmapped_columns(mapping, data_columns), accepted)

    layout = OutputLayout(
        profile,
        mapping,
        data_columns,
        unmapped_setting(rules.output),
        untaken_columns(routed_df, mapping),
        carried_columns(routed_df, mapping),
    )
    notes["profile"] = profile.value
    notes[RULES_KEY] = applied_rules(rules)
    if renamed:
        notes["renamed_columns"] = renamed
    orders = _date_orders(routed_df)
    if orders:
        notes["date_order"] = orders
    notes.update(normalise_notes(routed_df))
    warnings.extend(cast(list[str], notes.get("warnings", [])))
    if warnings:
        notes["warnings"] = warnings
    outputs = output_columns_of(routed_df, layout)
    kept = routed_df if keep_routed else None
    del routed_df
    parts = outputs.split()
    del outputs
    consent = cast(dict[str, object], notes[CONSENT_KEY])
    notes[CONSENT_KEY] = {**consent, "by_output": count_consent(parts)}
    summary = build_summary(inputs, parts, mapping, notes)
    messages = {s: m for s, m in rule_messages(rules).items() if s in summary.reasons}
    if messages:
        summary = replace(summary, notes={**summary.notes, "rule_messages": messages})
    return TriageResult(
        accepted=parts[Decision.ACCEPTED.value],
        review=parts[Decision.REVIEW.value],
        rejected=parts[Decision.REJECTED.value],
        summary=summary,
        routed=kept,
    )


def _set_aside_whole(spill: Spill, frame: pl.DataFrame) -> tuple[pl.DataFrame, SetAside]:
    """`frame` on disk but for its first column (`SetAside.take_back` brings it back)."""
    return spill.set_aside(frame, frame.columns[1:])


def _input_reports(tables: Sequence[Table], mappings: Sequence[ColumnMapping]) -> list[InputReport]:
    return [
        InputReport(
            t.source,
            t.format,
            t.frame.height,
            t.encoding,
            t.delimiter,
            t.warnings,
            adapter=t.adapter,
            suppression=t.suppression,
            mapping=table_mapping,
        )
        for t, table_mapping in zip(tables, mappings, strict=True)
    ]


def carried_columns(routed: pl.DataFrame, mapping: ColumnMapping) -> frozenset[str]:
    """Clean columns of fields no input mapped that hold values all the same: consent
    lowered by a CRM's, the ledger's or another export's opt-out. Left out of a file
    without a consent column, the "no" would reach an import only as a reason."""
    if Field.CONSENT in mapping.fields or Col.CONSENT not in routed.columns:
        return frozenset()
    known = (routed.get_column(Col.CONSENT) != UNKNOWN).any()
    return frozenset({Col.CONSENT}) if known else frozenset()


def whole_run_spares(columns: Sequence[str], data_columns: Sequence[str]) -> list[str]:
    """The columns no whole-run stage (dedupe, CRM match, ledger, consent) reads: the
    inputs' own columns and the raw fields, but for those the stages name as their
    inputs (the consent answers; the typed names the matcher reads for initials typed
    as capitals). The rules and the outputs read them later (see spill.py)."""
    read = {*(raw_consent(p) for p in POLARITIES), *MATCHER_INPUTS}
    inputs = set(data_columns)
    return [c for c in columns if c not in read and (c in inputs or c.startswith(RAW_PREFIX))]


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
            keep_routed=ledger is not None,
        )
        outputs_id = run_id(result.tables())
        workbook = workbook_files(result.review, run_id=outputs_id)
        summary: dict[str, object] = {
            "out_dir": str(out_dir),
            "run_id": outputs_id,
            "review_workbook": WORKBOOK_NAME if workbook else None,
            **result.summary.as_dict(),
        }
        if ledger is not None and run is not None:
            recorded = ledger.recorded_run(run)
            summary["ledger"] = {
                "path": str(ledger_path),
                "rerun_of": recorded.run_id if recorded else None,
            }
        rows = result.summary.rows_in
        progress(ROWS_WRITTEN, 0, rows)
        exact = exact_tables(resolve_profile(rules, options))
        write_options = replace(write_options, exact_tables=exact)
        write_outputs(out_dir, result.tables(), summary, write_options, extra=workbook)
        progress(ROWS_WRITTEN, rows, rows)
        if ledger is not None and run is not None:
            assert result.routed is not None  # kept for the ledger: keep_routed above
            ledger.commit(result.routed, run=run)
    return result, summary


def _rules_hash(rules: RuleSet) -> str:
    text = rules.source.read_bytes() if rules.source is not None else b"defaults"
    return hashlib.sha256(text).hexdigest()
