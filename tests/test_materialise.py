"""triage() collects consent and the rules beside the matched frame (collect_beside),
naming the columns the consent stage rewrites. That is only right while those stages
change no other column: checked here on real exports, and collect_beside against a
plain collect."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from leadtriage.consent_across import most_restrictive_consent
from leadtriage.dedupe import DedupeConfig, deduplicate, match_crm
from leadtriage.materialise import collect_beside
from leadtriage.pipeline import (
    CONSENT_REWRITES,
    TriageOptions,
    combine,
    normalized,
    read_crm,
    read_inputs,
)
from leadtriage.rules import apply_rules, load_rules

EXAMPLES = Path(__file__).parents[1] / "examples"
CRM_CASE = EXAMPLES / "golden" / "crm_match"
RUNS = [
    ([EXAMPLES / "campaign.csv"], None),
    ([CRM_CASE / "webinar_signups.csv"], CRM_CASE / "crm.csv"),
    ([EXAMPLES / "golden" / "hubspot_profile" / "messe_scans.csv"], None),
]


def _matched(
    sources: list[Path], crm_path: Path | None
) -> tuple[pl.DataFrame, pl.LazyFrame | None]:
    rules = load_rules(None)
    options = TriageOptions(crm=None if crm_path is None else str(crm_path))
    config = DedupeConfig.from_table(rules.dedupe)
    combined = combine(read_inputs([str(s) for s in sources], options.read), rules.columns)
    lf, _stats = deduplicate(normalized(combined, rules, options), config)
    crm = None
    if options.crm is not None:
        crm = read_crm(options.crm, rules, options).records
        lf, _crm_stats = match_crm(lf, crm, config)
    return lf.collect(), crm


@pytest.mark.parametrize(("sources", "crm"), RUNS, ids=["campaign", "crm_match", "hubspot"])
def test_consent_and_rules_change_only_the_named_columns(
    sources: list[Path], crm: Path | None
) -> None:
    matched, crm_frame = _matched(sources, crm)
    consented, _stats = most_restrictive_consent(matched.lazy(), crm_frame)
    routed = apply_rules(consented, load_rules(None)).collect()
    kept = [c for c in matched.columns if c not in CONSENT_REWRITES]
    assert routed.columns[: matched.width] == matched.columns
    assert_frame_equal(routed.select(kept), matched.select(kept))
    assert_frame_equal(collect_beside(matched, consented, CONSENT_REWRITES), consented.collect())


def test_collect_beside_without_the_rewrite_keeps_the_old_column() -> None:
    """A rewrite left unnamed is lost: why CONSENT_REWRITES must be complete."""
    frame = pl.DataFrame({"consent": ["yes", "no"], "row": [0, 1]})
    staged = frame.lazy().with_columns(pl.lit("no").alias("consent"), pl.col("row").alias("n"))
    assert collect_beside(frame, staged, ["consent"]).equals(staged.collect())
    assert collect_beside(frame, staged).get_column("consent").to_list() == ["yes", "no"]
