"""Line ends: which one a text file uses.

Most exports end lines in LF or CRLF; Excel for Mac's "CSV (Macintosh)" still ends
them in a lone CR (classic Mac OS). Every reader that splits a file into lines, or
joins lines back, uses the file's own end: split on anything else, the lines of an
old Mac file are one line, and a CR inside a value of an LF file ends a line.
"""

from __future__ import annotations


def line_end(text: str) -> str:
    """CR in text of classic Mac OS line ends (no LF at all), else LF (a CR before
    it stays on the line; the csv module drops it)."""
    return "\r" if "\n" not in text and "\r" in text else "\n"


def line_end_bytes(raw: bytes) -> bytes:
    """`line_end` of undecoded bytes (of an ASCII-compatible encoding)."""
    return b"\r" if b"\n" not in raw and b"\r" in raw else b"\n"
