"""Distinct numbers checked on two cores give what one core gives, whatever happens
to the helper process, and the helper never runs the caller's script."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from leadtriage.normalize import phone_split
from leadtriage.normalize.phone import check_numbers, check_numbers_here

SRC = Path(__file__).parents[2] / "src"


def _pairs(count: int) -> list[tuple[str, str | None]]:
    """Keys as the stage makes them: with and without +, national and international,
    valid, too short, vanity text; regions known, unknown and absent."""
    rng = random.Random(11)
    regions = ["DE", "US", "GB", "FR", "CH", "JP", "BR", None]
    pairs: list[tuple[str, str | None]] = []
    for n in range(count):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(4, 13)))
        key = rng.choice(["+" + digits, digits, "00" + digits, "0" + digits, "1-800-FLOWERS"])
        pairs.append((key, rng.choice(regions) if not key.startswith("+") or n % 2 else None))
    return pairs


@pytest.fixture
def split_from_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phone_split, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


@pytest.mark.usefixtures("split_from_two")
def test_two_cores_give_what_one_gives_on_many_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    delivered: list[bool] = []
    results = phone_split._results

    def watched(helper: subprocess.Popen[bytes], expected: int) -> list[object] | None:
        got: list[object] | None = results(helper, expected)
        delivered.append(got is not None)
        return got

    monkeypatch.setattr(phone_split, "_results", watched)
    pairs = _pairs(3000)
    assert check_numbers(pairs) == check_numbers_here(pairs)
    assert delivered == [True]  # the helper's half was used, not checked again here


@pytest.mark.usefixtures("split_from_two")
@pytest.mark.parametrize("python", ["/nonexistent/python", "/bin/false", sys.executable + "x"])
def test_a_helper_that_cannot_start_or_finish_costs_only_time(
    monkeypatch: pytest.MonkeyPatch, python: str
) -> None:
    monkeypatch.setattr(sys, "executable", python)
    pairs = _pairs(500)
    assert check_numbers(pairs) == check_numbers_here(pairs)


@pytest.mark.usefixtures("split_from_two")
def test_a_helper_that_delivers_too_few_results_is_not_believed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    short = (
        "import pickle, sys\npickle.load(sys.stdin.buffer)\npickle.dump([], sys.stdout.buffer)\n"
    )
    monkeypatch.setattr(phone_split, "_HELPER", short)
    pairs = _pairs(200)
    assert check_numbers(pairs) == check_numbers_here(pairs)


def test_the_helper_never_runs_the_callers_script(tmp_path: Path) -> None:
    """A script without a __main__ guard, as a library user writes one."""
    script = tmp_path / "nightly.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(SRC)!r})
            print("script ran", flush=True)
            from leadtriage.normalize import phone_split
            from leadtriage.normalize.phone import check_numbers
            phone_split.PARALLEL_FROM = 2
            import os
            os.cpu_count = lambda: 2
            print(len(check_numbers([("+4930123456", None), ("030123456", "DE")] * 50)))
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.splitlines() == ["script ran", "100"]


@pytest.mark.usefixtures("split_from_two")
def test_the_helper_never_imports_a_module_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cron job runs in the folder of the exports: a `pickle.py` there is not code."""
    marker = tmp_path / "imported"
    (tmp_path / "pickle.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nraise SystemExit(3)\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    pairs = _pairs(300)
    assert check_numbers(pairs) == check_numbers_here(pairs)
    assert not marker.exists()
