"""Free-text fields and the shared text helpers (squish, ASCII folding, data files)."""

from __future__ import annotations

import random
import unicodedata

import polars as pl
import pytest
from anyascii import anyascii
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtriage import frame
from leadtriage.normalize.text import (
    NFC_MAY_CHANGE,
    TEXT_FIELDS,
    ascii_fold,
    data_pairs,
    latin_fold,
    match_key,
    nfc,
    normalize_text,
    on_distinct,
    per_distinct,
    squish,
)


def _frame(field: str, values: list[str | None]) -> pl.LazyFrame:
    columns: dict[str, list[str | None]] = {frame.raw(f): [None] * len(values) for f in TEXT_FIELDS}
    columns[frame.raw(field)] = values
    return pl.LazyFrame(columns, schema={name: pl.String for name in columns}).with_columns(
        pl.int_range(1, len(values) + 1, dtype=pl.Int64).alias(frame.SOURCE_ROW)
    )


def _clean(field: str, values: list[str | None]) -> list[str | None]:
    return normalize_text(_frame(field, values)).collect()[field].to_list()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Senior   Marketing\tManager ", "Senior Marketing Manager"),
        ("VP, Sales", "VP, Sales"),
        ("   ", None),
        ("", None),
        (None, None),
        ("\u00a0CEO\u00a0", "CEO"),  # non-breaking spaces from web forms
        ("n/a", None),  # a form's placeholder is no title a CRM should hold
        ("N/A", None),
        (" - ", None),
        ("none", None),
        ("Not provided", None),
    ],
)
def test_job_title_is_trimmed_collapsed_and_blank_is_null(
    raw: str | None, clean: str | None
) -> None:
    assert _clean("job_title", [raw]) == [clean]


def test_postcodes_keep_leading_zeros_and_their_own_spelling() -> None:
    assert _clean("postcode", ["02134", " 01067 ", "SW1A  1AA", "00501"]) == [
        "02134",
        "01067",
        "SW1A 1AA",
        "00501",
    ]


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#VALUE!", " #NAME? ", "#div/0!"])
def test_an_excel_error_in_a_text_field_is_no_value(field: str, error: str) -> None:
    """A failed formula's error, kept as text by a CSV saved from Excel or by the
    workbook reader, reached the CRM as a city or a postcode."""
    assert _clean(field, [error, "Paris"]) == [None, "Paris"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("12 Main St\nApt 4", "12 Main St, Apt 4"),
        ("12 Main St,\r\nApt 4\r\n", "12 Main St, Apt 4"),
        ("Hauptstraße 5\n\n10115 Berlin", "Hauptstraße 5, 10115 Berlin"),
        ("1 Infinite Loop", "1 Infinite Loop"),
    ],
)
def test_multi_line_addresses_become_one_line(raw: str, clean: str) -> None:
    assert _clean("address", [raw]) == [clean]


def test_every_text_field_gets_its_output_column() -> None:
    out = normalize_text(_frame("city", [" München "])).collect()
    assert set(TEXT_FIELDS) <= set(out.columns)
    assert out["city"].to_list() == ["München"]
    assert out["state"].to_list() == [None]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Müller", "mueller"),
        ("Mueller", "mueller"),
        ("José", "jose"),
        ("O'Neil", "oneil"),
        ("Иван", "ivan"),
        ("Łukasz Żółć", "lukasz zolc"),
        ("Søren", "soren"),
        ("Straße", "strasse"),
        ("  ", None),
    ],
)
def test_match_key_transliterates_and_casefolds(raw: str, key: str | None) -> None:
    assert pl.select(match_key(pl.lit(raw, dtype=pl.String))).item() == key


def test_ascii_fold_keeps_case_and_plain_ascii_untouched() -> None:
    values = pl.Series("v", ["Jane Doe", "Ärger", "李雷", None])
    folded = values.to_frame().select(ascii_fold(pl.col("v"))).to_series().to_list()
    assert folded == ["Jane Doe", "Aerger", "LiLei", None]


def test_data_pairs_skip_comments_and_blank_lines() -> None:
    pairs = data_pairs("consent_values.txt")
    assert ("granted", "opt-in") in pairs
    assert all(not key.startswith("#") for key, _ in pairs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), min_size=1, max_size=30))
def test_text_stage_is_idempotent_and_keeps_rows_in_order(values: list[str | None]) -> None:
    out = normalize_text(_frame("address", values)).collect()
    assert out[frame.SOURCE_ROW].to_list() == list(range(1, len(values) + 1))
    again = _clean("address", out["address"].to_list())
    assert again == out["address"].to_list()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), min_size=1, max_size=20))
def test_squish_is_idempotent(values: list[str | None]) -> None:
    once = pl.Series("v", values, dtype=pl.String).to_frame().select(squish(pl.col("v")))
    twice = once.select(squish(pl.col("v")))
    assert once.to_series().to_list() == twice.to_series().to_list()


def test_on_distinct_computes_once_per_value_and_keeps_every_row_in_place() -> None:
    lf = pl.LazyFrame(
        {"k": ["b", None, "a", "b", None, "a"], frame.SOURCE_ROW: [1, 2, 3, 4, 5, 6]},
        schema={"k": pl.String, frame.SOURCE_ROW: pl.Int64},
    )
    seen: list[int] = []

    def compute(values: pl.LazyFrame) -> pl.LazyFrame:
        def count(batch: pl.Series) -> pl.Series:
            seen.append(batch.len())
            return batch

        return values.with_columns(
            pl.col("k").map_batches(count, return_dtype=pl.String).str.to_uppercase().alias("K"),
            pl.col("n").alias("rows"),
        )

    out = on_distinct(lf, ["k"], compute, ["K", "rows"], row_count="n").collect()
    assert out[frame.SOURCE_ROW].to_list() == [1, 2, 3, 4, 5, 6]
    assert out["K"].to_list() == ["B", None, "A", "B", None, "A"]
    assert out["rows"].to_list() == [2, 2, 2, 2, 2, 2]
    assert seen == [3]  # "a", "b" and null, once each


def test_on_distinct_over_several_keys_and_lists_tells_every_combination_apart() -> None:
    """Several keys go through one struct column: nulls, empty lists, a list holding a
    null and keys swapped between columns must stay distinct combinations."""
    lists: list[list[str | None] | None] = [None, [], [None], ["x"], ["x", "y"], ["y", "x"]]
    texts = [None, "", "x", "y"]
    rows = [(a, b, c) for a in texts for b in texts for c in lists] * 2
    lf = pl.LazyFrame(
        {
            "a": [a for a, _, _ in rows],
            "b": [b for _, b, _ in rows],
            "c": [c for _, _, c in rows],
            frame.SOURCE_ROW: list(range(len(rows))),
        },
        schema={
            "a": pl.String,
            "b": pl.String,
            "c": pl.List(pl.String),
            frame.SOURCE_ROW: pl.Int64,
        },
    )
    described = pl.concat_str(
        pl.col("a").fill_null("<null>"),
        pl.col("b").fill_null("<null>"),
        pl.col("c").list.eval(pl.element().fill_null("<null>")).list.join(",").fill_null("<null>"),
        pl.col("c").list.len().cast(pl.String).fill_null("-"),
        separator="|",
    )
    out = on_distinct(
        lf,
        ["a", "b", "c"],
        lambda values: values.with_columns(described.alias("d"), pl.col("n").alias("rows")),
        ["d", "rows"],
        row_count="n",
    ).collect()
    assert out[frame.SOURCE_ROW].to_list() == list(range(len(rows)))
    assert out.drop("d", "rows").equals(lf.collect())
    assert out["d"].to_list() == lf.select(described).collect().to_series().to_list()
    assert set(out["rows"].to_list()) == {2}  # every combination twice, none merged


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.sampled_from(["a.b", "A.B", "x", ""]), st.text(max_size=6)))
)
def test_per_distinct_gives_every_row_what_the_expression_gives_it(
    values: list[str | None],
) -> None:
    def compute(value: pl.Expr) -> pl.Expr:
        # Not null for a null value: a null row must get it too.
        length = value.str.len_chars().fill_null(-1).cast(pl.String)
        return value.fill_null("<null>").str.to_uppercase() + "|" + length

    column = pl.Series("v", values, dtype=pl.String).to_frame()
    expected = column.select(compute(pl.col("v"))).to_series().to_list()
    got = column.select(per_distinct(pl.col("v"), compute, pl.String())).to_series()
    assert got.to_list() == expected
    assert got.name == "v"


def _fold_corpus() -> list[str]:
    """Names and companies from many locales, plus random Latin-1/Extended-A text."""
    values: list[str] = []
    locales = ("de_DE", "fr_FR", "es_ES", "pt_BR", "pl_PL", "cs_CZ", "sv_SE", "da_DK", "tr_TR",
               "hu_HU", "ro_RO", "vi_VN", "it_IT", "nl_NL", "fi_FI", "hr_HR")  # fmt: skip
    for locale in locales:
        fake = Faker(locale)
        fake.seed_instance(9)
        values.extend(fake.name() for _ in range(150))
        values.extend(fake.company() for _ in range(50))
    rng = random.Random(13)
    alphabet = [chr(c) for c in range(0x20, 0x250)] + ["ﬁ", "²", "™", "№", "ǅ", "ẞ", "Ⅻ"]
    values.extend(
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3000)
    )
    return values


def test_latin_fold_agrees_with_anyascii_wherever_it_settles_a_value() -> None:
    """Where the vector path leaves pure ASCII and German rules did not apply, it must
    say what anyascii says (German umlauts are ae/oe/ue on purpose)."""
    corpus = [v for v in _fold_corpus() if not set(v) & set("äöüÄÖÜßẞ")]
    folded = pl.DataFrame({"v": corpus}).with_columns(f=latin_fold(pl.col("v")))
    settled = folded.filter(~pl.col("f").str.contains(r"[^\x00-\x7f]"))
    disagreements = [(v, f, anyascii(v)) for v, f in settled.iter_rows() if f != anyascii(v)]
    assert disagreements == []
    assert settled.height > len(corpus) // 2


def _nfc_changing_code_points() -> list[str]:
    """Every character NFC may change, alone or after another: those not NFC alone
    (singletons), those with a combining class (reordered), the second of every
    two-character canonical decomposition (composed with the one before), and the
    Hangul vowels and finals that join a syllable."""
    found = set()
    for point in range(0x110000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        char = chr(point)
        if not unicodedata.is_normalized("NFC", char) or unicodedata.combining(char):
            found.add(char)
        decomposition = unicodedata.decomposition(char).split()
        if len(decomposition) == 2 and not decomposition[0].startswith("<"):
            found.add(chr(int(decomposition[1], 16)))
    found.update(map(chr, [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]))
    return sorted(found)


def test_the_characters_nfc_may_change_are_all_in_the_fast_paths_class() -> None:
    # The fast path composes only values holding one of NFC_MAY_CHANGE: a character
    # outside it that NFC changes would be left decomposed.
    changing = pl.Series("c", _nfc_changing_code_points())
    assert changing.len() > 2_000
    missed = changing.filter(~changing.str.contains(NFC_MAY_CHANGE))
    assert missed.to_list() == []


def test_nfc_is_unicodedatas_nfc() -> None:
    rng = random.Random(5)
    latin = [chr(p) for p in range(0xC0, 0x250)]
    decomposed = [unicodedata.normalize("NFD", w) for w in latin]
    hangul = [unicodedata.normalize("NFD", chr(rng.randrange(0xAC00, 0xD7A4))) for _ in range(500)]
    singletons = ["\u212b", "\u2126", "\uf900", "\u0387", "Ångström \u212bs"]
    marks = [chr(rng.randrange(0x300, 0x370)) for _ in range(50)]
    mixed = [
        "".join(rng.choice([*latin, *decomposed, *marks, "a", " ", "é"]) for _ in range(8))
        for _ in range(2_000)
    ]
    values = [*latin, *decomposed, *hangul, *singletons, *mixed, "plain ascii", None]
    got = pl.Series("v", values, dtype=pl.String).to_frame().select(nfc(pl.col("v"))).to_series()
    expected = [None if v is None else unicodedata.normalize("NFC", v) for v in values]
    assert got.to_list() == expected
