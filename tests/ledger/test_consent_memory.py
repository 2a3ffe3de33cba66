"""An opt-out is never lost between nights: the ledger remembers each person's last
refusal, and a later night that says nothing about consent gets it back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.consent_across import ConsentStats, most_restrictive_consent
from leadtriage.frame import (
    CONSENT_FROM_LEDGER,
    LEDGER_REFUSED_ON,
    ROW_ID,
    SOURCE_FILE,
    flag,
    raw,
)
from leadtriage.ledger import Ledger

from .helpers import Contact, night_frame, route_all, run_info, run_night

runner = CliRunner()

HEADER = "First Name,Last Name,Email,Phone,Company,Job Title,Country"
JULIA = "Julia,Becker,julia.becker@lindwerk.de,+49 30 9018200,Lindwerk GmbH,Head of Marketing,DE"
MARK = "Mark,Owens,mark.owens@brightpath.com,+1 646 555 3011,Brightpath,Director IT,USA"
PETER = "Peter,Haas,peter.haas@haas-ag.ch,+41 44 123 45 67,Haas AG,CEO,Switzerland"
JULIA_EMAIL, MARK_EMAIL, PETER_EMAIL = (
    "julia.becker@lindwerk.de",
    "mark.owens@brightpath.com",
    "peter.haas@haas-ag.ch",
)
OPTED_OUT_BEFORE = "consent.opted_out_before"

# Night 1: a Salesforce report, Mark's opt-out flag set. Night 2: a form, Peter says
# no. Night 3: a badge scan, no consent column at all.
NIGHT_1 = f"{HEADER},Email Opt Out\n{JULIA},0\n{MARK},1\n{PETER},0\n"
NIGHT_2 = f"{HEADER},Opt-in\n{JULIA},yes\n{MARK},yes\n{PETER},no\n"
NIGHT_3 = "Name,Email,Company\n" + "".join(
    f"{name},{email},{company}\n"
    for name, email, company in (
        ("Mark Owens", MARK_EMAIL, "Brightpath"),
        ("Peter Haas", PETER_EMAIL, "Haas AG"),
        ("Julia Becker", JULIA_EMAIL, "Lindwerk"),
    )
)


def _night(tmp_path: Path, name: str, text: str, *options: str) -> dict[str, Any]:
    source = tmp_path / f"{name}.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / f"{name}_out{''.join(options).replace('-', '_')}"
    ledger = tmp_path / "leads.ledger"
    result = runner.invoke(
        app,
        [
            "clean",
            str(source),
            "--ledger",
            str(ledger),
            "-o",
            str(out),
            "--force",
            "--json",
            *options,
        ],
    )
    assert result.exit_code == 0, result.stderr
    summary: dict[str, Any] = json.loads(result.stdout)
    summary["_out"] = out
    return summary


def _rows(summary: dict[str, Any]) -> pl.DataFrame:
    """Every output row with its decision; `email` is the clean address (Salesforce's
    `Email` where the profile names it so)."""
    frames = []
    for name in ("accepted", "review", "rejected"):
        frame = pl.read_csv(summary["_out"] / f"{name}.csv", infer_schema=False)
        if "email" not in frame.columns:
            frame = frame.rename({"Email": "email"})
        frames.append(frame.with_columns(pl.lit(name).alias("decision")))
    return pl.concat(frames, how="diagonal")


def _row(rows: pl.DataFrame, email: str) -> dict[str, Any]:
    found = rows.filter(pl.col("email") == email)
    assert found.height == 1, email
    return found.row(0, named=True)


def _refusals(tmp_path: Path) -> list[tuple[str, int]]:
    """(email, run_id) of every stored refusal."""
    with duckdb.connect(str(tmp_path / "leads.ledger"), read_only=True) as connection:
        return sorted(
            (row[0], row[1])
            for row in connection.execute(
                "SELECT DISTINCT e.email_norm, c.run_id FROM consent_refusals c "
                "JOIN person_emails e USING (person_id)"
            ).fetchall()
        )


def test_an_opt_out_comes_back_on_a_night_without_a_consent_column(tmp_path: Path) -> None:
    _night(tmp_path, "night1", NIGHT_1)
    _night(tmp_path, "night2", NIGHT_2)
    summary = _night(tmp_path, "night3", NIGHT_3)
    rows = _rows(summary)
    for email in (MARK_EMAIL, PETER_EMAIL):
        row = _row(rows, email)
        assert "consent.no" in row["reasons"], email
        assert "opt-out:ledger" in row["sources"].split(";"), email
        assert row["decision"] == "accepted"  # consent.no tags, as a CRM opt-out does
    julia = _row(rows, JULIA_EMAIL)
    assert "consent.no" not in julia["reasons"]
    assert "opt-out" not in julia["sources"]
    assert summary["consent"]["opt_outs_from"] == {"ledger": 2}
    assert summary["consent"]["lowered_to_no"] == 2
    # Only the nights that said no are remembered; night 3 repeats, it does not refuse.
    assert _refusals(tmp_path) == [(MARK_EMAIL, 1), (PETER_EMAIL, 2)]


def test_the_remembered_opt_out_reaches_the_crm_profile(tmp_path: Path) -> None:
    _night(tmp_path, "night1", NIGHT_1)
    _night(tmp_path, "night2", NIGHT_2)
    _night(tmp_path, "night3", NIGHT_3)
    # The same night again (a rerun) with the Salesforce profile: an import as an
    # update keeps the CRM's opt-out instead of clearing it.
    rows = _rows(_night(tmp_path, "night3", NIGHT_3, "--profile", "salesforce"))
    opted_out = {
        email: (row["HasOptedOutOfEmail"], row["consent"])
        for email in (MARK_EMAIL, PETER_EMAIL, JULIA_EMAIL)
        for row in [_row(rows, email)]
    }
    assert opted_out == {
        MARK_EMAIL: ("true", "no"),
        PETER_EMAIL: ("true", "no"),
        JULIA_EMAIL: ("false", "unknown"),
    }


def test_a_rerun_with_the_ledger_writes_the_same_outputs(tmp_path: Path) -> None:
    _night(tmp_path, "night1", NIGHT_1)
    first = _night(tmp_path, "night3", NIGHT_3)
    outputs = {
        name: (first["_out"] / f"{name}.csv").read_bytes()
        for name in ("accepted", "review", "rejected")
    }
    again = _night(tmp_path, "night3", NIGHT_3)
    assert again["ledger"]["rerun_of"] == 2
    assert {name: (again["_out"] / f"{name}.csv").read_bytes() for name in outputs} == outputs
    assert again["consent"] == first["consent"]
    assert _refusals(tmp_path) == [(MARK_EMAIL, 1)]


def test_an_opt_in_after_an_opt_out_goes_to_review_and_the_refusal_stays(
    tmp_path: Path,
) -> None:
    _night(tmp_path, "night1", NIGHT_1)
    renewed = _rows(_night(tmp_path, "night2", NIGHT_2))
    mark = _row(renewed, MARK_EMAIL)
    # A later explicit yes is fresh consent, but a person confirms it first.
    assert mark["consent"] == "yes"
    assert mark["decision"] == "review"
    assert OPTED_OUT_BEFORE in mark["reasons"].split(";")
    assert "opt-out" not in mark["sources"]
    julia = _row(renewed, JULIA_EMAIL)
    assert (julia["consent"], julia["decision"]) == ("yes", "accepted")
    assert OPTED_OUT_BEFORE not in julia["reasons"]
    # The ledger cannot know what the reviewer decided: a night that says nothing
    # about Mark's consent still gets his refusal.
    silent = _rows(_night(tmp_path, "night3", NIGHT_3))
    assert "opt-out:ledger" in _row(silent, MARK_EMAIL)["sources"].split(";")


def test_a_refusal_said_again_is_remembered_from_the_later_night(tmp_path: Path) -> None:
    _night(tmp_path, "night1", NIGHT_1)
    again = NIGHT_1.replace(f"{PETER},0", f"{PETER},1")
    summary = _night(tmp_path, "night1b", again)
    mark = _row(_rows(summary), MARK_EMAIL)
    assert "opt-out" not in mark["sources"]  # his own row says no tonight
    assert summary["consent"]["opt_outs_from"] == {}
    assert _refusals(tmp_path) == [(MARK_EMAIL, 1), (MARK_EMAIL, 2), (PETER_EMAIL, 2)]


def _leads(consent: list[str], refused: list[bool], opt_in: list[str | None]) -> pl.DataFrame:
    height = len(consent)
    return pl.DataFrame(
        {
            ROW_ID: pl.Series(range(height), dtype=pl.UInt32),
            SOURCE_FILE: ["form.csv"] * height,
            "consent": consent,
            "email_key": [f"p{i}@acme.com" for i in range(height)],
            "crm_record_id": [f"00{i}" for i in range(height)],
            "sources": ["form.csv"] * height,
            LEDGER_REFUSED_ON: pl.Series(
                ["2026-11-01" if r else None for r in refused], dtype=pl.String
            ).str.to_date(),
            **{
                f"raw.consent.{polarity}": pl.Series(
                    [[a] if a is not None and polarity == "opt_in" else [] for a in opt_in],
                    dtype=pl.List(pl.String),
                )
                for polarity in ("opt_in", "opt_out", "opt_out_date")
            },
        }
    )


def test_what_a_remembered_refusal_does_to_each_consent_of_tonight() -> None:
    leads = _leads(
        consent=["unknown", "yes", "no", "yes", "unknown", "yes"],
        refused=[True, True, True, True, True, False],
        # the last-but-one file has no consent column: its row says nothing
        opt_in=["", "Yes", "No", None, None, "Yes"],
    )
    crm = pl.DataFrame(
        {
            SOURCE_FILE: ["crm.csv"],
            "consent": ["yes"],
            "email_key": ["crm@acme.com"],
            raw("record_id"): ["003"],
        }
    )
    out, stats = most_restrictive_consent(leads.lazy(), crm.lazy())
    result = out.collect()
    assert result["consent"].to_list() == ["no", "yes", "no", "no", "no", "yes"]
    assert result["sources"].to_list() == [
        "form.csv;opt-out:ledger",
        "form.csv",  # a new explicit yes: review, not lowered
        "form.csv",  # said no again tonight: tonight's own refusal
        "form.csv;opt-out:ledger",  # a yes only the CRM export holds is no new consent
        "form.csv;opt-out:ledger",
        "form.csv",
    ]
    assert result[flag(OPTED_OUT_BEFORE)].to_list() == [False, True, False, False, False, False]
    assert result[CONSENT_FROM_LEDGER].to_list() == [True, False, False, True, True, False]
    assert stats == ConsentStats(lowered_to_no=3, opt_outs_from={"ledger": 3})


def test_a_remembered_refusal_counts_where_everyone_answered_alike() -> None:
    # One answer for everyone is no reason to skip the stage when the ledger remembers.
    leads = _leads(consent=["unknown", "unknown"], refused=[True, False], opt_in=[None, None])
    out, stats = most_restrictive_consent(leads.lazy())
    assert out.collect()["consent"].to_list() == ["no", "unknown"]
    assert stats == ConsentStats(lowered_to_no=1, opt_outs_from={"ledger": 1})


def test_identify_says_when_a_returning_person_last_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    jane = Contact("jane.doe@gmail.com", "Jane", "Doe", "Acme Corp", None, "webinar", consent="no")
    robert = Contact("robert.smith@initech.com", "Robert", "Smith", "Initech", None, consent="yes")
    with Ledger.open(path) as ledger:
        run_night(ledger, [jane, robert], run_info("night1.csv", b"night 1", day=1))
        night_2 = run_info("night2.csv", b"night 2", day=8)
        identified = ledger.identify(night_frame([jane, robert]), run=night_2)
        # The consent stage says Jane's "no" tonight is only the ledger's memory.
        carried = identified.with_columns(
            pl.col(LEDGER_REFUSED_ON).is_not_null().alias(CONSENT_FROM_LEDGER)
        )
        rows = route_all(carried)
        ledger.commit(rows, run=night_2)
        assert rows[LEDGER_REFUSED_ON].to_list() == [date(2026, 11, 1), None]
        later, _ = run_night(ledger, [jane], run_info("night3.csv", b"night 3", day=15))
    # Carried over, the refusal keeps the night it was said.
    assert later[LEDGER_REFUSED_ON].to_list() == [date(2026, 11, 1)]
    with Ledger.open(path) as ledger:
        # Said again on its own night 4, it is remembered from then.
        run_night(ledger, [jane], run_info("night4.csv", b"night 4", day=22))
        last, _ = run_night(ledger, [jane], run_info("night5.csv", b"night 5", day=29))
    assert last[LEDGER_REFUSED_ON].to_list() == [date(2026, 11, 22)]
