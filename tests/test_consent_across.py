"""The most restrictive consent wins across a person's rows: no > unknown > yes.

Across a duplicate cluster, across every input of a run by email key (merged or not)
and against the CRM export; the row whose consent was lowered says where from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.consent_across import ConsentStats, most_restrictive_consent
from leadtriage.frame import (
    CLUSTER_ID,
    OPT_IN,
    POLARITIES,
    ROW_ID,
    SOURCE_FILE,
    raw,
    raw_consent,
)

EXPORTS = Path(__file__).parent / "data" / "exports"
SALESFORCE = EXPORTS / "salesforce_leads_report.csv"
runner = CliRunner()


def test_the_most_restrictive_consent_of_each_person_wins() -> None:
    rows = pl.DataFrame(
        [
            # the same address, never merged: the opt-out still wins
            (0, "a.csv", "yes", "e1", None, "a.csv"),
            (1, "b.csv", "no", "e1", None, "b.csv"),
            # one cluster: not having opted out outweighs a yes
            (2, "a.csv", "yes", "e2", "c1", "a.csv;b.csv"),
            (3, "b.csv", "unknown", "e3", "c1", "b.csv"),
            # alone, or without an email key: their own answer
            (4, "a.csv", "yes", "e4", None, "a.csv"),
            (5, "a.csv", "yes", None, None, "a.csv"),
            (6, "c.csv", "no", None, None, "c.csv"),
            # a cluster reached through one member's address
            (7, "a.csv", "yes", "e5", "c2", "a.csv;b.csv"),
            (8, "b.csv", "yes", "e6", "c2", "b.csv"),
            (9, "c.csv", "no", "e6", None, "c.csv"),
        ],
        schema=[ROW_ID, SOURCE_FILE, "consent", "email_key", CLUSTER_ID, "sources"],
        orient="row",
    ).with_columns(pl.col(ROW_ID).cast(pl.UInt32))
    out, stats = most_restrictive_consent(rows.lazy())
    result = out.collect()
    assert result["consent"].to_list() == [
        "no", "no", "unknown", "unknown", "yes", "yes", "no", "no", "no", "no",
    ]  # fmt: skip
    assert result["sources"].to_list() == [
        "a.csv;opt-out:b.csv",
        "b.csv",
        "a.csv;b.csv",
        "b.csv",
        "a.csv",
        "a.csv",
        "c.csv",
        "a.csv;b.csv;opt-out:c.csv",
        "b.csv;opt-out:c.csv",
        "c.csv",
    ]
    assert stats == ConsentStats(
        lowered_to_no=3, lowered_to_unknown=1, opt_outs_from={"b.csv": 1, "c.csv": 2}
    )
    assert result.drop("consent", "sources").equals(rows.drop("consent", "sources"))


def _clean(tmp_path: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", *args, "--json", "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def _rows(tmp_path: Path, email: str) -> pl.DataFrame:
    frames = [
        pl.read_csv(tmp_path / "out" / f"{name}.csv", infer_schema=False)
        for name in ("accepted", "review", "rejected")
    ]
    every = pl.concat([f.select("email", "consent", "sources", "reasons") for f in frames])
    return every.filter(pl.col("email") == email)


def _forms_export(path: Path, email: str, name: str) -> Path:
    """A Google Forms sign-up where the person ticked yes."""
    path.write_text(
        "Timestamp,Email address,What's your full name?,Which company do you work for?,"
        "Can we email you about future events?\n"
        f"2026/11/04 10:02:13 AM GMT+1,{email},{name},Northwind Traders,Yes\n",
        encoding="utf-8",
    )
    return path


def test_an_opt_out_in_one_export_survives_a_yes_in_another(tmp_path: Path) -> None:
    email = "maria.gonzalez@northwind.example"
    forms = _forms_export(tmp_path / "form_responses.csv", email, "Maria Gonzalez")
    summary = _clean(tmp_path, str(forms), str(SALESFORCE))
    rows = _rows(tmp_path, email)
    assert rows.height >= 1
    assert set(rows["consent"]) == {"no"}
    assert all("consent.no" in r for r in rows["reasons"])
    assert summary["consent"]["lowered_to_no"] >= 1
    assert summary["consent"]["opt_outs_from"] == {
        str(SALESFORCE): summary["consent"]["lowered_to_no"]
    }
    # the row the form gave says where the opt-out came from
    assert any(f"opt-out:{SALESFORCE}" in (s or "") for s in rows["sources"])


def test_an_opt_out_in_the_crm_export_wins_over_a_form_yes(tmp_path: Path) -> None:
    email = "sofia.andersson@proseware.example"
    forms = _forms_export(tmp_path / "form_responses.csv", email, "Sofia Andersson")
    crm = EXPORTS / "hubspot_contacts.csv"  # "Unsubscribed from all email" = true
    summary = _clean(tmp_path, str(forms), "--crm", str(crm))
    rows = _rows(tmp_path, email)
    assert rows["consent"].to_list() == ["no"]
    assert f"opt-out:{crm}" in rows["sources"][0]
    assert summary["consent"]["opt_outs_from"] == {str(crm): 1}


def test_a_crm_record_s_opt_out_reaches_the_leads_matched_to_it() -> None:
    leads = pl.DataFrame(
        {
            ROW_ID: pl.Series([0, 1, 2], dtype=pl.UInt32),
            SOURCE_FILE: ["form.csv"] * 3,
            "consent": ["yes", "yes", "yes"],
            # the first lead matched record 0031 on phone and name: another address
            "email_key": ["new.address@acme.com", "b@acme.com", "c@acme.com"],
            "crm_record_id": ["0031", None, None],
            "sources": ["form.csv"] * 3,
        }
    )
    crm = pl.DataFrame(
        {
            SOURCE_FILE: ["crm.csv", "crm.csv"],
            "consent": ["no", "unknown"],
            "email_key": ["old.address@acme.com", "b@acme.com"],
            raw("record_id"): [" 0031 ", "0032"],
        }
    )
    out, stats = most_restrictive_consent(leads.lazy(), crm.lazy())
    result = out.collect()
    assert result["consent"].to_list() == ["no", "unknown", "yes"]
    assert result["sources"].to_list() == ["form.csv;opt-out:crm.csv", "form.csv", "form.csv"]
    assert stats == ConsentStats(
        lowered_to_no=1, lowered_to_unknown=1, opt_outs_from={"crm.csv": 1}
    )


def test_a_mailchimp_unsubscribe_is_an_opt_out_for_the_same_person_elsewhere(
    tmp_path: Path,
) -> None:
    mailchimp = (
        Path(__file__).parent
        / "data"
        / "adapters"
        / "mailchimp"
        / "unsubscribed_members_export_3f2a91c0de.csv"
    )
    email = "sam.ortiz@example.com"  # unsubscribed on 2026-09-14 (UNSUB_TIME)
    forms = _forms_export(tmp_path / "form_responses.csv", email, "Sam Ortiz")
    summary = _clean(tmp_path, str(forms), str(mailchimp))
    rows = _rows(tmp_path, email)
    assert set(rows["consent"]) == {"no"}
    assert any(f"opt-out:{mailchimp}" in (s or "") for s in rows["sources"])
    assert summary["consent"]["opt_outs_from"] == {str(mailchimp): 1}


WEBINAR = EXPORTS / "zoom_registration_with_question.csv"  # "Can we email you ...?"
BADGE_SCANS = EXPORTS / "badge_scan_leads.csv"  # no consent column at all


def test_a_file_without_a_consent_column_does_not_lower_a_yes(tmp_path: Path) -> None:
    summary = _clean(tmp_path, str(WEBINAR), str(BADGE_SCANS))
    # said yes at the webinar, scanned at the booth: the person said yes
    ravi = _rows(tmp_path, "ravi.iyer@wingtip.example")
    assert ravi.height == 2
    assert set(ravi["consent"]) == {"yes"}
    # left the webinar's question blank: an explicit non-answer stays unknown
    chen = _rows(tmp_path, "chen.wei@fabrikam.example")
    assert set(chen["consent"]) == {"unknown"}
    assert summary["consent"]["lowered_to_unknown"] == 0
    # the scan's row carries the yes its own file never gave: counted
    assert summary["consent"]["yes_from_other_rows"] == 1


def _opt_in_answers(*answers: str | None) -> dict[str, pl.Series]:
    """The raw consent lists of rows whose file has one opt-in column holding the
    answer, or (None) no consent column at all."""
    return {
        raw_consent(p): pl.Series(
            [[a] if a is not None and p == OPT_IN else [] for a in answers],
            dtype=pl.List(pl.String),
        )
        for p in POLARITIES
    }


def test_only_rows_with_a_consent_column_take_part_in_the_strict_order() -> None:
    table = [
        # file, its opt-in answer (None: the file has no consent column), own consent
        ("form.csv", "Yes", "yes", "e1"),
        ("scan.csv", None, "unknown", "e1"),
        ("form.csv", "No", "no", "e2"),
        ("scan.csv", None, "unknown", "e2"),
        ("form.csv", "", "unknown", "e3"),
        ("scan.csv", None, "unknown", "e3"),
        ("form.csv", "Yes", "yes", "e4"),
        ("poll.csv", "pending", "unknown", "e4"),
        ("scan.csv", None, "unknown", "e5"),
    ]
    files, answers, consent, emails = (list(c) for c in zip(*table, strict=True))
    rows = pl.DataFrame(
        {
            ROW_ID: pl.Series(range(len(table)), dtype=pl.UInt32),
            SOURCE_FILE: files,
            "consent": consent,
            "email_key": emails,
            "sources": files,
            **_opt_in_answers(*answers),
        }
    )
    out, stats = most_restrictive_consent(rows.lazy())
    result = out.collect()
    assert result["consent"].to_list() == [
        "yes", "yes",  # the scan says nothing: the form's yes is the person's
        "no", "no",  # an opt-out reaches the silent row, which says where from
        "unknown", "unknown",  # a blank answer in a consent column is no yes
        "unknown", "unknown",  # both files asked: unknown outweighs yes
        "unknown",  # nobody asked: unknown
    ]  # fmt: skip
    assert result["sources"][3] == "scan.csv;opt-out:form.csv"
    assert stats == ConsentStats(
        lowered_to_no=1,
        lowered_to_unknown=1,
        opt_outs_from={"form.csv": 1},
        yes_from_other_rows=1,
    )


def test_a_crm_export_without_a_consent_column_does_not_lower_a_yes() -> None:
    leads = pl.DataFrame(
        {
            ROW_ID: pl.Series([0], dtype=pl.UInt32),
            SOURCE_FILE: ["form.csv"],
            "consent": ["yes"],
            "email_key": ["a@acme.com"],
            "sources": ["form.csv"],
            **_opt_in_answers("Yes"),
        }
    )
    crm = pl.DataFrame(
        {
            SOURCE_FILE: ["crm.csv"],
            "consent": ["unknown"],
            "email_key": ["a@acme.com"],
            raw("record_id"): ["0031"],
            **_opt_in_answers(None),
        }
    )
    out, _ = most_restrictive_consent(leads.lazy(), crm.lazy())
    assert out.collect()["consent"].to_list() == ["yes"]


def test_a_crm_opt_out_shows_in_the_consent_column_of_a_list_that_had_none(
    tmp_path: Path,
) -> None:
    # A badge scan says nothing of consent; the CRM says the person unsubscribed. The
    # "no" must reach the consent column of accepted.csv, not only its reasons.
    badge = tmp_path / "badge.csv"
    badge.write_text(
        "Name,E-mail,Firma\nSofia Andersson,sofia.andersson@proseware.example,Proseware\n"
        "Zed New,zed@new.example,New Ltd\n",
        encoding="utf-8",
    )
    summary = _clean(tmp_path, str(badge), "--crm", str(EXPORTS / "hubspot_contacts.csv"))
    for name in ("accepted", "review", "rejected"):
        header = (tmp_path / "out" / f"{name}.csv").read_text(encoding="utf-8").split("\n")[0]
        assert "consent" in header.split(","), name
    assert _rows(tmp_path, "sofia.andersson@proseware.example")["consent"].to_list() == ["no"]
    assert _rows(tmp_path, "zed@new.example")["consent"].to_list() == ["unknown"]
    counted = summary["consent"]["by_output"]
    assert sum(counts.get("no", 0) for counts in counted.values()) == 1
