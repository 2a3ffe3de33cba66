"""Email addresses: the clean address, a dedupe key, and what the address says.

email-validator is the authority on syntax. A conservative vectorised pattern
settles the plain ASCII ``local@domain.tld`` addresses that make up most lists (and
values with no ``@`` at all, which can never be valid); email-validator sees only
the rest, once per distinct value. ``tests/normalize/test_email_fast_path.py``
proves the pattern and the library agree on every value the pattern settles.

Findings (``flag.email.*``) are False, never null, where they do not apply; a
missing address has only ``email.missing``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Final

import dns.exception
import dns.resolver
import polars as pl
from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES
from rapidfuzz import process
from rapidfuzz.distance import OSA

from leadtriage import frame
from leadtriage.domains import in_domain_list
from leadtriage.normalize import email_lists
from leadtriage.normalize.domains import first_label as first_label_of
from leadtriage.normalize.domains import is_known_tld, registrable_domain
from leadtriage.normalize.name import role_words as name_role_words
from leadtriage.normalize.text import per_distinct
from leadtriage.schema import Col, Field

EMAIL: Final = Col.EMAIL
EMAIL_KEY: Final = Col.EMAIL_KEY
EMAIL_DOMAIN: Final = Col.EMAIL_DOMAIN
EMAIL_SUGGESTION: Final = Col.EMAIL_SUGGESTION

# Whitespace Polars' strip leaves behind: copy-pasted cells carry these.
_INVISIBLE: Final = " \t\r\n\u00a0\u1680\u2000\u2007\u200b\u200c\u200d\u2060\u202f\u3000\ufeff"
# Characters no one can see or type into an address, pasted in from web pages and
# bidirectional text: removed wherever they are (a visible space is no such thing).
_ZERO_WIDTH: Final = "[\u200b\u200c\u200d\u200e\u200f\u2060\ufeff]"

# Punctuation that ends a sentence or a list item, never an address.
_LIST_END: Final = ".,;:" + _INVISIBLE
# A cell that is an address in quotes (a CSV quoted twice, an SQL dump's literal):
# no address ends in a quote, so quotes at both ends wrap the cell. A quoted local
# part ('"jane doe"@acme.com') ends in its domain and is left to the library.
_WRAPPING_QUOTES: Final = r"""^(?:"(?P<double>[^"]*@[^"]*)"|'(?P<single>.*@.*)')$"""

# Proven against email-validator by the differential test: ASCII atext without the
# rarely used specials, dot-separated; hostname labels without "--" (which rules out
# R-LDH and Punycode labels, both needing IDNA checks); an alphabetic TLD.
_FAST_VALID_PATTERN: Final = (
    r"^[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
    r"@(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,63}$"
)
# A run this long may be a DNS label over the 63-octet limit: leave it to the library.
_LONG_RUN_PATTERN: Final = r"[A-Za-z0-9-]{64}"
_EMAIL_MAX_OCTETS: Final = 254

# RFC 2606 / 6761 names: syntactically fine, never a real mailbox, so `email.fake`.
_RESERVED_TLDS: Final = frozenset({"test", "invalid", "localhost", "example"})
# email-validator refuses these special-use names; with the reserved ones they stay
# off the fast path.
_SPECIAL_USE_TLDS: Final = _RESERVED_TLDS | {"arpa", "local", "onion"}

# Stands in for a reserved label while email-validator checks the rest of the address.
_STAND_IN: Final = "example.com"

_GMAIL_DOMAINS: Final = ("gmail.com", "googlemail.com")

_CHECKED: Final = pl.Struct(
    {Col.EMAIL: pl.String, "domain": pl.String, "folded": pl.String, "reserved": pl.Boolean}
)

# Temporary columns of this stage, dropped before it returns.
_CLEANED: Final = "_email.cleaned"
_CHECKED_COL: Final = "_email.checked"
_FAST: Final = "_email.fast"
_PARTS: Final = "_email.parts"
_FOLDED: Final = "_email.folded"
_RESERVED: Final = "_email.reserved"
_LOCAL: Final = "_email.local"
_BASE_LOCAL: Final = "_email.base_local"
_TYPO_DOMAIN: Final = "_email.typo_domain"
_HOST: Final = "_email.host"
_TEMPORARY: Final = (
    _HOST,
    _CLEANED,
    _CHECKED_COL,
    _FAST,
    _PARTS,
    _FOLDED,
    _RESERVED,
    _LOCAL,
    _BASE_LOCAL,
    _TYPO_DOMAIN,
)

_MX_WORKERS: Final = 16
_MX_VERDICT: Final = "_email.mx_verdict"
# Rows whose domain --check-mx could not look up for want of DNS (for one warning).
MX_UNCHECKED: Final = frame.META_PREFIX + "mx_unchecked"
# After this many lookups in a row fail for want of a network, stop asking.
_MX_GIVE_UP_AFTER: Final = 5
_SURELY_RECEIVES_MAIL: Final = "gmail.com"


def normalize_email(lf: pl.LazyFrame, extra_disposable: Iterable[str] = ()) -> pl.LazyFrame:
    """Add ``email``, ``email_key``, ``email_domain``, ``email_suggestion`` and the
    ``flag.email.*`` findings, reading ``raw.email``.

    ``email`` is the address without surrounding space, ``<>``, ``mailto:`` or display
    name, domain lowercased (IDN domains as email-validator normalises them), local
    part case kept; null when missing or invalid. Addresses at reserved test domains
    (``.test``, ``.example``, ``localhost``, ...) are kept but flagged ``email.fake``.
    ``extra_disposable`` adds domains to the disposable list for this run.
    """
    disposable = email_lists.disposable_domains(extra_disposable)
    names = [raw for raw in map(frame.raw, _OWN_NAMES) if raw in lf.collect_schema()]
    return (
        lf.with_columns(_extract_address(pl.col(frame.raw(Field.EMAIL))).alias(_CLEANED))
        .with_columns(
            _fast_valid(pl.col(_CLEANED)).alias(_FAST),
            _split_at(pl.col(_CLEANED)).alias(_PARTS),
        )
        .with_columns(_checked(pl.col(_CLEANED), pl.col(_PARTS), pl.col(_FAST)).alias(_CHECKED_COL))
        .with_columns(
            pl.col(_CHECKED_COL).struct.field(Col.EMAIL).alias(EMAIL),
            pl.col(_CHECKED_COL).struct.field("domain").alias(_HOST),
            pl.col(_CHECKED_COL).struct.field("folded").alias(_FOLDED),
            pl.col(_CHECKED_COL).struct.field("reserved").fill_null(False).alias(_RESERVED),
        )
        .with_columns(
            _local_part(pl.col(_FOLDED)).alias(_LOCAL),
            _email_domain(pl.col(_HOST), pl.col(_CLEANED)).alias(EMAIL_DOMAIN),
        )
        .with_columns(pl.col(_LOCAL).str.replace(r"\+.*$", "").alias(_BASE_LOCAL))
        .with_columns(
            _email_key(pl.col(_LOCAL), pl.col(_BASE_LOCAL), pl.col(_HOST)).alias(EMAIL_KEY),
            _typo_domain(pl.col(_HOST)).alias(_TYPO_DOMAIN),
        )
        .with_columns(
            _suggestion(pl.col(EMAIL), pl.col(_TYPO_DOMAIN)).alias(EMAIL_SUGGESTION),
            *_flags(disposable, names),
        )
        .drop(_TEMPORARY)
    )


def _extract_address(raw: pl.Expr) -> pl.Expr:
    """The address inside the cell: trimmed, display name and ``<>`` / ``mailto:``
    removed; null when blank or a placeholder such as ``n/a``."""
    # The end of a sentence or of a list pasted with it: no address ends in . , ; or :,
    # nor does a bracketed or quoted one ("Jane Doe <jane@acme.com>;" from Outlook).
    # (Two addresses in one cell stay invalid: they may be two people's.)
    trimmed = (
        raw.cast(pl.String)
        .str.replace_all(_ZERO_WIDTH, "")
        .str.strip_chars(_INVISIBLE)
        .str.strip_chars_end(_LIST_END)
        .str.replace(_WRAPPING_QUOTES, "$double$single")
        .str.strip_chars(_INVISIBLE)
    )
    bracketed = trimmed.str.extract(r"<([^<>]*)>$", 1)
    inner = pl.coalesce(bracketed, trimmed).str.strip_chars(_INVISIBLE)
    # mailto: links may carry ?subject=... after the address.
    unlinked = (
        pl.when(inner.str.contains(r"(?i)^mailto:"))
        .then(inner.str.replace(r"(?i)^mailto:", "").str.replace(r"\?.*$", ""))
        .otherwise(inner)
        .str.strip_chars(_INVISIBLE)
    )
    address = unlinked.str.strip_chars_end(_LIST_END)
    placeholder = address.str.to_lowercase().is_in(list(email_lists.missing_values()))
    return pl.when((address.str.len_bytes() > 0) & ~placeholder).then(address)


def _email_domain(host: pl.Expr, cleaned: pl.Expr) -> pl.Expr:
    """The registrable domain (Public Suffix List) of a valid address's host, else
    the host itself (``localhost``); for an invalid address whose domain is still
    evident (``@grenier.com``, ``name@@acme.it``, ``jane@acme.com.``) the registrable
    domain of that, if its suffix is a known one, so domain rules still fire."""
    # Only invalid addresses are read for an evident domain: the patterns then skip
    # the valid majority (null rows) instead of running on every row.
    invalid = pl.when(host.is_null()).then(cleaned)
    evident = invalid.str.extract(r"@([^@\s]+)$", 1).str.strip_chars(".").str.to_lowercase()
    tld = evident.str.extract(r"\.([^.]+)$", 1)
    usable = ~tld.is_in(list(_SPECIAL_USE_TLDS)).fill_null(False)
    return pl.coalesce(
        registrable_domain(host),
        host,
        registrable_domain(pl.when(usable).then(evident), known_suffix_only=True),
    )


def _fast_valid(address: pl.Expr) -> pl.Expr:
    """True where the vectorised pattern alone proves the address valid."""
    tld = address.str.extract(r"\.([A-Za-z]+)$", 1).str.to_lowercase()
    return (
        address.str.contains(_FAST_VALID_PATTERN)
        & ~address.str.contains(_LONG_RUN_PATTERN)
        & (address.str.len_bytes() <= _EMAIL_MAX_OCTETS)
        & ~tld.is_in(list(_SPECIAL_USE_TLDS)).fill_null(False)
    ).fill_null(False)


def fast_normalized(address: pl.Expr) -> pl.Expr:
    """The normalised form of an address the fast pattern accepts, as email-validator
    gives it: domain lowercased, RFC 2142 mailbox names (``Info``, ``Sales``...)
    lowercased, any other local part kept."""
    return _normalized_from_parts(_split_at(address))


def _split_at(address: pl.Expr) -> pl.Expr:
    """The address split at its first "@": a struct of ``field_0`` (local part) and
    ``field_1`` (domain)."""
    return address.str.splitn("@", 2)


def _fast_domain(parts: pl.Expr) -> pl.Expr:
    return parts.struct.field("field_1").str.to_lowercase()


def _normalized_from_parts(parts: pl.Expr) -> pl.Expr:
    """`fast_normalized` of the address `parts` (`_split_at`): the stage splits once,
    into a column, and reads the parts from there."""
    local = parts.struct.field("field_0")
    domain = _fast_domain(parts)
    lowered_local = local.str.to_lowercase()
    local = (
        pl.when(lowered_local.is_in(CASE_INSENSITIVE_MAILBOX_NAMES))
        .then(lowered_local)
        .otherwise(local)
    )
    return local + "@" + domain


def fast_settled(address: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(settled, valid): which addresses the vectorised path decides, and how.
    Public for the differential test."""
    fast_valid = _fast_valid(address)
    fast_invalid = address.is_not_null() & ~address.str.contains("@", literal=True)
    return fast_valid | fast_invalid, fast_valid


def _checked(address: pl.Expr, parts: pl.Expr, fast_valid: pl.Expr) -> pl.Expr:
    """A struct (email, domain, folded, reserved): vectorised where the fast path
    settles the address (`parts`: the address `_split_at` its "@"), email-validator
    once per distinct value elsewhere."""
    needs_library = address.is_not_null() & ~fast_valid & address.str.contains("@", literal=True)
    # Not elementwise: the streaming engine would hand over morsels, and a value
    # repeated across morsels would go to the library once per morsel.
    from_library = (
        pl.when(needs_library).then(address).map_batches(_check_distinct, return_dtype=_CHECKED)
    )
    normalized = _normalized_from_parts(parts)
    from_fast = pl.struct(
        normalized.alias(Col.EMAIL),
        # The normalised address's domain: its local part holds no "@".
        _fast_domain(parts).alias("domain"),
        normalized.str.to_lowercase().alias("folded"),
        pl.lit(False).alias("reserved"),
    )
    return pl.when(fast_valid).then(from_fast).otherwise(from_library)


def _check_distinct(addresses: pl.Series) -> pl.Series:
    """email-validator over the distinct non-null values of a batch, joined back."""
    distinct = addresses.drop_nulls().unique().to_list()
    lookup = pl.DataFrame(
        {"given": distinct, "checked": [check_address(a) for a in distinct]},
        schema={"given": pl.String, "checked": _CHECKED},
    )
    joined = addresses.to_frame("given").join(lookup, on="given", how="left", maintain_order="left")
    return joined.get_column("checked")


def check_address(address: str) -> dict[str, str | bool | None]:
    """One address through email-validator: the normalised ``email``, its ``domain``,
    the casefolded address (``folded``) and whether the domain is a reserved test name
    (``reserved``, then valid otherwise). All null when invalid."""
    local, _, domain = address.rpartition("@")
    reserved_tld = _reserved_tld(domain)
    invalid: dict[str, str | bool | None] = {
        Col.EMAIL: None,
        "domain": None,
        "folded": None,
        "reserved": False,
    }
    try:
        if reserved_tld is None:
            checked = validate_email(address, check_deliverability=False)
            normalized, checked_domain = checked.normalized, checked.domain
        else:
            # email-validator refuses reserved names outright; check the rest of the
            # address under a public stand-in for the reserved label.
            stand_in = domain[: len(domain) - len(reserved_tld)] + _STAND_IN
            checked = validate_email(f"{local}@{stand_in}", check_deliverability=False)
            checked_domain = checked.domain[: -len(_STAND_IN)] + reserved_tld
            normalized = f"{checked.local_part}@{checked_domain}"
    except EmailNotValidError:
        return invalid
    return {
        Col.EMAIL: normalized,
        "domain": checked_domain,
        "folded": normalized.casefold(),
        "reserved": reserved_tld is not None,
    }


def _reserved_tld(domain: str) -> str | None:
    """The reserved last label of ``domain`` (``test``, ``localhost``...), if any."""
    last_label = domain.rpartition(".")[2].casefold()
    return last_label if last_label in _RESERVED_TLDS else None


def _local_part(address: pl.Expr) -> pl.Expr:
    # Normalised addresses hold one "@": email-validator refuses quoted local parts.
    return address.str.splitn("@", 2).struct.field("field_0")


def _email_key(local: pl.Expr, untagged: pl.Expr, domain: pl.Expr) -> pl.Expr:
    """Casefolded address (`local` casefolded, `untagged` without its +tag); Gmail
    without dots and +tag (as gmail.com), other sub-addressing providers without the
    +tag."""
    is_gmail = domain.is_in(_GMAIL_DOMAINS)
    is_plus_tag = domain.is_in(list(email_lists.plus_tag_domains()))
    # One concatenation of the chosen parts, not one per branch over every row.
    key_local = (
        pl.when(is_gmail)
        .then(untagged.str.replace_all(".", "", literal=True))
        .when(is_plus_tag)
        .then(untagged)
        .otherwise(local)
    )
    return key_local + "@" + pl.when(is_gmail).then(pl.lit("gmail.com")).otherwise(domain)


def _suggestion(email: pl.Expr, typo_domain: pl.Expr) -> pl.Expr:
    """The address at the domain it was probably meant for; null without a typo."""
    # Split only the addresses with a typo (a few): null rows cost nothing.
    return _local_part(pl.when(typo_domain.is_not_null()).then(email)) + "@" + typo_domain


def _typo_domain(domain: pl.Expr) -> pl.Expr:
    """The consumer domain a misspelt domain stands for: the curated map first, then a
    strict fuzzy match (see `fuzzy_typo_target`), once per distinct domain."""
    free = list(email_lists.free_domains())
    mapped = domain.replace_strict(email_lists.typo_domains(), default=None, return_dtype=pl.String)
    fuzzy_candidate = (
        domain.is_not_null()
        & mapped.is_null()
        & ~domain.is_in(free)
        & _near_typo_target_length(domain)
    )
    fuzzy = (
        pl.when(fuzzy_candidate).then(domain).map_batches(_fuzzy_distinct, return_dtype=pl.String)
    )
    return pl.coalesce(mapped, fuzzy, _ending_typo(domain))


# Endings a slip of which is worth suggesting: the common ones, and only when the slip
# is no top-level domain at all (.co, .cm and .om are countries, .one a gTLD).
_COMMON_ENDINGS: Final = ("com", "net", "org")


def _ending_typo(domain: pl.Expr) -> pl.Expr:
    """The domain with its ending put right (``acme.con`` -> ``acme.com``) when the
    ending is unknown to the Public Suffix List and one slip from exactly one common
    ending; once per distinct ending."""
    ending = domain.str.extract(r"\.([a-z]{1,6})$", 1)
    fixed = per_distinct(
        ending, lambda e: e.map_batches(_fixed_endings, return_dtype=pl.String), pl.String()
    )
    return pl.when(fixed.is_not_null()).then(domain.str.replace(r"[a-z]+$", "") + fixed)


def _fixed_endings(endings: pl.Series) -> pl.Series:
    return pl.Series([fixed_ending(e) if e is not None else None for e in endings], dtype=pl.String)


def fixed_ending(ending: str) -> str | None:
    """The common ending (`_COMMON_ENDINGS`) an unknown top-level domain is one slip
    (OSA distance 1) from or was cut short of, or None: known, far, or as near to two."""
    if is_known_tld(ending):
        return None
    near = [
        c
        for c in _COMMON_ENDINGS
        if OSA.distance(ending, c, score_cutoff=1) <= 1 or c.startswith(ending)
    ]
    return near[0] if len(near) == 1 else None


def _near_typo_target_length(domain: pl.Expr) -> pl.Expr:
    """Cheap vectorised pre-filter: only a domain within one character of a target's
    length can be one edit away."""
    lengths = {len(target) + delta for target in email_lists.typo_targets() for delta in (-1, 0, 1)}
    return domain.str.len_chars().is_in(sorted(lengths))


def _fuzzy_distinct(domains: pl.Series) -> pl.Series:
    distinct = domains.drop_nulls().unique().to_list()
    mapping = {domain: fuzzy_typo_target(domain) for domain in distinct}
    return domains.replace_strict(mapping, default=None, return_dtype=pl.String)


def fuzzy_typo_target(domain: str) -> str | None:
    """The consumer domain ``domain`` is one slip away from, or None.

    Strict on purpose, so a business domain is never "corrected": targets are only the
    long consumer names in ``email_typo_targets.txt`` (never me.com or qq.com), the
    distance must be exactly one insertion, deletion, substitution or adjacent
    transposition (OSA), and the first character must agree (``cloud.com`` is not a
    slip of ``icloud.com``, nor ``email.com`` of ``gmail.com``).
    """
    targets = [t for t in email_lists.typo_targets() if t[0] == domain[:1] and t != domain]
    match = process.extractOne(domain, targets, scorer=OSA.distance, score_cutoff=1)
    return None if match is None else match[0]


# A role word that is the row's own given or family name is a person's address (Ola
# at ola@, a Portuguese Sales at sales@): the name columns the email stage reads.
_OWN_NAMES: Final = (Field.FIRST_NAME, Field.LAST_NAME)


def _flags(disposable: frozenset[str], names: Sequence[str]) -> list[pl.Expr]:
    missing = pl.col(_CLEANED).is_null()
    domain = pl.col(_HOST)
    base_local = pl.col(_BASE_LOCAL)
    is_valid = pl.col(EMAIL).is_not_null()
    typed = [pl.col(n).str.strip_chars().str.to_lowercase() for n in names]
    role_words = list(name_role_words())
    # ... as long as some name of the row is a real one: "Admin Admin" at admin@ is not.
    own_name = pl.any_horizontal(
        pl.lit(False), *((base_local == name).fill_null(False) for name in typed)
    ) & pl.any_horizontal(
        pl.lit(False), *((~name.is_in(role_words)).fill_null(False) for name in typed)
    )

    def finding(condition: pl.Expr, slug: str) -> pl.Expr:
        return (is_valid & condition).fill_null(False).alias(frame.flag(slug))

    return [
        missing.alias(frame.flag("email.missing")),
        (~missing & ~is_valid).alias(frame.flag("email.invalid")),
        # The disposable list carries typo-squatted consumer domains (gmial.com): for
        # those the typo, with its suggestion, is the finding that helps.
        finding(
            per_distinct(domain, lambda d: in_domain_list(d, disposable), pl.Boolean())
            & pl.col(_TYPO_DOMAIN).is_null(),
            "email.disposable",
        ),
        finding(base_local.is_in(list(email_lists.role_locals())) & ~own_name, "email.role"),
        finding(domain.is_in(list(email_lists.free_domains())), "email.free"),
        finding(pl.col(_TYPO_DOMAIN).is_not_null(), "email.typo"),
        finding(_looks_fake(pl.col(_FOLDED), base_local, domain), "email.fake"),
    ]


def _looks_fake(folded: pl.Expr, base_local: pl.Expr, domain: pl.Expr) -> pl.Expr:
    first_label = domain.str.splitn(".", 2).struct.field("field_0")
    one_repeated_char = (base_local.str.len_chars() >= 3) & (
        base_local.str.strip_chars(base_local.str.slice(0, 1)).str.len_chars() == 0
    )
    same_single_char = (base_local.str.len_chars() == 1) & (base_local == first_label)
    return (
        pl.col(_RESERVED)
        | per_distinct(pl.col(EMAIL_DOMAIN), _placeholder_owner, pl.Boolean()).fill_null(False)
        | domain.is_in(list(email_lists.fake_domains()))
        | folded.is_in(list(email_lists.fake_addresses()))
        # "test123", "asdf1", "foo12": a placeholder with a counter typed after it.
        | base_local.str.replace(r"[0-9]+$", "").is_in(list(email_lists.fake_locals()))
        | one_repeated_char
        | same_single_char
    )


def _placeholder_owner(registrable: pl.Expr) -> pl.Expr:
    """example.de, test.co.uk, xxx.xx: a placeholder name under any public suffix."""
    owner = first_label_of(registrable)
    return owner.is_in(list(email_lists.fake_domain_labels())) | (
        (owner.str.len_chars() >= 3)
        & (owner.str.strip_chars(owner.str.slice(0, 1)).str.len_chars() == 0)
    )


def check_mx(
    lf: pl.LazyFrame,
    *,
    timeout: float = 2.0,
    has_mail_server: Callable[[str], bool] | None = None,
) -> pl.LazyFrame:
    """Add ``flag.email.mx_unknown`` (for ``--check-mx``): True where DNS cannot confirm
    that ``email_domain`` receives mail (no MX or A record, a failed lookup). Never a
    rejection by itself. One lookup per distinct domain, ``timeout`` seconds each;
    ``has_mail_server`` replaces the DNS lookup (tests, caches). Run after
    `normalize_email`.

    Without a network every lookup fails: the check then gives up, tags no row, and
    marks the rows it could not check in ``MX_UNCHECKED`` so the run warns once."""
    lookup = has_mail_server or _dns_lookup(timeout)
    # Only the domains of valid addresses: an invalid one is not mailed anyway.
    domain = pl.when(pl.col(EMAIL).is_not_null()).then(pl.col(EMAIL_DOMAIN))
    unknown = domain.map_batches(
        lambda domains: _unknown_distinct(domains, lookup), return_dtype=pl.Boolean
    )
    has_domain = domain.is_not_null()
    return (
        lf.with_columns(unknown.alias(_MX_VERDICT))
        .with_columns(
            (has_domain & pl.col(_MX_VERDICT))
            .fill_null(False)
            .alias(frame.flag("email.mx_unknown")),
            (has_domain & pl.col(_MX_VERDICT).is_null()).alias(MX_UNCHECKED),
        )
        .drop(_MX_VERDICT)
    )


class _UntrueResolver(Exception):  # noqa: N818 (a state, not an error to report)
    """The resolver denies a domain that surely receives mail: nothing it says counts."""


def _dns_lookup(timeout: float) -> Callable[[str], bool]:
    try:
        resolver: dns.resolver.Resolver | None = dns.resolver.Resolver()
    except dns.exception.DNSException:
        # No resolver configuration (no /etc/resolv.conf): every domain is unknown.
        resolver = None
    if resolver is not None:
        resolver.lifetime = timeout

    def has_mail_server(domain: str) -> bool:
        if resolver is None:
            raise dns.resolver.NoNameservers
        # RFC 5321 5.1: with no MX record, mail goes to the domain's A record.
        for record_type in ("MX", "A"):
            try:
                resolver.resolve(domain, record_type)
                return True
            except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
                continue
        return False

    @cache
    def answers_truly() -> bool:
        # A sandbox's or a captive network's DNS says "no such domain" to everything:
        # a domain that surely receives mail tells such a resolver from a real one.
        try:
            return has_mail_server(_SURELY_RECEIVES_MAIL)
        except (dns.exception.DNSException, OSError):
            return False

    def checked(domain: str) -> bool:
        if not answers_truly():
            raise _UntrueResolver
        return has_mail_server(domain)

    return checked


def _unknown_distinct(domains: pl.Series, lookup: Callable[[str], bool]) -> pl.Series:
    """Per row: True when the domain's mail server is unknown, False when confirmed,
    null when DNS could not be reached at all (nothing learnt)."""
    distinct = domains.drop_nulls().unique().sort().to_list()
    network_failures = 0
    gave_up = False

    def confirm(domain: str) -> bool | None:
        nonlocal network_failures, gave_up
        if network_failures >= _MX_GIVE_UP_AFTER:
            gave_up = True
            return None
        try:
            found = lookup(domain)
        except _UntrueResolver:
            gave_up = True
            return None
        except (dns.exception.DNSException, OSError):
            network_failures += 1
            return None
        network_failures = 0
        return found

    with ThreadPoolExecutor(max_workers=_MX_WORKERS) as pool:
        confirmed = dict(zip(distinct, pool.map(confirm, distinct), strict=True))
    gave_up = gave_up or (bool(distinct) and network_failures >= _MX_GIVE_UP_AFTER)
    # A lone failed lookup says the domain is doubtful; when the network is gone it
    # says nothing about any domain.
    unknown = {
        domain: (None if gave_up else True) if found is None else not found
        for domain, found in confirmed.items()
    }
    return domains.replace_strict(unknown, default=None, return_dtype=pl.Boolean)
