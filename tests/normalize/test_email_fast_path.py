"""Differential test: the vectorised email fast path against email-validator.

On every value the fast path settles, its verdict (valid or not) and its normalised
form must be email-validator's. Values: realistic generated addresses, random
strings over an alphabet rich in email punctuation, and hostile hand-made shapes
(unicode, quoted locals, IP literals, long labels, trailing and doubled dots).
"""

from __future__ import annotations

import random
import string

import polars as pl
from email_validator import EmailNotValidError, validate_email
from faker import Faker

from leadtriage.normalize.email import fast_normalized, fast_settled

_SEED = 20261127
_ODD_TLDS = ["1", "c0m", "x1", "c", "co-m"]
_SPECIAL_TLDS = ["test", "local", "onion", "arpa", "invalid", "localhost", "example", "TEST"]
# RFC 2142 names email-validator lowercases, and others it must not.
_MAILBOX_NAMES = ["Info", "SALES", "PostMaster", "www", "Abuse", "Jane", "INFOS", "Sales2"]


def _realistic(count: int) -> list[str]:
    rng = random.Random(_SEED)
    fakers = [Faker(locale) for locale in ("en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "ja_JP")]
    for index, fake in enumerate(fakers):
        fake.seed_instance(_SEED + index)
    values = []
    for index in range(count):
        fake = fakers[index % len(fakers)]
        kind = index % 3
        if kind == 0:
            address = fake.company_email()
        elif kind == 1:
            address = fake.free_email()
        else:
            address = fake.email(safe=False)
        shape = rng.random()
        if shape < 0.2:
            address = address.upper()
        elif shape < 0.35:
            local, _, domain = address.partition("@")
            address = f"{local.title()}@{domain.title()}"
        elif shape < 0.45:
            local, _, domain = address.partition("@")
            address = f"{local}+{rng.choice(['news', 'event2024', 'x'])}@{domain}"
        values.append(address)
    return values


def _random_strings(count: int) -> list[str]:
    rng = random.Random(_SEED + 1)
    alphabet = string.ascii_letters[:8] + "09" + "@@..--__++!#'\"<> ()[]:;,\\" + "äé名\u200b"
    values = []
    for _ in range(count):
        length = rng.randint(1, 24)
        values.append("".join(rng.choice(alphabet) for _ in range(length)))
    return values


def _mutations(count: int) -> list[str]:
    """Valid-looking addresses with one hostile edit: where fast paths go wrong."""
    rng = random.Random(_SEED + 2)
    edits = [
        lambda local, domain: f"{local}.@{domain}",
        lambda local, domain: f".{local}@{domain}",
        lambda local, domain: f"{local}..x@{domain}",
        lambda local, domain: f"{local}@{domain}.",
        lambda local, domain: f"{local}@.{domain}",
        lambda local, domain: f"{local}@{domain.replace('.', '..', 1)}",
        lambda local, domain: f"{local}@-{domain}",
        lambda local, domain: f"{local}@{domain.replace('.', '-.', 1)}",
        lambda local, domain: f"{local}@ab--{domain}",
        lambda local, domain: f"{local}@xn--{domain}",
        lambda local, domain: f"{local}@xn--bcher-kva.{domain.rpartition('.')[2]}",
        lambda local, domain: f"{local}@{'a' * rng.randint(60, 70)}.{domain}",
        lambda local, domain: f"{'b' * rng.randint(60, 260)}@{domain}",
        lambda local, domain: f"{local}@{'.'.join(['c' * 60] * rng.randint(3, 5))}.com",
        lambda local, domain: f"{local}@{domain.rpartition('.')[0]}.{rng.choice(_ODD_TLDS)}",
        lambda local, domain: f'"{local} x"@{domain}',
        lambda local, domain: f"{local}@[192.168.{rng.randint(0, 300)}.1]",
        lambda local, domain: f"{local}@[IPv6:::1]",
        lambda local, domain: f"{local}@{domain.rpartition('.')[0]}",
        lambda local, domain: f"{local}@{domain.rpartition('.')[0]}.{rng.choice(_SPECIAL_TLDS)}",
        lambda local, domain: f"{local}@localhost",
        lambda local, domain: f"{local}ü@{domain}",
        lambda local, domain: f"{local}@bü{domain}",
        lambda local, domain: f"{local}@{domain.upper()}",
        lambda local, domain: f"{local}＠{domain}",
        lambda local, domain: f"{local}{domain}",
        lambda local, domain: f"{local}@{domain}@{domain}",
        lambda local, domain: f" {local}@{domain}",
        lambda local, domain: f"{local}@{domain}\u200b",
        lambda local, domain: f"{local}!#$%&'*/=?^`{{|}}~@{domain}",
        lambda local, domain: f"{rng.choice(_MAILBOX_NAMES)}@{domain}",
        lambda local, domain: f"{local}@{domain.rpartition('.')[0]}_x.{domain.rpartition('.')[2]}",
        lambda local, domain: f"{local}@{rng.randint(1, 999)}.{rng.randint(1, 999)}",
        lambda local, domain: f"-{local}-@{domain}",
        lambda local, domain: f"@{domain}",
        lambda local, domain: f"{local}@",
    ]
    bases = _realistic(count)
    values = []
    for address in bases:
        local, _, domain = address.partition("@")
        values.append(rng.choice(edits)(local, domain))
    return values


def _library(address: str) -> str | None:
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _fast_results(values: list[str]) -> pl.DataFrame:
    address = pl.col("address")
    settled, valid = fast_settled(address)
    return pl.DataFrame({"address": values}, schema={"address": pl.String}).select(
        address,
        settled.alias("settled"),
        valid.alias("valid"),
        fast_normalized(address).alias("normalized"),
    )


def _disagreements(values: list[str]) -> list[tuple[str, str | None, str | None]]:
    results = _fast_results(values).filter(pl.col("settled"))
    wrong = []
    for address, valid, normalized in results.select("address", "valid", "normalized").iter_rows():
        fast = normalized if valid else None
        library = _library(address)
        if fast != library:
            wrong.append((address, fast, library))
    return wrong


def test_fast_path_agrees_with_email_validator_on_realistic_addresses() -> None:
    assert _disagreements(_realistic(4000)) == []


def test_fast_path_agrees_with_email_validator_on_random_strings() -> None:
    assert _disagreements(_random_strings(4000)) == []


def test_fast_path_agrees_with_email_validator_on_hostile_edits() -> None:
    assert _disagreements(_mutations(4000)) == []


def test_fast_path_settles_most_realistic_addresses() -> None:
    results = _fast_results(_realistic(2000))
    assert results.get_column("settled").mean() > 0.9  # type: ignore[operator]


def test_hostile_edits_reach_both_verdicts_on_the_fast_path() -> None:
    """Guards the test itself: the mutations must exercise settled valid and settled
    invalid values, or the differential check above proves little."""
    results = _fast_results(_mutations(4000)).filter(pl.col("settled"))
    assert results.get_column("valid").sum() > 100
    assert (~results.get_column("valid")).sum() > 100
