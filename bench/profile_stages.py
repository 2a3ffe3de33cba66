"""Wall time and peak resident memory of each stage of one `clean()` run, in process.

    python bench/profile_stages.py FILE [--out-dir DIR] [--crm CRM] [--max-input-size 2GiB]

A thread samples the process's resident memory (VmRSS in /proc/self/status) every
20 ms; each stage runs from its first progress call to the next stage's. `clean()`
reports the stages a user sees through its `progress` callback; the functions
pipeline.py calls between them (combine, normalise, dedupe, rules, split, write ...)
are wrapped here to mark where each starts and ends, so the code between two calls
(a `collect()`, say) shows as "after <function>".
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time
from pathlib import Path
from typing import Any

from leadtriage import normalize, pipeline, spill
from leadtriage.io.limits import Limits, parse_size
from leadtriage.pipeline import ReadSettings, TriageOptions, clean

SAMPLE_SECONDS = 0.02
# What pipeline.py calls between its progress reports.
PIPELINE_CALLS = [
    "read_inputs",
    "combine",
    "normalized",
    "deduplicate",  # before the matcher's keys were apart (older trees)
    "match_keys",
    "find_duplicates",
    "mark_duplicates",
    "crm_keys",
    "read_crm",
    "match_crm",
    "find_crm_records",
    "most_restrictive_consent",
    "apply_rules",
    "split",  # before the outputs' columns were chosen apart (older trees)
    "output_columns_of",
    "build_summary",
    "run_id",
    "workbook_files",
    "write_outputs",
]
# The normalise stages (each collected by normalize() as it returns: "after <stage>").
NORMALIZE_CALLS = [
    "normalize_country",
    "normalize_email",
    "check_mx",
    "normalize_phone",
    "normalize_name",
    "normalize_company",
    "normalize_website",
    "normalize_consent",
    "normalize_dates",
    "normalize_text",
]


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class StageProfile:
    """Samples memory on a thread; `progress` marks where each stage starts."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter(), _status_kib("VmRSS")))
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self) -> StageProfile:
        self.start = time.perf_counter()
        self.marks.append(("start (imports done)", self.start))
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.end = time.perf_counter()
        self._stop.set()
        self._thread.join()

    def progress(self, stage: str, _done: int | None = None, _total: int | None = None) -> None:
        if all(name != stage for name, _at in self.marks):  # later calls only update counts
            self.mark(stage)

    def mark(self, stage: str) -> None:
        self.marks.append((stage, time.perf_counter()))

    def wrap(self, module: object, names: list[str]) -> None:
        """Mark the start and the end of each named function of `module`."""
        for name in names:
            original = getattr(module, name, None)
            if original is None:  # another version of the pipeline
                continue

            def marked(*args: object, __f: Any = original, __n: str = name, **kw: object) -> Any:
                self.mark(__n)
                try:
                    return __f(*args, **kw)
                finally:
                    self.mark(f"after {__n}")

            setattr(module, name, marked)

    def table(self) -> list[dict[str, object]]:
        bounds = [*self.marks, ("end", self.end)]
        rows = []
        for (stage, begin), (_next, finish) in itertools.pairwise(bounds):
            if finish - begin < 0.005:
                continue
            inside = [kib for at, kib in self.samples if begin <= at <= finish] or [0]
            rows.append(
                {
                    "stage": stage,
                    "seconds": round(finish - begin, 2),
                    "start_rss_mib": round(inside[0] / 1024),
                    "peak_rss_mib": round(max(inside) / 1024),
                }
            )
        return rows


def profile(
    source: Path, out_dir: Path, extra: dict[str, str], max_input_size: int | None = None
) -> dict[str, object]:
    read = ReadSettings(limits=Limits(max_input_size)) if max_input_size else ReadSettings()
    options = TriageOptions(crm=extra.get("crm"), read=read)
    with StageProfile() as prof:
        prof.wrap(pipeline, PIPELINE_CALLS)
        prof.wrap(normalize, NORMALIZE_CALLS)
        # The columns set aside on disk while the whole-run stages run, and read back.
        prof.wrap(spill.Spill, ["set_aside"])
        prof.wrap(spill.SetAside, ["restore", "take_back"])
        clean([str(source)], out_dir, options=options, progress=prof.progress)
    return {
        "stages": prof.table(),
        "total_s": round(prof.end - prof.start, 2),
        "peak_rss_mib": round(_status_kib("VmHWM") / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path)
    parser.add_argument("--out-dir", type=Path, default=Path("/tmp/profile-stages-out"))
    parser.add_argument("--crm", default=None)
    # A 10M-row export is over the command's default 1 GiB input limit.
    parser.add_argument("--max-input-size", type=parse_size, default=None)
    opts = parser.parse_args()
    extra = {"crm": opts.crm} if opts.crm else {}
    print(json.dumps(profile(opts.source, opts.out_dir, extra, opts.max_input_size), indent=2))


if __name__ == "__main__":
    main()
