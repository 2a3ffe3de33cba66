"""Files that mix encodings are decoded line by line, and mojibake is mended, never
silently (issue 10); a CSV saved under an Excel name is read as CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadtriage.io.encoding import SAMPLE_BYTES, decode_mixed, repair_double_encoded
from leadtriage.io.read import read_table
from leadtriage.pipeline import triage

HEADER = "Email,First Name,Last Name,Company\r\n"
# Two exports concatenated: one saved as UTF-8, one by Excel in Windows-1252.
UTF8_PART = "anna@example.de,Anna,Römer,Müller & Söhne GmbH\r\njose@example.es,José,García,Acme\r\n"
CP1252_PART = "chloe@example.fr,Chloé,Lefèvre,Société Générale\r\nlars@example.dk,Lars,Ærø,Fisk\r\n"
NAMES = ["Römer", "García", "Lefèvre", "Ærø"]


def _write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize("utf8_first", [True, False])
def test_utf8_and_windows_1252_lines_in_one_file_are_each_decoded(
    tmp_path: Path, utf8_first: bool
) -> None:
    utf8 = (HEADER + UTF8_PART).encode("utf-8")
    cp1252 = CP1252_PART.encode("cp1252")
    content = utf8 + cp1252 if utf8_first else HEADER.encode() + cp1252 + UTF8_PART.encode()
    table = read_table(_write(tmp_path, "mixed.csv", content))
    assert sorted(table.frame["Last Name"].to_list()) == sorted(NAMES)
    assert not any("Ã" in value for value in table.frame["Last Name"].to_list())
    assert any("mixes encodings: 2 lines read as cp1252, 2 as UTF-8" in w for w in table.warnings)


def test_mixed_encodings_and_mojibake_with_old_mac_line_ends(tmp_path: Path) -> None:
    """Lines were split on LF only: a file of lone CR line ends was one line, read
    whole as Windows-1252 (its UTF-8 names garbled) and never repaired."""
    mixed = (HEADER + UTF8_PART).encode() + CP1252_PART.encode("cp1252")
    table = read_table(_write(tmp_path, "mixed.csv", mixed.replace(b"\r\n", b"\r")))
    assert sorted(table.frame["Last Name"].to_list()) == sorted(NAMES)
    assert any("mixes encodings: 2 lines read as cp1252, 2 as UTF-8" in w for w in table.warnings)
    mangled = "anna@example.de,Anna,Römer,Müller\r".encode().decode("cp1252").encode()
    content = (HEADER + "jose@example.es,José,García,Acme\r\n").encode() + mangled
    table = read_table(_write(tmp_path, "mojibake.csv", content.replace(b"\r\n", b"\r")))
    assert table.frame["Last Name"].to_list() == ["García", "Römer"]
    assert any("1 lines held double-encoded UTF-8" in w for w in table.warnings)


def test_mixed_file_bigger_than_the_sample_is_decoded_by_line(tmp_path: Path) -> None:
    # The first 64 KB are plain UTF-8; the Windows-1252 part comes after.
    filler = "".join(f"p{i}@example.com,Pat,Lee,Co\r\n" for i in range(4000))
    content = (HEADER + UTF8_PART + filler).encode() + CP1252_PART.encode("cp1252")
    table = read_table(_write(tmp_path, "big.csv", content))
    assert set(NAMES) <= set(table.frame["Last Name"].to_list())
    assert any("mixes encodings" in w for w in table.warnings)


def test_double_encoded_lines_are_repaired_and_counted(tmp_path: Path) -> None:
    mangled = "anna@example.de,Anna,Römer,Müller\r\n".encode().decode("cp1252").encode()
    content = (HEADER + "jose@example.es,José,García,Acme\r\n").encode() + mangled
    assert b"R\xc3\x83\xc2\xb6mer" in content  # what a person sees as RÃ¶mer
    table = read_table(_write(tmp_path, "mojibake.csv", content))
    assert table.frame["Last Name"].to_list() == ["García", "Römer"]
    assert table.frame["Company"].to_list() == ["Acme", "Müller"]
    assert any("1 lines held double-encoded UTF-8" in w for w in table.warnings)


def test_repair_warning_reaches_the_summary(tmp_path: Path) -> None:
    mangled = "anna@example.de,Anna,Römer,Müller\r\n".encode().decode("cp1252").encode()
    result = triage([_write(tmp_path, "mojibake.csv", HEADER.encode() + mangled)])
    (report,) = result.summary.inputs
    assert any("double-encoded" in w for w in report.warnings)


def test_clean_files_are_left_alone(tmp_path: Path) -> None:
    table = read_table(_write(tmp_path, "plain.csv", (HEADER + UTF8_PART).encode()))
    assert table.warnings == ()
    table = read_table(_write(tmp_path, "excel.csv", (HEADER + CP1252_PART).encode("cp1252")))
    assert (table.encoding, table.warnings) == ("cp1252", ())
    assert table.frame["Last Name"].to_list() == ["Lefèvre", "Ærø"]


@pytest.mark.parametrize(
    "line",
    [
        "Ã© is how the site shows é",  # holds a real é, so it does not turn back whole
        "Ãrø Fisk A/S",  # a capital A tilde then a letter that is no continuation
        "plain ascii",
        "Â\u00a0",  # would turn into a no-break space: a sign, not a letter, so left
    ],
)
def test_repair_leaves_lines_that_do_not_turn_back_whole(line: str) -> None:
    assert repair_double_encoded(line) == (line, 0)


def test_decode_mixed_reads_a_pure_legacy_file_in_one_go() -> None:
    raw = (HEADER + CP1252_PART).encode("cp1252")
    assert decode_mixed(raw, "cp1252") == (raw.decode("cp1252"), 0, 0)


@pytest.mark.parametrize("name", ["leads.xlsx", "leads.xls"])
def test_csv_saved_under_an_excel_name_is_read_as_csv(tmp_path: Path, name: str) -> None:
    table = read_table(_write(tmp_path, name, (HEADER + UTF8_PART).encode()))
    assert table.format == "csv"
    assert table.frame["Email"].to_list() == ["anna@example.de", "jose@example.es"]
    assert any("not an Excel workbook" in w for w in table.warnings)


# A Japanese export as Excel saves it: Shift-JIS (Windows code page 932).
JAPANESE = (
    "氏名,メール,会社名,電話番号\r\n"
    "山田 太郎,taro.yamada@example.co.jp,株式会社サンプル,03-1234-5678\r\n"
    "佐藤 花子,hanako.sato@example.co.jp,テスト商事株式会社,06-9876-5432\r\n"
)


@pytest.mark.parametrize(
    ("codec", "read_as"),
    # Windows' Korean code page is a superset of EUC-KR: it reads the file the same.
    [("cp932", "cp932"), ("euc_jp", "euc_jp"), ("gb18030", "gb18030"), ("euc_kr", "cp949")],
)
def test_east_asian_code_pages_are_not_taken_for_western(
    tmp_path: Path, codec: str, read_as: str
) -> None:
    """EUC and GB bytes all decode under Windows-1252, into runs of accented letters
    and signs (»áÌ¾ for 氏名) that the Latin check let through as words of one letter."""
    text = JAPANESE
    if codec == "euc_kr":
        text = "이름,이메일\r\n김철수,kim@example.kr\r\n이영희,lee@example.kr\r\n"
    table = read_table(_write(tmp_path, "leads.csv", text.encode(codec)))
    assert table.encoding == read_as
    assert ",".join(table.data_columns) == text.split("\r\n")[0]


def test_shift_jis_file_whose_sample_ends_inside_a_character(tmp_path: Path) -> None:
    """The first 64 KB cut a two-byte character in half, so no code page fitted the
    sample and the file was refused as binary."""
    rows = [f"山田 太郎{i},p{i}@example.co.jp,株式会社サンプル,03-1234-5678" for i in range(3000)]
    content = JAPANESE.encode("cp932") + "\r\n".join(rows).encode("cp932") + b"\r\n"
    while True:  # move the cut onto the middle of a character
        try:
            content[:SAMPLE_BYTES].decode("cp932")
        except UnicodeDecodeError:
            break
        content = b"x" + content
    table = read_table(_write(tmp_path, "leads.csv", content))
    assert table.encoding == "cp932"
    assert table.data_columns[1:] == ["メール", "会社名", "電話番号"]
    assert table.frame.height == 3002
    assert table.frame["会社名"].n_unique() == 2  # サンプル and テスト商事


def test_a_utf8_mark_before_windows_1252_lines_is_read_not_refused(tmp_path: Path) -> None:
    # A small Excel export re-saved by a tool that put a UTF-8 mark in front.
    source = _write(
        tmp_path, "leads.csv", b"\xef\xbb\xbf" + (HEADER + CP1252_PART).encode("cp1252")
    )
    table = read_table(source)
    assert table.frame.height == 2
    assert set(table.frame["Last Name"].to_list()) == {"Lefèvre", "Ærø"}
