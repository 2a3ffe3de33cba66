"""The run summary as plain data: what the CLI renders and `summary.json` holds.

No contact data goes in here: counts, names of files, headers and reasons only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

import polars as pl

from leadtriage.columns import ColumnMapping
from leadtriage.errors import ConservationError
from leadtriage.frame import REASON_SEPARATOR, REASONS, ROW_ID
from leadtriage.inspect import mask_header
from leadtriage.schema import Col
from leadtriage.triage import DECISIONS


@dataclass(frozen=True)
class InputReport:
    source: str
    format: str
    rows: int
    encoding: str | None
    delimiter: str | None
    warnings: tuple[str, ...]
    adapter: str | None = None
    suppression: bool = False
    mapping: ColumnMapping | None = None  # this input's own, as it would be alone


@dataclass(frozen=True)
class Summary:
    rows_in: int
    outputs: dict[str, int]
    reasons: dict[str, int]
    mapping: ColumnMapping
    inputs: tuple[InputReport, ...]
    notes: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows_in": self.rows_in,
            "outputs": dict(self.outputs),
            "reasons": dict(self.reasons),
            "columns": self.mapping.as_dict(),
            "inputs": [
                {
                    "source": i.source,
                    "format": i.format,
                    "rows": i.rows,
                    "encoding": i.encoding,
                    "delimiter": i.delimiter,
                    "warnings": list(i.warnings),
                    "adapter": i.adapter,
                    "suppression": i.suppression,
                    "columns": i.mapping.as_dict() if i.mapping else None,
                }
                for i in self.inputs
            ],
            **self.notes,
        }


def count_reasons(frames: Sequence[pl.DataFrame]) -> dict[str, int]:
    """Rows per reason slug, most frequent first, ties by name. Rows are counted per
    distinct reasons cell (a few hundred kinds), then each kind's slugs: splitting and
    exploding every row's cell took a few hundred MB at a million rows."""
    counts: Counter[str] = Counter()
    for df in frames:
        for reasons, rows in df.group_by(REASONS).len().iter_rows():
            for slug in (reasons or "").split(REASON_SEPARATOR):
                if slug:
                    counts[slug] += rows
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# The summary's key for what the consent stage and the outputs say about consent.
CONSENT_KEY: Final = "consent"
# The summary's key for the rules that ran (rules.applied_rules).
RULES_KEY: Final = "rules"


def count_consent(outputs: Mapping[str, pl.DataFrame]) -> dict[str, dict[str, int]]:
    """Per output, its rows per consent value (yes, no, unknown): a consent column read
    wrongly, or not at all, shows here (every accepted row unknown). An output without
    the consent column counts nothing."""
    counts: dict[str, dict[str, int]] = {}
    for name, df in outputs.items():
        counts[name] = {}
        if Col.CONSENT in df.columns:
            grouped = df.group_by(Col.CONSENT).len().sort(Col.CONSENT)
            counts[name] = {str(value): int(rows) for value, rows in grouped.iter_rows()}
    return counts


def check_conservation(rows_in: int, outputs: Mapping[str, pl.DataFrame]) -> None:
    """Every input row in exactly one output, once; raise before anything is written.

    The outputs still carry ``ROW_ID`` (the row's position in the combined input).
    """
    total = sum(df.height for df in outputs.values())
    ids = pl.concat([df.select(ROW_ID) for df in outputs.values()]).to_series()
    if total != rows_in or ids.n_unique() != rows_in or (rows_in and ids.max() != rows_in - 1):
        raise ConservationError(
            f"internal error: {rows_in} rows in but {total} rows routed; nothing was written",
            hint="please report this with the command you ran",
        )


def shown_mapping(mapping: ColumnMapping) -> ColumnMapping:
    """The mapping as reported: headers that are really contact data (a headerless
    file's first row) masked as `inspect` masks them."""
    headers = {
        *mapping.unmapped,
        *mapping.unclear,
        *(h for f in mapping.fields for h in mapping.headers_of(f)),
    }
    return mapping.with_headers_renamed({h: mask_header(h) for h in headers})


def _shown_input(report: InputReport) -> InputReport:
    """An input as reported: its mapping shown, and a warning for each consent-like
    column left unread because its polarity is unclear."""
    if report.mapping is None:
        return report
    shown = shown_mapping(report.mapping)
    unclear = tuple(
        f"{report.source}: column '{header}' looks like consent but does not say whether "
        "it is an opt-in or an opt-out, so it was not read; name it in the rules file: "
        f'[columns] consent = "{header}" (an opt-in) or consent_opt_out = "{header}" '
        "(yes means a refusal)"
        for header in shown.unclear
    )
    return replace(report, mapping=shown, warnings=(*report.warnings, *unclear))


def build_summary(
    inputs: Sequence[InputReport],
    outputs: Mapping[str, pl.DataFrame],
    mapping: ColumnMapping,
    notes: Mapping[str, Any] | None = None,
) -> Summary:
    rows_in = sum(i.rows for i in inputs)
    return Summary(
        rows_in=rows_in,
        outputs={name: outputs[name].height for name in (d.value for d in DECISIONS)},
        reasons=count_reasons(list(outputs.values())),
        mapping=shown_mapping(mapping),
        inputs=tuple(_shown_input(i) for i in inputs),
        notes=dict(notes or {}),
    )
