"""Speed of writing an output table as xlsx, as a ratio to writing it as CSV in the
same run (issue 15: `-f xlsx` took 61 s for 200k rows against 20 s for CSV).

    python bench/bench_xlsx.py [ROWS] [--repeat 3]

The table is shaped like an accepted file (about 20 text columns, some blank cells,
phones with `+`, a formula-looking company). Both writers are timed in this process
on the same frame; the median of the repeats is kept. The written workbook is read
back with fastexcel to check every row is there (not timed).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import fastexcel
import polars as pl
from timing import median_seconds

from leadtriage.io.write import OutputFormat, WriteOptions, write_table


def accepted_like(rows: int) -> pl.DataFrame:
    index = pl.int_range(rows, eager=True).cast(pl.String)
    every = pl.int_range(rows, eager=True)
    df = pl.DataFrame({"i": index, "n": every})
    return df.select(
        (pl.lit("person") + pl.col("i") + pl.lit("@example-company.com")).alias("email"),
        (pl.lit("+1415555") + pl.col("i").str.zfill(4).str.slice(0, 4)).alias("phone_e164"),
        pl.lit("mobile").alias("phone_type"),
        pl.when(pl.col("n") % 7 == 0).then(pl.lit("12")).alias("phone_extension"),
        (pl.lit("Zoë") + pl.col("i")).alias("first_name"),
        (pl.lit("Müller-") + pl.col("i")).alias("last_name"),
        pl.when(pl.col("n") % 50 == 0)
        .then(pl.lit("@Home Realty & Sons <Ltd>"))
        .otherwise(pl.lit("Northwind Traders"))
        .alias("company"),
        pl.lit("Head of Marketing").alias("job_title"),
        pl.lit("manager").alias("seniority"),
        pl.lit("https://example-company.com").alias("website"),
        pl.lit("US").alias("country_code"),
        pl.lit("CA").alias("state"),
        pl.lit("San Francisco").alias("city"),
        pl.lit("94105").alias("postcode"),
        pl.lit("unknown").alias("consent"),
        pl.lit("Webinar: CRM hygiene").alias("source"),
        pl.lit("2026-02-21T15:18:00").alias("created_at"),
        pl.when(pl.col("n") % 3 == 0).then(pl.lit("met at booth 12")).alias("Notes"),
        pl.lit("campaign.csv").alias("source_file"),
        (pl.col("n") + 1).cast(pl.String).alias("source_row"),
        pl.when(pl.col("n") % 4 == 0).then(pl.lit("email.free")).alias("reasons"),
        pl.lit(None, dtype=pl.String).alias("cluster_id"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", nargs="?", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    table = accepted_like(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        csv_path, xlsx_path = Path(folder) / "accepted.csv", Path(folder) / "accepted.xlsx"
        csv_seconds = median_seconds(
            lambda: write_table(table, csv_path, options=WriteOptions(format=OutputFormat.CSV)),
            args.repeat,
        )
        xlsx_seconds = median_seconds(
            lambda: write_table(table, xlsx_path, options=WriteOptions(format=OutputFormat.XLSX)),
            args.repeat,
        )
        read_back = fastexcel.read_excel(xlsx_path).load_sheet(0, dtypes="string").height
        assert read_back == table.height, (read_back, table.height)
        size = xlsx_path.stat().st_size
    print(f"rows: {table.height:,} x {table.width} columns (median of {args.repeat})")
    print(f"csv:  {csv_seconds:8.2f} s")
    print(f"xlsx: {xlsx_seconds:8.2f} s   ({size / 2**20:.1f} MiB)")
    print(f"ratio xlsx / csv: {xlsx_seconds / csv_seconds:.1f}x")


if __name__ == "__main__":
    main()
