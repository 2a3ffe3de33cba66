"""Right to erasure: the person goes, a hash stays, and they come back flagged suppressed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.errors import ExitStatus, LeadtriageError
from leadtriage.ledger import Ledger, email_hash, forget, forget_many, ledger_stats

from .helpers import Contact, run_info, run_night
from .snapshot import TABLES, ledger_content
from .test_two_nights import NIGHT_1, SEEN, SUPPRESSED

JANE = NIGHT_1[0]  # Jane.Doe@gmail.com, +14155550132


def test_email_hash_is_sha256_of_trimmed_lowercase() -> None:
    expected = hashlib.sha256(b"jane.doe@gmail.com").hexdigest()
    assert email_hash("  Jane.Doe@GMAIL.com\n") == expected


def test_forget_removes_every_trace_of_the_person(ledger_after_night_1: Path) -> None:
    path = ledger_after_night_1
    assert forget(path, " JANE.DOE@gmail.com ") == 1
    content = ledger_content(path)
    flat = repr(content).lower()
    assert "jane" not in flat
    assert "+14155550132" not in flat
    assert [row[0] for row in content["suppressions"]].count(email_hash("jane.doe@gmail.com")) == 1
    stats = ledger_stats(path)
    assert stats.people == len(NIGHT_1) - 1
    assert stats.suppressions >= 1


def test_forgotten_address_is_not_in_the_database_file(ledger_after_night_1: Path) -> None:
    forget(ledger_after_night_1, JANE.email or "")
    assert b"jane.doe@gmail.com" not in ledger_after_night_1.read_bytes()


def test_forgotten_person_comes_back_suppressed_and_is_not_stored(
    ledger_after_night_1: Path,
) -> None:
    path = ledger_after_night_1
    forget(path, "jane.doe@gmail.com")
    before = ledger_stats(path).people
    night_2 = [
        Contact("JaneDoe@Gmail.com", "Jane", "Doe", "Acme Corp", "+14155550132", "webinar"),
        Contact("robert.smith@initech.com", "Robert", "Smith", "Initech", None, "webinar"),
    ]
    with Ledger.open(path) as ledger:
        rows, record = run_night(ledger, night_2, run_info("night2.csv", b"night 2", day=8))
    assert rows[SUPPRESSED].to_list() == [True, False]
    assert rows[SEEN].to_list() == [False, True]
    assert rows["decision"][0] == "rejected"
    assert record is not None
    assert record.rows_suppressed == 1
    assert ledger_stats(path).people == before
    assert "jane" not in repr(ledger_content(path)).lower()


def test_forget_of_unknown_address_suppresses_it_anyway(ledger_after_night_1: Path) -> None:
    path = ledger_after_night_1
    assert forget(path, "never.seen@example.org") == 0
    assert forget(path, "Never.Seen@example.org") == 0
    hashes = [row[0] for row in ledger_content(path)["suppressions"]]
    assert hashes == [email_hash("never.seen@example.org")]
    with Ledger.open(path) as ledger:
        rows, _ = run_night(
            ledger,
            [Contact("never.seen@example.org", "Nev", "Seen", None, None, "webinar")],
            run_info("n.csv", b"n", day=9),
        )
    assert rows[SUPPRESSED].to_list() == [True]


def test_forget_keeps_other_people(ledger_after_night_1: Path) -> None:
    path = ledger_after_night_1
    before = ledger_content(path)
    forget(path, "jane.doe@gmail.com")
    after = ledger_content(path)
    for table in ("person_phones", "people"):
        assert len(after[table]) == len(before[table]) - 1
    assert after["runs"] == before["runs"]


def test_snapshot_covers_every_table(ledger_after_night_1: Path) -> None:
    connection = duckdb.connect(str(ledger_after_night_1), read_only=True)
    tables = {
        row[0] for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    connection.close()
    assert tables == set(TABLES)


def test_forget_many_removes_each_in_one_go(ledger_after_night_1: Path) -> None:
    path = ledger_after_night_1
    removed = forget_many(path, ["jane.doe@gmail.com", "ROBERT.SMITH@initech.com", "x@y.org"])
    assert removed == 2
    assert ledger_stats(path).people == len(NIGHT_1) - 2
    # Jane's address as typed and its gmail key (dots dropped), Robert's, and x@y.org.
    assert ledger_stats(path).suppressions == 4


def test_forget_on_a_mistyped_path_does_not_create_a_ledger(tmp_path: Path) -> None:
    with pytest.raises(LeadtriageError, match="no ledger at"):
        forget(tmp_path / "typo.duckdb", "jane.doe@gmail.com")
    assert list(tmp_path.iterdir()) == []


# --- erasure through a symlink, and of what waits in the WAL ------------------------

ADDRESS_BYTES = (b"jane.doe@gmail.com", b"janedoe@gmail.com", b"+14155550132")


def _every_file_beside(*paths: Path) -> dict[Path, bytes]:
    """The bytes of every file in the folders of `paths`: the ledger, its lock, its WAL,
    a fresh copy left behind, whatever else the ledger made."""
    folders = {path.parent for path in paths}
    return {
        item: item.read_bytes()
        for folder in folders
        for item in folder.iterdir()
        if item.is_file() and not item.is_symlink()
    }


def _holding_the_address(files: dict[Path, bytes]) -> list[str]:
    return sorted(
        f"{path.name}: {needle!r}"
        for path, data in files.items()
        for needle in ADDRESS_BYTES
        if needle in data.lower()
    )


def test_forget_through_a_symlink_rewrites_the_real_ledger(
    ledger_after_night_1: Path, tmp_path: Path
) -> None:
    real = ledger_after_night_1
    links = tmp_path / "links"
    links.mkdir()
    link = links / "ledger.duckdb"
    link.symlink_to(real)
    assert _holding_the_address(_every_file_beside(real))  # the test sees the bytes

    assert forget(link, "jane.doe@gmail.com") == 1

    assert link.is_symlink() and link.resolve() == real.resolve()
    assert _holding_the_address(_every_file_beside(real, link)) == []
    stats = ledger_stats(link)
    assert stats.people == len(NIGHT_1) - 1
    # Later runs through the link meet the suppression.
    with Ledger.open(link) as ledger:
        rows, _ = run_night(ledger, [JANE], run_info("night2.csv", b"night 2", day=8))
    assert rows[SUPPRESSED].to_list() == [True]


def test_forget_erases_what_waits_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    with Ledger.open(path):
        pass  # an empty ledger, checkpointed
    # A run whose last writes were never checkpointed (a killed process): they sit in
    # the WAL, which DuckDB replays when the ledger is next opened.
    with Ledger.open(path) as ledger:
        ledger._connection.execute("PRAGMA disable_checkpoint_on_shutdown")
        run_night(ledger, NIGHT_1, run_info("night1.csv", b"night 1", day=1))
    wal = path.with_name(path.name + ".wal")
    assert wal.is_file() and b"jane.doe@gmail.com" in wal.read_bytes()

    assert forget(path, "jane.doe@gmail.com") == 1

    assert _holding_the_address(_every_file_beside(path)) == []
    assert ledger_stats(path).people == len(NIGHT_1) - 1


@pytest.mark.parametrize("typed", ["not-an-email", "jane doe@gmail.com", "@gmail.com", "  "])
def test_forget_of_something_that_is_no_address_is_a_usage_error(
    ledger_after_night_1: Path, typed: str
) -> None:
    path = ledger_after_night_1
    before = path.read_bytes()
    result = CliRunner().invoke(
        app, ["ledger", "forget", str(path), "--email", "ann@acme.com", "--email", typed]
    )
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr.splitlines()[0] == (
        "leadtriage: error: --email number 2 is not an email address (local@domain)"
    )
    assert typed.strip() == "" or typed not in result.stderr
    assert path.read_bytes() == before  # nothing forgotten, not even the valid one


def test_forget_given_a_relative_path_does_not_wait_on_its_own_lock(
    ledger_after_night_1: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path as given and its resolved form are one ledger: forget locked both and
    waited 5 s on itself, then reported the ledger in use by another run."""
    monkeypatch.chdir(ledger_after_night_1.parent)
    relative = Path(ledger_after_night_1.name)
    assert forget(relative, "nobody@example.com", wait_seconds=0.2) == 0


def test_forget_erases_the_person_s_remembered_opt_out(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    night = [
        Contact("jane.doe@gmail.com", "Jane", "Doe", "Acme Corp", None, "webinar", consent="no"),
        Contact("robert.smith@initech.com", "Robert", "Smith", "Initech", None, consent="no"),
    ]
    with Ledger.open(path) as ledger:
        rows, _ = run_night(ledger, night, run_info("night1.csv", b"night 1", day=1))
    jane, robert = rows["person_id"].to_list()
    assert {row[0] for row in ledger_content(path)["consent_refusals"]} == {jane, robert}
    forget(path, "jane.doe@gmail.com")
    assert {row[0] for row in ledger_content(path)["consent_refusals"]} == {robert}
