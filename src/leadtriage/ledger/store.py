"""The ledger of people earlier runs triaged: identify tonight's rows, then commit the run.

Lifecycle of a run::

    with Ledger.open(path) as ledger:          # lock file taken; waits, then LedgerBusyError
        lf = ledger.identify(lf, run=run)      # read-only: person_id, first_seen, flags
        hashes = ledger.erased_hashes()        # for the suppression stage (rules/suppress)
        ... suppress, route, write outputs ...
        ledger.commit(routed, run=run)         # one transaction, only after outputs exist

Nothing is written before `commit`, and `commit` is a single DuckDB transaction, so a run
that fails or is killed leaves the ledger as it was.

How a rerun is reported: a run whose `run_hash` (input bytes + rules) the ledger already
holds is matched against the ledger *as it was before that run* (every matching table is
stamped with the run that wrote it). Its rows therefore get the same person_id,
`flag.seen.before` and `first_seen` as the first time, whatever later runs added; its
commit changes nothing. Only the erasures are always current: a person forgotten since
is suppressed on the rerun too.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Final

import duckdb
import polars as pl

from leadtriage.dedupe.config import DedupeConfig
from leadtriage.dedupe.features import INPUT_COLUMNS, TYPED_INITIALS
from leadtriage.frame import (
    CLUSTER_ID,
    CONSENT_FROM_LEDGER,
    DECISION,
    LEDGER_REFUSED_ON,
    SOURCE_FILE,
)
from leadtriage.ledger import matching
from leadtriage.ledger.errors import duckdb_errors
from leadtriage.ledger.keys import (
    CLUSTER,
    EMAIL_ALIAS,
    EMAIL_NORM,
    FRAME_ROW,
    IS_FREE,
    IS_ROLE,
    ROW_NR,
    SEEN_BEFORE,
    SUPPRESSED,
    key_columns,
    with_missing_columns,
)
from leadtriage.ledger.lock import LedgerLock
from leadtriage.ledger.records import RunInfo, RunRecord
from leadtriage.ledger.reports import run_records
from leadtriage.ledger.schema import connect, first_row
from leadtriage.normalize.consent import NO
from leadtriage.schema import Col
from leadtriage.triage import DECISIONS, Decision

NIGHT: Final = "ledger_night"
# A commit that fails comes after the outputs: they stand, the run is not recorded, and
# a rerun of the same inputs writes the same outputs and records it.
_NOT_RECORDED_HINT: Final = (
    "the outputs are written but this run is not recorded; fix this, then run the same "
    "inputs again to record it"
)
_MATCHED: Final = "ledger_matched"
# Best first: a person accepted through one row and rejected as its duplicate through
# another was accepted.
_DECISION_RANK: Final = {decision.value: rank for rank, decision in enumerate(DECISIONS)}
# A DuckDB list literal, indexed from 1 by rank + 1.
_DECISIONS_BY_RANK: Final = repr([decision.value for decision in DECISIONS])
_NO_RUN_YET: Final = 2**31 - 1
# The night frame's column: the row refused consent tonight.
_REFUSED: Final = "refused"


@dataclass(frozen=True)
class _AsOf:
    """Which ledger state a run is matched against, and the day new people are first seen."""

    before_run_id: int
    seen_on: date


class Ledger:
    """An open ledger holding the lock file; use as a context manager."""

    def __init__(self, path: Path, lock: LedgerLock, connection: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self._lock = lock
        self._connection = connection

    @classmethod
    def open(cls, path: Path, *, wait_seconds: float = 5.0) -> Ledger:
        """Open PATH for a run, creating it on first use; waits `wait_seconds` for the lock."""
        lock = LedgerLock(path, exclusive=True, wait_seconds=wait_seconds)
        lock.acquire()
        try:
            connection = connect(path, read_only=False)
        except BaseException:
            lock.release()
            raise
        return cls(path, lock, connection)

    def close(self) -> None:
        self._connection.close()
        self._lock.release()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def recorded_run(self, run: RunInfo) -> RunRecord | None:
        """The committed run with the same inputs and rules, when this one is a rerun."""
        with duckdb_errors(self.path, doing="read"):
            run_id = self._run_id_of(run.run_hash)
            return None if run_id is None else _run_record(self._connection, run_id)

    def identify(
        self, lf: pl.LazyFrame, *, run: RunInfo, config: DedupeConfig | None = None
    ) -> pl.LazyFrame:
        """Add `person_id`, `first_seen` (Date), `flag.seen.before` and the day a
        returning person last refused consent (`frame.LEDGER_REFUSED_ON`, null when
        they never did).

        Collects the key columns of `lf` once (pass a collected frame's `.lazy()` when the
        upstream plan is expensive) and reads the ledger; writes nothing. Rows meet
        people through dedupe's blocking, comparisons and scoring with `config` (the
        rules' [dedupe]).
        """
        with duckdb_errors(self.path, doing="read"):
            return self._identify(lf, run=run, config=config)

    def _identify(
        self, lf: pl.LazyFrame, *, run: RunInfo, config: DedupeConfig | None
    ) -> pl.LazyFrame:
        as_of = self._as_of(run)
        keyed = with_missing_columns(lf).with_row_index(FRAME_ROW)
        tonight_plan = keyed.select(
            pl.col(FRAME_ROW).cast(pl.Int64).alias(ROW_NR),
            pl.coalesce(
                pl.col(CLUSTER_ID), pl.lit("row:") + pl.col(FRAME_ROW).cast(pl.String)
            ).alias(CLUSTER),
            *key_columns(),
        )
        present = set(lf.collect_schema().names())
        inputs_plan = lf.select(name for name in INPUT_COLUMNS if name in present)
        tonight, tonight_inputs = pl.collect_all([tonight_plan, inputs_plan])
        found = matching.candidates(
            self._connection,
            tonight_inputs,
            before=as_of.before_run_id,
            config=config or DedupeConfig(),
        )
        assigned = matching.resolve(tonight, found, run_hash=run.run_hash)
        known = self._known(
            assigned.filter(pl.col(matching.TIER).is_not_null()), before=as_of.before_run_id
        )
        identified = assigned.join(
            known, on=Col.PERSON_ID, how="left", maintain_order="left"
        ).select(
            pl.col(ROW_NR).cast(pl.UInt32).alias(FRAME_ROW),
            Col.PERSON_ID,
            pl.col(Col.FIRST_SEEN).fill_null(as_of.seen_on),
            pl.col(matching.TIER).is_not_null().alias(SEEN_BEFORE),
            pl.col(LEDGER_REFUSED_ON).cast(pl.Date),
        )
        return (
            lf.with_row_index(FRAME_ROW)
            .join(identified.lazy(), on=FRAME_ROW, how="left", maintain_order="left")
            .drop(FRAME_ROW)
        )

    def erased_hashes(self) -> frozenset[str]:
        """The SHA-256 of every erased address (`forget`): a suppression source."""
        with duckdb_errors(self.path, doing="read"):
            rows = self._connection.execute("SELECT email_sha256 FROM suppressions").fetchall()
        return frozenset(row[0] for row in rows)

    def commit(self, routed: pl.DataFrame, *, run: RunInfo) -> RunRecord | None:
        """Record the run in one transaction; None when the ledger already holds this run.

        `routed` is every row of the run after routing: the columns `identify` added,
        `flag.suppressed` and `decision`. Rows of a suppressed person are counted, never
        stored.
        """
        missing = [
            name
            for name in (Col.PERSON_ID, SEEN_BEFORE, SUPPRESSED, DECISION)
            if name not in routed.columns
        ]
        if missing:
            raise ValueError(f"commit needs the columns identify and route add; missing {missing}")
        with duckdb_errors(self.path, doing="record this run in", hint=_NOT_RECORDED_HINT):
            return self._commit(routed, run=run)

    def _commit(self, routed: pl.DataFrame, *, run: RunInfo) -> RunRecord | None:
        if self._run_id_of(run.run_hash) is not None:
            return None
        connection = self._connection
        connection.register(NIGHT, _night_frame(routed))
        try:
            connection.begin()
            try:
                run_id = self._next_run_id()
                self._write_run(run_id, run, routed)
                connection.commit()
            except BaseException:
                # After a fatal error (a full disk) DuckDB refuses the rollback too;
                # the error to report is the first one.
                with contextlib.suppress(duckdb.Error):
                    connection.rollback()
                raise
        finally:
            with contextlib.suppress(duckdb.Error):
                connection.unregister(NIGHT)
        return _run_record(connection, run_id)

    def _write_run(self, run_id: int, run: RunInfo, routed: pl.DataFrame) -> None:
        params = {"run_id": run_id, "seen_on": run.seen_on}
        for statement in _COMMIT_STATEMENTS:
            used = {name: value for name, value in params.items() if f"${name}" in statement}
            self._connection.execute(statement, used)
        counts = routed.select(
            pl.len().alias("row_count"),
            *(
                pl.col(DECISION).eq(decision.value).sum().alias(decision.value)
                for decision in Decision
            ),
            pl.col(Col.PERSON_ID)
            .filter(~pl.col(SEEN_BEFORE) & ~pl.col(SUPPRESSED))
            .drop_nulls()
            .n_unique()
            .alias("new"),
            pl.col(Col.PERSON_ID)
            .filter(pl.col(SEEN_BEFORE) & ~pl.col(SUPPRESSED))
            .n_unique()
            .alias("seen"),
            pl.col(SUPPRESSED).sum().alias("suppressed"),
        ).row(0, named=True)
        inputs = json.dumps([{"name": item.name, "sha256": item.sha256} for item in run.inputs])
        self._connection.execute(
            """INSERT INTO runs VALUES ($run_id, $run_hash, $seen_on, now()::TIMESTAMP, $rules_hash,
               $inputs, $row_count, $accepted, $review, $rejected, $new, $seen, $suppressed)""",
            {
                "run_id": run_id,
                "run_hash": run.run_hash,
                "seen_on": run.seen_on,
                "rules_hash": run.rules_hash,
                "inputs": inputs,
                **{key: int(value) for key, value in counts.items()},
            },
        )

    def _as_of(self, run: RunInfo) -> _AsOf:
        found = first_row(
            self._connection,
            "SELECT run_id, seen_on FROM runs WHERE run_hash = $run_hash",
            {"run_hash": run.run_hash},
        )
        if found is None:
            return _AsOf(before_run_id=_NO_RUN_YET, seen_on=run.seen_on)
        return _AsOf(before_run_id=int(found[0]), seen_on=found[1])

    def _run_id_of(self, run_hash: str) -> int | None:
        found = first_row(
            self._connection,
            "SELECT run_id FROM runs WHERE run_hash = $run_hash",
            {"run_hash": run_hash},
        )
        return None if found is None else int(found[0])

    def _next_run_id(self) -> int:
        found = first_row(self._connection, "SELECT coalesce(max(run_id), 0) + 1 FROM runs")
        assert found is not None
        return int(found[0])

    def _known(self, matched: pl.DataFrame, *, before: int) -> pl.DataFrame:
        """`first_seen` and the day of the last refusal of the people `matched` found,
        as the ledger was before run `before` (a rerun gets the same refusals)."""
        people = matched.select(Col.PERSON_ID).unique()
        self._connection.register(_MATCHED, people)
        try:
            people_seen: pl.DataFrame = self._connection.sql(
                f"""SELECT p.person_id, p.first_seen, r.refused_on AS "{LEDGER_REFUSED_ON}"
                FROM people p SEMI JOIN {_MATCHED} m ON p.person_id = m.person_id
                LEFT JOIN (
                    SELECT person_id, arg_max(refused_on, run_id) AS refused_on
                    FROM consent_refusals
                    WHERE run_id < $before AND person_id IN (SELECT person_id FROM {_MATCHED})
                    GROUP BY person_id
                ) r ON r.person_id = p.person_id""",
                params={"before": before},
            ).pl()
            return people_seen
        finally:
            self._connection.unregister(_MATCHED)


def _night_frame(routed: pl.DataFrame) -> pl.DataFrame:
    """The rows to store: keys, person and decision rank, without suppressed people."""
    keyed = with_missing_columns(routed.lazy())
    suppressed_people = keyed.filter(pl.col(SUPPRESSED)).select(Col.PERSON_ID).unique()
    present = set(routed.columns)
    # A "no" the consent stage took from the ledger is the person's old refusal, kept
    # with its own night; a "no" said tonight (or one the ledger lent to a person it
    # knew no refusal of) is tonight's.
    from_ledger = (
        pl.col(CONSENT_FROM_LEDGER).fill_null(False)
        if CONSENT_FROM_LEDGER in present
        else pl.lit(False)
    )
    remembered = (
        pl.col(LEDGER_REFUSED_ON).is_not_null() if LEDGER_REFUSED_ON in present else pl.lit(False)
    )
    refused = (pl.col(Col.CONSENT) == NO).fill_null(False) & ~(from_ledger & remembered)
    return (
        keyed.join(suppressed_people, on=Col.PERSON_ID, how="anti")
        # Blank rows have no person to store.
        .filter(pl.col(Col.PERSON_ID).is_not_null())
        .select(
            Col.PERSON_ID,
            SEEN_BEFORE,
            *key_columns(),
            pl.coalesce(pl.col(Col.SOURCE), pl.col(SOURCE_FILE)).alias(Col.SOURCE),
            pl.col(DECISION)
            .replace_strict(_DECISION_RANK, default=2, return_dtype=pl.Int8)
            .alias("decision_rank"),
            refused.alias(_REFUSED),
        )
        .collect()
    )


# Keys already stored for a person are not stored again: each insert compares only with
# the ledger rows that share tonight's keys (a semi-join on the small side).
_COMMIT_STATEMENTS: Final[tuple[str, ...]] = (
    f"""INSERT INTO people
        SELECT DISTINCT person_id, $run_id, $seen_on FROM {NIGHT} WHERE NOT "flag.seen.before"
    """,
    f"""INSERT INTO person_emails
        SELECT DISTINCT {Col.EMAIL_KEY}, {EMAIL_NORM}, person_id, $run_id,
               {EMAIL_ALIAS}, {IS_FREE}, {IS_ROLE}
        FROM {NIGHT}
        WHERE {Col.EMAIL_KEY} IS NOT NULL
        EXCEPT
        SELECT e.email_key, e.email_norm, e.person_id, $run_id,
               e.email_alias, e.email_free, e.email_role
        FROM person_emails e
        WHERE e.email_key IN (SELECT {Col.EMAIL_KEY} FROM {NIGHT} WHERE {Col.EMAIL_KEY} IS NOT NULL)
    """,
    f"""INSERT INTO person_phones
        SELECT DISTINCT phone_e164, person_id, $run_id FROM {NIGHT} WHERE phone_e164 IS NOT NULL
        EXCEPT
        SELECT p.phone_e164, p.person_id, $run_id FROM person_phones p
        WHERE p.phone_e164 IN (SELECT phone_e164 FROM {NIGHT} WHERE phone_e164 IS NOT NULL)
    """,
    f"""INSERT INTO person_names
        SELECT DISTINCT person_id, first_name_key, last_name_key, company_key, work_domain, $run_id,
               {Col.FIRST_NAME}, {Col.LAST_NAME}, {TYPED_INITIALS}
        FROM {NIGHT}
        WHERE first_name_key IS NOT NULL OR last_name_key IS NOT NULL
        EXCEPT
        SELECT n.person_id, n.first_name_key, n.last_name_key, n.company_key, n.work_domain,
               $run_id, n.first_name, n.last_name, n.first_initials
        FROM person_names n WHERE n.person_id IN (SELECT person_id FROM {NIGHT})
    """,
    f"""INSERT INTO consent_refusals
        SELECT DISTINCT person_id, $run_id, $seen_on FROM {NIGHT} WHERE {_REFUSED}
    """,
    f"""INSERT INTO sightings
        SELECT person_id, $run_id, source,
               {_DECISIONS_BY_RANK}[min(decision_rank) + 1],
               count(*)
        FROM {NIGHT} GROUP BY person_id, source
    """,
)


def _run_record(connection: duckdb.DuckDBPyConnection, run_id: int) -> RunRecord:
    return run_records(connection, run_id=run_id)[0]
