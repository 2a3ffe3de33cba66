"""Websites -> bare domains; the company's domain from the website or the email."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtriage import frame
from leadtriage.normalize.website import normalize_website


def _run(
    websites: list[str | None],
    email_domains: list[str | None] | None = None,
    free: list[bool] | None = None,
) -> pl.DataFrame:
    count = len(websites)
    lf = pl.LazyFrame(
        {
            frame.raw("website"): websites,
            "email_domain": email_domains or [None] * count,
            frame.flag("email.free"): free or [False] * count,
        },
        schema={
            frame.raw("website"): pl.String,
            "email_domain": pl.String,
            frame.flag("email.free"): pl.Boolean,
        },
    )
    return normalize_website(lf).collect()


@pytest.mark.parametrize(
    ("raw", "domain"),
    [
        ("https://www.Acme.com/about?x=1", "acme.com"),
        ("ACME.COM", "acme.com"),
        ("www.acme.co.uk/", "acme.co.uk"),
        ("http://acme.com:8080/path#top", "acme.com"),
        ("acme.com.", "acme.com"),
        ("  https://shop.acme.de  ", "shop.acme.de"),
        ("www2.acme.io", "acme.io"),
        ("https://user:secret@acme.org/", "acme.org"),
        ("müller-bau.de", "müller-bau.de"),
        ("xn--mller-bau-9db.de", "xn--mller-bau-9db.de"),
        ("acme.com/contact\\", "acme.com"),
    ],
)
def test_websites_become_bare_lowercase_domains(raw: str, domain: str) -> None:
    assert _run([raw])["website"].to_list() == [domain]


@pytest.mark.parametrize(
    "raw",
    [None, "", "n/a", "-", "none", "localhost", "http://", "acme", "192.168.0.1",
     "jane@acme.com", "https://www.linkedin.com/in/jane-doe", "facebook.com/acme",
     "uk.linkedin.com/company/acme", "acme..com", "-acme.com", "www."],
)  # fmt: skip
def test_junk_and_profile_pages_give_no_website(raw: str | None) -> None:
    assert _run([raw])["website"].to_list() == [None]


def test_company_domain_prefers_the_website_then_a_business_email_domain() -> None:
    out = _run(
        websites=["www.acme.com", None, None, "n/a"],
        email_domains=["other.com", "globex.com", "gmail.com", None],
        free=[False, False, True, False],
    )
    assert out["company_domain"].to_list() == ["acme.com", "globex.com", None, None]


def test_disposable_and_invalid_email_domains_are_no_company_domain() -> None:
    lf = pl.LazyFrame(
        {
            frame.raw("website"): [None, None, None],
            "email_domain": ["mailinator.com", "acme", "Globex.COM"],
            frame.flag("email.free"): [False, False, False],
            frame.flag("email.disposable"): [True, False, False],
            frame.flag("email.invalid"): [False, True, False],
        },
        schema_overrides={frame.raw("website"): pl.String},
    )
    out = normalize_website(lf).collect()
    assert out["company_domain"].to_list() == [None, None, "globex.com"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.from_regex(r"(https?://)?(www\.)?[a-zA-Z0-9-]{1,12}\.(com|co\.uk|de)(/[a-z?=]*)?",
                          fullmatch=True),
            st.text(max_size=20),
        ),
        min_size=1,
        max_size=30,
    )
)  # fmt: skip
def test_website_is_idempotent_and_keeps_rows(values: list[str | None]) -> None:
    out = _run(values)
    assert out[frame.raw("website")].to_list() == values
    domains = out["website"].to_list()
    assert _run(domains)["website"].to_list() == domains


@pytest.mark.parametrize(
    ("raw", "company_domain"),
    [
        ("https://shop.acme.de", "acme.de"),
        ("www.pimenta.com.br/contato", "pimenta.com.br"),
        ("blog.acme.co.uk", "acme.co.uk"),
        ("https://www.acme.com.au/", "acme.com.au"),
        ("acme.github.io", "acme.github.io"),  # a private suffix: the site is the owner's
    ],
)
def test_company_domain_of_a_website_is_its_registrable_domain(
    raw: str, company_domain: str
) -> None:
    out = _run([raw])
    assert out["company_domain"].to_list() == [company_domain]
