"""Website values -> bare lowercase domains, and the company's domain.

"https://www.Acme.com/about?x=1", "ACME.COM" and "www.acme.com/" all give
"acme.com". Scheme, user info, "www." (and "www2."), port, path, query and fragment
go; what is left must look like a host name with a top-level domain, else the
website is null (junk such as "n/a", "-", "localhost", an IP address, an email
address). Profile pages on social networks ("linkedin.com/in/jane") say nothing
about the company's own domain and give null too.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from leadtriage import frame
from leadtriage.normalize.domains import registrable_domain
from leadtriage.normalize.text import on_distinct, squish
from leadtriage.schema import Col, Field

_LABEL: Final = r"[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?"
_TLD: Final = r"(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})"
DOMAIN_PATTERN: Final = rf"^(?:{_LABEL}\.)+{_TLD}$"

SOCIAL_HOSTS: Final[tuple[str, ...]] = (
    "linkedin.com",
    "facebook.com",
    "fb.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "youtube.com",
    "tiktok.com",
    "linktr.ee",
    "xing.com",
)


def bare_domain(expr: pl.Expr) -> pl.Expr:
    """The host of a URL-ish value, lowercased, without "www."; null when it is not
    a plausible public host name, or is a social network's."""
    host = host_name(expr)
    social = "|".join(name.replace(".", r"\.") for name in SOCIAL_HOSTS)
    return pl.when(~host.str.contains(rf"(?:^|\.)(?:{social})$")).then(host)


def host_name(expr: pl.Expr) -> pl.Expr:
    """The host of a URL-ish value, lowercased, without "www."; null when it is not a
    plausible public host name. Social networks' hosts are hosts here: a rule on an
    email domain may name x.com."""
    text = squish(expr).str.to_lowercase()
    has_scheme = text.str.contains(r"^[a-z][a-z0-9+.-]*://")
    host = (
        text.str.replace(r"^[a-z][a-z0-9+.-]*://", "")
        .str.replace(r"^[^/?#]*@", "")
        .str.replace(r"[/?#\\].*$", "")
        .str.replace(r":\d*$", "")
        .str.strip_chars(".")
        .str.replace(r"^www\d*\.", "")
    )
    # Without a scheme, "@" means an email address typed into the website field.
    is_email = ~has_scheme & text.str.contains("@")
    plausible = host.str.contains(DOMAIN_PATTERN) & ~is_email
    return pl.when(plausible).then(host)


def _optional_flag(schema: pl.Schema, slug: str) -> pl.Expr:
    name = frame.flag(slug)
    return pl.col(name).fill_null(False) if name in schema else pl.lit(False)


def normalize_website(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``website`` (bare domain or null) and ``company_domain``: the website's
    registrable domain (Public Suffix List: ``shop.acme.co.uk`` gives ``acme.co.uk``),
    else the email's domain when it is not free, disposable or invalid mail.

    Runs after the email stage: needs ``email_domain`` and ``flag.email.free``."""
    schema = lf.collect_schema()
    with_website = on_distinct(
        lf,
        [frame.raw(Field.WEBSITE)],
        lambda values: values.with_columns(
            bare_domain(pl.col(frame.raw(Field.WEBSITE)).cast(pl.String)).alias(Col.WEBSITE)
        ).with_columns(
            pl.coalesce(registrable_domain(pl.col(Col.WEBSITE)), pl.col(Col.WEBSITE)).alias(
                "_website.registrable"
            )
        ),
        [Col.WEBSITE, "_website.registrable"],
    )
    email_is_company = ~(
        pl.col(frame.flag("email.free")).fill_null(False)
        | _optional_flag(schema, "email.disposable")
        | _optional_flag(schema, "email.invalid")
    )
    email_domain = pl.when(email_is_company).then(
        pl.col(Col.EMAIL_DOMAIN).cast(pl.String).str.to_lowercase()
    )
    return with_website.with_columns(
        pl.coalesce(pl.col("_website.registrable"), email_domain).alias(Col.COMPANY_DOMAIN)
    ).drop("_website.registrable")
