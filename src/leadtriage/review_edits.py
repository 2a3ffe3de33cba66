"""A person's edits in the review workbook: re-validated and applied, or refused.

A person may fix a value in ``review.xlsx`` (type the suggested email, correct a name,
a phone or a country) as well as decide. An edit is a cell whose text differs from the
review file's value for the same row (matched by key). What `review apply` takes:

- the clean contact columns (`EDITABLE`): every edit goes through the same normaliser
  a run uses; a valid one replaces the clean value with its normalised form and tags
  the row ``review.edited``, one that is still invalid keeps the row in review
  (whatever its decision), with the value as typed so the person sees it again, and
  ``review.held`` until a later application takes a valid value for it.
  Blanking a cell removes the value. The row's findings about that value (``email.*``,
  ``country.unknown``) are worked out again, as a run names them.
- ``consent``, lowered only: a ``no`` (or any opt-out spelling the tool reads) is the
  person's opt-out, with ``consent.no`` as a run gives it. A yes typed in a workbook
  has no record of where it came from, so raising consent is refused.
- the CRM record id of a ``crm.possible`` / ``crm.ambiguous`` row, to one of its
  ``crm_candidates``, when the row's consent is ``no``: the record's own opt-out is not
  in the workbook, and only a row that already says no cannot be lowered by it.

Any other edited cell (a derived column, the input as it arrived, the reasons) is
refused, with every edit of the workbook: an edit is never dropped unsaid. Edits are
described by cell (never by value: the summary and the terminal carry no contact
data).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from leadtriage.consent_across import RANK
from leadtriage.frame import DECISION, FIELDS, REASON_SEPARATOR, REASONS, flag, raw
from leadtriage.io.layout import CLEAN_COLUMNS
from leadtriage.io.profiles import (
    Profile,
    country_header,
    country_name,
    crm_copies,
    derived_columns,
    derived_headers,
)
from leadtriage.io.workbook import KEY_COLUMNS, SHEET_ROW
from leadtriage.normalize import normalize
from leadtriage.normalize.consent import NO, read_answer
from leadtriage.normalize.presence import is_blank
from leadtriage.schema import Col, Field

EDITED_REASON: Final = "review.edited"
# A row whose typed value is still invalid: held in review until an application
# takes a valid value for it (a later workbook decides it without seeing why).
HELD_REASON: Final = "review.held"
# Clean columns a person may correct, and the field whose normaliser checks them.
EDITABLE: Final[dict[str, str]] = {
    Col.EMAIL: Field.EMAIL,
    Col.PHONE_E164: Field.PHONE,
    Col.MOBILE_E164: Field.MOBILE,
    Col.FIRST_NAME: Field.FIRST_NAME,
    Col.LAST_NAME: Field.LAST_NAME,
    Col.COMPANY: Field.COMPANY,
    Col.JOB_TITLE: Field.JOB_TITLE,
    Col.WEBSITE: Field.WEBSITE,
    Col.CITY: Field.CITY,
    Col.STATE: Field.STATE,
    Col.POSTCODE: Field.POSTCODE,
    Col.ADDRESS: Field.ADDRESS,
    Col.COUNTRY_CODE: Field.COUNTRY,
}
# The findings a value's own stage makes, worked out again when the value is edited
# (a fixed typo is no typo). Presence findings (email.missing) and email.mx_unknown
# (only --check-mx looks) are left as they were.
FINDINGS: Final[dict[str, tuple[str, ...]]] = {
    Field.EMAIL: (
        "email.invalid",
        "email.disposable",
        "email.role",
        "email.free",
        "email.typo",
        "email.fake",
    ),
    Field.COUNTRY: ("country.unknown",),
}
_CONSENT_NO_REASON: Final = "consent.no"
_LINKED_REASON: Final = "crm.existing"
_UNLINKED_REASONS: Final = ("crm.possible", "crm.ambiguous")
_CANDIDATE_SEPARATOR: Final = ";"
_APPLICATION_SLUGS: Final = frozenset(
    {
        EDITED_REASON,
        HELD_REASON,
        _CONSENT_NO_REASON,
        _LINKED_REASON,
        *_UNLINKED_REASONS,
        *(slug for slugs in FINDINGS.values() for slug in slugs),
    }
)

# The country column phones take their region from, as each layout names it.
_COUNTRY: Final = (Col.COUNTRY_CODE, "Country", "Country/Region")
_SHEET: Final = "__sheet"
_EDITED: Final = "__edited"
_CHANGED: Final = "__changed"
# Cells are compared as the workbook gives them back: Excel's cell limit cuts long
# values (in UTF-16 units: 16,383 characters always fit), control characters come
# back escaped and Excel may save a line break as \n. None of that is an edit.
_COMPARED_CHARS: Final = 16_383
_UNCOMPARED: Final = r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[fF]{3}[eEfF]_|\r"


@dataclass(frozen=True)
class Edit:
    """One edited cell: where it is and whether it was applied (still invalid if
    not). Never its value: the summary and the terminal must not carry contact data."""

    source_file: str
    source_row: str
    column: str
    applied: bool

    def as_dict(self) -> dict[str, str | bool]:
        return {
            "source_file": self.source_file,
            "source_row": self.source_row,
            "column": self.column,
            "applied": self.applied,
        }


@dataclass(frozen=True)
class Refusal:
    """An edited cell `review apply` does not take, and why (never its value)."""

    sheet_row: int
    source_file: str
    source_row: str
    column: str
    why: str


@dataclass(frozen=True)
class EditResult:
    """The review table with valid edits applied (and `review.edited` added), the
    keys of rows an invalid edit holds in review (now or since an earlier
    application: `review.held`), every edit, and the edits refused (when there are
    any, nothing else is to be applied)."""

    review: pl.DataFrame
    held: pl.DataFrame
    edits: tuple[Edit, ...]
    refused: tuple[Refusal, ...] = ()


def editable_columns(profile: Profile) -> dict[str, str]:
    """Output column -> the clean column it shows, for the columns a person may edit."""
    own = {Col.CONSENT: Col.CONSENT}
    if profile is Profile.GENERIC:
        return {column: column for column in (*EDITABLE, Col.CRM_RECORD_ID)} | own
    copies = {
        header: clean
        for header, clean in crm_copies(profile).items()
        if clean in EDITABLE or clean == Col.CRM_RECORD_ID
    }
    country = country_header(profile)
    return copies | ({country: Col.COUNTRY_CODE} if country else {}) | own


def describe_editable(columns: Mapping[str, str], present: Sequence[str]) -> str:
    """The editable columns a workbook has, for a hint."""
    notes: dict[str, str] = {
        Col.CONSENT: " (lowered only: no)",
        Col.CRM_RECORD_ID: " (one of crm_candidates, with consent no)",
    }
    return ", ".join(c + notes.get(columns[c], "") for c in columns if c in present)


def apply_edits(
    review: pl.DataFrame,
    sheet: pl.DataFrame,
    columns: Mapping[str, str],
    profile: Profile = Profile.GENERIC,
) -> EditResult:
    """Compare the workbook's cells (`sheet`: keys, `sheet_row` and the cells of the
    columns it shares with `review`, text) with the review table, then refuse what
    cannot be taken, or re-validate and apply what changed."""
    compared = [
        c
        for c in sheet.columns
        if c in review.columns and c not in (*KEY_COLUMNS, DECISION, SHEET_ROW)
    ]
    no_edits = EditResult(review, _held(review), ())
    if not compared:
        return no_edits
    typed = (
        sheet.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in KEY_COLUMNS))
        .unique(list(KEY_COLUMNS), keep="first", maintain_order=True)
        .select(
            *KEY_COLUMNS,
            pl.col(SHEET_ROW).alias(SHEET_ROW + _SHEET),
            *(
                pl.when(is_blank(pl.col(c)))
                .then(None)
                .otherwise(pl.col(c).str.strip_chars())
                .alias(c + _SHEET)
                for c in compared
            ),
            pl.lit(True).alias(_SHEET),
        )
    )
    joined = review.join(
        typed, on=list(KEY_COLUMNS), how="left", maintain_order="left"
    ).with_row_index(_EDITED)
    changed = {c: _differs(c, c in derived_headers(profile)) for c in compared}
    edited_rows = joined.with_columns(changed[c].alias(c + _CHANGED) for c in compared).filter(
        pl.any_horizontal(changed.values())
    )
    present = [c for c in compared if c in columns]
    refused = _copies_that_differ(sheet, compared) + _refusals(
        edited_rows, compared, columns, present, derived_headers(profile)
    )
    if not refused and not edited_rows.height:
        return no_edits
    if refused:
        return EditResult(review, no_edits.held, (), tuple(refused))
    normalised = [c for c in present if columns[c] in EDITABLE]
    checked = (
        _revalidate(edited_rows, normalised, columns, profile)
        if any(edited_rows[c + _CHANGED].any() for c in normalised)
        else edited_rows.select(_EDITED)
    )
    rows, edits = _applied(
        edited_rows.join(checked, on=_EDITED, how="left", maintain_order="left"),
        review.columns,
        present,
        columns,
    )
    if not edits:
        return no_edits
    new_rows = pl.DataFrame(rows, schema={_EDITED: pl.UInt32, **review.schema}, orient="row")
    if profile is not Profile.GENERIC:
        # Lead Status follows the record id, the legal basis and the opt-out flag the
        # consent, as a run derives them.
        new_rows = new_rows.with_columns(derived_columns(profile, new_rows))
    unedited = joined.join(new_rows.select(_EDITED), on=_EDITED, how="anti")
    updated = pl.concat([unedited.select(_EDITED, *review.columns), new_rows], how="vertical").sort(
        _EDITED
    )
    updated = updated.select(review.columns)
    return EditResult(updated, _held(updated), tuple(edits))


def _held(review: pl.DataFrame) -> pl.DataFrame:
    """Keys of the rows an invalid typed value holds in review."""
    return review.filter(
        _slugs(pl.col(REASONS)).list.contains(HELD_REASON).fill_null(False)
    ).select(KEY_COLUMNS)


def _differs(column: str, derived: bool) -> pl.Expr:
    """Whether the workbook's cell is an edit. A row an earlier application changed
    (``review.edited``) no longer matches the workbook it came from where the tool
    itself wrote: its reasons (compared without the slugs an application adds or
    works out again) and the CRM columns derived from consent and record id (which
    are compared themselves). Applying a workbook again is no edit."""
    sheet, table = pl.col(column + _SHEET), pl.col(column)
    in_sheet = pl.col(_SHEET).fill_null(False)
    exact = _comparable(sheet).ne_missing(_comparable(table))
    if column != REASONS and not derived:
        return in_sheet & exact
    applied_slugs = _slugs(pl.col(REASONS))
    edited_before = (
        applied_slugs.list.contains(EDITED_REASON) | applied_slugs.list.contains(HELD_REASON)
    ).fill_null(False)
    if derived:
        return in_sheet & ~edited_before & exact
    loose = _own_slugs(sheet).ne_missing(_own_slugs(table))
    return in_sheet & pl.when(edited_before).then(loose).otherwise(exact)


def _slugs(reasons: pl.Expr) -> pl.Expr:
    return reasons.cast(pl.String).str.split(REASON_SEPARATOR)


def _own_slugs(reasons: pl.Expr) -> pl.Expr:
    """The reasons no review application adds or removes, in a fixed order."""
    return (
        _slugs(reasons)
        .list.eval(pl.element().str.strip_chars())
        .list.set_difference(pl.lit(list(_APPLICATION_SLUGS), dtype=pl.List(pl.String)))
        .list.sort()
        .list.join(REASON_SEPARATOR)
        .fill_null("")
    )


def _comparable(cell: pl.Expr) -> pl.Expr:
    text = cell.cast(pl.String).str.replace_all(_UNCOMPARED, "").str.strip_chars()
    return pl.when(text != "").then(text.str.slice(0, _COMPARED_CHARS))


# --- what is refused -----------------------------------------------------------------


def _copies_that_differ(sheet: pl.DataFrame, compared: Sequence[str]) -> list[Refusal]:
    """A row copied in the sheet whose copies hold different cells: only one copy
    could be applied, and which one the person meant is unknown."""
    keyed = sheet.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in KEY_COLUMNS))
    first = keyed.unique(list(KEY_COLUMNS), keep="first", maintain_order=True)
    if first.height == keyed.height:
        return []
    copies = keyed.join(first, on=list(KEY_COLUMNS), suffix=_SHEET).filter(
        pl.col(SHEET_ROW) != pl.col(SHEET_ROW + _SHEET)
    )
    return [
        Refusal(
            int(row[SHEET_ROW]),
            str(row[KEY_COLUMNS[0]]),
            str(row[KEY_COLUMNS[1]]),
            column,
            f"a copy of sheet row {row[SHEET_ROW + _SHEET]} with another value",
        )
        for row in copies.iter_rows(named=True)
        for column in compared
        if _differ(row[column], row[column + _SHEET])
    ]


def _differ(one: object, other: object) -> bool:
    def cell(value: object) -> str:
        return "" if value is None else str(value).strip()

    return cell(one) != cell(other)


def _refusals(
    rows: pl.DataFrame,
    compared: Sequence[str],
    columns: Mapping[str, str],
    present: Sequence[str],
    derived: Sequence[str],
) -> list[Refusal]:
    refused = []
    for row in rows.iter_rows(named=True):
        consent = _consent_after(row, columns, present)
        for column in compared:
            if not row[column + _CHANGED]:
                continue
            why = (
                "worked out from consent and the record id: edit those instead"
                if column in derived
                else _why_refused(row, column, columns, consent)
            )
            if why is not None:
                refused.append(
                    Refusal(
                        int(row[SHEET_ROW + _SHEET]),
                        str(row[KEY_COLUMNS[0]]),
                        str(row[KEY_COLUMNS[1]]),
                        column,
                        why,
                    )
                )
    return refused


def _why_refused(
    row: Mapping[str, Any], column: str, columns: Mapping[str, str], consent: str | None
) -> str | None:
    clean = columns.get(column)
    if clean is None:
        return "not a column review apply takes"
    typed = row[column + _SHEET]
    if clean == Col.CONSENT:
        said = read_answer(typed)
        if said is None:
            return "not a consent answer (no, or unknown)"
        if RANK[said] > RANK.get(str(row[column]), RANK[NO]):
            return "consent can be lowered in the workbook, never raised"
    if clean == Col.CRM_RECORD_ID:
        if typed not in _candidates(row):
            return "a record id is taken only from the row's crm_candidates"
        if consent != NO:
            return (
                "the CRM record's opt-out is not in the workbook, so a link is taken "
                "only on a row whose consent is no"
            )
    return None


def _consent_after(
    row: Mapping[str, Any], columns: Mapping[str, str], present: Sequence[str]
) -> str | None:
    """The row's consent once a lowering edit is applied (None without the column)."""
    column = next((c for c in present if columns[c] == Col.CONSENT), None)
    if column is None:
        return None
    current = row[column]
    if not row[column + _CHANGED]:
        return None if current is None else str(current)
    said = read_answer(row[column + _SHEET])
    if said is None or current is None:
        return said
    return min(said, str(current), key=lambda answer: RANK.get(answer, RANK[NO]))


def _candidates(row: Mapping[str, Any]) -> list[str]:
    listed = row.get(Col.CRM_CANDIDATES)
    if not listed:
        return []
    return [c.strip() for c in str(listed).split(_CANDIDATE_SEPARATOR) if c.strip()]


# --- what is applied -----------------------------------------------------------------


def _applied(
    rows: pl.DataFrame, names: Sequence[str], present: Sequence[str], columns: Mapping[str, str]
) -> tuple[list[list[Any]], list[Edit]]:
    """Each edited row with its values and reasons after the edits (`review.held`
    where an edit is still invalid), and every edit."""
    out: list[list[Any]] = []
    edits: list[Edit] = []
    held: set[int] = set()
    for row in rows.iter_rows(named=True):
        values = {name: row[name] for name in names}
        reasons = [r for r in str(row[REASONS] or "").split(REASON_SEPARATOR) if r]
        applied_any = False
        for column in (c for c in present if row[c + _CHANGED]):
            clean = columns[column]
            if clean in EDITABLE:
                valid = bool(row[f"{column}.valid"])
                new = row[f"{column}.clean"] if valid else row[column + _SHEET]
                if valid and new == row[column]:
                    # Typed as it already was, in other spelling: nothing to apply
                    # (applying the same workbook again changes nothing).
                    continue
                if not valid:
                    held.add(row[_EDITED])
                findings = FINDINGS.get(EDITABLE[clean], ())
                found = set(row[f"{column}.findings"] or [])
                reasons = [r for r in reasons if r not in findings]
                reasons += [r for r in findings if r in found]
            elif clean == Col.CONSENT:
                new = read_answer(row[column + _SHEET])
                valid = True
                if new == row[column]:
                    continue
                if new == NO:
                    reasons.append(_CONSENT_NO_REASON)
            else:  # the CRM record id: one of the candidates, checked before
                new = row[column + _SHEET]
                valid = True
                reasons = [r for r in reasons if r not in _UNLINKED_REASONS]
                reasons.append(_LINKED_REASON)
            values[column] = new
            applied_any = applied_any or valid
            edits.append(Edit(str(row[KEY_COLUMNS[0]]), str(row[KEY_COLUMNS[1]]), column, valid))
        if applied_any:
            reasons.append(EDITED_REASON)
        if row[_EDITED] in held:
            reasons.append(HELD_REASON)
        elif applied_any:
            # Only a value taken releases a held row (the edit that held it was fixed).
            reasons = [r for r in reasons if r != HELD_REASON]
        values[REASONS] = REASON_SEPARATOR.join(dict.fromkeys(reasons)) or None
        out.append([row[_EDITED], *(values[name] for name in names)])
    return out, edits


def _revalidate(
    rows: pl.DataFrame, present: Sequence[str], columns: Mapping[str, str], profile: Profile
) -> pl.DataFrame:
    """Per edited row: for each normalised column edited, `<column>.clean` (the
    normalised value, as the column shows it), `<column>.valid` (null where the
    column was not edited) and `<column>.findings` (the FINDINGS it now has)."""
    field_of = {c: EDITABLE[columns[c]] for c in present}
    country = next((c for c in _COUNTRY if c in rows.columns), None)
    changed = {c: pl.col(c + _CHANGED) for c in present}
    typed: dict[str, pl.Expr] = {
        field_of[c]: pl.when(changed[c]).then(pl.col(c + _SHEET)) for c in present
    }
    if country is not None and country in present:
        # Phones take their region from the country: the one typed, else the row's.
        typed[Field.COUNTRY] = (
            pl.when(changed[country]).then(pl.col(country + _SHEET)).otherwise(pl.col(country))
        )
    raw_fields = rows.select(
        _EDITED,
        *KEY_COLUMNS,  # some stages work per input file
        *(
            (typed[f] if f in typed else _country(country) if f == "country" else _null()).alias(
                raw(f)
            )
            for f in FIELDS
        ),
        *(changed[c].alias(c + _CHANGED) for c in present),
    )
    clean = normalize(raw_fields.lazy()).collect()
    checks = []
    for c in present:
        field = field_of[c]
        value = pl.col(CLEAN_COLUMNS[field][0])
        invalid_flag = flag(f"{field}.invalid")
        invalid = pl.col(invalid_flag) if invalid_flag in clean.columns else pl.lit(False)
        if field == Field.COUNTRY:
            invalid = pl.col(flag("country.unknown"))
        typed_blank = pl.col(raw(field)).is_null()
        ok = typed_blank | (value.is_not_null() & ~invalid.fill_null(False))
        shown = country_name(value) if c == country_header(profile) else value
        findings = [
            pl.when(pl.col(flag(slug)).fill_null(False)).then(pl.lit(slug))
            for slug in FINDINGS.get(field, ())
            if flag(slug) in clean.columns
        ]
        checks += [
            pl.when(typed_blank).then(None).otherwise(shown).alias(f"{c}.clean"),
            pl.when(pl.col(c + _CHANGED)).then(ok).alias(f"{c}.valid"),
            (
                pl.concat_list(findings).list.drop_nulls()
                if findings
                else pl.lit([], pl.List(pl.String))
            ).alias(f"{c}.findings"),
        ]
    return clean.select(_EDITED, *checks)


def _country(column: str | None) -> pl.Expr:
    return pl.col(column).cast(pl.String) if column else _null()


def _null() -> pl.Expr:
    return pl.lit(None, dtype=pl.String)
