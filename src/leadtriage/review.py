"""Apply a person's decisions from the review workbook to a run's outputs.

``leadtriage review apply <out-dir> review.xlsx`` moves every row the person
decided out of the review file: accepted rows are appended to the accepted file,
rejected rows to the rejected file, each with ``review.accepted`` /
``review.rejected`` added to its reasons. Undecided rows stay in review, and
``review.xlsx`` is written again without the decided ones. Values a person corrected
in the workbook are re-validated and applied first; an edit that cannot be taken
refuses the whole application (see `review_edits`).

Rows are matched by their key (``source_file``, ``source_row``), never by
position: the person may have sorted or filtered the sheet.

Columns of moved rows:

- accepted keeps exactly its columns (it is what the CRM imports; its header is a
  contract): a column the review row lacks is blank, a column only review has
  (the raw input values, suggestions) is dropped.
- rejected keeps its columns, and any column only review has is appended at the
  end (blank for the rows already there): nothing a person looked at is lost.

With ``--format xlsx`` review.xlsx is both the review output and the workbook a
person edits, so the run also keeps the review rows as it wrote them
(``REVIEW_COPY``, exact): that copy is the review table here, as review.csv is with
CSV outputs, and the sheet is compared with it, so edits are checked the same way in
both formats. An output folder of an older version, without the copy, is refused:
its edits could not be told from the run's values, and would go unchecked into
accepted.

Applying the same workbook again is a no-op: rows already in accepted / rejected
with the matching ``review.*`` reason are recognised and nothing is written. All
files are staged in a hidden folder in the output folder and renamed into place,
``summary.json`` last; an error changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import fastexcel
import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from leadtriage.data_files import data_pairs
from leadtriage.errors import ConservationError, InputError, UsageError
from leadtriage.frame import DECISION, REASON_SEPARATOR, REASONS
from leadtriage.io.output_set import REVIEW_COPY, check_output_folder, recover_output_set
from leadtriage.io.profiles import Profile, exact_tables
from leadtriage.io.safe_cells import restored_frame
from leadtriage.io.workbook import (
    KEY_COLUMNS,
    SHEET_NAME,
    SHEET_ROW,
    ReviewSheet,
    read_review_sheet,
    review_workbook_frame,
    workbook_files,
    write_review_workbook,
)
from leadtriage.io.write import SUMMARY_NAME, OutputFormat, WriteOptions, write_outputs
from leadtriage.masking import mask_value
from leadtriage.report import CONSENT_KEY, count_consent, count_reasons
from leadtriage.review_edits import (
    Edit,
    Refusal,
    apply_edits,
    describe_editable,
    editable_columns,
)
from leadtriage.triage import Decision

__all__ = [
    "ReviewOutcome",
    "apply_review",
    "parse_decisions",
    "review_workbook_frame",
    "write_review_workbook",
]

_WORDS: Final = dict(data_pairs("review_decision_words.txt"))
ACCEPT_WORDS: Final[frozenset[str]] = frozenset(_WORDS[Decision.ACCEPTED.value].split())
REJECT_WORDS: Final[frozenset[str]] = frozenset(_WORDS[Decision.REJECTED.value].split())
REVIEW_REASON: Final[dict[Decision, str]] = {
    Decision.ACCEPTED: "review.accepted",
    Decision.REJECTED: "review.rejected",
}
APPLIED_KEY: Final = "review_applied"
RUN_ID_KEY: Final = "run_id"

_TABLES: Final[tuple[Decision, ...]] = (Decision.ACCEPTED, Decision.REVIEW, Decision.REJECTED)
_UTF8_BOM: Final = b"\xef\xbb\xbf"
# A decision cell is quoted in errors masked like other contact data (a pasted address
# or name must not reach the terminal or a log) and cut when long; the row finds it.
_QUOTED_VALUE_LIMIT: Final = 20
# Refused edits named in the message; the count says how many more.
_REFUSALS_SHOWN: Final = 5
_APPLIED_AS: Final = "applied_as"
_IN_REVIEW: Final = "in_review"


@dataclass(frozen=True)
class ReviewOutcome:
    """What one application did. `accepted` / `rejected` count rows moved now,
    `left` the rows still in review, `already_applied` rows of the workbook that an
    earlier application had moved. `written` is empty when nothing changed."""

    out_dir: Path
    format: OutputFormat
    accepted: int
    rejected: int
    left: int
    already_applied: int
    written: tuple[Path, ...]
    edits: tuple[Edit, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.written)

    @property
    def edited(self) -> int:
        """Cells a person corrected that were valid and applied."""
        return sum(edit.applied for edit in self.edits)

    @property
    def held(self) -> int:
        """Rows kept in review because an edit in them is still invalid."""
        return len({(e.source_file, e.source_row) for e in self.edits if not e.applied})


@dataclass(frozen=True)
class _Outputs:
    """A run's output folder: its tables (all text), their format and summary."""

    out_dir: Path
    format: OutputFormat
    tables: dict[Decision, pl.DataFrame]
    excel_bom: bool
    summary: dict[str, Any]
    exact_tables: frozenset[str] = frozenset()


def apply_review(out_dir: Path, workbook: Path) -> ReviewOutcome:
    """Move the rows decided in `workbook` out of the review file of `out_dir`."""
    if out_dir.is_file():
        # Most often the two arguments swapped; the output folder's own check would
        # answer with clean's --out-dir.
        raise UsageError(
            f"{out_dir}: a file, not the folder leadtriage clean wrote",
            hint="give the folder first, then the workbook: "
            "leadtriage review apply OUT_DIR WORKBOOK",
        )
    check_output_folder(out_dir)  # refused before any work, as `clean` does
    outputs = _load_outputs(out_dir)
    profile = _profile(outputs.summary)
    editable = editable_columns(profile)
    # Every column is read back, not only the editable ones: an edit anywhere else
    # is refused, never dropped unsaid.
    sheet = read_review_sheet(workbook, editable=outputs.tables[Decision.REVIEW].columns)
    _check_run(sheet, outputs)
    decisions = parse_decisions(sheet)
    already_applied = _check_keys(decisions, outputs, workbook)
    edited = apply_edits(outputs.tables[Decision.REVIEW], sheet.rows, editable, profile)
    if edited.refused:
        raise _refused(sheet, edited.refused, editable)
    review = edited.review
    # A row copied in the sheet with the same decision counts once (_check_keys
    # refuses copies that disagree); a row an invalid edit holds stays undecided.
    decided = (
        decisions.filter(pl.col(DECISION).is_not_null())
        .select(*KEY_COLUMNS, DECISION)
        .unique(KEY_COLUMNS, keep="first", maintain_order=True)
        .join(edited.held, on=list(KEY_COLUMNS), how="anti")
    )
    routed = review.join(decided, on=list(KEY_COLUMNS), how="left", maintain_order="left")
    moved = {
        d: _with_reason(routed.filter(pl.col(DECISION) == d.value).drop(DECISION), d)
        for d in REVIEW_REASON
    }
    left = routed.filter(pl.col(DECISION).is_null()).drop(DECISION)
    counts = {d: moved[d].height for d in REVIEW_REASON}
    if not any(counts.values()) and not edited.edits:
        return ReviewOutcome(
            out_dir, outputs.format, 0, 0, left.height, already_applied, written=()
        )
    tables = {
        Decision.ACCEPTED: pl.concat(
            [
                outputs.tables[Decision.ACCEPTED],
                _conform(moved[Decision.ACCEPTED], outputs.tables[Decision.ACCEPTED].columns),
            ]
        ),
        Decision.REVIEW: left,
        Decision.REJECTED: pl.concat(
            [outputs.tables[Decision.REJECTED], moved[Decision.REJECTED]], how="diagonal"
        ),
    }
    summary = _updated_summary(outputs, tables, counts, edited.edits)
    written = write_outputs(
        out_dir,
        {d.value: table for d, table in tables.items()},
        summary,
        WriteOptions(
            format=outputs.format, excel_bom=outputs.excel_bom, exact_tables=outputs.exact_tables
        ),
        extra=workbook_files(tables[Decision.REVIEW], run_id=_run_id(outputs.summary)),
    )
    return ReviewOutcome(
        out_dir,
        outputs.format,
        counts[Decision.ACCEPTED],
        counts[Decision.REJECTED],
        left.height,
        already_applied,
        tuple(written),
        edited.edits,
    )


# --- decisions ---------------------------------------------------------------------


def parse_decisions(sheet: ReviewSheet) -> pl.DataFrame:
    """The sheet's rows with `decision` as ``accepted`` / ``rejected`` / null.

    Raises InputError naming the workbook, sheet and row of the first value that is
    neither a decision nor blank.
    """
    spoken = pl.col(DECISION).str.strip_chars().str.to_lowercase()
    words = {w: Decision.ACCEPTED.value for w in ACCEPT_WORDS} | {
        w: Decision.REJECTED.value for w in REJECT_WORDS
    }
    parsed = sheet.rows.with_columns(
        spoken.replace_strict(words, default=None, return_dtype=pl.String).alias("parsed"),
        spoken.fill_null("").ne("").alias("given"),
    )
    bad = parsed.filter(pl.col("given") & pl.col("parsed").is_null())
    if bad.height:
        first_row, first_value = bad.select(SHEET_ROW, DECISION).row(0)
        more = f" (and {bad.height - 1} more rows)" if bad.height > 1 else ""
        raise InputError(
            f"{_where(sheet)}, row {first_row}: {_shown_decision(first_value)}{more}",
            hint="write accept or reject in the decision column, or leave it blank to decide later",
        )
    return parsed.select(pl.col("parsed").alias(DECISION), *KEY_COLUMNS, SHEET_ROW)


def _refused(
    sheet: ReviewSheet, refused: Sequence[Refusal], editable: Mapping[str, str]
) -> UsageError:
    """Edits `review apply` does not take, by sheet row, file row and column (never
    their values), and what can be edited: like a decision that is not one, the
    person fixes the cells and applies again; nothing was applied meanwhile."""
    shown = [
        f"row {r.sheet_row} ({r.source_file} row {r.source_row}) {r.column!r}: {r.why}"
        for r in refused[:_REFUSALS_SHOWN]
    ]
    more = len(refused) - len(shown)
    listed = "; ".join(shown) + (f"; and {more} more" if more else "")
    cells = "an edit" if len(refused) == 1 else f"{len(refused)} edits"
    return UsageError(
        f"{_where(sheet)}: {cells} review apply cannot take, so nothing was applied: {listed}",
        hint="undo those edits (decide the row, or fix the value in the input and run "
        "clean again), then apply again; the columns you may edit here are "
        + describe_editable(editable, sheet.rows.columns),
    )


def _where(sheet: ReviewSheet) -> str:
    return f"{sheet.path}, sheet {sheet.sheet!r}"


def _shown_decision(value: str) -> str:
    """That `value` is not a decision. A word a slip or two from one ("acept") is no
    contact data: shown whole, with the decision it probably means; anything else
    masked (it may be a name or an address pasted into the wrong cell)."""
    word = value.strip()
    if word.isalpha():
        decisions = sorted(ACCEPT_WORDS | REJECT_WORDS, key=lambda d: (-len(d), d))
        found = process.extractOne(
            word.lower(), decisions, scorer=Levenshtein.distance, score_cutoff=2
        )
        if found is not None and len(found[0]) > 2:
            return f"{word!r} is not a decision (did you mean {found[0]!r}?)"
    return f"{_quoted(value)} is not a decision"


def _quoted(value: str) -> str:
    masked = mask_value(value)
    shown = masked if len(masked) <= _QUOTED_VALUE_LIMIT else masked[:_QUOTED_VALUE_LIMIT] + "..."
    return repr(shown)


def _run_id(summary: dict[str, Any]) -> str | None:
    value = summary.get(RUN_ID_KEY)
    return value if isinstance(value, str) else None


def _check_run(sheet: ReviewSheet, outputs: _Outputs) -> None:
    """A workbook applies only to the run that wrote it: another run's rows may sit
    under the same keys. Outputs of a version without run ids are not checked."""
    expected = _run_id(outputs.summary)
    if expected is None or sheet.run_id == expected:
        return
    written_by = f"run {sheet.run_id}" if sheet.run_id else "no run id"
    raise InputError(
        f"{sheet.path} is the review workbook of another run ({written_by}); "
        f"{outputs.out_dir} holds run {expected}; nothing was applied",
        hint=f"use the review.xlsx leadtriage wrote with run {expected}, "
        "or decide again in this run's workbook",
    )


def _check_keys(decisions: pl.DataFrame, outputs: _Outputs, workbook: Path) -> int:
    """Every keyed workbook row must be in review, or already moved to accepted /
    rejected by an earlier application with the same decision; returns how many
    decided rows were."""
    has_key = pl.all_horizontal(pl.col(c).is_not_null() for c in KEY_COLUMNS)
    keyless = decisions.filter(~has_key & pl.col(DECISION).is_not_null())
    if keyless.height:
        raise InputError(
            f"{workbook}: {keyless.height} decided rows have no source_file or source_row "
            f"(first at sheet row {keyless.item(0, SHEET_ROW)})",
            hint="the key columns tell which row a decision is for: keep them as written",
        )
    keyed = decisions.filter(has_key)
    conflicting = (
        keyed.filter(pl.col(DECISION).is_not_null())
        .group_by(KEY_COLUMNS)
        .agg(pl.col(DECISION).n_unique().alias("choices"))
        .filter(pl.col("choices") > 1)
    )
    if conflicting.height:
        raise InputError(
            f"{workbook}: {conflicting.height} rows appear more than once with different decisions",
            hint="keep one copy of each row in the sheet",
        )
    review_keys = (
        outputs.tables[Decision.REVIEW]
        .select(*KEY_COLUMNS)
        .with_columns(pl.lit(True).alias(_IN_REVIEW))
    )
    located = (
        keyed.join(review_keys, on=list(KEY_COLUMNS), how="left")
        .join(_applied_keys(outputs), on=list(KEY_COLUMNS), how="left")
        .filter(pl.col(_IN_REVIEW).is_null())
    )
    unknown = located.filter(pl.col(_APPLIED_AS).is_null()).select(KEY_COLUMNS).n_unique()
    if unknown:
        raise InputError(
            f"{workbook}: {unknown} rows are not in the review file of {outputs.out_dir} "
            "and were not applied before",
            hint="use the review.xlsx of this output folder, and do not edit its "
            "source_file or source_row cells",
        )
    changed = located.filter(
        pl.col(DECISION).is_not_null() & (pl.col(DECISION) != pl.col(_APPLIED_AS))
    )
    if changed.height:
        raise InputError(
            f"{workbook}: {changed.height} rows were already applied with the other "
            f"decision (first at sheet row {changed.select(pl.col(SHEET_ROW).min()).item()})",
            hint="a decision once applied stays; move such a row between accepted and "
            "rejected by hand",
        )
    return located.filter(pl.col(DECISION).is_not_null()).select(KEY_COLUMNS).n_unique()


def _applied_keys(outputs: _Outputs) -> pl.DataFrame:
    """Keys of rows an earlier application moved, and where they went."""
    frames = [
        outputs.tables[d]
        .filter(pl.col(REASONS).str.split(REASON_SEPARATOR).list.contains(reason))
        .select(*KEY_COLUMNS, pl.lit(d.value).alias(_APPLIED_AS))
        for d, reason in REVIEW_REASON.items()
    ]
    return pl.concat(frames).unique(KEY_COLUMNS, keep="first", maintain_order=True)


# --- moving rows -------------------------------------------------------------------


def _with_reason(rows: pl.DataFrame, decision: Decision) -> pl.DataFrame:
    slug = REVIEW_REASON[decision]
    reasons = pl.col(REASONS)
    return rows.with_columns(
        pl.when(reasons.is_null() | (reasons == ""))
        .then(pl.lit(slug))
        .otherwise(reasons + pl.lit(REASON_SEPARATOR + slug))
        .alias(REASONS)
    )


def _conform(rows: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """`rows` with exactly `columns`: missing ones blank, others dropped."""
    return rows.select(
        pl.col(c) if c in rows.columns else pl.lit(None, dtype=pl.String).alias(c) for c in columns
    )


def _updated_summary(
    outputs: _Outputs,
    tables: dict[Decision, pl.DataFrame],
    moved: dict[Decision, int],
    edits: tuple[Edit, ...],
) -> dict[str, Any]:
    rows_in = outputs.summary.get("rows_in")
    total = sum(df.height for df in tables.values())
    keys = pl.concat([df.select(KEY_COLUMNS) for df in tables.values()])
    if total != rows_in or keys.n_unique() != total:
        raise ConservationError(
            f"{outputs.out_dir}: after applying the review the outputs would hold {total} "
            f"rows ({keys.n_unique()} distinct), but {SUMMARY_NAME} says {rows_in} rows "
            "came in; nothing was changed",
            hint="the outputs were edited or mixed from different runs: run leadtriage clean again",
        )
    recorded = outputs.summary.get(APPLIED_KEY)
    earlier: dict[str, Any] = recorded if isinstance(recorded, dict) else {}
    summary = dict(outputs.summary)
    summary["outputs"] = {d.value: tables[d].height for d in _TABLES}
    summary["reasons"] = count_reasons(list(tables.values()))
    consent = summary.get(CONSENT_KEY)
    if isinstance(consent, dict):
        by_output = count_consent({d.value: tables[d] for d in _TABLES})
        summary[CONSENT_KEY] = {**consent, "by_output": by_output}
    summary[APPLIED_KEY] = {
        "accepted": int(earlier.get("accepted", 0)) + moved[Decision.ACCEPTED],
        "rejected": int(earlier.get("rejected", 0)) + moved[Decision.REJECTED],
        "left": tables[Decision.REVIEW].height,
        "applications": int(earlier.get("applications", 0)) + 1,
        "edited": int(earlier.get("edited", 0)) + sum(e.applied for e in edits),
        # Which cells changed (never their values: they are contact data).
        "changes": [*earlier.get("changes", []), *(e.as_dict() for e in edits)],
    }
    return summary


# --- the output folder -------------------------------------------------------------


def _load_outputs(out_dir: Path) -> _Outputs:
    recover_output_set(out_dir)  # an old set a killed run moved aside comes back first
    if not out_dir.is_dir():
        raise UsageError(
            f"{out_dir}: no such folder", hint="give the folder leadtriage clean wrote to"
        )
    summary = _read_summary(out_dir / SUMMARY_NAME)
    fmt = _output_format(out_dir)
    exact = exact_tables(_profile(summary))
    tables = {
        d: _read_review_copy(out_dir)
        if d is Decision.REVIEW and fmt is OutputFormat.XLSX
        else _read_table(out_dir / _table_name(d, fmt), fmt, exact=d.value in exact)
        for d in _TABLES
    }
    excel_bom = fmt is OutputFormat.CSV and _starts_with_bom(
        out_dir / _table_name(Decision.ACCEPTED, fmt)
    )
    return _Outputs(out_dir, fmt, tables, excel_bom, summary, exact)


def _profile(summary: dict[str, Any]) -> Profile:
    try:
        return Profile(str(summary.get("profile", Profile.GENERIC.value)))
    except ValueError:
        return Profile.GENERIC


def _read_review_copy(out_dir: Path) -> pl.DataFrame:
    """The review rows as the run wrote them beside review.xlsx, which a person may
    have edited, sorted or cut down."""
    copy = out_dir / REVIEW_COPY
    if not copy.is_file():
        # Refused, not applied as before with a warning: without the copy an edited
        # cell cannot be told from the run's value, so an invalid email typed in the
        # sheet would reach accepted (the file the CRM imports) unchecked.
        raise InputError(
            f"{out_dir}: review.xlsx has no copy of the review rows as written "
            f"({REVIEW_COPY}; outputs of an older leadtriage, or the copy was removed), "
            "so values edited in the sheet cannot be checked; nothing was applied",
            hint="save your review.xlsx under another name, run leadtriage clean again, "
            "then apply the saved workbook; if it is refused as another run's, type its "
            "decisions into the new review.xlsx",
        )
    return _read_table(copy, OutputFormat.CSV, exact=True)


def _starts_with_bom(path: Path) -> bool:
    """Whether a CSV output was written for Excel (--excel); a rewrite keeps that."""
    with path.open("rb") as handle:
        return handle.read(len(_UTF8_BOM)) == _UTF8_BOM


def _read_summary(path: Path) -> dict[str, Any]:
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"{path.parent}: no {SUMMARY_NAME}; not a leadtriage output folder",
            hint="give the folder leadtriage clean wrote to (its --out-dir)",
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(
            f"{path}: not a readable summary", hint="run leadtriage clean again"
        ) from None
    if not isinstance(summary, dict) or not isinstance(summary.get("rows_in"), int):
        raise InputError(f"{path}: no rows_in count", hint="run leadtriage clean again")
    return summary


def _table_name(decision: Decision, fmt: OutputFormat) -> str:
    return f"{decision.value}.{fmt.value}"


def _output_format(out_dir: Path) -> OutputFormat:
    """The one format in which all three tables exist (review.xlsx alone is the
    workbook written beside review.csv / review.parquet)."""
    found = [
        fmt
        for fmt in OutputFormat
        if all((out_dir / _table_name(d, fmt)).is_file() for d in _TABLES)
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(
            f"{out_dir}: no accepted, review and rejected files of one format",
            hint="give the folder leadtriage clean wrote to (its --out-dir)",
        )
    formats = ", ".join(f.value for f in found)
    raise UsageError(
        f"{out_dir}: holds outputs in several formats ({formats})",
        hint="remove the outputs of the older run, then apply the review again",
    )


def _read_table(path: Path, fmt: OutputFormat, *, exact: bool) -> pl.DataFrame:
    """An output table with its exact values: every column text; a CSV written for
    people has its neutralised cells restored (they are neutralised again on writing)."""
    try:
        if fmt is OutputFormat.CSV:
            table = pl.read_csv(path, infer_schema=False)
            table = table if exact else restored_frame(table)
        elif fmt is OutputFormat.PARQUET:
            table = pl.read_parquet(path)
            table = table.select(pl.all().cast(pl.String))
        else:
            table = _read_xlsx_table(path)
    except (OSError, pl.exceptions.PolarsError, fastexcel.FastExcelError):
        raise InputError(
            f"{path}: cannot be read as a leadtriage output",
            hint="run leadtriage clean again to rewrite the outputs",
        ) from None
    if DECISION in table.columns and path.name == f"{Decision.REVIEW.value}.xlsx":
        table = table.drop(DECISION)
    missing = [c for c in (*KEY_COLUMNS, REASONS) if c not in table.columns]
    if missing:
        raise InputError(
            f"{path}: no {', '.join(missing)} column",
            hint="leadtriage needs the outputs as it wrote them: run leadtriage clean again",
        )
    return table


def _read_xlsx_table(path: Path) -> pl.DataFrame:
    reader = fastexcel.read_excel(path)
    sheet = SHEET_NAME if SHEET_NAME in reader.sheet_names else 0
    return reader.load_sheet(sheet, header_row=0, dtypes="string").to_polars()
