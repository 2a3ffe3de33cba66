"""CRM import profiles: the headers and values each CRM's import maps by itself.

``generic`` keeps the tool's own column names and passes unknown columns through.
``hubspot`` and ``salesforce`` write exactly their CRM's import headers, then the
tool's own ``consent`` (read back, it gives the same consent), then the input columns
no field maps and those of fields the CRM has no column for, in input order (the
import wizards let a person skip a column; `[output] unmapped = "drop"` leaves them
out of accepted), the match columns, then the traceability columns; review and
rejected also keep the mapped input columns as they arrived. Traceability never goes
into a CRM field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Final

import polars as pl
import pycountry

from leadtriage.columns import ColumnMapping, free_name
from leadtriage.data_files import data_pairs
from leadtriage.frame import TRACEABILITY
from leadtriage.io.layout import (
    MATCH_COLUMNS,
    PAIR_COLUMNS,
    PROFILE_OWN_COLUMNS,
    SUGGESTION_COLUMNS,
    Unmapped,
    output_columns,
    unmapped_columns,
)
from leadtriage.schema import BY_NAME, Col, Field, Role, with_role
from leadtriage.triage import Decision

PROFILE_COLUMNS_FILE: Final = "crm_profile_columns.txt"


class Profile(StrEnum):
    GENERIC = "generic"
    HUBSPOT = "hubspot"
    SALESFORCE = "salesforce"


def _text(name: str) -> pl.Expr:
    """A clean column, or null when the run did not make it (field not in the input)."""
    return pl.col(name).cast(pl.String)


@cache
def _country_names() -> dict[str, str]:
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    # Kosovo has no ISO code; XK is the one the country stage gives (as the EU does).
    return {**names, "XK": "Kosovo"}


def country_name(code: pl.Expr) -> pl.Expr:
    """The name a CRM import takes for an ISO country code (null for none)."""
    return code.cast(pl.String).replace_strict(_country_names(), default=None)


def _country_name() -> pl.Expr:
    return country_name(pl.col(Col.COUNTRY_CODE))


# HubSpot's "Legal basis for processing contact's data" takes fixed labels; only a
# given consent is claimed, never guessed.
HUBSPOT_CONSENT_BASIS: Final = "Freely given consent from contact"


# Salesforce Lead field lengths; an import fails on longer values.
SALESFORCE_LIMITS: Final[dict[str, tuple[str, int]]] = {
    "FirstName": (Col.FIRST_NAME, 40),
    "LastName": (Col.LAST_NAME, 80),
    "Email": (Col.EMAIL, 80),
    "Company": (Col.COMPANY, 255),
}
SALESFORCE_REQUIRED: Final[dict[str, str]] = {"LastName": Col.LAST_NAME, "Company": Col.COMPANY}


# Values no clean column holds as the CRM wants them; the column files name them "=...".
_COMPUTED: Final[dict[str, Callable[[], pl.Expr]]] = {
    "country_name": _country_name,
    # New contacts start as New; an update leaves the CRM's status alone.
    "hubspot_lead_status": lambda: (
        pl.when(_text(Col.CRM_RECORD_ID).is_null()).then(pl.lit("New")).otherwise(None)
    ),
    "hubspot_legal_basis": lambda: (
        pl.when(_text(Col.CONSENT) == "yes").then(pl.lit(HUBSPOT_CONSENT_BASIS)).otherwise(None)
    ),
    # false on an update would untick an opt-out the CRM holds and the run never saw:
    # an unknown consent leaves an update's cell blank, which imports leave alone (an
    # insert defaults to false all the same).
    "salesforce_opted_out": lambda: (
        pl.when(_text(Col.CONSENT) == "no")
        .then(pl.lit("true"))
        .when((_text(Col.CONSENT) == "yes") | _text(Col.CRM_RECORD_ID).is_null())
        .then(pl.lit("false"))
        .otherwise(None)
    ),
}


def _crm_columns(profile: Profile) -> dict[str, pl.Expr]:
    """The profile's CRM header -> value, in order (data/crm_profile_columns.txt)."""
    columns: dict[str, pl.Expr] = {}
    for name, spec in data_pairs(PROFILE_COLUMNS_FILE):
        header, _, source = spec.rpartition("|")
        if name == profile.value:
            computed = source.removeprefix("=")
            columns[header] = _COMPUTED[computed]() if computed != source else _text(source)
    return columns


def crm_headers(profile: Profile) -> list[str]:
    """The CRM columns of a profile, in order (empty for generic)."""
    return [] if profile is Profile.GENERIC else list(_crm_columns(profile))


def crm_copies(profile: Profile) -> dict[str, str]:
    """CRM column -> the clean column it carries unchanged (Email -> email), for the
    columns that are plain copies (not Country names, Lead Status, consent flags)."""
    if profile is Profile.GENERIC:
        return {}
    return {
        header: clean
        for header, expr in _crm_columns(profile).items()
        for clean in _CLEAN_SOURCES
        if expr.meta.eq(_text(clean))
    }


def country_header(profile: Profile) -> str | None:
    """The CRM column holding the country (as a name), None for generic."""
    if profile is Profile.GENERIC:
        return None
    return next((h for h, e in _crm_columns(profile).items() if e.meta.eq(_country_name())), None)


def derived_headers(profile: Profile) -> list[str]:
    """The CRM columns `derived_columns` works out (none for generic)."""
    if profile is Profile.GENERIC:
        return []
    copies = crm_copies(profile)
    return [h for h in _crm_columns(profile) if h not in copies and h != country_header(profile)]


def derived_columns(profile: Profile, table: pl.DataFrame) -> pl.DataFrame:
    """The computed CRM columns of `table` (a profile's output: Lead Status, the legal
    basis, HasOptedOutOfEmail) worked out again from its own columns, for rows whose
    consent or record id changed after the run. The country name is not among them:
    the code it comes from is not in the layout."""
    clean = table.select(
        *(pl.col(h).alias(c) for h, c in crm_copies(profile).items() if h in table.columns),
        *(c for c in PROFILE_OWN_COLUMNS if c in table.columns),
    )
    derived = [h for h in derived_headers(profile) if h in table.columns]
    return clean.select(
        expr.alias(header)
        for header, expr in _crm_columns(profile).items()
        if header in derived and all(name in clean.columns for name in expr.meta.root_names())
    )


@cache
def placed_fields(profile: Profile) -> frozenset[Field]:
    """The input fields whose clean values the profile's CRM columns (or its own
    columns) carry."""
    sources = [name for expr in _crm_columns(profile).values() for name in expr.meta.root_names()]
    sources.extend(PROFILE_OWN_COLUMNS)
    return frozenset(f for name in sources if name in BY_NAME for f in BY_NAME[name].sources)


def unplaced_fields(profile: Profile, mapping: ColumnMapping) -> list[str]:
    """The mapped fields of `mapping` that a CRM profile has no column for."""
    if profile is Profile.GENERIC:
        return []
    placed = placed_fields(profile)
    return [f for f in mapping.fields if f not in placed]


def exact_tables(profile: Profile) -> frozenset[str]:
    """Outputs written with exact values even as CSV: the file a CRM imports (its
    importer never evaluates formulas; an apostrophe would land in the record)."""
    return frozenset() if profile is Profile.GENERIC else frozenset({Decision.ACCEPTED.value})


def unmapped_setting(output: Mapping[str, object]) -> Unmapped:
    """`[output] unmapped` of a rules file (validated when the file is loaded)."""
    return Unmapped(str(output.get("unmapped", Unmapped.KEEP.value)))


@dataclass(frozen=True)
class OutputLayout:
    profile: Profile
    mapping: ColumnMapping
    data_columns: tuple[str, ...]
    unmapped: Unmapped = Unmapped.KEEP
    # Mapped columns holding values their field did not take: passed on like unmapped.
    untaken: frozenset[str] = frozenset()
    # Clean columns of unmapped fields holding values from elsewhere (output_columns).
    carried: frozenset[str] = frozenset()

    def select(self, routed: pl.DataFrame, *, with_inputs: bool) -> pl.DataFrame:
        """The columns of one output file, in order."""
        if self.profile is Profile.GENERIC:
            generic = output_columns(
                routed.columns,
                self.mapping,
                self.data_columns,
                with_inputs=with_inputs,
                unmapped=self.unmapped,
                untaken=self.untaken,
                carried=self.carried,
            )
            return routed.select(generic)
        columns = _crm_columns(self.profile)
        crm = [expr.alias(name) for name, expr in columns.items()]
        present = set(routed.columns)
        mapped_inputs = (
            [
                *SUGGESTION_COLUMNS,
                *(h for f in self.mapping.fields for h in self.mapping.headers_of(f)),
            ]
            if with_inputs
            else []
        )
        # A mapped field the CRM has no column for (HubSpot's lead source, anyone's
        # sign-up date) is passed on as it came, like an unmapped column: never lost.
        unplaced = {
            h
            for f in unplaced_fields(self.profile, self.mapping)
            for h in self.mapping.headers_of(f)
        }
        passed_on = {*unmapped_columns(self.mapping, self.data_columns), *unplaced, *self.untaken}
        unmapped = (
            [c for c in self.data_columns if c in passed_on]
            if with_inputs or self.unmapped is Unmapped.KEEP
            else []
        )
        inputs = [c for c in dict.fromkeys([*mapped_inputs, *unmapped]) if c in present]
        # An input header spelled like a CRM column ("Email") keeps its value beside
        # the clean one under another name.
        taken = [*columns, *PROFILE_OWN_COLUMNS]
        as_input = [pl.col(c).alias(free_name(c, taken) if c in taken else c) for c in inputs]
        matches = [
            c for c in MATCH_COLUMNS if c in present and (with_inputs or c not in PAIR_COLUMNS)
        ]
        trace = [c for c in TRACEABILITY if c in present]
        return routed.with_columns(_missing_as_null(routed, _CLEAN_SOURCES)).select(
            *crm, *PROFILE_OWN_COLUMNS, *as_input, *matches, *trace
        )


# Columns a profile may export (the data file's sources are checked against these in a
# test); absent when the input lacked the field or the stage did not run.
_CLEAN_SOURCES: Final[tuple[str, ...]] = with_role(Role.CLEAN, Role.RESULT)


def _missing_as_null(df: pl.DataFrame, names: Sequence[str]) -> list[pl.Expr]:
    return [pl.lit(None, dtype=pl.String).alias(n) for n in names if n not in df.columns]
