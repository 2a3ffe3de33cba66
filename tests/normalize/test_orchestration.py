"""normalize() collects only each stage's new columns and sets them beside the frame
(so a stage's join-back never copies the wide frame). That is only right while every
stage adds columns and leaves the earlier ones as they were: checked here stage by
stage on real exports, and normalize() against the plain chain of full collects."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from leadtriage.io.safe_cells import flag_formula_cells
from leadtriage.normalize import NormalizeSettings, normalize, stages
from leadtriage.normalize.presence import flag_presence
from leadtriage.pipeline import ReadSettings, combine, read_inputs

EXAMPLES = Path(__file__).parents[2] / "examples"
EXPORTS = [
    EXAMPLES / "campaign.csv",
    EXAMPLES / "golden" / "crm_match" / "webinar_signups.csv",
    EXAMPLES / "golden" / "crm_match" / "crm.csv",
    EXAMPLES / "golden" / "hubspot_profile" / "messe_scans.csv",
    EXAMPLES / "golden" / "excel_unicode_text" / "contacts_salon.txt",
    EXAMPLES / "golden" / "json_input" / "unbounce_leads_2026-11-04.json",
]
SETTINGS = NormalizeSettings(default_region="DE")


def _mapped(path: Path) -> pl.DataFrame:
    combined = combine(read_inputs([str(path)], ReadSettings()), {})
    lf = flag_presence(combined.frame.lazy(), combined.data_columns)
    return flag_formula_cells(lf, combined.data_columns).collect()


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_every_stage_only_adds_columns(path: Path) -> None:
    df = _mapped(path)
    for stage in stages(SETTINGS):
        staged = stage(df.lazy()).collect()
        assert staged.columns[: df.width] == df.columns, stage
        assert_frame_equal(staged.select(df.columns), df)
        df = staged


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_normalize_equals_the_chain_of_whole_stages(path: Path) -> None:
    df = _mapped(path)
    chained = df.lazy()
    for stage in stages(SETTINGS):
        chained = stage(chained).collect().lazy()
    assert_frame_equal(normalize(df.lazy(), SETTINGS).collect(), chained.collect())
