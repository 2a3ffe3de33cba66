"""The subcommands as users run them: rules, inspect, ledger, and clean --ledger nights."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app

REPO = Path(__file__).parents[1]
runner = CliRunner()


def test_rules_show_prints_the_built_in_rules_as_toml() -> None:
    result = runner.invoke(app, ["rules", "show"])
    assert result.exit_code == 0
    assert 'name = "contact.missing"' in result.stdout


def test_rules_init_writes_a_starter_that_checks_clean(tmp_path: Path) -> None:
    target = tmp_path / "rules.toml"
    assert runner.invoke(app, ["rules", "init", str(target)]).exit_code == 0
    assert runner.invoke(app, ["rules", "check", str(target)]).exit_code == 0
    again = runner.invoke(app, ["rules", "init", str(target)])
    assert again.exit_code == 1 and "--force" in again.stderr


@pytest.mark.parametrize(
    ("settings", "count"),
    [
        ('undecided = "maybe"\n', "1 problem"),
        ('undecided = "maybe"\ndate_order = "x"\n', "2 problems"),
    ],
)
def test_rules_check_counts_its_problems_in_plain_english(
    tmp_path: Path, settings: str, count: str
) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text("[settings]\n" + settings, encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(bad)])
    assert result.exit_code == 2
    assert f"leadtriage: error: {bad}: {count} in the rules file" in result.stderr.splitlines()


def test_rules_check_reports_every_problem_with_line_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text(
        '[[rules]]\nname = "a"\nwhen = { field = "contry", equals = "GB" }\naction = "reject"\n'
        '[[rules]]\nname = "b"\nwhen = { flag = "email.free" }\naction = "bin"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "check", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any(
        line.startswith(f"{bad}:3: rules[1].when") and "did you mean 'country'" in line
        for line in lines
    ), lines
    assert any(line.startswith(f"{bad}:8: rules[2].action") for line in lines), lines
    # clean refuses before reading any data, and writes nothing
    run = runner.invoke(
        app,
        [
            "clean",
            str(REPO / "examples" / "campaign.csv"),
            "-r",
            str(bad),
            "-o",
            str(tmp_path / "o"),
        ],
    )
    assert run.exit_code == 2 and not (tmp_path / "o").exists()


def test_inspect_masks_personal_data_and_writes_nothing(tmp_path: Path) -> None:
    source = REPO / "examples" / "campaign.csv"
    result = runner.invoke(app, ["inspect", str(source), "--json"])
    assert result.exit_code == 0, result.stderr
    [report] = json.loads(result.stdout)
    assert report["rows"] == pl.read_csv(source, infer_schema=False).height
    text = result.stdout
    assert "jose.mueller@brightlane.de" not in text and "@" in text
    unmasked = runner.invoke(app, ["inspect", str(source), "--json", "--unmask"])
    assert "@" in unmasked.stdout


def _night(tmp_path: Path, name: str, rows: list[str], ledger: Path) -> pl.DataFrame:
    source = tmp_path / f"{name}.csv"
    source.write_text(
        "Email,First Name,Last Name,Company,Phone\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    out = tmp_path / f"{name}_out"
    result = runner.invoke(
        app, ["clean", str(source), "-o", str(out), "-q", "--ledger", str(ledger), "--force"]
    )
    assert result.exit_code == 0, result.stderr
    frames = [
        pl.read_csv(out / f"{n}.csv", infer_schema=False)
        for n in ("accepted", "review", "rejected")
    ]
    return pl.concat(frames, how="diagonal")


def test_two_nights_share_person_ids_and_a_rerun_changes_nothing(tmp_path: Path) -> None:
    ledger = tmp_path / "leads.ledger"
    night1 = _night(
        tmp_path,
        "n1",
        [
            "robert.kelly@gmail.com,Robert,Kelly,Kelly Consulting,+353 87 123 4567",
            "ann.lee@acme.com,Ann,Lee,Acme,+1 415 692 0101",
        ],
        ledger,
    )
    night2 = _night(
        tmp_path,
        "n2",
        [
            "Rob.ert.Kelly@gmail.com,Bob,Kelly,Kelly Consulting,",
            "new.person@acme.com,New,Person,Acme,",
        ],
        ledger,
    )
    ids1 = dict(zip(night1["email"], night1["person_id"], strict=True))
    kelly = night2.filter(pl.col("first_name") == "Bob").row(0, named=True)
    assert kelly["person_id"] == ids1["robert.kelly@gmail.com"]
    assert "seen.before" in kelly["reasons"]
    fresh = night2.filter(pl.col("first_name") == "New").row(0, named=True)
    assert fresh["person_id"] not in ids1.values()
    assert "seen.before" not in (fresh["reasons"] or "")

    runs_before = runner.invoke(app, ["ledger", "runs", str(ledger), "--json"])
    rerun = _night(
        tmp_path,
        "n2",
        [
            "Rob.ert.Kelly@gmail.com,Bob,Kelly,Kelly Consulting,",
            "new.person@acme.com,New,Person,Acme,",
        ],
        ledger,
    )
    assert rerun["person_id"].to_list() == night2["person_id"].to_list()
    runs_after = runner.invoke(app, ["ledger", "runs", str(ledger), "--json"])
    assert len(json.loads(runs_after.stdout)) == len(json.loads(runs_before.stdout)) == 2

    stats = json.loads(runner.invoke(app, ["ledger", "stats", str(ledger), "--json"]).stdout)
    assert stats["people"] == 3 and stats["runs"] == 2


def test_forgotten_people_come_back_suppressed(tmp_path: Path) -> None:
    ledger = tmp_path / "leads.ledger"
    _night(tmp_path, "n1", ["ann.lee@acme.com,Ann,Lee,Acme,"], ledger)
    forgot = runner.invoke(app, ["ledger", "forget", str(ledger), "--email", "Ann.Lee@acme.com"])
    assert forgot.exit_code == 0, forgot.stderr
    assert "ann.lee" not in forgot.stderr.lower()
    back = _night(tmp_path, "n2", ["ann.lee@acme.com,Ann,Lee,Acme,"], ledger)
    row = back.row(0, named=True)
    assert row["reasons"].split(";")[0] == "suppressed"


def test_forgetting_an_address_nobody_has_says_it_is_suppressed(tmp_path: Path) -> None:
    """An erasure request may come before the person is ever imported: the address is
    suppressed all the same, and the message says so rather than "forgot 0"."""
    ledger = tmp_path / "leads.ledger"
    _night(tmp_path, "n1", ["ann.lee@acme.com,Ann,Lee,Acme,"], ledger)
    forgot = runner.invoke(app, ["ledger", "forget", str(ledger), "--email", "zoe@acme.com"])
    assert forgot.exit_code == 0, forgot.stderr
    assert "no one in the ledger has that address" in forgot.stderr
    assert "suppressed" in forgot.stderr and "forgot 0" not in forgot.stderr
    back = _night(tmp_path, "n2", ["zoe@acme.com,Zoe,Ray,Acme,"], ledger)
    assert back.row(0, named=True)["reasons"].split(";")[0] == "suppressed"


def test_ledger_with_stdin_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["clean", "-", "--ledger", str(tmp_path / "l"), "-o", str(tmp_path / "o")],
        input="Email\na@acme.com\n",
    )
    assert result.exit_code == 2
    assert "standard input" in result.stderr


@pytest.mark.parametrize("args", [["ledger", "stats"], ["ledger", "runs"]])
def test_ledger_commands_on_a_missing_ledger_fail_cleanly(tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, [*args, str(tmp_path / "nope.ledger")])
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith("leadtriage: error: ")


def test_mailchimp_unsubscribes_suppress_the_same_people_in_other_inputs(tmp_path: Path) -> None:
    folder = REPO / "tests" / "data" / "adapters" / "mailchimp"
    export = tmp_path / "audience.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for member in sorted(folder.iterdir()):
            # example.com is a reserved test domain (email.fake): use a real-looking one
            text = member.read_text(encoding="utf-8").replace("@example.com", "@ortiz.co")
            archive.writestr(member.name, text)
    leads = tmp_path / "webinar.csv"
    leads.write_text(
        "Email,First Name,Last Name\nSam.Ortiz@ortiz.co,Sam,Ortiz\nkim@acme.com,Kim,Lee\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(leads), str(export), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    suppressed_inputs = [i["source"] for i in summary["inputs"] if i["suppression"]]
    assert len(suppressed_inputs) == 2  # the unsubscribed and the cleaned members
    rejected = pl.read_csv(out / "rejected.csv", infer_schema=False)
    webinar = rejected.filter(pl.col("source_file") == str(leads))
    assert webinar["email"].to_list() == ["Sam.Ortiz@ortiz.co"]
    assert webinar["reasons"][0].split(";")[0] == "suppressed"
    accepted = pl.read_csv(out / "accepted.csv", infer_schema=False)
    assert "kim@acme.com" in accepted["email"].to_list()


def test_a_lone_rules_problem_is_printed_once(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text(
        '[[rules]]\nname = "a"\nwhen = { field = "contry", equals = "GB" }\naction = "reject"\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["clean", str(REPO / "examples" / "campaign.csv"), "-r", str(bad), "-o", "o"]
    )
    assert result.exit_code == 2
    assert result.stderr.count("unknown field 'contry'") == 1
    assert result.stderr.startswith(f"leadtriage: error: {bad}:3: rules[1].when")


def test_inspect_previews_the_rules_columns(tmp_path: Path) -> None:
    source = tmp_path / "badge_scans.csv"
    source.write_text("Scanned,Kontakt\n2026-03-01,jane@acme.com\n", encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text('[columns]\nemail = "Scanned"\n', encoding="utf-8")
    plain = runner.invoke(app, ["inspect", str(source), "--json"])
    assert plain.exit_code == 0, plain.stderr
    assert json.loads(plain.stdout)[0]["mapping"]["fields"].get("email") != "Scanned"
    ruled = runner.invoke(app, ["inspect", str(source), "--json", "--rules", str(rules)])
    assert ruled.exit_code == 0, ruled.stderr
    [report] = json.loads(ruled.stdout)
    assert report["mapping"]["fields"]["email"] == "Scanned"
    assert report["mapping"]["overridden"] == ["email"]


def test_inspect_with_a_bad_rules_file_names_it(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("[columns]\nemail = 3\n", encoding="utf-8")
    result = runner.invoke(
        app, ["inspect", str(REPO / "examples" / "campaign.csv"), "-r", str(rules)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"leadtriage: error: {rules}")


def test_review_apply_json_prints_what_was_applied(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ran = runner.invoke(
        app, ["clean", str(REPO / "examples" / "campaign.csv"), "-q", "-o", str(out)]
    )
    assert ran.exit_code == 0, ran.stderr
    workbook = tmp_path / "decided.xlsx"  # out/review.xlsx is rewritten by the apply
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("decision") + 1).value = "accept"
    book.save(workbook)
    in_review = pl.read_csv(out / "review.csv", infer_schema=False).height

    applied = runner.invoke(app, ["review", "apply", str(out), str(workbook), "--json"])
    assert applied.exit_code == 0, applied.stderr
    assert applied.stderr == ""
    outcome = json.loads(applied.stdout)
    assert outcome["accepted"] == 1 and outcome["rejected"] == 0
    assert outcome["left"] == in_review - 1 == pl.read_csv(out / "review.csv").height
    assert outcome["changed"] is True and outcome["format"] == "csv"
    assert str(out / "accepted.csv") in outcome["written"]

    again = runner.invoke(app, ["review", "apply", str(out), str(workbook), "--json"])
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout) | {"written": []} == {
        **outcome,
        "accepted": 0,
        "already_applied": 1,
        "changed": False,
        "written": [],
    }


def test_ledger_runs_keeps_dates_whole_in_80_columns(tmp_path: Path) -> None:
    ledger = tmp_path / "leads.ledger"
    _night(tmp_path, "n1", ["ann.lee@acme.com,Ann,Lee,Acme,"], ledger)
    result = runner.invoke(app, ["ledger", "runs", str(ledger)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    assert re.search(r"\b\d{4}-\d{2}-\d{2}\b", result.stderr), result.stderr
    assert "…" not in result.stderr  # nothing cut: long values wrap instead
