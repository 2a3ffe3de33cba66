"""Suppression hashes whole columns with polars-hash (`sha256_expr`); the ledger's
erasure SQL finds stored addresses by DuckDB's sha256; a hash list a user makes comes
from hashlib or sha256sum. A suppression only works if all give the same digest, so
compare them on thousands of addresses: realistic, random and hostile."""

from __future__ import annotations

import hashlib
import random

import duckdb
import polars as pl
from faker import Faker

from leadtriage.ledger import email_hash
from leadtriage.rules.suppress import normalised_address, sha256_hex

HOSTILE = [
    "", " ", "\t\n", "  Jane.Doe@GMAIL.com  ", "JOSÉ@ÉXAMPLE.ES", "straße@beispiel.de",
    "İSTANBUL@örnek.com.tr", "ΟΔΥΣΣΕΥΣ@παράδειγμα.gr", "用户@例子.广告", "δοκιμή@παράδειγμα.δοκιμή",
    "e\u0301@example.com", "\u200bzero.width@example.com", "rtl\u202e@example.com",
    "emoji😀@example.com", "=HYPERLINK(\"x\")@evil.com", "+1@x", "a" * 300 + "@example.com",
    "quote\"d@example.com", "back\\slash@example.com", "tab\tinside@example.com", "nul\x00@x.com",
    "\x1cseparator@example.com\x1f", "\u00a0nbsp@example.com\u00a0", "ǅungla@example.com",
]  # fmt: skip


def _addresses() -> list[str]:
    faker = Faker(["en_US", "de_DE", "ja_JP", "el_GR", "tr_TR"])
    faker.seed_instance(7)
    realistic = [faker.email() for _ in range(2000)]
    realistic += [f"  {address.upper()} " for address in realistic[:500]]
    rng = random.Random(7)
    alphabet = "abcXYZ09.+-_@ \t" + "éßİıΣςσ用户😀\u0301\u00a0"
    random_text = ["".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(2000)]
    return realistic + random_text + HOSTILE


def test_column_hash_equals_hashlib() -> None:
    addresses = _addresses()
    normalised = pl.DataFrame({"email": addresses}).select(
        normalised_address(pl.col("email")).alias("norm")
    )["norm"]
    # Nulls stay null, in place, between the values.
    column = pl.Series([*normalised.to_list(), None, *normalised.to_list()[:5]], dtype=pl.String)
    hashed = sha256_hex(column).to_list()
    expected = [None if v is None else hashlib.sha256(v.encode()).hexdigest() for v in column]
    mismatches = [v for v, x, y in zip(column, hashed, expected, strict=True) if x != y]
    assert mismatches == []
    # One address at a time, as `forget` hashes what a person typed.
    hostile = expected[len(addresses) - len(HOSTILE) : len(addresses)]
    assert [email_hash(address) for address in HOSTILE] == hostile


def test_normalisation_is_python_strip_and_lower_for_addresses() -> None:
    # What the docs promise ("trimmed, lowercased") holds for every realistic address.
    faker = Faker(["en_US", "de_DE", "tr_TR", "el_GR"])
    faker.seed_instance(11)
    addresses = [f" {faker.email().upper()}\t" for _ in range(2000)] + HOSTILE[:14]
    expected = [hashlib.sha256(a.strip().lower().encode()).hexdigest() for a in addresses]
    normalised = pl.Series(addresses).to_frame("email").select(normalised_address(pl.col("email")))
    assert sha256_hex(normalised.to_series()).to_list() == expected


def test_the_ledgers_sql_hash_equals_the_column_hash() -> None:
    frame = pl.DataFrame({"email": _addresses()}).select(
        normalised_address(pl.col("email")).alias("norm")
    )
    connection = duckdb.connect()
    connection.register("addresses", frame)
    in_sql = connection.sql("SELECT sha256(norm) AS digest FROM addresses").pl()["digest"]
    connection.close()
    assert in_sql.to_list() == sha256_hex(frame["norm"]).to_list()
