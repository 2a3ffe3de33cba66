"""Time one night against a big ledger: `identify` and `commit`, peak memory, size on disk.

    .venv/bin/python bench/ledger_bench.py --people 10_000_000 --night 100_000 --dir /tmp/lb

Builds (once; reused when present) a synthetic ledger of N people straight in DuckDB
SQL, then makes a night of M rows: a fifth returning by email (upper-cased), a tenth
by phone with a nickname and a new address, a tenth by a last-name typo at the same
company with a new address, the rest new. The timed run happens in a child process so
its peak RSS is its own. Prints a JSON line of figures. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from leadtriage.frame import flag
from leadtriage.ledger import InputFile, Ledger, RunInfo
from leadtriage.ledger.schema import connect

FIRST_NAMES = [
    "robert", "william", "james", "john", "michael", "elizabeth", "margaret", "katherine",
    "jennifer", "thomas", "richard", "joseph", "david", "susan", "patricia", "daniel",
    "matthew", "anthony", "christopher", "jessica", "sarah", "laura", "emma", "olivia",
    "sophia", "lucas", "noah", "liam", "mia", "chloe", "ana", "jose", "mohammed", "wei",
    "yuki", "priya", "arjun", "fatima", "omar", "ingrid", "lars", "sven", "giulia", "marco",
]  # fmt: skip
NICKNAME_OF = {"robert": "bob", "william": "bill", "james": "jim", "michael": "mike",
               "elizabeth": "liz", "margaret": "peggy", "katherine": "kate", "thomas": "tom",
               "richard": "rick", "joseph": "joe", "david": "dave", "daniel": "dan"}  # fmt: skip
SYLLABLES_A = [
    "smi",
    "jo",
    "wil",
    "bro",
    "da",
    "mil",
    "ta",
    "and",
    "tho",
    "whi",
    "har",
    "mar",
    "gar",
    "rob",
    "cla",
    "lew",
    "wal",
    "hal",
    "you",
    "kin",
]
SYLLABLES_B = [
    "th",
    "nes",
    "son",
    "wn",
    "vis",
    "ler",
    "ylor",
    "erson",
    "mas",
    "te",
    "ris",
    "tin",
    "cia",
    "inson",
    "rk",
    "is",
    "ker",
    "ng",
    "dez",
    "ez",
]
FREE = ["gmail.com", "outlook.com", "yahoo.com"]


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join(f"'{value}'" for value in values) + "]"


def build_ledger(path: Path, people: int) -> float:
    started = time.perf_counter()
    connect(path, read_only=False).close()
    connection = duckdb.connect(str(path))
    lasts = [a + b for a in SYLLABLES_A for b in SYLLABLES_B]
    first_pick = f"(1 + hash(i, 'f') % {len(FIRST_NAMES)})::BIGINT"
    last_pick = f"(1 + hash(i, 'l') % {len(lasts)})::BIGINT"
    connection.execute(
        f"""
        CREATE TEMP TABLE synthetic AS
        SELECT i,
               'p_' || substr(md5(i::VARCHAR), 1, 20) AS person_id,
               {_sql_list(FIRST_NAMES)}[{first_pick}] AS first_name_key,
               {_sql_list(lasts)}[{last_pick}] AS last_name_key,
               'company' || (hash(i, 'c') % 500000)::VARCHAR AS company_key,
               i % 3 = 0 AS free,
               {_sql_list(FREE)}[1 + i % 3] AS free_domain
        FROM range({people}) t(i)
        """
    )
    connection.begin()
    connection.execute(
        "INSERT INTO runs VALUES (1, 'synthetic', DATE '2025-01-01', now()::TIMESTAMP, 'x', '[]',"
        f" {people}, {people}, 0, 0, {people}, 0, 0)"
    )
    connection.execute(
        "INSERT INTO people SELECT person_id, 1, DATE '2025-01-01' + (i % 300)::INTEGER"
        " FROM synthetic"
    )
    connection.execute(
        r"""INSERT INTO person_emails
           SELECT key, key, person_id, 1,
                  regexp_replace(split_part(key, '@', 1), '[._+\-]', '', 'g') || '@'
                  || split_part(key, '@', 2),
                  free, false
           FROM (
               SELECT person_id, free,
                      CASE WHEN free AND free_domain = 'gmail.com'
                           THEN first_name_key || last_name_key || i || '@gmail.com'
                           WHEN free
                           THEN first_name_key || '.' || last_name_key || i || '@' || free_domain
                           ELSE first_name_key || '.' || last_name_key || '@' || company_key
                                || '.com'
                      END AS key
               FROM synthetic)"""
    )
    connection.execute(
        "INSERT INTO person_phones SELECT '+1' || (2000000000 + i)::VARCHAR, person_id, 1"
        " FROM synthetic WHERE i % 10 < 3"
    )
    connection.execute(
        """INSERT INTO person_names SELECT person_id, first_name_key, last_name_key, company_key,
           CASE WHEN free THEN NULL ELSE company_key || '.com' END, 1,
           first_name_key, last_name_key, false FROM synthetic"""
    )
    connection.execute(
        "INSERT INTO sightings SELECT person_id, 1, 'campaign' || (i % 50)::VARCHAR, 'accepted', 1"
        " FROM synthetic"
    )
    connection.commit()
    connection.execute("DROP TABLE synthetic")
    connection.execute("CHECKPOINT")
    connection.close()
    return time.perf_counter() - started


def _typo(column: str) -> pl.Expr:
    # Swaps the 3rd and 4th letters: one OSA edit.
    name = pl.col(column)
    return name.str.slice(0, 2) + name.str.slice(3, 1) + name.str.slice(2, 1) + name.str.slice(4)


def build_night(path: Path, people: int, rows: int) -> pl.DataFrame:
    by_email, by_phone, by_name = rows // 5, rows // 10, rows // 10
    returning = by_email + by_phone + by_name
    step = max(people // returning, 1)
    connection = duckdb.connect(str(path), read_only=True)
    sample: pl.DataFrame = connection.sql(
        f"""SELECT n.person_id, n.first_name_key, n.last_name_key, n.company_key, n.work_domain,
                  e.email_key, p.phone_e164
           FROM person_names n JOIN person_emails e USING (person_id)
           LEFT JOIN person_phones p USING (person_id)
           WHERE hash(n.person_id) % {step} = 0
           ORDER BY n.person_id"""
    ).pl()
    connection.close()
    with_phone = sample.filter(pl.col("phone_e164").is_not_null()).head(by_phone)
    rest = sample.join(with_phone, on="person_id", how="anti")
    email_part = rest.head(by_email).with_columns(
        email=pl.col("email_key").str.to_uppercase(), phone_e164=pl.lit(None, pl.String)
    )
    name_part = rest.slice(by_email, by_name).filter(pl.col("work_domain").is_not_null())
    name_part = name_part.with_columns(
        email=pl.lit("x") + pl.col("email_key").str.replace(r"@.*", "") + pl.lit("@gmail.com"),
        last_name_key=_typo("last_name_key"),
        phone_e164=pl.lit(None, pl.String),
    )
    phone_part = with_phone.with_columns(
        email=pl.lit("new.") + pl.col("email_key").str.replace(r"@.*", "") + pl.lit("@yahoo.com"),
        first_name_key=pl.col("first_name_key").replace(NICKNAME_OF),
    )
    columns = ["email", "phone_e164", "first_name_key", "last_name_key", "company_key", "person_id"]
    returning_rows = pl.concat(
        [
            part.select(columns).with_columns(pl.lit(way).alias("planted_by"))
            for part, way in ((email_part, "email"), (name_part, "name"), (phone_part, "phone"))
        ]
    )
    fresh = pl.DataFrame({"i": range(rows - returning_rows.height)}).select(
        email=pl.lit("fresh") + pl.col("i").cast(pl.String) + pl.lit("@newco.com"),
        phone_e164=pl.lit("+4420") + (pl.col("i") + 70000000).cast(pl.String),
        first_name_key=pl.lit(FIRST_NAMES).list.get(pl.col("i") % len(FIRST_NAMES)),
        last_name_key=pl.lit("person") + pl.col("i").cast(pl.String),
        company_key=pl.lit("newco") + (pl.col("i") % 5000).cast(pl.String),
        person_id=pl.lit(None, pl.String),
        planted_by=pl.lit(None, pl.String),
    )
    night = (
        pl.concat([returning_rows, fresh])
        .rename({"person_id": "planted_person_id"})
        .with_row_index("source_row", offset=1)
    )
    domain = pl.col("email").str.to_lowercase().str.replace(r"^.*@", "")
    return night.with_columns(
        pl.lit("night.csv").alias("source_file"),
        pl.col("source_row").cast(pl.Int64),
        pl.col("email").str.to_lowercase().alias("email_key"),
        domain.alias("email_domain"),
        domain.is_in(FREE).alias(flag("email.free")),
        pl.lit("webinar").alias("source"),
        pl.lit(None, pl.String).alias("cluster_id"),
    )


def timed_run(ledger_path: Path, night_path: Path) -> dict[str, object]:
    """One night through open -> identify -> commit, in a process of its own (peak RSS)."""
    night = pl.read_parquet(night_path)
    size_before = ledger_path.stat().st_size
    run = RunInfo(
        inputs=(InputFile(name="night.csv", sha256=f"bench-{night.height}"),),
        rules_hash="bench",
        started_at=datetime.now(UTC),
    )
    started = time.perf_counter()
    with Ledger.open(ledger_path) as ledger:
        opened = time.perf_counter()
        identified = ledger.identify(night.lazy(), run=run).collect()
        identify_done = time.perf_counter()
        routed = identified.with_columns(
            pl.lit("accepted").alias("decision"), pl.lit(False).alias(flag("suppressed"))
        )
        record = ledger.commit(routed, run=run)
        commit_done = time.perf_counter()
    planted = identified.filter(pl.col("planted_person_id").is_not_null())
    return {
        "night_rows": night.height,
        "returning_planted": planted.height,
        "seen_before_found": int(identified[flag("seen.before")].sum()),
        "found_right_person": int((planted["person_id"] == planted["planted_person_id"]).sum()),
        "by_way_planted_seen_right": {
            way: [planted, seen, right]
            for way, planted, seen, right in planted.group_by("planted_by")
            .agg(
                pl.len(),
                pl.col(flag("seen.before")).sum(),
                (pl.col("person_id") == pl.col("planted_person_id")).sum(),
            )
            .sort("planted_by")
            .iter_rows()
        },
        "open_s": round(opened - started, 2),
        "identify_s": round(identify_done - opened, 2),
        "commit_s": round(commit_done - identify_done, 2),
        "total_s": round(commit_done - started, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "ledger_mb_before": round(size_before / 2**20, 1),
        "ledger_mb_after": round(ledger_path.stat().st_size / 2**20, 1),
        "people_new": None if record is None else record.people_new,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--people", type=lambda text: int(text.replace("_", "")), default=10_000_000
    )
    parser.add_argument("--night", type=lambda text: int(text.replace("_", "")), default=100_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ledger_bench"))
    parser.add_argument("--timed-run", nargs=2, type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.timed_run:
        print(json.dumps(timed_run(*arguments.timed_run)))
        return
    arguments.dir.mkdir(parents=True, exist_ok=True)
    base = arguments.dir / f"base_{arguments.people}.duckdb"
    build_seconds = None
    if not base.exists():
        build_seconds = round(build_ledger(base, arguments.people), 1)
    night_path = arguments.dir / f"night_{arguments.night}.parquet"
    build_night(base, arguments.people, arguments.night).write_parquet(night_path)
    ledger_path = arguments.dir / "ledger.duckdb"
    shutil.copyfile(base, ledger_path)
    child = subprocess.run(
        [sys.executable, __file__, "--timed-run", str(ledger_path), str(night_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = {"people": arguments.people, "build_ledger_s": build_seconds}
    figures.update(json.loads(child.stdout))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
