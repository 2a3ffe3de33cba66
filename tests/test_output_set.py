"""Outputs are replaced as one set: at any moment the out dir holds the previous
complete set or the new one, never a mix (DESIGN 5 and 9, issue 11).

Faults are injected at every filesystem step a write takes (each file written, each
rename, link and exchange): once as an error the run sees, once as a kill (the
process ends at that step, no clean-up runs).
"""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.errors import OutputError
from leadtriage.io import output_set
from leadtriage.io import write as write_module
from leadtriage.io.write import OutputFormat, WriteOptions, write_outputs

OLD = {
    "accepted": pl.DataFrame({"email": ["old@acme.com"]}),
    "review": pl.DataFrame({"email": ["old-review@acme.com"]}),
    "rejected": pl.DataFrame({"email": ["old-rejected@acme.com"]}),
}
NEW = {
    "accepted": pl.DataFrame({"email": ["new@acme.com", "zoë@acme.de"]}),
    "review": pl.DataFrame({"email": ["new-review@acme.com"]}),
    "rejected": pl.DataFrame({"email": ["new-rejected@acme.com"]}),
}
FOREIGN = "notes.txt"  # a person's own file in the out dir: never ours to remove


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _write_review_workbook(path: Path) -> None:
    path.write_bytes(b"workbook of the run")


def _expected_sets(tmp_path: Path, fmt: OutputFormat) -> tuple[dict[str, str], dict[str, str]]:
    old, new = tmp_path / "expect-old", tmp_path / "expect-new"
    write_outputs(
        old, OLD, {"run": "old"}, WriteOptions(), extra={"review.xlsx": _write_review_workbook}
    )
    write_outputs(new, NEW, {"run": "new"}, WriteOptions(format=fmt))
    for folder in (old, new):
        (folder / FOREIGN).write_text("mine", encoding="utf-8")
    return _digest(old), _digest(new)


def _old_set(out: Path) -> None:
    write_outputs(
        out, OLD, {"run": "old"}, WriteOptions(), extra={"review.xlsx": _write_review_workbook}
    )
    (out / FOREIGN).write_text("mine", encoding="utf-8")


def _leftovers(tmp_path: Path, out: Path) -> list[str]:
    return sorted(
        p.name
        for folder in (tmp_path, out)
        if folder.is_dir()
        for p in folder.iterdir()
        if p.name.startswith(".leadtriage-")
    )


SWAPS = ["exchange", "fallback"]


def _no_exchange(_first: Path, _second: Path) -> None:
    raise OSError(errno.ENOSYS, "no atomic exchange on this system")


@pytest.fixture(params=SWAPS)
def swap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of swapping folders: the atomic exchange and the two-rename fallback."""
    if request.param == "fallback":
        monkeypatch.setattr(output_set, "_exchange", _no_exchange)
    return str(request.param)


def _steps(monkeypatch: pytest.MonkeyPatch, on_step: Callable[[int, str], None]) -> None:
    """Call `on_step(k, what)` before each filesystem step of a write."""
    count = 0

    def wrap(owner: Any, name: str) -> None:
        real = getattr(owner, name)

        def step(*args: Any, **kwargs: Any) -> Any:
            nonlocal count
            count += 1
            on_step(count, name)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, step)

    for name in ("rename", "replace", "link"):
        wrap(os, name)
    for name in ("write_table", "_write_summary"):
        wrap(write_module, name)
    wrap(output_set, "_exchange")


def _count_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: OutputFormat) -> int:
    out = tmp_path / "count"
    _old_set(out)
    seen: list[str] = []
    with monkeypatch.context() as patch:
        _steps(patch, lambda _k, what: seen.append(what))
        write_outputs(out, NEW, {"run": "new"}, WriteOptions(format=fmt))
    assert {"write_table", "_write_summary"} <= set(seen)
    return len(seen)


@pytest.mark.parametrize("fmt", [OutputFormat.CSV, OutputFormat.XLSX])
def test_a_fault_at_any_step_leaves_the_old_set_or_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: OutputFormat, swap: str
) -> None:
    old, new = _expected_sets(tmp_path, fmt)
    steps = _count_steps(tmp_path, monkeypatch, fmt)
    for k in range(1, steps + 1):
        out = tmp_path / f"out-{k}"
        _old_set(out)

        def fail_at(step: int, _what: str, k: int = k) -> None:
            if step == k:
                raise OSError(errno.ENOSPC, "No space left on device")

        with monkeypatch.context() as patch:
            _steps(patch, fail_at)
            try:
                write_outputs(out, NEW, {"run": "new"}, WriteOptions(format=fmt))
            except OutputError:
                assert _digest(out) == old, k
            else:
                assert _digest(out) == new, k
        assert _digest(out) in (old, new), k
        # The next run finishes the job and leaves nothing behind.
        write_outputs(out, NEW, {"run": "new"}, WriteOptions(format=fmt))
        assert _digest(out) == new, k
        assert _leftovers(tmp_path, out) == [], k


_KILLER = textwrap.dedent(
    """
    import errno, os, sys
    from pathlib import Path
    import polars as pl
    from leadtriage.io import output_set, write as write_module
    from leadtriage.io.write import OutputFormat, WriteOptions, write_outputs

    kill_at = int(sys.argv[2])
    count = 0

    def wrap(owner, name):
        real = getattr(owner, name)
        def step(*args, **kwargs):
            global count
            count += 1
            if count == kill_at:
                os._exit(137)  # as SIGKILL: no finally, no clean-up
            return real(*args, **kwargs)
        setattr(owner, name, step)

    for name in ("rename", "replace", "link"):
        wrap(os, name)
    if sys.argv[3] == "fallback":
        def no_exchange(first, second):
            raise OSError(errno.ENOSYS, "no exchange here")
        output_set._exchange = no_exchange
    for name in ("write_table", "_write_summary"):
        wrap(write_module, name)
    wrap(output_set, "_exchange")
    tables = {
        "accepted": pl.DataFrame({"email": ["new@acme.com", "zoë@acme.de"]}),
        "review": pl.DataFrame({"email": ["new-review@acme.com"]}),
        "rejected": pl.DataFrame({"email": ["new-rejected@acme.com"]}),
    }
    write_outputs(Path(sys.argv[1]), tables, {"run": "new"}, WriteOptions(format=OutputFormat.CSV))
    """
)


def test_a_kill_at_any_step_leaves_the_old_set_or_the_new_one_and_the_next_run_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    old, new = _expected_sets(tmp_path, OutputFormat.CSV)
    steps = _count_steps(tmp_path, monkeypatch, OutputFormat.CSV)
    env = {**os.environ, "PYTHONPATH": str(Path(write_module.__file__).parents[2])}
    for k in range(1, steps + 1):
        out = tmp_path / f"killed-{k}"
        _old_set(out)
        done = subprocess.run(
            [sys.executable, "-c", _KILLER, str(out), str(k), swap], env=env, check=False
        )
        assert done.returncode == 137, k
        if swap == "fallback" and not out.exists():
            # Killed between the two renames: the old set waits beside, whole, and
            # whatever reads the folder next puts it back first.
            output_set.recover_output_set(out)
        assert _digest(out) in (old, new), k
        write_outputs(out, NEW, {"run": "new"}, WriteOptions())
        assert _digest(out) == new, k
        assert _leftovers(tmp_path, out) == [], k


def test_outputs_of_another_format_and_an_old_workbook_are_gone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _old_set(out)
    write_outputs(out, NEW, {"run": "new"}, WriteOptions(format=OutputFormat.PARQUET))
    assert sorted(p.name for p in out.iterdir()) == [
        "accepted.parquet",
        FOREIGN,
        "rejected.parquet",
        "review.parquet",
        "summary.json",
    ]
    assert (out / FOREIGN).read_text(encoding="utf-8") == "mine"


def test_the_copy_of_an_xlsx_review_is_the_tools_own_and_goes_with_its_set(
    tmp_path: Path,
) -> None:
    # Carried over as a person's file, an old copy would sit beside a later xlsx
    # review it does not describe (or mislead once its set is gone).
    out = tmp_path / "out"
    write_outputs(out, OLD, {"run": "old"}, WriteOptions(format=OutputFormat.XLSX))
    assert (out / output_set.REVIEW_COPY).is_file()
    assert output_set.is_owned(output_set.REVIEW_COPY)
    write_outputs(out, NEW, {"run": "new"}, WriteOptions())
    assert not (out / output_set.REVIEW_COPY).exists()


def test_a_symlinked_output_is_replaced_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _old_set(out)
    target = tmp_path / "precious.csv"
    target.write_text("do not touch\n", encoding="utf-8")
    (out / "accepted.csv").unlink()
    (out / "accepted.csv").symlink_to(target)
    write_outputs(out, NEW, {"run": "new"}, WriteOptions())
    assert target.read_text(encoding="utf-8") == "do not touch\n"
    assert not (out / "accepted.csv").is_symlink()
    assert "new@acme.com" in (out / "accepted.csv").read_text(encoding="utf-8")


def test_an_output_that_cannot_be_replaced_changes_nothing(tmp_path: Path) -> None:
    """The issue's case: a folder named rejected.csv used to leave a mixed set."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "rejected.csv").mkdir()
    (out / "rejected.csv" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match=r"rejected\.csv"):
        write_outputs(out, NEW, {"run": "new"}, WriteOptions())
    assert sorted(p.name for p in out.iterdir()) == ["rejected.csv"]
    assert _leftovers(tmp_path, out) == []


def test_a_staging_folder_of_a_killed_run_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _old_set(out)
    stale_beside = tmp_path / ".leadtriage-out.new.abc123"
    stale_inside = out / ".leadtriage-xyz"  # where older versions staged
    for stale in (stale_beside, stale_inside):
        stale.mkdir()
        (stale / "accepted.csv").write_bytes(b"x" * 1000)
    write_outputs(out, NEW, {"run": "new"}, WriteOptions())
    assert _leftovers(tmp_path, out) == []


def test_the_old_set_left_by_a_fallback_swap_is_restored(tmp_path: Path) -> None:
    """Without an atomic exchange the swap is two renames; a kill between them leaves
    the old set beside a missing out dir, and the next run puts it back first."""
    out = tmp_path / "out"
    _old_set(out)
    old = _digest(out)
    os.rename(out, tmp_path / ".leadtriage-out.old.abc123")
    output_set.recover_output_set(out)
    assert _digest(out) == old
    assert _leftovers(tmp_path, out) == []


def test_a_folder_the_tool_did_not_write_is_not_swapped_away(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _old_set(out)
    (out / "archive").mkdir()
    with pytest.raises(OutputError, match="archive"):
        write_outputs(out, NEW, {"run": "new"}, WriteOptions())
    assert (out / "archive").is_dir()


def test_the_current_folder_is_never_an_output_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match="current folder"):
        write_outputs(Path(), NEW, {"run": "new"}, WriteOptions())


def test_the_cli_refuses_an_output_folder_it_cannot_replace_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out" / "archive").mkdir(parents=True)
    missing = str(tmp_path / "missing.csv")  # never read: the refusal comes first
    for out, fragment in ((".", "current folder"), ("out", "archive")):
        result = CliRunner().invoke(app, ["clean", missing, "-o", out, "-q"])
        assert result.exit_code == 1, result.stderr
        assert result.stderr.startswith("leadtriage: error: ") and fragment in result.stderr
        assert "missing.csv" not in result.stderr


def test_review_apply_from_inside_the_output_folder_is_refused_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_set(tmp_path / "out")
    monkeypatch.chdir(tmp_path / "out")
    result = CliRunner().invoke(app, ["review", "apply", ".", "review.xlsx"])
    assert result.exit_code == 1
    assert "current folder" in result.stderr and "cd .." in result.stderr
    assert _leftovers(tmp_path, tmp_path / "out") == []


def test_a_write_failure_without_an_errno_says_what_the_writer_said(tmp_path: Path) -> None:
    """A full disk reached us from the CSV writer as an OSError with no errno: the
    message said only 'OSError'."""
    error = output_set._failed(
        tmp_path, OSError("failed to write: No space left on device (os error 28)")
    )
    assert "No space left on device" in str(error)
    denied = output_set._failed(tmp_path, PermissionError(13, "Permission denied"))
    assert "Permission denied" in str(denied)


def test_an_output_folder_under_a_file_is_named_as_such(tmp_path: Path) -> None:
    # -o leads.csv/out: the parent is the user's file, not a folder that "exists".
    leads = tmp_path / "leads.csv"
    leads.write_text("Email\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"leads\.csv is a file, not a folder"):
        output_set.check_output_folder(leads / "out")
