"""Columns set aside on disk while the whole-run stages run (spill.py): put back in
their places, read by the rules from the file, written only above the threshold, the
temporary folder gone after a run and after a failing one; and the golden corpus run
through the spilling path writes the same bytes as the in-memory path."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from leadtriage import spill
from leadtriage.errors import OutputError, UsageError
from leadtriage.pipeline import TriageOptions, clean, triage, whole_run_spares
from leadtriage.spill import Spill, SpillSettings

EXAMPLES = Path(__file__).parents[1] / "examples"
ALWAYS = SpillSettings(min_cells=0)


def _wide() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [1, 2, 3],
            "Email": ["a@x.org", "b@y.org", None],
            "email": ["a@x.org", "b@y.org", None],
            "raw.email": ["A@x.org ", "b@Y.org", None],
            "flag": [True, False, True],
        }
    )


def _folders(parent: Path) -> list[Path]:
    return sorted(parent.glob("leadtriage-spill-*"))


def test_set_aside_drops_the_columns_and_restore_puts_them_back_in_place(
    tmp_path: Path,
) -> None:
    with Spill(SpillSettings(min_cells=0, directory=tmp_path)) as store:
        narrow, aside = store.set_aside(_wide(), ["Email", "raw.email"])
        assert narrow.columns == ["id", "email", "flag"]
        written = sorted(p.name for p in _folders(tmp_path)[0].iterdir())
        assert written == [spill.OWNER_FILE, "set_aside_1.arrow"]
        later = narrow.with_columns((pl.col("id") * 10).alias("score"))
        restored = aside.restore(later)
    expected = _wide().with_columns((pl.col("id") * 10).alias("score"))
    assert_frame_equal(restored, expected)
    assert _folders(tmp_path) == []


def test_a_column_holding_another_ones_values_is_written_once(tmp_path: Path) -> None:
    frame = _wide().with_columns(pl.col("Email").alias("raw.email"))
    with Spill(SpillSettings(min_cells=0, directory=tmp_path)) as store:
        narrow, aside = store.set_aside(frame, ["Email", "raw.email"])
        assert aside.path is not None
        assert list(pl.read_ipc_schema(aside.path)) == ["Email"]
        assert_frame_equal(aside.restore(narrow), frame)
        assert_frame_equal(aside.beside(narrow.lazy()).collect(), frame)


def test_set_aside_columns_come_back_from_the_file_read_a_few_at_a_time(
    tmp_path: Path,
) -> None:
    """More columns than one read takes, copies among them, text, dates and lists:
    each back in its place, with its type and values."""
    texts = {f"text{n}": [f"{n}a", None, f"{n}c"] for n in range(2 * spill._READ_COLUMNS + 3)}
    frame = pl.DataFrame(
        {
            "meta.row_id": pl.Series([0, 1, 2], dtype=pl.UInt32),
            **texts,
            "copy": ["0a", None, "0c"],
            "when": pl.Series(["2026-01-02", None, "2026-03-04"]).str.to_date(),
            "names": [["a", "b"], [], None],
        }
    )
    with Spill(SpillSettings(min_cells=0, directory=tmp_path)) as store:
        narrow, parked = store.set_aside(frame, frame.columns[1:])
        assert narrow.columns == ["meta.row_id"]
        assert parked.path is not None and parked.copies == {"copy": "text0"}
        assert_frame_equal(parked.restore(narrow), frame)


def test_beside_reads_the_set_aside_columns_a_plan_names(tmp_path: Path) -> None:
    with Spill(SpillSettings(min_cells=0, directory=tmp_path)) as store:
        narrow, aside = store.set_aside(_wide(), ["Email", "raw.email"])
        wide = aside.beside(narrow.lazy())
        assert wide.collect_schema().names() == _wide().columns
        tested = wide.select(pl.col("raw.email").str.strip_chars().alias("given")).collect()
    assert tested["given"].to_list() == ["A@x.org", "b@Y.org", None]


def test_below_the_threshold_nothing_is_written(tmp_path: Path) -> None:
    frame = _wide()
    settings = SpillSettings(min_cells=frame.height * frame.width + 1, directory=tmp_path)
    with Spill(settings) as store:
        narrow, aside = store.set_aside(frame, ["Email", "raw.email"])
        assert narrow is frame
        assert aside.restore(narrow) is narrow
        assert aside.beside(narrow.lazy()).collect_schema().names() == frame.columns
        assert _folders(tmp_path) == []


def test_the_threshold_counts_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _wide()  # 3 rows x 5 columns
    monkeypatch.setattr(spill, "MIN_CELLS", 15)
    assert SpillSettings().spills(frame)
    monkeypatch.setattr(spill, "MIN_CELLS", 16)
    assert not SpillSettings().spills(frame)
    assert SpillSettings(min_cells=15).spills(frame)


def test_the_whole_run_stages_keep_clean_columns_keys_consent_answers_and_typed_names() -> None:
    columns = [
        "Email",
        "Opt in",
        "raw.email",
        "raw.consent",
        "raw.consent.opt_in",
        "raw.consent.opt_out",
        "raw.first_name",
        "raw.last_name",
        "email",
        "email_key",
        "consent",
        "flag.email.invalid",
        "meta.row_id",
    ]
    spares = whole_run_spares(columns, ["Email", "Opt in"])
    assert spares == ["Email", "Opt in", "raw.email", "raw.consent"]


# --- through the pipeline (the golden corpus through the spill: tests/test_golden.py) -


def test_the_routed_frame_is_the_same_through_the_spill(spilled_folders: list[Path]) -> None:
    """Every column back, with its values, in its place (the outputs choose their
    columns by name, so only the routed frame shows the order)."""
    sources = [str(EXAMPLES / "campaign.csv")]
    never = SpillSettings(min_cells=10**15)
    in_memory = triage(sources, options=TriageOptions(spill=never)).routed
    assert spilled_folders == []
    spilled = triage(sources, options=TriageOptions(spill=ALWAYS)).routed
    assert spilled_folders, "the run did not spill: the test would prove nothing"
    assert_frame_equal(spilled, in_memory)


@pytest.fixture
def taken_back(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    """The files `SetAside.take_back` read back, in order (None: nothing was written),
    each checked gone once read."""
    paths: list[Path | None] = []
    original = spill.SetAside.take_back

    def recording(self: spill.SetAside, narrow: pl.DataFrame) -> pl.DataFrame:
        restored = original(self, narrow)
        assert self.path is None or not self.path.exists()
        paths.append(self.path)
        return restored

    monkeypatch.setattr(spill.SetAside, "take_back", recording)
    return paths


def test_the_frame_parked_while_the_matcher_works_changes_no_value(
    spilled_folders: list[Path], taken_back: list[Path | None]
) -> None:
    """A large run parks the whole frame on disk while duplicates and CRM records are
    found from their keys (`Spill.park`), and takes it back: every column, value and
    place as a run that keeps it in memory, the parked files gone before the end."""
    parked = taken_back
    sources = [str(EXAMPLES / "campaign.csv")]
    options = TriageOptions(crm=str(EXAMPLES / "crm.csv"))
    never = SpillSettings(min_cells=10**15)
    in_memory = triage(sources, options=replace(options, spill=never)).routed
    # Nothing parked, and the features kept for the CRM match stay in memory.
    assert parked == [None, None, None]
    spilled = triage(sources, options=replace(options, spill=ALWAYS)).routed
    assert None not in parked[3:] and len(parked) == 5, "dedupe and the CRM match each park"
    assert_frame_equal(spilled, in_memory)


def test_the_features_kept_for_the_crm_match_wait_on_disk_and_change_no_value(
    spilled_folders: list[Path], taken_back: list[Path | None]
) -> None:
    """Below the parking size the matcher's features wait on disk while the rows are
    marked, come back for the CRM match (only the survivors' built again), and their
    file is gone: the same rows as a run that builds them all again."""
    waited = taken_back
    sources = [str(EXAMPLES / "campaign.csv")]
    options = TriageOptions(crm=str(EXAMPLES / "crm.csv"))
    not_parked = SpillSettings(min_cells=0, park_rows=10**9)
    kept = triage(sources, options=replace(options, spill=not_parked)).routed
    assert waited[0] is None and waited[1] is not None and waited[2] is None
    rebuilt = triage(sources, options=replace(options, spill=ALWAYS)).routed
    assert_frame_equal(kept, rebuilt)


def test_a_small_run_keeps_its_frame_in_memory_while_the_matcher_works(tmp_path: Path) -> None:
    frame = _wide()
    with Spill(SpillSettings(min_cells=0, directory=tmp_path, park_rows=4)) as store:
        narrow, parked = store.park(frame, keep=["id"])
        assert narrow is frame and parked.path is None
        assert parked.take_back(narrow) is narrow
    with Spill(SpillSettings(min_cells=0, directory=tmp_path, park_rows=3)) as store:
        narrow, parked = store.park(frame, keep=["id"])
        assert narrow.columns == ["id"] and parked.path is not None
        assert_frame_equal(parked.take_back(narrow), frame)


def test_what_the_matcher_reads_of_the_typed_names_stays_in_memory(
    spilled_folders: list[Path], tmp_path: Path
) -> None:
    """The matcher reads how a given name was typed ("EM" in capitals beside a family
    name typed otherwise is two initials): a large run must merge what a small one
    merges, so those raw fields are never set aside."""
    leads = tmp_path / "badges.csv"
    leads.write_text(
        "First Name,Last Name,Email,Phone\n"
        "Emiliana,Briones,e.briones@vaillant.fr,+33 6 12 34 56 78\n"
        "EM,Briones,e.briones@vaillant.fr,+33 6 12 34 56 78\n",
        encoding="utf-8",
    )
    never = SpillSettings(min_cells=10**15)
    in_memory = triage([str(leads)], options=TriageOptions(spill=never)).routed
    assert in_memory["cluster_id"].n_unique() == 1, "the initials case no longer merges"
    spilled = triage([str(leads)], options=TriageOptions(spill=ALWAYS)).routed
    assert spilled_folders, "the run did not spill: the test would prove nothing"
    assert_frame_equal(spilled, in_memory)


def test_a_failing_run_removes_the_spill_folder(
    tmp_path: Path, spilled_folders: list[Path]
) -> None:
    no_record_id = tmp_path / "crm.csv"
    no_record_id.write_text("Email,Name\nx@example.org,X\n", encoding="utf-8")
    options = TriageOptions(crm=str(no_record_id), spill=ALWAYS)
    with pytest.raises(UsageError, match="no record id"):
        clean([str(EXAMPLES / "campaign.csv")], tmp_path / "out", options=options)
    assert spilled_folders, "the run failed before it spilled: the test would prove nothing"
    assert not any(folder.exists() for folder in spilled_folders)
    assert not (tmp_path / "out").exists()


def test_a_spill_that_cannot_be_written_is_an_output_error_and_leaves_nothing(
    tmp_path: Path, spilled_folders: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pl.DataFrame, "write_ipc", disk_full)
    with pytest.raises(OutputError, match=r"cannot write temporary columns.*No space left"):
        clean([str(EXAMPLES / "campaign.csv")], tmp_path / "out")
    assert list((tmp_path / "spill").iterdir()) == []
    assert not (tmp_path / "out").exists()


def test_a_spill_folder_that_cannot_be_made_is_an_output_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    options = TriageOptions(spill=SpillSettings(min_cells=0, directory=not_a_folder))
    with pytest.raises(OutputError, match="cannot write temporary columns"):
        clean([str(EXAMPLES / "campaign.csv")], tmp_path / "out", options=options)


def test_a_terminated_run_removes_the_spill_folder(tmp_path: Path) -> None:
    """timeout, systemd and docker stop send SIGTERM: the run left a copy of the
    inputs' columns in TMPDIR, and nothing ever removed it."""
    script = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from leadtriage.launch import configure_process\n"
        "configure_process()\n"
        "import polars as pl\n"
        "from leadtriage.errors import Terminated\n"
        "from leadtriage.spill import Spill, SpillSettings\n"
        "try:\n"
        f"    with Spill(SpillSettings(min_cells=0, directory=Path({str(tmp_path)!r}))) as s:\n"
        "        s.set_aside(pl.DataFrame({'a': [1], 'b': ['x']}), ['b'])\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"
        "        time.sleep(5)\n"
        "except Terminated:\n"
        "    sys.exit(143)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    assert done.returncode == 143
    assert _folders(tmp_path) == []


def test_a_killed_runs_spill_folder_is_removed_by_the_next_run(tmp_path: Path) -> None:
    """SIGKILL leaves the folder behind: the next spill removes those whose run is gone,
    never one whose run still lives."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    orphan = tmp_path / "leadtriage-spill-orphan"
    orphan.mkdir()
    (orphan / spill.OWNER_FILE).write_text(dead.stdout.strip())
    (orphan / "set_aside_1.arrow").write_bytes(b"contact data")
    living = tmp_path / "leadtriage-spill-living"
    living.mkdir()
    (living / spill.OWNER_FILE).write_text(str(os.getpid()))
    recent = tmp_path / "leadtriage-spill-recent"  # maybe another container's run
    recent.mkdir()
    (recent / spill.OWNER_FILE).write_text(dead.stdout.strip())
    two_hours_ago = time.time() - 7200
    for folder in (orphan, living):
        os.utime(folder / spill.OWNER_FILE, (two_hours_ago, two_hours_ago))
    with Spill(SpillSettings(min_cells=0, directory=tmp_path)) as spilled:
        spilled.set_aside(pl.DataFrame({"a": [1], "b": ["x"]}), ["b"])
    assert not orphan.exists()
    assert living.exists()
    assert recent.exists()
