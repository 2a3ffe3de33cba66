"""Properties over random small lists drawn from a pool that collides a lot."""

from __future__ import annotations

import random

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from leadtriage.dedupe import deduplicate
from leadtriage.frame import flag

from .helpers import contact, frame

FIRSTS = ["Anna", "Anne", "Bob", "Robert", "John", "Joan", "Kate", "Katherine", None]
LASTS = ["Berg", "Burg", "Miller", "Muller", "Smith", None]
EMAILS = ["a@acme.com", "b@acme.com", "x@gmail.com", "info@acme.com", "c@globex.com", None]
PHONES = ["+14155550132", "+442079460000", None]
COMPANIES = ["Acme", "Globex", None]

rows_strategy = st.lists(
    st.builds(
        lambda first, last, email, phone, company, created: contact(
            first, last, email=email, phone=phone, company=company, created_at=created
        ),
        st.sampled_from(FIRSTS),
        st.sampled_from(LASTS),
        st.sampled_from(EMAILS),
        st.sampled_from(PHONES),
        st.sampled_from(COMPANIES),
        st.sampled_from(["2025-01-01", "2025-03-01", None]),
    ),
    max_size=25,
)


def _run(rows: list[dict[str, object]]) -> pl.DataFrame:
    out, _ = deduplicate(frame(*rows))
    return out.collect()


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_every_cluster_has_one_survivor_and_the_counts_add_up(
    rows: list[dict[str, object]],
) -> None:
    out = _run(rows)
    assert out["source_row"].to_list() == list(range(1, len(rows) + 1))
    assert out["duplicate_count"].sum() == len(rows)
    clustered = out.filter(pl.col("cluster_id").is_not_null())
    survivors = clustered.filter(~pl.col(flag("duplicate")))
    assert survivors["cluster_id"].n_unique() == survivors.height
    assert set(survivors["cluster_id"]) == set(clustered["cluster_id"])
    assert out.filter(pl.col(flag("duplicate")))["match_evidence"].null_count() == 0


@settings(max_examples=40, deadline=None)
@given(rows_strategy, st.randoms(use_true_random=False))
def test_the_input_order_does_not_change_the_result(
    rows: list[dict[str, object]], shuffler: random.Random
) -> None:
    numbered = [{**row, "source_row": n} for n, row in enumerate(rows, start=1)]
    shuffled = numbered[:]
    shuffler.shuffle(shuffled)
    assert_frame_equal(_run(shuffled).sort("source_row"), _run(numbered).sort("source_row"))
