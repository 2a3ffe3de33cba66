"""People's names: first / last split, casing repair, matching keys, fake names.

Splitting. A full name is split only when neither first nor last name is given, or
when one of them alone holds several words ("Jane Doe" typed into first name). The
plain majority ("First Last", "First Middle Last", "Dr. First Last", "Last, First":
words of letters, none a title, suffix, particle or conjunction in nameparser's
lists) is split by regexes that agree with nameparser (a differential test holds
them to it); every other value goes to nameparser once per distinct value.
Parenthesised and quoted parts ("Jane Doe (Acme)", 'Robert "Bob" Smith') are
dropped first: they are employers or nicknames, never names. Middle names join the
first name ("Mary Ann" of "Mary Ann van der Berg"); titles and suffixes ("Dr.",
"PhD", "Jr") are dropped.

Casing. Only a value typed all in capitals or all in lower case is re-cased, and
only when it is in Latin script ("JOHN" -> "John", "o'neil" -> "O'Neil",
"mcdonald" -> "McDonald", "van der berg" -> "van der Berg"). "Mac" gets a capital
after it only for the surnames in ``data/name_mac_surnames.txt``, so "Mack" and
"Macy" stay. Mixed case ("DeShawn"), Cyrillic and CJK names are left as typed.

Keys. ``first_name_key`` / ``last_name_key`` are transliterated (German umlauts as
ae/oe/ue, accents dropped, other scripts through anyascii), casefolded, with only
letters and digits left: "Müller" and "Mueller" give "mueller", "O'Neil" "oneil".

Fake names (``flag.name.fake``): a first or last key in ``name_junk_words.txt``
("test", "asdf", "Mustermann", "Fulano", "Untel"), a pair in ``name_fake_pairs.txt``
("Erika Musterfrau", "山田 太郎", "Mickey Mouse"), single letters for both
names, or a name typed as the email's local part verbatim when that local part is no
plain word ("j.smith", "jsmith82"). Two softer lists guard against losing real
people: a word in ``name_role_words.txt`` ("Sales", "Office", "Info") is fake only
beside no other name or another junk or role word ("Alexia Sales" is a person), and
a pair in ``name_sample_pairs.txt`` ("John Doe", "Mario Rossi", "Jan Kowalski") is
fake only beside an address whose local part holds neither of its names.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

import polars as pl
from nameparser import HumanName
from nameparser.config import CONSTANTS

from leadtriage import frame
from leadtriage.normalize.text import (
    data_lines,
    data_pairs,
    match_key,
    on_distinct,
    squish,
    unless_excel_error,
    unless_placeholder,
)
from leadtriage.schema import Col, Field

NAME_PARTS: Final = pl.Struct({"first": pl.String, "last": pl.String})

_WORD: Final = r"\p{L}+(?:[-'’]\p{L}+)*"
# "First Last", "First Middle Last", "Dr. First Last": given names, then the surname.
_GIVEN_FIRST: Final = (
    rf"^(?:(?i:mr|mrs|ms|dr|prof)\.? )?(?P<given>{_WORD})(?: (?P<middle>{_WORD}))? "
    rf"(?P<surname>{_WORD})$"
)
# "Last, First" as CRMs and badge scanners export it.
_SURNAME_FIRST: Final = rf"^(?P<surname>{_WORD}), (?P<given>{_WORD})$"
# Salutations and academic titles as forms in English, German, French, Spanish and
# Italian put them before a name ("Dr. med." and "Dipl.-Ing." before "Dr" and "Ing").
# Those that are given names or initials too (Ing, Mag, SR) count only with their dot.
_TITLES: Final = (
    r"(?:mr|mrs|ms|miss|mx|dr\.?\s*med|dr\.?\s*rer\.?\s*nat|dr|prof|herr|frau|mme|mlle)\.?"
    r"|(?:sr|sra|srta|hr|ing|mag|dott|dott\.?ssa|dipl\.?-?\s*ing)\."
)
# Leading titles in a first-name column ("Dr. Jane", "Prof. Dr. Klaus"): dropped when
# more follows; before a whole name too ("Herr Dr. Hans Müller").
_FIRST_NAME_TITLE: Final = rf"(?i)^(?:(?:{_TITLES}|sir|dame)\s+)+"
# A title alone there is no name (Sir and Dame alone may be someone's).
_TITLE_ALONE: Final = rf"(?i)^(?:(?:{_TITLES})\s*)+$"
_DROPPED_PARTS: Final = r"\([^)]*\)|\[[^\]]*\]|\"[^\"]*\"|“[^”]*”"
# nameparser reads Chinese, Japanese and Korean names family-name first.
_EAST_ASIAN: Final = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]"
_ROMAN_NUMERAL: Final = r"(?i)^(?:x|ix|iv|v?i{0,3})$"
_LATIN_ONLY: Final = r"^[\p{Latin}\s'’.\-]+$"
_CONSONANT_INITIALS: Final = r"^[B-DF-HJ-NP-TV-XZ]{2,3}$"


@cache
def _nameparser_words() -> frozenset[str]:
    """Words nameparser gives a role (title, suffix, particle, conjunction)."""
    sets = (
        CONSTANTS.titles,
        CONSTANTS.suffix_acronyms,
        CONSTANTS.suffix_not_acronyms,
        CONSTANTS.prefixes,
        CONSTANTS.conjunctions,
    )
    return frozenset(word for words in sets for word in words)


def _keyed_words(filename: str) -> frozenset[str]:
    """The lines of a word list as name keys (so entries may be in any script)."""
    words = pl.Series("word", data_lines(filename), dtype=pl.String)
    keys = words.to_frame().select(name_key(pl.col("word"))).to_series()
    return frozenset(keys.drop_nulls().to_list())


def _keyed_pairs(filename: str) -> frozenset[str]:
    """ "first|last" lines as "first key|last key"."""
    pairs = data_pairs(filename)
    keys = pl.DataFrame(
        {"first": [f for f, _ in pairs], "last": [last for _, last in pairs]},
        schema={"first": pl.String, "last": pl.String},
    ).select(pl.concat_str(name_key(pl.col("first")), pl.lit("|"), name_key(pl.col("last"))))
    return frozenset(keys.to_series().drop_nulls().to_list())


@cache
def junk_words() -> frozenset[str]:
    return _keyed_words("name_junk_words.txt")


@cache
def role_words() -> frozenset[str]:
    """Words fake only beside no other name or another junk or role word."""
    return _keyed_words("name_role_words.txt")


@cache
def fake_pairs() -> frozenset[str]:
    """Pairs as "first|last" keys."""
    return _keyed_pairs("name_fake_pairs.txt")


@cache
def sample_pairs() -> frozenset[str]:
    """Sample names that are also common real names, as "first|last" keys."""
    return _keyed_pairs("name_sample_pairs.txt")


@cache
def mac_surnames() -> dict[str, str]:
    """Title-cased "Macdonald" -> "MacDonald"."""
    return {name.title(): f"Mac{name[3:].title()}" for name in data_lines("name_mac_surnames.txt")}


@cache
def particles() -> dict[str, str]:
    """Title-cased particle plus the space after it -> lower case, longest first."""
    ordered = sorted(data_lines("name_particles.txt"), key=len, reverse=True)
    return {f"{particle.title()} ": f"{particle} " for particle in ordered}


def nameparser_parts(name: str) -> tuple[str | None, str | None]:
    """(first with middle names, last) as nameparser reads a full name; a name opening
    with a particle opens with the family name (`_family_name_first`)."""
    family_first = _family_name_first(name)
    if family_first is not None:
        return family_first
    parsed = HumanName(name)
    first = " ".join(part for part in (parsed.first, parsed.middle) if part)
    return first or None, parsed.last or None


@cache
def _particle_words() -> tuple[tuple[str, ...], ...]:
    """The particles as word tuples, longest first ("van der" before "van")."""
    words = {tuple(line.split()) for line in data_lines("name_particles.txt")}
    return tuple(sorted(words, key=len, reverse=True))


def _family_name_first(name: str) -> tuple[str | None, str] | None:
    """(given, family) of a whole name opening with a particle ("van der Sande LK",
    "van der Berg" alone in the last-name column: nameparser made "van" the given
    name), else None. The family name is the particles and the word after them; the
    rest is the given name. A capitalised one-word particle is left alone: Van
    Morrison, De Luca."""
    if "," in name:
        return None
    words = name.split()
    folded = tuple(word.casefold() for word in words)
    for particle in _particle_words():
        if folded[: len(particle)] != particle or len(words) <= len(particle):
            continue
        if len(particle) == 1 and words[0] != folded[0]:
            return None
        family = " ".join(words[: len(particle) + 1])
        return " ".join(words[len(particle) + 1 :]) or None, family
    return None


@cache
def _family_opening() -> str:
    """A last-name cell opening with a family name ("Al Saud", "van der Sande LK"):
    the opening words and the one after them are the family name, the rest a given
    name if any. The particles and data/name_family_openers.txt's "any" words open a
    family name however cased; its "lower" words only in lower case before a capital
    ("al Saud", not "Al Sheppard Parker"). No comma: "de Vries, Jan" is read as
    "Last, First"."""
    anywhere = {word for line in data_lines("name_particles.txt") for word in line.split()}
    lower: set[str] = set()
    for kind, word in data_pairs("name_family_openers.txt"):
        (anywhere if kind == "any" else lower).add(word)

    def alternatives(words: set[str]) -> str:
        return "|".join(sorted(map(re.escape, words), key=len, reverse=True))

    particles = rf"(?:(?i:{alternatives(anywhere)})\s+)"
    family = rf"{particles}+[^\s,]+|(?:{alternatives(lower)})\s+{particles}*\p{{Lu}}[^\s,]*"
    return rf"^(?P<family>{family})(?:\s+(?P<given>[^,]+))?$"


def _nameparser_distinct(names: pl.Series) -> pl.Series:
    """nameparser over the distinct non-null values of a batch, mapped back."""
    distinct = names.drop_nulls().unique().to_list()
    parts = [nameparser_parts(name) for name in distinct]
    lookup = pl.DataFrame(
        {
            "name": distinct,
            "first": [first for first, _ in parts],
            "last": [last for _, last in parts],
        },
        schema={"name": pl.String, "first": pl.String, "last": pl.String},
    )
    joined = (
        names.rename("name").to_frame().join(lookup, on="name", how="left", maintain_order="left")
    )
    return joined.select(pl.struct("first", "last").alias(names.name)).to_series()


def fast_split(name: pl.Expr) -> pl.Expr:
    """First / last of a plain name ("First Last", "First Middle Last", "Dr. First
    Last", "Last, First": words of letters, none a title, suffix, particle or
    conjunction in nameparser's lists), else a null struct."""
    return _fast_parts(
        name, name.str.extract_groups(_GIVEN_FIRST), name.str.extract_groups(_SURNAME_FIRST)
    )


def _fast_parts(name: pl.Expr, given_first: pl.Expr, surname_first: pl.Expr) -> pl.Expr:
    """`fast_split` from the matches of both patterns (struct expressions)."""

    def word(field: str) -> pl.Expr:
        return pl.coalesce(given_first.struct.field(field), surname_first.struct.field(field))

    given, middle, surname = word("given"), given_first.struct.field("middle"), word("surname")
    role_words = list(_nameparser_words())
    plain = (
        given.is_not_null()
        & ~given.str.to_lowercase().is_in(role_words)
        & ~middle.fill_null("").str.to_lowercase().is_in(role_words)
        & ~surname.str.to_lowercase().is_in(role_words)
        & ~surname.str.contains(_ROMAN_NUMERAL)
        & ~name.str.contains(_EAST_ASIAN)
    )
    first = pl.concat_str(given, middle, separator=" ", ignore_nulls=True)
    return pl.when(plain).then(pl.struct(first.alias("first"), surname.alias("last")))


def _tmp(name: str) -> str:
    """A working column of this stage, dropped before it returns."""
    return f"_names.{name}"


def _split_full_names(lf: pl.LazyFrame, to_split: str, parts: str) -> pl.LazyFrame:
    """Add struct column `parts` {first, last} for the names in column `to_split`:
    the regex for the plain majority, nameparser (once per distinct value) for the
    rest."""
    cleaned = pl.col(_tmp("cleaned"))
    matched = (
        lf.with_columns(
            squish(pl.col(to_split).str.replace_all(_DROPPED_PARTS, " "))
            .str.replace(_FIRST_NAME_TITLE, "")
            .alias(_tmp("cleaned"))
        )
        .with_columns(
            cleaned.str.extract_groups(_GIVEN_FIRST).alias(_tmp("given_first")),
            cleaned.str.extract_groups(_SURNAME_FIRST).alias(_tmp("surname_first")),
        )
        .with_columns(
            _fast_parts(cleaned, pl.col(_tmp("given_first")), pl.col(_tmp("surname_first"))).alias(
                _tmp("fast")
            )
        )
    )
    fast = pl.col(_tmp("fast"))
    residue = pl.when(fast.is_null()).then(cleaned)
    parsed = residue.map_batches(_nameparser_distinct, return_dtype=NAME_PARTS, is_elementwise=True)
    working = [_tmp(c) for c in ("cleaned", "given_first", "surname_first", "fast")]
    return matched.with_columns(
        pl.when(fast.is_not_null()).then(fast).otherwise(parsed).alias(parts)
    ).drop(working)


def fix_case(name: pl.Expr, *, surname: bool) -> pl.Expr:
    """Re-case a Latin-script value typed all upper or all lower; else keep it."""
    has_case = name.str.to_uppercase() != name.str.to_lowercase()
    one_case = (name == name.str.to_uppercase()) | (name == name.str.to_lowercase())
    latin = name.str.contains(_LATIN_ONLY)
    # Lowered, Turkish İ becomes i and a combining dot, which title-casing reads as a
    # word break ("Çi̇Ftçi̇"): it is lowered to i, and a leading İ given back.
    lowered = name.str.replace_all("İ", "i", literal=True).str.to_lowercase()
    titled = lowered.str.to_titlecase()
    titled = (
        pl.when(name.str.starts_with("İ")).then(titled.str.replace("^I", "İ")).otherwise(titled)
    )
    mc = {f"Mc{letter}": f"Mc{letter.upper()}" for letter in "abcdefghijklmnopqrstuvwxyz"}
    recased = titled.str.replace_many(mc).str.replace_many(mac_surnames())
    if surname:
        recased = recased.str.replace_many(particles(), leftmost=True)
    # Two or three capitals without a vowel are initials ("LK" of "van der Sande LK").
    initials = name.str.contains(_CONSONANT_INITIALS)
    return pl.when(has_case & one_case & latin & ~initials).then(recased).otherwise(name)


def name_key(name: pl.Expr) -> pl.Expr:
    """Transliterated, casefolded, letters and digits only."""
    return match_key(name).str.replace_all(" ", "")


def _email_text(schema: pl.Schema) -> pl.Expr:
    """The row's email address, lower case (null when the frame has none)."""
    columns = [c for c in (Col.EMAIL, frame.raw(Field.EMAIL)) if c in schema]
    if not columns:
        return pl.lit(None, dtype=pl.String)
    return (
        pl.coalesce([pl.col(c).cast(pl.String) for c in columns])
        .str.strip_chars()
        .str.to_lowercase()
    )


def _is_made_up(first_key: pl.Expr, last_key: pl.Expr) -> pl.Expr:
    junk, roles = list(junk_words()), list(role_words())
    junk_word = first_key.is_in(junk) | last_key.is_in(junk)
    # A role word is a name only beside a real one: "Alexia Sales" is a person,
    # "Sales", "Sales Team" and "Info Test" are not.
    first_empty = first_key.is_null() | first_key.is_in(junk) | first_key.is_in(roles)
    last_empty = last_key.is_null() | last_key.is_in(junk) | last_key.is_in(roles)
    role_word = (first_key.is_in(roles) & last_empty) | (last_key.is_in(roles) & first_empty)
    fake_pair = pl.concat_str(first_key, pl.lit("|"), last_key).is_in(list(fake_pairs()))
    initials_only = (first_key.str.len_chars() == 1) & (last_key.str.len_chars() == 1)
    return (junk_word | role_word.fill_null(False) | fake_pair | initials_only).fill_null(False)


def _is_sample_pair(first_key: pl.Expr, last_key: pl.Expr) -> pl.Expr:
    pair = pl.concat_str(first_key, pl.lit("|"), last_key)
    return pair.is_in(list(sample_pairs())).fill_null(False)


def _is_someone_elses_address(email: pl.Expr, first_key: pl.Expr, last_key: pl.Expr) -> pl.Expr:
    """The address's local part holds neither of the row's names. Only rows with a
    sample name are looked at (a few in a file), in Python: the names are compared as
    plain substrings, never as patterns."""
    parts = pl.struct(email.alias(Col.EMAIL), first_key.alias("first"), last_key.alias("last"))
    return parts.map_batches(_someone_elses, return_dtype=pl.Boolean).fill_null(False)


def _someone_elses(rows: pl.Series) -> pl.Series:
    given = rows.struct.unnest().with_row_index("row").filter(pl.col(Col.EMAIL).is_not_null())

    def verdict(email: str, first: str | None, last: str | None) -> bool:
        local = "".join(c for c in email.partition("@")[0] if c.isalpha())
        return not any(name and name in local for name in (first, last))

    verdicts = [verdict(*values) for values in given.select(Col.EMAIL, "first", "last").iter_rows()]
    found = pl.Series(rows.name, [None] * rows.len(), dtype=pl.Boolean)
    return found.scatter(given.get_column("row"), pl.Series(verdicts, dtype=pl.Boolean))


def _local_part_candidate(typed: pl.Expr) -> pl.Expr:
    """The typed name, lower case, when it could be a copied local part: one with
    characters no name has ("j.smith", "jsmith82"); else null. Per distinct name."""
    return pl.when(typed.str.contains(r"[^\p{L}\s'’-]")).then(typed.str.to_lowercase())


def _is_copied_local_part(candidate: pl.Expr, email: pl.Expr) -> pl.Expr:
    """The name was typed as the email's local part. Per row, so kept cheap."""
    return email.str.starts_with(pl.concat_str(candidate, pl.lit("@"))).fill_null(False)


# Emoji and what builds them (skin tones, flags, joiners, the emoji presentation mark).
_PICTOGRAPHS: Final = (
    r"[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\x{FE0F}\x{200D}]"
)
# An email address: no name holds an @ between two words and a dotted domain.
_ADDRESS: Final = r"\S@\S+\.\S"

_RAW_NAMES: Final = tuple(
    frame.raw(f) for f in (Field.FIRST_NAME, Field.LAST_NAME, Field.FULL_NAME)
)
_OUTPUTS: Final = (
    Col.FIRST_NAME,
    Col.LAST_NAME,
    Col.FULL_NAME,
    Col.FIRST_NAME_KEY,
    Col.LAST_NAME_KEY,
    frame.flag("name.missing"),
    frame.flag("name.fake"),
    _tmp("typed"),
    _tmp("sample"),
)


def _with_a_letter(name: pl.Expr) -> pl.Expr:
    return pl.when(name.str.contains(r"\p{L}")).then(name)


def _words_with_a_letter(name: pl.Expr) -> pl.Expr:
    """The words of `name` (squished) that hold a letter; null when none does
    ("12345": a required field got past). Per distinct name."""
    words = name.str.split(" ").list.eval(pl.element().filter(pl.element().str.contains(r"\p{L}")))
    return (
        pl.when(name.str.contains(r"[^\p{L}\s]"))
        .then(words.list.join(" ").replace("", None))
        .otherwise(name)
    )


# A whole name whose opening words are in capitals and the rest not: the family name
# first, marked as French registers and many forms mark it ("DUPONT Marie", "WANG
# Wei"). Two capitals alone are initials (JP Morgan), so one word of three at least.
_CAPITALS_WORD: Final = r"\p{Lu}[\p{Lu}'’\-]+"
_CASED_WORD: Final = r"\p{Lu}\p{Ll}[\p{L}'’\-]*"
_CAPITALS_FIRST: Final = (
    rf"^(?P<family>{_CAPITALS_WORD}(?:\s+{_CAPITALS_WORD})*)"
    rf"\s+(?P<given>{_CASED_WORD}(?:\s+{_CASED_WORD})*)$"
)


def _family_in_capitals_first(name: pl.Expr) -> pl.Expr:
    """`name` as "FAMILY, Given" where it opens with its family name in capitals, for
    both readers (the pattern and nameparser) to take as "Last, First"."""
    parts = name.str.extract_groups(_CAPITALS_FIRST)
    family = parts.struct.field("family")
    marked = family.str.contains(r"\p{Lu}{3}").fill_null(False)
    return (
        pl.when(marked)
        .then(pl.concat_str(family, pl.lit(", "), parts.struct.field("given")))
        .otherwise(name)
    )


def _without_dropped_parts(name: pl.Expr) -> pl.Expr:
    """`name` without its parts in brackets or quotes ("Jane (Acme)", 'Robert "Bob"'),
    in every name column as in a whole name: an employer or a nickname beside a name
    kept it from meeting the same name typed alone. A name all in quotes ('"Jane"')
    is the name."""
    dropped = name.str.replace_all(_DROPPED_PARTS, " ")
    return pl.when(dropped.str.contains(r"\p{L}")).then(dropped).otherwise(name)


def _name_columns(names: pl.LazyFrame) -> pl.LazyFrame:
    """Every output but the email check, for distinct (first, last, full) triples."""
    # Working columns in steps keep the query plan small: each step refers to the
    # last by name instead of repeating its expression.
    given = (
        names.with_columns(
            # Emoji are no part of a name.
            pl.col(raw)
            .cast(pl.String)
            .str.replace_all(_PICTOGRAPHS, "")
            .str.replace_all(r"\p{Cc}", " ")
            .alias(_tmp(raw))
            for raw in _RAW_NAMES
        )
        .with_columns(
            # A placeholder for none ("N/A", "-", "unknown") is no name. (A step of its
            # own: `_without_dropped_parts` reads the value twice.)
            unless_placeholder(
                _words_with_a_letter(squish(_without_dropped_parts(pl.col(_tmp(raw))))),
                "name_blank_values.txt",
            ).alias(_tmp(raw))
            for raw in _RAW_NAMES
        )
        .with_columns(
            # Nor is an address typed into the name's box (the person is real, the name
            # unknown), or a failed formula's error ("#VALUE!") from Excel.
            pl.when(~pl.col(_tmp(raw)).str.contains(_ADDRESS))
            .then(unless_excel_error(pl.col(_tmp(raw))))
            .alias(_tmp(raw))
            for raw in _RAW_NAMES
        )
        .with_columns(
            # A title alone in the first-name column (the salutation, typed there) is no name.
            pl.when(~pl.col(_tmp(_RAW_NAMES[0])).str.contains(_TITLE_ALONE))
            .then(pl.col(_tmp(_RAW_NAMES[0])))
            .alias(_tmp(_RAW_NAMES[0]))
        )
    )
    first, last, full = (pl.col(_tmp(raw)) for raw in _RAW_NAMES)
    several_words = r"[\s,]"
    # A last-name cell alone opening with a family-name word holds the family name
    # first ("Al Saud", "van der Sande LK"): nameparser made "Al" the given name.
    family_typed = first.is_null() & last.str.contains(_family_opening())
    family_parts = last.str.extract_groups(_family_opening())
    to_split = (
        pl.when(first.is_null() & last.is_null())
        .then(full)
        .when(last.is_null() & first.str.contains(several_words))
        .then(first)
        .when(first.is_null() & last.str.contains(several_words) & ~family_typed)
        .then(last)
    )
    split = _split_full_names(
        given.with_columns(_family_in_capitals_first(to_split).alias(_tmp("to_split"))),
        _tmp("to_split"),
        _tmp("parts"),
    )
    is_split = pl.col(_tmp("to_split")).is_not_null()
    parts = pl.col(_tmp("parts"))
    given_first = squish(first.str.replace(_FIRST_NAME_TITLE, ""))
    split_first, split_last = parts.struct.field("first"), parts.struct.field("last")
    # One word left of a last-name column's several ("Shaw BA": a degree beside it) is
    # the family name it was typed as, not a given name.
    lone_family_name = is_split & first.is_null() & last.is_not_null() & split_last.is_null()
    chosen = split.with_columns(
        pl.when(family_typed)
        .then(family_parts.struct.field("given"))
        .when(lone_family_name)
        .then(None)
        .when(is_split)
        .then(split_first)
        .otherwise(given_first)
        .alias(_tmp("first")),
        pl.when(family_typed)
        .then(family_parts.struct.field("family"))
        .when(lone_family_name)
        .then(split_first)
        .when(is_split)
        .then(split_last)
        .otherwise(last)
        .alias(_tmp("last")),
    )
    recased = chosen.with_columns(
        # A part split off without a letter ("0" of "0, Ann") is none either.
        fix_case(_with_a_letter(pl.col(_tmp("first"))), surname=False).alias(Col.FIRST_NAME),
        fix_case(_with_a_letter(pl.col(_tmp("last"))), surname=True).alias(Col.LAST_NAME),
    )
    first_name, last_name = pl.col(Col.FIRST_NAME), pl.col(Col.LAST_NAME)
    keyed = recased.with_columns(
        name_key(first_name).alias(Col.FIRST_NAME_KEY),
        name_key(last_name).alias(Col.LAST_NAME_KEY),
    )
    return keyed.with_columns(
        pl.concat_str(first_name, last_name, separator=" ", ignore_nulls=True)
        .replace("", None)
        .alias(Col.FULL_NAME),
        (first_name.is_null() & last_name.is_null()).alias(frame.flag("name.missing")),
        _is_made_up(pl.col(Col.FIRST_NAME_KEY), pl.col(Col.LAST_NAME_KEY)).alias(
            frame.flag("name.fake")
        ),
        _is_sample_pair(pl.col(Col.FIRST_NAME_KEY), pl.col(Col.LAST_NAME_KEY)).alias(
            _tmp("sample")
        ),
        _local_part_candidate(
            pl.coalesce(
                pl.col(_tmp("to_split")),
                pl.concat_str(first, last, separator=" ", ignore_nulls=True),
            )
        ).alias(_tmp("typed")),
    )


def normalize_name(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``first_name``, ``last_name``, ``full_name``, ``first_name_key``,
    ``last_name_key``, ``flag.name.missing`` and ``flag.name.fake``.

    Runs after the email stage (reads ``email`` and ``raw.email`` when present)."""
    email = _email_text(lf.collect_schema())
    fake = frame.flag("name.fake")
    return (
        on_distinct(lf, list(_RAW_NAMES), _name_columns, list(_OUTPUTS))
        .with_columns(
            pl.col(fake)
            | _is_copied_local_part(pl.col(_tmp("typed")), email)
            | _is_someone_elses_address(
                pl.when(pl.col(_tmp("sample"))).then(email),
                pl.col(Col.FIRST_NAME_KEY),
                pl.col(Col.LAST_NAME_KEY),
            )
        )
        .drop(_tmp("typed"), _tmp("sample"))
    )
