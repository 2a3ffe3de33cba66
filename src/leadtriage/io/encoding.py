"""Which text encoding a file's bytes are in, decided cheaply.

Byte-order marks and "is it valid UTF-8" settle almost every file from a sample;
only the residue (legacy single-byte exports, UTF-16 without a BOM) gets a closer
look, and even then only at a bounded sample of the lines that hold non-ASCII bytes,
never the whole file.
"""

from __future__ import annotations

import codecs
import mmap
import re
import unicodedata
from typing import Final

import charset_normalizer

from leadtriage.io.lines import line_end, line_end_bytes

SAMPLE_BYTES: Final = 64 * 1024
_LEGACY_SAMPLE_BYTES: Final = 256 * 1024

# Longest marks first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
UTF8_NAMES: Final = frozenset({"utf-8", "utf-8-sig"})

# The code pages contact exports really arrive in (Windows, ISO, DOS and CJK
# families); the detector left free also answers with rarities such as cp1125 for
# what is plain garbage.
_LEGACY_CANDIDATES: Final = (
    "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "iso8859_15", "koi8_r", "koi8_u",
    "mac_roman", "cp437", "cp850", "cp874", "shift_jis", "cp932", "euc_jp", "gb18030",
    "big5", "euc_kr", "cp949",
)  # fmt: skip
_LINE_WITH_HIGH_BYTE: Final = re.compile(rb"[^\n]*[\x80-\xff][^\n]*\n?")
# A word as the Latin check sees it: ASCII letters and any non-ASCII character, so
# the signs an EUC or GB byte turns into under Windows-1252 (¥, ¡, ¼) join the
# letters beside them rather than cutting them into words of one letter.
_WORD: Final = re.compile(r"[^\x00-\x40\x5b-\x60\x7b-\x7f]+")
# Controls that never appear in a text export (tab, LF, CR, FF excluded); C1
# controls are what undefined code-page bytes turn into.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE: Final = 0.01
# A few stray controls (a NUL from a broken export, Ctrl-Z at the end, FileMaker's
# vertical tab for a line break in a cell) are data damage, not a binary file: the
# rows are read, the characters kept for a person to see.
_STRAY_CONTROLS: Final = 8


class NotTextError(Exception):
    """The bytes are not text in any encoding we trust (binary, or undecodable)."""


def detect_encoding(sample: bytes, *, complete: bool) -> str:
    """The Python codec name for `sample`, the first bytes of a file.

    `complete` says the sample is the whole file, so a multi-byte character cut at
    its end is an error rather than the edge of the sample.
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if sample.count(0) > _STRAY_CONTROLS:
        return _utf16_without_bom(sample)
    if _is_utf8(sample, complete=complete):
        return "utf-8"
    if not complete:
        # The sample's end may cut a two-byte character in half, which no CJK code
        # page decodes; up to the last line end it is whole.
        end = max(sample.rfind(b"\n"), sample.rfind(b"\r"))
        sample = sample[: end + 1] if end > 0 else sample
    return detect_legacy_encoding(sample)


def detect_legacy_encoding(data: bytes) -> str:
    """The single-byte (or CJK) encoding of bytes that are not UTF-8.

    Windows-1252 is what Excel writes in Western Europe and the Americas, so it wins
    whenever the bytes decode under it into Latin-looking words; the statistical
    detector only judges what does not (Cyrillic, Greek, CJK ...), because on short
    Western samples it often prefers a neighbouring code page (Ærø read as Ćrř).
    """
    sample = high_byte_lines(data)
    try:
        as_cp1252 = sample.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if _reads_as_latin(as_cp1252):
            return "cp1252"
    best = charset_normalizer.from_bytes(sample, cp_isolation=list(_LEGACY_CANDIDATES)).best()
    if best is None:
        raise NotTextError("no text encoding fits")
    check_is_text(sample.decode(best.encoding, errors="replace"))
    return str(best.encoding)


def high_byte_lines(data: bytes, limit: int = _LEGACY_SAMPLE_BYTES) -> bytes:
    """Up to `limit` bytes of the lines holding a non-ASCII byte: ASCII lines tell
    nothing about a legacy encoding and would only dilute the detector's statistics."""
    picked: list[bytes] = []
    size = 0
    for match in _LINE_WITH_HIGH_BYTE.finditer(data):
        line = match.group()
        picked.append(line)
        size += len(line)
        if size >= limit:
            break
    return b"".join(picked) or data[:limit]


def check_is_text(text: str) -> None:
    """Raise NotTextError when decoded text is full of control characters (binary)."""
    if not text:
        return
    controls = len(_CONTROL.findall(text))
    if controls > max(_MAX_CONTROL_SHARE * len(text), _STRAY_CONTROLS):
        raise NotTextError("control characters")


def _is_utf8(sample: bytes, *, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(sample: bytes) -> str:
    """UTF-16 text of mostly Latin characters has a zero in every other byte."""
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if half and odd_zeros > 0.3 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if half and even_zeros > 0.3 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    raise NotTextError("zero bytes in a non-UTF-16 file")


def _reads_as_latin(text: str) -> bool:
    """Western words mix accented and plain letters (José, Müller); text in another
    script read through the wrong code page gives words made only of accented
    letters (Èâàí). A word such as Ærø is the exception, not the rule."""
    accented_words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not accented_words:
        return True
    all_accented = sum(1 for w in accented_words if len(w) > 1 and _no_ascii_letter(w))
    return all_accented <= 0.5 * len(accented_words)


def _no_ascii_letter(word: str) -> bool:
    return not any(c.isascii() for c in word)


# --- files of more than one encoding -------------------------------------------

# A UTF-8 sequence of two or three bytes: in a Windows-1252 file such pairs are rare
# ("Ã©" written on purpose), so without one no line can be UTF-8.
_UTF8_SEQUENCE: Final = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
# UTF-8 read as Windows-1252 and saved as UTF-8 again: a lead byte (Â-ô) followed by
# what a continuation byte (0x80-0xBF) becomes in Windows-1252.
_DOUBLE_ENCODED: Final = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# The same in UTF-8 bytes, to find it without decoding a file: Â-ô (C3 82-B4) then
# a Latin-1 sign (C2 80-BF) or one of Windows-1252's other replacements.
_DOUBLE_ENCODED_BYTES: Final = re.compile(
    rb"\xc3[\x82-\xb4](?:\xc2[\x80-\xbf]|\xc5|\xc6|\xcb|\xe2[\x80-\x84])"
)
# Single-byte code pages, where each line can be judged alone.
_SINGLE_BYTE: Final = frozenset(
    {"cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
     "cp1258", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "iso8859_15", "latin-1",
     "koi8_r", "koi8_u", "mac_roman", "cp437", "cp850", "cp874"}
)  # fmt: skip


def decode_mixed(raw: bytes, legacy: str) -> tuple[str, int, int]:
    """Text of a file that mixes UTF-8 lines with lines in the single-byte `legacy`
    code page (exports concatenated): each line in the encoding it is valid in,
    UTF-8 first. Returns the text, the number of legacy lines with non-ASCII bytes
    and the number of such UTF-8 lines. Raises UnicodeDecodeError when a line fits
    neither."""
    if legacy not in _SINGLE_BYTE or _UTF8_SEQUENCE.search(raw) is None:
        return raw.decode(legacy), 0, 0
    parts: list[str] = []
    legacy_lines = utf8_lines = 0
    end = line_end_bytes(raw)
    for line in raw.split(end):
        if line.isascii():
            parts.append(line.decode("ascii"))
            continue
        try:
            parts.append(line.decode("utf-8"))
            utf8_lines += 1
        except UnicodeDecodeError:
            parts.append(line.decode(legacy))
            legacy_lines += 1
    return end.decode("ascii").join(parts), legacy_lines, utf8_lines


def may_hold_double_encoding(raw: bytes | mmap.mmap) -> bool:
    """Whether UTF-8 bytes may hold double-encoded text (``RÃ¶mer``); cheap, in C."""
    return _DOUBLE_ENCODED_BYTES.search(raw) is not None


def repair_double_encoded(text: str) -> tuple[str, int]:
    """Lines holding UTF-8 that was read as Windows-1252 and saved as UTF-8 again,
    turned back (``RÃ¶mer`` -> ``Römer``). A line is changed only when it turns back
    whole: each such pair turns into a letter, and the line encodes to Windows-1252
    as bytes that are valid UTF-8, so a line that merely holds such letters on
    purpose among others stays. Returns the
    text and the number of lines repaired."""
    if _DOUBLE_ENCODED.search(text) is None:
        return text, 0
    end = line_end(text)
    lines = text.split(end)
    repaired = 0
    for index, line in enumerate(lines):
        pairs = _DOUBLE_ENCODED.findall(line)
        if not pairs or not all(_turns_into_a_letter(pair) for pair in pairs):
            continue
        try:
            fixed = line.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        lines[index] = fixed
        repaired += 1
    return end.join(lines), repaired


def _turns_into_a_letter(pair: str) -> bool:
    """Mojibake of names is accented letters (Ã¶ for ö); a pair that would turn into
    a sign (Â  for a no-break space) is as likely meant, so it is left."""
    try:
        letter = pair.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return unicodedata.category(letter).startswith("L")
