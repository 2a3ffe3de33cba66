"""Domain lists matched the one way: a listed domain covers itself and its subdomains.

Used wherever a domain meets a list (disposable mail providers, do-not-contact
domains), so ``mail.rival.example`` is caught by ``rival.example`` everywhere alike.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl


def last_labels(domain: pl.Expr, count: int) -> pl.Expr:
    """The last `count` labels of `domain` (``a.b.example``, 2: ``b.example``); null
    when it has fewer. Empty labels count, as in ``b..example``."""
    return domain.str.extract(rf"((?:[^.]*\.){{{count - 1}}}[^.]*)$", 1)


def in_domain_list(domain: pl.Expr, domains: Collection[str]) -> pl.Expr:
    """True where `domain` or a parent of it is in `domains`; never null.

    Vectorised: one suffix per label count the list holds, each met with ``is_in``.
    """
    listed = sorted({d for d in domains if d})
    if not listed:
        return pl.lit(False)
    values = pl.Series(listed, dtype=pl.String).implode()
    counts = sorted({d.count(".") + 1 for d in listed})
    return pl.any_horizontal(
        last_labels(domain, count).is_in(values).fill_null(False) for count in counts
    )
