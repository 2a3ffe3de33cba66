"""The comparison features of every row, computed once with Polars expressions.

Dedupe and CRM matching compare rows through this small frame (one row per input
row, same order), never through the wide pipeline frame. Names are reduced to a
*first* token and a *last* part so that a full name typed into one column
("Anna Schmidt" under First Name) compares like a split one, and to the nickname
groups of both parts so that Bob meets Robert whichever column Bob is in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import polars as pl

from leadtriage.dedupe.blocking import EMAIL_ALIAS, MOBILE_TAIL, PHONE_TAIL, email_alias
from leadtriage.dedupe.nicknames import nickname_groups
from leadtriage.frame import raw
from leadtriage.normalize.presence import blank_to_null
from leadtriage.normalize.text import german_folded, match_key, per_distinct, strip_accents
from leadtriage.schema import Col, Field

# Whether the given name was typed as initials: a feature, and an input where what was
# typed is gone (the ledger's records keep this, not what was typed).
TYPED_INITIALS: Final = "first_initials"
# A one-letter given name as the row's own address spells it out (keith for K Yates
# at keith.yates@).
FIRST_SPELT: Final = "first_spelt"

# A row's second number (the Mobile column beside Phone), where it is not the phone:
# another export or the CRM may give either number alone.
MOBILE: Final = "mobile"

# Columns of the pipeline frame the features read; any missing one counts as null.
INPUT_COLUMNS: Final[tuple[str, ...]] = (
    Col.EMAIL,
    Col.EMAIL_KEY,
    Col.EMAIL_DOMAIN,
    "flag.email.free",
    "flag.email.role",
    Col.PHONE_E164,
    raw(Field.PHONE),
    "flag.phone.fake",
    "flag.phone.mangled",
    Col.MOBILE_E164,
    Col.FIRST_NAME,
    Col.LAST_NAME,
    Col.FIRST_NAME_KEY,
    Col.LAST_NAME_KEY,
    Col.FULL_NAME,
    Col.COMPANY_KEY,
    raw(Col.FIRST_NAME),
    raw(Col.LAST_NAME),
    TYPED_INITIALS,
)

FEATURE_COLUMNS: Final[tuple[str, ...]] = (
    Col.EMAIL_KEY,
    "email_role",
    "business_domain",
    "phone",
    PHONE_TAIL,
    MOBILE,
    MOBILE_TAIL,
    "first",
    "first_all",
    "last",
    "last_spaced",
    "first_spaced",
    "first_groups",
    "last_groups",
    TYPED_INITIALS,
    FIRST_SPELT,
    Col.COMPANY_KEY,
    "first_sound",
    "first_all_sound",
    "last_sound",
    EMAIL_ALIAS,
)

_BOOLEAN_INPUTS: Final = (
    "flag.email.free",
    "flag.email.role",
    "flag.phone.fake",
    "flag.phone.mangled",
    TYPED_INITIALS,
)
# A typed number with fewer digits than this is no national number (a trunk prefix and
# eight digits at least): its tail would be most of it.
_UNREAD_MIN_DIGITS: Final = 9
# The name parts whose sound keys the comparisons read.
SOUNDED_PARTS: Final = ("first", "first_all", "last")
# Features of the ``[dedupe] compare`` columns are named ``cmp.<column>``.
COMPARE_PREFIX: Final = "cmp."


def with_input_columns(df: pl.DataFrame) -> pl.DataFrame:
    """The feature inputs of `df`, a null column standing in for each one it lacks."""
    missing = [
        pl.lit(None, dtype=pl.Boolean if name in _BOOLEAN_INPUTS else pl.String).alias(name)
        for name in INPUT_COLUMNS
        if name not in df.columns
    ]
    return df.select([c for c in INPUT_COLUMNS if c in df.columns]).with_columns(missing)


def _name_words(name: pl.Expr) -> pl.Expr:
    """Casefolded words of a name; punctuation (O'Brien, Smith-Jones) removed so that
    the name stage's keys and hand-typed names meet."""
    text = (
        name.str.to_lowercase()
        .str.replace_all(r"['’`´.]", "")
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
        .str.strip_chars()
    )
    return blank_to_null(text).str.split(" ")


_WORDS: Final = pl.List(pl.String())


def _nickname_groups(column: str) -> pl.Expr:
    groups = nickname_groups()
    mapping = {name: list(ids) for name, ids in groups.items()}
    return (
        pl.col(column)
        .replace_strict(mapping, default=[], return_dtype=pl.List(pl.UInt32))
        .fill_null([])
    )


# Spellings of one sound, read as one (in this order): Schmidt / Shmidt, Stephen /
# Steven, Catherine / Katherine, Kim / Kym, Jolie / Joly.
_SOUNDS: Final = (
    ("sch", "sh"),
    ("ph", "f"),
    ("v", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("c", "k"),
    ("q", "k"),
    ("z", "s"),
    ("y", "i"),
    ("ie", "i"),
)


def sounded(name: pl.Expr) -> pl.Expr:
    """A casefolded name part as it sounds (see _SOUNDS)."""
    for spelt, heard in _SOUNDS:
        name = name.str.replace_all(spelt, heard, literal=True)
    return name


def _hashed(text: pl.Expr) -> pl.Expr:
    """`text` as a 64-bit hash, null kept null: pairs compare keys by equality only,
    and a hash gathers for two million pairs far faster than text."""
    return pl.when(text.is_not_null()).then(text.hash(seed=7))


def _sound_keys(names: pl.DataFrame) -> pl.DataFrame:
    """Each name part's sound key (``<part>_sound``): once per row, not per pair, and
    spelt once per distinct name (a million rows hold some 50,000 family names)."""
    return names.select(
        per_distinct(pl.col(part), lambda name: _hashed(sounded(name)), pl.UInt64()).alias(
            f"{part}_sound"
        )
        for part in SOUNDED_PARTS
    )


def _compared(df: pl.DataFrame, column: str) -> pl.Expr:
    """A compare column as text, casefolded, blank as null; a column the frame
    lacks is null throughout."""
    if column not in df.columns:
        # A literal alone in a select is one row: as long as the frame instead.
        return pl.repeat(None, pl.len(), dtype=pl.String).alias(COMPARE_PREFIX + column)
    text = pl.col(column).cast(pl.String).str.to_lowercase().str.replace_all(r"\s+", " ")
    return blank_to_null(text).alias(COMPARE_PREFIX + column)


# Two capital letters, with or without dots ("EM", "J.R."): how a badge or a form
# writes initials.
_TWO_CAPITALS: Final = r"^\s*\p{Lu}\.?\s*\p{Lu}\.?\s*$"


# The same as the first word of a whole name typed in one column ("EB Nolan").
_TWO_CAPITALS_FIRST: Final = r"^\s*\p{Lu}\.?\s*\p{Lu}\.?\s+\S"


def typed_as_initials() -> pl.Expr:
    """The given name was typed as two capitals beside a family name that was not
    typed all in capitals: initials ("EM Briones", or "EB Nolan" in one column), which
    the name stage re-cases as a name ("Em"). In a row typed all in capitals ("EM
    BRIONES") nothing says so."""
    first = blank_to_null(pl.col(raw(Col.FIRST_NAME)))
    last = blank_to_null(pl.col(raw(Col.LAST_NAME)))
    whole = pl.coalesce(first, last)
    apart = first.str.contains(_TWO_CAPITALS) & last.str.contains(r"\p{Ll}")
    together = (first.is_null() | last.is_null()) & whole.str.contains(_TWO_CAPITALS_FIRST)
    return (apart | (together & whole.str.contains(r"\p{Ll}"))).fill_null(False)


# An address spelling a given name out beside the family name: keith.yates@.
_GIVEN_DOT_FAMILY: Final = r"^([a-z]{3,})[._-]([a-z]+)$"


def _spelt_out_by_the_address() -> pl.Expr:
    """A given name typed as one letter, as the row's own address spells it out beside
    the family name (K Yates at keith.yates@: keith); null otherwise. The comparisons
    read it to refuse the initial for another name (Kathleen Yates's, at the same
    company) and keep the initial as the level: the address may carry a typo. A role
    address is nobody's."""
    # Only the rows with a one-letter given name are read: the rest stay null, which
    # the regex and the folds pass over at no cost.
    one_letter = (pl.col("first").str.len_chars() == 1) & ~pl.col("_role")
    parts = pl.when(one_letter).then(pl.col("_local")).str.extract_groups(_GIVEN_DOT_FAMILY)
    given, family = parts.struct[0], parts.struct[1]
    last = pl.when(given.is_not_null()).then(pl.col("last"))
    spelt = (
        given.str.starts_with(pl.col("first"))
        & pl.any_horizontal(
            family == spelling for spelling in (last, strip_accents(last), german_folded(last))
        )
    ).fill_null(False)
    return pl.when(spelt).then(given).alias(FIRST_SPELT)


def _phone_tail() -> pl.Expr:
    """A phone's last eight digits: of its E.164 form, or, where the phone stage could
    not read it, of the number as typed. A national number under a country it does not
    belong to (a French 06 ... beside "United Kingdom", an export's default region)
    reads as no number, but its last digits are those of the same number written
    right elsewhere. Not a fake number's, nor one a spreadsheet turned into 4.47E+11
    (its digits are gone)."""
    typed = pl.col(raw(Field.PHONE)).str.replace_all(r"\D", "")
    unread = pl.when(
        pl.col(Col.PHONE_E164).is_null()
        & ~pl.col("flag.phone.fake").fill_null(False)
        & ~pl.col("flag.phone.mangled").fill_null(False)
        & (typed.str.len_chars() >= _UNREAD_MIN_DIGITS)
    ).then(typed)
    return pl.coalesce(blank_to_null(pl.col(Col.PHONE_E164)), unread).str.slice(-8)


def build_features(df: pl.DataFrame, compare: Mapping[str, str] | None = None) -> pl.DataFrame:
    """One feature row per row of `df`, in the same order (see FEATURE_COLUMNS), and
    one ``cmp.<column>`` feature per `compare` column."""
    extra = df.select(_compared(df, column) for column in compare or {})
    inputs = with_input_columns(df)
    first_source = pl.coalesce(
        pl.col(Col.FIRST_NAME_KEY),
        pl.col(Col.FIRST_NAME),
        pl.when(pl.col(Col.LAST_NAME_KEY).is_null() & pl.col(Col.LAST_NAME).is_null()).then(
            pl.col(Col.FULL_NAME)
        ),
    )
    # A middle initial written as one ("Rhonda F.", "Mary J. K.") is no part of the
    # given name compared; the name stage's key runs the words together ("rhondaf").
    # The dot is required: a space typed inside a name ("jessic a") is no initial.
    middle_initial = pl.col(Col.FIRST_NAME).str.contains(r"^\S+(\s+\p{L}\.)+$").fill_null(False)
    # So is one before more words ("Thijmen N. Cadorna", a whole "Mary J. Blige"):
    # the words around it are compared without it.
    initial_inside = pl.col(Col.FIRST_NAME).str.contains(r"^\S+(\s+\p{L}\.)+(\s+\S+)+$")
    without_initials = pl.when(initial_inside.fill_null(False)).then(
        pl.col(Col.FIRST_NAME).str.replace_all(r"\s+\p{L}\.", "")
    )
    inputs = inputs.with_columns(
        # The given names' key with its spaces (the name stage's key runs them together).
        per_distinct(pl.col(Col.FIRST_NAME), match_key, pl.String()).alias("_spaced_given"),
        per_distinct(without_initials, match_key, pl.String()).alias("_given_without_initials"),
        # The family name's words as typed (the key runs them together).
        per_distinct(pl.col(Col.LAST_NAME), match_key, pl.String()).alias("_typed_last"),
    )
    # Several given names ("Rebecca Pennington", "Jean-Pierre"): the key runs them
    # together; their words, as long as they make the key, give the first given name
    # apart (``first``) beside them all (``first_all``). A letter standing alone is a
    # stray space ("jessic a"), not a name.
    spaced = pl.col("_spaced_given")
    several_given = (
        spaced.str.contains(r"^[a-z0-9]{2,}( [a-z0-9]{2,})+$")
        & (spaced.str.replace_all(" ", "", literal=True) == pl.col(Col.FIRST_NAME_KEY))
    ).fill_null(False)
    first_source = (
        pl.when(middle_initial)
        .then(spaced.str.extract(r"^(\S+)"))
        .when(pl.col("_given_without_initials").is_not_null())
        .then(pl.col("_given_without_initials"))
        .when(several_given)
        .then(spaced)
        .otherwise(first_source)
    )
    no_last = pl.col(Col.LAST_NAME_KEY).is_null() & pl.col(Col.LAST_NAME).is_null()
    texts = inputs.select(
        first_source.alias("_first_text"),
        pl.coalesce(pl.col(Col.LAST_NAME_KEY), pl.col(Col.LAST_NAME)).alias("_last_text"),
        # "Shaffer, Karen" in one column: the words before the comma are the family
        # name. Counted on the typed name, cut on the key (the key lost the comma).
        pl.when(no_last & pl.col(Col.FIRST_NAME).str.contains(",", literal=True))
        .then(pl.col(Col.FIRST_NAME).str.split(",").list.first())
        .alias("_before_comma"),
        pl.col("_typed_last"),
        # A whole name typed into the given name's column that the name stage split
        # into given names and one family name: which words were the family name's
        # was its guess.
        (
            blank_to_null(pl.col(raw(Col.LAST_NAME))).is_null()
            & pl.col(Col.LAST_NAME).is_not_null()
            & pl.col(raw(Col.FIRST_NAME)).is_not_null()
        ).alias("_split_whole"),
    )
    # Names repeat: their words are worked out once per distinct name.
    words = texts.select(
        per_distinct(pl.col("_first_text"), _name_words, _WORDS).alias("_words"),
        per_distinct(pl.col("_last_text"), _name_words, _WORDS).alias("last_words"),
        per_distinct(
            pl.col("_before_comma"), lambda name: _name_words(name).list.len(), pl.UInt32()
        ).alias("_family_words"),
        pl.col("_typed_last"),
        pl.col("_split_whole"),
    )
    family_words, all_words = pl.col("_family_words"), pl.col("_words")
    comma = family_words.is_not_null() & (family_words > 0) & (all_words.list.len() > family_words)
    words = words.select(
        pl.when(comma)
        .then(all_words.list.slice(family_words))
        .otherwise(all_words)
        .alias("first_words"),
        pl.when(comma)
        .then(all_words.list.head(family_words))
        .otherwise(pl.col("last_words"))
        .alias("last_words"),
        pl.when(comma).then(None).otherwise(pl.col("_typed_last")).alias("typed_last"),
        pl.col("_split_whole"),
    )
    first_words, last_words = pl.col("first_words"), pl.col("last_words")
    # A whole name typed into one column: its first word is the given name and its
    # last word the family name.
    only_first = last_words.is_null() & (first_words.list.len() >= 2)
    only_last = first_words.is_null() & (last_words.list.len() >= 2)
    names = words.select(
        pl.when(only_last)
        .then(last_words.list.first())
        .otherwise(first_words.list.first())
        .alias("first"),
        # Every given name, for comparing against a family name in the wrong column.
        pl.when(only_last)
        .then(last_words.list.first())
        .when(only_first)
        .then(first_words.list.head(first_words.list.len() - 1).list.join(""))
        .otherwise(first_words.list.join(""))
        .alias("first_all"),
        pl.when(only_first)
        .then(first_words.list.last())
        .when(only_last)
        .then(last_words.list.last())
        .otherwise(last_words.list.join(""))
        .alias("last"),
        # The family name's words, spaced (the key runs them together), for a second
        # family name or a particle on one side: Camacho Forster, von Forster. Of a
        # whole name of three words or more in one column, the last two may be the
        # family name ("María García López", as Spain and Latin America write it).
        pl.when(only_first & (first_words.list.len() >= 3))
        .then(first_words.list.tail(2).list.join(" "))
        .when(only_last & (last_words.list.len() >= 3))
        .then(last_words.list.tail(2).list.join(" "))
        .when(pl.col("_split_whole") & (first_words.list.len() >= 2) & (last_words.list.len() == 1))
        .then(pl.concat_str(first_words.list.last(), last_words.list.first(), separator=" "))
        .when(only_first | only_last)
        .then(None)
        .otherwise(pl.col("typed_last"))
        .alias("last_spaced"),
        # The given names' words, spaced, for a family name of two words typed in the
        # given name's column ("Chavez Lane", Melvin).
        pl.when(only_first | only_last)
        .then(None)
        .otherwise(first_words.list.join(" "))
        .alias("first_spaced"),
    )
    local_part = blank_to_null(pl.col(Col.EMAIL).str.to_lowercase()).str.split("@").list.first()
    names = (
        names.hstack(
            inputs.select(
                local_part.alias("_local"),
                pl.col("flag.email.role").fill_null(False).alias("_role"),
            ).get_columns()
        )
        .with_columns(_spelt_out_by_the_address())
        .drop("_local", "_role")
    )
    email_key = blank_to_null(pl.col(Col.EMAIL_KEY).str.to_lowercase())
    domain = pl.coalesce(
        blank_to_null(pl.col(Col.EMAIL_DOMAIN).str.to_lowercase()),
        email_key.str.split("@").list.last(),
    )
    business_domain = pl.when(~pl.col("flag.email.free").fill_null(False)).then(domain)
    # The phone stage takes the mobile for the phone where the Phone cell is blank: then
    # it is no second number.
    typed_mobile = blank_to_null(pl.col(Col.MOBILE_E164))
    mobile = pl.when(typed_mobile != blank_to_null(pl.col(Col.PHONE_E164)).fill_null("")).then(
        typed_mobile
    )
    contact = inputs.select(
        email_key.alias(Col.EMAIL_KEY),
        pl.col("flag.email.role").fill_null(False).alias("email_role"),
        pl.when(email_key.is_not_null()).then(business_domain).alias("business_domain"),
        blank_to_null(pl.col(Col.PHONE_E164)).alias("phone"),
        _phone_tail().alias(PHONE_TAIL),
        mobile.alias(MOBILE),
        mobile.str.slice(-8).alias(MOBILE_TAIL),
        # Without its spaces: "longlogistics", as a web address spells it, is Long
        # Logistics.
        blank_to_null(
            pl.col(Col.COMPANY_KEY).str.to_lowercase().str.replace_all(" ", "", literal=True)
        ).alias(Col.COMPANY_KEY),
    )
    features = pl.concat([contact, names], how="horizontal").with_columns(
        _nickname_groups("first").alias("first_groups"),
        _nickname_groups("last").alias("last_groups"),
        _hashed(email_alias(pl.col(Col.EMAIL_KEY))).alias(EMAIL_ALIAS),
        inputs.select(
            (pl.col(TYPED_INITIALS).fill_null(False) | typed_as_initials()).alias(TYPED_INITIALS)
        ).to_series(),
    )
    features = features.hstack(_sound_keys(names).get_columns())
    return features.select(FEATURE_COLUMNS).hstack(extra)
