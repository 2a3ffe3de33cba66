"""The worker process gives exactly what the in-process calls give, and a worker
that cannot run never loses a number."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest

from leadtriage.normalize import phone_pool
from leadtriage.normalize.phone import check_number, check_numbers

REGIONS = ("DE", "GB", "US", "FR", "BR", "JP", None)


def _pairs(count: int) -> list[tuple[str, str | None]]:
    rng = random.Random(20261130)
    pairs: list[tuple[str, str | None]] = []
    for n in range(count):
        region = REGIONS[n % len(REGIONS)]
        example = phonenumbers.example_number(region or "DE")
        assert example is not None
        digits = str(example.national_number)
        digits = digits[:-3] + "".join(rng.choice("0123456789") for _ in range(3))
        written = rng.choice(("+{cc}{d}", "0{d}", "{d}", "00{cc}{d}", "{cc}{d}"))
        pairs.append((written.format(cc=example.country_code, d=digits), region))
    return pairs


def _here(pairs: list[tuple[str, str | None]]) -> list[dict[str, str | bool | None]]:
    return [check_number(key, region) for key, region in pairs]


def test_the_worker_agrees_with_this_process() -> None:
    pairs = _pairs(3000)
    assert phone_pool._in_worker(pairs) == _here(pairs)


def test_a_large_batch_is_shared_and_comes_back_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    in_worker = phone_pool._in_worker

    def counting(pairs: list[tuple[str, str | None]]) -> object:
        started.append(len(pairs))
        return in_worker(pairs)

    monkeypatch.setattr(phone_pool, "_in_worker", counting)
    monkeypatch.setattr(phone_pool, "MIN_PAIRS", 1000)
    pairs = _pairs(2001)
    shared = phone_pool.check_in_two(pairs, _here, min_pairs=1000)
    assert started == [1001]
    assert shared == _here(pairs)
    assert check_numbers(pairs[:10]) == _here(pairs[:10])


def test_a_worker_that_cannot_start_leaves_its_half_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(phone_pool, "_worker_command", lambda: ["/nonexistent/python"])
    pairs = _pairs(400)
    assert phone_pool.check_in_two(pairs, _here, min_pairs=100) == _here(pairs)


def test_a_worker_that_fails_leaves_its_half_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(phone_pool, "_worker_command", lambda: [sys.executable, "-c", "exit(3)"])
    pairs = _pairs(400)
    assert phone_pool.check_in_two(pairs, _here, min_pairs=100) == _here(pairs)


def test_a_script_without_a_main_guard_is_not_run_again(tmp_path: Path) -> None:
    """The trap of multiprocessing's spawn: the caller's script re-imported per worker."""
    marker = tmp_path / "runs.txt"
    script = tmp_path / "triage_script.py"
    script.write_text(
        "from pathlib import Path\n"
        f"marker = Path({str(marker)!r})\n"
        "marker.write_text(marker.read_text() + 'x' if marker.exists() else 'x')\n"
        "from leadtriage.normalize import phone_pool\n"
        "from leadtriage.normalize.phone import check_number\n"
        "pairs = [('+4930901820', None)] * 300\n"
        "here = lambda ps: [check_number(k, r) for k, r in ps]\n"
        "assert phone_pool.check_in_two(pairs, here, min_pairs=100) == here(pairs)\n",
        encoding="utf-8",
    )
    env_path = str(Path(phone_pool.__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, str(script)],
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert marker.read_text() == "x"
