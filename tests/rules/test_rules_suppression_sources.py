"""Every do-not-contact source suppresses the same people: an address listed in
[suppress], unsubscribed in a Mailchimp export or erased from the ledger meets the
same variants of it (case, spaces, Gmail dots, +tags, googlemail). Drift here would
mail someone who opted out. Run end to end, through the CLI, on real-shaped files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.ledger import Ledger, forget

REPO = Path(__file__).parents[2]
MAILCHIMP = REPO / "tests" / "data" / "adapters" / "mailchimp"
LISTED = "Jane.Doe@gmail.com"
LEADS = [
    ("jane.doe@gmail.com", True),
    (" JANE.DOE@GMAIL.COM ", True),
    ("janedoe@gmail.com", True),
    ("jane.doe+webinar@gmail.com", True),
    ("Jane.Doe@googlemail.com", True),
    ("jane.doe@acme.com", False),
    ("john.doe@gmail.com", False),
    ("jane.do@gmail.com", False),
]


def _leads(folder: Path) -> Path:
    path = folder / "webinar_registrants.csv"
    lines = ["Email,First Name,Last Name,Company"]
    lines += [f'"{email}",Jane,Doe{row},Acme' for row, (email, _) in enumerate(LEADS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# Each source: (more inputs, more options) for `leadtriage clean`.
Source = Callable[[Path], tuple[list[str], list[str]]]


def _with_suppress_table(folder: Path) -> tuple[list[str], list[str]]:
    rules = folder / "rules.toml"
    rules.write_text(f'[suppress]\nemails = ["{LISTED}"]\n', encoding="utf-8")
    return [], ["--rules", str(rules)]


def _with_mailchimp_unsubscribe(folder: Path) -> tuple[list[str], list[str]]:
    source = MAILCHIMP / "unsubscribed_members_export_3f2a91c0de.csv"
    header = source.read_text(encoding="utf-8").splitlines()[0]
    export = folder / source.name
    fields = len(header.split(","))
    export.write_text(f"{header}\n{LISTED},Jane,Doe{',' * (fields - 3)}\n", encoding="utf-8")
    return [str(export)], []


def _with_ledger_erasure(folder: Path) -> tuple[list[str], list[str]]:
    ledger = folder / "leads.ledger"
    with Ledger.open(ledger):
        pass
    forget(ledger, LISTED)
    return [], ["--ledger", str(ledger)]


@pytest.mark.parametrize(
    "source", [_with_suppress_table, _with_mailchimp_unsubscribe, _with_ledger_erasure]
)
def test_every_source_suppresses_the_same_address_variants(tmp_path: Path, source: Source) -> None:
    leads = _leads(tmp_path)
    inputs, options = source(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["clean", str(leads), *inputs, *options, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.stderr
    rejected = pl.read_csv(out / "rejected.csv", infer_schema=False)
    ours = rejected.filter(pl.col("source_file") == str(leads))
    suppressed = sorted(
        int(row) - 1
        for row, reasons in zip(ours["source_row"], ours["reasons"], strict=True)
        if "suppressed" in reasons.split(";")
    )
    assert suppressed == [index for index, (_, listed) in enumerate(LEADS) if listed]
