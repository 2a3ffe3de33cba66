"""The hashed per-row keys the comparisons read agree with the text they stand for."""

from __future__ import annotations

import itertools

import polars as pl

from leadtriage.dedupe.blocking import EMAIL_ALIAS, email_alias
from leadtriage.dedupe.features import build_features, sounded
from leadtriage.dedupe.nicknames import nickname_groups
from leadtriage.schema import Col


def _features(first: list[str | None], email: list[str | None]) -> pl.DataFrame:
    return build_features(
        pl.DataFrame(
            {Col.FIRST_NAME: first, Col.LAST_NAME: first, Col.EMAIL_KEY: email},
            schema={Col.FIRST_NAME: pl.String, Col.LAST_NAME: pl.String, Col.EMAIL_KEY: pl.String},
        )
    )


def test_sound_keys_are_equal_exactly_when_the_sounds_are() -> None:
    names: list[str | None] = [*sorted(nickname_groups())[:1500], "shmidt", "schmidt", None]
    features = _features(names, [None] * len(names))
    text = features.select(sounded(pl.col("first")).alias("text"), pl.col("first_sound"))
    by_key = text.group_by("first_sound").agg(pl.col("text").n_unique(), pl.len())
    # Every key stands for one sound and every sound has one key; a null name has none.
    assert by_key.filter(pl.col("first_sound").is_not_null())["text"].max() == 1
    assert text["first_sound"].n_unique() == text["text"].n_unique()
    assert features["first_sound"][-1] is None
    assert features["first_sound"][-2] == features["first_sound"][-3]


def test_alias_keys_are_equal_exactly_when_the_aliases_are() -> None:
    locals_ = ["anna.smith", "anna_smith", "annasmith", "anna-smith", "a.smith", "smith.anna"]
    domains = ["acme.com", "acme.de"]
    emails: list[str | None] = [f"{a}@{d}" for a, d in itertools.product(locals_, domains)]
    features = _features([None] * (len(emails) + 1), [*emails, None])
    alias = pl.DataFrame({"email": [*emails, None]}).select(email_alias(pl.col("email")))
    keys, texts = features[EMAIL_ALIAS].to_list(), alias.to_series().to_list()
    for (k1, t1), (k2, t2) in itertools.combinations(zip(keys[:-1], texts[:-1], strict=True), 2):
        assert (k1 == k2) == (t1 == t2), (t1, t2)
    assert keys[-1] is None
