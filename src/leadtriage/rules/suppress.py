"""Suppression, in one place: every do-not-contact source, one matcher, one hash.

Sources: ``[suppress]`` (read when the rules load), the rows of Mailchimp
unsubscribed / cleaned exports given as inputs, and the ledger's erasures (hashes).
`suppressed_expr` is the one stage that turns them into ``flag.suppressed``; the
``suppressed`` rule (`SUPPRESSION_RULE`) rejects those rows before any other rule. The table::

    [suppress]
    emails = ["ceo@rival.example"]                 # addresses, inline
    email_files = ["dnc/emails.txt"]               # one address a line, # comments
    domains = ["rival.example"]                    # a domain and its subdomains
    domain_files = ["dnc/domains.txt"]
    sha256 = ["9f86d0..."]                         # hex SHA-256 of the normalised email
    sha256_files = ["dnc/optout_sha256.txt"]
    mailchimp = ["unsubscribed_members.csv", "cleaned_members.csv"]   # "Email Address"

    [[suppress.crm]]                               # a CRM export's opt-out column
    file = "crm_contacts.csv"
    column = "Email Opt Out"
    opted_out = ["true", "yes", "1"]               # values that mean opted out
    email_column = "Email"                         # default: Email / Email Address

An address is compared in two forms, a listed one and a row's alike: trimmed and
lowercased (its *normalised* form), and its match key (``email_key``: Gmail without
dots, sub-addressing providers without the +tag), made by the email stage itself. A
row matches when either form of its address meets either form of a listed one, so
an unsubscribe of ``jane.doe@gmail.com`` also covers ``JaneDoe+news@gmail.com``
whichever source listed it. A hash list holds the SHA-256 of the normalised form,
taken by one vectorised expression (`sha256_expr`). The hash, one line::

    python3 -c 'import hashlib,sys; print(hashlib.sha256(
        sys.argv[1].strip().lower().encode()).hexdigest())' Ann@Example.com

(one line in a shell; ``printf %s ann@example.com | sha256sum`` gives the same.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import polars as pl
from polars_hash import CryptographicHashingNameSpace

from leadtriage.domains import in_domain_list
from leadtriage.errors import LeadtriageError
from leadtriage.frame import META_PREFIX, flag, raw
from leadtriage.io.read import read_table
from leadtriage.normalize.email import normalize_email
from leadtriage.normalize.presence import is_blank
from leadtriage.rules.lists import (
    Written,
    load_file_values,
    load_list_file,
    normalise_values,
    normalised,
    not_a_file,
    parse_value_array,
    resolve,
)
from leadtriage.rules.problems import KeyPath, Problems, did_you_mean
from leadtriage.rules.routing import Action, Rule
from leadtriage.rules.values import NO_DOMAIN, hosts, read_values
from leadtriage.schema import Col, Field

SUPPRESS_KEYS: Final = (
    "emails",
    "email_files",
    "domains",
    "domain_files",
    "sha256",
    "sha256_files",
    "mailchimp",
    "crm",
)
CRM_KEYS: Final = ("file", "column", "opted_out", "email_column")
DEFAULT_OPTED_OUT: Final = ("true", "yes", "y", "1", "x", "opted out", "unsubscribed")
EMAIL_HEADERS: Final = ("email", "email address", "e-mail", "e-mail address")
MAILCHIMP_EMAIL_HEADER: Final = "Email Address"
_SHA256_HEX: Final = re.compile(r"[0-9a-f]{64}")
_HEX_HINT: Final = "(64 characters 0-9, a-f, of the normalised email)"

SUPPRESSED: Final = "suppressed"
# Marks the rows of inputs that list people not to contact (Mailchimp's unsubscribed
# and cleaned members): they are suppressed, and so is every row sharing an address.
SUPPRESSION_SOURCE: Final = META_PREFIX + "suppression_source"
# Always first, even without [suppress] and with `defaults = false`: a do-not-contact
# list wins over every rule, so no rules file can route such a row elsewhere.
SUPPRESSION_RULE: Final = Rule(
    SUPPRESSED, pl.col(flag(SUPPRESSED)).fill_null(False), Action.REJECT, "on a do-not-contact list"
)
_EMAIL_KEY: Final = Col.EMAIL_KEY


@dataclass(frozen=True)
class Suppression:
    """Addresses (both forms, see above), domains and address hashes not to contact."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    sha256: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.emails or self.domains or self.sha256)

    def with_hashes(self, hashes: Iterable[str]) -> Suppression:
        """These suppressions and the address hashes of another source (the ledger)."""
        return replace(self, sha256=self.sha256 | frozenset(hashes))


def normalised_address(expr: pl.Expr) -> pl.Expr:
    """An address as suppression compares and hashes it: trimmed and lowercased, and
    nothing more: the documented hash recipe and the ledger's erasures depend on it."""
    return expr.cast(pl.String).str.strip_chars().str.to_lowercase()


def address_forms(addresses: Iterable[str]) -> frozenset[str]:
    """Both forms of each address (normalised, and its match key from the email stage),
    as a listed address meets the rows."""
    given = pl.LazyFrame({raw(Field.EMAIL): list(addresses)}, schema={raw(Field.EMAIL): pl.String})
    forms = normalize_email(given).select(
        normalised_address(pl.col(raw(Field.EMAIL))).alias("normalised"),
        normalised_address(pl.col(_EMAIL_KEY)).alias("key"),
    )
    found = forms.collect()
    return frozenset(v for column in found.iter_columns() for v in column.to_list() if v)


def address_hashes(addresses: Iterable[str]) -> frozenset[str]:
    """The SHA-256 of both forms of each address: what the ledger keeps of a person."""
    forms = pl.Series("form", sorted(address_forms(addresses)), dtype=pl.String)
    return frozenset(sha256_hex(forms).to_list())


def sha256_hex(values: pl.Series) -> pl.Series:
    """Hex SHA-256 of each value's UTF-8 bytes (null stays null)."""
    return values.cast(pl.String).to_frame("value").select(sha256_expr(pl.col("value"))).to_series()


def sha256_expr(expr: pl.Expr) -> pl.Expr:
    """Hex SHA-256 of each value's UTF-8 bytes, as a Polars expression (polars-hash, in
    Rust and in parallel: about 5x hashlib per value, and lazy like the rest)."""
    return CryptographicHashingNameSpace(expr.cast(pl.String)).sha2_256()


# --- loading -------------------------------------------------------------------------


def parse_suppress(
    problems: Problems, table: Mapping[str, object], base: Path | None
) -> Suppression:
    path: KeyPath = ("suppress",)
    problems.unknown_keys(path, table, SUPPRESS_KEYS)
    emails = _values(problems, table, "emails", "email_files", base)
    for index, name in enumerate(_paths(problems, table, "mailchimp")):
        at = (
            (*path, "mailchimp", index)
            if isinstance(table.get("mailchimp"), list)
            else (*path, "mailchimp")
        )
        emails += _column_values(problems, at, base, name, MAILCHIMP_EMAIL_HEADER)
    for at, crm in _crm_tables(problems, table.get("crm")):
        emails += _crm_opted_out(problems, at, crm, base)
    domains = _domains(problems, table, base)
    hashes = _hashes(problems, table, base)
    return Suppression(
        emails=address_forms(emails),
        domains=frozenset(domains),
        sha256=frozenset(hashes),
    )


def _paths(problems: Problems, table: Mapping[str, object], key: str) -> list[str]:
    value = table.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return parse_value_array(problems, ("suppress", key), value) or []


def _values(
    problems: Problems,
    table: Mapping[str, object],
    inline_key: str,
    files_key: str,
    base: Path | None,
) -> list[str]:
    values: list[str] = []
    if inline_key in table:
        values += parse_value_array(problems, ("suppress", inline_key), table[inline_key]) or []
    files = table.get(files_key)
    names = [files] if isinstance(files, str) else files
    if names is not None:
        if not problems.expect(("suppress", files_key), names, list, "an array of file paths"):
            return values
        assert isinstance(names, list)
        for index, name in enumerate(names):
            values += load_file_values(problems, ("suppress", files_key, index), name, base) or []
    # Left as written: `address_forms` lowercases them as the rows are (not case-folded).
    return list(dict.fromkeys(value.strip() for value in values if value.strip()))


def _domains(problems: Problems, table: Mapping[str, object], base: Path | None) -> list[str]:
    """Inline and file domains, read as hosts ("www.globex.com" is globex.com): a value
    compared as written would let its people through; one that is no domain is a
    problem."""
    written: list[Written] = []
    if "domains" in table:
        path: KeyPath = ("suppress", "domains")
        texts = parse_value_array(problems, path, table["domains"]) or []
        written += [Written(text, (*path, index)) for index, text in enumerate(texts)]
    files = table.get("domain_files")
    names = [files] if isinstance(files, str) else files
    if names is not None and problems.expect(
        ("suppress", "domain_files"), names, list, "an array of file paths"
    ):
        assert isinstance(names, list)
        for index, name in enumerate(names):
            at: KeyPath = ("suppress", "domain_files", index)
            listed = load_list_file(problems, at, name, base)
            if listed is not None:
                written += [
                    Written(value, at, str(name), line)
                    for value, line in zip(listed.values, listed.lines, strict=True)
                ]
    kept = [value for value in written if value.text.strip()]
    return read_values(problems, kept, hosts, NO_DOMAIN) or []


def _hashes(problems: Problems, table: Mapping[str, object], base: Path | None) -> list[str]:
    """Inline and file hashes, lowercased; each source with a bad value is a problem."""
    hashes: list[str] = []
    inline = table.get("sha256")
    if inline is not None:
        for index, value in enumerate(
            parse_value_array(problems, ("suppress", "sha256"), inline) or []
        ):
            if _is_sha256(value):
                hashes.append(value.strip().lower())
            else:
                problems.add(("suppress", "sha256", index), f"not a SHA-256 hex digest {_HEX_HINT}")
    files = table.get("sha256_files")
    names = [files] if isinstance(files, str) else files
    if names is None or not problems.expect(
        ("suppress", "sha256_files"), names, list, "an array of file paths"
    ):
        return hashes
    assert isinstance(names, list)
    for index, name in enumerate(names):
        at: KeyPath = ("suppress", "sha256_files", index)
        listed = load_list_file(problems, at, name, base)
        if listed is None:
            continue
        bad = [
            line
            for value, line in zip(listed.values, listed.lines, strict=True)
            if not _is_sha256(value)
        ]
        if bad:
            problems.add(
                at,
                f"'{name}' line {bad[0]}: not a SHA-256 hex digest {_HEX_HINT}"
                + (f" ({len(bad)} such lines)" if len(bad) > 1 else ""),
            )
        hashes += [v.lower() for v in listed.values if _is_sha256(v)]
    return hashes


def _is_sha256(value: str) -> bool:
    return _SHA256_HEX.fullmatch(value.strip().lower()) is not None


def _crm_tables(problems: Problems, value: object) -> list[tuple[KeyPath, Mapping[str, object]]]:
    if value is None:
        return []
    path: KeyPath = ("suppress", "crm")
    if isinstance(value, dict):
        return [(path, value)]
    if not problems.expect(path, value, list, "[[suppress.crm]] tables"):
        return []
    assert isinstance(value, list)
    tables: list[tuple[KeyPath, Mapping[str, object]]] = []
    for index, item in enumerate(value):
        if problems.expect((*path, index), item, dict, "a table"):
            tables.append(((*path, index), item))
    return tables


def _crm_opted_out(
    problems: Problems, path: KeyPath, crm: Mapping[str, object], base: Path | None
) -> list[str]:
    problems.unknown_keys(path, crm, CRM_KEYS)
    for required in ("file", "column"):
        if required not in crm:
            problems.add(path, f"missing '{required}'")
    file = _text(problems, path, crm, "file", "a file path (string)")
    column = _text(problems, path, crm, "column", "a column name (string)")
    email_column = _text(problems, path, crm, "email_column", "a column name (string)")
    opted_out = crm.get("opted_out", list(DEFAULT_OPTED_OUT))
    values = parse_value_array(problems, (*path, "opted_out"), opted_out)
    if file is None or column is None or values is None:
        return []
    frame = _read(problems, (*path, "file"), base, file)
    if frame is None:
        return []
    email_header = _find_header(
        problems,
        (*path, "email_column"),
        frame,
        [email_column] if email_column is not None else list(EMAIL_HEADERS),
    )
    flag_header = _find_header(problems, (*path, "column"), frame, [column])
    if email_header is None or flag_header is None:
        return []
    chosen = frame.filter(
        normalised(pl.col(flag_header)).is_in(
            pl.Series(normalise_values(values), dtype=pl.String).implode()
        )
    )
    return [v for v in chosen.get_column(email_header).to_list() if v]


def _text(
    problems: Problems, path: KeyPath, table: Mapping[str, object], key: str, what: str
) -> str | None:
    value = table.get(key)
    if value is None or not problems.expect((*path, key), value, str, what):
        return None
    assert isinstance(value, str)
    return value


def _column_values(
    problems: Problems, path: KeyPath, base: Path | None, name: str, header: str
) -> list[str]:
    frame = _read(problems, path, base, name)
    if frame is None:
        return []
    found = _find_header(problems, path, frame, [header])
    return [] if found is None else [v for v in frame.get_column(found).to_list() if v]


def _read(problems: Problems, path: KeyPath, base: Path | None, name: str) -> pl.DataFrame | None:
    file = resolve(base, name)
    if not file.is_file():
        problems.add(path, not_a_file(name, file))
        return None
    try:
        return read_table(str(file)).frame
    except LeadtriageError as error:
        problems.add(path, f"cannot read '{name}': {error.message}")
        return None


def _find_header(
    problems: Problems, path: KeyPath, frame: pl.DataFrame, wanted: list[str]
) -> str | None:
    """The first column named like one of `wanted`, ignoring case and outer spaces."""
    by_key = {c.strip().casefold(): c for c in frame.columns}
    for name in wanted:
        if name.strip().casefold() in by_key:
            return by_key[name.strip().casefold()]
    problems.add(
        path, f"no column '{wanted[0]}' in the file" + did_you_mean(wanted[0], frame.columns)
    )
    return None


# --- applying ------------------------------------------------------------------------


def row_address_forms(schema: pl.Schema) -> list[pl.Expr]:
    """Both forms of each row's address: the clean ``email`` (else the raw email text)
    normalised, and ``email_key`` when the email stage ran."""
    raw_email = (
        normalised_address(pl.col(raw(Field.EMAIL))) if raw(Field.EMAIL) in schema else pl.lit(None)
    )
    if Col.EMAIL in schema:
        clean = pl.col(Col.EMAIL)
        address = pl.when(~is_blank(clean)).then(normalised_address(clean)).otherwise(raw_email)
    else:
        address = raw_email.cast(pl.String)
    forms = [address.cast(pl.String)]
    if _EMAIL_KEY in schema:
        forms.append(normalised_address(pl.col(_EMAIL_KEY)))
    return forms


def suppressed_expr(schema: pl.Schema, suppression: Suppression) -> pl.Expr:
    """True where a row is on a do-not-contact list: a row of a suppression input, or
    either form of its address listed by one (Mailchimp), by ``[suppress]`` (address,
    domain or a parent of it, hash) or by the ledger's erasures (hash). Never null."""
    forms = row_address_forms(schema)
    tests: list[pl.Expr] = []
    if SUPPRESSION_SOURCE in schema:
        listing = pl.col(SUPPRESSION_SOURCE).fill_null(False)
        tests.append(listing)
        tests.extend(
            form.is_in(listed.filter(listing).drop_nulls().unique().implode())
            for form in forms
            for listed in forms
        )
    if suppression.emails:
        emails = pl.Series(sorted(suppression.emails), dtype=pl.String).implode()
        tests.extend(form.is_in(emails) for form in forms)
    if suppression.domains:
        tests.extend(
            in_domain_list(form.str.extract(r"@([^@]+)$", 1), suppression.domains) for form in forms
        )
    if suppression.sha256:
        hashes = pl.Series(sorted(suppression.sha256), dtype=pl.String).implode()
        tests.extend(sha256_expr(form).is_in(hashes) for form in forms)
    return pl.any_horizontal(test.fill_null(False) for test in tests) if tests else pl.lit(False)
