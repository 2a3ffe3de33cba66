"""Company names: a clean display value and a matching key without legal forms.

``company`` is the name trimmed with inner whitespace collapsed; its casing is kept.
``company_key`` drops the legal form the way cleanco does ("ACME, Inc.", "Acme
Incorporated" and "acme" all give "acme"), then transliterates, casefolds, drops
punctuation and a leading "the", and reads "&" as "and".

Placeholders are split in two (see ``data/company_*_values.txt``):

- "no answer" values ("-", "n/a", "none", "test"): ``company`` null;
- "no employer" values ("Self-employed", "Student", "Retired", "Private"): kept in
  ``company`` as typed, since a person reading the row wants to see them, but with
  no ``company_key``, so no one is matched or grouped by "Student".

Both lists are compared lowercased and by their matching keys, so "N / A", "none."
and "Self-Employed!" are the listed "n/a", "none" and "self-employed". Both set
``flag.company.missing``, as does a name with nothing left once its legal form is
gone ("Inc.", and "The Company" with only the article left).

Legal forms: cleanco is the authority. A vectorised path settles names whose last
word is no legal term (nothing to strip) and names that end in exactly one
single-word term with nothing strippable before it ("Acme GmbH"); every other name
goes to cleanco once per distinct value, repeated until nothing more comes off
("Sony Co., Ltd." -> "Sony").
"""

from __future__ import annotations

from functools import cache
from typing import Final, NamedTuple

import polars as pl
from cleanco.clean import basename as cleanco_basename
from cleanco.clean import prepare_default_terms

from leadtriage import frame
from leadtriage.normalize.domains import first_label, registrable_domain
from leadtriage.normalize.text import (
    ascii_fold,
    data_lines,
    match_key,
    on_distinct,
    squish,
    strip_accents,
    unless_excel_error,
)
from leadtriage.schema import Col, Field

# cleanco's own tokenisation: trailing symbols other than "." go, then words are
# compared without ".", "," and "-".
_TAIL: Final = r"[^\.\w]+$"
_TOKEN_PUNCTUATION: Final = r"[.,\-]"
_MAX_CLEANCO_PASSES: Final = 4


class LegalTerms(NamedTuple):
    single: frozenset[str]  # one-word terms ("gmbh", "inc")
    multi_last: frozenset[str]  # last words of multi-word terms ("ltd" of "pty ltd")


@cache
def legal_terms() -> LegalTerms:
    terms = prepare_default_terms()
    return LegalTerms(
        single=frozenset(parts[0] for size, parts in terms if size == 1),
        multi_last=frozenset(parts[-1] for size, parts in terms if size > 1),
    )


_BLANK_FILE: Final = "company_blank_values.txt"
_NO_EMPLOYER_FILE: Final = "company_no_employer_values.txt"


@cache
def _placeholders(filename: str) -> tuple[list[str], list[str]]:
    """A placeholder list's values casefolded, and their `match_key`s: "N / A", "none."
    and "Self-Employed!" are the listed "n/a", "none" and "self-employed" typed
    otherwise."""
    lines = data_lines(filename)
    values = pl.Series("value", lines, dtype=pl.String).to_frame()
    keys = values.select(match_key(pl.col("value"))).to_series()
    return sorted({line.casefold() for line in lines}), sorted(set(keys.drop_nulls()))


def _is_placeholder(typed: pl.Expr, typed_key: pl.Expr, filename: str) -> pl.Expr:
    """`typed` is in the list `filename`, as typed or by key."""
    lowered, keys = _placeholders(filename)
    return typed.str.to_lowercase().is_in(lowered) | typed_key.is_in(keys)


def cleanco_base(name: str) -> str:
    """cleanco's base name, stripped again until it no longer changes."""
    for _ in range(_MAX_CLEANCO_PASSES):
        base = cleanco_basename(name)
        if base == name:
            break
        name = base
    return name


def _cleanco_distinct(names: pl.Series) -> pl.Series:
    """cleanco over the distinct non-null values of a batch, mapped back."""
    distinct = names.drop_nulls().unique().to_list()
    if not distinct:
        return names
    return names.replace_strict(
        {name: cleanco_base(name) for name in distinct}, default=None, return_dtype=pl.String
    )


def _token(words: pl.Expr, pattern: str) -> pl.Expr:
    """One word of a name, normalised as cleanco compares words."""
    return strip_accents(words.str.extract(pattern, 1).str.to_lowercase()).str.replace_all(
        _TOKEN_PUNCTUATION, ""
    )


def fast_legal_base(company: pl.Expr) -> pl.Expr:
    """The base name where the vectorised path can settle it, else null."""
    terms = legal_terms()
    all_last = list(terms.single | terms.multi_last)
    single_only = list(terms.single - terms.multi_last)
    words = company.str.replace(_TAIL, "")
    last = _token(words, r"(\S+)$")
    without_last = words.str.replace(r"\s+\S+$", "").str.replace(_TAIL, "")
    # The word that ends the name once the last one is gone (trailing "&", "-" go too).
    before_last = pl.when(words.str.contains(r"\s")).then(_token(without_last, r"(\S+)$"))
    ascii_tokens = ~last.str.contains(r"[^\x00-\x7f]") & ~before_last.fill_null("").str.contains(
        r"[^\x00-\x7f]"
    )
    nothing_to_strip = ascii_tokens & ~last.is_in(all_last)
    one_term = (
        ascii_tokens
        & last.is_in(single_only)
        & before_last.is_not_null()
        & ~before_last.is_in(all_last)
    )
    return pl.when(nothing_to_strip).then(words).when(one_term).then(without_last)


def _with_legal_base(lf: pl.LazyFrame, company: str, base: str) -> pl.LazyFrame:
    """Add column `base`: `company` without its legal form, vectorised where
    possible, else by cleanco."""
    fast = pl.col("_company.fast")
    residue = pl.when(fast.is_null()).then(pl.col(company))
    by_cleanco = residue.map_batches(_cleanco_distinct, return_dtype=pl.String, is_elementwise=True)
    return (
        lf.with_columns(fast_legal_base(pl.col(company)).alias("_company.fast"))
        .with_columns(pl.coalesce(fast, by_cleanco).alias(base))
        .drop("_company.fast")
    )


def company_key_of(base: pl.Expr) -> pl.Expr:
    """Matching key of a base name: ASCII, casefolded, "&" read as "and",
    punctuation and a leading "the" dropped; null when nothing is left (nor for "The"
    alone)."""
    words = (
        ascii_fold(base)
        .str.to_lowercase()
        .str.replace_all("&", " and ")
        .str.replace_all(r"['’`´]", "")
        .str.replace_all(r"[^a-z0-9]+", " ")
        .str.strip_chars()
        # "The" alone is what is left of "The Company" or "The Corp.": no name, so no
        # key, or every such name would meet on "the".
        .str.replace(r"^the(?: |$)", "")
    )
    return squish(words)


# A web address in brackets after the name: "(kinggroup.com)", "(www.acme.co.uk)".
_WEB_ADDRESS_AFTER: Final = r"(?i)\s*\((?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?\)$"
# A cell that is a web address and nothing else: "www.acme.co.uk", "acme.com/".
_WEB_ADDRESS_ONLY: Final = r"(?i)^(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)/?$"


def _spaced_for_legal_terms(company: pl.Expr) -> pl.Expr:
    """The name with a space after each comma and without brackets, for the legal
    form to be found word by word: "Acme Co.,Ltd." (how Chinese, Japanese and Korean
    registrations write it) and "Acme (Pty) Ltd" (South Africa's) are "Acme Co., Ltd."
    and "Acme Pty Ltd". The key drops punctuation and reads "&" as "and" anyway, so
    this changes nothing but which legal terms come off."""
    spaced = company.str.replace_all(r",(\S)", ", $1").str.replace_all(r"[()]", " ")
    # "and Co" is "& Co" written out ("Acme and Co.", "Acme und Co. KG"); cleanco
    # knows only the sign, and left "Acme and".
    return squish(spaced.str.replace_all(r"(?i)\s(?:and|und)\s+(co)([.,\s]|$)", " & ${1}${2}"))


def _name_in_web_address(company: pl.Expr) -> pl.Expr:
    """For a company typed as its web address, the label left of the public suffix
    ("georgesystems" of www.georgesystems.com): the name run together, as dedupe
    compares company keys; null for anything else (a host under no suffix the Public
    Suffix List knows, such as "Node.js", is no web address)."""
    host = company.str.extract(_WEB_ADDRESS_ONLY, 1)
    return first_label(registrable_domain(host, known_suffix_only=True))


def _company_columns(values: pl.LazyFrame) -> pl.LazyFrame:
    typed = squish(pl.col(frame.raw(Field.COMPANY)).cast(pl.String))
    typed_col, typed_key = pl.col("_company.typed"), pl.col("_company.typed_key")
    with_company = (
        values.with_columns(typed.alias("_company.typed"))
        .with_columns(match_key(typed_col).alias("_company.typed_key"))
        .with_columns(
            pl.when(~_is_placeholder(typed_col, typed_key, _BLANK_FILE))
            .then(unless_excel_error(typed_col))
            .alias(Col.COMPANY),
            _is_placeholder(typed_col, typed_key, _NO_EMPLOYER_FILE).alias("_company.no_employer"),
        )
    )
    # "King Group Inc. (kinggroup.com)": a CRM writes the web address beside the name;
    # the key is the name's.
    named = with_company.with_columns(
        _spaced_for_legal_terms(pl.col(Col.COMPANY).str.replace(_WEB_ADDRESS_AFTER, "")).alias(
            "_company.named"
        )
    )
    based = _with_legal_base(named, "_company.named", "_company.base").drop("_company.named")
    has_employer = pl.col(Col.COMPANY).is_not_null() & ~pl.col("_company.no_employer")
    key = pl.when(has_employer).then(
        pl.coalesce(
            _name_in_web_address(pl.col(Col.COMPANY)), company_key_of(pl.col("_company.base"))
        )
    )
    return based.with_columns(key.alias(Col.COMPANY_KEY)).with_columns(
        pl.col(Col.COMPANY_KEY).is_null().alias(frame.flag("company.missing"))
    )


def normalize_company(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``company``, ``company_key`` and ``flag.company.missing`` (see the module
    docstring for placeholders)."""
    return on_distinct(
        lf,
        [frame.raw(Field.COMPANY)],
        _company_columns,
        [Col.COMPANY, Col.COMPANY_KEY, frame.flag("company.missing")],
    )
