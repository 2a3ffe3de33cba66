"""The values an ``in`` or ``equals`` test compares a field with, in the field's own form.

Some clean columns hold a value of a fixed form: ``country_code`` an ISO 3166-1
alpha-2 code, ``seniority`` and ``consent`` one of a few words, ``email_domain`` and
``company_domain`` a registrable domain (``acme.com``, never ``mail.acme.com``),
``website`` a host without scheme, ``www.`` or path. A person writes "Germany", "UK",
"C-Level", "@rival.de" or "https://www.globex.com/"; compared as written, such a
value never meets a cell, and the rule silently never fires. So each value is read into the column's
form when the rules load, by the code that fills the column (the country lookup of
the normalise stage, for one), and a value that cannot be read is a rules problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

import polars as pl

from leadtriage.frame import raw
from leadtriage.normalize.consent import NO, UNKNOWN, YES
from leadtriage.normalize.country import normalize_country
from leadtriage.normalize.domains import registrable_domain
from leadtriage.normalize.website import host_name
from leadtriage.rules.fields import SENIORITY_LEVELS, column_of
from leadtriage.rules.lists import Written, normalise_values
from leadtriage.rules.problems import Problems
from leadtriage.schema import Col, Field

CONSENT_VALUES: Final = (YES, NO, UNKNOWN)

Reader = Callable[[list[str]], list[str | None]]


def _country_codes(texts: list[str]) -> list[str | None]:
    """Each text read as the country column reads a cell (names in many languages,
    aliases, ISO and sport codes): its alpha-2 code, or None."""
    column = raw(Field.COUNTRY)
    given = pl.LazyFrame({column: texts}, schema={column: pl.String})
    codes = normalize_country(given).select(Col.COUNTRY_CODE).collect().to_series()
    return list(codes.to_list())


def hosts(texts: list[str]) -> list[str | None]:
    """Each text read as the website column reads a cell (scheme, "www.", port and
    path dropped, lowercased), after a leading "@": its host, or None."""
    values = pl.Series("value", [text.strip().removeprefix("@") for text in texts], pl.String)
    return list(values.to_frame().select(host_name(pl.col("value"))).to_series().to_list())


def _registrable_domains(texts: list[str]) -> list[str | None]:
    """Each text's host, then its registrable domain as the email and website stages
    take it (the host itself when the Public Suffix List has none)."""
    values = pl.Series("host", hosts(texts), pl.String)
    host = pl.col("host")
    read = values.to_frame().select(pl.coalesce(registrable_domain(host), host))
    return list(read.to_series().to_list())


def _seniority_levels(texts: list[str]) -> list[str | None]:
    """ "C-Level" and "c level" are how people write ``c_level``; nothing else is read."""
    slugs = (re.sub(r"[\s-]+", "_", text.strip().casefold()) for text in texts)
    return [slug if slug in SENIORITY_LEVELS else None for slug in slugs]


def _consent_values(texts: list[str]) -> list[str | None]:
    answers = (text.strip().casefold() for text in texts)
    return [answer if answer in CONSENT_VALUES else None for answer in answers]


NO_DOMAIN: Final = "no domain: write it like acme.com"

# Host columns: what each holds, for a message. The registrable ones never hold a
# subdomain (mail.acme.com is acme.com).
_HOST_COLUMNS: Final[dict[str, str]] = {
    Col.EMAIL_DOMAIN: "registrable domains like acme.com",
    Col.COMPANY_DOMAIN: "registrable domains like acme.com",
    Col.WEBSITE: "host names like shop.acme.com",
}
# No host name holds one of these: "@acme.com", "https://acme.com/", "acme.com:443".
_NOT_IN_A_HOST: Final = re.compile(r"[@/:\s]")


def never_in_domain(column: str, operator: str, text: str) -> str | None:
    """Why a ``contains`` / ``starts_with`` / ``ends_with`` `text` never meets a cell of
    the host `column` (what the column holds, then why), or None when it can.

    ``in`` and ``equals`` read "@Acme.com." into acme.com; a text test cannot (a part
    of a domain is no domain), so a spelling no cell can hold is refused rather than
    left to never fire."""
    holds = _HOST_COLUMNS.get(column)
    needle = text.strip().casefold()
    if holds is None or not needle:
        return None
    never = f"{holds}, so {text.strip()!r} never matches"
    if _NOT_IN_A_HOST.search(needle):
        return f"{never}: leave out '@', 'https://', '/' and spaces"
    if operator == "ends_with" and needle.endswith("."):
        return f"{never}: leave out the final '.'"
    if column == Col.WEBSITE and operator == "starts_with" and needle.startswith("www."):
        return f"{never}: the website column drops 'www.'"
    if column != Col.WEBSITE and operator == "ends_with" and needle.startswith("."):
        suffix = needle.lstrip(".")
        if _is_registrable(suffix):
            return f"{never}: use in = [{suffix!r}], which takes its subdomains too"
    return None


def _is_registrable(host: str) -> bool:
    """Whether `host` is a registrable domain itself (acme.com), not a public suffix
    (ac.uk, com) under which others register."""
    values = pl.Series("host", [host], pl.String).to_frame()
    return bool(values.select(registrable_domain(pl.col("host"))).item() == host)


# Column -> how to read a value into its form, and what a value it cannot read is not.
READERS: Final[dict[str, tuple[Reader, str]]] = {
    Col.EMAIL_DOMAIN: (_registrable_domains, NO_DOMAIN),
    Col.COMPANY_DOMAIN: (_registrable_domains, NO_DOMAIN),
    Col.WEBSITE: (hosts, NO_DOMAIN),
    Col.COUNTRY_CODE: (
        _country_codes,
        "no country: write its name or its ISO code (DE, GB, US...)",
    ),
    Col.SENIORITY: (
        _seniority_levels,
        f"no seniority level (expected one of: {', '.join(SENIORITY_LEVELS)})",
    ),
    Col.CONSENT: (
        _consent_values,
        f"no consent value (expected one of: {', '.join(CONSENT_VALUES)})",
    ),
}


def field_values(
    problems: Problems, field: str, written: Sequence[Written]
) -> tuple[str, ...] | None:
    """The values a test of `field` compares with, normalised as the column is compared
    (blanks left out); None after a problem with any of them."""
    kept = [value for value in written if value.text.strip()]
    texts = [value.text for value in kept]
    reader = READERS.get(column_of(field))
    if reader is None:
        return normalise_values(texts)
    read, unreadable = reader
    found = read_values(
        problems, kept, read, unreadable, f"; a rule compares {field} with this list"
    )
    return None if found is None else normalise_values(found)


def read_values(
    problems: Problems, written: Sequence[Written], read: Reader, unreadable: str, listed: str = ""
) -> list[str] | None:
    """`written` read by `read`; None after a problem (`unreadable`, with `listed`
    after it for a value of ``[lists]``) for each value it cannot read."""
    found = read([value.text for value in written])
    for value, result in zip(written, found, strict=True):
        if result is None:
            _report(problems, value, unreadable, listed if value.listed else "")
    if any(result is None for result in found):
        return None
    return [result for result in found if result is not None]


def _report(problems: Problems, value: Written, unreadable: str, listed: str) -> None:
    # A list file may hold what no message should carry (an address pasted into the
    # wrong list): its values are named by their line.
    text = (
        f"'{value.file}' line {value.line}: {unreadable}"
        if value.file is not None
        else f"'{value.text.strip()}' is {unreadable}"
    )
    # `listed` is worded without the rule, so two rules using one list give one problem.
    problems.add(value.at, text + listed)
