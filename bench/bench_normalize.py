"""Normalisation speed: the vectorised stages against the naive approach (calling
email-validator, phonenumbers and nameparser on every row), and against a plain Polars
read + write of the same file, all measured in this run.

    python bench/bench_normalize.py [ROWS] [--naive-sample 50000]

The naive approach is timed on a sample of rows and scaled to ROWS (it takes minutes
on a million); the figure says so.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from pathlib import Path

import email_validator
import phonenumbers
import polars as pl
from nameparser import HumanName

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from timing import run_seconds  # noqa: E402

from leadtriage.columns import add_raw_fields, map_columns  # noqa: E402
from leadtriage.normalize import NormalizeSettings, stages  # noqa: E402


def naive_row(email: str | None, phone: str | None, name: str) -> None:
    """What a script without a fast path does for every row."""
    if email:
        with contextlib.suppress(email_validator.EmailNotValidError):
            email_validator.validate_email(email, check_deliverability=False)
    if phone:
        try:
            number = phonenumbers.parse(phone, "GB")
            if phonenumbers.is_valid_number(number):
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            pass
    HumanName(name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=50_000)
    opts = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "export.csv"
        generate(opts.rows).write_csv(source)
        baseline = run_seconds(
            lambda: pl.read_csv(source, infer_schema=False).write_csv(Path(tmp) / "copy.csv"), 1
        )[0]
        frame = pl.read_csv(source, infer_schema=False)

    mapping = map_columns(frame.columns)
    with_source = frame.with_columns(
        pl.lit("export.csv").alias("source_file"), pl.int_range(1, pl.len() + 1).alias("source_row")
    )
    lf = add_raw_fields(with_source.lazy(), mapping).collect().lazy()
    per_stage: dict[str, float] = {}
    for stage in stages(NormalizeSettings(default_region="GB")):
        name = getattr(stage, "__name__", None) or stage.func.__name__  # type: ignore[attr-defined]
        start = time.perf_counter()
        lf = stage(lf).collect().lazy()
        per_stage[name] = round(time.perf_counter() - start, 3)
    normalise = sum(per_stage.values())

    sample = frame.head(opts.naive_sample)
    names = (sample["First Name"].fill_null("") + " " + sample["Last Name"].fill_null("")).to_list()
    rows = zip(sample["Email"].to_list(), sample["Phone Number"].to_list(), names, strict=True)
    naive_sample = run_seconds(lambda: [naive_row(e, p, n) for e, p, n in rows], 1)[0]
    naive = naive_sample * opts.rows / sample.height

    print(
        json.dumps(
            {
                "rows": opts.rows,
                "baseline_read_write_s": round(baseline, 3),
                "normalise_s": round(normalise, 3),
                "normalise_rows_per_s": round(opts.rows / normalise),
                "normalise_to_read_write_ratio": round(normalise / baseline, 2),
                "naive_s_extrapolated": round(naive, 1),
                "naive_sample_rows": sample.height,
                "naive_to_normalise_ratio": round(naive / normalise, 2),
                "per_stage_s": per_stage,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
