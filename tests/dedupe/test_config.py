from __future__ import annotations

import pytest

from leadtriage.dedupe import DedupeConfig
from leadtriage.errors import ConfigError


def test_defaults_keep_every_kind_of_evidence_and_a_grey_zone_below_a_match() -> None:
    config = DedupeConfig()
    assert config.evidence == ("email", "phone", "company", "domain")
    assert 0 < config.possible_probability < config.match_probability < 1


def test_table_values_replace_the_defaults() -> None:
    config = DedupeConfig.from_table(
        {"match_probability": 0.93, "evidence": ["email", "phone"], "max_block_size": 50}
    )
    assert (config.match_probability, config.evidence, config.max_block_size) == (
        0.93,
        ("email", "phone"),
        50,
    )


def test_unknown_key_is_named_with_its_path_and_a_suggestion() -> None:
    with pytest.raises(ConfigError) as caught:
        DedupeConfig.from_table({"match_probabilty": 0.9}, key_path="rules.dedupe")
    assert caught.value.problems == [
        "rules.dedupe.match_probabilty: unknown key (did you mean 'match_probability'?)"
    ]


@pytest.mark.parametrize("key", ["name_match", "name_part_floor"])
def test_the_old_name_thresholds_are_unknown_keys_now(key: str) -> None:
    # The ledger's name tiers were their last user; the shared matcher has no such knob.
    with pytest.raises(ConfigError) as caught:
        DedupeConfig.from_table({key: 0.9})
    assert caught.value.problems == [
        f"dedupe.{key}: unknown key (did you mean 'match_probability'?)"
    ]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        DedupeConfig.from_table(
            {
                "match_probability": 1.5,
                "evidence": ["emial"],
                "max_block_size": True,
                "enabled": "yes",
            }
        )
    assert caught.value.problems == [
        "dedupe.match_probability: must be a number from 0 to 1",
        "dedupe.evidence: unknown value 'emial' (did you mean 'email'?)",
        "dedupe.max_block_size: must be a whole number of at least 2",
        "dedupe.enabled: must be true or false",
    ]


def test_grey_zone_above_the_match_threshold_is_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        DedupeConfig.from_table({"match_probability": 0.8, "possible_probability": 0.9})
    assert caught.value.problems == [
        "dedupe.possible_probability: must not exceed match_probability"
    ]


def test_compare_columns_take_a_known_kind() -> None:
    config = DedupeConfig.from_table({"compare": {"city": "text", "postcode": "exact"}})
    assert dict(config.compare) == {"city": "text", "postcode": "exact"}
    with pytest.raises(ConfigError) as caught:
        DedupeConfig.from_table({"compare": {"birth": "dat"}, "match_probabilty": 0.9})
    assert caught.value.problems == [
        "dedupe.compare.birth: unknown kind 'dat' (did you mean 'date'?); "
        "use one of exact, name, text, date, number",
        "dedupe.match_probabilty: unknown key (did you mean 'match_probability'?)",
    ]


def test_survivor_order_accepts_only_known_criteria() -> None:
    assert DedupeConfig.from_table({"survivor_order": ["newest"]}).survivor_order == ("newest",)
    with pytest.raises(ConfigError):
        DedupeConfig.from_table({"survivor_order": ["oldest"]})


def test_household_guard_is_on_by_default_and_takes_only_true_or_false() -> None:
    assert DedupeConfig().household_guard
    assert not DedupeConfig.from_table({"household_guard": False}).household_guard
    with pytest.raises(ConfigError) as caught:
        DedupeConfig.from_table({"household_guard": "no"})
    assert "dedupe.household_guard: must be true or false" in caught.value.problems
