"""Every clean column the pipeline writes: its name, dtype, the stage that makes it,
the input fields it is made from, whether rules may read it, and where it is written.

The one owner of these names. Every other list of clean columns (what rules may
test, what each output carries, what dedupe and the ledger read, what survivorship
counts, what a CRM profile may export) derives from ``COLUMNS``; code names a column
through ``Col``, never through a string literal (tests/test_schema.py walks src/ to
hold that), so a renamed or forgotten column fails at import, not silently in a run.

The canonical input fields live here too (``Field``): several share a spelling with
the clean column made from them (``email``), so code says which of the two it means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

import polars as pl


class Field(StrEnum):
    """Canonical input fields (the mapped input columns, held raw as ``raw.<field>``),
    in the order clean outputs list their columns."""

    EMAIL = "email"
    PHONE = "phone"
    MOBILE = "mobile"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"
    COMPANY = "company"
    JOB_TITLE = "job_title"
    WEBSITE = "website"
    COUNTRY = "country"
    STATE = "state"
    CITY = "city"
    POSTCODE = "postcode"
    ADDRESS = "address"
    CONSENT = "consent"
    SOURCE = "source"
    CREATED_AT = "created_at"
    RECORD_ID = "record_id"


class Col(StrEnum):
    """Names of the clean columns (a ``StrEnum``: usable wherever Polars takes a name)."""

    EMAIL = "email"
    EMAIL_DOMAIN = "email_domain"
    EMAIL_KEY = "email_key"
    EMAIL_SUGGESTION = "email_suggestion"
    PHONE_E164 = "phone_e164"
    PHONE_TYPE = "phone_type"
    PHONE_EXTENSION = "phone_extension"
    PHONE_REGION_SOURCE = "phone_region_source"
    MOBILE_E164 = "mobile_e164"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"
    FIRST_NAME_KEY = "first_name_key"
    LAST_NAME_KEY = "last_name_key"
    COMPANY = "company"
    COMPANY_KEY = "company_key"
    COMPANY_DOMAIN = "company_domain"
    JOB_TITLE = "job_title"
    SENIORITY = "seniority"
    WEBSITE = "website"
    COUNTRY_CODE = "country_code"
    STATE = "state"
    CITY = "city"
    POSTCODE = "postcode"
    ADDRESS = "address"
    CONSENT = "consent"
    SOURCE = "source"
    CREATED_AT = "created_at"
    SCORE = "score"
    CRM_RECORD_ID = "crm_record_id"
    PERSON_ID = "person_id"
    FIRST_SEEN = "first_seen"
    DUPLICATE_COUNT = "duplicate_count"
    SOURCES = "sources"
    MATCH_EVIDENCE = "match_evidence"
    CRM_MATCH_EVIDENCE = "crm_match_evidence"
    POSSIBLE_PARTNER = "possible_partner"
    PAIR_ID = "pair_id"
    CRM_CANDIDATES = "crm_candidates"


class Stage(StrEnum):
    """The stage that adds a column (the order of stages lives in pipeline.py)."""

    NORMALIZE = "normalize"
    DEDUPE = "dedupe"
    CRM = "crm"
    LEDGER = "ledger"
    RULES = "rules"


class Role(StrEnum):
    """Where a column is written (the order of the members is the order in an output)."""

    CLEAN = "clean"  # the clean value of an input field: written where a source was mapped
    KEY = "key"  # a match key or working value: internal to matching and rules, never written
    RESULT = "result"  # a later stage's finding: written whenever the stage ran
    EVIDENCE = "evidence"  # why rows were matched: a result every CRM profile keeps too
    PAIR = "pair"  # with whom a row may match: written only where a person decides
    HINT = "hint"  # a suggestion for a person: written only where a person decides


@dataclass(frozen=True)
class Column:
    name: Col
    stage: Stage
    role: Role
    # The canonical input fields the column is made from (several: `full_name` feeds
    # first_name and last_name); empty for a later stage's finding.
    sources: tuple[Field, ...] = ()
    dtype: pl.DataType = field(default_factory=pl.String)
    # Rules may test it (`rules show` lists these).
    rules: bool = True
    # Survivorship counts it when ranking a cluster's rows by completeness.
    contact_data: bool = False


def _clean(
    name: Col, *sources: Field, rules: bool = True, stage: Stage = Stage.NORMALIZE
) -> Column:
    return Column(name, stage, Role.CLEAN, sources, rules=rules)


def _contact(name: Col, *sources: Field) -> Column:
    return Column(name, Stage.NORMALIZE, Role.CLEAN, sources, contact_data=True)


def _key(name: Col, *sources: Field, rules: bool = True) -> Column:
    return Column(name, Stage.NORMALIZE, Role.KEY, sources, rules=rules)


def _result(
    name: Col, stage: Stage, role: Role = Role.RESULT, dtype: pl.DataType | None = None
) -> Column:
    return Column(name, stage, role, dtype=dtype or pl.String(), rules=stage == Stage.RULES)


# In output order: an output lists the clean columns of its mapped fields in this order
# (field by field, in the order of frame.FIELDS), then results, pairs and hints.
COLUMNS: Final[tuple[Column, ...]] = (
    _contact(Col.EMAIL, Field.EMAIL),
    _key(Col.EMAIL_DOMAIN, Field.EMAIL),
    _key(Col.EMAIL_KEY, Field.EMAIL),
    Column(Col.EMAIL_SUGGESTION, Stage.NORMALIZE, Role.HINT, (Field.EMAIL,), rules=False),
    _contact(Col.PHONE_E164, Field.PHONE),
    _clean(Col.PHONE_TYPE, Field.PHONE),
    _clean(Col.PHONE_EXTENSION, Field.PHONE, rules=False),
    # Which step chose the region a phone was read with (phone.region_guessed points here).
    Column(Col.PHONE_REGION_SOURCE, Stage.NORMALIZE, Role.HINT, (Field.PHONE,), rules=False),
    _clean(Col.MOBILE_E164, Field.MOBILE, rules=False),
    _contact(Col.FIRST_NAME, Field.FIRST_NAME, Field.FULL_NAME),
    _contact(Col.LAST_NAME, Field.LAST_NAME, Field.FULL_NAME),
    _key(Col.FULL_NAME, Field.FULL_NAME, Field.FIRST_NAME, Field.LAST_NAME),
    _key(Col.FIRST_NAME_KEY, Field.FIRST_NAME, Field.FULL_NAME, rules=False),
    _key(Col.LAST_NAME_KEY, Field.LAST_NAME, Field.FULL_NAME, rules=False),
    _contact(Col.COMPANY, Field.COMPANY),
    _key(Col.COMPANY_KEY, Field.COMPANY),
    _key(Col.COMPANY_DOMAIN, Field.EMAIL, Field.WEBSITE),
    _contact(Col.JOB_TITLE, Field.JOB_TITLE),
    _clean(Col.SENIORITY, Field.JOB_TITLE, stage=Stage.RULES),
    _contact(Col.WEBSITE, Field.WEBSITE),
    _contact(Col.COUNTRY_CODE, Field.COUNTRY),
    _contact(Col.STATE, Field.STATE),
    _contact(Col.CITY, Field.CITY),
    _contact(Col.POSTCODE, Field.POSTCODE),
    _contact(Col.ADDRESS, Field.ADDRESS),
    _clean(Col.CONSENT, Field.CONSENT),
    _clean(Col.SOURCE, Field.SOURCE),
    _clean(Col.CREATED_AT, Field.CREATED_AT),
    _result(Col.SCORE, Stage.RULES, dtype=pl.Int64()),
    _result(Col.CRM_RECORD_ID, Stage.CRM),
    _result(Col.PERSON_ID, Stage.LEDGER),
    _result(Col.FIRST_SEEN, Stage.LEDGER),
    _result(Col.DUPLICATE_COUNT, Stage.DEDUPE, dtype=pl.Int64()),
    _result(Col.SOURCES, Stage.DEDUPE),
    _result(Col.MATCH_EVIDENCE, Stage.DEDUPE, Role.EVIDENCE),
    _result(Col.CRM_MATCH_EVIDENCE, Stage.CRM, Role.EVIDENCE),
    _result(Col.POSSIBLE_PARTNER, Stage.DEDUPE, Role.PAIR),
    _result(Col.PAIR_ID, Stage.DEDUPE, Role.PAIR),
    _result(Col.CRM_CANDIDATES, Stage.CRM, Role.PAIR),
)

BY_NAME: Final[dict[str, Column]] = {c.name.value: c for c in COLUMNS}


def names(columns: Iterable[Column]) -> tuple[Col, ...]:
    return tuple(c.name for c in columns)


def with_role(*roles: Role) -> tuple[Col, ...]:
    """The columns of `roles`, roles in the order given (output order)."""
    return tuple(c.name for role in roles for c in COLUMNS if c.role is role)


def made_by(stage: Stage) -> tuple[Col, ...]:
    return tuple(c.name for c in COLUMNS if c.stage is stage)


def written_from(source_field: Field) -> tuple[Col, ...]:
    """The clean columns an output writes when `source_field` is mapped, in output order."""
    return tuple(c.name for c in COLUMNS if c.role is Role.CLEAN and source_field in c.sources)


# What rules may test, in the order `rules show` lists them.
RULE_COLUMNS: Final[tuple[Col, ...]] = names(c for c in COLUMNS if c.rules)
# What survivorship counts to rank a cluster's rows: the contact data a CRM keeps.
CONTACT_COLUMNS: Final[tuple[Col, ...]] = names(c for c in COLUMNS if c.contact_data)
