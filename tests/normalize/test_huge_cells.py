"""A corrupt export with one enormous cell in every field: read as data, never as a
pattern (a column-valued pattern over a cell of millions of characters overflows Polars'
regex compiler), and no row lost."""

from __future__ import annotations

import polars as pl

from leadtriage import frame
from leadtriage.normalize import NormalizeSettings, normalize

HUGE = 2_000_000


def test_every_stage_reads_a_huge_cell_as_data() -> None:
    fields = frame.FIELDS
    huge = {
        "email": "a" * HUGE + "@acme.com",
        "phone": "4" + "9" * HUGE,
        "mobile": "+" + "1" * HUGE,
        "first_name": "J" + "." * HUGE,
        "last_name": "x" * HUGE,
        "full_name": "Jane " + "q" * HUGE,
        "company": "Acme " * (HUGE // 5),
        "website": "www." + "a" * HUGE + ".com",
        "country": "D" * HUGE,
        "created_at": "1" * HUGE,
        "consent": "y" * HUGE,
        "job_title": "CEO " * (HUGE // 4),
        "address": "Hauptstr. 1\n" * (HUGE // 12),
    }
    plain = {
        "email": "jane.doe@acme.com", "phone": "+49 30 901820", "mobile": None,
        "first_name": "Jane", "last_name": "Doe", "full_name": None, "company": "Acme GmbH",
        "website": "acme.com", "country": "Germany", "created_at": "2026-11-30",
        "consent": "yes", "job_title": "CEO",
    }  # fmt: skip
    lf = pl.LazyFrame(
        {
            **{frame.raw(f): [huge.get(f), plain.get(f)] for f in fields},
            frame.SOURCE_FILE: ["export.csv", "export.csv"],
            frame.SOURCE_ROW: [1, 2],
        },
        schema_overrides={frame.raw(f): pl.String for f in fields},
    )
    out = normalize(lf, NormalizeSettings(default_region="DE")).collect()
    assert out.get_column(frame.SOURCE_ROW).to_list() == [1, 2]
    assert out.row(1, named=True)["phone_e164"] == "+4930901820"
    assert out.row(1, named=True)["country_code"] == "DE"
    assert out.row(0, named=True)["phone_e164"] is None
