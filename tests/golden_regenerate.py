"""Rewrite examples/golden/*/expected from what the current code writes.

    python tests/golden_regenerate.py                  # every case
    python tests/golden_regenerate.py zoom_webinar     # some cases

Run it after a change that is meant to alter outputs (the golden test names it in its
failure message), then read `git diff examples/golden` before committing: every
changed line is a change users will see. The cases run exactly as the test runs them
(test_golden.run_case), in a temporary folder.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from test_golden import EXPECTED, GOLDEN, case_names, run_case


def regenerate(case: str) -> None:
    with tempfile.TemporaryDirectory(prefix=f"golden-{case}-") as work:
        written = run_case(case, Path(work) / case)
        expected = GOLDEN / case / EXPECTED
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(written, expected)


def main(argv: list[str]) -> int:
    known = case_names()
    unknown = [name for name in argv if name not in known]
    if unknown:
        print(f"golden_regenerate: unknown case {', '.join(unknown)}; cases: {', '.join(known)}")
        return 2
    for case in argv or known:
        regenerate(case)
        print(f"examples/golden/{case}/{EXPECTED}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
