"""Frames as the normalisation and dedupe stages would hand them to the ledger.

The keys are made here by hand, the way the email/name/company stages make them
(lowercase; gmail dots and +tags dropped from the email key), so the ledger tests do
not depend on those stages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from leadtriage.frame import flag, raw
from leadtriage.ledger import InputFile, Ledger, RunInfo, RunRecord, bytes_sha256
from leadtriage.rules.suppress import Suppression, suppressed_expr

FREE_DOMAINS = frozenset({"gmail.com", "outlook.com", "yahoo.com", "hotmail.com"})


@dataclass(frozen=True)
class Contact:
    email: str | None = None
    first: str | None = None
    last: str | None = None
    company: str | None = None
    phone: str | None = None
    source: str | None = None
    cluster_id: str | None = None
    # The row's consent as the consent stage leaves it (yes / no / unknown).
    consent: str | None = None


def email_key(email: str | None) -> str | None:
    if email is None:
        return None
    local, _, domain = email.strip().lower().partition("@")
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.split("+")[0].replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


_TEXT_COLUMNS = (
    "source_file", "email", "email_key", "email_domain", "phone_e164", "first_name", "last_name",
    "first_name_key", "last_name_key", "company", "company_key", "source", "cluster_id",
    "consent", raw("first_name"), raw("last_name"),
)  # fmt: skip


def _lower(value: str | None) -> str | None:
    return None if value is None else value.strip().lower()


def _name_key(value: str | None) -> str | None:
    """As the name stage keys a name: lowercase, its words run together."""
    return None if value is None else "".join(c for c in value.lower() if c.isalpha())


def night_frame(contacts: list[Contact], *, source_file: str = "night.csv") -> pl.LazyFrame:
    domains = [
        None if c.email is None else c.email.strip().lower().partition("@")[2] for c in contacts
    ]
    # Only nights that say something about consent carry the column, as a run's frame
    # carries it only where the consent stage ran.
    consent = (
        {"consent": [c.consent for c in contacts]}
        if any(c.consent is not None for c in contacts)
        else {}
    )
    return pl.LazyFrame(
        {
            "source_file": [source_file] * len(contacts),
            "source_row": list(range(1, len(contacts) + 1)),
            "email": [c.email for c in contacts],
            "email_key": [email_key(c.email) for c in contacts],
            "email_domain": domains,
            flag("email.free"): [d in FREE_DOMAINS for d in domains],
            "phone_e164": [c.phone for c in contacts],
            "first_name": [c.first for c in contacts],
            "last_name": [c.last for c in contacts],
            "first_name_key": [_name_key(c.first) for c in contacts],
            "last_name_key": [_name_key(c.last) for c in contacts],
            # The names as typed (the name stage re-cases the clean ones; here they are
            # the same).
            raw("first_name"): [c.first for c in contacts],
            raw("last_name"): [c.last for c in contacts],
            "company": [c.company for c in contacts],
            "company_key": [_lower(c.company) for c in contacts],
            "source": [c.source for c in contacts],
            "cluster_id": [c.cluster_id for c in contacts],
            **consent,
        },
        # Every column text, as the reader makes them, even when all its cells are empty.
        schema_overrides={
            **{name: pl.String for name in _TEXT_COLUMNS},
            "source_row": pl.Int64,
        },
    )


def run_info(name: str, content: bytes, *, day: int = 1) -> RunInfo:
    return RunInfo(
        inputs=(InputFile(name=name, sha256=bytes_sha256(content)),),
        rules_hash="default-rules",
        started_at=datetime(2026, 11, day, 2, 0, tzinfo=UTC),
    )


def route_all(identified: pl.LazyFrame) -> pl.DataFrame:
    """The routing stand-in: suppressed rows rejected, the rest accepted. A frame the
    suppression stage did not see has no suppressed rows."""
    if flag("suppressed") not in identified.collect_schema():
        identified = identified.with_columns(pl.lit(False).alias(flag("suppressed")))
    return identified.with_columns(
        pl.when(pl.col(flag("suppressed")))
        .then(pl.lit("rejected"))
        .otherwise(pl.lit("accepted"))
        .alias("decision")
    ).collect()


def suppress_erased(ledger: Ledger, identified: pl.LazyFrame) -> pl.LazyFrame:
    """The suppression stage with the ledger's erasures as its only source."""
    erased = Suppression().with_hashes(ledger.erased_hashes())
    flagged = suppressed_expr(identified.collect_schema(), erased)
    return identified.with_columns(flagged.alias(flag("suppressed")))


def run_night(
    ledger: Ledger, contacts: list[Contact], run: RunInfo
) -> tuple[pl.DataFrame, RunRecord | None]:
    identified = ledger.identify(night_frame(contacts), run=run)
    routed = route_all(suppress_erased(ledger, identified))
    return routed, ledger.commit(routed, run=run)
