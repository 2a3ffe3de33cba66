"""Consent as yes / no / unknown."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtriage import frame
from leadtriage.normalize.consent import normalize_consent


def _consent(values: Sequence[str | None]) -> list[str]:
    lf = pl.LazyFrame(
        {frame.raw("consent"): list(values)}, schema={frame.raw("consent"): pl.String}
    )
    return normalize_consent(lf).collect()["consent"].to_list()


YES = ["Yes", "Y", "true", "TRUE", "1", "x", "X", "✓", "✔", "checked", "Opted in", "opt-in",
       "Opt-In", "subscribed", "SUBSCRIBED", "granted", "ja", "Oui", "sí", "si",
       " yes "]  # fmt: skip
NO = ["No", "N", "false", "FALSE", "0", "opted out", "Opt-out", "unsubscribed", "cleaned",
      "declined", "nein", "Non"]  # fmt: skip
UNKNOWN = [None, "", "   ", "maybe", "pending", "transactional", "n/a", "yes no", "2"]


@pytest.mark.parametrize("raw", YES)
def test_explicit_agreement_is_yes(raw: str) -> None:
    assert _consent([raw]) == ["yes"]


@pytest.mark.parametrize("raw", NO)
def test_explicit_refusal_and_mailchimp_statuses_are_no(raw: str) -> None:
    assert _consent([raw]) == ["no"]


@pytest.mark.parametrize("raw", UNKNOWN)
def test_anything_else_is_unknown_never_yes(raw: str | None) -> None:
    assert _consent([raw]) == ["unknown"]


def test_a_missing_consent_column_gives_unknown_for_every_row() -> None:
    lf = pl.LazyFrame({frame.raw("consent"): [None, None]}, schema={frame.raw("consent"): pl.Null})
    assert normalize_consent(lf).collect()["consent"].to_list() == ["unknown", "unknown"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(YES + NO), st.text(max_size=12)), min_size=1))
def test_consent_is_idempotent_and_keeps_row_count(values: list[str | None]) -> None:
    once = _consent(values)
    assert len(once) == len(values)
    assert _consent(list(once)) == once


def _answers(opt_in: Sequence[str | None], opt_out: Sequence[str | None]) -> list[str]:
    """Consent of one row per answer pair: one opt-in and one opt-out column."""
    lf = pl.LazyFrame(
        {
            frame.raw("consent"): [None] * len(opt_in),
            frame.raw_consent("opt_in"): [[a] for a in opt_in],
            frame.raw_consent("opt_out"): [[a] for a in opt_out],
        },
        schema={
            frame.raw("consent"): pl.String,
            frame.raw_consent("opt_in"): pl.List(pl.String),
            frame.raw_consent("opt_out"): pl.List(pl.String),
        },
    )
    return normalize_consent(lf).collect()["consent"].to_list()


@pytest.mark.parametrize(
    "flag", ["1", "1.0", "-1", "true", "TRUE", "Yes", "x", "Do Not Allow", "unsubscribed"]
)
def test_a_set_opt_out_flag_is_no_whatever_the_opt_in_says(flag: str) -> None:
    assert _answers(["yes", None], [flag, flag]) == ["no", "no"]


@pytest.mark.parametrize(
    ("flag", "unclear"),
    [("Opted out - bounce", False), ("2024-03-01", False), ("2 - No", True), ("N/A", False),
     ("#N/A", False), ("null", False), ("—", False), ("", False), (None, False), ("1", False),
     ("0", False)],
)  # fmt: skip
def test_only_an_opt_out_answer_nobody_can_read_is_unclear(flag: str | None, unclear: bool) -> None:
    lf = pl.LazyFrame(
        {frame.raw("consent"): [None], frame.raw_consent("opt_out"): [[flag]]},
        schema={frame.raw("consent"): pl.String, frame.raw_consent("opt_out"): pl.List(pl.String)},
    )
    out = normalize_consent(lf).collect()
    assert out["flag.consent.unclear"].to_list() == [unclear]
    refusals = ("1", "2024-03-01", "Opted out - bounce")
    assert out["consent"].to_list() == ["no" if flag in refusals else "unknown"]


@pytest.mark.parametrize(
    "flag", ["2024-02-01", "03/02/2024", "2024-02-01 10:15:00", "1.2.2024", "2024-02-01T10:15:00Z"]
)
def test_a_date_in_an_opt_out_flag_column_is_when_they_opted_out(flag: str) -> None:
    """ "Unsubscribed: 2024-02-01" is a refusal, whatever the opt-in says."""
    assert _answers(["yes"], [flag]) == ["no"]


def test_an_opt_out_nobody_can_read_never_leaves_consent_yes() -> None:
    """A reviewer accepting the row must not import a consent the opt-out may deny."""
    assert _answers(["yes", "yes"], ["see notes", None]) == ["unknown", "yes"]


@pytest.mark.parametrize(
    ("opt_in", "opt_out", "consent"),
    [
        # A CRM's flag with the reason after it: the refusal is read, the note not.
        ("yes", "Yes - unsubscribed by admin", "no"),
        ("yes", "Opted out - bounce", "no"),
        ("yes", "true (imported)", "no"),
        ("No - removed at their request", None, "no"),
        # A note never makes consent more permissive than the bare cell would be.
        ("Yes - see form", None, "unknown"),
        ("yes", "No - but check", "unknown"),
    ],
)
def test_a_refusal_before_a_note_is_read_and_nothing_else(
    opt_in: str, opt_out: str | None, consent: str
) -> None:
    assert _answers([opt_in], [opt_out]) == [consent]


@pytest.mark.parametrize(
    ("answer", "consent"),
    [("J", "yes"), ("Sim", "yes"), ("Não", "no"), ("Nao", "no"), ("Yes, I agree", "yes"),
     ("I agree", "yes"), ("No consent", "no"), ("Do not email", "no")],
)  # fmt: skip
def test_answers_seen_in_real_exports(answer: str, consent: str) -> None:
    assert _consent([answer]) == [consent]


def test_an_opt_out_column_holding_its_own_name_is_set() -> None:
    """Salesforce-style exports write the flag's label in the cell when it is set."""
    assert _answers(["yes", "yes"], ["Do Not Email", "Unsubscribed"]) == ["no", "no"]


@pytest.mark.parametrize(
    "flag", ["0", "0.0", "false", "FALSE", "No", "", None, "Allow", "subscribed", "never"]
)
def test_a_cleared_opt_out_flag_is_not_consent(flag: str | None) -> None:
    # alone it is unknown; beside an opt-in's yes, the yes stands
    assert _answers([None, "yes"], [flag, flag]) == ["unknown", "yes"]


@pytest.mark.parametrize("answer", ["No thanks", "No, thank you", "Nein, danke", "non merci"])
def test_a_polite_refusal_in_a_form_is_no(answer: str) -> None:
    assert _consent([answer]) == ["no"]


@pytest.mark.parametrize(
    ("when", "consent"),
    [("2026-09-14 17:20:00", "no"), ("14/09/2026", "no"), ("", "unknown"), (None, "unknown"),
     ("No", "unknown"), ("N/A", "unknown"), ("#N/A", "unknown"), ("null", "unknown"),
     ("-", "unknown"), ("never", "unknown"), ("0000-00-00 00:00:00", "unknown"),
     ("1900-01-01", "no"),
     # A lookup that found no unsubscribe ("#N/A") says none; a formula that broke
     # ("#VALUE!", "#REF!") may have held a date: read as one.
     ("#VALUE!", "no"), ("#REF!", "no")],
)  # fmt: skip
def test_an_opt_out_date_is_a_refusal_whatever_the_date(when: str | None, consent: str) -> None:
    lf = pl.LazyFrame(
        {frame.raw("consent"): [None], frame.raw_consent("opt_out_date"): [[when]]},
        schema={
            frame.raw("consent"): pl.String,
            frame.raw_consent("opt_out_date"): pl.List(pl.String),
        },
    )
    assert normalize_consent(lf).collect()["consent"].to_list() == [consent]


@pytest.mark.parametrize(
    ("cell", "consent"),
    [
        ("Freely given consent from contact;Legitimate interest – existing customer", "yes"),
        ("Legitimate interest – prospect/lead;Not applicable", "unknown"),
        ("yes;unsubscribed", "no"),
    ],
)
def test_a_cell_of_several_answers_is_read_answer_by_answer(cell: str, consent: str) -> None:
    """HubSpot writes every legal basis of a contact into one cell, ';'-separated: the
    consent among them was never read."""
    assert _consent([cell]) == [consent]


@pytest.mark.parametrize(
    "cell",
    [
        # a refusal with the date of it, or words after it, in an opt-in column
        "yes; unsubscribed 2024-02-02",
        "Unsubscribed 2024-02-02",
        "no longer subscribed",
        "No, not now",
        "NO!",
        "opted out by admin",
    ],
)
def test_a_refusal_with_anything_after_it_is_a_refusal(cell: str) -> None:
    """The note after a refusal need not start with a dash, a colon or a bracket: a date,
    a comma or plain words after it still leave a refusal. Read as nothing, the refusal
    in "yes; unsubscribed 2024-02-02" was lost and the yes beside it stood."""
    assert _consent([cell]) == ["no"]


@pytest.mark.parametrize(
    "flag",
    ["Yes, unsubscribed", "Sí, baja", "Unsubscribed on 2024-03-01", "Opted out 2024-03-01",
     "x by admin"],
)  # fmt: skip
def test_a_set_opt_out_flag_with_anything_after_it_is_a_refusal(flag: str) -> None:
    assert _answers(["yes"], [flag]) == ["no"]


@pytest.mark.parametrize(
    ("opt_in", "opt_out", "consent"),
    [
        # a yes with words after it is still unread (a note never grants consent)
        ("Yes, but only by post", None, "unknown"),
        ("Opted in 2023-01-01", None, "unknown"),
        # a cleared flag with words after it may be anything: a person reads it
        ("yes", "No, unsubscribed later", "unknown"),
        # a word that only starts like a refusal is no refusal
        ("yes", "Nothing", "unknown"),
        ("Nonetheless yes", None, "unknown"),
    ],
)
def test_words_after_an_answer_never_make_it_more_permissive(
    opt_in: str, opt_out: str | None, consent: str
) -> None:
    assert _answers([opt_in], [opt_out]) == [consent]


@pytest.mark.parametrize(
    "answer",
    ["unsubscribe", "don't contact", "Don't email me", "do not contact me", "disagree",
     "I do not agree", "I don't agree", "refusé", "Keine Einwilligung",
     "Einwilligung widerrufen"],
)  # fmt: skip
def test_refusals_written_in_a_consent_column_are_no(answer: str) -> None:
    assert _consent([answer]) == ["no"]
