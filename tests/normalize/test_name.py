"""People's names: splitting, casing, keys, missing and fake names."""

from __future__ import annotations

import polars as pl
import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtriage import frame
from leadtriage.normalize import name as name_module
from leadtriage.normalize.name import normalize_name

MISSING = frame.flag("name.missing")
FAKE = frame.flag("name.fake")
Name = str | None


def _run(
    first: list[Name], last: list[Name], full: list[Name] | None = None,
    email: list[Name] | None = None,
) -> pl.DataFrame:  # fmt: skip
    count = len(first)
    columns = {
        frame.raw("first_name"): first,
        frame.raw("last_name"): last,
        frame.raw("full_name"): full or [None] * count,
        frame.raw("email"): email or [None] * count,
        "email": email or [None] * count,
    }
    lf = pl.LazyFrame(columns, schema={name: pl.String for name in columns})
    return normalize_name(lf).collect()


def _one(first: Name = None, last: Name = None, full: Name = None, email: Name = None) -> dict[
    str, object
]:  # fmt: skip
    return _run([first], [last], [full], [email]).row(0, named=True)


def _first_last(first: Name = None, last: Name = None, full: Name = None) -> tuple[object, object]:
    row = _one(first, last, full)
    return row["first_name"], row["last_name"]


@pytest.mark.parametrize(
    ("full", "first", "last"),
    [
        ("Jane Doe", "Jane", "Doe"),
        ("SMITH, JOHN", "John", "Smith"),
        ("Smith, John", "John", "Smith"),
        ("Dr. Jane Doe PhD", "Jane", "Doe"),
        ("Jane Doe (Acme)", "Jane", "Doe"),
        ("Jane Doe [Acme Corp]", "Jane", "Doe"),
        ('Robert "Bob" Smith', "Robert", "Smith"),
        ("Jean-Luc Picard", "Jean-Luc", "Picard"),
        ("Mary Ann van der Berg", "Mary Ann", "van der Berg"),
        ("Jane de la Cruz", "Jane", "de la Cruz"),
        ("john smith jr", "John", "Smith"),
        ("Mr. John Smith", "John", "Smith"),
        ("  Jane    Doe  ", "Jane", "Doe"),
        ("Иван Петров", "Иван", "Петров"),
        ("Madonna", "Madonna", None),
    ],
)
def test_full_names_are_split_when_first_and_last_are_missing(
    full: str, first: str, last: str | None
) -> None:
    assert _first_last(full=full) == (first, last)


@pytest.mark.parametrize(
    ("full", "first", "last"),
    [
        ("DUPONT Marie", "Marie", "Dupont"),
        ("DE LA FONTAINE Jean-Pierre", "Jean-Pierre", "de la Fontaine"),
        ("O'NEILL Mary Kate", "Mary Kate", "O'Neill"),
        ("WANG Wei", "Wei", "Wang"),
        ("Marie DUPONT", "Marie", "Dupont"),
        ("JP Morgan", "JP", "Morgan"),
        ("MARIE DUPONT", "Marie", "Dupont"),
    ],
)
def test_a_family_name_in_capitals_before_the_given_name_is_the_family_name(
    full: str, first: str, last: str
) -> None:
    """French registers (and many forms) write "DUPONT Marie": the capitals mark the
    family name, whatever its place; it was read as the given name. Two capitals
    alone (JP) are initials, a name typed all in capitals says nothing."""
    assert _first_last(full=full) == (first, last)


def test_a_first_name_column_holding_a_full_name_is_split() -> None:
    assert _first_last(first="Jane Doe") == ("Jane", "Doe")
    assert _first_last(first="Doe, Jane") == ("Jane", "Doe")


def test_a_last_name_column_holding_a_full_name_is_split() -> None:
    assert _first_last(last="Jane Doe") == ("Jane", "Doe")
    assert _first_last(last="Doe, Jane") == ("Jane", "Doe")


@pytest.mark.parametrize("typed", ["Shaw BA", "Shaw PhD", "Dr. Shaw"])
def test_a_lone_family_name_left_by_the_split_stays_the_family_name(typed: str) -> None:
    # A degree or a title beside one word in the last-name column: the word is the
    # family name it was typed as, not a given name.
    assert _first_last(last=typed) == (None, "Shaw")


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("van der Berg", None, "van der Berg"),
        ("von Trapp", None, "von Trapp"),
        ("van der Sande LK", "LK", "van der Sande"),
        ("van Beek J.", "J.", "van Beek"),
        ("Van der Sande Lucila", "Lucila", "Van der Sande"),
        ("de la Cruz Maria", "Maria", "de la Cruz"),
        ("Mary Ann van der Berg", "Mary Ann", "van der Berg"),
    ],
)
def test_a_whole_name_opening_with_a_particle_opens_with_the_family_name(
    typed: str, first: str | None, last: str
) -> None:
    """ "van der Berg" alone in the last-name column became first name "Van", family
    name "der Berg": a particle opening a whole name opens its family name (Dutch
    and German lists write the family name first: "van der Sande LK")."""
    assert _first_last(last=typed) == (first, last)
    assert _first_last(full=typed) == (first, last)


def test_a_capital_particle_opens_a_given_name_only_outside_the_last_name_column() -> None:
    assert _first_last(full="Van Morrison") == ("Van", "Morrison")
    assert _first_last(last="Van Morrison") == (None, "Van Morrison")


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("al Saud", None, "al Saud"),
        ("El Amrani", None, "El Amrani"),
        ("bin Laden", None, "bin Laden"),
        ("le Blanc", None, "le Blanc"),
        ("St John", None, "St John"),
        ("Della Valle Diego", "Diego", "Della Valle"),
        # Al, Ben, Le opening a capitalised name are given names as often
        ("Al Sheppard Parker", "Al Sheppard", "Parker"),
        ("Ben Smith", "Ben", "Smith"),
        ("Van der Berg", None, "Van der Berg"),
        ("VAN DEN BOSCH", None, "van den Bosch"),
        ("De Luca Marco", "Marco", "De Luca"),
        ("von und zu Guttenberg", None, "von und zu Guttenberg"),
        ("Jane Doe", "Jane", "Doe"),  # a whole name typed there is still split
    ],
)
def test_a_last_name_cell_opening_with_a_family_name_word_keeps_it(
    typed: str, first: str | None, last: str
) -> None:
    """Alone in the last-name column, "Al Saud" became first name "Al"."""
    assert _first_last(last=typed) == (first, last)


def test_given_first_and_last_win_over_the_full_name() -> None:
    assert _first_last("Jane", "Doe", "Someone Else") == ("Jane", "Doe")
    # A two-word first name with a last name is a two-word first name.
    assert _first_last("Mary Ann", "Smith") == ("Mary Ann", "Smith")


def test_a_title_typed_into_the_first_name_is_dropped() -> None:
    assert _first_last("Dr. Jane", "Doe") == ("Jane", "Doe")
    assert _first_last("Drew", "Doe") == ("Drew", "Doe")


@pytest.mark.parametrize(
    ("first", "last", "full", "expected"),
    [
        ("Prof. Dr. Klaus", "Meyer", None, ("Klaus", "Meyer")),
        ("Dr. med. Hans", "Weber", None, ("Hans", "Weber")),
        ("Herr Hans", "Müller", None, ("Hans", "Müller")),
        ("Frau", "Schmidt", None, (None, "Schmidt")),
        ("Mme Claire", "Dubois", None, ("Claire", "Dubois")),
        ("Dipl.-Ing. Jörg", "Bauer", None, ("Jörg", "Bauer")),
        ("Sra. Lucía", "Gómez", None, ("Lucía", "Gómez")),
        (None, None, "Herr Dr. Hans Müller", ("Hans", "Müller")),
        (None, None, "Prof. Dr. Klaus Meyer", ("Klaus", "Meyer")),
        ("Hermann", "Frau", None, ("Hermann", "Frau")),  # a family name, not a title
        (None, None, "Ing Chen", ("Ing", "Chen")),  # Ing is a given name without its dot
        ("SR", "Chen", None, ("SR", "Chen")),  # initials, not Señor without its dot
    ],
)
def test_titles_of_other_languages_and_several_at_once_are_dropped(
    first: str | None, last: str | None, full: str | None, expected: tuple[str | None, str]
) -> None:
    """ "Prof. Dr. Klaus" kept "Dr. Klaus"; Herr, Frau, Mme, Dipl.-Ing. reached the CRM
    as given names."""
    assert _first_last(first, last, full) == expected


@pytest.mark.parametrize(
    ("raw", "first", "last"),
    [
        (("JOHN", "SMITH"), "John", "Smith"),
        (("john", "smith"), "John", "Smith"),
        (("mary", "mcdonald"), "Mary", "McDonald"),
        (("SEAN", "O'NEIL"), "Sean", "O'Neil"),
        (("sean", "o'neil"), "Sean", "O'Neil"),
        (("angus", "macdonald"), "Angus", "MacDonald"),
        (("jean-luc", "van der berg"), "Jean-Luc", "van der Berg"),
        (("MARIA", "DOS SANTOS"), "Maria", "dos Santos"),
        (("ANNE-MARIE", "SMITH-JONES"), "Anne-Marie", "Smith-Jones"),
        (("élodie", "léger"), "Élodie", "Léger"),
        # Turkish dotted capital I: lowered it left a combining dot that split the word
        (("RECEP TAYYİP", "ÇİFTÇİ"), "Recep Tayyip", "Çiftçi"),
        (("İLKAY", "İNCE"), "İlkay", "İnce"),
    ],
)
def test_all_caps_and_all_lower_names_are_recased(
    raw: tuple[str, str], first: str, last: str
) -> None:
    assert _first_last(*raw) == (first, last)


@pytest.mark.parametrize(
    ("raw", "first", "last"),
    [
        # "Mac" is no prefix in these names: no "MacK", "MacY".
        (("macy", "mack"), "Macy", "Mack"),
        (("MACY", "MACKAY"), "Macy", "Mackay"),
        (("mack", "machado"), "Mack", "Machado"),
        # Typed in mixed case: kept as typed.
        (("DeShawn", "van der Berg"), "DeShawn", "van der Berg"),
        (("Jane", "MacKay"), "Jane", "MacKay"),
        (("Jane", "Van Dyke"), "Jane", "Van Dyke"),
        # Non-Latin scripts are never re-cased.
        (("иван", "петров"), "иван", "петров"),
        (("李", "雷"), "李", "雷"),
        (("γιώργος", "παπαδόπουλος"), "γιώργος", "παπαδόπουλος"),
    ],
)
def test_casing_traps_are_left_alone(raw: tuple[str, str], first: str, last: str) -> None:
    assert _first_last(*raw) == (first, last)


def test_van_as_a_first_name_stays_capitalised() -> None:
    assert _first_last(full="VAN MORRISON") == ("Van", "Morrison")


def test_full_name_is_first_space_last() -> None:
    out = _run(["jane", None, None], ["DOE", "Doe", None])
    assert out["full_name"].to_list() == ["Jane Doe", "Doe", None]


@pytest.mark.parametrize(
    ("a", "b"),
    [("Müller", "Mueller"), ("José", "Jose"), ("O'Neil", "ONeil"), ("o'neil", "Oneil"),
     ("Jean-Luc", "Jean Luc"), ("van der Berg", "Vanderberg"), ("Łukasz", "Lukasz"),
     ("Søren", "Soren"), ("Weiß", "Weiss")],
)  # fmt: skip
def test_spellings_of_a_name_share_a_key(a: str, b: str) -> None:
    out = _run([a, b], [a, b])
    assert out["first_name_key"][0] == out["first_name_key"][1]
    assert out["last_name_key"][0] == out["last_name_key"][1]


def test_keys_are_ascii_lower_letters_only() -> None:
    row = _one("O'Neil", "Müller-Lüdenscheidt")
    assert (row["first_name_key"], row["last_name_key"]) == ("oneil", "muellerluedenscheidt")
    assert _one("Иван", "李雷")["first_name_key"] == "ivan"


@pytest.mark.parametrize(
    ("first", "last", "full"),
    [(None, None, None), ("", "  ", None), (None, None, "   "), (None, None, "(Acme)")],
)
def test_no_first_and_no_last_name_is_missing(first: Name, last: Name, full: Name) -> None:
    assert _one(first, last, full)[MISSING] is True


@pytest.mark.parametrize(
    ("first", "last"),
    [("N/A", "N/A"), ("none", None), ("-", "-"), ("Unknown", "unknown"), ("#N/A", "?"),
     ("Mr.", None), ("Ms", None)],
)  # fmt: skip
def test_a_placeholder_or_a_lone_title_is_a_missing_name_not_a_fake_one(
    first: Name, last: Name
) -> None:
    """As for a company, an email or a phone, "N/A" in a required field is no answer:
    the lead is still one (name.missing), not a made-up person to reject."""
    row = _one(first, last)
    assert (row["first_name"], row["last_name"]) == (None, None)
    assert row[MISSING] is True
    assert row[FAKE] is False


@pytest.mark.parametrize(
    ("first", "last"), [("#VALUE!", "#REF!"), ("#NAME?", None), ("#DIV/0!", "#NUM!")]
)
def test_an_excel_error_is_a_missing_name_not_a_name(first: Name, last: Name) -> None:
    """A CSV saved from Excel keeps a failed formula's error as text, and the workbook
    reader writes an error cell so: "#VALUE!" is no first name for a CRM."""
    row = _one(first, last)
    assert (row["first_name"], row["last_name"]) == (None, None)
    assert row[MISSING] is True


@pytest.mark.parametrize(
    ("first", "last", "kept"),
    [
        # The address typed into the name's box: the person is real, the name unknown.
        ("anna.kowalski@acme-corp.com", None, (None, None)),
        ("Anna", "anna.kowalski@acme-corp.com", ("Anna", None)),
        # A field a form required, filled to get past it: no letter, no name.
        ("12345", "Diaz", (None, "Diaz")),
        ("...", "---", (None, None)),
    ],
)
def test_a_name_cell_without_a_name_in_it_is_no_name(
    first: Name, last: Name, kept: tuple[Name, Name]
) -> None:
    assert _first_last(first, last) == kept


@pytest.mark.parametrize(
    ("first", "clean"), [("Ben 😊", "Ben"), ("❤️ Anna", "Anna"), ("Zoë 🇩🇪", "Zoë")]
)
def test_emoji_are_no_part_of_a_name(first: str, clean: str) -> None:
    assert _first_last(first, "Ortiz") == (clean, "Ortiz")


def test_a_lone_title_beside_a_family_name_leaves_the_family_name() -> None:
    assert _first_last("Ms", "Jones") == (None, "Jones")
    assert _first_last("Na", "Li") == ("Na", "Li")  # Na is a name, not n/a


def test_either_name_alone_is_not_missing() -> None:
    assert _one("Jane", None)[MISSING] is False
    assert _one(None, "Doe")[MISSING] is False


@pytest.mark.parametrize(
    ("first", "last"),
    [("Mickey", "Mouse"), ("MICKEY", "MOUSE"), ("Donald", "Duck"), ("test", "test"),
     ("Test", "User"), ("asdf", None), ("asdf", "asdf"), ("xxx", "xxx"),
     ("A", "B"), ("first", "last"), ("Jane", "Test"), ("qwerty", "Smith"),
     ("Info", None), ("Sales", "Team"), ("Marketing", "Info")],
)  # fmt: skip
def test_made_up_names_are_fake(first: Name, last: Name) -> None:
    assert _one(first, last)[FAKE] is True


@pytest.mark.parametrize(
    ("first", "last", "email"),
    [
        ("info", None, "info@acme.com"),
        ("j.smith", None, "j.smith@acme.com"),
        ("jsmith82", None, "JSmith82@acme.com"),
    ],
)
def test_a_name_copied_from_the_email_local_part_is_fake(
    first: str, last: Name, email: str
) -> None:
    assert _one(first, last, email=email)[FAKE] is True


@pytest.mark.parametrize(
    ("first", "last", "email"),
    [
        ("John", None, "john@acme.com"),  # a first name as the mailbox is normal
        ("John", "Smith", "john.smith@acme.com"),
        ("Jane", "Doe", None),  # a sample name, but nothing says it is not hers
        ("J", "Smith", None),  # an initial alone is a real way to sign up
        ("Donald", "Trump", None),
        ("Ann", "Ann", None),  # first == last is only fake for junk words
        ("李", "雷", None),
    ],
)
def test_real_names_are_not_fake(first: str, last: Name, email: Name) -> None:
    assert _one(first, last, email=email)[FAKE] is False


@pytest.mark.parametrize(
    ("first", "last", "email"),
    [
        # Surnames that are also role words: Brazilian and Portuguese Sales, Office.
        ("Alexia", "Sales", "alexia.sales@pimenta.com.br"),
        ("João", "Sales", None),
        ("Marcos", "SALES", "msales@gmail.com"),
        ("Lucy", "Office", None),
        ("Admin", "Santos", None),
        ("서윤", "나", None),  # the Korean surname Na, not "N/A"
        ("Jane", "N/A", None),  # a person who left the surname out
        ("Unknown", "Okafor", None),
    ],
)
def test_a_real_surname_that_is_also_a_role_word_is_a_person(
    first: str, last: Name, email: Name
) -> None:
    assert _one(first, last, email=email)[FAKE] is False


def test_flags_are_false_not_null_where_they_do_not_apply() -> None:
    out = _run([None, "Jane"], [None, "Doe"])
    assert out[FAKE].null_count() == 0
    assert out[MISSING].null_count() == 0


def _faker_people() -> list[tuple[str, str]]:
    people: list[tuple[str, str]] = []
    for locale in ("en_US", "de_DE", "fr_FR", "nl_NL", "es_ES", "ga_IE"):
        fake = Faker(locale)
        fake.seed_instance(3)
        people.extend((fake.first_name(), fake.last_name()) for _ in range(30))
    return people


PEOPLE = _faker_people()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(PEOPLE).map(lambda p: (p[0], p[1], None)),
            st.sampled_from(PEOPLE).map(lambda p: (None, None, f"{p[0]} {p[1]}".upper())),
            st.tuples(st.none() | st.text(max_size=12), st.none() | st.text(max_size=12),
                      st.none() | st.text(max_size=20)),
        ),
        min_size=1,
        max_size=25,
    )
)  # fmt: skip
def test_name_stage_is_idempotent_and_keeps_rows(rows: list[tuple[Name, Name, Name]]) -> None:
    out = _run([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    assert out[frame.raw("full_name")].to_list() == [r[2] for r in rows]
    again = _run(out["first_name"].to_list(), out["last_name"].to_list())
    for column in ("first_name", "last_name", "first_name_key", "last_name_key"):
        assert again[column].to_list() == out[column].to_list()


# The test identities of each language served, as people type them into forms.
PLACEHOLDER_PEOPLE = [
    ("Joe", "Bloggs"), ("Richard", "Roe"),
    ("Max", "Mustermann"), ("Erika", "Mustermann"), ("Erika", "Musterfrau"),
    ("Moritz", "Mustermann"), ("Otto", "Normalverbraucher"), ("Lieschen", "Müller"),
    ("Jean", "Untel"), ("Monsieur", "Untel"), ("Fulano", "de Tal"), ("Fulano", "Pérez"),
    ("Mengano", None), ("Zé", "Ninguém"), ("Beltrano", "Silva"), ("Tizio", "Rossi"),
    ("Jan", "Modaal"), ("Piet", "Puk"), ("太郎", "山田"), ("花子", "山田"), ("Taro", "Yamada"),
    ("Vorname", "Nachname"), ("Prénom", "Nom"), ("Nombre", "Apellido"), ("Imię", "Nazwisko"),
    ("Sherlock", "Holmes"), ("Elvis", "Presley"), ("Bruce", "Wayne"), ("Fred", "Flintstone"),
    ("Asdfghjkl", None), ("qwertzuiop", "x"),
]  # fmt: skip


@pytest.mark.parametrize(("first", "last"), PLACEHOLDER_PEOPLE)
def test_placeholder_people_of_every_language_are_fake(first: str, last: Name) -> None:
    assert _one(first, last)[FAKE] is True


@pytest.mark.parametrize(
    ("first", "last", "email", "fake"),
    [
        # Staff testing a form: the sample name beside their own address.
        ("Mario", "Rossi", "giulia.bianchi@acme.it", True),
        ("Jan", "Kowalski", "marketing.test@firma.pl", True),
        ("Juan", "Pérez", "lucia@empresa.es", True),
        ("John", "Doe", "mike.tester@acme.com", True),
        ("Jane", "Doe", "janine.becker@acme.de", True),  # "jan" of another sample
        ("Jane", "Doe", "jane.doe@acme.com", False),
        # The real Mario Rossi writes his name into his address; without an address
        # nothing says he is a sample.
        ("Mario", "Rossi", "mario.rossi@acme.it", False),
        ("Mario", "Rossi", "MRossi@acme.it", False),
        ("Jan", "Kowalski", "jan.kowalski@firma.pl", False),
        ("João", "Silva", "joao.silva@pimenta.com.br", False),
        ("Mario", "Rossi", None, False),
        # Famous names real people carry too: a James Bond writes j.bond@.
        ("James", "Bond", "j.bond@lawfirm.co.uk", False),
        ("George", "Washington", "george.washington@gwu.edu", False),
        ("Jon", "Snow", "jon.snow@channel4.com", False),
        ("James", "Bond", "qa-team@acme.com", True),
    ],
)
def test_a_sample_name_that_is_also_a_real_name_needs_another_persons_address(
    first: str, last: str, email: Name, fake: bool
) -> None:
    assert _one(first, last, email=email)[FAKE] is fake


def test_every_data_word_and_pair_becomes_a_key() -> None:
    """Entries in native scripts and with accents reach the keys the column gets."""
    assert {"mustermann", "fulano", "untel"} <= name_module.junk_words()
    assert "sales" in name_module.role_words() and "sales" not in name_module.junk_words()
    assert "elvis|presley" in name_module.fake_pairs()
    assert "juan|perez" in name_module.sample_pairs()
