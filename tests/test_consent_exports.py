"""Consent read from real-shaped CRM and marketing exports, through `clean`.

Many exports carry an opt-OUT flag, not an opt-in: a set flag means the person said
no; a cleared one means only that they have not opted out (unknown, never yes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage.cli import app
from leadtriage.pipeline import TriageResult, triage
from leadtriage.rules import load_rules

EXPORTS = Path(__file__).parent / "data" / "exports"
runner = CliRunner()


def clean(tmp_path: Path, *paths: Path, options: tuple[str, ...] = ()) -> dict[str, Any]:
    out = tmp_path / "out"
    args = ["clean", *map(str, paths), "--json", "-o", str(out), "--force", *options]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def consent_by_email(tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "out"
    frames = [
        pl.read_csv(out / f"{name}.csv", infer_schema=False)
        for name in ("accepted", "review", "rejected")
    ]
    rows = pl.concat([f.select("email", "consent") for f in frames if "consent" in f.columns])
    return {email: consent for email, consent in rows.iter_rows() if email}


def reasons_by_email(tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "out"
    frames = [
        pl.read_csv(out / f"{name}.csv", infer_schema=False).select("email", "reasons")
        for name in ("accepted", "review", "rejected")
    ]
    return {e: r or "" for e, r in pl.concat(frames).iter_rows() if e}


def consent_of_rows(result: TriageResult) -> dict[str, str]:
    """Each row's consent, by its address, whichever output the row went to."""
    rows = pl.concat([result.accepted, result.review, result.rejected], how="diagonal")
    return dict(rows.select("email", "consent").iter_rows())


@pytest.mark.parametrize(
    ("export", "wanted"),
    [
        (  # "Email Opt Out" 1 / 0
            "salesforce_leads_report.csv",
            {"maria.gonzalez@northwind.example": "no", "tom.becker@contoso.example": "unknown"},
        ),
        (  # "Unsubscribed" true / false
            "marketo_people_export.csv",
            {"priya.raman@fabrikam.example": "no", "luca.bianchi@adatum.example": "unknown"},
        ),
        (  # "Opted Out" and "Do Not Email": either set is a no
            "pardot_prospects.csv",
            {
                "akira.sato@tailspin.example": "no",
                "ines.costa@woodgrove.example": "no",
                "omar.haddad@litware.example": "unknown",
            },
        ),
        (  # "Unsubscribed from all email" true / false
            "hubspot_contacts.csv",
            {"sofia.andersson@proseware.example": "no", "kwame.mensah@wingtip.example": "unknown"},
        ),
        (  # "Do not allow Emails": Do Not Allow / Allow (allowing is not consenting)
            "dynamics_contacts.csv",
            {"hannah.weber@fourthcoffee.example": "no", "david.kim@alpineski.example": "unknown"},
        ),
    ],
)
def test_opt_out_flags_are_read_with_their_polarity(
    tmp_path: Path, export: str, wanted: dict[str, str]
) -> None:
    clean(tmp_path, EXPORTS / export)
    consent = consent_by_email(tmp_path)
    assert {email: consent[email] for email in wanted} == wanted
    reasons = reasons_by_email(tmp_path)
    for email, value in wanted.items():
        assert ("consent.no" in reasons[email]) is (value == "no")


def test_a_shops_opt_in_column_is_read(tmp_path: Path) -> None:
    # Shopify's customers export: "Accepts Email Marketing" yes / no (and an SMS
    # column beside it, which is no email consent).
    clean(tmp_path, EXPORTS / "shopify_customers.csv")
    assert consent_by_email(tmp_path) == {
        "elena.rossi@margiela.example": "yes",
        "jonas.berg@nordlys.example": "no",
    }
    assert "consent.no" in reasons_by_email(tmp_path)["jonas.berg@nordlys.example"]


def test_a_consent_column_of_unclear_polarity_is_not_read_and_the_run_says_so(
    tmp_path: Path,
) -> None:
    # A webinar platform's registrant export with a preferences column that could be
    # either an opt-in or an opt-out: a guess must not decide.
    path = tmp_path / "registrants.csv"
    header = "Marketing preferences (opt in / opt out)"
    path.write_text(
        f"First Name,Last Name,Email,{header}\nAnn,Lee,ann.lee@example.com,Yes\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert f"leadtriage: warning: {path}: column '{header}'" in result.stderr
    assert "[columns] consent" in result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["columns"]["consent_unclear"] == [header]
    assert any(header in w for w in summary["inputs"][0]["warnings"])
    outputs = [
        pl.read_csv(out / f"{name}.csv", infer_schema=False)
        for name in ("accepted", "review", "rejected")
    ]
    assert all("consent" not in o.columns for o in outputs)  # nothing read, nothing claimed
    # the column itself passes through
    assert pl.concat([o.select(header) for o in outputs])[header].to_list() == ["Yes"]


def test_an_opt_out_column_named_in_the_rules_keeps_refusals_out(tmp_path: Path) -> None:
    """A Spanish shop's "Baja" (unsubscribed) column: unread by default (a warning says
    so), read as refusals once the rules file names it."""
    source = tmp_path / "tienda.csv"
    source.write_text(
        "Correo electrónico,Nombre,Baja\n"
        "ana@tienda-ejemplo.es,Ana,sí\n"
        "luis@tienda-ejemplo.es,Luis,no\n",
        encoding="utf-8",
    )
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text('[columns]\nconsent_opt_out = "Baja"\n', encoding="utf-8")
    unnamed = triage([str(source)])
    assert any("'Baja'" in w for i in unnamed.summary.inputs for w in i.warnings)
    named = triage([str(source)], rules=load_rules(rules_file))
    consent = consent_of_rows(named)
    assert consent == {"ana@tienda-ejemplo.es": "no", "luis@tienda-ejemplo.es": "unknown"}


def test_a_value_in_an_unread_consent_column_beside_a_yes_goes_to_a_person(
    tmp_path: Path,
) -> None:
    """Spanish "Baja" (unsubscribed) is left unread: nothing says which way it points. Beside a
    yes in the opt-in column it may be the refusal that yes does not know of (it was
    read as consent): the consent is unknown and a person looks. Blank, it says
    nothing; beside no consent there is none to doubt."""
    source = tmp_path / "tienda.csv"
    source.write_text(
        "Correo electrónico,Nombre,Consentimiento,Baja\n"
        "ana@tienda-ejemplo.es,Ana,sí,sí\n"
        "luis@tienda-ejemplo.es,Luis,sí,\n"
        "pia@tienda-ejemplo.es,Pia,no,no\n"
        "eva@tienda-ejemplo.es,Eva,,sí\n",
        encoding="utf-8",
    )
    result = triage([str(source)])
    consent = consent_of_rows(result)
    assert consent == {
        "ana@tienda-ejemplo.es": "unknown",
        "luis@tienda-ejemplo.es": "yes",
        "pia@tienda-ejemplo.es": "no",
        "eva@tienda-ejemplo.es": "unknown",
    }
    assert result.review.select("email", "reasons").rows() == [
        ("ana@tienda-ejemplo.es", "consent.unclear")
    ]


def test_an_opt_out_answer_nobody_can_read_goes_to_a_person(tmp_path: Path) -> None:
    """An opt-out column's value that is neither set nor cleared ("2 - No", "see
    notes") is no "says nothing": it may be a refusal, so the row goes to review
    tagged consent.unclear. Excel's float 1.0 is a set flag, Access's -1 too."""
    source = tmp_path / "export.csv"
    source.write_text(
        "Email,First Name,Email Opt Out\n"
        "ann@acme-corp.com,Ann,1.0\n"
        "bob@acme-corp.com,Bob,0.0\n"
        "cy@acme-corp.com,Cy,2 - No\n"
        "di@acme-corp.com,Di,-1\n"
        "ed@acme-corp.com,Ed,\n",
        encoding="utf-8",
    )
    result = triage([str(source)])
    consent = consent_of_rows(result)
    assert consent == {
        "ann@acme-corp.com": "no",
        "bob@acme-corp.com": "unknown",
        "cy@acme-corp.com": "unknown",
        "di@acme-corp.com": "no",
        "ed@acme-corp.com": "unknown",
    }
    assert result.review.get_column("email").to_list() == ["cy@acme-corp.com"]
    assert "consent.unclear" in result.review.get_column("reasons")[0]
    others = pl.concat([result.accepted, result.rejected], how="diagonal")
    assert not any("consent.unclear" in r for r in others.get_column("reasons"))


@pytest.mark.parametrize(
    ("opt_in", "opt_out", "refusal"),
    [
        ("Consentement marketing", "Ne pas contacter", "Oui"),
        ("Consentement marketing", "Date de désinscription", "12/01/2024"),
        ("Einwilligung", "Abgemeldet am", "01.02.2024"),
        ("Consentimiento", "Fecha de baja", "2024-01-10"),
        ("Nieuwsbrief", "Afmelden", "Ja"),
        ("Nieuwsbrief", "Afgemeld op", "15-01-2024"),
        ("Consenso marketing", "Data di disiscrizione", "10/01/2024"),
    ],
)
def test_a_localised_opt_out_column_beside_an_opt_in_keeps_its_refusals(
    tmp_path: Path, opt_in: str, opt_out: str, refusal: str
) -> None:
    """A French, German, Spanish, Dutch or Italian export with a consent column and a
    "do not contact" flag or unsubscribe date beside it: the opt-out column passed
    through unread (some with a warning, some without), so a person who had
    unsubscribed was read as consenting from the opt-in alone."""
    source = tmp_path / "export.csv"
    source.write_text(
        f"Email,{opt_in},{opt_out}\nann@acme-corp.com,yes,{refusal}\nbob@acme-corp.com,yes,\n",
        encoding="utf-8",
    )
    result = triage([str(source)])
    consent = consent_of_rows(result)
    assert consent == {"ann@acme-corp.com": "no", "bob@acme-corp.com": "yes"}


@pytest.mark.parametrize(
    ("opt_out", "refusal"),
    [
        ("Exclude from emails", "Yes"),
        ("Suppressed", "TRUE"),
        ("Remove from list", "x"),
        ("Opt-Out Flag", "1"),
        ("Do not send marketing", "Yes"),
        ("Don't email", "Y"),
        ("Withdraw consent", "Yes"),
        ("Unsubscribed from marketing", "true"),
        ("Email Unsubscribe", "1"),
        ("Opt Out Timestamp", "2024-03-01 10:00"),
        ("Date of opt-out", "01/03/2024"),
        ("Consent withdrawn date", "2024-03-01"),
        ("Last unsubscribe date", "2024-03-01"),
    ],
)
def test_a_plainly_named_opt_out_column_keeps_its_refusals_beside_an_opt_in(
    tmp_path: Path, opt_out: str, refusal: str
) -> None:
    """Opt-out flags and dates whose header says which way they point, but which no
    synonym named: some passed through without a word, others were warned of as
    unclear; either way the opt-in's yes stood for a person who had opted out."""
    source = tmp_path / "export.csv"
    source.write_text(
        f"Email,Email opt-in,{opt_out}\nann@acme-corp.com,Yes,{refusal}\nbob@acme-corp.com,Yes,\n",
        encoding="utf-8",
    )
    summary = clean(tmp_path, source)
    assert consent_by_email(tmp_path) == {"ann@acme-corp.com": "no", "bob@acme-corp.com": "yes"}
    assert "consent.no" in reasons_by_email(tmp_path)["ann@acme-corp.com"]
    assert summary["columns"]["consent_polarity"][opt_out] in ("opt_out", "opt_out_date")


@pytest.mark.parametrize("header", ["Marketing preferences", "Communication preferences"])
def test_a_preferences_column_beside_a_yes_goes_to_a_person(tmp_path: Path, header: str) -> None:
    """README names "Marketing preferences" as a column that only looks like consent: a
    value there beside a yes may be the refusal. It passed through unnoticed, so
    "Opted out" there left the row accepted with consent yes."""
    source = tmp_path / "export.csv"
    source.write_text(
        f"Email,Email opt-in,{header}\nann@acme-corp.com,Yes,Opted out\nbob@acme-corp.com,Yes,\n",
        encoding="utf-8",
    )
    summary = clean(tmp_path, source)
    assert consent_by_email(tmp_path) == {
        "ann@acme-corp.com": "unknown",
        "bob@acme-corp.com": "yes",
    }
    assert "consent.unclear" in reasons_by_email(tmp_path)["ann@acme-corp.com"]
    assert summary["columns"]["consent_unclear"] == [header]


def test_a_value_in_an_unread_consent_column_of_another_file_outweighs_a_yes(
    tmp_path: Path,
) -> None:
    """A file whose only consent column cannot be read ("Opt-in/Opt-out": Yes) counted
    as a file without one (a badge scan), so the person's yes in another file was
    carried to it and stood. Its value may be the refusal: across the run the person
    is unknown, as a yes beside it in one file would be."""
    webinar = tmp_path / "webinar.csv"
    webinar.write_text("Email,Email opt-in\nann@acme-corp.com,Yes\n", encoding="utf-8")
    event = tmp_path / "event.csv"
    event.write_text(
        "Email,Opt-in/Opt-out\nann@acme-corp.com,Yes\nbob@acme-corp.com,\n", encoding="utf-8"
    )
    badge = tmp_path / "badge.csv"
    badge.write_text("Email,Email opt-in\nbob@acme-corp.com,Yes\n", encoding="utf-8")
    summary = clean(tmp_path, webinar, event, badge)
    rows = [
        pl.read_csv(tmp_path / "out" / f"{name}.csv", infer_schema=False)
        for name in ("accepted", "review", "rejected")
    ]
    consent = sorted(pl.concat([r.select("email", "consent") for r in rows]).iter_rows())
    # a blank in the unread column says nothing: bob's yes stands
    assert consent == [
        ("ann@acme-corp.com", "unknown"),
        ("ann@acme-corp.com", "unknown"),
        ("bob@acme-corp.com", "yes"),
        ("bob@acme-corp.com", "yes"),
    ]
    assert summary["consent"]["lowered_to_unknown"] == 1


def test_a_refusal_after_a_yes_in_one_cell_reaches_the_outputs_and_the_summary(
    tmp_path: Path,
) -> None:
    """'yes; unsubscribed 2024-02-02' came out accepted with consent yes, and a CRM's
    'Yes, unsubscribed' opt-out only lowered the row to unknown."""
    source = tmp_path / "export.csv"
    source.write_text(
        "Email,Email opt-in\n"
        "ann@acme-corp.com,yes; unsubscribed 2024-02-02\n"
        "bob@acme-corp.com,yes\n",
        encoding="utf-8",
    )
    crm = tmp_path / "crm.csv"
    crm.write_text(
        'Id,Email,Email Opt Out\n0031,bob@acme-corp.com,"Yes, unsubscribed"\n', encoding="utf-8"
    )
    summary = clean(tmp_path, source, options=("--crm", str(crm)))
    assert consent_by_email(tmp_path) == {"ann@acme-corp.com": "no", "bob@acme-corp.com": "no"}
    assert all("consent.no" in r for r in reasons_by_email(tmp_path).values())
    assert summary["consent"]["by_output"]["accepted"] == {"no": 2}
    assert summary["consent"]["lowered_to_no"] == 1
