"""Text tests (equals, in, contains, starts_with, ends_with) compare both sides in
Unicode NFC and case-folded, as Python's ``unicodedata.normalize`` and
``str.casefold`` would, but vectorised in Polars."""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from faker import Faker

from leadtriage.frame import flag
from leadtriage.rules import apply_rules, load_rules
from leadtriage.rules.lists import normalise_values, normalised

FrameMaker = Callable[[dict[str, Any]], pl.LazyFrame]
Fires = Callable[..., list[bool]]


def reference(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip()).casefold()


def test_a_decomposed_accent_meets_a_composed_one(make_frame: FrameMaker, fires: Fires) -> None:
    decomposed = unicodedata.normalize("NFD", "Universität Wien")
    lf = make_frame({"company": [decomposed, "Universitat Wien"]})
    assert fires('{ field = "company", contains = "universität" }', lf) == [True, False]
    lf = make_frame({"company": ["Universität Wien"]})
    nfd_needle = json.dumps(unicodedata.normalize("NFD", "UNIVERSITÄT"), ensure_ascii=False)
    assert fires(f'{{ field = "company", starts_with = {nfd_needle} }}', lf) == [True]


def test_sharp_s_and_final_sigma_are_case_folded(make_frame: FrameMaker, fires: Fires) -> None:
    lf = make_frame({"company": ["STRASSE AG", "Straße AG", "STRAẞE AG", "Strase AG"]})
    assert fires('{ field = "company", starts_with = "straße" }', lf) == [True, True, True, False]
    assert fires('{ field = "company", equals = "strasse ag" }', lf) == [True, True, True, False]
    lf = make_frame({"company": ["ΟΔΟΣ ΑΕ", "Οδος Αε"]})
    assert fires('{ field = "company", in = ["οδοσ αε"] }', lf) == [True, True]


def _values(count: int) -> list[str]:
    fake = Faker(["de_DE", "fr_FR", "tr_TR", "el_GR", "es_ES", "pl_PL", "nl_NL", "da_DK"])
    Faker.seed(11)
    rng = random.Random(11)
    tricky = "ßẞſςΣσİıIiǅǄǆﬁﬀŉǰΐΰẞÅÅKKΩΩµΜ" + "\u0301\u0308\u030a"
    values = [fake.company() for _ in range(count)] + [fake.city() for _ in range(count)]
    values += [
        "".join(rng.choice(tricky + "abc ") for _ in range(rng.randint(1, 8))) for _ in range(count)
    ]
    forms = ("NFC", "NFD", "NFKC")
    changed = [unicodedata.normalize(rng.choice(forms), v) for v in values]
    cased = [rng.choice((str.upper, str.lower, str.title, str))(v) for v in changed]
    return [v.strip() for v in values + cased if v.strip()]


def test_the_polars_form_is_python_s_nfc_casefold_on_many_values() -> None:
    values = _values(400)
    series = pl.Series("v", values, dtype=pl.String)
    folded = series.to_frame().select(normalised(pl.col("v"))).to_series().to_list()
    mismatches = [
        (v, f, reference(v)) for v, f in zip(values, folded, strict=True) if f != reference(v)
    ]
    assert mismatches == []
    assert set(normalise_values(values)) == {reference(v) for v in values}


def test_every_character_folds_as_python_folds_it() -> None:
    chars = [
        chr(point)
        for point in range(0x110000)
        if not 0xD800 <= point < 0xE000 and unicodedata.category(chr(point)) != "Cn"
    ]
    series = pl.Series("v", [f"a{c}a" for c in chars], dtype=pl.String)
    folded = series.to_frame().select(normalised(pl.col("v"))).to_series().to_list()
    assert [c for c, f in zip(chars, folded, strict=True) if f != reference(f"a{c}a")] == []


def test_text_tests_agree_with_the_python_reference(make_frame: FrameMaker, fires: Fires) -> None:
    values = _values(150)
    rng = random.Random(3)
    picked = rng.sample(values, 25)
    needles = picked[:8] + [v[: rng.randint(1, len(v))] for v in picked[8:]]
    lf = make_frame({"company": values})
    for operator, holds in (
        ("contains", lambda cell, needle: needle in cell),
        ("starts_with", str.startswith),
        ("ends_with", str.endswith),
        ("in", lambda cell, needle: cell == needle),
    ):
        listed = json.dumps(needles, ensure_ascii=False)
        result = fires(f'{{ field = "company", {operator} = {listed} }}', lf)
        keys = [reference(n) for n in needles if reference(n)]
        expected = [any(holds(reference(v), k) for k in keys) for v in values]
        assert result == expected, operator
        assert any(expected)


def test_suppressed_addresses_stay_lowercased_not_case_folded(
    make_frame: FrameMaker, write_rules: Callable[[str], Path]
) -> None:
    # The hash recipe and the ledger's erasures take the lowercased address: a listed
    # one folded ("ß" to "ss") would hash apart from the row's.
    rules = load_rules(write_rules('[suppress]\nemails = ["Straße@Acme.de"]\n'))
    assert "straße@acme.de" in rules.suppress.emails
    lf = make_frame({"email": ["straße@acme.de", "other@acme.de"]})
    out = apply_rules(lf, rules).collect()
    assert out.get_column(flag("suppressed")).to_list() == [True, False]
