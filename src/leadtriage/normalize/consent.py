"""Marketing consent as a tri-state: ``yes``, ``no`` or ``unknown``.

Only an explicit answer counts: blank, "pending", "maybe" and anything else are
``unknown``, so no one is mailed on a guess. Every consent column of a row is read
with its polarity (`columns` tells opt-in headers from opt-out flags such as
Salesforce's "Email Opt Out" and opt-out dates such as Mailchimp's UNSUB_TIME): a set
opt-out flag (or a date in it: when they opted out) or any opt-out date is ``no``, a
cleared flag says nothing, never ``yes``. Across a row's columns the most restrictive
answer wins: any ``no`` is ``no``, else any ``yes`` is ``yes``, else ``unknown``; an
opt-out flag nobody can read (``flag.consent.unclear``) turns a ``yes`` into
``unknown``, and so does any value in a consent-like column whose polarity nobody can
tell (Spanish "Baja": it may be the refusal).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

import polars as pl

from leadtriage import frame
from leadtriage.frame import OPT_IN, OPT_OUT, OPT_OUT_DATE, POLARITIES, UNCLEAR_CONSENT, raw_consent
from leadtriage.normalize.text import (
    blank_placeholders,
    data_pairs,
    on_distinct,
    squish,
    unless_placeholder,
)
from leadtriage.schema import Col, Field

YES: Final = "yes"
NO: Final = "no"
UNKNOWN: Final = "unknown"

# What each kind of answer (consent_values.txt) says in a column of each polarity;
# None: nothing.
_MEANING: Final[dict[str, dict[str, str | None]]] = {
    OPT_IN: {"true": YES, "granted": YES, "false": NO, "refused": NO},
    OPT_OUT: {"true": NO, "refused": NO, "false": None, "granted": None},
}


@cache
def consent_answers(polarity: str = OPT_IN) -> dict[str, str | None]:
    """Casefolded answer -> ``yes`` / ``no`` / None (says nothing) in a column of
    `polarity`."""
    meaning = _MEANING[polarity]
    return {answer.casefold(): meaning[kind] for kind, answer in data_pairs("consent_values.txt")}


def _answer(cell: pl.Expr) -> pl.Expr:
    """The cell trimmed and lowercased; null when blank or a blank's placeholder."""
    folded = squish(cell.cast(pl.String)).str.to_lowercase()
    return unless_placeholder(folded, "consent_blank_values.txt")


# An opt-out date column's way of saying "never opted out": a zero date.
_ZERO_DATE: Final = r"^0{4}-0{2}-0{2}"
# A date (with or without a time) where an opt-out flag was expected: when the person
# opted out ("Unsubscribed: 2024-02-01").
_A_DATE: Final = r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ t]\d{1,2}:\d{2}.*)?$"


def _read(answer: pl.Expr, polarity: str) -> pl.Expr:
    folded = _answer(answer)
    if polarity == OPT_OUT_DATE:
        # Any date is a refusal; a "no" answer ("never" too), a zero date or a blank
        # says nothing.
        said_nothing = (
            folded.is_null()
            | folded.is_in(list(_false_answers()))
            | folded.str.contains(_ZERO_DATE)
        )
        return pl.when(said_nothing).then(pl.lit(None, dtype=pl.String)).otherwise(pl.lit(NO))
    answers = consent_answers(polarity)
    said = folded.replace_strict(answers, default=None, return_dtype=pl.String)
    # A refusal with a note after it ("Yes - unsubscribed by admin" in an opt-out
    # column, "No (removed on request)"): the refusal counts. A note never makes
    # consent more permissive: a "yes" before one stays unread.
    said = pl.coalesce(said, pl.when(_refused_before_a_note(folded, polarity)).then(pl.lit(NO)))
    if polarity == OPT_OUT:
        dated = folded.str.contains(_A_DATE) & ~folded.str.contains(_ZERO_DATE)
        return pl.when(dated).then(pl.lit(NO)).otherwise(said)
    return said


# What may end an answer a note follows: a space (" - reason", "on 2024-03-01", "by
# admin"), a comma, a colon, a bracket or an exclamation mark. A word that only starts
# like a refusal ("Nothing", "Nonetheless") goes on with a letter, so it is no refusal.
_AFTER_AN_ANSWER: Final = r"[\s,;:(!]"


@cache
def _refusal_with_a_note(polarity: str) -> str:
    """A pattern for a cell starting with a refusal of `polarity` and a note after it.
    Longest refusals first, so "no consent - asked" is read as "no consent"."""
    refusals = sorted(
        (a for a, meaning in consent_answers(polarity).items() if meaning == NO),
        key=lambda a: -len(a),
    )
    escaped = (re.sub(r"([\\.+*?()|\[\]{}^$#&~-])", r"\\\1", a) for a in refusals)
    return rf"^(?:{'|'.join(escaped)}){_AFTER_AN_ANSWER}"


def _refused_before_a_note(folded: pl.Expr, polarity: str) -> pl.Expr:
    # Only a refusal is read past its note: "Yes - see form" stays unread, since a note
    # never makes an answer more permissive than the bare cell would be.
    return folded.str.contains(_refusal_with_a_note(polarity)).fill_null(False)


def read_answer(text: str | None) -> str | None:
    """One answer a person typed as `yes` / `no` / `unknown`, read as an opt-in column
    reads it ("opted out", "Unsubscribed", "n" are ``no``); blank, a blank's
    placeholder or "unknown" itself is ``unknown``. None when it is no answer at all
    ("noo"): unlike an export's cell, a typed value is meant, and is not guessed."""
    folded = " ".join((text or "").split()).casefold()
    if not folded or folded in blank_placeholders("consent_blank_values.txt"):
        return UNKNOWN
    return consent_answers(OPT_IN).get(folded)


@cache
def _false_answers() -> frozenset[str]:
    return frozenset(
        a.casefold() for kind, a in data_pairs("consent_values.txt") if kind == "false"
    )


def consent_asked(schema: pl.Schema) -> pl.Expr:
    """Whether the row's file has any consent column, or the row a value in a
    consent-like column nobody can read. A row from a file without one (a badge scan)
    says nothing about consent: its ``unknown`` is no answer, unlike a blank,
    "pending" or cleared opt-out in a consent column. A frame without the answer lists
    cannot tell: its rows count as asked."""
    counts = [pl.col(raw_consent(p)).list.len() for p in POLARITIES if raw_consent(p) in schema]
    if not counts:
        return pl.lit(value=True)
    asked = pl.sum_horizontal(counts) > 0
    if UNCLEAR_CONSENT in schema:
        # "Opt-in/Opt-out: Yes" may be the refusal: its ``unknown`` must outweigh a
        # yes of the same person in another file, as it does beside one in its own.
        given = _answers(pl.col(UNCLEAR_CONSENT)).list.eval(_answer(pl.element()).is_not_null())
        asked = asked | given.list.any().fill_null(False)
    return asked


def _answers(cells: pl.Expr) -> pl.Expr:
    """A list of cells as the list of their answers: HubSpot writes every legal basis
    of a contact into one cell, ';'-separated ("Freely given consent from
    contact;Legitimate interest - existing customer")."""
    return cells.list.eval(pl.element().str.split(";").explode())


def _unread_opt_out(answers: pl.Expr) -> pl.Expr:
    """Whether an opt-out flag column gave an answer that is neither set nor cleared:
    it may be a refusal, so a person reads it (an opt-in's unread answer is simply
    no consent)."""
    folded = _answer(answers)
    read = (
        folded.is_in(list(consent_answers(OPT_OUT)))
        | folded.str.contains(_A_DATE)
        | _refused_before_a_note(folded, OPT_OUT)
    )
    return (folded.is_not_null() & ~read).any()


def normalize_consent(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``consent``: ``yes`` / ``no`` / ``unknown`` from the row's consent answers
    (the `raw_consent` lists per polarity; without any, ``raw.consent`` as an opt-in),
    and ``flag.consent.unclear`` (an opt-out flag nobody can read as set or cleared, or
    a value in a consent-like column nobody can read beside a yes), worked out once
    per distinct combination of answers."""
    schema = lf.collect_schema()
    polarities = [p for p in POLARITIES if raw_consent(p) in schema]
    if polarities:
        keys = [raw_consent(p) for p in polarities]
        said = pl.concat_list(
            _answers(pl.col(raw_consent(p))).list.eval(_read(pl.element(), p)) for p in polarities
        )
    else:
        keys = [frame.raw(Field.CONSENT)]
        said = _answers(pl.concat_list(pl.col(frame.raw(Field.CONSENT)).cast(pl.String))).list.eval(
            _read(pl.element(), OPT_IN)
        )
    consent = (
        pl.when(said.list.contains(NO, nulls_equal=False))
        .then(pl.lit(NO))
        .when(said.list.contains(YES, nulls_equal=False))
        .then(pl.lit(YES))
        .otherwise(pl.lit(UNKNOWN))
    )
    unclear = (
        _answers(pl.col(raw_consent(OPT_OUT))).list.eval(_unread_opt_out(pl.element())).list.first()
        if OPT_OUT in polarities
        else pl.lit(value=False)
    )
    # A value in a consent-like column nobody can read ("Baja": sí) may be the refusal
    # a yes elsewhere does not know of: unclear beside a yes (alone it changes nothing:
    # there is no consent to doubt).
    if UNCLEAR_CONSENT in schema:
        keys.append(UNCLEAR_CONSENT)
        given = _answers(pl.col(UNCLEAR_CONSENT)).list.eval(_answer(pl.element()).is_not_null())
        unclear = unclear | ((consent == YES) & given.list.any())
    outputs = [Col.CONSENT, frame.flag("consent.unclear")]
    # An opt-out nobody can read may be a refusal: the row's consent is not yes, so a
    # reviewer who accepts it imports no consent the opt-out may deny.
    return on_distinct(
        lf,
        keys,
        lambda values: values.with_columns(unclear.fill_null(False).alias(outputs[1])).with_columns(
            pl.when(pl.col(outputs[1]) & (consent == YES))
            .then(pl.lit(UNKNOWN))
            .otherwise(consent)
            .alias(outputs[0])
        ),
        outputs,
    )
