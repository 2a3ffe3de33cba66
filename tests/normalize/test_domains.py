"""Registrable domains of a column: the batch path against one value at a time."""

from __future__ import annotations

import polars as pl
import pytest

from leadtriage.normalize.domains import registrable, registrable_domain

HOSTS = [
    "mail.pimenta.com.br", "MAIL.Pimenta.COM.BR", "pimenta.com.br", "acme.co.uk",
    "eu.mail.acme.co.uk", "Bücher.DE", "bücher.de", "acme.github.io", "com.br", "co.uk",
    "localhost", "acme.xyzzy", "ACME.XYZZY", "-acme.com", "acme_corp.com", "acme.123",
    "acme..com", "acme.com.", "", " acme.com", "not a host", "ドメイン.テスト", "İstanbul.com.tr",
    None,
]  # fmt: skip


def _column(values: list[str | None], *, known_suffix_only: bool) -> list[str | None]:
    return (
        pl.Series("host", values, dtype=pl.String)
        .to_frame()
        .select(registrable_domain(pl.col("host"), known_suffix_only=known_suffix_only))
        .to_series()
        .to_list()
    )


@pytest.mark.parametrize("known_suffix_only", [False, True])
def test_a_batch_gives_each_value_what_it_gives_alone(known_suffix_only: bool) -> None:
    """Repeated, mixed-case and non-host values side by side: each row gets its own
    value's answer (the lookup runs on distinct values and is mapped back)."""
    batch = HOSTS * 3
    alone = [_column([host], known_suffix_only=known_suffix_only)[0] for host in batch]
    assert _column(batch, known_suffix_only=known_suffix_only) == alone


def test_host_names_get_the_list_answer_and_the_rest_null() -> None:
    got = dict(zip(HOSTS, _column(HOSTS, known_suffix_only=False), strict=True))
    assert got["MAIL.Pimenta.COM.BR"] == "pimenta.com.br" == registrable("MAIL.Pimenta.COM.BR")
    assert got["Bücher.DE"] == "bücher.de"
    assert got["com.br"] is None  # a bare public suffix
    for not_a_host in ("-acme.com", "acme_corp.com", "acme..com", "", " acme.com", "not a host"):
        assert got[not_a_host] is None, not_a_host
    assert got[None] is None
    assert _column(["ACME.XYZZY"], known_suffix_only=True) == [None]
    assert _column(["ACME.XYZZY"], known_suffix_only=False) == ["acme.xyzzy"]
