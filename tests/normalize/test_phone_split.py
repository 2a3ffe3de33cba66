"""Distinct numbers checked on two cores give what one core gives, whatever happens
to the helper process, and the helper never runs the caller's script."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest

from leadtriage.normalize import phone, phone_split
from leadtriage.normalize.phone import check_number, check_numbers, check_numbers_here

SRC = Path(__file__).parents[2] / "src"


def _pairs(count: int) -> pl.DataFrame:
    """Keys as the stage makes them: with and without +, national and international,
    valid, too short, vanity text; regions known, unknown and absent; and for some
    digit keys a first group written apart (a foreign calling code or not)."""
    rng = random.Random(11)
    regions = ["DE", "US", "GB", "FR", "CH", "JP", "BR", None]
    pairs: list[tuple[str, str | None, str | None]] = []
    for n in range(count):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(4, 13)))
        key = rng.choice(["+" + digits, digits, "00" + digits, "0" + digits, "1-800-FLOWERS"])
        region = rng.choice(regions) if not key.startswith("+") or n % 2 else None
        lead = None
        if key.isdigit() and rng.random() < 0.5:
            key = rng.choice(["44", "33", "41", "49", "1"]) + key
            lead = key[: rng.randint(1, 3)]
        pairs.append((key, region, lead))
    schema = {"key": pl.String, "region": pl.String, "lead": pl.String}
    return pl.DataFrame(pairs, schema=schema, orient="row")


def _same(pairs: pl.DataFrame) -> bool:
    return check_numbers(pairs).to_list() == check_numbers_here(pairs).to_list()


def test_verdicts_made_in_slices_are_each_numbers_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slice edges (7 does not divide 500) neither drop, repeat nor reorder a verdict."""
    monkeypatch.setattr(phone, "_CHECK_SLICE", 7)
    pairs = _pairs(500)
    one_by_one = [check_number(key, region, lead) for key, region, lead in pairs.iter_rows()]
    assert check_numbers_here(pairs).to_list() == one_by_one
    assert check_numbers_here(pairs.clear()).to_list() == []


@pytest.fixture
def split_from_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phone_split, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


@pytest.mark.usefixtures("split_from_two")
def test_two_cores_give_what_one_gives_on_many_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    delivered: list[bool] = []
    results = phone_split._results

    def watched(
        helper: subprocess.Popen[bytes], expected: int, like: pl.Series
    ) -> pl.Series | None:
        got = results(helper, expected, like)
        delivered.append(got is not None)
        return got

    monkeypatch.setattr(phone_split, "_results", watched)
    assert _same(_pairs(3000))
    assert delivered == [True]  # the helper's half was used, not checked again here


@pytest.mark.usefixtures("split_from_two")
@pytest.mark.parametrize("python", ["/nonexistent/python", "/bin/false", sys.executable + "x"])
def test_a_helper_that_cannot_start_or_finish_costs_only_time(
    monkeypatch: pytest.MonkeyPatch, python: str
) -> None:
    monkeypatch.setattr(sys, "executable", python)
    assert _same(_pairs(500))


@pytest.mark.usefixtures("split_from_two")
@pytest.mark.parametrize(
    "answer",
    [
        "check_numbers_here(pl.read_ipc(pairs)).head(3)",  # too few
        "check_numbers_here(pl.read_ipc(pairs)).struct.field('e164')",  # not verdicts
        "pl.read_ipc(pairs).get_column('key')",  # the question sent back
    ],
)
def test_a_helper_that_delivers_wrong_results_is_not_believed(
    monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    wrong = phone_split._HELPER.replace("check_numbers_here(pl.read_ipc(pairs))", answer)
    assert wrong != phone_split._HELPER
    monkeypatch.setattr(phone_split, "_HELPER", wrong)
    assert _same(_pairs(200))


@pytest.mark.usefixtures("split_from_two")
def test_a_helper_that_writes_garbage_is_not_believed(monkeypatch: pytest.MonkeyPatch) -> None:
    garbage = "import sys\nsys.stdin.buffer.read()\nsys.stdout.write('not arrow')\n"
    monkeypatch.setattr(phone_split, "_HELPER", garbage)
    assert _same(_pairs(200))


def test_the_helper_never_runs_the_callers_script(tmp_path: Path) -> None:
    """A script without a __main__ guard, as a library user writes one."""
    script = tmp_path / "nightly.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(SRC)!r})
            print("script ran", flush=True)
            import polars as pl
            from leadtriage.normalize import phone_split
            from leadtriage.normalize.phone import check_numbers
            phone_split.PARALLEL_FROM = 2
            import os
            os.cpu_count = lambda: 2
            pairs = pl.DataFrame({{"key": ["+4930123456", "030123456"] * 50,
                                  "region": [None, "DE"] * 50}})
            print(len(check_numbers(pairs)))
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
    assert _same(_pairs(300))
    assert not marker.exists()
