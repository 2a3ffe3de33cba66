"""The curated word lists behind the email findings, loaded once from package data.

Each list lives in ``leadtriage/data/email_*.txt`` with a header saying where it
comes from; this module only reads them (casefolded) and, for disposable domains,
merges the disposable-email-domains package list with local additions.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import disposable_email_domains

from leadtriage.normalize.text import blank_placeholders, data_lines, data_pairs


def _casefolded(filename: str) -> frozenset[str]:
    return frozenset(line.casefold() for line in data_lines(filename))


@cache
def missing_values() -> frozenset[str]:
    """Placeholders that mean no email was given (``n/a``, ``-``, ``none`` ...), and
    Excel's ``#N/A`` (a lookup that found none; a broken formula's other errors are an
    address that failed, ``email.invalid``)."""
    return frozenset(blank_placeholders("email_missing_values.txt"))


@cache
def role_locals() -> frozenset[str]:
    return _casefolded("email_role_locals.txt")


@cache
def free_domains() -> frozenset[str]:
    return _casefolded("email_free_domains.txt")


@cache
def plus_tag_domains() -> frozenset[str]:
    """Providers that deliver ``local+tag@`` to ``local@`` (Gmail excepted, handled apart)."""
    return _casefolded("email_plus_tag_domains.txt")


@cache
def typo_domains() -> dict[str, str]:
    """Misspelt consumer domain -> the domain meant."""
    pairs = data_pairs("email_typo_domains.txt")
    return {typo.casefold(): meant.casefold() for typo, meant in pairs}


@cache
def typo_targets() -> tuple[str, ...]:
    """Consumer domains that fuzzy matching may suggest, in file order (ties go first)."""
    return tuple(line.casefold() for line in data_lines("email_typo_targets.txt"))


@cache
def fake_domains() -> frozenset[str]:
    return _casefolded("email_fake_domains.txt")


@cache
def fake_domain_labels() -> frozenset[str]:
    """Names that make a domain a placeholder under any public suffix (example.de)."""
    return _casefolded("email_fake_domain_labels.txt")


@cache
def fake_locals() -> frozenset[str]:
    return _casefolded("email_fake_locals.txt")


@cache
def fake_addresses() -> frozenset[str]:
    return _casefolded("email_fake_addresses.txt")


@cache
def _packaged_disposable_domains() -> frozenset[str]:
    listed = {domain.casefold() for domain in disposable_email_domains.blocklist}
    listed |= _casefolded("email_disposable_extra.txt")
    allowed = {domain.casefold() for domain in disposable_email_domains.allowlist}
    return frozenset(listed - allowed)


def disposable_domains(extra: Iterable[str] = ()) -> frozenset[str]:
    """The disposable-email-domains package list, plus ``data/email_disposable_extra.txt``,
    plus ``extra`` (for lists refreshed at run time)."""
    packaged = _packaged_disposable_domains()
    additions = {domain.strip().casefold() for domain in extra if domain.strip()}
    return packaged | additions if additions else packaged
