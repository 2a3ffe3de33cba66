"""--check-mx without the network: the DNS resolver is replaced."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import dns.exception
import dns.resolver
import polars as pl
import pytest
from typer.testing import CliRunner

from leadtriage import frame
from leadtriage.cli import app
from leadtriage.normalize.email import MX_UNCHECKED, check_mx, normalize_email

MX_UNKNOWN = frame.flag("email.mx_unknown")


def _emails(values: list[str | None]) -> pl.LazyFrame:
    lf = pl.LazyFrame({frame.raw("email"): values}, schema={frame.raw("email"): pl.String})
    return normalize_email(lf)


class FakeResolver:
    """Stands in for dnspython: ``records`` maps (domain, type) to a verdict."""

    def __init__(self, records: dict[tuple[str, str], str]) -> None:
        self.records = records
        self.asked: Counter[str] = Counter()

    def resolve(self, qname: str, rdtype: str, *args: object, **kwargs: object) -> object:
        self.asked[qname] += 1
        verdict = self.records.get((qname, rdtype), "nxdomain")
        if verdict == "ok":
            return object()
        if verdict == "noanswer":
            raise dns.resolver.NoAnswer
        if verdict == "timeout":
            raise dns.exception.Timeout
        raise dns.resolver.NXDOMAIN


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> FakeResolver:
    fake = FakeResolver(
        {
            ("acme.com", "MX"): "ok",
            ("a-record-only.com", "MX"): "noanswer",
            ("a-record-only.com", "A"): "ok",
            ("slow.com", "MX"): "timeout",
            ("gmail.com", "MX"): "ok",  # the check's proof that DNS answers truly
        }
    )
    monkeypatch.setattr(dns.resolver.Resolver, "resolve", fake.resolve)
    return fake


def test_mx_unknown_per_domain(resolver: FakeResolver) -> None:
    values: list[str | None] = [
        "jane@acme.com",
        "jane@a-record-only.com",
        "jane@no-such-domain.com",
        "jane@slow.com",
        "not an email",
        None,
    ]
    out = check_mx(_emails(values)).collect()
    assert out.get_column(MX_UNKNOWN).to_list() == [False, False, True, True, False, False]


def test_each_distinct_domain_is_looked_up_once(resolver: FakeResolver) -> None:
    values: list[str | None] = ["a@acme.com", "b@acme.com", "c@ACME.com", "d@no-such-domain.com"]
    check_mx(_emails(values)).collect()
    assert resolver.asked["acme.com"] == 1
    assert resolver.asked["no-such-domain.com"] == 2  # MX, then the A fallback


def test_no_network_gives_up_early_and_tags_no_row(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without DNS nothing was learnt about any domain: one warning for the run (from
    # MX_UNCHECKED), not email.mx_unknown on every row.
    calls: list[str] = []

    def unreachable(self: object, qname: str, *args: object, **kwargs: object) -> object:
        calls.append(qname)
        raise dns.resolver.NoNameservers

    monkeypatch.setattr(dns.resolver.Resolver, "resolve", unreachable)
    values: list[str | None] = [f"jane@company{n}.com" for n in range(60)] + [None]
    out = check_mx(_emails(values)).collect()
    assert not out.get_column(MX_UNKNOWN).any()
    assert out.get_column(MX_UNCHECKED).to_list() == [True] * 60 + [False]
    assert len(calls) < 60


def test_a_resolver_that_knows_no_domain_at_all_tags_no_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sandbox's or a captive network's DNS answers 'no such domain' to everything:
    168 of 174 rows were tagged email.mx_unknown, gmail.com's among them, and no
    warning said DNS was useless."""

    def knows_nothing(self: object, qname: str, *args: object, **kwargs: object) -> object:
        raise dns.resolver.NXDOMAIN

    monkeypatch.setattr(dns.resolver.Resolver, "resolve", knows_nothing)
    values: list[str | None] = ["jane@gmail.com", "joe@acme.com", None]
    out = check_mx(_emails(values)).collect()
    assert not out.get_column(MX_UNKNOWN).any()
    assert out.get_column(MX_UNCHECKED).to_list() == [True, True, False]


def test_checked_domains_are_not_marked_unchecked(resolver: FakeResolver) -> None:
    out = check_mx(_emails(["jane@acme.com", "jane@no-such-domain.com"])).collect()
    assert not out.get_column(MX_UNCHECKED).any()


def test_lookup_can_be_replaced() -> None:
    out = check_mx(
        _emails(["a@acme.com", "b@other.org"]), has_mail_server=lambda domain: domain == "acme.com"
    ).collect()
    assert out.get_column(MX_UNKNOWN).to_list() == [False, True]


def test_clean_without_dns_warns_once_and_tags_no_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(self: object, qname: str, *args: object, **kwargs: object) -> object:
        raise dns.resolver.NoNameservers

    monkeypatch.setattr(dns.resolver.Resolver, "resolve", unreachable)
    export = tmp_path / "hubspot.csv"
    rows = "\n".join(f"jane{n}@company{n}.com,Jane,Doe{n}" for n in range(30))
    export.write_text(f"Email,First Name,Last Name\n{rows}\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["clean", str(export), "--check-mx", "-o", str(tmp_path / "out"), "--force"]
    )
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "--check-mx" in line]
    assert len(warnings) == 1 and "30 rows" in warnings[0]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert "email.mx_unknown" not in summary["reasons"]
