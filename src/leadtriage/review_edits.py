"""A person's edits in the review workbook: re-validated, then applied.

A person may fix a value in ``review.xlsx`` (type the suggested email, correct a name
or a phone) as well as decide. An edit is a clean-value cell whose text differs from
the review file's value for the same row (matched by key). Every edit goes through the
same normalisers a run uses; a valid one replaces the clean value with its normalised
form and tags the row ``review.edited``, one that is still invalid keeps the row in
review (whatever its decision), with the value as typed so the person sees it again.
Blanking a cell removes the value. Only the clean columns a CRM import carries are
edited this way (the input columns as they arrived are a record, not a field).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from leadtriage.frame import FIELDS, REASON_SEPARATOR, REASONS, flag, raw
from leadtriage.io.layout import CLEAN_COLUMNS
from leadtriage.io.profiles import Profile, crm_copies
from leadtriage.io.workbook import KEY_COLUMNS
from leadtriage.normalize import normalize
from leadtriage.normalize.presence import is_blank
from leadtriage.schema import Col, Field

EDITED_REASON: Final = "review.edited"
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
}
# The country column phones take their region from, as each layout names it.
_COUNTRY: Final = (Col.COUNTRY_CODE, "Country", "Country/Region")
_SHEET: Final = "__sheet"
_EDITED: Final = "__edited"
_HELD: Final = "__held"


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
class EditResult:
    """The review table with valid edits applied (and `review.edited` added), the
    keys of rows an invalid edit holds in review, and every edit."""

    review: pl.DataFrame
    held: pl.DataFrame
    edits: tuple[Edit, ...]


def editable_columns(profile: Profile) -> dict[str, str]:
    """Output column -> the clean column it shows, for the columns a person may edit."""
    if profile is Profile.GENERIC:
        return {column: column for column in EDITABLE}
    return {header: clean for header, clean in crm_copies(profile).items() if clean in EDITABLE}


def apply_edits(
    review: pl.DataFrame, sheet: pl.DataFrame, columns: Mapping[str, str]
) -> EditResult:
    """Compare the workbook's cells (`sheet`: keys and edited columns, text) with the
    review table, re-validate what changed, and apply it."""
    present = [c for c in columns if c in review.columns and c in sheet.columns]
    no_edits = EditResult(review, review.select(KEY_COLUMNS).clear(), ())
    if not present:
        return no_edits
    typed = (
        sheet.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in KEY_COLUMNS))
        .unique(list(KEY_COLUMNS), keep="first", maintain_order=True)
        .select(
            *KEY_COLUMNS,
            *(
                pl.when(is_blank(pl.col(c)))
                .then(None)
                .otherwise(pl.col(c).str.strip_chars())
                .alias(c + _SHEET)
                for c in present
            ),
            pl.lit(True).alias(_SHEET),
        )
    )
    joined = review.join(typed, on=list(KEY_COLUMNS), how="left", maintain_order="left")
    changed = {
        c: pl.col(_SHEET).fill_null(False) & pl.col(c + _SHEET).ne_missing(pl.col(c))
        for c in present
    }
    edited_rows = joined.with_row_index(_EDITED).filter(pl.any_horizontal(changed.values()))
    if not edited_rows.height:
        return no_edits
    checked = _revalidate(edited_rows, present, columns, changed)
    result = joined.with_row_index(_EDITED).join(
        checked, on=_EDITED, how="left", maintain_order="left"
    )
    valid = {c: pl.col(f"{c}.valid").fill_null(False) for c in present}
    invalid = {c: pl.col(f"{c}.valid").not_().fill_null(False) for c in present}
    any_valid = pl.any_horizontal(valid.values())
    reasons = pl.col(REASONS)
    updated = result.with_columns(
        *(
            pl.when(valid[c])
            .then(pl.col(f"{c}.clean"))
            .when(invalid[c])
            .then(pl.col(c + _SHEET))
            .otherwise(pl.col(c))
            .alias(c)
            for c in present
        ),
        pl.when(~any_valid)
        .then(reasons)
        .when(reasons.is_null() | (reasons == ""))
        .then(pl.lit(EDITED_REASON))
        .when(reasons.str.split(REASON_SEPARATOR).list.contains(EDITED_REASON))
        .then(reasons)
        .otherwise(reasons + pl.lit(REASON_SEPARATOR + EDITED_REASON))
        .alias(REASONS),
        pl.any_horizontal(invalid.values()).alias(_HELD),
    )
    edits = tuple(
        Edit(str(row[KEY_COLUMNS[0]]), str(row[KEY_COLUMNS[1]]), c, bool(row[f"{c}.valid"]))
        for row in updated.filter(
            pl.any_horizontal(pl.col(f"{c}.valid").is_not_null() for c in present)
        ).iter_rows(named=True)
        for c in present
        if row[f"{c}.valid"] is not None
    )
    held = updated.filter(pl.col(_HELD)).select(KEY_COLUMNS)
    return EditResult(updated.select(review.columns), held, edits)


def _revalidate(
    rows: pl.DataFrame,
    present: Sequence[str],
    columns: Mapping[str, str],
    changed: Mapping[str, pl.Expr],
) -> pl.DataFrame:
    """Per edited row: for each edited column, `<column>.clean` (the normalised
    value) and `<column>.valid` (null where the column was not edited)."""
    field_of = {c: EDITABLE[columns[c]] for c in present}
    country = next((c for c in _COUNTRY if c in rows.columns), None)
    typed = {field_of[c]: pl.when(changed[c]).then(pl.col(c + _SHEET)) for c in present}
    raw_fields = rows.select(
        _EDITED,
        *KEY_COLUMNS,  # some stages work per input file
        *(
            (typed[f] if f in typed else _country(country) if f == "country" else _null()).alias(
                raw(f)
            )
            for f in FIELDS
        ),
        *(changed[c].alias(c + _EDITED) for c in present),
    )
    clean = normalize(raw_fields.lazy()).collect()
    checks = []
    for c in present:
        field = field_of[c]
        value = pl.col(CLEAN_COLUMNS[field][0])
        invalid_flag = flag(f"{field}.invalid")
        invalid = pl.col(invalid_flag) if invalid_flag in clean.columns else pl.lit(False)
        typed_blank = pl.col(raw(field)).is_null()
        ok = typed_blank | (value.is_not_null() & ~invalid.fill_null(False))
        checks += [
            pl.when(typed_blank).then(None).otherwise(value).alias(f"{c}.clean"),
            pl.when(pl.col(c + _EDITED)).then(ok).alias(f"{c}.valid"),
        ]
    return clean.select(_EDITED, *checks)


def _country(column: str | None) -> pl.Expr:
    return pl.col(column).cast(pl.String) if column else _null()


def _null() -> pl.Expr:
    return pl.lit(None, dtype=pl.String)
