"""Differential test: the vectorised legal-form path agrees with cleanco on every
value it settles (Faker company names in several locales, suffix-stacked, re-cased,
plus random and hostile strings)."""

from __future__ import annotations

import random

import polars as pl
from cleanco.clean import prepare_default_terms
from faker import Faker

from leadtriage.normalize.company import cleanco_base, fast_legal_base, legal_terms
from leadtriage.normalize.text import squish

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL", "it_IT", "pt_BR", "pl_PL",
           "sv_SE", "da_DK", "fi_FI", "cs_CZ", "ru_RU", "ja_JP", "tr_TR")  # fmt: skip

HOSTILE = [
    "ACME, Inc.", "Acme Incorporated", "Acme Inc. Ltd", "Acme Ltd Inc", "Sony Co., Ltd.",
    "Foo GmbH & Co. KG", "Bar Pty Ltd", "Baz S.A.S.", "Smith & Co", "The Company",
    "Inc.", "AG", "Foo AG Inc", "Foo Inc AG", "Acme Corp.)", "Nestlé S.A.", "Østergaard ApS",
    "Łódź Sp. z o.o.", "Straße GmbH", "Foo -", "Foo, ", "Foo (Europe) Ltd", "A/S Foo",
    "Foo A/S", "Foo a.s.", "Bar Oy", "Bar Oyj", "Baz AB", "Acme plc", "ACME LLC.",
    "Acme L.L.C.", "Acme S.p.A.", "Acme SpA", "Acme B.V.", "Acme N.V.", "Acme K.K.",
    "Acme Holdings Limited", "Acme-Ltd", "Acme.Inc", "Acme Inc,", "Acme & Sons",
    "Procter & Gamble Co", "AT&T Inc.", "株式会社トヨタ", "ООО «Ромашка»", "Acme SE",
]  # fmt: skip


def _faker_companies(per_locale: int) -> list[str]:
    names: list[str] = []
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(20260304)
        names.extend(fake.company() for _ in range(per_locale))
    return names


def _random_companies(count: int) -> list[str]:
    rng = random.Random(11)
    # cleanco's own terms, written as people write them: dotted, upper case, comma'd.
    terms = sorted(" ".join(parts) for _, parts in prepare_default_terms())
    terms += ["Inc.", "L.L.C.", "S.A.S.", "GmbH & Co. KG", "Co., Ltd.", ", Inc", "Pty. Ltd."]
    words = ["Acme", "Global", "Müller", "Nordic", "Data", "&", "and", "Co.", "-", "(UK)", ".",
             "Søren", "Straße", "Łódź", "İstanbul", ","]  # fmt: skip
    out = []
    for _ in range(count):
        stem = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
        suffix = " ".join(rng.choice(terms) for _ in range(rng.randint(0, 2)))
        text = f"{stem} {suffix}"
        out.append(text.upper() if rng.random() < 0.2 else text)
    return out


def _corpus() -> list[str]:
    values = _faker_companies(300) + HOSTILE + _random_companies(3000)
    squished = pl.DataFrame({"v": values}).select(squish(pl.col("v"))).to_series()
    return sorted(set(squished.drop_nulls().to_list()))


def test_fast_legal_base_agrees_with_cleanco_on_every_value_it_settles() -> None:
    corpus = _corpus()
    settled = (
        pl.DataFrame({"name": corpus})
        .with_columns(base=fast_legal_base(pl.col("name")))
        .filter(pl.col("base").is_not_null())
    )
    disagreements = [
        (name, base, cleanco_base(name))
        for name, base in settled.iter_rows()
        if base != cleanco_base(name)
    ]
    assert disagreements == []
    assert settled.height > len(corpus) // 3


def test_the_fast_path_strips_one_plain_term_and_leaves_stacks_to_cleanco() -> None:
    assert "gmbh" in legal_terms().single
    names = ["Acme GmbH", "Acme Widgets", "Acme Pty Ltd", "Acme Inc Ltd", "AG"]
    bases = pl.DataFrame({"n": names}).select(fast_legal_base(pl.col("n"))).to_series()
    assert bases.to_list() == ["Acme", "Acme Widgets", None, None, None]
